"""The simulator's access rules and routing as pure functions: no sockets, no client library."""

from __future__ import annotations

import base64
import json
import re

import pytest

from hfauth_nb.testing import rules
from hfauth_nb.testing.routes import Incoming, dispatch, parse_repo_api, parse_resolve
from hfauth_nb.testing.rules import Caller, Credentials, Reply
from hfauth_nb.testing.state import HubState, git_blob_oid, new_token_value


@pytest.fixture
def state() -> HubState:
    hub = HubState()
    hub.add_user("alice", orgs={"acme": "write", "club": "read"})
    hub.add_user("bob")
    hub.add_repo("acme/model", files={"f.txt": b"hello"})
    hub.add_repo("bob/secret", private=True)
    hub.add_repo("legacy")
    hub.add_repo("meta/gated", gated="manual")
    return hub


def call(
    state: HubState, path: str, token: str | None = None, method: str = "GET", body: bytes = b""
) -> Reply:
    header = None if token is None else f"Bearer {token}"
    return dispatch(state, Incoming(method=method, path=path, authorization=header, body=body))


def header(reply: Reply, name: str) -> str | None:
    return dict(reply.headers).get(name)


def test_generated_tokens_have_hub_shapes() -> None:
    assert re.fullmatch(r"hf_[A-Za-z]{34}", new_token_value())
    assert re.fullmatch(r"hf_oauth_[A-Za-z0-9]{34}", new_token_value(oauth=True))
    assert len({new_token_value() for _ in range(50)}) == 50


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, Credentials()),
        ("Bearer abc", Credentials("Bearer", "abc")),
        ("bearer abc", Credentials("Bearer", "abc")),
        ("Bearer ", Credentials("Bearer", "")),
        ("Basic " + base64.b64encode(b"u:p:q").decode(), Credentials("Basic", "p:q", "u")),
        ("Basic !!!", Credentials("Basic")),
        ("Token abc", Credentials("Token")),
    ],
)
def test_parse_authorization(value: str | None, expected: Credentials) -> None:
    assert rules.parse_authorization(value) == expected


def test_authenticate(state: HubState) -> None:
    token = state.add_token("alice", "read").value
    assert rules.authenticate(state, Credentials()) == Caller()
    caller = rules.authenticate(state, Credentials("Bearer", token))
    assert isinstance(caller, Caller) and caller.user is not None and caller.user.name == "alice"
    for creds in (Credentials("Bearer", "nope"), Credentials("Basic", token, "x"), Credentials("Token")):
        denied = rules.authenticate(state, creds)
        assert isinstance(denied, Reply) and denied.status == 401
        assert header(denied, "X-Error-Message") == rules.INVALID_CREDENTIALS
    state.basic_accepts_tokens = True
    assert isinstance(rules.authenticate(state, Credentials("Basic", token, "x")), Caller)
    state.revoke(token)
    assert isinstance(rules.authenticate(state, Credentials("Bearer", token)), Reply)


def test_token_grants_fine_grained_scopes(state: HubState) -> None:
    token = state.add_token(
        "alice",
        "fineGrained",
        scoped=[
            {"entity": {"type": "org", "name": "acme"}, "permissions": ["repo.content.read"]},
            {"entity": {"type": "model", "name": "club/one"}, "permissions": ["repo.write"]},
        ],
    )
    read, write = rules.READ_PERMISSIONS, rules.WRITE_PERMISSIONS
    assert rules.token_grants(token, "model", "acme/x", read)
    assert not rules.token_grants(token, "model", "acme/x", write)
    assert rules.token_grants(token, "model", "club/one", write)
    assert not rules.token_grants(token, "dataset", "club/one", write)
    assert not rules.token_grants(token, "model", "club/two", read)
    assert not rules.token_grants(token, "model", "legacy", read)  # no namespace: org scopes never match
    classic = state.add_token("alice", "read")
    assert rules.token_grants(classic, "model", "anything/at-all", write)  # roles are checked elsewhere


