"""Gather every local fact, with no network: the input of the pure checks."""

from __future__ import annotations

import os
import time
import urllib.request
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from hfauth_nb.engine.git_facts import GitFacts, PendingGit
from hfauth_nb.engine.library import LibraryFacts, load_library
from hfauth_nb.engine.netrc_facts import NetrcFacts, gather_netrc
from hfauth_nb.engine.oauth_login import StoredTokens
from hfauth_nb.engine.observe import ObservedAuth, observe_authorization
from hfauth_nb.engine.runtime import EnvFacts, RuntimeFacts, gather_env, gather_runtime
from hfauth_nb.engine.sources import Resolution, TokenFacts, gather_tokens
from hfauth_nb.engine.token_path import TokenPathFacts, gather_token_path


@dataclass(frozen=True)
class LocalFacts:
    library: LibraryFacts
    endpoint: str  # the endpoint the library's calls go to (its import-time constant), without credentials
    host: str
    tokens: TokenFacts
    netrc: NetrcFacts
    observed: ObservedAuth | None
    git: GitFacts
    runtime: RuntimeFacts
    env: EnvFacts
    timings: dict[str, float] = field(default_factory=dict)
    endpoint_login: str | None = None  # a user name carried in HF_ENDPOINT's URL (fact N6)
    endpoint_password: str | None = field(default=None, repr=False)
    token_path: TokenPathFacts | None = None  # set when HF_TOKEN_PATH moves the token file away from HF_HOME
    endpoint_error: str | None = None  # why the endpoint is not a usable URL (nothing can be sent to it)
    # git still running (gather_local_facts(defer_git=True)): `with_git()` waits for it and fills `git`.
    git_pending: PendingGit | None = field(default=None, repr=False, compare=False)

    def with_git(self) -> LocalFacts:
        """These facts with git's answer in: waits at most git's own budget."""
        if self.git_pending is None:
            return self
        git = self.git_pending.result()
        return replace(self, git=git, git_pending=None, timings={**self.timings, "git": git.elapsed})

    def secrets(self) -> frozenset[str]:
        """Every raw secret seen, so the report can scrub its output against them."""
        values = {s.value for s in self.tokens.sources} | {s.raw for s in self.tokens.sources}
        values |= {t.value for t in self.tokens.stored.tokens}
        values |= {v for _, v in self.tokens.misnamed}
        if self.tokens.vault is not None:
            values |= {self.tokens.vault.value}
        values |= {e.password for _, e in self.netrc.entries}
        values |= {self.git.password}
        values |= _proxy_passwords() | {self.endpoint_password}
        if self.observed is not None:
            values |= {self.observed.basic_password}
        cleaned = set()
        for v in values:
            if v:
                cleaned.add(v)
                cleaned.add(v.strip())
        return frozenset(c for c in cleaned if c)


def _proxy_passwords() -> set[str | None]:
    """Passwords embedded in proxy URLs: an error message may quote the proxy URL (even one urllib rejects)."""
    return {
        split_credentials(url)[2] for url in urllib.request.getproxies_environment().values() if "@" in url
    }


def split_credentials(endpoint: str) -> tuple[str, str | None, str | None]:
    """(endpoint without `user:password@`, user, password): credentials in the URL replace the token (N6)."""
    try:
        parts = urlsplit(endpoint)
        if "@" not in parts.netloc:
            return endpoint, None, None
        return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl(), parts.username, parts.password
    except ValueError:  # not a URL urllib can split (a bad IPv6 literal): split at the last '@' by hand
        scheme, sep, rest = endpoint.partition("://")
        netloc, slash, path = rest.partition("/")
        if "@" not in netloc:
            return endpoint, None, None
        userinfo, _, host = netloc.rpartition("@")
        user, colon, password = userinfo.partition(":")
        return f"{scheme}{sep}{host}{slash}{path}", user or None, password if colon else None


def endpoint_problem(endpoint: str) -> str | None:
    """Why `endpoint` cannot be used as the Hub's URL (no scheme, no host, a bad port or IPv6 literal), or None.

    The library sends every request to this URL (or fails to import with it): no network is involved.
    """
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError as exc:
        reason = str(exc)
        if "IPv6" in reason:
            return "its IPv6 address is not written as [address] (a bracket is missing or misplaced)"
        if "out of range" in reason:
            return "its port is out of range (0-65535)"
        return "its port is not a number"
    if parts.scheme not in ("http", "https"):
        found = f"{parts.scheme}://" if parts.scheme and "://" in endpoint else "no scheme"
        return f"it must start with https:// (or http://), it has {found}"
    if not parts.hostname:
        return "it names no host"
    if port == 0:
        return "its port is 0"
    return None


def host_of(endpoint: str) -> str:
    """The host netrc and git match against: the endpoint's host name, without credentials or port."""
    return (urlsplit(endpoint).hostname or "").lower()


def gather_local_facts(
    endpoint_override: str | None = None,
    git_timeout: float = 2.0,
    read_colab_secret: bool = False,
    skip_colab_secret: bool = False,
    budget: float = 5.0,
    defer_git: bool = False,
) -> LocalFacts:
    """Collect token sources, netrc, the observed header, git credentials and environment hazards.

    `budget` bounds the waits that may happen while resolving the token: the Colab vault, an OAuth refresh.
    git runs in the background from the start, under its own budget (a credential helper can hang); with
    `defer_git` the facts come back before git answers, and `with_git()` adds its answer later.
    """
    timings: dict[str, float] = {}
    started = time.monotonic()
    lib = load_library()
    # Without the library (or when its import failed on HF_ENDPOINT itself), the variable is what it would use.
    fallback = lib.endpoint if lib.installed else (os.environ.get("HF_ENDPOINT") or lib.endpoint)
    raw_endpoint = (endpoint_override or fallback).rstrip("/")
    endpoint, login, password = split_credentials(raw_endpoint)
    endpoint_error = endpoint_problem(raw_endpoint)
    host = host_of(endpoint) if endpoint_error is None else ""
    git = PendingGit(endpoint if endpoint_error is None else "", git_timeout).start()
    if lib.installed:
        tokens = gather_tokens(
            lib, read_colab_secret=read_colab_secret, skip_colab_secret=skip_colab_secret, budget=budget
        )
    else:
        tokens = TokenFacts(
            sources=(), stored=StoredTokens(path=None), resolution=Resolution(None, "library missing")
        )
    timings["tokens"] = time.monotonic() - started

    mark = time.monotonic()
    netrc = gather_netrc(host)
    # What the library's own calls would carry: no token at all when implicit tokens are disabled (T20).
    sent = tokens.sent(lib.implicit_token_disabled)
    # requests applies netrc while preparing the request: a FIFO there would block the observation itself.
    blocked = netrc.blocks_requests is not None
    observe = lib.installed and endpoint_error is None and not (blocked and lib.backend == "requests")
    observed = observe_authorization(f"{raw_endpoint}/api/whoami-v2", sent) if observe else None
    timings["netrc"] = time.monotonic() - mark
    timings["local"] = time.monotonic() - started
    facts = LocalFacts(
        library=lib,
        endpoint=endpoint,
        host=host,
        tokens=tokens,
        netrc=netrc,
        observed=observed,
        git=GitFacts(available=True, host=host, error="git has not answered yet"),
        runtime=gather_runtime(),
        env=gather_env(endpoint),
        endpoint_login=login,
        endpoint_password=password,
        token_path=gather_token_path(lib),
        endpoint_error=endpoint_error,
        timings=timings,
        git_pending=git,
    )
    return facts if defer_git else facts.with_git()
