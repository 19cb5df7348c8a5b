"""Spaces through gradio_client: real exceptions from a real `gradio_client.Client(...)` against the loopback Hub and
its simulated Space host (hfauth_nb/testing/space_host.py), then `explain()`, `%hfauth why` and watch name the
service, the Space and the cause, with the token argument of the installed gradio_client major (services facts
G1-G3). The token is passed as `token=` (gradio_client 2.x) or `hf_token=` (1.x): which one is the thing under test.
No check sends a request that changes a Space."""

from __future__ import annotations

import warnings
from typing import Any, Callable, Iterator

import pytest

gradio_client = pytest.importorskip(
    "gradio_client", reason="gradio_client is pinned on newest (2.x) and requests-era (1.x) only"
)

from huggingface_hub import constants, hf_api  # noqa: E402

from hfauth_nb.testing import FakeHub  # noqa: E402
from hfauth_nb.testing.space_host import HOST_PREFIX, subdomain  # noqa: E402
from hfauth_nb.watch import service_failed  # noqa: E402
from hfauth_nb.why import explain  # noqa: E402
from tests.explain.calls import raised  # noqa: E402

PRIVATE = "alice/private-space"
PUBLIC = "alice/public-space"
MAJOR = int(gradio_client.__version__.split(".", 1)[0])
TOKEN_ARG = "token" if MAJOR >= 2 else "hf_token"  # services fact G1: renamed in gradio_client 2.0
OTHER_ARG = "hf_token" if MAJOR >= 2 else "token"
AUTH_IDS = ("no-token", "token-invalid", "repo-not-found", "space-host-refused", "space-lookup-refused")


@pytest.fixture()
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeHub]:
    """alice owns a private and a public Space; bob exists; no local token. The library's endpoint is the
    loopback Hub as in a kernel started with HF_ENDPOINT; the Space host is wherever space_info's `host` says."""
    with FakeHub() as fake:
        fake.add_user("alice")
        fake.add_user("bob")
        fake.add_repo(PRIVATE, repo_type="space", private=True, files={"app.py": "import gradio"})
        fake.add_repo(PUBLIC, repo_type="space", files={"app.py": "import gradio"})
        monkeypatch.setenv("HF_ENDPOINT", fake.url)
        monkeypatch.setattr(constants, "ENDPOINT", fake.url)
        # gradio_client calls the module-level `huggingface_hub.space_info`, whose HfApi read the endpoint once.
        monkeypatch.setattr(hf_api.api, "endpoint", fake.url)
        monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "False")
        yield fake


