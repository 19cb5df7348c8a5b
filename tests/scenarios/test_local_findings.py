"""Every local finding, end to end through the CLI and the magic (parametrised by `frontend`)."""

from __future__ import annotations

import subprocess

import huggingface_hub

from tests.scenarios.conftest import Scenario

REQUESTS_ERA = huggingface_hub.__version__.startswith("0.")


def test_no_token_is_info_for_status(scenario: Scenario, frontend: str) -> None:
    out = scenario.run(frontend)
    assert out.severity("no-token") == "info"
    assert out.data["ok"] is True and out.data["token"]["source"] is None
    assert out.code in (0, None)


def test_token_malformed_quotes(scenario: Scenario, frontend: str) -> None:
    token = scenario.token()
    scenario.env("HF_TOKEN", f'"{token}"')
    out = scenario.run(frontend)
    finding = out.finding("token-malformed")
    assert finding["severity"] == "error" and "quotes" in finding["title"]
    assert out.data["ok"] is False and out.code in (1, None)


def test_token_shadowed_by_env_over_file(scenario: Scenario, frontend: str) -> None:
    env_token, file_token = scenario.token(), scenario.token(role="write")
    scenario.env("HF_TOKEN", env_token)
    scenario.token_file(file_token)
    out = scenario.run(frontend)
    assert out.severity("token-shadowed") == "warning"
    assert out.data["token"]["source"] == "HF_TOKEN"
    assert out.finding("token-shadowed")["evidence"]["winner"] == "HF_TOKEN"


