"""The current notebook is found only from what the front end tells the kernel; otherwise the user is asked."""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

from hfauth_nb.targets.locate import Located, current_notebook

NOTEBOOK = {"cells": [], "metadata": {"colab": {"name": "train.ipynb"}}, "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture(autouse=True)
def _no_front_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)


def test_vs_code_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_text("{}")
    found = current_notebook({"__vsc_ipynb_file__": str(path)})
    assert isinstance(found, Located) and found.path == path and "VS Code" in found.how


def test_jupyter_session_path_relative_to_the_server_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "work" / "sub"
    folder.mkdir(parents=True)
    (folder / "a.ipynb").write_text("{}")
    monkeypatch.chdir(folder)  # jupyter_server starts the kernel in the notebook's folder
    monkeypatch.setenv("JPY_SESSION_NAME", "work/sub/a.ipynb")
    found = current_notebook({})
    assert isinstance(found, Located) and found.path == folder / "a.ipynb"


def test_session_that_is_not_a_notebook_file_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JPY_SESSION_NAME", "console-1-abc")
    found = current_notebook({})
    assert isinstance(found, str) and "console-1-abc" in found


def test_nothing_known_asks_for_a_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    found = current_notebook(None)
    assert isinstance(found, str) and "%hfauth preflight" in found


def _fake_colab(monkeypatch: pytest.MonkeyPatch, reply: object) -> list[tuple[str, float]]:
    asked: list[tuple[str, float]] = []

    def blocking_request(kind: str, timeout_sec: float) -> object:
        asked.append((kind, timeout_sec))
        if isinstance(reply, Exception):
            raise reply
        return reply

    google = types.ModuleType("google")
    colab = types.ModuleType("google.colab")
    message = types.ModuleType("google.colab._message")
    message.blocking_request = blocking_request  # type: ignore[attr-defined]
    colab._message = message  # type: ignore[attr-defined]
    google.colab = colab  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "google", google)
    monkeypatch.setitem(sys.modules, "google.colab", colab)
    monkeypatch.setitem(sys.modules, "google.colab._message", message)
    return asked


def test_colab_hands_over_the_open_notebook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    asked = _fake_colab(monkeypatch, {"ipynb": NOTEBOOK})
    found = current_notebook({})
    assert asked and asked[0][0] == "get_ipynb"
    assert isinstance(found, Located) and found.name == "train.ipynb" and found.path is None
    assert json.loads(found.content or "") == NOTEBOOK


def test_colab_refusal_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    _fake_colab(monkeypatch, TimeoutError("no reply"))
    found = current_notebook({})
    assert isinstance(found, str) and "TimeoutError" in found
