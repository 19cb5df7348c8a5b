"""Inference Providers: the cause of a failed InferenceClient call (check_inference), and "may this token call
Inference Providers?" from whoami alone (may_call_inference)."""

from __future__ import annotations

from typing import Any

import pytest
from factories import (
    OTHER,
    VALID,
    Case,
    context,
    library,
    row,
    scope,
    table,
    token_facts,
    whoami_invalid,
    whoami_ok,
)

from hfauth_nb.engine.checks import inference as checks
from hfauth_nb.engine.hub import Whoami
from hfauth_nb.engine.inference_call import InferenceCall
from hfauth_nb.testing import router

MODEL = "meta-llama/Llama-3.1-8B-Instruct"
CHAT = "https://router.huggingface.co/v1/chat/completions"


def call(status: int | None, message: str = "", **kwargs: Any) -> InferenceCall:
    """A router answer as find_inference_call reads it (status, the router's text, the token it carried)."""
    values: dict[str, Any] = {
        "stage": "router",
        "provider": "auto",
        "model": MODEL,
        "url": CHAT,
        "sent": VALID,
    }
    values.update(kwargs)
    return InferenceCall(status=status, message=message, **values)


RETIRED = f"https://api-inference.huggingface.co/models/{MODEL}"
ROUTED = f"https://router.huggingface.co/hf-inference/models/{MODEL}"


def retired(origin: str) -> InferenceCall:
    """The retired host's 410 (services fact I7) as find_inference_call reads it."""
    return call(
        410,
        router.RETIRED_TEXT,
        stage="retired-host",
        provider="hf-inference",
        url=RETIRED,
        origin=origin,
        replacement=ROUTED,
    )


QUESTION = InferenceCall("question", None, MODEL)  # what `check --inference MODEL` asks
FORBIDDEN_USER = (
    "This authentication method does not have sufficient permissions to call Inference Providers on behalf of user "
    "alice"
)

