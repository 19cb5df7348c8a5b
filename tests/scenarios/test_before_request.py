"""What happens before any request leaves: the installed library is asked (its own calls, in this test) and the
report must agree with it, through the CLI and the magic (issue 11, first class)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import huggingface_hub
import pytest
from huggingface_hub import HfApi, get_token, hf_hub_download

from tests.scenarios.conftest import Scenario

PUBLIC = "acme/public-model"


def _library_outcome(call: Callable[[], object]) -> BaseException | None:
    try:
        call()
    except Exception as exc:
        return exc
    return None


@pytest.mark.parametrize("letter", ["\u0430", "\u00e9"], ids=["cyrillic-a", "latin1-e-acute"])
def test_token_the_library_cannot_put_in_a_header(scenario: Scenario, frontend: str, letter: str) -> None:
    """A look-alike letter: httpx refuses anything but ASCII, requests anything outside latin-1. Whatever the
    installed library does (the oracle is its own call), the report must say the same."""
    scenario.hub.add_repo(PUBLIC, files={"config.json": "{}"})
    token = scenario.token()
    bad = token[:-1] + letter
    scenario.env("HF_TOKEN", bad)
    out = scenario.run(frontend, PUBLIC)
    finding = out.finding("token-malformed")
    assert out.ids[0] == "token-malformed" and out.data["ok"] is False

    scenario.hub.clear_requests()
    raised = _library_outcome(lambda: HfApi(endpoint=scenario.hub.url, token=bad).model_info(PUBLIC))
    carried = [r for r in scenario.hub.requests if r.auth_scheme is not None]
    text = finding["title"] + " " + finding["detail"]
    if isinstance(raised, UnicodeEncodeError):
        assert not carried, "the library sent nothing: the oracle itself is wrong"
        assert finding["evidence"]["request sent"] is False
        assert "cannot even be sent" in finding["title"] and "UnicodeEncodeError" in finding["detail"]
        assert "Hub rejects" not in text and "Hub will reject" not in text
    else:
        assert carried and raised is not None  # it went out and the Hub refused it
        assert finding["evidence"]["request sent"] is True
        assert "Hub rejects it" in finding["detail"] and "cannot even be sent" not in text


def test_directory_token_file_has_no_access_ok_next_to_it(
    scenario: Scenario, frontend: str, tmp_path: Path
) -> None:
    scenario.hub.add_repo(PUBLIC, files={"config.json": "{}"})
    scenario.token_path.mkdir(parents=True)
    out = scenario.run(frontend, PUBLIC)
    assert out.ids[0] == "token-file-unreadable" and out.data["ok"] is False
    assert "access-ok" not in out.ids, "the library's own calls raise before reading anything"
    # The oracle: the installed library's calls (as a kernel in this environment would make them) raise.
    with pytest.raises(IsADirectoryError):
        get_token()
    failure = _library_outcome(
        lambda: hf_hub_download(PUBLIC, "config.json", endpoint=scenario.hub.url, cache_dir=tmp_path / "c")
    )
    assert isinstance(failure, IsADirectoryError)


@pytest.mark.parametrize("default_holds_token", [True, False])
def test_hf_token_path_to_a_missing_file_is_why_no_token_was_found(
    scenario: Scenario, frontend: str, default_holds_token: bool
) -> None:
    scenario.hub.add_repo("meta-llama/Gated", gated="manual", files={"config.json": "{}"})
    token = scenario.token()
    if default_holds_token:
        scenario.token_file(token)
    missing = scenario.home / "secrets" / "hf-token"
    scenario.env("HF_TOKEN_PATH", str(missing))
    out = scenario.run(frontend, "meta-llama/Gated")
    finding = out.finding("no-token")
    assert out.ids[0] == "no-token"
    assert "HF_TOKEN_PATH" in finding["title"] and str(missing) in finding["title"]
    assert finding["evidence"]["HF_TOKEN_PATH"] == str(missing)
    default = str(scenario.token_path)
    if default_holds_token:
        assert default in finding["title"]
        assert finding["evidence"]["default file token"] == f"hf_...{token[-4:]}"
    else:
        assert finding["evidence"]["default file token"] is None
    assert any("unset HF_TOKEN_PATH" in step for step in finding["fix"])
    # The oracle: with the constants a kernel started here would have, the library finds no token.
    if frontend == "magic":
        assert str(missing) == huggingface_hub.constants.HF_TOKEN_PATH
        assert get_token() is None


def test_default_token_path_adds_nothing(scenario: Scenario, frontend: str) -> None:
    out = scenario.run(frontend)
    assert "HF_TOKEN_PATH" not in out.finding("no-token")["title"]


def test_non_ascii_token_offline_claims_no_hub_answer(scenario: Scenario, frontend: str) -> None:
    """Offline, nothing is probed: the report cannot say the Hub rejects a token no request carried."""
    scenario.env("HF_TOKEN", scenario.token()[:-1] + "\u0430")
    scenario.env("HF_HUB_OFFLINE", "1")
    out = scenario.run(frontend)
    finding = out.finding("token-malformed")
    assert "Hub rejects" not in finding["detail"] and "Hub will reject" not in finding["detail"]
    assert finding["evidence"]["request sent"] is None


def test_a_directory_token_file_is_shown_as_unreadable_not_unset(scenario: Scenario) -> None:
    from hfauth_nb import diagnose
    from hfauth_nb.render import html, text

    scenario.token_path.mkdir(parents=True)
    scenario._library_as_imported_now()
    report = diagnose(timeout=5)
    (row,) = [r for r in report.sources if r.name == "token file"]
    assert not row.present and row.shown == "cannot be read"
    assert "token file: cannot be read" in text.render(report)
    assert "cannot be read" in html.render(report)
