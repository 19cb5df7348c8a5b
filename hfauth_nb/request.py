"""The argument grammar shared by the `hfauth` command and the `%hfauth` magic.

Both front ends turn their words into the same typed, frozen requests here, so a check asked from a
terminal and one asked from a notebook cannot drift apart. Nothing in this module diagnoses: `run_check`
is the one door to the engine, imported lazily so that parsing never pulls in huggingface_hub.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shlex
import traceback
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Literal, NoReturn, Sequence, Union
from urllib.parse import unquote, unquote_plus, urlsplit

from hfauth_nb.secrets import NEAR_TOKEN_PATTERN, TOKEN_PATTERN, scrub

if TYPE_CHECKING:
    from hfauth_nb.engine.report import Report

OutputFormat = Literal["text", "json", "markdown"]
REPO_TYPES: tuple[str, ...] = ("model", "dataset", "space")
DEFAULT_TIMEOUT = 5.0
MAX_TIMEOUT = 600.0  # the engine's ceiling too (engine.diagnose.MAX_TIMEOUT)
MAX_NAME_LENGTH = 96

# Hub URL path prefixes naming a repo type (huggingface_hub's REPO_TYPES_MAPPING).
_TYPE_PREFIXES = {"models": "model", "datasets": "dataset", "spaces": "space"}
# Path segments after `namespace/name` in a Hub URL: those followed by a revision (web pages, then the API
# routes quoted in huggingface_hub's error messages), and pages without one.
_REVISION_PAGES = frozenset(
    {"tree", "blob", "resolve", "raw", "blame", "edit", "commit", "commits"}
) | frozenset({"revision", "paths-info", "preupload"})
_OTHER_PAGES = frozenset({"discussions", "settings", "community", "viewer", "auth-check"})
_PAGES = _REVISION_PAGES | _OTHER_PAGES
_HUB_HOSTS = ("huggingface.co/", "www.huggingface.co/", "hf.co/")
_NAME_CHARS = re.compile(r"[A-Za-z0-9_.-]+")


class RequestError(ValueError):
    """The words do not form a valid request; the message is safe to show (it never echoes a token)."""

    def __init__(self, message: str, usage: str = "") -> None:
        super().__init__(message)
        self.usage = usage


class ParserExit(Exception):
    """`--help` or `--version` was asked and already printed: the front end stops with `status`."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


# -- requests -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiagnosisOptions:
    """What every request that runs a diagnosis carries: time budget, endpoint override, --debug, and the Colab
    secret switches (--colab-secret: read it even when another source wins; --no-colab-secret: never read it)."""

    timeout: float = DEFAULT_TIMEOUT
    endpoint: str | None = None
    debug: bool = False
    read_colab_secret: bool = False
    skip_colab_secret: bool = False


@dataclass(frozen=True)
class CheckRequest(DiagnosisOptions):
    """`check`: can the effective token do what is asked on this repo (or, without a repo, at all)?"""

    repo_id: str | None = None
    repo_type: str = "model"
    write: bool = False
    revision: str | None = None
    output: OutputFormat = "text"


@dataclass(frozen=True)
class StatusRequest(DiagnosisOptions):
    """`status`: the token setup on its own, with no repo in view."""

    output: OutputFormat = "text"


@dataclass(frozen=True)
class PanelRequest(DiagnosisOptions):
    """`%hfauth` / `%hfauth panel` (magic only): the interactive panel (the text report without widgets)."""


@dataclass(frozen=True)
class DemoRequest:
    """`hfauth demo` (CLI only): real failure modes diagnosed against the bundled simulated Hub."""


@dataclass(frozen=True)
class LoginRequest(DiagnosisOptions):
    """`%hfauth login` (magic only): a session-only HF_TOKEN, from the panel's box or a hidden prompt."""

    prompt: bool = False
    check: bool = True


@dataclass(frozen=True)
class LogoutRequest(DiagnosisOptions):
    """`%hfauth logout` (magic only): forget the session token, restoring HF_TOKEN's previous value."""


GitAction = Literal["auto", "replace", "remove"]


