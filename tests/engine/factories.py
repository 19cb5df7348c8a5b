"""Build a `Context` from hand-made facts, so a pure check can be unit-tested row by row.

Everything here makes the engine's real fact objects (no mocks): token sources, library facts, netrc files,
git's answer, the observed header, and the Hub's answers. The Hub's answers come from the loopback Hub's own
builders (`hfauth_nb.testing.rules` for error replies and gate messages, `hfauth_nb.testing.payloads` for
whoami and repo metadata bodies), so their shapes are the real Hub's (facts W1-W4, S1-S8).

`context()` gives sensible defaults: a valid classic read token in HF_TOKEN, huggingface.co, no netrc, no git
credential, huggingface_hub 1.27 (httpx), a Jupyter kernel (not Colab), the target repo `alice/demo-model`,
and a Hub that answered whoami 200 for every token and the repo 200. Each keyword overrides one fact.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pytest

from hfauth_nb.engine.colab import OUTCOMES, ColabRead
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.facts import LocalFacts, host_of
from hfauth_nb.engine.git_facts import GitFacts
from hfauth_nb.engine.hub import HubFacts, RepoProbe, Whoami
from hfauth_nb.engine.inference_call import InferenceCall
from hfauth_nb.engine.library import LibraryFacts, version_tuple
from hfauth_nb.engine.netrc_facts import NetrcEntry, NetrcFacts, NetrcFile
from hfauth_nb.engine.oauth_login import OAuthLogin, StoredTokens
from hfauth_nb.engine.observe import ObservedAuth
from hfauth_nb.engine.report import Finding, Target
from hfauth_nb.engine.runtime import EnvFacts, RuntimeFacts
from hfauth_nb.engine.service_failure import ServiceFailure
from hfauth_nb.engine.sources import Resolution, TokenFacts, TokenSource
from hfauth_nb.engine.token_path import TokenPathFacts
from hfauth_nb.engine.transport import HttpResult
from hfauth_nb.hub_refs import DEFAULT_ENDPOINT, REPO_TYPES
from hfauth_nb.testing import payloads, rules
from hfauth_nb.testing.rules import Caller, Reply
from hfauth_nb.testing.state import HubState

USER = "alice"
REPO = f"{USER}/demo-model"
HOME = "/home/tester"
TOKEN_FILE = f"{HOME}/.cache/huggingface/token"
NETRC = f"{HOME}/.netrc"
NOW = 1_900_000_000.0  # when the facts were "read": OAuth expiry is judged against it


def tok(tag: str) -> str:
    """A well-formed classic token (hf_ + 34 letters) ending in `tag` (letters, shown by its mask), made at run
    time so no source line holds a token."""
    assert tag.isalpha() and len(tag) <= 4
    return "hf_" + "q" * (34 - 4) + (tag * 4)[:4]


VALID = tok("good")  # the default HF_TOKEN
OTHER = tok("othr")
STALE = tok("dead")


class _Default:
    """Marks a keyword left to its default (where None is a meaningful value)."""

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Any = _Default()


# -- the library -------------------------------------------------------------------------------------


def library_order(version: str) -> tuple[str, ...]:
    """get_token()'s order per version (facts T1-T3): 0.20.0 env, file; up to 1.18 colab first; 1.19+ oidc
    first and colab last. Only a default: rows that need another order pass `order=`."""
    v = version_tuple(version)
    if v <= (0, 20, 0):
        return ("env", "file")
    if v < (1, 19, 0):
        return ("colab", "env", "file")
    return ("oidc", "env", "file", "colab")


def library(
    version: str = "1.27.0",
    *,
    backend: str | None = None,
    installed: bool = True,
    endpoint: str = DEFAULT_ENDPOINT,
    offline: bool = False,
    implicit_token_disabled: bool = False,
    is_colab: bool = False,
    imported_before: bool = False,
    order: tuple[str, ...] | None = None,
    import_error: str | None = None,
) -> LibraryFacts:
    """huggingface_hub as installed; backend and order follow the version unless given."""
    if not installed:
        return LibraryFacts(
            installed=False, import_error=import_error or "ModuleNotFoundError: huggingface_hub"
        )
    major = version_tuple(version)[0]
    return LibraryFacts(
        installed=True,
        version=version,
        backend=backend or {0: "requests", 1: "httpx"}.get(major, "httpx2"),
        endpoint=endpoint,
        offline=offline,
        implicit_token_disabled=implicit_token_disabled,
        token_path=TOKEN_FILE,
        stored_tokens_path=f"{HOME}/.cache/huggingface/stored_tokens",
        is_colab=is_colab,
        order=order or library_order(version),
        order_from="version table",
        imported_before=imported_before,
    )


REQUESTS_ERA = "0.36.2"  # requests: netrc applies to every call
HTTPX_ERA = "1.27.0"


# -- token sources -----------------------------------------------------------------------------------


def env_source(name: str, value: str | None, raw: str | None = None) -> TokenSource:
    """An environment variable as the library cleans it: unset (None), blank (raw whitespace) or set."""
    if value is None and raw is None:
        return TokenSource("env", name, name, "unset")
    if value is None:
        return TokenSource("env", name, name, "blank", raw=raw)
    return TokenSource("env", name, name, "set", value=value, raw=raw if raw is not None else value)


def file_source(
    value: str | None = None, *, unreadable: str | None = None, raw: str | None = None
) -> TokenSource:
    """The token file: missing (None), unreadable (with the reason), or holding `value`."""
    if unreadable is not None:
        return TokenSource("file", "token file", TOKEN_FILE, "unreadable", note=unreadable)
    if value is None:
        return TokenSource("file", "token file", TOKEN_FILE, "unset")
    return TokenSource(
        "file", "token file", TOKEN_FILE, "set", value=value, raw=raw if raw is not None else value
    )


ColabState = Literal["set", "unset", "not-read", "timeout", "blank"]


def colab_source(value: str | None = None, state: ColabState | None = None, note: str = "") -> TokenSource:
    """The Colab secret as sources.py records it."""
    chosen = state or ("set" if value is not None else "unset")
    return TokenSource("colab", "Colab secret", "HF_TOKEN secret", chosen, value=value, raw=value, note=note)


OidcState = Literal["exchange", "refused", "ignored"]


def oidc_source(state: OidcState) -> TokenSource:
    """HF_OIDC_RESOURCE: an exchange the library will make, one the Hub refused, or a version that ignores it."""
    if state == "ignored":
        return TokenSource(
            "oidc", "HF_OIDC_RESOURCE", "HF_OIDC_RESOURCE", "unset", note="ignored by this version"
        )
    note = (
        "resource alice/demo-model"
        if state == "exchange"
        else "the Hub refused the OIDC exchange: invalid_grant"
    )
    return TokenSource("oidc", "HF_OIDC_RESOURCE", "HF_OIDC_RESOURCE", state, note=note)


def colab_read(outcome: str, value: str | None = None, waited: float = 0.0) -> ColabRead:
    """Our own read of the Colab vault (colab.py outcomes)."""
    detail = "" if outcome == "granted" else OUTCOMES[outcome]
    return ColabRead(outcome, value=value, detail=detail, waited=waited)


def oauth_login(
    outcome: str, *, expired: bool = True, has_refresh: bool = True, detail: str = ""
) -> OAuthLogin:
    """The stored browser login and what the library did with it (sources.OAuthLogin outcomes)."""
    expires_at = int(NOW - 3600) if expired else int(NOW + 3600)
    return OAuthLogin("oauth-alice", expires_at, has_refresh, outcome, detail)


_BLOCKS = {  # a source state at which get_token() stops without a token
    "unreadable": "the token file cannot be read ({note}); get_token() raises",
    "not-read": "the Colab secret has not been read yet",
    "timeout": "Colab did not hand over the HF_TOKEN secret ({note})",
}


def resolve_winner(
    sources: Sequence[TokenSource], order: Sequence[str]
) -> tuple[TokenSource | None, str | None]:
    """A default winner: the first source in `order` with a token (an OIDC exchange counts), or the state that
    stops get_token() first. Rows that need another outcome pass `winner=` / `blocked=`.

    HF_TOKEN and the legacy variable are joined with `or` before cleaning, so a set-but-blank HF_TOKEN hides the
    legacy one (the library's behaviour, checked end to end in tests/scenarios)."""
    by_name = {s.name: s for s in sources}
    modern = by_name.get("HF_TOKEN")
    env = (
        [modern]
        if modern is not None and modern.state != "unset"
        else [by_name.get("HUGGING_FACE_HUB_TOKEN")]
    )
    candidates = {
        "oidc": [by_name.get("HF_OIDC_RESOURCE")],
        "env": env,
        "file": [by_name.get("token file")],
        "colab": [by_name.get("Colab secret")],
    }
    for kind in order:
        for source in filter(None, candidates[kind]):
            if source.present or source.state == "exchange":
                return source, None
            if source.state in _BLOCKS:
                return None, _BLOCKS[source.state].format(note=source.note)
    return None, None


def token_facts(
    *,
    hf_token: str | None = VALID,
    hf_token_raw: str | None = None,
    legacy: str | None = None,
    legacy_raw: str | None = None,
    file: str | None = None,
    file_raw: str | None = None,
    file_unreadable: str | None = None,
    colab: TokenSource | None = None,
    oidc: OidcState | None = None,
    order: Sequence[str] = library_order(HTTPX_ERA),
    winner: TokenSource | None = DEFAULT,
    blocked: str | None = DEFAULT,
    decided_by: str = "get_token()",
    misnamed: Mapping[str, str] | None = None,
    vault: ColabRead | None = None,
    colab_reached: bool = False,
    colab_via: str = "",
    colab_cache_empty: bool = False,
    oauth: OAuthLogin | None = None,
    stored_error: str | None = None,
) -> TokenFacts:
    """Every candidate source; the winner follows `order` unless `winner=` (or `blocked=`) says otherwise."""
    sources = [oidc_source(oidc)] if oidc is not None else []
    sources += [
        env_source("HF_TOKEN", hf_token, hf_token_raw),
        env_source("HUGGING_FACE_HUB_TOKEN", legacy, legacy_raw),
        file_source(file, unreadable=file_unreadable, raw=file_raw),
    ]
    if colab is not None:
        sources.append(colab)
    auto_winner, auto_blocked = resolve_winner(sources, order)
    if oidc == "refused":
        auto_winner, auto_blocked = None, "get_token() raised OIDCError: invalid_grant"
    return TokenFacts(
        sources=tuple(sources),
        stored=StoredTokens(path=f"{HOME}/.cache/huggingface/stored_tokens", error=stored_error),
        resolution=Resolution(
            winner=auto_winner if winner is DEFAULT else winner,
            decided_by=decided_by,
            blocked=auto_blocked if blocked is DEFAULT else blocked,
        ),
        misnamed=tuple((misnamed or {}).items()),
        vault=vault,
        colab_reached=colab_reached,
        colab_via=colab_via,
        colab_cache_empty=colab_cache_empty,
        oauth=oauth,
        now=NOW,
    )


# -- netrc, git, the observed header, the environment -------------------------------------------------

REQUESTS_USER = "requests (huggingface_hub<1.0, other Python tools)"


def netrc_file(
    password: str | None = VALID,
    *,
    path: str = NETRC,
    machine: str = "huggingface.co",
    login: str | None = "__token__",
    requests: bool = True,
    git: bool = True,
    error: str | None = None,
    unsafe_mode: str | None = None,
    entry: bool = True,
) -> NetrcFile:
    """One netrc file and the entry it yields for the Hub host; `requests`/`git` say who reads it (N2, N7)."""
    used_by = ((REQUESTS_USER,) if requests else ()) + (("git", "git-lfs") if git else ())
    stanza = NetrcEntry(machine, login, password) if entry and error is None else None
    return NetrcFile(path, used_by, exists=True, error=error, unsafe_mode=unsafe_mode, entry=stanza)


def basic_header(login: str = "__token__", password: str | None = VALID) -> ObservedAuth:
    """What requests put on the request when a netrc entry (or URL credentials) replaced the Bearer token."""
    return ObservedAuth(scheme="Basic", basic_login=login, basic_password=password, how="prepared (test)")


def bearer_header() -> ObservedAuth:
    return ObservedAuth(scheme="Bearer", carries_token=True, how="prepared (test)")


def sent_header(lib: LibraryFacts, sent: str | None, files: Sequence[NetrcFile]) -> ObservedAuth | None:
    """The header observe.py would see by default: requests (huggingface_hub < 1.0) puts the entry of the netrc
    file it reads on the request instead of the Bearer token (N2, O1); httpx never reads netrc."""
    if lib.backend == "requests":
        for netrc in files:
            if netrc.entry is not None and any(user.startswith("requests") for user in netrc.used_by):
                return basic_header(netrc.entry.login or "", netrc.entry.password)
    return bearer_header() if sent else None


def git_facts(
    password: str | None = None,
    *,
    username: str | None = "alice",
    available: bool = True,
    timed_out: bool = False,
    helpers: tuple[str, ...] = ("store",),
    host: str = "huggingface.co",
) -> GitFacts:
    """git's answer for the Hub host: no credential (default), a stored one, a hung helper, or no git."""
    if not available:
        return GitFacts(available=False, host=host, error="git is not installed")
    if timed_out:
        error = "git (its credential helper) did not answer within 2 s; it was stopped"
        return GitFacts(True, host, "git version 2.43.0", helpers, error=error, timed_out=True, elapsed=2.0)
    if password is None:
        return GitFacts(True, host, "git version 2.43.0", helpers, error="no credential stored for this host")
    return GitFacts(True, host, "git version 2.43.0", helpers, username=username, password=password)


def env_facts(
    *,
    endpoint: str | None = None,
    offline_variable: str | None = None,
    implicit_token_disabled: bool = False,
    oidc_resource: str | None = None,
    oidc_id_token: bool = False,
    github_actions_oidc: bool = False,
    proxy: str | None = None,
    proxy_url: str | None = None,
    proxy_error: str | None = None,
    ca_missing: tuple[tuple[str, str], ...] = (),
) -> EnvFacts:
    """Environment variables as they are now (the library froze some of them at import)."""
    return EnvFacts(
        endpoint=endpoint,
        offline=offline_variable is not None,
        offline_variable=offline_variable,
        implicit_token_disabled=implicit_token_disabled,
        oidc_resource=oidc_resource,
        oidc_id_token=oidc_id_token,
        github_actions_oidc=github_actions_oidc,
        proxy=proxy,
        proxy_url=proxy_url,
        ca_bundle=tuple(name for name, _ in ca_missing),
        proxy_error=proxy_error,
        ca_missing=ca_missing,
    )


def runtime_facts(
    kind: str = "jupyter", *, in_kernel: bool | None = None, colab_markers: bool | None = None
) -> RuntimeFacts:
    kernel = kind in ("jupyter", "colab", "kaggle", "vscode") if in_kernel is None else in_kernel
    markers = kind in ("colab", "colab-enterprise") if colab_markers is None else colab_markers
    return RuntimeFacts(kind, kind != "python", kernel, markers, ci=False, python="3.12.0", platform="linux")


def moved_token_path(default_masked: str | None = "hf_...good") -> TokenPathFacts:
    """HF_TOKEN_PATH points at a missing file while the default token file holds a token (T4)."""
    return TokenPathFacts(
        path="/elsewhere/token", default_path=TOKEN_FILE, missing=True, default_masked=default_masked
    )


# -- the Hub's answers ---------------------------------------------------------------------------------


def from_reply(reply: Reply) -> HttpResult:
    """The loopback Hub's reply as the transport records it (lower-cased header names)."""
    headers = {name.lower(): value for name, value in reply.headers}
    return HttpResult(status=reply.status, headers=headers, body=reply.body.decode())


def ok(payload: object = None) -> HttpResult:
    return from_reply(rules.json_reply({} if payload is None else payload))


def hub_error(status: int, message: str, code: str | None = None) -> HttpResult:
    """The Hub's error shape: `{"error": msg}` with X-Error-Message (and X-Error-Code)."""
    return from_reply(rules.error_reply(status, message, code))


def invalid_credentials() -> HttpResult:
    """401 for a revoked, expired or mistyped token, on every route (W3, S1)."""
    return hub_error(401, rules.INVALID_CREDENTIALS)


def repo_not_found(anonymous: bool = False) -> HttpResult:
    """Missing and invisible repos look the same: 401 anonymous, 404 with a token (S2)."""
    return (
        hub_error(401, rules.ANONYMOUS_REJECTED, "RepoNotFound")
        if anonymous
        else hub_error(404, rules.REPO_NOT_FOUND, "RepoNotFound")
    )


def repo_disabled() -> HttpResult:
    return hub_error(403, rules.REPO_DISABLED)


def write_denied() -> HttpResult:
    return hub_error(403, rules.WRITE_DENIED)


def revision_not_found(revision: str = "v9") -> HttpResult:
    return hub_error(404, f"Invalid rev id: {revision}", "RevisionNotFound")


def no_route() -> HttpResult:
    """A mirror or an old private Hub without the route: 404 without the Hub's X-Error-Code."""
    return hub_error(404, rules.PAGE_NOT_FOUND)


def rate_limited(reset: int = 55) -> HttpResult:
    """429 with the Hub's RateLimit headers (W4)."""
    headers = {
        "ratelimit": f'"api";r=0;t={reset}',
        "ratelimit-policy": '"fixed window";"api";q=500;w=300',
    }
    return HttpResult(status=429, headers=headers, body=json.dumps({"error": "Too Many Requests"}))


def server_error(status: int = 502) -> HttpResult:
    return HttpResult(status=status, body="Bad Gateway")


def transport_failure(kind: str = "timeout", error: str | None = None) -> HttpResult:
    """No HTTP answer at all (transport.classify_exception kinds: timeout, dns, refused, proxy, tls, ...)."""
    return HttpResult(status=None, error_kind=kind, error=error or f"ConnectError: {kind}")


def header_failure() -> HttpResult:
    """The token could not be put in an HTTP header: the request never left this process."""
    return HttpResult(status=None, error_kind="header", error="UnicodeEncodeError")


GateState = Literal["anonymous", "not-requested", "pending", "rejected", "fine-grained"]


def gate_denial(state: GateState, repo_id: str = REPO, repo_type: str = "model") -> HttpResult:
    """The loopback Hub's own answer at a gate (S3-S6), for a user outside the repo's namespace."""
    hub = HubState()
    hub.add_user("gatekeeper")
    repo = hub.add_repo(repo_id, repo_type, gated="manual")
    if state == "anonymous":
        reply = rules.gate_denial(Caller(), repo)
    else:
        user = hub.add_user("visitor")
        status = {"pending": "pending", "rejected": "rejected", "fine-grained": "accepted"}.get(state)
        if status is not None:
            hub.set_access(repo_id, "visitor", status, repo_type)
        role = "fineGrained" if state == "fine-grained" else "read"
        token = hub.add_token("visitor", role, can_read_gated=False)
        reply = rules.gate_denial(Caller(user=user, token=token), repo)
    assert reply is not None, state
    return from_reply(reply)


def whoami_ok(
    user: str = USER,
    role: str = "read",
    *,
    orgs: Mapping[str, str] | None = None,
    can_read_gated: bool = True,
    global_permissions: Sequence[str] = (),
    scoped: Sequence[Mapping[str, Any]] = (),
    oauth: bool = False,
) -> Whoami:
    """whoami-v2 200 for a token of `role` (read | write | fineGrained), shaped by the loopback Hub (W1, W2)."""
    hub = HubState()
    hub.add_user(user, orgs=dict(orgs or {}))
    token = hub.add_token(
        user,
        role,
        oauth=oauth,
        scoped=[dict(s) for s in scoped],
        global_permissions=list(global_permissions),
        can_read_gated=can_read_gated,
    )
    return Whoami(ok(payloads.whoami_payload(hub, token)))


def scope(name: str, kind: str, *permissions: str) -> dict[str, Any]:
    """One `fineGrained.scoped` entry: permissions on a user, an org or a repo."""
    return {"entity": {"type": kind, "name": name}, "permissions": list(permissions)}


def whoami_invalid() -> Whoami:
    return Whoami(invalid_credentials())


def whoami_answer(http: HttpResult) -> Whoami:
    return Whoami(http)


def metadata(
    repo_id: str = REPO, repo_type: str = "model", *, gated: bool | str = False, disabled: bool = False
) -> HttpResult:
    """`/api/{type}s/{id}` 200, as the loopback Hub shapes it (gated: false | "auto" | "manual", S7)."""
    hub = HubState()
    repo = hub.add_repo(repo_id, repo_type, gated=gated, disabled=disabled, files={"README.md": "# demo"})
    return ok(payloads.repo_metadata(repo, repo.sha))


def probe(kind: str, http: HttpResult, token: str | None, repo_type: str = "model") -> RepoProbe:
    return RepoProbe(kind=kind, repo_type=repo_type, token=token, http=http)


# -- the whole context -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RepoAnswers:
    """What the repo probes of one check met (hub.probe_hub sends these; `None` answers are left out)."""

    auth: HttpResult | None  # auth-check (read or write) with the token the library sends
    meta: HttpResult | None  # metadata of the asked type with that token
    anonymous_meta: HttpResult | None  # metadata of the asked type without a token (when a token was sent)
    exists_as: tuple[str, ...]  # other repo types whose metadata answered 200
    others: Mapping[str, HttpResult]  # auth-check with each shadowed token
    resolve: HttpResult | None  # the /resolve/ fallback where auth-check is unsupported


def repo_probes(target: Target, sent: str | None, answers: RepoAnswers) -> tuple[RepoProbe, ...]:
    """The probes `probe_hub` would have collected for these answers."""
    kind = "auth-write" if target.write else "auth-read"
    found: list[RepoProbe] = []
    for rtype in REPO_TYPES:
        if rtype == target.repo_type:
            if answers.meta is not None:
                found.append(probe("meta", answers.meta, sent, rtype))
        elif rtype in answers.exists_as:
            found.append(probe("meta", metadata(target.repo_id or REPO, rtype), sent, rtype))
        else:
            found.append(probe("meta", repo_not_found(anonymous=sent is None), sent, rtype))
    if sent is not None and answers.anonymous_meta is not None:
        found.append(probe("meta", answers.anonymous_meta, None, target.repo_type))
    if answers.auth is not None:
        found.append(probe(kind, answers.auth, sent, target.repo_type))
    for token, http in answers.others.items():
        found.append(probe(kind, http, token, target.repo_type))
    if answers.resolve is not None:
        found.append(probe("resolve", answers.resolve, sent, target.repo_type))
    return tuple(found)


def context(
    *,
    tokens: TokenFacts | None = None,
    lib: LibraryFacts | None = None,
    endpoint: str = DEFAULT_ENDPOINT,
    endpoint_login: str | None = None,
    endpoint_error: str | None = None,
    netrc: Sequence[NetrcFile] = (),
    observed: ObservedAuth | None = DEFAULT,  # default: sent_header()
    git: GitFacts | None = None,
    runtime: RuntimeFacts | None = None,
    env: EnvFacts | None = None,
    token_path: TokenPathFacts | None = None,
    # what was asked
    repo: str | None = REPO,
    repo_type: str = "model",
    write: bool = False,
    revision: str | None = None,
    # what the Hub said; `hub=None`: not asked (offline, or a local-only check)
    hub: HubFacts | None = DEFAULT,
    whoami: Mapping[str, Whoami] | None = None,
    auth: HttpResult | None = DEFAULT,
    meta: HttpResult | None = DEFAULT,
    anonymous_meta: HttpResult | None = DEFAULT,
    exists_as: Sequence[str] = (),
    others: Mapping[str, HttpResult] | None = None,
    resolve: HttpResult | None = None,
    inference: InferenceCall | None = None,  # the failed Inference Providers call explain(exc) found
    # the service call explain(exc) found failing
    failure: ServiceFailure | None = None,
    call_token: str | None = None,  # the token the failing repo request carried (token=...)
) -> Context:
    """A Context from hand-made facts (see the module docstring for the defaults).

    Hub answers: every present token (and git's password) gets whoami 200 (read, alice) unless `whoami` names
    it; the repo probes use the token the library sends, with `auth` (default 200) for its auth-check, `meta`
    (default 200) for the repo's metadata, `anonymous_meta` (default: as `meta`) for the same without a token,
    `exists_as` for other types that answer 200, and `others` for the auth-check of shadowed tokens.
    """
    lib = lib or library()
    tokens = tokens or token_facts(order=lib.order)
    git = git or git_facts()
    host = host_of(endpoint) if endpoint_error is None else ""
    sent = tokens.sent(lib.implicit_token_disabled)
    facts = LocalFacts(
        library=lib,
        endpoint=endpoint,
        host=host,
        tokens=tokens,
        netrc=NetrcFacts(host=host, files=tuple(netrc)),
        observed=sent_header(lib, sent, netrc) if observed is DEFAULT else observed,
        git=git,
        runtime=runtime or runtime_facts(),
        env=env or env_facts(),
        endpoint_login=endpoint_login,
        endpoint_password="mirror-pw" if endpoint_login is not None else None,
        token_path=token_path,
        endpoint_error=endpoint_error,
    )
    target = Target(repo_id=repo, repo_type=repo_type, write=write, revision=revision, endpoint=endpoint)
    if hub is DEFAULT and (lib.offline or not lib.installed or endpoint_error is not None):
        hub = None  # diagnose() does not ask the Hub then
    if hub is DEFAULT:
        whoami = {**({call_token: whoami_ok()} if call_token else {}), **(whoami or {})}
        hub = _hub(facts, target, whoami, auth, meta, anonymous_meta, exists_as, others, resolve)
    return Context(
        facts=facts, target=target, hub=hub, inference=inference, failure=failure, call_token=call_token
    )


def _hub(
    facts: LocalFacts,
    target: Target,
    whoami: Mapping[str, Whoami] | None,
    auth: HttpResult | None,
    meta: HttpResult | None,
    anonymous_meta: HttpResult | None,
    exists_as: Sequence[str],
    others: Mapping[str, HttpResult] | None,
    resolve: HttpResult | None,
) -> HubFacts:
    sent = facts.tokens.sent(facts.library.implicit_token_disabled)
    known = [s.value for s in facts.tokens.sources if s.value] + [v for _, v in facts.tokens.misnamed]
    if facts.git.password:
        known.append(facts.git.password)
    answers = {t: whoami_ok() for t in known}
    answers.update(whoami or {})
    repo: tuple[RepoProbe, ...] = ()
    if target.repo_id:
        meta = metadata(target.repo_id, target.repo_type) if meta is DEFAULT else meta
        repo = repo_probes(
            target,
            sent,
            RepoAnswers(
                auth=ok() if auth is DEFAULT else auth,
                meta=meta,
                anonymous_meta=meta if anonymous_meta is DEFAULT else anonymous_meta,
                exists_as=tuple(exists_as),
                others=others or {},
                resolve=resolve,
            ),
        )
    return HubFacts(whoami=answers, repo=repo, requests_sent=len(answers) + len(repo))


def local_only(**kwargs: Any) -> Context:
    """A context before (or without) asking the Hub: the local checks' view."""
    return context(hub=None, **kwargs)


# -- reading results --------------------------------------------------------------------------------------


def ids(findings: Sequence[Finding]) -> list[tuple[str, str]]:
    """(id, severity) of each finding, in order: what a row expects."""
    return [(f.id, f.severity) for f in findings]


@dataclass(frozen=True)
class Case:
    """One table row: facts -> the (id, severity) list a check returns, plus key facts of the first finding's
    evidence and a fragment one of the fix steps must contain (a command or a name, never wording)."""

    ctx: Context
    expect: list[tuple[str, str]]
    evidence: Mapping[str, object]
    fix: str | None

    def verify(self, check: Callable[[Context], list[Finding]]) -> None:
        findings = check(self.ctx)
        assert ids(findings) == self.expect
        for key, value in self.evidence.items():
            assert findings[0].evidence.get(key) == value, (key, findings[0].evidence)
        if self.fix is not None:
            assert any(self.fix in step for f in findings for step in f.fix), [f.fix for f in findings]


def row(
    name: str,
    ctx: Context,
    expect: Sequence[tuple[str, str]],
    *,
    evidence: Mapping[str, object] | None = None,
    fix: str | None = None,
) -> Any:
    """A named Case for `table`."""
    return pytest.param(Case(ctx, list(expect), dict(evidence or {}), fix), id=name)


def table(rows: Sequence[Any]) -> pytest.MarkDecorator:
    """Run the test once per row; the test receives the row as `case`."""
    return pytest.mark.parametrize("case", rows)
