"""Cells through IPython's input transformer: magics and shell lines parse, and every line number stays the
cell's own (the transformer joins `!cmd \\` continuations and drops leading blank lines)."""

from __future__ import annotations

import json

import IPython
import pytest

from hfauth_nb.targets import extract_text
from hfauth_nb.targets.cells import cell_units


def notebook(*sources: str, kinds: tuple[str, ...] = ()) -> str:
    cells = []
    for index, source in enumerate(sources):
        kind = kinds[index] if index < len(kinds) else "code"
        cells.append({"cell_type": kind, "metadata": {}, "source": source.splitlines(keepends=True)})
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def where(text: str) -> set[tuple[str, int | None, int]]:
    found = extract_text(text, "nb.ipynb")
    assert found.unresolved == ()
    return {(t.repo_id, s.cell, s.line) for t in found.targets for s in t.sources}


LOAD = 'AutoModel.from_pretrained("acme/m")'


@pytest.mark.parametrize(
    ("cell", "line"),
    [
        (f"!pip install -q \\\n    transformers \\\n    peft\n{LOAD}", 4),
        (f"\n\n\n%pip install x\n{LOAD}", 5),
        (f"%%capture\n\n!pip install x\n{LOAD}", 4),
        (f"%%capture out --no-stderr\n%%time\n{LOAD}", 3),
        (f"  x = 1\n  !ls \\\n    /content\n  {LOAD}", 4),
        (f"files = !ls\nhome = %env HOME\n{LOAD}", 3),
        (f"%time {LOAD}", 1),
        (f"x = 1\n\n%time {LOAD}", 3),
        (f"\n\n%time {LOAD}", 3),
        (f"%%capture\n\n\n%time {LOAD}", 4),
        (f"!echo a \\\n  b\n%time {LOAD}", 3),
        (f"%timeit -n1 x\n%load_ext hfauth_nb\n\n{LOAD}", 4),
        (f"x = 1\r\n!ls\r\n{LOAD}\r\n", 3),
        (f"def f():\n    !ls \\\n      -la\n    return {LOAD}", 4),
        (f'x = """\n!not a command\n"""\n{LOAD}', 4),
        (f"obj?\n{LOAD}", 2),
    ],
)
def test_line_numbers_survive_the_transformer(cell: str, line: int) -> None:
    assert where(notebook("# title", cell, kinds=("markdown",))) == {("acme/m", 2, line)}


@pytest.mark.parametrize(
    "magic", ["%%bash", "%%writefile train.py", "%%html", "%%javascript", "%%script false"]
)
def test_cells_whose_body_is_not_python_are_skipped(magic: str) -> None:
    assert where(notebook(f"{magic}\n{LOAD}")) == set()


def test_line_map_matches_what_ipython_produced() -> None:
    """The map is checked against the transformed code itself, on whichever IPython is installed."""
    source = "\n\n%pip install a\n!echo \\\n  b\nx = 1\n%%capture\ny = 2\n"
    (unit,) = cell_units(1, source)
    code_lines = unit.code.split("\n")
    assert code_lines[unit.lines.index(6)] == "x = 1"
    assert code_lines[unit.lines.index(8)] == "y = 2"
    assert unit.original[unit.line_of(code_lines.index("x = 1") + 1) - 1] == "x = 1"
    assert IPython.version_info[0] in (7, 8, 9)


def test_cells_share_one_namespace_in_order() -> None:
    text = notebook(
        'M = "acme/a"', "AutoModel.from_pretrained(M)", 'M = "acme/b"', "AutoModel.from_pretrained(M)"
    )
    assert where(text) == {("acme/a", 2, 1), ("acme/b", 4, 1)}


def test_cell_numbers_count_every_cell() -> None:
    text = notebook("# intro", "text", LOAD, kinds=("markdown", "raw", "code"))
    assert where(text) == {("acme/m", 3, 1)}


def test_nbformat_3_worksheets() -> None:
    old = {
        "nbformat": 3,
        "metadata": {},
        "worksheets": [{"cells": [{"cell_type": "code", "input": ["x = 1\n", LOAD]}]}],
    }
    assert where(json.dumps(old)) == {("acme/m", 1, 2)}


def test_a_broken_cell_does_not_stop_the_others() -> None:
    text = notebook("x = (\n", LOAD, "def f(:\n    pass")
    found = extract_text(text, "nb.ipynb")
    assert {(t.repo_id, s.cell, s.line) for t in found.targets for s in t.sources} == {("acme/m", 2, 1)}
    assert [(u.cell, u.line, u.code) for u in found.unresolved] == [(1, 1, "x = ("), (3, 1, "def f(:")]
