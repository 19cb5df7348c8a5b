"""The command table: every command of `hfauth` and `%hfauth`, its arguments, and the request it becomes.

The two front ends share one grammar and differ only where a row says so (which commands and arguments each
has) or a `Frontend` does (how it names the default time budget, what it runs without a command): adding a
command is one row here and its builder.
"""

from __future__ import annotations

import argparse
import math
import os
from dataclasses import replace

from hfauth_nb.grammar import requests as req
from hfauth_nb.grammar.spec import CLI_NAME, MAGIC_NAME, Command, Parsed, arg
from hfauth_nb.hub_refs import DEFAULT_ENDPOINT, REPO_TYPES, parse_repo_ref, url_on_other_host

# -- argument types and builders ---------------------------------------------------------------------


def positive_seconds(text: str) -> float:
    from hfauth_nb.engine.diagnose import MAX_TIMEOUT  # the engine's ceiling: no budget beyond it is kept

    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError("must be a positive number of seconds")
    if value > MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_TIMEOUT:g} seconds")
    return value


def _check(ns: argparse.Namespace, parsed: Parsed) -> req.Request:
    """The repo part of a check: the REPO argument reconciled with --type and --revision."""
    parser, opts = parsed.parser, parsed.options
    explicit_type: str | None = ns.repo_type
    revision: str | None = ns.revision.strip() if ns.revision is not None else None
    if revision == "":
        parser.error("--revision is empty")
    bill_to: str | None = ns.bill_to.strip() if ns.bill_to is not None else None
    if bill_to is not None and not ns.inference:
        parser.error("--bill-to needs --inference")
    if bill_to == "":
        parser.error("--bill-to is empty")
    if ns.inference and explicit_type not in (None, "model"):
        parser.error("--inference checks a model: drop --type")
    service = {"inference": ns.inference, "bill_to": bill_to}
    if ns.repo is None:
        if revision is not None:
            parser.error("--revision needs a REPO")
        target = req.CheckRequest(
            repo_type=explicit_type or "model", write=ns.write, verbose=ns.verbose, **service
        )
        return replace(target, output=opts.output, **opts.diagnosis())
    try:
        repo_type, repo_id, url_revision = parse_repo_ref(ns.repo, explicit_type or "model")
    except ValueError as exc:
        parser.error(str(exc))
    other_host = url_on_other_host(
        ns.repo, opts.endpoint or os.environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT
    )
    if other_host is not None:
        parser.error(other_host)
    if explicit_type and repo_type != explicit_type:
        parser.error(f"REPO names a {repo_type} but --type {explicit_type} was given")
    if url_revision and revision and url_revision != revision:
        parser.error(f"REPO names revision {url_revision!r} but --revision {revision!r} was given")
    return req.CheckRequest(
        repo_id=repo_id,
        repo_type=repo_type,
        write=ns.write,
        revision=revision or url_revision,
        output=opts.output,
        **service,
        verbose=ns.verbose,
        **opts.diagnosis(),
    )


def _panel(ns: argparse.Namespace, parsed: Parsed) -> req.Request:
    """The panel, or the status report it would show when a format is asked (`%hfauth --json`)."""
    if parsed.options.output != "text":
        return req.StatusRequest(output=parsed.options.output, **parsed.options.diagnosis())
    return req.PanelRequest(**parsed.options.diagnosis())


def _fix(ns: argparse.Namespace, parsed: Parsed) -> req.Request:
    from hfauth_nb.engine.findings import FINDING_IDS

    parser, opts = parsed.parser, parsed.options
    base = req.FixRequest(timeout=opts.timeout, endpoint=opts.endpoint, debug=opts.debug)
    if getattr(ns, "undo", False):
        if ns.finding_id:
            parser.error("--undo takes no FINDING_ID")
        return replace(base, undo=True)
    if not ns.finding_id:
        parser.error("name the finding to fix: the id shown after it, e.g. netrc-overrides-token")
    if ns.finding_id not in FINDING_IDS:
        parser.error(f"unknown finding id {ns.finding_id!r}: use an id from the report, e.g. legacy-env-var")
    return replace(base, finding_id=ns.finding_id, dry_run=ns.dry_run, yes=ns.yes, git_action=ns.git_action)


