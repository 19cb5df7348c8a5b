"""Read the places a scan looks at: files, directories, IPython history databases, a kernel's In/Out.

I/O only; what counts as a token and where it sits inside a notebook is decided in `tokens` and
`notebook`. Nothing is written, and history databases are opened read-only.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from hfauth_nb import userfile
from hfauth_nb.scan.notebook import Leak, leaks_in_notebook, leaks_in_text

MAX_BYTES = 200 * 1024 * 1024
MAX_FILES = 20_000
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        "site-packages",
    }
)
_SQLITE_MAGIC = b"SQLite format 3\x00"
_SNIFF = 8192
_MAX_REPR = 1_000_000


@dataclass
class Collected:
    """What a scan found and where it looked (shown, so a clean result says what it covered)."""

    leaks: list[Leak] = field(default_factory=list)
    scanned: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set, repr=False)

    def first_visit(self, path: Path) -> bool:
        key = os.path.realpath(path)
        if key in self._seen:
            return False
        self._seen.add(key)
        return True


def scan_path(path: Path, found: Collected, *, stores: frozenset[str] = frozenset()) -> None:
    """A file, or every file under a directory (VCS, virtualenv and cache folders pruned)."""
    if path.is_dir():
        _scan_directory(path, found, stores)
    else:
        _scan_file(path, found, stores, explicit=True)


def _scan_directory(root: Path, found: Collected, stores: frozenset[str]) -> None:
    count = 0
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(names):
            count += 1
            if count > MAX_FILES:
                found.skipped.append(f"{root}: stopped after {MAX_FILES} files")
                return
            _scan_file(Path(folder) / name, found, stores, explicit=False)


def _scan_file(path: Path, found: Collected, stores: frozenset[str], *, explicit: bool) -> None:
    if not found.first_visit(path):
        return
    if os.path.realpath(path) in stores:
        found.skipped.append(f"{path} (a credential store: it is meant to hold a token)")
        return
    try:
        _scan_one(path, found, explicit=explicit)
    except Exception as exc:  # one odd file must not hide the leaks in the others
        found.skipped.append(f"{path} (could not be scanned: {type(exc).__name__})")


def _scan_one(path: Path, found: Collected, *, explicit: bool) -> None:
    try:
        with userfile.open_regular(path, MAX_BYTES) as handle:
            head = handle.read(_SNIFF)
            text_like = not head.startswith(_SQLITE_MAGIC) and _encoding(head) is not None
            data = head + handle.read() if text_like else head
    except userfile.FileTooLarge:
        found.skipped.append(f"{path} (larger than {MAX_BYTES // (1024 * 1024)} MB)")
        return
    except userfile.NotARegularFile as exc:
        found.skipped.append(f"{path} (not scanned: it {exc.strerror})")
        return
    except OSError as exc:
        found.skipped.append(f"{path} (cannot read: {exc.strerror or type(exc).__name__})")
        return
    if data.startswith(_SQLITE_MAGIC):
        scan_history_db(path, found)
        return
    encoding = _encoding(head)
    if encoding is None:
        if explicit:
            found.skipped.append(f"{path} (binary)")
        return
    text = data.decode(encoding, errors="replace")
    found.scanned.append(str(path) + ("" if encoding == "utf-8" else f" ({encoding.upper()})"))
    if path.suffix in (".ipynb", ".json"):
        try:
            parsed = json.loads(text)
        except RecursionError:
            found.skipped.append(f"{path} (JSON nested too deeply to walk: scanned as plain text)")
        except ValueError:
            if path.suffix == ".ipynb":
                found.skipped.append(f"{path} (not valid notebook JSON: scanned as plain text)")
        else:
            found.leaks.extend(leaks_in_notebook(parsed, str(path)))
            return
    found.leaks.extend(leaks_in_text(text, str(path), ""))


def _encoding(head: bytes) -> str | None:
    """The text encoding of a file from its first bytes: UTF-8, UTF-16/32 (Windows tools and PowerShell's
    `>` write UTF-16), or None for binary data."""
    for bom, name in (
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
        (b"\xef\xbb\xbf", "utf-8-sig"),
    ):
        if head.startswith(bom):
            return name
    if b"\x00" not in head:
        return "utf-8"
    even, odd = head[0::2], head[1::2]
    if len(head) >= 4 and even.count(0) == 0 and odd.count(0) >= len(odd) * 0.9:
        return "utf-16-le"  # ASCII text without a BOM: every second byte is zero
    if len(head) >= 4 and odd.count(0) == 0 and even.count(0) >= len(even) * 0.9:
        return "utf-16-be"
    return None


# -- IPython history ---------------------------------------------------------------------------------


def scan_history_db(path: Path, found: Collected) -> None:
    """Inputs and saved outputs of every session in an IPython history database, read-only."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        found.skipped.append(f"{path} (cannot open the database: {exc})")
        return
    try:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "history" not in tables:
            found.skipped.append(f"{path} (a SQLite database, not an IPython history)")
            return
        rows = db.execute("SELECT session, line, source_raw, source FROM history ORDER BY session, line")
        for session, line, raw, source in rows:
            _history_text(path, found, session, line, "input", [raw, source])
        if "output_history" in tables:
            outputs = db.execute("SELECT session, line, output FROM output_history ORDER BY session, line")
            for session, line, output in outputs:
                _history_text(path, found, session, line, "output", [output])
    except sqlite3.Error as exc:
        found.skipped.append(f"{path} (cannot read the database: {exc})")
        return
    finally:
        db.close()
    found.scanned.append(f"{path} (IPython history)")


def _history_text(
    path: Path, found: Collected, session: int, line: int, part: str, texts: Sequence[object]
) -> None:
    seen: set[tuple[str, int | None]] = set()
    for text in texts:
        if not isinstance(text, str):
            continue
        for leak in leaks_in_text(text, str(path), f"history session {session}, {part} {line}"):
            key = (leak.token, leak.location.line)
            if key not in seen:
                seen.add(key)
                found.leaks.append(Leak(leak.token, replace(leak.location, history=(session, line))))


def history_databases(ipython_dir: Path | None = None) -> list[Path]:
    """The history database of every IPython profile (IPYTHONDIR, else ~/.ipython)."""
    base = ipython_dir or Path(os.environ.get("IPYTHONDIR") or Path.home() / ".ipython")
    return sorted(base.glob("profile_*/history.sqlite"))


# -- a kernel's memory -------------------------------------------------------------------------------


def scan_namespace(inputs: Iterable[tuple[int, str]], outputs: Mapping[int, Any], found: Collected) -> None:
    """The kernel's In (every cell run) and Out (values shown), which outlive the cells themselves."""
    for number, source in inputs:
        if isinstance(source, str):
            found.leaks.extend(leaks_in_text(source, None, f"this kernel's In[{number}]"))
    for number, value in outputs.items():
        text = _printable(value)
        if text:
            found.leaks.extend(leaks_in_text(text, None, f"this kernel's Out[{number}]"))
    found.scanned.append("this kernel's In/Out")


def _printable(value: Any) -> str:
    """Plain data only: calling repr() on arbitrary objects could run user code or take a long time."""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, (dict, list, tuple, set, frozenset)):
        try:
            text = repr(value)
        except Exception:  # a container can hold anything
            return ""
        return text[:_MAX_REPR]
    return ""
