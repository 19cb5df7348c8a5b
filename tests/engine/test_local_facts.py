"""Local fact gathering against real files, real git and the installed huggingface_hub (no network)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import huggingface_hub
import pytest
from huggingface_hub import constants

from hfauth_nb.engine import library
from hfauth_nb.engine.git_facts import gather_git
from hfauth_nb.engine.netrc_facts import gather_netrc
from hfauth_nb.engine.observe import observe_authorization
from hfauth_nb.engine.sources import gather_tokens

TOKEN_A = "hf_" + "A" * 30 + "wxyz"
TOKEN_B = "hf_" + "B" * 30 + "wxyz"
REQUESTS_ERA = huggingface_hub.__version__.startswith("0.")


@pytest.fixture()
def token_path(isolated_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The library froze its token path at import: point it into the temporary HOME, as a fresh import would."""
    path = isolated_home / ".cache" / "huggingface" / "token"
    monkeypatch.setattr(constants, "HF_TOKEN_PATH", str(path))
    monkeypatch.setattr(constants, "HF_STORED_TOKENS_PATH", str(path.parent / "stored_tokens"), raising=False)
    return path


def test_env_token_wins_over_file_as_the_library_decides(
    token_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    token_path.parent.mkdir(parents=True)
    token_path.write_text(TOKEN_B + "\n")
    monkeypatch.setenv("HF_TOKEN", f"  {TOKEN_A}\r\n")
    facts = gather_tokens(library.load_library())
    assert facts.resolution.winner is not None and facts.resolution.winner.name == "HF_TOKEN"
    assert facts.effective == TOKEN_A  # cleaned by the library's own cleaner
    assert facts.resolution.decided_by == "get_token()"
    assert facts.source("token file").value == TOKEN_B  # type: ignore[union-attr]


def test_blank_hf_token_skips_the_legacy_variable(token_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fact T8: HF_TOKEN='   ' is truthy, cleans to nothing, and the lookup jumps to the token file."""
    token_path.parent.mkdir(parents=True)
    token_path.write_text(TOKEN_B)
    monkeypatch.setenv("HF_TOKEN", "   ")
    monkeypatch.setenv("HUGGING_FACE_HUB_TOKEN", TOKEN_A)
    facts = gather_tokens(library.load_library())
    assert facts.resolution.winner is not None and facts.resolution.winner.name == "token file"
    assert facts.source("HF_TOKEN").state == "blank"  # type: ignore[union-attr]


def test_unreadable_token_file_is_reported_not_raised(token_path: Path) -> None:
    token_path.mkdir(parents=True)  # a directory where the file should be
    facts = gather_tokens(library.load_library())
    source = facts.source("token file")
    assert source is not None and source.state == "unreadable"
    assert facts.resolution.blocked and "cannot be read" in facts.resolution.blocked


def test_order_is_read_from_the_library_code() -> None:
    facts = library.load_library()
    assert facts.order_from == "get_token() code"
    if library.version_tuple(facts.version) >= (1, 19, 0):
        assert facts.order == ("oidc", "env", "file", "colab")
    else:
        assert facts.order == ("colab", "env", "file")


def test_netrc_commented_stanza_after_blank_line_is_live(isolated_home: Path) -> None:
    """Fact N12: the stdlib parser decides, and it reads this '# machine' line as an entry."""
    netrc = isolated_home / ".netrc"
    netrc.write_text(
        "machine example.com login a password b\n\n# machine huggingface.co login x password y\n"
    )
    netrc.chmod(0o600)
    facts = gather_netrc("huggingface.co")
    entries = facts.entries
    assert len(entries) == 1
    netrc_file, entry = entries[0]
    assert entry.machine == "huggingface.co" and entry.login == "x"
    assert "git" in netrc_file.used_by and any("requests" in u for u in netrc_file.used_by)


def test_netrc_default_entry_matches_every_host(isolated_home: Path) -> None:
    (isolated_home / ".netrc").write_text("default login anyone password secret-pw\n")
    ((_, entry),) = gather_netrc("huggingface.co").entries
    assert entry.is_default and entry.password == "secret-pw"


def test_netrc_env_var_points_requests_elsewhere(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (isolated_home / ".netrc").write_text("machine huggingface.co login a password b\n")
    other = isolated_home / "custom-netrc"
    other.write_text("machine huggingface.co login c password d\n")
    monkeypatch.setenv("NETRC", str(other))
    facts = gather_netrc("huggingface.co")
    users = {f.path: f.used_by for f in facts.files}
    assert any("requests" in u for u in users[str(other)])
    assert users[str(isolated_home / ".netrc")] == ("git", "git-lfs")


def test_netrc_parse_error_and_unsafe_mode(isolated_home: Path) -> None:
    netrc = isolated_home / ".netrc"
    netrc.write_text("machine huggingface.co login a password b extra junk\n")  # unknown token: parse error
    netrc.chmod(0o644)
    (item,) = gather_netrc("huggingface.co").files
    assert item.error and "parse error" in item.error and item.unsafe_mode == "0644"


@pytest.mark.parametrize("with_netrc", [True, False])
def test_observed_header_shows_the_netrc_override_on_requests_only(
    isolated_home: Path, with_netrc: bool
) -> None:
    if with_netrc:
        (isolated_home / ".netrc").write_text("machine huggingface.co login nuser password npass\n")
    observed = observe_authorization("https://huggingface.co/api/whoami-v2", TOKEN_A)
    if with_netrc and REQUESTS_ERA:
        assert (
            observed.scheme == "Basic"
            and observed.basic_login == "nuser"
            and observed.basic_password == "npass"
        )
    else:
        assert observed.scheme == "Bearer" and observed.carries_token


def _git(home: Path, *args: str, stdin: str = "") -> None:
    subprocess.run(["git", *args], input=stdin, text=True, check=True, capture_output=True, env=os.environ)


def test_git_store_helper_credential_is_read_without_prompting(isolated_home: Path) -> None:
    _git(isolated_home, "config", "--global", "credential.helper", "store")
    (isolated_home / ".git-credentials").write_text(f"https://hf_user:{TOKEN_A}@huggingface.co\n")
    facts = gather_git("https://huggingface.co")
    assert facts.available and facts.helpers == ("store",)
    assert facts.username == "hf_user" and facts.password == TOKEN_A
    # Reading never erases (fact G7): the stored line is still there.
    assert TOKEN_A in (isolated_home / ".git-credentials").read_text()


def test_git_without_helper_reports_missing_and_cannot_prompt(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    askpass = isolated_home / "askpass.sh"
    askpass.write_text('#!/bin/sh\necho PROMPTED >> "$HOME/prompted"\necho answer\n')
    askpass.chmod(0o755)
    monkeypatch.setenv("GIT_ASKPASS", str(askpass))
    monkeypatch.setenv("SSH_ASKPASS", str(askpass))
    facts = gather_git("https://huggingface.co", timeout=5)
    assert facts.available and facts.password is None
    assert not (isolated_home / "prompted").exists()


def test_git_missing_binary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    facts = gather_git("https://huggingface.co")
    assert not facts.available and facts.error == "git is not installed"


@pytest.mark.parametrize("value", ["1", "true", "YES", "On", " 1", "1 ", "\t1", "0", "", "no", "off"])
def test_flag_truthiness_is_the_librarys_own(value: str) -> None:
    from hfauth_nb.engine.runtime import is_true

    assert is_true(value) == constants._is_true(value)


def test_an_empty_netrc_variable_turns_requests_netrc_off(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """requests treats NETRC="" as set: it consults that (empty) path only, so ~/.netrc is git's alone."""
    requests_utils = pytest.importorskip("requests.utils")
    (isolated_home / ".netrc").write_text("machine huggingface.co login a password b\n")
    monkeypatch.setenv("NETRC", "")
    assert requests_utils.get_netrc_auth("https://huggingface.co/api/whoami-v2") is None
    (item,) = gather_netrc("huggingface.co").files
    assert not any("requests" in user for user in item.used_by)


def test_a_crlf_netrc_reads_as_pythons_netrc_reads_it(isolated_home: Path) -> None:
    """netrc.netrc() opens the file in text mode (universal newlines): a comment after a CRLF stanza is a comment."""
    import netrc

    path = isolated_home / ".netrc"
    lines = ["machine github.com login a password b", "machine huggingface.co", "  login n", "  password p"]
    path.write_bytes(
        ("\r\n".join([*lines, "# Hugging Face", "machine example.org login x password y"]) + "\r\n").encode()
    )
    path.chmod(0o600)
    ((_, entry),) = gather_netrc("huggingface.co").entries
    oracle = netrc.netrc(str(path)).authenticators("huggingface.co")
    assert oracle is not None and (entry.login, entry.password) == (oracle[0], oracle[2])
