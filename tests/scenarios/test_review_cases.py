"""Review cases: real-world broken setups, end to end through `hfauth check --json` (and the magic).

Each test is one case, named for it. Fact ids (T8, N2, S4, ...) refer to docs/facts.md.
Tests that use `scenario.cli` only do so because the magic frontend's re-freezing of the library constants
(conftest `_library_as_imported_now`) does not model that variable, or because the case is about the process.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import huggingface_hub
import pytest

from tests.scenarios.conftest import Scenario

HUB_VERSION = tuple(int(p) for p in huggingface_hub.__version__.split(".")[:2])
REQUESTS_ERA = HUB_VERSION[0] == 0


def _gated(scenario: Scenario, repo: str, state: str | None = None, repo_type: str = "model") -> str:
    scenario.hub.add_repo(repo, repo_type=repo_type, gated="manual")
    if state:
        scenario.hub.set_access(repo, "alice", state, repo_type=repo_type)
    return repo


# -- gated repos: classification must not depend on words in the repo id (S4, S5) ------------------------


def test_gated_not_requested_when_repo_name_contains_rejected(scenario: Scenario, frontend: str) -> None:
    """S4: 'not in the authorized list' is not-requested, even when the repo id contains 'rejected'."""
    scenario.env("HF_TOKEN", scenario.token())
    repo = _gated(scenario, "bigscience/rejected-samples")
    out = scenario.run(frontend, repo)
    assert out.ids[0] == "gated-not-requested", out.ids


def test_gated_rejected_when_repo_name_contains_pending(scenario: Scenario, frontend: str) -> None:
    """S5: 'has been rejected' is rejected, even when the repo id contains 'pending'."""
    scenario.env("HF_TOKEN", scenario.token())
    repo = _gated(scenario, "bigscience/pending-tasks", state="rejected")
    out = scenario.run(frontend, repo)
    assert out.ids[0] == "gated-rejected", out.ids


def test_gated_dataset_not_requested(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    repo = _gated(scenario, "bigscience/gated-corpus", repo_type="dataset")
    out = scenario.run(frontend, repo, "--type", "dataset")
    assert out.ids[0] == "gated-not-requested"
    assert "dataset" in out.finding("gated-not-requested")["title"]


def test_gated_dataset_pending(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    repo = _gated(scenario, "bigscience/gated-corpus", state="pending", repo_type="dataset")
    out = scenario.run(frontend, repo, "--type", "dataset")
    assert out.ids[0] == "gated-pending"


def test_gated_dataset_checked_as_model_is_type_mismatch(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    _gated(scenario, "bigscience/gated-corpus", state="accepted", repo_type="dataset")
    out = scenario.run(frontend, "bigscience/gated-corpus")
    assert out.ids[0] == "repo-type-mismatch"


# -- HF_HUB_DISABLE_IMPLICIT_TOKEN (T20): a token exists, it is just not sent --------------------------


def test_implicit_token_disabled_private_repo_is_not_no_token(scenario: Scenario, frontend: str) -> None:
    """design.md: `no-token` = no token from any source. HF_TOKEN holds one; the cause is the flag."""
    scenario.env("HF_TOKEN", scenario.token())
    scenario.env("HF_HUB_DISABLE_IMPLICIT_TOKEN", "1")
    scenario.hub.add_repo("acme/secret", private=True)
    out = scenario.run(frontend, "acme/secret")
    assert out.ids[0] == "implicit-token-disabled", out.ids
    assert "no-token" not in out.ids, out.finding("no-token")["title"]


def test_implicit_token_disabled_gated_repo_is_not_no_token(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.env("HF_HUB_DISABLE_IMPLICIT_TOKEN", "1")
    repo = _gated(scenario, "meta-llama/Gated", state="accepted")
    out = scenario.run(frontend, repo)
    assert out.ids[0] == "implicit-token-disabled", out.ids
    assert "no-token" not in out.ids, out.finding("no-token")["title"]


def test_implicit_token_disabled_write_to_existing_repo(scenario: Scenario, frontend: str) -> None:
    """T20: writes go out anonymous and fail; the repo exists and is public (its metadata answered 200)."""
    scenario.env("HF_TOKEN", scenario.token(role="write"))
    scenario.env("HF_HUB_DISABLE_IMPLICIT_TOKEN", "1")
    scenario.hub.add_repo("alice/mine")
    out = scenario.run(frontend, "alice/mine", "--write")
    assert out.ids[0] == "implicit-token-disabled", out.ids
    assert "repo-not-found" not in out.ids
    assert "no-token" not in out.ids


def test_implicit_token_disabled_public_read_is_ok(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.env("HF_HUB_DISABLE_IMPLICIT_TOKEN", "1")
    scenario.hub.add_repo("acme/public-model")
    out = scenario.run(frontend, "acme/public-model")
    assert "access-ok" in out.ids and out.data["ok"] is True
    assert out.severity("implicit-token-disabled") == "warning"


# -- writes ----------------------------------------------------------------------------------------------


def test_anonymous_write_to_existing_public_repo_is_no_token_not_missing(
    scenario: Scenario, frontend: str
) -> None:
    """The anonymous metadata probe answered 200: the repo exists. The cause is the missing token."""
    scenario.hub.add_repo("alice/mine")
    out = scenario.run(frontend, "alice/mine", "--write")
    assert out.ids[0] == "no-token", out.ids
    assert "repo-not-found" not in out.ids


def test_write_to_new_repo_in_other_namespace(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token(role="write"))
    out = scenario.run(frontend, "tutorial-author/new-model", "--write")
    assert out.ids[0] == "namespace-not-owned"
    assert out.code in (1, None)


def test_write_to_new_repo_in_own_namespace_with_read_token(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token(role="read"))
    out = scenario.run(frontend, "alice/new-model", "--write")
    assert out.ids[0] == "token-read-only"


def test_contributor_cannot_write_to_org_repo_created_by_others(scenario: Scenario, frontend: str) -> None:
    """W1 roles: a contributor may create repos in the org but not write to other members' repos."""
    scenario.hub.add_user("carol", orgs={"labs": "contributor"})
    scenario.env("HF_TOKEN", scenario.token("carol", role="write"))
    scenario.hub.add_repo("labs/model")
    out = scenario.run(frontend, "labs/model", "--write")
    assert out.ids[0] == "org-role-insufficient", out.ids


