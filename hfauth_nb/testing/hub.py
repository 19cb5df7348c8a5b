"""FakeHub: the public face of the loopback Hub simulator.

One lock guards the Hub state, taken both by the setup methods below and by every request's routing,
so tests may change the state while a client is talking to the server.
"""

from __future__ import annotations

import inspect
import re
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Callable, TypeVar

from hfauth_nb.testing import oauth, router
from hfauth_nb.testing.routes import Incoming, dispatch
from hfauth_nb.testing.rules import PUBLIC_HUB, Reply
from hfauth_nb.testing.server import STALL, Fault, FaultStatus, HubServer, RecordedRequest, Runtime
from hfauth_nb.testing.state import HubState, Repo, Token, User

if TYPE_CHECKING:
    from typing import Concatenate, ParamSpec  # Python 3.10+: only the type checker needs them

    P = ParamSpec("P")

LOOPBACK = "127.0.0.1"
WHOAMI_PATH = "/api/whoami-v2"
OAUTH_TOKEN_PATH = "/oauth/token"
_SERVE_POLL_SECONDS = 0.05
_STOP_JOIN_SECONDS = 2.0

_R = TypeVar("_R")
_T = TypeVar("_T")


def _sets_up(
    setup: Callable[Concatenate[HubState, P], _R],
) -> Callable[[Callable[[FakeHub, _R], _T]], Callable[Concatenate[FakeHub, P], _T]]:
    """A FakeHub method taking exactly `setup`'s parameters (spelled once, in state.py): it runs `setup` on
    the hub's state under the lock and returns what the decorated function makes of the result."""

    def decorate(answer: Callable[[FakeHub, _R], _T]) -> Callable[Concatenate[FakeHub, P], _T]:
        def method(self: FakeHub, /, *args: P.args, **kwargs: P.kwargs) -> _T:
            with self._lock:
                return answer(self, setup(self._state, *args, **kwargs))

        # help(), `hub.add_token?`, inspect and get_type_hints see setup's parameters (resolved in state.py,
        # the module `__wrapped__` leads to) with the method's own name, docstring and return type.
        self_param, *parameters = inspect.signature(setup).parameters.values()
        returns = inspect.signature(answer).return_annotation
        method.__name__ = answer.__name__
        method.__qualname__ = answer.__qualname__
        method.__doc__ = answer.__doc__
        method.__annotations__ = {**{p.name: p.annotation for p in parameters}, "return": returns}
        signature = inspect.Signature([self_param, *parameters], return_annotation=returns)
        method.__signature__ = signature  # type: ignore[attr-defined]
        method.__wrapped__ = setup  # type: ignore[attr-defined]
        return method

    return decorate


