"""Xet storage beyond the Hub: xet-storage-refused (the storage host refused hf_xet's own token) and
xet-unreachable (the storage host out of reach), neither ever the user's Hub token (services facts X3, X4); and
xet-renewal-refused, the Hub refusing the user's token when the Xet token is renewed (services fact X7)."""

from __future__ import annotations

import pytest
from factories import (
    REQUESTS_ERA,
    VALID,
    Case,
    context,
    library,
    row,
    table,
    token_facts,
    whoami_invalid,
)

from hfauth_nb.engine.checks import xet as checks
from hfauth_nb.engine.service_failure import ServiceFailure
from hfauth_nb.testing.rules import INVALID_CREDENTIALS

CAS = "https://cas-server.xethub.hf.co/v2/reconstructions/abc"


def cas_refused(version: str | None, disabled: bool = False) -> ServiceFailure:
    return ServiceFailure(
        "xet-cas-refused",
        target="alice/demo-model",
        url=CAS,
        status=401,
        xet_version=version,
        xet_disabled=disabled,
    )


def unreachable(version: str | None = "1.8.0") -> ServiceFailure:
    return ServiceFailure("xet-cas-unreachable", url="https://cas-server.xethub.hf.co", xet_version=version)


REFUSED = [
    row("no service failure: silent", context(), []),
    row("the storage host out of reach: not this check", context(failure=unreachable()), []),
    row(
        "the Hub's token route: the repo checks judge it",
        context(failure=ServiceFailure("xet-token-route")),
        [],
    ),
    row(
        "hf_xet 1.1.5 (before the refresh fix): error, upgrade",
        context(failure=cas_refused("1.1.5")),
        [("xet-storage-refused", "error")],
        evidence={
            "hf_xet": "1.1.5",
            "service": "Xet storage",
            "storage host": CAS,
            "repo": "alice/demo-model",
        },
        fix="pip install -U hf_xet",
    ),
    row(
        "hf_xet 1.1.6 still flagged (maintainers: >= 1.1.7)",
        context(failure=cas_refused("1.1.6")),
        [("xet-storage-refused", "error")],
        fix="pip install -U hf_xet",
    ),
    row(
        "hf_xet 1.8.0: no known bug, retry or disable Xet",
        context(failure=cas_refused("1.8.0")),
        [("xet-storage-refused", "error")],
        evidence={"hf_xet": "1.8.0", "HF_HUB_DISABLE_XET": False},
        fix="HF_HUB_DISABLE_XET=1",
    ),
    row(
        "even with no local token: the storage host is still not a token problem",
        context(failure=cas_refused("1.1.5"), tokens=None, hub=None),
        [("xet-storage-refused", "error")],
    ),
]

UNREACHABLE = [
    row("no service failure: silent", context(), []),
    row("storage refused: not this check", context(failure=cas_refused("1.8.0")), []),
    row(
        "storage host out of reach: error, network, the Xet hosts named",
        context(failure=unreachable()),
        [("xet-unreachable", "error")],
        evidence={"storage host": "https://cas-server.xethub.hf.co", "service": "Xet storage"},
        fix="transfer.xethub.hf.co",
    ),
    row(
        "hf_xet missing from the evidence is said so",
        context(failure=unreachable(None)),
        [("xet-unreachable", "error")],
        evidence={"hf_xet": "not installed"},
        fix="HF_HUB_DISABLE_XET=1",
    ),
]


@table(REFUSED)
def test_xet_storage_refused(case: Case) -> None:
    case.verify(checks.check_xet_storage_refused)


@table(UNREACHABLE)
def test_xet_unreachable(case: Case) -> None:
    case.verify(checks.check_xet_unreachable)


def test_refresh_bug_versions() -> None:
    assert [
        checks.has_refresh_bug(v) for v in ("1.1.5", "1.1.6", "1.1.7", "1.8.0", "0.1.4", None, "dev")
    ] == [
        True,
        True,
        False,
        False,
        True,
        False,
        False,
    ]


REFRESH_ROUTE = "https://huggingface.co/api/models/alice/demo-model/xet-read-token/" + "a" * 40


