"""`hfauth demo`: real failure modes, diagnosed against the bundled simulated Hub, on a machine with no internet.

Everything happens in a throwaway HOME with a loopback Hub (`hfauth_nb.testing`); each case runs the real
`hfauth check` in a fresh process, exactly as a user would. It is a sandbox: real use always talks to the real Hub.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from hfauth_nb.secrets import mask


@dataclass(frozen=True)
class DemoCase:
    title: str
    args: tuple[str, ...]
    env: dict[str, str] = field(default_factory=dict)
    token_file: str | None = None  # which demo token the token file holds
    netrc_token: str | None = None  # which demo token a stale ~/.netrc entry holds


CASES = (
    DemoCase(
        "A stale ~/.netrc entry for the Hub host, with a valid login in the token file",
        ("check", "demo-org/public-model"),
        token_file="read",
        netrc_token="revoked",
    ),
    DemoCase(
        "A gated model whose access was never requested",
        ("check", "gated-org/gated-model"),
        token_file="read",
    ),
    DemoCase(
        "A read-only token asked to push",
        ("check", "demo-user/private-model", "--write"),
        token_file="read",
    ),
    DemoCase(
        "A revoked HF_TOKEN hiding a valid login",
        ("check",),
        env={"HF_TOKEN": "revoked"},
        token_file="write",
    ),
    DemoCase(
        "All good: a write token on its own repo",
        ("check", "demo-user/private-model", "--write"),
        token_file="write",
    ),
)


def run_demo(out: TextIO | None = None) -> int:
    """Run every demo case and print its report; returns 0 when all cases ran."""
    from hfauth_nb.testing.demo import build_demo_hub

    stream = out or sys.stdout
    hub, tokens = build_demo_hub()
    url = hub.start()
    home = Path(tempfile.mkdtemp(prefix="hfauth-demo-"))
    try:
        _say(stream, f"hfauth demo: SANDBOX. A simulated Hub at {url} and a throwaway HOME ({home}).")
        _say(stream, "Real use of hfauth always talks to the real Hub; nothing here touches your files.")
        _say(stream, "Demo tokens: " + ", ".join(f"{k} {mask(v)}" for k, v in tokens.items()) + "\n")
        failures = 0
        for number, case in enumerate(CASES, 1):
            _say(
                stream, f"{'=' * 100}\n{number}. {case.title}\n   $ hfauth {' '.join(case.args)}\n{'=' * 100}"
            )
            failures += _run_case(case, home / f"case{number}", url, tokens, stream)
        return 1 if failures else 0
    finally:
        hub.stop()
        shutil.rmtree(home, ignore_errors=True)


def _run_case(case: DemoCase, home: Path, url: str, tokens: dict[str, str], stream: TextIO) -> int:
    home.mkdir(parents=True)
    hf_home = home / ".cache" / "huggingface"
    if case.token_file:
        hf_home.mkdir(parents=True)
        (hf_home / "token").write_text(tokens[case.token_file])
    if case.netrc_token:
        netrc = home / ".netrc"
        host = url.split("://", 1)[1].split(":", 1)[0]
        netrc.write_text(f"machine {host}\n  login hf_user\n  password {tokens[case.netrc_token]}\n")
        netrc.chmod(0o600)
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGING", "GIT_")) and k != "NETRC"
    }
    env.update(
        HOME=str(home),
        HF_HOME=str(hf_home),
        HF_ENDPOINT=url,
        HF_HUB_DISABLE_TELEMETRY="1",
        GIT_CONFIG_NOSYSTEM="1",
        GIT_CONFIG_GLOBAL=str(home / ".gitconfig"),
        NO_COLOR="1",
    )
    env.update({name: tokens[which] for name, which in case.env.items()})
    proc = subprocess.run(
        [sys.executable, "-m", "hfauth_nb", *case.args], capture_output=True, text=True, env=env, timeout=120
    )
    _say(stream, proc.stdout.rstrip() + "\n")
    if proc.returncode not in (0, 1):
        _say(stream, f"(hfauth exited {proc.returncode}: {proc.stderr.strip()[-500:]})\n")
        return 1
    return 0


def _say(stream: TextIO, text: str) -> None:
    stream.write(text + "\n")
    stream.flush()
