"""`explain` on the errors transformers really raises: an OSError wrapping the Hub error (installed in every stack)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Iterator

import pytest

from hfauth_nb.testing import FakeHub

# A fresh process, so transformers and huggingface_hub read HF_ENDPOINT as a new kernel would.
SCRIPT = """
import json, sys
from transformers import AutoConfig
import hfauth_nb
try:
    AutoConfig.from_pretrained(sys.argv[1])
except Exception as exc:
    report = hfauth_nb.explain(exc, timeout=10)
    print(json.dumps({"exception": type(exc).__name__, "report": report.to_dict()}))
else:
    print(json.dumps({"exception": None}))
"""


@pytest.fixture()
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    pytest.importorskip("transformers")  # every stack installs it (stacks/*.txt); this guards local runs only
    with FakeHub() as fake:
        fake.add_user("alice")
        fake.add_repo("meta-llama/Gated", gated="manual", files={"config.json": '{"model_type": "llama"}'})
        fake.add_repo("acme/private", private=True, files={"config.json": '{"model_type": "llama"}'})
        monkeypatch.setenv("HF_ENDPOINT", fake.url)
        monkeypatch.setenv("HF_TOKEN", fake.add_token("alice"))
        yield fake


def _run(repo: str) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, repo],
        capture_output=True,
        text=True,
        timeout=180,
        env=os.environ.copy(),
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("repo", "finding_id"), [("meta-llama/Gated", "gated-not-requested"), ("acme/private", "repo-not-found")]
)
def test_autoconfig_failure_is_explained(hub: FakeHub, repo: str, finding_id: str) -> None:
    result = _run(repo)
    assert result["exception"] == "OSError"
    report = result["report"]
    assert isinstance(report, dict)
    assert report["target"]["repo_id"] == repo and report["target"]["write"] is False
    assert report["findings"][0]["id"] == finding_id
