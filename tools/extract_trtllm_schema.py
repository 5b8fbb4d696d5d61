#!/usr/bin/env python3
"""Write TensorRT-LLM's flag schema (stdlib/engines/trtllm/<version>.schema.json)
from a source checkout, without importing tensorrt_llm (its wheel cannot be
installed here).

  extract_trtllm_schema.py SRC_CHECKOUT_OR_GIT_DIR --ref v1.2.0 -o OUT \
      [--version 1.2.0] [--subdir PATH] [--label TEXT]

SRC is a work tree or a git directory (bare mirrors included). With a git
directory, or a work tree that is a git checkout, every file is read at --ref
(`git show REF:path`); a plain directory is read as it is (the ref is then only
recorded). --subdir names the folder that holds `tensorrt_llm/` when it is not at
the root (a vendored copy).

What is read, all with Python's `ast` (nothing is imported or executed):
  - tensorrt_llm/commands/serve.py: the click options of the `serve` command
    (`trtllm-serve`); defaults such as `BuildConfig.model_fields["x"].default`
    and choices such as `click.Choice(severity_map.keys())` are resolved by
    following the `from ... import` lines to the module that defines the name;
  - tensorrt_llm/llmapi/llm_args.py: the pydantic model `TorchLlmArgs` (the
    PyTorch backend, trtllm-serve's default) and its bases: every field becomes a
    YAML key of the options file (`--config` / `--extra_llm_api_options`), and the
    fields of nested models (kv_cache_config, cuda_graph_config, moe_config, ...)
    become dotted keys;
  - value lists that are checked outside pydantic: `kv_cache_config.dtype`
    (`_VALID_KV_CACHE_DTYPES` in tensorrt_llm/_torch/pyexecutor/model_loader.py)
    and `attn_backend` (the names `get_attention_backend` compares in
    tensorrt_llm/_torch/attention_backend/utils.py; unknown names fall back to
    TRTLLM there).

The output format is stdlib/README.md's, plus a top-level "yaml" list
({key, type, choices, default, help, status}); the "source" string names every
file read, with the ref and the commit it resolved to.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import subprocess
import sys

SERVE = "tensorrt_llm/commands/serve.py"
LLM_ARGS = "tensorrt_llm/llmapi/llm_args.py"
MODEL_LOADER = "tensorrt_llm/_torch/pyexecutor/model_loader.py"
ATTN_UTILS = "tensorrt_llm/_torch/attention_backend/utils.py"
VERSION_PY = "tensorrt_llm/version.py"

# pydantic model whose fields the YAML options file of trtllm-serve accepts.
YAML_MODEL = "TorchLlmArgs"
# Python type names and what the schema calls them.
PY_TYPES = {"int": "int", "float": "float", "str": "str", "bool": "bool"}
CLICK_TYPES = {"INT": "int", "FLOAT": "float", "STRING": "str", "BOOL": "bool"}
# The help of a trtllm-serve option is wrapped in this call (text, stability tag).
HELP_WRAPPER = "help_info_with_stability_tag"


class Unresolved(Exception):
    pass


# ---------------------------------------------------------------------------
# Reading files at a ref


class Source:
    def __init__(self, root: str, ref: str | None, subdir: str = ""):
        self.root = os.path.abspath(root)
        self.ref = ref
        self.subdir = subdir.strip("/")
        self.read_order: list[str] = []
        self._cache: dict[str, str | None] = {}
        self.git_dir = self._find_git_dir()
        self.commit = None
        if self.git_dir and ref:
            self.commit = self._git("rev-parse", "--verify", ref + "^{commit}").strip()
        elif self.git_dir is None and ref:
            print(f"warning: {root} is not a git directory; --ref {ref} is only recorded",
                  file=sys.stderr)

    def _find_git_dir(self) -> str | None:
        if os.path.isdir(os.path.join(self.root, ".git")):
            return os.path.join(self.root, ".git")
        if os.path.isfile(os.path.join(self.root, "HEAD")) and os.path.isdir(
                os.path.join(self.root, "objects")):
            return self.root
        return None

    def _git(self, *args: str) -> str:
        out = subprocess.run(["git", "--git-dir", self.git_dir, *args],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise FileNotFoundError(out.stderr.strip())
        return out.stdout

    def path(self, rel: str) -> str:
        return f"{self.subdir}/{rel}" if self.subdir else rel

    def read(self, rel: str, required: bool = True) -> str | None:
        if rel in self._cache:
            return self._cache[rel]
        text = None
        try:
            if self.git_dir and self.ref:
                text = self._git("show", f"{self.commit}:{self.path(rel)}")
            else:
                with open(os.path.join(self.root, self.path(rel)), encoding="utf-8") as f:
                    text = f.read()
        except (FileNotFoundError, OSError):
            text = None
        self._cache[rel] = text
        if text is None:
            if required:
                sys.exit(f"error: cannot read {self.path(rel)} at {self.ref or self.root}")
        elif rel not in self.read_order:
            self.read_order.append(rel)
        return text


# ---------------------------------------------------------------------------
# Modules and names


class Module:
    """One parsed Python file and what it defines or imports at top level."""

    def __init__(self, src: Source, rel: str, tree: ast.Module):
        self.src, self.rel, self.tree = src, rel, tree
        self.classes = {n.name: n for n in tree.body if isinstance(n, ast.ClassDef)}
        self.functions = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        self.assigns: dict[str, ast.AST] = {}
        for n in tree.body:
            if isinstance(n, ast.Assign):
                for t in n.targets:
                    if isinstance(t, ast.Name):
                        self.assigns[t.id] = n.value
            elif isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name) and n.value:
                self.assigns[n.target.id] = n.value
        # name -> (module dotted path, original name)
        self.imports: dict[str, tuple[str, str]] = {}
        pkg = rel[:-len(".py")].replace("/", ".")
        if rel.endswith("/__init__.py"):
            pkg = rel[:-len("/__init__.py")].replace("/", ".") + ".__init__"
        for n in ast.walk(tree):
            if isinstance(n, ast.ImportFrom):
                base = n.module or ""
                if n.level:
                    parts = pkg.split(".")[:-n.level]
                    base = ".".join(parts + ([n.module] if n.module else []))
                for a in n.names:
                    self.imports.setdefault(a.asname or a.name, (base, a.name))


class Resolver:
    def __init__(self, src: Source):
        self.src = src
        self.modules: dict[str, Module | None] = {}

    def module(self, rel: str, required: bool = False) -> Module | None:
        if rel not in self.modules:
            text = self.src.read(rel, required=required)
            self.modules[rel] = Module(self.src, rel, ast.parse(text)) if text else None
        return self.modules[rel]

    def module_of(self, dotted: str) -> Module | None:
        base = dotted.replace(".", "/")
        for rel in (base + ".py", base + "/__init__.py"):
            m = self.module(rel)
            if m:
                return m
        return None

    def lookup(self, mod: Module, name: str, depth: int = 0):
        """The (module, node kind, node) that defines `name` as seen from `mod`."""
        if depth > 6:
            raise Unresolved(name)
        if name in mod.classes:
            return mod, "class", mod.classes[name]
        if name in mod.functions:
            return mod, "function", mod.functions[name]
        if name in mod.assigns:
            return mod, "value", mod.assigns[name]
        if name in mod.imports:
            dotted, orig = mod.imports[name]
            target = self.module_of(dotted)
            if target is None:
                # `from pkg import submodule`
                target = self.module_of(f"{dotted}.{orig}")
                if target is not None:
                    return target, "module", None
                raise Unresolved(f"{name} (from {dotted})")
            return self.lookup(target, orig, depth + 1)
        raise Unresolved(name)


# ---------------------------------------------------------------------------
# Evaluating the small expressions that click options and pydantic fields use


def literal(node):
    return ast.literal_eval(node)


def strings(node) -> str:
    """A string literal, implicit or `+` concatenation included."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return strings(node.left) + strings(node.right)
    raise Unresolved(ast.unparse(node))


