"""Find the Hub request inside an exception: which repo, of which type, at which revision, read or write.

huggingface_hub's errors carry the HTTP response (and its request); transformers, diffusers, datasets and peft
wrap them in OSError/ValueError whose chain (`__cause__`/`__context__`) or message still holds the URL or the
repo id. The repo that failed is often not the one the user typed (a PEFT adapter's gated base model, an eval
harness's tokenizer), so the URL of the failing request is the truth, and the message is the fallback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator
from urllib.parse import unquote, urlsplit

_TYPE_PLURALS = {"models": "model", "datasets": "dataset", "spaces": "space"}
_WRITE_ROUTES = ("preupload", "commit", "upload", "lfs-files", "settings", "branch", "tag", "discussions")
# Routes below `/api/{type}s/{repo_id}/`, with how many path segments they need after the route word. A repo id
# is one segment (`gpt2`) or two (`org/name`); the route word after it tells which, not a guess from prose.
_REPO_ROUTES = {
    "revision": 1,
    "tree": 1,
    "paths-info": 1,
    "preupload": 1,
    "commit": 1,
    "commits": 1,
    "refs": 0,
    "auth-check": 0,
    "upload": 0,
    "lfs-files": 0,
    "settings": 0,
    "branch": 1,
    "tag": 1,
    "discussions": 0,
    "compare": 1,
    "treesize": 1,
    "super-squash": 1,
    "xet-read-token": 1,
    "xet-write-token": 1,
    "user-access-request": 0,
    "parquet": 0,
    "resolve": 1,
}
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


def exception_chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, its causes and contexts, and grouped exceptions: each once."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)
        pending.extend(getattr(current, "exceptions", None) or ())


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
    passed = _argument_in_traceback(exc, "repo_id")
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
        passed = _argument_in_traceback(item, "repo_id")
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


def _argument_in_traceback(exc: BaseException, name: str) -> Any:
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
    found = parse_hub_url(str(url), method=method, body=_request_body(request))
    if found is None:
        return None
    status = getattr(response, "status_code", None)
    return _with(found, status=status if isinstance(status, int) else None, how="response")


def _request_body(request: Any) -> bytes:
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
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    endpoint = f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}"
    segments = [unquote(s) for s in parts.path.split("/") if s]
    writes = (method or "GET").upper() not in ("GET", "HEAD", "OPTIONS")
    base = FailedRequest(repo_id=None, endpoint=endpoint, method=method, url=url.split("?", 1)[0])
    if (
        segments[:2] == ["api", "repos"]
        and len(segments) >= 3
        and segments[2] in ("create", "delete", "move")
    ):
        return _with(base, repo_id=_repo_from_create_body(body), write=True, **_type_from_body(body))
    if len(segments) >= 3 and segments[0] == "api" and segments[1] in _TYPE_PLURALS:
        return _api_route(base, _TYPE_PLURALS[segments[1]], segments[2:], writes)
    return _resolve_route(base, segments, writes)


def _id_segments(rest: list[str]) -> int:
    """1 when the path after `/api/{type}s/` holds a one-segment id (`gpt2/preupload/main`), else 2: the route
    word must come right after the id, with the segments that route needs."""
    if len(rest) < 2:
        return 1
    two = len(rest) == 2 or _route_fits(rest[2:])
    one = _route_fits(rest[1:])
    if one and not two:
        return 1
    if one and len(rest) == 2 and _REPO_ROUTES.get(rest[1]) == 0:
        return (
            1  # `/api/models/gpt2/auth-check`: a route of gpt2, not the metadata of a repo named auth-check
        )
    return 2


def _route_fits(tail: list[str]) -> bool:
    need = _REPO_ROUTES.get(tail[0]) if tail else None
    return need is not None and len(tail) - 1 >= need


def _api_route(base: FailedRequest, repo_type: str, rest: list[str], writes: bool) -> FailedRequest:
    size = _id_segments(rest)
    repo_id = "/".join(rest[:size])
    tail = rest[size:]
    revision = None
    write = writes
    if tail and tail[0] in ("revision", "tree", "paths-info", "preupload", "commit") and len(tail) >= 2:
        revision = tail[1]
    if tail and tail[0] in _WRITE_ROUTES:
        write = True
    if tail[:2] == ["auth-check", "write"]:
        write = True
    return _with(base, repo_id=repo_id, repo_type=repo_type, revision=revision, write=write)


def _resolve_route(base: FailedRequest, segments: list[str], writes: bool) -> FailedRequest | None:
    repo_type = "model"
    if segments and segments[0] in _TYPE_PLURALS and segments[0] != "models":
        repo_type = _TYPE_PLURALS[segments[0]]
        segments = segments[1:]
    if "resolve" not in segments:
        return None
    index = segments.index("resolve")
    if index not in (1, 2) or len(segments) < index + 2:
        return None
    return _with(
        base,
        repo_id="/".join(segments[:index]),
        repo_type=repo_type,
        revision=segments[index + 1],
        filename="/".join(segments[index + 2 :]) or None,
        write=writes,
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
    return {"repo_type": kind} if kind in ("model", "dataset", "space") else {}
