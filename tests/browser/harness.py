"""A real JupyterLab 4 / Notebook 7 server on 127.0.0.1 with every Jupyter and IPython folder in one temporary
directory, driven by Debian's chromium through Playwright (see shared/reference/browser-test-recipe.md).

Everything the server, the kernel and the browser write lands under `Workspace.base`, so a leak check can
grep all of it: notebooks, checkpoints, settings, workspaces, runtime files, IPython's history.sqlite, the
server log and the browser profile.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
_DIRS = ("root", "cfg", "data", "runtime", "settings", "workspaces", "ipython", "home", "chrome")
# Variables that would change what the kernel's Hub client does, or point Jupyter at the real HOME.
_DROP_PREFIXES = ("HF_", "HUGGING", "JUPYTER", "IPYTHON", "COLAB_", "KAGGLE_", "GIT_", "XDG_")
_DROP = ("NETRC", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

# The lowest contrast of any text in the report against the colour actually behind it (ancestors' backgrounds,
# alpha blended onto the page's), in the WCAG sense.
LOWEST_CONTRAST = """(root) => {
  const parse = (c) => { const m = c.match(/[\\d.]+/g) || ['0','0','0','0'];
    return [+m[0], +m[1], +m[2], m.length > 3 ? +m[3] : 1]; };
  const lum = ([r, g, b]) => { const f = (v) => { v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const over = (top, under) => { const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat([1]); };
  const backgroundOf = (el) => { const layers = [];
    for (let e = el; e; e = e.parentElement) layers.push(parse(getComputedStyle(e).backgroundColor));
    layers.push(parse(getComputedStyle(document.body).backgroundColor));
    let colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour; };
  let worst = 99, where = '';
  for (const el of root.querySelectorAll('*')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    const bg = backgroundOf(el);
    const fg = over(parse(style.color), bg);
    const opacity = +style.opacity;
    const text = over(fg.slice(0, 3).concat([opacity]), bg);
    const [a, b] = [lum(text), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + 0.05) / (b + 0.05);
    if (ratio < worst) { worst = ratio; where = el.textContent.trim().slice(0, 60); }
  }
  return [worst, where];
}"""


def new_canary() -> str:
    """Token-shaped (hf_ + 34 letters), valid only on the loopback Hub of this test run."""
    return "hf_CANARY" + "".join(secrets.choice(string.ascii_letters) for _ in range(28))


def files_holding(base: Path, needle: str) -> list[str]:
    """Every file under `base` whose bytes contain `needle`: JSON, sqlite, logs, browser profile alike."""
    raw = needle.encode()
    found = []
    for path in base.rglob("*"):
        try:
            if path.is_file() and not path.is_symlink() and raw in path.read_bytes():
                found.append(str(path.relative_to(base)))
        except OSError:  # a socket or a file the browser holds exclusively
            continue
    return sorted(found)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Workspace:
    """The temporary tree one server (and its kernels and browser profile) writes into."""

    base: Path

    def __post_init__(self) -> None:
        for name in _DIRS:
            (self.base / name).mkdir(parents=True, exist_ok=True)
        self.write_setting(
            "@jupyterlab/apputils-extension", "notification", {"fetchNews": "false", "checkForUpdates": False}
        )

    def path(self, name: str) -> Path:
        return self.base / name

    def write_setting(self, package: str, plugin: str, values: dict[str, Any]) -> None:
        target = self.base / "settings" / package / f"{plugin}.jupyterlab-settings"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))

    def disable_extension(self, name: str) -> None:
        """What `jupyter labextension disable NAME` writes, in this workspace's own config dir only."""
        target = self.base / "cfg" / "labconfig" / "page_config.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps({"disabledExtensions": {name: True}}))

    def save_widget_state(self, on: bool) -> None:
        """ipywidgets' "Save Widget State Automatically"; read by the page when it loads."""
        self.write_setting("@jupyter-widgets/jupyterlab-manager", "plugin", {"saveState": on})

    def env(self, extra: dict[str, str]) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(_DROP_PREFIXES) and k not in _DROP}
        b = self.base
        env.update(
            HOME=str(b / "home"),
            JUPYTER_CONFIG_DIR=str(b / "cfg"),
            JUPYTER_DATA_DIR=str(b / "data"),
            JUPYTER_RUNTIME_DIR=str(b / "runtime"),
            JUPYTERLAB_SETTINGS_DIR=str(b / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(b / "workspaces"),
            IPYTHONDIR=str(b / "ipython"),
            HF_HOME=str(b / "home" / ".cache" / "huggingface"),
            HF_HUB_DISABLE_TELEMETRY="1",
            NO_PROXY="127.0.0.1,localhost",
            GIT_CONFIG_NOSYSTEM="1",
            **extra,
        )
        return env


@dataclass
class JupyterServer:
    """`jupyter lab` or `jupyter notebook` on 127.0.0.1, stopped by its PID."""

    app: str  # "lab" | "notebook"
    workspace: Workspace
    env_extra: dict[str, str]
    port: int = field(default_factory=_free_port)
    token: str = field(default_factory=lambda: secrets.token_hex(16))
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60.0) -> None:
        expose = "--LabApp.expose_app_in_browser=True"
        if self.app == "notebook":
            expose = "--JupyterNotebookApp.expose_app_in_browser=True"
        args = [
            sys.executable, "-m", "jupyter", self.app, "--no-browser", "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0", "--ServerApp.allow_root=True",
            f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.workspace.path('root')}",
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            expose,
        ]  # fmt: skip
        log = (self.workspace.base / f"server-{self.app}.log").open("wb")
        self.process = subprocess.Popen(
            args, env=self.workspace.env(self.env_extra), stdout=log, stderr=subprocess.STDOUT,
            cwd=self.workspace.path("root"), start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter {self.app} exited: {self.log_text()[-2000:]}")
            if "error linking extension" in self.log_text() or "error loading extension" in self.log_text():
                raise RuntimeError(f"jupyter {self.app} extension failure: {self.log_text()[-2000:]}")
            try:
                self.api("GET", "/api/status")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"jupyter {self.app} did not answer in {timeout:g} s")

    def log_text(self) -> str:
        path = self.workspace.base / f"server-{self.app}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def api(self, method: str, path: str) -> Any:
        request = urllib.request.Request(
            self.url + path, method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Stop every session's kernel, so phases do not compete for the two cores."""
        for sess in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{sess['id']}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def page_url(self, notebook: str) -> str:
        if self.app == "lab":
            return f"{self.url}/lab/tree/{notebook}?reset&token={self.token}"
        return f"{self.url}/notebooks/{notebook}?token={self.token}"


def write_notebook(path: Path, cells: list[str]) -> None:
    """A notebook with these code cells and the python3 kernel, never run."""
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"c{i}",
                "metadata": {},
                "outputs": [],
                "source": src,
            }
            for i, src in enumerate(cells)
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb, indent=1))


