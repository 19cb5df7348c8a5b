"""`%hfauth check --inference [MODEL] [--bill-to ORG]` and `hfauth check --inference`: "may this token call
Inference Providers?" answered from whoami alone against the loopback Hub, never with an inference request."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any, Iterator

import pytest
from huggingface_hub import constants
from IPython.core.interactiveshell import InteractiveShell

from hfauth_nb.testing import FakeHub
from hfauth_nb.testing.router import RETIRED_SEGMENT, SEGMENT, route_inference_to

PERM = "inference.serverless.write"
MODEL = "alice/llm"


@pytest.fixture()
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """The Hub and the router on loopback: an inference request, had any check sent one, lands in its log."""
    with FakeHub() as fake:
        fake.add_user("alice", orgs={"acme": "write"})
        fake.add_repo(MODEL, files={"config.json": "{}"})
        fake.serve_model(MODEL)
        monkeypatch.setenv("HF_ENDPOINT", fake.url)
        monkeypatch.setattr(constants, "ENDPOINT", fake.url)  # as a kernel started with HF_ENDPOINT has it
        with route_inference_to(fake.url):
            yield fake


def _no_inference_request(hub: FakeHub) -> None:
    """The request log: whoami and other reads only; nothing reached the router (or the retired host)."""
    assert hub.inference_calls() == 0
    sent = [(r.method, r.path) for r in hub.requests]
    assert sent, "the check asked the Hub"
    assert not [(m, p) for m, p in sent if p.startswith((f"/{SEGMENT}/", f"/{RETIRED_SEGMENT}/"))], sent
    assert all(m in ("GET", "HEAD") for m, _ in sent), sent


@pytest.fixture()
def shell(bare_shell: InteractiveShell) -> Iterator[InteractiveShell]:
    bare_shell.run_line_magic("load_ext", "hfauth_nb")
    yield bare_shell
    bare_shell.run_line_magic("unload_ext", "hfauth_nb")


def _user(*permissions: str) -> dict[str, Any]:
    return {"entity": {"type": "user", "name": "alice"}, "permissions": list(permissions)}


def _org(*permissions: str) -> dict[str, Any]:
    return {"entity": {"type": "org", "name": "acme"}, "permissions": list(permissions)}


# (name, add_token kwargs, arguments after `check --inference`, expected finding id, answer, where it was found)
CASES = [
    ("classic read", {"role": "read"}, MODEL, "inference-allowed", "yes", None),
    ("classic write", {"role": "write"}, "", "inference-allowed", "yes", None),
    (
        "fine-grained with it in the user's entry",
        {"role": "fineGrained", "scoped": [_user(PERM)]},
        MODEL,
        "inference-allowed",
        "yes",
        "scoped: user alice",
    ),
    (
        "fine-grained with it in global",
        {"role": "fineGrained", "global_permissions": [PERM]},
        "",
        "inference-allowed",
        "yes",
        "global",
    ),
    (
        "fine-grained without it",
        {"role": "fineGrained", "scoped": [_user("repo.content.read")]},
        MODEL,
        "inference-permission-missing",
        "no",
        None,
    ),
    (
        "fine-grained with it on another account's entry only",
        {
            "role": "fineGrained",
            "scoped": [{"entity": {"type": "user", "name": "bob"}, "permissions": [PERM]}],
        },
        "",
        "inference-permission-missing",
        "no",
        None,
    ),
    (
        "oauth login: unknown",
        {"role": "write", "oauth": True},
        "",
        "inference-permission-unknown",
        "unknown",
        None,
    ),
    (
        "billing an org the token covers (org entry)",
        {"role": "fineGrained", "scoped": [_user(PERM), _org(PERM)]},
        f"{MODEL} --bill-to acme",
        "inference-allowed",
        "yes",
        "scoped: org acme",
    ),
    (
        "billing an org the token does not cover (user entry only)",
        {"role": "fineGrained", "scoped": [_user(PERM), _org("repo.content.read")]},
        "--bill-to acme",
        "inference-permission-missing",
        "no",
        None,
    ),
    (
        "classic read billing an org it is not in",
        {"role": "read"},
        "--bill-to other",
        "inference-permission-missing",
        "no",
        None,
    ),
]
PARAMS = [pytest.param(*c[1:], id=c[0]) for c in CASES]
NAMES = ("token", "args", "expected", "answer", "where")


def _verify(data: dict[str, Any], hub: FakeHub, expected: str, answer: str, where: str | None) -> None:
    assert data["schema"] == "hfauth/1"
    (finding,) = [f for f in data["findings"] if f["id"].startswith("inference-")]
    assert finding["id"] == expected
    assert finding["evidence"]["answer"] == answer
    assert finding["evidence"]["found in"] == where
    assert finding["evidence"]["inference request sent"] is False
    if answer == "unknown":
        assert "OAuth" in finding["detail"] and "cannot be read" in finding["detail"]
    _no_inference_request(hub)


@pytest.mark.parametrize(NAMES, PARAMS)
def test_magic_answers_from_whoami_alone(
    shell: InteractiveShell,
    hub: FakeHub,
    monkeypatch: pytest.MonkeyPatch,
    token: dict[str, Any],
    args: str,
    expected: str,
    answer: str,
    where: str | None,
) -> None:
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice", **token))
    data = shell.run_line_magic("hfauth", f"check --inference {args} --json").data
    _verify(data, hub, expected, answer, where)


# The `hfauth` command run as `python -m hfauth_nb`, with the router on loopback in that process too.
_CLI = (
    "import runpy, sys\n"
    "from hfauth_nb.testing.router import route_inference_to\n"
    "url = sys.argv.pop(1)\n"
    "with route_inference_to(url):\n"
    "    runpy.run_module('hfauth_nb', run_name='__main__')\n"
)


def _cli(hub: FakeHub, token: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "HF_TOKEN"}
    if token is not None:
        env["HF_TOKEN"] = token
    command = [sys.executable, "-c", _CLI, hub.url, "check", "--inference", *args, "--json"]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, check=False)


@pytest.mark.parametrize(NAMES, PARAMS)
def test_cli_answers_from_whoami_alone(
    hub: FakeHub, token: dict[str, Any], args: str, expected: str, answer: str, where: str | None
) -> None:
    done = _cli(hub, hub.add_token("alice", **token), *args.split())
    data = json.loads(done.stdout or "{}")
    assert data, done.stderr
    _verify(data, hub, expected, answer, where)
    # exit 1 when a finding is an error: "no" always is; "yes" and "unknown" (a warning) add none here
    assert done.returncode == (1 if answer == "no" else 0), (done.returncode, data["findings"])
    assert data["ok"] is (answer != "no")


def test_no_token_is_named(shell: InteractiveShell, hub: FakeHub) -> None:
    data = shell.run_line_magic("hfauth", "check --inference --json").data
    assert data["findings"][0]["id"] == "inference-no-token"
    assert hub.inference_calls() == 0 and not [r for r in hub.requests if r.method != "GET"]


def test_rejected_token_is_named(
    shell: InteractiveShell, hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = hub.add_token("alice")
    hub.revoke(token)
    monkeypatch.setenv("HF_TOKEN", token)
    data = shell.run_line_magic("hfauth", "check --inference --json").data
    assert "inference-token-rejected" in [f["id"] for f in data["findings"]]
    _no_inference_request(hub)


def test_without_inference_nothing_is_said(
    shell: InteractiveShell, hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice"))
    data = shell.run_line_magic("hfauth", f"check {MODEL} --json").data
    assert not [f for f in data["findings"] if f["id"].startswith("inference-")]


def test_bill_to_needs_inference(shell: InteractiveShell, hub: FakeHub) -> None:
    from IPython.core.error import UsageError

    with pytest.raises(UsageError, match="--bill-to needs --inference"):
        shell.run_line_magic("hfauth", "check --bill-to acme")


def test_cli_no_token(hub: FakeHub) -> None:
    done = _cli(hub, None)
    data = json.loads(done.stdout or "{}")
    assert data["findings"][0]["id"] == "inference-no-token", done.stderr
    assert hub.inference_calls() == 0


@pytest.mark.parametrize(NAMES, PARAMS)
def test_the_first_line_answers_the_question_asked(
    shell: InteractiveShell,
    hub: FakeHub,
    monkeypatch: pytest.MonkeyPatch,
    token: dict[str, Any],
    args: str,
    expected: str,
    answer: str,
    where: str | None,
) -> None:
    """The verdict is the inference answer (not the repo's "You can read ..." or "No problem found"), and the
    first fix step fits the cause: a non-member cannot fix a refused org by editing a token."""
    from hfauth_nb.render import text

    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice", **token))
    shown = shell.run_line_magic("hfauth", f"check --inference {args}")
    report = getattr(shown, "report", shown)
    lines = text.render(report).splitlines()
    assert "Inference Providers" in lines[0], lines[:2]
    if "--bill-to other" in args:
        assert "member of: acme" in lines[1] and "ownUserPermissions" not in lines[1], lines[1]
    elif "--bill-to acme" in args and answer == "no":
        assert "on org acme" in lines[1], lines[1]
        assert "The router would not" not in text.render(report)  # nothing was sent to it
    _no_inference_request(hub)


def test_no_token_and_a_rejected_token_are_not_described_as_a_call(
    shell: InteractiveShell, hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check --inference` sends nothing to the router: its findings must not say a call carried or was refused."""
    finding = shell.run_line_magic("hfauth", "check --inference --json").data["findings"][0]
    assert "carried no token" not in finding["title"] and "No token was found" in finding["title"]
    token = hub.add_token("alice")
    hub.revoke(token)
    monkeypatch.setenv("HF_TOKEN", token)
    data = shell.run_line_magic("hfauth", "check --inference --json").data
    (rejected,) = [f for f in data["findings"] if f["id"] == "inference-token-rejected"]
    assert "whoami 401" in rejected["title"] and "Inference Providers rejected" not in rejected["title"]
    assert "router" not in rejected["detail"]
    _no_inference_request(hub)