def _scan(ns: argparse.Namespace, parsed: Parsed) -> req.Request:
    if any(not p.strip() for p in ns.paths):  # '' would mean "this folder" to os.walk: never guess
        parsed.parser.error("PATH is empty: name a file or folder (use . for this folder)")
    opts = parsed.options
    return req.ScanRequest(tuple(ns.paths), output=opts.output, endpoint=opts.endpoint, debug=opts.debug)


def _preflight(ns: argparse.Namespace, parsed: Parsed) -> req.Request:
    if any(not p.strip() for p in ns.paths):
        parsed.parser.error("PATH is empty: name a notebook (.ipynb) or script (.py)")
    opts = parsed.options
    return req.PreflightRequest(paths=tuple(ns.paths), output=opts.output, **opts.diagnosis())


# -- the table ---------------------------------------------------------------------------------------

JSON = arg(
    "--json",
    dest="output",
    action="store_const",
    const="json",
    default=argparse.SUPPRESS,
    help="print the report as one JSON object",
)
VERBOSE = arg(
    "-v",
    "--verbose",
    action="store_true",
    help="show every finding with its evidence, the token sources and the timings",
)
TIMEOUT = arg(
    "--timeout",
    type=positive_seconds,
    metavar="S",
    default=argparse.SUPPRESS,
    help="time budget for Hub requests, in seconds (default: {timeout_default})",
)
COMMON = (
    arg(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="show the traceback of internal errors",
    ),
    arg(
        "--colab-secret",
        dest="read_colab_secret",
        action="store_true",
        default=argparse.SUPPRESS,
        help="in a Colab kernel: read the HF_TOKEN secret even when huggingface_hub would not (by default it "
        "is read when huggingface_hub's next call would read it; Colab may ask you to grant access)",
    ),
    arg(
        "--no-colab-secret",
        dest="skip_colab_secret",
        action="store_true",
        default=argparse.SUPPRESS,
        help="in a Colab kernel: never read the HF_TOKEN secret (no grant-access popup)",
    ),
)
DESCRIPTION = "Find why the Hugging Face Hub answers 401/403, with evidence and the exact fix."

