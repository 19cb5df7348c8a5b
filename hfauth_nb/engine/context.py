"""The input of every check: local facts, what the Hub said (if asked), and what the user wants to do."""

from __future__ import annotations

from dataclasses import dataclass, field

from hfauth_nb.engine.facts import LocalFacts
from hfauth_nb.engine.hub import HubFacts, Whoami
from hfauth_nb.engine.inference_call import InferenceCall
from hfauth_nb.engine.report import Target
from hfauth_nb.engine.service_failure import ServiceFailure
from hfauth_nb.engine.sources import TokenSource


@dataclass(frozen=True)
class Context:
    facts: LocalFacts
    target: Target
    hub: HubFacts | None = None
    inference: InferenceCall | None = None  # the failed Inference Providers call explain(exc) found
    # The service call `explain(exc)` found failing (Xet storage, a Space route, ZeroGPU), when it was one.
    failure: ServiceFailure | None = None
    # The token the failing repo request carried (`token=...` in the user's call wins over every local source).
    call_token: str | None = field(default=None, repr=False)

    @property
    def winner(self) -> TokenSource | None:
        return self.facts.tokens.resolution.winner

    @property
    def effective(self) -> str | None:
        """The token the library resolves (whether or not it sends it implicitly)."""
        return self.facts.tokens.effective

    @property
    def oidc_wins(self) -> bool:
        """An OIDC exchange supplies the token (its value is unknown until exchanged, T17)."""
        winner = self.winner
        return winner is not None and winner.kind == "oidc"

    @property
    def has_token(self) -> bool:
        """Some source supplies a token (an OIDC exchange counts, although its value is not known here)."""
        return self.effective is not None or self.oidc_wins

    @property
    def sent(self) -> str | None:
        """The token the library's calls actually carry (none when implicit tokens are disabled)."""
        return self.facts.tokens.sent(self.facts.library.implicit_token_disabled)

    @property
    def implicit_calls_resolve_token(self) -> bool:
        """Library calls made without `token=` run get_token(): always, except with implicit tokens disabled
        from huggingface_hub 1.20 (before, it resolved the token and dropped it afterwards)."""
        lib = self.facts.library
        return not lib.implicit_token_disabled or lib.version_tuple < (1, 20, 0)

    @property
    def present_sources(self) -> list[TokenSource]:
        return [s for s in self.facts.tokens.sources if s.present]

    def whoami(self, token: str | None) -> Whoami | None:
        return self.hub.whoami_for(token) if self.hub is not None else None

    def valid(self, token: str | None) -> bool | None:
        answer = self.whoami(token)
        return answer.valid if answer is not None else None

    def site(self, path: str = "") -> str:
        """A URL on the Hub's web site (the configured endpoint)."""
        return f"{self.facts.endpoint}{path}"

    def source_label(self, source: TokenSource | None) -> str:
        if source is None:
            return "no source"
        if source.kind == "file":
            return f"the token file ({source.location})"
        if source.kind == "env":
            return f"the {source.name} environment variable"
        if source.kind == "colab":
            return "the Colab secret HF_TOKEN"
        return source.name
