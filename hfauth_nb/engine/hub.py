"""Hub probes: every request of a check in flight at once, under one deadline; whoami once per token.

whoami is strictly rate-limited on the Hub (fact W4), so its answers are cached for the whole process (the
kernel session) per endpoint and token; transport failures are not cached, a 429 only until its reset.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable
from urllib.parse import quote

from hfauth_nb.engine import transport
from hfauth_nb.engine.transport import HttpResult, Transport
from hfauth_nb.hub_refs import REPO_TYPES, URL_PREFIX
from hfauth_nb.secrets import redact_url

_CACHE_LOCK = threading.Lock()
_WHOAMI_CACHE: dict[tuple[str, str], tuple[HttpResult, float]] = {}
_IN_FLIGHT: dict[tuple[str, str], transport.Pending] = {}  # whoami requests sent and not answered yet


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def clear_whoami_cache() -> None:
    """Forget cached whoami answers (a new kernel session starts with none)."""
    with _CACHE_LOCK:
        _WHOAMI_CACHE.clear()
        _IN_FLIGHT.clear()


def _cached_whoami(endpoint: str, token: str) -> HttpResult | None:
    with _CACHE_LOCK:
        entry = _WHOAMI_CACHE.get((endpoint, _digest(token)))
    if entry is None or entry[1] < time.monotonic():
        return None
    return entry[0]


def _remember_whoami(endpoint: str, token: str, result: HttpResult) -> None:
    with _CACHE_LOCK:
        _IN_FLIGHT.pop((endpoint, _digest(token)), None)
        if result.status is None or result.status >= 500:
            return  # transport failures and server errors: ask again next time
        ttl = float("inf")
        if result.status == 429:
            ttl = float(result.rate_limit_reset or 60)
        _WHOAMI_CACHE[(endpoint, _digest(token))] = (result, time.monotonic() + ttl)


def _whoami_in_flight(
    endpoint: str, token: str, start: Callable[[], transport.Pending]
) -> tuple[transport.Pending, bool]:
    """The whoami request for this token: the one already in flight (checks running at once share it), or a new
    one from `start()`; True when this call started it. So whoami leaves at most once per token per session."""
    key = (endpoint, _digest(token))
    with _CACHE_LOCK:
        running = _IN_FLIGHT.get(key)
        if running is not None:
            return running, False
        entry = _WHOAMI_CACHE.get(key)
        if entry is not None and entry[1] >= time.monotonic():  # answered since the caller looked
            done = transport.Pending(result=entry[0])
            done.done.set()
            return done, False
        pending = start()
        _IN_FLIGHT[key] = pending
        return pending, True


def _object(payload: dict[str, Any], key: str) -> dict[str, Any]:
    """`payload[key]` if it is a JSON object, else {}: the Hub's answers are not trusted to be well formed."""
    value = payload.get(key)
    return value if isinstance(value, dict) else {}


def _text(payload: dict[str, Any], key: str) -> str | None:
    """`payload[key]` as a string, None when missing or empty."""
    value = payload.get(key)
    return str(value) if value else None


@dataclass(frozen=True)
class Whoami:
    """The Hub's answer about one token."""

    http: HttpResult
    cached: bool = False

    @property
    def valid(self) -> bool | None:
        if self.http.status == 200:
            return True
        if self.http.status == 401:
            return False
        return None

    @property
    def data(self) -> dict[str, Any]:
        payload = self.http.json
        return payload if isinstance(payload, dict) and self.http.status == 200 else {}

    @property
    def user(self) -> str | None:
        return _text(self.data, "name")

    @property
    def access_token(self) -> dict[str, Any]:
        return _object(_object(self.data, "auth"), "accessToken")

    @property
    def role(self) -> str | None:
        return _text(self.access_token, "role")

    @property
    def fine_grained(self) -> dict[str, Any]:
        return _object(self.access_token, "fineGrained")

    @property
    def orgs(self) -> dict[str, str]:
        """Organization name -> the user's role in it."""
        result: dict[str, str] = {}
        for org in self.data.get("orgs") or []:
            if isinstance(org, dict) and org.get("name"):
                result[str(org["name"])] = str(org.get("roleInOrg") or "")
        return result


@dataclass(frozen=True)
class RepoProbe:
    """One repo request: which endpoint kind, which repo type, sent with which token."""

    kind: str  # meta | auth-read | auth-write | resolve | xet-token
    repo_type: str
    token: str | None = field(repr=False)
    http: HttpResult


