"""In-memory Hub state: users, organizations, tokens and repos.

Plain data classes plus the validating constructors FakeHub calls. Nothing here does I/O or locking:
FakeHub serializes every access with one lock, and the access rules (rules.py) only read this state.
"""

from __future__ import annotations

import hashlib
import secrets
import string
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal, Mapping, Union, cast

from hfauth_nb.hub_refs import REPO_TYPES, RepoType

TokenRole = Literal["read", "write", "fineGrained"]
OrgRole = Literal["admin", "write", "contributor", "read"]
GateMode = Literal["auto", "manual"]
Gated = Union[Literal[False], GateMode]
AccessStatus = Literal["pending", "accepted", "rejected"]

TOKEN_ROLES: tuple[TokenRole, ...] = ("read", "write", "fineGrained")
ORG_ROLES: tuple[OrgRole, ...] = ("admin", "write", "contributor", "read")
ACCESS_STATUSES: tuple[AccessStatus, ...] = ("pending", "accepted", "rejected")

# Classic and fine-grained user tokens are "hf_" + 34 ASCII letters (facts F1); OAuth ones have another
# length (F3), we use 34 alphanumerics after the prefix.
_TOKEN_LETTERS = string.ascii_letters
_TOKEN_BODY_LENGTH = 34


def new_object_id() -> str:
    """A Mongo-style 24-hex id, the shape the Hub uses for `id`/`_id` fields."""
    return secrets.token_hex(12)


def new_commit_sha() -> str:
    """A random 40-hex commit id."""
    return secrets.token_hex(20)


def iso_now() -> str:
    """UTC timestamp in the Hub's `2024-01-31T12:00:00.000Z` form."""
    now = datetime.now(timezone.utc)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def new_token_value(oauth: bool = False) -> str:
    """Generate a token at runtime; never a literal, so no token-shaped string lives in the source."""
    if oauth:
        alphabet = string.ascii_letters + string.digits
        return "hf_oauth_" + "".join(secrets.choice(alphabet) for _ in range(_TOKEN_BODY_LENGTH))
    return "hf_" + "".join(secrets.choice(_TOKEN_LETTERS) for _ in range(_TOKEN_BODY_LENGTH))


def git_blob_oid(content: bytes) -> str:
    """The git blob sha1 of a file, which the Hub uses as ETag and `oid` for regular files."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


@dataclass
class Org:
    """An organization; membership and roles live on the User."""

    name: str
    fullname: str
    object_id: str = field(default_factory=new_object_id)


@dataclass
class User:
    """A Hub user with its organization roles (`roleInOrg` in whoami)."""

    name: str
    fullname: str
    email: str
    is_pro: bool = False
    orgs: dict[str, OrgRole] = field(default_factory=dict)
    object_id: str = field(default_factory=new_object_id)


@dataclass
class Token:
    """An access token. `scoped`/`global_permissions`/`can_read_gated` matter only for fine-grained ones."""

    value: str
    user: str
    role: TokenRole
    display_name: str | None
    created_at: str
    oauth: bool = False
    scoped: list[dict[str, Any]] = field(default_factory=list)
    global_permissions: list[str] = field(default_factory=list)
    can_read_gated: bool = True
    revoked: bool = False
    expires_at: float | None = None  # unix seconds; OAuth access tokens expire (the Hub then answers 401)

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and now >= self.expires_at


@dataclass
class RefreshGrant:
    """An OAuth refresh token. Rotating ones are exchanged once for a new access token and a new refresh
    token; non-rotating ones may be used again and again (several processes refreshing one stored login)."""

    value: str
    user: str
    role: TokenRole
    rotate: bool = True
    used: bool = False
    revoked: bool = False


@dataclass(frozen=True)
class OidcGrant:
    """A CI id token the token exchange accepts: for `user`, minting tokens of `role`, for `resource`
    (None: any resource)."""

    user: str
    role: str = "write"
    resource: str | None = None


@dataclass
class Repo:
    """A repo with its files at the head of `main`, its commit history and per-user gate statuses."""

    repo_id: str
    repo_type: RepoType
    private: bool = False
    gated: Gated = False
    disabled: bool = False
    files: dict[str, bytes] = field(default_factory=dict)
    commits: list[str] = field(default_factory=lambda: [new_commit_sha()])
    access: dict[str, AccessStatus] = field(default_factory=dict)
    creator: str | None = None
    pull_requests: int = 0
    object_id: str = field(default_factory=new_object_id)
    created_at: str = field(default_factory=iso_now)
    last_modified: str = field(default_factory=iso_now)

    @property
    def namespace(self) -> str:
        """The user or org that owns the repo; "" for legacy ids without a namespace (e.g. `gpt2`)."""
        return self.repo_id.split("/", 1)[0] if "/" in self.repo_id else ""

    @property
    def sha(self) -> str:
        """Head commit of `main`."""
        return self.commits[-1]


def _check_choice(kind: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{kind} must be one of {', '.join(allowed)}; got {value!r}")


def _check_repo_id(repo_id: str) -> None:
    parts = repo_id.split("/")
    if not 1 <= len(parts) <= 2 or not all(parts):
        raise ValueError(f"repo_id must look like 'namespace/name' (or a legacy 'name'); got {repo_id!r}")


def normalize_gated(gated: Union[bool, str]) -> Gated:
    """Accept the Hub's `gated` values (False, "auto", "manual"); True means "auto" as on the Hub API."""
    if gated is False:
        return False
    if gated is True:
        return "auto"
    _check_choice("gated", gated, ("auto", "manual"))
    return cast(GateMode, gated)


