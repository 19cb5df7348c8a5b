"""Every credential this machine holds and the files meant to hold them: what the leak scanner compares against.

A token found in a notebook is "this machine's token" when one of these sources holds it; a token found in one
of these files is where it belongs, not a leak. Values are raw secrets: compared, never shown.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from hfauth_nb.engine.facts import LocalFacts


@dataclass(frozen=True)
class KnownCredentials:
    """The machine's credentials as the engine read them, for comparison only."""

    endpoint: str  # the Hub endpoint, without credentials
    # token -> where this machine keeps it ("HF_TOKEN", "netrc (/home/u/.netrc)", ...)
    tokens: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    stores: frozenset[str] = frozenset()  # real paths of files meant to hold credentials
    # every raw secret the engine saw, for scrubbing what is shown
    secrets: frozenset[str] = field(default=frozenset(), repr=False)


def known_credentials(facts: LocalFacts) -> KnownCredentials:
    return KnownCredentials(
        endpoint=facts.endpoint,
        tokens=_known_tokens(facts),
        stores=_credential_stores(facts),
        secrets=facts.secrets(),
    )


def _known_tokens(facts: LocalFacts) -> dict[str, tuple[str, ...]]:
    """Every token this machine holds, mapped to where it is kept."""
    known: dict[str, list[str]] = {}

    def add(value: str | None, label: str) -> None:
        if value:
            known.setdefault(value, [])
            if label not in known[value]:
                known[value].append(label)

    for source in facts.tokens.sources:
        add(source.value, source.name)
    for stored in facts.tokens.stored.tokens:
        add(stored.value, f"stored token '{stored.name}'")
    for variable, value in facts.tokens.misnamed:
        add(value, variable)
    for netrc_file, entry in facts.netrc.entries:
        add(entry.password, f"netrc ({netrc_file.path})")
    add(facts.git.password, "git credential helper")
    return {token: tuple(labels) for token, labels in known.items()}


def _credential_stores(facts: LocalFacts) -> frozenset[str]:
    """Files meant to hold tokens: finding one there is not a leak."""
    home = Path.home()
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    paths = [
        facts.library.token_path,
        facts.tokens.stored.path,
        home / ".git-credentials",
        config / "git" / "credentials",
    ]
    paths += [f.path for f in facts.netrc.files]
    return frozenset(os.path.realpath(p) for p in paths if p)
