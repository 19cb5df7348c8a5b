"""Why a token cannot write (or read) here: its role, its fine-grained scopes, the namespace, the org role."""

from __future__ import annotations

from hfauth_nb.engine.checks.hub_answers import auth_probe
from hfauth_nb.engine.context import Context
from hfauth_nb.engine.hub import Whoami
from hfauth_nb.engine.report import Finding, Target


def _namespace(ctx: Context) -> str:
    repo_id = ctx.target.repo_id or ""
    return repo_id.split("/", 1)[0] if "/" in repo_id else ""


def _repo_name(ctx: Context) -> str:
    return (ctx.target.repo_id or "").rsplit("/", 1)[-1]


def fine_grained_scope_gap(ctx: Context, whoami: Whoami | None, write: bool) -> Finding | None:
    """A fine-grained token whose permissions do not cover this repo's namespace (or repo)."""
    if whoami is None or whoami.role != "fineGrained":
        return None
    namespace = _namespace(ctx)
    if namespace and namespace != whoami.user and namespace not in whoami.orgs:
        return None  # no scope reaches a namespace that is neither the user nor one of their orgs
    needed = ("repo.write",) if write else ("repo.content.read", "repo.write")
    if _fine_grained_covers(whoami, ctx.target, namespace, needed):
        return None
    perm = "repo.write" if write else "repo.content.read"
    return Finding(
        id="fine-grained-scope-missing",
        severity="error",
        title=f"Your fine-grained token has no '{perm}' permission for "
        f"{_namespace(ctx) or ctx.target.repo_id}.",
        detail="Fine-grained tokens only reach the users, organizations and repos listed in their "
        "permissions.",
        fix=(
            f"Edit the token at {ctx.site('/settings/tokens')} and add {perm} for {_namespace(ctx) or ctx.target.repo_id}.",
        ),
        evidence={
            "repo": ctx.target.repo_id,
            "needed": perm,
            "scoped to": [
                (s.get("entity") or {}).get("name")
                for s in whoami.fine_grained.get("scoped") or []
                if isinstance(s, dict)
            ],
        },
    )


def _fine_grained_covers(whoami: Whoami, target: Target, namespace: str, needed: tuple[str, ...]) -> bool:
    """A global permission, or a scoped one on the user/org that owns the repo, or on this very repo (W2)."""
    fine = whoami.fine_grained
    if any(p in needed for p in fine.get("global") or []):
        return True
    for scope in fine.get("scoped") or []:
        if not isinstance(scope, dict) or not any(p in needed for p in scope.get("permissions") or []):
            continue
        entity = scope.get("entity") or {}
        name, kind = str(entity.get("name") or ""), str(entity.get("type") or "")
        if kind in ("user", "org") and name == namespace:
            return True
        if kind in ("model", "dataset", "space") and kind == target.repo_type and name == target.repo_id:
            return True
        if not kind and name in (namespace, target.repo_id):  # entity type missing: judge by name alone
            return True
    return False


def forbidden(ctx: Context, message: str, whoami: Whoami | None) -> list[Finding]:
    """403 without a gate: explain a refused write (or read) from the token's own whoami data."""
    if ctx.target.write:
        explained = write_problems(ctx, whoami, repo_exists=True)
        if explained:
            return explained
    return [
        Finding(
            id="access-denied",
            severity="error",
            title=f"The Hub refused access to {ctx.target.repo_id} (403): {message or 'no reason given'}.",
            detail="The answer does not match a known cause (not gated, not disabled, token valid); an "
            "organization policy may forbid this token.",
            fix=(
                f"Open {ctx.target.url} while logged in, and check the token at {ctx.site('/settings/tokens')}.",
            ),
            evidence={"status": 403, "X-Error-Message": message or None},
        )
    ]


