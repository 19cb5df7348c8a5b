"""From words to a request: the parser built from the command table, and the refusal of typed tokens.

`magic` at these entry points only chooses a `Frontend` row of the table (`CLI` or `MAGIC`); nothing below
branches on it.
"""

from __future__ import annotations

import argparse
import shlex
from typing import NoReturn, Sequence
from urllib.parse import unquote_plus

from hfauth_nb.grammar.requests import DEFAULT_TIMEOUT, Request
from hfauth_nb.grammar.spec import CLI, MAGIC, Arg, Frontend, Options, Parsed
from hfauth_nb.grammar.table import COMMAND_NAMED, COMMANDS, COMMON, DESCRIPTION, JSON
from hfauth_nb.secrets import NEAR_TOKEN_PATTERN, TOKEN_PATTERN, scrub


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


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so a notebook kernel never sees SystemExit."""

    def error(self, message: str) -> NoReturn:
        raise RequestError(scrub(message), usage=self.format_usage())

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._print_message(scrub(message))
        raise ParserExit(status)


def _frontend(magic: bool) -> Frontend:
    return MAGIC if magic else CLI


# -- the parser --------------------------------------------------------------------------------------


def build_parser(*, magic: bool = False) -> argparse.ArgumentParser:
    """The grammar of `hfauth`, or of `%hfauth` when `magic`."""
    return _build(_frontend(magic))[0]


def _build(frontend: Frontend) -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The front end's parser and, by name, the parser of each command it has."""
    from hfauth_nb import __version__

    common = _Parser(add_help=False)
    _add_arguments(common, COMMON, frontend)
    parser = _Parser(prog=frontend.prog, description=DESCRIPTION, parents=[common], allow_abbrev=False)
    parser.add_argument("--version", action="version", version=f"hfauth_nb {__version__}")
    _add_arguments(parser, (JSON,), frontend)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    parsers: dict[str, argparse.ArgumentParser] = {}
    for command in COMMANDS:
        if frontend.name not in command.frontends:
            continue
        parsers[command.name] = sub = commands.add_parser(
            command.name,
            parents=[common] if command.common else [],
            allow_abbrev=False,
            help=command.help,
            description=command.description,
        )
        _add_arguments(sub, command.arguments, frontend)
    return parser, parsers


def _add_arguments(parser: argparse.ArgumentParser, arguments: Sequence[Arg], frontend: Frontend) -> None:
    groups: dict[str, argparse._MutuallyExclusiveGroup] = {}
    for argument in arguments:
        if frontend.name not in argument.frontends:
            continue
        container: argparse._ActionsContainer = parser
        if argument.group is not None:
            if argument.group not in groups:
                groups[argument.group] = parser.add_mutually_exclusive_group()
            container = groups[argument.group]
        options = dict(argument.options)
        if isinstance(options.get("help"), str):
            options["help"] = options["help"].format_map(frontend.help_values)
        container.add_argument(*argument.flags, **options)


def help_text(*, magic: bool = False) -> str:
    """The whole grammar as text: the top-level help followed by the help of each main command."""
    parser, parsers = _build(_frontend(magic))
    details = (parsers[c.name].format_help() for c in COMMANDS if c.detailed and c.name in parsers)
    return "\n".join([parser.format_help(), *details])


# -- from words to a request -------------------------------------------------------------------------


def token_refusal(frontend: Frontend) -> str:
    """What to say when a token (or something that may be one) appears in the arguments."""
    return (
        f"a token must never be typed on {frontend.where} (it would stay in {frontend.kept}); nothing was run and "
        "the argument is not shown. Log in with `hf auth login` or set the HF_TOKEN secret instead."
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
        raise RequestError(token_refusal(_frontend(magic)))
    try:
        return shlex.split(line)
    except ValueError as exc:  # shlex names the problem ("No closing quotation"), never the text
        raise RequestError(f"cannot split the arguments: {exc}") from None


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
    frontend = _frontend(magic)
    if any(looks_like_token(arg) for arg in argv):
        raise RequestError(token_refusal(frontend))
    parser, parsers = _build(frontend)
    namespace, extras = parser.parse_known_args(list(argv))
    if extras:
        noun = "argument" if len(extras) == 1 else "arguments"
        raise RequestError(
            f"{len(extras)} unrecognized {noun}, not shown because a token must never be typed on "
            f"{frontend.where}; see {frontend.see} for the accepted arguments",
            usage=parser.format_usage(),
        )
    if getattr(namespace, "read_colab_secret", False) and getattr(namespace, "skip_colab_secret", False):
        raise RequestError("--colab-secret and --no-colab-secret contradict each other: choose one")
    options = Options(
        timeout=getattr(namespace, "timeout", timeout),
        output=getattr(namespace, "output", "text"),
        endpoint=endpoint,
        read_colab_secret=getattr(namespace, "read_colab_secret", False),
        skip_colab_secret=getattr(namespace, "skip_colab_secret", False),
        debug=getattr(namespace, "debug", False),
    )
    name = namespace.command or frontend.bare
    if name is None:
        parser.error("choose a command: check or status")
    return COMMAND_NAMED[name].build(namespace, Parsed(options, parsers[name]))
