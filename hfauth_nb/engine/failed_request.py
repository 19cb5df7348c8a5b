"""Find the Hub request inside an exception: which repo, of which type, at which revision, read or write.

huggingface_hub's errors carry the HTTP response (and its request); transformers, diffusers, datasets and peft
wrap them in OSError/ValueError whose chain (`__cause__`/`__context__`) or message still holds the URL or the
repo id. The repo that failed is often not the one the user typed (a PEFT adapter's gated base model, an eval
harness's tokenizer), so the URL of the failing request is the truth, and the message is the fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from hfauth_nb.errors import exception_chain
from hfauth_nb.hub_refs import REPO_TYPES, request_path, split_request_url

# Placeholders in the library's own help text ("in the form 'repo_name' or 'namespace/repo_name'"): never a target.
_HELP_TEXT_IDS = frozenset(
    {"namespace/repo_name", "repo_name", "org/name", "user/repo", "username/repo_name"}
)
_VALIDATION_MESSAGE = re.compile(r"^(Repo id must|Repo_id cannot|Cannot have -- or \.\. in repo_id)")
_PASSED_VALUE = re.compile(r": '(.*)'\.(?: Use `repo_type` argument if needed\.)?$", re.DOTALL)
_URL = re.compile(r"https?://[^\s'\"<>)]+")
# "... valid model identifier listed on ...", "Repo id must be ...", quoted ids in transformers/peft messages.
_QUOTED_ID = re.compile(r"['\"`]([A-Za-z0-9][\w.-]{0,95}/[\w.-]{1,96})['\"`]")
_ID_IN_TEXT = re.compile(r"(?<![\w./-])([A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95})(?![\w/-])")


@dataclass(frozen=True)
class FailedRequest:
    """What the failing Hub request was about."""

    repo_id: str | None
    repo_type: str = "model"
    revision: str | None = None
    filename: str | None = None
    write: bool = False
    endpoint: str | None = None  # scheme://host[:port] of the failing URL
    method: str | None = None
    status: int | None = None
    url: str | None = None
    how: str = ""  # "response" | "rejected id" | "call arguments" | "message url" | "message id"
    passed: str | None = None  # what was passed as repo id, when the library rejected it before any request
    rejected_because: str | None = None  # the library's own validation message
    # The Bearer token the failing request carried (from its attached request; None: none, or not readable).
    sent: str | None = field(default=None, repr=False)


def find_failed_request(exc: BaseException) -> FailedRequest | None:
    """The Hub request inside `exc`: from an attached HTTP response first; then the repo id the library itself
    rejected (its validation error, or the `repo_id` argument of the library call that raised); then URLs and
    ids in messages, never the placeholders of the library's help text."""
    chain = list(exception_chain(exc))
    for item in chain:
        found = _from_response(item)
        if found is not None:
            return found
    for item in chain:
        found = _rejected_repo_id(item)
        if found is not None:
            return found
    found = _from_call_arguments(chain)
    if found is not None:
        return found
    for item in chain:
        for url in _URL.findall(str(item)):
            found = parse_hub_url(url.rstrip(".,;:"))
            if found is not None:
                return _with(found, how="message url")
    for item in chain:
        text = str(item)
        for pattern in (_QUOTED_ID, _ID_IN_TEXT):
            for match in pattern.finditer(text):
                if match.group(1) not in _HELP_TEXT_IDS:
                    return FailedRequest(repo_id=match.group(1), how="message id")
    return None


def _is_validation_error(exc: BaseException) -> bool:
    names = {cls.__name__ for cls in type(exc).__mro__}
    return "HFValidationError" in names and bool(_VALIDATION_MESSAGE.match(str(exc)))


def _rejected_repo_id(exc: BaseException) -> FailedRequest | None:
    """The library refused the repo id before sending anything: what was passed, and its reason."""
    if not _is_validation_error(exc):
        return None
    message = str(exc)
    passed = argument_in_traceback(exc, "repo_id")
    if passed is _MISSING:
        match = _PASSED_VALUE.search(message)
        passed = match.group(1) if match else None
    return FailedRequest(
        repo_id=None, how="rejected id", passed=_shown(passed), rejected_because=message.split(": '", 1)[0]
    )


def _from_call_arguments(chain: list[BaseException]) -> FailedRequest | None:
    """The `repo_id` a huggingface_hub function was called with, when it raised before building a request
    (e.g. `None`, which some versions reject with an AttributeError). Only a value the library's validator
    refuses is reported here; a valid one without any request is not a Hub failure."""
    for item in chain:
        passed = argument_in_traceback(item, "repo_id")
        if passed is _MISSING:
            continue
        reason = _library_reason(passed)
        if reason is None and passed is None and isinstance(item, (AttributeError, TypeError)):
            reason = "Repo id is None: the call needs a repo id, 'name' or 'namespace/name'"
        if reason is None:
            continue
        return FailedRequest(repo_id=None, how="rejected id", passed=_shown(passed), rejected_because=reason)
    return None


