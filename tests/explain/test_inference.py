"""Inference Providers: real exceptions from real `InferenceClient` calls against the loopback router, then
`explain()` names the service, the model and the cause; and no check sends an inference request of its own."""

from __future__ import annotations

from typing import Any, Callable, Iterator

import pytest
from huggingface_hub import InferenceClient, constants

from hfauth_nb.testing import FakeHub
from hfauth_nb.testing.router import route_inference_to
from hfauth_nb.why import explain
from tests.explain.calls import raised

MODEL = "alice/llm"
ONLY_TOGETHER = "alice/together-only"
MESSAGES = [{"role": "user", "content": "hi"}]


@pytest.fixture()
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """alice (in org acme), two public models the router serves; the library's endpoint and router are the
    loopback Hub, as a kernel started with HF_ENDPOINT (the router host is patched: the library hard-codes it)."""
    with FakeHub() as fake:
        fake.add_user("alice", orgs={"acme": "write"})
        fake.add_repo(MODEL, files={"config.json": "{}"})
        fake.add_repo(ONLY_TOGETHER, files={"config.json": "{}"})
        for provider in ("hf-inference", "together"):
            fake.serve_model(MODEL, provider, "conversational")
        fake.serve_model(ONLY_TOGETHER, "together", "conversational")
        monkeypatch.setenv("HF_ENDPOINT", fake.url)
        monkeypatch.setattr(constants, "ENDPOINT", fake.url)
        with route_inference_to(fake.url):
            yield fake


def chat(**client: Any) -> Callable[[], object]:
    return lambda: InferenceClient(**client).chat_completion(MESSAGES, model=MODEL, max_tokens=1)


def generate(model: str = MODEL, **client: Any) -> Callable[[], object]:
    return lambda: InferenceClient(model=model, provider="hf-inference", **client).text_generation(
        "hi", max_new_tokens=1
    )


def _explained(hub: FakeHub, call: Callable[[], object]) -> tuple[Any, Any]:
    """explain() the call's exception; the diagnosis itself never reaches the router."""
    exc = raised(call)
    before = hub.inference_calls()
    report = explain(exc, timeout=5)
    assert hub.inference_calls() == before, "explain() sent an inference request"
    finding = next(f for f in report.findings if f.id.startswith("inference-"))
    assert report.explained is not None and report.explained.service == "Inference Providers"
    assert finding.evidence["service"] == "Inference Providers"
    return report, finding


@pytest.mark.parametrize("make", [chat, generate], ids=["chat", "text_generation"])
def test_no_token(hub: FakeHub, make: Callable[..., Callable[[], object]]) -> None:
    report, finding = _explained(hub, make())
    assert report.ids[0] == "inference-no-token"
    assert finding.evidence["model"] == MODEL
    assert finding.evidence["token sent"] is None


@pytest.mark.parametrize("make", [chat, generate], ids=["chat", "text_generation"])
def test_token_rejected(hub: FakeHub, make: Callable[..., Callable[[], object]]) -> None:
    bad = "hf_" + "z" * 34
    report, finding = _explained(hub, make(token=bad))
    assert report.ids[0] == "inference-token-rejected"
    assert finding.evidence["token sent"] == "hf_...zzzz" and finding.evidence["model"] == MODEL
    assert bad not in repr(report.to_dict())


@pytest.mark.parametrize("make", [chat, generate], ids=["chat", "text_generation"])
def test_fine_grained_without_the_permission(hub: FakeHub, make: Callable[..., Callable[[], object]]) -> None:
    token = hub.add_token("alice", role="fineGrained")
    report, finding = _explained(hub, make(token=token))
    assert report.ids[0] == "inference-permission-missing"
    assert "sufficient permissions to call Inference Providers" in finding.evidence["server said"]


def test_fine_grained_with_the_permission_billing_an_org_it_lacks(hub: FakeHub) -> None:
    scoped = [{"entity": {"type": "user", "name": "alice"}, "permissions": ["inference.serverless.write"]}]
    token = hub.add_token("alice", role="fineGrained", scoped=scoped)
    assert InferenceClient(token=token).chat_completion(MESSAGES, model=MODEL, max_tokens=1).choices
    report, finding = _explained(hub, chat(token=token, bill_to="acme"))
    assert report.ids[0] == "inference-permission-missing"
    assert finding.evidence["bill to"] == "acme" and "org acme" in finding.title
    # The token has the permission for alice: the first step grants it on the org, not a new user token.
    assert "on org acme" in finding.fix[0] and "ownUserPermissions" not in finding.fix[0]
    # which org permission the router needs is UNCERTAIN (services fact Q2): not stated as the certain cause
    assert not finding.detail.startswith("The token lacks") and "uncertain" in finding.detail


