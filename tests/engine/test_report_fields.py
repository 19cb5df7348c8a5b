"""Typed report fields (`Report.explained`, `ScanResult.scanned/skipped`) and the JSON they make, by hand."""

from __future__ import annotations

import dataclasses
import pickle

from hfauth_nb.engine.explained import Explained
from hfauth_nb.engine.failed_request import FailedRequest
from hfauth_nb.engine.report import Report, Target, TokenSummary
from hfauth_nb.scan.result import ScanResult

SECRET = "hf_" + "abcdefghij" * 3 + "wxyz"
KEYS = ["exception", "found", "how", "method", "status", "url", "file", "write", "passed", "rejected because"]


def _report(**extra: object) -> Report:
    return Report(
        target=Target(),
        token=TokenSummary(),
        findings=[],
        environment={"huggingface_hub": "2.4.0", "endpoint": "https://huggingface.co"},
        secrets=frozenset({SECRET}),
        **extra,  # type: ignore[arg-type]
    )


def test_no_exception_explains_nothing() -> None:
    assert Explained.of(None, None).to_dict() == dict.fromkeys(KEYS) | {"found": False}


def test_a_response_names_the_request_without_credentials() -> None:
    found = FailedRequest(
        "org/name",
        filename="config.json",
        method="GET",
        status=403,
        url="https://user:pw@mirror.example/org/name/resolve/main/config.json",
        how="response",
    )
    explained = Explained.of(PermissionError("x"), found)
    assert explained.to_dict() == {
        "exception": "PermissionError",
        "found": True,
        "how": "response",
        "method": "GET",
        "status": 403,
        "url": "https://mirror.example/org/name/resolve/main/config.json",
        "file": "config.json",
        "write": False,
        "passed": None,
        "rejected because": None,
    }


def test_a_refused_repo_id_is_not_a_found_request() -> None:
    found = FailedRequest(None, how="rejected id", passed="a/b/c", rejected_because="too many slashes")
    explained = Explained.of(ValueError("x"), found)
    assert not explained.found and explained.how == "rejected id" and explained.passed == "a/b/c"


def test_the_explained_block_comes_last_in_environment_and_is_scrubbed() -> None:
    report = _report()
    assert list(report.to_dict()["environment"]) == ["huggingface_hub", "endpoint"]
    report.explained = Explained.of(ValueError("x"), FailedRequest(None, how="rejected id", passed=SECRET))
    data = report.to_dict()
    assert list(data["environment"]) == ["huggingface_hub", "endpoint", "explained"]
    assert list(data["environment"]["explained"]) == KEYS
    assert data["environment"]["explained"]["passed"] == "hf_...wxyz"
    assert "explained" not in report.environment  # the engine's facts are left as they are
    assert SECRET not in repr(report)


def test_an_explained_block_given_at_construction_is_scrubbed_in_the_object() -> None:
    report = _report(explained=Explained("ValueError", False, passed=SECRET))
    for shown in (
        repr(dataclasses.asdict(report)),
        repr(vars(report)),
        pickle.dumps(report).decode("latin-1"),
    ):
        assert SECRET not in shown


def test_a_scan_result_keeps_what_it_covered_and_scrubs_it() -> None:
    result = ScanResult(
        _report(), scanned=(f"/tmp/{SECRET}.ipynb", "/tmp/b.py"), skipped=("/tmp/c.bin (binary)",)
    )
    assert result.scanned == ("/tmp/hf_...wxyz.ipynb", "/tmp/b.py")
    data = result.to_dict()
    assert data["environment"] == {
        "scanned": ["/tmp/hf_...wxyz.ipynb", "/tmp/b.py"],
        "skipped": ["/tmp/c.bin (binary)"],
    }
    assert "Scanned: /tmp/hf_...wxyz.ipynb, /tmp/b.py" in result.text()
    assert data["verdict"] == "No Hugging Face token found in the 2 places scanned."
