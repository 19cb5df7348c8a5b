"""`%hfauth` / `%hfauth panel`, `%hfauth login`, `%hfauth logout`: the interactive side of the magic.

Imported only when one of these runs, so `%load_ext hfauth_nb` never pays for ipywidgets or anywidget.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hfauth_nb.engine.report import Report
from hfauth_nb.panel import actions, entry, frontend, views
from hfauth_nb.panel.actions import Outcome, Settings

if TYPE_CHECKING:
    from hfauth_nb.panel.ui import Panel

__all__ = ["Notice", "Outcome", "Settings", "login", "logout", "open_panel"]

_PROMPT = "Hugging Face token (hidden; for this kernel session only, never saved): "


@dataclass(frozen=True)
class Notice:
    """An outcome as the magic's value: text in a terminal, a coloured line in a notebook."""

    outcome: Outcome

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        o = self.outcome
        return {"text/plain": o.text(), "text/html": views.message(o.level, o.message, o.notes)}

    def __repr__(self) -> str:
        return self.outcome.text()


def open_panel(
    settings: Settings, shell: Any, *, autofocus: bool = False, check_first: bool = True
) -> Panel | Report:
    """The panel in a kernel; elsewhere (terminal IPython, no ipywidgets) the text report with a note."""
    report = actions.status(settings)
    if not frontend.in_kernel(shell):
        return frontend.degraded(report, "Widgets need a Jupyter kernel; this is a terminal IPython session.")
    try:
        from hfauth_nb.panel.ui import Panel

        return Panel(settings, report=report, autofocus=autofocus, check_first=check_first)
    except ImportError as exc:
        return frontend.degraded(report, f"{exc.name or exc} cannot be imported.")


def login(
    settings: Settings, shell: Any, *, prompt: bool = False, check_first: bool = True
) -> Panel | Report | Notice:
    """The panel's token box in a notebook; the kernel's hidden prompt in a terminal, `jupyter console`,
    where the box cannot render (Kaggle, or a box in this kernel never rendered), or when asked (--prompt)."""
    if not prompt and frontend.notebook_frontend(shell):
        why = entry.cannot_render_here()
        if why is None:
            shown = open_panel(settings, shell, autofocus=True, check_first=check_first)
            if not isinstance(shown, Report):
                return shown
            why = "the panel's widgets cannot be imported"
        print(f"The token box cannot render here ({why}), so this is the kernel's hidden prompt instead.")
    return Notice(prompt_login(settings, check_first=check_first))


def prompt_login(settings: Settings, *, check_first: bool = True) -> Outcome:
    """Ask with getpass: in a notebook, the kernel's password prompt over the stdin channel (the reply is
    never echoed, and not stored in the notebook or its history)."""
    import getpass

    try:
        raw = getpass.getpass(_PROMPT)
    except (KeyboardInterrupt, EOFError):
        return Outcome("info", "Cancelled: HF_TOKEN was not changed.")
    except (
        Exception
    ) as exc:  # ipykernel's StdinNotImplementedError (nbclient, papermill, nbconvert --execute)
        return Outcome("error", _no_stdin(exc))
    try:
        return actions.submit_token(raw, settings, validate=check_first)
    finally:
        del raw


def _no_stdin(exc: Exception) -> str:
    """Why there is no prompt (the exception's type only: its text is not ours to show) and what works."""
    return (
        f"This front end cannot prompt for a token ({type(exc).__name__}: a notebook run by nbclient, "
        "papermill or nbconvert --execute has no stdin); HF_TOKEN was not changed. Give the run its token "
        "through the environment instead: HF_TOKEN set where the kernel starts (a CI secret), or a Colab "
        "secret named HF_TOKEN; or log in once with `hf auth login` in a terminal."
    )


def logout(settings: Settings) -> Notice:
    """Forget the session token: HF_TOKEN goes back to what it was (or is removed)."""
    return Notice(actions.forget_token(settings))
