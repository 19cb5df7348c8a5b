"""Which Hugging Face service an exception came from, beyond the Hub's repo routes: Xet storage, Space routes,
a Space host reached through gradio_client, ZeroGPU quotas (services facts X1-X6, E5-E6, G3, H1-H2, Z2).

The Hub's own routes (the Xet token route, `space_info`) fail with the Hub's usual codes and are diagnosed like
any repo request; this module names what the repo diagnosis cannot see: a storage host that refused its own
short-lived token, a storage host out of reach, a Space admin route that refuses browser logins, a Space that
treated the caller as anonymous. Pure text and URL matching plus the installed hf_xet's version; no network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

from hfauth_nb.engine.failed_request import FailedRequest, argument_in_traceback, bearer_value
from hfauth_nb.engine.runtime import is_true
from hfauth_nb.errors import exception_chain
from hfauth_nb.hub_refs import REPO_TYPES
from hfauth_nb.secrets import redact_url, scrub

FailureKind = Literal[
    "xet-token-route",  # the Hub's GET .../xet-read-token/...: an ordinary Hub answer (gated, private, bad token)
    "xet-cas-refused",  # the storage (CAS) host refused the Xet token hf_xet sent
    "xet-refresh-refused",  # hf_xet re-asked the Hub's token route mid-transfer and the Hub refused
    "xet-cas-unreachable",  # the storage host could not be reached (DNS, connect, TLS, timeout)
    "space-admin-route",  # 401 on a Space admin route (restart, sleep time, hardware, ...)
    "space-host",  # gradio_client: the *.hf.space host refused or hid the Space
    "space-lookup",  # gradio_client: the Hub refused its look-up of the Space (space_info or runtime) first
    "zerogpu-signup",  # a ZeroGPU quota message asking the caller to sign up
    "space-stage",  # gradio_client: the Hub answered, the Space's stage is PAUSED, RUNTIME_ERROR, ...
]

# Space routes below /api/spaces/{id}/ that change the Space (services fact H1): never called by a check.
SPACE_ADMIN_ROUTES = ("restart", "pause", "sleeptime", "hardware", "dev-mode", "secrets", "variables")
# The three a browser (OAuth) login was seen refused on, with the anonymous 401 text (services fact H2).
OAUTH_REFUSED_ROUTES = ("restart", "sleeptime", "hardware")

_XET_LAYER = re.compile(r"reconstruction|CAS (?:Client|service)|cas-server|xethub|Xet", re.IGNORECASE)
_REFRESH = re.compile(r"Token refresh failed", re.IGNORECASE)
_REFUSED = re.compile(r"\b(401|403)\b[^\n]*?(Unauthorized|Forbidden)|(Unauthorized|Forbidden)", re.IGNORECASE)
_UNREACHABLE = re.compile(
    r"error sending request|dns error|failed to lookup address|Connection refused|connect error|tcp connect"
    r"|timed out|operation timed out|certificate|tls handshake|network is unreachable|No route to host",
    re.IGNORECASE,
)
_DOMAIN = re.compile(r"(?:domain: |for url:? \(?)(https?://[^\s,)'\"]+)")
# huggingface_hub 0.x renews the Xet token in a Python callback; hf_xet wraps what it raised as `PyErr { ... }`.
_PY_CALLBACK = re.compile(r"Error refreshing token: PyErr|PyErr \{ type: <class '([\w.]+)'>")
_HUB_MESSAGE = re.compile(r"\\n\\n([^\\'\"]{1,200})'\)")
_XET_CLASSES = ("XetAuthenticationError", "XetObjectNotFoundError")
_ZEROGPU = re.compile(r"GPU quota", re.IGNORECASE)
_SIGN_UP = re.compile(r"Create a free account|Sign-up on Hugging Face|huggingface\.co/join", re.IGNORECASE)
_GRADIO_SRC = re.compile(r"Could not (?:load|fetch config for) (\S+?)(?: as credentials|\.?$)", re.MULTILINE)
_SPACE_STAGE = re.compile(r"The current space is in the invalid state: (\w+)")
_SPACE_URL = re.compile(r"https?://([a-z0-9-]+)\.hf\.space", re.IGNORECASE)


@dataclass(frozen=True)
class ServiceFailure:
    """One failed service call: which layer answered, what it was about, and the local facts that explain it."""

    kind: FailureKind
    target: str | None = None  # the repo or Space id, when the exception or the call names it
    repo_type: str = "model"
    endpoint: str | None = None  # the endpoint the call passed (None: the library's own)
    url: str | None = None  # the host or route that answered (without credentials)
    status: int | None = None
    message: str = ""  # the exception's first line, scrubbed
    route: str | None = None  # the Space route word ("restart", ...)
    xet_version: str | None = None  # installed hf_xet (None: not installed)
    xet_disabled: bool = False  # HF_HUB_DISABLE_XET is set
    gradio_client: str | None = None  # installed gradio_client, for Space host failures (None: not installed)
    # xet-refresh-refused: who asked the Hub again (hf_xet itself, or huggingface_hub 0.x's Python callback that
    # hf_xet calls) and the Hub's own words when the exception carries them (only the callback's error does).
    renewed_by: Literal["hf_xet", "huggingface_hub"] | None = None
    hub_message: str | None = None
    client_found: bool = (
        False  # gradio_client's Client was in the traceback (so `sent` and `token_passed` are known)
    )
    token_passed: bool = False  # the caller gave gradio_client's Client a token itself (token= / hf_token=)
    stage: str | None = None  # space-stage: the runtime stage gradio_client read
    # The token the refused request carried (None: no token); never shown unmasked.
    sent: str | None = field(default=None, repr=False)

    @property
    def tokens(self) -> frozenset[str]:
        """The raw token the refused request carried (maybe passed to the client): the report scrubs it too."""
        return frozenset({self.sent} if self.sent else ())

    @property
    def service(self) -> str:
        """The service in words, as a report names it."""
        if self.kind.startswith("xet"):
            return "Xet storage"
        return "ZeroGPU" if self.kind == "zerogpu-signup" else "Spaces"


def find_service_failure(exc: BaseException, found: FailedRequest | None = None) -> ServiceFailure | None:
    """The service failure inside `exc` (its chain), or None when it is a plain Hub repo request or unrelated."""
    chain = list(exception_chain(exc))
    # A refused mid-transfer refresh names the token route in its text, so it must win over the route reading.
    for item in chain:
        refresh = _from_xet_text(item)
        if refresh is not None and refresh.kind == "xet-refresh-refused":
            return _with_call_target(refresh, chain, found)
    client = gradio_client_call(chain)
    if found is not None and found.url:
        by_route = _from_route(found) or _space_lookup(found, client)
        if by_route is not None:
            return by_route
    for item in chain:
        failure = _from_xet_text(item) or _from_space_text(item, client)
        if failure is not None:
            # hf_xet names only a storage URL: the repo comes from the call. gradio_client's come from its Client.
            named = failure.target or not failure.kind.startswith("xet")
            return failure if named else _with_call_target(failure, chain, found)
    return None


def _with_call_target(
    failure: ServiceFailure, chain: list[BaseException], found: FailedRequest | None
) -> ServiceFailure:
    """The repo (and endpoint) the user's huggingface_hub call named: hf_xet's errors name only a storage URL or
    the token route, and a URL in an exception's text never decides where the check sends tokens."""
    for item in chain:
        repo_id = argument_in_traceback(item, "repo_id")
        if isinstance(repo_id, str) and repo_id:
            repo_type = argument_in_traceback(item, "repo_type")
            kind = repo_type if isinstance(repo_type, str) and repo_type in REPO_TYPES else "model"
            endpoint = argument_in_traceback(item, "endpoint")
            passed = endpoint.rstrip("/") if isinstance(endpoint, str) and endpoint else None
            return _replace(failure, target=repo_id, repo_type=kind, endpoint=passed)
    if found is not None and found.repo_id is not None:
        return _replace(failure, target=found.repo_id, repo_type=found.repo_type)
    return failure


