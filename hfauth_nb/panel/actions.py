"""What the panel's buttons and `%hfauth login`/`logout` do, without any widget: plain functions to test.

A submitted token is cleaned like the library cleans it, checked with one whoami (unless the user opts out),
then set as the session token (`hfauth_nb.session`). Every message is built from masked values only, and
the token is never stored here: after `submit_token` returns, `os.environ` holds the only copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Sequence

from hfauth_nb import session
from hfauth_nb.engine import api
from hfauth_nb.engine.report import Report, secrets_of
from hfauth_nb.grammar import requests as req
from hfauth_nb.grammar.parse import looks_like_token
from hfauth_nb.hub_refs import parse_repo_ref
from hfauth_nb.secrets import mask, redact_url, scrub

if TYPE_CHECKING:
    from hfauth_nb.targets.result import PreflightResult

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
    if looks_like_token(repo):
        raise ValueError("that looks like a token, not a repo id; paste tokens into the token box only")
    parsed_type, repo_id, revision = parse_repo_ref(repo, repo_type)
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
    return api.clean_token(raw)


def submit_token(raw: str, settings: Settings, *, validate: bool = True) -> Outcome:
    """Check `raw` with the Hub (unless `validate` is False), then make it this kernel's HF_TOKEN."""
    token = clean(raw)
    if token is None:
        return Outcome("error", "The token box was empty: nothing changed.")
    shown = mask(token)
    problems = api.token_format_problems(raw, token)
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


def _validate(token: str, settings: Settings, shown: str | None, problems: Sequence[str]) -> Outcome | None:
    """None when the Hub accepts the token; otherwise the refusal to show (HF_TOKEN is left unchanged)."""
    endpoint = redact_url((settings.endpoint or api.library_endpoint()).rstrip("/"))
    answer = api.whoami(endpoint, token, timeout=settings.timeout)
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
    """Why the HF_TOKEN variable is not the token the installed library uses, in plain words (or None).

    The engine judges it (`engine.precedence`); the panel only shows it."""
    return api.hf_token_blocker(report)


def preflight_this_notebook(settings: Settings, user_ns: Any) -> PreflightResult | str:
    """`%hfauth preflight` for the notebook the front end names; a sentence when it names none."""
    from hfauth_nb.targets.check import run_preflight
    from hfauth_nb.targets.locate import current_notebook

    found = current_notebook(user_ns)
    if isinstance(found, str):
        return found
    return run_preflight(
        located=found,
        timeout=settings.timeout,
        endpoint=settings.endpoint,
        read_colab_secret=settings.read_colab_secret,
        skip_colab_secret=settings.skip_colab_secret,
    )
