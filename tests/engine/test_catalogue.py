"""The finding catalogue is the one place a cause is declared: everything else is derived from it."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

from hfauth_nb.engine import findings
from hfauth_nb.engine.findings import CATALOGUE, FIXABLE, KEEP_STRONGEST, RANK, SPECS
from hfauth_nb.engine.report import Finding
from hfauth_nb.fixes.plan import AUTOMATIC_IDS

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "hfauth_nb"
ID_SHAPE = re.compile(r"^[a-z]+(-[a-z]+)+$")


def test_every_id_is_declared_once_with_a_known_area() -> None:
    ids = [s.id for s in CATALOGUE]
    assert len(ids) == len(set(ids))
    assert all(ID_SHAPE.match(i) for i in ids)
    assert {s.area for s in CATALOGUE} <= set(findings.AREAS)
    assert list(RANK) == ids


def test_the_readme_table_is_the_catalogue() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert findings.readme_table() in readme, "regenerate: python -m hfauth_nb.engine.findings --write"
    for spec in CATALOGUE:
        assert readme.count(f"`{spec.id}`") >= 1


def test_docs_findings_is_the_catalogue_and_every_anchor_resolves() -> None:
    page = (ROOT / "docs" / "findings.md").read_text(encoding="utf-8")
    assert findings.reference_table() in page, "regenerate: python -m hfauth_nb.engine.findings --write"
    for spec in CATALOGUE:
        path, _, anchor = spec.anchor.partition("#")
        assert (ROOT / path).exists()
        assert f'<a id="{anchor}"></a>' in page


def test_derived_sets_follow_the_specs() -> None:
    assert FIXABLE == AUTOMATIC_IDS
    assert {s.id for s in CATALOGUE if s.fixer} == FIXABLE
    assert {s.id for s in CATALOGUE if s.keep == "strongest"} == KEEP_STRONGEST


def test_finding_rejects_an_id_the_catalogue_lacks() -> None:
    with pytest.raises(ValueError, match="unknown finding id"):
        Finding("not-in-catalogue", "error", "t")


def test_sort_order_is_catalogue_order_within_a_severity() -> None:
    made = [Finding(s.id, "warning", s.id) for s in reversed(CATALOGUE)]
    assert [f.id for f in sorted(made, key=Finding.sort_key)] == [s.id for s in CATALOGUE]


def _string_constants(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
    ]


@functools.cache
def _trees() -> tuple[tuple[Path, ast.Module], ...]:
    return tuple(
        (path, ast.parse(path.read_text(encoding="utf-8"))) for path in sorted(PACKAGE.rglob("*.py"))
    )


@functools.cache
def _modules_that_build(finding_id: str) -> frozenset[Path]:
    """Modules that pass this id to Finding(...) as its first argument or `id=` keyword."""
    found = set()
    for path, tree in _trees():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Finding"
            ):
                first = (
                    node.args[0]
                    if node.args
                    else next((k.value for k in node.keywords if k.arg == "id"), None)
                )
                if isinstance(first, ast.Constant) and first.value == finding_id:
                    found.add(path)
    return frozenset(found)


def test_no_literal_finding_id_outside_the_catalogue_and_its_check() -> None:
    """A finding id string appears only in the catalogue and in the module(s) that build that finding."""
    builders = {spec.id: _modules_that_build(spec.id) for spec in CATALOGUE}
    strays = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "engine" / "findings.py":
            continue
        for line, value in _string_constants(path):
            if value in SPECS and path not in builders[value]:
                strays.append(f"{path.relative_to(ROOT)}:{line}: {value}")
    assert not strays, "use the catalogue (engine/findings.py) instead:\n" + "\n".join(strays)


def _table_expectations() -> dict[str, set[str]]:
    """Finding ids expected by the unit-test tables, per check module (tests/engine/test_checks_<module>.py)."""
    import importlib

    from factories import Case  # beside this file (tests/engine is on sys.path, as for the tables)

    expected: dict[str, set[str]] = {}
    for path in sorted(Path(__file__).parent.glob("test_checks_*.py")):
        module = importlib.import_module(path.stem)
        found = expected.setdefault(path.stem.removeprefix("test_checks_"), set())
        for value in vars(module).values():
            rows = value if isinstance(value, list) else []
            for item in rows:
                case = getattr(item, "values", (None,))[0]
                if isinstance(case, Case):
                    found |= {finding_id for finding_id, _ in case.expect}
    return expected


def test_every_id_a_check_module_builds_is_expected_by_its_unit_table() -> None:
    """Adding a cause means a spec here, a check module that builds it, and a row in that module's table."""
    expected = _table_expectations()
    checks = PACKAGE / "engine" / "checks"
    modules = sorted(
        p.stem for p in checks.glob("*.py") if not p.stem.startswith("_") and p.stem != "hub_answers"
    )
    assert set(modules) <= set(expected), (
        "every check module has a table: tests/engine/test_checks_<module>.py"
    )
    all_expected = set().union(*expected.values())
    missing = [
        f"{module}: {spec.id}"
        for module in modules
        for spec in CATALOGUE
        if checks / f"{module}.py" in _modules_that_build(spec.id) and spec.id not in all_expected
    ]
    assert not missing, "no unit-table row expects these (module: id):\n" + "\n".join(missing)
    # Every catalogue id is produced somewhere a test looks: a check table, or the scanner and panel tests.
    elsewhere = {"token-leaked", "widget-frontend-missing"}
    assert {s.id for s in CATALOGUE} - all_expected == elsewhere
