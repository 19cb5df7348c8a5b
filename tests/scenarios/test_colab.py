"""Colab secrets, by emulation: a stand-in `google.colab.userdata` and huggingface_hub told it runs in Colab.

Only the magic can be in Colab (the library decides "Colab" from the running IPython shell, fact T11); the CLI
case (a `!hfauth` subprocess) is covered by test_local_findings' colab-secret-kernel-only test.
"""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass, field

import huggingface_hub
import pytest

from hfauth_nb.engine import library
from tests.scenarios.conftest import Scenario

NEW_ORDER = library.version_tuple(huggingface_hub.__version__) >= (1, 19, 0)


class NotebookAccessError(Exception):
    pass


class SecretNotFoundError(Exception):
    pass


@dataclass
class Vault:
    secret: str | None = None
    granted: bool = True
    reads: list[str] = field(default_factory=list)

    def get(self, key: str) -> str:
        self.reads.append(key)
        if self.secret is None:
            raise SecretNotFoundError(key)
        if not self.granted:
            raise NotebookAccessError(key)
        return self.secret


@pytest.fixture()
def vault(monkeypatch: pytest.MonkeyPatch) -> Vault:
    state = Vault()
    google = types.ModuleType("google")
    colab = types.ModuleType("google.colab")
    userdata = types.ModuleType("google.colab.userdata")
    errors = types.ModuleType("google.colab.errors")
    userdata.get = state.get  # type: ignore[attr-defined]
    userdata.NotebookAccessError = NotebookAccessError  # type: ignore[attr-defined]
    userdata.SecretNotFoundError = SecretNotFoundError  # type: ignore[attr-defined]
    errors.Error = Exception  # type: ignore[attr-defined]
    google.colab = colab  # type: ignore[attr-defined]
    colab.userdata = userdata  # type: ignore[attr-defined]
    colab.errors = errors  # type: ignore[attr-defined]
    for name, module in {
        "google": google,
        "google.colab": colab,
        "google.colab.userdata": userdata,
        "google.colab.errors": errors,
    }.items():
        monkeypatch.setitem(sys.modules, name, module)
    runtime = __import__("huggingface_hub.utils._runtime", fromlist=["_is_google_colab"])
    monkeypatch.setattr(runtime, "_is_google_colab", True)
    auth = library.auth_module()
    monkeypatch.setattr(auth, "_IS_GOOGLE_COLAB_CHECKED", False)
    monkeypatch.setattr(auth, "_GOOGLE_COLAB_SECRET", None)
    return state


def test_vault_is_never_read_unless_asked(scenario: Scenario, vault: Vault) -> None:
    vault.secret = scenario.token()
    scenario.env("HF_TOKEN", scenario.token())
    out = scenario.magic()
    assert vault.reads == []
    colab_row = next(s for s in out.data["sources"] if s["name"] == "Colab secret")
    assert "not read" in colab_row["note"]
    assert "library order" in out.data["environment"]["token_decided_by"]  # get_token() was not called
    if NEW_ORDER:
        assert out.data["token"]["source"] == "HF_TOKEN"
    else:
        assert out.data["token"]["source"] is None  # the secret ranks first and is unknown until read


def test_secret_not_granted(scenario: Scenario, vault: Vault) -> None:
    vault.secret = scenario.token()
    vault.granted = False
    out = scenario.magic("--colab-secret")
    assert vault.reads == [
        "HF_TOKEN",
        "HF_TOKEN",
    ]  # one read per check asked for (JSON, then text): ours only
    assert out.ids[0] == "colab-secret-not-granted" and out.severity("colab-secret-not-granted") == "error"


def test_granted_after_the_library_cached_a_refusal(
    scenario: Scenario, vault: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    vault.secret = scenario.token()
    monkeypatch.setattr(library.auth_module(), "_IS_GOOGLE_COLAB_CHECKED", True)  # refused earlier
    out = scenario.magic("--colab-secret")
    assert "restart" in out.finding("colab-secret-not-granted")["fix"][0].lower()


def test_secret_shadowed_follows_the_installed_order(scenario: Scenario, vault: Vault) -> None:
    secret, env_token = scenario.token(), scenario.token(role="write")
    vault.secret = secret
    scenario.env("HF_TOKEN", env_token)
    out = scenario.magic("--colab-secret")
    finding = out.finding("colab-secret-shadowed")
    expected_winner = "HF_TOKEN" if NEW_ORDER else "Colab secret"
    assert finding["evidence"]["winner"] == expected_winner
    assert out.data["token"]["source"] == expected_winner
    # get_token() is never called while the library has not read the vault itself: it could pop up again.
    assert "library order" in out.data["environment"]["token_decided_by"]
