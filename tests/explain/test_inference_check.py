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

PERM = "inference.serverless.write"
MODEL = "alice/llm"


@pytest.fixture()
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    with FakeHub() as fake:
        fake.add_user("alice", orgs={"acme": "write"})
        fake.add_repo(MODEL, files={"config.json": "{}"})
        fake.serve_model(MODEL)
        monkeypatch.setenv("HF_ENDPOINT", fake.url)
        monkeypatch.setattr(constants, "ENDPOINT", fake.url)  # as a kernel started with HF_ENDPOINT has it
        yield fake


@pytest.fixture()
def shell(bare_shell: InteractiveShell) -> Iterator[InteractiveShell]:
    bare_shell.run_line_magic("load_ext", "hfauth_nb")
    yield bare_shell
    bare_shell.run_line_magic("unload_ext", "hfauth_nb")


def _user(*permissions: str) -> dict[str, Any]:
    return {"entity": {"type": "user", "name": "alice"}, "permissions": list(permissions)}


def _org(*permissions: str) -> dict[str, Any]:
    return {"entity": {"type": "org", "name": "acme"}, "permissions": list(permissions)}


# (name, add_token kwargs, magic arguments after `check --inference`, expected finding id, expected answer)
CASES = [
    ("classic read", {"role": "read"}, MODEL, "inference-allowed", "yes"),
    ("classic write", {"role": "write"}, "", "inference-allowed", "yes"),
    (
        "fine-grained with the permission",
        {"role": "fineGrained", "scoped": [_user(PERM)]},
        MODEL,
        "inference-allowed",
        "yes",
    ),
    (
        "fine-grained with it in global",
        {"role": "fineGrained", "global_permissions": [PERM]},
        "",
        "inference-allowed",
        "yes",
    ),
    (
        "fine-grained without it",
        {"role": "fineGrained", "scoped": [_user("repo.content.read")]},
        MODEL,
        "inference-permission-missing",
        "no",
    ),
    ("oauth login: unknown", {"role": "write", "oauth": True}, "", "inference-permission-unknown", "unknown"),
    (
        "billing an org the token covers",
        {"role": "fineGrained", "scoped": [_user(PERM), _org(PERM)]},
        f"{MODEL} --bill-to acme",
        "inference-allowed",
        "yes",
    ),
    (
        "billing an org the token does not cover",
        {"role": "fineGrained", "scoped": [_user(PERM)]},
        "--bill-to acme",
        "inference-permission-missing",
        "no",
    ),
    (
        "classic read billing an org it is not in",
        {"role": "read"},
        "--bill-to other",
        "inference-permission-missing",
        "no",
    ),
]


@pytest.mark.parametrize(
    ("token", "args", "expected", "answer"), [pytest.param(*c[1:], id=c[0]) for c in CASES]
)
def test_magic_answers_from_whoami_alone(
    shell: InteractiveShell,
    hub: FakeHub,
    monkeypatch: pytest.MonkeyPatch,
    token: dict[str, Any],
    args: str,
    expected: str,
    answer: str,
) -> None:
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice", **token))
    data = shell.run_line_magic("hfauth", f"check --inference {args} --json").data
    assert data["schema"] == "hfauth/1"
    (finding,) = [f for f in data["findings"] if f["id"].startswith("inference-")]
    assert finding["id"] == expected
    assert finding["evidence"]["answer"] == answer
    assert finding["evidence"]["inference request sent"] is False
    assert hub.inference_calls() == 0
    if answer == "unknown":
        assert "OAuth" in finding["detail"] and "cannot be read" in finding["detail"]


def test_no_token_is_named(shell: InteractiveShell, hub: FakeHub) -> None:
    data = shell.run_line_magic("hfauth", "check --inference --json").data
    assert data["findings"][0]["id"] == "inference-no-token"
    assert hub.inference_calls() == 0


def test_rejected_token_is_named(
    shell: InteractiveShell, hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = hub.add_token("alice")
    hub.revoke(token)
    monkeypatch.setenv("HF_TOKEN", token)
    data = shell.run_line_magic("hfauth", "check --inference --json").data
    assert "inference-token-rejected" in [f["id"] for f in data["findings"]]


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


def test_cli(hub: FakeHub) -> None:
    env = {
        **os.environ,
        "HF_TOKEN": hub.add_token("alice", role="fineGrained", scoped=[_user("repo.content.read")]),
    }
    done = subprocess.run(
        [sys.executable, "-m", "hfauth_nb", "check", "--inference", MODEL, "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    data = json.loads(done.stdout)
    assert done.returncode == 1, done.stderr
    assert "inference-permission-missing" in [f["id"] for f in data["findings"]]
    assert hub.inference_calls() == 0
