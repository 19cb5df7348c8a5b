"""Token sources: token-malformed, token-file-unreadable, legacy-env-var, env-var-misnamed, no-token,
implicit-token-disabled, as pure functions of hand-made facts."""

from __future__ import annotations

from factories import (
    OTHER,
    VALID,
    Case,
    colab_source,
    context,
    header_failure,
    ids,
    library,
    local_only,
    moved_token_path,
    ok,
    repo_not_found,
    row,
    runtime_facts,
    table,
    token_facts,
    whoami_answer,
    whoami_invalid,
)

from hfauth_nb.engine.checks import tokens as checks

QUOTED = f'"{VALID}"'
NON_ASCII = VALID[:-1] + "\u0430"  # a Cyrillic look-alike letter

MALFORMED = [
    row("valid token: silent", context(), []),
    row("no token: silent", context(tokens=token_facts(hf_token=None)), []),
    row(
        "quoted token, Hub not asked: error, request not tried",
        local_only(tokens=token_facts(hf_token=QUOTED)),
        [("token-malformed", "error")],
        evidence={"source": "HF_TOKEN", "request sent": None},
        fix="%env HF_TOKEN=",
    ),
    row(
        "quoted token the Hub rejected: error, request sent",
        context(tokens=token_facts(hf_token=QUOTED), whoami={QUOTED: whoami_invalid()}),
        [("token-malformed", "error")],
        evidence={"request sent": True},
    ),
    row(
        "non-ASCII token the HTTP client cannot encode: error, nothing sent",
        context(tokens=token_facts(hf_token=NON_ASCII), whoami={NON_ASCII: whoami_answer(header_failure())}),
        [("token-malformed", "error")],
        evidence={"request sent": False},
    ),
    row(
        "Bearer prefix in the token file: the fix replaces the file",
        local_only(tokens=token_facts(hf_token=None, file=f"Bearer {VALID}")),
        [("token-malformed", "error")],
        evidence={"source": "token file"},
        fix="hf auth login",
    ),
    row(
        "whitespace inside the token",
        local_only(tokens=token_facts(hf_token=VALID[:10] + " " + VALID[10:])),
        [("token-malformed", "error")],
    ),
    row(
        "truncated token",
        local_only(tokens=token_facts(hf_token=VALID[:20])),
        [("token-malformed", "error")],
    ),
    row(
        "malformed token in the file, a valid HF_TOKEN wins: silent",
        context(tokens=token_facts(file=QUOTED)),
        [],
    ),
]


@table(MALFORMED)
def test_token_malformed(case: Case) -> None:
    case.verify(checks.check_token_malformed)


DENIED = "permission denied for this process"
UNREADABLE = [
    row("readable token file: silent", context(tokens=token_facts(file=VALID)), []),
    row(
        "unreadable file and no earlier source: every call raises",
        local_only(tokens=token_facts(hf_token=None, file_unreadable=DENIED)),
        [("token-file-unreadable", "error")],
        evidence={"reason": DENIED},
        fix="chmod 600",
    ),
    row(
        "unreadable file behind a valid HF_TOKEN: warning",
        local_only(tokens=token_facts(file_unreadable=DENIED)),
        [("token-file-unreadable", "warning")],
    ),
    row(
        "implicit tokens disabled on 1.27: implicit calls never open the file, warning",
        local_only(
            tokens=token_facts(hf_token=None, file_unreadable=DENIED),
            lib=library("1.27.0", implicit_token_disabled=True),
        ),
        [("token-file-unreadable", "warning")],
    ),
    row(
        "implicit tokens disabled before 1.20: get_token() still runs, error",
        local_only(
            tokens=token_facts(hf_token=None, file_unreadable=DENIED, order=("colab", "env", "file")),
            lib=library("1.19.0", implicit_token_disabled=True, order=("colab", "env", "file")),
        ),
        [("token-file-unreadable", "error")],
    ),
    row(
        "stored tokens file is a FIFO: warning",
        local_only(tokens=token_facts(stored_error="the path is not a file (a FIFO)")),
        [("token-file-unreadable", "warning")],
        evidence={"reason": "the path is not a file (a FIFO)"},
    ),
    row(
        "stored tokens file fails to parse: not this finding",
        local_only(tokens=token_facts(stored_error="ParsingError")),
        [],
    ),
]


