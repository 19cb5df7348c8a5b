"""What an end-of-session review found: a proxy URL urllib rejects, passwords shown like tokens, and a URL quoted
in an exception's text deciding where tokens are sent."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from hfauth_nb.engine.failed_request import FailedRequest
from hfauth_nb.secrets import mask, mask_secret
from hfauth_nb.testing import FakeHub
from hfauth_nb.why import _endpoint_to_check

PASSWORD = "correct-horse-battery-staple"  # long, not token-shaped: mask() would show 7 of its characters


def _hfauth(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hfauth_nb", *args], capture_output=True, text=True, timeout=60, env=env
    )


def test_a_proxy_url_urllib_rejects_is_reported_and_its_password_hidden(
    isolated_home: Path, fake_hub: FakeHub
) -> None:
    env = {**os.environ, "HF_ENDPOINT": fake_hub.url, "HTTPS_PROXY": f"http://u:{PASSWORD}@[::1"}
    proc = _hfauth("status", "--json", env=env)
    assert proc.returncode in (0, 1), proc.stderr[-500:]
    data = json.loads(proc.stdout)
    assert data["schema"] == "hfauth/1"
    assert PASSWORD not in proc.stdout + proc.stderr


def test_a_netrc_password_shows_nothing_of_itself(isolated_home: Path, fake_hub: FakeHub) -> None:
    fake_hub.add_user("alice")
    (isolated_home / ".netrc").write_text(f"machine 127.0.0.1 login nuser password {PASSWORD}\n")
    (isolated_home / ".netrc").chmod(0o600)
    env = {**os.environ, "HF_ENDPOINT": fake_hub.url, "HF_TOKEN": fake_hub.add_token("alice")}
    proc = _hfauth("check", "--json", env=env)
    shown = proc.stdout + proc.stderr
    assert "netrc" in shown  # the entry is reported...
    assert mask(PASSWORD) not in shown and PASSWORD[:3] + "..." not in shown  # ...without any piece of it
    assert mask_secret(PASSWORD) == "********"


def test_a_url_quoted_in_an_exceptions_text_never_chooses_the_host() -> None:
    quoted = FailedRequest(repo_id="org/name", endpoint="https://elsewhere.example", how="message url")
    assert _endpoint_to_check(quoted) is None
