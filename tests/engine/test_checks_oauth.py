"""Tokens minted at call time: oidc-token-active (trusted publishing) and oauth-token-expired (browser login)."""

from __future__ import annotations

import pytest
from factories import (
    OTHER,
    VALID,
    Case,
    context,
    env_facts,
    library,
    local_only,
    oauth_login,
    ok,
    row,
    table,
    token_facts,
    whoami_answer,
    whoami_ok,
)

from hfauth_nb.engine.checks import oauth as checks
from hfauth_nb.engine.context import Context

CI_ENV = env_facts(oidc_resource="alice/demo-model", oidc_id_token=True)
NO_ID_TOKEN = env_facts(oidc_resource="alice/demo-model")

OIDC = [
    row("HF_OIDC_RESOURCE unset: silent", local_only(), []),
    row(
        "a version that ignores it: info, upgrade",
        local_only(tokens=token_facts(oidc="ignored"), env=CI_ENV, lib=library("1.18.0")),
        [("oidc-token-active", "info")],
        evidence={"HF_OIDC_RESOURCE": "alice/demo-model"},
        fix="huggingface_hub>=1.19",
    ),
    row(
        "exchange with an id token: warning (it wins over HF_TOKEN)",
        local_only(tokens=token_facts(oidc="exchange"), env=CI_ENV),
        [("oidc-token-active", "warning")],
        evidence={"HF_OIDC_ID_TOKEN set": True},
        fix="unset HF_OIDC_RESOURCE",
    ),
    row(
        "exchange with GitHub Actions minting the id token: warning",
        local_only(
            tokens=token_facts(oidc="exchange"),
            env=env_facts(oidc_resource="alice/demo-model", github_actions_oidc=True),
        ),
        [("oidc-token-active", "warning")],
    ),
    row(
        "exchange without any id token: error, get_token() raises",
        local_only(tokens=token_facts(oidc="exchange"), env=NO_ID_TOKEN),
        [("oidc-token-active", "error")],
        evidence={"HF_OIDC_ID_TOKEN set": False},
        fix="set HF_OIDC_ID_TOKEN",
    ),
    row(
        "the Hub refused the exchange: error, even with a valid HF_TOKEN",
        local_only(tokens=token_facts(oidc="refused"), env=CI_ENV),
        [("oidc-token-active", "error")],
        evidence={"HF_OIDC_RESOURCE": "alice/demo-model"},
    ),
]


@table(OIDC)
def test_oidc_token_active(case: Case) -> None:
    case.verify(checks.check_oidc_token_active)


def login(outcome: str, *, in_use: bool = True, **kwargs: bool) -> Context:
    """A browser login in the token file; `in_use`: it wins (else HF_TOKEN wins over it)."""
    tokens = token_facts(hf_token=None if in_use else VALID, file=VALID, oauth=oauth_login(outcome, **kwargs))
    return local_only(tokens=tokens)


OAUTH = [
    row("no browser login: silent", local_only(), []),
    row("refreshed during the check: silent", login("refreshed"), []),
    row("not due for refresh: silent", login("not-due", expired=False), []),
    row(
        "refresh token refused, expired and in use: error",
        login("revoked"),
        [("oauth-token-expired", "error")],
        evidence={"refresh": "revoked", "refresh token stored": True},
        fix="hf auth login",
    ),
    row(
        "refresh token refused, expired but another source wins: warning",
        login("revoked", in_use=False),
        [("oauth-token-expired", "warning")],
    ),
    row(
        "refresh token refused before it expires: warning",
        login("revoked", expired=False),
        [("oauth-token-expired", "warning")],
    ),
    row(
        "refresh failed (network): warning, retry",
        login("failed"),
        [("oauth-token-expired", "warning")],
        evidence={"refresh": "failed"},
        fix="Run the check again",
    ),
    row(
        "refresh still running: warning, run again",
        login("pending"),
        [("oauth-token-expired", "warning")],
        evidence={"refresh": "pending"},
        fix="Run the check again",
    ),
    row(
        "expired on a version that never refreshes, in use: error, upgrade",
        login("unsupported"),
        [("oauth-token-expired", "error")],
        fix="huggingface_hub>=1.20",
    ),
    row(
        "expired without a refresh token, in use: error",
        login("no-refresh-token", has_refresh=False),
        [("oauth-token-expired", "error")],
        evidence={"refresh token stored": False},
    ),
    row(
        "expired on an old version but another source wins: warning",
        login("unsupported", in_use=False),
        [("oauth-token-expired", "warning")],
    ),
    row("not expired on a version that never refreshes: silent", login("unsupported", expired=False), []),
    row(
        "expired, not used while HF_TOKEN wins: warning",
        login("not-used", in_use=False),
        [("oauth-token-expired", "warning")],
    ),
]


@table(OAUTH)
def test_oauth_token_expired(case: Case) -> None:
    case.verify(checks.check_oauth_token_expired)


OAUTH_VALUE = "hf_oauth_" + "q" * 30 + "oooo"  # made at run time like tok(): no token literal in the source


@pytest.mark.parametrize(
    ("ctx", "token", "oauth"),
    [
        pytest.param(
            context(whoami={VALID: whoami_ok(oauth=True)}), VALID, True, id="whoami auth.type oauth"
        ),
        pytest.param(
            context(tokens=token_facts(hf_token=OAUTH_VALUE), whoami={OAUTH_VALUE: whoami_ok()}),
            OAUTH_VALUE,
            True,
            id="the hf_oauth_ prefix",
        ),
        pytest.param(
            context(
                tokens=token_facts(hf_token=None, file=VALID, oauth=oauth_login("not-due", expired=False))
            ),
            VALID,
            True,
            id="the stored login's token wins from the token file",
        ),
        pytest.param(
            context(tokens=token_facts(file=OTHER, oauth=oauth_login("not-used", expired=False))),
            VALID,
            False,
            id="a stored login that is not the token judged",
        ),
        pytest.param(context(), VALID, False, id="classic token"),
        pytest.param(
            context(whoami={VALID: whoami_answer(ok({"name": "alice", "auth": {"type": "access_token"}}))}),
            VALID,
            False,
            id="no accessToken alone is not an OAuth login",
        ),
        pytest.param(local_only(), None, False, id="no token"),
    ],
)
def test_is_oauth_token(ctx: Context, token: str | None, oauth: bool) -> None:
    """OAuth is told from whoami's auth.type, the token prefix or the stored login (services facts A1, Q3)."""
    assert checks.is_oauth_token(ctx, token) is oauth
