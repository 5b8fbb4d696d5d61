#!/usr/bin/env python3
"""Write an engine version's flag schema (stdlib/engines/<engine>/<version>.schema.json).

Two modes (see tools/README.md and stdlib/README.md for the output format):

  # from an argparse dump ({"version", "import_s", "args": [{opts, dest, default,
  # choices, type, nargs, action}]}), e.g. the reference dumps in shared/
  extract_schema.py --from-dump DUMP.json --engine vllm --version 0.33.0 -o OUT

  # live: import the installed engine in its own interpreter and read its real parser
  extract_schema.py --engine vllm --version 0.11.0 \
      --python /work/venvs/vllm-0.11.0/bin/python -o OUT [--raw-out RAW.json] \
      [--compare-dump DUMP.json]

The conversion part uses the standard library only (Python 3.11). The live mode runs
a small embedded script (LIVE_SCRIPT) in the engine's interpreter via subprocess; it
writes a dump in the reference format plus extra keys (help, unwrapped type chain,
action class hierarchy, deprecation, value lists), which is then converted exactly
like a dump.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

# Longest default repr kept, as in the reference dumps (their reprs are cut at 200).
DEFAULT_MAX = 200

# Type callables known by name (the innermost name after unwrapping wrappers).
TYPE_NAMES = {
    "int": "int",
    "float": "float",
    "str": "str",
    "nullable_str": "str",
    "bool": "bool",
    "str2bool": "bool",
    "strtobool": "bool",
    "human_readable_int": "int",
    "loads": "json",
    "parse_dataclass": "json",
    "json_list_type": "json",
    "union_dict_and_str": "json",
}

# Wrappers whose inner type the live mode unwraps; from a dump they are guessed.
WRAPPERS = {"_optional_type", "_parse_type"}

# vLLM value lists validated after parsing, for --from-dump of vllm 0.33.0 only
# (copied from shared/reference/engines/NOTES.md; the live mode reads the package).
NOTES_SOURCE = "shared/reference/engines/NOTES.md"
VLLM_0_33_0_VALUES = {
    "--quantization": [
        "awq", "auto_awq", "fp8", "fbgemm_fp8", "fp_quant", "modelopt",
        "modelopt_fp4", "modelopt_mxfp8", "modelopt_mixed", "auto_gptq", "gptq",
        "gptq_marlin", "awq_marlin", "humming", "compressed-tensors", "experts_int8",
        "quark", "moe_wna16", "torchao", "inc", "mxfp4", "gpt_oss_mxfp4",
        "deepseek_v4_fp8", "online", "fp8_per_tensor", "fp8_per_block",
        "fp8_per_channel", "int8_per_channel_weight_only", "nvfp4_per_token", "mxfp8",
    ],
    "--kv-cache-dtype": [
        "auto", "float16", "bfloat16", "fp8", "fp8_e4m3", "fp8_e5m2", "fp8_inc",
        "fp8_ds_mla", "nvfp4_ds_mla", "turboquant_k8v4", "turboquant_4bit_nc",
        "turboquant_k3v4_nc", "turboquant_3bit_nc", "octave_k3v4", "octave_k3v3",
        "octave_k3v3_compact", "ultraquant_4bit", "int4_per_token_head",
        "int8_per_token_head", "fp8_per_token_head", "nvfp4", "nvfp4_4over6",
    ],
    # NOTES.md lists these and ends with "...": the list is partial.
    "--attention-backend": [
        "FLASH_ATTN", "TRITON_ATTN", "FLASHINFER", "FLASHINFER_MLA", "CUTLASS_MLA",
        "FLASHMLA", "TORCH_SDPA", "FLEX_ATTENTION",
    ],
}
VLLM_0_33_0_SOURCES = {
    "--quantization": NOTES_SOURCE + " (QUANTIZATION_METHODS)",
    "--kv-cache-dtype": NOTES_SOURCE + " (CacheDType, config/cache.py)",
    "--attention-backend": NOTES_SOURCE
    + " (AttentionBackendEnum; NOTES lists these and ends with '...', partial)",
}

# ---------------------------------------------------------------------------
# The script run inside the engine's interpreter (live mode). argv: ENGINE OUT.
# It must only use the standard library besides the engine itself.
LIVE_SCRIPT = r'''
import argparse, functools, importlib, inspect, json, os, sys, time, typing

engine, out = sys.argv[1], sys.argv[2]
t0 = time.time()
info = {}
if engine == "vllm":
    os.environ.setdefault("VLLM_TARGET_DEVICE", "cpu")
    # Without a GPU, vLLM 0.11 detects no platform (its CPU plugin wants a "+cpu"
    # build) and fails in DeviceConfig; fall back to the CPU platform then.
    import vllm.platforms as _plat
    _orig_resolve = getattr(_plat, "resolve_current_platform_cls_qualname", None)
    if _orig_resolve is not None and getattr(_plat, "_current_platform", 1) is None:
        def _resolve():
            q = _orig_resolve()
            if q.endswith("UnspecifiedPlatform"):
                info["platform_fallback"] = "vllm.platforms.cpu.CpuPlatform (none detected)"
                return "vllm.platforms.cpu.CpuPlatform"
            return q
        _plat.resolve_current_platform_cls_qualname = _resolve
    try:
        from vllm.utils.argparse_utils import FlexibleArgumentParser
        info["parser_class"] = "vllm.utils.argparse_utils.FlexibleArgumentParser"
    except ImportError:
        from vllm.utils import FlexibleArgumentParser
        info["parser_class"] = "vllm.utils.FlexibleArgumentParser"
    try:
        from vllm.entrypoints.common.cli_args import make_arg_parser
        info["make_arg_parser"] = "vllm.entrypoints.common.cli_args.make_arg_parser"
    except ImportError:
        from vllm.entrypoints.openai.cli_args import make_arg_parser
        info["make_arg_parser"] = "vllm.entrypoints.openai.cli_args.make_arg_parser"
    parser = make_arg_parser(FlexibleArgumentParser())
    import vllm
    info["package_version"] = getattr(vllm, "__version__", None)
elif engine == "sglang":
    from sglang.srt.server_args import ServerArgs
    parser = argparse.ArgumentParser()
    ServerArgs.add_cli_args(parser)
    info["make_arg_parser"] = "sglang.srt.server_args.ServerArgs.add_cli_args"
    try:
        from importlib.metadata import version as _v
        info["package_version"] = _v("sglang")
    except Exception:
        info["package_version"] = None
else:
    raise SystemExit("unknown engine " + engine)
import_s = time.time() - t0

site = None
def relpath(mod):
    f = getattr(mod, "__file__", None) or ""
    for p in sys.path:
        if p and f.startswith(p.rstrip("/") + "/") and "site-packages" in p:
            return f[len(p.rstrip("/")) + 1:]
    return f

def fname(fn):
    if fn is None:
        return "None"
    return getattr(fn, "__name__", None) or type(fn).__name__

def unwrap(fn):
    chain = []
    seen = 0
    while fn is not None and seen < 6:
        seen += 1
        chain.append(fname(fn))
        inner = None
        if isinstance(fn, functools.partial):
            inner = fn.func
        else:
            code = getattr(fn, "__code__", None)
            cl = getattr(fn, "__closure__", None)
            if code is not None and cl:
                cells = {}
                for k, c in zip(code.co_freevars, cl):
                    try:
                        cells[k] = c.cell_contents
                    except ValueError:
                        pass
                for k in ("return_type", "type_", "typ", "inner", "func", "fn", "f"):
                    if k in cells and callable(cells[k]):
                        inner = cells[k]
                        break
                else:
                    cands = [v for v in cells.values() if callable(v)]
                    if len(cands) == 1:
                        inner = cands[0]
        fn = inner
    return chain

def source_of(fn):
    try:
        return inspect.getsource(fn).strip()[:300]
    except Exception:
        return None

# vLLM's FlexibleArgumentParser keeps the actions added with deprecated=True
# (an instance attribute in 0.33, a class attribute in 0.11)
deprecated_actions = []
for holder in (parser, type(parser)):
    v = getattr(holder, "_deprecated", None)
    if isinstance(v, (set, list, tuple)):
        deprecated_actions.extend(v)

args = []
for a in parser._actions:
    rec = {
        "opts": list(a.option_strings),
        "dest": a.dest,
        "default": repr(a.default)[:200],
        "choices": None if a.choices is None else [str(c) for c in a.choices],
        "type": fname(a.type),
        "nargs": a.nargs,
        "action": type(a).__name__,
        "mro": [c.__name__ for c in type(a).__mro__],
        "type_chain": unwrap(a.type) if a.type is not None else [],
        "const": repr(a.const)[:200],
        "help": a.help if isinstance(a.help, str) else None,
        "metavar": a.metavar if isinstance(a.metavar, str) else None,
        # a set's order depends on the hash seed: the schema sorts these
        "choices_unordered": isinstance(a.choices, (set, frozenset)),
    }
    # option strings the parser accepts for this action but that are not in
    # its option_strings (vLLM 0.33's EnableDisableAction hides --no-enable-x)
    hidden = sorted(o for o, act in parser._option_string_actions.items()
                    if act is a and o not in a.option_strings)
    if hidden:
        rec["hidden_opts"] = hidden
    if rec["type"] == "<lambda>":
        rec["type_source"] = source_of(a.type)
    dep = getattr(a, "deprecated", None)
    if dep:
        rec["deprecated"] = dep if isinstance(dep, str) else "deprecated"
    elif any(a is d for d in deprecated_actions):
        rec["deprecated"] = "deprecated (added with deprecated=True)"
    elif "Deprecated" in type(a).__name__:
        new_flag = getattr(a, "new_flag", None)
        msg = None
        for attr in ("message", "deprecation_message", "msg"):
            v = getattr(a, attr, None)
            if isinstance(v, str) and v:
                msg = v
                break
        if msg is None and isinstance(new_flag, str) and new_flag:
            msg = "deprecated; use '%s' instead" % new_flag
        rec["deprecated"] = msg or "deprecated (%s)" % type(a).__name__
    args.append(rec)

values = {}
if engine == "vllm":
    def add(flag, vals, source):
        if any(flag in a.option_strings for a in parser._actions):
            values[flag] = {"values": [str(v) for v in vals], "source": source}
    try:
        qm = importlib.import_module("vllm.model_executor.layers.quantization")
        add("--quantization", list(qm.QUANTIZATION_METHODS),
            relpath(qm) + " QUANTIZATION_METHODS")
    except Exception as e:
        info["quantization_error"] = repr(e)
    for modname in ("vllm.config.cache", "vllm.config"):
        try:
            cm = importlib.import_module(modname)
            cd = getattr(cm, "CacheDType")
        except Exception:
            continue
        add("--kv-cache-dtype", list(typing.get_args(cd)),
            relpath(cm) + " CacheDType (typing.get_args)")
        break
    for modname in ("vllm.v1.attention.backends.registry",
                    "vllm.attention.backends.registry",
                    "vllm.platforms.interface"):
        try:
            am = importlib.import_module(modname)
        except Exception:
            continue
        for cls in ("AttentionBackendEnum", "_Backend"):
            enum = getattr(am, cls, None)
            if enum is not None:
                names = [m.name for m in enum]
                src = relpath(am) + " " + cls + " (member names)"
                try:
                    ac = importlib.import_module("vllm.config.attention")
                    vb = ac.AttentionConfig.validate_backend_before
                    if vb("auto") is None:
                        # the validator maps "auto" to None (automatic choice)
                        # and looks names up with value.upper()
                        names.append("auto")
                        src += ("; plus 'auto', and any letter case: "
                                + relpath(ac) + " AttentionConfig.validate_backend_before")
                except Exception:
                    pass
                add("--attention-backend", names, src)
                break
        if "--attention-backend" in values:
            break

json.dump({"version": info.get("package_version"), "import_s": import_s,
           "info": info, "args": args, "values": values}, open(out, "w"), indent=1)
'''

# ---------------------------------------------------------------------------
# Conversion (dump or live dump -> schema)

_ABBREV = re.compile(r"\b(e\.g|i\.e|etc|vs|cf|approx|resp|incl|Eq|Fig|No)\.$", re.I)


def first_sentence(text: str | None) -> str | None:
    """The help text's first sentence, whitespace collapsed."""
    if not text or text == argparse.SUPPRESS:
        return None
    t = " ".join(text.split())
    if not t:
        return None
    for m in re.finditer(r"[.!?](?=\s|$)", t):
        head = t[: m.end()]
        if _ABBREV.search(head):
            continue
        # a dot inside a version number or a path is followed by a non-space, so
        # only dots followed by whitespace/end reach here
        return head
    return t