def test_org_admin_can_write(scenario: Scenario, frontend: str) -> None:
    scenario.hub.add_user("dave", orgs={"labs": "admin"})
    scenario.env("HF_TOKEN", scenario.token("dave", role="write"))
    scenario.hub.add_repo("labs/model")
    out = scenario.run(frontend, "labs/model", "--write")
    assert out.ids == ["endpoint-custom", "git-credential-missing", "access-ok"] or out.ids[-1] == "access-ok"
    assert out.data["ok"] is True


def test_fine_grained_global_write_permission_can_write(scenario: Scenario, frontend: str) -> None:
    token = scenario.token(role="fineGrained", global_permissions=["repo.write"], scoped=[])
    scenario.env("HF_TOKEN", token)
    scenario.hub.add_repo("writers/model")
    out = scenario.run(frontend, "writers/model", "--write")
    assert "access-ok" in out.ids and out.data["ok"] is True


def test_fine_grained_scoped_token_typo_in_foreign_namespace(scenario: Scenario, frontend: str) -> None:
    """A public-repo typo in a namespace the user has no relation to: scopes are not the cause (S2)."""
    token = scenario.token(
        role="fineGrained",
        scoped=[{"entity": {"type": "user", "name": "alice"}, "permissions": ["repo.content.read"]}],
    )
    scenario.env("HF_TOKEN", token)
    out = scenario.run(frontend, "meta-lama/Llama-3")
    assert out.ids[0] == "repo-not-found", out.ids


def test_fine_grained_write_scope_on_dataset_entity_does_not_cover_the_model(
    scenario: Scenario, frontend: str
) -> None:
    """W2: scoped entries name an entity *and its type*; write on dataset alice/mine is not write on model alice/mine."""
    token = scenario.token(
        role="fineGrained",
        scoped=[
            {
                "entity": {"type": "dataset", "name": "alice/mine"},
                "permissions": ["repo.content.read", "repo.write"],
            }
        ],
    )
    scenario.env("HF_TOKEN", token)
    scenario.hub.add_repo("alice/mine")
    scenario.hub.add_repo("alice/mine", repo_type="dataset")
    out = scenario.run(frontend, "alice/mine", "--write")
    assert out.ids[0] == "fine-grained-scope-missing", out.ids


