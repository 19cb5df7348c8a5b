"""HTTP side of the simulator: a ThreadingHTTPServer on 127.0.0.1, fault injection and the request log.

Standard library only, so the simulator imports anywhere. Every connection is answered once and closed
(`Connection: close`): no idle keep-alive thread can outlive stop(). Stalled handlers wait on the stop
event, handler sockets have a timeout, and stop() joins handler threads with a deadline.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Generic, Literal, TypeVar, Union
from urllib.parse import urlsplit

from hfauth_nb.testing.routes import Incoming
from hfauth_nb.testing.rules import Credentials, Reply, error_reply, parse_authorization

STALL = "stall"
STALLED_STATUS = 0
MAX_BODY_BYTES = 64 * 1024 * 1024
HANDLER_SOCKET_TIMEOUT = 30.0
INTERNAL_ERROR = "Internal Error - We're working hard to fix this as soon as possible!"
RATE_LIMITED = "You have been rate-limited; you can retry this action in a few minutes."

FaultStatus = Union[int, Literal["stall"]]
_Item = TypeVar("_Item")


@dataclass(frozen=True)
class RecordedRequest:
    """One request as the simulator saw it. `path` is the raw (percent-encoded) path without the query;
    `token` is the Bearer value or the Basic password (`auth_scheme` None: no Authorization header was
    sent); `user_agent` tells clients apart; `status` 0 means stalled (never answered), and
    then `finished` equals `started`. Times are `time.monotonic()`; `finished` is taken just before the
    answer is written, so a client never sees an answer whose record is not yet in the log."""

    method: str
    path: str
    query: str
    auth_scheme: str | None
    token: str | None
    basic_user: str | None
    status: int
    started: float
    finished: float
    user_agent: str | None = None
    hf_token: str | None = None  # X-HF-Authorization's Bearer value (gradio_client's header for Spaces)


@dataclass
class Fault:
    """An injected failure for paths matching `pattern` (re.search); `remaining` None = forever."""

    pattern: re.Pattern[str]
    status: FaultStatus
    remaining: int | None = None
    reset_seconds: int = 55

    def reply(self) -> Reply:
        """The answer for a non-stall fault; 429 carries the Hub's rate-limit headers (facts W4)."""
        status = int(self.status)
        if status == 429:
            headers = (
                ("RateLimit", f'"api";r=0;t={self.reset_seconds}'),
                ("RateLimit-Policy", '"fixed window";"api";q=500;w=300'),
            )
            reply = error_reply(429, RATE_LIMITED)
            return Reply(reply.status, reply.body, reply.headers + headers, reply.content_type)
        return error_reply(status, INTERNAL_ERROR if status >= 500 else f"Injected fault: HTTP {status}")


class _SharedList(Generic[_Item]):
    """A list that request handlers and the test's thread use at once, behind one condition."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._items: list[_Item] = []

    def append(self, item: _Item) -> None:
        """Add an item (after the existing ones) and wake waiters."""
        with self._changed:
            self._items.append(item)
            self._changed.notify_all()

    def clear(self) -> None:
        """Forget every item."""
        with self._changed:
            self._items.clear()


class FaultTable(_SharedList[Fault]):
    """Registered faults, first match wins; thread-safe because handlers consume them concurrently."""

    def take(self, path: str) -> Fault | None:
        """The first live fault matching `path`, consuming one of its uses."""
        with self._changed:
            for fault in self._items:
                if fault.remaining != 0 and fault.pattern.search(path):
                    if fault.remaining is not None:
                        fault.remaining -= 1
                    return fault
        return None


class RequestLog(_SharedList[RecordedRequest]):
    """Append-only log of RecordedRequest with snapshot reads and a bounded wait."""

    def snapshot(self) -> list[RecordedRequest]:
        """A copy, safe to iterate while requests keep arriving."""
        with self._changed:
            return list(self._items)

    def wait_for(self, count: int, timeout: float) -> bool:
        """Wait until at least `count` records exist; False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: len(self._items) >= count, timeout=timeout)


@dataclass
class Runtime:
    """What handler threads share: the routing function (which takes the hub lock), faults, the log,
    the injected latency, the stop event that releases stalls and latency waits, and the base of URLs
    written into answers (None: this server's own URL)."""

    dispatch: Callable[[Incoming], Reply]
    faults: FaultTable = field(default_factory=FaultTable)
    log: RequestLog = field(default_factory=RequestLog)
    latency: float = 0.0
    stopping: threading.Event = field(default_factory=threading.Event)
    base_url: str = ""
    public_url: str | None = None


def new_request_id() -> str:
    """An X-Request-Id in the Hub's (AWS trace) style."""
    return f"Root=1-{int(time.time()):08x}-{secrets.token_hex(12)}"


def _header_safe(value: str) -> str:
    """Header values must be one latin-1 line: drop CR/LF (no header injection via a crafted path)."""
    one_line = value.replace("\r", " ").replace("\n", " ")
    return one_line.encode("latin-1", "replace").decode("latin-1")


