"""`hfauth preflight` (a real subprocess) and `%hfauth preflight` (a real InteractiveShell) against the loopback
Hub: targets, exit status, JSON schema, the current notebook from the Jupyter session, and clear refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest
from IPython.core.error import UsageError

from hfauth_nb.engine.hub import clear_whoami_cache
from hfauth_nb.targets.result import PreflightResult
from hfauth_nb.testing.hub import FakeHub
from tests.preflight.notebooks import write_notebook

CELLS = (
    "from transformers import AutoModel\nm = AutoModel.from_pretrained('org/open')",
    "from huggingface_hub import hf_hub_download\nhf_hub_download('org/gated', 'config.json')",
)


def _notebook(path: Path, cells: tuple[str, ...] = CELLS) -> Path:
    return write_notebook(path, cells)


@pytest.fixture
def hub(fake_hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> FakeHub:
    clear_whoami_cache()
    fake_hub.add_user("alice")
    monkeypatch.setenv("HF_TOKEN", fake_hub.add_token("alice", role="read"))
    fake_hub.add_repo("org/open", files={"config.json": "{}"})
    fake_hub.add_repo("org/gated", gated="manual", files={"config.json": "{}"})
    return fake_hub


def _cli(args: list[str], hub: FakeHub) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_ENDPOINT": hub.url}
    return subprocess.run(
        [sys.executable, "-m", "hfauth_nb", "preflight", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def test_cli_json_and_exit_status(hub: FakeHub, tmp_path: Path) -> None:
    nb = _notebook(tmp_path / "a.ipynb")
    done = _cli([str(nb), "--json", "--timeout", "20"], hub)
    assert done.returncode == 1, done.stderr
    data = json.loads(done.stdout)
    assert data["schema"] == "hfauth-preflight/1"
    by_repo = {t["repo_id"]: t for t in data["targets"]}
    assert set(by_repo) == {"org/open", "org/gated"}
    assert by_repo["org/open"]["ok"] and by_repo["org/open"]["sources"] == [
        {"file": str(nb), "cell": 1, "line": 2, "call": "AutoModel.from_pretrained"}
    ]
    assert not by_repo["org/gated"]["ok"] and "gated-not-requested" in by_repo["org/gated"]["findings"]
    assert by_repo["org/gated"]["via"] is None and by_repo["org/gated"]["write"] is False
    assert data["token"]["user"] == "alice" and os.environ["HF_TOKEN"] not in done.stdout


def test_cli_text_all_ok_exits_zero(hub: FakeHub, tmp_path: Path) -> None:
    nb = _notebook(tmp_path / "ok.ipynb", CELLS[:1])
    done = _cli([str(nb)], hub)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "org/open" in done.stdout and "all ok" in done.stdout


def test_cli_refuses_missing_and_absent_paths(hub: FakeHub, tmp_path: Path) -> None:
    assert _cli([str(tmp_path / "nope.ipynb")], hub).returncode == 2
    done = _cli([], hub)
    assert done.returncode == 2 and "PATH" in done.stderr


@pytest.fixture
def magic_shell(hub: FakeHub) -> Iterator[Any]:
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    InteractiveShell.clear_instance()
    shell = InteractiveShell.instance(config=config)
    shell.run_line_magic("load_ext", "hfauth_nb")
    shell.run_line_magic("config", f'HfAuth.endpoint = "{hub.url}"')
    shell.run_line_magic("config", "HfAuth.timeout = 20")
    try:
        yield shell
    finally:
        InteractiveShell.clear_instance()


def test_magic_checks_the_session_notebook(
    magic_shell: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    nb = _notebook(tmp_path / "session.ipynb")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JPY_SESSION_NAME", "session.ipynb")
    result = magic_shell.run_line_magic("hfauth", "preflight")
    assert isinstance(result, PreflightResult)
    assert {r.target.repo_id for r in result.rows} == {"org/open", "org/gated"}
    assert {s.file for r in result.rows for s in r.target.sources} == {str(nb)}
    bundle = result._repr_mimebundle_()
    assert "hfauth-preflight-row" in bundle["text/html"] and set(bundle) == {"text/plain", "text/html"}


def test_magic_without_a_known_notebook_asks_for_a_path(
    magic_shell: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageError, match="give the path"):
        magic_shell.run_line_magic("hfauth", "preflight")


def test_magic_json_for_named_files(magic_shell: Any, tmp_path: Path) -> None:
    nb = _notebook(tmp_path / "b.ipynb")
    rendered = magic_shell.run_line_magic("hfauth", f"preflight {nb} --json")
    data = rendered._repr_mimebundle_()["application/json"]
    assert {t["repo_id"] for t in data["targets"]} == {"org/open", "org/gated"}
