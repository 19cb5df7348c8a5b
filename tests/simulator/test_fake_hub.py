"""FakeHub driven by the REAL huggingface_hub client (0.36 requests, 1.x httpx, 2.x httpx2).

Each test asserts what the installed client really raises for the simulator's answers, which are the
Hub's answers from the facts reference (S1-S8, W1-W4). Endpoints are http://, so per fact R3 a bare
anonymous 401 would stay a plain HfHubHTTPError; repo 401s carry `X-Error-Code: RepoNotFound` and map.
"""

from __future__ import annotations

import inspect
import re
import socket
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import huggingface_hub
import pytest
from huggingface_hub import HfApi, hf_hub_download
from huggingface_hub.errors import (
    DisabledRepoError,
    EntryNotFoundError,
    GatedRepoError,
    HfHubHTTPError,
    LocalEntryNotFoundError,
    RepositoryNotFoundError,
    RevisionNotFoundError,
)
from simhub_helpers import FILES, World, populate, raw

from hfauth_nb.testing import FakeHub, RecordedRequest

HUB_VERSION = tuple(int(p) for p in re.findall(r"\d+", huggingface_hub.__version__)[:2])
HAS_WRITE_AUTH_CHECK = "write" in inspect.signature(HfApi.auth_check).parameters


@pytest.fixture
def world(fake_hub: FakeHub) -> World:
    return populate(fake_hub)


def api(world: World, key: str | None) -> HfApi:
    return HfApi(endpoint=world.hub.url, token=world.token(key))


def status_of(exc: BaseException) -> int:
    response: Any = getattr(exc, "response", None)
    assert response is not None, f"{type(exc).__name__} carries no response"
    return int(response.status_code)


# --- plugin and lifecycle ------------------------------------------------------------------------------


def test_plugin_fixture_gives_started_hub(fake_hub: FakeHub, request: pytest.FixtureRequest) -> None:
    assert request.config.pluginmanager.hasplugin("hfauth_nb")
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", fake_hub.url)
    assert raw(fake_hub, "GET", "/api/nothing").status == 404


def test_context_manager_and_idempotent_stop() -> None:
    hub = FakeHub()
    with pytest.raises(RuntimeError):
        _ = hub.url
    with hub:
        url = hub.url
        assert raw(hub, "GET", "/api/whoami-v2").status == 401
    hub.stop()
    hub.stop()
    with pytest.raises(RuntimeError):
        _ = hub.url
    assert url.startswith("http://127.0.0.1:")


def test_every_answer_has_unique_request_id(world: World) -> None:
    answers = [
        raw(world.hub, "GET", path)
        for path in (
            "/api/whoami-v2",
            "/api/models/acme/public",
            "/nope",
            "/acme/public/resolve/main/config.json",
        )
    ]
    ids = [a.headers.get("x-request-id") for a in answers]
    assert all(ids) and len(set(ids)) == len(ids)


# --- whoami ----------------------------------------------------------------------------------------------


def test_whoami_classic_token(world: World) -> None:
    info = api(world, "write").whoami()
    assert info["type"] == "user" and info["name"] == "alice" and info["fullname"] == "Alice"
    assert {o["name"]: o["roleInOrg"] for o in info["orgs"]} == {
        "acme": "write",
        "readers": "read",
        "helpers": "contributor",
    }
    assert all(o["type"] == "org" for o in info["orgs"])
    access = info["auth"]["accessToken"]
    assert info["auth"]["type"] == "access_token"
    assert access["role"] == "write" and access["displayName"] == "alice-write"
    for key in ("id", "email", "emailVerified", "isPro", "canPay", "avatarUrl"):
        assert key in info
    assert world.hub.whoami_calls(world.write) == 1 and world.hub.whoami_calls() == 1


def test_whoami_fine_grained_token(world: World) -> None:
    fine = api(world, "fg_read").whoami()["auth"]["accessToken"]
    assert fine["role"] == "fineGrained" and fine["displayName"] == "fg-read"
    grained = fine["fineGrained"]
    assert grained["canReadGatedRepos"] is False and grained["global"] == []
    [scope] = grained["scoped"]
    assert scope["entity"]["type"] == "org" and scope["entity"]["name"] == "acme"
    assert re.fullmatch(r"[0-9a-f]{24}", scope["entity"]["_id"])
    assert scope["permissions"] == ["repo.content.read"]


