"""A mirror or private endpoint without the whoami / auth-check routes that refuses the token (issue 11): a 401
that names the credentials is never "No problem found"; the same request without the token is the comparison."""

from __future__ import annotations

import pytest
from huggingface_hub import HfApi

from tests.scenarios.conftest import Scenario

PUBLIC = "acme/public-model"
MISSING_ROUTES = {
    "no-whoami-no-auth-check": (r"^/api/whoami-v2", r"/auth-check"),
    "no-whoami-no-auth-check-no-resolve": (r"^/api/whoami-v2", r"/auth-check", r"/resolve/"),
}


def _mirror(scenario: Scenario, routes: tuple[str, ...]) -> None:
    scenario.hub.add_repo(PUBLIC, files={"config.json": "{}"})
    for route in routes:
        scenario.hub.fail(route, status=404)  # 404 without X-Error-Code: the server lacks the route


@pytest.mark.parametrize("routes", MISSING_ROUTES.values(), ids=MISSING_ROUTES.keys())
@pytest.mark.parametrize("write", [False, True], ids=["read", "write"])
def test_refused_token_on_a_mirror_is_an_error(
    scenario: Scenario, frontend: str, routes: tuple[str, ...], write: bool
) -> None:
    _mirror(scenario, routes)
    token = scenario.token(role="write")
    scenario.hub.revoke(token)
    scenario.env("HF_TOKEN", token)
    out = scenario.run(frontend, PUBLIC, *(["--write"] if write else []))
    assert out.data["ok"] is False and out.ids[0] == "token-invalid"
    assert "No problem found" not in out.data["verdict"]
    evidence = out.finding("token-invalid")["evidence"]
    assert evidence["same request without a token"] == 200
    assert "access-ok" not in out.ids
    # The oracle: the library's own call carries the token and fails with 401; without the token it works.
    with pytest.raises(Exception) as caught:
        HfApi(endpoint=scenario.hub.url, token=token).model_info(PUBLIC)
    assert getattr(getattr(caught.value, "response", None), "status_code", None) == 401
    assert HfApi(endpoint=scenario.hub.url, token=False).model_info(PUBLIC).id == PUBLIC


def test_valid_token_on_the_same_mirror_stays_ok(scenario: Scenario, frontend: str) -> None:
    _mirror(scenario, MISSING_ROUTES["no-whoami-no-auth-check"])
    scenario.env("HF_TOKEN", scenario.token())
    out = scenario.run(frontend, PUBLIC)
    assert out.data["ok"] is True and "token-invalid" not in out.ids and "access-ok" in out.ids


def test_token_alone_on_a_mirror_without_whoami_is_not_called_fine(scenario: Scenario, frontend: str) -> None:
    _mirror(scenario, (r"^/api/whoami-v2",))
    token = scenario.token()
    scenario.hub.revoke(token)
    scenario.env("HF_TOKEN", token)
    out = scenario.run(frontend)
    assert "No problem found" not in out.data["verdict"]
    assert "could not be checked" in out.data["verdict"]