def dotted(node) -> str:
    return ast.unparse(node)


class Evaluator:
    def __init__(self, res: Resolver, mod: Module):
        self.res, self.mod = res, mod

    def value(self, node):
        """A Python value for a default; raises Unresolved."""
        try:
            return literal(node)
        except (ValueError, TypeError, SyntaxError):
            pass
        # Cls.model_fields["x"].default  (pydantic)
        if (isinstance(node, ast.Attribute) and node.attr == "default"
                and isinstance(node.value, ast.Subscript)
                and isinstance(node.value.value, ast.Attribute)
                and node.value.value.attr == "model_fields"
                and isinstance(node.value.value.value, ast.Name)):
            cls_name = node.value.value.value.id
            field = literal(node.value.slice)
            m, kind, cls = self.res.lookup(self.mod, cls_name)
            if kind != "class":
                raise Unresolved(cls_name)
            fields = ModelFields(self.res, m).fields(cls)
            if field not in fields:
                raise Unresolved(f"{cls_name}.{field}")
            f = fields[field]
            if f["default_kind"] != "value":
                raise Unresolved(f"{cls_name}.{field} default")
            return f["default"]
        if isinstance(node, ast.Name):
            m, kind, val = self.res.lookup(self.mod, node.id)
            if kind == "value":
                return Evaluator(self.res, m).value(val)
        raise Unresolved(ast.unparse(node))

    def keys(self, node) -> list[str]:
        """Keys of a dict that `node` names (X, Cls.attr) or is."""
        if isinstance(node, ast.Dict):
            return [literal(k) for k in node.keys]
        if isinstance(node, ast.Name):
            m, kind, val = self.res.lookup(self.mod, node.id)
            if kind == "value":
                return Evaluator(self.res, m).keys(val)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            m, kind, cls = self.res.lookup(self.mod, node.value.id)
            if kind == "class":
                for stmt in cls.body:
                    targets = []
                    if isinstance(stmt, ast.Assign):
                        targets = [t.id for t in stmt.targets if isinstance(t, ast.Name)]
                    elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                        targets = [stmt.target.id]
                    if node.attr in targets and stmt.value is not None:
                        return Evaluator(self.res, m).keys(stmt.value)
        raise Unresolved(ast.unparse(node))

    def choices(self, node) -> list[str]:
        """click.Choice's argument: a literal sequence or `<dict>.keys()`."""
        try:
            return [str(v) for v in literal(node)]
        except (ValueError, TypeError, SyntaxError):
            pass
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "keys" and not node.args):
            return [str(k) for k in self.keys(node.func.value)]
        if isinstance(node, ast.Call) and dotted(node.func) in ("list", "tuple", "sorted"):
            return self.choices(node.args[0])
        raise Unresolved(ast.unparse(node))


