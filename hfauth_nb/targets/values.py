"""What a name or expression holds at a call, as far as reading the code can tell.

Only strings built from literals are followed: a literal, a name assigned one earlier, f-strings, `+`, `%`,
`str.format` and `str.join` of those. Everything else (parameters, loop variables, call results, attributes,
environment lookups) is `Unknown` with the reason in words, so the caller lists it instead of guessing.

`os.environ.get("X", "default")` stays unknown: the default is only what runs where X is unset, and
notebooks read such variables precisely because Colab, Kaggle or a job sets them differently.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Known:
    text: str


@dataclass(frozen=True)
class Unknown:
    why: str


@dataclass(frozen=True)
class Obj:
    """An object whose kind a later call depends on: `kind` is "hfapi", "hub" (a huggingface_hub function or
    module), "dataset", "args" (TrainingArguments and its TRL configs), "trainer", "inference" or "loaded" (a
    model, tokenizer or pipeline some Hub call returned). `repo`/`push`: where a trainer would push."""

    kind: str
    repo: Known | Unknown | None = None
    push: bool | None = False  # None: decided when the code runs


Value = Union[Known, Unknown, Obj]
Env = dict[str, Value]
Str = Union[Known, Unknown]

_ENV_READERS = frozenset({"os.environ.get", "environ.get", "os.getenv", "getenv"})
_SHOWN = 60


def shown(node: ast.AST) -> str:
    """Short source text of an expression for a reason (long ones are cut)."""
    try:
        text = ast.unparse(node)
    except Exception:  # pragma: no cover - unparse handles every node ast.parse builds
        text = type(node).__name__
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def string_of(node: ast.expr, env: Env) -> Str:
    """The string `node` evaluates to, or why it cannot be known without running the code."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, str):
            return Known(node.value)
        return Unknown(f"{node.value!r} is not a string")
    if isinstance(node, ast.Name):
        return _name(node.id, env)
    if isinstance(node, ast.NamedExpr):
        return string_of(node.value, env)
    if isinstance(node, ast.JoinedStr):
        return _fstring(node, env)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _binop(node, env)
    if isinstance(node, ast.Call):
        return _call(node, env)
    if isinstance(node, ast.Subscript) and shown(node.value) in ("os.environ", "environ"):
        return Unknown(f"{shown(node)} depends on the environment")
    if isinstance(node, ast.Attribute):
        return Unknown(f"{shown(node)} is an attribute, set when the code runs")
    if isinstance(node, ast.Subscript):
        return Unknown(f"{shown(node)} is looked up when the code runs")
    if isinstance(node, ast.IfExp):
        return Unknown(f"{shown(node)} is chosen when the code runs")
    return Unknown(f"{shown(node)} is computed when the code runs")


def _name(name: str, env: Env) -> Str:
    value = env.get(name)
    if value is None:
        return Unknown(f"{name} is not assigned a string earlier")
    if isinstance(value, Obj):
        return Unknown(f"{name} is an object, not a string")
    return Unknown(f"{name}: {value.why}") if isinstance(value, Unknown) else value


def _fstring(node: ast.JoinedStr, env: Env) -> Str:
    parts = []
    for part in node.values:
        if isinstance(part, ast.FormattedValue):
            if part.format_spec is not None or part.conversion not in (-1, ord("s")):
                return Unknown(f"{shown(node)} formats a value when the code runs")
            value = string_of(part.value, env)
            if isinstance(value, Unknown):
                return value
            parts.append(value.text)
        elif isinstance(part, ast.Constant) and isinstance(part.value, str):
            parts.append(part.value)
    return Known("".join(parts))


def _binop(node: ast.BinOp, env: Env) -> Str:
    left = string_of(node.left, env)
    if isinstance(left, Unknown):
        return left
    if isinstance(node.op, ast.Add):
        right = string_of(node.right, env)
        return right if isinstance(right, Unknown) else Known(left.text + right.text)
    items = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
    values = _all_strings(items, env)
    if isinstance(values, Unknown):
        return values
    try:
        return Known(left.text % tuple(values))
    except (TypeError, ValueError):
        return Unknown(f"{shown(node)} does not format")


def _call(node: ast.Call, env: Env) -> Str:
    callee = shown(node.func)
    if callee in _ENV_READERS:
        variable = string_of(node.args[0], env) if node.args else Unknown("")
        named = variable.text if isinstance(variable, Known) else shown(node)
        return Unknown(f"{shown(node)} depends on the environment variable {named}")
    if isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join"):
        base = string_of(node.func.value, env)
        if isinstance(base, Known):
            return _str_method(node, base.text, env)
    return Unknown(f"{shown(node)} is the result of a call")


def _str_method(node: ast.Call, base: str, env: Env) -> Str:
    assert isinstance(node.func, ast.Attribute)
    if node.func.attr == "join":
        items = node.args[0].elts if node.args and isinstance(node.args[0], (ast.List, ast.Tuple)) else None
        if items is None or len(node.args) != 1 or node.keywords:
            return Unknown(f"{shown(node)} joins values known when the code runs")
        values = _all_strings(items, env)
        return values if isinstance(values, Unknown) else Known(base.join(values))
    if any(isinstance(arg, ast.Starred) for arg in node.args) or any(kw.arg is None for kw in node.keywords):
        return Unknown(f"{shown(node)} formats values known when the code runs")
    args = _all_strings(node.args, env)
    kwargs = _all_strings([kw.value for kw in node.keywords], env)
    if isinstance(args, Unknown):
        return args
    if isinstance(kwargs, Unknown):
        return kwargs
    try:
        return Known(base.format(*args, **{kw.arg or "": v for kw, v in zip(node.keywords, kwargs)}))
    except (IndexError, KeyError, ValueError, AttributeError):
        return Unknown(f"{shown(node)} does not format")


def _all_strings(items: list[ast.expr], env: Env) -> list[str] | Unknown:
    values = []
    for item in items:
        value = string_of(item, env)
        if isinstance(value, Unknown):
            return value
        values.append(value.text)
    return values