def client(src: str, token: str | None = None) -> Callable[[], Any]:
    """`Client(src, token=...)` (2.x) or `Client(src, hf_token=...)` (1.x), quietly."""

    def call() -> Any:
        kwargs = {TOKEN_ARG: token} if token is not None else {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # 1.x warns that hf_token will be renamed
            return gradio_client.Client(src, verbose=False, analytics_enabled=False, **kwargs)

    return call


def host_url(hub: FakeHub, space: str) -> str:
    return f"{hub.url}{HOST_PREFIX}{subdomain(space)}/"


def _host_requests(hub: FakeHub) -> list[Any]:
    return [r for r in hub.requests if r.path.startswith(HOST_PREFIX)]


def _no_space_changes(hub: FakeHub) -> None:
    """Nothing but reads reached the Hub's Space routes or any Space host (no restart, pause, hardware, ...)."""
    changes = [
        (r.method, r.path)
        for r in hub.requests
        if (r.path.startswith("/api/spaces/") or r.path.startswith(HOST_PREFIX))
        and r.method not in ("GET", "HEAD")
    ]
    assert changes == []


def _fix_names_the_argument(finding: Any) -> None:
    fix = " ".join(finding.fix)
    assert f"{TOKEN_ARG}=..." in fix and f"gradio_client {gradio_client.__version__}" in fix
    assert f"Client('owner/space', {OTHER_ARG}=" not in fix


def test_the_installed_major_takes_its_own_token_argument(hub: FakeHub) -> None:
    """The other major's argument is refused by the installed Client itself (services fact G1)."""
    token = hub.add_token("alice")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        if MAJOR >= 2:
            with pytest.raises(TypeError, match="hf_token"):
                gradio_client.Client(PRIVATE, hf_token=token, verbose=False)
        else:
            with pytest.raises(TypeError, match="token"):
                gradio_client.Client(PRIVATE, token=token, verbose=False)


def test_allowed_token_opens_the_private_space_with_x_hf_authorization(hub: FakeHub) -> None:
    """The happy path: the Hub gets Authorization, the Space host only x-hf-authorization (services fact G2)."""
    token = hub.add_token("alice")
    opened = client(PRIVATE, token)()
    assert "/predict" in opened.view_api(print_info=False, return_format="dict")["named_endpoints"]
    hub_reads = [r for r in hub.requests if r.path.startswith("/api/spaces/")]
    assert [r.path for r in hub_reads][:2] == [f"/api/spaces/{PRIVATE}", f"/api/spaces/{PRIVATE}/runtime"]
    assert all(r.auth_scheme == "Bearer" and r.token == token and r.hf_token is None for r in hub_reads)
    on_host = _host_requests(hub)
    assert any(r.path.endswith("/config") for r in on_host)
    assert all(r.hf_token == token and r.auth_scheme is None for r in on_host), on_host
    _no_space_changes(hub)


def test_no_token_on_a_private_space_is_the_hubs_anonymous_answer(hub: FakeHub) -> None:
    exc = raised(client(PRIVATE))
    assert type(exc).__name__ == "RepositoryNotFoundError"  # the Hub's 401 to space_info (services fact E5)
    assert not _host_requests(hub), "the Space host was reached although the Hub refused first"
    hub.clear_requests()
    report = explain(exc, timeout=5)
    assert report.ids[0] == "space-lookup-refused", report.ids
    finding = report.findings[0]
    assert finding.evidence["service"] == "Spaces" and finding.evidence["Space"] == PRIVATE
    assert finding.evidence["status"] == 401 and finding.evidence["token sent"] == "none"
    assert "anonymous" in finding.title and "no token was sent" in finding.title
    _fix_names_the_argument(finding)
    assert "no-token" in report.ids  # the Hub-side cause, judged by the repo checks
    assert report.target.repo_id == PRIVATE and report.target.repo_type == "space" and not report.target.write
    assert service_failed(exc)
    _no_space_changes(hub)


@pytest.mark.parametrize("passed", [True, False], ids=["given to Client", "local HF_TOKEN"])
def test_another_accounts_token_is_hidden_from_by_the_hub(
    hub: FakeHub, monkeypatch: pytest.MonkeyPatch, passed: bool
) -> None:
    bob = hub.add_token("bob")
    if not passed:
        monkeypatch.setenv("HF_TOKEN", bob)
    exc = raised(client(PRIVATE, bob if passed else None))
    assert type(exc).__name__ == "RepositoryNotFoundError"
    hub.clear_requests()
    report = explain(exc, timeout=5)
    assert report.ids[0] == "space-lookup-refused", report.ids
    finding = report.findings[0]
    assert "bob" in finding.title
    assert ("token given to Client" in finding.title) is passed and (
        "local token" in finding.title
    ) is not passed
    assert finding.evidence["Space"] == PRIVATE and finding.evidence["status"] == 404
    assert finding.evidence["token passed to Client"] is passed
    assert finding.evidence["token sent"] == f"{bob[:3]}...{bob[-4:]}"
    assert bob not in repr(report.to_dict()) and bob not in repr(report)
    _fix_names_the_argument(finding)
    errors = [f.id for f in report.findings if f.severity == "error"]
    if passed:  # no local token: the Space is not probed with another token than the one Client sent
        assert errors == ["space-lookup-refused"], report.ids
        assert hub.whoami_calls(bob) == 1 and not [
            r for r in hub.requests if r.path.startswith("/api/spaces/")
        ]
    else:  # the local token is the one sent: the repo checks judge it on the Space, read-only
        assert "repo-not-found" in errors and report.target.repo_id == PRIVATE
    _no_space_changes(hub)


@pytest.mark.parametrize("refusal", [401, 404])
def test_the_space_host_refusing_names_the_host_and_the_argument(hub: FakeHub, refusal: int) -> None:
    """`Client("https://<space>.hf.space")` asks no Hub: the host's 401 is AuthenticationError, its 404 ends in
    "Could not fetch config" (services fact G3). The host hides the Space from bob's token too."""
    hub.set_space(PRIVATE, host_refusal=refusal)
    for token in (None, hub.add_token("bob")):
        hub.clear_requests()
        exc = raised(client(host_url(hub, PRIVATE), token))
        if refusal == 401:
            assert type(exc).__name__ == "AuthenticationError" and "credentials were not provided" in str(exc)
        else:
            assert type(exc) is ValueError and str(exc).startswith("Could not fetch config for")
        on_host = _host_requests(hub)
        assert on_host and all(r.auth_scheme is None and r.hf_token == token for r in on_host)
        assert not [r for r in hub.requests if r.path.startswith("/api/spaces/")]
        report = explain(exc, timeout=5)
        assert report.ids[0] == "space-host-refused", report.ids
        finding = report.findings[0]
        assert finding.evidence["service"] == "Spaces" and finding.evidence["route"] == host_url(hub, PRIVATE)
        assert ("no token was sent" in finding.title) is (token is None)
        assert token is None or "bob" in finding.title
        assert report.target.repo_id is None  # the host's URL is not read as a Hub repo id
        _fix_names_the_argument(finding)
        assert service_failed(exc)
        _no_space_changes(hub)


def test_a_paused_space_is_not_an_auth_cause(hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> None:
    """gradio_client reads the runtime's stage before the host: PAUSED is the owner's matter, not the token's."""
    monkeypatch.setenv("HF_TOKEN", hub.add_token("alice"))  # the local token: Client uses it when given none
    hub.set_space(PUBLIC, stage="PAUSED")
    exc = raised(client(PUBLIC))
    assert type(exc) is ValueError and "invalid state: PAUSED" in str(exc)
    assert not _host_requests(hub)
    report = explain(exc, timeout=5)
    assert not set(report.ids) & set(AUTH_IDS), report.ids
    # Line 1 names the Space and its stage, and says it is not the token (was: "No problem found").
    assert report.ids[0] == "space-not-running", report.ids
    finding = report.findings[0]
    assert PUBLIC in finding.title and "PAUSED" in finding.title and "not a token problem" in finding.title
    assert f"get_space_runtime({PUBLIC!r})" in " ".join(finding.fix)
    assert finding.evidence["service"] == "Spaces" and finding.evidence["stage"] == "PAUSED"
    assert report.target.repo_id == PUBLIC and "access-ok" in report.ids  # the Hub's read answered
    assert not service_failed(exc)
    _no_space_changes(hub)


def test_zerogpu_sign_up_error_from_a_real_prediction_means_anonymous(hub: FakeHub) -> None:
    """`Client.predict` through the Space's queue (sse_v3): with alice's token the ZeroGPU Space answers; without one
    it raises the quota error inviting the caller to create an account (services fact Z2), read as anonymous."""
    zero = "alice/zero-space"
    hub.add_repo(zero, repo_type="space", files={"app.py": "import spaces"})
    hub.set_space(zero, zero_gpu=True)
    token = hub.add_token("alice")
    assert client(zero, token)().predict("hi", api_name="/predict") == "echo: hi"
    joined = [r for r in _host_requests(hub) if r.path.endswith("/queue/join")]
    assert [(r.method, r.hf_token, r.auth_scheme) for r in joined] == [("POST", token, None)]
    exc = raised(lambda: client(zero)().predict("hi", api_name="/predict"))
    assert type(exc).__name__ == "AppError" and "Create a free account" in str(exc)
    hub.clear_requests()
    report = explain(exc, timeout=5)
    assert report.ids[0] == "zerogpu-anonymous", report.ids
    finding = report.findings[0]
    assert finding.evidence["service"] == "ZeroGPU" and finding.evidence["Space"] == zero
    assert finding.evidence["token sent"] == "none"
    _fix_names_the_argument(finding)
    assert report.target.repo_id == zero and report.target.repo_type == "space"
    assert service_failed(exc)
    assert [r for r in hub.requests if r.method not in ("GET", "HEAD")] == []  # explain() only read


def test_why_and_watch_name_the_space_and_the_argument(
    hub: FakeHub, bare_shell: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """`%hfauth why` after the failed cell in a real InteractiveShell, and watch below its traceback."""
    from hfauth_nb import watch

    hub.set_space(PRIVATE, host_refusal=401)
    bare_shell.run_line_magic("load_ext", "hfauth_nb")
    cell = (
        "import gradio_client\n"
        f"gradio_client.Client({host_url(hub, PRIVATE)!r}, verbose=False, analytics_enabled=False)"
    )
    bare_shell.run_cell(cell)
    capsys.readouterr()
    report = bare_shell.run_line_magic("hfauth", "why")
    assert report.ids[0] == "space-host-refused", report.ids
    assert "holds no Hugging Face Hub request" not in capsys.readouterr().out  # the report names the call
    _fix_names_the_argument(report.findings[0])
    capsys.readouterr()
    assert watch.start(bare_shell, lambda: 5.0) is True
    bare_shell.run_cell(cell)
    shown = capsys.readouterr()
    text = shown.out + shown.err
    assert "space-host-refused" in text and "The Space host refused gradio_client" in text
    assert f"Client({host_url(hub, PRIVATE)!r}, {TOKEN_ARG}=...)" in text  # the URL the cell gave, runnable
    bare_shell.run_line_magic("unload_ext", "hfauth_nb")
    _no_space_changes(hub)