def refresh_refused(
    status: int | None = 401, renewed_by: str = "hf_xet", hub_message: str | None = None
) -> ServiceFailure:
    return ServiceFailure(
        "xet-refresh-refused",
        target="alice/demo-model",
        url=REFRESH_ROUTE,
        status=status,
        xet_version="1.8.0",
        renewed_by=renewed_by,  # type: ignore[arg-type]
        hub_message=hub_message,
    )


REFRESH = [
    row("no service failure: silent", context(), []),
    row("the storage host refused: not this check", context(failure=cas_refused("1.8.0")), []),
    row(
        "the Hub's token route before the transfer: the repo checks judge it",
        context(failure=ServiceFailure("xet-token-route")),
        [],
    ),
    row(
        "401 on the renewal and whoami rejects the token now: replace it where it lives",
        context(failure=refresh_refused(), whoami={VALID: whoami_invalid()}),
        [("xet-renewal-refused", "error")],
        evidence={
            "service": "Xet storage",
            "repo": "alice/demo-model",
            "refresh route": REFRESH_ROUTE,
            "renewed by": "hf_xet",
            "accepted now": False,
            "token now": "the HF_TOKEN environment variable (hf_...good)",
        },
        fix="%env HF_TOKEN=<new token>",
    ),
    row(
        "a token file login rejected now: log in again",
        context(
            failure=refresh_refused(),
            tokens=token_facts(hf_token=None, file=VALID),
            whoami={VALID: whoami_invalid()},
        ),
        [("xet-renewal-refused", "error")],
        evidence={"accepted now": False},
        fix="hf auth login",
    ),
    row(
        "huggingface_hub 0.x renewed it in Python: the Hub's words are kept",
        context(
            failure=refresh_refused(renewed_by="huggingface_hub", hub_message=INVALID_CREDENTIALS),
            lib=library(REQUESTS_ERA),
            whoami={VALID: whoami_invalid()},
        ),
        [("xet-renewal-refused", "error")],
        evidence={"renewed by": "huggingface_hub", "Hub said": INVALID_CREDENTIALS},
        fix="/settings/tokens",
    ),
    row(
        "the token in use now is accepted (replaced or refreshed since): restart and retry on 1.x",
        context(failure=refresh_refused()),
        [("xet-renewal-refused", "error")],
        evidence={"accepted now": True},
        fix="Restart the kernel",
    ),
    row(
        "accepted now on 0.x: a plain retry asks for a new Xet token",
        context(failure=refresh_refused(), lib=library(REQUESTS_ERA)),
        [("xet-renewal-refused", "error")],
        evidence={"accepted now": True},
        fix="Retry the download",
    ),
    row(
        "the Hub not asked: check the token now",
        context(failure=refresh_refused(), hub=None),
        [("xet-renewal-refused", "error")],
        evidence={"accepted now": "not checked"},
        fix="%hfauth check",
    ),
    row(
        "403 on the renewal: the repo's access changed, check the repo",
        context(failure=refresh_refused(403)),
        [("xet-renewal-refused", "error")],
        fix="hfauth check alice/demo-model",
    ),
]


@table(REFRESH)
def test_xet_refresh_refused(case: Case) -> None:
    case.verify(checks.check_xet_refresh_refused)


def test_storage_refused_retry_follows_the_library() -> None:
    """0.x asks the Hub for a new Xet token on each attempt; 1.27 and 2.4 reuse it within the kernel (services fact X8)."""
    old = checks.check_xet_storage_refused(context(failure=cas_refused("1.8.0"), lib=library(REQUESTS_ERA)))
    new = checks.check_xet_storage_refused(context(failure=cas_refused("1.8.0"), lib=library("2.4.0")))
    assert old[0].fix[0].startswith("Retry the download") and new[0].fix[0].startswith("Restart the kernel")


@pytest.mark.parametrize("value", ["1", " 1", "yes", "TRUE", "on ", "0", ""])
def test_hf_hub_disable_xet_is_read_as_the_library_reads_it(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """The flag is judged with the installed library's own truthiness (fact T20: no trimming)."""
    from huggingface_hub import constants

    from hfauth_nb.engine.service_failure import xet_install

    monkeypatch.setenv("HF_HUB_DISABLE_XET", value)
    assert xet_install()[1] is constants._is_true(value)
