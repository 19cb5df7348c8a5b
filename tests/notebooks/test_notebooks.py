"""The shipped notebooks, executed by nbclient in a real kernel against the loopback Hub."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import nbformat
import pytest
from nbclient import NotebookClient

from hfauth_nb.testing import FakeHub

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
GATED = "meta-llama/Meta-Llama-3-8B"


@pytest.fixture()
def kernel_env(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeHub, str]]:
    """A Hub with a gated model the user never asked for, and a read token in HF_TOKEN (the kernel inherits it)."""
    with FakeHub() as hub:
        hub.add_user("alice")
        hub.add_repo(GATED, gated="manual", files={"config.json": "{}"})
        token = hub.add_token("alice", role="read")
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        monkeypatch.setenv("HF_TOKEN", token)
        monkeypatch.setenv("IPYTHONDIR", str(isolated_home / ".ipython"))
        yield hub, token


def _execute(name: str, workdir: Path) -> list[str]:
    notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
    assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code"), "stored with outputs"
    client = NotebookClient(notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(workdir)}})
    client.execute()
    texts = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        texts.append(json.dumps(cell.get("outputs", [])))
    return texts


def test_quickstart(kernel_env: tuple[FakeHub, str], tmp_path: Path) -> None:
    hub, token = kernel_env
    outputs = _execute("quickstart.ipynb", tmp_path)
    status, check, write, why, markdown = outputs[1], outputs[2], outputs[3], outputs[4], outputs[5]
    assert "alice" in status and "hf_..." in status
    assert "gated-not-requested" in check
    assert "token-read-only" in write and "namespace-not-owned" in write
    assert "gated-not-requested" in why  # explain() checked the repo of the failing download
    assert "gated-not-requested" in markdown and "text/markdown" in markdown
    assert all(token not in text for text in outputs)
    assert hub.whoami_calls(token) == 1  # one kernel session: whoami once for this token


def test_colab_startup(kernel_env: tuple[FakeHub, str], tmp_path: Path) -> None:
    (cell,) = _execute("colab_startup.ipynb", tmp_path)
    assert "gated-not-requested" in cell
