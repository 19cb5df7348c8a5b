"""The panel in a real kernel run by nbclient, which saves widget state by default (`store_widget_state`).

The canary reaches the kernel through an environment variable, never through the notebook, and is handed
to the panel the way its front end hands it; then the saved notebook and everything beside it are grepped.
A positive control plants a Password widget that keeps the token, and the same grep must find it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from hfauth_nb.testing.hub import FakeHub

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")

_OPEN = "panel = %hfauth\npanel"
_SUBMIT = (
    "import os\n"
    "panel.entry._on_msg(panel.entry.widget, {'event': 'token'}, [os.environ.pop('HFAUTH_TEST_CANARY').encode()])"
)
_DIGEST = (
    "import hashlib\nprint('sha256=' + hashlib.sha256(os.environ.get('HF_TOKEN', '').encode()).hexdigest())"
)
_PLANTED = "import ipywidgets\nplanted = ipywidgets.Password()\nplanted.value = os.environ['HF_TOKEN']"


def files_holding(root: Path, needle: str) -> list[str]:
    """Every file under `root` whose bytes contain `needle` (JSON, sqlite, logs alike)."""
    raw = needle.encode()
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and raw in p.read_bytes())


def _run(tmp_path: Path, hub: FakeHub, canary: str, monkeypatch: pytest.MonkeyPatch, *, plant: bool) -> Any:
    monkeypatch.setenv("HF_ENDPOINT", hub.url)
    monkeypatch.setenv("HFAUTH_TEST_CANARY", canary)
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    cells = ["%load_ext hfauth_nb", _OPEN, _SUBMIT, _DIGEST] + ([_PLANTED] if plant else [])
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(src) for src in cells])
    root = tmp_path / "root"
    root.mkdir()
    client = nbclient.NotebookClient(
        nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(root)}}
    )
    assert client.store_widget_state
    client.execute()
    nbformat.write(nb, str(root / "run.ipynb"))
    return nb, root


def _printed(nb: Any, index: int) -> str:
    return "".join(o.get("text", "") for o in nb.cells[index].outputs if o.get("output_type") == "stream")


def test_nbclient_run_saves_no_token(
    tmp_path: Path, hub: FakeHub, canary: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub.add_token("alice", role="write", value=canary)
    nb, _root = _run(tmp_path, hub, canary, monkeypatch, plant=False)
    assert _printed(nb, 3).strip() == "sha256=" + hashlib.sha256(canary.encode()).hexdigest()
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    names = {model["model_name"] for model in state.values()}
    assert "AnyModel" in names and "PasswordModel" not in names
    outputs = [o for c in nb.cells for o in c.outputs]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    assert any("HF_TOKEN is set for this session" in str(m["state"]) for m in state.values())
    assert files_holding(tmp_path, canary) == []


def test_positive_control_the_same_grep_finds_a_planted_leak(
    tmp_path: Path, hub: FakeHub, canary: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    hub.add_token("alice", role="write", value=canary)
    _nb, _root = _run(tmp_path, hub, canary, monkeypatch, plant=True)
    assert files_holding(tmp_path, canary) == ["root/run.ipynb"]
