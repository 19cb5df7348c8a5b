"""The shape of the command table: front ends, arguments, commands, and what a command's builder is given.

`Frontend` rows hold what the two front ends say differently (names, wording, defaults); `Arg` and `Command`
rows say which front ends have them. The rows themselves are in `table`.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, fields
from typing import Any, Callable, Mapping

from hfauth_nb.grammar import requests as req

CLI_NAME, MAGIC_NAME = "cli", "magic"
BOTH = frozenset({CLI_NAME, MAGIC_NAME})


@dataclass(frozen=True)
class Frontend:
    """What one front end's grammar says differently: its name in usage lines and messages, and its defaults."""

    name: str
    prog: str
    where: str  # where the words were typed
    kept: str  # where a token typed there would stay
    see: str  # where the accepted arguments are listed
    help_values: Mapping[str, str]  # placeholders in help texts
    bare: str | None  # the command run when none is named (None: a usage error)


CLI = Frontend(
    CLI_NAME,
    "hfauth",
    where="the command line",
    kept="your shell history",
    see="hfauth --help",
    help_values={"timeout_default": f"{req.DEFAULT_TIMEOUT:g}"},
    bare=None,
)
MAGIC = Frontend(
    MAGIC_NAME,
    "%hfauth",
    where="the magic line",
    kept="the notebook file and the kernel's history",
    see="%hfauth?",
    help_values={"timeout_default": "HfAuth.timeout"},
    bare="panel",
)


@dataclass(frozen=True)
class Arg:
    """One argument, as argparse's `add_argument` takes it; arguments sharing a `group` exclude each other."""

    flags: tuple[str, ...]
    options: Mapping[str, Any]
    group: str | None = None
    frontends: frozenset[str] = BOTH


def arg(*flags: str, group: str | None = None, only: str | None = None, **options: Any) -> Arg:
    """An `Arg` written like `add_argument`; `only` names the one front end that has it."""
    return Arg(flags, options, group, frozenset({only}) if only else BOTH)


@dataclass(frozen=True)
class Options:
    """What every command may share: the time budget, the output format, the endpoint, Colab and --debug."""

    timeout: float
    output: req.OutputFormat
    endpoint: str | None
    read_colab_secret: bool
    skip_colab_secret: bool
    debug: bool

    def diagnosis(self) -> dict[str, Any]:
        """The `DiagnosisOptions` fields, as keywords for the constructor of a request that runs a diagnosis."""
        return {option.name: getattr(self, option.name) for option in fields(req.DiagnosisOptions)}


@dataclass(frozen=True)
class Parsed:
    """What a command's builder gets besides its namespace: the shared options, and the command's own parser
    (its errors show that command's usage line)."""

    options: Options
    parser: argparse.ArgumentParser


Build = Callable[[argparse.Namespace, Parsed], req.Request]


@dataclass(frozen=True)
class Command:
    """One row of the table. `common`: takes --debug and the Colab switches; `detailed`: its own help is part of
    `help_text()`."""

    name: str
    help: str
    build: Build
    arguments: tuple[Arg, ...] = ()
    frontends: frozenset[str] = BOTH
    common: bool = True
    detailed: bool = False
    description: str | None = None
