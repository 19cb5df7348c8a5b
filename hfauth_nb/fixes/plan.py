"""From a finding to a fix plan: which steps remove exactly its cause, and which are left to the user.

Pure dispatch on the finding id; the step builders read the files or the environment they are about to
change, so the plan shows the real diff. Findings without a safe automatic fix get their own fix text as
a manual step: nothing is executed for them.
"""

from __future__ import annotations

import os
from typing import Callable, Literal, Mapping

from hfauth_nb.engine.facts import host_of
from hfauth_nb.engine.report import Finding, Report
from hfauth_nb.fixes import session_env
from hfauth_nb.fixes.git_credentials import GitAction, plan_git
from hfauth_nb.fixes.model import FixPlan, Step
from hfauth_nb.fixes.netrc_fix import plan_netrc

Where = Literal["kernel", "cli"]

NETRC_IDS = frozenset({"netrc-overrides-token", "netrc-entry"})
ENV_IDS = frozenset({"token-shadowed", "legacy-env-var", "token-invalid"})
GIT_IDS = frozenset({"git-credential-stale", "git-credential-missing"})
AUTOMATIC_IDS = NETRC_IDS | ENV_IDS | GIT_IDS


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
    steps: list[Step]
    if finding_id in NETRC_IDS:
        steps = [plan_netrc(f, host_of(endpoint)) for f in findings]
    elif finding_id in ENV_IDS:
        steps = [_env_step(f, where, env) for f in findings[:1]]
    elif finding_id in GIT_IDS:
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
    if finding.id == "token-shadowed" and finding.severity != "error":
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