# ---------------------------------------------------------------------------
# click options of `serve`


def first_sentence(text: str | None) -> str | None:
    if not text:
        return None
    text = " ".join(text.split())
    m = re.search(r"(?<=[.!?])\s", text)
    return text[: m.start()] if m else text


def click_type(ev: Evaluator, node) -> tuple[str, list[str] | None, dict | None]:
    """(type, choices, value aliases) of a click `type=`."""
    if node is None:
        return "str", None, None
    if isinstance(node, ast.Name):
        if node.id in PY_TYPES:
            return PY_TYPES[node.id], None, None
    name = dotted(node.func if isinstance(node, ast.Call) else node)
    short = name.split(".")[-1]
    if short in CLICK_TYPES:
        return CLICK_TYPES[short], None, None
    if isinstance(node, ast.Call):
        if short in ("Path", "File"):
            return "str", None, None
        if short == "IntRange":
            return "int", None, None
        if short == "FloatRange":
            return "float", None, None
        if short == "Choice" and node.args:
            return "str", ev.choices(node.args[0]), None
        # a click.Choice subclass defined next to the command (ChoiceWithAlias)
        if isinstance(node.func, ast.Name):
            try:
                _, kind, cls = ev.res.lookup(ev.mod, node.func.id)
            except Unresolved:
                kind, cls = None, None
            if kind == "class" and any(dotted(b).endswith("Choice") for b in cls.bases):
                choices = ev.choices(node.args[0])
                aliases = None
                if len(node.args) > 1 and isinstance(node.args[1], ast.Dict):
                    aliases = {literal(k): literal(v)
                               for k, v in zip(node.args[1].keys, node.args[1].values)}
                return "str", choices, aliases
    return "any", None, None


