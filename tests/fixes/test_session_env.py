"""Environment fixes: which variables change for which finding, and that every change can be undone."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from hfauth_nb.engine.causes import EnvVarCause, env_var_cause
from hfauth_nb.engine.report import Finding
from hfauth_nb.fixes import session_env
from hfauth_nb.fixes.session_env import EnvChange, changes_for, python_line, shell_lines

A, B = "tokenA-" + "x" * 8, "tokenB-" + "y" * 8


@pytest.fixture(autouse=True)
def empty_journal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_env, "_JOURNAL", [])


def _finding(finding_id: str, source: str | None = None, winner: str | None = None) -> Finding:
    """A finding as the checks build it: an environment-variable source carries its typed cause."""
    name = winner or source
    kind = "env" if name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN") else "file"
    cause = (
        EnvVarCause("HUGGING_FACE_HUB_TOKEN", legacy=True)
        if finding_id == "legacy-env-var"
        else env_var_cause(SimpleNamespace(kind=kind, name=name))
        if name
        else None
    )
    return Finding(finding_id, "error", "t", evidence={"source": name}, cause=cause)


def test_invalid_token_from_hf_token_unsets_it() -> None:
    changes = changes_for(_finding("token-invalid", source="HF_TOKEN"), {"HF_TOKEN": A})
    assert [(c.name, c.after) for c in changes] == [("HF_TOKEN", None)]
    assert shell_lines(changes) == ("unset HF_TOKEN",)


def test_the_legacy_twin_of_a_bad_hf_token_goes_too() -> None:
    env = {"HF_TOKEN": A, "HUGGING_FACE_HUB_TOKEN": A + "\n"}
    changes = changes_for(_finding("token-invalid", source="HF_TOKEN"), env)
    assert [c.name for c in changes] == ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"]


def test_shadowing_env_var_is_unset() -> None:
    changes = changes_for(
        _finding("token-shadowed", winner="HUGGING_FACE_HUB_TOKEN"), {"HUGGING_FACE_HUB_TOKEN": A}
    )
    assert [(c.name, c.after) for c in changes] == [("HUGGING_FACE_HUB_TOKEN", None)]


def test_a_token_file_or_colab_cause_is_not_an_environment_change() -> None:
    assert changes_for(_finding("token-invalid", source="token file"), {}) == ()
    assert changes_for(_finding("token-shadowed", winner="Colab secret"), {"HF_TOKEN": A}) == ()
    assert changes_for(_finding("token-invalid", source="HF_TOKEN"), {}) == ()  # already gone


def test_legacy_alone_is_renamed_without_writing_the_value_anywhere() -> None:
    changes = changes_for(_finding("legacy-env-var"), {"HUGGING_FACE_HUB_TOKEN": A})
    assert [(c.name, c.after) for c in changes] == [("HF_TOKEN", A), ("HUGGING_FACE_HUB_TOKEN", None)]
    assert shell_lines(changes) == (
        'export HF_TOKEN="$HUGGING_FACE_HUB_TOKEN"',
        "unset HUGGING_FACE_HUB_TOKEN",
    )
    line = python_line(changes)
    assert A not in line and "os.environ['HF_TOKEN'] = os.environ['HUGGING_FACE_HUB_TOKEN']" in line
    assert A not in repr(changes)


def test_legacy_next_to_a_real_hf_token_is_dropped() -> None:
    changes = changes_for(_finding("legacy-env-var"), {"HF_TOKEN": B, "HUGGING_FACE_HUB_TOKEN": A})
    assert [(c.name, c.after) for c in changes] == [("HUGGING_FACE_HUB_TOKEN", None)]


def test_blank_hf_token_is_replaced_by_the_legacy_value() -> None:
    changes = changes_for(_finding("legacy-env-var"), {"HF_TOKEN": "  ", "HUGGING_FACE_HUB_TOKEN": A})
    assert [(c.name, c.before, c.after) for c in changes] == [
        ("HF_TOKEN", "  ", A),
        ("HUGGING_FACE_HUB_TOKEN", A, None),
    ]


def test_apply_then_undo_restores_every_value() -> None:
    env = {"HF_TOKEN": "  ", "HUGGING_FACE_HUB_TOKEN": A, "OTHER": "kept"}
    original = dict(env)
    changes = changes_for(_finding("legacy-env-var"), env)
    message = session_env.apply(changes, env)
    assert env == {"HF_TOKEN": A, "OTHER": "kept"}
    assert A not in message
    assert session_env.undo_last(env).startswith("Restored HF_TOKEN, HUGGING_FACE_HUB_TOKEN")
    assert env == original
    assert "Nothing to undo" in session_env.undo_last(env)


def test_undo_leaves_a_variable_changed_since_alone() -> None:
    env = {"HF_TOKEN": A}
    session_env.apply((EnvChange("HF_TOKEN", before=A, after=None),), env)
    env["HF_TOKEN"] = B  # the user set a new token meanwhile
    message = session_env.undo_last(env)
    assert env == {"HF_TOKEN": B}
    assert "left HF_TOKEN alone" in message
