"""JSON bodies of successful answers, shaped like the Hub's (facts W1/W2 for whoami, S7 for metadata).

Only fields clients read, plus the ones a diagnostic engine inspects; unknown extras are harmless to
huggingface_hub, which pops known keys and keeps the rest.
"""

from __future__ import annotations

import hashlib
import time
from datetime import datetime, timezone
from typing import Any

from hfauth_nb.testing.state import HubState, Repo, Token, User, git_blob_oid

_OAUTH_LIFETIME_S = 30 * 24 * 3600  # a device login's access token (services fact A1)


def _avatar(name: str) -> str:
    return f"/avatars/{hashlib.md5(name.encode()).hexdigest()}.svg"


def _org_entries(state: HubState, user: User) -> list[dict[str, Any]]:
    entries = []
    for name, role in sorted(user.orgs.items()):
        org = state.orgs[name]
        entries.append(
            {
                "type": "org",
                "id": org.object_id,
                "name": org.name,
                "fullname": org.fullname,
                "email": None,
                "canPay": False,
                "periodEnd": None,
                "avatarUrl": _avatar(org.name),
                "roleInOrg": role,
                "isEnterprise": False,
            }
        )
    return entries


def _entity_id(state: HubState, entity: dict[str, Any]) -> str | None:
    kind, name = entity.get("type"), str(entity.get("name"))
    if kind == "user" and name in state.users:
        return state.users[name].object_id
    if kind == "org" and name in state.orgs:
        return state.orgs[name].object_id
    repo = state.get_repo(str(kind), name)
    return repo.object_id if repo is not None else None


def _scoped_with_ids(state: HubState, token: Token) -> list[dict[str, Any]]:
    """Scoped entries as given, with the entity `_id` the Hub adds filled in when we know it."""
    result = []
    for entry in token.scoped:
        copy = dict(entry)
        entity = entry.get("entity")
        if isinstance(entity, dict) and "_id" not in entity:
            object_id = _entity_id(state, entity)
            copy["entity"] = {**({"_id": object_id} if object_id else {}), **entity}
        result.append(copy)
    return result


def access_token_info(state: HubState, token: Token) -> dict[str, Any]:
    """`auth.accessToken` of a classic or fine-grained token (W1)."""
    info: dict[str, Any] = {
        "role": token.role,
        "createdAt": token.created_at,
        "displayName": token.display_name,
    }
    if token.role == "fineGrained":
        info["fineGrained"] = {
            "canReadGatedRepos": token.can_read_gated,
            "global": list(token.global_permissions),
            "scoped": _scoped_with_ids(state, token),
        }
    return info


def auth_info(state: HubState, token: Token) -> dict[str, Any]:
    """whoami's `auth`: an OAuth login gets only its type and expiry, no `accessToken`, so no role or scopes
    (services fact Q3).
    Other tokens get `accessToken` (fact W1)."""
    if token.oauth:
        expires = token.expires_at if token.expires_at is not None else time.time() + _OAUTH_LIFETIME_S
        return {"type": "oauth", "expiresAt": _iso(expires)}
    return {"type": "access_token", "accessToken": access_token_info(state, token)}


def _iso(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp, timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def whoami_payload(state: HubState, token: Token) -> dict[str, Any]:
    """The `/api/whoami-v2` body for a valid token."""
    user = state.users[token.user]
    return {
        "type": "user",
        "id": user.object_id,
        "name": user.name,
        "fullname": user.fullname,
        "email": user.email,
        "emailVerified": True,
        "isPro": user.is_pro,
        "canPay": False,
        "periodEnd": None,
        "avatarUrl": _avatar(user.name),
        "orgs": _org_entries(state, user),
        "auth": auth_info(state, token),
    }


def repo_metadata(repo: Repo, sha: str) -> dict[str, Any]:
    """`/api/{type}s/{id}` body; `gated` is false | "auto" | "manual" (S7)."""
    payload: dict[str, Any] = {
        "_id": repo.object_id,
        "id": repo.repo_id,
        "author": repo.namespace or None,
        "sha": sha,
        "lastModified": repo.last_modified,
        "createdAt": repo.created_at,
        "private": repo.private,
        "gated": repo.gated,
        "disabled": repo.disabled,
        "downloads": 0,
        "likes": 0,
        "tags": [],
        "siblings": [{"rfilename": path} for path in sorted(repo.files)],
    }
    if repo.repo_type == "model":
        payload["pipeline_tag"] = None
    if repo.repo_type == "space":
        payload["sdk"] = "static"
    return payload


def tree_entries(repo: Repo, prefix: str) -> list[dict[str, Any]]:
    """`/tree/{rev}/{path}` body: every file under `prefix` (flat, as with `recursive=True`)."""
    prefix = prefix.strip("/")
    return [
        {"type": "file", "oid": git_blob_oid(data), "size": len(data), "path": path}
        for path, data in sorted(repo.files.items())
        if not prefix or path == prefix or path.startswith(prefix + "/")
    ]
