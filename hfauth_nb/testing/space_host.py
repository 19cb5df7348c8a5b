"""A Space's own host (`https://{subdomain}.hf.space` on the real Hub), simulated on the loopback server so a real
`gradio_client.Client` constructs against it or fails the way it would (services facts G1-G3).

How the client gets here: `Client("owner/space")` asks the Hub's `space_info` and connects to the `host` field of
its answer (gradio_client 1.x and 2.x alike: `_space_name_to_src` returns `space_info(...).host`). The simulated
Hub writes a loopback `host` there, `{server}/hf.space/{subdomain}/`, so nothing in the library is patched. One
loopback port stands for every `*.hf.space` subdomain, hence the path prefix; it ends with `/` because the client
joins its routes (`config`, `gradio_api/info`) onto the host with `urljoin`, as it does for `https://x.hf.space/`.
`Client("http://.../hf.space/{subdomain}/")` reaches the same host without asking the Hub.

What the host answers:
- The caller is whoever the `X-HF-Authorization` Bearer token belongs to (gradio_client sends the token there,
  never in `Authorization`, services fact G2); a missing, unknown or revoked token is anonymous. `Authorization`
  is ignored, as the Spaces proxy reads only its own header.
- A private Space hides from callers who may not read it: 404 (as if it did not exist) or 401 (the test picks,
  `FakeHub.set_space(..., host_refusal=401)`), on every route including the page itself.
- A Space that is not RUNNING answers 503 (gradio_client asks the runtime first and never gets here for a
  Space id).
- Otherwise a minimal Gradio 5 app: `GET config`, `GET gradio_api/info` (one `/predict` text endpoint), the page
  with `window.gradio_config`, and a heartbeat event stream held open until the hub stops (gradio_client 1.x
  re-opens it at once when it ends).
- Its queue (protocol sse_v3): `POST gradio_api/queue/join` queues one prediction for the session and answers its
  event id; `GET gradio_api/queue/data?session_hash=...` streams that session's messages and closes. `/predict`
  echoes its text, except on a ZeroGPU Space called anonymously: the prediction then fails with the quota error
  that invites the caller to create an account (services fact Z2), which gradio_client raises as `AppError`.
  Nothing it serves changes the Space.
"""

from __future__ import annotations

import json
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from hfauth_nb.testing import rules
from hfauth_nb.testing.rules import Caller, Reply, error_reply, json_reply
from hfauth_nb.testing.state import HubState, Repo, SpaceSettings

if TYPE_CHECKING:
    from hfauth_nb.testing.routes import Incoming

HOST_PREFIX = "/hf.space/"
SPACE_UNAVAILABLE = "This Space is not running."
CREDENTIALS_REQUIRED = "Unauthorized: this Space is private."
GRADIO_VERSION = "5.9.1"
# The quota error a ZeroGPU Space sends an anonymous caller (services fact Z2).
ZERO_GPU_ANONYMOUS = (
    "You have exceeded your GPU quota (60s requested vs. 56s left). "
    '<a href="https://huggingface.co/join">Create a free account</a> to get more usage quota.'
)

_COMPONENTS = [
    {"id": 1, "type": "textbox", "props": {"label": "text"}},
    {"id": 2, "type": "textbox", "props": {"label": "output"}},
]
_PREDICT = {
    "id": 0,
    "targets": [[1, "submit"]],
    "inputs": [1],
    "outputs": [2],
    "backend_fn": True,
    "api_name": "predict",
    "queue": True,
}
_TEXT = {
    "type": {"type": "string"},
    "python_type": {"type": "str", "description": ""},
    "component": "Textbox",
}
_INFO = {
    "named_endpoints": {
        "/predict": {
            "parameters": [
                {
                    "label": "text",
                    "parameter_name": "text",
                    "parameter_has_default": False,
                    "parameter_default": None,
                    "example_input": "Hello!!",
                    **_TEXT,
                }
            ],
            "returns": [{"label": "output", **_TEXT}],
        }
    },
    "unnamed_endpoints": {},
}


def subdomain(space_id: str) -> str:
    """The Space's host name part, as the Hub derives it: `Alice/My_Space` -> `alice-my-space`."""
    return "".join(c if c.isalnum() else "-" for c in space_id.lower())