@pytest.mark.parametrize("make", [chat, generate], ids=["chat", "text_generation"])
def test_no_credits(hub: FakeHub, make: Callable[..., Callable[[], object]]) -> None:
    hub.deplete_credits("alice")
    report, finding = _explained(hub, make(token=hub.add_token("alice")))
    assert report.ids[0] == "inference-no-credits"
    assert "whoami cannot show a credit balance" in finding.detail
    # services fact P4: a 402 has several causes; the title quotes the server instead of asserting one
    assert (
        "402 Payment Required" in finding.title and "depleted your monthly included credits" in finding.title
    )
    assert "no credits left" not in finding.title


def test_no_credits_on_the_billed_org(hub: FakeHub) -> None:
    hub.deplete_credits("acme")
    report, finding = _explained(hub, chat(token=hub.add_token("alice"), bill_to="acme"))
    assert report.ids[0] == "inference-no-credits" and "org acme" in finding.title
    assert "bill an org with bill_to" not in " ".join(finding.fix)  # it already bills one


def test_model_not_served(hub: FakeHub) -> None:
    report, finding = _explained(hub, generate(ONLY_TOGETHER, token=hub.add_token("alice")))
    assert report.ids[0] == "inference-model-not-served"
    assert (finding.evidence["model"], finding.evidence["provider"]) == (ONLY_TOGETHER, "hf-inference")


