"""What the panel's Fix… buttons do, without any widget: plain functions to test.

The same steps as `%hfauth fix` (`hfauth_nb.fixes`), split at the point where the panel waits for a click:
check again and plan (shown), then apply exactly that plan once confirmed and check again. The panel is
this kernel, so environment changes are made here (restorable with `undo`). Nothing returned here holds a
raw token in text: plans and outcomes are rendered by `hfauth_nb.fixes.render`, which masks and scrubs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from hfauth_nb.engine import api
from hfauth_nb.engine.report import Finding, Report
from hfauth_nb.fixes.model import FixPlan
from hfauth_nb.fixes.plan import AUTOMATIC_IDS, plan_fix
from hfauth_nb.fixes.run import FixOutcome, Status, apply_plan
from hfauth_nb.fixes.session_env import undo_last
from hfauth_nb.panel import actions
from hfauth_nb.panel.actions import Settings


@dataclass(frozen=True)
class CheckArgs:
    """What the panel's findings area last checked (an empty repo: the token setup only)."""

    repo: str = ""
    repo_type: str = "model"
    write: bool = False


def run_check(settings: Settings, args: CheckArgs) -> Report:
    """The check `args` describes, as the panel's Check button runs it."""
    if args.repo:
        return actions.check_repo(settings, args.repo, args.repo_type, args.write)
    return actions.status(settings)


def fixable(report: Report, settings: Settings) -> tuple[Finding, ...]:
    """The first finding of each id whose plan has steps hfauth can run in this kernel, in report order."""
    effective = _lazy_effective(settings)
    ids = dict.fromkeys(f.id for f in report.findings if f.id in AUTOMATIC_IDS)
    found = (report.finding(i) for i in ids if plan(report, i, settings, effective).actions)
    return tuple(f for f in found if f is not None)


def plan(
    report: Report, finding_id: str, settings: Settings, effective: Callable[[], str | None] | None = None
) -> FixPlan:
    """The plan `%hfauth fix FINDING_ID` would show for `report`, made for this kernel."""
    return plan_fix(report, finding_id, where="kernel", effective=effective or _lazy_effective(settings))


def confirm(plan: FixPlan, before: Report, settings: Settings, args: CheckArgs) -> FixOutcome:
    """Apply the plan the user saw and confirmed, then run the same check again."""
    done, errors = apply_plan(plan)
    after = run_check(settings, args) if done else None
    status: Status = "applied" if done and not errors else "failed"
    return FixOutcome(plan, status, before, done, errors, after, plan_shown=True)


def undoable(outcome: FixOutcome) -> bool:
    """True when the outcome changed this kernel's environment, which `undo` can put back."""
    return bool(outcome.done) and any(step.kind == "session" for step in outcome.plan.actions)


def undo(settings: Settings, args: CheckArgs) -> tuple[str, Report]:
    """Put back the variables the last environment fix changed; the message and the check run afterwards."""
    message = undo_last()
    return message, run_check(settings, args)


def _lazy_effective(settings: Settings) -> Callable[[], str | None]:
    """The raw effective token, read once and only if a plan asks (git fixes); never shown."""
    memo: list[str | None] = []

    def effective() -> str | None:
        if not memo:
            memo.append(
                api.effective_token(
                    read_colab_secret=settings.read_colab_secret, skip_colab_secret=settings.skip_colab_secret
                )
            )
        return memo[0]

    return effective
