"""Checks on what git's credential helpers hold for the Hub host."""

from __future__ import annotations

from hfauth_nb.engine.causes import GitCredentialCause
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.git_facts import GitFacts
from hfauth_nb.engine.report import Finding
from hfauth_nb.secrets import mask_secret


def _git_cause(git: GitFacts) -> GitCredentialCause:
    return GitCredentialCause(git.host, tuple(git.helpers), git.username, stored=git.password is not None)


def _git_timed_out(git: GitFacts) -> Finding:
    """git was the slow part, not the network: its helper hung, so it was stopped and left out."""
    return Finding(
        id="git-credential-missing",
        severity="warning",
        title=f"git's credential helper did not answer for {git.host}: git clone/push over https would hang "
        "here.",
        detail="hfauth_nb gave git its own small time budget, then stopped it; the Hub was asked in "
        "parallel, so the verdict on your token does not depend on git. This was slow on this machine, not "
        "on the network.",
        fix=(
            "git config --show-origin --get-all credential.helper   # find the helper that hangs",
            f"printf 'protocol=https\\nhost={git.host}\\n\\n' | GIT_TERMINAL_PROMPT=0 git credential fill"
            "   # try it by hand",
        ),
        evidence={"host": git.host, "helpers": list(git.helpers), "git": git.version, "reason": git.error},
        cause=_git_cause(git),
    )


def check_git_credential(ctx: Context) -> list[Finding]:
    git = ctx.facts.git
    if not git.available:
        return []
    if git.timed_out:
        return [_git_timed_out(git)]
    if git.password is None:
        return [
            Finding(
                id="git-credential-missing",
                severity="info",
                title=f"git has no credential stored for {git.host}: git clone/push over https would ask for "
                "one.",
                detail="Only git and git-lfs need this; Python calls use the token directly.",
                fix=(
                    "hf auth login --add-to-git-credential   # stores your token for git",
                    "git config --global credential.helper store   # if no helper is configured",
                ),
                evidence={
                    "host": git.host,
                    "helpers": list(git.helpers),
                    "git": git.version,
                    "reason": git.error,
                },
                cause=_git_cause(git),
            )
        ]
    rejected = ctx.valid(git.password) is False
    if git.password == ctx.effective and not rejected:
        return []
    return [
        Finding(
            id="git-credential-stale",
            severity="warning",
            title=f"git's credential helper holds a token for {git.host} that "
            + ("the Hub rejects." if rejected else "differs from the one huggingface_hub uses."),
            detail="git clone/push and git-lfs use the helper's token, so they fail (or act as another "
            "user) while Python calls work.",
            fix=(
                "hfauth fix git-credential-stale   # stores your current token for git (--remove: just erase it)",
                "or: hf auth login --add-to-git-credential",
                f"printf 'protocol={_protocol(ctx)}\\nhost={git.host}\\nusername={git.username or 'hf_user'}\\n\\n' | "
                "git credential reject   # or just remove it",
            ),
            evidence={
                "host": git.host,
                "helpers": list(git.helpers),
                "username": git.username,
                "masked": mask_secret(git.password),
                "rejected by the Hub": rejected,
            },
            cause=_git_cause(git),
        )
    ]


def _protocol(ctx: Context) -> str:
    return ctx.facts.endpoint.split(":", 1)[0]