def test_metadata_lookup_uses_the_local_token_not_the_clients(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """services fact I5: the provider-mapping GET carries HF_TOKEN (here revoked), although token= was good."""
    stale = hub.add_token("alice")
    hub.revoke(stale)
    monkeypatch.setenv("HF_TOKEN", stale)
    good = hub.add_token("alice")
    report, finding = _explained(hub, chat(token=good, provider="together"))
    assert finding.id == "inference-token-rejected" and "token-invalid" in report.ids  # HF_TOKEN named too
    assert finding.evidence["request"] == "metadata"
    assert finding.evidence["token sent"] == f"hf_...{stale[-4:]}"
    assert finding.evidence["token passed to the client"] == f"hf_...{good[-4:]}"
    assert hub.inference_calls() == 0
    # The Hub's lookup refused it, not the router; passing another token to the client cannot help.
    assert "model lookup" in finding.title and not finding.title.startswith("Inference Providers rejected")
    assert finding.fix[0].startswith("%env HF_TOKEN=") and not any("pass it" in step for step in finding.fix)
    assert "router's exact wording" not in finding.detail


def test_metadata_lookup_without_a_local_token_on_a_private_model(hub: FakeHub) -> None:
    """services fact I5: with no local token the lookup is anonymous, whatever token= says; the fix is a local login."""
    hub.add_repo("alice/private-llm", private=True, files={"config.json": "{}"})
    hub.serve_model("alice/private-llm", "together", "conversational")
    good = hub.add_token("alice")
    call = lambda: InferenceClient(token=good, provider="together").chat_completion(  # noqa: E731
        MESSAGES, model="alice/private-llm", max_tokens=1
    )
    report, finding = _explained(hub, call)
    assert finding.id == "inference-no-token" and finding.evidence["request"] == "metadata", report.ids
    assert "model lookup" in finding.title and "InferenceClient(token=...)" in finding.title
    assert "hf auth login" in finding.fix[0] and "Pass token=" not in finding.fix[0]


def test_implicit_token_flag_does_not_protect_inference(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """services fact I3: with the flag set the client still sends HF_TOKEN, and the finding says so."""
    token = hub.add_token("alice", role="fineGrained")
    monkeypatch.setenv("HF_TOKEN", token)
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_IMPLICIT_TOKEN", True)
    report, finding = _explained(hub, generate())
    assert report.ids[0] == "inference-permission-missing"
    assert finding.evidence["token sent"] == f"hf_...{token[-4:]}"
    assert "HF_HUB_DISABLE_IMPLICIT_TOKEN does not stop InferenceClient" in finding.detail


def test_a_working_call_and_a_repo_failure_are_not_inference_findings(hub: FakeHub) -> None:
    token = hub.add_token("alice")
    assert InferenceClient(model=MODEL, token=token, provider="hf-inference").text_generation("hi")
    from huggingface_hub import HfApi

    exc = raised(lambda: HfApi(endpoint=hub.url, token=token).model_info("alice/missing"))
    report = explain(exc, timeout=5)
    assert not [i for i in report.ids if i.startswith("inference-")]
    assert report.explained is not None and report.explained.service is None


def _why_then_watch(shell: Any, cell: str, expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Run the failing cell, then `%hfauth why`; run it again under `watch`: both name the service and `expected`."""
    from hfauth_nb import watch

    shell.run_line_magic("load_ext", "hfauth_nb")
    shell.run_cell(cell)
    report = shell.run_line_magic("hfauth", "why")
    assert report.ids[0] == expected, report.ids
    assert report.explained.service == "Inference Providers" and report.explained.model == MODEL
    capsys.readouterr()
    assert watch.start(shell, lambda: 5.0) is True
    shell.run_cell(cell)
    shown = capsys.readouterr()
    assert "Inference Providers" in shown.out + shown.err and expected in shown.out + shown.err
    shell.run_line_magic("unload_ext", "hfauth_nb")


def test_why_and_watch_name_the_inference_cause(
    hub: FakeHub, bare_shell: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`%hfauth why` after the failed cell, and `watch` below its traceback, name the service and the cause."""
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice", role="fineGrained"))
    cell = (
        f"from huggingface_hub import InferenceClient\nInferenceClient(model={MODEL!r}).chat_completion([])"
    )
    _why_then_watch(bare_shell, cell, "inference-permission-missing", capsys)


def test_json_names_the_service_and_stays_hfauth_1(hub: FakeHub) -> None:
    import json

    report, _ = _explained(hub, generate(token=hub.add_token("alice", role="fineGrained")))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["schema"] == "hfauth/1"
    explained = data["environment"]["explained"]
    assert (explained["service"], explained["model"], explained["provider"]) == (
        "Inference Providers",
        MODEL,
        "hf-inference",
    )
    assert explained["status"] == 403 and explained["how"] == "router"


def test_a_token_passed_to_the_client_is_judged_by_whoami_too(hub: FakeHub) -> None:
    """The explicit token is in no local source: the diagnosis asks whoami about it (read-only), so the 403
    finding says what whoami shows for it."""
    token = hub.add_token("alice", role="fineGrained")
    _, finding = _explained(hub, generate(token=token))
    assert finding.evidence["whoami says"] == "no"
    assert hub.whoami_calls(token) == 1


def _retired_url(hub: FakeHub, model: str = MODEL) -> str:
    """The retired inference host's URL for a model (the loopback Hub serves it under its own segment)."""
    from hfauth_nb.testing.router import RETIRED_SEGMENT

    return f"{hub.url}/{RETIRED_SEGMENT}/models/{model}"


def _retired_call(kind: str, url: str) -> Callable[[], object]:
    if kind == "chat":
        return lambda: InferenceClient(model=url).chat_completion(MESSAGES, max_tokens=1)
    return lambda: InferenceClient(model=url).text_generation("hi", max_new_tokens=1)


@pytest.mark.parametrize("kind", ["chat", "text_generation"])
def test_retired_inference_host_from_a_url_passed_to_the_client(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """services fact I7: the old host answers 410 whatever the token; the library raises its own HTTP error."""
    from huggingface_hub.errors import HfHubHTTPError

    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice"))
    exc = raised(_retired_call(kind, _retired_url(hub)))
    assert isinstance(exc, HfHubHTTPError) and "410" in str(exc), repr(exc)
    report, finding = _explained(hub, _retired_call(kind, _retired_url(hub)))
    assert report.ids[0] == "inference-host-retired", report.ids
    assert finding.evidence["model"] == MODEL and finding.evidence["status"] == 410
    assert finding.evidence["URL built by"] == "client-url"
    assert "token-invalid" not in report.ids and "inference-token-rejected" not in report.ids
    # The router URL the fix names works as given (on the simulated router).
    routed = finding.evidence["router URL"]
    assert any(routed in step for step in finding.fix)
    before = hub.inference_calls()
    assert _call_succeeds(kind, routed)
    assert hub.inference_calls() == before + 1


def _call_succeeds(kind: str, url: str) -> bool:
    if kind == "chat":
        return bool(InferenceClient(model=url).chat_completion(MESSAGES, max_tokens=1).choices)
    return bool(InferenceClient(model=url).text_generation("hi", max_new_tokens=1))


@pytest.mark.parametrize("library", ["requests", "httpx"])
def test_retired_inference_host_from_a_raw_http_call(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch, library: str
) -> None:
    """A hand-written call (tutorial code) to the old host: no InferenceClient, so the URL edit is the fix."""
    client = pytest.importorskip(library)
    token = hub.add_token("alice")
    monkeypatch.setenv("HF_TOKEN", token)
    url = _retired_url(hub)

    def raw() -> object:
        answer = client.post(url, headers={"Authorization": f"Bearer {token}"}, json={"inputs": "hi"})
        answer.raise_for_status()
        return answer

    report, finding = _explained(hub, raw)
    assert report.ids[0] == "inference-host-retired", report.ids
    assert finding.evidence["URL built by"] == "other" and finding.evidence["model"] == MODEL
    assert finding.evidence["router URL"].endswith(f"/hf-inference/models/{MODEL}")
    assert token not in repr(report.to_dict())


def test_why_and_watch_name_the_retired_host(
    hub: FakeHub, bare_shell: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice"))
    cell = (
        "from huggingface_hub import InferenceClient\n"
        f"InferenceClient(model={_retired_url(hub)!r}).text_generation('hi', max_new_tokens=1)"
    )
    _why_then_watch(bare_shell, cell, "inference-host-retired", capsys)
