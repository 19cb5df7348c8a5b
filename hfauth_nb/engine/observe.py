"""Observe the Authorization header the installed library would really send (facts O1, O2).

No network and no change to the library's global session: a fresh session/client is built by the library's
active factory and the request is only *prepared* (requests, where netrc is applied at preparation) or sent
to an in-memory transport (httpx/httpx2, whose hooks and auth then run as in a real call).
"""

from __future__ import annotations

import base64
import http.client
import importlib
from dataclasses import dataclass, field
from typing import Any

from hfauth_nb.engine.transport import backend_name, scrubbed_logs


@dataclass(frozen=True)
class ObservedAuth:
    """The scheme the library's stack put on a request to the Hub, and whose credentials it carried."""

    scheme: str | None  # "Bearer" | "Basic" | None (no header) ; None also when observation failed
    carries_token: bool = False  # the header carries exactly the token we asked it to send
    basic_login: str | None = None
    basic_password: str | None = field(default=None, repr=False)  # secret: compared, never shown
    error: str | None = None
    how: str = ""

    @property
    def replaced(self) -> bool:
        """The header differs from the Bearer token the library meant to send."""
        return self.scheme == "Basic"


def observe_authorization(url: str, token: str | None) -> ObservedAuth:
    """Build the request the library would send to `url` with `token` and read its final Authorization."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    try:
        # The URL keeps its userinfo here on purpose: what the library does with it is the question (fact N6).
        with scrubbed_logs([token]):
            if backend_name() == "requests":
                value, how = _prepare_with_requests(url, headers)
            else:
                value, how = _send_to_mock(url, headers)
    except Exception as exc:
        return ObservedAuth(scheme=None, error=f"{type(exc).__name__}", how="observation failed")
    return _parse(value, token, how)


def _prepare_with_requests(url: str, headers: dict[str, str]) -> tuple[str | None, str]:
    requests = importlib.import_module("requests")
    http = importlib.import_module("huggingface_hub.utils._http")
    session = http._GLOBAL_BACKEND_FACTORY()
    try:
        prepared = session.prepare_request(requests.Request("GET", url, headers=headers))
        _encode_like_http_client(prepared.headers)
        return prepared.headers.get(
            "Authorization"
        ), "prepared by a fresh requests session from the library's factory"
    finally:
        session.close()


def _encode_like_http_client(headers: Any) -> None:
    """requests hands headers to http.client, which encodes them when the request is written (latin-1): a
    token that cannot be encoded raises there and nothing is sent. Let the stdlib itself try (no socket is
    opened before the headers are complete)."""
    conn = http.client.HTTPConnection("127.0.0.1")
    try:
        conn.putrequest("GET", "/", skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            conn.putheader(name, value)
    finally:
        conn.close()


def _send_to_mock(url: str, headers: dict[str, str]) -> tuple[str | None, str]:
    http = importlib.import_module("huggingface_hub.utils._http")
    client = http._GLOBAL_CLIENT_FACTORY()
    module = importlib.import_module(type(client).__module__.split(".")[0])
    seen: dict[str, Any] = {}

    def handler(request: Any) -> Any:
        seen["authorization"] = request.headers.get("authorization")
        return module.Response(200, json={})

    try:
        client._transport = module.MockTransport(handler)
        client._mounts = {}
        client.get(url, headers=headers)
    finally:
        client.close()
    return seen.get(
        "authorization"
    ), f"sent by a fresh {module.__name__} client from the library's factory to a mock transport"


def _parse(value: str | None, token: str | None, how: str) -> ObservedAuth:
    if not value:
        return ObservedAuth(scheme=None, how=how)
    scheme, _, credentials = value.partition(" ")
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(credentials).decode("utf-8", "replace")
        except ValueError:
            decoded = ""
        login, _, password = decoded.partition(":")
        return ObservedAuth(scheme="Basic", basic_login=login, basic_password=password, how=how)
    if scheme.lower() == "bearer":
        return ObservedAuth(scheme="Bearer", carries_token=credentials == token, how=how)
    return ObservedAuth(scheme=scheme, how=how)
