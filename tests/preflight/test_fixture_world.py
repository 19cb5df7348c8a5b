"""The extraction fixture notebook (16 cells, about 30 Hub calls across transformers, peft, diffusers, datasets,
sentence-transformers, timm and huggingface_hub) checked against a loopback Hub laid out for it: every target gets
the verdict its repo deserves, an adapter leads to its gated base model, writes meet a read token."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hfauth_nb.engine.hub import clear_whoami_cache
from hfauth_nb.targets.check import run_preflight
from hfauth_nb.testing.hub import FakeHub

NOTEBOOK = Path(__file__).parent / "data" / "finetune.ipynb"
ADAPTER = {"base_model_name_or_path": "meta-llama/Llama-3.1-8B", "peft_type": "LORA"}

# (repo id, type, revision, write) -> None when the check passes, else a finding id it must report.
EXPECTED: dict[tuple[str, str, str | None, bool], str | None] = {
    ("acme-lab/eval-prompts", "dataset", None, False): None,
    ("meta-llama/Llama-3.2-1B", "model", None, False): "gated-not-requested",
    ("meta-llama/Llama-3.2-1B", "model", "main", False): "gated-not-requested",
    ("acme-lab/llama-lora", "model", None, False): None,
    ("meta-llama/Llama-3.1-8B", "model", None, False): "gated-not-requested",  # the adapter's base
    ("acme-lab/support-tickets", "dataset", None, False): None,  # private, alice's org
    (
        "wikimedia/wikipedia",
        "dataset",
        "refs/convert/parquet",
        False,
    ): "repo-not-found",  # no such revision here
    ("acme-lab/configs", "dataset", None, False): None,
    ("stabilityai/stable-diffusion-xl-base-1.0", "model", "fp16", False): "repo-not-found",
    ("google/gemma-2-2b", "model", None, False): None,  # gated, accepted
    ("acme-lab/llama-lora-v2", "model", None, True): "token-read-only",
    ("distilbert-base-uncased-finetuned-sst-2-english", "model", None, False): None,
    ("acme-lab/llama-lora-ft", "model", None, True): "token-read-only",
    ("acme-lab/llama-lora", "model", None, True): "token-read-only",
    ("sentence-transformers/all-MiniLM-L6-v2", "model", None, False): None,
    ("HuggingFaceH4/zephyr-7b-beta", "model", None, False): None,
    ("timm/vit_base_patch16_224.augreg_in21k", "model", None, False): None,
    ("stabilityai/stable-diffusion-xl-base-1.0", "model", None, False): None,
    ("acme-lab/sdxl-style-lora", "model", None, False): "repo-not-found",  # never created
    ("meta-llama/Llama-3.1-70B", "model", None, False): "gated-pending",
}


@pytest.fixture
def world(fake_hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> FakeHub:
    clear_whoami_cache()
    hub = fake_hub
    hub.add_user("alice", orgs={"acme-lab": "write"})
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice", role="read"))
    files = {"config.json": "{}"}
    for repo in ("meta-llama/Llama-3.2-1B", "meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-70B"):
        hub.add_repo(repo, gated="manual", files=files)
    hub.set_access("meta-llama/Llama-3.1-70B", "alice", "pending")
    hub.add_repo("google/gemma-2-2b", gated="auto", files=files)
    hub.set_access("google/gemma-2-2b", "alice", "accepted")
    hub.add_repo("acme-lab/llama-lora", files={"adapter_config.json": json.dumps(ADAPTER)})
    hub.add_repo("acme-lab/support-tickets", "dataset", private=True, files={"train.csv": "a\n"})
    for repo in ("acme-lab/eval-prompts", "wikimedia/wikipedia", "acme-lab/configs"):
        hub.add_repo(repo, "dataset", files={"data.csv": "a\n"})
    for repo in (
        "stabilityai/stable-diffusion-xl-base-1.0",
        "distilbert-base-uncased-finetuned-sst-2-english",
        "sentence-transformers/all-MiniLM-L6-v2",
        "HuggingFaceH4/zephyr-7b-beta",
        "timm/vit_base_patch16_224.augreg_in21k",
    ):
        hub.add_repo(repo, files=files)
    return hub


def test_every_target_gets_its_repos_verdict(world: FakeHub) -> None:
    result = run_preflight([NOTEBOOK], timeout=30, endpoint=world.url)
    got = {(r.target.repo_id, r.target.repo_type, r.target.revision, r.target.write): r for r in result.rows}
    assert set(got) == set(EXPECTED), set(got) ^ set(EXPECTED)
    wrong = {}
    for key, finding_id in EXPECTED.items():
        row = got[key]
        ids = [f.id for f in row.report.findings]
        if (finding_id is None and not row.ok) or (
            finding_id is not None and (row.ok or finding_id not in ids)
        ):
            wrong[key] = (row.ok, ids)
    assert not wrong, wrong
    base = got[("meta-llama/Llama-3.1-8B", "model", None, False)].target
    assert base.via == "base model of acme-lab/llama-lora"
    assert len(result.unresolved) >= 3  # a parameter, a loop variable, a call result: listed, not guessed
    whoami = [r for r in world.requests if r.path.endswith("/api/whoami-v2")]
    assert len(whoami) == 1