@dataclass(frozen=True)
class FixRequest:
    """`fix FINDING_ID`: remove exactly the cause one finding names, showing the change first.

    `dry_run` only shows it; `yes` skips the confirmation; `git_action` chooses, for git credentials, to
    replace the stored token with the effective one or to remove it; `undo` (magic only) restores the
    environment the last fix changed in this kernel.
    """

    finding_id: str = ""
    dry_run: bool = False
    yes: bool = False
    git_action: GitAction = "auto"
    undo: bool = False
    timeout: float = DEFAULT_TIMEOUT
    endpoint: str | None = None
    debug: bool = False


@dataclass(frozen=True)
class ScanRequest:
    """`scan [PATH ...]`: look for Hub tokens saved in files, notebooks (cells, outputs, widget state) and
    IPython history; without PATH, the CLI scans this directory and the history databases, the magic this
    notebook, the kernel's In/Out and its history."""

    paths: tuple[str, ...] = ()
    output: OutputFormat = "text"
    endpoint: str | None = None
    debug: bool = False


@dataclass(frozen=True)
class WhyRequest:
    """`%hfauth why` (magic only): diagnose the Hub request inside the last exception of this kernel."""

    timeout: float = DEFAULT_TIMEOUT
    output: OutputFormat = "text"
    debug: bool = False


@dataclass(frozen=True)
class WatchRequest:
    """`%hfauth watch on|off` (magic only): diagnose below every cell that fails with a Hub auth error."""

    on: bool = True


@dataclass(frozen=True)
class AutoloadRequest:
    """`autoload`: print the lines that load the extension in every session (nothing is edited)."""


Request = Union[
    CheckRequest,
    StatusRequest,
    PanelRequest,
    DemoRequest,
    LoginRequest,
    LogoutRequest,
    FixRequest,
    ScanRequest,
    WhyRequest,
    WatchRequest,
    AutoloadRequest,
]


def to_check(
    request: CheckRequest | StatusRequest | PanelRequest | LoginRequest | LogoutRequest,
) -> CheckRequest:
    """The engine call every request comes down to: status and panel are checks without a repo."""
    if isinstance(request, CheckRequest):
        return request
    output: OutputFormat = request.output if isinstance(request, StatusRequest) else "text"
    return CheckRequest(
        timeout=request.timeout,
        output=output,
        endpoint=request.endpoint,
        debug=request.debug,
        read_colab_secret=request.read_colab_secret,
        skip_colab_secret=request.skip_colab_secret,
    )


def run_check(request: CheckRequest) -> Report:
    """Run the engine for `request`; the single indirection front ends (and their tests) go through."""
    from hfauth_nb.engine.diagnose import diagnose

    return diagnose(
        request.repo_id,
        repo_type=request.repo_type,
        write=request.write,
        revision=request.revision,
        timeout=request.timeout,
        endpoint=request.endpoint,
        read_colab_secret=request.read_colab_secret,
        skip_colab_secret=request.skip_colab_secret,
    )


# -- repo references ------------------------------------------------------------------------------


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


_PUBLIC_HUB = "https://huggingface.co"
_PUBLIC_HOSTS = frozenset({"huggingface.co", "www.huggingface.co", "hf.co"})


def _url_host(text: str) -> str | None:
    ref = text.strip()
    if "://" not in ref and not ref.lower().startswith(_HUB_HOSTS):
        return None
    try:
        host = urlsplit(ref if "://" in ref else f"https://{ref}").hostname
    except ValueError:
        return None
    return (host or "").lower()


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
    if len(segments) > 1 and segments[0] in _TYPE_PREFIXES:
        repo_type = _TYPE_PREFIXES[segments.pop(0)]
    return repo_type, segments, None


def _split_url(ref: str, default_type: str) -> tuple[str, list[str], str | None]:
    parts = urlsplit(ref if "://" in ref else f"https://{ref}")
    if parts.scheme not in ("http", "https"):
        raise ValueError("only http(s) Hub URLs are understood, e.g. https://huggingface.co/org/name")
    if "@" in parts.netloc:
        raise ValueError("the URL carries credentials (user:password@host): remove them, never paste a token")
    segments = [unquote(s) for s in parts.path.split("/") if s]
    repo_type = default_type
    if segments and segments[0] == "api":  # an API URL, as quoted in huggingface_hub's error messages
        segments.pop(0)
    if segments and segments[0] in _TYPE_PREFIXES:
        repo_type = _TYPE_PREFIXES[segments.pop(0)]
    id_length = _id_length(segments)
    if segments[id_length - 1].endswith(".git"):  # a `git clone` URL
        segments[id_length - 1] = segments[id_length - 1][: -len(".git")]
    return repo_type, segments[:id_length], _url_revision(segments[id_length:])