def test_legacy_env_var_differs(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.env("HUGGING_FACE_HUB_TOKEN", scenario.token())
    out = scenario.run(frontend)
    assert out.severity("legacy-env-var") == "warning"


def test_legacy_env_var_skipped_by_blank_hf_token(scenario: Scenario, frontend: str) -> None:
    legacy, file_token = scenario.token(), scenario.token()
    scenario.env("HF_TOKEN", "   ")
    scenario.env("HUGGING_FACE_HUB_TOKEN", legacy)
    scenario.token_file(file_token)
    out = scenario.run(frontend)
    assert "blanks" in out.finding("legacy-env-var")["title"]
    assert out.data["token"]["source"] == "token file"


def test_env_var_misnamed(scenario: Scenario, frontend: str) -> None:
    scenario.env("HUGGINGFACEHUB_API_TOKEN", scenario.token())
    out = scenario.run(frontend)
    assert out.severity("env-var-misnamed") == "warning"
    assert out.finding("env-var-misnamed")["evidence"]["variable"] == "HUGGINGFACEHUB_API_TOKEN"


def test_token_file_unreadable(scenario: Scenario, frontend: str) -> None:
    scenario.token_path.mkdir(parents=True)  # a directory where the token file should be
    out = scenario.run(frontend)
    assert out.severity("token-file-unreadable") == "error"


def test_oidc_token_active_without_id_token(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.env("HF_OIDC_RESOURCE", "alice/model")
    out = scenario.run(frontend)
    finding = out.finding("oidc-token-active")
    if huggingface_hub.__version__ >= "1.19":
        assert finding["severity"] == "error"
        # the tool must not have called get_token() (it would raise or exchange over the network)
        assert "library order" in out.data["environment"]["token_decided_by"]
    else:
        assert finding["severity"] == "info"


def test_oauth_token_expired(scenario: Scenario, frontend: str) -> None:
    token = scenario.token(oauth=True)
    scenario.token_file(token)
    (scenario.token_path.parent / "stored_tokens").write_text(
        f"[oauth-alice]\nhf_token = {token}\nexpires_at = 1000\n"
    )
    out = scenario.run(frontend)
    assert out.severity("oauth-token-expired") == "error"  # no refresh token stored


def test_netrc_on_each_http_stack(scenario: Scenario, frontend: str) -> None:
    token = scenario.token()
    scenario.env("HF_TOKEN", token)
    scenario.netrc("machine 127.0.0.1 login nuser password stale-netrc-password\n")
    scenario.secrets.append("stale-netrc-password")
    out = scenario.run(frontend)
    if REQUESTS_ERA:
        finding = out.finding("netrc-overrides-token")
        assert finding["severity"] == "error" and "Basic" in finding["evidence"]["observed Authorization"]
    else:
        assert out.severity("netrc-entry") == "warning"
        assert "netrc-overrides-token" not in out.ids


def test_netrc_unusable(scenario: Scenario, frontend: str) -> None:
    scenario.netrc("machine 127.0.0.1 login a password b bogus-token\n")
    out = scenario.run(frontend)
    assert "parse error" in out.finding("netrc-unusable")["title"]


def test_git_credential_stale(scenario: Scenario, frontend: str) -> None:
    current, old = scenario.token(), scenario.token()
    scenario.hub.revoke(old)
    scenario.env("HF_TOKEN", current)
    scenario.git_store(old)
    out = scenario.run(frontend)
    finding = out.finding("git-credential-stale")
    assert finding["severity"] == "warning" and finding["evidence"]["rejected by the Hub"] is True


def test_git_credential_missing(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    subprocess.run(["git", "config", "--global", "credential.helper", "store"], check=True)
    out = scenario.run(frontend)
    assert out.severity("git-credential-missing") == "info"
    assert out.finding("git-credential-missing")["evidence"]["helpers"] == ["store"]


def test_endpoint_custom(scenario: Scenario, frontend: str) -> None:
    out = scenario.run(frontend)
    assert out.severity("endpoint-custom") == "info"


def test_offline_mode(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.env("HF_HUB_OFFLINE", "1")
    scenario.hub.clear_requests()
    out = scenario.run(frontend, "alice/anything")
    assert out.severity("offline-mode") == "error"
    assert scenario.hub.requests == []  # nothing was sent


def test_implicit_token_disabled(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.env("HF_HUB_DISABLE_IMPLICIT_TOKEN", "1")
    out = scenario.run(frontend)
    assert out.severity("implicit-token-disabled") == "warning"


def test_implicit_token_disabled_explains_a_gated_401(scenario: Scenario, frontend: str) -> None:
    token = scenario.token()
    scenario.hub.add_repo("meta-llama/Gated", gated="manual")
    scenario.hub.set_access("meta-llama/Gated", "alice", "accepted")
    scenario.env("HF_TOKEN", token)
    scenario.env("HF_HUB_DISABLE_IMPLICIT_TOKEN", "1")
    out = scenario.run(frontend, "meta-llama/Gated")
    assert out.severity("implicit-token-disabled") == "error"


def test_colab_secret_kernel_only_from_a_subprocess(scenario: Scenario) -> None:
    scenario.env("COLAB_RELEASE_TAG", "release-colab_20260819")
    out = scenario.cli()
    assert out.severity("colab-secret-kernel-only") == "warning"  # no token visible here


def test_endpoint_changed_after_import(scenario: Scenario) -> None:
    """Only a long-lived kernel can have this: the library froze HF_ENDPOINT at import, then it changed."""
    scenario.env("HF_TOKEN", scenario.token())
    scenario._library_as_imported_now()
    scenario.env("HF_ENDPOINT", "https://hub.example.internal")
    scenario._library_as_imported_now = lambda: None  # type: ignore[method-assign]
    out = scenario.magic()
    finding = out.finding("endpoint-changed-after-import")
    assert finding["evidence"]["library endpoint"] == scenario.hub.url
    assert "restart the kernel" in finding["fix"][0].lower()


def test_library_missing_is_a_finding_not_a_traceback(scenario: Scenario, frontend: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "shadow" / "huggingface_hub"
    broken.mkdir(parents=True)
    (broken / "__init__.py").write_text("raise ImportError('simulated broken install')\n")
    if frontend == "cli":
        scenario.env("PYTHONPATH", str(broken.parent))
        out = scenario.cli()
    else:
        import sys

        for name in [m for m in sys.modules if m == "huggingface_hub" or m.startswith("huggingface_hub.")]:
            scenario.monkeypatch.delitem(sys.modules, name)
        scenario.monkeypatch.syspath_prepend(str(broken.parent))
        scenario._library_as_imported_now = lambda: None  # type: ignore[method-assign]
        out = scenario.magic()
    finding = out.finding("library-outdated")
    assert finding["severity"] == "error" and "not installed" in finding["title"]
    assert out.code in (1, None)


def test_dns_failure_is_named(scenario: Scenario) -> None:
    """In-process the network guard answers every non-loopback lookup with a DNS error, as a dead resolver would."""
    scenario.env("HF_TOKEN", scenario.token())
    scenario.env("HF_ENDPOINT", "https://hub.invalid")
    out = scenario.magic("acme/any")
    assert out.finding("hub-unreachable")["evidence"]["kind"] == "dns"


def test_custom_token_path_is_where_the_library_looks(scenario: Scenario, frontend: str) -> None:
    custom = scenario.home / "secrets" / "hf-token"
    custom.parent.mkdir()
    token = scenario.token()
    custom.write_text(token + "\r\n")
    scenario.token_file(scenario.token())  # the default location is not read when HF_TOKEN_PATH is set
    scenario.env("HF_TOKEN_PATH", str(custom))
    out = scenario.run(frontend)
    row = next(s for s in out.data["sources"] if s["name"] == "token file")
    assert out.data["token"]["source"] == "token file" and row["wins"]
    assert out.data["environment"]["token_path"] == str(custom)
    assert out.data["token"]["masked"] == f"hf_...{token[-4:]}"
    assert "token-shadowed" not in out.ids


def test_kaggle_without_token_points_to_kaggle_secrets(scenario: Scenario) -> None:
    scenario.env("KAGGLE_KERNEL_RUN_TYPE", "Interactive")
    scenario.hub.add_repo("meta-llama/Gated", gated="manual")
    out = scenario.cli("meta-llama/Gated")
    assert out.data["environment"]["runtime"] == "kaggle"
    assert "UserSecretsClient" in " ".join(out.finding("no-token")["fix"])