def info_extra(request: Incoming, repo: Repo) -> dict[str, Any]:
    """The fields `space_info` carries for a Space: its SDK and where its host is (loopback here)."""
    if repo.repo_type != "space":
        return {}
    sub = subdomain(repo.repo_id)
    return {"sdk": "gradio", "subdomain": sub, "host": f"{request.server_url}{HOST_PREFIX}{sub}/"}


def settings(state: HubState, space_id: str) -> SpaceSettings:
    """The Space's stage and refusal status (a Space nobody configured is running and hides with 404)."""
    return state.spaces.get(space_id) or SpaceSettings()


def is_space_host_request(request: Incoming) -> bool:
    """A request for a Space's host rather than the Hub (answered before Hub authentication)."""
    return request.path.startswith(HOST_PREFIX)


def handle(state: HubState, request: Incoming) -> Reply:
    """Answer a Space host request: visibility from X-HF-Authorization, then the stage, then the app."""
    sub, _, route = request.path[len(HOST_PREFIX) :].partition("/")
    repo = next(
        (r for r in state.repos.values() if r.repo_type == "space" and subdomain(r.repo_id) == sub), None
    )
    if repo is None:
        return error_reply(404, rules.PAGE_NOT_FOUND)
    caller = rules.authenticate(state, rules.parse_authorization(request.hf_authorization))
    if isinstance(caller, Reply):
        caller = Caller()  # an unknown or revoked token counts as no token here
    found = settings(state, repo.repo_id)
    if repo.private and not rules.can_see(caller, repo):
        if found.host_refusal == 401:
            return error_reply(401, CREDENTIALS_REQUIRED)
        return error_reply(404, rules.PAGE_NOT_FOUND)
    if found.stage != "RUNNING":
        return error_reply(503, SPACE_UNAVAILABLE)
    if route == "gradio_api/queue/join" and request.method == "POST":
        return _join(found, caller, request.body)
    if route == "gradio_api/queue/data" and request.method == "GET":
        session = parse_qs(request.query).get("session_hash", [""])[0]
        return _stream(found.events.pop(session, []))
    return _app(route, request.method)


def _join(space: SpaceSettings, caller: Caller, body: bytes) -> Reply:
    """Queue one `/predict` run for the session: the echo, or the anonymous ZeroGPU quota error."""
    try:
        payload = json.loads(body or b"{}")
        session, text = str(payload["session_hash"]), str((payload.get("data") or [""])[0])
    except (ValueError, KeyError, TypeError, IndexError):
        return error_reply(422, "Unprocessable Entity")
    event_id = secrets.token_hex(16)
    if space.zero_gpu and caller.user is None:
        done: dict[str, Any] = {"output": {"error": ZERO_GPU_ANONYMOUS}, "success": False}
    else:
        done = {"output": {"data": [f"echo: {text}"], "is_generating": False}, "success": True}
    space.events.setdefault(session, []).extend(
        [
            {"msg": "process_starts", "event_id": event_id},
            {"msg": "process_completed", "event_id": event_id, **done},
            {"msg": "close_stream"},
        ]
    )
    return json_reply({"event_id": event_id})


def _stream(messages: list[dict[str, Any]]) -> Reply:
    """A finished event stream: one `data:` line per message."""
    body = "".join(f"data: {json.dumps(message)}\n\n" for message in messages)
    return Reply(200, body.encode(), content_type="text/event-stream")


def _app(route: str, method: str) -> Reply:
    """The minimal Gradio app's read routes."""
    if method not in ("GET", "HEAD"):
        return error_reply(405, "Method Not Allowed")
    if route == "config":
        return json_reply(gradio_config())
    if route == "gradio_api/info":
        return json_reply(_INFO)
    if route.startswith("gradio_api/heartbeat/"):
        return Reply(200, b": heartbeat\n\n", content_type="text/event-stream", hold=True)
    if route == "":
        page = f"<html><script>window.gradio_config = {json.dumps(gradio_config())};</script></html>"
        return Reply(200, page.encode(), content_type="text/html")
    return error_reply(404, rules.PAGE_NOT_FOUND)


def gradio_config() -> dict[str, Any]:
    """What a Gradio 5 app's `/config` carries that gradio_client reads."""
    return {
        "version": GRADIO_VERSION,
        "mode": "interface",
        "protocol": "sse_v3",
        "api_prefix": "/gradio_api",
        "connect_heartbeat": False,
        "components": _COMPONENTS,
        "dependencies": [_PREDICT],
    }
