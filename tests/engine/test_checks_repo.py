"""check_repo's verdicts outside gates and writes: access-ok, repo-not-found, repo-type-mismatch,
repo-disabled, a missing revision, access-denied."""

from __future__ import annotations

from factories import (
    REQUESTS_ERA,
    STALE,
    VALID,
    Case,
    context,
    hub_error,
    invalid_credentials,
    library,
    library_order,
    metadata,
    netrc_file,
    no_route,
    ok,
    rate_limited,
    repo_disabled,
    repo_not_found,
    revision_not_found,
    row,
    scope,
    server_error,
    table,
    token_facts,
    transport_failure,
    whoami_invalid,
    whoami_ok,
)

from hfauth_nb.engine.checks import repo as checks

NO_TOKEN = token_facts(hf_token=None)
FINE_GRAINED_ELSEWHERE = whoami_ok(
    role="fineGrained", orgs={"acme": "write"}, scoped=[scope("bob", "user", "repo.content.read")]
)

REPO = [
    row("Hub not asked: silent", context(hub=None), []),
    row("no repo asked: silent", context(repo=None), []),
    row(
        "auth-check 200: access-ok",
        context(),
        [("access-ok", "ok")],
        evidence={"repo": "alice/demo-model", "type": "model", "write": False},
    ),
    row("a public repo without a token: access-ok", context(tokens=NO_TOKEN), [("access-ok", "ok")]),
    row(
        "the same netrc on httpx-era: the token is what is sent, access-ok",
        context(netrc=[netrc_file(STALE)]),
        [("access-ok", "ok")],
    ),
    row(
        "no auth-check route, /resolve/ answered 200: access-ok",
        context(auth=no_route(), resolve=ok()),
        [("access-ok", "ok")],
    ),
    row(
        "200, but netrc replaced the token on requests-era: no access-ok beside netrc-overrides-token",
        context(
            lib=library(REQUESTS_ERA),
            tokens=token_facts(order=library_order(REQUESTS_ERA)),
            netrc=[netrc_file(STALE)],
        ),
        [],
    ),
    row(
        "200 for the repo, but the revision does not exist: repo-not-found",
        context(revision="v9", meta=revision_not_found("v9")),
        [("repo-not-found", "error")],
        evidence={"revision": "v9"},
        fix="/tree/main",
    ),
    row(
        "auth-check answers RevisionNotFound: repo-not-found",
        context(revision="v9", auth=revision_not_found("v9")),
        [("repo-not-found", "error")],
        evidence={"revision": "v9"},
    ),
    row(
        "404 RepoNotFound with a token: error",
        context(auth=repo_not_found(), meta=repo_not_found(), anonymous_meta=repo_not_found(anonymous=True)),
        [("repo-not-found", "error")],
        evidence={"status": 404, "user": "alice", "type": "model"},
    ),
    row(
        "404 as a model, 200 as a dataset: repo-type-mismatch",
        context(auth=repo_not_found(), meta=repo_not_found(), exists_as=["dataset"]),
        [("repo-type-mismatch", "error")],
        evidence={"asked": "model", "exists as": ["dataset"]},
        fix="repo_type='dataset'",
    ),
    row(
        "anonymous 401 for a repo nobody can see: no-token and repo-not-found",
        context(tokens=NO_TOKEN, auth=repo_not_found(anonymous=True), meta=repo_not_found(anonymous=True)),
        [("no-token", "error"), ("repo-not-found", "error")],
    ),
    row(
        "a fine-grained token scoped elsewhere meets 404 in its own namespace: scope first, not-found a warning",
        context(
            whoami={VALID: FINE_GRAINED_ELSEWHERE},
            auth=repo_not_found(),
            meta=repo_not_found(),
            anonymous_meta=repo_not_found(anonymous=True),
        ),
        [("fine-grained-scope-missing", "error"), ("repo-not-found", "warning")],
        evidence={"needed": "repo.content.read", "scoped to": ["bob"]},
    ),
    row(
        "disabled repo: repo-disabled",
        context(auth=repo_disabled()),
        [("repo-disabled", "error")],
        evidence={"X-Error-Message": "Access to this resource is disabled."},
    ),
    row(
        "403 with another message, metadata says disabled: repo-disabled",
        context(auth=hub_error(403, "Forbidden"), meta=metadata(disabled=True)),
        [("repo-disabled", "error")],
    ),
    row(
        "403 nobody explains: access-denied",
        context(auth=hub_error(403, "Your token has been revoked by the organization administrator")),
        [("access-denied", "error")],
        evidence={"status": 403},
    ),
    row(
        "an unexpected status: access-denied with the code",
        context(auth=hub_error(400, "Bad request", "BadRequest")),
        [("access-denied", "error")],
        evidence={"status": 400, "X-Error-Code": "BadRequest"},
    ),
    row("429: left to rate-limited", context(auth=rate_limited()), []),
    row("5xx: left to hub-unreachable", context(auth=server_error(502)), []),
    row("no answer: left to hub-unreachable", context(auth=transport_failure("timeout")), []),
    row(
        "the token is revoked: left to token-invalid",
        context(whoami={VALID: whoami_invalid()}, auth=invalid_credentials()),
        [],
    ),
    row(
        "an unreadable token file makes every call raise: no verdict from the anonymous probe",
        context(
            tokens=token_facts(hf_token=None, file_unreadable="permission denied"),
            auth=repo_not_found(anonymous=True),
        ),
        [],
    ),
]


@table(REPO)
def test_check_repo(case: Case) -> None:
    case.verify(checks.check_repo)