_MISSING = object()


def argument_in_traceback(exc: BaseException, name: str) -> Any:
    """The value of `name` in the outermost huggingface_hub frame of the traceback (the user's own call)."""
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        module = str(frame.f_globals.get("__name__", ""))
        if module.startswith("huggingface_hub") and name in frame.f_code.co_varnames:
            return frame.f_locals.get(name, _MISSING)
        tb = tb.tb_next
    return _MISSING


def _library_reason(value: Any) -> str | None:
    """The installed library's own verdict on a repo id (its validator), or None when it accepts it."""
    from hfauth_nb.engine.library import repo_id_error

    return repo_id_error(value)


def _shown(value: Any) -> str:
    """What was passed, as a user would have typed it (never more than a line)."""
    from hfauth_nb.secrets import scrub

    text = repr(value) if not isinstance(value, str) else value
    return scrub(text.splitlines()[0][:200] if text else repr(text))


def _with(found: FailedRequest, **changes: Any) -> FailedRequest:
    return FailedRequest(**{**found.__dict__, **changes})


def _from_response(exc: BaseException) -> FailedRequest | None:
    response = getattr(exc, "response", None)
    request = getattr(response, "request", None) or getattr(exc, "request", None)
    url = getattr(request, "url", None)
    if url is None:
        return None
    method = str(getattr(request, "method", "") or "") or None
    found = parse_hub_url(str(url), method=method, body=request_body(request))
    if found is None:
        return None
    status = getattr(response, "status_code", None)
    return _with(
        found, status=status if isinstance(status, int) else None, how="response", sent=bearer_of(request)
    )


def bearer_of(request: Any) -> str | None:
    """The Bearer token in a requests/httpx request's Authorization header (None: no header, or not Bearer)."""
    headers = getattr(request, "headers", None)
    try:
        return bearer_value(headers.get("authorization") if headers is not None else None)
    except Exception:
        return None


def bearer_value(value: object) -> str | None:
    """The token of an Authorization-style header value `Bearer <token>` (None for anything else)."""
    if not isinstance(value, str) or not value.lower().startswith("bearer "):
        return None
    return value.split(" ", 1)[1].strip() or None


def request_body(request: Any) -> bytes:
    """The request body (requests: `.body`; httpx: `.content`), for routes whose repo id is only in it."""
    for name in ("content", "body"):
        try:
            value = getattr(request, name, None)
        except Exception:  # httpx raises RequestNotRead for streamed bodies
            continue
        if isinstance(value, (bytes, bytearray)):
            return bytes(value[:65536])
        if isinstance(value, str):
            return value[:65536].encode()
    return b""


def parse_hub_url(url: str, method: str | None = None, body: bytes = b"") -> FailedRequest | None:
    """Repo, type, revision, file and intent from a Hub URL (API routes and /resolve/ file URLs)."""
    split = split_request_url(url)
    if split is None:
        return None
    endpoint, segments = split
    writes = (method or "GET").upper() not in ("GET", "HEAD", "OPTIONS")
    base = FailedRequest(repo_id=None, endpoint=endpoint, method=method, url=url.split("?", 1)[0])
    if (
        segments[:2] == ["api", "repos"]
        and len(segments) >= 3
        and segments[2] in ("create", "delete", "move")
    ):
        return _with(base, repo_id=_repo_from_create_body(body), write=True, **_type_from_body(body))
    path = request_path(segments)
    if path is None:
        return None
    return _with(
        base,
        repo_id=path.repo_id,
        repo_type=path.repo_type,
        revision=path.revision,
        filename=path.filename,
        write=writes or path.writes,
    )


def _repo_from_create_body(body: bytes) -> str | None:
    import json

    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    name = data.get("name")
    organization = data.get("organization")
    if isinstance(name, str) and "/" in name:
        return name
    if isinstance(name, str) and isinstance(organization, str) and organization:
        return f"{organization}/{name}"
    return name if isinstance(name, str) else None


def _type_from_body(body: bytes) -> dict[str, str]:
    import json

    try:
        data = json.loads(body or b"{}")
    except ValueError:
        return {}
    kind = data.get("type") if isinstance(data, dict) else None
    return {"repo_type": kind} if kind in REPO_TYPES else {}
