"""A token passed to the failing call (`token=...`) is the one the request carried, not the one this kernel
resolves: `explain` judges it from the request attached to the exception (real huggingface_hub and transformers
calls against the loopback Hub), and the report never shows it unmasked."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
from huggingface_hub import HfApi, hf_hub_download
from IPython.core.interactiveshell import InteractiveShell

from hfauth_nb.secrets import mask
from hfauth_nb.testing import FakeHub
from hfauth_nb.why import explain
from tests.explain.calls import raised

PRIVATE = "alice/private-model"
GATED = "meta-llama/Gated"


@pytest.fixture()
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """alice's valid read token in HF_TOKEN; her private model; a gated model she accepted; bob exists too."""
    with FakeHub() as fake:
        fake.add_user("alice")
        fake.add_user("bob")
        fake.add_repo(PRIVATE, private=True, files={"config.json": '{"model_type": "llama"}'})
        fake.add_repo(GATED, gated="manual", files={"config.json": '{"model_type": "llama"}'})
        fake.set_access(GATED, "alice", "accepted")
        monkeypatch.setenv("HF_TOKEN", fake.add_token("alice", role="read"))
        yield fake


def _download(hub: FakeHub, repo_id: str, token: str, cache: Path) -> BaseException:
    return raised(
        lambda: hf_hub_download(repo_id, "config.json", endpoint=hub.url, token=token, cache_dir=cache)
    )


def _no_raw(report: object, *tokens: str) -> None:
    shown = json.dumps(report.to_dict()) + repr(report) + str(report)  # type: ignore[attr-defined]
    for token in tokens:
        assert token not in shown and token[3:15] not in shown


def test_a_rejected_token_passed_to_the_call_is_the_cause(hub: FakeHub, tmp_path: Path) -> None:
    revoked = hub.add_token("alice", role="read")
    hub.revoke(revoked)
    exc = _download(hub, PRIVATE, revoked, tmp_path)
    report = explain(exc, timeout=5)
    assert report.ids[0] == "passed-token-rejected", report.ids
    finding = report.findings[0]
    assert finding.evidence["token the call sent"] == mask(revoked)
    assert "HF_TOKEN" in str(finding.evidence["token this kernel resolves"])
    assert "token-invalid" not in report.ids  # the local token is fine and is not blamed
    access = next(f for f in report.findings if f.id == "access-ok")
    assert "the failing call passed another one" in access.title
    _no_raw(report, revoked, os.environ["HF_TOKEN"])


@pytest.mark.parametrize("repo_id", [PRIVATE, GATED], ids=["private", "gated"])
def test_another_accounts_token_passed_to_the_call_may_not_read(
    hub: FakeHub, tmp_path: Path, repo_id: str
) -> None:
    bobs = hub.add_token("bob", role="read")
    exc = _download(hub, repo_id, bobs, tmp_path)
    report = explain(exc, timeout=5)
    assert report.ids[0] == "passed-token-no-access", report.ids
    finding = report.findings[0]
    assert finding.evidence["user"] == "bob" and finding.evidence["repo"] == repo_id
    assert finding.evidence["auth-check"] == (404 if repo_id == PRIVATE else 403)
    _no_raw(report, bobs)


def test_the_local_token_passed_explicitly_is_judged_as_usual(hub: FakeHub) -> None:
    """token=<the same token HF_TOKEN holds>: nothing new to say; the ordinary findings speak."""
    exc = raised(lambda: HfApi(endpoint=hub.url, token=os.environ["HF_TOKEN"]).model_info("alice/missing"))
    report = explain(exc, timeout=5)
    assert not any(i.startswith("passed-token") for i in report.ids), report.ids
    assert report.ids[0] == "repo-not-found", report.ids


def test_why_in_a_shell_names_the_passed_token(
    hub: FakeHub, bare_shell: InteractiveShell, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    revoked = hub.add_token("alice", role="read")
    hub.revoke(revoked)
    bare_shell.run_line_magic("load_ext", "hfauth_nb")
    try:
        bare_shell.user_ns["TOKEN"] = revoked
        bare_shell.run_cell(
            "from huggingface_hub import hf_hub_download\n"
            f"hf_hub_download({PRIVATE!r}, 'config.json', endpoint={hub.url!r}, token=TOKEN, "
            f"cache_dir={str(tmp_path)!r})"
        )
        capsys.readouterr()
        report = bare_shell.run_line_magic("hfauth", "why")
        text = str(report)
        assert text.splitlines()[0].startswith("ERROR: The failing call passed its own token")
        assert revoked[3:15] not in text and revoked[3:15] not in capsys.readouterr().out
    finally:
        bare_shell.run_line_magic("unload_ext", "hfauth_nb")


# A fresh process, so transformers and huggingface_hub read HF_ENDPOINT as a new kernel would.
TRANSFORMERS = """
import json, sys
from transformers import AutoConfig
import hfauth_nb
try:
    AutoConfig.from_pretrained(sys.argv[1], token=sys.argv[2])
except Exception as exc:
    report = hfauth_nb.explain(exc, timeout=10)
    print(json.dumps({"exception": type(exc).__name__, "ids": report.ids}))
"""


def test_transformers_from_pretrained_with_token(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("transformers")  # every stack installs it (stacks/*.txt); this guards local runs only
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    bobs = hub.add_token("bob", role="read")
    proc = subprocess.run(
        [sys.executable, "-c", TRANSFORMERS, PRIVATE, bobs],
        capture_output=True,
        text=True,
        timeout=180,
        env=os.environ.copy(),
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["exception"] == "OSError"
    assert result["ids"][0] == "passed-token-no-access", result
