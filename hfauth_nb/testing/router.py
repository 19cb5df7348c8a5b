"""The simulated Inference Providers router (router.huggingface.co), served by the loopback Hub under `/_router`.

It answers as the services facts say the real router does: no token 401 "Invalid username or password."
(services fact P1), a token the Hub rejects 401 "Invalid credentials in Authorization header" (services fact P2,
from the Hub's own authentication), a fine-grained token without `inference.serverless.write` 403 with the text in
`X-Error-Message` and the body (services fact P3), no credits 402 (services fact P4), a model no provider serves 404
(services fact P5); the retired inference host answers 410 (services fact I7), under its own segment. The model
metadata the client fetches first (`/api/models/{id}?expand=inferenceProviderMapping`, services fact I4) carries
the mapping of the models registered here.

Nothing here sends a request: `route_inference_to(url)` points the installed huggingface_hub's router constants at
the loopback Hub for a test (the library hard-codes the router host; the facts' runs patched it the same way).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from hfauth_nb.engine.inference_call import model_and_provider
from hfauth_nb.testing.rules import Caller, Reply, json_reply
from hfauth_nb.testing.state import RouterState

SEGMENT = "_router"
PERMISSION = "inference.serverless.write"
ANONYMOUS = "Invalid username or password."
NO_CREDITS = (
    "You have depleted your monthly included credits. Purchase pre-paid credits to continue using Inference "
    "Providers."
)
_REAL_ROUTER = "https://router.huggingface.co"
# The retired inference host (api-inference.huggingface.co, where huggingface_hub <= 0.28 sent hf-inference calls):
# served under its own segment, it answers every request 410 with the real host's words (services fact I7).
RETIRED_SEGMENT = "_api_inference"
RETIRED_HOST = "https://api-inference.huggingface.co"
RETIRED_TEXT = f"{RETIRED_HOST} is no longer supported. Please use {_REAL_ROUTER} instead."


def serve(
    router: RouterState, model: str, provider: str = "hf-inference", task: str = "conversational"
) -> None:
    """Register a model as served by a provider for a task."""
    router.served.setdefault(model, {})[provider] = task


def provider_mapping(router: RouterState, model: str) -> dict[str, Any]:
    """`inferenceProviderMapping` as model_info's dict form (provider -> status, providerId, task)."""
    return {
        provider: {"status": "live", "providerId": model, "task": task}
        for provider, task in router.served.get(model, {}).items()
    }


def model_info_extra(router: RouterState, model: str, query: str) -> dict[str, Any]:
    """Fields the model's metadata gains when a router serves it: its pipeline tag and tags (hf-inference checks them) and,
    when asked with `expand=inferenceProviderMapping`, the mapping."""
    if model not in router.served:
        return {}
    extra: dict[str, Any] = {"pipeline_tag": "text-generation", "tags": ["text-generation", "conversational"]}
    if "inferenceProviderMapping" in query:
        extra["inferenceProviderMapping"] = provider_mapping(router, model)
    return extra


def _error(status: int, message: str, header: bool = False) -> Reply:
    headers = (("X-Error-Message", message),) if header else ()
    return json_reply({"error": message}, status=status, headers=headers)


def _fine_grained_allows(caller: Caller, account: str, kind: str) -> bool:
    token = caller.token
    if token is None or token.role != "fineGrained":
        return True
    if PERMISSION in token.global_permissions:
        return True
    return any(
        PERMISSION in entry.get("permissions", [])
        and entry.get("entity", {}).get("type") == kind
        and entry.get("entity", {}).get("name") == account
        for entry in token.scoped
    )


def handle(
    router: RouterState, caller: Caller, segments: list[str], body: bytes, bill_to: str | None
) -> Reply:
    """One inference POST (the caller is already authenticated: an invalid token never gets here)."""
    router.calls += 1
    if caller.user is None:
        return _error(401, ANONYMOUS)
    account, kind = (bill_to, "org") if bill_to else (caller.user.name, "user")
    if bill_to and bill_to not in caller.user.orgs:
        return _error(403, f"You are not a member of the organization {bill_to}.", header=True)
    if not _fine_grained_allows(caller, account, kind):
        message = (
            "This authentication method does not have sufficient permissions to call Inference Providers on "
            f"behalf of {kind} {account}"
        )
        return _error(403, message, header=True)
    model, provider = model_and_provider(segments, body)
    providers = router.served.get(model or "", {})
    if not providers or (provider != "auto" and provider not in providers):
        return _error(404, f"Model {model} is not supported by provider {provider}.")
    if account in router.no_credits:
        return _error(402, NO_CREDITS)
    if segments[:1] == ["hf-inference"] and segments[-1:] != ["completions"]:
        return json_reply([{"generated_text": "hello"}])
    return json_reply(_chat_answer(model or ""))


def handle_retired(router: RouterState) -> Reply:
    """Any request to the retired host: 410 Gone, whoever asks (it is an inference request all the same)."""
    router.calls += 1
    return _error(410, RETIRED_TEXT)


def _chat_answer(model: str) -> dict[str, Any]:
    message = {"role": "assistant", "content": "hello"}
    return {
        "id": "chatcmpl-sim",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "system_fingerprint": "sim",
        "choices": [{"index": 0, "message": message, "finish_reason": "stop", "logprobs": None}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


@contextmanager
def route_inference_to(hub_url: str) -> Iterator[str]:
    """Point the installed huggingface_hub's router (its proxy template and the provider helpers built from
    it at import) at the loopback Hub; restore everything on exit. Yields the router base URL."""
    from huggingface_hub import constants
    from huggingface_hub.inference import _providers

    base = f"{hub_url.rstrip('/')}/{SEGMENT}"
    helpers = [
        helper
        for tasks in getattr(_providers, "PROVIDERS", {}).values()
        for helper in (tasks.values() if isinstance(tasks, dict) else ())
    ]
    auto = getattr(_providers, "CONVERSATIONAL_AUTO_ROUTER", None)
    if auto is not None:
        helpers.append(auto)
    saved_template = constants.INFERENCE_PROXY_TEMPLATE
    saved = [(helper, helper.base_url) for helper in helpers if hasattr(helper, "base_url")]
    constants.INFERENCE_PROXY_TEMPLATE = base + "/{provider}"
    _forget_lookups()
    for helper, url in saved:
        if isinstance(url, str) and url.startswith(_REAL_ROUTER):
            helper.base_url = base + url[len(_REAL_ROUTER) :]
    try:
        yield base
    finally:
        constants.INFERENCE_PROXY_TEMPLATE = saved_template
        for helper, url in saved:
            helper.base_url = url
        _forget_lookups()


def _forget_lookups() -> None:
    """The library caches the provider mapping and the hf-inference task check per model for the process (services fact
    I5): another test's Hub must not answer from them."""
    import importlib

    for module, name in (
        ("huggingface_hub.inference._providers._common", "_fetch_inference_provider_mapping"),
        ("huggingface_hub.inference._providers.hf_inference", "_check_supported_task"),
    ):
        function = getattr(importlib.import_module(module), name, None)
        cache_clear = getattr(function, "cache_clear", None)
        if callable(cache_clear):
            cache_clear()