@table(UNREADABLE)
def test_token_file_unreadable(case: Case) -> None:
    case.verify(checks.check_token_file_unreadable)


LEGACY = [
    row("legacy variable unset: silent", context(), []),
    row(
        "legacy variable alone: info",
        context(tokens=token_facts(hf_token=None, legacy=VALID)),
        [("legacy-env-var", "info")],
        evidence={"HUGGING_FACE_HUB_TOKEN": "hf_...good", "HF_TOKEN": None},
    ),
    row(
        "legacy variable equal to HF_TOKEN: info",
        context(tokens=token_facts(legacy=VALID)),
        [("legacy-env-var", "info")],
    ),
    row(
        "legacy variable differs from HF_TOKEN (ignored): warning",
        context(tokens=token_facts(legacy=OTHER)),
        [("legacy-env-var", "warning")],
        evidence={"HUGGING_FACE_HUB_TOKEN": "hf_...othr", "HF_TOKEN": "hf_...good"},
        fix='os.environ.pop("HUGGING_FACE_HUB_TOKEN")',
    ),
    row(
        "blank HF_TOKEN hides the legacy variable: warning, pop HF_TOKEN",
        context(tokens=token_facts(hf_token=None, hf_token_raw="   ", legacy=VALID)),
        [("legacy-env-var", "warning")],
        fix='os.environ.pop("HF_TOKEN")',
    ),
]


def test_blank_legacy_variable_is_not_a_different_token() -> None:
    findings = checks.check_legacy_env_var(context(tokens=token_facts(legacy=None, legacy_raw="   ")))
    assert [(f.id, f.severity) for f in findings] == [("legacy-env-var", "info")], ids(findings)
    assert "blank" in findings[0].title


@table(LEGACY)
def test_legacy_env_var(case: Case) -> None:
    case.verify(checks.check_legacy_env_var)


MISNAMED = [
    row("no misnamed variable: silent", context(), []),
    row(
        "misnamed variable and no token: warning",
        local_only(tokens=token_facts(hf_token=None, misnamed={"HUGGINGFACEHUB_API_TOKEN": OTHER})),
        [("env-var-misnamed", "warning")],
        evidence={"variable": "HUGGINGFACEHUB_API_TOKEN", "masked": "hf_...othr"},
        fix='os.environ["HF_TOKEN"] = os.environ["HUGGINGFACEHUB_API_TOKEN"]',
    ),
    row(
        "misnamed variable beside a working token: info",
        local_only(tokens=token_facts(misnamed={"HF_API_TOKEN": VALID})),
        [("env-var-misnamed", "info")],
    ),
    row(
        "an OIDC exchange supplies the token (value unknown): info",
        local_only(tokens=token_facts(hf_token=None, oidc="exchange", misnamed={"HF_HUB_TOKEN": OTHER})),
        [("env-var-misnamed", "info")],
    ),
    row(
        "two misnamed variables: one finding each",
        local_only(tokens=token_facts(hf_token=None, misnamed={"HF_API_TOKEN": VALID, "HF_KEY": OTHER})),
        [("env-var-misnamed", "warning"), ("env-var-misnamed", "warning")],
    ),
]


@table(MISNAMED)
def test_env_var_misnamed(case: Case) -> None:
    case.verify(checks.check_env_var_misnamed)