class FakeHub:
    """A Hugging Face Hub stand-in on 127.0.0.1 that real huggingface_hub clients talk to.

    >>> with FakeHub() as hub:
    ...     hub.add_user("alice")
    ...     token = hub.add_token("alice", role="write")
    ...     # HfApi(endpoint=hub.url, token=token).whoami()["name"] == "alice"
    """

    def __init__(
        self,
        latency: float = 0.0,
        *,
        basic_accepts_tokens: bool = False,
        port: int = 0,
        public_url: str | None = PUBLIC_HUB,
    ) -> None:
        """`latency`: seconds before every answer. `basic_accepts_tokens`: treat a Basic password as a
        token (default: Basic gets 401). `public_url`: base of URLs in answers (`url`, `commitUrl`); the
        Hub writes https://huggingface.co and clients rewrite it to their endpoint, which is what
        huggingface_hub 0.x needs when `endpoint=` is passed explicitly; None = the simulator's URL
        (for 0.x with HF_ENDPOINT pointing here)."""
        self._lock = threading.RLock()
        self._state = HubState(basic_accepts_tokens=basic_accepts_tokens)
        self._port = port
        self._runtime = Runtime(dispatch=self._dispatch, latency=latency, public_url=public_url)
        self._server: HubServer | None = None
        self._thread: threading.Thread | None = None

    # --- state set-up --------------------------------------------------------------------------------

    @_sets_up(HubState.add_user)
    def add_user(self, user: User) -> None:
        """Add a user; `orgs` maps org name to roleInOrg (admin|write|contributor|read)."""

    def add_org(self, name: str, *, fullname: str | None = None) -> None:
        """Add an organization (add_user also creates the orgs it names)."""
        with self._lock:
            self._state.add_org(name, fullname=fullname)

    @_sets_up(HubState.add_token)
    def add_token(self, token: Token) -> str:
        """Issue a token ("read" | "write" | "fineGrained") and return its value (generated unless
        given). `oauth=True` makes an `hf_oauth_...` token whose whoami `auth` is only `{type: "oauth",
        expiresAt}` (no accessToken: no role, no scopes); from
        `expires_at` (unix seconds) on, the token gets 401 like a revoked one."""
        return token.value

    def add_oauth_login(
        self, user: str, role: str = "read", *, expires_at: float | None = None
    ) -> tuple[str, str]:
        """A browser (OAuth) login: returns (access token, refresh token). The access token expires at
        `expires_at` (unix seconds; default in 30 days) and then gets 401; `POST /oauth/token` with the
        refresh token answers a new pair, once per refresh token (rotation)."""
        with self._lock:
            return oauth.add_login(self._state, user, role, expires_at)

    def revoke_refresh_token(self, refresh_token: str) -> None:
        """From now on this refresh token gets 400 invalid_grant."""
        with self._lock:
            oauth.revoke(self._state, refresh_token)

    def refresh_calls(self) -> int:
        """How many `POST /oauth/token` requests arrived."""
        return sum(1 for r in self.requests if r.path == OAUTH_TOKEN_PATH and r.method == "POST")

    def revoke(self, token: str) -> None:
        """From now on the token gets 401 "Invalid credentials in Authorization header"."""
        with self._lock:
            self._state.revoke(token)

    def add_oidc_id_token(self, user: str, role: str = "write", *, resource: str | None = None) -> str:
        """A CI id token that `POST /oauth/token` exchanges (RFC 8693) for a fresh `hf_jwt_...` token of
        `user` with `role`; `resource` None accepts any resource. Returns the id token."""
        with self._lock:
            return oauth.add_oidc_id_token(self._state, user, role, resource)

    def add_refresh_token(self, user: str, role: str = "read") -> str:
        """An OAuth refresh token that `POST /oauth/token` (grant_type=refresh_token) turns into a fresh
        `hf_oauth_...` access token of `user`; reusable, never rotated. Returns the refresh token."""
        with self._lock:
            return oauth.add_refresh_grant(self._state, user, role, rotate=False).value

    def revoke_grant(self, secret: str) -> None:
        """Forget an id token or revoke a refresh token: exchanging it now gets 400 `invalid_grant`."""
        with self._lock:
            oauth.revoke(self._state, secret)

    @property
    def minted_tokens(self) -> int:
        """How many access tokens `/oauth/token` has issued."""
        with self._lock:
            return self._state.minted

    def token_owner(self, token: str) -> str | None:
        """The user a token (issued, minted or revoked) belongs to, None if the hub never issued it."""
        with self._lock:
            found = self._state.tokens.get(token)
            return found.user if found is not None else None

    def issued_tokens(self) -> list[str]:
        """Every token value the hub knows (issued with add_token or minted by /oauth/token)."""
        with self._lock:
            return list(self._state.tokens)

    @_sets_up(HubState.add_repo)
    def add_repo(self, repo: Repo) -> None:
        """Add a repo (model|dataset|space); gated is False, "auto" or "manual"."""

    @_sets_up(HubState.add_xet_file)
    def add_xet_file(self, _: None) -> None:
        """Serve an existing file as Xet-backed (`/resolve/` points clients at the Xet token route)."""

    @_sets_up(HubState.set_storage)
    def set_storage(self, _: None) -> None:
        """Where the Xet storage host is (None: this server; an unused port: unreachable) and its 401 or 403."""

    @_sets_up(HubState.set_xet_tokens)
    def set_xet_tokens(self, _: None) -> None:
        """Xet token lifetime in seconds; `revoke_after_first=True`: the caller's Hub token is revoked right after
        the first Xet token is minted, so a refresh of that token during the download gets 401."""

    @_sets_up(HubState.set_space)
    def set_space(self, _: None) -> None:
        """A Space's runtime stage ("PAUSED", "RUNTIME_ERROR", ...), what its host answers a caller it hides from
        (404, or 401), and whether it runs on ZeroGPU (anonymous predictions then get the sign-up quota error). By
        default a Space runs on CPU and hides with 404. Its host: testing/space_host.py."""

    def set_access(self, repo_id: str, user: str, status: str | None, *, repo_type: str = "model") -> None:
        """Set a user's gated-access status: None | "pending" | "accepted" | "rejected"."""
        with self._lock:
            self._state.set_access(repo_id, user, status, repo_type=repo_type)

    def repo_files(self, repo_id: str, *, repo_type: str = "model") -> dict[str, bytes]:
        """Current files of a repo (e.g. to check what an upload committed)."""
        with self._lock:
            repo = self._state.get_repo(repo_type, repo_id)
            if repo is None:
                raise ValueError(f"unknown {repo_type} {repo_id!r}")
            return dict(repo.files)

    # --- faults and latency --------------------------------------------------------------------------

    def fail(
        self, path_regex: str, status: FaultStatus = 500, times: int | None = None, *, reset_seconds: int = 55
    ) -> None:
        """Make requests whose path matches `path_regex` (re.search, raw path without query) fail:
        500, 429 (with `RateLimit: "api";r=0;t={reset_seconds}` and RateLimit-Policy) or "stall" (no
        answer until stop()). `times` None = forever. Note that huggingface_hub retries 429/5xx in some
        calls (http_backoff), sleeping `reset_seconds` on a 429."""
        if status != STALL and not (isinstance(status, int) and 400 <= status <= 599):
            raise ValueError(f"status must be an HTTP error status or 'stall'; got {status!r}")
        if times is not None and times < 0:
            raise ValueError("times must be None or >= 0")
        self._runtime.faults.append(Fault(re.compile(path_regex), status, times, reset_seconds))

    def clear_faults(self) -> None:
        """Remove every injected fault."""
        self._runtime.faults.clear()

    @property
    def latency(self) -> float:
        """Seconds of delay before every answer (interrupted by stop())."""
        return self._runtime.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        self._runtime.latency = max(0.0, float(seconds))

    # --- lifecycle -----------------------------------------------------------------------------------

    def start(self) -> str:
        """Listen on 127.0.0.1 (ephemeral port unless one was given) and return the base URL."""
        if self._server is not None:
            return self.url
        self._runtime.stopping.clear()
        server = HubServer((LOOPBACK, self._port), self._runtime)
        self._runtime.base_url = f"http://{LOOPBACK}:{server.server_address[1]}"
        self._thread = threading.Thread(
            target=server.serve_forever, args=(_SERVE_POLL_SECONDS,), name="fakehub-server", daemon=True
        )
        self._server = server
        self._thread.start()
        return self._runtime.base_url

    @property
    def url(self) -> str:
        """Base URL, e.g. "http://127.0.0.1:54321" (pass it as `endpoint=` to huggingface_hub)."""
        if self._server is None:
            raise RuntimeError("FakeHub is not running: call start() or use it as a context manager")
        return self._runtime.base_url

    def stop(self) -> None:
        """Stop serving and release stalled handlers; idempotent, bounded (a few seconds at most)."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        self._runtime.stopping.set()
        if server is None:
            return
        server.shutdown()
        server.server_close()
        server.join_handlers(_STOP_JOIN_SECONDS)
        if thread is not None:
            thread.join(_STOP_JOIN_SECONDS)

    def __enter__(self) -> FakeHub:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # --- request log ---------------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Snapshot of every request received so far (thread-safe copy)."""
        return self._runtime.log.snapshot()

    def clear_requests(self) -> None:
        """Forget the request log."""
        self._runtime.log.clear()

    def wait_for_requests(self, count: int, timeout: float = 5.0) -> bool:
        """Block until at least `count` requests were received (stalled ones count); False on timeout."""
        return self._runtime.log.wait_for(count, timeout)

    def whoami_calls(self, token: str | None = None) -> int:
        """How many `/api/whoami-v2` requests arrived (only those carrying `token`, if given)."""
        return sum(1 for r in self.requests if r.path == WHOAMI_PATH and (token is None or r.token == token))

    def serve_model(self, model: str, provider: str = "hf-inference", task: str = "conversational") -> None:
        """Let the simulated router serve `model` through `provider` for `task` (its metadata then maps it)."""
        with self._lock:
            router.serve(self._state.router, model, provider, task)

    def deplete_credits(self, account: str) -> None:
        """The user or org `account` has no Inference Providers credits left (the router answers 402)."""
        with self._lock:
            self._state.router.no_credits.add(account)

    def inference_calls(self) -> int:
        """How many inference POSTs reached the simulated router (a test's proof that none was sent)."""
        return sum(1 for r in self.requests if r.path.startswith(f"/{router.SEGMENT}/"))

    # --- internals -----------------------------------------------------------------------------------

    def _dispatch(self, incoming: Incoming) -> Reply:
        with self._lock:
            return dispatch(self._state, incoming)

    def __repr__(self) -> str:
        where = self._runtime.base_url if self._server is not None else "stopped"
        return f"FakeHub({where})"
