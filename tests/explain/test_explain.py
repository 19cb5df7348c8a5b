"""`explain(exc)`: real exceptions from real library calls against the loopback Hub, then the right check."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from huggingface_hub import HfApi, hf_hub_download, snapshot_download

from hfauth_nb.engine.failed_request import find_failed_request, parse_hub_url
from hfauth_nb.testing import FakeHub
from hfauth_nb.why import explain
from tests.explain.calls import raised


@pytest.fixture()
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    with FakeHub() as fake:
        fake.add_user("alice", orgs={"acme": "read"})
        fake.add_repo("meta-llama/Gated", gated="manual", files={"config.json": "{}"})
        fake.add_repo("alice/adapter", files={"adapter_config.json": '{"base_model": "meta-llama/Gated"}'})
        fake.add_repo("acme/private", private=True, files={"config.json": "{}"})
        fake.add_repo("alice/mine", files={"config.json": "{}"})
        yield fake


def test_gated_download(hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice"))
    exc = raised(
        lambda: hf_hub_download("meta-llama/Gated", "config.json", endpoint=hub.url, cache_dir=tmp_path)
    )
    report = explain(exc, timeout=5)
    assert report.target.repo_id == "meta-llama/Gated" and not report.target.write
    assert report.ids[0] == "gated-not-requested"
    assert report.explained is not None and report.explained.how == "response"


def test_private_snapshot(hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hub.add_user("bob")
    monkeypatch.setenv("HF_TOKEN", hub.add_token("bob"))
    exc = raised(lambda: snapshot_download("acme/private", endpoint=hub.url, cache_dir=tmp_path))
    report = explain(exc, timeout=5)
    assert report.target.repo_id == "acme/private"
    assert report.ids[0] == "repo-not-found"


def test_upload_with_read_token_is_a_write(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    token = hub.add_token("alice", role="read")
    monkeypatch.setenv("HF_TOKEN", token)
    api = HfApi(endpoint=hub.url)
    exc = raised(lambda: api.upload_file(path_or_fileobj=b"x", path_in_repo="a.txt", repo_id="alice/mine"))
    report = explain(exc, timeout=5)
    assert report.target.repo_id == "alice/mine" and report.target.write
    assert report.ids[0] == "token-read-only"


def test_create_repo_in_org_without_write_role(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice", role="write"))
    api = HfApi(endpoint=hub.url)
    exc = raised(lambda: api.create_repo("acme/new-model"))
    report = explain(exc, timeout=5)
    assert report.target.repo_id == "acme/new-model" and report.target.write
    assert "org-role-insufficient" in report.ids


def _load_adapter(adapter: str, endpoint: str, cache: Path) -> None:
    """What a PEFT-style loader does: the adapter loads, its gated base model does not."""
    import json

    config = json.loads(
        Path(hf_hub_download(adapter, "adapter_config.json", endpoint=endpoint, cache_dir=cache)).read_text()
    )
    try:
        hf_hub_download(config["base_model"], "config.json", endpoint=endpoint, cache_dir=cache)
    except Exception as exc:
        raise OSError(f"Can't load the base model of {adapter}.") from exc


def test_failing_repo_differs_from_the_typed_one(
    hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice"))
    exc = raised(lambda: _load_adapter("alice/adapter", hub.url, tmp_path))
    assert isinstance(exc, OSError)
    report = explain(exc, timeout=5)
    assert report.target.repo_id == "meta-llama/Gated"  # not alice/adapter
    assert report.ids[0] == "gated-not-requested"


def test_no_hub_request_in_the_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    report = explain(ZeroDivisionError("division by zero"), timeout=1)
    assert report.explained is not None and report.explained.found is False
    assert report.target.repo_id is None


def test_message_only_wrappers() -> None:
    found = find_failed_request(
        OSError(
            "401 Client Error. (Request ID: x)\n\nRepository Not Found for url: https://huggingface.co/api/datasets/org/set/revision/v1."
        )
    )
    assert found is not None and (found.repo_id, found.repo_type, found.revision) == (
        "org/set",
        "dataset",
        "v1",
    )
    found = find_failed_request(ValueError("'my-org/my-model' is not a valid model identifier"))
    assert found is not None and found.repo_id == "my-org/my-model" and found.how == "message id"


@pytest.mark.parametrize(
    ("url", "method", "expected"),
    [
        (
            "https://huggingface.co/meta-llama/L/resolve/main/config.json",
            "GET",
            ("meta-llama/L", "model", "main", False),
        ),
        ("https://huggingface.co/datasets/o/d/resolve/v2/x.csv", "HEAD", ("o/d", "dataset", "v2", False)),
        ("https://hf.co/api/spaces/o/s/commit/main", "POST", ("o/s", "space", "main", True)),
        ("https://huggingface.co/api/models/o/m/preupload/main", "POST", ("o/m", "model", "main", True)),
        ("https://huggingface.co/api/models/o/m/auth-check/write", "GET", ("o/m", "model", None, True)),
        ("https://huggingface.co/gpt2/resolve/main/config.json", "GET", ("gpt2", "model", "main", False)),
    ],
)
def test_parse_hub_url(url: str, method: str, expected: tuple[str, str, str | None, bool]) -> None:
    found = parse_hub_url(url, method=method)
    assert found is not None
    assert (found.repo_id, found.repo_type, found.revision, found.write) == expected