def write_problems(ctx: Context, whoami: Whoami | None, repo_exists: bool = False) -> list[Finding]:
    """Why this token cannot write here, from its role, scopes and the user's organizations."""
    if whoami is None or whoami.valid is not True:
        return []
    namespace = _namespace(ctx)
    user = whoami.user or ""
    orgs = whoami.orgs
    findings: list[Finding] = []
    if whoami.role == "read":
        findings.append(
            Finding(
                id="token-read-only",
                severity="error",
                title="Your token is read-only: create a token with write access to push or create repos.",
                detail=f"The token in use ({whoami.access_token.get('displayName') or 'unnamed'}) has the "
                "'read' role.",
                fix=(
                    f"Create a write (or fine-grained) token at {ctx.site('/settings/tokens')}",
                    "hf auth login   # then paste the new token",
                ),
                evidence={"role": "read", "user": user},
            )
        )
    elif whoami.role == "fineGrained":
        gap = fine_grained_scope_gap(ctx, whoami, write=True)
        if gap is not None:
            findings.append(gap)
    if not namespace and ctx.target.repo_id and user:
        name = ctx.target.repo_id
        findings.append(
            Finding(
                id="namespace-not-owned",
                severity="error",
                title=f"'{name}' has no namespace: "
                + (
                    "it is a legacy repo id owned by the Hub, not by you."
                    if repo_exists
                    else f"uploads go to the id '{name}' itself, not to '{user}/{name}'."
                ),
                detail="Only create_repo() puts a bare name under your account; every other call uses the "
                "id as given, and an id without '/' names a legacy top-level repo that only Hugging Face "
                "can write to.",
                fix=(f"Use repo_id='{user}/{name}' (create it first with create_repo if needed).",),
                evidence={"repo": name, "namespace": None, "user": user},
            )
        )
    elif namespace and namespace != user and namespace not in orgs:
        findings.append(
            Finding(
                id="namespace-not-owned",
                severity="error",
                title=f"You ({user}) cannot write under '{namespace}': it is neither your account nor one of "
                "your organizations.",
                detail="Tutorials often use their author's namespace; write to your own instead.",
                fix=(f"Use '{user}/{_repo_name(ctx)}', or ask to join '{namespace}'.",),
                evidence={"namespace": namespace, "user": user, "organizations": sorted(orgs)},
            )
        )
    elif namespace in orgs and (
        orgs[namespace] in ("read", "") or (repo_exists and orgs[namespace] == "contributor")
    ):
        role = orgs[namespace] or "unknown"
        findings.append(
            Finding(
                id="org-role-insufficient",
                severity="error",
                title=f"Your role in the organization '{namespace}' is '{role}', which cannot write "
                + ("to repos other members created." if role == "contributor" else "to its repos."),
                detail="Writing to an organization's repos needs the write or admin role; contributors may "
                "only create repos and write to the ones they created.",
                fix=(f"Ask an admin of {namespace} for the write role ({ctx.site('/' + namespace)}).",),
                evidence={"organization": namespace, "role": orgs[namespace]},
            )
        )
    return findings


def check_write_intent(ctx: Context) -> list[Finding]:
    """Write problems visible from whoami alone, when the auth-check did not answer a clear 403."""
    if not ctx.target.write or not ctx.target.repo_id or ctx.hub is None:
        return []
    probe = auth_probe(ctx, ctx.sent)
    if probe is not None and probe.http.status in (200, 403):
        return []  # 200: the Hub says yes; 403: check_repo explains it
    return write_problems(ctx, ctx.whoami(ctx.sent))


def unexplained_refusal(ctx: Context, status: int | None, code: str, message: str) -> Finding:
    """An answer that is neither success nor any known cause: quote the Hub."""
    return Finding(
        id="access-denied",
        severity="error",
        title=f"The Hub refused this request with {status}: {message or 'no message'}.",
        detail="The answer does not match a known cause.",
        fix=(f"Open {ctx.target.url} in a browser while logged in to see what the Hub says.",),
        evidence={"status": status, "X-Error-Code": code or None, "X-Error-Message": message or None},
    )