@dataclass
class RouterState:
    """Which models each provider serves (model -> {provider: task}) and which accounts have no credits."""

    served: dict[str, dict[str, str]] = field(default_factory=dict)
    no_credits: set[str] = field(default_factory=set)
    calls: int = 0  # inference POSTs that reached the router (answered or refused)


@dataclass
class SpaceSettings:
    """A Space's runtime stage (`/runtime`) and what its host answers a caller it hides from (401 or 404)."""

    stage: str = "RUNNING"
    host_refusal: int = 404
    zero_gpu: bool = False  # a ZeroGPU Space: anonymous calls get the sign-up quota error (services fact Z2)
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # session hash -> queued messages


@dataclass
class HubState:
    """Everything the simulated Hub knows. Mutated only through these methods (which validate).

    add_user, add_token and add_repo are also FakeHub's public signatures (hub.py forwards them as they are):
    a change to their parameters is a change to the public API.
    """

    users: dict[str, User] = field(default_factory=dict)
    orgs: dict[str, Org] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)
    repos: dict[tuple[RepoType, str], Repo] = field(default_factory=dict)
    refresh_grants: dict[str, RefreshGrant] = field(default_factory=dict)
    oidc_id_tokens: dict[str, OidcGrant] = field(default_factory=dict)
    minted: int = 0  # access tokens issued by `POST /oauth/token`
    basic_accepts_tokens: bool = False
    router: RouterState = field(default_factory=RouterState)  # the simulated Inference Providers router
    # Xet storage and Spaces (testing/services.py): Xet-backed files, where the storage host is and what it answers.
    xet_files: set[tuple[str, str, str]] = field(default_factory=set)  # (repo_type, repo_id, path)
    xet_cas_url: str | None = None  # None: this server
    cas_status: int = 401
    xet_tokens_issued: int = 0
    xet_token_seconds: int = 3600  # lifetime of each Xet token the token route mints
    xet_revoke_after_first: bool = False  # the next Xet token's caller: its token stops working after it
    space_admin_calls: int = 0
    spaces: dict[str, SpaceSettings] = field(default_factory=dict)  # Space id -> settings (default: running)

    def add_org(self, name: str, fullname: str | None = None) -> Org:
        """Create the org if needed (idempotent: add_user may already have created it)."""
        if name in self.users:
            raise ValueError(f"{name!r} is already a user name")
        org = self.orgs.get(name)
        if org is None:
            org = self.orgs[name] = Org(name=name, fullname=fullname or name)
        elif fullname:
            org.fullname = fullname
        return org

    def add_user(
        self,
        name: str,
        *,
        fullname: str | None = None,
        orgs: Mapping[str, str] | None = None,
        is_pro: bool = False,
        email: str | None = None,
    ) -> User:
        """Create a user; organizations named in `orgs` are created implicitly."""
        if name in self.users or name in self.orgs:
            raise ValueError(f"namespace {name!r} already exists")
        roles: dict[str, OrgRole] = {}
        for org_name, role in (orgs or {}).items():
            _check_choice("roleInOrg", role, ORG_ROLES)
            self.add_org(org_name)
            roles[org_name] = cast(OrgRole, role)
        user = User(
            name=name,
            fullname=fullname or name,
            email=email or f"{name}@example.com",
            is_pro=is_pro,
            orgs=roles,
        )
        self.users[name] = user
        return user

    def add_token(
        self,
        user: str,
        role: str = "read",
        *,
        value: str | None = None,
        name: str | None = None,
        oauth: bool = False,
        scoped: list[dict[str, Any]] | None = None,
        global_permissions: list[str] | None = None,
        can_read_gated: bool = True,
        expires_at: float | None = None,
    ) -> Token:
        """Issue a token for an existing user; a generated value unless `value` is given."""
        if user not in self.users:
            raise ValueError(f"unknown user {user!r}")
        _check_choice("role", role, TOKEN_ROLES)
        token_value = value if value is not None else self._fresh_token_value(oauth)
        if token_value in self.tokens:
            raise ValueError("a token with this value already exists")
        token = Token(
            value=token_value,
            user=user,
            role=cast(TokenRole, role),
            display_name=None if oauth else (name or f"token-{len(self.tokens) + 1}"),
            created_at=iso_now(),
            oauth=oauth,
            scoped=[dict(entry) for entry in (scoped or [])],
            global_permissions=list(global_permissions or []),
            can_read_gated=can_read_gated,
            expires_at=expires_at,
        )
        self.tokens[token_value] = token
        return token

    def _fresh_token_value(self, oauth: bool) -> str:
        while True:
            candidate = new_token_value(oauth)
            if candidate not in self.tokens:
                return candidate

    def revoke(self, token: str) -> None:
        """Mark a token revoked: from now on it gets 401 "Invalid credentials" everywhere."""
        if token not in self.tokens:
            raise ValueError("unknown token")
        self.tokens[token].revoked = True

    def add_repo(
        self,
        repo_id: str,
        repo_type: str = "model",
        *,
        private: bool = False,
        gated: Union[bool, str] = False,
        disabled: bool = False,
        files: Mapping[str, Union[bytes, str]] | None = None,
    ) -> Repo:
        """Create a repo; str file contents are stored UTF-8 encoded."""
        _check_choice("repo_type", repo_type, REPO_TYPES)
        _check_repo_id(repo_id)
        key = (cast(RepoType, repo_type), repo_id)
        if key in self.repos:
            raise ValueError(f"{repo_type} {repo_id!r} already exists")
        stored = {
            path: data.encode() if isinstance(data, str) else bytes(data)
            for path, data in (files or {}).items()
        }
        repo = Repo(
            repo_id=repo_id,
            repo_type=key[0],
            private=private,
            gated=normalize_gated(gated),
            disabled=disabled,
            files=stored,
        )
        self.repos[key] = repo
        return repo

    def add_xet_file(self, repo_id: str, path: str, repo_type: str = "model") -> None:
        """Serve an existing file as Xet-backed: `/resolve/` sends clients to the Xet token route and storage host."""
        repo = self.get_repo(repo_type, repo_id)
        if repo is None or path not in repo.files:
            raise ValueError(f"no file {path!r} in {repo_type} {repo_id!r}")
        self.xet_files.add((repo_type, repo_id, path))

    def set_storage(self, url: str | None = None, status: int = 401) -> None:
        """Where the Xet storage host is (None: this server; an unused port: unreachable) and what it answers."""
        if status not in (401, 403):
            raise ValueError(f"storage status must be 401 or 403; got {status!r}")
        self.xet_cas_url, self.cas_status = url, status

    def set_xet_tokens(self, seconds: int = 3600, *, revoke_after_first: bool = False) -> None:
        """How long each Xet token lives, and whether the Hub stops accepting the caller's own token right after
        minting the first one (revoked, rotated or an expired browser login during the download)."""
        if not 0 < seconds <= 86400:
            raise ValueError(f"Xet token lifetime must be 1..86400 seconds; got {seconds!r}")
        self.xet_token_seconds, self.xet_revoke_after_first = seconds, revoke_after_first

    def set_space(
        self, space_id: str, stage: str = "RUNNING", host_refusal: int = 404, zero_gpu: bool = False
    ) -> None:
        """A Space's runtime stage (PAUSED, RUNTIME_ERROR, ...), its host's refusal of hidden callers, ZeroGPU."""
        if self.get_repo("space", space_id) is None:
            raise ValueError(f"unknown space {space_id!r}")
        if host_refusal not in (401, 404):
            raise ValueError(f"host_refusal must be 401 or 404; got {host_refusal!r}")
        self.spaces[space_id] = SpaceSettings(stage=stage, host_refusal=host_refusal, zero_gpu=zero_gpu)

    def get_repo(self, repo_type: str, repo_id: str) -> Repo | None:
        """Look a repo up by type and id (None if missing)."""
        return self.repos.get((cast(RepoType, repo_type), repo_id))

    def set_access(self, repo_id: str, user: str, status: str | None, repo_type: str = "model") -> None:
        """Set a user's gate status on a repo; None forgets it (never requested)."""
        repo = self.get_repo(repo_type, repo_id)
        if repo is None:
            raise ValueError(f"unknown {repo_type} {repo_id!r}")
        if user not in self.users:
            raise ValueError(f"unknown user {user!r}")
        if status is None:
            repo.access.pop(user, None)
            return
        _check_choice("access status", status, ACCESS_STATUSES)
        repo.access[user] = cast(AccessStatus, status)