def expand_help(help_text: str | None, rec: dict) -> str | None:
    """Expand argparse's %(default)s-style placeholders best-effort."""
    if not help_text or "%" not in help_text:
        return help_text
    params = {
        "default": _py_default(rec.get("default")),
        "dest": rec.get("dest"),
        "choices": ", ".join(rec.get("choices") or []),
        "prog": "",
        "metavar": rec.get("metavar"),
        "type": rec.get("type"),
        "nargs": rec.get("nargs"),
        "const": rec.get("const"),
        "option_strings": ", ".join(rec.get("opts") or []),
    }
    try:
        return help_text % params
    except Exception:
        return help_text


def _py_default(d):
    if d is None:
        return None
    if len(d) >= 2 and d[0] == d[-1] and d[0] in "'\"":
        return d[1:-1]
    return d


_ADDR = re.compile(r" at 0x[0-9a-fA-F]+")


def norm_default(d):
    """The dump's repr string, or None for None / argparse.SUPPRESS."""
    if d is None or d == "None" or d == repr(argparse.SUPPRESS):
        return None
    d = _ADDR.sub("", d)
    return d[:DEFAULT_MAX]


def _is_int(s: str) -> bool:
    return re.fullmatch(r"-?\d+", s) is not None


def _is_float(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def guess_from_default_and_choices(default, choices, nargs):
    """Best-effort type of a wrapped callable we cannot see (dump mode)."""
    if choices:
        cs = [c for c in choices if c != "None"]
        if cs and all(_is_int(c) for c in cs):
            return "int"
        return "str"
    d = norm_default(default)
    if d is None:
        return "any"
    if nargs in ("+", "*") or isinstance(nargs, int) and nargs > 1:
        # a list default says nothing about the element type unless it has one
        m = re.fullmatch(r"\[(.*)\]", d)
        if m and m.group(1).strip():
            first = m.group(1).split(",")[0].strip()
            d = first
        else:
            return "any"
    if d in ("True", "False"):
        return "bool"
    if _is_int(d):
        return "int"
    if _is_float(d):
        return "float"
    if len(d) >= 2 and d[0] == d[-1] and d[0] in "'\"":
        return "str"
    if d[:1] in "{[":
        return "json"
    return "any"


def classify_type(rec: dict, kind: str) -> str:
    if kind != "value":
        # zero-argument flags: a bool when they store a bool
        if kind in ("switch", "negatable"):
            return "bool"
        return "bool" if rec.get("const") in ("True", "False") else "any"
    chain = rec.get("type_chain") or [rec.get("type") or "None"]
    choices = rec.get("choices")
    # the innermost name that is not a wrapper
    inner = None
    for name in reversed(chain):
        if name not in WRAPPERS:
            inner = name
            break
    if inner is None:
        # dump mode: wrapper with unknown inner type
        if chain[-1] == "_parse_type" and (norm_default(rec.get("default")) or "")[:1] in "{[":
            return "json"
        return guess_from_default_and_choices(rec.get("default"), choices, rec.get("nargs"))
    if inner == "None":
        return "str"  # argparse without type= keeps the string
    if inner in TYPE_NAMES:
        return TYPE_NAMES[inner]
    if choices:
        cs = [c for c in choices if c != "None"]
        if cs and all(_is_int(c) for c in cs):
            return "int"
        return "str"
    return "any"


NEGATABLE_CLASSES = {"BooleanOptionalAction", "EnableDisableAction"}
SWITCH_CLASSES = {"_StoreTrueAction"}
SKIP_CLASSES = {"_HelpAction", "_VersionAction", "_SubParsersAction"}


def classify_kind(rec: dict) -> str:
    mro = set(rec.get("mro") or [rec["action"]])
    name = rec["action"]
    if rec.get("nargs") != 0:
        return "value"
    if mro & NEGATABLE_CLASSES or "BooleanOptional" in name or "EnableDisable" in name:
        return "negatable"
    if mro & SWITCH_CLASSES or "StoreTrue" in name:
        return "switch"
    if "const" in rec and rec.get("const") == "True" and "Const" not in name:
        return "switch"
    return "const"


def split_opts(opts: list[str], kind: str):
    """(name, aliases, negative) of an action's option strings."""
    negatives = []
    if kind == "negatable":
        for o in opts:
            if o.startswith("--no-") and ("--" + o[5:]) in opts:
                negatives.append(o)
            elif o.startswith("--disable-") and ("--enable-" + o[10:]) in opts:
                negatives.append(o)
        if not negatives:
            negatives = [o for o in opts if o.startswith("--no-")]
    positives = [o for o in opts if o not in negatives]
    longs = [o for o in positives if o.startswith("--")]
    name = longs[0] if longs else positives[0]
    aliases = [o for o in positives if o != name]
    negative = negatives[0] if negatives else None
    if len(negatives) > 1:
        print(f"warning: {name}: several negative forms {negatives}; extra ones kept "
              "as aliases", file=sys.stderr)
        aliases += negatives[1:]
    return name, aliases, negative


def _choices(rec: dict):
    if rec.get("choices") is None:
        return None
    cs = [str(c) for c in rec["choices"]]
    return sorted(cs) if rec.get("choices_unordered") else cs


def convert(dump: dict, engine: str, version: str, source: str,
            values: dict | None) -> dict:
    flags = []
    positionals = []
    names = set()
    for rec in dump["args"]:
        if rec["action"] in SKIP_CLASSES or set(rec.get("mro") or []) & SKIP_CLASSES:
            continue
        if not rec["opts"]:
            positionals.append(rec["dest"])
            continue
        kind = classify_kind(rec)
        name, aliases, negative = split_opts(rec["opts"], kind)
        if name in names:
            raise SystemExit(f"duplicate flag {name}")
        names.add(name)
        help_text = first_sentence(expand_help(rec.get("help"), rec))
        deprecated = rec.get("deprecated")
        if deprecated is None and "Deprecated" in rec["action"]:
            deprecated = f"deprecated ({rec['action']})"
        nargs = rec.get("nargs")
        flags.append({
            "name": name,
            "aliases": aliases,
            "dest": rec["dest"],
            "kind": kind,
            "type": classify_type(rec, kind),
            "nargs": nargs,
            "default": norm_default(rec.get("default")),
            "choices": _choices(rec),
            "negative": negative,
            "deprecated": deprecated,
            "help": help_text,
        })
    flags.sort(key=lambda f: f["name"])
    out = {
        "engine": engine,
        "version": version,
        "source": source,
        "flags": flags,
        "values": {k: values[k] for k in sorted(values or {})},
    }
    if positionals:
        out["positionals"] = positionals
    return out


def write_json(obj, path):
    text = json.dumps(obj, indent=1, ensure_ascii=False) + "\n"
    if path == "-":
        sys.stdout.write(text)
        return
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def display_path(path: str) -> str:
    """A path relative to the repository's parent (/work), as NOTES.md names files."""
    here = os.path.dirname(os.path.abspath(__file__))
    base = os.path.dirname(os.path.dirname(here))
    rel = os.path.relpath(os.path.abspath(path), base)
    return path if rel.startswith("..") else rel


def parser_source(engine: str, version: str, info: dict | None = None) -> str:
    if engine == "vllm":
        fn = (info or {}).get("make_arg_parser") or (
            "vllm.entrypoints.common.cli_args.make_arg_parser"
            if _vtuple(version) >= (0, 12) else
            "vllm.entrypoints.openai.cli_args.make_arg_parser")
    else:
        fn = (info or {}).get("make_arg_parser") or "sglang.srt.server_args.ServerArgs.add_cli_args"
    return f"{engine}=={version} from PyPI: {fn}"


def _vtuple(v: str):
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


# ---------------------------------------------------------------------------
# Comparing a live dump with a reference dump


def compare_dumps(live: dict, ref: dict) -> list[str]:
    def key(rec):
        return tuple(rec["opts"]) if rec["opts"] else ("<positional>", rec["dest"])

    def by_opt(d):
        m = {}
        for rec in d["args"]:
            m[key(rec)] = rec
        return m

    lm, rm = by_opt(live), by_opt(ref)
    out = []
    for k in sorted(set(rm) - set(lm)):
        out.append(f"only in reference: {' '.join(k)}")
    for k in sorted(set(lm) - set(rm)):
        out.append(f"only in live: {' '.join(k)}")
    for k in sorted(set(lm) & set(rm)):
        a, b = lm[k], rm[k]
        for field in ("dest", "default", "choices", "type", "nargs", "action"):
            if a.get(field) != b.get(field):
                if (field == "choices" and a.get(field) and b.get(field)
                        and sorted(a[field]) == sorted(b[field])):
                    out.append(f"{' '.join(k)}: choices: same set, other order"
                               + (" (a Python set: order follows the hash seed)"
                                  if a.get("choices_unordered") else ""))
                    continue
                out.append(f"{' '.join(k)}: {field}: live {a.get(field)!r} != reference {b.get(field)!r}")
    return out


def run_live(engine: str, python: str, timeout: int) -> dict:
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = "0"
    if engine == "vllm":
        env["VLLM_TARGET_DEVICE"] = "cpu"
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "dump_parser.py")
        out = os.path.join(tmp, "dump.json")
        with open(script, "w") as f:
            f.write(LIVE_SCRIPT)
        # vLLM reads its help texts (config docstrings) only when some argv
        # element contains "--help" (engine/arg_utils.py NEEDS_HELP); the extra
        # argument turns that on without "serve"+"--help", which drops --model.
        proc = subprocess.run([python, script, engine, out, "docs--help"], env=env, cwd=tmp,
                              capture_output=True, text=True, timeout=timeout)
        if proc.returncode != 0 or not os.path.exists(out):
            sys.stderr.write(proc.stdout[-4000:])
            sys.stderr.write(proc.stderr[-8000:])
            raise SystemExit(f"{python}: importing {engine} failed (exit {proc.returncode})")
        with open(out) as f:
            return json.load(f)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--engine", required=True, choices=["vllm", "sglang"])
    ap.add_argument("--version", required=True, help="engine version, e.g. 0.33.0")
    ap.add_argument("--from-dump", metavar="DUMP.json",
                    help="convert this argparse dump instead of importing the engine")
    ap.add_argument("--python", help="interpreter with the engine installed "
                    "(default /work/venvs/<engine>-<version>/bin/python)")
    ap.add_argument("-o", "--output", required=True, help="schema file to write, or -")
    ap.add_argument("--raw-out", metavar="RAW.json",
                    help="live mode: also write the raw dump (reference format + extras)")
    ap.add_argument("--compare-dump", metavar="DUMP.json",
                    help="live mode: print differences to this reference dump")
    ap.add_argument("--timeout", type=int, default=900)
    args = ap.parse_args(argv)

    if args.from_dump:
        with open(args.from_dump) as f:
            dump = json.load(f)
        if dump.get("version") and dump["version"] != args.version:
            raise SystemExit(f"dump is of version {dump['version']}, not {args.version}")
        values = {}
        if args.engine == "vllm":
            if args.version == "0.33.0":
                values = {k: {"values": v, "source": VLLM_0_33_0_SOURCES[k]}
                          for k, v in VLLM_0_33_0_VALUES.items()}
            else:
                print("warning: no value lists for a vLLM dump other than 0.33.0; "
                      "run the live mode for them", file=sys.stderr)
        source = (f"{display_path(args.from_dump)}: argparse dump of "
                  f"{parser_source(args.engine, args.version)}")
        schema = convert(dump, args.engine, args.version, source, values)
    else:
        python = args.python or f"/work/venvs/{args.engine}-{args.version}/bin/python"
        dump = run_live(args.engine, python, args.timeout)
        got = dump.get("version")
        if got and got.split("+")[0] != args.version:
            raise SystemExit(f"{python} has {args.engine} {got}, not {args.version}")
        if args.raw_out:
            write_json(dump, args.raw_out)
        schema = convert(dump, args.engine, args.version,
                         parser_source(args.engine, args.version, dump.get("info")),
                         dump.get("values") or {})
        if args.compare_dump:
            with open(args.compare_dump) as f:
                ref = json.load(f)
            diffs = compare_dumps(dump, ref)
            print(f"{len(diffs)} differences to {args.compare_dump}")
            for d in diffs:
                print("  " + d)
    write_json(schema, args.output)
    hidden = [o for rec in dump["args"] for o in rec.get("hidden_opts") or []]
    if hidden:
        print(f"note: {len(hidden)} hidden option strings are accepted by the parser but "
              f"not written to the schema (format has no place for them), e.g. "
              f"{', '.join(hidden[:4])}", file=sys.stderr)
    n = len(schema["flags"])
    print(f"wrote {args.output}: {n} flags, {len(schema.get('positionals', []))} "
          f"positionals, values for {sorted(schema['values'])}", file=sys.stderr)


if __name__ == "__main__":
    main()
