"""Fixtures for the fix and scan end-to-end tests."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from tests.fixes.harness import Stage, stage


@pytest.fixture
def hub_stage(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stage]:
    with stage(isolated_home, monkeypatch) as ready:
        yield ready