def click_param_name(decls: list[str]) -> tuple[str | None, list[str]]:
    """click's rule: a declaration without dashes is the name; else the first
    option with the longest prefix, dashes stripped, '-' -> '_'."""
    name, opts = None, []
    for d in decls:
        if d.isidentifier():
            name = d
        else:
            opts.append(d)
    if name is None and opts:
        firsts = [o.split("/")[0] for o in opts]
        best = max(firsts, key=lambda o: len(o) - len(o.lstrip("-")))
        name = best.lstrip("-").replace("-", "_").lower()
    return name, opts


def serve_flags(res: Resolver, warnings: list[str]):
    mod = res.module(SERVE, required=True)
    ev = Evaluator(res, mod)
    func = None
    for node in mod.tree.body:
        if isinstance(node, ast.FunctionDef):
            for dec in node.decorator_list:
                if (isinstance(dec, ast.Call) and dotted(dec.func).endswith("command")
                        and dec.args and isinstance(dec.args[0], ast.Constant)
                        and dec.args[0].value == "serve"):
                    func = node
    if func is None:
        sys.exit(f"error: no @click.command(\"serve\") in {SERVE}")

    flags, positionals = [], []
    for dec in func.decorator_list:  # written order = --help order
        if not isinstance(dec, ast.Call):
            continue
        kind = dotted(dec.func).split(".")[-1]
        if kind == "argument":
            positionals.append(literal(dec.args[0]))
            continue
        if kind != "option":
            continue
        decls = [literal(a) for a in dec.args]
        kw = {k.arg: k.value for k in dec.keywords}
        dest, opts = click_param_name(decls)
        primary, negative = [], None
        for o in opts:
            if "/" in o:
                on, off = o.split("/", 1)
                primary.append(on)
                negative = off
            else:
                primary.append(o)
        longs = [o for o in primary if o.startswith("--")]
        name = longs[0] if longs else primary[0]
        aliases = [o for o in primary if o != name]
        line = dec.lineno

        is_flag = kw.get("is_flag")
        is_flag = literal(is_flag) if is_flag is not None else None
        if is_flag is None:
            is_flag = negative is not None or "flag_value" in kw
        if negative is not None:
            fkind = "negatable"
        elif is_flag and "flag_value" in kw:
            fkind = "const"
        elif is_flag:
            fkind = "switch"
        else:
            fkind = "value"

        try:
            ftype, choices, value_aliases = click_type(ev, kw.get("type"))
        except Unresolved as e:
            warnings.append(f"{name}: type not resolved ({e})")
            ftype, choices, value_aliases = "any", None, None
        if fkind in ("switch", "negatable"):
            ftype = "bool"
        elif kw.get("type") is None and "default" in kw:
            try:
                d = ev.value(kw["default"])
                ftype = {int: "int", float: "float", bool: "bool"}.get(type(d), "str")
            except Unresolved:
                pass

        default = None
        if "default" in kw:
            try:
                d = ev.value(kw["default"])
                default = None if d is None else repr(d)
            except Unresolved as e:
                warnings.append(f"{name}: default not resolved ({e})")
                default = ast.unparse(kw["default"])
        elif fkind in ("switch", "negatable"):
            default = "False"

        help_text, stability = None, None
        if "help" in kw:
            h = kw["help"]
            try:
                if isinstance(h, ast.Call) and dotted(h.func) == HELP_WRAPPER:
                    help_text = strings(h.args[0])
                    tag = h.args[1] if len(h.args) > 1 else next(
                        (k.value for k in h.keywords if k.arg == "tag"), None)
                    stability = literal(tag) if tag is not None else None
                else:
                    help_text = strings(h)
            except Unresolved as e:
                warnings.append(f"{name}: help not resolved ({e})")
        deprecated = None
        if stability == "deprecated":
            deprecated = first_sentence(help_text) or "deprecated"
        if "deprecated" in kw:
            try:
                dv = literal(kw["deprecated"])
                if dv:
                    deprecated = dv if isinstance(dv, str) else "deprecated"
            except ValueError:
                deprecated = "deprecated"

        nargs = literal(kw["nargs"]) if "nargs" in kw else None
        if nargs == 1:
            nargs = None
        flag = {
            "name": name,
            "aliases": aliases,
            "dest": dest,
            "kind": fkind,
            "type": ftype,
            "nargs": nargs,
            "default": default,
            "choices": None if choices is None else
            choices + [a for a in (value_aliases or {}) if a not in choices],
            "negative": negative,
            "deprecated": deprecated,
            "help": first_sentence(help_text),
        }
        if value_aliases:
            flag["value_aliases"] = value_aliases
        if "multiple" in kw and literal(kw["multiple"]):
            flag["multiple"] = True
        if "hidden" in kw and literal(kw["hidden"]):
            flag["hidden"] = True
        if stability:
            flag["stability"] = stability
        flag["line"] = line
        flags.append(flag)
    return flags, positionals, func.lineno


