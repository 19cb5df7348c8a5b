"""The `%hfauth` panel: identity, sources, the session token box, Forget, a repo check with a Fix… button
per finding hfauth can fix, and "Copy report" (the redacted Markdown report, to paste into an issue).

Widgets are composed once (children lists built, then assigned); handlers call `actions` and show the result.
A handler never lets an exception out: ipywidgets would print its traceback, and under `%xmode Verbose`
a traceback lists local variables, which in the token handler would include the token.
"""

from __future__ import annotations

import sys
from typing import Any

from hfauth_nb import session
from hfauth_nb.engine.report import Report
from hfauth_nb.errors import describe_internal_error
from hfauth_nb.grammar.parse import looks_like_token
from hfauth_nb.hub_refs import REPO_TYPES
from hfauth_nb.panel import actions, views
from hfauth_nb.panel.actions import Outcome, Settings
from hfauth_nb.panel.entry import TokenEntry, cannot_render_here, runtime_without_box
from hfauth_nb.panel.fixbox import FixControls
from hfauth_nb.panel.fixing import CheckArgs
from hfauth_nb.secrets import scrub

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
# Next to the token box until its front end says it rendered (entry.py); then it disappears.
_WAITING_NOTE = (
    "If no token box shows above, this front end cannot display it: run %hfauth login --prompt for the "
    "kernel's hidden prompt instead (never stored in the notebook)."
)
_MISSING_WHY = (
    "this front end did not load its JavaScript (anywidget): e.g. VS Code without widget script sources, "
    "Kaggle, or a Jupyter server started before anywidget was installed (restart the server, not just the kernel)"
)

# Shown only where the widgets do not render (jupyter console, static viewers, a missing widget manager).
_PLAIN_NOTE = (
    "(The %hfauth panel's widgets did not render here, so this is its text report. "
    "%hfauth login --prompt sets a session-only token with the kernel's hidden prompt; "
    "%hfauth check org/name checks a repo.)"
)


def missing_note(why: str) -> str:
    """What replaces the waiting note when the box did not render: why, and the hidden prompt instead."""
    return (
        f"The token box did not render here ({why}). There is no fallback box that a notebook save could "
        "record: run %hfauth login --prompt for the kernel's hidden prompt (never stored in the notebook), "
        "or set HF_TOKEN before the kernel starts."
    )


def _hook(widget: Any, name: str) -> Any:
    """Tag a widget with a DOM class (design.md's hooks) and return it."""
    widget.add_class(name)
    return widget