CAUSES = [
    row("no inference call: silent", context(), []),
    row(
        "anonymous 401: no token",
        context(inference=call(401, router.ANONYMOUS, sent=None)),
        [("inference-no-token", "error")],
        evidence={"service": "Inference Providers", "model": MODEL, "status": 401, "token sent": None},
        fix="hf auth login",
    ),
    row(
        "refused locally before any request (services fact I2): no token",
        context(
            inference=InferenceCall(
                "local", "together", MODEL, message="You must provide an api_key to work with together API"
            )
        ),
        [("inference-no-token", "error")],
        evidence={"provider": "together", "request": "local", "status": None},
    ),
    row(
        "401 with a token: rejected",
        context(inference=call(401, "Invalid credentials in Authorization header", sent=OTHER)),
        [("inference-token-rejected", "error")],
        evidence={"token sent": "hf_...othr"},
        fix="settings/tokens",
    ),
    row(
        "403 on behalf of a user: permission missing",
        context(inference=call(403, FORBIDDEN_USER)),
        [("inference-permission-missing", "error")],
        evidence={"status": 403, "bill to": None},
        fix="ownUserPermissions=inference.serverless.write",
    ),
    row(
        "403 on another Hub (HF_ENDPOINT): the token page is that Hub's",
        context(inference=call(403, FORBIDDEN_USER), endpoint="https://hub.example.com"),
        [("inference-permission-missing", "error")],
        fix="https://hub.example.com/settings/tokens/new?ownUserPermissions=inference.serverless.write",
    ),
    row(
        "403 billing an org: the org is named",
        context(inference=call(403, FORBIDDEN_USER.replace("user alice", "org acme"), bill_to="acme")),
        [("inference-permission-missing", "error")],
        evidence={"bill to": "acme"},
        fix="on org acme",
    ),
    row(
        "402: no credits",
        context(inference=call(402, router.NO_CREDITS, provider="together")),
        [("inference-no-credits", "error")],
        evidence={"provider": "together", "status": 402},
        fix="settings/billing",
    ),
    row(
        "404: model not served",
        context(inference=call(404, "Model x is not supported by provider y.", provider="hf-inference")),
        [("inference-model-not-served", "error")],
        evidence={"provider": "hf-inference"},
        fix="provider=",
    ),
    row(
        "metadata lookup sent the implicit token, not the client's (services fact I5): both shown",
        context(
            inference=call(
                401,
                "Invalid credentials in Authorization header",
                stage="metadata",
                sent=OTHER,
                client_token=VALID,
                client_token_passed=True,
            )
        ),
        [("inference-token-rejected", "error")],
        evidence={
            "request": "metadata",
            "token sent": "hf_...othr",
            "token passed to the client": "hf_...good",
        },
    ),
    row(
        "check --inference, classic read token: allowed, nothing sent",
        context(inference=QUESTION),
        [("inference-allowed", "ok")],
        evidence={"answer": "yes", "inference request sent": False, "token sent": "hf_...good"},
    ),
    row(
        "check --inference, OAuth login: unknown, said so",
        context(inference=QUESTION, whoami={VALID: whoami_ok(oauth=True)}),
        [("inference-permission-unknown", "warning")],
        evidence={"answer": "unknown"},
        fix="ownUserPermissions=inference.serverless.write",
    ),
    row(
        "check --inference, fine-grained without the permission: missing",
        context(inference=QUESTION, whoami={VALID: whoami_ok(role="fineGrained")}),
        [("inference-permission-missing", "error")],
        evidence={"answer": "no"},
    ),
    row(
        "check --inference, token rejected",
        context(inference=QUESTION, whoami={VALID: whoami_invalid()}),
        [("inference-token-rejected", "error")],
    ),
    row(
        "check --inference, no token",
        context(inference=QUESTION, tokens=token_facts(hf_token=None)),
        [("inference-no-token", "error")],
    ),
    row(
        "retired host, URL built by huggingface_hub 0.28 (services fact I7): upgrade, the version named",
        context(inference=retired("library"), lib=library("0.28.1")),
        [("inference-host-retired", "error")],
        evidence={"status": 410, "URL built by": "library", "huggingface_hub": "0.28.1"},
        fix="huggingface_hub>=0.29'   # installed: 0.28.1",
    ),
    row(
        "retired host, a URL passed to InferenceClient on 2.4: the router URL, no upgrade",
        context(inference=retired("client-url"), lib=library("2.4.0")),
        [("inference-host-retired", "error")],
        evidence={"URL built by": "client-url", "router URL": ROUTED},
        fix=f"Use the router URL instead: {ROUTED}",
    ),
    row(
        "retired host from a raw HTTP call on an old library: the router URL, and the upgrade too",
        context(inference=retired("other"), lib=library("0.27.0")),
        [("inference-host-retired", "error")],
        fix="installed: 0.27.0",
    ),
    row(
        "a 500 from the router: no inference cause claimed",
        context(inference=call(500, "Internal Error")),
        [],
    ),
]


@table(CAUSES)
def test_check_inference(case: Case) -> None:
    case.verify(checks.check_inference)


def test_the_implicit_token_flag_is_named_as_no_protection() -> None:
    """With HF_HUB_DISABLE_IMPLICIT_TOKEN set, the finding says it does not stop InferenceClient (services fact I3)."""
    ctx = context(lib=library(implicit_token_disabled=True), inference=call(402, router.NO_CREDITS))
    (finding,) = checks.check_inference(ctx)
    assert "HF_HUB_DISABLE_IMPLICIT_TOKEN does not stop InferenceClient" in finding.detail
    (plain,) = checks.check_inference(context(inference=call(402, router.NO_CREDITS)))
    assert "HF_HUB_DISABLE_IMPLICIT_TOKEN" not in plain.detail


def test_no_credits_says_whoami_cannot_show_a_balance() -> None:
    (finding,) = checks.check_inference(context(inference=call(402, router.NO_CREDITS)))
    assert "whoami cannot show a credit balance" in finding.detail


