"""Run a fix end to end: diagnose, plan, show, confirm, apply, diagnose again.

Front ends pass how to confirm (a TTY prompt, `--yes`, a kernel `input()`), and show the returned
`FixOutcome`. Only steps that outlive the process (file edits, git credentials) need confirmation;
environment changes in a kernel are restorable with `undo_last`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Literal

from hfauth_nb.engine import api
from hfauth_nb.engine.report import Report, secrets_of
from hfauth_nb.fixes.git_credentials import GitAction
from hfauth_nb.fixes.model import FixError, FixPlan
from hfauth_nb.fixes.plan import Where, plan_fix

Status = Literal["nothing-to-do", "manual", "dry-run", "needs-confirmation", "declined", "applied", "failed"]


class ConfirmUnavailable(Exception):
    """There is no way to ask the user (stdin is not a terminal, the front end has no input)."""


Confirm = Callable[[FixPlan], bool]


@dataclass(frozen=True)
class FixOutcome:
    """What a fix did: the plan, the changes made, the failures, and the check run afterwards."""

    plan: FixPlan
    status: Status
    before: Report = field(repr=False)
    done: tuple[str, ...] = ()
    errors: tuple[str, ...] = ()
    after: Report | None = field(default=None, repr=False)
    hint: str = ""  # what the front end suggests next (e.g. how to confirm)
    plan_shown: bool = False  # the front end already printed the plan (when it asked)

    @property
    def resolved(self) -> bool:
        """True when the check run after the fix no longer reports the finding."""
        return self.after is not None and self.after.finding(self.plan.finding_id) is None

    @property
    def preview(self) -> bool:
        return any(step.preview for step in self.plan.actions)

    def known_secrets(self) -> frozenset[str]:
        """What rendering scrubs against (a method, not a property: `outcome.<tab>` in a notebook shows none)."""
        return secrets_of(self.before) | (secrets_of(self.after) if self.after is not None else frozenset())

    def __str__(self) -> str:
        from hfauth_nb.fixes.render import render_text

        return render_text(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        from hfauth_nb.fixes.render import render_html

        return {"text/plain": str(self), "text/html": render_html(self)}


def run_fix(
    finding_id: str,
    *,
    where: Where,
    confirm: Confirm,
    dry_run: bool = False,
    git_action: GitAction = "auto",
    timeout: float = 5.0,
    endpoint: str | None = None,
) -> FixOutcome:
    """Diagnose, plan the fix for `finding_id`, and apply it when `confirm` agrees (never for a dry run)."""
    before = api.diagnose(timeout=timeout, endpoint=endpoint)
    plan = plan_fix(before, finding_id, where=where, git_action=git_action, effective=api.effective_token)
    if not plan.findings:
        return FixOutcome(plan, "nothing-to-do", before)
    if not plan.actions:
        return FixOutcome(plan, "manual", before)
    if dry_run:
        return FixOutcome(plan, "dry-run", before)
    if plan.persistent:
        try:
            agreed = confirm(plan)
        except ConfirmUnavailable:
            return FixOutcome(plan, "needs-confirmation", before)
        if not agreed:
            return FixOutcome(plan, "declined", before)
    done, errors = apply_plan(plan)
    after = api.diagnose(timeout=timeout, endpoint=endpoint) if done else None
    return FixOutcome(plan, "applied" if done and not errors else "failed", before, done, errors, after)


def apply_plan(plan: FixPlan) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Run each action; a failing step is reported and does not stop the others (each is independent)."""
    done: list[str] = []
    errors: list[str] = []
    for step in plan.actions:
        assert step.action is not None
        try:
            done.append(step.action())
        except FixError as exc:
            errors.append(str(exc))
    return tuple(done), tuple(errors)
