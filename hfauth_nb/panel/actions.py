"""What the panel's buttons and `%hfauth login`/`logout` do, without any widget: plain functions to test.

A submitted token is cleaned like the library cleans it, checked with one whoami (unless the user opts out),
then set as the session token (`hfauth_nb.session`). Every message is built from masked values only, and
the token is never stored here: after `submit_token` returns, `os.environ` holds the only copy.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal, Sequence

from hfauth_nb import request as req
from hfauth_nb import session
from hfauth_nb.engine.report import Report, secrets_of
from hfauth_nb.secrets import mask, redact_url, scrub

Level = Literal["ok", "info", "warning", "error"]


@dataclass(frozen=True)
class Outcome:
    """One message for the user (already safe to show) and, after a change, the fresh status report."""

    level: Level
    message: str
    report: Report | None = None
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # The panel's Output widget keeps these words in the notebook's saved widget state: scrub them once here.
        known = secrets_of(self.report) if self.report is not None else frozenset()
        object.__setattr__(self, "message", scrub(self.message, known))
        object.__setattr__(self, "notes", tuple(scrub(note, known) for note in self.notes))

    @property
    def ok(self) -> bool:
        return self.level in ("ok", "info")

    def text(self) -> str:
        return "\n".join([self.message, *self.notes])


@dataclass(frozen=True)
class Settings:
    """The magic's settings the panel needs: the time budget and an endpoint override."""

    timeout: float = req.DEFAULT_TIMEOUT
    endpoint: str | None = None
    read_colab_secret: bool = False
    skip_colab_secret: bool = False  # --no-colab-secret: never read the Colab vault


def status(settings: Settings) -> Report:
    """The token setup now (no repo), through the same door as `%hfauth status`."""
    return req.run_check(
        req.CheckRequest(
            timeout=settings.timeout,
            endpoint=settings.endpoint,
            read_colab_secret=settings.read_colab_secret,
            skip_colab_secret=settings.skip_colab_secret,
        )
    )


def check_repo(settings: Settings, repo: str, repo_type: str, write: bool) -> Report:
    """`%hfauth check REPO [--type T] [--write]`; raises ValueError naming what is wrong with `repo`."""
    if req.looks_like_token(repo):
        raise ValueError("that looks like a token, not a repo id; paste tokens into the token box only")
    parsed_type, repo_id, revision = req.parse_repo_ref(repo, repo_type)
    return req.run_check(
        req.CheckRequest(
            repo_id=repo_id,
            repo_type=parsed_type,
            write=write,
            revision=revision,
            timeout=settings.timeout,
            endpoint=settings.endpoint,
            read_colab_secret=settings.read_colab_secret,
            skip_colab_secret=settings.skip_colab_secret,
        )
    )


# -- the token box ----------------------------------------------------------------------------------


def clean(raw: str) -> str | None:
    """The token as the installed library would read it from HF_TOKEN (fact T7), or None if empty."""
    from hfauth_nb.engine.library import clean_token

    return clean_token(raw)


def submit_token(raw: str, settings: Settings, *, validate: bool = True) -> Outcome:
    """Check `raw` with the Hub (unless `validate` is False), then make it this kernel's HF_TOKEN."""
    token = clean(raw)
    if token is None:
        return Outcome("error", "The token box was empty: nothing changed.")
    shown = mask(token)
    problems = _format_problems(raw, token)
    if validate:
        refusal = _validate(token, settings, shown, problems)
        if refusal is not None:
            return refusal
    session.use(token)
    report = status(settings)
    notes = [session.MEANING]
    blocker = hf_token_blocker(report)
    if blocker is not None:
        notes.insert(0, blocker)
    if not validate and problems:
        notes.insert(0, "Not checked with the Hub; the token looks wrong: " + "; ".join(problems) + ".")
    owner = _owner(report)
    level: Level = "warning" if blocker or (not validate and problems) else "ok"
    checked = "" if validate else " (not checked with the Hub)"
    return Outcome(
        level, f"HF_TOKEN is set for this session to {shown}{owner}{checked}.", report, tuple(notes)
    )


