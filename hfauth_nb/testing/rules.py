"""Pure access rules of the simulated Hub.

Each function maps (state, caller, target) to either "allowed" or the exact error the real Hub sends
(facts reference S1-S8, W3), so decisions are unit-testable without sockets. Messages the facts record
verbatim are reproduced verbatim; the write-denial wording is not documented anywhere, so it is one
generic sentence on purpose: a client must decide from whoami data, not from this text.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from dataclasses import dataclass
from typing import Any, Callable, Literal, Mapping, Union

from hfauth_nb.hub_refs import DEFAULT_ENDPOINT, URL_PREFIX
from hfauth_nb.testing.state import HubState, OrgRole, Repo, Token, User

INVALID_CREDENTIALS = "Invalid credentials in Authorization header"
ANONYMOUS_REJECTED = "Invalid username or password."
REPO_NOT_FOUND = "Repository not found"
REPO_DISABLED = "Access to this resource is disabled."
FINE_GRAINED_NO_GATED = (
    "Please enable access to public gated repositories in your fine-grained token settings to view this "
    "repository."
)
WRITE_DENIED = "You don't have the rights to write to this repository."
PAGE_NOT_FOUND = "Sorry, we can't find the page you are looking for."
ENTRY_NOT_FOUND = "Entry not found"

# Permission names from facts W2. Write implies read, as the token UI ticks read with write.
READ_PERMISSIONS = frozenset({"repo.content.read", "repo.write", "repo.content.write"})
WRITE_PERMISSIONS = frozenset({"repo.write", "repo.content.write"})
# Org roles allowed to write to any org repo, and to create repos in the org (contributors may then write
# only to the repos they created).
WRITE_ORG_ROLES = frozenset({"admin", "write"})
CREATE_ORG_ROLES = frozenset({"admin", "write", "contributor"})

URL_PREFIXES = URL_PREFIX
PUBLIC_HUB = DEFAULT_ENDPOINT  # the URLs the simulated Hub writes in its pages and errors

Header = tuple[str, str]


@dataclass(frozen=True)
class Reply:
    """One HTTP answer: status, body and extra headers (the server adds X-Request-Id and framing)."""

    status: int
    body: bytes = b""
    headers: tuple[Header, ...] = ()
    content_type: str = "application/json"
    hold: bool = False  # keep the connection open after the body until the server stops (an event stream)


def json_reply(payload: object, status: int = 200, headers: tuple[Header, ...] = ()) -> Reply:
    """A JSON answer."""
    return Reply(status=status, body=json.dumps(payload).encode(), headers=headers)


def error_reply(status: int, message: str, code: str | None = None, **extra: Any) -> Reply:
    """The Hub's error shape: `{"error": msg}` plus the same text in X-Error-Message (and X-Error-Code)."""
    headers: tuple[Header, ...] = (("X-Error-Message", message),)
    if code is not None:
        headers += (("X-Error-Code", code),)
    return json_reply({"error": message, **extra}, status=status, headers=headers)


@dataclass(frozen=True)
class Credentials:
    """What a request's Authorization header carried. `scheme` is "Bearer", "Basic", another raw scheme,
    or None when the header is absent; `token` is the Bearer value or the Basic password."""

    scheme: str | None = None
    token: str | None = None
    basic_user: str | None = None


def parse_authorization(header: str | None) -> Credentials:
    """Split an Authorization header without judging it (judging is `authenticate`)."""
    if header is None:
        return Credentials()
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() == "bearer":
        return Credentials(scheme="Bearer", token=value)
    if scheme.lower() == "basic":
        return _parse_basic(value)
    return Credentials(scheme=scheme or None)


def _parse_basic(value: str) -> Credentials:
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return Credentials(scheme="Basic")
    user, _, password = decoded.partition(":")
    return Credentials(scheme="Basic", token=password, basic_user=user)


@dataclass(frozen=True)
class Caller:
    """The authenticated identity of a request; both fields None for an anonymous request."""

    user: User | None = None
    token: Token | None = None


def authenticate(state: HubState, creds: Credentials) -> Union[Caller, Reply]:
    """Resolve credentials. Any credential that is not a live token is a 401, even on public repos (S1):
    the Hub never falls back to anonymous. Basic counts only if the hub accepts tokens as passwords. An
    expired (OAuth) token is rejected like a revoked one."""
    if creds.scheme is None:
        return Caller()
    accepts = creds.scheme == "Bearer" or (creds.scheme == "Basic" and state.basic_accepts_tokens)
    token = state.tokens.get(creds.token or "") if accepts else None
    if token is None or token.revoked or token.expired(time.time()):
        return error_reply(401, INVALID_CREDENTIALS)
    return Caller(user=state.users[token.user], token=token)


def namespace_role(user: User, namespace: str) -> Union[Literal["owner"], OrgRole, None]:
    """How a user relates to a namespace: its owner, an org role, or nothing."""
    if user.name == namespace:
        return "owner"
    return user.orgs.get(namespace)


def _entity_covers(entity: Mapping[str, Any], repo_type: str, repo_id: str) -> bool:
    namespace = repo_id.split("/", 1)[0] if "/" in repo_id else ""
    kind, name = entity.get("type"), entity.get("name")
    if kind in ("user", "org"):
        return bool(namespace) and name == namespace
    return kind == repo_type and name == repo_id


def token_grants(token: Token | None, repo_type: str, repo_id: str, wanted: frozenset[str]) -> bool:
    """Whether a token's own permissions allow `wanted` on a repo. Classic tokens are limited only by
    their role (checked by callers); fine-grained ones need a global or a covering scoped permission."""
    if token is None or token.role != "fineGrained":
        return True
    if wanted & set(token.global_permissions):
        return True
    for entry in token.scoped:
        entity = entry.get("entity")
        permissions = entry.get("permissions") or []
        if (
            isinstance(entity, Mapping)
            and _entity_covers(entity, repo_type, repo_id)
            and wanted & set(permissions)
        ):
            return True
    return False


