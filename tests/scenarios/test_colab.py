"""Colab secrets in a faithful Colab kernel, each in a fresh process (tests/scenarios/colab_kernel.py).

The shell is a `ZMQInteractiveShell` subclass defined in a module named `google.colab._shell`, as in Colab, and
huggingface_hub is imported in a cell, so the library decides "Colab" itself (fact T11) instead of being told.
The vault (`google.colab.userdata`, tests/scenarios/colab_stub) answers a value, SecretNotFoundError,
NotebookAccessError, never, or TimeoutException, and logs every request: each one could be a grant-access
popup. Every report is held against the library's own `get_token()` in the same process, before and after the
library's first read of the vault. Run on each stack: 0.36 reads the vault first, 1.19+ last (T1/T2).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import huggingface_hub
import pytest

from hfauth_nb.engine import library
from hfauth_nb.secrets import mask
from tests.scenarios.conftest import Scenario

NEW_ORDER = library.version_tuple(huggingface_hub.__version__) >= (1, 19, 0)
DRIVER = Path(__file__).with_name("colab_kernel.py")
BEFORE, AFTER = "before", "after"  # the check runs before / after the library's own first read of the vault


@dataclass
class Kernel:
    """What one kernel session produced."""

    data: dict[str, Any]

    @property
    def report(self) -> dict[str, Any]:
        return self.data["report"]  # type: ignore[no-any-return]

    @property
    def ids(self) -> list[str]:
        return [f["id"] for f in self.report["findings"]]

    def finding(self, finding_id: str) -> dict[str, Any]:
        for f in self.report["findings"]:
            if f["id"] == finding_id:
                return f  # type: ignore[no-any-return]
        raise AssertionError(f"{finding_id} not in {self.ids}: {self.report['verdict']}")

    @property
    def check_reads(self) -> int:
        """Vault requests made by `%hfauth check` itself."""
        return int(self.data["reads_after_check"] - self.data["reads_after_load"])

    def colab_row(self) -> dict[str, Any]:
        return next(s for s in self.report["sources"] if s["name"] == "Colab secret")


def digest(token: str | None) -> str | None:
    return None if token is None else hashlib.sha256(token.encode()).hexdigest()


def run_kernel(
    scenario: Scenario,
    vault: dict[str, Any],
    *args: str,
    when: str = BEFORE,
    check: str = "check --timeout 4",
) -> Kernel:
    path = scenario.home.parent / "vault.json"
    path.write_text(json.dumps(vault))
    Path(str(path) + ".reads").unlink(missing_ok=True)
    env = os.environ.copy()
    env["HFAUTH_FAKE_VAULT"] = str(path)
    env["HF_HUB_DISABLE_TELEMETRY"] = "1"
    argv = [sys.executable, str(DRIVER), "--check", check, *args]
    if when == AFTER:
        argv.append("--library-first")
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no output; stderr: {proc.stderr[-3000:]}"
    for secret in scenario.secrets:
        assert secret not in proc.stdout + proc.stderr, "a raw token leaked"
    kernel = Kernel(json.loads(lines[-1]))
    assert kernel.data["reads_after_load"] == kernel.data["reads_before_load"], "%load_ext read the vault"
    return kernel


def assert_agrees_with_library(kernel: Kernel, *tokens: str) -> None:
    """The token the report names is the one the library's own get_token() returns in the same kernel."""
    answer = kernel.data["library_after"]
    assert answer["finished"], "the library's get_token() hung"
    sent = next((t for t in tokens if digest(t) == answer.get("token")), None)
    assert (answer.get("token") is None) == (sent is None), (
        "the library returned a token the test did not make"
    )
    assert kernel.report["token"]["masked"] == mask(sent), (kernel.report["token"], kernel.report["verdict"])
    if sent is not None:
        assert "no-token" not in kernel.ids


def secret(value: str) -> dict[str, Any]:
    return {"mode": "value", "value": value}


# -- the library reads the vault: the check reads it too, once, or uses the library's cached answer --------------


@pytest.mark.parametrize("when", [BEFORE, AFTER])
def test_secret_alone_is_the_token_sent(scenario: Scenario, when: str) -> None:
    token = scenario.token()
    kernel = run_kernel(scenario, secret(token), when=when)
    assert kernel.data["library_is_colab"] is True
    assert kernel.report["token"]["source"] == "Colab secret" and kernel.report["token"]["user"] == "alice"
    assert kernel.report["ok"] is True, kernel.report["verdict"]
    assert_agrees_with_library(kernel, token)
    if when == BEFORE:
        assert kernel.check_reads == 1  # read by default, once
        assert kernel.report["environment"]["colab_secret"] == "read"
    else:
        assert kernel.check_reads == 0  # the library's cached answer, and the report says so
        assert kernel.report["environment"]["colab_secret"] == "library cache"
        assert "cached" in kernel.colab_row()["note"]


@pytest.mark.parametrize("when", [BEFORE, AFTER])
def test_missing_secret_is_no_token(scenario: Scenario, when: str) -> None:
    kernel = run_kernel(scenario, {"mode": "missing"}, when=when)
    assert_agrees_with_library(kernel)
    no_token = kernel.finding("no-token")
    assert "colab-secret-not-granted" not in kernel.ids
    if when == BEFORE:
        assert "no HF_TOKEN secret" in no_token["evidence"]["Colab secret"]
    else:
        assert kernel.check_reads == 0 and "earlier in this session" in no_token["evidence"]["Colab secret"]


