"""`hfauth demo`, the README's first command: runs offline against the bundled Hub and shows each cause."""

from __future__ import annotations

import os
import subprocess
import sys

import huggingface_hub

from hfauth_nb.secrets import TOKEN_PATTERN


def test_demo_diagnoses_each_case_without_showing_a_token() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "hfauth_nb", "demo"],
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ.copy(),
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    assert "SANDBOX" in out
    netrc_id = "(netrc-overrides-token)" if huggingface_hub.__version__.startswith("0.") else "(netrc-entry)"
    for finding_id in (
        netrc_id,
        "(gated-not-requested)",
        "(token-read-only)",
        "(token-shadowed)",
    ):
        assert finding_id in out, finding_id
    assert "\nOK: " in out  # the all-clear case: its verdict (ids are shown for problems, and with -v)
    assert TOKEN_PATTERN.search(out) is None
