"""Isolation for simulator tests: loopback-only network, throwaway HOME/HF_HOME, no telemetry.

Self-sufficient on purpose (it overlaps the root conftest's guards, harmlessly), so these tests stay
isolated however the shared fixtures evolve.

huggingface_hub freezes most env vars at import (facts V1), so besides the env we patch the import-time
telemetry constant: from 1.19 a telemetry-enabled client fetches an agent registry from huggingface.co
(facts O3). The socket guard turns any such slip into an immediate error instead of a real request.
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

_LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
_real_getaddrinfo = socket.getaddrinfo


def _loopback_only_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    name = host.decode() if isinstance(host, bytes) else host
    if name is not None and name not in _LOOPBACK_HOSTS:
        raise OSError(f"network access to {name!r} is blocked in simulator tests")
    return _real_getaddrinfo(host, *args, **kwargs)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setattr(socket, "getaddrinfo", _loopback_only_getaddrinfo)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("HF_HOME", str(home / "hf"))
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    monkeypatch.setenv("NETRC", str(home / "no-netrc"))
    for name in (
        "HF_HUB_OFFLINE",
        "HF_TOKEN",
        "HUGGING_FACE_HUB_TOKEN",
        "HF_TOKEN_PATH",
        "HF_ENDPOINT",
        "HF_HUB_DISABLE_IMPLICIT_TOKEN",
        "HF_OIDC_RESOURCE",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "http_proxy",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    try:
        import huggingface_hub.constants as constants
    except ImportError:  # the pure-rule tests do not need the client
        return
    monkeypatch.setattr(constants, "HF_HUB_DISABLE_TELEMETRY", True)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
