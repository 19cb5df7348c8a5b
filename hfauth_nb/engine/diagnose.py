"""The engine's one entry point: gather facts, probe the Hub, run the checks, build the report."""

from __future__ import annotations

import math
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence

from hfauth_nb.engine.checks import checks_to_run
from hfauth_nb.engine.claims import get_token_raises, library_requests
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.facts import LocalFacts, gather_local_facts
from hfauth_nb.engine.findings import KEEP_STRONGEST
from hfauth_nb.engine.hub import HubFacts, fetch_repo_json, probe_hub, resolve_url
from hfauth_nb.engine.inference_call import InferenceCall
from hfauth_nb.engine.precedence import precedence_of
from hfauth_nb.engine.report import Finding, Report, SourceRow, Target, TokenSummary
from hfauth_nb.engine.service_failure import ServiceFailure
from hfauth_nb.engine.transport import Transport
from hfauth_nb.hub_refs import REPO_TYPES
from hfauth_nb.secrets import mask, mask_secret

_MIN_TIMEOUT = 0.1
# Of the budget, at most, for the Colab vault or an OAuth refresh; the rest for the Hub.
_LOCAL_WAIT_SHARE = 0.5
MAX_TIMEOUT = 600.0  # a budget beyond this is a typo (1e12), and thread waits overflow past ~1e9 s
_TARGETS_PER_CLIENT = 12  # about 7 requests each: under a client's 100 connections
_GIT_BUDGET = 2.0  # git asks a credential helper: it gets its own small budget, overlapping the Hub probes


def clamp_timeout(timeout: float) -> float:
    """The budget actually used: at least 0.1 s, at most MAX_TIMEOUT; NaN becomes the default 5 s."""
    value = float(timeout)
    if math.isnan(value):
        return 5.0
    return min(max(value, _MIN_TIMEOUT), MAX_TIMEOUT)


def diagnose(
    repo_id: str | None = None,
    *,
    repo_type: str = "model",
    write: bool = False,
    revision: str | None = None,
    timeout: float = 5.0,
    endpoint: str | None = None,
    read_colab_secret: bool = False,
    skip_colab_secret: bool = False,
    inference: InferenceCall | None = None,
    failure: ServiceFailure | None = None,
    call_token: str | None = None,
) -> Report:
    """Find why Hub requests from this process fail (or confirm they work), for one repo or for the token alone.

    Local facts are read without network of our own (the library may refresh a due login or exchange an OIDC id
    token, as its next call would); then every Hub probe is sent at once and the whole check returns within
    about `timeout` seconds, whatever the Hub does. `endpoint` overrides the library's endpoint.
    In a Colab kernel, Colab's HF_TOKEN secret is read when the installed library's next call would read it
    (Colab may ask the user to grant access); `read_colab_secret` reads it even when another source wins,
    `skip_colab_secret` never reads it. A browser login due for refresh is refreshed by the library itself.
    Each of these waits at most half of `timeout`. `inference`: the failed Inference Providers call to explain;
    `failure`: the service call (Xet storage, a Space route, ZeroGPU) `explain(exc)` found failing;
    `call_token`: the token the failing repo request carried (the user's `token=...`), judged beside the local one.
    """
    if repo_type not in REPO_TYPES:
        raise ValueError(f"repo_type must be one of {', '.join(REPO_TYPES)}, not {repo_type!r}")
    started = time.monotonic()
    timeout = clamp_timeout(timeout)
    facts = _gather(timeout, endpoint, read_colab_secret, skip_colab_secret)
    target = Target(
        repo_id=repo_id or None, repo_type=repo_type, write=write, revision=revision, endpoint=facts.endpoint
    )
    budget = max(timeout - (time.monotonic() - started), _MIN_TIMEOUT)
    sent = [inference.sent] if inference is not None and inference.sent else []
    sent += [failure.sent] if failure is not None and failure.sent and failure.sent not in sent else []
    sent += [call_token] if call_token and call_token not in sent else []
    xet_route = failure is not None and failure.kind.startswith("xet") and failure.kind != "xet-token-route"
    hub = _probe(facts, target, budget, also_whoami=sent, xet_route=xet_route, call_token=call_token)
    return _build_report(
        facts.with_git(), target, hub, started, inference=inference, failure=failure, call_token=call_token
    )


def _gather(
    timeout: float, endpoint: str | None, read_colab_secret: bool, skip_colab_secret: bool
) -> LocalFacts:
    """Local facts under the budget's local share; git is asked in the background while the Hub is probed."""
    return gather_local_facts(
        endpoint_override=endpoint,
        git_timeout=min(_GIT_BUDGET, timeout / 2),
        read_colab_secret=read_colab_secret,
        skip_colab_secret=skip_colab_secret,
        budget=timeout * _LOCAL_WAIT_SHARE,
        defer_git=True,
    )


