"""Gated repos: gated-not-requested, gated-pending, gated-rejected, fine-grained-no-gated, and no-token whose
severity depends on the request."""

from __future__ import annotations

from typing import Any

from factories import (
    VALID,
    Case,
    colab_read,
    colab_source,
    context,
    gate_denial,
    hub_error,
    library,
    metadata,
    row,
    runtime_facts,
    table,
    token_facts,
    whoami_ok,
)

from hfauth_nb.engine.checks import repo, tokens
from hfauth_nb.engine.context import Context

GATED_META = metadata(gated="manual")
NO_TOKEN = token_facts(hf_token=None)
FINE_NO_GATED = whoami_ok(role="fineGrained", can_read_gated=False, global_permissions=["repo.content.read"])


def gated(state: Any, repo: str = "alice/demo-model", **kwargs: Any) -> Context:
    """A repo gated by hand (manual), outside the user's namespace unless `repo` says otherwise."""
    kwargs.setdefault("meta", metadata(repo, gated="manual"))
    return context(repo=repo, auth=gate_denial(state, repo), **kwargs)


GATED = [
    row("accepted: access-ok", context(meta=GATED_META), [("access-ok", "ok")]),
    row(
        "never asked: gated-not-requested",
        gated("not-requested"),
        [("gated-not-requested", "error")],
        evidence={"X-Error-Code": "GatedRepo", "gated": "manual"},
        fix="https://huggingface.co/alice/demo-model",
    ),
    row(
        "request pending: gated-pending",
        gated("pending"),
        [("gated-pending", "error")],
        evidence={"status": 403},
    ),
    row("request rejected: gated-rejected", gated("rejected"), [("gated-rejected", "error")]),
    row(
        "'rejected' in the repo id does not make a rejection",
        gated("not-requested", repo="acme/rejected-samples"),
        [("gated-not-requested", "error")],
    ),
    row(
        "an auto-approved gate: the mode is evidence",
        gated("not-requested", meta=metadata(gated="auto")),
        [("gated-not-requested", "error")],
        evidence={"gated": "auto"},
    ),
    row(
        "no token: no-token is an error here",
        gated("anonymous", tokens=NO_TOKEN),
        [("no-token", "error")],
        fix="hf auth login",
    ),
    row(
        "a token, but implicit tokens disabled: implicit-token-disabled is the cause",
        gated("anonymous", lib=library(implicit_token_disabled=True)),
        [("implicit-token-disabled", "error")],
    ),
    row(
        "no token while Colab has not handed over the secret: colab-secret-not-granted, not no-token",
        gated(
            "anonymous",
            lib=library(is_colab=True),
            runtime=runtime_facts("colab"),
            tokens=token_facts(
                hf_token=None,
                colab=colab_source(state="unset"),
                vault=colab_read("not-granted"),
                blocked="vault",
            ),
        ),
        [("colab-secret-not-granted", "error")],
    ),
    row(
        "fine-grained token without gated access, terms accepted: fine-grained-no-gated",
        gated("fine-grained", whoami={VALID: FINE_NO_GATED}),
        [("fine-grained-no-gated", "error")],
        evidence={"X-Error-Message": gate_denial("fine-grained").error_message},
        fix="/settings/tokens",
    ),
    row(
        "fine-grained without gated access and never asked: both",
        gated("not-requested", whoami={VALID: FINE_NO_GATED}),
        [("gated-not-requested", "error"), ("fine-grained-no-gated", "warning")],
    ),
    row(
        "a bare 403 on a gated repo for a fine-grained token without gated access",
        context(auth=hub_error(403, "Forbidden"), meta=GATED_META, whoami={VALID: FINE_NO_GATED}),
        [("fine-grained-no-gated", "error")],
    ),
    row(
        "a bare 403 on a repo that is not gated, same token: access-denied",
        context(auth=hub_error(403, "Forbidden"), whoami={VALID: FINE_NO_GATED}),
        [("access-denied", "error")],
    ),
    row(
        "a fine-grained token allowed gated repos, never asked: only gated-not-requested",
        gated("not-requested", whoami={VALID: whoami_ok(role="fineGrained", can_read_gated=True)}),
        [("gated-not-requested", "error")],
    ),
]


@table(GATED)
def test_gated(case: Case) -> None:
    case.verify(repo.check_repo)


NO_TOKEN_BY_REQUEST = [
    row("token alone: info", context(tokens=NO_TOKEN, repo=None), [("no-token", "info")]),
    row("a public repo: info", context(tokens=NO_TOKEN), [("no-token", "info")]),
    row("a gated repo: an error", gated("anonymous", tokens=NO_TOKEN), [("no-token", "error")]),
]


@table(NO_TOKEN_BY_REQUEST)
def test_no_token_severity_follows_the_request(case: Case) -> None:
    """The same missing token: info for the token alone or a public repo, an error for a gated repo."""
    case.verify(
        lambda ctx: [
            *tokens.check_no_token_hub(ctx),
            *(f for f in repo.check_repo(ctx) if f.id == "no-token"),
        ]
    )