# ---------------------------------------------------------------------------
# pydantic models -> YAML keys


def unwrap_annotation(node):
    """Optional[X] / Union[X, None] / X | None -> X; returns (node, optional)."""
    if isinstance(node, ast.Subscript) and dotted(node.value).split(".")[-1] == "Optional":
        return node.slice, True
    if isinstance(node, ast.Subscript) and dotted(node.value).split(".")[-1] == "Union":
        elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        rest = [e for e in elts if not (isinstance(e, ast.Constant) and e.value is None)]
        if len(rest) == 1 and len(rest) != len(elts):
            return rest[0], True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        sides = [node.left, node.right]
        rest = [s for s in sides if not (isinstance(s, ast.Constant) and s.value is None)]
        if len(rest) == 1:
            return rest[0], True
    return node, False


class ModelFields:
    def __init__(self, res: Resolver, mod: Module):
        self.res, self.mod = res, mod

    def bases(self, cls: ast.ClassDef):
        """(module, class) of the bases that are classes we can read."""
        out = []
        for b in cls.bases:
            if isinstance(b, ast.Name):
                try:
                    m, kind, node = self.res.lookup(self.mod, b.id)
                except Unresolved:
                    continue
                if kind == "class":
                    out.append((m, node))
        return out

    def is_model(self, m: Module, cls: ast.ClassDef, depth=0) -> bool:
        if depth > 8:
            return False
        for b in cls.bases:
            if dotted(b).split(".")[-1] in ("BaseModel", "StrictBaseModel"):
                return True
        return any(ModelFields(self.res, bm).is_model(bm, bc, depth + 1)
                   for bm, bc in self.bases(cls))

    def fields(self, cls: ast.ClassDef) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for bm, bc in reversed(self.bases(cls)):
            out.update(ModelFields(self.res, bm).fields(bc))
        for stmt in cls.body:
            if not (isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name)):
                continue
            fname = stmt.target.id
            if fname.startswith("_"):
                continue
            value = stmt.value
            if isinstance(value, ast.Call) and dotted(value.func).split(".")[-1] == "PrivateAttr":
                continue
            info = {"annotation": stmt.annotation, "module": self.mod, "line": stmt.lineno,
                    "default_kind": "required", "default": None, "help": None,
                    "status": None, "class": cls.name}
            if value is None:
                pass
            elif isinstance(value, ast.Call) and dotted(value.func).split(".")[-1] == "Field":
                kws = {k.arg: k.value for k in value.keywords}
                dnode = kws.get("default", value.args[0] if value.args else None)
                if dnode is not None and not (isinstance(dnode, ast.Constant)
                                              and dnode.value is Ellipsis):
                    self._set_default(info, dnode)
                elif "default_factory" in kws:
                    info["default_kind"] = "factory"
                    info["default"] = dotted(kws["default_factory"])
                if "description" in kws:
                    try:
                        info["help"] = strings(kws["description"])
                    except Unresolved:
                        pass
                if "status" in kws:
                    try:
                        info["status"] = literal(kws["status"])
                    except ValueError:
                        pass
            else:
                self._set_default(info, value)
            out[fname] = info
        return out

    def _set_default(self, info, node):
        try:
            v = Evaluator(self.res, self.mod).value(node)
            info["default_kind"], info["default"] = "value", v
        except Unresolved:
            # an enum member or another expression: keep its text
            info["default_kind"], info["default"] = "expr", ast.unparse(node)

    def describe(self, ann) -> tuple[str, list[str] | None, tuple | None]:
        """(type, choices, nested (module, class)) of an annotation."""
        node, _ = unwrap_annotation(ann)
        head = dotted(node.value if isinstance(node, ast.Subscript) else node).split(".")[-1]
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            # a forward reference written as a string
            try:
                node = ast.parse(node.value, mode="eval").body
                return self.describe(node)
            except SyntaxError:
                return "any", None, None
        if head in PY_TYPES and not isinstance(node, ast.Subscript):
            return PY_TYPES[head], None, None
        if head == "Literal":
            elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            vals = [literal(e) for e in elts]
            kinds = {type(v) for v in vals}
            t = "str" if kinds == {str} else "int" if kinds == {int} else "any"
            return t, [str(v) for v in vals], None
        if head in ("List", "list", "Tuple", "tuple", "Set", "set", "Sequence"):
            return "list", None, None
        if head in ("Dict", "dict", "Mapping"):
            return "dict", None, None
        if head == "Path":
            return "str", None, None
        if head == "Union":
            return "any", None, None
        if isinstance(node, ast.Name):
            try:
                m, kind, cls = self.res.lookup(self.mod, node.id)
            except Unresolved:
                return "any", None, None
            if kind == "class":
                if self.is_model(m, cls):
                    return "object", None, (m, cls)
                enum_vals = enum_values(cls)
                if enum_vals is not None:
                    return "str", enum_vals, None
        return "any", None, None


