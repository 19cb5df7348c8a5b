"""The engine's door (`engine.api`) against the installed library, a temporary HOME and the loopback Hub.

The library is the judge: the effective token is compared with what its own `get_token()` returns.
"""

from __future__ import annotations

import os
from pathlib import Path

import huggingface_hub
import pytest
from huggingface_hub import constants

from hfauth_nb.engine import api
from hfauth_nb.engine.report import Report, Target, TokenSummary
from hfauth_nb.testing import FakeHub

ENV_TOKEN = "hf_" + "abcdefghij" * 3 + "wxyz"
FILE_TOKEN = "hf_" + "klmnopqrst" * 3 + "abcd"


def _library_get_token() -> str | None:
    from huggingface_hub.utils import get_token

    return get_token()


def _token_file(value: str) -> Path:
    path = Path(constants.HF_TOKEN_PATH)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(value)
    return path


@pytest.mark.parametrize(
    ("env", "file"),
    [
        (ENV_TOKEN, FILE_TOKEN),
        (None, FILE_TOKEN),
        (f"  {ENV_TOKEN}\n", None),
        ("   ", FILE_TOKEN),
        (None, None),
    ],
)
def test_the_effective_token_is_the_one_get_token_returns(
    env: str | None, file: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if env is not None:
        monkeypatch.setenv("HF_TOKEN", env)
    if file is not None:
        _token_file(file)
    assert api.effective_token() == _library_get_token()


def test_the_token_order_is_the_librarys() -> None:
    order = api.token_order()
    assert set(order) <= {"oidc", "env", "file", "colab"}
    assert order.index("env") < order.index("file")  # what get_token() does with both set (test above)


def test_clean_token_is_the_librarys_cleaner() -> None:
    assert api.clean_token(f" {ENV_TOKEN}\r\n") == ENV_TOKEN
    assert api.clean_token("  \n") is None


def test_whoami_asks_the_hub_once_per_token() -> None:
    with FakeHub() as hub:
        hub.add_user("alice")
        token = hub.add_token("alice", role="write")
        answer = api.whoami(hub.url, token, timeout=5)
        assert answer is not None and answer.valid and answer.user == "alice"
        rejected = api.whoami(hub.url, FILE_TOKEN, timeout=5)
        assert rejected is not None and rejected.valid is False


def test_the_library_endpoint_never_carries_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(constants, "ENDPOINT", "https://user:pass-word@mirror.example/")
    assert api.library_endpoint() == "https://mirror.example"


def test_known_credentials_name_every_source_and_store(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HF_TOKEN", ENV_TOKEN)
    token_file = _token_file(FILE_TOKEN)
    netrc = Path(os.environ["HOME"]) / ".netrc"
    netrc.write_text("machine huggingface.co login hf password hf_" + "uvwxyzabcd" * 3 + "efgh\n")
    netrc.chmod(0o600)
    known = api.known_credentials()
    assert known.endpoint == "https://huggingface.co"
    assert known.tokens[ENV_TOKEN] == ("HF_TOKEN",)
    assert known.tokens[FILE_TOKEN] == ("token file",)
    assert known.tokens["hf_" + "uvwxyzabcd" * 3 + "efgh"] == (f"netrc ({netrc})",)
    assert {os.path.realpath(token_file), os.path.realpath(netrc)} <= known.stores
    assert {ENV_TOKEN, FILE_TOKEN} <= known.secrets
    assert ENV_TOKEN not in repr(known) and FILE_TOKEN not in repr(known)


def test_the_blocker_needs_the_engines_precedence_facts() -> None:
    hand_made = Report(target=Target(), token=TokenSummary(source="token file"), findings=[])
    assert api.hf_token_blocker(hand_made) is None


def test_a_diagnosis_carries_its_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setenv("HF_TOKEN", "   ")
    _token_file(FILE_TOKEN)
    report = api.diagnose(timeout=5)
    assert report.precedence is not None
    assert report.precedence.order == api.token_order()
    assert report.precedence.winner == "token file" == report.token.source
    assert report.precedence.version == huggingface_hub.__version__
    blocker = api.hf_token_blocker(report)
    if "colab" in report.precedence.before("env"):  # before 1.19 the Colab secret is read before HF_TOKEN
        assert blocker is not None and "a Colab secret named HF_TOKEN, if this notebook has access" in blocker
    else:
        assert (
            blocker
            == f"HF_TOKEN is set, but huggingface_hub {huggingface_hub.__version__} uses token file instead."
        )
    assert "precedence" not in report.to_dict()  # a Python field only: the JSON is unchanged


def test_find_failed_request_reads_the_exception_chain() -> None:
    try:
        try:
            raise ValueError("https://huggingface.co/org/name/resolve/main/config.json 401")
        except ValueError as inner:
            raise RuntimeError("wrapped") from inner
    except RuntimeError as outer:
        found = api.find_failed_request(outer)
    assert found is not None and found.repo_id == "org/name" and found.filename == "config.json"
    assert api.find_failed_request(ZeroDivisionError("x")) is None


def test_host_of_is_what_netrc_and_git_match() -> None:
    assert api.host_of("https://user:pw@Mirror.Example:8443/hub") == "mirror.example"
