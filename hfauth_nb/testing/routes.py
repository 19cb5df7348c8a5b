"""Request routing of the simulated Hub: (state, Incoming) -> Reply, without sockets.

Paths are split on raw `/` before percent-decoding each segment, so a revision the client quoted
(`refs%2Fpr%2F1`) stays one segment. The only state changes are repo creation and commits.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any, Callable, Union
from urllib.parse import parse_qs, unquote

from hfauth_nb.hub_refs import REPO_TYPES, TYPE_OF_PREFIX
from hfauth_nb.testing import oauth, payloads, router, rules, services, space_host
from hfauth_nb.testing.rules import Caller, Reply, error_reply, json_reply
from hfauth_nb.testing.state import HubState, Repo, git_blob_oid, iso_now, new_commit_sha

_URL_TYPES = {"datasets": "dataset", "spaces": "space"}
_READ_METHODS = ("GET", "HEAD")
_DEFAULT_BRANCH = "main"
_GITATTRIBUTES = b"*.safetensors filter=lfs diff=lfs merge=lfs -text\n"


@dataclass(frozen=True)
class Incoming:
    """One parsed HTTP request; `path` is still percent-encoded, `query` is the raw query string.
    `public_url` is the base of URLs written into answers (the Hub writes https://huggingface.co)."""

    method: str
    path: str
    query: str = ""
    authorization: str | None = None
    body: bytes = b""
    public_url: str = rules.PUBLIC_HUB
    bill_to: str | None = None  # the X-HF-Bill-To header (inference calls billed to an org, I6)
    server_url: str = ""  # where this server listens (the simulated Xet storage host lives there too)
    hf_authorization: str | None = None  # X-HF-Authorization: gradio_client's token for a Space host


@dataclass(frozen=True)
class RepoTarget:
    """A request aimed at one repo: which repo, which action, and the segments after the action."""

    repo_type: str
    repo_id: str
    action: str
    args: tuple[str, ...] = ()


Handler = Callable[[HubState, Caller, Incoming, RepoTarget], Reply]


def page_not_found() -> Reply:
    """Anything we do not simulate."""
    return error_reply(404, rules.PAGE_NOT_FOUND)


def dispatch(state: HubState, request: Incoming) -> Reply:
    """Authenticate (an invalid credential is a 401 on every route, S1), then route."""
    if request.path == "/oauth/token" and request.method == "POST":
        return oauth.handle_token(state, request.body)  # the OAuth token endpoint takes no Authorization
    if services.is_storage_request(request):
        return services.handle_storage(state, request)  # the Xet storage host: it never sees a Hub token
    if request.path.startswith(f"/{router.RETIRED_SEGMENT}/"):
        return router.handle_retired(state.router)  # the retired inference host: 410 whoever asks
    if space_host.is_space_host_request(request):
        return space_host.handle(state, request)  # a Space's own host: it reads X-HF-Authorization
    caller = rules.authenticate(state, rules.parse_authorization(request.authorization))
    if isinstance(caller, Reply):
        return caller
    segments = _segments(request.path)
    if segments[:1] == [router.SEGMENT] and request.method == "POST":
        return router.handle(state.router, caller, segments[1:], request.body, request.bill_to)
    if segments[:1] == ["api"]:
        return _dispatch_api(state, caller, request, segments[1:])
    target = parse_resolve(segments)
    if target is None or request.method not in _READ_METHODS:
        return page_not_found()
    return handle_resolve(state, caller, request, target)


def _segments(path: str) -> list[str]:
    return [unquote(part) for part in path.split("/") if part]


def _dispatch_api(state: HubState, caller: Caller, request: Incoming, segments: list[str]) -> Reply:
    get = request.method in _READ_METHODS
    if segments == ["whoami-v2"] and get:
        return handle_whoami(state, caller)
    if segments == ["whoami"] and get:
        return handle_whoami_v1(caller)
    if segments == ["repos", "create"] and request.method == "POST":
        return handle_create(state, caller, request)
    if segments and segments[0] in TYPE_OF_PREFIX:
        target = parse_repo_api(state, TYPE_OF_PREFIX[segments[0]], segments[1:])
        method = "GET" if get else request.method
        handler = _REPO_HANDLERS.get((method, target.action)) if target is not None else None
        if target is not None and handler is not None:
            return handler(state, caller, request, target)
    return page_not_found()


def _match_action(tail: list[str]) -> tuple[str, tuple[str, ...]] | None:
    """Name the action a path tail asks for (the part after the repo id), or None."""
    if not tail:
        return "info", ()
    head, rest = tail[0], tuple(tail[1:])
    if head == "revision" and len(rest) == 1:
        return "info", rest
    if head == "auth-check" and rest in ((), ("write",)):
        return ("auth-check-write" if rest else "auth-check"), ()
    if head == "tree" and rest:
        return "tree", rest
    if head in ("preupload", "commit") and len(rest) == 1:
        return head, rest
    if services.ACTIONS.get(head) == len(rest):
        return head, rest
    return None


def parse_repo_api(state: HubState, repo_type: str, segments: list[str]) -> RepoTarget | None:
    """Split `{repo_id}{tail}`; ids have one or two segments. When both readings parse, prefer the one
    naming an existing repo, else the two-segment one."""
    candidates = []
    for size in (2, 1):
        if len(segments) >= size:
            action = _match_action(segments[size:])
            if action is not None:
                candidates.append(RepoTarget(repo_type, "/".join(segments[:size]), *action))
    existing = [c for c in candidates if state.get_repo(c.repo_type, c.repo_id) is not None]
    ranked = existing or candidates
    return ranked[0] if ranked else None


def parse_resolve(segments: list[str]) -> RepoTarget | None:
    """`[datasets/|spaces/]{repo_id}/resolve/{rev}/{path...}` -> target with args (rev, path)."""
    repo_type = "model"
    if segments[:1] and segments[0] in _URL_TYPES:
        repo_type, segments = _URL_TYPES[segments[0]], segments[1:]
    for size in (2, 1):
        if len(segments) >= size + 3 and segments[size] == "resolve":
            rev, path = segments[size + 1], "/".join(segments[size + 2 :])
            return RepoTarget(repo_type, "/".join(segments[:size]), "resolve", (rev, path))
    return None


def _revision_error(repo: Repo, revision: str) -> Reply | None:
    if revision == _DEFAULT_BRANCH or revision in repo.commits:
        return None
    return error_reply(404, f"Invalid rev id: {revision}", "RevisionNotFound")


def _sha_at(repo: Repo, revision: str) -> str:
    return repo.sha if revision == _DEFAULT_BRANCH else revision


def repo_url(request: Incoming, repo_type: str, repo_id: str) -> str:
    """The repo's web URL as answers give it (`url`, `commitUrl`)."""
    return f"{request.public_url}/{rules.URL_PREFIXES[repo_type]}{repo_id}"


# --- whoami ----------------------------------------------------------------------------------------------


def handle_whoami(state: HubState, caller: Caller) -> Reply:
    """`/api/whoami-v2`: anonymous is a 401 (W3); a valid token gets the W1 shape."""
    if caller.token is None:
        return error_reply(401, rules.ANONYMOUS_REJECTED)
    return json_reply(payloads.whoami_payload(state, caller.token))


def handle_whoami_v1(caller: Caller) -> Reply:
    """Legacy `/api/whoami` rejects modern tokens (W3); kept so tests can prove it is never called."""
    message = rules.ANONYMOUS_REJECTED if caller.token is None else rules.INVALID_CREDENTIALS
    return error_reply(401, message)


# --- repo API --------------------------------------------------------------------------------------------


def handle_info(state: HubState, caller: Caller, request: Incoming, target: RepoTarget) -> Reply:
    """Metadata: visibility and disabled rules, but not the gate (S7)."""
    found = rules.locate(state, caller, target.repo_type, target.repo_id)
    if isinstance(found, Reply):
        return found
    revision = target.args[0] if target.args else _DEFAULT_BRANCH
    extra = (
        router.model_info_extra(state.router, found.repo_id, request.query)
        if target.repo_type == "model"
        else space_host.info_extra(request, found)
    )
    return _revision_error(found, revision) or json_reply(
        {**payloads.repo_metadata(found, _sha_at(found, revision)), **extra}
    )


def handle_auth_check(state: HubState, caller: Caller, request: Incoming, target: RepoTarget) -> Reply:
    """`/auth-check`: the read rules of files, gate included."""
    found = rules.check_read(state, caller, target.repo_type, target.repo_id)
    return found if isinstance(found, Reply) else json_reply({})


def handle_auth_check_write(state: HubState, caller: Caller, request: Incoming, target: RepoTarget) -> Reply:
    """`/auth-check/write`: the rules commits use."""
    found = rules.check_write(state, caller, target.repo_type, target.repo_id)
    return found if isinstance(found, Reply) else json_reply({})


def handle_tree(state: HubState, caller: Caller, request: Incoming, target: RepoTarget) -> Reply:
    """File listing; like metadata it is not gated."""
    found = rules.locate(state, caller, target.repo_type, target.repo_id)
    if isinstance(found, Reply):
        return found
    revision, prefix = target.args[0], "/".join(target.args[1:])
    return _revision_error(found, revision) or json_reply(payloads.tree_entries(found, prefix))


def _writable(state: HubState, caller: Caller, target: RepoTarget) -> Union[Repo, Reply]:
    found = rules.check_write(state, caller, target.repo_type, target.repo_id)
    if isinstance(found, Reply):
        return found
    if target.args[0] != _DEFAULT_BRANCH:
        return error_reply(404, f"Invalid rev id: {target.args[0]}", "RevisionNotFound")
    return found


def _json_body(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8") or "null")
    except (UnicodeDecodeError, ValueError):
        return None


def handle_preupload(state: HubState, caller: Caller, request: Incoming, target: RepoTarget) -> Reply:
    """Every file is "regular" (no LFS); `oid` lets clients skip unchanged files as on the Hub."""
    found = _writable(state, caller, target)
    if isinstance(found, Reply):
        return found
    body = _json_body(request.body)
    files = body.get("files") if isinstance(body, dict) else None
    if not isinstance(files, list) or not all(isinstance(f, dict) and "path" in f for f in files):
        return error_reply(400, 'Invalid preupload payload: expected {"files": [{"path": ...}]}')
    answer = []
    for entry in files:
        path = str(entry["path"])
        item: dict[str, Any] = {"path": path, "uploadMode": "regular", "shouldIgnore": False}
        if path in found.files:
            item["oid"] = git_blob_oid(found.files[path])
        answer.append(item)
    return json_reply({"files": answer})


def _parse_ndjson(body: bytes) -> list[dict[str, Any]] | None:
    items = []
    for line in body.decode("utf-8", errors="replace").splitlines():
        if not line.strip():
            continue
        item = _json_body(line.encode())
        if not isinstance(item, dict) or "key" not in item:
            return None
        items.append(item)
    return items


def _apply_operation(files: dict[str, bytes], key: str, value: dict[str, Any]) -> None:
    path = str(value.get("path", ""))
    if key == "file":
        content = str(value.get("content", ""))
        files[path] = base64.b64decode(content) if value.get("encoding") == "base64" else content.encode()
    elif key == "lfsFile":
        files[path] = b""  # content went to LFS storage we do not simulate
    elif key == "deletedFile":
        files.pop(path, None)
    elif key == "deletedFolder":
        for name in [n for n in files if n.startswith(path.rstrip("/") + "/")]:
            del files[name]


def handle_commit(state: HubState, caller: Caller, request: Incoming, target: RepoTarget) -> Reply:
    """Apply an NDJSON commit to `main` (or open a PR with `create_pr=1`, leaving `main` untouched)."""
    found = _writable(state, caller, target)
    if isinstance(found, Reply):
        return found
    items = _parse_ndjson(request.body)
    if items is None:
        return error_reply(400, 'Invalid commit payload: expected NDJSON lines with a "key"')
    files = dict(found.files)
    try:
        for item in items:
            value = item.get("value")
            _apply_operation(files, str(item["key"]), value if isinstance(value, dict) else {})
    except (binascii.Error, ValueError):
        return error_reply(400, "Invalid commit payload: bad base64 content")
    sha, url = new_commit_sha(), repo_url(request, found.repo_type, found.repo_id)
    answer: dict[str, Any] = {
        "success": True,
        "commitOid": sha,
        "commitUrl": f"{url}/commit/{sha}",
        "hookOutput": "",
    }
    if parse_qs(request.query).get("create_pr", ["0"])[0] not in ("", "0", "false"):
        found.pull_requests += 1
        answer["pullRequestUrl"] = f"{url}/discussions/{found.pull_requests}"
        return json_reply(answer)
    found.files, found.last_modified = files, iso_now()
    found.commits.append(sha)
    return json_reply(answer)


_REPO_HANDLERS: dict[tuple[str, str], Handler] = {
    ("GET", "xet-read-token"): services.handle_xet_token,
    ("GET", "xet-write-token"): services.handle_xet_token,
    ("GET", "runtime"): services.handle_runtime,
    **{
        ("POST", action): services.handle_space_admin
        for action in ("restart", "pause", "sleeptime", "hardware")
    },
    ("GET", "info"): handle_info,
    ("GET", "auth-check"): handle_auth_check,
    ("GET", "auth-check-write"): handle_auth_check_write,
    ("GET", "tree"): handle_tree,
    ("POST", "preupload"): handle_preupload,
    ("POST", "commit"): handle_commit,
}


# --- repo creation ---------------------------------------------------------------------------------------


def _create_request(body: Any, caller: Caller) -> tuple[str, str, bool] | Reply:
    """(repo_type, repo_id, private) from a create payload; newer clients may send `name` as `ns/name`."""
    if not isinstance(body, dict) or not isinstance(body.get("name"), str) or not body["name"]:
        return error_reply(400, 'Invalid create payload: missing "name"')
    repo_type = body.get("type") or "model"
    if repo_type not in REPO_TYPES:
        return error_reply(400, f"Invalid repo type: {repo_type}")
    name, organization = body["name"], body.get("organization")
    if not organization and "/" in name:
        organization, name = name.split("/", 1)
    namespace = organization or (caller.user.name if caller.user is not None else "")
    private = bool(body.get("private")) or body.get("visibility") in ("private", "protected")
    return str(repo_type), f"{namespace}/{name}", private


def handle_create(state: HubState, caller: Caller, request: Incoming) -> Reply:
    """`POST /api/repos/create`: namespace write rules, 409 (with `url`, which clients read) if taken."""
    if caller.user is None:
        return error_reply(401, rules.ANONYMOUS_REJECTED)
    parsed = _create_request(_json_body(request.body), caller)
    if isinstance(parsed, Reply):
        return parsed
    repo_type, repo_id, private = parsed
    denial = rules.create_denial(caller, repo_type, repo_id)
    if denial is not None:
        return denial
    url = repo_url(request, repo_type, repo_id)
    if state.get_repo(repo_type, repo_id) is not None:
        return error_reply(409, f"You already created this {repo_type} repo", url=url)
    repo = state.add_repo(repo_id, repo_type, private=private, files={".gitattributes": _GITATTRIBUTES})
    repo.creator = caller.user.name
    return json_reply({"url": url, "name": repo_id, "id": repo.object_id})


# --- files -----------------------------------------------------------------------------------------------


def handle_resolve(state: HubState, caller: Caller, request: Incoming, target: RepoTarget) -> Reply:
    """`/resolve/{rev}/{path}`: read rules with the gate, then revision, then the file (S10 headers)."""
    found = rules.check_read(state, caller, target.repo_type, target.repo_id)
    if isinstance(found, Reply):
        return found
    revision, path = target.args
    denial = _revision_error(found, revision)
    if denial is not None:
        return denial
    if path not in found.files:
        return error_reply(404, rules.ENTRY_NOT_FOUND, "EntryNotFound")
    data = found.files[path]
    headers: tuple[rules.Header, ...] = (
        ("ETag", f'"{git_blob_oid(data)}"'),
        ("X-Repo-Commit", _sha_at(found, revision)),
    )
    headers += services.xet_headers(state, request, found, revision, path)
    return Reply(status=200, body=data, headers=headers, content_type="application/octet-stream")