def _id_length(segments: list[str]) -> int:
    """How many leading path segments form the repo id: 2 (`org/name`), or 1 for a legacy id like `gpt2`."""
    if not segments:
        raise ValueError("the URL names no repo: expected https://huggingface.co/org/name")
    if len(segments) == 1 or segments[1] in _OTHER_PAGES:
        return 1
    if segments[1] in _REVISION_PAGES and len(segments) > 2 and segments[2] not in _PAGES:
        return 1
    return 2


def _url_revision(rest: list[str]) -> str | None:
    if not rest or rest[0] in _OTHER_PAGES:
        return None
    if rest[0] not in _REVISION_PAGES:
        raise ValueError(
            f"unexpected {rest[0]!r} after the repo id in the URL: expected /tree/REV, /blob/REV/FILE or "
            "/resolve/REV/FILE"
        )
    return rest[1] if len(rest) > 1 else None


# -- the parser -----------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so a notebook kernel never sees SystemExit."""

    def error(self, message: str) -> NoReturn:
        raise RequestError(scrub(message), usage=self.format_usage())

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._print_message(scrub(message))
        raise ParserExit(status)


def build_parser(*, magic: bool = False) -> argparse.ArgumentParser:
    """The grammar of `hfauth`, or of `%hfauth` when `magic` (which adds `panel`)."""
    from hfauth_nb import __version__

    prog = "%hfauth" if magic else "hfauth"
    common = _Parser(add_help=False)
    common.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the traceback of internal errors",
    )
    common.add_argument(
        "--colab-secret",
        dest="read_colab_secret",
        action="store_true",
        default=argparse.SUPPRESS,
        help="in a Colab kernel: read the HF_TOKEN secret even when huggingface_hub would not (by default it "
        "is read when huggingface_hub's next call would read it; Colab may ask you to grant access)",
    )
    common.add_argument(
        "--no-colab-secret",
        dest="skip_colab_secret",
        action="store_true",
        default=argparse.SUPPRESS,
        help="in a Colab kernel: never read the HF_TOKEN secret (no grant-access popup)",
    )
    parser = _Parser(
        prog=prog,
        description="Find why the Hugging Face Hub answers 401/403, with evidence and the exact fix.",
        parents=[common],
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"hfauth_nb {__version__}")
    _add_json(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    _add_check(commands, common, magic=magic)
    _add_status(commands, common, magic=magic)
    _add_fix(commands, common, magic=magic)
    _add_scan(commands, common)
    commands.add_parser(
        "autoload",
        allow_abbrev=False,
        help="print the lines that load hfauth_nb in every IPython/Jupyter/Colab session (edits nothing)",
    )
    if not magic:
        commands.add_parser(
            "demo",
            allow_abbrev=False,
            help="sandbox: diagnose real failure modes against a bundled simulated Hub (no internet needed)",
        )
    if magic:
        commands.add_parser(
            "panel",
            parents=[common],
            allow_abbrev=False,
            help="the interactive panel: identity, token sources, a session-only token box, a repo check",
        )
        _add_login(commands, common, magic=magic)
        why = commands.add_parser(
            "why",
            parents=[common],
            allow_abbrev=False,
            help="diagnose the Hub request inside the last exception (the repo that really failed)",
        )
        _add_timeout(why, magic=magic)
        _add_json(why)
        watch = commands.add_parser(
            "watch",
            allow_abbrev=False,
            help="on: diagnose below each cell that fails with a Hub auth error; off: stop",
        )
        watch.add_argument("state", choices=("on", "off"), help="on or off")
    return parser


def _add_login(commands: argparse._SubParsersAction[_Parser], common: _Parser, *, magic: bool) -> None:
    login = commands.add_parser(
        "login",
        parents=[common],
        allow_abbrev=False,
        help="set HF_TOKEN for this kernel session only (the panel's token box, or a hidden prompt)",
    )
    login.add_argument(
        "--prompt", action="store_true", help="ask with a hidden getpass prompt, not the panel"
    )
    login.add_argument(
        "--no-check", dest="check", action="store_false", help="do not check the token with the Hub first"
    )
    _add_timeout(login, magic=magic)
    commands.add_parser(
        "logout",
        parents=[common],
        allow_abbrev=False,
        help="forget the session token: HF_TOKEN goes back to its previous value (or is removed)",
    )


def _add_json(parser: argparse._ActionsContainer) -> None:
    parser.add_argument(
        "--json",
        dest="output",
        action="store_const",
        const="json",
        default=argparse.SUPPRESS,
        help="print the report as one JSON object",
    )


def _add_timeout(parser: argparse._ActionsContainer, *, magic: bool) -> None:
    default = "HfAuth.timeout" if magic else f"{DEFAULT_TIMEOUT:g}"
    parser.add_argument(
        "--timeout",
        type=_positive_seconds,
        metavar="S",
        default=argparse.SUPPRESS,
        help=f"time budget for Hub requests, in seconds (default: {default})",
    )


def _add_check(commands: argparse._SubParsersAction[_Parser], common: _Parser, *, magic: bool) -> None:
    check = commands.add_parser(
        "check",
        parents=[common],
        allow_abbrev=False,
        help="diagnose access to a repo (or the token alone, without REPO)",
        description="Diagnose why the effective token can or cannot use REPO.",
    )
    check.add_argument(
        "repo",
        nargs="?",
        metavar="REPO",
        help="org/name, a legacy id like gpt2, datasets/org/name, or a Hub URL (https://huggingface.co/...)",
    )
    check.add_argument("--type", dest="repo_type", choices=REPO_TYPES, help="repo type (default: model)")
    check.add_argument("--write", action="store_true", help="check write access, not only read")
    check.add_argument("--revision", metavar="REV", help="branch, tag or commit to check")
    _add_timeout(check, magic=magic)
    formats = check.add_mutually_exclusive_group()
    _add_json(formats)
    formats.add_argument(
        "--markdown",
        dest="output",
        action="store_const",
        const="markdown",
        default=argparse.SUPPRESS,
        help="print a redacted report to paste into an issue or a forum post",
    )


def _add_status(commands: argparse._SubParsersAction[_Parser], common: _Parser, *, magic: bool) -> None:
    status = commands.add_parser(
        "status",
        parents=[common],
        allow_abbrev=False,
        help="the token setup: which sources hold a token, which one wins, whom it belongs to",
    )
    _add_timeout(status, magic=magic)
    _add_json(status)


def _add_fix(commands: argparse._SubParsersAction[_Parser], common: _Parser, *, magic: bool) -> None:
    fix = commands.add_parser(
        "fix",
        parents=[common],
        allow_abbrev=False,
        help="remove exactly the cause a finding names (netrc entry, environment variable, git credential)",
        description="Show the change that removes the cause FINDING_ID names, then make it (after "
        "confirmation), keeping a backup, and check again. Other findings get their fix text only.",
    )
    fix.add_argument("finding_id", nargs="?", metavar="FINDING_ID", help="the id shown after a finding")
    fix.add_argument(
        "--dry-run", action="store_true", help="show the change (passwords masked), change nothing"
    )
    fix.add_argument("--yes", "-y", action="store_true", help="do not ask for confirmation")
    git = fix.add_mutually_exclusive_group()
    git.add_argument(
        "--replace",
        dest="git_action",
        action="store_const",
        const="replace",
        default="auto",
        help="git credentials: store the token huggingface_hub uses instead (default when there is one)",
    )
    git.add_argument(
        "--remove",
        dest="git_action",
        action="store_const",
        const="remove",
        help="git credentials: only remove",
    )
    if magic:
        fix.add_argument(
            "--undo", action="store_true", help="put back the environment variables the last fix changed"
        )
    _add_timeout(fix, magic=magic)


def _add_scan(commands: argparse._SubParsersAction[_Parser], common: _Parser) -> None:
    scan = commands.add_parser(
        "scan",
        parents=[common],
        allow_abbrev=False,
        help="find Hub tokens saved in notebooks, files and IPython history (exit 1 when one is found)",
    )
    scan.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or directories (default: this notebook, In/Out and history in %%hfauth; this directory "
        "and the IPython history databases for hfauth)",
    )
    _add_json(scan)


def _fix_request(ns: argparse.Namespace, parser: argparse.ArgumentParser, opts: _Options) -> FixRequest:
    from hfauth_nb.engine.findings import FINDING_IDS

    base = FixRequest(timeout=opts.timeout, endpoint=opts.endpoint, debug=opts.debug)
    if getattr(ns, "undo", False):
        if ns.finding_id:
            parser.error("--undo takes no FINDING_ID")
        return replace(base, undo=True)
    if not ns.finding_id:
        parser.error("name the finding to fix: the id shown after it, e.g. netrc-overrides-token")
    if ns.finding_id not in FINDING_IDS:
        parser.error(f"unknown finding id {ns.finding_id!r}: use an id from the report, e.g. legacy-env-var")
    return replace(base, finding_id=ns.finding_id, dry_run=ns.dry_run, yes=ns.yes, git_action=ns.git_action)


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    if value > MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_TIMEOUT:g} seconds")
    return value


