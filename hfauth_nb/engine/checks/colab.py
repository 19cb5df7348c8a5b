"""Checks on Colab's HF_TOKEN secret: not handed over, shadowed by another source, or out of reach."""

from __future__ import annotations

from hfauth_nb.engine.context import Context
from hfauth_nb.engine.report import Finding


def check_colab_secret_not_granted(ctx: Context) -> list[Finding]:
    """Colab did not hand over the HF_TOKEN secret: refused, no answer, no Colab UI, or an earlier refusal cached."""
    tokens = ctx.facts.tokens
    vault = tokens.vault
    if vault is None:
        return []
    no_token = ctx.effective is None and not ctx.oidc_wins
    restart = "Runtime > Restart session, then run your cells again"
    grant = "Colab: key icon (Secrets) > switch on 'Notebook access' for HF_TOKEN"
    version = ctx.facts.library.version
    evidence = {"vault": vault.outcome, "read by": "hfauth, now", "detail": vault.detail}
    if vault.outcome == "not-granted":
        return [
            Finding(
                id="colab-secret-not-granted",
                severity="error" if no_token else "warning",
                title="Colab holds an HF_TOKEN secret, but this notebook was not granted access to it.",
                detail=f"huggingface_hub {version} asks for the secret once per session, gets nothing after "
                "a refusal and remembers that until the session restarts.",
                fix=(grant, restart),
                evidence=evidence,
            )
        ]
    if vault.outcome == "timeout":
        waits = tokens.colab_reached
        return [
            Finding(
                id="colab-secret-not-granted",
                severity="error" if waits else "warning",
                title=f"{vault.detail}: a grant-access popup may be waiting in the notebook."
                if ctx.facts.runtime.kind == "colab"
                else f"{vault.detail}.",
                detail="Colab answers secret requests only while the notebook is open in the Colab UI; "
                + (
                    f"huggingface_hub {version} reads the vault on its next call and waits for that answer too."
                    if waits
                    else f"huggingface_hub {version} does not need the secret here (another source wins)."
                ),
                fix=(
                    "Answer the popup in the Colab tab (Grant access), then run the check again",
                    "Not in the Colab UI (VS Code, colab CLI)? Set the token another way: "
                    "from huggingface_hub import login; login()",
                ),
                evidence={**evidence, "waited (s)": round(vault.waited, 1)},
            )
        ]
    if vault.outcome in ("no-ui", "error"):
        return [
            Finding(
                id="colab-secret-not-granted",
                severity="error" if no_token else "warning",
                title=f"Colab could not hand over the HF_TOKEN secret ({vault.detail}).",
                detail=f"huggingface_hub {version} then uses no Colab secret for the whole session (it warns "
                "once).",
                fix=(
                    "Open the notebook in the Colab UI, or set the token another way: "
                    "from huggingface_hub import login; login()",
                    restart,
                ),
                evidence=evidence,
            )
        ]
    if vault.outcome == "granted" and tokens.colab_cache_empty:
        return [
            Finding(
                id="colab-secret-not-granted",
                severity="error" if no_token else "warning",
                title="The HF_TOKEN secret is readable now, but huggingface_hub read the vault before "
                "access was granted and keeps using no secret until the session restarts.",
                detail="The library reads the Colab vault once per process and caches the answer, including "
                "a refusal.",
                fix=(restart,),
                evidence={**evidence, "library cache": "no secret"},
            )
        ]
    return []


def check_colab(ctx: Context) -> list[Finding]:
    facts = ctx.facts
    findings = []
    colab = facts.tokens.source("Colab secret")
    if colab is not None and colab.present:
        others = [s for s in ctx.present_sources if s.kind in ("env", "file") and s.value != colab.value]
        if others:
            winner = ctx.winner
            loser = others[0] if winner is colab else colab
            findings.append(
                Finding(
                    id="colab-secret-shadowed",
                    severity="warning",
                    title=f"The Colab secret and {ctx.source_label(others[0])} hold different tokens; "
                    f"huggingface_hub {facts.library.version} uses {ctx.source_label(winner)}.",
                    detail="Up to 1.18 the Colab secret wins over HF_TOKEN and login(); from 1.19 it is the "
                    "last resort.",
                    fix=(f"Make them the same token, or remove {ctx.source_label(loser)}.",),
                    evidence={"winner": winner.name if winner else None, "order": list(facts.library.order)},
                )
            )
    if facts.runtime.colab_markers and not facts.runtime.in_kernel:
        findings.append(
            Finding(
                id="colab-secret-kernel-only",
                severity="warning" if not ctx.has_token else "info",
                title="This runs outside the Colab kernel: the Colab secret HF_TOKEN is not visible here.",
                detail="Colab hands secrets to the notebook's Python kernel only; `!hf ...`, `!hfauth` and "
                "other subprocesses see no token unless HF_TOKEN is exported.",
                fix=(
                    "In a cell: from google.colab import userdata; import os; "
                    'os.environ["HF_TOKEN"] = userdata.get("HF_TOKEN")',
                    "or run the check in the kernel: %load_ext hfauth_nb then %hfauth check",
                ),
                evidence={"runtime": facts.runtime.kind},
            )
        )
    return findings