def test_whoami_oauth_token_shows_only_type_and_expiry(world: World) -> None:
    """services fact Q3: an OAuth login's whoami has no accessToken (no role, no scopes), only its expiry."""
    assert world.oauth.startswith("hf_oauth_")
    auth = api(world, "oauth").whoami()["auth"]
    assert set(auth) == {"type", "expiresAt"} and auth["type"] == "oauth"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", auth["expiresAt"])


@pytest.mark.parametrize("key", ["revoked", "unknown"])
def test_whoami_rejected_token(world: World, key: str) -> None:
    token = world.revoked if key == "revoked" else "hf_" + "x" * 34
    with pytest.raises(OSError) as info:  # requests.HTTPError in 0.x, HfHubHTTPError in 1.x/2.x
        HfApi(endpoint=world.hub.url, token=token).whoami()
    assert status_of(info.value) == 401
    answer = raw(world.hub, "GET", "/api/whoami-v2", token=token)
    assert answer.status == 401
    assert answer.headers["x-error-message"] == "Invalid credentials in Authorization header"
    assert answer.json() == {"error": "Invalid credentials in Authorization header"}


def test_whoami_anonymous_and_legacy_v1(world: World) -> None:
    anonymous = raw(world.hub, "GET", "/api/whoami-v2")
    assert anonymous.status == 401 and anonymous.json() == {"error": "Invalid username or password."}
    legacy = raw(world.hub, "GET", "/api/whoami", token=world.write)
    assert legacy.status == 401
    assert legacy.headers["x-error-message"] == "Invalid credentials in Authorization header"
    assert world.hub.whoami_calls() == 1  # v1 is not counted as whoami-v2


def test_basic_auth_rejected_by_default_and_recorded(world: World) -> None:
    answer = raw(world.hub, "GET", "/api/whoami-v2", basic=("nuser", world.write))
    assert answer.status == 401
    assert answer.json()["error"] == "Invalid credentials in Authorization header"
    [record] = world.hub.requests
    assert (record.auth_scheme, record.basic_user, record.token) == ("Basic", "nuser", world.write)


def test_basic_auth_accepted_when_configured() -> None:
    with FakeHub(basic_accepts_tokens=True) as hub:
        hub.add_user("carol")
        token = hub.add_token("carol", role="read")
        assert raw(hub, "GET", "/api/whoami-v2", basic=("__token__", token)).json()["name"] == "carol"
        assert raw(hub, "GET", "/api/whoami-v2", basic=("__token__", "wrong")).status == 401


# --- repo metadata ---------------------------------------------------------------------------------------

METADATA_CASES = [
    # token key, repo id, expected exception (None = success), status
    (None, "nobody/missing", RepositoryNotFoundError, 401),
    ("write", "nobody/missing", RepositoryNotFoundError, 404),
    (None, "bob/private", RepositoryNotFoundError, 401),
    ("write", "bob/private", RepositoryNotFoundError, 404),
    ("bob", "bob/private", None, 200),
    ("read", "acme/private", None, 200),
    ("fg_read", "acme/private", None, 200),
    ("write", "acme/disabled", DisabledRepoError, 403),
    (None, "meta/gated", None, 200),
    ("fg_read", "meta/gated", None, 200),
]


@pytest.mark.parametrize(("key", "repo_id", "error", "status"), METADATA_CASES)
def test_model_info(
    world: World, key: str | None, repo_id: str, error: type[Exception] | None, status: int
) -> None:
    if error is None:
        info = api(world, key).model_info(repo_id)
        assert info.id == repo_id and info.siblings is not None
        assert sorted(s.rfilename for s in info.siblings) == sorted(FILES)
        return
    with pytest.raises(error) as caught:
        api(world, key).model_info(repo_id)
    assert status_of(caught.value) == status
    assert not isinstance(caught.value, GatedRepoError)


def test_model_info_gated_field_and_revision(world: World) -> None:
    info = api(world, None).model_info("meta/gated")
    assert info.gated == "manual" and info.private is False
    assert api(world, "write").model_info("meta/accepted").gated == "auto"
    sha = info.sha
    assert sha is not None and api(world, None).model_info("meta/gated", revision=sha).sha == sha
    with pytest.raises(RevisionNotFoundError) as caught:
        api(world, "write").model_info("acme/public", revision="no-such-branch")
    assert status_of(caught.value) == 404


