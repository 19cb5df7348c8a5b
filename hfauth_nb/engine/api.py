"""The one door to the engine for everything that is not the engine: the panel, fixes, the scanner, `why`/`watch`
and preflight.

Callers get reports, plain values and frozen data types from here, never the engine's facts or checks, so the
engine can be rearranged behind this module. Pure data types (`Report`, `Finding`, `Target`, ...) may still be
imported from `engine.report`. Imports are lazy: `%load_ext hfauth_nb` imports this module and must stay light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hfauth_nb.engine.credentials import KnownCredentials
    from hfauth_nb.engine.failed_request import FailedRequest
    from hfauth_nb.engine.hub import Whoami
    from hfauth_nb.engine.report import Report

__all__ = [
    "clean_token",
    "diagnose",
    "effective_token",
    "find_failed_request",
    "hf_token_blocker",
    "host_of",
    "known_credentials",
    "library_endpoint",
    "token_format_problems",
    "token_order",
    "whoami",
]


# -- diagnosis -------------------------------------------------------------------------------------


def diagnose(
    repo_id: str | None = None,
    *,
    repo_type: str = "model",
    write: bool = False,
    revision: str | None = None,
    timeout: float = 5.0,
    endpoint: str | None = None,
    read_colab_secret: bool = False,
    skip_colab_secret: bool = False,
) -> Report:
    """Check one target (or, without `repo_id`, the token setup alone): see `engine.diagnose.diagnose`."""
    from hfauth_nb.engine.diagnose import diagnose as run

    return run(
        repo_id,
        repo_type=repo_type,
        write=write,
        revision=revision,
        timeout=timeout,
        endpoint=endpoint,
        read_colab_secret=read_colab_secret,
        skip_colab_secret=skip_colab_secret,
    )


def hf_token_blocker(report: Report) -> str | None:
    """Why the HF_TOKEN variable is not the token the installed library uses in `report`, in plain words (None
    when it is, or when the report holds no precedence facts)."""
    from hfauth_nb.engine.precedence import hf_token_blocker as judge

    return judge(report.precedence) if report.precedence is not None else None


# -- exceptions ------------------------------------------------------------------------------------


def find_failed_request(exc: BaseException) -> FailedRequest | None:
    """The Hub request inside `exc` (its repo, type, revision, intent), or None."""
    from hfauth_nb.engine.failed_request import find_failed_request as find

    return find(exc)


# -- tokens ----------------------------------------------------------------------------------------


def effective_token(*, read_colab_secret: bool = False, skip_colab_secret: bool = False) -> str | None:
    """The raw token the installed library resolves now (its own order and get_token()), or None.

    A secret: pass it where it is needed (a git credential to replace), never show it. Reading it may read the
    Colab vault, exchange an OIDC token or refresh a browser login, as the library's next call would.
    """
    from hfauth_nb.engine.library import load_library
    from hfauth_nb.engine.sources import gather_tokens

    library = load_library()
    if not library.installed:
        return None
    tokens = gather_tokens(library, read_colab_secret=read_colab_secret, skip_colab_secret=skip_colab_secret)
    return tokens.effective


def token_order() -> tuple[str, ...]:
    """The source kinds the installed library's get_token() consults, first to last ("oidc", "env", ...)."""
    from hfauth_nb.engine.library import load_library

    return load_library().order


def clean_token(raw: str | None) -> str | None:
    """`raw` as the installed library would read it from HF_TOKEN (its own cleaner), or None if empty."""
    from hfauth_nb.engine.library import clean_token as clean

    return clean(raw)


def token_format_problems(raw: str | None, token: str) -> list[str]:
    """What is wrong with a token's shape (quotes, whitespace, prefix, length), in words; empty when nothing."""
    from hfauth_nb.engine.checks_local import token_format_problems as problems

    return problems(raw, token)


def whoami(endpoint: str, token: str, *, timeout: float = 5.0) -> Whoami | None:
    """The Hub's whoami answer for `token` at `endpoint` (one request, cached for the session), or None."""
    from hfauth_nb.engine.hub import probe_hub

    return probe_hub(endpoint, [token], sent_token=None, repo_id=None, timeout=timeout).whoami_for(token)


def known_credentials(endpoint: str | None = None) -> KnownCredentials:
    """Every credential this machine holds (raw, to compare with), and the files meant to hold them."""
    from hfauth_nb.engine.credentials import known_credentials as known
    from hfauth_nb.engine.facts import gather_local_facts

    return known(gather_local_facts(endpoint_override=endpoint))


# -- endpoint and host -----------------------------------------------------------------------------


def library_endpoint() -> str:
    """The endpoint the installed library's calls go to (its import-time constant), without `user:password@`."""
    from hfauth_nb.engine.facts import split_credentials
    from hfauth_nb.engine.library import load_library

    return split_credentials(load_library().endpoint.rstrip("/"))[0]


def host_of(endpoint: str) -> str:
    """The host netrc entries and git credentials are matched against (no credentials, no port)."""
    from hfauth_nb.engine.facts import host_of as host

    return host(endpoint)
