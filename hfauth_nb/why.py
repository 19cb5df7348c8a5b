"""`%hfauth why` and `hfauth_nb.explain(exc)`: diagnose the Hub request that just failed, not the one typed.

The module is not named `explain`: importing a submodule sets the package attribute of its name, which would
replace the public function `hfauth_nb.explain`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from hfauth_nb.engine.failed_request import FailedRequest, find_failed_request
from hfauth_nb.secrets import redact_url

if TYPE_CHECKING:
    from hfauth_nb.engine.report import Report


def last_exception() -> BaseException | None:
    """The exception of the last failed cell (IPython stores it like the interactive interpreter does)."""
    value = getattr(sys, "last_exc", None) or getattr(sys, "last_value", None)
    return value if isinstance(value, BaseException) else None


def explain(exc: BaseException | None = None, *, timeout: float = 5.0) -> Report:
    """Run the check for exactly the repo, type, revision and intent of the Hub request inside `exc`.

    Without a Hub request in `exc` (or no exception at all), the report covers the token setup alone and its
    `environment["explained"]["found"]` is False.
    """
    from hfauth_nb.engine.diagnose import diagnose

    exc = exc if exc is not None else last_exception()
    found = find_failed_request(exc) if exc is not None else None
    if found is None or found.repo_id is None:
        report = diagnose(timeout=timeout)
    else:
        report = diagnose(
            found.repo_id,
            repo_type=found.repo_type,
            write=found.write,
            revision=_revision(found),
            timeout=timeout,
            endpoint=found.endpoint,
        )
    report.environment = {**report.environment, "explained": _describe(exc, found)}
    return report


def _revision(found: FailedRequest) -> str | None:
    """The revision worth checking: a branch or tag the user chose, not the default `main`."""
    return None if found.revision in (None, "main") else found.revision


def _describe(exc: BaseException | None, found: FailedRequest | None) -> dict[str, object]:
    return {
        "exception": type(exc).__name__ if exc is not None else None,
        "found": found is not None and found.repo_id is not None,
        "how": found.how if found else None,
        "method": found.method if found else None,
        "status": found.status if found else None,
        "url": redact_url(found.url) if found and found.url else None,
        "file": found.filename if found else None,
        "write": found.write if found else None,
    }