def _probe(
    facts: LocalFacts,
    target: Target,
    timeout: float,
    client: Transport | None = None,
    also_whoami: Sequence[str] = (),
    xet_route: bool = False,
    call_token: str | None = None,
) -> HubFacts | None:
    """Ask the Hub, unless the library cannot (not installed, offline mode). `also_whoami`: tokens from no local
    source whose whoami matters (the one a failed inference or Space call carried); `xet_route`: also ask the
    repo's Xet token route (a failed Xet transfer is being explained); `call_token`: the token a failed repo call
    carried, whose access to the repo is asked too."""
    if not facts.library.installed or facts.library.offline or facts.endpoint_error is not None:
        return None
    ctx = Context(facts=facts, target=target)
    candidates = [s.value for s in facts.tokens.sources if s.value is not None]
    extra = [v for _, v in facts.tokens.misnamed]
    tokens = [t for t in [*candidates, *extra] if t]
    tokens += [t for t in also_whoami if t not in tokens]

    def git_token() -> list[str]:
        # git answers while the first probes are in flight; its token joins them then.
        password = facts.with_git().git.password
        return [password] if password else []

    return probe_hub(
        facts.endpoint,
        tokens,
        late_tokens=git_token,
        sent_token=ctx.sent,
        # With an OIDC exchange the library sends a token we do not have: probing without it would mislead.
        repo_id=None if ctx.oidc_wins else target.repo_id,
        repo_type=target.repo_type,
        write=target.write,
        revision=target.revision,
        other_tokens=[t for t in [*candidates, call_token] if t and t != ctx.sent],
        timeout=timeout,
        client=client,
        xet_route=xet_route,
    )


def _run_checks(ctx: Context) -> list[Finding]:
    # Some causes are reached by two checks (write_problems from check_repo and check_write_intent, the
    # colab-secret-not-granted finding from its check and from why_anonymous): the same (id, title) stays once.
    findings: list[Finding] = []
    seen: set[tuple[str, str]] = set()
    for check in checks_to_run(hub_asked=ctx.hub is not None):
        for finding in check(ctx):
            key = (finding.id, finding.title)
            if key not in seen:
                seen.add(key)
                findings.append(finding)
    return _keep_strongest_per_id(findings)


def _keep_strongest_per_id(findings: list[Finding]) -> list[Finding]:
    """One finding for each id the catalogue keeps strongest: the most severe wins (several checks may raise it)."""
    singletons = KEEP_STRONGEST
    best: dict[str, Finding] = {}
    for f in findings:
        if f.id in singletons and (f.id not in best or f.sort_key() < best[f.id].sort_key()):
            best[f.id] = f
    return [f for f in findings if f.id not in singletons or best[f.id] is f]


def _token_summary(ctx: Context) -> TokenSummary:
    winner = ctx.winner
    answer = ctx.whoami(ctx.effective)
    return TokenSummary(
        source=winner.name if winner else None,
        masked=mask(ctx.effective),
        user=answer.user if answer else None,
        role=answer.role if answer else None,
    )


def _source_rows(ctx: Context) -> list[SourceRow]:
    rows = []
    winner = ctx.winner
    for source in ctx.facts.tokens.sources:
        answer = ctx.whoami(source.value)
        rows.append(
            SourceRow(
                name=source.name,
                present=source.present,
                masked=mask(source.value),
                wins=source is winner,
                valid=answer.valid if answer else None,
                user=answer.user if answer else None,
                role=answer.role if answer else None,
                note=source.note or ("" if source.state in ("set", "unset") else source.state),
                unreadable=source.state == "unreadable",
            )
        )
    git = ctx.facts.git
    if git.password:
        answer = ctx.whoami(git.password)
        rows.append(
            SourceRow(
                name="git credential",
                present=True,
                masked=mask_secret(git.password),
                valid=answer.valid if answer else None,
                user=answer.user if answer else None,
                role=answer.role if answer else None,
                note="used by git and git-lfs only",
            )
        )
    for netrc_file, entry in ctx.facts.netrc.entries:
        rows.append(
            SourceRow(
                name=f"netrc ({netrc_file.path})",
                present=True,
                masked=mask_secret(entry.password),
                note="used by " + ", ".join(netrc_file.used_by),
            )
        )
    return rows


def _environment(ctx: Context, claims: dict[str, Any] | None = None) -> dict[str, Any]:
    facts = ctx.facts
    lib = facts.library
    return {
        "huggingface_hub": lib.version,
        "backend": lib.backend,
        "endpoint": facts.endpoint,
        "token_order": list(lib.order),
        "token_order_from": lib.order_from,
        "token_decided_by": facts.tokens.resolution.decided_by,
        "colab_secret": facts.tokens.colab_via or None,
        "oauth_login": _oauth_summary(facts),
        "token_path": lib.token_path,
        "runtime": facts.runtime.kind,
        "python": facts.runtime.python,
        "git": facts.git.version if facts.git.available else None,
        "git_helpers": list(facts.git.helpers),
        "offline": lib.offline,
        "implicit_token_disabled": lib.implicit_token_disabled,
        "hub_requests": ctx.hub.requests_sent if ctx.hub else 0,
        "hub_skipped": None
        if ctx.hub
        else (
            "offline mode"
            if lib.offline
            else "endpoint is not a URL"
            if facts.endpoint_error
            else "library missing"
            if not lib.installed
            else None
        ),
        "get_token_raises": get_token_raises(ctx),
        "library_requests": library_requests(ctx) if claims is None else claims,
    }


