"""Xet storage beyond the Hub: xet-storage-refused (the storage host refused hf_xet's own token) and
xet-unreachable (the storage host out of reach). Neither is ever the user's Hub token (services facts X3, X4)."""

from __future__ import annotations

from factories import Case, context, row, table

from hfauth_nb.engine.checks import xet as checks
from hfauth_nb.engine.service_failure import ServiceFailure

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