PERM = checks.PERMISSION
MAY_CALL = [
    pytest.param(whoami_ok(role="read"), None, "yes", None, id="classic read"),
    pytest.param(whoami_ok(role="write"), None, "yes", None, id="classic write"),
    pytest.param(
        whoami_ok(role="fineGrained", global_permissions=[PERM]), None, "yes", "global", id="fg global"
    ),
    pytest.param(
        whoami_ok(role="fineGrained", scoped=[scope("alice", "user", PERM)]),
        None,
        "yes",
        "scoped: user alice",
        id="fg user entry",
    ),
    pytest.param(
        whoami_ok(role="fineGrained", scoped=[scope("alice", "user", "repo.content.read")]),
        None,
        "no",
        None,
        id="fg without the permission",
    ),
    pytest.param(
        whoami_ok(role="fineGrained", scoped=[scope("bob", "user", PERM)]),
        None,
        "no",
        None,
        id="fg permission on another user's entry",
    ),
    pytest.param(whoami_ok(role="read", oauth=True), None, "unknown", None, id="oauth login"),
    pytest.param(whoami_invalid(), None, "no", None, id="token rejected"),
    pytest.param(None, None, "unknown", None, id="whoami not asked"),
    pytest.param(
        whoami_ok(role="fineGrained", orgs={"acme": "write"}, scoped=[scope("acme", "org", PERM)]),
        "acme",
        "yes",
        "scoped: org acme",
        id="fg billing an org with the org entry",
    ),
    pytest.param(
        whoami_ok(role="fineGrained", orgs={"acme": "write"}, scoped=[scope("alice", "user", PERM)]),
        "acme",
        "no",
        None,
        id="fg billing an org with only the user entry",
    ),
    pytest.param(whoami_ok(role="read"), "acme", "no", None, id="billing an org the user is not in"),
    pytest.param(
        whoami_ok(role="read", orgs={"acme": "read"}), "acme", "yes", None, id="classic billing an org"
    ),
]


@pytest.mark.parametrize(("whoami", "bill_to", "answer", "where"), MAY_CALL)
def test_may_call_inference(
    whoami: Whoami | None, bill_to: str | None, answer: str, where: str | None
) -> None:
    verdict = checks.may_call_inference(whoami, bill_to)
    assert (verdict.answer, verdict.where) == (answer, where), verdict.reason


def test_unknown_answers_say_why() -> None:
    oauth = checks.may_call_inference(whoami_ok(oauth=True))
    assert "OAuth" in oauth.reason and "cannot be read" in oauth.reason
    org = checks.may_call_inference(
        whoami_ok(role="fineGrained", orgs={"acme": "write"}, scoped=[scope("acme", "org", PERM)]), "acme"
    )
    assert "uncertain" in org.reason and "credits" in org.reason


def test_library_origin_gives_no_url_edit() -> None:
    """When huggingface_hub built the URL, editing a URL is not the user's fix: only the upgrade is offered."""
    (finding,) = checks.check_inference(context(inference=retired("library"), lib=library("0.28.1")))
    assert not any("router URL" in step for step in finding.fix) and len(finding.fix) == 1


@pytest.mark.parametrize(
    ("url", "status", "text", "retired"),
    [
        (RETIRED, 410, "", True),  # the host alone, whatever it says
        (RETIRED, 410, "Gone", True),
        ("https://proxy.example/models/x/y", 410, router.RETIRED_TEXT, True),  # the notice alone
        (
            "https://proxy.example/models/x/y",
            410,
            "https://api-inference.huggingface.co/models/x/y is no longer supported, please use the router",
            True,
        ),
        (RETIRED, 404, router.RETIRED_TEXT, False),  # not a 410: another answer
        ("https://proxy.example/models/x/y", 410, "Gone", False),  # a 410 from elsewhere, no notice
        (ROUTED, 410, "Model is gone", False),
    ],
)
def test_retired_host_answers_are_a_class(url: str, status: int, text: str, retired: bool) -> None:
    from hfauth_nb.engine.inference_call import is_retired_answer

    assert is_retired_answer(url, status, text) is retired


def test_the_notice_in_an_exception_text_alone_is_recognised() -> None:
    """A wrapper that re-raises with the server's words but no response object (services fact I7)."""
    from hfauth_nb.engine.inference_call import find_inference_call

    exc = RuntimeError(f"Request failed (410 Gone) for {RETIRED}:\n{router.RETIRED_TEXT}")
    found = find_inference_call(exc)
    assert found is not None and found.stage == "retired-host" and found.status == 410
    assert (found.model, found.origin, found.message) == (MODEL, "other", router.RETIRED_TEXT)
    assert found.replacement is not None and found.replacement.endswith(f"/hf-inference/models/{MODEL}")
    assert find_inference_call(RuntimeError("410 Gone for https://example.com/models/x/y")) is None
