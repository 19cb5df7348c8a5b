"""From a finding to a fix plan: which steps remove exactly its cause, and which are left to the user.

Pure dispatch on the catalogue's fixer for the id; the step builders read the finding's typed cause and the
files or the environment they are about to change, so the plan shows the real diff. Findings without a safe
automatic fix get their own fix text as a manual step: nothing is executed for them.
"""

from __future__ import annotations

import os
from typing import Callable, Literal, Mapping

from hfauth_nb.engine.causes import EnvVarCause
from hfauth_nb.engine.findings import FIXABLE, spec
from hfauth_nb.engine.report import Finding, Report
from hfauth_nb.fixes import session_env
from hfauth_nb.fixes.git_credentials import GitAction, plan_git
from hfauth_nb.fixes.model import FixPlan, Step
from hfauth_nb.fixes.netrc_fix import plan_netrc

Where = Literal["kernel", "cli"]

AUTOMATIC_IDS = FIXABLE  # ids whose cause a step here can remove (the catalogue's `fixer`)


def plan_fix(
    report: Report,
    finding_id: str,
    *,
    where: Where,
    git_action: GitAction = "auto",
    effective: Callable[[], str | None] = lambda: None,
    environ: Mapping[str, str] | None = None,
) -> FixPlan:
    """The plan for every finding of `report` with this id; `effective` yields the raw effective token
    (asked only for git fixes); `where` says whether this process is the user's kernel or a CLI."""
    findings = tuple(f for f in report.findings if f.id == finding_id)
    if not findings:
        return FixPlan(finding_id, message=f"Nothing to fix: the check does not report {finding_id} now.")
    endpoint = report.target.endpoint
    env = os.environ if environ is None else environ
    fixer = spec(finding_id).fixer
    steps: list[Step]
    if fixer == "netrc":
        steps = [plan_netrc(f) for f in findings]
    elif fixer == "env":
        steps = [_env_step(f, where, env) for f in findings[:1]]
    elif fixer == "git":
        steps = [plan_git(f, endpoint, effective(), git_action) for f in findings[:1]]
    else:
        steps = [_manual(f) for f in findings]
    return FixPlan(finding_id, findings, tuple(steps))


def _manual(finding: Finding) -> Step:
    return Step("manual", "hfauth does not change this for you. The finding's fix:", commands=finding.fix)


def _env_step(finding: Finding, where: Where, environ: Mapping[str, str]) -> Step:
    changes = session_env.changes_for(finding, environ)
    if not changes:
        return Step(
            "manual",
            "The cause is not an environment variable of this process, so there is nothing to change here. "
            "The finding's fix:",
            commands=finding.fix,
        )
    described = "; ".join(change.describe() for change in changes)
    lasting = (
        "To make it last, remove the variable where it is set (shell profile such as ~/.bashrc, a .env file, "
        "the kernel spec or the notebook's first cell), or it comes back next session."
    )
    notes: tuple[str, ...] = (lasting,)
    if isinstance(finding.cause, EnvVarCause) and not finding.cause.proven:
        notes = (
            "Nothing shows that the token in use is the wrong one: after this, the next source's token is used. "
            "If that is not what you want, undo it.",
            lasting,
        )
    if where == "kernel":
        return Step(
            "session",
            f"In this kernel only: {described}.",
            notes=notes,
            action=lambda: session_env.apply(changes),
            undo="%hfauth fix --undo",
        )
    return Step(
        "session",
        "A command cannot change the environment of the shell that started it. Run these lines in your shell:",
        commands=session_env.shell_lines(changes),
        notes=("In a notebook, run instead: " + session_env.python_line(changes), *notes),
        action=lambda: session_env.apply(changes),
        preview=True,
    )
