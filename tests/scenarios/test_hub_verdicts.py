"""Hub verdicts end to end: the loopback Hub answers like the real one, both front ends judge."""

from __future__ import annotations

import pytest

from tests.scenarios.conftest import Scenario


def _gated(scenario: Scenario, repo: str = "meta-llama/Meta-Llama-3-8B", state: str | None = None) -> str:
    scenario.hub.add_repo(repo, gated="manual")
    if state:
        scenario.hub.set_access(repo, "alice", state)
    return repo


def test_access_ok(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    repo = _gated(scenario, state="accepted")
    out = scenario.run(frontend, repo)
    assert out.severity("access-ok") == "ok" and out.data["ok"] is True
    assert out.data["token"]["user"] == "alice" and out.data["token"]["role"] == "read"
    assert out.code in (0, None)


def test_gated_401_without_token_is_no_token(scenario: Scenario, frontend: str) -> None:
    repo = _gated(scenario)
    out = scenario.run(frontend, repo)
    assert out.ids[0] == "no-token" and out.severity("no-token") == "error"
    assert "gated" in out.data["verdict"]


@pytest.mark.parametrize(
    ("state", "finding_id"),
    [(None, "gated-not-requested"), ("pending", "gated-pending"), ("rejected", "gated-rejected")],
)
def test_gated_403_states(scenario: Scenario, frontend: str, state: str | None, finding_id: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    repo = _gated(scenario, state=state)
    out = scenario.run(frontend, repo)
    assert out.ids[0] == finding_id and out.severity(finding_id) == "error"
    if finding_id == "gated-not-requested":
        assert f"{scenario.hub.url}/{repo}" in out.data["verdict"]


def test_fine_grained_without_gated_access_plain_403(scenario: Scenario, frontend: str) -> None:
    token = scenario.token(role="fineGrained", can_read_gated=False, scoped=[])
    scenario.env("HF_TOKEN", token)
    repo = _gated(scenario, state="accepted")
    out = scenario.run(frontend, repo)
    assert out.ids[0] == "fine-grained-no-gated"


def test_token_invalid_names_its_source(scenario: Scenario, frontend: str) -> None:
    token = scenario.token()
    scenario.hub.revoke(token)
    scenario.token_file(token)
    out = scenario.run(frontend, "acme/public")
    finding = out.finding("token-invalid")
    assert finding["evidence"]["source"] == "token file" and "token file" in finding["title"]
    assert out.ids[0] == "token-invalid"


def test_revoked_env_token_shadows_valid_file_token(scenario: Scenario, frontend: str) -> None:
    bad, good = scenario.token(), scenario.token(role="write")
    scenario.hub.revoke(bad)
    scenario.env("HF_TOKEN", bad)
    scenario.token_file(good)
    out = scenario.run(frontend)
    finding = out.finding("token-shadowed")
    assert finding["severity"] == "error"
    assert "HF_TOKEN" in finding["title"] and "token file" in finding["title"]
    assert {"token-invalid", "token-shadowed"} <= set(out.ids)


def test_shadowed_token_would_have_access(scenario: Scenario, frontend: str) -> None:
    read, write = scenario.token(), scenario.token(role="write")
    scenario.hub.add_repo("alice/mine")
    scenario.env("HF_TOKEN", read)
    scenario.token_file(write)
    out = scenario.run(frontend, "alice/mine", "--write")
    assert out.severity("token-shadowed") == "error"
    assert out.severity("token-read-only") == "error"


def test_anonymous_401_private_vs_token_404(scenario: Scenario, frontend: str) -> None:
    scenario.hub.add_repo("acme/secret", private=True)
    anonymous = scenario.run(frontend, "acme/secret")
    assert anonymous.ids[0] == "no-token" and "repo-not-found" in anonymous.ids
    scenario.hub.add_user("bob")
    scenario.env("HF_TOKEN", scenario.token("bob"))
    with_token = scenario.run(frontend, "acme/secret")
    assert with_token.ids[0] == "repo-not-found" and "no-token" not in with_token.ids


def test_repo_type_mismatch(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.hub.add_repo("acme/squad", repo_type="dataset")
    out = scenario.run(frontend, "acme/squad")
    assert out.ids[0] == "repo-type-mismatch"
    assert out.finding("repo-type-mismatch")["evidence"]["exists as"] == ["dataset"]


def test_repo_not_found_typo(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    out = scenario.run(frontend, "meta-lama/Llama-3")
    assert out.ids[0] == "repo-not-found"


def test_repo_disabled(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.hub.add_repo("acme/gone", disabled=True)
    out = scenario.run(frontend, "acme/gone")
    assert out.ids[0] == "repo-disabled"


def test_token_read_only(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token(role="read"))
    scenario.hub.add_repo("alice/mine")
    out = scenario.run(frontend, "alice/mine", "--write")
    assert out.ids[0] == "token-read-only"


def test_org_role_insufficient(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token(role="write"))
    scenario.hub.add_repo("acme/model")
    out = scenario.run(frontend, "acme/model", "--write")
    assert out.ids[0] == "org-role-insufficient"


def test_namespace_not_owned(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token(role="write"))
    out = scenario.run(frontend, "tutorial-author/my-finetune", "--write")
    assert out.ids[0] == "namespace-not-owned"


def test_fine_grained_scope_missing(scenario: Scenario, frontend: str) -> None:
    token = scenario.token(
        role="fineGrained",
        scoped=[
            {"entity": {"type": "user", "name": "alice"}, "permissions": ["repo.content.read", "repo.write"]}
        ],
    )
    scenario.env("HF_TOKEN", token)
    scenario.hub.add_repo("writers/model")
    out = scenario.run(frontend, "writers/model", "--write")
    assert out.ids[0] == "fine-grained-scope-missing"


def test_write_ok_for_org_writer(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token(role="write"))
    scenario.hub.add_repo("writers/model")
    out = scenario.run(frontend, "writers/model", "--write")
    assert out.ids[-1] == "access-ok" and out.data["ok"] is True


def test_rate_limited_whoami_is_not_a_bad_token(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.hub.fail(r"^/api/whoami-v2", status=429)
    out = scenario.run(frontend)
    assert out.severity("rate-limited") == "warning"
    assert "token-invalid" not in out.ids
    assert "55" in out.finding("rate-limited")["title"]


def test_server_error_is_unreachable_not_auth(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.hub.fail(r".*", status=500)
    out = scenario.run(frontend, "acme/any")
    assert out.ids[0] == "hub-unreachable" and "token-invalid" not in out.ids


def test_refused_connection_is_named(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.hub.stop()
    out = scenario.run(frontend, "acme/any")
    finding = out.finding("hub-unreachable")
    assert finding["evidence"]["kind"] == "refused"


def test_git_credential_rejected_by_hub(scenario: Scenario, frontend: str) -> None:
    current, old = scenario.token(), scenario.token()
    scenario.hub.revoke(old)
    scenario.env("HF_TOKEN", current)
    scenario.git_store(old)
    out = scenario.run(frontend)
    assert out.finding("git-credential-stale")["evidence"]["rejected by the Hub"] is True


def test_stalled_hub_is_reported_not_waited_for(scenario: Scenario) -> None:
    """The library's 2.x client has timeout=None; the check must still end (its speed is in bench/)."""
    scenario.env("HF_TOKEN", scenario.token())
    scenario.hub.fail(r".*", status="stall")
    out = scenario.cli("acme/any", "--timeout", "2")  # cli() gives up (and fails) after 60 s
    assert out.finding("hub-unreachable")["evidence"]["kind"] == "timeout"
    assert "no answer within" in out.finding("hub-unreachable")["evidence"]["error"]


def test_whoami_once_per_token_per_session(scenario: Scenario) -> None:
    token, other = scenario.token(), scenario.token(role="write")
    scenario.env("HF_TOKEN", token)
    scenario.token_file(other)
    repo = _gated(scenario, state="accepted")
    scenario.magic(repo)  # one kernel session, in which the check runs twice (JSON, then text)
    assert scenario.hub.whoami_calls(token) == 1 and scenario.hub.whoami_calls(other) == 1
    assert all(r.path != "/api/whoami" for r in scenario.hub.requests)  # never the legacy v1 endpoint


def test_probes_are_in_flight_together(scenario: Scenario) -> None:
    """Every request of a check overlaps every other on the server: none waited for another's answer."""
    scenario.env("HF_TOKEN", scenario.token())
    repo = _gated(scenario, state="accepted")
    scenario.hub.latency = 1.0
    from hfauth_nb.engine.diagnose import diagnose

    report = diagnose(repo, endpoint=scenario.hub.url, timeout=10)
    assert report.ok
    requests = scenario.hub.requests
    assert len(requests) >= 5
    assert max(r.started for r in requests) < min(r.finished for r in requests)


def test_dead_proxy_is_named(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.env("HTTP_PROXY", "http://user:proxy-secret@127.0.0.1:9")
    scenario.secrets.append("proxy-secret")
    out = scenario.run(frontend, "acme/any")
    finding = out.finding("hub-unreachable")
    assert finding["evidence"]["kind"] == "proxy"
    assert "proxy at http://127.0.0.1:9 from HTTP_PROXY" in out.data["verdict"]


def test_no_proxy_bypass_is_honoured(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.env("HTTP_PROXY", "http://127.0.0.1:9")
    scenario.env("NO_PROXY", "127.0.0.1")
    out = scenario.run(frontend)
    assert "hub-unreachable" not in out.ids


@pytest.mark.parametrize(("state", "finding_id"), [("accepted", "access-ok"), ("pending", "gated-pending")])
def test_server_without_auth_check_route_falls_back_to_resolve(
    scenario: Scenario, frontend: str, state: str, finding_id: str
) -> None:
    """A mirror or older private Hub without /auth-check: reads are judged through /resolve/ instead."""
    scenario.env("HF_TOKEN", scenario.token())
    scenario.hub.add_repo("meta-llama/Mirror", gated="manual", files={"config.json": "{}"})
    scenario.hub.set_access("meta-llama/Mirror", "alice", state)
    scenario.hub.fail(r"/auth-check", status=404)
    out = scenario.run(frontend, "meta-llama/Mirror")
    assert finding_id in out.ids and "repo-not-found" not in out.ids
    assert any("/resolve/main/config.json" in r.path for r in scenario.hub.requests)


def test_missing_revision(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.hub.add_repo("acme/public-model")
    out = scenario.run(frontend, "acme/public-model", "--revision", "v9.9")
    assert out.ids[0] == "repo-not-found" and "v9.9" in out.data["verdict"]
    assert "access-ok" not in out.ids


def test_invalid_token_recognised_from_the_repo_answer_when_whoami_is_rate_limited(
    scenario: Scenario, frontend: str
) -> None:
    token = scenario.token()
    scenario.hub.revoke(token)
    scenario.env("HF_TOKEN", token)
    scenario.hub.add_repo("acme/public-model")
    scenario.hub.fail(r"^/api/whoami-v2", status=429)
    out = scenario.run(frontend, "acme/public-model")
    assert {"token-invalid", "rate-limited"} <= set(out.ids)
    assert out.ids[0] == "token-invalid"


def test_whoami_server_error_does_not_hide_a_clear_repo_answer(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    repo = _gated(scenario)
    scenario.hub.fail(r"^/api/whoami-v2", status=500)
    out = scenario.run(frontend, repo)
    assert out.ids[0] == "gated-not-requested"
    assert out.severity("hub-unreachable") == "warning"
