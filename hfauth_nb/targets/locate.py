"""Which notebook is this kernel running? Only what the front end tells the kernel, never a guess.

- VS Code puts the notebook's absolute path in the user namespace as `__vsc_ipynb_file__` (fact E4).
- jupyter_server (JupyterLab, Notebook 7) starts a session's kernel with `JPY_SESSION_NAME` set to the session
  path, relative to the server's root, and the kernel's working directory set to the notebook's folder (E4).
- Colab hands the kernel the open notebook's content on request (`google.colab._message.blocking_request
  ("get_ipynb")`), including cells not saved anywhere; asked only inside a Colab kernel.
A file read from disk is the last saved version: the front end may hold unsaved edits, and the result says so.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

_COLAB_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Located:
    """The current notebook: a path to read, or its content handed over by the front end."""

    name: str  # what the report calls it
    how: str  # how it was found, in words
    path: Path | None = None
    content: str | None = None  # nbformat JSON text (Colab), when there is no file to read


def current_notebook(user_ns: Mapping[str, Any] | None = None) -> Located | str:
    """The notebook this kernel runs, or a sentence saying why it cannot be known here."""
    if user_ns is not None:
        vsc = user_ns.get("__vsc_ipynb_file__")
        if isinstance(vsc, str) and vsc.endswith(".ipynb") and Path(vsc).is_file():
            return Located(Path(vsc).name, "VS Code's __vsc_ipynb_file__ (as last saved)", path=Path(vsc))
    session = os.environ.get("JPY_SESSION_NAME", "")
    if session.endswith(".ipynb"):
        found = _session_file(session, Path.cwd())
        if found is not None:
            return Located(found.name, "the Jupyter session's notebook (as last saved)", path=found)
    if "google.colab" in sys.modules:
        return _colab_notebook()
    if session:
        return f"the Jupyter session names {session!r}, which is not a notebook file this kernel can find"
    return (
        "this front end does not tell the kernel which notebook it runs: give the path, "
        "e.g. %hfauth preflight my_notebook.ipynb"
    )


def _session_file(session: str, cwd: Path) -> Path | None:
    """The session path is relative to the server's root; the kernel runs in the notebook's folder."""
    candidate = Path(session)
    if candidate.is_absolute():
        return candidate if candidate.is_file() else None
    here = cwd / candidate.name
    if here.is_file():
        return here
    # The server root is an ancestor of cwd: find the one under which the relative path exists.
    for root in (cwd, *cwd.parents):
        if (root / candidate).is_file():
            return root / candidate
    return None


def _colab_notebook() -> Located | str:
    try:
        from google.colab import _message

        reply = _message.blocking_request("get_ipynb", timeout_sec=_COLAB_TIMEOUT_S)
    except Exception as exc:
        return f"Colab did not hand over the open notebook ({type(exc).__name__}): give a path instead"
    notebook = reply.get("ipynb") if isinstance(reply, dict) else None
    if not isinstance(notebook, dict):
        return "Colab did not hand over the open notebook: give a path instead"
    name = str(notebook.get("metadata", {}).get("colab", {}).get("name") or "this Colab notebook")
    return Located(name, "Colab's open notebook (including unsaved cells)", content=json.dumps(notebook))