def test_invalid_token_is_401_even_on_public_repo(world: World) -> None:
    with pytest.raises(HfHubHTTPError) as caught:
        api(world, "revoked").model_info("acme/public")
    assert status_of(caught.value) == 401
    assert not isinstance(caught.value, RepositoryNotFoundError)  # facts R1: 0.29+ keep it distinct
    assert "Invalid credentials in Authorization header" in str(caught.value)


def test_dataset_info_and_wrong_type(world: World) -> None:
    assert api(world, None).dataset_info("acme/data").id == "acme/data"
    with pytest.raises(RepositoryNotFoundError):
        api(world, "write").model_info("acme/data")  # exists only as a dataset (S2: looks missing)


# --- auth-check ------------------------------------------------------------------------------------------

AUTH_CHECK_CASES = [
    (None, "meta/gated", GatedRepoError, 401, "You must have access to it and be authenticated"),
    ("write", "meta/gated", GatedRepoError, 403, "not in the authorized list"),
    ("write", "meta/pending", GatedRepoError, 403, "awaiting a review from the repo authors"),
    ("write", "meta/rejected", GatedRepoError, 403, "has been rejected by the repo's authors"),
    ("fg_read", "meta/accepted", HfHubHTTPError, 403, "Please enable access to public gated repositories"),
    ("write", "nobody/missing", RepositoryNotFoundError, 404, None),
    (None, "bob/private", RepositoryNotFoundError, 401, None),
    ("write", "acme/disabled", DisabledRepoError, 403, "Access to this resource is disabled."),
    ("write", "meta/accepted", None, 200, None),
    ("fg_gated", "meta/accepted", None, 200, None),
    ("bob", "bob/private", None, 200, None),
    (None, "acme/public", None, 200, None),
]


@pytest.mark.parametrize(("key", "repo_id", "error", "status", "text"), AUTH_CHECK_CASES)
def test_auth_check(
    world: World, key: str | None, repo_id: str, error: type[Exception] | None, status: int, text: str | None
) -> None:
    if error is None:
        api(world, key).auth_check(repo_id)
        return
    with pytest.raises(error) as caught:
        api(world, key).auth_check(repo_id)
    assert status_of(caught.value) == status
    if error is HfHubHTTPError:  # the fine-grained 403 carries no GatedRepo code (S6)
        assert not isinstance(caught.value, RepositoryNotFoundError)
    if text is not None:
        assert text in str(caught.value)


def test_gate_messages_name_the_repo_type(world: World) -> None:
    answer = raw(world.hub, "GET", "/api/datasets/meta/gated-data/auth-check", token=world.write)
    assert answer.status == 403 and answer.headers["x-error-code"] == "GatedRepo"
    assert answer.headers["x-error-message"] == (
        "Access to dataset meta/gated-data is restricted and you are not in the authorized list. "
        "Visit https://huggingface.co/datasets/meta/gated-data to ask for access."
    )
    assert answer.json()["error"] == answer.headers["x-error-message"]


WRITE_CASES = [
    ("write", "acme/public", 200),
    ("fg_write", "acme/public", 200),
    ("read", "acme/public", 403),  # read-role token
    ("fg_read", "acme/public", 403),  # fine-grained without repo.write
    ("fg_write", "readers/model", 403),  # fine-grained write covers acme only
    ("write", "readers/model", 403),  # roleInOrg read
    ("write", "helpers/theirs", 403),  # contributor, repo created by someone else
    ("write", "meta/gated", 403),  # namespace that is neither the user nor one of its orgs
    ("write", "bob/private", 404),  # invisible private repo: not found, not forbidden
    (None, "acme/public", 401),
    ("write", "acme/disabled", 403),
]