def enum_values(cls: ast.ClassDef) -> list[str] | None:
    if not any(dotted(b).split(".")[-1] in ("Enum", "StrEnum", "IntEnum") for b in cls.bases):
        return None
    vals = []
    for stmt in cls.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name):
            try:
                v = literal(stmt.value)
            except ValueError:
                v = stmt.targets[0].id
            vals.append(str(v))
    return vals


def json_default(info):
    if info["default_kind"] == "value":
        v = info["default"]
        try:
            json.dumps(v)
            return v
        except TypeError:
            return repr(v)
    if info["default_kind"] == "expr":
        return info["default"]
    return None


def yaml_keys(res: Resolver, warnings: list[str]):
    mod = res.module(LLM_ARGS, required=True)
    if YAML_MODEL not in mod.classes:
        sys.exit(f"error: no class {YAML_MODEL} in {LLM_ARGS}")
    mf = ModelFields(res, mod)
    keys, lines = [], {}

    def add(key, info, mf_of):
        t, choices, nested = mf_of.describe(info["annotation"])
        entry = {"key": key, "type": t, "choices": choices, "default": json_default(info),
                 "help": first_sentence(info["help"])}
        if info["status"]:
            entry["status"] = info["status"]
        entry["defined"] = f"{info['module'].rel}:{info['line']} {info['class']}"
        keys.append(entry)
        return nested

    for fname, info in mf.fields(mod.classes[YAML_MODEL]).items():
        nested = add(fname, info, ModelFields(res, info["module"]))
        if nested:
            nm, ncls = nested
            for sub, sinfo in ModelFields(res, nm).fields(ncls).items():
                add(f"{fname}.{sub}", sinfo, ModelFields(res, sinfo["module"]))
    return keys


def valid_kv_cache_dtypes(res: Resolver, warnings: list[str]):
    m = res.module(MODEL_LOADER)
    if m is None or "_VALID_KV_CACHE_DTYPES" not in m.assigns:
        warnings.append(f"_VALID_KV_CACHE_DTYPES not found in {MODEL_LOADER}")
        return None, None
    node = m.assigns["_VALID_KV_CACHE_DTYPES"]
    return [str(v) for v in literal(node)], node.lineno