@dataclass(frozen=True)
class HubFacts:
    """Everything the Hub said during one check."""

    whoami: dict[str, Whoami] = field(default_factory=dict, repr=False)  # keyed by raw token (never shown)
    repo: tuple[RepoProbe, ...] = ()
    skipped: str | None = None  # why no probe was sent (offline mode, ...)
    elapsed: float = 0.0
    requests_sent: int = 0

    def whoami_for(self, token: str | None) -> Whoami | None:
        return self.whoami.get(token) if token is not None else None

    def probe(self, kind: str, repo_type: str, token: str | None) -> RepoProbe | None:
        return next(
            (p for p in self.repo if p.kind == kind and p.repo_type == repo_type and p.token == token), None
        )


def repo_api_url(endpoint: str, repo_type: str, repo_id: str, suffix: str = "") -> str:
    return f"{endpoint}/api/{repo_type}s/{quote(repo_id, safe='/')}{suffix}"


def probe_hub(
    endpoint: str,
    tokens: Iterable[str],
    *,
    sent_token: str | None,
    repo_id: str | None,
    repo_type: str = "model",
    write: bool = False,
    revision: str | None = None,
    other_tokens: Iterable[str] = (),
    timeout: float = 5.0,
    late_tokens: Callable[[], Iterable[str]] | None = None,
    client: Transport | None = None,
    xet_route: bool = False,
) -> HubFacts:
    """Send every probe of a check concurrently and collect what answered before the deadline.

    - whoami-v2 for each distinct token (cached per session);
    - for a repo: metadata for each repo type with `sent_token` (to tell a wrong type from a missing repo),
      metadata without a token (is it public?), and auth-check (read, or write) with `sent_token` and with each
      token in `other_tokens` (would a shadowed token have access?);
    - whoami for `late_tokens()`, called once the first probes are in flight (git's credential, which can take
      a while): the Hub's answers to the others are not held back by it;
    - with `xet_route`, the repo's Xet token route with `sent_token` (read-only; it mints a short-lived Xet token,
      which is dropped on arrival): sent only to explain a failed Xet transfer (services fact X6).
    `client`: a transport shared by checks running at once (the caller closes it); else one of its own.
    """
    started = time.monotonic()
    deadline = started + timeout
    endpoint = redact_url(endpoint)  # the token is judged alone: URL credentials would replace it (fact N6)
    shared = client is not None
    client = client or Transport()
    pending: list[tuple[Callable[[HttpResult], None], transport.Pending]] = []
    whoami: dict[str, Whoami] = {}
    repo: list[RepoProbe] = []
    sent = 0

    def launch(method: str, url: str, token: str | None, collect: Callable[[HttpResult], None]) -> None:
        nonlocal sent
        sent += 1
        pending.append((collect, transport.start(lambda: client.send(method, url, token, timeout))))

    asked: set[str] = set()

    def ask_whoami(token: str) -> None:
        nonlocal sent
        if token in asked:
            return
        asked.add(token)
        cached = _cached_whoami(endpoint, token)
        if cached is not None:
            whoami[token] = Whoami(cached, cached=True)
            return

        def send(token: str = token) -> HttpResult:
            result = client.send("GET", f"{endpoint}/api/whoami-v2", token, timeout)
            # Remembered in the request's own thread: kept even when no check waits for it any more.
            _remember_whoami(endpoint, token, result)
            return result

        item, mine = _whoami_in_flight(endpoint, token, lambda: transport.start(send))
        sent += int(mine)

        def keep_whoami(result: HttpResult, token: str = token, shared: bool = not mine) -> None:
            whoami[token] = Whoami(result, cached=shared)

        pending.append((keep_whoami, item))

    for token in tokens:
        ask_whoami(token)

    if repo_id:
        meta_suffix = f"/revision/{quote(revision, safe='')}" if revision else ""
        for rtype in REPO_TYPES:
            _launch_repo(
                launch, repo, "meta", rtype, sent_token, repo_api_url(endpoint, rtype, repo_id, meta_suffix)
            )
        if sent_token is not None:
            _launch_repo(
                launch, repo, "meta", repo_type, None, repo_api_url(endpoint, repo_type, repo_id, meta_suffix)
            )
        auth_kind, auth_suffix = (
            ("auth-write", "/auth-check/write") if write else ("auth-read", "/auth-check")
        )
        if xet_route:
            xet_suffix = f"/xet-read-token/{quote(revision or 'main', safe='')}"
            _launch_repo(
                launch,
                repo,
                "xet-token",
                repo_type,
                sent_token,
                repo_api_url(endpoint, repo_type, repo_id, xet_suffix),
            )
        for auth_token in dict.fromkeys([sent_token, *other_tokens]):
            _launch_repo(
                launch,
                repo,
                auth_kind,
                repo_type,
                auth_token,
                repo_api_url(endpoint, repo_type, repo_id, auth_suffix),
            )

    if late_tokens is not None:
        for token in late_tokens():
            if time.monotonic() < deadline:
                ask_whoami(token)
    for collect, item in pending:
        collect(transport.wait(item, deadline, timeout))
    if repo_id and not write:
        fallback = _resolve_fallback(repo, endpoint, repo_type, repo_id, revision)
        if fallback is not None:
            pending.clear()
            url, fallback_token = fallback
            _launch_repo(launch, repo, "resolve", repo_type, fallback_token, url)
            for collect, item in pending:
                collect(transport.wait(item, deadline, timeout))
    if not shared:
        threading.Thread(target=client.close, daemon=True).start()
    return HubFacts(whoami=whoami, repo=tuple(repo), elapsed=time.monotonic() - started, requests_sent=sent)