def _from_route(found: FailedRequest) -> ServiceFailure | None:
    """A Hub route answer: the Xet token route, or a Space admin route (services fact E5: its 401 reads as a missing repo)."""
    path = [part for part in urlsplit(found.url or "").path.split("/") if part]
    if "xet-read-token" in path or "xet-write-token" in path:
        return _xet(
            "xet-token-route",
            target=found.repo_id,
            repo_type=found.repo_type,
            url=redact_url(found.url or ""),
            status=found.status,
        )
    if path[:2] == ["api", "spaces"] and found.repo_type == "space" and path[-1:] and found.status == 401:
        route = path[-1]
        if route in SPACE_ADMIN_ROUTES:
            return ServiceFailure(
                "space-admin-route",
                target=found.repo_id,
                repo_type="space",
                url=redact_url(found.url or ""),
                status=401,
                route=route,
                sent=found.sent,  # HfApi(token=...) may have sent a token no local source holds
            )
    return None


@dataclass(frozen=True)
class _GradioCall:
    """The gradio_client `Client(src, ...)` being constructed in a traceback: `src` as passed, the client."""

    src: str | None = None
    client: Any = None

    @property
    def space_id(self) -> str | None:
        """The Space id the caller named (None when `src` was a URL: a host name cannot be mapped back)."""
        known = getattr(self.client, "space_id", None)
        if isinstance(known, str) and known:
            return known
        src = self.src or ""
        return src if src and not src.startswith(("http://", "https://")) else None

    @property
    def token_passed(self) -> bool:
        """A token was given to the Client (`token=` from gradio_client 2.0, `hf_token=` before)."""
        return any(isinstance(getattr(self.client, name, None), str) for name in ("token", "hf_token"))

    @property
    def host_token(self) -> str | None:
        """The token the Client sends to the Space host (its `x-hf-authorization` header, services fact G2)."""
        headers = getattr(self.client, "headers", None)
        value = headers.get("x-hf-authorization") if isinstance(headers, dict) else None
        return bearer_value(value)


