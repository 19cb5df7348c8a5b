"""Every place a Hub token can come from, and which one the installed library picks.

Values are cleaned with the library's own cleaner (T7) and the winner follows the library's own order (read
from its `get_token()` code, see library.py). `get_token()` itself is then called to confirm, but only when it
cannot block on the Colab vault, exchange an OIDC token or refresh an OAuth token over the network (T14-T18).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace

from hfauth_nb import userfile
from hfauth_nb.engine import library
from hfauth_nb.engine.colab import ColabRead
from hfauth_nb.engine.colab import read_colab_secret as read_vault
from hfauth_nb.engine.library import LibraryFacts
from hfauth_nb.engine.oauth_login import (
    OAuthLogin,
    StoredTokens,
    oauth_login,
    read_stored_tokens,
    refresh_outcome,
    refreshed,
    utc,
)

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


@dataclass(frozen=True)
class TokenSource:
    """One candidate source. `value` is the cleaned token the library would use from it (a secret)."""

    kind: str  # oidc | env | file | colab
    name: str  # shown to people: "HF_TOKEN", "token file", ...
    location: str  # variable name or file path
    state: str  # set | unset | blank | unreadable | not-read | exchange | refused (OIDC)
    value: str | None = field(default=None, repr=False)
    raw: str | None = field(default=None, repr=False)
    note: str = ""

    @property
    def present(self) -> bool:
        return self.value is not None


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
    vault: ColabRead | None = None  # our own read of the Colab secret, when we made one
    colab_reached: bool = False  # the library's next get_token() reads the vault (no earlier source answers)
    colab_via: str = (
        ""  # how the Colab secret is known: "read" | "library cache" | "not read" | "" (not Colab)
    )
    colab_cache_empty: bool = False  # the library already read the vault and cached "no secret"
    oauth: OAuthLogin | None = None  # the browser login in the token file, and its refresh during this check
    now: float = 0.0  # when the facts were read (expiry is judged against it)

    def source(self, name: str) -> TokenSource | None:
        return next((s for s in self.sources if s.name == name), None)

    @property
    def effective(self) -> str | None:
        winner = self.resolution.winner
        return winner.value if winner is not None else None

    def sent(self, implicit_token_disabled: bool) -> str | None:
        """The token the library's calls carry: the effective one, none when implicit tokens are disabled (T20)."""
        return None if implicit_token_disabled else self.effective


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


def _colab_from_cache(cached: library.ColabSecretState) -> TokenSource:
    """The library's own answer, cached when it read the vault earlier in this session (T12)."""
    if cached.value is None:
        return _colab(
            "unset",
            note="huggingface_hub asked Colab earlier in this session and got no secret (refused, missing or no "
            "answer); it will not ask again until the session restarts",
        )
    return _colab(
        "set",
        value=cached.value,
        raw=cached.value,
        note="huggingface_hub's cached read (earlier in this session)",
    )


def _colab_from_read(vault: ColabRead) -> TokenSource:
    if vault.outcome == "granted":
        value = library.clean_token(vault.value)
        return _colab("set" if value else "blank", value=value, raw=vault.value, note="read now (granted)")
    state = "timeout" if vault.outcome == "timeout" else "unset"
    return _colab(state, note=vault.detail)


def vault_reached(lib: LibraryFacts, sources: list[TokenSource]) -> bool:
    """Would the library's next get_token() read the Colab vault? Only if no earlier source answers (T1/T2)."""
    for kind in lib.order:
        if kind == "colab":
            return True
        for source in sources:
            if source.kind != kind:
                continue
            if kind == "oidc" and source.state == "exchange":
                return False  # it returns a token or raises
            if kind == "env" and library.env_token() is not None:
                return False
            if kind == "file" and (source.present or source.state == "unreadable"):
                return False  # a token, or an error raised before the vault
    return False


def _colab_source(
    lib: LibraryFacts, sources: list[TokenSource], mode: str, budget: float
) -> tuple[TokenSource | None, ColabRead | None, str]:
    """The Colab secret as the library will use it, our own read if any, and how it was known.

    `mode`: "auto" reads the vault when the installed library's next call would read it too; "force"
    (--colab-secret) reads it even when an earlier source wins; "never" (--no-colab-secret) does not read it.
    Outside a Colab kernel, as huggingface_hub decides it at import (T11), and in Colab Enterprise (T15),
    the vault is never read: no popup can come from here.
    """
    if not lib.is_colab:
        return None, None, ""
    if lib.is_colab_enterprise:
        return _colab("unset", note="Colab Enterprise: huggingface_hub does not read the vault"), None, ""
    cached = library.colab_secret_state()
    reached = vault_reached(lib, sources)
    if cached.checked:
        vault = read_vault(budget) if mode == "force" else None
        return _colab_from_cache(cached), vault, "library cache"
    if mode == "never":
        return _colab("not-read", note="not read (--no-colab-secret)"), None, "not read"
    if mode == "force" or reached:
        vault = read_vault(budget)
        return _colab_from_read(vault), vault, "read"
    first = _first_present(lib, sources)
    return (
        _colab(
            "not-read",
            note=f"not read: huggingface_hub {lib.version} does not read it while {first} holds a token "
            "(--colab-secret reads it anyway)",
        ),
        None,
        "not read",
    )