def can_see(caller: Caller, repo: Repo) -> bool:
    """Private repos are visible to their owner and to members of their org (any role), and to a
    fine-grained token only if it grants read there."""
    if not repo.private:
        return True
    if caller.user is None or namespace_role(caller.user, repo.namespace) is None:
        return False
    return token_grants(caller.token, repo.repo_type, repo.repo_id, READ_PERMISSIONS)


def repo_not_found(caller: Caller) -> Reply:
    """Missing and invisible repos look the same (S2): 401 anonymous, 404 authenticated."""
    if caller.user is None:
        return error_reply(401, ANONYMOUS_REJECTED, "RepoNotFound")
    return error_reply(404, REPO_NOT_FOUND, "RepoNotFound")


def locate(state: HubState, caller: Caller, repo_type: str, repo_id: str) -> Union[Repo, Reply]:
    """Find a repo the caller may know about: not-found rules first, then the disabled 403 (S8)."""
    repo = state.get_repo(repo_type, repo_id)
    if repo is None or not can_see(caller, repo):
        return repo_not_found(caller)
    if repo.disabled:
        return error_reply(403, REPO_DISABLED)
    return repo


def _located_and_allowed(
    state: HubState,
    caller: Caller,
    repo_type: str,
    repo_id: str,
    denial: Callable[[Caller, Repo], Reply | None],
) -> Union[Repo, Reply]:
    """The repo when `locate` finds it and `denial` has nothing against the caller; otherwise the refusal."""
    found = locate(state, caller, repo_type, repo_id)
    if isinstance(found, Reply):
        return found
    return denial(caller, found) or found


def repo_page(repo: Repo, base: str = PUBLIC_HUB) -> str:
    """Web URL of a repo (models have no type prefix)."""
    return f"{base}/{URL_PREFIXES[repo.repo_type]}{repo.repo_id}"


def gate_denial(caller: Caller, repo: Repo) -> Reply | None:
    """The gate on files, /auth-check and /resolve/ (S3-S6); metadata ignores it (S7). Authors (the
    owner and org members) pass; others need an accepted request, and fine-grained tokens also need
    `canReadGatedRepos`."""
    if repo.gated is False or repo.private:
        return None
    noun, rid = repo.repo_type, repo.repo_id
    if caller.user is None:
        return error_reply(
            401,
            f"Access to {noun} {rid} is restricted. You must have access to it and be "
            "authenticated to access it. Please log in.",
            "GatedRepo",
        )
    if namespace_role(caller.user, repo.namespace) is not None:
        return None
    status = repo.access.get(caller.user.name)
    if status is None:
        return error_reply(
            403,
            f"Access to {noun} {rid} is restricted and you are not in the authorized "
            f"list. Visit {repo_page(repo)} to ask for access.",
            "GatedRepo",
        )
    if status == "pending":
        return error_reply(
            403,
            f"Your request to access {noun} {rid} is awaiting a review from the repo authors.",
            "GatedRepo",
        )
    if status == "rejected":
        return error_reply(
            403, f"Your request to access {noun} {rid} has been rejected by the repo's authors.", "GatedRepo"
        )
    if caller.token is not None and caller.token.role == "fineGrained" and not caller.token.can_read_gated:
        return error_reply(403, FINE_GRAINED_NO_GATED)
    return None


def check_read(state: HubState, caller: Caller, repo_type: str, repo_id: str) -> Union[Repo, Reply]:
    """Read access to a repo's files: visibility, disabled, then the gate."""
    return _located_and_allowed(state, caller, repo_type, repo_id, gate_denial)


def _user_may_write(user: User, repo: Repo) -> bool:
    role = namespace_role(user, repo.namespace)
    if role == "owner" or role in WRITE_ORG_ROLES:
        return True
    return role == "contributor" and repo.creator == user.name


def write_denial(caller: Caller, repo: Repo) -> Reply | None:
    """Write access to an existing, visible repo: the user's rights in the namespace, then the token's
    role or fine-grained permissions. One generic 403 for every reason (see module docstring)."""
    if caller.user is None:
        return error_reply(401, ANONYMOUS_REJECTED)
    token = caller.token
    if (
        not _user_may_write(caller.user, repo)
        or (token is not None and token.role == "read")
        or not token_grants(token, repo.repo_type, repo.repo_id, WRITE_PERMISSIONS)
    ):
        return error_reply(403, WRITE_DENIED)
    return None


def check_write(state: HubState, caller: Caller, repo_type: str, repo_id: str) -> Union[Repo, Reply]:
    """Write access to an existing repo (commits, /auth-check/write)."""
    return _located_and_allowed(state, caller, repo_type, repo_id, write_denial)


def create_denial(caller: Caller, repo_type: str, repo_id: str) -> Reply | None:
    """Creating a repo: owner, or an org admin/write/contributor, with a token that can write there."""
    if caller.user is None:
        return error_reply(401, ANONYMOUS_REJECTED)
    namespace = repo_id.split("/", 1)[0]
    role = namespace_role(caller.user, namespace)
    token = caller.token
    if (
        (role != "owner" and role not in CREATE_ORG_ROLES)
        or (token is not None and token.role == "read")
        or not token_grants(token, repo_type, repo_id, WRITE_PERMISSIONS)
    ):
        return error_reply(
            403, f'You don\'t have the rights to create a {repo_type} under the namespace "{namespace}"'
        )
    return None
