"""git's credential for the Hub host: git-credential-missing, git-credential-stale."""

from __future__ import annotations

from factories import (
    OTHER,
    STALE,
    VALID,
    Case,
    context,
    git_facts,
    local_only,
    row,
    table,
    token_facts,
    whoami_invalid,
)

from hfauth_nb.engine.checks import git as checks

GIT = [
    row("git not installed: silent", context(git=git_facts(available=False)), []),
    row(
        "no credential stored: info",
        context(),
        [("git-credential-missing", "info")],
        evidence={"host": "huggingface.co", "helpers": ["store"]},
        fix="--add-to-git-credential",
    ),
    row(
        "the helper hung and was stopped: warning",
        context(git=git_facts(timed_out=True)),
        [("git-credential-missing", "warning")],
        fix="git config --show-origin --get-all credential.helper",
    ),
    row("git holds the token in use: silent", context(git=git_facts(VALID)), []),
    row(
        "git holds another valid token: warning",
        context(git=git_facts(OTHER)),
        [("git-credential-stale", "warning")],
        evidence={"rejected by the Hub": False, "username": "alice", "masked": "hf_...othr"},
        fix="hfauth fix git-credential-stale",
    ),
    row(
        "git holds a token the Hub rejects: warning",
        context(git=git_facts(STALE), whoami={STALE: whoami_invalid()}),
        [("git-credential-stale", "warning")],
        evidence={"rejected by the Hub": True},
    ),
    row(
        "git holds the token in use and the Hub rejects it: still stale for git",
        context(git=git_facts(VALID), whoami={VALID: whoami_invalid()}),
        [("git-credential-stale", "warning")],
        evidence={"rejected by the Hub": True},
    ),
    row(
        "Hub not asked, git differs from HF_TOKEN: warning, not judged",
        local_only(git=git_facts(OTHER)),
        [("git-credential-stale", "warning")],
        evidence={"rejected by the Hub": False},
    ),
    row(
        "no Python token but git has one: warning",
        local_only(tokens=token_facts(hf_token=None), git=git_facts(VALID)),
        [("git-credential-stale", "warning")],
    ),
]


@table(GIT)
def test_git_credential(case: Case) -> None:
    case.verify(checks.check_git_credential)
