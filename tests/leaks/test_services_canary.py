"""A canary in every place a token can be never appears unmasked when a services call fails (issue 14).

Places: HF_TOKEN, the token file holding a browser (OAuth) login's access token with its refresh token in
stored_tokens, a different token passed explicitly (`InferenceClient(token=)`, `gradio_client.Client(token=/
hf_token=)`, `hf_hub_download(token=)`), and the Xet tokens the simulated Hub mints (`xet_...`). The loopback
Hub, router, Space host and Xet storage host quote the start of every token they refuse, as some proxies do.
Each failure is a real client call in a real InteractiveShell (history off) with watch on; then what watch
displayed, `%hfauth why` (its report and anything it displays), `explain(exc)` in text, HTML, JSON, Markdown,
repr and pickle, and every log record at DEBUG on the root logger are searched for each canary: whole,
URL-encoded, or any FRAGMENT_LENGTH characters of its body (the mask `hf_...wxyz` shows 4).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import re
import subprocess
import sys
import time
from typing import Any, Iterator

import pytest
from huggingface_hub import constants, file_download, hf_api

from hfauth_nb.testing.router import RETIRED_SEGMENT, route_inference_to
from hfauth_nb.testing.rules import Reply
from tests.explain.test_inference_check import _CLI
from tests.scenarios.conftest import Scenario, scenario  # noqa: F401  (the fixture)
from tests.scenarios.test_canary import FRAGMENT_LENGTH, canary, leaks, shell, shown  # noqa: F401

MODEL = "alice/llm"
ONLY_TOGETHER = "alice/together-only"
XET_REPO = "alice/xet-model"
SPACE = "alice/demo-space"
PRIVATE_SPACE = "alice/private-space"
ECHO_BODY = 12  # how much of a refused token's body the servers quote
XET_SHAPE = re.compile(r"xet_[0-9a-f]{8}")  # any Xet token, minted here or not


@dataclasses.dataclass
class Stage:
    """The canaries of one test: `local` (HF_TOKEN), `login` (the browser login's access and refresh tokens),
    `explicit` (the token the cell passes), and every Xet token the Hub minted (filled in as they are)."""

    scenario: Scenario
    local: str
    login: tuple[str, str]
    explicit: str
    xet: list[str] = dataclasses.field(default_factory=list)

    @property
    def values(self) -> list[str]:
        return [self.local, *self.login, self.explicit, *self.scenario.secrets]


def leaked(text: str, stage: Stage) -> list[str]:
    """leaks() for the Hub tokens; a minted Xet token must not show whole or in any FRAGMENT_LENGTH piece."""
    found = leaks(text, sorted(set(stage.values)))
    for token in stage.xet:
        body = token[len("xet_") :]
        pieces = {body[i : i + FRAGMENT_LENGTH] for i in range(len(body) - FRAGMENT_LENGTH + 1)}
        found += [f"xet_... as {p[:3]}..." for p in sorted(pieces) if p in text]
    found += [f"a Xet token's shape: {m.group(0)[:7]}..." for m in XET_SHAPE.finditer(text)]
    return found


@pytest.fixture()
def stage(scenario: Scenario, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stage]:  # noqa: F811
    """The loopback Hub with the router, a Xet-backed model, Spaces; canaries in HF_TOKEN, the token file (a
    browser login, refresh token in stored_tokens) and one more for the cell to pass; servers that echo."""
    hub = scenario.hub
    hub.add_user("bob")
    hub.add_repo(MODEL, files={"config.json": "{}"})
    hub.add_repo(ONLY_TOGETHER, files={"config.json": "{}"})
    for provider in ("hf-inference", "together"):
        hub.serve_model(MODEL, provider, "conversational")
    hub.serve_model(ONLY_TOGETHER, "together", "conversational")
    hub.add_repo(XET_REPO, files={"model.bin": b"x" * 64})
    hub.add_xet_file(XET_REPO, "model.bin")
    hub.add_repo(SPACE, repo_type="space", files={"app.py": b"print(1)"})
    hub.add_repo(PRIVATE_SPACE, repo_type="space", private=True, files={"app.py": "import gradio"})
    access, refresh = hub.add_oauth_login("alice", "write", expires_at=time.time() + 30 * 24 * 3600)
    scenario.token_file(access)
    (scenario.token_path.parent / "stored_tokens").write_text(
        f"[oauth-alice]\nhf_token = {access}\nrefresh_token = {refresh}\n"
        f"expires_at = {int(time.time()) + 30 * 24 * 3600}\n"
    )
    local = scenario.token("alice", role="read")
    scenario.env("HF_TOKEN", local)
    scenario.env("HF_XET_TELEMETRY_ENABLED", "0")
    scenario.env("HF_XET_CLIENT_RETRY_MAX_ATTEMPTS", "1")
    scenario.env("GRADIO_ANALYTICS_ENABLED", "False")
    monkeypatch.setattr(constants, "ENDPOINT", hub.url)  # as a kernel started with HF_ENDPOINT has them
    template = hub.url + "/{repo_id}/resolve/{revision}/{filename}"
    monkeypatch.setattr(constants, "HUGGINGFACE_CO_URL_TEMPLATE", template)
    monkeypatch.setattr(file_download, "HUGGINGFACE_CO_URL_TEMPLATE", template, raising=False)  # 0.x's copy
    # With HF_ENDPOINT pointing here the Hub writes its own URL in answers (the Xet refresh route), as a mirror does.
    monkeypatch.setattr(hub._runtime, "public_url", None)
    monkeypatch.setattr(hf_api.api, "endpoint", hub.url)  # gradio_client's module-level space_info
    staged = Stage(scenario, local, (access, refresh), explicit=canary())
    _echo_refused_tokens(monkeypatch, staged)
    with route_inference_to(hub.url):
        yield staged


def _echo_refused_tokens(monkeypatch: pytest.MonkeyPatch, stage: Stage) -> None:
    """Every refusal (4xx) quotes the start of the token it carried; every minted Xet token is recorded."""
    runtime = stage.scenario.hub._runtime
    dispatch = runtime.dispatch

    def echo(incoming: Any) -> Reply:
        reply: Reply = dispatch(incoming)
        stage.xet += [value for name, value in reply.headers if name == "X-Xet-Access-Token"]
        sent = incoming.authorization or incoming.hf_authorization or ""
        token = sent.split(" ", 1)[-1]
        if reply.status < 400 or not token:
            return reply
        try:
            payload = json.loads(reply.body)
        except ValueError:
            return reply
        if not isinstance(payload, dict) or not isinstance(payload.get("error"), str):
            return reply
        prefix = token.find("_") + 1
        payload["error"] += f" (token {token[: prefix + ECHO_BODY]}...)"
        headers = tuple(
            (name, payload["error"] if name == "X-Error-Message" else value) for name, value in reply.headers
        )
        return dataclasses.replace(reply, body=json.dumps(payload).encode(), headers=headers)

    monkeypatch.setattr(runtime, "dispatch", echo)


def _everything_shown(
    shell: Any,  # noqa: F811
    stage: Stage,
    cell: str,
    expected: str | None,
    displayed: list[Any],
    caplog: pytest.LogCaptureFixture,
    sent: bool = True,
) -> dict[str, str]:
    """Run the failing cell with watch on, then `%hfauth why`, then explain() of the same exception in every
    format; return all of it by where it was seen (asserting the failure was read as `expected`, and, when a
    token was `sent`, that it was named masked)."""
    from hfauth_nb.render import html, markdown, text
    from hfauth_nb.why import explain, last_exception

    shell.user_ns.update(TOKEN=stage.explicit, HUB=stage.scenario.hub.url)
    # What the user's own library call logged (httpcore's response headers, with the server's echo) is not the
    # tool's: dropped once the cell has run, before watch's callback (registered after this one) diagnoses it.
    forget = lambda _result: caplog.clear()  # noqa: E731
    shell.events.register("post_run_cell", forget)
    shell.run_line_magic("hfauth", "watch on")
    shell.run_cell(cell)
    shell.events.unregister("post_run_cell", forget)
    exc = last_exception()
    assert exc is not None, "the cell did not fail"
    seen = {"watch": "\n".join(shown(obj) for obj in displayed)}
    assert seen["watch"], "watch showed no diagnosis"
    shell.run_line_magic("hfauth", "watch off")
    displayed.clear()
    why = shell.run_line_magic("hfauth", "why")
    seen["why"] = shown(why)
    seen["why displayed"] = "\n".join(shown(obj) for obj in displayed)
    report = explain(exc, timeout=5)
    assert expected is None or expected in report.ids, (expected, report.ids)
    assert expected is None or expected in why.ids, (expected, why.ids)
    seen["explain repr/str/bundle/pickle"] = shown(report)
    seen["text"] = text.render(report, verbose=True)
    seen["html"] = html.render(report)
    seen["markdown"] = markdown.render(report)
    seen["json"] = json.dumps(report.to_dict())
    seen["findings"] = "\n".join(shown(f) for f in report.findings)
    assert not sent or "hf_..." in "\n".join(seen.values())  # tokens were named, masked
    return seen


@pytest.fixture(autouse=True)
def debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    """Everything logged at DEBUG, on the root logger, as a user chasing a problem would set it."""
    caplog.set_level(logging.DEBUG)


@pytest.fixture()
def displayed(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """What watch and why hand to IPython.display.display."""
    import IPython.display

    seen: list[Any] = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **_: seen.extend(objs))
    return seen


def _assert_nothing_leaked(seen: dict[str, str], stage: Stage, caplog: pytest.LogCaptureFixture) -> None:
    seen = {**seen, "logs": caplog.text, "log messages": "\n".join(r.getMessage() for r in caplog.records)}
    found = {where: leaked(text, stage) for where, text in seen.items()}
    assert {where: hits for where, hits in found.items() if hits} == {}


# -- Inference Providers ---------------------------------------------------------------------------------------

_CHAT = "InferenceClient({client}).chat_completion([{{'role': 'user', 'content': 'hi'}}], model={model!r})"
_GENERATE = "InferenceClient(model={model!r}, {client}).text_generation('hi')"


def _inference_cell(kind: str, client: str, model: str = MODEL) -> str:
    call = (_CHAT if kind == "chat" else _GENERATE).format(client=client, model=model)
    return f"from huggingface_hub import InferenceClient\n{call}"


# (case, how the explicit canary is made (None: unknown to the Hub), what the stage changes, expected id)
INFERENCE = [
    ("401 explicit token rejected", None, None, "inference-token-rejected"),
    (
        "403 fine-grained without the permission",
        {"role": "fineGrained"},
        None,
        "inference-permission-missing",
    ),
    ("402 no credits", {"role": "read"}, "deplete", "inference-no-credits"),
    ("404 model not served", {"role": "read"}, "together-only", "inference-model-not-served"),
]


@pytest.mark.parametrize("kind", ["chat", "text_generation"])
@pytest.mark.parametrize(
    ("token", "change", "expected"), [c[1:] for c in INFERENCE], ids=[c[0] for c in INFERENCE]
)
def test_inference_failures_hold_no_canary(
    stage: Stage,
    shell: Any,  # noqa: F811
    displayed: list[Any],
    caplog: pytest.LogCaptureFixture,
    kind: str,
    token: dict[str, Any] | None,
    change: str | None,
    expected: str,
) -> None:
    hub = stage.scenario.hub
    if token is not None:
        stage.explicit = hub.add_token("alice", **token)
    if change == "deplete":
        hub.deplete_credits("alice")
    model = ONLY_TOGETHER if change == "together-only" else MODEL
    # As in test_inference.py: chat lets the router pick (auto) unless the model is the one it does not serve.
    pinned = kind == "text_generation" or change == "together-only"
    client = "token=TOKEN" + (", provider='hf-inference'" if pinned else "")
    seen = _everything_shown(shell, stage, _inference_cell(kind, client, model), expected, displayed, caplog)
    _assert_nothing_leaked(seen, stage, caplog)


@pytest.mark.parametrize("kind", ["chat", "text_generation"])
def test_retired_host_410_holds_no_canary(
    stage: Stage,
    shell: Any,  # noqa: F811
    displayed: list[Any],
    caplog: pytest.LogCaptureFixture,
    kind: str,
) -> None:
    url = f"{stage.scenario.hub.url}/{RETIRED_SEGMENT}/models/{MODEL}"
    call = (
        "chat_completion([{'role': 'user', 'content': 'hi'}])" if kind == "chat" else "text_generation('hi')"
    )
    cell = f"from huggingface_hub import InferenceClient\nInferenceClient(model={url!r}, token=TOKEN).{call}"
    seen = _everything_shown(shell, stage, cell, "inference-host-retired", displayed, caplog)
    _assert_nothing_leaked(seen, stage, caplog)


def test_metadata_lookup_with_a_token_passed_to_the_client_holds_no_canary(
    stage: Stage,
    shell: Any,  # noqa: F811
    displayed: list[Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """services fact I5: the provider-mapping GET carries HF_TOKEN (revoked here), not the client's good token."""
    stage.scenario.hub.revoke(stage.local)
    stage.explicit = stage.scenario.hub.add_token("alice")
    cell = _inference_cell("chat", "token=TOKEN, provider='together'")
    seen = _everything_shown(shell, stage, cell, "inference-token-rejected", displayed, caplog)
    _assert_nothing_leaked(seen, stage, caplog)


# -- Xet storage -----------------------------------------------------------------------------------------------

_DOWNLOAD = (
    "from huggingface_hub import hf_hub_download\nhf_hub_download({repo!r}, 'model.bin', endpoint=HUB{token})"
)


@pytest.mark.parametrize("explicit", [False, True], ids=["local token", "token passed"])
def test_xet_storage_refusal_holds_no_canary(
    stage: Stage,
    shell: Any,  # noqa: F811
    displayed: list[Any],
    caplog: pytest.LogCaptureFixture,
    explicit: bool,
) -> None:
    if explicit:
        stage.explicit = stage.scenario.hub.add_token("alice")
    cell = _DOWNLOAD.format(repo=XET_REPO, token=", token=TOKEN" if explicit else "")
    seen = _everything_shown(shell, stage, cell, "xet-storage-refused", displayed, caplog)
    assert len(stage.xet) >= 2, "the Hub minted Xet tokens (for the download and for explain's ask)"
    _assert_nothing_leaked(seen, stage, caplog)


@pytest.mark.parametrize("login", [False, True], ids=["HF_TOKEN", "browser login in the token file"])
def test_refused_xet_renewal_holds_no_canary(
    stage: Stage,
    shell: Any,  # noqa: F811
    displayed: list[Any],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    login: bool,
) -> None:
    if login:
        monkeypatch.delenv("HF_TOKEN")
    stage.scenario.hub.set_xet_tokens(10, revoke_after_first=True)
    seen = _everything_shown(
        shell, stage, _DOWNLOAD.format(repo=XET_REPO, token=""), "xet-renewal-refused", displayed, caplog
    )
    assert stage.xet, "the Hub minted a Xet token before it refused the renewal"
    _assert_nothing_leaked(seen, stage, caplog)


# -- Spaces: gradio_client and the admin routes ------------------------------------------------------------------


def _gradio() -> tuple[Any, str]:
    gradio_client = pytest.importorskip(
        "gradio_client",
        minversion="1.14",
        reason="gradio_client is pinned on newest (2.x) and requests-era (1.x) only",
    )
    major = int(gradio_client.__version__.split(".", 1)[0])
    return gradio_client, "token" if major >= 2 else "hf_token"  # services fact G1


@pytest.mark.parametrize("where", ["Hub lookup", "Space host"])
def test_gradio_client_refusals_hold_no_canary(
    stage: Stage,
    shell: Any,  # noqa: F811
    displayed: list[Any],
    caplog: pytest.LogCaptureFixture,
    where: str,
) -> None:
    from hfauth_nb.testing.space_host import HOST_PREFIX, subdomain

    _, argument = _gradio()
    hub = stage.scenario.hub
    stage.explicit = hub.add_token("bob")  # another account's token: the Space hides from it
    if where == "Hub lookup":
        src, expected = PRIVATE_SPACE, "space-lookup-refused"
    else:
        hub.set_space(PRIVATE_SPACE, host_refusal=401)
        src, expected = f"{hub.url}{HOST_PREFIX}{subdomain(PRIVATE_SPACE)}/", "space-host-refused"
    cell = (
        "import warnings, gradio_client\nwarnings.simplefilter('ignore', DeprecationWarning)\n"
        f"gradio_client.Client({src!r}, verbose=False, analytics_enabled=False, {argument}=TOKEN)"
    )
    seen = _everything_shown(shell, stage, cell, expected, displayed, caplog)
    _assert_nothing_leaked(seen, stage, caplog)


def test_zerogpu_anonymous_holds_no_canary(
    stage: Stage,
    shell: Any,  # noqa: F811
    displayed: list[Any],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No token is sent (none in HF_TOKEN or the token file), but the browser login is still in stored_tokens."""
    _gradio()
    zero = "alice/zero-space"
    hub = stage.scenario.hub
    hub.add_repo(zero, repo_type="space", files={"app.py": "import spaces"})
    hub.set_space(zero, zero_gpu=True)
    monkeypatch.delenv("HF_TOKEN")
    stage.scenario.token_path.unlink()
    cell = (
        f"import gradio_client\nspace = gradio_client.Client({zero!r}, verbose=False, analytics_enabled=False)\n"
        "space.predict('hi', api_name='/predict')"
    )
    seen = _everything_shown(shell, stage, cell, "zerogpu-anonymous", displayed, caplog, sent=False)
    _assert_nothing_leaked(seen, stage, caplog)


def test_space_admin_refusal_of_a_browser_login_holds_no_canary(
    stage: Stage,
    shell: Any,  # noqa: F811
    displayed: list[Any],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The browser login in the token file is the token sent (no HF_TOKEN); the Hub refuses it on restart."""
    monkeypatch.delenv("HF_TOKEN")
    cell = f"from huggingface_hub import HfApi\nHfApi(endpoint=HUB).restart_space({SPACE!r})"
    seen = _everything_shown(shell, stage, cell, "space-admin-oauth-refused", displayed, caplog)
    _assert_nothing_leaked(seen, stage, caplog)


def test_space_admin_refusal_of_an_explicit_browser_token_holds_no_canary(
    stage: Stage,
    shell: Any,  # noqa: F811
    displayed: list[Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A browser token passed to HfApi (the local token is a classic one): the refusal is judged on the token the
    request carried, and no token shows."""
    stage.explicit = stage.scenario.hub.add_token("alice", role="write", oauth=True)
    cell = f"from huggingface_hub import HfApi\nHfApi(endpoint=HUB, token=TOKEN).restart_space({SPACE!r})"
    seen = _everything_shown(shell, stage, cell, "space-admin-oauth-refused", displayed, caplog)
    _assert_nothing_leaked(seen, stage, caplog)


# -- check --inference -----------------------------------------------------------------------------------------


def _rejected_and_restricted(stage: Stage, case: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """HF_TOKEN revoked (the Hub echoes it), or a fine-grained token without the permission."""
    hub = stage.scenario.hub
    if case == "rejected":
        hub.revoke(stage.local)
        return "inference-token-rejected"
    stage.local = hub.add_token("alice", role="fineGrained")
    monkeypatch.setenv("HF_TOKEN", stage.local)
    return "inference-permission-missing"


FORMATS = ("", " --json", " --markdown")


@pytest.mark.parametrize("case", ["rejected", "restricted"])
def test_check_inference_magic_holds_no_canary(
    stage: Stage,
    shell: Any,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
) -> None:
    expected = _rejected_and_restricted(stage, case, monkeypatch)
    results = [shell.run_line_magic("hfauth", f"check --inference {MODEL}{fmt}") for fmt in FORMATS]
    assert expected in [f["id"] for f in results[1].data["findings"]]
    seen = {f"check --inference{fmt}": shown(r) for fmt, r in zip(FORMATS, results)}
    assert "hf_..." in seen["check --inference"]
    _assert_nothing_leaked(seen, stage, caplog)


@pytest.mark.parametrize("case", ["rejected", "restricted"])
def test_check_inference_cli_holds_no_canary(
    stage: Stage, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    expected = _rejected_and_restricted(stage, case, monkeypatch)
    logged = "import logging; logging.basicConfig(level=logging.DEBUG)\n" + _CLI
    outputs = []
    for code in (_CLI, logged):
        command = [
            sys.executable,
            "-c",
            code,
            stage.scenario.hub.url,
            "check",
            "--inference",
            MODEL,
            "--json",
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=os.environ.copy())
        data = json.loads(done.stdout or "{}")
        assert expected in [f["id"] for f in data.get("findings", [])], done.stderr[-2000:]
        outputs.append(done.stdout + done.stderr)
    assert "hf_..." in outputs[0]
    assert "DEBUG" in outputs[1]  # the logging run did log
    assert leaked("\n".join(outputs), stage) == []