@pytest.mark.parametrize(("key", "repo_id", "status"), WRITE_CASES)
def test_write_auth_check(world: World, key: str | None, repo_id: str, status: int) -> None:
    token = None if key is None else str(getattr(world, key))
    answer = raw(world.hub, "GET", f"/api/models/{repo_id}/auth-check/write", token=token)
    assert answer.status == status
    if status != 200:
        assert answer.json()["error"] == answer.headers["x-error-message"]
    if HAS_WRITE_AUTH_CHECK and status == 403 and repo_id != "acme/disabled":
        with pytest.raises(HfHubHTTPError) as caught:
            api(world, key).auth_check(repo_id, write=True)
        assert status_of(caught.value) == 403 and not isinstance(caught.value, RepositoryNotFoundError)


# --- downloads -------------------------------------------------------------------------------------------


def download(
    world: World, key: str | None, repo_id: str, filename: str, tmp_path: Path, **kwargs: Any
) -> str:
    return str(
        hf_hub_download(
            repo_id,
            filename,
            endpoint=world.hub.url,
            token=world.token(key),
            cache_dir=tmp_path / "cache",
            **kwargs,
        )
    )


def test_download_public_file_anonymous_and_with_token(world: World, tmp_path: Path) -> None:
    path = download(world, None, "acme/public", "config.json", tmp_path)
    assert Path(path).read_bytes() == FILES["config.json"]
    data = download(world, "write", "acme/data", "data.csv", tmp_path, repo_type="dataset")
    assert Path(data).read_bytes() == b"a\n1\n"
    heads = [r for r in world.hub.requests if r.method == "HEAD"]
    assert heads and heads[0].auth_scheme is None and heads[-1].token == world.write


def test_download_head_headers(world: World) -> None:
    answer = raw(world.hub, "HEAD", "/acme/public/resolve/main/config.json")
    assert answer.status == 200 and answer.body == b""
    assert answer.headers["content-length"] == str(len(FILES["config.json"]))
    assert re.fullmatch(r'"[0-9a-f]{40}"', answer.headers["etag"])
    assert re.fullmatch(r"[0-9a-f]{40}", answer.headers["x-repo-commit"])


DOWNLOAD_ERRORS = [
    (None, "acme/public", "nope.json", {}, EntryNotFoundError, 404),
    ("write", "acme/public", "config.json", {"revision": "nope"}, RevisionNotFoundError, 404),
    (None, "meta/gated", "config.json", {}, GatedRepoError, 401),
    ("write", "meta/pending", "config.json", {}, GatedRepoError, 403),
    (None, "bob/private", "config.json", {}, RepositoryNotFoundError, 401),
    ("write", "bob/private", "config.json", {}, RepositoryNotFoundError, 404),
    ("revoked", "acme/public", "config.json", {}, HfHubHTTPError, 401),
]


@pytest.mark.parametrize(("key", "repo_id", "filename", "kwargs", "error", "status"), DOWNLOAD_ERRORS)
def test_download_errors(
    world: World,
    tmp_path: Path,
    key: str | None,
    repo_id: str,
    filename: str,
    kwargs: dict[str, Any],
    error: type[Exception],
    status: int,
) -> None:
    with pytest.raises(error) as caught:
        download(world, key, repo_id, filename, tmp_path, **kwargs)
    assert status_of(caught.value) == status


def test_download_disabled_repo_surfaces_as_local_entry_error(world: World, tmp_path: Path) -> None:
    # hf_hub_download re-raises only not-found/gated/401 HEAD errors; others become LocalEntryNotFoundError
    with pytest.raises(LocalEntryNotFoundError) as caught:
        download(world, "write", "acme/disabled", "config.json", tmp_path)
    assert isinstance(caught.value.__cause__, DisabledRepoError)


# --- writes ----------------------------------------------------------------------------------------------


def test_upload_file_with_write_token(world: World) -> None:
    api(world, "write").upload_file(path_or_fileobj=b"x", path_in_repo="a.txt", repo_id="acme/public")
    assert world.hub.repo_files("acme/public")["a.txt"] == b"x"
    paths = [r.path for r in world.hub.requests if r.method == "POST"]
    assert paths == ["/api/models/acme/public/preupload/main", "/api/models/acme/public/commit/main"]
    sha = api(world, None).model_info("acme/public").sha
    assert sha is not None and api(world, None).model_info("acme/public", revision=sha).sha == sha


