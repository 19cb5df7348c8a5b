"""A loopback Hugging Face Hub simulator for testing authentication handling.

`FakeHub` answers like the real Hub (statuses, `X-Error-Code`/`X-Error-Message`, `{"error": ...}`
bodies, `X-Request-Id`) so the real huggingface_hub client raises the same exceptions it would
against huggingface.co. Standard library only. Names are loaded lazily so that importing this
package (as the pytest plugin does in every test run) costs almost nothing.

    from huggingface_hub import HfApi
    from hfauth_nb.testing import FakeHub

    with FakeHub() as hub:
        hub.add_user("alice", orgs={"acme": "read"})
        token = hub.add_token("alice", role="read")
        hub.add_repo("meta-llama/Meta-Llama-3-8B", gated="manual", files={"config.json": b"{}"})
        HfApi(endpoint=hub.url, token=token).auth_check("meta-llama/Meta-Llama-3-8B")  # GatedRepoError 403

With pytest, the `fake_hub` fixture gives a started hub. `python -m hfauth_nb.testing serve --demo`
runs one in the foreground (see hfauth_nb.testing.demo for what it contains).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hfauth_nb.testing.hub import FakeHub
    from hfauth_nb.testing.server import RecordedRequest

__all__ = ["FakeHub", "RecordedRequest"]


def __getattr__(name: str) -> Any:
    """Import FakeHub / RecordedRequest on first use."""
    if name == "FakeHub":
        from hfauth_nb.testing.hub import FakeHub

        return FakeHub
    if name == "RecordedRequest":
        from hfauth_nb.testing.server import RecordedRequest

        return RecordedRequest
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
