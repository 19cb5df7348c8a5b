"""Walk a notebook's statements in run order, keeping what each name holds, and record every Hub call.

Cells run top to bottom, so one environment spans all of them; the last assignment before a use wins. A name
set inside a branch, loop or `try` is known inside it, and after it only when every path agrees. Function
bodies see a global only when the whole file binds it once (they run later, at a time the code does not
show); their parameters are unknown.
"""

from __future__ import annotations

import ast
from collections import Counter

from hfauth_nb.secrets import scrub
from hfauth_nb.targets.calls import Found, Missed, recognise
from hfauth_nb.targets.cells import PYTHON_LINE_MAGICS, Unit
from hfauth_nb.targets.model import Source, Unresolved
from hfauth_nb.targets.objects import argument, callee, keyword, value_of
from hfauth_nb.targets.shell import shell_refs
from hfauth_nb.targets.values import Env, Known, Obj, Unknown, Value, shown, string_of

_SAVES = {
    "save_pretrained": ("save_directory",),
    "save_model": ("output_dir",),
    "save_to_disk": ("dataset_path", "dataset_dict_path"),
    "save": ("path", "model_path"),
}
_LOCAL_KEYWORDS = ("output_dir", "local_dir", "logging_dir")
_BRANCHY = "set on some paths only (a branch, loop or try), so its value depends on the run"
_MAX_CODE = 300
_SHELL_CALLS = frozenset({"get_ipython().system", "get_ipython().getoutput"})


def binding_counts(trees: list[ast.Module]) -> Counter[str]:
    """How many times the whole file binds each name (assignments, defs, imports, loop targets)."""
    counts: Counter[str] = Counter()
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                counts[node.id] += 1
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                counts[node.name] += 1
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    counts[(alias.asname or alias.name).split(".")[0]] += 1
    return counts