def test_not_found_depends_on_authentication(state: HubState) -> None:
    token = state.add_token("alice", "write").value
    anonymous = call(state, "/api/models/bob/secret")
    assert (anonymous.status, header(anonymous, "X-Error-Code")) == (401, "RepoNotFound")
    assert json.loads(anonymous.body) == {"error": rules.ANONYMOUS_REJECTED}
    authed = call(state, "/api/models/bob/secret", token)
    assert (authed.status, header(authed, "X-Error-Message")) == (404, rules.REPO_NOT_FOUND)
    assert call(state, "/api/models/nobody/none", token).status == 404


def test_gate_rules_in_order(state: HubState) -> None:
    token = state.add_token("alice", "write").value
    path = "/api/models/meta/gated/auth-check"
    assert call(state, path).status == 401
    assert "not in the authorized list" in str(header(call(state, path, token), "X-Error-Message"))
    for status, text in (("pending", "awaiting a review"), ("rejected", "has been rejected")):
        state.set_access("meta/gated", "alice", status)
        reply = call(state, path, token)
        assert reply.status == 403 and text in str(header(reply, "X-Error-Message"))
    state.set_access("meta/gated", "alice", "accepted")
    assert call(state, path, token).status == 200
    assert call(state, "/api/models/meta/gated").status == 200  # metadata is never gated


def test_org_members_bypass_the_gate_of_their_repos(state: HubState) -> None:
    state.add_repo("acme/gated", gated="manual")
    token = state.add_token("alice", "read").value
    assert call(state, "/api/models/acme/gated/auth-check", token).status == 200


def test_legacy_ids_and_ambiguous_paths(state: HubState) -> None:
    assert call(state, "/api/models/legacy").status == 200
    assert call(state, "/api/models/legacy/revision/main").status == 200
    assert call(state, "/api/models/legacy/auth-check").status == 200
    target = parse_repo_api(state, "model", ["legacy", "auth-check"])
    assert target is not None and (target.repo_id, target.action) == ("legacy", "auth-check")
    unknown = parse_repo_api(state, "model", ["ns", "auth-check"])
    assert unknown is not None and (unknown.repo_id, unknown.action) == ("ns/auth-check", "info")
    assert parse_repo_api(state, "model", ["a", "b", "c"]) is None


def test_parse_resolve_paths() -> None:
    model = parse_resolve(["org", "m", "resolve", "main", "dir", "f.bin"])
    assert model is not None
    assert (model.repo_type, model.repo_id, model.args) == ("model", "org/m", ("main", "dir/f.bin"))
    dataset = parse_resolve(["datasets", "org", "d", "resolve", "refs/pr/1", "x"])
    assert dataset is not None and (dataset.repo_type, dataset.args[0]) == ("dataset", "refs/pr/1")
    legacy = parse_resolve(["gpt2", "resolve", "main", "config.json"])
    assert legacy is not None and legacy.repo_id == "gpt2"
    assert parse_resolve(["org", "m", "blob", "main", "f"]) is None


def test_quoted_revision_stays_one_segment(state: HubState) -> None:
    reply = call(state, "/acme/model/resolve/refs%2Fpr%2F1/f.txt")
    assert reply.status == 404 and header(reply, "X-Error-Code") == "RevisionNotFound"
    assert header(reply, "X-Error-Message") == "Invalid rev id: refs/pr/1"


def test_resolve_success_headers(state: HubState) -> None:
    reply = call(state, "/acme/model/resolve/main/f.txt")
    assert reply.status == 200 and reply.body == b"hello"
    assert header(reply, "ETag") == f'"{git_blob_oid(b"hello")}"'
    repo = state.get_repo("model", "acme/model")
    assert repo is not None and header(reply, "X-Repo-Commit") == repo.sha


