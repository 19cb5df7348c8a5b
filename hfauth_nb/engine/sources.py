"""Every place a Hub token can come from, and which one the installed library picks.

Values are cleaned with the library's own cleaner (T7) and the winner follows the library's own order (read
from its `get_token()` code, see library.py). `get_token()` itself is then called to confirm, but only when it
cannot block on the Colab vault, exchange an OIDC token or refresh an OAuth token over the network (T14-T18).
"""

from __future__ import annotations

import configparser
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from hfauth_nb import userfile
from hfauth_nb.engine import library
from hfauth_nb.engine.colab import ColabRead
from hfauth_nb.engine.colab import read_colab_secret as read_vault
from hfauth_nb.engine.library import LibraryFacts

# Variables people set believing a Hub client reads them; none does (huggingface_hub reads HF_TOKEN and the
# legacy HUGGING_FACE_HUB_TOKEN). HUGGINGFACEHUB_API_TOKEN is read by LangChain only.
MISNAMED_VARIABLES = (
    "HUGGINGFACEHUB_API_TOKEN",
    "HUGGINGFACE_TOKEN",
    "HUGGINGFACE_HUB_TOKEN",
    "HUGGING_FACE_TOKEN",
    "HF_API_TOKEN",
    "HF_HUB_TOKEN",
    "HF_ACCESS_TOKEN",
    "HF_AUTH_TOKEN",
    "HUGGINGFACE_API_KEY",
    "HUGGINGFACE_API_TOKEN",
    "HF_API_KEY",
    "HF_KEY",
)

_OAUTH_REFRESH_MARGIN_S = 24 * 3600


@dataclass(frozen=True)
class TokenSource:
    """One candidate source. `value` is the cleaned token the library would use from it (a secret)."""

    kind: str  # oidc | env | file | colab
    name: str  # shown to people: "HF_TOKEN", "token file", ...
    location: str  # variable name or file path
    state: str  # set | unset | blank | unreadable | not-read | exchange
    value: str | None = field(default=None, repr=False)
    raw: str | None = field(default=None, repr=False)
    note: str = ""

    @property
    def present(self) -> bool:
        return self.value is not None


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


@dataclass(frozen=True)
class Resolution:
    """Which source wins, and how we know."""

    winner: TokenSource | None
    decided_by: str  # "get_token()" | "library order" | "library order (get_token() not called: ...)"
    blocked: str | None = None  # why the library's get_token() would fail or not return a token now


@dataclass(frozen=True)
class TokenFacts:
    sources: tuple[TokenSource, ...]
    stored: StoredTokens
    resolution: Resolution
    misnamed: tuple[tuple[str, str], ...] = field(default=(), repr=False)  # (variable, cleaned value)
    vault: ColabRead | None = None  # our own read of the Colab secret, when asked for
    colab_cache_empty: bool = False  # the library already read the vault and cached "no secret"
    oauth_can_refresh: bool = False  # the library refreshes OAuth tokens and has not given up on this one
    now: float = 0.0  # when the facts were read (expiry is judged against it)

    def source(self, name: str) -> TokenSource | None:
        return next((s for s in self.sources if s.name == name), None)

    @property
    def effective(self) -> str | None:
        winner = self.resolution.winner
        return winner.value if winner is not None else None


def _env_source(variable: str) -> TokenSource:
    raw = os.environ.get(variable)
    if raw is None:
        return TokenSource("env", variable, variable, "unset")
    value = library.clean_token(raw)
    return TokenSource("env", variable, variable, "set" if value else "blank", value=value, raw=raw)


def _file_source(path: str | None) -> TokenSource:
    if not path:
        return TokenSource("file", "token file", "(unknown)", "unset")
    try:
        raw = userfile.read_text(path)
    except FileNotFoundError:
        return TokenSource("file", "token file", path, "unset")
    except IsADirectoryError:
        return TokenSource(
            "file", "token file", path, "unreadable", note="a directory stands where the file should be"
        )
    except PermissionError:
        return TokenSource(
            "file", "token file", path, "unreadable", note="permission denied for this process"
        )
    except (userfile.NotARegularFile, userfile.FileTooLarge) as exc:
        return TokenSource("file", "token file", path, "unreadable", note=f"the path {exc.strerror}")
    except (OSError, UnicodeDecodeError) as exc:
        return TokenSource("file", "token file", path, "unreadable", note=type(exc).__name__)
    value = library.clean_token(raw)
    return TokenSource("file", "token file", path, "set" if value else "blank", value=value, raw=raw)


def _colab(state: str, value: str | None = None, raw: str | None = None, note: str = "") -> TokenSource:
    return TokenSource("colab", "Colab secret", "HF_TOKEN secret", state, value=value, raw=raw, note=note)


def _colab_source(lib: LibraryFacts, vault: ColabRead | None) -> TokenSource | None:
    """The Colab secret as the library will use it: its cached vault read if it made one (T12), else our read."""
    if not lib.is_colab:
        return None
    if lib.is_colab_enterprise:
        return _colab("unset", note="Colab Enterprise has no vault")
    state = library.colab_secret_state()
    if not state.checked and vault is not None:
        if vault.outcome == "granted":
            value = library.clean_token(vault.value)
            return _colab("set" if value else "blank", value=value, raw=vault.value)
        return _colab("unset", note=vault.detail)
    if not state.checked:
        return _colab(
            "not-read", note="not read: reading the vault can open the grant-access popup (--colab-secret)"
        )
    if state.value is None:
        return _colab("unset", note="the library found no granted secret")
    return _colab("set", value=state.value, raw=state.value)


