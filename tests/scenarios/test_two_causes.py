"""Two causes at once (issue 11): the winning token is revoked and a valid token is shadowed; the report also says
what the shadowed token would meet, from the answers the probe already has for it."""

from __future__ import annotations

import pytest
from huggingface_hub import HfApi

from tests.scenarios.conftest import Scenario

GATED = "meta-llama/Gated"


def _revoked_env_over_valid_file(scenario: Scenario, role: str = "read") -> str:
    revoked = scenario.token()
    scenario.hub.revoke(revoked)
    scenario.env("HF_TOKEN", revoked)
    valid = scenario.token(role=role)
    scenario.token_file(valid)
    return valid


@pytest.mark.parametrize(
    ("access", "second"),
    [("pending", "gated-pending"), (None, "gated-not-requested"), ("rejected", "gated-rejected")],
)
def test_shadowed_token_would_meet_the_gate(
    scenario: Scenario, frontend: str, access: str | None, second: str
) -> None:
    scenario.hub.add_repo(GATED, gated="manual", files={"config.json": "{}"})
    scenario.hub.set_access(GATED, "alice", access)
    valid = _revoked_env_over_valid_file(scenario)
    out = scenario.run(frontend, GATED)
    assert out.ids[0] == "token-shadowed"
    assert second in out.ids, out.ids
    after = out.finding(second)
    assert "token file" in after["title"] and after["evidence"]["after fixing"] == "token-shadowed"
    assert out.finding("token-shadowed")["evidence"]["with the shadowed token"] == [second]
    assert second in out.finding("token-shadowed")["detail"]
    # The oracle: the library's own call with the shadowed token meets exactly that gate.
    with pytest.raises(Exception) as caught:
        HfApi(endpoint=scenario.hub.url, token=valid).auth_check(GATED)
    assert type(caught.value).__name__ == "GatedRepoError"


def test_shadowed_read_token_for_a_write(scenario: Scenario, frontend: str) -> None:
    scenario.hub.add_repo("alice/mine", files={"config.json": "{}"})
    _revoked_env_over_valid_file(scenario, role="read")
    out = scenario.run(frontend, "alice/mine", "--write")
    assert out.ids[0] == "token-shadowed"
    assert "token-read-only" in out.ids
    assert out.finding("token-read-only")["evidence"]["after fixing"] == "token-shadowed"


def test_shadowed_token_that_would_work_adds_nothing(scenario: Scenario, frontend: str) -> None:
    scenario.hub.add_repo(GATED, gated="manual", files={"config.json": "{}"})
    scenario.hub.set_access(GATED, "alice", "accepted")
    _revoked_env_over_valid_file(scenario)
    out = scenario.run(frontend, GATED)
    assert out.ids[0] == "token-shadowed"
    assert not any(f["evidence"].get("after fixing") for f in out.data["findings"])
    assert "access-ok" not in out.ids
