"""`%hfauth why` and `hfauth_nb.explain(exc)`: diagnose the Hub request that just failed, not the one typed.

The module is not named `explain`: importing a submodule sets the package attribute of its name, which would
replace the public function `hfauth_nb.explain`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from hfauth_nb.engine import api
from hfauth_nb.engine.explained import Explained
from hfauth_nb.engine.report import Finding

if TYPE_CHECKING:
    from hfauth_nb.engine.failed_request import FailedRequest
    from hfauth_nb.engine.report import Report


def last_exception() -> BaseException | None:
    """The exception of the last failed cell (IPython stores it like the interactive interpreter does)."""
    value = getattr(sys, "last_exc", None) or getattr(sys, "last_value", None)
    return value if isinstance(value, BaseException) else None


def explain(exc: BaseException | None = None, *, timeout: float = 5.0) -> Report:
    """Run the check for exactly the repo, type, revision and intent of the Hub request inside `exc`.

    Without a Hub request in `exc` (or no exception at all), the report covers the token setup alone and its
    `explained.found` is False.
    """
    exc = exc if exc is not None else last_exception()
    inference = api.find_inference_call(exc) if exc is not None else None
    if inference is not None:
        report = api.diagnose(timeout=timeout, inference=inference)  # the token setup, plus the call's cause
        report.explained = Explained.of(exc, None, service=inference)
        return report
    found = api.find_failed_request(exc) if exc is not None else None
    # A service beyond repo files (Xet storage, a Space route or host, ZeroGPU): its checks read the exception.
    failure = api.find_service_failure(exc, found) if exc is not None else None
    if failure is not None and failure.kind == "space-host" and found is not None and found.how != "response":
        found = None  # a URL in gradio_client's message is the Space's own host, not a Hub route
    if failure is not None and failure.kind == "space-lookup" and failure.token_passed:
        # The token given to gradio_client's Client is in no local source: the Hub's answer to it is in the failure
        # (whoami is asked about it); probing the Space with the local token would judge another call.
        report = api.diagnose(timeout=timeout, failure=failure)
    elif found is not None and found.how == "rejected id":
        report = api.diagnose(timeout=timeout)
        report.findings = sorted([_not_a_repo_id(found), *report.findings], key=Finding.sort_key)
    elif (found is None or found.repo_id is None) and failure is not None and failure.target is not None:
        # hf_xet's errors name only the storage host; the call named the repo: check it, read-only.
        report = api.diagnose(
            failure.target,
            repo_type=failure.repo_type,
            timeout=timeout,
            endpoint=failure.endpoint,
            failure=failure,
        )
    elif found is None or found.repo_id is None:
        report = api.diagnose(timeout=timeout, failure=failure)
    else:
        found = _owned_by_the_caller(found, timeout)
        report = api.diagnose(
            found.repo_id,
            repo_type=found.repo_type,
            # A refused Space admin route is judged by read-only GETs: no check writes to a Space.
            write=found.write and (failure is None or failure.kind != "space-admin-route"),
            failure=failure,
            revision=_revision(found),
            timeout=timeout,
            call_token=found.sent,
            # hf_xet's refresh error quotes the token route; the endpoint the call passed, if any, is in `failure`.
            endpoint=_endpoint_to_check(found) or (failure.endpoint if failure is not None else None),
        )
    report.explained = Explained.of(exc, found)
    return report


def _endpoint_to_check(found: FailedRequest) -> str | None:
    """The failing URL's endpoint, or None (the library's own) when it is the configured one: the URL in an
    exception has lost any `user:password@` of HF_ENDPOINT, and those credentials may be the very cause (N6)."""
    if found.endpoint is None or found.how not in ("response", "call arguments"):
        return None  # a URL quoted in an exception's text never decides where the tokens are sent
    configured = api.library_endpoint()
    return None if found.endpoint.rstrip("/") == configured else found.endpoint


def _owned_by_the_caller(found: FailedRequest, timeout: float) -> FailedRequest:
    """`create_repo("name")` posts a bare name and the Hub creates it under the token's owner: the target is
    `<user>/name`, with the user the Hub reports for the token (whoami is cached for the session)."""
    from dataclasses import replace
    from urllib.parse import urlsplit

    repo_id = found.repo_id or ""
    if "/" in repo_id or not urlsplit(found.url or "").path.endswith("/api/repos/create"):
        return found
    user = api.diagnose(timeout=timeout, endpoint=_endpoint_to_check(found)).token.user
    return replace(found, repo_id=f"{user}/{repo_id}") if user else found


def _not_a_repo_id(found: FailedRequest) -> Finding:
    """huggingface_hub refused the repo id itself, so no request was sent: say what was passed and why."""
    passed = found.passed if found.passed is not None else "(unknown)"
    reason = found.rejected_because or "the library refused it"
    path_like = passed.startswith(("/", "./", "../", "~")) or "\\" in passed or passed.count("/") > 1
    template = "{" in passed or "}" in passed
    hint = (
        "It looks like a local folder: load it with the library's local path support (e.g. "
        "from_pretrained('/path/to/folder')), or check that the folder exists; only 'name' or 'namespace/name' "
        "reaches the Hub."
        if path_like
        else "It looks like a template that was never filled in: format the string (f-string) before the call."
        if template
        else "Pass the repo id as a string: 'name' or 'namespace/name'."
    )
    return Finding(
        "repo-not-found",
        "error",
        f"{passed!r} is not a repo id, so huggingface_hub sent no request: {reason}.",
        f"The library validates the repo id before any request; nothing reached the Hub, and no token was used. "
        f"{hint}",
        ("Pass the repo id the Hub shows on the repo's page, e.g. 'meta-llama/Llama-3.2-1B'.",),
        {"passed": passed, "library said": reason, "request sent": False},
    )


def _revision(found: FailedRequest) -> str | None:
    """The revision worth checking: a branch or tag the user chose, not the default `main`."""
    return None if found.revision in (None, "main") else found.revision