def test_fine_grained_write_scope_on_the_repo_itself_can_write(scenario: Scenario, frontend: str) -> None:
    token = scenario.token(
        role="fineGrained",
        scoped=[{"entity": {"type": "model", "name": "alice/mine"}, "permissions": ["repo.write"]}],
    )
    scenario.env("HF_TOKEN", token)
    scenario.hub.add_repo("alice/mine")
    out = scenario.run(frontend, "alice/mine", "--write")
    assert "access-ok" in out.ids and out.data["ok"] is True


def test_fine_grained_token_without_scope_on_own_private_repo(scenario: Scenario, frontend: str) -> None:
    token = scenario.token(role="fineGrained", scoped=[])
    scenario.env("HF_TOKEN", token)
    scenario.hub.add_repo("alice/private", private=True)
    out = scenario.run(frontend, "alice/private")
    assert out.ids[0] == "fine-grained-scope-missing"


# -- token format and cleaning (T7-T9, F1-F3) ---------------------------------------------------------------


def test_non_ascii_token_is_malformed_not_a_network_problem(scenario: Scenario, frontend: str) -> None:
    """T9: a look-alike letter is sent as is; the fault is the token, not the network (a smart-quote paste)."""
    token = scenario.token()
    bad = token[:10] + "\u0430" + token[11:]  # Cyrillic 'a' in the middle
    scenario.secrets.append(bad)
    scenario.env("HF_TOKEN", bad)
    scenario.hub.add_repo("acme/public-model")
    out = scenario.run(frontend, "acme/public-model")
    assert out.ids[0] == "token-malformed", out.ids
    assert "hub-unreachable" not in out.ids, out.data["verdict"]


def test_bearer_prefix_token_is_malformed(scenario: Scenario, frontend: str) -> None:
    token = scenario.token()
    scenario.env("HF_TOKEN", f"Bearer {token}")
    out = scenario.run(frontend)
    assert out.ids[0] == "token-malformed"
    assert "Bearer" in out.finding("token-malformed")["title"]


def test_api_org_token_is_malformed(scenario: Scenario, frontend: str) -> None:
    org_token = "api_org_" + "Q" * 34
    scenario.secrets.append(org_token)
    scenario.env("HF_TOKEN", org_token)
    out = scenario.run(frontend)
    assert out.ids[0] == "token-malformed"
    assert "api_org_" in out.finding("token-malformed")["title"]


def test_crlf_token_file_is_fine(scenario: Scenario, frontend: str) -> None:
    """T7: CRLF is cleaned away."""
    scenario.token_file(scenario.token() + "\r\n")
    scenario.hub.add_repo("acme/public-model")
    out = scenario.run(frontend, "acme/public-model")
    assert "token-malformed" not in out.ids and "access-ok" in out.ids
    assert out.data["token"]["source"] == "token file"


def test_empty_hf_token_falls_through_to_legacy_variable(scenario: Scenario, frontend: str) -> None:
    """T8: HF_TOKEN="" falls through to HUGGING_FACE_HUB_TOKEN."""
    legacy = scenario.token()
    scenario.env("HF_TOKEN", "")
    scenario.env("HUGGING_FACE_HUB_TOKEN", legacy)
    out = scenario.run(frontend)
    assert out.data["token"]["source"] == "HUGGING_FACE_HUB_TOKEN"
    assert "legacy-env-var" in out.ids and "no-token" not in out.ids


def test_blank_hf_token_skips_legacy_and_finds_nothing(scenario: Scenario, frontend: str) -> None:
    """T8: HF_TOKEN="   " skips HUGGING_FACE_HUB_TOKEN; with no token file, no token at all is sent."""
    scenario.env("HF_TOKEN", "   ")
    scenario.env("HUGGING_FACE_HUB_TOKEN", scenario.token())
    repo = _gated(scenario, "meta-llama/Gated", state="accepted")
    out = scenario.run(frontend, repo)
    assert out.data["token"]["source"] is None
    assert out.ids[0] == "no-token"
    assert "legacy-env-var" in out.ids


