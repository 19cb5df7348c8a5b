"""Panel fixtures: a terminal IPython shell with the extension loaded, the loopback Hub, a canary token."""

from __future__ import annotations

import os
import secrets
import string
from typing import Any, Callable, Iterator

import pytest

from hfauth_nb import session
from hfauth_nb.testing.hub import FakeHub


def new_canary() -> str:
    """A token-shaped (hf_ + 34 letters) string that no real Hub ever issued: grepping for it finds leaks."""
    return "hf_CANARY" + "".join(secrets.choice(string.ascii_letters) for _ in range(28))


@pytest.fixture
def canary() -> str:
    return new_canary()


@pytest.fixture
def make_canary() -> Callable[[], str]:
    """For tests that need more than one canary."""
    return new_canary


@pytest.fixture(autouse=True)
def no_session_left() -> Iterator[None]:
    """Every test starts and ends without a session token (session state is process-wide), and with a
    kernel that has not yet seen a token box render or fail to."""
    from hfauth_nb.panel import entry

    session._saved = None
    entry._seen.update(rendered=False, missing=False)
    yield
    session._saved = None
    entry._seen.update(rendered=False, missing=False)
    os.environ.pop("HF_TOKEN", None)


@pytest.fixture
def hub(fake_hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> FakeHub:
    """The loopback Hub with user alice; the engine's whoami cache starts empty."""
    from hfauth_nb.engine.hub import clear_whoami_cache

    clear_whoami_cache()
    fake_hub.add_user("alice")
    return fake_hub


@pytest.fixture
def settings(hub: FakeHub) -> Any:
    from hfauth_nb.panel.actions import Settings

    return Settings(timeout=5.0, endpoint=hub.url)


@pytest.fixture
def shell() -> Iterator[Any]:
    """A real terminal-style InteractiveShell (history off) with `%hfauth` loaded."""
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    InteractiveShell.clear_instance()
    ip = InteractiveShell.instance(config=config)
    ip.run_line_magic("load_ext", "hfauth_nb")
    try:
        yield ip
    finally:
        InteractiveShell.clear_instance()
