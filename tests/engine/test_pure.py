"""Pure helpers: token shape rules and masking."""

from __future__ import annotations

import pytest

from hfauth_nb.engine.checks.tokens import token_format_problems
from hfauth_nb.secrets import mask, scrub

GOOD = "hf_" + "abcdefghij" * 3 + "wxyz"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (GOOD, None),
        ("hf_oauth_" + "x1" * 20, None),
        ("hf_jwt_" + "eyJ" * 10, None),
        (f'"{GOOD}"', "quotes"),
        (f"Bearer {GOOD}", "Bearer"),
        (GOOD[:20], "34 letters"),
        (GOOD[:10] + " " + GOOD[10:], "whitespace"),
        (GOOD[:-1] + "\u0430", "non-ASCII"),
        ("api_org_" + "a" * 34, "organization token"),
        ("sk-" + "a" * 40, "does not start with hf_"),
    ],
)
def test_token_format_problems(value: str, expected: str | None) -> None:
    problems = token_format_problems(value, value)
    if expected is None:
        assert problems == []
    else:
        assert any(expected in p for p in problems), problems


def test_mask_shows_prefix_and_last_four_only() -> None:
    assert mask(GOOD) == "hf_...wxyz"
    assert mask("short") == "*****"
    assert mask(None) is None


def test_scrub_replaces_known_secrets_and_token_shapes() -> None:
    other = "hf_" + "Q" * 34
    text = f"a {GOOD} b {other} c secret-password d"
    out = scrub(text, {"secret-password"})
    assert GOOD not in out and other not in out and "secret-password" not in out
    assert "hf_...wxyz" in out
