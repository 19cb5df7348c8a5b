"""Repo ids and Hub URLs: the one place that knows how the Hub names repos, their types and their pages.

Two readers share it: the grammar (a user pastes an id, `datasets/org/name` or a page URL, which is validated
with huggingface_hub's rules in clearer words) and the explanation of a failed request (the URL the library
sent, an API route or a `/resolve/` file URL, which names the repo, its revision and whether it writes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote, urlsplit

from hfauth_nb.secrets import scrub

DEFAULT_ENDPOINT = "https://huggingface.co"  # huggingface_hub's default ENDPOINT
RepoType = Literal["model", "dataset", "space"]
REPO_TYPES: tuple[RepoType, ...] = ("model", "dataset", "space")
# Hub URL path prefixes naming a repo type (huggingface_hub's REPO_TYPES_MAPPING; `/api/{type}s/` too).
TYPE_OF_PREFIX: dict[str, RepoType] = {"models": "model", "datasets": "dataset", "spaces": "space"}
# Where a repo's pages and files live on the Hub: models at the root, the others under their plural.
URL_PREFIX: dict[str, str] = {"model": "", "dataset": "datasets/", "space": "spaces/"}
MAX_NAME_LENGTH = 96

_PUBLIC_HOSTS = frozenset({"huggingface.co", "www.huggingface.co", "hf.co"})
_HUB_HOSTS = ("huggingface.co/", "www.huggingface.co/", "hf.co/")
_NAME_CHARS = re.compile(r"[A-Za-z0-9_.-]+")
# Path segments after `namespace/name` in a Hub URL: those followed by a revision (web pages, then the API
# routes quoted in huggingface_hub's error messages), and pages without one.
_REVISION_PAGES = frozenset(
    {"tree", "blob", "resolve", "raw", "blame", "edit", "commit", "commits"}
) | frozenset({"revision", "paths-info", "preupload"})
_OTHER_PAGES = frozenset({"discussions", "settings", "community", "viewer", "auth-check"})
_PAGES = _REVISION_PAGES | _OTHER_PAGES
# API routes below `/api/{type}s/{repo_id}/`, with how many path segments they need after the route word. A repo
# id is one segment (`gpt2`) or two (`org/name`); the route word after it tells which, not a guess from prose.
_API_ROUTES = {
    "revision": 1,
    "tree": 1,
    "paths-info": 1,
    "preupload": 1,
    "commit": 1,
    "commits": 1,
    "refs": 0,
    "auth-check": 0,
    "upload": 0,
    "lfs-files": 0,
    "settings": 0,
    "branch": 1,
    "tag": 1,
    "discussions": 0,
    "compare": 1,
    "treesize": 1,
    "super-squash": 1,
    "xet-read-token": 1,
    "xet-write-token": 1,
    "user-access-request": 0,
    "parquet": 0,
    "resolve": 1,
}
_API_REVISION_ROUTES = ("revision", "tree", "paths-info", "preupload", "commit")
_API_WRITE_ROUTES = ("preupload", "commit", "upload", "lfs-files", "settings", "branch", "tag", "discussions")


# -- what a user pastes -----------------------------------------------------------------------------


def parse_repo_ref(text: str, default_type: str = "model") -> tuple[str, str, str | None]:
    """Turn what a user pastes (an id, a Hub URL, `datasets/org/name`) into (repo_type, repo_id, revision).

    Raises ValueError saying what is wrong, with the same rules as huggingface_hub's `validate_repo_id`.
    """
    if default_type not in REPO_TYPES:
        raise ValueError(f"unknown repo type {default_type!r}: use one of {', '.join(REPO_TYPES)}")
    ref = text.strip()
    if not ref:
        raise ValueError("the repo id is empty")
    if ref.startswith(("/", "./", "../", "~", ".\\")) or ref[1:3] in (":\\", ":/"):
        # huggingface_hub refuses these too: a local folder is not a repo id (never strip it into one).
        raise ValueError(
            f"{scrub(ref)!r} is a local path, not a repo id: pass 'name' or 'namespace/name' as the Hub shows it"
        )
    if "://" in ref or ref.lower().startswith(_HUB_HOSTS):
        repo_type, segments, revision = _split_url(ref, default_type)
    else:
        repo_type, segments, revision = _split_plain(ref, default_type)
    repo_id = "/".join(segments)
    validate_repo_id(repo_id)
    return repo_type, repo_id, revision


def validate_repo_id(repo_id: str) -> None:
    """Raise ValueError naming the first rule `repo_id` breaks (huggingface_hub's rules, clearer words)."""
    shown = scrub(repo_id)
    if not repo_id:
        raise ValueError("the repo id is empty")
    if any(ch.isspace() for ch in repo_id):
        raise ValueError(f"repo id {shown!r} contains whitespace")
    if repo_id.count("/") > 1:
        raise ValueError(
            f"repo id {shown!r} has more than one '/': use 'name' or 'namespace/name', "
            "and --type for datasets and spaces"
        )
    for part in repo_id.split("/"):
        _validate_part(part, shown)


def url_on_other_host(repo: str, endpoint: str) -> str | None:
    """Why a Hub URL cannot be checked here: it names a host other than the endpoint the check goes to.

    The check would send the token to the configured endpoint and ask about the path's repo id there, which
    silently answers for another Hub; sending the token to the URL's host instead would hand it to whoever
    runs that host. Say so, and say how to check it on its own host (explicitly, with HF_ENDPOINT).
    """
    url_host = _url_host(repo)
    if url_host is None:
        return None
    try:
        endpoint_host = (urlsplit(endpoint).hostname or "").lower()
    except ValueError:
        return None  # a broken endpoint is reported by the check itself
    # A huggingface.co URL names a repo id any mirror serves too (the library would be given just the id), and
    # the report's endpoint-custom finding says where the check went.
    if url_host == endpoint_host or url_host in _PUBLIC_HOSTS:
        return None
    shown_endpoint = endpoint.split("://", 1)[-1].rpartition("@")[2].split("/", 1)[0]
    return (
        f"REPO is a URL on {url_host}, but this check goes to {shown_endpoint}, the configured endpoint: nothing was "
        f"checked. To check it on {url_host}, run with HF_ENDPOINT=https://{url_host}; to check the same repo "
        "id on the configured endpoint, pass the id (namespace/name) instead of the URL"
    )


def _url_host(text: str) -> str | None:
    ref = text.strip()
    if "://" not in ref and not ref.lower().startswith(_HUB_HOSTS):
        return None
    try:
        host = urlsplit(ref if "://" in ref else f"https://{ref}").hostname
    except ValueError:
        return None
    return (host or "").lower()


def _validate_part(part: str, shown: str) -> None:
    if not part:
        raise ValueError(f"repo id {shown!r} has an empty namespace or name")
    if len(part) > MAX_NAME_LENGTH:
        raise ValueError(f"repo id {shown!r}: {part[:12]!r}... is longer than {MAX_NAME_LENGTH} characters")
    bad = sorted(set(_NAME_CHARS.sub("", part)))
    if bad:
        raise ValueError(
            f"repo id {shown!r} contains {''.join(bad)!r}: only letters A-Z a-z, digits, '_', '.' and '-' "
            "are allowed"
        )
    if part[0] in "-." or part[-1] in "-.":
        raise ValueError(f"repo id {shown!r}: a namespace or name cannot start or end with '-' or '.'")
    if "--" in part or ".." in part:
        raise ValueError(f"repo id {shown!r} cannot contain '--' or '..'")
    if part.endswith(".git"):
        raise ValueError(f"repo id {shown!r} cannot end with '.git': drop the suffix")


def _split_plain(ref: str, default_type: str) -> tuple[str, list[str], str | None]:
    segments = ref.strip("/").split("/")
    repo_type = default_type
    if len(segments) > 1 and segments[0] in TYPE_OF_PREFIX:
        repo_type = TYPE_OF_PREFIX[segments.pop(0)]
    return repo_type, segments, None


def _split_url(ref: str, default_type: str) -> tuple[str, list[str], str | None]:
    parts = urlsplit(ref if "://" in ref else f"https://{ref}")
    if parts.scheme not in ("http", "https"):
        raise ValueError("only http(s) Hub URLs are understood, e.g. https://huggingface.co/org/name")
    if "@" in parts.netloc:
        raise ValueError("the URL carries credentials (user:password@host): remove them, never paste a token")
    segments = _path_segments(parts.path)
    repo_type = default_type
    if segments and segments[0] == "api":  # an API URL, as quoted in huggingface_hub's error messages
        segments.pop(0)
    if segments and segments[0] in TYPE_OF_PREFIX:
        repo_type = TYPE_OF_PREFIX[segments.pop(0)]
    id_length = _page_id_length(segments)
    if segments[id_length - 1].endswith(".git"):  # a `git clone` URL
        segments[id_length - 1] = segments[id_length - 1][: -len(".git")]
    return repo_type, segments[:id_length], _page_revision(segments[id_length:])


def _page_id_length(segments: list[str]) -> int:
    """How many leading path segments form the repo id: 2 (`org/name`), or 1 for a legacy id like `gpt2`."""
    if not segments:
        raise ValueError("the URL names no repo: expected https://huggingface.co/org/name")
    if len(segments) == 1 or segments[1] in _OTHER_PAGES:
        return 1
    if segments[1] in _REVISION_PAGES and len(segments) > 2 and segments[2] not in _PAGES:
        return 1
    return 2


def _page_revision(rest: list[str]) -> str | None:
    if not rest or rest[0] in _OTHER_PAGES:
        return None
    if rest[0] not in _REVISION_PAGES:
        raise ValueError(
            f"unexpected {rest[0]!r} after the repo id in the URL: expected /tree/REV, /blob/REV/FILE or "
            "/resolve/REV/FILE"
        )
    return rest[1] if len(rest) > 1 else None


def _path_segments(path: str) -> list[str]:
    return [unquote(s) for s in path.split("/") if s]


# -- what the library sent ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HubRequestPath:
    """What the path of a request the library sent names: the repo, its revision and file, and whether the route
    itself writes (whatever the HTTP method)."""

    repo_id: str
    repo_type: str = "model"
    revision: str | None = None
    filename: str | None = None
    writes: bool = False


def split_request_url(url: str) -> tuple[str, list[str]] | None:
    """(endpoint, decoded path segments) of an http(s) URL, the endpoint without any `user:password@`; None for
    anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}", _path_segments(parts.path)


def request_path(segments: list[str]) -> HubRequestPath | None:
    """The repo an API route (`/api/{type}s/{repo_id}/...`) or a file URL (`[{type}s/]{repo_id}/resolve/REV/FILE`)
    names; None when the path names no repo."""
    if len(segments) >= 3 and segments[0] == "api" and segments[1] in TYPE_OF_PREFIX:
        return _api_route(TYPE_OF_PREFIX[segments[1]], segments[2:])
    return _resolve_route(segments)


def _api_id_length(rest: list[str]) -> int:
    """1 when the path after `/api/{type}s/` holds a one-segment id (`gpt2/preupload/main`), else 2: the route
    word must come right after the id, with the segments that route needs."""
    if len(rest) < 2:
        return 1
    two = len(rest) == 2 or _route_fits(rest[2:])
    one = _route_fits(rest[1:])
    if one and not two:
        return 1
    if one and len(rest) == 2 and _API_ROUTES.get(rest[1]) == 0:
        # `/api/models/gpt2/auth-check`: a route of gpt2, not the metadata of a repo named auth-check
        return 1
    return 2


def _route_fits(tail: list[str]) -> bool:
    need = _API_ROUTES.get(tail[0]) if tail else None
    return need is not None and len(tail) - 1 >= need


def _api_route(repo_type: str, rest: list[str]) -> HubRequestPath:
    size = _api_id_length(rest)
    tail = rest[size:]
    revision = tail[1] if tail and tail[0] in _API_REVISION_ROUTES and len(tail) >= 2 else None
    writes = (bool(tail) and tail[0] in _API_WRITE_ROUTES) or tail[:2] == ["auth-check", "write"]
    return HubRequestPath("/".join(rest[:size]), repo_type, revision, writes=writes)


def _resolve_route(segments: list[str]) -> HubRequestPath | None:
    repo_type = "model"
    if segments and segments[0] in TYPE_OF_PREFIX and segments[0] != "models":
        repo_type = TYPE_OF_PREFIX[segments[0]]
        segments = segments[1:]
    if "resolve" not in segments:
        return None
    index = segments.index("resolve")
    if index not in (1, 2) or len(segments) < index + 2:
        return None
    return HubRequestPath(
        "/".join(segments[:index]),
        repo_type,
        revision=segments[index + 1],
        filename="/".join(segments[index + 2 :]) or None,
    )
