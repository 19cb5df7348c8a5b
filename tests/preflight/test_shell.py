"""Shell lines that name Hub repos: the `hf` / `huggingface-cli` commands and `git clone` of a Hub URL."""

from __future__ import annotations

import json

import pytest

from hfauth_nb.targets import extract_text

TOKEN = "hf_" + "abcdefghijklmnopqrstuvwxyzABCDEFGH"


def run(*lines: str) -> tuple[set[tuple[str, str, str | None, bool, str]], list[tuple[str, str]]]:
    nb = {"cells": [{"cell_type": "code", "source": "\n".join(lines)}], "metadata": {}}
    found = extract_text(json.dumps(nb), "nb.ipynb")
    targets = {
        (t.repo_id, t.repo_type, t.revision, t.write, s.call) for t in found.targets for s in t.sources
    }
    return targets, [(u.code, u.reason) for u in found.unresolved]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("!hf download acme/m config.json --revision v1", ("acme/m", "model", "v1", False, "!hf download")),
        ("!hf download --repo-type dataset acme/d", ("acme/d", "dataset", None, False, "!hf download")),
        ("!hf download --type=space acme/app", ("acme/app", "space", None, False, "!hf download")),
        (
            "!huggingface-cli download datasets/acme/d",
            ("acme/d", "dataset", None, False, "!huggingface-cli download"),
        ),
        ("files = !hf upload spaces/acme/app . --private", ("acme/app", "space", None, True, "!hf upload")),
        (
            "!hf upload-large-folder acme/big ./out",
            ("acme/big", "model", None, True, "!hf upload-large-folder"),
        ),
        (
            "!huggingface-cli repo create mymodel --organization acme",
            ("acme/mymodel", "model", None, True, "!huggingface-cli repo create"),
        ),
        (
            "!hf repos create acme/new --repo-type dataset",
            ("acme/new", "dataset", None, True, "!hf repos create"),
        ),
        ("!pip install -q hf && hf download acme/m2", ("acme/m2", "model", None, False, "!hf download")),
        ("!git clone https://huggingface.co/acme/m3", ("acme/m3", "model", None, False, "!git clone")),
        (
            f"!git clone https://user:{TOKEN}@huggingface.co/datasets/acme/d2.git",
            ("acme/d2", "dataset", None, False, "!git clone"),
        ),
    ],
)
def test_shell_commands(line: str, expected: tuple[str, str, str | None, bool, str]) -> None:
    assert run(line) == ({expected}, [])


@pytest.mark.parametrize(
    "line",
    [
        "!echo hf download acme/no",
        "!hf auth whoami",
        "!hf download ./local",
        "!git clone https://github.com/acme/repo",
        "!hf download 'unterminated",
        "!ls",
    ],
)
def test_shell_lines_without_a_hub_repo(line: str) -> None:
    assert run(line) == (set(), [])


def test_a_repo_from_the_namespace_is_unresolved_with_the_cell_line() -> None:
    targets, missed = run("repo = 'acme/m'", "!hf download {repo}", "!hf download $repo")
    assert targets == set()
    assert [code for code, _ in missed] == ["!hf download {repo}", "!hf download $repo"]
    assert all("namespace" in why for _, why in missed)
