"""Can widgets render here, and is a person at a notebook? Decides the panel versus the text report/getpass.

Widgets need a Jupyter kernel (ZMQInteractiveShell); terminal IPython has none. `jupyter console` is a kernel
too, but no widget front end: notebook front ends mark their execute requests with a `cellId` (JupyterLab,
Notebook 7, nbclient) or are recognisable (Colab, VS Code). When unsure, `%hfauth login` prompts with getpass,
which works in every front end, so a wrong guess costs a prompt rather than a box nobody can see.
"""

from __future__ import annotations

import dataclasses
import sys
from typing import Any

from hfauth_nb.engine.report import Finding, Report, secrets_of


def in_kernel(shell: Any) -> bool:
    """True inside a Jupyter-protocol kernel, where widgets may render."""
    return shell is not None and any(cls.__name__ == "ZMQInteractiveShell" for cls in type(shell).__mro__)


def notebook_frontend(shell: Any) -> bool:
    """True when the code runs in a kernel driven by a notebook front end that can show widgets."""
    if not in_kernel(shell):
        return False
    if "google.colab" in sys.modules or "__vsc_ipynb_file__" in (getattr(shell, "user_ns", None) or {}):
        return True
    metadata = _parent(shell).get("metadata") or {}
    return isinstance(metadata, dict) and bool(metadata.get("cellId"))


def _parent(shell: Any) -> dict[str, Any]:
    """The message being executed (its metadata says which front end sent it)."""
    getter = getattr(getattr(shell, "kernel", None), "get_parent", None)
    try:
        parent = getter("shell") if getter is not None else getattr(shell, "parent_header", None)
    except Exception:
        parent = None
    return parent if isinstance(parent, dict) else {}


def degraded(report: Report, why: str) -> Report:
    """The text report, with a note saying why there is no panel and what to use instead."""
    note = Finding(
        id="widget-frontend-missing",
        severity="info",
        title="The %hfauth panel cannot render here, so this is the text report",
        detail=why,
        fix=(
            "%hfauth login   (asks for a token without echoing it; sets HF_TOKEN for this session only)",
            "%hfauth check org/name   (checks one repo)",
        ),
    )
    return dataclasses.replace(report, findings=[*report.findings, note], secrets=secrets_of(report))
