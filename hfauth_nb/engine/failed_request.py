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
    how: str = ""  # "response" | "message url" | "message id"


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
    """The Hub request inside `exc`: from an attached HTTP response first, then from URLs and ids in messages."""
    chain = list(exception_chain(exc))
    for item in chain:
        found = _from_response(item)
        if found is not None:
            return found
    for item in chain:
        for url in _URL.findall(str(item)):
            found = parse_hub_url(url.rstrip(".,;:"))
            if found is not None:
                return _with(found, how="message url")
    for item in chain:
        text = str(item)
        match = _QUOTED_ID.search(text) or _ID_IN_TEXT.search(text)
        if match:
            return FailedRequest(repo_id=match.group(1), how="message id")
    return None


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
    if len(segments) >= 4 and segments[0] == "api" and segments[1] in _TYPE_PLURALS:
        return _api_route(base, _TYPE_PLURALS[segments[1]], segments[2:], writes)
    return _resolve_route(base, segments, writes)


def _api_route(base: FailedRequest, repo_type: str, rest: list[str], writes: bool) -> FailedRequest:
    repo_id = "/".join(rest[:2])
    tail = rest[2:]
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
