#!/usr/bin/env python3
"""Feed every command of `tune plan --format json` output to the real engines.

Opt-in ground truth for the compiler's flag tables; never run in CI (it needs the
engines installed, ~10 GB each). Usage:

  tune plan study.tune --format json > /tmp/plan.json
  tools/engine_truth.py /tmp/plan.json [more plans...] \
      [--python vllm-0.33.0=/path/to/bin/python] [--venvs /work/venvs] [--online] [-v]

For each engine version the plans use, ONE subprocess runs in that version's
interpreter (default /work/venvs/<engine>-<version>/bin/python) and checks all of its
commands (argv with the plan's `entrypoint` prefix stripped):

- vLLM: the real parser (make_arg_parser), `validate_parsed_serve_args`,
  `AsyncEngineArgs.from_cli_args`, then what needs neither the model nor a GPU:
  `quantization` in QUANTIZATION_METHODS (and the deprecated-method gate),
  `kv_cache_dtype` in the CacheDType literal, `--attention-backend` through
  AttentionConfig's own validator / AttentionBackendEnum, and CacheConfig,
  ParallelConfig, SchedulerConfig built from the engine args (model-derived
  fields left at their defaults).
- SGLang: `sglang.srt.server_args.prepare_server_args(argv)` (and, in versions that
  defer it, `ServerArgs.resolve_once()`). Where that needs a GPU or the model's
  config (no network here), the error is caught and the command is counted as
  accepted by the parser only ("parse-only"), which the output says per command.
- TensorRT-LLM experiments are skipped (reported as skipped).

Exit status: 0 when every checked command is accepted, 1 when any is rejected,
2 when an engine version could not be checked at all (no interpreter, crash).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import OrderedDict

CHECK_SCRIPT = r'''
import contextlib, dataclasses, io, json, os, sys, time, traceback, typing

engine, inp, out = sys.argv[1], sys.argv[2], sys.argv[3]
with open(inp) as f:
    commands = json.load(f)

class Rejected(Exception):
    def __init__(self, stage, msg):
        super().__init__(msg)
        self.stage = stage
        self.msg = msg

def short(e):
    s = "%s: %s" % (type(e).__name__, e)
    s = " ".join(s.split())
    return s[:600]

def parse(parser, args):
    buf = io.StringIO()
    try:
        with contextlib.redirect_stderr(buf):
            ns = parser.parse_args(args)
    except SystemExit as e:
        lines = [l for l in buf.getvalue().splitlines() if l.strip()]
        err = [l for l in lines if "error:" in l]
        raise Rejected("argparse", (err[-1] if err else (lines[-1] if lines else "exit %s" % e.code)).strip())
    warn = [l.strip() for l in buf.getvalue().splitlines() if l.strip()]
    return ns, warn

@contextlib.contextmanager
def env_applied(env):
    old = {k: os.environ.get(k) for k in env}
    os.environ.update({k: str(v) for k, v in env.items()})
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

results = []
info = {}
t0 = time.time()

if engine == "vllm":
    os.environ.setdefault("VLLM_TARGET_DEVICE", "cpu")
    import vllm.platforms as _plat
    _orig = getattr(_plat, "resolve_current_platform_cls_qualname", None)
    if _orig is not None and getattr(_plat, "_current_platform", 1) is None:
        def _resolve():
            q = _orig()
            if q.endswith("UnspecifiedPlatform"):
                info["platform_fallback"] = "vllm.platforms.cpu.CpuPlatform"
                return "vllm.platforms.cpu.CpuPlatform"
            return q
        _plat.resolve_current_platform_cls_qualname = _resolve
    try:
        from vllm.utils.argparse_utils import FlexibleArgumentParser
    except ImportError:
        from vllm.utils import FlexibleArgumentParser
    try:
        from vllm.entrypoints.common.cli_args import make_arg_parser
        import vllm.entrypoints.common.cli_args as cli_mod
    except ImportError:
        from vllm.entrypoints.openai.cli_args import make_arg_parser
        import vllm.entrypoints.openai.cli_args as cli_mod
    validate_serve = getattr(cli_mod, "validate_parsed_serve_args", None)
    from vllm.engine.arg_utils import AsyncEngineArgs
    import vllm.model_executor.layers.quantization as qmod
    import vllm.config as vcfg
    try:
        import vllm.config.cache as cache_mod
    except ImportError:
        cache_mod = vcfg
    cache_dtypes = list(typing.get_args(getattr(cache_mod, "CacheDType")))
    AttentionConfig = getattr(vcfg, "AttentionConfig", None)
    backend_enum = None
    for modname in ("vllm.v1.attention.backends.registry", "vllm.attention.backends.registry"):
        try:
            m = __import__(modname, fromlist=["x"])
            backend_enum = getattr(m, "AttentionBackendEnum", None)
            if backend_enum is not None:
                break
        except Exception:
            pass
    parser = make_arg_parser(FlexibleArgumentParser(prog="vllm serve"))
    info["import_s"] = round(time.time() - t0, 1)

    RENAMES = {
        "CacheConfig": {"cache_dtype": "kv_cache_dtype"},
        "ParallelConfig": {"data_parallel_master_ip": "data_parallel_address"},
        "SchedulerConfig": {"policy": "scheduling_policy"},
    }

    # Fields that create_engine_config takes from the model, not from flags.
    # Neutral stand-ins keep the configs' own checks of the flags runnable.
    MODEL_DERIVED = {
        "is_encoder_decoder": False, "is_multimodal_model": False,
        "is_attention_free": False, "is_moe_model": False,
    }

    def build(cls_name, ea, notes):
        cls = getattr(vcfg, cls_name)
        kw = {}
        all_fields = list(getattr(cls, "__dataclass_fields__", {}).values())
        for f in all_fields:
            kind = getattr(f, "_field_type", None)
            if kind is not None and kind is not dataclasses._FIELD and kind is not dataclasses._FIELD_INITVAR:
                continue  # ClassVar
            if f.name.startswith("_") or not f.init:
                continue
            src = RENAMES.get(cls_name, {}).get(f.name, f.name)
            if hasattr(ea, src):
                v = getattr(ea, src)
                if v is not None:
                    kw[f.name] = v
            required = (f.default is dataclasses.MISSING
                        and f.default_factory is dataclasses.MISSING)
            if f.name not in kw and f.name == "max_model_len" and (
                    required or cls_name == "SchedulerConfig"):
                # the model's context length; without --max-model-len use the
                # batched-token budget (or 2048) so length checks cannot misfire
                mnbt = getattr(ea, "max_num_batched_tokens", None)
                kw[f.name] = mnbt if isinstance(mnbt, int) and mnbt > 0 else 2048
                notes.append("%s: max_model_len=%s stands in for the model's" % (cls_name, kw[f.name]))
            elif f.name not in kw and f.name in MODEL_DERIVED and required:
                kw[f.name] = MODEL_DERIVED[f.name]
            elif f.name not in kw and required:
                notes.append("%s: not checked, needs %s from the model" % (cls_name, f.name))
                return
        try:
            cls(**kw)
        except Exception as e:
            raise Rejected(cls_name, short(e))

    def check(args):
        notes = []
        ns, warn = parse(parser, args)
        notes += warn
        if getattr(ns, "model_tag", None) is not None:
            ns.model = ns.model_tag
        if validate_serve is not None:
            try:
                validate_serve(ns)
            except Exception as e:
                raise Rejected("validate_parsed_serve_args", short(e))
        try:
            ea = AsyncEngineArgs.from_cli_args(ns)
        except Exception as e:
            raise Rejected("EngineArgs.from_cli_args", short(e))
        q = getattr(ea, "quantization", None)
        if q is not None:
            if q not in qmod.QUANTIZATION_METHODS:
                raise Rejected("quantization", "Unknown quantization method: %s. Must be one of %s." % (q, qmod.QUANTIZATION_METHODS))
            dep = getattr(qmod, "DEPRECATED_QUANTIZATION_METHODS", [])
            if q in dep and not getattr(ea, "allow_deprecated_quantization", False):
                raise Rejected("quantization", "The quantization method %s is deprecated; set --allow-deprecated-quantization" % q)
        kv = getattr(ea, "kv_cache_dtype", None)
        if kv is not None and kv not in cache_dtypes:
            raise Rejected("kv_cache_dtype", "kv_cache_dtype %r is not in CacheDType %s" % (kv, cache_dtypes))
        ab = getattr(ea, "attention_backend", None)
        if ab is not None:
            try:
                if AttentionConfig is not None and hasattr(AttentionConfig, "validate_backend_before"):
                    AttentionConfig.validate_backend_before(ab)
                elif backend_enum is not None and isinstance(ab, str):
                    backend_enum[ab.upper()]
            except Exception as e:
                raise Rejected("attention_backend", "attention backend %r: %s" % (ab, short(e)))
        for cls_name in ("CacheConfig", "ParallelConfig", "SchedulerConfig"):
            build(cls_name, ea, notes)
        return "full", notes

elif engine == "sglang":
    import argparse as _ap
    from sglang.srt.server_args import ServerArgs, prepare_server_args
    info["import_s"] = round(time.time() - t0, 1)
    parser = _ap.ArgumentParser(prog="sglang serve")
    ServerArgs.add_cli_args(parser)
    ENV_MARKERS = ("cuda", "accelerator", "gpu", "nvidia", "nvml", "libcuda",
                   "huggingface", "hf.co", "internet", "connect", "offline",
                   "cached files", "local_files_only", "no such file", "not a local folder",
                   "does not appear to have a file", "repository not found")
    ENV_TYPES = ("OSError", "ConnectionError", "LocalEntryNotFoundError",
                 "HFValidationError", "RepositoryNotFoundError", "GatedRepoError",
                 "FileNotFoundError", "ImportError", "ModuleNotFoundError")

    def env_related(e):
        names = {c.__name__ for c in type(e).__mro__}
        text = str(e).lower()
        if names & set(ENV_TYPES):
            return True
        if isinstance(e, (RuntimeError, AssertionError, ValueError)):
            return any(m in text for m in ENV_MARKERS)
        return False

    def check(args):
        notes = []
        # 1. the parser alone: argparse errors (unknown flag, bad choice, type)
        _, warn = parse(parser, args)
        notes += warn
        # 2. the real entry point, then deferred resolution where it exists
        buf = io.StringIO()
        try:
            with contextlib.redirect_stderr(buf), contextlib.redirect_stdout(buf):
                sa = prepare_server_args(list(args))
                if hasattr(sa, "resolve_once"):
                    sa.resolve_once()
        except SystemExit as e:
            lines = [l for l in buf.getvalue().splitlines() if "error:" in l]
            raise Rejected("prepare_server_args", lines[-1].strip() if lines else "exit %s" % e.code)
        except BaseException as e:
            if env_related(e):
                notes.append("parse-only: validation needs a GPU or the model config here (%s)" % short(e)[:200])
                return "parse-only", notes
            raise Rejected("prepare_server_args", short(e))
        return "full", notes
else:
    raise SystemExit("no checker for engine " + engine)

for cmd in commands:
    rec = {"id": cmd["id"], "args": cmd["args"]}
    try:
        with env_applied(cmd.get("env") or {}):
            mode, notes = check(cmd["args"])
        rec.update(ok=True, mode=mode, notes=notes)
    except Rejected as e:
        rec.update(ok=False, stage=e.stage, error=e.msg)
    except BaseException as e:
        rec.update(ok=False, stage="crash", error=short(e),
                   traceback=traceback.format_exc()[-2000:])
    results.append(rec)

with open(out, "w") as f:
    json.dump({"info": info, "results": results}, f, indent=1)
'''

CHECKED_ENGINES = ("vllm", "sglang")
SKIPPED_ENGINES = ("trtllm",)


def load_experiments(paths):
    exps = []
    for p in paths:
        with open(p) as f:
            plan = json.load(f)
        items = plan.get("experiments") if isinstance(plan, dict) else plan
        if not isinstance(items, list):
            raise SystemExit(f"{p}: no `experiments` list")
        for e in items:
            exps.append((p, e))
    return exps


def strip_entrypoint(exp):
    argv = list(exp.get("argv") or [])
    ep = list(exp.get("entrypoint") or [])
    if ep and argv[: len(ep)] == ep:
        return argv[len(ep):], None
    if not ep:
        return argv, None
    return None, f"argv does not start with the entrypoint {ep}: {argv[:len(ep)]}"


def run_group(engine, version, python, commands, online, timeout):
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = "0"
    if engine == "vllm":
        env["VLLM_TARGET_DEVICE"] = "cpu"
    if not online and engine == "sglang":
        # SGLang resolves the model's config; offline it fails at once instead
        # of retrying for ~40 s per command. Not for vLLM: with HF_HUB_OFFLINE
        # its EngineArgs.__post_init__ looks the model up in the local cache.
        env.setdefault("HF_HUB_OFFLINE", "1")
        env.setdefault("TRANSFORMERS_OFFLINE", "1")
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "check.py")
        inp = os.path.join(tmp, "in.json")
        out = os.path.join(tmp, "out.json")
        with open(script, "w") as f:
            f.write(CHECK_SCRIPT)
        with open(inp, "w") as f:
            json.dump(commands, f)
        try:
            proc = subprocess.run([python, script, engine, inp, out], env=env, cwd=tmp,
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, f"timed out after {timeout}s"
        if proc.returncode != 0 or not os.path.exists(out):
            tail = (proc.stderr or proc.stdout)[-3000:]
            return None, f"checker exited {proc.returncode}:\n{tail}"
        with open(out) as f:
            return json.load(f), None


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("plans", nargs="+", help="plan JSON files from `tune plan --format json`")
    ap.add_argument("--python", action="append", default=[], metavar="ENGINE-VERSION=PATH",
                    help="interpreter for one engine version, e.g. vllm-0.33.0=/x/bin/python")
    ap.add_argument("--venvs", default="/work/venvs",
                    help="folder of <engine>-<version> virtual environments")
    ap.add_argument("--online", action="store_true",
                    help="let the engines reach the Hugging Face Hub (default: offline)")
    ap.add_argument("--timeout", type=int, default=1800, help="seconds per engine version")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every command")
    args = ap.parse_args(argv)

    pythons = {}
    for item in args.python:
        key, sep, path = item.partition("=")
        if not sep:
            raise SystemExit(f"--python wants ENGINE-VERSION=PATH, got {item!r}")
        pythons[key] = path

    groups = OrderedDict()
    skipped = OrderedDict()
    bad = []
    for path, e in load_experiments(args.plans):
        eng, ver = e.get("engine"), e.get("version")
        eid = e.get("id", "?")
        if eng in SKIPPED_ENGINES or eng not in CHECKED_ENGINES:
            skipped.setdefault(f"{eng} {ver}", []).append(eid)
            continue
        cmd_args, err = strip_entrypoint(e)
        if err:
            bad.append((f"{eng} {ver}", eid, err))
            continue
        groups.setdefault((eng, ver), []).append(
            {"id": eid, "args": cmd_args, "env": e.get("env") or {}, "plan": path})

    rejected_total = 0
    broken = 0
    print(f"engine_truth: {sum(len(v) for v in groups.values())} commands to check, "
          f"{sum(len(v) for v in skipped.values())} skipped")
    for (eng, ver), cmds in groups.items():
        python = pythons.get(f"{eng}-{ver}") or os.path.join(args.venvs, f"{eng}-{ver}", "bin", "python")
        label = f"{eng} {ver}"
        if not os.path.exists(python):
            print(f"\n{label}: CANNOT CHECK: no interpreter at {python} "
                  f"(install {eng}=={ver} there or pass --python {eng}-{ver}=PATH)")
            broken += 1
            continue
        res, err = run_group(eng, ver, python, cmds, args.online, args.timeout)
        if res is None:
            print(f"\n{label}: CANNOT CHECK: {err}")
            broken += 1
            continue
        results = res["results"]
        ok = [r for r in results if r["ok"]]
        no = [r for r in results if not r["ok"]]
        parse_only = [r for r in ok if r.get("mode") == "parse-only"]
        rejected_total += len(no)
        extra = f" ({len(parse_only)} parser-only: no GPU/model config here)" if parse_only else ""
        print(f"\n{label} [{python}]: {len(ok)} accepted{extra}, {len(no)} rejected"
              + (f"; {res['info']}" if args.verbose else ""))
        for r in results:
            cmdline = " ".join(r["args"])
            if not r["ok"]:
                print(f"  REJECTED {r['id']} at {r['stage']}: {r['error']}")
                print(f"           args: {cmdline}")
                if r.get("traceback") and args.verbose:
                    print("           " + r["traceback"].replace("\n", "\n           "))
            elif args.verbose:
                print(f"  accepted {r['id']} ({r['mode']}): {cmdline}")
                for n in r.get("notes") or []:
                    print(f"           note: {n[:300]}")
        if parse_only and not args.verbose:
            first = next(n for n in parse_only[0]["notes"] if n.startswith("parse-only"))
            print(f"  note: {first[:300]}")
    for label, eid, err in bad:
        print(f"\n{label}: REJECTED {eid}: {err}")
        rejected_total += 1
    for label, ids in skipped.items():
        print(f"\n{label}: {len(ids)} skipped (no checker: TensorRT-LLM cannot be installed here)"
              if label.startswith("trtllm") else f"\n{label}: {len(ids)} skipped (no checker)")
    if broken:
        print(f"\nFAILED: {broken} engine version(s) could not be checked"
              + (f", {rejected_total} command(s) rejected" if rejected_total else ""))
        return 2
    if rejected_total:
        print(f"\nFAILED: {rejected_total} command(s) rejected")
        return 1
    print("\nOK: every command accepted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
