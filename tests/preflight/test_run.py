"""Preflight end to end: a notebook and a script against the loopback Hub; every target's verdict comes from the
engine, adapters lead to their (gated) base model, write intent meets a read token, nothing is invented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hfauth_nb.engine.hub import clear_whoami_cache
from hfauth_nb.targets.check import run_preflight
from hfauth_nb.testing.hub import FakeHub
from tests.preflight.notebooks import write_notebook


def _notebook(path: Path, *cells: str) -> Path:
    return write_notebook(path, cells)


@pytest.fixture
def hub(fake_hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> FakeHub:
    clear_whoami_cache()
    fake_hub.add_user("alice")
    monkeypatch.setenv("HF_TOKEN", fake_hub.add_token("alice", role="read"))
    fake_hub.add_repo("org/open-model", files={"config.json": "{}"})
    fake_hub.add_repo("meta/gated-base", gated="manual", files={"config.json": "{}"})
    fake_hub.add_repo(
        "alice/lora",
        files={
            "adapter_config.json": json.dumps(
                {"base_model_name_or_path": "meta/gated-base", "peft_type": "LORA"}
            )
        },
    )
    fake_hub.add_repo("org/data", "dataset", files={"data.csv": "a\n1\n"})
    return fake_hub


def test_notebook_targets_verdicts_and_followed_base(hub: FakeHub, tmp_path: Path) -> None:
    nb = _notebook(
        tmp_path / "train.ipynb",
        "%pip install -q peft\nMODEL = 'org/open-model'\n!echo hi",
        "from transformers import AutoModel\nfrom peft import PeftModel\nbase = AutoModel.from_pretrained(MODEL)\n"
        "model = PeftModel.from_pretrained(base, 'alice/lora')",
        "from datasets import load_dataset\nds = load_dataset('org/data')\nds2 = load_dataset('org/missing-data')",
        "def load(name):\n    return AutoModel.from_pretrained(name)",
        "model.push_to_hub('alice/finetuned')",
    )
    result = run_preflight([nb], timeout=20, endpoint=hub.url)
    rows = {(r.target.repo_id, r.target.repo_type, r.target.write): r for r in result.rows}
    assert set(rows) == {
        ("org/open-model", "model", False),
        ("alice/lora", "model", False),
        ("meta/gated-base", "model", False),
        ("org/data", "dataset", False),
        ("org/missing-data", "dataset", False),
        ("alice/finetuned", "model", True),
    }
    assert rows[("org/open-model", "model", False)].ok
    assert rows[("org/data", "dataset", False)].ok
    base = rows[("meta/gated-base", "model", False)]
    assert base.target.via == "base model of alice/lora"
    assert not base.ok and "gated-not-requested" in [f.id for f in base.own]
    assert [r.target.repo_id for r in result.rows].index("meta/gated-base") == [
        r.target.repo_id for r in result.rows
    ].index("alice/lora") + 1
    assert "repo-not-found" in [f.id for f in rows[("org/missing-data", "dataset", False)].own]
    push = rows[("alice/finetuned", "model", True)]
    assert not push.ok and "token-read-only" in [f.id for f in push.own]
    assert [(u.cell, u.line) for u in result.unresolved] == [(4, 2)]
    assert not result.ok
    data = result.to_dict()
    assert data["schema"] == "hfauth-preflight/1"
    assert {t["repo_id"] for t in data["targets"]} == {k[0] for k in rows}
    assert data["token"]["user"] == "alice"
    whoami = [r for r in hub.requests if r.path.endswith("/api/whoami-v2")]
    assert len(whoami) == 1  # one token: one whoami for the whole preflight


def test_one_segment_push_goes_under_the_token_owner(hub: FakeHub, tmp_path: Path) -> None:
    script = tmp_path / "push.py"
    script.write_text("model.push_to_hub('my-model')\n")
    result = run_preflight([script], timeout=20, endpoint=hub.url)
    assert [(r.target.repo_id, r.target.write) for r in result.rows] == [("alice/my-model", True)]
    assert "token-read-only" in [f.id for f in result.rows[0].own]


def test_without_a_token_a_one_segment_push_is_unresolved(
    hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HF_TOKEN")
    script = tmp_path / "push.py"
    script.write_text("model.push_to_hub('my-model')\n")
    result = run_preflight([script], timeout=20, endpoint=hub.url)
    assert result.rows == ()
    assert [u.line for u in result.unresolved] == [1] and "owner" in result.unresolved[0].reason


def test_the_token_never_shows(hub: FakeHub, tmp_path: Path) -> None:
    import os

    from hfauth_nb.targets import render

    nb = _notebook(
        tmp_path / "a.ipynb",
        "from transformers import AutoModel\nAutoModel.from_pretrained('meta/gated-base')",
    )
    result = run_preflight([nb], timeout=20, endpoint=hub.url)
    token = os.environ["HF_TOKEN"]
    for shown in (render.text(result), render.html(result), json.dumps(result.to_dict()), repr(result)):
        assert token not in shown and token[3:] not in shown


def test_public_api(hub: FakeHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hfauth_nb

    monkeypatch.setenv("HF_ENDPOINT", hub.url)  # read by the library at import: in a fresh process
    script = tmp_path / "s.py"
    script.write_text("from datasets import load_dataset\nload_dataset('org/data')\n")
    import subprocess
    import sys

    code = (
        f"import hfauth_nb; r = hfauth_nb.preflight({str(script)!r}, timeout=20); "
        "print(r.ok, [t.target.repo_id for t in r.rows])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "True ['org/data']", done.stdout + done.stderr
    assert callable(hfauth_nb.preflight) and "preflight" in hfauth_nb.__all__