NO_TOKEN = token_facts(hf_token=None)
NO_TOKEN_LOCAL = [
    row("a token: silent", local_only(), []),
    row(
        "no token, Hub not asked: info",
        local_only(tokens=NO_TOKEN),
        [("no-token", "info")],
        evidence={"sources checked": ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "token file"]},
        fix="hf auth login",
    ),
    row("no token, the Hub was asked: left to the Hub checks", context(tokens=NO_TOKEN), []),
    row(
        "HF_TOKEN_PATH points at a missing file while the default one holds a token",
        local_only(tokens=NO_TOKEN, token_path=moved_token_path()),
        [("no-token", "info")],
        evidence={"HF_TOKEN_PATH": "/elsewhere/token", "default file token": "hf_...good"},
        fix="unset HF_TOKEN_PATH",
    ),
    row(
        "on Kaggle the fix adds a Kaggle secret",
        local_only(tokens=NO_TOKEN, runtime=runtime_facts("kaggle")),
        [("no-token", "info")],
        fix="kaggle_secrets",
    ),
    row(
        "Colab vault kept closed (--no-colab-secret) while it is the only source",
        local_only(
            tokens=token_facts(hf_token=None, colab=colab_source(state="not-read"), colab_reached=True),
            lib=library(is_colab=True),
        ),
        [("no-token", "info")],
        evidence={"Colab secret": "not read"},
    ),
    row(
        "blocked by an unreadable token file: token-file-unreadable says it",
        local_only(tokens=token_facts(hf_token=None, file_unreadable=DENIED)),
        [],
    ),
    row(
        "an OIDC exchange counts as a token",
        local_only(tokens=token_facts(hf_token=None, oidc="exchange")),
        [],
    ),
]


@table(NO_TOKEN_LOCAL)
def test_no_token_local(case: Case) -> None:
    case.verify(checks.check_no_token_local)


NO_TOKEN_HUB = [
    row("Hub not asked: silent", local_only(tokens=NO_TOKEN), []),
    row("a token: silent", context(), []),
    row("no token, token alone checked: info", context(tokens=NO_TOKEN, repo=None), [("no-token", "info")]),
    row(
        "no token, public repo readable anonymously: info",
        context(tokens=NO_TOKEN, auth=ok()),
        [("no-token", "info")],
    ),
    row(
        "no token and write intent: error",
        context(tokens=NO_TOKEN, repo=None, write=True),
        [("no-token", "error")],
    ),
    row(
        "no token and the repo answered 401: check_repo reports it with the repo's reason",
        context(tokens=NO_TOKEN, auth=repo_not_found(anonymous=True)),
        [],
    ),
    row(
        "resolution blocked (unreadable file): silent",
        context(tokens=token_facts(hf_token=None, file_unreadable=DENIED), repo=None),
        [],
    ),
]


@table(NO_TOKEN_HUB)
def test_no_token_hub(case: Case) -> None:
    case.verify(checks.check_no_token_hub)


DISABLED = library(implicit_token_disabled=True)
IMPLICIT_LOCAL = [
    row("implicit tokens allowed: silent", local_only(), []),
    row(
        "implicit tokens disabled, Hub not asked: warning",
        local_only(lib=DISABLED),
        [("implicit-token-disabled", "warning")],
        evidence={"library constant": True},
        fix="token=True",
    ),
    row("implicit tokens disabled, the Hub was asked: left to the Hub check", context(lib=DISABLED), []),
]


@table(IMPLICIT_LOCAL)
def test_implicit_token_disabled(case: Case) -> None:
    case.verify(checks.check_implicit_token_disabled)


IMPLICIT_HUB = [
    row("implicit tokens allowed: silent", context(), []),
    row("Hub not asked: silent", local_only(lib=DISABLED), []),
    row("read of a public repo: warning", context(lib=DISABLED), [("implicit-token-disabled", "warning")]),
    row(
        "write intent: error (writes go out anonymous)",
        context(lib=DISABLED, write=True, repo=None),
        [("implicit-token-disabled", "error")],
    ),
    row(
        "a token exists and the anonymous probe met 401: check_repo names it as the cause",
        context(lib=DISABLED, auth=repo_not_found(anonymous=True)),
        [],
    ),
    row(
        "no token at all and the repo answered 401: still a warning here",
        context(lib=DISABLED, tokens=NO_TOKEN, auth=repo_not_found(anonymous=True)),
        [("implicit-token-disabled", "warning")],
    ),
]


@table(IMPLICIT_HUB)
def test_implicit_hub(case: Case) -> None:
    case.verify(checks.check_implicit_hub)
