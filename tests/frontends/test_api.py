"""The package root: version and the stable `diagnose()` entry point."""

from __future__ import annotations

import sys
import types
from importlib.metadata import version
from typing import Any

import pytest
from frontend_helpers import ok_report

import hfauth_nb
from hfauth_nb.engine.report import Report


def test_version_matches_the_package_metadata() -> None:
    assert hfauth_nb.__version__ == version("hfauth_nb")


def test_diagnose_delegates_to_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []

    def fake(repo_id: str | None = None, **kwargs: Any) -> Report:
        calls.append((repo_id, kwargs))
        return ok_report()

    engine = types.ModuleType("hfauth_nb.engine.diagnose")
    engine.diagnose = fake  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "hfauth_nb.engine.diagnose", engine)
    report = hfauth_nb.diagnose("org/name", repo_type="dataset", write=True, revision="v1", timeout=2.0)
    assert report.ok
    assert calls == [("org/name", {"repo_type": "dataset", "write": True, "revision": "v1", "timeout": 2.0})]
