"""`hfauth fix` and `%hfauth fix`: how each front end confirms, prints and ends.

CLI exit status: 0 when hfauth removed the cause (the check run afterwards no longer reports it), when
there was nothing to fix, or for a dry run; 1 when the cause is still there (steps left to you, a step
failed, you said no, or lines for your shell to run); 2 when confirmation was needed but stdin is not a
terminal and `--yes` was not given.
"""

from __future__ import annotations

import sys
from dataclasses import replace

from hfauth_nb.fixes.model import FixPlan
from hfauth_nb.fixes.render import render_plan, render_text
from hfauth_nb.fixes.run import ConfirmUnavailable, FixOutcome, run_fix
from hfauth_nb.fixes.session_env import undo_last
from hfauth_nb.grammar.requests import FixRequest

EXIT_FIXED, EXIT_NOT_FIXED, EXIT_NEEDS_YES = 0, 1, 2
_YES = ("y", "yes")


class _Asker:
    """Asks once on a terminal (or agrees at once for --yes), remembering whether the plan was shown."""

    def __init__(self, *, yes: bool, kernel: bool) -> None:
        self.yes = yes
        self.kernel = kernel
        self.shown = False

    def __call__(self, plan: FixPlan) -> bool:
        if self.yes:
            return True
        if not self.kernel and not sys.stdin.isatty():
            raise ConfirmUnavailable
        print(render_plan(plan), flush=True)
        self.shown = True
        try:
            answer = input("Apply these changes? [y/N] ")
        except (EOFError, OSError, NotImplementedError, RuntimeError):
            raise ConfirmUnavailable from None
        return answer.strip().lower() in _YES


def _run(request: FixRequest, *, kernel: bool) -> FixOutcome:
    """The fix as the request asks, in this kernel or from a terminal, remembering whether a plan was shown."""
    asker = _Asker(yes=request.yes, kernel=kernel)
    outcome = run_fix(
        request.finding_id,
        where="kernel" if kernel else "cli",
        confirm=asker,
        dry_run=request.dry_run,
        git_action=request.git_action,
        timeout=request.timeout,
        endpoint=request.endpoint,
    )
    return replace(outcome, plan_shown=asker.shown)


def cli_fix(request: FixRequest) -> int:
    """Run the fix from a terminal; prints the outcome and returns the exit status."""
    outcome = _run(request, kernel=False)
    if outcome.status == "needs-confirmation":
        outcome = replace(
            outcome,
            hint="hfauth fix changes files only when you confirm: stdin is not a terminal, so nothing was asked. "
            "Re-run with --yes to apply the plan above, or --dry-run to only see it.",
        )
    sys.stdout.write(render_text(outcome) + "\n")
    sys.stdout.flush()
    return exit_status(outcome)


def exit_status(outcome: FixOutcome) -> int:
    if outcome.status in ("nothing-to-do", "dry-run"):
        return EXIT_FIXED
    if outcome.status == "needs-confirmation":
        return EXIT_NEEDS_YES
    if outcome.status == "applied" and outcome.resolved and not outcome.preview:
        return EXIT_FIXED
    return EXIT_NOT_FIXED


def magic_fix(request: FixRequest) -> FixOutcome | None:
    """Run the fix in this kernel: environment changes apply here (undo: `%hfauth fix --undo`)."""
    if request.undo:
        print(undo_last())
        return None
    outcome = _run(request, kernel=True)
    if outcome.status == "needs-confirmation":
        outcome = replace(outcome, hint=f"To apply it: %hfauth fix {request.finding_id} --yes")
    return outcome
