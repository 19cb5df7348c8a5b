"""Shared test isolation: a temporary HOME for every test, and no traffic beyond loopback."""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any, Iterator

import pytest

# Variables that change what a Hub client or git would do; every test starts without them.
_HF_ENV_PREFIXES = ("HF_", "HUGGING", "GIT_", "GCM_", "COLAB_", "KAGGLE_", "SAGEMAKER_", "VSCODE_")
_EXTRA_ENV = (
    "NETRC",
    "XDG_CACHE_HOME",
    "XDG_CONFIG_HOME",
    "TRANSFORMERS_OFFLINE",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "SSL_CERT_FILE",
    "VERTEX_PRODUCT",
    "HUGGINGFACEHUB_API_TOKEN",
    "HUGGINGFACE_TOKEN",
    "CI",
    "GITHUB_ACTIONS",
    "SSH_ASKPASS",
    "JPY_SESSION_NAME",
)


def _is_loopback(host: Any) -> bool:
    if host is None:
        return True
    name = host.decode() if isinstance(host, bytes) else str(host)
    return name in ("localhost", "::1", "") or name.startswith("127.")


_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect


def _guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if not _is_loopback(host):
        raise socket.gaierror(socket.EAI_NONAME, f"test network guard: {host!r} is not loopback")
    return _real_getaddrinfo(host, *args, **kwargs)


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
        raise ConnectionRefusedError(f"test network guard: {address!r} is not loopback")
    return _real_connect(self, address)


@pytest.fixture(autouse=True)
def network_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse DNS and connections to anything but loopback inside the test process."""
    monkeypatch.setattr(socket, "getaddrinfo", _guarded_getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh HOME (with HF_HOME inside it) and none of the caller's Hub, git or proxy variables."""
    home = tmp_path / "home"
    home.mkdir()
    for name in list(os.environ):
        if name.startswith(_HF_ENV_PREFIXES) or name in _EXTRA_ENV:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setenv("HF_HOME", str(home / ".cache" / "huggingface"))
    monkeypatch.setenv("HF_HUB_DISABLE_TELEMETRY", "1")
    # git must not read the machine's or the user's real configuration.
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_TERMINAL_PROMPT", "0")
    # huggingface_hub froze HF_HUB_DISABLE_TELEMETRY at import; from 1.19 it would fetch an agent list from
    # huggingface.co at call time otherwise.
    try:
        from huggingface_hub import constants

        monkeypatch.setattr(constants, "HF_HUB_DISABLE_TELEMETRY", True, raising=False)
        # ... and its token paths, which would otherwise point into the real HOME.
        hf_home = home / ".cache" / "huggingface"
        monkeypatch.setattr(constants, "HF_HOME", str(hf_home), raising=False)
        monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(hf_home / "token"), raising=False)
        monkeypatch.setattr(constants, "HF_STORED_TOKENS_PATH", str(hf_home / "stored_tokens"), raising=False)
    except ImportError:
        pass
    monkeypatch.chdir(tmp_path)
    yield home
