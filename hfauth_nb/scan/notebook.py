"""Where tokens hide in a notebook: cell sources, outputs, attachments, cell metadata and saved widget state.

Pure: walks the parsed JSON (any nbformat version), so JSON escapes such as `\\u0068f_` are already decoded.
A multi-line string stored as a list of lines is joined first, so line numbers are the notebook's and a
token cut across list items is whole again. Base64 payloads (images, PDFs) are skipped: any letters in them
are noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Union

from hfauth_nb.scan.tokens import Hit, find_tokens

PathPart = Union[str, int]

_BINARY_KINDS = frozenset({"image", "audio", "video", "font"})
_BINARY_TYPES = frozenset(
    {
        "application/pdf",
        "application/octet-stream",
        "application/zip",
        "application/gzip",
        "application/x-tar",
    }
)


@dataclass(frozen=True)
class Location:
    """Where one token sits. `cell` counts from 1 in notebook order; `line` counts from 1 in that text."""

    file: str | None
    where: str  # "cell 3, source", "widget state (model abc, key value)", "In[5]", "history session 2 ..."
    cell: int | None = None
    line: int | None = None
    how: str = ""
    history: tuple[int, int] | None = None  # (session, line) in an IPython history database

    def describe(self) -> str:
        parts = [self.file] if self.file else []
        if self.where:
            parts.append(self.where)
        if self.line is not None:
            parts.append(f"line {self.line}")
        text = ", ".join(parts)
        return f"{text} ({self.how})" if self.how else text


@dataclass(frozen=True)
class Leak:
    token: str = field(repr=False)
    location: Location


def checkpoint_of(notebook: Path) -> Path:
    """Where Jupyter keeps the last saved copy of a notebook."""
    return notebook.parent / ".ipynb_checkpoints" / f"{notebook.stem}-checkpoint{notebook.suffix}"


def is_binary_mime(key: str) -> bool:
    """MIME types whose value is base64 (images, PDF, audio...): scanning them only finds noise."""
    kind = key.partition("/")[0]
    if key == "image/svg+xml":
        return False
    return (kind in _BINARY_KINDS and "/" in key) or key in _BINARY_TYPES


def leaks_in_notebook(data: Any, file: str) -> list[Leak]:
    """Every token in a parsed notebook, with its cell, part and line."""
    leaks = []
    for path, text in _strings(data, ()):
        for hit in find_tokens(text):
            leaks.append(Leak(hit.token, _location(file, path, hit)))
    return leaks


def leaks_in_text(text: str, file: str | None, where: str) -> list[Leak]:
    return [Leak(hit.token, Location(file, where, None, hit.line, hit.how)) for hit in find_tokens(text)]


def _strings(value: Any, path: tuple[PathPart, ...]) -> Iterator[tuple[tuple[PathPart, ...], str]]:
    """Every string in parsed JSON with its path, in document order; iterative, so no nesting depth (a
    notebook nested 1000 levels deep) can exhaust the stack."""
    stack: list[tuple[tuple[PathPart, ...], Any]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where, item
        elif isinstance(item, dict):
            children = [
                ((*where, str(key)), child)
                for key, child in item.items()
                if not (isinstance(key, str) and is_binary_mime(key))
            ]
            stack.extend(reversed(children))
        elif isinstance(item, list):
            if item and all(isinstance(entry, str) for entry in item):
                yield where, _join_lines(item)
                continue
            stack.extend(reversed([((*where, index), entry) for index, entry in enumerate(item)]))


def _join_lines(items: list[str]) -> str:
    """nbformat's multi-line strings keep their newlines; tracebacks and some writers do not."""
    if all(item.endswith("\n") for item in items[:-1]):
        return "".join(items)
    return "\n".join(items)


def _location(file: str, path: tuple[PathPart, ...], hit: Hit) -> Location:
    if len(path) >= 2 and path[0] == "cells" and isinstance(path[1], int):
        cell = path[1] + 1
        return Location(file, f"cell {cell}, {_cell_part(path[2:])}", cell, hit.line, hit.how)
    if path[:2] == ("metadata", "widgets"):
        return Location(file, _widget_part(path), None, hit.line, hit.how)
    pointer = "/" + "/".join(str(part) for part in path)
    return Location(file, f"JSON {pointer}", None, hit.line, hit.how)


def _cell_part(rest: tuple[PathPart, ...]) -> str:
    if not rest:
        return "cell"
    head = rest[0]
    if head == "source":
        return "source"
    if head == "outputs" and len(rest) >= 2 and isinstance(rest[1], int):
        return f"output {rest[1] + 1}" + _output_detail(rest[2:])
    if head == "attachments" and len(rest) >= 2:
        return f"attachment {rest[1]}"
    if head == "metadata":
        return "cell metadata " + ".".join(str(p) for p in rest[1:])
    return ".".join(str(p) for p in rest)


def _output_detail(rest: tuple[PathPart, ...]) -> str:
    if not rest:
        return ""
    if rest[0] == "text":
        return " (stream)"
    if rest[0] == "data" and len(rest) >= 2:
        return f" ({rest[1]})"
    if rest[0] in ("traceback", "evalue", "ename"):
        return " (error message)"
    if rest[0] == "metadata":
        return " (output metadata)"
    return f" ({rest[0]})"


def _widget_part(path: tuple[PathPart, ...]) -> str:
    """`metadata.widgets[...].state.<model id>.state.<key>` as 'saved widget state (model ..., key ...)'."""
    parts = [str(p) for p in path[2:]]
    if "state" in parts:
        index = parts.index("state")
        model = parts[index + 1] if len(parts) > index + 1 else "?"
        key = ".".join(parts[index + 3 :]) if len(parts) > index + 3 else "state"
        return f"saved widget state in metadata.widgets (model {model}, key {key})"
    return "saved widget state in metadata.widgets"