def attention_backends(res: Resolver, warnings: list[str]):
    m = res.module(ATTN_UTILS)
    if m is None or "get_attention_backend" not in m.functions:
        warnings.append(f"get_attention_backend not found in {ATTN_UTILS}")
        return None, None
    fn = m.functions["get_attention_backend"]
    arg = fn.args.args[0].arg
    names = []
    for node in ast.walk(fn):
        if (isinstance(node, ast.Compare) and isinstance(node.left, ast.Name)
                and node.left.id == arg and isinstance(node.ops[0], ast.Eq)
                and isinstance(node.comparators[0], ast.Constant)):
            if node.comparators[0].value not in names:
                names.append(node.comparators[0].value)
    return names, fn.lineno


# ---------------------------------------------------------------------------


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("src", help="TensorRT-LLM work tree or git directory")
    ap.add_argument("--ref", help="git ref to read (tag, branch, commit)")
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("--version", help="the stdlib version label (default: tensorrt_llm/version.py)")
    ap.add_argument("--subdir", default="", help="folder holding tensorrt_llm/ inside SRC")
    ap.add_argument("--label", help="how to name SRC in `source` (default: its path)")
    args = ap.parse_args(argv)

    src = Source(args.src, args.ref, args.subdir)
    res = Resolver(src)
    warnings: list[str] = []

    read_version = None
    vtext = src.read(VERSION_PY, required=False)
    if vtext:
        m = re.search(r'__version__\s*=\s*"([^"]+)"', vtext)
        read_version = m.group(1) if m else None
    version = args.version or read_version
    if not version:
        sys.exit("error: no --version and no __version__ in tensorrt_llm/version.py")
    if read_version and read_version != version:
        warnings.append(f"tensorrt_llm/version.py at this ref says {read_version}, "
                        f"not {version}")

    flags, positionals, serve_line = serve_flags(res, warnings)
    yaml = yaml_keys(res, warnings)

    kv, kv_line = valid_kv_cache_dtypes(res, warnings)
    ab, ab_line = attention_backends(res, warnings)
    for entry in yaml:
        if entry["key"] == "kv_cache_config.dtype" and kv:
            entry["choices"] = kv
            entry["checked"] = f"{MODEL_LOADER}:{kv_line} _VALID_KV_CACHE_DTYPES"
        if entry["key"] == "attn_backend" and ab:
            entry["choices"] = ab
            entry["checked"] = (f"{ATTN_UTILS}:{ab_line} get_attention_backend "
                                "(any other name falls back to TRTLLM)")

    where = args.label or args.src
    ref = args.ref or "(work tree)"
    commit = f" = {src.commit}" if src.commit and src.commit != args.ref else ""
    files = ", ".join(src.path(f) for f in src.read_order)
    source = (f"TensorRT-LLM source, {where} at {ref}{commit}"
              f"{' (tensorrt_llm/version.py: ' + read_version + ')' if read_version else ''}; "
              f"read with ast by tools/extract_trtllm_schema.py: {files}; "
              f"flags: {SERVE} serve (line {serve_line}); "
              f"yaml: {LLM_ARGS} {YAML_MODEL} and the models of its fields")

    schema = {
        "engine": "trtllm",
        "version": version,
        "source": source,
        "ref": ref,
        "commit": src.commit,
        "read_version": read_version,
        "files": [src.path(f) for f in src.read_order],
        "positionals": positionals,
        "flags": flags,
        "values": {},
        "yaml_flag": next((f["name"] for f in flags if f["dest"] == "extra_llm_api_options"), None),
        "yaml_model": YAML_MODEL,
        "yaml": yaml,
    }
    if warnings:
        schema["warnings"] = warnings
        for w in warnings:
            print("warning:", w, file=sys.stderr)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(schema, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"{args.out}: {len(flags)} flags, {len(yaml)} yaml keys "
          f"({len(src.read_order)} files read)", file=sys.stderr)


if __name__ == "__main__":
    main()
