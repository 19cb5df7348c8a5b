"""`explain(exc)` aims at the request the library made, or says what was passed when it made none (issue 11).

Every exception comes from a real library call; the repo id is read from the request and from the library's own
validation, never from its help text ('namespace/repo_name')."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest
from huggingface_hub import HfApi, constants, hf_hub_download
from IPython.core.interactiveshell import InteractiveShell

from hfauth_nb.engine.failed_request import parse_hub_url
from hfauth_nb.testing import FakeHub
from hfauth_nb.why import explain
from tests.explain.calls import raised


@pytest.fixture()
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    with FakeHub() as fake:
        fake.add_user("alice")
        fake.add_repo("gpt2", files={"config.json": "{}"})
        fake.add_repo(
            "namespace/repo_name", files={"config.json": "{}"}
        )  # a decoy: the help text's placeholder
        monkeypatch.setenv("HF_ENDPOINT", fake.url)
        monkeypatch.setattr(constants, "ENDPOINT", fake.url)  # as a kernel started with HF_ENDPOINT has it
        yield fake


REJECTED = {
    "absolute-path": "/content/my_model",
    "relative-path": "./outputs/checkpoint-500",
    "template": "{model_id}",
    "none": None,
}


@pytest.mark.parametrize("passed", REJECTED.values(), ids=REJECTED.keys())
def test_rejected_repo_id_is_named_not_replaced(
    hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, passed: str | None
) -> None:
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice"))
    exc = raised(lambda: hf_hub_download(passed, "config.json", endpoint=hub.url, cache_dir=tmp_path))  # type: ignore[arg-type]
    assert not any(r.path.startswith("/api/models/") or "/resolve/" in r.path for r in hub.requests)
    report = explain(exc, timeout=5)
    assert report.target.repo_id is None  # nothing to check: there is no valid repo id
    assert not any("/namespace/repo_name" in r.path or "repo_name" in r.path for r in hub.requests)
    first = report.findings[0]
    assert first.id == "repo-not-found" and first.severity == "error"
    assert repr(str(passed)) in first.title or repr(passed) in first.title
    assert first.evidence["request sent"] is False
    assert report.explained is not None and report.explained.how == "rejected id"
    assert "namespace/repo_name" not in str(report.to_dict()["target"])


def test_wrapped_rejection_keeps_the_passed_value(hub: FakeHub, tmp_path: Path) -> None:
    """transformers-style: the HFValidationError is the cause of an OSError whose text is prose."""

    def load() -> None:
        try:
            hf_hub_download("/content/my_model", "config.json", endpoint=hub.url, cache_dir=tmp_path)
        except Exception as exc:
            raise OSError(
                "Incorrect path_or_model_id: '/content/my_model'. Please provide either the path to a "
                "local folder or the repo_id of a model on the Hub."
            ) from exc

    report = explain(raised(load), timeout=5)
    assert report.target.repo_id is None
    assert report.findings[0].evidence["passed"] == "/content/my_model"


def test_upload_to_a_one_segment_repo_id_is_not_split(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice", role="write"))
    api = HfApi(endpoint=hub.url)
    exc = raised(lambda: api.upload_file(path_or_fileobj=b"x", path_in_repo="a.txt", repo_id="gpt2"))
    report = explain(exc, timeout=5)
    assert report.target.repo_id == "gpt2" and report.target.write
    finding = report.findings[0]
    assert finding.id == "namespace-not-owned"
    assert "'gpt2' has no namespace" in finding.title and "preupload" not in str(report.to_dict()["target"])


def test_upload_to_a_missing_one_segment_id_suggests_the_users_namespace(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice", role="write"))
    api = HfApi(endpoint=hub.url)
    exc = raised(lambda: api.upload_file(path_or_fileobj=b"x", path_in_repo="a.txt", repo_id="my-model"))
    report = explain(exc, timeout=5)
    assert report.target.repo_id == "my-model"
    assert "namespace-not-owned" in report.ids
    assert any("alice/my-model" in step for step in report.finding("namespace-not-owned").fix)  # type: ignore[union-attr]


def test_create_with_a_bare_name_is_checked_under_the_token_owner(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    """create_repo('my-model') creates alice/my-model: the Hub's answer is about alice's namespace."""
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice", role="read"))
    exc = raised(lambda: HfApi(endpoint=hub.url).create_repo("my-model"))
    report = explain(exc, timeout=5)
    assert report.target.repo_id == "alice/my-model" and report.target.write
    assert report.ids[0] == "token-read-only" and "namespace-not-owned" not in report.ids


@pytest.mark.parametrize(
    ("path", "repo_id", "revision"),
    [
        ("/api/models/gpt2/preupload/main", "gpt2", "main"),
        ("/api/models/gpt2/commit/main", "gpt2", "main"),
        ("/api/models/gpt2/revision/v1", "gpt2", "v1"),
        ("/api/models/gpt2/auth-check", "gpt2", None),
        ("/api/models/gpt2", "gpt2", None),
        ("/api/models/acme/commit", "acme/commit", None),
        ("/api/models/acme/commit/commit/main", "acme/commit", "main"),
        ("/api/models/acme/model/preupload/main", "acme/model", "main"),
    ],
)
def test_route_holds_the_repo_id(path: str, repo_id: str, revision: str | None) -> None:
    found = parse_hub_url("https://huggingface.co" + path, method="POST")
    assert found is not None and (found.repo_id, found.revision) == (repo_id, revision)


@pytest.fixture()
def shell() -> Iterator[InteractiveShell]:
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    instance = InteractiveShell.instance(config=config)
    instance.run_line_magic("load_ext", "hfauth_nb")
    yield instance
    instance.run_line_magic("unload_ext", "hfauth_nb")
    InteractiveShell.clear_instance()


@pytest.mark.parametrize(
    ("code", "expect"),
    [
        ("hf_hub_download('{model_id}', 'config.json', endpoint=URL)", "'{model_id}' is not a repo id"),
        ("hf_hub_download(None, 'config.json', endpoint=URL)", "'None' is not a repo id"),
        (
            "HfApi(endpoint=URL).upload_file(path_or_fileobj=b'x', path_in_repo='a.txt', repo_id='gpt2')",
            "'gpt2' has no namespace",
        ),
    ],
)
def test_magic_why(
    shell: InteractiveShell,
    hub: FakeHub,
    monkeypatch: pytest.MonkeyPatch,
    code: str,
    expect: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice", role="write"))
    shell.run_cell(f"from huggingface_hub import HfApi, hf_hub_download\nURL = {hub.url!r}\n{code}")
    capsys.readouterr()
    data = shell.run_line_magic("hfauth", "why --json").data
    assert expect in data["verdict"]
    assert "repo_name" not in data["verdict"] and data["target"]["repo_id"] in (None, "gpt2")


def test_cli_check_one_segment_write_blames_no_namespace(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice", role="write"))
    proc = subprocess.run(
        [sys.executable, "-m", "hfauth_nb", "check", "gpt2", "--write", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
    )
    import json

    data = json.loads(proc.stdout)
    assert data["target"]["repo_id"] == "gpt2" and proc.returncode == 1
    assert data["findings"][0]["id"] == "namespace-not-owned"
    assert "'gpt2' has no namespace" in data["verdict"]


@pytest.mark.parametrize("path", ["/content/my_model", "./outputs/checkpoint-500", "~/models/x"])
def test_cli_and_magic_check_name_a_local_path_instead_of_checking_another_repo(
    hub: FakeHub, path: str, shell: InteractiveShell
) -> None:
    """What the library refuses, the check refuses too, saying what was passed: '/content/my_model' is never
    stripped into the repo 'content/my_model'."""
    proc = subprocess.run(
        [sys.executable, "-m", "hfauth_nb", "check", path, "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
    )
    assert proc.returncode == 2 and not proc.stdout
    assert "is a local path, not a repo id" in proc.stderr and repr(path) in proc.stderr
    from IPython.core.error import UsageError

    with pytest.raises(UsageError, match="is a local path, not a repo id"):
        shell.run_line_magic("hfauth", f"check {path}")
    assert not any("content" in r.path or "outputs" in r.path for r in hub.requests)
    with pytest.raises(Exception) as caught:  # the oracle: the library refuses it before any request
        hf_hub_download(path, "config.json", endpoint=hub.url)
    assert type(caught.value).__name__ == "HFValidationError"