def test_revoked_hf_token_shadows_valid_legacy_variable(scenario: Scenario, frontend: str) -> None:
    bad, good = scenario.token(), scenario.token()
    scenario.hub.revoke(bad)
    scenario.env("HF_TOKEN", bad)
    scenario.env("HUGGING_FACE_HUB_TOKEN", good)
    out = scenario.run(frontend)
    assert out.severity("token-shadowed") == "error"
    assert {"token-invalid", "legacy-env-var"} <= set(out.ids)


def test_misnamed_variable_hf_api_token(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_API_TOKEN", scenario.token())
    repo = _gated(scenario, "meta-llama/Gated", state="accepted")
    out = scenario.run(frontend, repo)
    assert out.ids[0] == "no-token"
    assert "env-var-misnamed" in out.ids


# -- where the token file is (T4) -------------------------------------------------------------------------------


def test_token_file_under_xdg_cache_home(scenario: Scenario) -> None:
    """T4: HF_HOME unset -> $XDG_CACHE_HOME/huggingface/token (CLI: a fresh import reads it)."""
    scenario.monkeypatch.delenv("HF_HOME", raising=False)
    xdg = scenario.home / "xdg"
    (xdg / "huggingface").mkdir(parents=True)
    token = scenario.token()
    (xdg / "huggingface" / "token").write_text(token)
    scenario.env("XDG_CACHE_HOME", str(xdg))
    out = scenario.cli()
    assert out.data["token"]["source"] == "token file"
    assert out.data["environment"]["token_path"] == str(xdg / "huggingface" / "token")
    assert out.data["token"]["user"] == "alice"


def test_token_path_with_tilde_is_expanded(scenario: Scenario) -> None:
    """T4: HF_TOKEN_PATH has `~` expanded (0.30+). CLI only: the magic fixture freezes the raw value."""
    custom = scenario.home / "secrets" / "hf-token"
    custom.parent.mkdir()
    custom.write_text(scenario.token())
    scenario.env("HF_TOKEN_PATH", "~/secrets/hf-token")
    out = scenario.cli()
    assert out.data["token"]["source"] == "token file" and out.data["token"]["user"] == "alice"


def test_token_file_under_custom_hf_home(scenario: Scenario, frontend: str) -> None:
    hf_home = scenario.home / "hfhome"
    hf_home.mkdir()
    token = scenario.token()
    (hf_home / "token").write_text(token)
    scenario.env("HF_HOME", str(hf_home))
    out = scenario.run(frontend)
    assert out.data["token"]["source"] == "token file" and out.data["token"]["user"] == "alice"


def test_directory_token_file_does_not_block_when_hf_token_wins(scenario: Scenario, frontend: str) -> None:
    """get_token() returns HF_TOKEN before it ever reads the file (T2, `a() or b()`): nothing is blocked."""
    scenario.env("HF_TOKEN", scenario.token())
    scenario.token_path.mkdir(parents=True)
    scenario.hub.add_repo("acme/public-model")
    out = scenario.run(frontend, "acme/public-model")
    assert "access-ok" in out.ids
    assert out.severity("token-file-unreadable") != "error"
    assert out.data["ok"] is True


def test_directory_token_file_blocks_when_it_is_the_only_source(scenario: Scenario, frontend: str) -> None:
    scenario.token_path.mkdir(parents=True)
    scenario.hub.add_repo("acme/public-model")
    out = scenario.run(frontend, "acme/public-model")
    assert out.ids[0] == "token-file-unreadable"


def test_expired_oauth_file_token_does_not_block_when_hf_token_wins(
    scenario: Scenario, frontend: str
) -> None:
    """The expired OAuth login sits in the token file, but HF_TOKEN wins (T2): it is not the blocking cause."""
    scenario.env("HF_TOKEN", scenario.token())
    oauth = scenario.token(oauth=True)
    scenario.token_file(oauth)
    (scenario.token_path.parent / "stored_tokens").write_text(
        f"[oauth-alice]\nhf_token = {oauth}\nexpires_at = 1000\n"
    )
    scenario.hub.add_repo("acme/public-model")
    out = scenario.run(frontend, "acme/public-model")
    assert "access-ok" in out.ids
    assert out.data["ok"] is True, out.data["verdict"]


def test_oauth_token_expiring_within_a_day_is_not_expired(scenario: Scenario, frontend: str) -> None:
    oauth = scenario.token(oauth=True)
    scenario.token_file(oauth)
    (scenario.token_path.parent / "stored_tokens").write_text(
        f"[oauth-alice]\nhf_token = {oauth}\nexpires_at = {int(time.time()) + 3600 * 5}\n"
    )
    out = scenario.run(frontend)
    assert "oauth-token-expired" not in out.ids
    assert "token-malformed" not in out.ids  # hf_oauth_ tokens have their own length (F3)


# -- OIDC (T17) -----------------------------------------------------------------------------------------------


@pytest.mark.skipif(HUB_VERSION < (1, 19), reason="OIDC exchange exists from huggingface_hub 1.19")
def test_oidc_with_id_token_is_not_reported_as_no_token(scenario: Scenario, frontend: str) -> None:
    """T17: with HF_OIDC_RESOURCE and HF_OIDC_ID_TOKEN, get_token() exchanges a token; it is never 'no token'."""
    scenario.env("HF_TOKEN", scenario.token())
    scenario.env("HF_OIDC_RESOURCE", "alice/model")
    scenario.env("HF_OIDC_ID_TOKEN", scenario.hub.add_oidc_id_token("alice", role="read"))
    repo = _gated(scenario, "meta-llama/Gated", state="accepted")
    out = scenario.run(frontend, repo)
    assert out.ids[0] == "oidc-token-active", out.ids
    assert "no-token" not in out.ids


@pytest.mark.skipif(HUB_VERSION < (1, 19), reason="OIDC exchange exists from huggingface_hub 1.19")
def test_oidc_exchange_the_hub_refuses_is_the_cause_not_no_token(scenario: Scenario, frontend: str) -> None:
    """T17: the Hub answers the exchange 400 invalid_grant and get_token() raises before any request."""
    scenario.env("HF_TOKEN", scenario.token())
    scenario.env("HF_OIDC_RESOURCE", "alice/model")
    scenario.env("HF_OIDC_ID_TOKEN", "eyJhbGciOiJSUzI1NiJ9.e30.sig")  # not an id token this Hub issued
    repo = _gated(scenario, "meta-llama/Gated", state="accepted")
    out = scenario.run(frontend, repo)
    assert out.ids[0] == "oidc-token-active" and out.severity("oidc-token-active") == "error", out.ids
    assert "refused" in out.finding("oidc-token-active")["title"]
    assert "no-token" not in out.ids and "access-ok" not in out.ids
    scenario._library_as_imported_now()
    with pytest.raises(Exception, match=r"invalid_grant|400"):
        huggingface_hub.get_token()  # the oracle: the library's own resolution fails the same way


@pytest.mark.skipif(HUB_VERSION < (1, 19), reason="OIDC exchange exists from huggingface_hub 1.19")
def test_oidc_without_id_token_does_not_claim_no_token_anywhere(scenario: Scenario, frontend: str) -> None:
    """T17: get_token() raises; HF_TOKEN is set, so 'No Hugging Face token was found in any source' is false."""
    scenario.env("HF_TOKEN", scenario.token())
    scenario.env("HF_OIDC_RESOURCE", "alice/model")
    out = scenario.run(frontend)
    assert out.ids[0] == "oidc-token-active" and out.severity("oidc-token-active") == "error"
    assert "no-token" not in out.ids


@pytest.mark.skipif(HUB_VERSION >= (1, 19), reason="only versions before 1.19 ignore HF_OIDC_RESOURCE")
def test_oidc_resource_ignored_by_old_versions(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.env("HF_OIDC_RESOURCE", "alice/model")
    out = scenario.run(frontend)
    assert out.severity("oidc-token-active") == "info"
    assert out.data["token"]["source"] == "HF_TOKEN" and out.data["ok"] is True


# -- offline (V1, V4) -------------------------------------------------------------------------------------------


def test_transformers_offline_alone_is_offline(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.env("TRANSFORMERS_OFFLINE", "1")
    scenario.hub.clear_requests()
    out = scenario.run(frontend, "acme/anything")
    assert out.ids[0] == "offline-mode" and out.severity("offline-mode") == "error"
    assert scenario.hub.requests == []


def test_hf_hub_offline_zero_overrides_transformers_offline(scenario: Scenario) -> None:
    """huggingface_hub reads `HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE`: "0" is a non-empty string, so the
    library is online. Nothing is offline, and this fresh process did not import the library earlier."""
    scenario.env("HF_TOKEN", scenario.token())
    scenario.env("HF_HUB_OFFLINE", "0")
    scenario.env("TRANSFORMERS_OFFLINE", "1")
    scenario.hub.add_repo("acme/public-model")
    out = scenario.cli("acme/public-model")
    assert "access-ok" in out.ids
    assert "offline-mode" not in out.ids, out.finding("offline-mode")["title"]


# -- netrc (N1, N2, N4, N12) ------------------------------------------------------------------------------------


def _netrc_secret(scenario: Scenario, password: str = "stale-netrc-password") -> str:
    scenario.secrets.append(password)
    return password


def test_netrc_default_entry(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.netrc(f"default login nuser password {_netrc_secret(scenario)}\n")
    out = scenario.run(frontend)
    if REQUESTS_ERA:
        assert out.ids[0] == "netrc-overrides-token"
    else:
        assert "netrc-overrides-token" not in out.ids and out.severity("netrc-entry") == "warning"


def test_netrc_login_without_password(scenario: Scenario, frontend: str) -> None:
    """N2: login but no password still produces Basic(login:)."""
    scenario.env("HF_TOKEN", scenario.token())
    scenario.netrc("machine 127.0.0.1 login onlylogin\n")
    out = scenario.run(frontend)
    if REQUESTS_ERA:
        assert out.ids[0] == "netrc-overrides-token" and out.severity("netrc-overrides-token") == "error"
    else:
        assert "netrc-overrides-token" not in out.ids and "netrc-entry" in out.ids


def test_netrc_env_pointing_to_missing_file_disables_netrc_for_requests(
    scenario: Scenario, frontend: str
) -> None:
    """N2: NETRC, if set, is the only file requests consults; git still reads ~/.netrc (N7)."""
    scenario.env("HF_TOKEN", scenario.token())
    scenario.netrc(f"machine 127.0.0.1 login nuser password {_netrc_secret(scenario)}\n")
    scenario.env("NETRC", str(scenario.home / "no-such-netrc"))
    out = scenario.run(frontend)
    assert "netrc-overrides-token" not in out.ids
    assert out.severity("netrc-entry") == "warning"


def test_netrc_env_pointing_elsewhere(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    other = scenario.home / "work" / "netrc"
    other.parent.mkdir()
    other.write_text(f"machine 127.0.0.1 login nuser password {_netrc_secret(scenario)}\n")
    other.chmod(0o600)
    scenario.env("NETRC", str(other))
    out = scenario.run(frontend)
    if REQUESTS_ERA:
        assert out.ids[0] == "netrc-overrides-token"
        assert out.finding("netrc-overrides-token")["evidence"]["file"] == str(other)
    else:
        assert "netrc-overrides-token" not in out.ids


def test_netrc_stanza_commented_after_blank_line_is_live(scenario: Scenario, frontend: str) -> None:
    """N12: '# machine ...' after a blank line is parsed as a live entry."""
    scenario.env("HF_TOKEN", scenario.token())
    password = _netrc_secret(scenario)
    scenario.netrc(
        f"machine other.host login a password bbbbbb\n\n# machine 127.0.0.1 login x password {password}\n"
    )
    out = scenario.run(frontend)
    if REQUESTS_ERA:
        assert out.ids[0] == "netrc-overrides-token"
    else:
        assert "netrc-entry" in out.ids


def test_netrc_stanza_commented_inside_block_is_dead(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    password = _netrc_secret(scenario)
    scenario.netrc(
        f"machine other.host login a password bbbbbb\n# machine 127.0.0.1 login x password {password}\n"
    )
    out = scenario.run(frontend)
    assert "netrc-overrides-token" not in out.ids and "netrc-entry" not in out.ids


def test_netrc_without_any_token_still_overrides_on_requests(scenario: Scenario, frontend: str) -> None:
    """K7: requests sends netrc Basic even for anonymous calls, turning public downloads into 401."""
    scenario.netrc(f"machine 127.0.0.1 login nuser password {_netrc_secret(scenario)}\n")
    scenario.hub.add_repo("acme/public-model")
    out = scenario.run(frontend, "acme/public-model")
    if REQUESTS_ERA:
        assert out.ids[0] == "netrc-overrides-token"
    else:
        assert "access-ok" in out.ids and out.data["ok"] is True


# -- endpoint (V3, N6) ---------------------------------------------------------------------------------------


def test_endpoint_with_trailing_slash(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.env("HF_ENDPOINT", scenario.hub.url + "/")
    scenario.hub.add_repo("acme/public-model")
    out = scenario.run(frontend, "acme/public-model")
    assert "access-ok" in out.ids and out.data["ok"] is True
    assert out.data["target"]["endpoint"] == scenario.hub.url


def test_endpoint_with_userinfo_is_not_blamed_on_the_token(scenario: Scenario) -> None:
    """N6: userinfo in HF_ENDPOINT replaces the Bearer header with Basic. The token itself is valid."""
    token = scenario.token()
    scenario.env("HF_TOKEN", token)
    host = scenario.hub.url.split("://", 1)[1]
    password = _netrc_secret(scenario, "endpoint-password")
    scenario.env("HF_ENDPOINT", f"http://mirror-user:{password}@{host}")
    scenario.hub.add_repo("acme/public-model")
    out = scenario.cli("acme/public-model")
    # The token is valid; the engine must judge it on its own (design.md: each token validated on its own).
    assert "token-invalid" not in out.ids, out.data["verdict"]
    assert out.data["token"]["user"] == "alice"
    # What the library sends is Basic(mirror-user:...), so every real call fails: not ok, and the first
    # finding names the credentials in HF_ENDPOINT (not netrc, which is absent here).
    assert out.data["ok"] is False, out.data["verdict"]
    assert out.ids[0] == "endpoint-custom" and out.severity("endpoint-custom") == "error", out.ids
    assert "netrc" not in out.data["verdict"]


def test_endpoint_without_scheme_is_not_a_traceback(scenario: Scenario) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.env("HF_ENDPOINT", scenario.hub.url.split("://", 1)[1])
    out = scenario.cli("acme/public-model")
    assert out.data["schema"] == "hfauth/1"
    # A setting, named as such (issue 15): not "hub-unreachable ... a network problem".
    assert out.code == 1 and out.ids[0] == "endpoint-custom" and "hub-unreachable" not in out.ids
    assert "must start with https://" in out.finding("endpoint-custom")["title"]


# -- repo references, revisions -------------------------------------------------------------------------------


def test_repo_given_as_hub_url(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.hub.add_repo("acme/squad", repo_type="dataset")
    out = scenario.run(frontend, "https://huggingface.co/datasets/acme/squad")
    assert out.data["target"]["repo_type"] == "dataset" and out.data["target"]["repo_id"] == "acme/squad"
    assert "access-ok" in out.ids


def test_repo_url_with_tree_revision_that_does_not_exist(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.hub.add_repo("acme/public-model")
    out = scenario.run(frontend, "https://huggingface.co/acme/public-model/tree/v9")
    assert out.data["target"]["revision"] == "v9"
    assert out.ids[0] == "repo-not-found" and "access-ok" not in out.ids


def test_missing_revision_without_token(scenario: Scenario, frontend: str) -> None:
    scenario.hub.add_repo("acme/public-model")
    out = scenario.run(frontend, "acme/public-model", "--revision", "nope")
    assert out.ids[0] == "repo-not-found" and "nope" in out.data["verdict"]


# -- Hub faults -------------------------------------------------------------------------------------------------


def test_rate_limited_repo_endpoints(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.hub.add_repo("acme/public-model")
    scenario.hub.fail(r"^/api/models/", status=429)
    out = scenario.run(frontend, "acme/public-model")
    assert out.ids[0] == "rate-limited"
    assert not {"token-invalid", "repo-not-found", "access-denied", "hub-unreachable"} & set(out.ids)


def test_server_error_on_auth_check_only(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.hub.add_repo("acme/public-model")
    scenario.hub.fail(r"/auth-check", status=500)
    out = scenario.run(frontend, "acme/public-model")
    assert out.ids[0] == "hub-unreachable" and "token-invalid" not in out.ids


# -- git (G5, G7) -----------------------------------------------------------------------------------------------


def test_hanging_git_credential_helper_does_not_hang_or_blame_the_hub(scenario: Scenario) -> None:
    """G5: the helper runs under a timeout. A hanging helper must not eat the Hub probes' time budget:
    the loopback Hub answers in milliseconds, so it is not 'unreachable'."""
    scenario.env("HF_TOKEN", scenario.token())
    scenario.hub.add_repo("acme/public-model")
    subprocess.run(["git", "config", "--global", "credential.helper", "!sleep 30; :"], check=True)
    started = time.monotonic()
    out = scenario.cli("acme/public-model", "--timeout", "2")
    assert time.monotonic() - started < 15
    assert "hub-unreachable" not in out.ids, out.data["verdict"]
    assert "access-ok" in out.ids


def test_git_not_installed(scenario: Scenario, tmp_path: Path) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    scenario.env("PATH", str(empty))
    out = scenario.cli()
    assert out.data["environment"]["git"] is None
    assert not any(i.startswith("git-credential") for i in out.ids)
    assert out.code == 0


def test_git_cache_helper_without_daemon(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    subprocess.run(["git", "config", "--global", "credential.helper", "cache --timeout=5"], check=True)
    out = scenario.run(frontend)
    assert out.severity("git-credential-missing") == "info"
    assert out.data["ok"] is True


def test_git_credential_same_token_is_not_stale(scenario: Scenario, frontend: str) -> None:
    token = scenario.token()
    scenario.env("HF_TOKEN", token)
    scenario.git_store(token)
    out = scenario.run(frontend)
    assert not any(i.startswith("git-credential") for i in out.ids)


# -- JSON contract ----------------------------------------------------------------------------------------------


def test_json_contract_keys_and_exit_codes(scenario: Scenario) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.hub.add_repo("acme/public-model")
    ok = scenario.cli("acme/public-model")
    assert ok.code == 0 and ok.data["schema"] == "hfauth/1"
    assert {"schema", "ok", "verdict", "target", "token", "findings", "timings"} <= set(ok.data)
    assert set(ok.data["token"]) == {"source", "masked", "user", "role"}
    for finding in ok.data["findings"]:
        assert set(finding) == {"id", "severity", "title", "detail", "fix", "evidence"}
    bad = scenario.cli("acme/missing-model")
    assert bad.code == 1 and bad.data["ok"] is False
    usage = subprocess.run(
        [sys.executable, "-m", "hfauth_nb", "check", "acme/x", "--type", "bogus", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
    )
    assert usage.returncode == 2 and "Traceback" not in usage.stderr


def test_explain_keeps_credentials_in_hf_endpoint_as_the_cause(scenario: Scenario) -> None:
    """The URL inside the library's exception has no `user:password@`: explain() must still check the endpoint
    the library uses, with its credentials, or the cause (N6) disappears from the report."""
    from huggingface_hub import HfApi

    import hfauth_nb

    scenario.env("HF_TOKEN", scenario.token())
    host = scenario.hub.url.split("://", 1)[1]
    password = _netrc_secret(scenario, "endpoint-password")
    endpoint = f"http://mirror-user:{password}@{host}"
    scenario.env("HF_ENDPOINT", endpoint)
    scenario.hub.add_repo("acme/public-model", files={"config.json": "{}"})
    scenario._library_as_imported_now()
    try:  # (endpoint= as a kernel started with this HF_ENDPOINT has it)
        HfApi(endpoint=endpoint).model_info("acme/public-model")
    except Exception as exc:
        report = hfauth_nb.explain(exc, timeout=5)
    else:
        raise AssertionError("the library's call with Basic credentials in HF_ENDPOINT succeeded")
    assert report.findings[0].id == "endpoint-custom" and report.findings[0].severity == "error", report
    assert password not in repr(report) and password not in str(report.to_dict())