class Walker:
    """Records (Found, Source) pairs and Unresolved rows for one file."""

    def __init__(self, file: str, counts: Counter[str]) -> None:
        self.file = file
        self.counts = counts
        self.env: Env = {}
        self.local: set[str] = set()
        self.found: list[tuple[Found, Source]] = []
        self.unresolved: list[Unresolved] = []
        self.unit = Unit(None, "", (), ())
        self.code = ""
        self.line: int | None = None  # set while reading a `%time` statement: its cell line

    def run(self, unit: Unit, tree: ast.Module) -> None:
        self.unit, self.code, self.line = unit, unit.code, None
        self.block(tree.body, self.env)

    # ---- statements ----
    def block(self, body: list[ast.stmt], env: Env) -> None:
        for stmt in body:
            self.stmt(stmt, env)

    def stmt(self, node: ast.stmt, env: Env) -> None:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            if node.value is not None:
                self.expr(node.value, env)
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    self.bind(target, node.value, env)
        elif isinstance(node, ast.AugAssign):
            self.expr(node.value, env)
            if isinstance(node.target, ast.Name):
                combined = ast.BinOp(ast.Name(node.target.id, ast.Load()), node.op, node.value)
                env[node.target.id] = value_of(combined, env)
        elif isinstance(node, ast.If):
            self.expr(node.test, env)
            self.paths(env, [node.body, node.orelse])
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.While)):
            self.loop(node, env)
        elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
            self.try_(node, env)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                self.expr(item.context_expr, env)
                if item.optional_vars is not None:
                    self.bind(item.optional_vars, item.context_expr, env)
            self.block(node.body, env)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            self.define(node, env)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            self.imports(node, env)
        elif type(node).__name__ == "Match":
            self.match(node, env)
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.expr):
                    self.expr(child, env)
            if isinstance(node, ast.Delete):
                for target in node.targets:
                    self.forget(target, env, "deleted")

    def bind(self, target: ast.expr, value: ast.expr, env: Env) -> None:
        """Assign as Python does: every value on the right is evaluated before any name is rebound."""
        for name, result in _bindings(target, value, env):
            env[name] = result

    def forget(self, target: ast.AST, env: Env, why: str) -> None:
        for node in ast.walk(target):
            if isinstance(node, ast.Name):
                env[node.id] = Unknown(why)

    def paths(self, env: Env, bodies: list[list[ast.stmt]], start: Env | None = None) -> list[Env]:
        """Walk each body from a copy of the environment; then keep only what every path agrees on."""
        ends = []
        for body in bodies:
            branch = dict(start if start is not None else env)
            self.block(body, branch)
            ends.append(branch)
        self.join(env, ends)
        return ends

    def join(self, env: Env, ends: list[Env]) -> None:
        for name in {name for end in ends for name in end}:
            values = [end.get(name) for end in ends]
            env[name] = (
                values[0] if all(value == values[0] for value in values) and values[0] else Unknown(_BRANCHY)
            )

    def loop(self, node: ast.For | ast.AsyncFor | ast.While, env: Env) -> None:
        self.expr(node.iter if isinstance(node, (ast.For, ast.AsyncFor)) else node.test, env)
        inside = dict(env)
        for name in _assigned(node.body):
            inside[name] = Unknown(_BRANCHY)  # the previous iteration may have set it
        if isinstance(node, (ast.For, ast.AsyncFor)):
            self.forget(node.target, inside, "a loop variable")
        self.block(node.body, inside)
        self.join(env, [dict(env), inside])
        self.block(node.orelse, env)

    def try_(self, node: ast.stmt, env: Env) -> None:
        body, orelse = list(getattr(node, "body", [])), list(getattr(node, "orelse", []))
        handlers: list[ast.ExceptHandler] = list(getattr(node, "handlers", []))
        normal = dict(env)
        self.block(body + orelse, normal)
        partial = dict(env)
        self.join(partial, [dict(env), normal])  # a handler starts wherever the body stopped
        ends = [normal]
        for handler in handlers:
            if handler.type is not None:
                self.expr(handler.type, partial)
            ends += self.paths(dict(partial), [handler.body], start=partial)
        self.join(env, ends)
        self.block(list(getattr(node, "finalbody", [])), env)

    def match(self, node: ast.stmt, env: Env) -> None:
        self.expr(getattr(node, "subject"), env)  # noqa: B009 - ast.Match is Python 3.10+
        ends = []
        for case in getattr(node, "cases", []):
            branch = dict(env)
            for part in ast.walk(case.pattern):
                captured = getattr(part, "name", None)  # MatchAs, MatchStar
                if isinstance(captured, str):
                    branch[captured] = Unknown("captured by a match pattern")
            self.block(case.body, branch)
            ends.append(branch)
        self.join(env, [*ends, dict(env)])

    def define(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, env: Env) -> None:
        for decorator in node.decorator_list:
            self.expr(decorator, env)
        inner: Env = {name: value for name, value in env.items() if self.counts[name] == 1}
        if isinstance(node, ast.ClassDef):
            for base in node.bases:
                self.expr(base, env)
        else:
            for default in [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]:
                self.expr(default, env)
            for arg in ast.walk(node.args):
                if isinstance(arg, ast.arg):
                    inner[arg.arg] = Unknown("a function parameter")
        self.block(node.body, inner)
        env[node.name] = Unknown(f"{node.name} is defined in the code")

    def imports(self, node: ast.Import | ast.ImportFrom, env: Env) -> None:
        module = (node.module or "") if isinstance(node, ast.ImportFrom) else ""
        for alias in node.names:
            name = alias.asname or alias.name.split(".")[0]
            source = module if isinstance(node, ast.ImportFrom) else alias.name
            if name != "*":
                hub = source.split(".")[0] == "huggingface_hub"
                env[name] = Obj("hub") if hub else Unknown(f"imported from {source}")

    # ---- expressions ----
    def expr(self, node: ast.AST, env: Env) -> None:
        if isinstance(node, ast.Lambda):
            inner = dict(env)
            for arg in ast.walk(node.args):
                if isinstance(arg, ast.arg):
                    inner[arg.arg] = Unknown("a function parameter")
            self.expr(node.body, inner)
            return
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            inner = dict(env)
            for generator in node.generators:
                self.expr(generator.iter, inner)
                self.forget(generator.target, inner, "a loop variable")
                for condition in generator.ifs:
                    self.expr(condition, inner)
            for part in (node.key, node.value) if isinstance(node, ast.DictComp) else (node.elt,):
                self.expr(part, inner)
            return
        for child in ast.iter_child_nodes(node):
            self.expr(child, env)
        if isinstance(node, ast.NamedExpr):
            self.bind(node.target, node.value, env)
        if isinstance(node, ast.Call):
            self.call(node, env)

    def call(self, node: ast.Call, env: Env) -> None:
        if self.line_magic(node, env):
            return
        if self.shell(node):
            return
        for outcome in recognise(node, env, frozenset(self.local)):
            line = self.where(node)
            if isinstance(outcome, Missed):
                self.unresolved.append(
                    Unresolved(self.file, self.unit.cell, line, self.text(node), scrub(outcome.reason))
                )
            else:
                self.found.append((outcome, Source(self.file, self.unit.cell, line, scrub(shown(node.func)))))
        self.note_local(node, env)

    def shell(self, node: ast.Call) -> bool:
        """`!hf download org/x` became `get_ipython().system('hf download org/x')`: read the command."""
        if shown(node.func) not in _SHELL_CALLS or not node.args:
            return False
        command = node.args[0]
        if not (isinstance(command, ast.Constant) and isinstance(command.value, str)):
            return False
        refs, missed = shell_refs(command.value)
        line = self.where(node)
        for repo_id, repo_type, revision, write, label in refs:
            found = Found(repo_id, repo_type, revision, write)
            self.found.append((found, Source(self.file, self.unit.cell, line, f"!{label}")))
        for why in missed:
            quoted = scrub(self.unit.text_of(line)) or self.text(node)
            self.unresolved.append(Unresolved(self.file, self.unit.cell, line, quoted, scrub(why)))
        return True

    def line_magic(self, node: ast.Call, env: Env) -> bool:
        """`%time stmt` became `get_ipython().run_line_magic('time', 'stmt')`: read the statement as Python."""
        if shown(node.func) != "get_ipython().run_line_magic" or len(node.args) < 2:
            return False
        name, arg = node.args[0], node.args[1]
        if not (
            isinstance(name, ast.Constant)
            and name.value in PYTHON_LINE_MAGICS
            and isinstance(arg, ast.Constant)
        ):
            return False
        try:
            tree = ast.parse(str(arg.value))
        except SyntaxError:
            return True  # options such as `%timeit -n1 ...`: not read
        saved = (self.code, self.line)
        self.code, self.line = str(arg.value), self.where(node)
        try:
            self.block(tree.body, env)
        finally:
            self.code, self.line = saved
        return True

    def note_local(self, node: ast.Call, env: Env) -> None:
        """Folders the code writes to: loading one later reads the disk, not the Hub."""
        name = callee(node.func)
        folders = [argument(node, 0, *_SAVES[name])] if name in _SAVES else []
        folders += [keyword(node, key) for key in _LOCAL_KEYWORDS]
        for folder in folders:
            text = string_of(folder, env) if folder is not None else None
            if isinstance(text, Known):
                self.local.add(text.text)

    def where(self, node: ast.AST) -> int:
        return self.line if self.line is not None else self.unit.line_of(getattr(node, "lineno", 1))

    def text(self, node: ast.AST) -> str:
        segment = ast.get_source_segment(self.code, node) or shown(node)
        if len(segment) > _MAX_CODE:
            segment = segment[: _MAX_CODE - 3] + "..."
        return scrub(segment)


def _bindings(target: ast.expr, value: ast.expr, env: Env) -> list[tuple[str, Value]]:
    if isinstance(target, ast.Name):
        return [(target.id, value_of(value, env))]
    values = value.elts if isinstance(value, (ast.Tuple, ast.List)) else None
    if (
        isinstance(target, (ast.Tuple, ast.List))
        and values is not None
        and len(values) == len(target.elts)
        and not any(isinstance(item, ast.Starred) for item in [*values, *target.elts])
    ):
        return [pair for part, item in zip(target.elts, values) for pair in _bindings(part, item, env)]
    if isinstance(target, (ast.Tuple, ast.List, ast.Starred)):
        why = Unknown(f"unpacked from {shown(value)}")
        return [(node.id, why) for node in ast.walk(target) if isinstance(node, ast.Name)]
    return []  # an attribute or item: not a name this walk follows


def _assigned(body: list[ast.stmt]) -> set[str]:
    return {
        node.id
        for stmt in body
        for node in ast.walk(stmt)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
    }