def _oidc_source() -> TokenSource | None:
    resource = os.environ.get("HF_OIDC_RESOURCE")
    if not resource:
        return None
    if not library.has_oidc_support():
        return TokenSource(
            "oidc", "HF_OIDC_RESOURCE", "HF_OIDC_RESOURCE", "unset", note="ignored by this version"
        )
    return TokenSource(
        "oidc", "HF_OIDC_RESOURCE", "HF_OIDC_RESOURCE", "exchange", note=f"resource {resource}"
    )


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


def _winner_by_order(lib: LibraryFacts, sources: list[TokenSource]) -> tuple[TokenSource | None, str | None]:
    """Walk the library's own order; returns (winner, blocked)."""
    by_kind = {kind: [s for s in sources if s.kind == kind] for kind in ("oidc", "env", "file", "colab")}
    for kind in lib.order:
        if kind == "oidc":
            oidc = next((s for s in by_kind["oidc"] if s.state == "exchange"), None)
            if oidc is not None:
                return oidc, None
        elif kind == "env":
            value = library.env_token()
            if value is not None:
                name = "HF_TOKEN" if os.environ.get("HF_TOKEN") else "HUGGING_FACE_HUB_TOKEN"
                return next(s for s in by_kind["env"] if s.name == name), None
        elif kind == "file":
            token_file = by_kind["file"][0] if by_kind["file"] else None
            if token_file is not None and token_file.state == "unreadable":
                return None, f"the token file cannot be read ({token_file.note}); get_token() raises"
            if token_file is not None and token_file.present:
                return token_file, None
        elif kind == "colab":
            colab = next(iter(by_kind["colab"]), None)
            if colab is not None and colab.present:
                return colab, None
            if colab is not None and colab.state == "not-read":
                return None, "the Colab secret has not been read yet"
    return None, None


def _unsafe_to_call(lib: LibraryFacts, sources: list[TokenSource], stored: StoredTokens) -> str | None:
    """Why calling get_token() now could block, pop up, raise or touch the network (None when it cannot)."""
    if any(s.kind == "oidc" and s.state == "exchange" for s in sources):
        return "HF_OIDC_RESOURCE is set (get_token() would exchange a token over the network)"
    if any(s.kind == "colab" for s in sources) and not library.colab_secret_state().checked:
        return (
            "huggingface_hub has not read the Colab vault yet (get_token() could open the grant-access popup)"
        )
    if any(s.kind == "file" and s.state == "unreadable" for s in sources):
        return "the token file is unreadable (get_token() would raise)"
    file_token = next((s.value for s in sources if s.kind == "file"), None)
    entry = stored.named(file_token)
    if (
        library.has_oauth_refresh()
        and entry is not None
        and entry.has_refresh
        and entry.expires_at is not None
        and entry.expires_at - _OAUTH_REFRESH_MARGIN_S <= time.time()
    ):
        return "the stored OAuth token is due for refresh (get_token() would refresh it over the network)"
    return None


def gather_tokens(lib: LibraryFacts, read_colab_secret: bool = False) -> TokenFacts:
    """Read every candidate source and decide the winner the way the installed library does.

    The Colab vault is read only when `read_colab_secret` (it can pop up and block; see colab.py).
    """
    sources: list[TokenSource] = []
    oidc = _oidc_source()
    if oidc is not None:
        sources.append(oidc)
    sources += [_env_source("HF_TOKEN"), _env_source("HUGGING_FACE_HUB_TOKEN"), _file_source(lib.token_path)]
    vault = read_vault() if read_colab_secret and lib.is_colab and not lib.is_colab_enterprise else None
    colab = _colab_source(lib, vault)
    if colab is not None:
        sources.append(colab)
    stored = read_stored_tokens(lib.stored_tokens_path)
    misnamed = tuple(
        (name, value)
        for name in MISNAMED_VARIABLES
        if (value := library.clean_token(os.environ.get(name))) is not None
    )
    winner, blocked = _winner_by_order(lib, sources)
    unsafe = _unsafe_to_call(lib, sources, stored)
    if unsafe is not None:
        decided = f"library order ({unsafe})"
    else:
        resolved, error = library.call_get_token()
        decided = "get_token()"
        if error is not None:
            blocked = f"get_token() raised {error}"
        elif resolved != (winner.value if winner else None):
            # The library disagrees with our reading of its order: trust the library.
            winner = next((s for s in sources if resolved is not None and s.value == resolved), winner)
    return TokenFacts(
        sources=tuple(sources),
        stored=stored,
        resolution=Resolution(winner=winner, decided_by=decided, blocked=blocked),
        misnamed=misnamed,
        vault=vault,
        colab_cache_empty=_colab_cache_empty(),
        oauth_can_refresh=library.has_oauth_refresh()
        and not library.oauth_refresh_gave_up(next((s.value for s in sources if s.kind == "file"), None)),
        now=time.time(),
    )


def _colab_cache_empty() -> bool:
    cached = library.colab_secret_state()
    return cached.checked and cached.value is None
