"""Spaces: space-admin-oauth-refused, space-host-refused, space-lookup-refused, zerogpu-anonymous and
oauth-permissions-unknown (services facts H2, G2, G3, Z2, A6)."""

from __future__ import annotations

from dataclasses import replace

from factories import VALID, Case, context, oauth_login, ok, row, table, token_facts, whoami_ok

from hfauth_nb.engine.checks import spaces as checks
from hfauth_nb.engine.hub import Whoami
from hfauth_nb.engine.service_failure import ServiceFailure

SPACE = "alice/demo-space"


def admin(route: str = "restart") -> ServiceFailure:
    return ServiceFailure(
        "space-admin-route",
        target=SPACE,
        url=f"https://huggingface.co/api/spaces/{SPACE}/{route}",
        status=401,
        route=route,
    )


# whoami-v2 of a browser/device login: the type and expiry, no accessToken (services fact A6).
OAUTH_WHOAMI = {
    VALID: Whoami(ok({"name": "alice", "auth": {"type": "oauth", "expiresAt": "2030-03-01T00:00:00Z"}}))
}
BROWSER_LOGIN = token_facts(hf_token=None, file=VALID, oauth=oauth_login("not-due", expired=False))
HOST = ServiceFailure(
    "space-host", target=SPACE, message="Could not load alice/demo-space as credentials were not provided."
)
ZERO = ServiceFailure(
    "zerogpu-signup", message="You have exceeded your GPU quota (60s requested vs. 56s left)."
)

ADMIN = [
    row("no service failure: silent", context(whoami=OAUTH_WHOAMI), []),
    row(
        "a classic token refused by restart: not this cause",
        context(failure=admin(), repo=SPACE, repo_type="space"),
        [],
    ),
    row(
        "restart refused, whoami says oauth: error, classic token for admin calls",
        context(failure=admin(), whoami=OAUTH_WHOAMI, repo=SPACE, repo_type="space"),
        [("space-admin-oauth-refused", "error")],
        evidence={"Space": SPACE, "status": 401, "service": "Spaces"},
        fix="restart_space",
    ),
    row(
        "sleep time refused for the stored browser login",
        context(failure=admin("sleeptime"), tokens=BROWSER_LOGIN, repo=SPACE, repo_type="space"),
        [("space-admin-oauth-refused", "error")],
        fix="set_space_sleep_time",
    ),
    row(
        "hardware refused, no whoami (Hub not asked), OAuth prefix: error",
        context(failure=admin("hardware"), tokens=token_facts(hf_token="hf_oauth_" + "a" * 34), hub=None),
        [("space-admin-oauth-refused", "error")],
        fix="request_space_hardware",
    ),
]

HOST_ROWS = [
    row("no service failure: silent", context(), []),
    row(
        "gradio_client 2.x installed: token=",
        context(failure=replace(HOST, gradio_client="2.7.2")),
        [("space-host-refused", "error")],
        evidence={"gradio_client": "2.7.2"},
        fix=f"Client('{SPACE}', token=...)   (gradio_client 2.7.2)",
    ),
    row(
        "gradio_client 1.x installed: hf_token=",
        context(failure=replace(HOST, gradio_client="1.14.0")),
        [("space-host-refused", "error")],
        fix=f"Client('{SPACE}', hf_token=...)",
    ),
    row(
        "a host URL given to Client: the step names that URL, and the read-only calls keep a placeholder",
        context(
            failure=replace(HOST, target=None, url="https://alice-demo-space.hf.space", gradio_client="2.7.2")
        ),
        [("space-host-refused", "error")],
        fix="Client('https://alice-demo-space.hf.space', token=...)",
    ),
    row(
        "private Space, token sent: error, token= argument per gradio_client major",
        context(failure=HOST),
        [("space-host-refused", "error")],
        evidence={"Space": SPACE},
        fix="token=",
    ),
    row(
        "no token anywhere: error",
        context(failure=HOST, tokens=token_facts(hf_token=None), hub=None),
        [("space-host-refused", "error")],
        fix="hf_token=",
    ),
]

LOOKUP = ServiceFailure(
    "space-lookup",
    target=SPACE,
    repo_type="space",
    url=f"https://huggingface.co/api/spaces/{SPACE}",
    status=401,
    gradio_client="2.7.2",
    client_found=True,
)
BOB = whoami_ok("bob")

