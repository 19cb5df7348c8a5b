"""The session token: set for this process only, restored or removed on forget, never kept in clear."""

from __future__ import annotations

import os

import pytest

from hfauth_nb import session
from hfauth_nb.secrets import mask


def test_use_then_forget_removes_a_variable_that_was_unset(canary: str) -> None:
    state = session.use(canary)
    assert os.environ["HF_TOKEN"] == canary
    assert state.active and state.masked == mask(canary) and not state.had_previous
    forgotten = session.forget()
    assert forgotten.outcome == "removed"
    assert "HF_TOKEN" not in os.environ
    assert not session.state().active


def test_a_pre_existing_hf_token_is_restored(canary: str, monkeypatch: pytest.MonkeyPatch) -> None:
    before = "hf_" + "Previous" * 4 + "ab"
    monkeypatch.setenv("HF_TOKEN", before)
    state = session.use(canary)
    assert state.had_previous and state.replaced == mask(before)
    session.use(canary[::-1])  # a second token: Forget still goes back to the value before the first
    forgotten = session.forget()
    assert forgotten.outcome == "restored"
    assert os.environ["HF_TOKEN"] == before
    assert before not in forgotten.message and canary not in forgotten.message


def test_a_value_changed_by_someone_else_is_left_alone(canary: str) -> None:
    session.use(canary)
    os.environ["HF_TOKEN"] = "changed-by-the-user"
    assert not session.state().active
    forgotten = session.forget()
    assert forgotten.outcome == "changed"
    assert os.environ["HF_TOKEN"] == "changed-by-the-user"


def test_forget_without_a_session_token_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", "hf_" + "Outside" * 4 + "abcdef")
    forgotten = session.forget()
    assert forgotten.outcome == "none"
    assert "hf_...cdef" in forgotten.message and "Outside" not in forgotten.message
    assert os.environ["HF_TOKEN"].startswith("hf_Outside")


def test_the_module_keeps_a_hash_not_the_token(canary: str) -> None:
    session.use(canary)
    kept = vars(session._saved)
    assert canary not in repr(kept) and canary not in kept.values()


@pytest.mark.parametrize("bad", ["", "  hf_x", "hf_x\n"])
def test_only_cleaned_tokens_are_accepted(bad: str) -> None:
    with pytest.raises(ValueError):
        session.use(bad)
    assert "HF_TOKEN" not in os.environ
