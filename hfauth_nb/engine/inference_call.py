"""Find an Inference Providers call inside an exception: which provider, which model, what the router answered.

The router's address is the installed library's own (`constants.INFERENCE_PROXY_TEMPLATE`, services facts I4),
never a hard-coded host: a mirror or a test moves it, and the library knows where it sent the request. The
metadata GET the client makes first (`/api/models/{id}?expand=inferenceProviderMapping`, or the hf-inference task
check) is recognised too when it is inside an InferenceClient call: it carries the implicit token, not the one
passed to the client (services fact I5). A missing token can also fail before any request, with the library's own
message (services fact I2). The retired inference host (api-inference.huggingface.co, where huggingface_hub <= 0.28
sent hf-inference calls) answers 410 with a notice naming the router: recognised by that class of answer, from the
host or the notice, whoever built the URL (services fact I7).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from hfauth_nb.engine.failed_request import request_body as _body
from hfauth_nb.errors import exception_chain

SERVICE = "Inference Providers"
_NO_KEY = re.compile(r"You must provide an api_key to work with (\S+) API")
_CLIENTS = ("InferenceClient", "AsyncInferenceClient")
RETIRED_HOST = "api-inference.huggingface.co"
ROUTER = "https://router.huggingface.co"  # the router's public address, when the library does not say (before 0.28)
# The retirement notice: "<old host> is no longer supported. Please use <router> instead." (services fact I7).
_RETIRED_NOTICE = re.compile(
    r"api-inference\.huggingface\.co\S* is no longer supported|no longer supported\.? Please use \S*router\.huggingface",
    re.IGNORECASE,
)
_MODEL_PATH = re.compile(r"/(?:models|pipeline/[\w-]+)/([\w.-]+(?:/[\w.-]+)?)")


@dataclass(frozen=True)
class InferenceCall:
    """The failing inference request. `stage` is "router" (the inference POST), "metadata" (the model lookup the
    client makes on the Hub first) or "local" (refused by the library before any request)."""

    stage: str
    provider: str | None
    model: str | None
    status: int | None = None
    message: str = ""  # the server's text (X-Error-Message header or the JSON error), or the library's
    url: str | None = None
    bill_to: str | None = None
    sent: str | None = field(default=None, repr=False)  # the token the failing request carried
    client_token: str | None = field(default=None, repr=False)  # the token passed to InferenceClient(...)
    client_token_passed: bool = False
    # stage "retired-host": who built the URL ("library": InferenceClient from a model id, i.e. huggingface_hub
    # <= 0.28; "client-url": a URL passed to InferenceClient; "other": no InferenceClient, e.g. a raw HTTP call)
    # and the router URL that replaces it.
    origin: str | None = None
    replacement: str | None = None

    @property
    def tokens(self) -> frozenset[str]:
        """The raw tokens the call carried: none is in a local source, yet a server may echo a piece of one."""
        return frozenset(t for t in (self.sent, self.client_token) if t)


def router_base() -> str | None:
    """Where the installed huggingface_hub sends inference calls (None when it is not imported)."""
    constants = sys.modules.get("huggingface_hub.constants")
    template = getattr(constants, "INFERENCE_PROXY_TEMPLATE", None)
    return template.split("{provider}", 1)[0].rstrip("/") if isinstance(template, str) else None


def find_inference_call(exc: BaseException) -> InferenceCall | None:
    """The Inference Providers call inside `exc`, or None when the exception is about something else."""
    chain = list(exception_chain(exc))
    client = _client_in_traceback(chain)
    for item in chain:
        found = _from_response(item, client)
        if found is not None:
            return found
    for item in chain:
        notice = _RETIRED_NOTICE.search(str(item))
        if notice is not None:  # no response object: the notice in the text alone
            text = str(item)
            line = text[text.rfind("\n", 0, notice.start()) + 1 :].split("\n", 1)[0].strip()
            status = 410 if re.search(r"\b410\b", text) else None
            return _retired_call(client, url=_url_in(text), status=status, message=line[:300])
    for item in chain:
        match = _NO_KEY.search(str(item))
        if match is not None:
            return InferenceCall("local", match.group(1), client.model, message=str(item).strip())
    return None


@dataclass(frozen=True)
class _Client:
    """The InferenceClient whose method raised, and the model that method was called with."""

    client: Any = None
    model: str | None = None


def _client_in_traceback(chain: list[BaseException]) -> _Client:
    """The InferenceClient in the traceback (its method's `self`) and the `model` argument or attribute."""
    for item in chain:
        tb = item.__traceback__
        while tb is not None:
            frame = tb.tb_frame.f_locals
            candidate = frame.get("self")
            if type(candidate).__name__ in _CLIENTS:
                model = frame.get("model") or getattr(candidate, "model", None)
                return _Client(candidate, model if isinstance(model, str) else None)
            tb = tb.tb_next
    return _Client()


def _from_response(exc: BaseException, found: _Client) -> InferenceCall | None:
    response = getattr(exc, "response", None)
    request = getattr(response, "request", None) or getattr(exc, "request", None)
    url = str(getattr(request, "url", "") or "")
    if not url:
        return None
    base = router_base()
    headers = getattr(request, "headers", None) or {}
    sent = _bearer(headers.get("authorization") or headers.get("Authorization"))
    client = found.client
    token = getattr(client, "token", None) if client is not None else None
    common: dict[str, Any] = {
        "status": _status(response),
        "message": _server_text(response),
        "url": url.split("?", 1)[0],
        "sent": sent,
        "client_token": token if isinstance(token, str) else None,
        "client_token_passed": isinstance(token, str),
    }
    if is_retired_answer(url, common["status"], common["message"] or str(exc)):
        return _retired_call(found, **common)
    if base and url.startswith(base + "/"):
        path = url[len(base) + 1 :].split("?", 1)[0]
        model, provider = model_and_provider(path.split("/"), _body(request))
        bill_to = headers.get("x-hf-bill-to") or headers.get("X-HF-Bill-To")
        return InferenceCall("router", provider, model or found.model, bill_to=bill_to, **common)
    if client is not None and "/api/models/" in url:
        looked_up = url.split("/api/models/", 1)[1].split("?", 1)[0]
        chosen = getattr(client, "provider", None)
        return InferenceCall("metadata", chosen if isinstance(chosen, str) else None, looked_up, **common)
    return None


def is_retired_answer(url: str, status: int | None, text: str) -> bool:
    """The retired inference host's answer (services fact I7): a 410 from api-inference.huggingface.co, or a 410
    carrying its retirement notice (a proxy or a test may serve the host elsewhere)."""
    if status != 410:
        return False
    return urlsplit(url).hostname == RETIRED_HOST or bool(_RETIRED_NOTICE.search(text))


def _retired_call(found: _Client, **common: Any) -> InferenceCall:
    """The call the retired host refused: the model its URL names, who built that URL, and the router URL instead."""
    path = urlsplit(common.get("url") or "").path
    match = _MODEL_PATH.search(path)
    model = match.group(1) if match else None
    given = (found.model, getattr(found.client, "model", None), getattr(found.client, "base_url", None))
    passed_url = any(isinstance(v, str) and v.startswith(("http://", "https://")) for v in given)
    if model is None and found.model and not passed_url:
        model = found.model
    origin = "other" if found.client is None else "client-url" if passed_url else "library"
    route = path[match.start() :] if match else (f"/models/{model}" if model else None)
    replacement = f"{router_base() or ROUTER}/hf-inference{route}" if route else None
    return InferenceCall(
        "retired-host", "hf-inference", model, origin=origin, replacement=replacement, **common
    )


def _url_in(text: str) -> str | None:
    """The first URL in an error text that is not the notice's own hosts (the request's URL), if any."""
    for match in re.finditer(r"https?://[^\s'\")]+", text):
        url = match.group(0).rstrip(".,:;")
        if _MODEL_PATH.search(urlsplit(url).path):
            return url
    return None


def model_and_provider(segments: list[str], body: bytes) -> tuple[str | None, str]:
    """`v1/chat/completions` is the server-side auto router (model in the body, `id:provider` allowed);
    `hf-inference/models/{id}/...` names the model in the path; `{provider}/...` has it in the body."""
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        payload = {}
    in_body = payload.get("model") if isinstance(payload, dict) else None
    if segments[:1] == ["v1"]:
        model, _, provider = str(in_body or "").partition(":")
        return model or None, provider or "auto"
    provider = segments[0]
    if provider == "hf-inference" and segments[1:2] == ["models"] and len(segments) >= 4:
        return "/".join(segments[2:4]), provider
    return (str(in_body) if in_body else None), provider


def _bearer(value: Any) -> str | None:
    if not isinstance(value, str) or not value.lower().startswith("bearer "):
        return None
    return value[7:].strip() or None


def _status(response: Any) -> int | None:
    status = getattr(response, "status_code", None)
    return status if isinstance(status, int) else None


def _server_text(response: Any) -> str:
    """The router's own words: the `X-Error-Message` header, else the JSON `error` (a string or OpenAI-style)."""
    if response is None:
        return ""
    headers = getattr(response, "headers", None) or {}
    header = headers.get("X-Error-Message")
    if header:
        return str(header)
    try:
        payload = json.loads(getattr(response, "content", b"") or b"{}")
    except (ValueError, TypeError):
        return ""
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict):
        error = error.get("message")
    return str(error) if error else ""
