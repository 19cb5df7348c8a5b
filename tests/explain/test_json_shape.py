"""The `hfauth/1` JSON of `why`/`explain` and of a scan, pinned key by key.

The blocks `environment.explained` (an explained exception) and `environment.scanned/skipped` (a scan) are
typed fields in Python; these literals were produced by the code before they were (when they were entries of
`Report.environment`), so any change to the JSON they make, including key order, fails here.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from huggingface_hub import hf_hub_download
from nbformat.v4 import new_code_cell, new_notebook, new_output

from hfauth_nb.render import markdown
from hfauth_nb.scan import scan_paths
from hfauth_nb.testing import FakeHub
from hfauth_nb.why import explain
from tests.fixes.harness import random_token

TOP_KEYS = ["schema", "ok", "verdict", "target", "token", "findings", "sources", "environment", "timings"]

# What `diagnose()` puts in `environment`, in this order, then `explained` last.
ENGINE_KEYS = [
    "huggingface_hub",
    "backend",
    "endpoint",
    "token_order",
    "token_order_from",
    "token_decided_by",
    "colab_secret",
    "oauth_login",
    "token_path",
    "runtime",
    "python",
    "git",
    "git_helpers",
    "offline",
    "implicit_token_disabled",
    "hub_requests",
    "hub_skipped",
    "get_token_raises",
    "library_requests",
]


def _gated_failure(hub: FakeHub, tmp_path: Path) -> BaseException:
    try:
        hf_hub_download("meta-llama/Gated", "config.json", endpoint=hub.url, cache_dir=tmp_path)
    except Exception as exc:
        return exc
    raise AssertionError("the download did not fail")


def test_an_explained_failure_keeps_its_json_block(gated_hub: FakeHub, tmp_path: Path) -> None:
    report = explain(_gated_failure(gated_hub, tmp_path), timeout=5)
    data = json.loads(json.dumps(report.to_dict()))
    assert list(data) == TOP_KEYS
    assert list(data["environment"]) == [*ENGINE_KEYS, "explained"]
    explained = data["environment"]["explained"]
    assert list(explained) == [
        "exception",
        "found",
        "how",
        "method",
        "status",
        "url",
        "file",
        "write",
        "passed",
        "rejected because",
    ]
    assert explained == {
        "exception": "GatedRepoError",
        "found": True,
        "how": "response",
        "method": "HEAD",
        "status": 403,
        "url": f"{gated_hub.url}/meta-llama/Gated/resolve/main/config.json",
        "file": "config.json",
        "write": False,
        "passed": None,
        "rejected because": None,
    }
    # The Markdown report (to paste into an issue) lists it with the rest of the environment.
    row = (
        '| `explained` | `{"exception": "GatedRepoError", "file": "config.json", "found": true, "how": "response", '
        '"method": "HEAD", "passed": null, "rejected because": null, "status": 403, '
        f'"url": "{gated_hub.url}/meta-llama/Gated/resolve/main/config.json", "write": false}}` |'
    )
    assert row in markdown.render(report).splitlines()


def test_a_failure_without_a_hub_request_keeps_its_json_block(gated_hub: FakeHub) -> None:
    data = explain(ZeroDivisionError("x"), timeout=5).to_dict()
    assert list(data["environment"]) == [*ENGINE_KEYS, "explained"]
    assert data["environment"]["explained"] == {
        "exception": "ZeroDivisionError",
        "found": False,
        "how": None,
        "method": None,
        "status": None,
        "url": None,
        "file": None,
        "write": None,
        "passed": None,
        "rejected because": None,
    }


def test_a_plain_check_has_no_explained_block(gated_hub: FakeHub) -> None:
    from hfauth_nb import diagnose

    assert list(diagnose(timeout=5).to_dict()["environment"]) == ENGINE_KEYS


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    nb = new_notebook()
    token = random_token()
    nb.cells = [new_code_cell("x = 1", outputs=[new_output("stream", name="stdout", text=f"t {token}\n")])]
    nbformat.write(nb, str(project / "nb.ipynb"))
    (project / "broken.ipynb").write_text("{not json")
    return project


def test_a_scan_keeps_its_json_block(folder: Path) -> None:
    result = scan_paths([folder])
    data = json.loads(json.dumps(result.to_dict()))
    assert list(data) == TOP_KEYS
    scanned = [str(folder / "broken.ipynb"), str(folder / "nb.ipynb")]
    skipped = [f"{folder / 'broken.ipynb'} (not valid notebook JSON: scanned as plain text)"]
    assert data["environment"] == {"scanned": scanned, "skipped": skipped}
    assert list(data["environment"]) == ["scanned", "skipped"]
    assert data["verdict"] == "1 Hugging Face token found: revoke it."
    assert list(result.scanned) == scanned and list(result.skipped) == skipped
