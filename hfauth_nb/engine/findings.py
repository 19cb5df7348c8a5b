"""The finding catalogue: one spec per id, the only place a cause is declared.

A spec says where the id ranks (a report lists findings most blocking first, and the verdict names the first),
whether several checks may raise it and only the strongest stays, which kind of automatic fix removes its cause,
and what it means in one line. The rank order, the keep-strongest set, the fixable set and the README's table are
all derived from `CATALOGUE`; adding a cause is one spec here plus the check that builds it.

    python -m hfauth_nb.engine.findings --write        # rewrite README.md's table and docs/findings.md
    python -m hfauth_nb.engine.findings                # print the README's table (--reference: docs/findings.md's)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Keep = Literal["all", "strongest"]
Fixer = Literal["netrc", "env", "git"]
Area = Literal[
    "token",
    "sources",
    "login",
    "hub",
    "netrc",
    "git",
    "credentials",
    "permission",
    "repo",
    "services",
    "environment",
    "notebook",
]

AREAS: dict[Area, str] = {
    "token": "where the token comes from, and whether the Hub accepts it",
    "sources": "other places a token sits, and whether the one that wins is the right one",
    "login": "Colab secrets, CI (OIDC) tokens, browser (OAuth) logins",
    "hub": "reaching the Hub",
    "netrc": "netrc entries that libraries and tools send instead of your token",
    "git": "what git and git-lfs send to the Hub",
    "credentials": "credentials other tools send instead of your token",
    "permission": "what the token may do",
    "repo": "the repo",
    "services": "Hugging Face services called with the token: Inference Providers, Xet storage, Spaces, ZeroGPU",
    "environment": "the environment: endpoint, offline mode, implicit token, library version",
    "notebook": "the notebook and its front end",
}


@dataclass(frozen=True)
class FindingSpec:
    """Everything about one finding id that is not decided by the facts of a single diagnosis."""

    id: str
    area: Area
    summary: str
    keep: Keep = "all"  # "strongest": several checks may raise it; the most severe one stays
    fixer: Fixer | None = (
        None  # the automatic fix that removes exactly its cause (None: the fix steps are manual)
    )

    @property
    def anchor(self) -> str:
        """Where the docs describe it (docs/findings.md is generated from this catalogue)."""
        return f"docs/findings.md#{self.id}"


# Most blocking first. Within one severity a report lists findings in this order and the verdict names the first:
# a cause that stops every request (offline, unreachable Hub, a token the Hub rejects) outranks one that only
# matters for this repo.
CATALOGUE: tuple[FindingSpec, ...] = (
    FindingSpec(
        "offline-mode",
        "environment",
        "`HF_HUB_OFFLINE` (or `TRANSFORMERS_OFFLINE`) is set; nothing reaches the Hub",
    ),
    FindingSpec("hub-unreachable", "hub", "DNS, connection, proxy, TLS or timeout failure, each named"),
    FindingSpec(
        "xet-unreachable",
        "services",
        "the Xet storage host could not be reached (network), after the Hub accepted the token",
    ),
    FindingSpec(
        "oidc-token-active",
        "login",
        "`HF_OIDC_RESOURCE` is set: an exchanged CI token takes precedence over everything",
    ),
    FindingSpec("token-file-unreadable", "token", "the token file exists but this process cannot read it"),
    FindingSpec(
        "token-malformed",
        "token",
        "the token has quotes, inner whitespace, non-ASCII, a wrong prefix or a truncated length",
    ),
    FindingSpec(
        "netrc-overrides-token",
        "netrc",
        "a netrc entry replaces the token in what the installed library sends",
        fixer="netrc",
    ),
    FindingSpec(
        "token-shadowed",
        "sources",
        "sources hold different tokens and the one that wins is not the valid or the newest one",
        keep="strongest",
        fixer="env",
    ),
    FindingSpec(
        "xet-renewal-refused",
        "services",
        "the Hub refused your token when hf_xet renewed its Xet token mid-download: revoked, rotated or expired",
    ),
    FindingSpec(
        "passed-token-rejected",
        "token",
        "the token passed to the failing call (token=...) is rejected by the Hub; the local one was not used",
    ),
    FindingSpec(
        "token-invalid",
        "token",
        "the Hub rejects the effective token (revoked, expired, mistyped); names its source",
        fixer="env",
    ),
    FindingSpec(
        "oauth-token-expired", "login", "the stored OAuth login has expired and could not be refreshed"
    ),
    FindingSpec(
        "colab-secret-shadowed",
        "login",
        "the Colab secret and the environment/file token differ, and the installed version picks the other",
    ),
    FindingSpec(
        "colab-secret-not-granted",
        "login",
        "Colab holds an `HF_TOKEN` secret this notebook was not granted access to",
    ),
    FindingSpec(
        "xet-storage-refused",
        "services",
        "the Xet storage host refused hf_xet's short-lived token: never the Hub token; names hf_xet's version",
    ),
    FindingSpec(
        "space-admin-oauth-refused",
        "services",
        "a Space admin route (restart, sleep time, hardware) refused a browser (OAuth) login",
    ),
    FindingSpec(
        "space-host-refused",
        "services",
        "a Space host refused gradio_client: private Space, token missing or from another account",
    ),
    FindingSpec(
        "space-lookup-refused",
        "services",
        "gradio_client's Client could not look the Space up on the Hub: no token sent, or its account has no access",
    ),
    FindingSpec(
        "zerogpu-anonymous", "services", "a ZeroGPU quota error asks to sign up: the Space saw no token"
    ),
    FindingSpec(
        "space-not-running",
        "services",
        "gradio_client refused a Space that is paused or failed to build or run: not a token problem",
    ),
    FindingSpec("rate-limited", "hub", "the Hub answered 429"),
    FindingSpec(
        "implicit-token-disabled",
        "environment",
        "`HF_HUB_DISABLE_IMPLICIT_TOKEN` is set; library calls send no token unless passed one",
        keep="strongest",
    ),
    FindingSpec("no-token", "token", "no token from any source", keep="strongest"),
    FindingSpec(
        "endpoint-changed-after-import",
        "environment",
        "`HF_ENDPOINT` differs from the endpoint huggingface_hub read when it was imported",
    ),
    FindingSpec(
        "inference-host-retired",
        "services",
        "an inference call went to the retired host api-inference.huggingface.co (410): an old library or URL",
    ),
    FindingSpec(
        "inference-no-token",
        "services",
        'an Inference Providers call carried no token (401 "Invalid username or password." or refused locally)',
    ),
    FindingSpec(
        "inference-token-rejected", "services", "Inference Providers rejected the token the call sent (401)"
    ),
    FindingSpec(
        "inference-permission-missing",
        "services",
        'a fine-grained token lacks "Make calls to Inference Providers" (403), for the user or the billed org',
    ),
    FindingSpec(
        "inference-permission-unknown",
        "services",
        "whoami cannot tell whether the token may call Inference Providers (an OAuth login shows no scopes)",
    ),
    FindingSpec("inference-no-credits", "services", "Inference Providers answered 402: no credits left"),
    FindingSpec(
        "inference-model-not-served",
        "services",
        "no Inference Provider serves the model (404), not a token problem",
    ),
    FindingSpec("repo-disabled", "repo", "the repo has been disabled"),
    FindingSpec("repo-type-mismatch", "repo", "the id exists as another repo type (dataset or space)"),
    FindingSpec(
        "passed-token-no-access",
        "permission",
        "the token passed to the failing call (token=...) may not read or write the repo",
    ),
    FindingSpec(
        "repo-not-found", "repo", "the repo does not exist, or is private and this token cannot see it"
    ),
    FindingSpec("gated-rejected", "repo", "gated repo; the request was rejected"),
    FindingSpec("gated-pending", "repo", "gated repo; the request awaits the authors' review"),
    FindingSpec("gated-not-requested", "repo", "gated repo; access not requested, terms not accepted"),
    FindingSpec("fine-grained-no-gated", "permission", "a fine-grained token lacks access to gated repos"),
    FindingSpec(
        "fine-grained-scope-missing",
        "permission",
        "a fine-grained token lacks the permission this repo or namespace needs",
        keep="strongest",
    ),
    FindingSpec("token-read-only", "permission", "write was asked and the token's role is read"),
    FindingSpec(
        "namespace-not-owned",
        "permission",
        "writing under a namespace that is neither the user nor one of their organizations",
    ),
    FindingSpec(
        "org-role-insufficient",
        "permission",
        "writing to an organization repo where the user's role does not allow it",
    ),
    FindingSpec(
        "access-denied",
        "permission",
        "a 403 that matches none of the known causes; the report quotes the Hub's message",
    ),
    FindingSpec(
        "git-credential-stale",
        "git",
        "git's credential helper returns another token for the Hub host, or one the Hub rejects",
        fixer="git",
    ),
    FindingSpec("netrc-unusable", "netrc", "the netrc file cannot be parsed or has unsafe permissions"),
    FindingSpec(
        "netrc-entry",
        "netrc",
        "a netrc entry for the Hub host that git, git-lfs and other tools send",
        fixer="netrc",
    ),
    FindingSpec(
        "legacy-env-var",
        "sources",
        "`HUGGING_FACE_HUB_TOKEN` is set (deprecated), above all when it differs from `HF_TOKEN`",
        fixer="env",
    ),
    FindingSpec(
        "env-var-misnamed",
        "sources",
        "a token sits in a variable no Hub client reads (`HUGGINGFACEHUB_API_TOKEN`, ...)",
    ),
    FindingSpec(
        "colab-secret-kernel-only",
        "login",
        "in Colab the secret reaches this kernel only: `!hf ...` and other subprocesses see no token",
    ),
    FindingSpec(
        "endpoint-custom",
        "environment",
        "`HF_ENDPOINT` points away from huggingface.co; tokens from one host do not work on another",
    ),
    FindingSpec(
        "library-outdated",
        "environment",
        "the installed huggingface_hub is old enough to matter for the diagnosis",
    ),
    FindingSpec(
        "git-credential-missing",
        "git",
        "git over https to the Hub would prompt: no credential stored",
        fixer="git",
    ),
    FindingSpec(
        "oauth-permissions-unknown",
        "services",
        "a browser (OAuth) login: whoami shows no role or scopes, so its permissions cannot be read",
    ),
    FindingSpec("token-leaked", "notebook", "a token string was found in notebook cells, outputs or history"),
    FindingSpec(
        "widget-frontend-missing", "notebook", "widgets cannot render here; says what to use instead"
    ),
    FindingSpec(
        "passed-token-used",
        "token",
        "the failing call passed its own token (token=...), not the one this kernel resolves",
    ),
    FindingSpec("access-ok", "repo", "the effective token can do what was asked on the target repo"),
    FindingSpec(
        "inference-allowed",
        "services",
        "whoami says the token may call Inference Providers (`check --inference`; credits are not readable)",
    ),
)

SPECS: dict[str, FindingSpec] = {spec.id: spec for spec in CATALOGUE}
FINDING_IDS: tuple[str, ...] = tuple(SPECS)
RANK: dict[str, int] = {spec.id: rank for rank, spec in enumerate(CATALOGUE)}
KEEP_STRONGEST: frozenset[str] = frozenset(spec.id for spec in CATALOGUE if spec.keep == "strongest")
FIXABLE: frozenset[str] = frozenset(spec.id for spec in CATALOGUE if spec.fixer is not None)
ALL_CLEAR = "access-ok"  # the one id that says nothing is wrong; the verdict falls back to it


def spec(finding_id: str) -> FindingSpec:
    """The spec of a known id (KeyError names an unknown one)."""
    return SPECS[finding_id]


def readme_table() -> str:
    """The README's table of finding ids, grouped by area in catalogue order."""
    lines = ["| ids | cause |", "| --- | --- |"]
    for area, meaning in AREAS.items():
        ids = [f"`{s.id}`" for s in CATALOGUE if s.area == area]
        if ids:
            lines.append(f"| {', '.join(ids)} | {meaning} |")
    return "\n".join(lines)


