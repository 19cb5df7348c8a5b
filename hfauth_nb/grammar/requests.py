"""The requests both front ends parse their words into: typed, frozen, and one door to the engine.

A check asked from a terminal and one asked from a notebook become the same `CheckRequest`, so they cannot drift
apart. `run_check` is the single indirection to the engine (front ends and their tests go through it), imported
lazily so that parsing never pulls in huggingface_hub.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Union

if TYPE_CHECKING:
    from hfauth_nb.engine.report import Report

OutputFormat = Literal["text", "json", "markdown"]
GitAction = Literal["auto", "replace", "remove"]
DEFAULT_TIMEOUT = 5.0


@dataclass(frozen=True)
class DiagnosisOptions:
    """What every request that runs a diagnosis carries: time budget, endpoint override, --debug, and the Colab
    secret switches (--colab-secret: read it even when another source wins; --no-colab-secret: never read it)."""

    timeout: float = DEFAULT_TIMEOUT
    endpoint: str | None = None
    debug: bool = False
    read_colab_secret: bool = False
    skip_colab_secret: bool = False

    def engine_options(self) -> dict[str, Any]:
        """The keywords every engine entry point takes: time budget, endpoint, the Colab secret switches."""
        return {
            "timeout": self.timeout,
            "endpoint": self.endpoint,
            "read_colab_secret": self.read_colab_secret,
            "skip_colab_secret": self.skip_colab_secret,
        }


@dataclass(frozen=True)
class CheckRequest(DiagnosisOptions):
    """`check`: can the effective token do what is asked on this repo (or, without a repo, at all)?"""

    repo_id: str | None = None
    repo_type: str = "model"
    write: bool = False
    revision: str | None = None
    output: OutputFormat = "text"
    inference: bool = False  # also answer "may this token call Inference Providers?" (from whoami alone)
    bill_to: str | None = None  # the org inference calls would be billed to (`bill_to=`, X-HF-Bill-To)
    verbose: bool = False  # -v: every finding with its evidence, not only the checklist


@dataclass(frozen=True)
class StatusRequest(DiagnosisOptions):
    """`status`: the token setup on its own, with no repo in view."""

    output: OutputFormat = "text"
    verbose: bool = False


@dataclass(frozen=True)
class PanelRequest(DiagnosisOptions):
    """`%hfauth` / `%hfauth panel` (magic only): the interactive panel (the text report without widgets)."""


@dataclass(frozen=True)
class DemoRequest:
    """`hfauth demo` (CLI only): real failure modes diagnosed against the bundled simulated Hub."""


@dataclass(frozen=True)
class LoginRequest(DiagnosisOptions):
    """`%hfauth login` (magic only): a session-only HF_TOKEN, from the panel's box or a hidden prompt."""

    prompt: bool = False
    check: bool = True


@dataclass(frozen=True)
class LogoutRequest(DiagnosisOptions):
    """`%hfauth logout` (magic only): forget the session token, restoring HF_TOKEN's previous value."""


@dataclass(frozen=True)
class FixRequest:
    """`fix FINDING_ID`: remove exactly the cause one finding names, showing the change first.

    `dry_run` only shows it; `yes` skips the confirmation; `git_action` chooses, for git credentials, to
    replace the stored token with the effective one or to remove it; `undo` (magic only) restores the
    environment the last fix changed in this kernel.
    """

    finding_id: str = ""
    dry_run: bool = False
    yes: bool = False
    git_action: GitAction = "auto"
    undo: bool = False
    timeout: float = DEFAULT_TIMEOUT
    endpoint: str | None = None
    debug: bool = False


@dataclass(frozen=True)
class ScanRequest:
    """`scan [PATH ...]`: look for Hub tokens saved in files, notebooks (cells, outputs, widget state) and
    IPython history; without PATH, the CLI scans this directory and the history databases, the magic this
    notebook, the kernel's In/Out and its history."""

    paths: tuple[str, ...] = ()
    output: OutputFormat = "text"
    endpoint: str | None = None
    debug: bool = False


@dataclass(frozen=True)
class PreflightRequest(DiagnosisOptions):
    """`preflight PATH ...`: every Hub repo the code in these notebooks and scripts will touch, checked at once;
    without PATH (magic only), the notebook this kernel runs, when the front end makes it knowable."""

    paths: tuple[str, ...] = ()
    output: OutputFormat = "text"


@dataclass(frozen=True)
class WhyRequest:
    """`%hfauth why` (magic only): diagnose the Hub request inside the last exception of this kernel."""

    timeout: float = DEFAULT_TIMEOUT
    output: OutputFormat = "text"
    debug: bool = False
    verbose: bool = False  # -v: every finding with its evidence, not only the checklist


@dataclass(frozen=True)
class WatchRequest:
    """`%hfauth watch on|off` (magic only): diagnose below every cell that fails with a Hub auth error."""

    on: bool = True


@dataclass(frozen=True)
class AutoloadRequest:
    """`autoload`: print the lines that load the extension in every session (nothing is edited)."""


Request = Union[
    CheckRequest,
    StatusRequest,
    PanelRequest,
    DemoRequest,
    LoginRequest,
    LogoutRequest,
    FixRequest,
    ScanRequest,
    PreflightRequest,
    WhyRequest,
    WatchRequest,
    AutoloadRequest,
]


def to_check(
    request: CheckRequest | StatusRequest | PanelRequest | LoginRequest | LogoutRequest,
) -> CheckRequest:
    """The engine call every request comes down to: status and panel are checks without a repo."""
    if isinstance(request, CheckRequest):
        return request
    output: OutputFormat = request.output if isinstance(request, StatusRequest) else "text"
    return CheckRequest(
        timeout=request.timeout,
        output=output,
        verbose=isinstance(request, StatusRequest) and request.verbose,
        endpoint=request.endpoint,
        debug=request.debug,
        read_colab_secret=request.read_colab_secret,
        skip_colab_secret=request.skip_colab_secret,
    )


def run_check(request: CheckRequest) -> Report:
    """Run the engine for `request`; the single indirection front ends (and their tests) go through."""
    from hfauth_nb.engine.diagnose import diagnose
    from hfauth_nb.engine.inference_call import InferenceCall

    question = (
        InferenceCall("question", None, request.repo_id, bill_to=request.bill_to)
        if request.inference
        else None
    )
    return diagnose(
        request.repo_id,
        repo_type=request.repo_type,
        write=request.write,
        revision=request.revision,
        inference=question,
        **request.engine_options(),
    )
