"""hfauth_nb: find why the Hugging Face Hub answers 401/403 in a notebook, with evidence and the exact fix.

Importing the package, and `%load_ext hfauth_nb`, stay cheap: huggingface_hub, ipywidgets and the HTTP
clients are imported only when a diagnosis runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from os import PathLike

    from IPython.core.interactiveshell import InteractiveShell

    from hfauth_nb.engine.report import Report
    from hfauth_nb.targets.result import PreflightResult

__version__ = "0.1.0"
__all__ = [
    "__version__",
    "diagnose",
    "explain",
    "load_ipython_extension",
    "preflight",
    "unload_ipython_extension",
]


def diagnose(
    repo_id: str | None = None,
    *,
    repo_type: str = "model",
    write: bool = False,
    revision: str | None = None,
    timeout: float = 5.0,
) -> Report:
    """Diagnose the Hugging Face token setup, and access to `repo_id` when given; returns a Report."""
    from hfauth_nb.engine.diagnose import diagnose as _diagnose

    return _diagnose(repo_id, repo_type=repo_type, write=write, revision=revision, timeout=timeout)


def explain(exc: BaseException | None = None, *, timeout: float = 5.0) -> Report:
    """Diagnose the Hub request inside `exc` (default: the last exception of this session); returns a Report."""
    from hfauth_nb.why import explain as _explain

    return _explain(exc, timeout=timeout)


def preflight(*paths: str | PathLike[str], timeout: float = 5.0) -> PreflightResult:
    """Every Hub repo the code in these notebooks (.ipynb) and scripts (.py) will touch, checked at once without
    running the code; returns a PreflightResult (`.ok`, `.rows`, `.unresolved`, `.to_dict()`)."""
    from hfauth_nb.targets.check import run_preflight

    return run_preflight(list(paths), timeout=timeout)


def load_ipython_extension(ipython: InteractiveShell) -> None:
    """`%load_ext hfauth_nb`: register the `%hfauth` magic and the `HfAuth` settings (idempotent)."""
    from hfauth_nb.magic import register

    register(ipython)


def unload_ipython_extension(ipython: InteractiveShell) -> None:
    """`%unload_ext hfauth_nb`: remove what `load_ipython_extension` registered."""
    from hfauth_nb.magic import unregister

    unregister(ipython)