def _first_present(lib: LibraryFacts, sources: list[TokenSource]) -> str:
    for kind in lib.order:
        for source in sources:
            if source.kind == kind and (source.present or source.state in ("exchange", "unreadable")):
                return source.name
    return "another source"


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
            if colab is not None and colab.state == "timeout":
                return None, f"Colab did not hand over the HF_TOKEN secret ({colab.note})"
    return None, None


def _unsafe_to_call(lib: LibraryFacts, sources: list[TokenSource]) -> str | None:
    """Why calling get_token() now could block, pop up, raise or exchange a token (None when it cannot)."""
    if any(s.kind == "oidc" and s.state == "exchange" for s in sources):
        return "HF_OIDC_RESOURCE is set (get_token() would exchange a token over the network)"
    if any(s.kind == "file" and s.state == "unreadable" for s in sources) and not library.env_token():
        return "the token file is unreadable (get_token() would raise)"
    in_colab = lib.is_colab and not lib.is_colab_enterprise
    if in_colab and not library.colab_secret_state().checked and vault_reached(lib, sources):
        return (
            "huggingface_hub has not read the Colab vault yet (get_token() could open the grant-access popup)"
        )
    return None


def gather_tokens(
    lib: LibraryFacts, read_colab_secret: bool = False, skip_colab_secret: bool = False, budget: float = 5.0
) -> TokenFacts:
    """Read every candidate source and decide the winner the way the installed library does.

    The Colab vault is read (under `budget` seconds) when the library's next call would read it, or when
    `read_colab_secret`; never with `skip_colab_secret`. A browser login due for refresh is refreshed by the
    library's own get_token(), as its next Hub call would do (under `budget` seconds).
    """
    sources: list[TokenSource] = []
    oidc = _oidc_source()
    if oidc is not None:
        sources.append(oidc)
    sources += [_env_source("HF_TOKEN"), _env_source("HUGGING_FACE_HUB_TOKEN"), _file_source(lib.token_path)]
    mode = "never" if skip_colab_secret else "force" if read_colab_secret else "auto"
    colab, vault, colab_via = _colab_source(lib, sources, mode, budget)
    if colab is not None:
        sources.append(colab)
    stored = read_stored_tokens(lib.stored_tokens_path)
    misnamed = tuple(
        (name, value)
        for name in MISNAMED_VARIABLES
        if (value := library.clean_token(os.environ.get(name))) is not None
    )
    winner, blocked = _winner_by_order(lib, sources)
    if winner is not None and winner.kind == "oidc" and not lib.offline:
        sources, winner, blocked = _try_oidc_exchange(sources, winner, blocked, budget)
    file_source = next((s for s in sources if s.kind == "file"), None)
    oauth, refresh_due = oauth_login(
        lib, file_source.value if file_source else None, stored, winner is not None and winner.kind == "file"
    )
    unsafe = _unsafe_to_call(lib, sources)
    if unsafe is not None:
        decided = f"library order ({unsafe})"
    else:
        old = winner.value if winner is not None else None
        if refresh_due and oauth is not None:
            finished, resolved, error = library.call_get_token_bounded(budget)
            if finished and error is None:
                sources = [_file_source(lib.token_path) if s.kind == "file" else s for s in sources]
                stored = read_stored_tokens(lib.stored_tokens_path)
            oauth = refresh_outcome(oauth, old, finished, resolved, budget, stored)
            sources = [_annotate_login(s, oauth) if s.kind == "file" else s for s in sources]
            winner = next((s for s in sources if winner is not None and s.kind == winner.kind), winner)
        else:
            finished = True
            resolved, error = library.call_get_token()
        if not finished:
            decided = "library order (huggingface_hub is still refreshing your login)"
        else:
            decided = "get_token()" + (" (huggingface_hub refreshed your login)" if refreshed(oauth) else "")
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
        colab_via=colab_via,
        colab_reached=colab is not None and not lib.is_colab_enterprise and vault_reached(lib, sources),
        colab_cache_empty=_colab_cache_empty(),
        oauth=oauth,
        now=time.time(),
    )


def _try_oidc_exchange(
    sources: list[TokenSource], winner: TokenSource, blocked: str | None, budget: float
) -> tuple[list[TokenSource], TokenSource | None, str | None]:
    """Let the library's own get_token() exchange the OIDC id token (T17), as its next call would: a refused
    exchange (400 invalid_grant) makes every call raise before any request, which only the exchange can show.
    Nothing is persisted by an exchange; without an id token the library raises at once (no request)."""
    if not os.environ.get("HF_OIDC_ID_TOKEN"):
        return sources, winner, blocked  # the library raises, or mints one from the CI provider: see checks
    finished, _token, error = library.call_get_token_bounded(budget)
    if not finished or error is None:
        return sources, winner, blocked
    refused = replace(winner, state="refused", note=f"the Hub refused the OIDC exchange: {error}")
    return [refused if s is winner else s for s in sources], None, f"get_token() raised {error}"


def _annotate_login(source: TokenSource, oauth: OAuthLogin) -> TokenSource:
    if oauth.outcome == "refreshed":
        until = f" (valid until {utc(oauth.new_expires_at)})" if oauth.new_expires_at else ""
        return replace(source, note=f"OAuth login {oauth.name}: {oauth.detail}{until}")
    return replace(source, note=f"OAuth login {oauth.name}: {oauth.detail}")


def _colab_cache_empty() -> bool:
    cached = library.colab_secret_state()
    return cached.checked and cached.value is None
