"""How a differential scenario lays out its world: tokens on the loopback Hub, variables, files under HOME.

A `Stage` is built once per scenario into a template directory; every subprocess (the library's calls,
`hfauth check`, `hfauth status`) then gets its own copy of it as HOME, so a call that rewrites a file (an
OAuth refresh rewrites the token file) cannot change what the next process sees. Values may name `{home}`
and `{url}` (the hub's URL, `{url_with_userinfo}` for credentials in HF_ENDPOINT); they are filled per copy.
Every token is generated here at run time (never a literal) with a unique last four letters, so masked forms
tell tokens apart; `labels` maps each value to the source names a report may give it.
"""

from __future__ import annotations

import random
import string
import time
from dataclasses import dataclass, field
from pathlib import Path

from hfauth_nb.testing import FakeHub

REPO = "alice/model"
FILENAME = "config.json"
_LETTERS = string.ascii_letters


@dataclass
class Stage:
    hub: FakeHub
    template: Path
    env: dict[str, str] = field(default_factory=dict)
    labels: dict[str, set[str]] = field(default_factory=dict)  # token value -> source names
    basic: dict[tuple[str, str], str] = field(default_factory=dict)  # (login, password) -> credential label
    netrc_entry: bool = False  # the layout holds a netrc entry matching the hub host (by construction)
    _suffixes: set[str] = field(default_factory=set)

    # -- tokens -----------------------------------------------------------------------------------
    def new_token(
        self,
        *,
        role: str = "read",
        user: str = "alice",
        revoked: bool = False,
        oauth: bool = False,
        body: str | None = None,
        expires_in: int | None = None,
    ) -> str:
        """Issue a token on the hub (unless `body` gives a value the hub never issued)."""
        while True:
            suffix = "".join(random.choice(_LETTERS) for _ in range(4))
            if suffix not in self._suffixes:
                self._suffixes.add(suffix)
                break
        if body is not None:
            return body + suffix
        head = "hf_oauth_" if oauth else "hf_"
        value = head + "".join(random.choice(_LETTERS) for _ in range(30)) + suffix
        expires_at = None if expires_in is None else time.time() + expires_in
        self.hub.add_token(user, role=role, value=value, oauth=oauth, expires_at=expires_at)
        if revoked:
            self.hub.revoke(value)
        return value

    def label(self, value: str, source: str) -> None:
        """The library may return `value` because `source` holds it."""
        self.labels.setdefault(value, set()).add(source)

    # -- variables and files ----------------------------------------------------------------------
    def setenv(self, name: str, value: str, *, source: str | None = None, token: str | None = None) -> None:
        self.env[name] = value
        if source is not None and token is not None:
            self.label(token, source)

    def write(self, relative: str, content: str | bytes, mode: int = 0o600) -> Path:
        path = self.template / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
        path.chmod(mode)
        return path

    def token_file(
        self, content: str, token: str | None = None, relative: str = ".cache/huggingface/token"
    ) -> None:
        self.write(relative, content)
        if token is not None:
            self.label(token, "token file")

    def stored_tokens(
        self, sections: dict[str, dict[str, str]], relative: str = ".cache/huggingface/stored_tokens"
    ) -> None:
        lines = []
        for name, fields in sections.items():
            lines.append(f"[{name}]")
            lines += [f"{key} = {value}" for key, value in fields.items()]
            lines.append("")
        self.write(relative, "\n".join(lines))

    def netrc(
        self, text: str, *, matches: bool, name: str = ".netrc", logins: tuple[tuple[str, str], ...] = ()
    ) -> None:
        """A netrc file; `matches`: it has an entry for the hub host (or `default`), as laid out."""
        self.write(name, text)
        self.netrc_entry = self.netrc_entry or matches
        for login, password in logins:
            self.basic[(login, password)] = "netrc"

    def endpoint_userinfo(self, login: str, password: str) -> None:
        """HF_ENDPOINT carries `login:password@` (fact N6)."""
        self.env["HF_ENDPOINT"] = "{url_with_userinfo}"
        self.env["_USERINFO"] = f"{login}:{password}"
        self.basic[(login, password)] = "HF_ENDPOINT"

    @staticmethod
    def expires(seconds_from_now: int) -> str:
        return str(int(time.time()) + seconds_from_now)