def forget_token(settings: Settings) -> Outcome:
    """Forget the session token (restore or remove HF_TOKEN) and report the setup that is now in force."""
    forgotten = session.forget()
    level: Level = "ok" if forgotten.outcome in ("restored", "removed") else "info"
    report = status(settings) if forgotten.outcome != "none" else None
    return Outcome(level, forgotten.message, report)


def _format_problems(raw: str, token: str) -> list[str]:
    from hfauth_nb.engine.checks.tokens import token_format_problems

    return token_format_problems(raw, token)


def _validate(token: str, settings: Settings, shown: str | None, problems: Sequence[str]) -> Outcome | None:
    """None when the Hub accepts the token; otherwise the refusal to show (HF_TOKEN is left unchanged)."""
    from hfauth_nb.engine.hub import probe_hub
    from hfauth_nb.engine.library import load_library

    endpoint = redact_url((settings.endpoint or load_library().endpoint).rstrip("/"))
    answer = probe_hub(endpoint, [token], sent_token=None, repo_id=None, timeout=settings.timeout).whoami_for(
        token
    )
    hint = tuple(f"The token looks wrong: {p}." for p in problems)
    if answer is not None and answer.valid:
        return None
    if answer is not None and answer.valid is False:
        return Outcome(
            "error",
            f"The Hub at {endpoint} rejected {shown} (401: revoked, expired or mistyped). HF_TOKEN was not changed.",
            notes=hint,
        )
    return Outcome(
        "error",
        f"Could not check {shown} with the Hub at {endpoint}: {_why_unchecked(answer, token)}. "
        "HF_TOKEN was not changed; untick “Check with the Hub first” to use it anyway.",
        notes=hint,
    )


def _why_unchecked(answer: object, token: str) -> str:
    http = getattr(answer, "http", None)
    if http is None:
        return "no answer"
    if http.status is not None:
        return f"the Hub answered HTTP {http.status}"
    return scrub(f"{http.error_kind or 'error'}: {http.error or 'no details'}", [token])


def _owner(report: Report) -> str:
    token = report.token
    if token.source != session.VARIABLE or not token.user:
        return ""
    return f" (user {token.user}" + (f", role {token.role})" if token.role else ")")


# -- where HF_TOKEN cannot win ---------------------------------------------------------------------


def hf_token_blocker(report: Report) -> str | None:
    """Why the HF_TOKEN variable is not the token the installed library uses, in plain words (or None)."""
    if report.token.source == session.VARIABLE:
        return None
    order = [str(kind) for kind in report.environment.get("token_order") or ()]
    version = report.environment.get("huggingface_hub") or "?"
    before_env = order[: order.index("env")] if "env" in order else order
    if "oidc" in before_env and os.environ.get("HF_OIDC_RESOURCE"):
        return (
            f"HF_TOKEN does not count here: HF_OIDC_RESOURCE is set, so huggingface_hub {version} exchanges an "
            "OIDC token and uses it before HF_TOKEN (in this kernel and in ! commands). "
            'Run os.environ.pop("HF_OIDC_RESOURCE") for HF_TOKEN to be used.'
        )
    if "colab" in before_env:
        colab = next((row for row in report.sources if row.name == "Colab secret"), None)
        subject = (
            f"the Colab secret HF_TOKEN ({colab.masked})"
            if colab is not None and colab.present
            else "a Colab secret named HF_TOKEN, if this notebook has access to one,"
        )
        return (
            f"huggingface_hub {version} uses {subject} before the HF_TOKEN variable, so Python code in this "
            "kernel may keep using the secret; ! commands (which cannot read Colab secrets) use the session "
            "token. huggingface_hub 1.19 and later use HF_TOKEN first."
        )
    if report.token.source:
        return f"HF_TOKEN is set, but huggingface_hub {version} uses {report.token.source} instead."
    return None
