"""Static extraction: every Hub repo a notebook or script names, read from its text without running it.

`extract_text` takes the text of a `.ipynb` (nbformat JSON, code cells only) or a `.py` file and returns the
repos its Hub calls read or write, deduplicated, plus the calls whose repo only running the code can tell. It
imports no ML library and not huggingface_hub: the calls are recognised by their shape in the syntax tree.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Iterable

from hfauth_nb.secrets import scrub
from hfauth_nb.targets.cells import Unit, cell_units, notebook_code_cells, script_unit
from hfauth_nb.targets.model import Extraction, Source, Target, Unresolved
from hfauth_nb.targets.walk import Walker, binding_counts

_MAX_QUOTE = 300  # characters of a line that does not parse, quoted in its row


def extract_text(text: str, file: str) -> Extraction:
    """Targets and unresolved calls of one file; `file` is the name shown in sources (and, by its `.ipynb`
    suffix, says how to read `text`)."""
    if file.lower().endswith(".ipynb"):
        cells = notebook_code_cells(text)
        if isinstance(cells, tuple):
            line, message = cells
            return Extraction((), (Unresolved(file, None, line, "", message),))
        units = [unit for number, source in cells for unit in cell_units(number, source)]
    else:
        units = [script_unit(text)]
    parsed: list[tuple[Unit, ast.Module]] = []
    broken: list[Unresolved] = []
    for unit in units:
        try:
            parsed.append((unit, ast.parse(unit.code)))
        except (SyntaxError, ValueError, RecursionError, MemoryError) as error:  # ValueError: a NUL byte
            ipython = _as_ipython(unit, text) if unit.cell is None else None
            if ipython is not None:
                parsed.append(ipython)
            else:
                broken.append(_not_parsed(file, unit, error))
    walker = Walker(file, binding_counts([tree for _, tree in parsed]))
    for unit, tree in parsed:
        try:
            walker.run(unit, tree)
        except RecursionError:  # an expression nested thousands deep: say so, keep the other cells
            what = f"cell {unit.cell}" if unit.cell is not None else "this file"
            broken.append(Unresolved(file, unit.cell, 1, "", f"{what} is nested too deeply to read"))
    targets = merge_targets(
        Target(found.repo_id, found.repo_type, found.revision, found.write, None, (source,))
        for found, source in walker.found
    )
    return Extraction(targets, _unique([*broken, *walker.unresolved]))


def extract_path(path: str | Path) -> Extraction:
    """`extract_text` of a file on disk; a file that cannot be read is one unresolved row, not a traceback."""
    file = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8", errors="replace")
    except OSError as error:
        return Extraction(
            (), (Unresolved(file, None, 1, "", f"cannot read the file: {error.strerror or error}"),)
        )
    return extract_text(text, file)


def extract_paths(paths: Iterable[str | Path]) -> Extraction:
    """Several files at once: a repo named in two files is one target with the sources of both."""
    parts = [extract_path(path) for path in paths]
    return Extraction(
        merge_targets(target for part in parts for target in part.targets),
        _unique([row for part in parts for row in part.unresolved]),
    )


def merge_targets(targets: Iterable[Target]) -> tuple[Target, ...]:
    """One target per (repo_id, repo_type, revision, write, via), in first-seen order, with every source."""
    merged: dict[tuple[object, ...], Target] = {}
    for target in targets:
        key = (*target.key, target.via)
        known = merged.get(key)
        if known is None:
            merged[key] = target
        else:
            merged[key] = Target(*key[:4], target.via, known.sources + target.sources)
    return tuple(
        Target(t.repo_id, t.repo_type, t.revision, t.write, t.via, _sorted_sources(t.sources))
        for t in merged.values()
    )


def _sorted_sources(sources: tuple[Source, ...]) -> tuple[Source, ...]:
    unique = dict.fromkeys(sources)
    return tuple(sorted(unique, key=lambda s: (s.file, s.cell or 0, s.line, s.call)))


def _as_ipython(unit: Unit, text: str) -> tuple[Unit, ast.Module] | None:
    """A `.py` written for a notebook (`!pip install ...` lines, as Colab users paste them) parses once IPython's
    transformer has run; a plain syntax error is reported against the file's own lines."""
    candidates = cell_units(None, text)  # none when the file starts with a non-Python cell magic
    if not candidates:
        return None
    try:
        return candidates[0], ast.parse(candidates[0].code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _not_parsed(file: str, unit: Unit, error: Exception) -> Unresolved:
    lineno = getattr(error, "lineno", None) or 1
    line = unit.line_of(lineno)
    what = "cell" if unit.cell is not None else "file"
    message = getattr(error, "msg", None) or str(error)
    quoted = unit.text_of(line)
    quoted = quoted if len(quoted) <= _MAX_QUOTE else quoted[: _MAX_QUOTE - 3] + "..."
    return Unresolved(file, unit.cell, line, scrub(quoted), f"this {what} does not parse: {message}")


def _unique(rows: list[Unresolved]) -> tuple[Unresolved, ...]:
    return tuple(dict.fromkeys(rows))
