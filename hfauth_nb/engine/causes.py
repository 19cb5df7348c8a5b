"""Typed causes: what a fix needs to know about the thing a finding blames, independent of how it is shown.

A check attaches one of these to a finding whose cause a fix can remove; the evidence dict is only its
rendering. Fixes read the cause, never display labels, so rewording evidence cannot break a fix. Causes hold
names, paths and hosts, never a secret.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, Union


@dataclass(frozen=True)
class EnvVarCause:
    """An environment variable holds the token at fault.

    `legacy`: the deprecated `HUGGING_FACE_HUB_TOKEN` name itself is the problem (rename, do not just drop).
    `proven`: the check saw that the token in use is wrong; otherwise removing it is a choice, and the fix says so.
    """

    name: str
    legacy: bool = False
    proven: bool = True


@dataclass(frozen=True)
class NetrcStanzaCause:
    """One `machine` (or `default`) stanza of one netrc file."""

    file: str
    machine: str  # "default" for the default stanza


@dataclass(frozen=True)
class GitCredentialCause:
    """What git's credential helpers hold for the Hub host (`stored`: False when they hold nothing)."""

    host: str
    helpers: tuple[str, ...] = ()
    username: str | None = field(default=None, repr=False)  # some people store a token as the user name
    stored: bool = True


Cause = Union[EnvVarCause, NetrcStanzaCause, GitCredentialCause]


class _Source(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def name(self) -> str: ...


def env_var_cause(source: _Source | None, *, proven: bool = True) -> EnvVarCause | None:
    """The cause for a token source, when that source is an environment variable (else a fix has nothing to unset)."""
    if source is None or source.kind != "env":
        return None
    return EnvVarCause(source.name, proven=proven)
