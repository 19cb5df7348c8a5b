"""URL credentials, token fragments and encoded tokens: what scrubbing and the command-line refusal catch."""

from __future__ import annotations

import pytest

from hfauth_nb.grammar import parse as req
from hfauth_nb.secrets import FRAGMENT_LENGTH, redact_url, scrub

TOKEN = "hf_" + "QwErTyUiOpAsDfGhJkLzXcVbNmQwErTyUi"
PASSWORD = "Mirr0r!pa55"  # not token-shaped: only URL redaction and the known-secret list can hide it


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:pw@mirror.example", "https://mirror.example"),
        ("https://user:p%40ss%3Aw@mirror.example:8443/api/x?q=1", "https://mirror.example:8443/api/x?q=1"),
        ("http://hf_user@127.0.0.1:9/x", "http://127.0.0.1:9/x"),
        ("https://a:b@c@host/path", "https://host/path"),  # an unencoded @ in the password
        ("https://huggingface.co/org/name", "https://huggingface.co/org/name"),
    ],
)
def test_redact_url_drops_userinfo_only(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_scrub_drops_every_urls_credentials_whatever_their_shape() -> None:
    text = f"Requests go to https://mirroruser:{PASSWORD}@mirror.example/api and proxy http://u:x@p:3128."
    out = scrub(text)  # no known secrets at all: the URL's shape is enough
    assert PASSWORD not in out and ":x@" not in out
    assert "https://mirror.example/api" in out and "http://p:3128" in out


def test_a_known_password_is_hidden_entirely_not_masked_like_a_token() -> None:
    out = scrub(f"netrc password {PASSWORD} rejected", {PASSWORD})
    assert PASSWORD not in out and PASSWORD[:3] not in out and PASSWORD[-4:] not in out


@pytest.mark.parametrize("body", [FRAGMENT_LENGTH, 12, 20, 33])
def test_a_server_echoing_the_start_of_a_token_is_masked(body: int) -> None:
    echoed = TOKEN[: 3 + body]
    out = scrub(f"401: Invalid credentials in Authorization header: {echoed}...", {TOKEN})
    assert echoed not in out
    assert TOKEN[3 : 3 + FRAGMENT_LENGTH] not in out


def test_a_server_echoing_the_end_or_middle_of_a_token_is_masked() -> None:
    for piece in (TOKEN[-FRAGMENT_LENGTH:], TOKEN[10:22]):
        assert piece not in scrub(f"token ...{piece} unknown", {TOKEN})


def test_a_fragment_shorter_than_the_limit_is_left_alone() -> None:
    short = TOKEN[3 : 3 + FRAGMENT_LENGTH - 1]
    assert short in scrub(f"id {short} here", {TOKEN})


@pytest.mark.parametrize("glue", ["x", "_", "9", "X_"])
def test_a_token_glued_to_other_characters_is_masked(glue: str) -> None:
    for text in (glue + TOKEN, TOKEN + glue, f"{glue}{TOKEN}{glue}"):
        assert TOKEN not in scrub(text)  # no known secrets: the shape alone
        assert TOKEN[3:20] not in scrub(text)


@pytest.mark.parametrize(
    "encoded",
    [
        TOKEN.replace("_", "%5F"),
        "".join(f"%{ord(c):02X}" for c in TOKEN),
        TOKEN.replace("_", "%255F"),
    ],
)
def test_a_percent_encoded_token_is_masked_and_refused(encoded: str) -> None:
    url = f"https://huggingface.co/org/{encoded}"
    if "%25" not in encoded:
        assert TOKEN[3:20] not in scrub(url).replace("%", "")
    assert req.looks_like_token(url)
    with pytest.raises(req.RequestError) as refused:
        req.parse_command(["check", url])
    assert encoded not in str(refused.value) and TOKEN not in str(refused.value)
    with pytest.raises(req.RequestError):
        req.split_line(f"check {url}")


@pytest.mark.parametrize("argument", ["x" + TOKEN, "_" + TOKEN, TOKEN + "_", "org/" + TOKEN + "abc"])
def test_a_glued_token_is_refused_on_the_command_line(argument: str) -> None:
    with pytest.raises(req.RequestError) as refused:
        req.parse_command(["check", argument])
    assert TOKEN not in str(refused.value)


def test_an_oauth_token_glued_to_a_letter_is_refused() -> None:
    assert req.looks_like_token("xhf_oauth_" + "a1B2c3D4e5F6g7H8i9J0")


@pytest.mark.parametrize(
    "ref",
    ["meta-llama/Meta-Llama-3-8B", "https://huggingface.co/datasets/org/na%20me", "gpt2", "hf_user/model"],
)
def test_ordinary_repo_ids_are_not_refused(ref: str) -> None:
    assert not req.looks_like_token(ref)


@pytest.mark.parametrize(
    "text",
    [
        "A" * 65536 + "%41",  # a long base64-like run with one escape
        "a." * 32768 + "://x",  # many word boundaries before a scheme
        "Z" * 65536,  # every position matches a piece of a low-entropy secret
        ("%41" * 20 + " ") * 2000,
    ],
)
def test_scrubbing_large_adversarial_text_finishes(text: str) -> None:
    """No quadratic regex or search: each finishes in well under a second here; the guard is generous."""
    import time

    started = time.monotonic()
    scrub(text, {TOKEN, "hf_" + "Z" * 34, PASSWORD})
    # A hang guard, not a timing assertion: a quadratic search took 35 s and more on the `Z` text.
    assert time.monotonic() - started < 30
