"""Does the token box know whether it rendered? A real kernel (jupyter_client) plays the front end.

The box's render() sends `{event: "rendered"}`; here the test sends that comm message itself (or not), the
way services fact R5 describes (docs/services-facts.md), and reads what the kernel concluded. Where no answer came, the
note says so and `%hfauth login` goes straight to the kernel's hidden prompt: an `input_request` with
`password: true` on the stdin channel, answered here with a canary that must reach HF_TOKEN (compared by
hash) and appear in no message the kernel sent.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from hfauth_nb.testing.hub import FakeHub

jupyter_client = pytest.importorskip("jupyter_client")
pytest.importorskip("ipykernel")

_STATE = "print('status=' + panel.entry.status)\nprint('note=' + repr(panel.entry_note.value))"


def _show(wait: float) -> str:
    """Display the panel, with `wait` s for the box to answer; print its model id and its state then."""
    return (
        "%load_ext hfauth_nb\n"
        "from hfauth_nb.panel import entry\n"
        f"entry.RENDER_WAIT = {wait}\n"
        "panel = %hfauth\n"
        "display(panel)\n"
        "print('box=' + panel.entry.widget.model_id)\n" + _STATE
    )


_DIGEST = "import hashlib, os\nprint('sha256=' + hashlib.sha256(os.environ.get('HF_TOKEN', '').encode()).hexdigest())"


class Kernel:
    """One ipykernel, driven over its channels; every iopub message is kept for the leak check."""

    def __init__(self, km: Any, kc: Any) -> None:
        self.km, self.kc = km, kc
        self.seen: list[Any] = []

    def run(self, code: str, *, stdin_reply: str | None = None, timeout: float = 60.0) -> str:
        """Execute `code`; answer one stdin request with `stdin_reply`; return what it printed and returned."""
        content = {"code": code, "silent": False, "store_history": True, "user_expressions": {}}
        content["allow_stdin"] = stdin_reply is not None
        request = self.kc.session.msg("execute_request", content)
        request["metadata"]["cellId"] = f"cell-{len(self.seen)}"  # as notebook front ends mark their cells
        self.kc.shell_channel.send(request)
        msg_id = request["header"]["msg_id"]
        printed, requests = [], []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if stdin_reply is not None and not requests:
                try:
                    asked = self.kc.get_stdin_msg(timeout=0.05)
                except Exception:
                    asked = None
                if asked is not None and asked["msg_type"] == "input_request":
                    requests.append(asked["content"])
                    self.kc.input(stdin_reply)
            try:
                msg = self.kc.get_iopub_msg(timeout=0.05)
            except Exception:
                continue
            self.seen.append(msg)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "stream":
                printed.append(msg["content"]["text"])
            if msg["msg_type"] == "execute_result":
                printed.append(msg["content"]["data"].get("text/plain", ""))
            if msg["msg_type"] == "error":
                printed.append("ERROR " + msg["content"]["ename"])
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                self.requests = requests
                return "".join(printed)
        raise AssertionError(f"no reply to {code!r} within {timeout:g} s")

    def comm(self, comm_id: str, content: dict[str, Any]) -> None:
        """What the box's front end sends: a custom message to its model."""
        data = {"comm_id": comm_id, "data": {"method": "custom", "content": content}}
        msg = self.kc.session.msg("comm_msg", data)
        self.kc.shell_channel.send(msg)

    def wait_idle_after(self, seconds: float) -> None:
        """Let the kernel sit idle (comm messages and timers run only then), draining iopub."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.seen.append(self.kc.get_iopub_msg(timeout=0.1))
            except Exception:
                continue


@pytest.fixture
def kernel(tmp_path: Path, fake_hub: FakeHub, monkeypatch: pytest.MonkeyPatch) -> Iterator[Kernel]:
    fake_hub.add_user("alice")
    monkeypatch.setenv("HF_ENDPOINT", fake_hub.url)
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("HF_TOKEN", raising=False)
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name="python3", cwd=str(tmp_path))
    try:
        yield Kernel(km, kc)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _box(printed: str) -> str:
    return next(line[4:] for line in printed.splitlines() if line.startswith("box="))


def _settled(kernel: Kernel) -> str:
    """The box's status once the kernel has decided (an answer handled, or the timer fired)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        state = kernel.run(_STATE)
        if "status=waiting" not in state:
            return state
        kernel.wait_idle_after(0.5)
    raise AssertionError("the kernel never decided whether the box rendered")


def test_an_answer_from_the_front_end_removes_the_note(kernel: Kernel) -> None:
    shown = kernel.run(_show(wait=60.0))  # (the clock cannot run out before the answer is handled)
    assert "status=waiting" in shown and "login --prompt" in shown  # until the cell ends, nothing is known
    kernel.comm(_box(shown), {"event": "rendered"})
    after = _settled(kernel)
    assert "status=rendered" in after and "note=''" in after
    assert "stopped=True" in kernel.run("print('stopped=' + str(panel.entry._timer.cancelled()))")


def test_no_answer_says_why_and_login_asks_with_the_hidden_prompt(
    kernel: Kernel, fake_hub: FakeHub, make_canary: Any
) -> None:
    assert "status=waiting" in kernel.run(_show(wait=1.0))
    state = _settled(kernel)  # nothing answers: the timer decides, after the cell
    assert "status=missing" in state
    assert "did not render" in state and "%hfauth login --prompt" in state
    canary = make_canary()
    fake_hub.add_token("alice", role="write", value=canary)
    said = kernel.run("%hfauth login", stdin_reply=canary)
    assert "cannot render here" in said and "hidden prompt" in said
    assert [r["password"] for r in kernel.requests] == [True]
    digest = kernel.run(_DIGEST)
    assert digest.strip() == "sha256=" + hashlib.sha256(canary.encode()).hexdigest()
    assert canary not in json.dumps([m["content"] for m in kernel.seen], default=str)


def test_login_prompt_when_asked_even_where_the_box_renders(
    kernel: Kernel, fake_hub: FakeHub, make_canary: Any
) -> None:
    canary = make_canary()
    fake_hub.add_token("alice", role="write", value=canary)
    said = kernel.run("%load_ext hfauth_nb\n%hfauth login --prompt", stdin_reply=canary)
    assert "HF_TOKEN is set for this session" in said and canary not in said
    assert [r["password"] for r in kernel.requests] == [True]
    assert kernel.run(_DIGEST).strip() == "sha256=" + hashlib.sha256(canary.encode()).hexdigest()


def test_a_run_without_stdin_points_to_the_environment(kernel: Kernel) -> None:
    said = kernel.run("%load_ext hfauth_nb\nnotice = %hfauth login --prompt\nprint(notice)")
    assert "cannot prompt" in said and "HF_TOKEN" in said and "Colab secret" in said