LOOKUP_ROWS = [
    row("no service failure: silent", context(), []),
    row("the Space host refused, not the Hub: silent", context(failure=HOST), []),
    row(
        "anonymous look-up: no token sent, log in or pass token=",
        context(failure=LOOKUP, tokens=token_facts(hf_token=None), hub=None),
        [("space-lookup-refused", "error")],
        evidence={"service": "Spaces", "Space": SPACE, "status": 401, "token sent": "none"},
        fix=f"Client('{SPACE}', token=...)   (gradio_client 2.7.2)",
    ),
    row(
        "hidden from the account of the token given to Client (1.x: hf_token=)",
        context(
            failure=replace(
                LOOKUP, status=404, sent="hf_" + "b" * 34, token_passed=True, gradio_client="1.14.0"
            ),
            whoami={"hf_" + "b" * 34: BOB},
        ),
        [("space-lookup-refused", "error")],
        evidence={"token passed to Client": True, "token sent": "hf_...bbbb"},
        fix=f"Client('{SPACE}', hf_token=...)",
    ),
]

ZERO_ROWS = [
    row("no service failure: silent", context(), []),
    row("another Space failure: silent", context(failure=HOST), []),
    row(
        "sign-up text: anonymous, pass the token",
        context(failure=ZERO),
        [("zerogpu-anonymous", "error")],
        evidence={"service": "ZeroGPU", "token available locally": True},
        fix="token=",
    ),
]

PAUSED = ServiceFailure(
    "space-stage",
    target=SPACE,
    repo_type="space",
    message="The current space is in the invalid state: PAUSED. Please contact the owner to fix this.",
    stage="PAUSED",
    gradio_client="2.7.2",
    client_found=True,
)
NOT_RUNNING_ROWS = [
    row("no service failure: silent", context(), []),
    row("the Space host refused: silent", context(failure=HOST), []),
    row(
        "paused: error naming the stage, not the token; read-only runtime check",
        context(failure=PAUSED, repo=SPACE, repo_type="space"),
        [("space-not-running", "error")],
        evidence={"service": "Spaces", "Space": SPACE, "stage": "PAUSED"},
        fix=f"HfApi().get_space_runtime('{SPACE}').stage",
    ),
    row(
        "a build error, no Space id known: the stage still named",
        context(failure=replace(PAUSED, target=None, stage="BUILD_ERROR")),
        [("space-not-running", "error")],
        evidence={"stage": "BUILD_ERROR"},
        fix="get_space_runtime('owner/space')",
    ),
]

PERMISSIONS = [
    row("OAuth token but no service failure: silent", context(whoami=OAUTH_WHOAMI), []),
    row("classic token with a Space failure: silent", context(failure=admin()), []),
    row("Hub not asked: whoami unknown, silent", context(failure=admin(), hub=None), []),
    row(
        "OAuth token (whoami) with a Space failure: info, permissions unreadable",
        context(failure=admin(), whoami=OAUTH_WHOAMI),
        [("oauth-permissions-unknown", "info")],
        evidence={"token type": "oauth (browser/device login)"},
    ),
    row(
        "the stored login: expiry and refresh state read, not refreshed",
        context(failure=HOST, tokens=BROWSER_LOGIN, whoami=OAUTH_WHOAMI),
        [("oauth-permissions-unknown", "info")],
        evidence={"refresh token stored": True, "refresh": "not-due"},
    ),
]


@table(ADMIN)
def test_space_admin_oauth_refused(case: Case) -> None:
    case.verify(checks.check_space_admin_oauth_refused)


@table(HOST_ROWS)
def test_space_host_refused(case: Case) -> None:
    case.verify(checks.check_space_host_refused)


@table(LOOKUP_ROWS)
def test_space_lookup_refused(case: Case) -> None:
    case.verify(checks.check_space_lookup_refused)


@table(ZERO_ROWS)
def test_zerogpu_anonymous(case: Case) -> None:
    case.verify(checks.check_zerogpu_anonymous)


@table(NOT_RUNNING_ROWS)
def test_space_not_running(case: Case) -> None:
    case.verify(checks.check_space_not_running)


@table(PERMISSIONS)
def test_oauth_permissions_unknown(case: Case) -> None:
    case.verify(checks.check_oauth_permissions_unknown)