@pytest.mark.parametrize("when", [BEFORE, AFTER])
def test_secret_not_granted(scenario: Scenario, when: str) -> None:
    scenario.token()
    kernel = run_kernel(scenario, {"mode": "not-granted"}, when=when)
    assert_agrees_with_library(kernel)
    if when == BEFORE:
        assert kernel.check_reads == 1
        finding = kernel.finding("colab-secret-not-granted")
        assert kernel.ids[0] == "colab-secret-not-granted" and finding["severity"] == "error"
        assert finding["evidence"]["vault"] == "not-granted"
    else:
        # The library already asked and cached the refusal: no second popup; a restart is what helps.
        assert kernel.check_reads == 0
        assert "Restart session" in kernel.finding("no-token")["fix"][0]


def test_colab_timeout_exception(scenario: Scenario) -> None:
    """Newer runtimes raise TimeoutException outside the Colab UI; the library then uses no secret (T13)."""
    kernel = run_kernel(scenario, {"mode": "no-ui"})
    assert_agrees_with_library(kernel)
    finding = kernel.finding("colab-secret-not-granted")
    assert finding["evidence"]["vault"] == "no-ui" and "Colab UI" in finding["title"]


def test_vault_that_never_answers(scenario: Scenario) -> None:
    """No front end answers: the check gives up under its deadline, and says the library would wait too."""
    kernel = run_kernel(scenario, {"mode": "hang"})
    assert kernel.data["library_after"]["finished"] is False  # the library's get_token() hangs on the vault
    finding = kernel.finding("colab-secret-not-granted")
    assert finding["evidence"]["vault"] == "timeout" and finding["severity"] == "error"
    assert "no-token" not in kernel.ids  # unknown, not "no token"
    assert kernel.report["token"]["masked"] is None


# -- order: 0.36 reads the vault first, 1.19+ only as the last resort ---------------------------------------------


@pytest.mark.parametrize("when", [BEFORE, AFTER])
def test_stale_secret_over_a_valid_login(scenario: Scenario, when: str) -> None:
    stale, login = scenario.token(), scenario.token(role="write")
    scenario.hub.revoke(stale)
    scenario.token_file(login)
    kernel = run_kernel(scenario, secret(stale), when=when)
    assert_agrees_with_library(kernel, stale, login)
    if NEW_ORDER:
        assert kernel.report["token"]["source"] == "token file" and kernel.report["ok"] is True
        assert kernel.data["reads_end"] == 0  # neither the library nor the check asks the vault
        assert "does not read it" in kernel.colab_row()["note"]
    else:
        assert kernel.report["token"]["source"] == "Colab secret"
        assert kernel.finding("colab-secret-shadowed")["evidence"]["winner"] == "Colab secret"
        assert kernel.report["ok"] is False
        assert kernel.check_reads == (1 if when == BEFORE else 0)


def test_colab_secret_flag_reads_even_when_another_source_wins(scenario: Scenario) -> None:
    """`--colab-secret` (kept from before) still reads the vault, so a shadowed secret is named on 1.19+ too."""
    secret_token, env_token = scenario.token(), scenario.token(role="write")
    scenario.env("HF_TOKEN", env_token)
    kernel = run_kernel(scenario, secret(secret_token), check="check --timeout 4 --colab-secret")
    assert kernel.check_reads == 1
    assert kernel.finding("colab-secret-shadowed")["evidence"]["winner"] == (
        "HF_TOKEN" if NEW_ORDER else "Colab secret"
    )
    assert_agrees_with_library(kernel, secret_token, env_token)


def test_no_colab_secret_flag_reads_nothing_and_claims_nothing(scenario: Scenario) -> None:
    token = scenario.token()
    kernel = run_kernel(scenario, secret(token), check="check --timeout 4 --no-colab-secret")
    assert kernel.check_reads == 0
    assert kernel.colab_row()["note"] == "not read (--no-colab-secret)"
    assert all(f["severity"] != "error" for f in kernel.report["findings"]), kernel.report["verdict"]
    assert "any source" not in json.dumps(kernel.report)  # no claim that no source holds a token


# -- no popup: not from %load_ext, not outside a Colab kernel ------------------------------------------------------


def test_load_ext_before_the_library_reads_nothing(scenario: Scenario) -> None:
    kernel = run_kernel(scenario, secret(scenario.token()), "--load-first")
    assert kernel.data["reads_after_load"] == 0
    assert kernel.data["library_is_colab"] is True


def test_other_notebook_kernels_never_read_the_vault(scenario: Scenario) -> None:
    """A plain Jupyter kernel where google.colab happens to be importable (as on Kaggle): not Colab (T11)."""
    kernel = run_kernel(
        scenario, secret(scenario.token()), "--shell", "jupyter", check="check --colab-secret"
    )
    assert kernel.data["library_is_colab"] is False
    assert kernel.data["reads_end"] == 0
    assert all(s["name"] != "Colab secret" for s in kernel.report["sources"])
    assert_agrees_with_library(kernel)


def test_colab_enterprise_never_reads_the_vault(scenario: Scenario) -> None:
    scenario.env("VERTEX_PRODUCT", "COLAB_ENTERPRISE")
    kernel = run_kernel(scenario, secret(scenario.token()), check="check --colab-secret")
    assert kernel.data["reads_end"] == 0
    assert_agrees_with_library(kernel)


def test_private_repo_while_the_vault_does_not_answer_is_not_no_token(scenario: Scenario) -> None:
    scenario.hub.add_repo("alice/private-model", private=True)
    kernel = run_kernel(scenario, {"mode": "hang"}, check="check alice/private-model --timeout 4")
    assert "no-token" not in kernel.ids, kernel.report["verdict"]
    assert kernel.ids[0] == "colab-secret-not-granted"