@pytest.mark.parametrize(
    ("key", "repo_id"),
    [("read", "acme/public"), ("write", "readers/model"), ("fg_read", "acme/public"), ("bob", "acme/public")],
)
def test_upload_file_forbidden(world: World, key: str, repo_id: str) -> None:
    with pytest.raises(HfHubHTTPError) as caught:
        api(world, key).upload_file(path_or_fileobj=b"x", path_in_repo="a.txt", repo_id=repo_id)
    assert status_of(caught.value) == 403
    assert not isinstance(caught.value, RepositoryNotFoundError)
    assert "a.txt" not in world.hub.repo_files(repo_id)


def test_upload_to_dataset_with_fine_grained_write(world: World) -> None:
    api(world, "fg_write").upload_file(
        path_or_fileobj=b"1,2\n", path_in_repo="more.csv", repo_id="acme/data", repo_type="dataset"
    )
    assert world.hub.repo_files("acme/data", repo_type="dataset")["more.csv"] == b"1,2\n"


def test_create_repo_rules(world: World) -> None:
    writer = api(world, "write")
    url = writer.create_repo("alice/new-model")
    assert str(url).endswith("/alice/new-model")
    with pytest.raises(HfHubHTTPError) as caught:
        writer.create_repo("alice/new-model")
    assert status_of(caught.value) == 409
    assert str(writer.create_repo("alice/new-model", exist_ok=True)).endswith("/alice/new-model")
    assert str(writer.create_repo("helpers/mine", repo_type="dataset", private=True)).endswith(
        "/datasets/helpers/mine"
    )
    assert api(world, "write").dataset_info("helpers/mine").private is True
    api(world, "write").upload_file(
        path_or_fileobj=b"x", path_in_repo="x.txt", repo_id="helpers/mine", repo_type="dataset"
    )  # contributors may write to repos they created


@pytest.mark.parametrize(
    ("key", "repo_id"),
    [("read", "alice/nope"), ("write", "readers/nope"), ("write", "meta/nope"), ("fg_read", "acme/nope")],
)
def test_create_repo_forbidden(world: World, key: str, repo_id: str) -> None:
    with pytest.raises(HfHubHTTPError) as caught:
        api(world, key).create_repo(repo_id)
    assert status_of(caught.value) == 403
    namespace = repo_id.split("/")[0]
    expected = f'You don\'t have the rights to create a model under the namespace "{namespace}"'
    assert expected in str(caught.value)


def test_create_repo_accepts_name_with_namespace(world: World) -> None:
    answer = raw(
        world.hub,
        "POST",
        "/api/repos/create",
        token=world.write,
        body=b'{"name": "acme/by-name", "type": "space", "sdk": "static"}',
    )
    assert answer.status == 200 and answer.json()["url"].endswith("/spaces/acme/by-name")
    assert raw(world.hub, "GET", "/api/spaces/acme/by-name").status == 200


# --- request log, faults, latency, threads --------------------------------------------------------------


def test_request_log_records_auth(world: World) -> None:
    api(world, "write").model_info("acme/public")
    api(world, None).model_info("acme/public")
    first, second = world.hub.requests
    assert isinstance(first, RecordedRequest)
    assert (first.method, first.path, first.auth_scheme, first.token) == (
        "GET",
        "/api/models/acme/public",
        "Bearer",
        world.write,
    )
    assert (second.auth_scheme, second.token, second.status) == (None, None, 200)
    assert first.started <= first.finished <= second.started
    world.hub.clear_requests()
    assert world.hub.requests == []


def test_fault_500_then_recovers(world: World) -> None:
    world.hub.fail(r"^/api/whoami-v2$", status=500, times=1)
    with pytest.raises(HfHubHTTPError) as caught:
        api(world, "write").whoami()
    assert status_of(caught.value) == 500
    assert api(world, "write").whoami()["name"] == "alice"
    assert [r.status for r in world.hub.requests] == [500, 200]


def test_fault_429_carries_rate_limit_headers(world: World) -> None:
    world.hub.fail("whoami", status=429)
    answer = raw(world.hub, "GET", "/api/whoami-v2", token=world.write)
    assert answer.status == 429
    assert answer.headers["ratelimit"] == '"api";r=0;t=55'
    assert answer.headers["ratelimit-policy"] == '"fixed window";"api";q=500;w=300'
    with pytest.raises(HfHubHTTPError) as caught:
        api(world, "write").whoami()
    assert status_of(caught.value) == 429
    parse = getattr(huggingface_hub.utils, "parse_ratelimit_headers", None)
    if parse is not None:  # 1.2+
        limits = parse(caught.value.response.headers)
        assert limits.remaining == 0 and limits.reset_in_seconds == 55
    world.hub.clear_faults()
    assert api(world, "write").whoami()["name"] == "alice"


