"""The Colab secret: colab-secret-shadowed, colab-secret-kernel-only, colab-secret-not-granted."""

from __future__ import annotations

from typing import Any

from factories import (
    OTHER,
    REQUESTS_ERA,
    VALID,
    Case,
    colab_read,
    colab_source,
    library,
    library_order,
    local_only,
    row,
    runtime_facts,
    table,
    token_facts,
)

from hfauth_nb.engine.checks import colab as checks
from hfauth_nb.engine.context import Context

IN_COLAB = runtime_facts("colab")
OLD_ORDER = library_order(REQUESTS_ERA)  # the Colab secret first (up to 1.18)


def colab(**tokens: Any) -> Context:
    return local_only(tokens=token_facts(**tokens), lib=library(is_colab=True), runtime=IN_COLAB)


def old_colab(**tokens: Any) -> Context:
    return local_only(
        tokens=token_facts(order=OLD_ORDER, **tokens),
        lib=library(REQUESTS_ERA, is_colab=True),
        runtime=IN_COLAB,
    )


SHADOWED_OR_KERNEL = [
    row("not Colab: silent", local_only(), []),
    row("the secret holds the same token as HF_TOKEN: silent", colab(colab=colab_source(VALID)), []),
    row("the secret alone: silent", colab(hf_token=None, colab=colab_source(VALID)), []),
    row(
        "secret and HF_TOKEN differ on 1.27: HF_TOKEN wins, warning",
        colab(colab=colab_source(OTHER)),
        [("colab-secret-shadowed", "warning")],
        evidence={"winner": "HF_TOKEN"},
    ),
    row(
        "secret and HF_TOKEN differ on 0.36: the secret wins, warning",
        old_colab(colab=colab_source(OTHER)),
        [("colab-secret-shadowed", "warning")],
        evidence={"winner": "Colab secret"},
        fix="remove the HF_TOKEN environment variable",
    ),
    row(
        "secret and the token file differ on 1.27: the file wins",
        colab(hf_token=None, file=OTHER, colab=colab_source(VALID)),
        [("colab-secret-shadowed", "warning")],
        evidence={"winner": "token file"},
    ),
    row(
        "a terminal beside the Colab kernel, no token: warning",
        local_only(tokens=token_facts(hf_token=None), runtime=runtime_facts("colab", in_kernel=False)),
        [("colab-secret-kernel-only", "warning")],
        evidence={"runtime": "colab"},
        fix='userdata.get("HF_TOKEN")',
    ),
    row(
        "a terminal beside the Colab kernel with HF_TOKEN exported: info",
        local_only(runtime=runtime_facts("colab", in_kernel=False)),
        [("colab-secret-kernel-only", "info")],
    ),
]


@table(SHADOWED_OR_KERNEL)
def test_colab(case: Case) -> None:
    case.verify(checks.check_colab)


NOT_GRANTED = [
    row("vault not read: silent", colab(), []),
    row("secret read: silent", colab(hf_token=None, vault=colab_read("granted", VALID)), []),
    row("no secret in the notebook: left to no-token", colab(hf_token=None, vault=colab_read("missing")), []),
    row(
        "access refused and no other token: error",
        colab(hf_token=None, vault=colab_read("not-granted")),
        [("colab-secret-not-granted", "error")],
        evidence={"vault": "not-granted"},
        fix="Notebook access",
    ),
    row(
        "access refused but HF_TOKEN works: warning",
        colab(vault=colab_read("not-granted")),
        [("colab-secret-not-granted", "warning")],
    ),
    row(
        "no answer and the library's next call waits for it: error",
        colab(hf_token=None, vault=colab_read("timeout", waited=2.5), colab_reached=True),
        [("colab-secret-not-granted", "error")],
        evidence={"vault": "timeout", "waited (s)": 2.5},
        fix="Grant access",
    ),
    row(
        "no answer but another source wins: warning",
        colab(vault=colab_read("timeout", waited=2.5), colab_reached=False),
        [("colab-secret-not-granted", "warning")],
    ),
    row(
        "outside the Colab UI, no token: error",
        colab(hf_token=None, vault=colab_read("no-ui")),
        [("colab-secret-not-granted", "error")],
        evidence={"vault": "no-ui"},
    ),
    row(
        "Colab answered with an error beside HF_TOKEN: warning",
        colab(vault=colab_read("error")),
        [("colab-secret-not-granted", "warning")],
    ),
    row(
        "granted now, but the library cached the earlier refusal: error, restart",
        colab(
            hf_token=None,
            colab=colab_source(state="unset"),
            vault=colab_read("granted", VALID),
            colab_via="library cache",
            colab_cache_empty=True,
        ),
        [("colab-secret-not-granted", "error")],
        evidence={"library cache": "no secret"},
        fix="Restart session",
    ),
]


@table(NOT_GRANTED)
def test_colab_secret_not_granted(case: Case) -> None:
    case.verify(checks.check_colab_secret_not_granted)
