"""The panel's fix controls: a Fix… button per finding hfauth can fix, the plan with Confirm / Cancel, and
the outcome (what changed, the new verdict) with Undo for environment changes.

Nothing changes before Confirm: Fix… checks again and shows the plan of that fresh report, Confirm applies
exactly that plan (`hfauth_nb.panel.fixing`). A handler never lets an exception out (see `ui`).
"""

from __future__ import annotations

from typing import Any, Callable

from hfauth_nb.engine.report import Finding, Report, secrets_of
from hfauth_nb.fixes.model import FixPlan
from hfauth_nb.fixes.render import render_html, render_plan
from hfauth_nb.fixes.run import FixOutcome
from hfauth_nb.panel import fixing, views
from hfauth_nb.panel.actions import Settings
from hfauth_nb.panel.fixing import CheckArgs
from hfauth_nb.secrets import scrub

# The panel shows a report checked here (findings, identity); it must not raise.
ShowReport = Callable[[Report], None]
Describe = Callable[[BaseException], str]


def _hook(widget: Any, name: str) -> Any:
    widget.add_class(name)
    return widget


class FixControls:
    """Lives under the panel's findings; `show(report, args)` after every check of the findings area."""

    def __init__(self, settings: Settings, show_report: ShowReport, describe: Describe) -> None:
        import ipywidgets as w

        self._w = w
        self.settings = settings
        self._show_report = show_report
        self._describe = describe
        self._report: Report | None = None
        self._args = CheckArgs()
        self._pending: FixPlan | None = None
        self.buttons: list[Any] = []
        self._ids: list[str] = []
        self.plan = _hook(w.HTML(), "hfauth-fix-pending")
        self.confirm = _hook(w.Button(description="Confirm", button_style="warning"), "hfauth-fix-confirm")
        self.cancel = _hook(w.Button(description="Cancel"), "hfauth-fix-cancel")
        self.undo = _hook(
            w.Button(description="Undo", tooltip="Put back the variables this fix changed"), "hfauth-fix-undo"
        )
        self.result = _hook(w.HTML(), "hfauth-fix-result")
        self.confirm.on_click(self._on_confirm)
        self.cancel.on_click(self._on_cancel)
        self.undo.on_click(self._on_undo)
        self._row = w.HBox([], layout=w.Layout(flex_flow="row wrap"))
        self._choices = w.HBox([self.confirm, self.cancel])
        self.widget = _hook(w.VBox([]), "hfauth-fixes")

    # -- called by the panel ------------------------------------------------------------------------

    def show(self, report: Report, args: CheckArgs) -> None:
        """A new report in the findings area: its Fix… buttons, no pending plan, no old outcome."""
        self._args = args
        self.result.value = ""
        self._set_report(report)
        self._layout()

    # -- handlers -----------------------------------------------------------------------------------

    def _on_fix(self, finding_id: str) -> None:
        try:
            report = fixing.run_check(self.settings, self._args)
            plan = fixing.plan(report, finding_id, self.settings)
        except Exception as exc:
            self._finish(views.message("error", self._describe(exc)))
            return
        self._show_report(report)
        self._set_report(report)
        if not plan.actions:
            text = render_plan(plan, secrets_of(report))
            self._finish(views.framed("info", f"<pre>{views.esc(text)}</pre>"))
            return
        self._pending = plan
        self.plan.value = views.pending_plan(render_plan(plan, secrets_of(report)))
        self.result.value = ""
        self._layout()

    def _on_confirm(self, _button: Any) -> None:
        plan, self._pending = self._pending, None
        if plan is None or self._report is None:
            self._layout()
            return
        self._busy(True)
        try:
            outcome = fixing.confirm(plan, self._report, self.settings, self._args)
        except Exception as exc:
            self._finish(views.message("error", self._describe(exc)))
            return
        finally:
            self._busy(False)
        if outcome.after is not None:
            self._show_report(outcome.after)
            self._set_report(outcome.after)
        self._finish(views.framed(_level(outcome), render_html(outcome)), undo=fixing.undoable(outcome))

    def _on_cancel(self, _button: Any) -> None:
        self._pending = None
        self._finish(views.message("info", "Cancelled: nothing was changed."))

    def _on_undo(self, _button: Any) -> None:
        try:
            message, report = fixing.undo(self.settings, self._args)
        except Exception as exc:
            self._finish(views.message("error", self._describe(exc)))
            return
        self._show_report(report)
        self._set_report(report)
        self._finish(
            views.message("ok" if report.ok else "warning", message, (f"Check now: {report.verdict}",))
        )

    # -- state --------------------------------------------------------------------------------------

    def _set_report(self, report: Report) -> None:
        """Keep `report` and rebuild the Fix… buttons for it (the old ones are closed); never raises."""
        self._report = report
        self._pending = None
        try:
            findings = fixing.fixable(report, self.settings)
        except Exception as exc:
            findings = ()
            self.result.value = views.message("error", self._describe(exc))
        if [f.id for f in findings] == self._ids:
            return
        old, self.buttons = self.buttons, [self._button(f, report) for f in findings]
        self._ids = [f.id for f in findings]
        self._row.children = tuple(self.buttons)
        for button in old:
            button.close()

    def _button(self, finding: Finding, report: Report) -> Any:
        button = self._w.Button(
            description=f"Fix… {finding.id}",
            tooltip=scrub(f"Show the change that fixes: {finding.title}", secrets_of(report)),
            layout=self._w.Layout(width="auto"),
        )
        button.on_click(lambda _b, finding_id=finding.id: self._on_fix(finding_id))
        return _hook(button, "hfauth-fix-button")

    def _finish(self, html: str, *, undo: bool = False) -> None:
        self._pending = None
        self.result.value = html
        self._layout(undo=undo)

    def _layout(self, *, undo: bool = False) -> None:
        children: list[Any] = [self._row] if self.buttons else []
        if self._pending is not None:
            children += [self.plan, self._choices]
        elif self.result.value:
            children += [self.result, *([self.undo] if undo else [])]
        self.widget.children = tuple(children)

    def _busy(self, busy: bool) -> None:
        self.confirm.disabled = busy
        self.cancel.disabled = busy
        self.confirm.description = "Applying…" if busy else "Confirm"


def _level(outcome: FixOutcome) -> str:
    if outcome.errors or outcome.status == "failed":
        return "error"
    return "ok" if outcome.resolved else "warning"
