"""The Hub did not answer, or not usefully: hub-unreachable, rate-limited."""

from __future__ import annotations

import socket
import ssl
from typing import Any

from factories import (
    OTHER,
    REQUESTS_ERA,
    VALID,
    Case,
    context,
    env_facts,
    header_failure,
    library,
    library_order,
    rate_limited,
    row,
    server_error,
    table,
    token_facts,
    transport_failure,
    whoami_answer,
)

from hfauth_nb.engine.checks import network as checks
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.transport import HttpResult, classify_exception

PROXY = env_facts(proxy="HTTPS_PROXY", proxy_url="http://proxy.corp:3128")


def whoami_fails(http: HttpResult, **kwargs: Any) -> Context:
    """The token alone checked (no repo), and whoami met `http`."""
    return context(repo=None, whoami={VALID: whoami_answer(http)}, **kwargs)


UNREACHABLE = [
    row("every probe answered: silent", context(), []),
    row(
        "whoami timed out: error",
        whoami_fails(transport_failure("timeout")),
        [("hub-unreachable", "error")],
        evidence={"kind": "timeout", "proxy": None},
        fix="--timeout",
    ),
    row(
        "connection refused through a proxy: named as the proxy",
        whoami_fails(transport_failure("refused"), env=PROXY),
        [("hub-unreachable", "error")],
        evidence={"kind": "proxy", "proxy variable": "HTTPS_PROXY"},
        fix="HTTPS_PROXY",
    ),
    row(
        "a proxy variable that is no URL: a local setting",
        whoami_fails(
            transport_failure("connection"),
            env=env_facts(proxy="HTTPS_PROXY", proxy_url=":::", proxy_error="it is not a URL (host[:port])"),
        ),
        [("hub-unreachable", "error")],
        evidence={"kind": "proxy-setting"},
    ),
    row(
        "a CA bundle variable naming a missing file: a local setting",
        whoami_fails(
            transport_failure("tls", "SSLError: certificate verify failed"),
            env=env_facts(ca_missing=(("SSL_CERT_FILE", "/missing/ca.pem"),)),
        ),
        [("hub-unreachable", "error")],
        evidence={"kind": "ca-file-missing", "path": "/missing/ca.pem"},
        fix="SSL_CERT_FILE",
    ),
    row(
        "TLS failure on requests-era: REQUESTS_CA_BUNDLE",
        whoami_fails(
            transport_failure("tls"),
            lib=library(REQUESTS_ERA),
            tokens=token_facts(order=library_order(REQUESTS_ERA)),
        ),
        [("hub-unreachable", "error")],
        evidence={"kind": "tls"},
        fix="Point REQUESTS_CA_BUNDLE",
    ),
    row(
        "TLS failure on httpx-era: SSL_CERT_FILE (httpx ignores REQUESTS_CA_BUNDLE)",
        whoami_fails(transport_failure("tls")),
        [("hub-unreachable", "error")],
        fix="SSL_CERT_FILE",
    ),
    row(
        "only a shadowed token's whoami failed, the sent token's answers are in: silent",
        context(tokens=token_facts(file=OTHER), whoami={OTHER: whoami_answer(transport_failure("timeout"))}),
        [],
    ),
    row("a token unfit for a header never left: not the network", whoami_fails(header_failure()), []),
    row(
        "the sent token unfit for a header, a shadowed token's whoami timed out: not the network",
        context(
            repo=None,
            tokens=token_facts(file=OTHER),
            whoami={
                VALID: whoami_answer(header_failure()),
                OTHER: whoami_answer(transport_failure("timeout")),
            },
        ),
        [],
    ),
    row(
        "whoami 502 but the repo answered: warning",
        context(whoami={VALID: whoami_answer(server_error(502))}),
        [("hub-unreachable", "warning")],
        evidence={"status": 502},
    ),
    row(
        "the repo's auth-check 503: error",
        context(auth=server_error(503)),
        [("hub-unreachable", "error")],
        evidence={"status": 503},
    ),
    row("Hub not asked: silent", context(hub=None), []),
]


@table(UNREACHABLE)
def test_hub_unreachable(case: Case) -> None:
    case.verify(checks.check_hub_unreachable)


RATE = [
    row("no 429: silent", context(), []),
    row(
        "whoami 429: warning, not a token problem",
        whoami_fails(rate_limited(55)),
        [("rate-limited", "warning")],
        evidence={"RateLimit": '"api";r=0;t=55'},
    ),
    row("the repo's auth-check 429: warning", context(auth=rate_limited()), [("rate-limited", "warning")]),
    row("Hub not asked: silent", context(hub=None), []),
]


@table(RATE)
def test_rate_limited(case: Case) -> None:
    case.verify(checks.check_rate_limited)


def test_transport_failures_are_named() -> None:
    """hub-unreachable's kinds come from the exception chain (moved from test_checks_unit.py)."""

    def chained(outer: Exception, inner: BaseException) -> Exception:
        outer.__cause__ = inner
        return outer

    assert (
        classify_exception(chained(OSError("x"), socket.gaierror(-2, "Name or service not known")))[0]
        == "dns"
    )
    assert (
        classify_exception(chained(OSError("x"), ssl.SSLCertVerificationError("certificate verify failed")))[
            0
        ]
        == "tls"
    )
    assert classify_exception(chained(OSError("x"), ConnectionRefusedError(111, "refused")))[0] == "refused"
    assert classify_exception(TimeoutError("read timed out"))[0] == "timeout"

    class ProxyError(Exception):
        pass

    assert classify_exception(ProxyError("Unable to connect to proxy"))[0] == "proxy"