def gradio_client_call(chain: list[BaseException]) -> _GradioCall | None:
    """The gradio_client Client whose construction (or method) raised, found in the traceback's frames."""
    for item in chain:
        tb = item.__traceback__
        while tb is not None:
            frame = tb.tb_frame
            if str(frame.f_globals.get("__name__", "")).startswith("gradio_client"):
                candidate = frame.f_locals.get("self")
                if type(candidate).__name__ == "Client":
                    src = frame.f_locals.get("src") if frame.f_code.co_name == "__init__" else None
                    return _GradioCall(src if isinstance(src, str) else None, candidate)
            tb = tb.tb_next
    return None


def _space_lookup(found: FailedRequest, call: _GradioCall | None) -> ServiceFailure | None:
    """gradio_client asked the Hub for the Space (space_info, then the runtime) and the Hub refused: an ordinary
    Hub answer (anonymous 401 or a hidden 404), made on behalf of `Client(...)` (services fact G2)."""
    if call is None or found.repo_type != "space" or found.status not in (401, 403, 404):
        return None
    return ServiceFailure(
        "space-lookup",
        target=found.repo_id,
        repo_type="space",
        url=redact_url(found.url or ""),
        status=found.status,
        gradio_client=installed_version("gradio_client"),
        client_found=True,
        token_passed=call.token_passed,
        sent=found.sent,
    )