def test_stall_is_released_by_stop() -> None:
    hub = FakeHub()
    hub.start()
    hub.add_user("dave")
    token = hub.add_token("dave")
    hub.fail("whoami", status="stall")
    outcome: list[BaseException | None] = []

    def call() -> None:
        try:
            HfApi(endpoint=hub.url, token=token).whoami()
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=call, daemon=True)
    worker.start()
    try:
        assert hub.wait_for_requests(1, timeout=5.0)
        assert worker.is_alive()
    finally:
        hub.stop()
    worker.join(timeout=30.0)  # a hang guard, not a speed number
    assert not worker.is_alive()
    assert outcome and outcome[0] is not None  # the client saw a dropped connection, not an answer
    assert [r.status for r in hub.requests] == [0]


def test_latency_requests_overlap() -> None:
    with FakeHub(latency=0.3) as hub:
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(lambda _: raw(hub, "GET", "/api/whoami-v2"), range(4)))
        assert [a.status for a in answers] == [401] * 4
        requests = hub.requests
        assert all(r.finished - r.started >= 0.29 for r in requests)  # the latency was injected
        assert max(r.started for r in requests) < min(r.finished for r in requests)  # served concurrently


def test_concurrent_requests_and_state_changes(world: World) -> None:
    hub = world.hub
    new_tokens: list[str] = []

    def worker(index: int) -> list[int]:
        token = world.write if index % 2 else world.read
        return [raw(hub, "GET", "/api/whoami-v2", token=token).status for _ in range(25)]

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(worker, i) for i in range(8)]
        for i in range(20):
            new_tokens.append(hub.add_token("bob", role="read", name=f"bob-{i}"))
            hub.add_repo(f"bob/repo-{i}")
        statuses = [s for f in futures for s in f.result(timeout=30)]
    assert statuses == [200] * 200
    assert hub.whoami_calls() == 200
    assert hub.whoami_calls(world.write) == 100
    assert len(set(new_tokens)) == 20
    assert all(raw(hub, "GET", "/api/whoami-v2", token=t).status == 200 for t in new_tokens[:3])


# --- wire-level robustness -------------------------------------------------------------------------------


def send_raw(hub: FakeHub, data: bytes) -> bytes:
    """Write bytes on a fresh connection and read until the server closes it (bounded by a timeout)."""
    port = int(hub.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(data)
        chunks = []
        while chunk := conn.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_chunked_body_is_read(world: World) -> None:
    body = b'{"name": "chunked"}'
    request = (
        b"POST /api/repos/create HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        b"Authorization: Bearer "
        + world.write.encode()
        + b"\r\n\r\n"
        + f"{len(body):x}".encode()
        + b"\r\n"
        + body
        + b"\r\n0\r\n\r\n"
    )
    assert send_raw(world.hub, request).startswith(b"HTTP/1.1 200")
    assert list(world.hub.repo_files("alice/chunked")) == [".gitattributes"]


def test_malformed_content_length_is_answered_and_recorded(world: World) -> None:
    answer = send_raw(
        world.hub, b"POST /api/repos/create HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n"
    )
    assert answer.startswith(b"HTTP/1.1 413")
    assert [(r.path, r.status) for r in world.hub.requests] == [("/api/repos/create", 413)]


def test_head_error_has_headers_but_no_body(world: World) -> None:
    answer = raw(world.hub, "HEAD", "/meta/gated/resolve/main/config.json", token=world.write)
    assert answer.status == 403 and answer.body == b""
    assert answer.headers["x-error-code"] == "GatedRepo" and "x-request-id" in answer.headers


def test_error_headers_cannot_be_split(world: World) -> None:
    answer = raw(world.hub, "GET", "/api/models/acme/public/revision/x%0D%0AInjected:%20yes")
    assert answer.status == 404 and "injected" not in answer.headers
    assert answer.headers["x-error-message"] == "Invalid rev id: x  Injected: yes"