def browser_args() -> list[str]:
    """Headless, no background traffic; anything not on loopback fails to resolve."""
    return [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--password-store=basic",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
    ]  # fmt: skip


class NotebookPage:
    """One open notebook in Lab or Notebook 7: run cells, save, read outputs, through the app's own commands."""

    def __init__(self, page: Any, server: JupyterServer, notebook: str) -> None:
        self.page = page
        self.server = server
        self.notebook = notebook
        self.file = server.workspace.path("root") / notebook
        page.goto(server.page_url(notebook))
        page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
        self.wait_kernel_idle()

    def wait_kernel_idle(self, timeout: float = 60_000) -> None:
        self.page.wait_for_function(
            """() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
                const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
                return !!k && k.connectionStatus === 'connected' && k.status === 'idle'; }""",
            timeout=timeout,
        )

    def command(self, name: str) -> None:
        """Run an app command and wait for it to finish (a save includes its checkpoint)."""
        self.page.evaluate("async (name) => { await window.jupyterapp.commands.execute(name); }", name)

    def run_all(self) -> None:
        self.command("notebook:run-all-cells")

    def run_cell(self, index: int) -> None:
        self.page.evaluate(
            """(i) => { const nb = window.jupyterapp.shell.currentWidget.content;
                nb.activeCellIndex = i; nb.mode = 'command';
                return window.jupyterapp.commands.execute('notebook:run-cell'); }""",
            index,
        )

    def start_cell(self, index: int) -> None:
        """Run a cell without waiting for it to finish (it may be waiting for an answer on stdin)."""
        self.page.evaluate(
            """(i) => { const nb = window.jupyterapp.shell.currentWidget.content;
                nb.activeCellIndex = i; nb.mode = 'command';
                void window.jupyterapp.commands.execute('notebook:run-cell'); }""",
            index,
        )

    def outputs(self, index: int) -> Any:
        """All of a cell's outputs (several: a printed line, a stdin prompt, the value)."""
        return self.page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-Cell-outputArea")

    def output(self, index: int) -> Any:
        return self.page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".jp-OutputArea-output")

    def save(self, timeout: float = 20.0) -> None:
        """Save now (file and checkpoint) and wait until the file on disk changed.

        The app drops a save asked while another save of the same document (or its checkpoint) is still
        running, so the command is awaited, and asked again if it was dropped.
        """
        before = self.mtime()
        deadline = time.monotonic() + timeout
        while self.mtime() == before and time.monotonic() < deadline:
            self.command("docmanager:save")
            if self.mtime() == before:
                time.sleep(0.1)
        self.wait_saved(before, max(deadline - time.monotonic(), 0.1))

    def mtime(self) -> int:
        return self.file.stat().st_mtime_ns if self.file.exists() else 0

    def wait_saved(self, before: int, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.mtime() != before:
                time.sleep(0.05)  # the contents API writes, then renames; let the checkpoint follow
                return
            time.sleep(0.02)
        shot = self.server.workspace.base / f"not-saved-{self.notebook}.png"
        self.page.screenshot(path=str(shot))
        raise AssertionError(f"{self.notebook} was not saved within {timeout:g} s (screenshot: {shot})")

    def saved(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.file.read_text())
        return data
