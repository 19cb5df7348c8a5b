"""Notebook and script text as Python that `ast` can read, with every line traced back to its cell line.

IPython's input transformer turns `%pip`, `!cmd` and `x = !cmd` into calls, but it joins a `!cmd \\` line with
its continuation and drops leading blank lines, so its output is matched back to the input line by line. Cell
magics are split off first: the bodies of the ones that run Python (`%%capture`, `%%time`...) are read as
Python with their own offset; the others (`%%bash`, `%%writefile`, `%%html`...) are not Python and are skipped.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from typing import Any, Union

# Cell magics whose body is Python run in the kernel's namespace (IPython's and memory_profiler's).
PYTHON_CELL_MAGICS = frozenset({"capture", "time", "timeit", "prun", "debug", "memit"})
# Line magics whose argument is a Python statement: `%time model = AutoModel.from_pretrained(...)`.
PYTHON_LINE_MAGICS = frozenset({"time", "timeit", "prun", "memit"})


@dataclass(frozen=True)
class Unit:
    """Python source ready for `ast`, and where each of its lines came from in the cell (or script)."""

    cell: int | None
    code: str
    lines: tuple[int, ...]  # lines[i] is the 1-based cell line of code line i + 1
    original: tuple[str, ...]  # the cell's own lines, to quote a line that does not parse

    def line_of(self, lineno: int) -> int:
        if not self.lines:
            return 1
        return self.lines[min(max(lineno, 1), len(self.lines)) - 1]

    def text_of(self, line: int) -> str:
        return self.original[line - 1].strip() if 1 <= line <= len(self.original) else ""


def notebook_code_cells(text: str) -> Union[list[tuple[int, str]], tuple[int, str]]:
    """The (cell number from 1, source) of every code cell, or (line, message) when the text is no notebook.

    Reads nbformat 4 and 3 JSON; a notebook whose kernel language is not Python has no Python cells.
    """
    try:
        data = json.loads(text)
    except ValueError as error:
        return (getattr(error, "lineno", 1), f"not a notebook: the JSON does not parse ({error})")
    if not isinstance(data, dict):
        return (1, "not a notebook: the JSON is not an object")
    if not _is_python(data.get("metadata")):
        return []
    cells: Any = data.get("cells")
    key = "source"
    if cells is None and isinstance(data.get("worksheets"), list):  # nbformat 3
        cells = [
            cell for sheet in data["worksheets"] if isinstance(sheet, dict) for cell in sheet.get("cells", [])
        ]
        key = "input"
    if not isinstance(cells, list):
        return (1, "not a notebook: it has no list of cells")
    found = []
    for number, cell in enumerate(cells, start=1):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get(key, "")
            if isinstance(source, list):
                source = "".join(part for part in source if isinstance(part, str))
            if isinstance(source, str):
                found.append((number, source))
    return found


def _is_python(metadata: Any) -> bool:
    if not isinstance(metadata, dict):
        return True
    for section, field in (("kernelspec", "language"), ("language_info", "name")):
        value = metadata.get(section)
        if isinstance(value, dict) and isinstance(value.get(field), str):
            return bool(value[field].lower() == "python")
    return True


def script_unit(text: str) -> Unit:
    """A `.py` file is Python as it stands: no IPython syntax to transform."""
    lines = _split(text)
    return Unit(None, "\n".join(lines) + "\n", tuple(range(1, len(lines) + 1)), tuple(lines))


def cell_units(cell: int | None, source: str) -> list[Unit]:
    """The Python of one notebook cell: none for a non-Python cell magic, one otherwise."""
    lines = _split(source)
    return _units(cell, lines, 0, tuple(lines))


def _units(cell: int | None, lines: list[str], offset: int, original: tuple[str, ...]) -> list[Unit]:
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start < len(lines) and lines[start].startswith("%%"):
        words = lines[start][2:].split()
        if words and words[0] in PYTHON_CELL_MAGICS:
            return _units(cell, lines[start + 1 :], offset + start + 1, original)
        return []
    code = _transform("\n".join(lines) + "\n")
    out = code.split("\n")
    if out and out[-1] == "":
        out.pop()
    mapping = _line_map(lines, out)
    return [Unit(cell, code, tuple(offset + index + 1 for index in mapping), original)]


def _split(text: str) -> list[str]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _transform(code: str) -> str:
    """IPython's own transformer when IPython is importable (it is beside any kernel); else the code as is."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # pragma: no cover - hfauth_nb depends on IPython
        return code
    try:
        manager = TransformerManager()  # type: ignore[no-untyped-call]
        return str(manager.transform_cell(code))
    except Exception:  # a cell IPython itself cannot read: ast will report where
        return code


def _line_map(before: list[str], after: list[str]) -> list[int]:
    """For each line of the transformed code, the 0-based input line it came from.

    Unchanged lines match exactly. Inside a changed block, each output line consumed one input line, plus the
    lines a trailing backslash continued when the output line is a transformed `!`/`%` command (IPython joins
    those into one call); blank input lines IPython dropped are skipped; a dedented block keeps one line per line.
    """
    mapping: list[int] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            mapping.extend(range(i1, i2))
        elif tag in ("replace", "insert"):
            index = i1
            for j in range(j1, j2):
                while after[j].strip() and index < i2 - 1 and not before[index].strip():
                    index += 1  # IPython dropped a leading blank line
                mapping.append(min(index, max(i2 - 1, i1)) if before else 0)
                index += 1
                if (i2 - i1) != (j2 - j1) and "get_ipython()" in after[j]:
                    while (
                        index - 1 < len(before) and index < i2 and before[index - 1].rstrip().endswith("\\")
                    ):
                        index += 1
    return [min(index, max(len(before) - 1, 0)) for index in mapping]