def help_text(*, magic: bool = False) -> str:
    """The whole grammar as text: the top-level help followed by each command's own help."""
    parser = build_parser(magic=magic)
    names: tuple[str, ...] = ("check", "status", "panel", "login", "logout") if magic else ("check", "status")
    names += ("fix", "scan")
    return "\n".join([parser.format_help(), *(_subparser(parser, name).format_help() for name in names)])


# -- from words to a request ----------------------------------------------------------------------


def _where(magic: bool) -> str:
    return "the magic line" if magic else "the command line"


def token_refusal(*, magic: bool) -> str:
    """What to say when a token (or something that may be one) appears in the arguments."""
    kept = "the notebook file and the kernel's history" if magic else "your shell history"
    return (
        f"a token must never be typed on {_where(magic)} (it would stay in {kept}); nothing was run and the "
        "argument is not shown. Log in with `hf auth login` or set the HF_TOKEN secret instead."
    )


def looks_like_token(text: str) -> bool:
    """True when `text` holds a token-shaped string, exact or a near miss from a bad copy, glued to other
    characters or percent-encoded (`hf%5F...` in a Hub URL is still a token on the command line)."""
    for _ in range(4):  # a URL may be encoded more than once (`%255F`)
        # (NEAR_TOKEN_PATTERN: a token that lost or gained letters in a bad copy is still a secret.)
        if TOKEN_PATTERN.search(text) or NEAR_TOKEN_PATTERN.search(text):
            return True
        decoded = unquote_plus(text)
        if decoded == text:
            return False
        text = decoded
    return False