COMMANDS: tuple[Command, ...] = (
    Command(
        "check",
        "diagnose access to a repo (or the token alone, without REPO)",
        _check,
        (
            arg(
                "repo",
                nargs="?",
                metavar="REPO",
                help="org/name, a legacy id like gpt2, datasets/org/name, or a Hub URL (https://huggingface.co/...)",
            ),
            arg("--type", dest="repo_type", choices=REPO_TYPES, help="repo type (default: model)"),
            arg("--write", action="store_true", help="check write access, not only read"),
            arg("--revision", metavar="REV", help="branch, tag or commit to check"),
            arg(
                "--inference",
                action="store_true",
                help="also answer: may this token call Inference Providers (REPO: the model)? From whoami "
                "alone; no inference request is sent",
            ),
            arg(
                "--bill-to", dest="bill_to", metavar="ORG", help="with --inference: calls billed to this org"
            ),
            TIMEOUT,
            VERBOSE,
            replace(JSON, group="format"),
            arg(
                "--markdown",
                group="format",
                dest="output",
                action="store_const",
                const="markdown",
                default=argparse.SUPPRESS,
                help="print a redacted report to paste into an issue or a forum post",
            ),
        ),
        detailed=True,
        description="Diagnose why the effective token can or cannot use REPO.",
    ),
    Command(
        "status",
        "the token setup: which sources hold a token, which one wins, whom it belongs to",
        lambda ns, parsed: req.StatusRequest(
            output=parsed.options.output, verbose=ns.verbose, **parsed.options.diagnosis()
        ),
        (TIMEOUT, VERBOSE, JSON),
        detailed=True,
    ),
    Command(
        "fix",
        "remove exactly the cause a finding names (netrc entry, environment variable, git credential)",
        _fix,
        (
            arg("finding_id", nargs="?", metavar="FINDING_ID", help="the id shown after a finding"),
            arg("--dry-run", action="store_true", help="show the change (passwords masked), change nothing"),
            arg("--yes", "-y", action="store_true", help="do not ask for confirmation"),
            arg(
                "--replace",
                group="git",
                dest="git_action",
                action="store_const",
                const="replace",
                default="auto",
                help="git credentials: store the token huggingface_hub uses instead (default when there is one)",
            ),
            arg(
                "--remove",
                group="git",
                dest="git_action",
                action="store_const",
                const="remove",
                help="git credentials: only remove",
            ),
            arg(
                "--undo",
                only=MAGIC_NAME,
                action="store_true",
                help="put back the environment variables the last fix changed",
            ),
            TIMEOUT,
        ),
        detailed=True,
        description="Show the change that removes the cause FINDING_ID names, then make it (after "
        "confirmation), keeping a backup, and check again. Other findings get their fix text only.",
    ),
    Command(
        "scan",
        "find Hub tokens saved in notebooks, files and IPython history (exit 1 when one is found)",
        _scan,
        (
            arg(
                "paths",
                nargs="*",
                metavar="PATH",
                help="files or directories (default: this notebook, In/Out and history in %%hfauth; this "
                "directory and the IPython history databases for hfauth)",
            ),
            JSON,
        ),
        detailed=True,
    ),
    Command(
        "preflight",
        "check every Hub repo a notebook or script will touch, before running it (exit 1 when one fails)",
        _preflight,
        (
            arg(
                "paths", nargs="+", metavar="PATH", only=CLI_NAME, help="notebooks (.ipynb) and scripts (.py)"
            ),
            arg(
                "paths",
                nargs="*",
                metavar="PATH",
                only=MAGIC_NAME,
                help="notebooks (.ipynb) and scripts (.py) (default: this notebook, where the front end tells)",
            ),
            TIMEOUT,
            JSON,
        ),
        detailed=True,
        description="Find the Hub repos the code reads and writes (from_pretrained, pipeline, load_dataset, "
        "hf_hub_download, push_to_hub, ...; an adapter's base model too) without running it, and check them "
        "all at once with the token this process would use.",
    ),
    Command(
        "autoload",
        "print the lines that load hfauth_nb in every IPython/Jupyter/Colab session (edits nothing)",
        lambda ns, parsed: req.AutoloadRequest(),
        common=False,
    ),
    Command(
        "demo",
        "sandbox: diagnose real failure modes against a bundled simulated Hub (no internet needed)",
        lambda ns, parsed: req.DemoRequest(),
        frontends=frozenset({CLI_NAME}),
        common=False,
    ),
    Command(
        "panel",
        "the interactive panel: identity, token sources, a session-only token box, a repo check",
        _panel,
        frontends=frozenset({MAGIC_NAME}),
        detailed=True,
    ),
    Command(
        "login",
        "set HF_TOKEN for this kernel session only (the panel's token box, or a hidden prompt)",
        lambda ns, parsed: req.LoginRequest(prompt=ns.prompt, check=ns.check, **parsed.options.diagnosis()),
        (
            arg("--prompt", action="store_true", help="ask with a hidden getpass prompt, not the panel"),
            arg(
                "--no-check",
                dest="check",
                action="store_false",
                help="do not check the token with the Hub first",
            ),
            TIMEOUT,
        ),
        frontends=frozenset({MAGIC_NAME}),
        detailed=True,
    ),
    Command(
        "logout",
        "forget the session token: HF_TOKEN goes back to its previous value (or is removed)",
        lambda ns, parsed: req.LogoutRequest(**parsed.options.diagnosis()),
        frontends=frozenset({MAGIC_NAME}),
        detailed=True,
    ),
    Command(
        "why",
        "diagnose the Hub request inside the last exception (the repo that really failed)",
        lambda ns, parsed: req.WhyRequest(
            timeout=parsed.options.timeout,
            output=parsed.options.output,
            debug=parsed.options.debug,
            verbose=ns.verbose,
        ),
        (TIMEOUT, VERBOSE, JSON),
        frontends=frozenset({MAGIC_NAME}),
    ),
    Command(
        "watch",
        "on: diagnose below each cell that fails with a Hub auth error; off: stop",
        lambda ns, parsed: req.WatchRequest(on=ns.state == "on"),
        (arg("state", choices=("on", "off"), help="on or off"),),
        frontends=frozenset({MAGIC_NAME}),
        common=False,
    ),
)
COMMAND_NAMED = {command.name: command for command in COMMANDS}
