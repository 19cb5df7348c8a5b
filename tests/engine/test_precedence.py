"""Why HF_TOKEN does not count: the engine's pure judgement, from hand-made precedence facts."""

from __future__ import annotations

import pytest

from hfauth_nb.engine.library import LibraryFacts
from hfauth_nb.engine.precedence import TokenPrecedence, hf_token_blocker, precedence_of
from hfauth_nb.engine.sources import Resolution, StoredTokens, TokenFacts, TokenSource

ORDER_BEFORE_1_19 = ("colab", "env", "file")  # 0.20.1 - 1.18: the Colab secret first
ORDER_FROM_1_19 = ("oidc", "env", "file", "colab")  # 1.19 and later: OIDC, then HF_TOKEN

TOKEN = "hf_" + "abcdefghij" * 3 + "wxyz"
OTHER = "hf_" + "klmnopqrst" * 3 + "abcd"


def test_hf_token_winning_needs_no_explanation() -> None:
    for order in (ORDER_BEFORE_1_19, ORDER_FROM_1_19):
        assert hf_token_blocker(TokenPrecedence("1.18.0", order, winner="HF_TOKEN")) is None


def test_oidc_comes_first_when_hf_oidc_resource_is_set() -> None:
    said = hf_token_blocker(
        TokenPrecedence("1.19.0", ORDER_FROM_1_19, winner="HF_OIDC_RESOURCE", oidc_requested=True)
    )
    assert said is not None
    assert said.startswith("HF_TOKEN does not count here: HF_OIDC_RESOURCE is set, so huggingface_hub 1.19.0")
    assert 'os.environ.pop("HF_OIDC_RESOURCE")' in said


def test_an_oidc_slot_without_hf_oidc_resource_is_not_the_reason() -> None:
    said = hf_token_blocker(TokenPrecedence("1.19.0", ORDER_FROM_1_19, winner="token file"))
    assert said == "HF_TOKEN is set, but huggingface_hub 1.19.0 uses token file instead."


def test_hf_oidc_resource_means_nothing_to_a_library_that_never_exchanges() -> None:
    precedence = TokenPrecedence("0.36.2", ORDER_BEFORE_1_19, winner=None, oidc_requested=True)
    said = hf_token_blocker(precedence)
    assert said is not None and "HF_OIDC_RESOURCE" not in said and "Colab secret" in said


@pytest.mark.parametrize(
    ("masked", "subject"),
    [
        ("hf_...wxyz", "the Colab secret HF_TOKEN (hf_...wxyz)"),
        (None, "a Colab secret named HF_TOKEN, if this notebook has access to one,"),
    ],
)
def test_the_colab_secret_comes_before_env_before_1_19(masked: str | None, subject: str) -> None:
    winner = "Colab secret" if masked else None
    said = hf_token_blocker(TokenPrecedence("1.18.0", ORDER_BEFORE_1_19, winner=winner, colab_masked=masked))
    assert said == (
        f"huggingface_hub 1.18.0 uses {subject} before the HF_TOKEN variable, so Python code in this kernel may "
        "keep using the secret; ! commands (which cannot read Colab secrets) use the session token. "
        "huggingface_hub 1.19 and later use HF_TOKEN first."
    )


def test_from_1_19_env_comes_first_even_with_a_colab_secret() -> None:
    precedence = TokenPrecedence("1.27.0", ORDER_FROM_1_19, winner="HF_TOKEN", colab_masked="hf_...wxyz")
    assert hf_token_blocker(precedence) is None
    # HF_TOKEN blank: the token file wins, and the Colab secret is not what stands in the way.
    blank = TokenPrecedence("1.27.0", ORDER_FROM_1_19, winner="token file", colab_masked="hf_...wxyz")
    assert hf_token_blocker(blank) == "HF_TOKEN is set, but huggingface_hub 1.27.0 uses token file instead."


def test_the_legacy_variable_winning_is_named() -> None:
    precedence = TokenPrecedence(None, ("env", "file"), winner="HUGGING_FACE_HUB_TOKEN")
    assert hf_token_blocker(precedence) == (
        "HF_TOKEN is set, but huggingface_hub ? uses HUGGING_FACE_HUB_TOKEN instead."
    )


def test_no_source_at_all_needs_no_explanation() -> None:
    assert hf_token_blocker(TokenPrecedence("1.27.0", ORDER_FROM_1_19)) is None


def _facts(*sources: TokenSource, winner: TokenSource | None) -> TokenFacts:
    return TokenFacts(
        sources=sources, stored=StoredTokens(None), resolution=Resolution(winner, "get_token()")
    )


def test_precedence_of_reads_the_engine_facts_and_keeps_no_secret() -> None:
    library = LibraryFacts(installed=True, version="1.18.0", order=ORDER_BEFORE_1_19)
    env = TokenSource("env", "HF_TOKEN", "HF_TOKEN", "set", value=OTHER, raw=OTHER)
    colab = TokenSource("colab", "Colab secret", "HF_TOKEN secret", "set", value=TOKEN, raw=TOKEN)
    precedence = precedence_of(library, _facts(env, colab, winner=colab))
    assert precedence == TokenPrecedence(
        version="1.18.0", order=ORDER_BEFORE_1_19, winner="Colab secret", colab_masked="hf_...wxyz"
    )
    assert TOKEN not in repr(precedence) and OTHER not in repr(precedence)


def test_precedence_of_sees_an_oidc_request_and_an_unread_colab_secret() -> None:
    library = LibraryFacts(installed=True, version="1.19.0", order=ORDER_FROM_1_19)
    oidc = TokenSource("oidc", "HF_OIDC_RESOURCE", "HF_OIDC_RESOURCE", "exchange")
    colab = TokenSource("colab", "Colab secret", "HF_TOKEN secret", "not-read")
    precedence = precedence_of(library, _facts(oidc, colab, winner=oidc))
    assert precedence.oidc_requested and precedence.colab_masked is None
    assert precedence.winner == "HF_OIDC_RESOURCE"
    assert precedence.before("env") == ("oidc",) and precedence.before("nothing") == ORDER_FROM_1_19
