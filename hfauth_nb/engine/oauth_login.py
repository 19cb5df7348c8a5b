"""The browser (OAuth) login stored next to the token file, and what the library did with it during a check.

huggingface_hub >= 1.20 refreshes such a login inside get_token() (services facts A1-A4); this module reads the
stored tokens (T5, T18) and names the outcome. It never refreshes anything itself.
"""

from __future__ import annotations

import configparser
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from hfauth_nb import userfile
from hfauth_nb.engine import library
from hfauth_nb.engine.library import LibraryFacts

_OAUTH_REFRESH_MARGIN_S = 24 * 3600


@dataclass(frozen=True)
class StoredToken:
    name: str
    value: str | None = field(default=None, repr=False)
    expires_at: int | None = None
    has_refresh: bool = False


@dataclass(frozen=True)
class StoredTokens:
    path: str | None
    tokens: tuple[StoredToken, ...] = ()
    error: str | None = None

    def named(self, value: str | None) -> StoredToken | None:
        return next((t for t in self.tokens if value is not None and t.value == value), None)


def read_stored_tokens(path: str | None) -> StoredTokens:
    """The named tokens next to the token file (T5), with OAuth expiry (T18)."""
    if not path or not Path(path).exists():
        return StoredTokens(path=path)
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(userfile.read_text(path), source=path)
    except (userfile.NotARegularFile, userfile.FileTooLarge) as exc:
        return StoredTokens(path=path, error=f"the path {exc.strerror}")
    except IsADirectoryError:
        return StoredTokens(path=path)  # configparser.read() skipped what it could not open
    except (configparser.Error, UnicodeDecodeError, OSError) as exc:
        return StoredTokens(path=path, error=type(exc).__name__)
    tokens = []
    for section in parser.sections():
        fields = dict(parser.items(section))
        try:
            expires_at: int | None = int(fields["expires_at"])
        except (KeyError, ValueError):
            expires_at = None
        tokens.append(
            StoredToken(
                name=section,
                value=library.clean_token(fields.get("hf_token")),
                expires_at=expires_at,
                has_refresh=bool(fields.get("refresh_token")),
            )
        )
    return StoredTokens(path=path, tokens=tuple(tokens))


@dataclass(frozen=True)
class OAuthLogin:
    """The stored browser (OAuth) login in the token file, and what the library did with it during this check."""

    name: str
    expires_at: int | None  # of the token the file held when the check started
    has_refresh: bool
    # not-due | refreshed | revoked | failed | pending | not-used | unsupported | no-refresh-token | skipped
    outcome: str
    detail: str = ""
    new_expires_at: int | None = None


def _refresh_due(entry: StoredToken, now: float) -> bool:
    return (
        entry.has_refresh
        and entry.expires_at is not None
        and entry.expires_at - _OAUTH_REFRESH_MARGIN_S <= now
    )


def oauth_login(
    lib: LibraryFacts, file_token: str | None, stored: StoredTokens, file_wins: bool
) -> tuple[OAuthLogin | None, bool]:
    """The OAuth login in the token file (None if it holds another kind of token); True when get_token() is due
    to refresh it now (the library's own condition, services fact A2: the file token wins and expires within 24 h)."""
    entry = stored.named(file_token)
    if entry is None or entry.expires_at is None:
        return None, False

    def login(outcome: str, detail: str = "") -> OAuthLogin:
        return OAuthLogin(entry.name, entry.expires_at, entry.has_refresh, outcome, detail)

    if not library.has_oauth_refresh():
        return login(
            "unsupported", f"huggingface_hub {lib.version} never refreshes logins (1.20+ does)"
        ), False
    if not entry.has_refresh:
        return login("no-refresh-token", "no refresh token is stored with this login"), False
    if not file_wins:
        return login(
            "not-used", "huggingface_hub does not use (or refresh) it while another source wins"
        ), False
    if not _refresh_due(entry, time.time()):
        return login("not-due"), False
    if lib.offline:
        return login("skipped", "offline mode: huggingface_hub cannot refresh it"), False
    return login("due"), True


def refresh_outcome(
    login: OAuthLogin,
    old: str | None,
    finished: bool,
    resolved: str | None,
    budget: float,
    stored: StoredTokens,
) -> OAuthLogin:
    if not finished:
        return replace(
            login,
            outcome="pending",
            detail=f"huggingface_hub is refreshing it; the refresh did not finish within {budget:g} s",
        )
    if resolved is not None and resolved != old:
        entry = stored.named(resolved)
        return replace(
            login,
            outcome="refreshed",
            detail="huggingface_hub refreshed your login during this check",
            new_expires_at=entry.expires_at if entry else None,
        )
    state = library.oauth_refresh_state(old)
    if state.gave_up:
        return replace(
            login, outcome="revoked", detail="the Hub refused the refresh (invalid_grant: expired or revoked)"
        )
    return replace(login, outcome="failed", detail="the refresh failed; huggingface_hub will retry later")


def refreshed(oauth: OAuthLogin | None) -> bool:
    return oauth is not None and oauth.outcome == "refreshed"


def utc(timestamp: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(timestamp or 0))
