"""netrc: netrc-overrides-token (the library sends the entry instead of the token), netrc-entry (git uses it),
netrc-unusable."""

from __future__ import annotations

from typing import Any

from factories import (
    HTTPX_ERA,
    OTHER,
    REQUESTS_ERA,
    REQUESTS_USER,
    STALE,
    VALID,
    Case,
    bearer_header,
    context,
    library,
    library_order,
    netrc_file,
    row,
    table,
    token_facts,
)

from hfauth_nb.engine.checks import netrc as checks
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.netrc_facts import NetrcFile

OLD = library(REQUESTS_ERA)
OLD_TOKENS = token_facts(order=library_order(REQUESTS_ERA))


def requests_era(*files: NetrcFile, **kwargs: Any) -> Context:
    """huggingface_hub 0.36 (requests): the header carries the entry of the netrc file requests reads."""
    return context(lib=OLD, tokens=OLD_TOKENS, netrc=files, **kwargs)


def httpx_era(*files: NetrcFile) -> Context:
    """huggingface_hub 1.27 (httpx): netrc is never applied, the header stays Bearer."""
    return context(lib=library(HTTPX_ERA), netrc=files)


NETRC = [
    row("no netrc file: silent", context(), []),
    row(
        "requests-era, a stale entry replaces the token: error",
        requests_era(netrc_file(STALE)),
        [("netrc-overrides-token", "error")],
        evidence={"machine": "huggingface.co", "observed Authorization": "Basic (login __token__)"},
        fix="NETRC=/dev/null",
    ),
    row(
        "requests-era, the entry holds the token itself: still replaced, warning",
        requests_era(netrc_file(VALID)),
        [("netrc-overrides-token", "warning")],
    ),
    row(
        "httpx-era, the same stale entry: the library ignores it, git uses it",
        httpx_era(netrc_file(STALE)),
        [("netrc-entry", "warning")],
        evidence={"huggingface_hub": "1.27.0 (httpx)", "machine": "huggingface.co"},
        fix="hfauth fix netrc-entry",
    ),
    row(
        "httpx-era, the entry matches the token: info",
        httpx_era(netrc_file(VALID)),
        [("netrc-entry", "info")],
    ),
    row(
        "requests-era but the header was not replaced (not observed as Basic): netrc-entry",
        requests_era(netrc_file(STALE), observed=bearer_header()),
        [("netrc-entry", "warning")],
    ),
    row(
        "a default entry matches every host",
        requests_era(netrc_file(STALE, machine="default", login=None)),
        [("netrc-overrides-token", "error")],
        evidence={"machine": "default", "login": None},
    ),
    row(
        "$NETRC for requests and ~/.netrc for git: one of each",
        requests_era(
            netrc_file(STALE, path="/tmp/ci.netrc", git=False),
            netrc_file(OTHER, requests=False),
        ),
        [("netrc-overrides-token", "error"), ("netrc-entry", "warning")],
        evidence={"file": "/tmp/ci.netrc"},
    ),
    row(
        "httpx-era, a $NETRC file only requests-based tools read: still reported",
        httpx_era(netrc_file(STALE, path="/tmp/ci.netrc", git=False)),
        [("netrc-entry", "warning")],
        evidence={"used by": [REQUESTS_USER]},
    ),
    row(
        "a file without an entry for the host: silent",
        requests_era(netrc_file(entry=False)),
        [],
    ),
]


@table(NETRC)
def test_netrc(case: Case) -> None:
    case.verify(checks.check_netrc)


PARSE_ERROR = "parse error at line 3: bad follower token 'passwd'"
UNUSABLE = [
    row("a sound netrc file: silent", httpx_era(netrc_file()), []),
    row(
        "a parse error: warning",
        httpx_era(netrc_file(error=PARSE_ERROR)),
        [("netrc-unusable", "warning")],
        evidence={"error": PARSE_ERROR},
    ),
    row(
        "readable by others and holding credentials: warning, chmod",
        httpx_era(netrc_file(unsafe_mode="0644")),
        [("netrc-unusable", "warning")],
        evidence={"mode": "0644"},
        fix="chmod 600",
    ),
    row(
        "readable by others but no entry for the Hub: silent",
        httpx_era(netrc_file(unsafe_mode="0644", entry=False)),
        [],
    ),
    row(
        "two broken files: one finding each",
        httpx_era(
            netrc_file(path="/tmp/ci.netrc", error="cannot read: Is a directory", git=False),
            netrc_file(error=PARSE_ERROR, requests=False),
        ),
        [("netrc-unusable", "warning"), ("netrc-unusable", "warning")],
        evidence={"file": "/tmp/ci.netrc"},
    ),
]


@table(UNUSABLE)
def test_netrc_unusable(case: Case) -> None:
    case.verify(checks.check_netrc_unusable)
