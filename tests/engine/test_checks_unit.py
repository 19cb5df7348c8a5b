"""Checks as pure functions of facts: cases no stack on this machine can reproduce end to end."""

from __future__ import annotations

import socket
import ssl

from hfauth_nb.engine.checks.endpoint import check_library_outdated
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.facts import gather_local_facts
from hfauth_nb.engine.library import LibraryFacts
from hfauth_nb.engine.report import Target
from hfauth_nb.engine.transport import classify_exception


def _with_library(version: str) -> Context:
    facts = gather_local_facts()
    lib = LibraryFacts(installed=True, version=version, backend="requests")
    return Context(facts=facts.__class__(**{**facts.__dict__, "library": lib}), target=Target())


def test_old_library_is_outdated() -> None:
    (finding,) = check_library_outdated(_with_library("0.22.0"))
    assert finding.id == "library-outdated" and finding.severity == "warning" and "0.22.0" in finding.title


def test_current_library_is_not_outdated() -> None:
    assert check_library_outdated(_with_library("0.36.2")) == []


def test_transport_failures_are_named() -> None:
    def chained(outer: Exception, inner: BaseException) -> Exception:
        outer.__cause__ = inner
        return outer

    assert classify_exception(chained(OSError("x"), socket.gaierror(-2, "Name or service not known")))[0] == "dns"
    assert classify_exception(chained(OSError("x"), ssl.SSLCertVerificationError("certificate verify failed")))[0] == "tls"
    assert classify_exception(chained(OSError("x"), ConnectionRefusedError(111, "refused")))[0] == "refused"
    assert classify_exception(TimeoutError("read timed out"))[0] == "timeout"

    class ProxyError(Exception):
        pass

    assert classify_exception(ProxyError("Unable to connect to proxy"))[0] == "proxy"
