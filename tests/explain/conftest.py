"""Shared fixtures for the `why`/`watch` tests: a real shell with history off, and a Hub with a gated model."""

from __future__ import annotations

from typing import Iterator

import pytest
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

from hfauth_nb import watch
from hfauth_nb.testing import FakeHub


@pytest.fixture()
def bare_shell() -> Iterator[InteractiveShell]:
    config = Config()
    config.HistoryManager.enabled = False
    instance = InteractiveShell.instance(config=config)
    yield instance
    watch.stop(instance)
    InteractiveShell.clear_instance()


@pytest.fixture()
def gated_hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """alice, with a read token in HF_TOKEN, has never asked for meta-llama/Gated."""
    with FakeHub() as fake:
        fake.add_user("alice")
        fake.add_repo("meta-llama/Gated", gated="manual", files={"config.json": "{}"})
        fake.add_repo("alice/adapter", files={"adapter_config.json": "{}"})
        monkeypatch.setenv("HF_TOKEN", fake.add_token("alice"))
        yield fake
