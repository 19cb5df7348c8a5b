"""Hub repos named on shell lines (`!hf download org/x`, `!huggingface-cli upload ...`, `!git clone
https://huggingface.co/...`), which IPython's transformer turns into `get_ipython().system("...")` calls.

IPython expands `{expr}` and `$name` on a shell line from the kernel's namespace; a repo word holding either
is listed as unresolved rather than guessed.
"""

from __future__ import annotations

import shlex
from urllib.parse import urlsplit

from hfauth_nb.hub_refs import REPO_TYPES
from hfauth_nb.targets.repoids import hub_repo_id

# Options of `hf download/upload` and `huggingface-cli ...` that take a value (the rest are flags).
_VALUED = frozenset(
    {"--repo-type", "--type", "--revision", "--include", "--exclude", "--cache-dir", "--local-dir", "--token"}
    | {
        "--max-workers",
        "--commit-message",
        "--commit-description",
        "--every",
        "--organization",
        "--space_sdk",
    }
    | {"--space-sdk", "--path-in-repo", "--num-workers", "--delete"}
)
_PREFIXES = {"models": "model", "datasets": "dataset", "spaces": "space"}
_HUB_HOSTS = frozenset({"huggingface.co", "www.huggingface.co", "hf.co"})
_CLIS = ("hf", "huggingface-cli")

ShellRef = tuple[
    str, str, "str | None", bool, str
]  # repo id, type, revision, write, the command ("hf download")


def shell_refs(command: str) -> tuple[list[ShellRef], list[str]]:
    """(repos the command touches, reasons for repo words that depend on the namespace)."""
    refs: list[ShellRef] = []
    missed: list[str] = []
    for part in command.replace("&&", ";").replace("||", ";").split(";"):
        try:
            words = shlex.split(part)
        except ValueError:
            continue
        words = words[1:] if words[:1] == ["sudo"] else words
        if words[:1] == ["git"] and "clone" in words:
            _clone(words, refs)
        elif words[:1] and words[0].rsplit("/", 1)[-1] in _CLIS:
            _cli(words[0].rsplit("/", 1)[-1], words[1:], refs, missed)
    return refs, missed


def _cli(tool: str, words: list[str], refs: list[ShellRef], missed: list[str]) -> None:
    if words[:1] in (["download"], ["upload"], ["upload-large-folder"]):
        action, rest = words[0], words[1:]
    elif words[:2] in (["repo", "create"], ["repos", "create"]):
        action, rest = "create", words[2:]
    else:
        return
    positional, options = _split(rest)
    if not positional:
        return
    word = positional[0]
    if "{" in word or "$" in word:
        missed.append(f"the shell line takes the repo from the namespace ({word})")
        return
    repo_type = options.get("--repo-type") or options.get("--type") or "model"
    prefix, _, tail = word.partition("/")
    if prefix in _PREFIXES and tail.count("/") == 1:
        repo_type, word = _PREFIXES[prefix], tail
    if action == "create" and "--organization" in options and "/" not in word:
        word = f"{options['--organization']}/{word}"
    repo_id = hub_repo_id(word)
    if repo_id is not None and repo_type in REPO_TYPES:
        label = f"{tool} {words[0]} create" if action == "create" else f"{tool} {action}"
        refs.append((repo_id, repo_type, options.get("--revision"), action != "download", label))


def _split(words: list[str]) -> tuple[list[str], dict[str, str]]:
    positional: list[str] = []
    options: dict[str, str] = {}
    index = 0
    while index < len(words):
        word = words[index]
        if word.startswith("--") and "=" in word:
            key, _, value = word.partition("=")
            options[key] = value
        elif word in _VALUED and index + 1 < len(words):
            options[word] = words[index + 1]
            index += 1
        elif not word.startswith("-"):
            positional.append(word)
        index += 1
    return positional, options


def _clone(words: list[str], refs: list[ShellRef]) -> None:
    for word in words:
        try:
            url = urlsplit(word)
            host = (url.hostname or "").lower()
        except ValueError:
            continue
        if url.scheme in ("https", "http") and host in _HUB_HOSTS:  # userinfo (a token) is never kept
            path = url.path.strip("/")
            path = path[: -len(".git")] if path.endswith(".git") else path
            prefix, _, tail = path.partition("/")
            repo_type = _PREFIXES.get(prefix, "model")
            repo_id = hub_repo_id(tail if prefix in _PREFIXES else path)
            if repo_id is not None:
                refs.append((repo_id, repo_type, None, False, "git clone"))