def reference_table() -> str:
    """One row per id with its meaning and whether `hfauth fix` removes its cause (docs/findings.md)."""
    lines = ["| id | meaning | `hfauth fix` |", "| --- | --- | --- |"]
    for s in CATALOGUE:
        fix = f"removes the {_FIXER_WORDS[s.fixer]}" if s.fixer else ""
        lines.append(f'| <a id="{s.id}"></a>`{s.id}` | {s.summary} | {fix} |')
    return "\n".join(lines)


_FIXER_WORDS: dict[Fixer, str] = {
    "netrc": "netrc entry (backup kept)",
    "env": "variable (this kernel; shell lines from the CLI)",
    "git": "git credential (or stores the current token)",
}


_REFERENCE_HEAD = """# Finding ids

Generated from `hfauth_nb/engine/findings.py` (`python -m hfauth_nb.engine.findings --write`); most blocking
first, the order a report lists them in. Severity depends on the request (see the README).

"""


def write_docs(root: str) -> None:
    """Rewrite the README's table (the lines after its marker comment) and docs/findings.md from the catalogue."""
    from pathlib import Path

    readme = Path(root, "README.md")
    lines = readme.read_text(encoding="utf-8").split("\n")
    start = next(n for n, line in enumerate(lines) if line.startswith("<!-- findings table: generated")) + 1
    end = next(n for n in range(start, len(lines)) if not lines[n].startswith("|"))
    readme.write_text("\n".join([*lines[:start], readme_table(), *lines[end:]]), encoding="utf-8")
    Path(root, "docs", "findings.md").write_text(_REFERENCE_HEAD + reference_table() + "\n", encoding="utf-8")


if __name__ == "__main__":
    import sys

    if sys.argv[1:2] == ["--write"]:
        write_docs(sys.argv[2] if len(sys.argv) > 2 else ".")
    else:
        print(reference_table() if sys.argv[1:] == ["--reference"] else readme_table())
