"""The token-leak scanner: find Hugging Face tokens saved where they should not be.

    from hfauth_nb.scan import scan_paths
    result = scan_paths(["analysis.ipynb"])
    result.found, result.findings        # `token-leaked` findings, tokens masked

It looks in files and directories (notebook JSON cell by cell, including escaped strings, outputs and saved
widget state), IPython history databases, and, from a kernel, the current notebook, its checkpoint copy and
the kernel's In/Out. Each leak says whether it is one of this machine's tokens (compared with what the
engine reads, never shown) and how to revoke and strip it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from hfauth_nb.engine import api
from hfauth_nb.scan.notebook import checkpoint_of
from hfauth_nb.scan.result import ScanResult
from hfauth_nb.scan.sources import (
    Collected,
    history_databases,
    scan_history_db,
    scan_namespace,
    scan_path,
)

if TYPE_CHECKING:
    from hfauth_nb.engine.credentials import KnownCredentials

__all__ = ["ScanResult", "default_paths", "notebook_path", "scan_kernel", "scan_paths"]


def scan_paths(paths: Sequence[str | Path], *, endpoint: str | None = None) -> ScanResult:
    """Scan files, directories and history databases (a notebook's checkpoint copy comes along)."""
    known = api.known_credentials(endpoint)
    found = Collected()
    for path in _with_checkpoints(Path(p) for p in paths):
        scan_path(path, found, stores=known.stores)
    return _result(found, known)


def scan_kernel(shell: Any, *, endpoint: str | None = None) -> ScanResult:
    """What `%hfauth scan` looks at: this notebook and its checkpoint (when the kernel can find the file),
    the kernel's In/Out, and the IPython history database."""
    known = api.known_credentials(endpoint)
    found = Collected()
    notebook = notebook_path(shell)
    if notebook is None:
        found.skipped.append("the notebook file (this kernel cannot tell which file it runs)")
    else:
        for path in _with_checkpoints([notebook]):
            scan_path(path, found)
    user_ns = getattr(shell, "user_ns", {})
    inputs = list(enumerate(user_ns.get("In", [])))
    outputs = user_ns.get("Out", {})
    scan_namespace(inputs[1:], outputs if isinstance(outputs, dict) else {}, found)
    for db in _kernel_history(shell):
        scan_history_db(db, found)
    return _result(found, known)


def default_paths() -> list[Path]:
    """What `hfauth scan` looks at without arguments: this directory and the IPython history databases."""
    return [Path.cwd(), *history_databases()]


def notebook_path(shell: Any) -> Path | None:
    """The notebook this kernel runs, when the front end says (VS Code, Jupyter Server)."""
    user_ns = getattr(shell, "user_ns", {})
    candidates = [
        user_ns.get("__vsc_ipynb_file__"),
        user_ns.get("__session__"),
        os.environ.get("JPY_SESSION_NAME"),
    ]
    for candidate in candidates:
        if not isinstance(candidate, str) or not candidate.endswith(".ipynb"):
            continue
        path = Path(candidate).expanduser()
        for option in (path, Path.cwd() / path, Path.cwd() / path.name):
            if option.is_file():
                return option
    return None


def _kernel_history(shell: Any) -> list[Path]:
    """The kernel's own history file, flushed first so the latest cells are in it."""
    manager = getattr(shell, "history_manager", None)
    hist_file = getattr(manager, "hist_file", None)
    if manager is not None and getattr(manager, "enabled", False):
        with contextlib.suppress(Exception):  # a locked or corrupt database: scan what can be read
            manager.writeout_cache()
    if hist_file is not None and str(hist_file) != ":memory:" and Path(hist_file).is_file():
        return [Path(hist_file)]
    profile = getattr(getattr(shell, "profile_dir", None), "location", None)
    if profile and (Path(profile) / "history.sqlite").is_file():
        return [Path(profile) / "history.sqlite"]
    return []


def _with_checkpoints(paths: Iterable[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        out.append(path)
        if path.suffix == ".ipynb" and path.parent.name != ".ipynb_checkpoints":
            checkpoint = checkpoint_of(path)
            if checkpoint.is_file():
                out.append(checkpoint)
    return out


def _result(found: Collected, known: KnownCredentials) -> ScanResult:
    from hfauth_nb.scan.findings import build_report

    report = build_report(found.leaks, known=known.tokens, endpoint=known.endpoint, secrets=known.secrets)
    return ScanResult(report, scanned=tuple(found.scanned), skipped=tuple(found.skipped))