def split_line(line: str, *, magic: bool = True) -> list[str]:
    """Split a magic line like a shell would; refuses a token before anything else looks at it."""
    if looks_like_token(line):
        raise RequestError(token_refusal(magic=magic))
    try:
        return shlex.split(line)
    except ValueError as exc:  # shlex names the problem ("No closing quotation"), never the text
        raise RequestError(f"cannot split the arguments: {exc}") from None


@dataclass(frozen=True)
class _Options:
    """What every command shares: the time budget, the output format, the endpoint, --debug."""

    timeout: float
    output: OutputFormat
    endpoint: str | None
    read_colab_secret: bool
    skip_colab_secret: bool
    debug: bool


def parse_command(
    argv: Sequence[str],
    *,
    magic: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
    endpoint: str | None = None,
) -> Request:
    """Parse `argv` into a request; `timeout`/`endpoint` are the caller's defaults (the magic's settings).

    Raises RequestError (a usage error) or ParserExit (help or version printed).
    """
    if any(looks_like_token(arg) for arg in argv):
        raise RequestError(token_refusal(magic=magic))
    parser = build_parser(magic=magic)
    namespace, extras = parser.parse_known_args(list(argv))
    if extras:
        noun = "argument" if len(extras) == 1 else "arguments"
        see = "%hfauth?" if magic else "hfauth --help"
        raise RequestError(
            f"{len(extras)} unrecognized {noun}, not shown because a token must never be typed on "
            f"{_where(magic)}; see {see} for the accepted arguments",
            usage=parser.format_usage(),
        )
    if getattr(namespace, "read_colab_secret", False) and getattr(namespace, "skip_colab_secret", False):
        raise RequestError("--colab-secret and --no-colab-secret contradict each other: choose one")
    options = _Options(
        timeout=getattr(namespace, "timeout", timeout),
        output=getattr(namespace, "output", "text"),
        endpoint=endpoint,
        read_colab_secret=getattr(namespace, "read_colab_secret", False),
        skip_colab_secret=getattr(namespace, "skip_colab_secret", False),
        debug=getattr(namespace, "debug", False),
    )
    return _to_request(namespace, parser, options, magic=magic)