def test_commit_ndjson_and_create_pr(state: HubState) -> None:
    token = state.add_token("alice", "write").value
    lines = [
        {"key": "header", "value": {"summary": "s", "description": ""}},
        {
            "key": "file",
            "value": {"path": "new.txt", "content": base64.b64encode(b"n").decode(), "encoding": "base64"},
        },
        {"key": "deletedFile", "value": {"path": "f.txt"}},
    ]
    body = b"".join(json.dumps(line).encode() + b"\n" for line in lines)
    repo = state.get_repo("model", "acme/model")
    assert repo is not None
    pr = dispatch(
        state, Incoming("POST", "/api/models/acme/model/commit/main", "create_pr=1", f"Bearer {token}", body)
    )
    assert pr.status == 200 and json.loads(pr.body)["pullRequestUrl"].endswith("/discussions/1")
    assert repo.files == {"f.txt": b"hello"}  # a PR leaves main untouched
    reply = call(state, "/api/models/acme/model/commit/main", token, "POST", body)
    answer = json.loads(reply.body)
    assert (
        reply.status == 200
        and answer["commitUrl"] == f"https://huggingface.co/acme/model/commit/{answer['commitOid']}"
    )
    assert repo.files == {"new.txt": b"n"} and repo.sha == answer["commitOid"]
    assert call(state, "/api/models/acme/model/commit/main", token, "POST", b"not json").status == 400
    assert call(state, "/api/models/acme/model/commit/dev", token, "POST", body).status == 404


def test_preupload_reports_existing_oids(state: HubState) -> None:
    token = state.add_token("alice", "write").value
    body = json.dumps(
        {"files": [{"path": "f.txt", "sample": "", "size": 5}, {"path": "g.txt", "sample": "", "size": 1}]}
    ).encode()
    reply = call(state, "/api/models/acme/model/preupload/main", token, "POST", body)
    files = {f["path"]: f for f in json.loads(reply.body)["files"]}
    assert files["f.txt"]["oid"] == git_blob_oid(b"hello") and "oid" not in files["g.txt"]
    assert all(f["uploadMode"] == "regular" and f["shouldIgnore"] is False for f in files.values())
    assert call(state, "/api/models/acme/model/preupload/main", token, "POST", b"{}").status == 400


def test_create_rules(state: HubState) -> None:
    reader = state.add_token("alice", "read").value
    writer = state.add_token("alice", "write").value
    create = "/api/repos/create"
    assert call(state, create, None, "POST", b'{"name": "x"}').status == 401
    assert call(state, create, reader, "POST", b'{"name": "x"}').status == 403
    assert call(state, create, writer, "POST", b'{"name": "x", "organization": "club"}').status == 403
    assert call(state, create, writer, "POST", b'{"type": "model"}').status == 400
    assert call(state, create, writer, "POST", b'{"name": "x", "type": "bucket"}').status == 400
    made = call(state, create, writer, "POST", b'{"name": "x", "visibility": "private"}')
    assert made.status == 200 and json.loads(made.body)["url"] == "https://huggingface.co/alice/x"
    repo = state.get_repo("model", "alice/x")
    assert repo is not None and repo.private and repo.creator == "alice"
    again = call(state, create, writer, "POST", b'{"name": "x"}')
    assert again.status == 409 and json.loads(again.body)["url"].endswith("/alice/x")


def test_unknown_routes_and_methods(state: HubState) -> None:
    for method, path in (
        ("GET", "/"),
        ("GET", "/api/unknown"),
        ("POST", "/api/whoami-v2"),
        ("DELETE", "/api/models/acme/model"),
        ("POST", "/acme/model/resolve/main/f.txt"),
    ):
        reply = call(state, path, method=method)
        assert reply.status == 404 and json.loads(reply.body) == {"error": rules.PAGE_NOT_FOUND}


def test_add_token_validation(state: HubState) -> None:
    with pytest.raises(ValueError, match="role"):
        state.add_token("alice", "admin")
    with pytest.raises(ValueError, match="unknown user"):
        state.add_token("ghost", "read")


def test_state_rejects_bad_set_up(state: HubState) -> None:
    with pytest.raises(ValueError):
        state.add_repo("acme/model")
    with pytest.raises(ValueError):
        state.add_repo("a/b/c")
    with pytest.raises(ValueError):
        state.add_repo("x/y", gated="sometimes")
    with pytest.raises(ValueError):
        state.set_access("acme/model", "alice", "maybe")
    with pytest.raises(ValueError):
        state.add_user("acme")  # org names and user names share one namespace
    with pytest.raises(ValueError):
        state.add_user("carol", orgs={"x": "owner"})
    token = state.add_token("alice", value="custom-value").value
    with pytest.raises(ValueError):
        state.add_token("bob", value=token)
