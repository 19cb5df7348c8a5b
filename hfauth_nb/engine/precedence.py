"""Which token source the installed huggingface_hub consults first, and why HF_TOKEN may not be the one it uses.

Pure: the facts come in as a `TokenPrecedence` (built by `precedence_of` from what the engine read, or by hand in
tests) and hold nothing secret, so a report can keep it. The order itself is the library's own (read from its
`get_token()` code, library.py); nothing here decides it from a version number.
"""

from __future__ import annotations

from dataclasses import dataclass

from hfauth_nb.engine.library import LibraryFacts
from hfauth_nb.engine.sources import TokenFacts
from hfauth_nb.secrets import mask

HF_TOKEN = "HF_TOKEN"


@dataclass(frozen=True)
class TokenPrecedence:
    """The installed library's token order and which source wins now (values masked, safe to show)."""

    version: str | None  # huggingface_hub's version (None when it is not installed)
    order: tuple[str, ...]  # source kinds in get_token()'s order: "oidc", "env", "file", "colab"
    winner: str | None = None  # the name of the source that wins ("HF_TOKEN", "token file", ...)
    oidc_requested: bool = False  # HF_OIDC_RESOURCE is set: an exchanged CI token is asked for
    colab_masked: str | None = None  # the Colab secret, masked, when it was read and holds a token

    def before(self, kind: str) -> tuple[str, ...]:
        """The kinds consulted before `kind` (every kind when the library never consults it)."""
        return self.order[: self.order.index(kind)] if kind in self.order else self.order


def precedence_of(library: LibraryFacts, tokens: TokenFacts) -> TokenPrecedence:
    """The precedence facts of one diagnosis."""
    winner = tokens.resolution.winner
    colab = next((s for s in tokens.sources if s.kind == "colab"), None)
    return TokenPrecedence(
        version=library.version,
        order=tuple(library.order),
        winner=winner.name if winner is not None else None,
        oidc_requested=any(s.kind == "oidc" for s in tokens.sources),
        colab_masked=mask(colab.value) if colab is not None and colab.present else None,
    )


def hf_token_blocker(precedence: TokenPrecedence) -> str | None:
    """Why the HF_TOKEN variable is not the token the installed library uses, in plain words (None when it is)."""
    if precedence.winner == HF_TOKEN:
        return None
    version = precedence.version or "?"
    before_env = precedence.before("env")
    if "oidc" in before_env and precedence.oidc_requested:
        return (
            f"HF_TOKEN does not count here: HF_OIDC_RESOURCE is set, so huggingface_hub {version} exchanges an "
            "OIDC token and uses it before HF_TOKEN (in this kernel and in ! commands). "
            'Run os.environ.pop("HF_OIDC_RESOURCE") for HF_TOKEN to be used.'
        )
    if "colab" in before_env:
        subject = (
            f"the Colab secret HF_TOKEN ({precedence.colab_masked})"
            if precedence.colab_masked is not None
            else "a Colab secret named HF_TOKEN, if this notebook has access to one,"
        )
        return (
            f"huggingface_hub {version} uses {subject} before the HF_TOKEN variable, so Python code in this "
            "kernel may keep using the secret; ! commands (which cannot read Colab secrets) use the session "
            "token. huggingface_hub 1.19 and later use HF_TOKEN first."
        )
    if precedence.winner:
        return f"HF_TOKEN is set, but huggingface_hub {version} uses {precedence.winner} instead."
    return None
