"""The differential scenarios: each lays out token sources, netrc, paths, OIDC, OAuth or endpoint credentials.

Nothing here says what the library will do: the library's own calls decide (harness.py). A scenario may list
`known` mismatches: a tool bug owned elsewhere (xfail, strict) or a documented library quirk, each naming the
cells and the huggingface_hub versions it applies to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from tests.differential.stage import Stage

Version = tuple[int, ...]


@dataclass(frozen=True)
class Known:
    """An expected mismatch: on versions where `applies`, these `cells` differ, for `reason`."""

    cells: tuple[str, ...]
    reason: str
    applies: Callable[[Version], bool] = lambda v: True


@dataclass(frozen=True)
class Scenario:
    name: str
    build: Callable[[Stage], None]
    known: tuple[Known, ...] = field(default=())


SCENARIOS: list[Scenario] = []


def scenario(name: str, *known: Known) -> Callable[[Callable[[Stage], None]], Callable[[Stage], None]]:
    def register(build: Callable[[Stage], None]) -> Callable[[Stage], None]:
        SCENARIOS.append(Scenario(name, build, tuple(known)))
        return build

    return register


def _env_token(st: Stage, name: str = "HF_TOKEN", **kwargs: object) -> str:
    token = st.new_token(**kwargs)  # type: ignore[arg-type]
    st.setenv(name, token, source=name, token=token)
    return token


def _file_token(st: Stage, **kwargs: object) -> str:
    token = st.new_token(**kwargs)  # type: ignore[arg-type]
    st.token_file(token + "\n", token)
    return token


# --- token sources -------------------------------------------------------------------------------------


@scenario("no-token")
def _(st: Stage) -> None:
    pass


@scenario("hf-token")
def _(st: Stage) -> None:
    _env_token(st)


@scenario("hf-token-revoked")
def _(st: Stage) -> None:
    _env_token(st, revoked=True)


@scenario("hf-token-write-role")
def _(st: Stage) -> None:
    _env_token(st, role="write")


@scenario("legacy-env-only")
def _(st: Stage) -> None:
    _env_token(st, "HUGGING_FACE_HUB_TOKEN")


@scenario("hf-token-beats-legacy")
def _(st: Stage) -> None:
    _env_token(st)
    _env_token(st, "HUGGING_FACE_HUB_TOKEN")


@scenario("hf-token-empty-falls-to-legacy")  # T8: "" is falsy, joined with `or`
def _(st: Stage) -> None:
    st.setenv("HF_TOKEN", "")
    _env_token(st, "HUGGING_FACE_HUB_TOKEN")
    _file_token(st)


@scenario("hf-token-blank-skips-legacy")  # T8: "   " is truthy, cleans to nothing, the file is next
def _(st: Stage) -> None:
    st.setenv("HF_TOKEN", "   ")
    _env_token(st, "HUGGING_FACE_HUB_TOKEN")
    _file_token(st)


@scenario("hf-token-blank-no-file")
def _(st: Stage) -> None:
    st.setenv("HF_TOKEN", " \t ")
    _env_token(st, "HUGGING_FACE_HUB_TOKEN")


@scenario("legacy-blank-then-file")
def _(st: Stage) -> None:
    st.setenv("HUGGING_FACE_HUB_TOKEN", "  ")
    _file_token(st)


@scenario("hf-token-newlines-cleaned")  # T7
def _(st: Stage) -> None:
    token = st.new_token()
    st.setenv("HF_TOKEN", f"\n  {token}\r\n", source="HF_TOKEN", token=token)


@scenario("token-file-only")
def _(st: Stage) -> None:
    _file_token(st)


@scenario("token-file-crlf-spaces")
def _(st: Stage) -> None:
    token = st.new_token()
    st.token_file(f"  {token} \r\n", token)


@scenario("token-file-blank")
def _(st: Stage) -> None:
    st.token_file(" \n\n")


@scenario("env-beats-file")
def _(st: Stage) -> None:
    _env_token(st)
    _file_token(st)


@scenario("env-revoked-shadows-valid-file")
def _(st: Stage) -> None:
    _env_token(st, revoked=True)
    _file_token(st, role="write")


@scenario("hf-token-path")  # T4: HF_TOKEN_PATH from 0.23
def _(st: Stage) -> None:
    default = st.new_token()
    st.token_file(default, default)
    custom = st.new_token()
    st.token_file(custom, custom, relative="elsewhere/my-token")
    st.setenv("HF_TOKEN_PATH", "{home}/elsewhere/my-token")


@scenario("hf-token-path-missing-hides-default")
def _(st: Stage) -> None:
    _file_token(st)
    st.setenv("HF_TOKEN_PATH", "{home}/nowhere/token")


@scenario("hf-token-path-tilde")  # `~` expanded from 0.30
def _(st: Stage) -> None:
    _file_token(st)
    custom = st.new_token()
    st.token_file(custom, custom, relative="tilde/token")
    st.setenv("HF_TOKEN_PATH", "~/tilde/token")


@scenario("token-file-is-directory")
def _(st: Stage) -> None:
    (st.template / ".cache/huggingface/token").mkdir(parents=True)


@scenario("hf-home")
def _(st: Stage) -> None:
    token = st.new_token()
    st.token_file(token, token, relative="hfhome/token")
    st.setenv("HF_HOME", "{home}/hfhome")


@scenario("xdg-cache-home")
def _(st: Stage) -> None:
    token = st.new_token()
    st.token_file(token, token, relative="xdg/huggingface/token")
    st.setenv("XDG_CACHE_HOME", "{home}/xdg")


@scenario("stored-tokens-without-active-file")  # T5: stored tokens never chosen by get_token()
def _(st: Stage) -> None:
    st.stored_tokens({"work": {"hf_token": st.new_token()}})


@scenario("stored-tokens-and-active-file")
def _(st: Stage) -> None:
    active = _file_token(st)
    st.stored_tokens({"active": {"hf_token": active}, "other": {"hf_token": st.new_token(role="write")}})


@scenario("legacy-dot-huggingface-token-only")  # T10
def _(st: Stage) -> None:
    st.write(".huggingface/token", st.new_token())


@scenario("misnamed-variable-only")
def _(st: Stage) -> None:
    st.setenv("HUGGINGFACEHUB_API_TOKEN", st.new_token())


@scenario("token-non-ascii-lookalike")  # Cyrillic letters: no HTTP stack can put it in a header
def _(st: Stage) -> None:
    token = st.new_token(body="hf_\u0430\u0435\u043e" + "x" * 27)
    st.setenv("HF_TOKEN", token, source="HF_TOKEN", token=token)


@scenario("token-latin1-letter")  # requests/http.client encode headers as latin-1, httpx as ASCII
def _(st: Stage) -> None:
    token = st.new_token(body="hf_\u00e9" + "x" * 29)
    st.setenv("HF_TOKEN", token, source="HF_TOKEN", token=token)


@scenario("token-inner-space")  # T9: sent as is
def _(st: Stage) -> None:
    token = st.new_token(body="hf_abc def" + "y" * 20)
    st.setenv("HF_TOKEN", token, source="HF_TOKEN", token=token)


@scenario("token-quoted")
def _(st: Stage) -> None:
    inner = st.new_token()
    token = f'"{inner}"'
    st.setenv("HF_TOKEN", token, source="HF_TOKEN", token=token)


# --- netrc -----------------------------------------------------------------------------------------------


def _netrc_for_hub(st: Stage, *, name: str = ".netrc", machine: str = "127.0.0.1") -> None:
    password = st.new_token(body="netrc-pass-")
    st.netrc(
        f"machine {machine}\n  login nuser\n  password {password}\n",
        matches=True,
        name=name,
        logins=(("nuser", password),),
    )


@scenario("netrc-host-with-token")
def _(st: Stage) -> None:
    _env_token(st)
    _netrc_for_hub(st)


@scenario("netrc-default-entry")
def _(st: Stage) -> None:
    _env_token(st)
    password = st.new_token(body="default-pass-")
    st.netrc(
        f"machine huggingface.co login a password b\ndefault login duser password {password}\n",
        matches=True,
        logins=(("duser", password),),
    )


@scenario("netrc-other-host-only")
def _(st: Stage) -> None:
    _env_token(st)
    st.netrc("machine huggingface.co login other password elsewhere\n", matches=False)


@scenario("netrc-env-var-file")  # N2: NETRC is the only file requests reads; git ignores it
def _(st: Stage) -> None:
    _file_token(st)
    password = st.new_token(body="envnetrc-")
    st.netrc(
        f"machine 127.0.0.1 login euser password {password}\n",
        matches=True,
        name="conf/netrc",
        logins=(("euser", password),),
    )
    st.setenv("NETRC", "{home}/conf/netrc")


@scenario("netrc-env-var-missing-disables-home-netrc")
def _(st: Stage) -> None:
    _env_token(st)
    _netrc_for_hub(st)
    st.setenv("NETRC", "{home}/no-such-netrc")


@scenario("netrc-without-any-token")  # K7: 0.x sends netrc Basic even on anonymous calls
def _(st: Stage) -> None:
    _netrc_for_hub(st)


@scenario("netrc-login-without-password")
def _(st: Stage) -> None:
    _env_token(st)
    st.netrc("machine 127.0.0.1 login onlyuser\n", matches=True, logins=(("onlyuser", ""),))


@scenario("netrc-commented-stanza-after-blank-line")  # N12: the parser reads it as a live entry
def _(st: Stage) -> None:
    _env_token(st)
    password = st.new_token(body="commented-")
    st.netrc(
        f"machine example.org login x password y\n\n# machine 127.0.0.1 login cuser password {password}\n",
        matches=True,
        logins=(("cuser", password),),
    )


@scenario("netrc-underscore-file")  # N2: requests falls back to ~/_netrc; git reads only ~/.netrc
def _(st: Stage) -> None:
    _env_token(st)
    _netrc_for_hub(st, name="_netrc")


@scenario("netrc-with-implicit-token-disabled")
def _(st: Stage) -> None:
    _env_token(st)
    _netrc_for_hub(st)
    st.setenv("HF_HUB_DISABLE_IMPLICIT_TOKEN", "1")


# --- endpoint --------------------------------------------------------------------------------------------


@scenario("endpoint-userinfo-with-token")  # N6: userinfo replaces the Bearer token
def _(st: Stage) -> None:
    _env_token(st)
    st.endpoint_userinfo("euser", st.new_token(body="endpoint-pass-"))


@scenario("endpoint-userinfo-without-token")
def _(st: Stage) -> None:
    st.endpoint_userinfo("euser", st.new_token(body="endpoint-pass-"))


@scenario("endpoint-trailing-slash")
def _(st: Stage) -> None:
    _env_token(st)
    st.setenv("HF_ENDPOINT", "{url}/")


# --- implicit token, offline -----------------------------------------------------------------------------


@scenario("implicit-token-disabled")  # T20: implicit calls anonymous, whoami still sends the token
def _(st: Stage) -> None:
    _env_token(st)
    st.setenv("HF_HUB_DISABLE_IMPLICIT_TOKEN", "1")


@scenario("implicit-token-disabled-no-token")
def _(st: Stage) -> None:
    st.setenv("HF_HUB_DISABLE_IMPLICIT_TOKEN", "true")


@scenario("implicit-token-disabled-unreadable-file")  # 1.20+: implicit calls never read the file
def _(st: Stage) -> None:
    (st.template / ".cache/huggingface/token").mkdir(parents=True)
    st.setenv("HF_HUB_DISABLE_IMPLICIT_TOKEN", "1")


@scenario("offline-mode")
def _(st: Stage) -> None:
    _env_token(st)
    st.setenv("HF_HUB_OFFLINE", "1")


@scenario("transformers-offline")
def _(st: Stage) -> None:
    _file_token(st)
    st.setenv("TRANSFORMERS_OFFLINE", "1")


# --- OIDC (1.19+) ----------------------------------------------------------------------------------------


@scenario("oidc-exchange")  # T17: the exchanged token wins over HF_TOKEN
def _(st: Stage) -> None:
    _env_token(st)
    st.setenv("HF_OIDC_RESOURCE", "alice")
    st.setenv("HF_OIDC_ID_TOKEN", st.hub.add_oidc_id_token("alice", role="read"))


@scenario("oidc-without-id-token")  # T17: raises instead of falling back
def _(st: Stage) -> None:
    _env_token(st)
    st.setenv("HF_OIDC_RESOURCE", "alice")


@scenario("oidc-rejected-id-token")  # T17: the Hub answers 400 invalid_grant; get_token() raises
def _(st: Stage) -> None:
    _env_token(st)
    st.setenv("HF_OIDC_RESOURCE", "alice")
    st.setenv("HF_OIDC_ID_TOKEN", "eyJ" + "n" * 40)


# --- OAuth with refresh (1.20+) --------------------------------------------------------------------------


def _oauth_login(st: Stage, *, expires_in: int, refresh_valid: bool = True) -> str:
    token = st.new_token(oauth=True, expires_in=expires_in)  # the Hub rejects it once expired
    st.token_file(token, token)
    refresh = st.hub.add_refresh_token("alice") if refresh_valid else "hf_refresh_" + "r" * 30
    st.stored_tokens(
        {"oauth-alice": {"hf_token": token, "refresh_token": refresh, "expires_at": st.expires(expires_in)}}
    )
    return token


@scenario("oauth-valid-not-due")
def _(st: Stage) -> None:
    _oauth_login(st, expires_in=30 * 24 * 3600)


@scenario("oauth-due-refreshed")
def _(st: Stage) -> None:
    _oauth_login(st, expires_in=-60)


@scenario("oauth-due-refresh-rejected")  # invalid_grant: the old token is returned and sent
def _(st: Stage) -> None:
    _oauth_login(st, expires_in=3600, refresh_valid=False)


@scenario("oauth-expired-refresh-rejected")  # the expired token is sent and rejected
def _(st: Stage) -> None:
    _oauth_login(st, expires_in=-60, refresh_valid=False)


@scenario("oauth-due-but-hf-token-wins")
def _(st: Stage) -> None:
    _env_token(st)
    _oauth_login(st, expires_in=-60)


@scenario("oauth-due-offline")
def _(st: Stage) -> None:
    _oauth_login(st, expires_in=-60)
    st.setenv("HF_HUB_OFFLINE", "1")