class Panel:
    """One panel per `%hfauth`; it renders as widgets, and as the text report where widgets cannot."""

    def __init__(
        self,
        settings: Settings,
        *,
        report: Report | None = None,
        autofocus: bool = False,
        check_first: bool = True,
    ) -> None:
        import ipywidgets as w

        self.settings = settings
        self.report = report if report is not None else actions.status(settings)
        self.entry = TokenEntry(autofocus=autofocus)
        self.entry.on_submit(self._on_token)
        why = cannot_render_here()
        self.entry_note = _hook(
            w.HTML(_note_html(missing_note(why) if why else _WAITING_NOTE)), "hfauth-token-note"
        )
        self.entry.on_status(self._on_entry_status)
        self.identity = _hook(w.HTML(), "hfauth-identity")
        self.check_first = w.Checkbox(value=check_first, description="Check with the Hub first", indent=False)
        self.forget = _hook(
            w.Button(description="Forget", tooltip="Restore HF_TOKEN's previous value"), "hfauth-token-forget"
        )
        self.forget.on_click(self._on_forget)
        self.messages = _hook(w.Output(), "hfauth-messages")
        self.repo = _hook(
            w.Text(placeholder="org/name or a Hub URL", description="Repo", continuous_update=False),
            "hfauth-repo-input",
        )
        self.repo_type = w.Dropdown(options=list(REPO_TYPES), value="model", layout=w.Layout(width="8em"))
        self.write = w.Checkbox(value=False, description="write", indent=False, layout=w.Layout(width="6em"))
        self.check = _hook(w.Button(description="Check", button_style="primary"), "hfauth-check-button")
        self.check.on_click(self._on_check)
        self.preflight = _hook(
            w.Button(
                description="Check this notebook", tooltip="Every Hub repo this notebook's code will touch"
            ),
            "hfauth-preflight-button",
        )
        self.preflight.on_click(self._on_preflight)
        self.findings = _hook(w.HTML(), "hfauth-findings")
        self.fixes = FixControls(settings, self._show_checked, _internal)
        self.copy = _hook(
            w.Button(description="Copy report", tooltip="Show the report as redacted Markdown to copy"),
            "hfauth-copy-report",
        )
        self.copy.on_click(self._on_copy)
        self.markdown = _hook(w.HTML(), "hfauth-markdown")
        children = [
            w.HTML("<b>Hugging Face Hub access</b> · <code>%hfauth</code>"),
            self.identity,
            self.entry.widget,
            self.entry_note,
            w.HBox([self.check_first, self.forget]),
            w.HTML(_note_html(session.SHORT)),
            self.messages,
            w.HBox([self.repo, self.repo_type, self.write, self.check, self.copy]),
            self.preflight,
            self.findings,
            self.fixes.widget,
            self.markdown,
        ]
        self.widget = _hook(w.VBox(children), "hfauth-panel")
        self._refresh(self.report)

    # -- display ----------------------------------------------------------------------------------

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> Any:
        from hfauth_nb.render import html, text

        data = {
            "text/plain": f"{text.render(self.report)}\n\n{_PLAIN_NOTE}",
            "text/html": html.render(self.report),
            WIDGET_MIME: {"version_major": 2, "version_minor": 0, "model_id": self.widget.model_id},
        }
        self.entry.expect_render()  # displayed now: without the box's answer after this cell, say so
        return data, _colab_metadata()

    def __repr__(self) -> str:
        return f"<hfauth panel: {self.report.verdict}>"

    # -- handlers ---------------------------------------------------------------------------------

    def _on_entry_status(self, status: str) -> None:
        """The box rendered (the note goes), or did not answer in time (the note says so, and what to use)."""
        if status == "rendered":
            self.entry_note.value = ""
            self.entry_note.layout.display = "none"
        elif status == "missing":
            self.entry_note.value = _note_html(missing_note(runtime_without_box() or _MISSING_WHY))

    def _on_token(self, token: str) -> None:
        validate = bool(self.check_first.value)
        self._set_busy(True)
        self._say(Outcome("info", "Checking the token with the Hub…" if validate else "Setting HF_TOKEN…"))
        try:
            outcome = actions.submit_token(token, self.settings, validate=validate)
        except Exception as exc:
            outcome = Outcome("error", scrub(_internal(exc), [token]))
        finally:
            self._set_busy(False)
        self._say(outcome)

    def _on_forget(self, _button: Any) -> None:
        try:
            outcome = actions.forget_token(self.settings)
        except Exception as exc:
            outcome = Outcome("error", _internal(exc))
        self._say(outcome)

    def _on_check(self, _button: Any) -> None:
        repo = str(self.repo.value or "").strip()
        if looks_like_token(repo):
            self.repo.value = ""  # a synced trait: never leave a token in it for a save to find
            self._say(
                Outcome("error", "That looks like a token: paste it into the token box, not the repo box.")
            )
            return
        self.check.disabled = True
        self.check.description = "Checking…"
        try:
            report = (
                actions.check_repo(self.settings, repo, str(self.repo_type.value), bool(self.write.value))
                if repo
                else actions.status(self.settings)
            )
        except ValueError as exc:
            self._say(Outcome("error", f"Cannot check {repo!r}: {exc}"))
            return
        except Exception as exc:
            self._say(Outcome("error", _internal(exc)))
            return
        finally:
            self.check.disabled = False
            self.check.description = "Check"
        self._show_checked(report)
        self.fixes.show(report, CheckArgs(repo, str(self.repo_type.value), bool(self.write.value)))

    def _on_preflight(self, _button: Any) -> None:
        """The preflight table of this notebook in the findings area (the front end must name the notebook)."""
        from IPython import get_ipython

        from hfauth_nb.targets import render

        self.preflight.disabled = True
        try:
            shell = get_ipython()
            result = actions.preflight_this_notebook(self.settings, getattr(shell, "user_ns", None))
        except Exception as exc:
            self._say(Outcome("error", _internal(exc)))
            return
        finally:
            self.preflight.disabled = False
        if isinstance(result, str):
            self._say(Outcome("error", result))
            return
        self.findings.value = render.html(result)
        self.fixes.show(result.setup, CheckArgs("", "model", False))  # fixes for the token setup

    def _on_copy(self, _button: Any) -> None:
        """Show the report on display as redacted Markdown to select and copy; a second click hides it."""
        self.markdown.value = "" if self.markdown.value else _markdown(self.report)
        self.copy.description = "Hide report" if self.markdown.value else "Copy report"

    # -- state ------------------------------------------------------------------------------------

    def _say(self, outcome: Outcome) -> None:
        """Show one outcome in the messages Output (replacing the last one) and refresh the identity."""
        self.messages.outputs = (
            {
                "output_type": "display_data",
                "data": {
                    "text/plain": outcome.text(),
                    "text/html": views.message(outcome.level, outcome.message, outcome.notes),
                },
                "metadata": {},
            },
        )
        if outcome.report is not None:
            self._refresh(outcome.report)
        else:
            self._sync_forget()

    def _show_checked(self, report: Report) -> None:
        """A report of the findings area (a check, or the check run after a fix): same HTML as the magic."""
        from hfauth_nb.render import html

        self.findings.value = html.render(report)
        self._refresh(report)

    def _refresh(self, report: Report) -> None:
        self.report = report
        self.identity.value = views.identity(report, session.state())
        if self.markdown.value:  # keep a shown Markdown report in step with the report on display
            self.markdown.value = _markdown(report)
        self._sync_forget()

    def _sync_forget(self) -> None:
        self.forget.disabled = not session.state().active

    def _set_busy(self, busy: bool) -> None:
        self.entry.set_busy(busy)
        self.forget.disabled = busy or not session.state().active


def _note_html(text: str) -> str:
    return f'<div style="font-size:90%;opacity:.8;max-width:60em;line-height:1.4">{views.esc(text)}</div>'


def _internal(exc: BaseException) -> str:
    return describe_internal_error(exc, debug=False, hint="run `%hfauth --debug status`")


def _markdown(report: Report) -> str:
    """The copy box's HTML; an internal error becomes its one-line message (handlers never raise)."""
    from hfauth_nb.render import markdown

    try:
        return views.markdown_box(report, markdown.render(report))
    except Exception as exc:
        return views.message("error", _internal(exc))


def _colab_metadata() -> dict[str, Any]:
    """In Colab, third-party widgets (anywidget) need the custom widget manager; anywidget says where it is."""
    if "google.colab.output" not in sys.modules:
        return {}
    try:
        from anywidget._util import get_repr_metadata
    except Exception:
        return {}
    metadata: dict[str, Any] = get_repr_metadata()
    return metadata