def _oauth_summary(facts: LocalFacts) -> dict[str, Any] | None:
    """The browser login in the token file and what huggingface_hub did with it during this check."""
    login = facts.tokens.oauth
    if login is None:
        return None
    return {
        "name": login.name,
        "expires_at": login.expires_at,
        "refresh": login.outcome,
        "new_expires_at": login.new_expires_at,
        "detail": login.detail,
    }


@dataclass(frozen=True)
class ManyReports:
    """`setup`: the token setup alone; `reports[i]` and `fetched[i]` for `targets[i]` of `diagnose_many`."""

    setup: Report
    reports: list[Report]
    fetched: list[Any]  # the parsed `fetch` file of each target (None: not asked, missing, refused, not JSON)


def diagnose_many(
    targets: Sequence[Target],
    *,
    timeout: float = 5.0,
    endpoint: str | None = None,
    read_colab_secret: bool = False,
    skip_colab_secret: bool = False,
    fetch: Callable[[Target], str | None] = lambda _target: None,
) -> ManyReports:
    """The token setup alone, then one report per target, from one reading of the local facts and one time budget.

    Every target's probes leave at once (whoami is shared: it leaves at most once per token); each report is what
    `diagnose()` would say for that target. `targets` give repo, type, write and revision; their endpoint becomes
    the one the library uses. `fetch(target)` names a small JSON file to read from that repo at the same time, with
    the token the library sends (an adapter's adapter_config.json, to follow it to its base model).
    """
    for target in targets:
        if target.repo_type not in REPO_TYPES:
            raise ValueError(f"repo_type must be one of {', '.join(REPO_TYPES)}, not {target.repo_type!r}")
    started = time.monotonic()
    timeout = clamp_timeout(timeout)
    facts = _gather(timeout, endpoint, read_colab_secret, skip_colab_secret)
    asked = [Target(endpoint=facts.endpoint), *(replace(t, endpoint=facts.endpoint) for t in targets)]
    remaining = max(timeout - (time.monotonic() - started), _MIN_TIMEOUT)
    sent = Context(facts=facts, target=asked[0]).sent
    can_fetch = facts.library.installed and not facts.library.offline and facts.endpoint_error is None

    def read(target: Target, client: Transport) -> Any:
        filename = fetch(target) if can_fetch and target.repo_id else None
        if filename is None or target.repo_id is None:
            return None
        url = resolve_url(facts.endpoint, target.repo_type, target.repo_id, target.revision, filename)
        return fetch_repo_json(client, url, sent, remaining)

    # Shared connection pools (setting one up, with its TLS context, is not cheap), each small enough that every
    # request of its targets is in flight at once (a client keeps at most 100 connections).
    clients = [Transport() for _ in range(0, len(asked), _TARGETS_PER_CLIENT)]
    client_of = [clients[n // _TARGETS_PER_CLIENT] for n in range(len(asked))]
    try:
        with ThreadPoolExecutor(
            max_workers=min(2 * len(asked), 64), thread_name_prefix="hfauth-target"
        ) as pool:
            probes = [pool.submit(_probe, facts, t, remaining, c) for t, c in zip(asked, client_of)]
            files = [pool.submit(read, t, c) for t, c in zip(asked[1:], client_of[1:])]
            hubs = [probe.result() for probe in probes]
            fetched = [item.result() for item in files]
    finally:
        for client in clients:
            threading.Thread(target=client.close, daemon=True).start()
    facts = facts.with_git()
    # What the library's calls carry depends on the local facts only: observed once for all targets.
    claims = library_requests(Context(facts=facts, target=asked[0]))
    reports = [_build_report(facts, target, hub, started, claims) for target, hub in zip(asked, hubs)]
    return ManyReports(setup=reports[0], reports=reports[1:], fetched=fetched)


def _build_report(
    facts: LocalFacts,
    target: Target,
    hub: HubFacts | None,
    started: float,
    claims: dict[str, Any] | None = None,
    inference: InferenceCall | None = None,
    failure: ServiceFailure | None = None,
    call_token: str | None = None,
) -> Report:
    ctx = Context(
        facts=facts, target=target, hub=hub, inference=inference, failure=failure, call_token=call_token
    )
    timings = dict(facts.timings)
    if hub is not None:
        timings["hub"] = hub.elapsed
    timings["total"] = time.monotonic() - started
    return Report(
        target=target,
        token=_token_summary(ctx),
        findings=_run_checks(ctx),
        sources=_source_rows(ctx),
        environment=_environment(ctx, claims),
        timings=timings,
        # The failed call's own tokens too: one passed to a client is in no local source, and a server may echo it.
        secrets=facts.secrets()
        | (inference.tokens if inference is not None else frozenset())
        | (failure.tokens if failure is not None else frozenset())
        | ({call_token} if call_token else frozenset()),
        precedence=precedence_of(facts.library, facts.tokens),
    )
