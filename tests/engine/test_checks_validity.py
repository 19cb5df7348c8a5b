"""Is the token the library sends accepted? token-invalid, token-unverified (endpoint-custom without a whoami
route), token-shadowed."""

from __future__ import annotations

from typing import Any

from factories import (
    OTHER,
    STALE,
    VALID,
    Case,
    colab_source,
    context,
    invalid_credentials,
    library,
    local_only,
    metadata,
    no_route,
    oauth_login,
    ok,
    rate_limited,
    repo_not_found,
    row,
    table,
    token_facts,
    whoami_answer,
    whoami_invalid,
    whoami_ok,
    write_denied,
)

from hfauth_nb.engine.checks import validity as checks
from hfauth_nb.engine.context import Context

REVOKED = {VALID: whoami_invalid()}

INVALID = [
    row("valid token: silent", context(), []),
    row("no token: silent", context(tokens=token_facts(hf_token=None)), []),
    row("Hub not asked: silent", local_only(), []),
    row(
        "whoami 401: error naming the source",
        context(whoami=REVOKED, auth=invalid_credentials()),
        [("token-invalid", "error")],
        evidence={"source": "HF_TOKEN", "masked": "hf_...good", "status": 401},
        fix="%env HF_TOKEN=",
    ),
    row(
        "token file rejected: the fix replaces the file",
        context(tokens=token_facts(hf_token=None, file=VALID), whoami=REVOKED, repo=None),
        [("token-invalid", "error")],
        evidence={"source": "token file"},
        fix="hf auth login",
    ),
    row(
        "a mirror without whoami, 401 'invalid credentials' on the repo: error from the repo's answer",
        context(
            whoami={VALID: whoami_answer(no_route())},
            auth=invalid_credentials(),
            anonymous_meta=repo_not_found(anonymous=True),
        ),
        [("token-invalid", "error")],
        evidence={"refused request": "auth-check", "same request without a token": None},
    ),
    row(
        "whoami rate-limited, the metadata request refused the credentials: error",
        context(
            whoami={VALID: whoami_answer(rate_limited())},
            meta=invalid_credentials(),
            anonymous_meta=metadata(),
            auth=rate_limited(),
        ),
        [("token-invalid", "error")],
        evidence={"refused request": "repo metadata", "same request without a token": 200},
    ),
    row(
        "whoami rate-limited, a 401 that does not name the credentials: silent",
        context(whoami={VALID: whoami_answer(rate_limited())}, auth=repo_not_found(anonymous=True)),
        [],
    ),
    row(
        "an expired browser login in use: oauth-token-expired names it instead",
        context(
            tokens=token_facts(hf_token=None, file=VALID, oauth=oauth_login("revoked")),
            whoami=REVOKED,
        ),
        [],
    ),
]


@table(INVALID)
def test_token_invalid(case: Case) -> None:
    case.verify(checks.check_token_invalid)


MIRROR = "https://hf-mirror.example.com"
UNVERIFIED = [
    row("whoami answered: silent", context(repo=None), []),
    row(
        "a mirror without the whoami route, token alone: warning",
        context(endpoint=MIRROR, repo=None, whoami={VALID: whoami_answer(no_route())}),
        [("endpoint-custom", "warning")],
        evidence={"endpoint": MIRROR, "whoami status": 404},
        fix="hfauth check <a repo",
    ),
    row(
        "the same mirror with a repo: the repo's answer judges the token",
        context(endpoint=MIRROR, whoami={VALID: whoami_answer(no_route())}),
        [],
    ),
    row("whoami 401 (the Hub's own answer): token-invalid", context(repo=None, whoami=REVOKED), []),
    row("no token sent: silent", context(repo=None, tokens=token_facts(hf_token=None)), []),
    row("Hub not asked: silent", local_only(repo=None), []),
]


@table(UNVERIFIED)
def test_token_unverified(case: Case) -> None:
    case.verify(checks.check_token_unverified)


def shadowed(**kwargs: Any) -> Context:
    """HF_TOKEN (VALID) wins over the token file (OTHER)."""
    return context(tokens=token_facts(file=OTHER), **kwargs)


SHADOWED = [
    row("one source: silent", context(), []),
    row("two sources, the same token: silent", context(tokens=token_facts(file=VALID)), []),
    row(
        "two valid tokens, the repo readable: warning (a login does not take effect)",
        shadowed(),
        [("token-shadowed", "warning")],
        evidence={"winner": "HF_TOKEN", "sources": {"HF_TOKEN": "hf_...good", "token file": "hf_...othr"}},
        fix='os.environ.pop("HF_TOKEN")',
    ),
    row(
        "Hub not asked: warning",
        local_only(tokens=token_facts(file=OTHER)),
        [("token-shadowed", "warning")],
    ),
    row(
        "HF_TOKEN revoked wins over a valid file token: error, fix in this kernel",
        shadowed(whoami=REVOKED, repo=None),
        [("token-shadowed", "error")],
        evidence={"winner": "HF_TOKEN"},
        fix="%hfauth fix token-shadowed",
    ),
    row(
        "revoked HF_TOKEN, and the file token would meet a missing repo: both causes",
        shadowed(whoami=REVOKED, auth=invalid_credentials(), others={OTHER: repo_not_found()}),
        [("token-shadowed", "error"), ("repo-not-found", "error")],
        evidence={"with the shadowed token": ["repo-not-found"]},
    ),
    row(
        "revoked HF_TOKEN with implicit tokens disabled: no second cause",
        shadowed(
            whoami=REVOKED,
            lib=library(implicit_token_disabled=True),
            auth=repo_not_found(anonymous=True),
            others={OTHER: repo_not_found()},
        ),
        [("token-shadowed", "error")],
    ),
    row(
        "both valid, only the shadowed one may write: error",
        shadowed(
            write=True,
            whoami={OTHER: whoami_ok(role="write")},
            auth=write_denied(),
            others={OTHER: ok()},
        ),
        [("token-shadowed", "error")],
    ),
    row(
        "the revoked token is the shadowed one: warning only",
        shadowed(whoami={OTHER: whoami_invalid()}),
        [("token-shadowed", "warning")],
    ),
    row(
        "the token file wins over a different Colab secret (1.27): warning, fix removes the file",
        context(
            tokens=token_facts(hf_token=None, file=STALE, colab=colab_source(VALID)),
            whoami={STALE: whoami_invalid()},
        ),
        [("token-shadowed", "error")],
        evidence={"winner": "token file"},
        fix="hf auth logout",
    ),
    row(
        "an OIDC exchange wins (value unknown): silent",
        context(tokens=token_facts(oidc="exchange", file=OTHER)),
        [],
    ),
]


@table(SHADOWED)
def test_token_shadowed(case: Case) -> None:
    case.verify(checks.check_token_shadowed)
