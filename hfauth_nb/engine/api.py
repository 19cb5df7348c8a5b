"""The one door to the engine for everything that is not the engine: the panel, fixes, the scanner, `why`/`watch`
and preflight.

Callers get reports, plain values and frozen data types from here, never the engine's facts or checks, so the
engine can be rearranged behind this module. Pure data types (`Report`, `Finding`, `Target`, ...) may still be
imported from `engine.report`. Nothing imports this module at `%load_ext` (it loads the whole engine).
"""

from __future__ import annotations

from hfauth_nb.engine.checks.tokens import token_format_problems
from hfauth_nb.engine.credentials import KnownCredentials
from hfauth_nb.engine.credentials import known_credentials as _known_credentials
from hfauth_nb.engine.diagnose import diagnose
from hfauth_nb.engine.facts import gather_local_facts, host_of, split_credentials
from hfauth_nb.engine.failed_request import FailedRequest, find_failed_request
from hfauth_nb.engine.hub import Whoami, probe_hub
from hfauth_nb.engine.inference_call import InferenceCall, find_inference_call
from hfauth_nb.engine.library import clean_token, load_library
from hfauth_nb.engine.precedence import hf_token_blocker as _judge
from hfauth_nb.engine.report import Report
from hfauth_nb.engine.service_failure import ServiceFailure, find_service_failure
from hfauth_nb.engine.sources import gather_tokens

__all__ = [
    "FailedRequest",
    "InferenceCall",
    "KnownCredentials",
    "ServiceFailure",
    "Whoami",
    "clean_token",
    "diagnose",
    "effective_token",
    "find_failed_request",
    "find_inference_call",
    "find_service_failure",
    "hf_token_blocker",
    "host_of",
    "known_credentials",
    "library_endpoint",
    "token_format_problems",
    "token_order",
    "whoami",
]

# Re-exported as they are (see their own docstrings):
# - diagnose(repo_id=None, *, repo_type, write, revision, timeout, endpoint, read_colab_secret, skip_colab_secret,
#   inference, failure, call_token)
#   -> Report: check one target, or without `repo_id` the token setup alone (`%hfauth status`).
# - find_failed_request(exc) -> FailedRequest | None: the Hub request inside an exception (`why`, `watch`).
# - find_inference_call(exc) -> InferenceCall | None: the Inference Providers call inside an exception.
# - find_service_failure(exc, found) -> ServiceFailure | None: a Xet storage, Space or ZeroGPU failure in it.
# - clean_token(raw) -> str | None: a pasted token as the installed library would read it from HF_TOKEN.
# - token_format_problems(raw, token) -> list[str]: what is wrong with a token's shape, in words.
# - host_of(endpoint) -> str: the host netrc entries and git credentials are matched against.


def hf_token_blocker(report: Report) -> str | None:
    """Why the HF_TOKEN variable is not the token the installed library uses in `report`, in plain words (None
    when it is, or when the report holds no precedence facts, e.g. one made by hand)."""
    return _judge(report.precedence) if report.precedence is not None else None


def effective_token(*, read_colab_secret: bool = False, skip_colab_secret: bool = False) -> str | None:
    """The raw token the installed library resolves now (its own order and get_token()), or None.

    The one reading of it outside a diagnosis (inside one: `TokenFacts.effective`). A secret: pass it where it is
    needed (a git credential to replace), never show it. Reading it may read the Colab vault, exchange an OIDC
    token or refresh a browser login, as the library's next call would.
    """
    library = load_library()
    if not library.installed:
        return None
    tokens = gather_tokens(library, read_colab_secret=read_colab_secret, skip_colab_secret=skip_colab_secret)
    return tokens.effective


def token_order() -> tuple[str, ...]:
    """The source kinds the installed library's get_token() consults, first to last ("oidc", "env", ...)."""
    return load_library().order


def whoami(endpoint: str, token: str, *, timeout: float = 5.0) -> Whoami | None:
    """The Hub's whoami answer for `token` at `endpoint` (one request, cached for the session), or None."""
    return probe_hub(endpoint, [token], sent_token=None, repo_id=None, timeout=timeout).whoami_for(token)


def known_credentials(endpoint: str | None = None) -> KnownCredentials:
    """Every credential this machine holds (raw, to compare with), and the files meant to hold them."""
    return _known_credentials(gather_local_facts(endpoint_override=endpoint))


def library_endpoint() -> str:
    """The endpoint the installed library's calls go to (its import-time constant), without `user:password@`."""
    return split_credentials(load_library().endpoint.rstrip("/"))[0]
