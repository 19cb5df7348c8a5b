"""Service routes of the simulated Hub beyond repo files: the Xet token routes and a storage (CAS) host that
refuses, and the Space runtime and admin routes (services facts X5, E5, E6, H1, H2).

- `GET /api/{type}s/{id}/xet-read-token/{rev}` follows the read rules (gate included) and answers with a
  short-lived Xet token in the `X-Xet-*` headers and the JSON body; `xet-write-token` follows the write rules.
  The lifetime is the test's (`set_xet_tokens`); under 30 s, hf_xet asks the route again before its first storage
  request (services facts X5, X7), and the Hub can be told to refuse the caller's token on that second ask.
- Files marked Xet-backed carry `X-Xet-Hash` and `X-Xet-Refresh-Route` on `/resolve/`, so the installed
  huggingface_hub takes its Xet path and hf_xet asks the storage host.
- The storage host is this server unless a test points it elsewhere (an unused port: unreachable); it answers
  `GET /v2/reconstructions/{hash}` with the status the test chose (default 401), never with data.
- `GET /api/spaces/{id}/runtime` follows the read rules and reports the stage the test set (default RUNNING;
  the Space's own host is testing/space_host.py). The admin routes (restart, pause, sleeptime, hardware)
  refuse browser (OAuth) tokens on restart/sleeptime/hardware with the anonymous 401 text, and otherwise change
  nothing: no Space runs here.
"""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING

from hfauth_nb.testing import rules
from hfauth_nb.testing.rules import Caller, Reply, error_reply, json_reply
from hfauth_nb.testing.state import HubState, Repo

if TYPE_CHECKING:
    from hfauth_nb.testing.routes import Incoming, RepoTarget

# Actions below /api/{type}s/{id}/ and how many segments follow the route word.
ACTIONS = {
    "xet-read-token": 1,
    "xet-write-token": 1,
    "runtime": 0,
    **dict.fromkeys(("restart", "pause", "sleeptime", "hardware"), 0),
}
# The routes a browser login was seen refused on (services fact H2).
OAUTH_REFUSED = ("restart", "sleeptime", "hardware")


def handle_xet_token(state: HubState, caller: Caller, request: Incoming, target: RepoTarget) -> Reply:
    """The Hub's Xet token route: Hub rules first (gated, private, bad token), then a fresh Xet token."""
    write = target.action == "xet-write-token"
    check = rules.check_write if write else rules.check_read
    found = check(state, caller, target.repo_type, target.repo_id)
    if isinstance(found, Reply):
        return found
    state.xet_tokens_issued += 1
    if state.xet_revoke_after_first and caller.token is not None:
        caller.token.revoked = True  # this answer still goes out; the next request with this token gets 401
        state.xet_revoke_after_first = False  # once: a token made later (the user's new one) keeps working
    token = "xet_" + secrets.token_hex(16)  # not a Hub token shape: the storage host's own credential
    expires = int(time.time()) + state.xet_token_seconds
    cas = (
        state.xet_cas_url or request.server_url or request.public_url
    )  # loopback, never the real storage host
    headers = (
        ("X-Xet-Cas-Url", cas),
        ("X-Xet-Access-Token", token),
        ("X-Xet-Token-Expiration", str(expires)),
    )
    return json_reply({"accessToken": token, "exp": expires, "casUrl": cas}, headers=headers)


def xet_headers(
    state: HubState, request: Incoming, repo: Repo, revision: str, path: str
) -> tuple[tuple[str, str], ...]:
    """`/resolve/` headers that send the installed library down its Xet path for a Xet-backed file."""
    if (repo.repo_type, repo.repo_id, path) not in state.xet_files:
        return ()
    prefix = {"model": "models", "dataset": "datasets", "space": "spaces"}[repo.repo_type]
    sha = repo.sha if revision == "main" else revision
    refresh = f"{request.public_url}/api/{prefix}/{repo.repo_id}/xet-read-token/{sha}"
    return (("X-Xet-Hash", _hash_of(repo, path)), ("X-Xet-Refresh-Route", refresh))


def _hash_of(repo: Repo, path: str) -> str:
    import hashlib

    return hashlib.sha256(repo.files[path]).hexdigest()


def is_storage_request(request: Incoming) -> bool:
    """A request for the storage host (answered before Hub authentication: it carries a Xet token)."""
    return request.path.startswith("/v2/reconstructions/") or request.path.startswith("/reconstruction/")


def handle_storage(state: HubState, request: Incoming) -> Reply:
    """The storage host: refuses with the status the test chose; it never serves data here."""
    return error_reply(state.cas_status, "Unauthorized" if state.cas_status == 401 else "Forbidden")


def handle_runtime(state: HubState, caller: Caller, request: Incoming, target: RepoTarget) -> Reply:
    """`GET /api/spaces/{id}/runtime`: read rules, then a running CPU Space."""
    if target.repo_type != "space":
        return error_reply(404, rules.PAGE_NOT_FOUND)
    found = rules.locate(state, caller, target.repo_type, target.repo_id)
    if isinstance(found, Reply):
        return found
    space = state.spaces.get(target.repo_id)
    return json_reply(_runtime(space.stage if space is not None else "RUNNING"))


def handle_space_admin(state: HubState, caller: Caller, request: Incoming, target: RepoTarget) -> Reply:
    """Restart, pause, sleep time, hardware: browser logins refused on three of them (services fact H2), then write rules."""
    if target.repo_type != "space":
        return error_reply(404, rules.PAGE_NOT_FOUND)
    state.space_admin_calls += 1
    if caller.token is not None and caller.token.oauth and target.action in OAUTH_REFUSED:
        return error_reply(401, rules.ANONYMOUS_REJECTED)
    found = rules.check_write(state, caller, target.repo_type, target.repo_id)
    return found if isinstance(found, Reply) else json_reply(_runtime())


def _runtime(stage: str = "RUNNING") -> dict[str, object]:
    return {
        "stage": stage,
        "hardware": {"current": "cpu-basic", "requested": "cpu-basic"},
        "storage": None,
        "gcTimeout": 172800,
        "replicas": {"current": 1, "requested": 1},
    }