class _Handler(BaseHTTPRequestHandler):
    """Turns one HTTP request into Incoming, applies faults/latency, records and answers."""

    protocol_version = "HTTP/1.1"
    timeout = HANDLER_SOCKET_TIMEOUT
    server: HubServer

    def do_GET(self) -> None:
        self._serve()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_GET

    def log_message(self, format: str, *args: Any) -> None:
        """Silence the default stderr access log; `FakeHub.requests` is the log."""

    def _serve(self) -> None:
        self.close_connection = True
        runtime = self.server.runtime
        started = time.monotonic()
        body = self._read_body()
        split = urlsplit(self.path)
        incoming = Incoming(
            method=self.command,
            path=split.path,
            query=split.query,
            authorization=self.headers.get("Authorization"),
            body=body or b"",
            bill_to=self.headers.get("X-HF-Bill-To"),
            hf_authorization=self.headers.get("X-HF-Authorization"),
            public_url=runtime.public_url or runtime.base_url,
            server_url=runtime.base_url,
        )
        creds = parse_authorization(incoming.authorization)
        if body is None:
            self._finish(incoming, creds, started, error_reply(413, "Request body too large or malformed"))
            return
        fault = runtime.faults.take(split.path)
        if fault is not None and fault.status == STALL:
            runtime.log.append(self._record(incoming, creds, STALLED_STATUS, started, started))
            runtime.stopping.wait()
            return  # close the connection without an answer
        if runtime.latency > 0:
            runtime.stopping.wait(runtime.latency)
        self._finish(
            incoming,
            creds,
            started,
            fault.reply() if fault is not None else self._dispatch(runtime, incoming),
        )

    def _finish(self, incoming: Incoming, creds: Credentials, started: float, reply: Reply) -> None:
        """Record, then answer: a client never sees an answer whose record is not in the log yet."""
        self.server.runtime.log.append(self._record(incoming, creds, reply.status, started, time.monotonic()))
        self._send(reply)

    @staticmethod
    def _dispatch(runtime: Runtime, incoming: Incoming) -> Reply:
        try:
            return runtime.dispatch(incoming)
        except Exception as exc:  # a simulator bug must surface as an answer, not a hung client
            return error_reply(500, f"FakeHub internal error: {exc!r}")

    def _record(
        self, incoming: Incoming, creds: Credentials, status: int, started: float, finished: float
    ) -> RecordedRequest:
        return RecordedRequest(
            method=incoming.method,
            path=incoming.path,
            query=incoming.query,
            auth_scheme=creds.scheme,
            token=creds.token,
            basic_user=creds.basic_user,
            status=status,
            started=started,
            finished=finished,
            user_agent=self.headers.get("User-Agent"),
            hf_token=parse_authorization(incoming.hf_authorization).token,
        )

    def _read_body(self) -> bytes | None:
        """The request body (Content-Length or chunked), None if too large or malformed."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            return None
        if not 0 <= length <= MAX_BODY_BYTES:
            return None
        return self.rfile.read(length) if length else b""

    def _read_chunked(self) -> bytes | None:
        chunks: list[bytes] = []
        total = 0
        while True:
            try:
                size = int(self.rfile.readline(64).split(b";", 1)[0].strip() or b"0", 16)
            except ValueError:
                return None
            total += size
            if size < 0 or total > MAX_BODY_BYTES:
                return None
            if size == 0:
                self.rfile.readline(1024)  # the trailer's empty line
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline(8)  # CRLF after each chunk

    def _send(self, reply: Reply) -> None:
        try:
            self.send_response(reply.status)
            content_type = reply.content_type
            if content_type == "application/json":
                content_type += "; charset=utf-8"
            self.send_header("Content-Type", content_type)
            if not reply.hold:
                self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("X-Request-Id", new_request_id())
            for name, value in reply.headers:
                self.send_header(name, _header_safe(value))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)
            if reply.hold:
                self.wfile.flush()
                self.server.runtime.stopping.wait()  # the body ends when the connection closes
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. its own timeout); nothing to answer


class HubServer(ThreadingHTTPServer):
    """ThreadingHTTPServer whose daemon handler threads are tracked so stop() can join them."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], runtime: Runtime) -> None:
        self.runtime = runtime
        self._handlers: set[threading.Thread] = set()
        self._handlers_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """One tracked daemon thread per connection."""
        thread = threading.Thread(
            target=self._process_tracked, args=(request, client_address), name="fakehub-handler", daemon=True
        )
        with self._handlers_lock:
            self._handlers.add(thread)
        thread.start()

    def _process_tracked(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._handlers_lock:
                self._handlers.discard(threading.current_thread())

    def join_handlers(self, timeout: float) -> None:
        """Wait (at most `timeout` seconds overall) for in-flight handlers to finish."""
        deadline = time.monotonic() + timeout
        with self._handlers_lock:
            pending = list(self._handlers)
        for thread in pending:
            thread.join(max(0.0, deadline - time.monotonic()))
