"""HTTP through the installed huggingface_hub's own stack, under a hard time budget.

Requests go out through a *fresh* session/client built by the library's active factory (so a user's
`configure_http_backend`/`set_client_factory`, proxies and CA settings apply as in their real calls) and never
through the library's global session. Each request runs in a daemon thread: the library's 2.x client has
`timeout=None`, and a server that trickles bytes can outlive any per-phase timeout, so the caller waits on a
deadline instead of on the socket.

No URL the tool requests carries userinfo: the library's stacks log request URLs (httpx at INFO, the Hub's
request hook and urllib3 at DEBUG), and credentials in a URL would also replace the token being judged (fact N6).
Each request sends the token it judges in an explicit Authorization header instead.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable, Iterable, Iterator, Mapping

from hfauth_nb.errors import exception_chain
from hfauth_nb.secrets import redact_url, scrub

_MAX_BODY = 64 * 1024
# Loggers of the HTTP stacks and of huggingface_hub that name request URLs (filters run on the logger a record
# is made on, so each one is listed).
_URL_LOGGERS = (
    "httpx",
    "httpx2",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.connection",
    "httpcore.proxy",
    "httpcore2.http11",
    "httpcore2.http2",
    "httpcore2.connection",
    "httpcore2.proxy",
    "huggingface_hub.utils._http",
    "urllib3.connectionpool",
    "requests",
)
_URL_LOGGER_ROOTS = frozenset(
    {"httpx", "httpx2", "httpcore", "httpcore2", "urllib3", "requests", "huggingface_hub"}
)

# The Xet token route (services fact X6) answers with a fresh storage credential in a header that httpcore logs
# at DEBUG: it is known only once the answer is in, so its value is masked by the header's name.
_XET_TOKEN_HEADER = re.compile(r"(?i)(x-xet-access-token['\"]?\s*[,:=]\s*b?['\"]?)[^'\"\s,)]+")


@dataclass(frozen=True)
class HttpResult:
    """One HTTP exchange, or why there was none."""

    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-cased names
    body: str = ""
    # timeout | dns | refused | proxy | tls | connection | offline | other, or header (a token that cannot be
    # put in an HTTP header: a local failure, never the network's)
    error_kind: str | None = None
    error: str | None = None
    elapsed: float = 0.0

    @property
    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def error_code(self) -> str | None:
        return self.headers.get("x-error-code")

    @property
    def rate_limit_reset(self) -> int | None:
        """Seconds until a 429's window resets: `RateLimit: "api";r=0;t=55` (fact W4), else `Retry-After`."""
        for part in self.headers.get("ratelimit", "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == "t" and value.isdigit():
                return int(value)
        retry = self.headers.get("retry-after", "")
        return int(retry) if retry.isdigit() else None

    @property
    def error_message(self) -> str:
        """The Hub's message: `X-Error-Message`, else the JSON body's `error` (fact R4)."""
        message = self.headers.get("x-error-message")
        if message:
            return message
        data = self.json
        if isinstance(data, dict):
            error = data.get("error")
            if isinstance(error, list):
                return "; ".join(str(e) for e in error)
            if error:
                return str(error)
        return ""


def _http_module() -> ModuleType:
    return importlib.import_module("huggingface_hub.utils._http")


def backend_name() -> str:
    """`requests`, `httpx` or `httpx2`: read from the library's HTTP module, not from its version."""
    http = _http_module()
    if hasattr(http, "_GLOBAL_BACKEND_FACTORY"):
        return "requests"
    return "httpx2" if hasattr(http, "httpx2") else "httpx"


class Transport:
    """Sends single requests with the library's stack; netrc never applies (tokens are judged on their own)."""

    def __init__(self) -> None:
        self._http = _http_module()
        self.backend = backend_name()
        self._client: Any = None
        self._lock = threading.Lock()

    def _httpx_client(self) -> Any:
        with self._lock:
            if self._client is None:
                self._client = self._http._GLOBAL_CLIENT_FACTORY()
            return self._client

    def send(self, method: str, url: str, token: str | None, timeout: float) -> HttpResult:
        """Blocking send; used from worker threads. Never raises."""
        started = time.monotonic()
        url = redact_url(url)
        headers = {"user-agent": "hfauth_nb"}
        if token is not None:
            headers["authorization"] = f"Bearer {token}"
        try:
            with scrubbed_logs([token]):
                response = self._send(method, url, headers, timeout)
            status, resp_headers = response.status_code, response.headers
            body = response.content[:_MAX_BODY].decode("utf-8", "replace")
        except BaseException as exc:
            kind, message = classify_exception(exc)
            return HttpResult(error_kind=kind, error=message, elapsed=time.monotonic() - started)
        return HttpResult(
            status=status,
            headers={k.lower(): v for k, v in resp_headers.items()},
            body=body,
            elapsed=time.monotonic() - started,
        )

    def _send(self, method: str, url: str, headers: dict[str, str], timeout: float) -> Any:
        if self.backend == "requests":
            return self._send_requests(method, url, headers, timeout)
        client = self._httpx_client()
        return client.request(method, url, headers=headers, timeout=timeout)

    def _send_requests(self, method: str, url: str, headers: dict[str, str], timeout: float) -> Any:
        session = self._http._GLOBAL_BACKEND_FACTORY()
        try:
            # An explicit auth callable stops requests from applying netrc (fact N1): each token is judged alone.
            return session.request(
                method,
                url,
                headers=headers,
                auth=_keep_headers,
                timeout=(timeout, timeout),
                allow_redirects=True,
            )
        finally:
            session.close()

    def close(self) -> None:
        with self._lock:
            if self._client is not None:
                with contextlib.suppress(Exception):
                    self._client.close()
                self._client = None


def _keep_headers(request: Any) -> Any:
    return request


class _ScrubRecords(logging.Filter):
    """Masks, in what the HTTP stacks log while the tool has requests in flight, URL credentials and the
    secrets those requests carry (httpcore logs response headers at DEBUG, and a server may echo a token)."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._active: dict[int, frozenset[str]] = {}
        self._next = 0

    def enter(self, secrets: frozenset[str]) -> int:
        with self._lock:
            self._next += 1
            self._active[self._next] = secrets
            return self._next

    def leave(self, key: int) -> None:
        with self._lock:
            self._active.pop(key, None)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._active:  # idle (no request of ours in flight): leave the record alone, take no lock
            return True
        with self._lock:
            known = frozenset().union(*self._active.values())
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's business, not ours
            return True
        record.msg, record.args = _XET_TOKEN_HEADER.sub(r"\1********", scrub(message, known)), ()
        return True


_RECORD_FILTER = _ScrubRecords()


def _install_record_filter() -> None:
    """Put the (idle unless a request is in flight) filter on every logger of the HTTP stacks there is now."""
    names = set(_URL_LOGGERS) | {
        name for name in list(logging.Logger.manager.loggerDict) if name.split(".", 1)[0] in _URL_LOGGER_ROOTS
    }
    for name in names:
        logger = logging.getLogger(name)
        if _RECORD_FILTER not in logger.filters:
            logger.addFilter(_RECORD_FILTER)


@contextlib.contextmanager
def scrubbed_logs(secrets: Iterable[str | None] = ()) -> Iterator[None]:
    """While active, what the HTTP stacks log has URL credentials and `secrets` (and token shapes) masked.

    Every request the tool sends drops userinfo from its URL; this also covers what a stack logs about the
    answer (a server echoing a token) and the one call that must hand a URL with userinfo to the library
    (observing the header it would send, fact N6).
    """
    _install_record_filter()
    key = _RECORD_FILTER.enter(frozenset(s for s in secrets if s))
    try:
        yield
    finally:
        _RECORD_FILTER.leave(key)


def classify_exception(exc: BaseException) -> tuple[str, str]:
    """Name the transport failure: DNS, refused, proxy, TLS, timeout, offline (never 'bad token')."""
    chain = list(exception_chain(exc, _linked))
    if any(isinstance(e, UnicodeEncodeError) for e in chain):
        return "header", "the token cannot be sent: HTTP headers must be ASCII"
    names = " ".join(type(e).__name__ for e in chain)
    text = " | ".join(str(e) for e in chain)
    message = scrub(f"{type(exc).__name__}: {exc}")[:300]  # scrubbed whole: a cut URL hides its password
    if "OfflineModeIsEnabled" in names:
        return "offline", message
    if "Proxy" in names or ("proxy" in text.lower() and "Tunnel" in text):
        return "proxy", message
    if any(isinstance(e, ssl.SSLError) for e in chain) or "SSL" in names or "CERTIFICATE" in text.upper():
        return "tls", message
    if any(isinstance(e, socket.gaierror) for e in chain) or "NameResolution" in names or _dns_words(text):
        return "dns", message
    if "Timeout" in names or any(isinstance(e, (TimeoutError, socket.timeout)) for e in chain):
        return "timeout", message
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "refused" in text.lower():
        return "refused", message
    if "Connect" in names or "Connection" in names or any(isinstance(e, OSError) for e in chain):
        return "connection", message
    return "other", message


def _linked(exc: BaseException) -> tuple[object, ...]:
    """Where an HTTP client keeps the exception underneath: cause, context, arguments, urllib3's `reason`."""
    return (exc.__cause__, exc.__context__, *exc.args, getattr(exc, "reason", None))


def _dns_words(text: str) -> bool:
    lowered = text.lower()
    return any(
        w in lowered
        for w in (
            "name or service not known",
            "nodename nor servname",
            "temporary failure in name resolution",
            "getaddrinfo failed",
            "no address associated",
            "failed to resolve",
        )
    )


@dataclass
class Pending:
    """A request in flight in a daemon thread."""

    done: threading.Event = field(default_factory=threading.Event)
    result: HttpResult | None = None


def start(send: Callable[[], HttpResult]) -> Pending:
    """Run `send` in a daemon thread so a stalled server can never hold the caller or the interpreter's exit."""
    pending = Pending()

    def run() -> None:
        try:
            pending.result = send()
        finally:
            pending.done.set()

    threading.Thread(target=run, name="hfauth-probe", daemon=True).start()
    return pending


def wait(pending: Pending, deadline: float, timeout_s: float) -> HttpResult:
    """The result, or a timeout result once the shared deadline has passed."""
    remaining = deadline - time.monotonic()
    if pending.done.wait(max(remaining, 0.0)) and pending.result is not None:
        return pending.result
    return HttpResult(error_kind="timeout", error=f"no answer within {timeout_s:.1f} s", elapsed=timeout_s)
