"""pytest plugin: the `fake_hub` fixture (a started loopback Hub, stopped after the test).

Registered through the `pytest11` entry point, so it is imported by every pytest run in an environment
where hfauth_nb is installed: it imports nothing beyond pytest and the standard library at module level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

import pytest

if TYPE_CHECKING:
    from hfauth_nb.testing.hub import FakeHub


@pytest.fixture
def fake_hub() -> Iterator[FakeHub]:
    """A started FakeHub on an ephemeral 127.0.0.1 port; stopped (stalls released) after the test."""
    from hfauth_nb.testing.hub import FakeHub

    hub = FakeHub()
    hub.start()
    try:
        yield hub
    finally:
        hub.stop()
