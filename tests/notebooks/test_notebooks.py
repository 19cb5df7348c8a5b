"""The shipped notebooks, executed by nbclient in a real kernel against the loopback Hub."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import huggingface_hub
import nbformat
import pytest
from nbclient import NotebookClient

from hfauth_nb.secrets import mask
from hfauth_nb.testing import FakeHub

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
GATED = "meta-llama/Meta-Llama-3-8B"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# requests-based huggingface_hub (before 1.0) sends a netrc entry instead of the token; later ones do not.
NETRC_ID = "netrc-overrides-token" if int(huggingface_hub.__version__.split(".")[0]) < 1 else "netrc-entry"


@dataclass
class Scenario:
    hub: FakeHub
    token: str  # HF_TOKEN: valid, read-only
    stale: str  # the password of the Hub's netrc entry: a token the Hub revoked
    netrc: Path

    @property
    def host(self) -> str:
        return self.hub.url.split("://", 1)[1].split(":")[0]


@pytest.fixture()
def kernel_env(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Scenario]:
    """A Hub with a gated model the user never asked for, a read token in HF_TOKEN (the kernel inherits it),
    and a stale ~/.netrc entry for the Hub's host next to another machine's entry."""
    with FakeHub() as hub:
        hub.add_user("alice")
        hub.add_repo(GATED, gated="manual", files={"config.json": "{}"})
        token = hub.add_token("alice", role="read")
        stale = hub.add_token("alice", role="read")
        hub.revoke(stale)
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        monkeypatch.setenv("HF_TOKEN", token)
        monkeypatch.setenv("IPYTHONDIR", str(isolated_home / ".ipython"))
        scenario = Scenario(hub, token, stale, isolated_home / ".netrc")
        scenario.netrc.write_text(
            f"machine github.com login me password gh-secret\nmachine {scenario.host} login alice password {stale}\n"
        )
        scenario.netrc.chmod(0o600)
        yield scenario


def _execute(name: str, workdir: Path, *, history: Path | None = None) -> tuple[Any, list[str]]:
    """Run a copy of the notebook in `workdir`; the executed notebook and each code cell's outputs as JSON."""
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code"), "stored with outputs"
    shutil.copyfile(NOTEBOOKS / name, workdir / name)
    client = NotebookClient(
        notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    )
    if history is not None:  # nbclient's default is an in-memory history
        client.ipython_hist_file = str(history)
    client.execute()
    texts = [json.dumps(c.get("outputs", [])) for c in notebook.cells if c.cell_type == "code"]
    return notebook, texts


def test_quickstart(kernel_env: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hub, token = kernel_env.hub, kernel_env.token
    before = kernel_env.netrc.read_bytes()
    workdir = tmp_path / "work"
    workdir.mkdir()
    history = tmp_path / "history.sqlite"
    monkeypatch.setenv("JPY_SESSION_NAME", str(workdir / "quickstart.ipynb"))  # as Jupyter Server sets it
    notebook, outputs = _execute("quickstart.ipynb", workdir, history=history)
    status, check, write, why, markdown = outputs[1:6]
    panel, netrc_ids, dry_run, scan = outputs[6:10]
    assert "alice" in status and "hf_..." in status
    assert "gated-not-requested" in check and NETRC_ID in check
    assert "token-read-only" in write and "namespace-not-owned" in write
    assert "gated-not-requested" in why  # explain() checked the repo of the failing download
    assert "gated-not-requested" in markdown and "text/markdown" in markdown

    # The widgets, and the text report for where they cannot render.
    assert WIDGET_VIEW in panel and NETRC_ID in panel
    state = json.dumps(notebook.metadata["widgets"])  # nbclient saved the widget state
    assert "hfauth-panel" in state and "hfauth-copy-report" in state

    assert json.loads(netrc_ids)[0]["data"]["text/plain"] == repr([NETRC_ID])
    dry = json.loads(dry_run)[0]["data"]["text/plain"]
    assert f"Fix {NETRC_ID}:" in dry and "Dry run: nothing was changed." in dry
    assert f"-machine {kernel_env.host} login alice password {mask(kernel_env.stale)}" in dry
    assert " machine github.com login me password *****" in dry  # kept, its password masked too
    assert kernel_env.netrc.read_bytes() == before
    assert not list(kernel_env.netrc.parent.glob(".netrc.hfauth-backup-*"))

    scanned = json.loads(scan)[0]["data"]["text/plain"]
    assert scanned.startswith("OK: No Hugging Face token found"), scanned
    assert "quickstart.ipynb" in scanned and "history" in scanned and "token-leaked" not in scanned

    saved = json.dumps(notebook)
    for secret in (token, kernel_env.stale, "gh-secret"):
        assert secret not in saved, "a secret reached an output or the widget state"
        assert secret.encode() not in history.read_bytes()
    assert hub.whoami_calls(token) == 1  # one kernel session: whoami once for this token


def test_colab_startup(kernel_env: Scenario, tmp_path: Path) -> None:
    _notebook, (cell,) = _execute("colab_startup.ipynb", tmp_path)
    assert "gated-not-requested" in cell
    assert kernel_env.token not in cell and kernel_env.stale not in cell
