"""The demo hub, `python -m hfauth_nb.testing serve`, and the plugin's import cost."""

from __future__ import annotations

import http.client
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from simhub_helpers import raw

from hfauth_nb.testing import FakeHub
from hfauth_nb.testing.demo import (
    ACCEPTED_MODEL,
    DATASET,
    DISABLED_MODEL,
    GATED_MODEL,
    HIDDEN_MODEL,
    PENDING_MODEL,
    PRIVATE_MODEL,
    PUBLIC_MODEL,
    build_demo_hub,
)

TOKEN_SHAPE = re.compile(r"hf_[A-Za-z]{34}")


def test_demo_hub_situations() -> None:
    hub, tokens = build_demo_hub()
    assert set(tokens) == {"read", "write", "revoked", "fine_grained"}
    assert all(TOKEN_SHAPE.fullmatch(t) for t in tokens.values())
    with hub:

        def check(path: str, key: str | None) -> tuple[int, str | None]:
            answer = raw(hub, "GET", path, token=None if key is None else tokens[key])
            return answer.status, answer.headers.get("x-error-code")

        whoami = raw(hub, "GET", "/api/whoami-v2", token=tokens["read"]).json()
        assert whoami["orgs"][0]["roleInOrg"] == "read"
        assert check("/api/whoami-v2", "revoked")[0] == 401
        assert check(f"/api/models/{PUBLIC_MODEL}/auth-check", None) == (200, None)
        assert check(f"/api/models/{PUBLIC_MODEL}/auth-check/write", "write") == (403, None)  # org role read
        assert check(f"/api/models/{GATED_MODEL}/auth-check", "read") == (403, "GatedRepo")
        assert check(f"/api/models/{PENDING_MODEL}/auth-check", "read") == (403, "GatedRepo")
        assert check(f"/api/models/{ACCEPTED_MODEL}/auth-check", "read") == (200, None)
        assert check(f"/api/models/{ACCEPTED_MODEL}/auth-check", "fine_grained") == (403, None)
        assert check(f"/api/models/{PRIVATE_MODEL}/auth-check/write", "write") == (200, None)
        assert check(f"/api/models/{HIDDEN_MODEL}", "write") == (404, "RepoNotFound")
        assert check(f"/api/datasets/{DATASET}", None) == (200, None)
        assert check(f"/api/models/{DATASET}", "read") == (404, "RepoNotFound")
        assert check(f"/api/models/{DISABLED_MODEL}", "read") == (403, None)


def test_demo_tokens_differ_per_call() -> None:
    assert build_demo_hub()[1]["read"] != build_demo_hub()[1]["read"]


def _wait_for_json(path: Path, process: subprocess.Popen[str], timeout: float) -> Any:
    """Poll (bounded) until the server has written a complete JSON file."""
    deadline = time.monotonic() + timeout
    while True:
        assert process.poll() is None, "server exited early"
        assert time.monotonic() < deadline, "server did not start in time"
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            time.sleep(0.05)


def test_serve_demo_command(tmp_path: Path) -> None:
    tokens_file = tmp_path / "tokens.json"
    process = subprocess.Popen(
        [sys.executable, "-m", "hfauth_nb.testing", "serve", "--demo", "--tokens-file", str(tokens_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    try:
        data = _wait_for_json(tokens_file, process, timeout=20.0)
        assert tokens_file.stat().st_mode & 0o777 == 0o600
        endpoint, tokens = data["endpoint"], data["tokens"]
        conn = http.client.HTTPConnection("127.0.0.1", urlsplit(endpoint).port, timeout=5)
        try:
            conn.request("GET", "/api/whoami-v2", headers={"Authorization": f"Bearer {tokens['write']}"})
            assert json.loads(conn.getresponse().read())["name"] == "demo-user"
        finally:
            conn.close()
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert f"FakeHub listening on {endpoint}" in out
    assert not TOKEN_SHAPE.search(out + err)  # only masked tokens on the terminal
    assert f"{tokens['read'][:3]}...{tokens['read'][-4:]}" in out


def test_serve_refuses_busy_port(fake_hub: FakeHub) -> None:
    port = str(urlsplit(fake_hub.url).port)
    result = subprocess.run(
        [sys.executable, "-m", "hfauth_nb.testing", "serve", "--port", port],
        capture_output=True,
        text=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 1 and "cannot listen" in result.stderr


@pytest.mark.parametrize("module", ["hfauth_nb.testing.pytest_plugin", "hfauth_nb.testing"])
def test_plugin_import_is_cheap(module: str) -> None:
    heavy = ("http.server", "socketserver", "huggingface_hub", "hfauth_nb.testing.hub", "hfauth_nb.engine")
    code = f"import sys, {module}; print([m for m in sys.modules if m.startswith({heavy!r})])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
