"""Which front end is this: a kernel at all (widgets), and a notebook (the token box) or a console (getpass)."""

from __future__ import annotations

from typing import Any

import pytest

from hfauth_nb.panel import frontend


class ZMQInteractiveShell:
    """Named like ipykernel's shell: detection goes by the class name in the MRO, not by importing it."""

    def __init__(self, metadata: dict[str, Any] | None = None, user_ns: dict[str, Any] | None = None) -> None:
        self.user_ns = user_ns or {}
        self.kernel = _Kernel({"header": {}, "metadata": metadata or {}})


class _Kernel:
    def __init__(self, parent: dict[str, Any]) -> None:
        self._parent = parent

    def get_parent(self, channel: str = "shell") -> dict[str, Any]:
        return self._parent


class TerminalInteractiveShell:
    user_ns: dict[str, Any] = {}


@pytest.mark.parametrize(
    ("shell", "kernel", "notebook"),
    [
        (None, False, False),
        (TerminalInteractiveShell(), False, False),
        (ZMQInteractiveShell(), True, False),  # jupyter console: no cellId
        (ZMQInteractiveShell({"cellId": "c1"}), True, True),  # JupyterLab, Notebook 7, nbclient
        (ZMQInteractiveShell(user_ns={"__vsc_ipynb_file__": "x.ipynb"}), True, True),  # VS Code
    ],
    ids=["no-shell", "terminal", "console", "notebook", "vscode"],
)
def test_detection(shell: Any, kernel: bool, notebook: bool) -> None:
    assert frontend.in_kernel(shell) is kernel
    assert frontend.notebook_frontend(shell) is notebook


def test_degraded_report_keeps_the_findings_and_adds_a_note() -> None:
    from hfauth_nb.engine.report import Finding, Report, Target, TokenSummary

    report = Report(Target(), TokenSummary(), [Finding(id="no-token", severity="info", title="No token")])
    degraded = frontend.degraded(report, "because")
    assert degraded.ids == ["no-token", "widget-frontend-missing"]
    assert report.ids == ["no-token"]  # the engine's report is not changed
