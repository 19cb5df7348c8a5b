"""Front-end fixtures: a stand-in for the engine and a real IPython shell."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
from frontend_helpers import FakeEngine

from hfauth_nb.grammar import requests as request_module


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> FakeEngine:
    fake = FakeEngine()
    monkeypatch.setattr(request_module, "run_check", fake)
    return fake


@pytest.fixture
def shell_config() -> Any:
    """The traitlets config the test shell starts with (history off); tests may add to it first."""
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    return config


@pytest.fixture
def shell(shell_config: Any) -> Iterator[Any]:
    """A real InteractiveShell (the singleton), cleared after the test."""
    from IPython.core.interactiveshell import InteractiveShell

    InteractiveShell.clear_instance()
    ip = InteractiveShell.instance(config=shell_config)
    try:
        yield ip
    finally:
        InteractiveShell.clear_instance()