def _from_xet_text(exc: BaseException) -> ServiceFailure | None:
    """hf_xet's errors (services fact E6): `RuntimeError("Task error: ...")` text, or its own exception classes."""
    text = str(exc)
    names = {cls.__name__ for cls in type(exc).__mro__}
    if not (_XET_LAYER.search(text) or names & set(_XET_CLASSES)):
        return None
    domain = _DOMAIN.search(text)
    url = redact_url(domain.group(1)) if domain else None
    if _REFRESH.search(text):
        hub_said = _HUB_MESSAGE.search(text)
        return _xet(
            "xet-refresh-refused",
            url=url,
            status=_status(text),
            message=_first_line(text.split(", traceback:")[0]),
            renewed_by="huggingface_hub" if _PY_CALLBACK.search(text) else "hf_xet",
            hub_message=scrub(hub_said.group(1)) if hub_said else None,
        )
    if _UNREACHABLE.search(text) and not _REFUSED.search(text):
        return _xet("xet-cas-unreachable", url=url, message=_first_line(text))
    if _REFUSED.search(text) or "XetAuthenticationError" in names:
        return _xet("xet-cas-refused", url=url, status=_status(text), message=_first_line(text))
    return None


def _from_space_text(exc: BaseException, call: _GradioCall | None = None) -> ServiceFailure | None:
    """gradio_client's refusals (services fact G3) and ZeroGPU texts asking the caller to sign up (services fact Z2).
    gradio_client's messages name the Space's host, not its id: the id comes from the Client in the traceback."""
    text = str(exc)
    if _ZEROGPU.search(text) and _SIGN_UP.search(text):
        space = _SPACE_URL.search(text)
        return ServiceFailure(
            "zerogpu-signup",
            target=call.space_id if call is not None else None,  # a host name cannot be mapped back to an id
            repo_type="space",
            url=redact_url(space.group(0)) if space else None,
            message=_first_line(text),
            gradio_client=installed_version("gradio_client"),
            client_found=call is not None,
            token_passed=call.token_passed if call is not None else False,
            sent=call.host_token if call is not None else None,
        )
    stage = _SPACE_STAGE.search(text)
    if stage is not None:  # the Hub answered both look-ups; the Space itself does not run (services fact G3)
        return ServiceFailure(
            "space-stage",
            target=call.space_id if call is not None else None,
            repo_type="space",
            message=_first_line(text),
            stage=stage.group(1),
            gradio_client=installed_version("gradio_client"),
            client_found=call is not None,
        )
    name = type(exc).__name__
    refused = (name == "AuthenticationError" and "credentials were not provided" in text) or (
        isinstance(exc, ValueError) and text.startswith("Could not fetch config for")
    )
    if not refused:
        return None
    src = _GRADIO_SRC.search(text)
    named = src.group(1).rstrip(".") if src else None
    host = named if named and named.startswith(("http://", "https://")) else None
    return ServiceFailure(
        "space-host",
        target=(call.space_id if call is not None else None) or (None if host else named),
        repo_type="space",
        url=redact_url(host) if host else None,
        message=_first_line(text),
        gradio_client=installed_version("gradio_client"),
        client_found=call is not None,
        token_passed=call.token_passed if call is not None else False,
        sent=call.host_token if call is not None else None,
    )


def _xet(kind: FailureKind, **fields: object) -> ServiceFailure:
    version, disabled = xet_install()
    return ServiceFailure(kind, xet_version=version, xet_disabled=disabled, **fields)  # type: ignore[arg-type]


def xet_install() -> tuple[str | None, bool]:
    """The installed hf_xet's version (None: not installed) and whether HF_HUB_DISABLE_XET is set (services facts X1, X4)."""
    import os

    return installed_version("hf_xet"), is_true(
        os.environ.get("HF_HUB_DISABLE_XET")
    )  # as the library reads it


def installed_version(package: str) -> str | None:
    """The installed distribution's version, None when it is not installed."""
    import importlib.metadata

    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def _status(text: str) -> int | None:
    match = re.search(r"\b(401|403)\b", text)
    return int(match.group(1)) if match else None


def _first_line(text: str) -> str:
    return scrub(text.strip().splitlines()[0][:300]) if text.strip() else ""


def _replace(failure: ServiceFailure, **changes: object) -> ServiceFailure:
    from dataclasses import replace

    return replace(failure, **changes)  # type: ignore[arg-type]