def _to_request(
    ns: argparse.Namespace, parser: argparse.ArgumentParser, opts: _Options, *, magic: bool
) -> Request:
    shared = asdict(opts)
    if magic and ns.command in ("login", "logout"):
        del shared["output"]
        if ns.command == "logout":
            return LogoutRequest(**shared)
        return LoginRequest(**shared, prompt=ns.prompt, check=ns.check)
    if ns.command == "demo":
        return DemoRequest()
    if ns.command == "autoload":
        return AutoloadRequest()
    if magic and ns.command == "why":
        return WhyRequest(timeout=opts.timeout, output=opts.output, debug=opts.debug)
    if magic and ns.command == "watch":
        return WatchRequest(on=ns.state == "on")
    if ns.command == "fix":
        return _fix_request(ns, _subparser(parser, "fix"), opts)
    if ns.command == "scan":
        if any(not p.strip() for p in ns.paths):  # '' would mean "this folder" to os.walk: never guess
            _subparser(parser, "scan").error("PATH is empty: name a file or folder (use . for this folder)")
        return ScanRequest(tuple(ns.paths), output=opts.output, endpoint=opts.endpoint, debug=opts.debug)
    if ns.command == "check":
        target = _check_target(ns, _subparser(parser, "check"), opts.endpoint)
        return replace(target, **shared)
    if ns.command == "status" or (magic and opts.output != "text"):
        return StatusRequest(**shared)
    if magic:
        del shared["output"]
        return PanelRequest(**shared)
    parser.error("choose a command: check or status")


def _subparser(parser: argparse.ArgumentParser, name: str) -> argparse.ArgumentParser:
    """The parser of one command, so its errors show that command's usage line."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) and name in action.choices:
            found: argparse.ArgumentParser = action.choices[name]
            return found
    return parser


def _check_target(
    ns: argparse.Namespace, parser: argparse.ArgumentParser, endpoint: str | None = None
) -> CheckRequest:
    """The repo part of a check: the REPO argument reconciled with --type and --revision."""
    explicit_type: str | None = ns.repo_type
    revision: str | None = ns.revision.strip() if ns.revision is not None else None
    if revision == "":
        parser.error("--revision is empty")
    if ns.repo is None:
        if revision is not None:
            parser.error("--revision needs a REPO")
        return CheckRequest(repo_type=explicit_type or "model", write=ns.write)
    try:
        repo_type, repo_id, url_revision = parse_repo_ref(ns.repo, explicit_type or "model")
    except ValueError as exc:
        parser.error(str(exc))
    other_host = url_on_other_host(ns.repo, endpoint or os.environ.get("HF_ENDPOINT") or _PUBLIC_HUB)
    if other_host is not None:
        parser.error(other_host)
    if explicit_type and repo_type != explicit_type:
        parser.error(f"REPO names a {repo_type} but --type {explicit_type} was given")
    if url_revision and revision and url_revision != revision:
        parser.error(f"REPO names revision {url_revision!r} but --revision {revision!r} was given")
    return CheckRequest(
        repo_id=repo_id, repo_type=repo_type, write=ns.write, revision=revision or url_revision
    )


# -- errors the front ends could not foresee ------------------------------------------------------


def describe_internal_error(exc: BaseException, *, debug: bool, hint: str) -> str:
    """One scrubbed line naming an unexpected exception, or its scrubbed traceback when `debug`."""
    if debug:
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        return scrub(text.rstrip())
    message = scrub(str(exc)).splitlines()[0] if str(exc) else ""
    detail = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return f"internal error ({detail}); {hint} to see the traceback"