def auth_check_unsupported(result: HttpResult) -> bool:
    """A 404/405/501 without the Hub's X-Error-Code: the server has no auth-check route (a mirror, an old
    private Hub), not a missing repo (which the Hub answers with `RepoNotFound`)."""
    return result.status in (404, 405, 501) and not result.error_code


def _resolve_fallback(
    probes: list[RepoProbe], endpoint: str, repo_type: str, repo_id: str, revision: str | None
) -> tuple[str, str | None] | None:
    """Where auth-check is unsupported but the repo's metadata answered, read access is judged by a HEAD on
    one of its files through `/resolve/`, which enforces gates and privacy the same way (fact S10)."""
    auth = next((p for p in probes if p.kind == "auth-read"), None)
    if auth is None or not auth_check_unsupported(auth.http):
        return None
    meta = next(
        (p for p in probes if p.kind == "meta" and p.repo_type == repo_type and p.token == auth.token), None
    )
    if meta is None or meta.http.status != 200:
        return None
    data = meta.http.json
    siblings = data.get("siblings") if isinstance(data, dict) else None
    names = [s.get("rfilename") for s in siblings or [] if isinstance(s, dict) and s.get("rfilename")]
    filename = next(
        (n for n in names if n in ("config.json", "README.md")), names[0] if names else "README.md"
    )
    return resolve_url(endpoint, repo_type, repo_id, revision, str(filename)), auth.token


def resolve_url(endpoint: str, repo_type: str, repo_id: str, revision: str | None, filename: str) -> str:
    """Where the library downloads one file of a repo from."""
    prefix = URL_PREFIX[repo_type]
    return f"{endpoint}/{prefix}{repo_id}/resolve/{quote(revision or 'main', safe='')}/{quote(filename)}"


def fetch_repo_json(client: Transport, url: str, token: str | None, timeout: float) -> Any:
    """A small JSON file of a repo (an adapter's adapter_config.json) fetched the way a download would be, with the
    token the library sends; None when it is missing, refused or not JSON."""
    result = client.send("GET", redact_url(url), token, timeout)
    return result.json if result.status == 200 else None


def _launch_repo(
    launch: Callable[[str, str, str | None, Callable[[HttpResult], None]], None],
    sink: list[RepoProbe],
    kind: str,
    repo_type: str,
    token: str | None,
    url: str,
) -> None:
    def keep(result: HttpResult) -> None:
        if kind == "xet-token":
            result = without_xet_token(result)
        sink.append(RepoProbe(kind=kind, repo_type=repo_type, token=token, http=result))

    # A file probe only needs the status and headers: HEAD never downloads the file.
    launch("HEAD" if kind == "resolve" else "GET", url, token, keep)


def without_xet_token(result: HttpResult) -> HttpResult:
    """The token route's answer with the minted Xet token dropped (its body and `X-Xet-*` headers carry it): only
    the status and the Hub's error code and message are evidence."""
    kept = {k: v for k, v in result.headers.items() if k in ("x-error-code", "x-error-message")}
    body = "" if result.status == 200 else result.body
    return replace(result, headers=kept, body=body)
