"""A token passed to the failing call (token=...): passed-token-rejected, passed-token-no-access, passed-token-used."""

from __future__ import annotations

from factories import (
    OTHER,
    VALID,
    Case,
    context,
    gate_denial,
    local_only,
    ok,
    repo_not_found,
    row,
    table,
    token_facts,
    whoami_invalid,
    whoami_ok,
)

from hfauth_nb.engine.checks import passed_token as checks

PASSED = {"token the call sent": "hf_...othr"}

ROWS = [
    row("no token passed: silent", context(), []),
    row("the passed token is the local one: silent", context(call_token=VALID), []),
    row("Hub not asked: silent", local_only(call_token=OTHER), []),
    row(
        "the Hub rejects the passed token: error, the local one named as not used",
        context(call_token=OTHER, whoami={OTHER: whoami_invalid()}),
        [("passed-token-rejected", "error")],
        evidence={**PASSED, "token this kernel resolves": "the HF_TOKEN environment variable (hf_...good)"},
        fix="/settings/tokens",
    ),
    row(
        "no local token at all: the passed one is still judged",
        context(tokens=token_facts(hf_token=None), call_token=OTHER, whoami={OTHER: whoami_invalid()}),
        [("passed-token-rejected", "error")],
        evidence={"token this kernel resolves": "no local token"},
    ),
    row(
        "the passed token's account may not see a private repo (404): error with the repo",
        context(call_token=OTHER, whoami={OTHER: whoami_ok("bob")}, others={OTHER: repo_not_found()}),
        [("passed-token-no-access", "error")],
        evidence={**PASSED, "user": "bob", "auth-check": 404},
    ),
    row(
        "the passed token's account did not accept a gate (403): error",
        context(
            call_token=OTHER,
            whoami={OTHER: whoami_ok("bob")},
            others={OTHER: gate_denial("not-requested")},
        ),
        [("passed-token-no-access", "error")],
        evidence={"auth-check": 403},
    ),
    row(
        "a write the passed token may not make: error",
        context(
            write=True, call_token=OTHER, whoami={OTHER: whoami_ok("bob")}, others={OTHER: repo_not_found()}
        ),
        [("passed-token-no-access", "error")],
    ),
    row(
        "the passed token may read the repo: a note that the local token was not used",
        context(call_token=OTHER, whoami={OTHER: whoami_ok("bob")}, others={OTHER: ok()}),
        [("passed-token-used", "info")],
        evidence={**PASSED, "user": "bob"},
    ),
    row(
        "no repo asked: a note",
        context(repo=None, call_token=OTHER),
        [("passed-token-used", "info")],
    ),
]


@table(ROWS)
def test_passed_token(case: Case) -> None:
    case.verify(checks.check_passed_token)
