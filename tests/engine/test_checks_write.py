"""Write intent: token-read-only, namespace-not-owned, org-role-insufficient, fine-grained-scope-missing, from
check_write_intent (whoami alone) and check_repo (a 403 on auth-check/write)."""

from __future__ import annotations

from typing import Any

from factories import (
    VALID,
    Case,
    context,
    hub_error,
    no_route,
    ok,
    repo_not_found,
    row,
    scope,
    table,
    token_facts,
    whoami_invalid,
    whoami_ok,
    write_denied,
)

from hfauth_nb.engine.checks import repo
from hfauth_nb.engine.checks import write as checks
from hfauth_nb.engine.context import Context


def write(repo: str, who: Any, **kwargs: Any) -> Context:
    """A write to `repo` with a token whose whoami is `who`; auth-check/write met no answer unless given."""
    kwargs.setdefault("auth", None)
    return context(repo=repo, write=True, whoami={VALID: who}, **kwargs)


READ = whoami_ok(role="read")
WRITE = whoami_ok(role="write", orgs={"acme": "write", "readers": "read", "club": "contributor"})


def fine(*scoped: dict[str, Any], global_permissions: tuple[str, ...] = ()) -> Any:
    return whoami_ok(
        role="fineGrained", orgs={"acme": "write"}, scoped=scoped, global_permissions=global_permissions
    )


INTENT = [
    row("a read: silent", context(whoami={VALID: READ}), []),
    row("Hub not asked: silent", context(write=True, hub=None), []),
    row("auth-check/write 200: the Hub says yes", write("alice/demo-model", READ, auth=ok()), []),
    row(
        "auth-check/write 403: check_repo explains it",
        write("alice/demo-model", READ, auth=write_denied()),
        [],
    ),
    row(
        "read-only token: token-read-only",
        write("alice/demo-model", READ),
        [("token-read-only", "error")],
        evidence={"role": "read", "user": "alice"},
        fix="/settings/tokens",
    ),
    row("write token in one's own namespace: silent", write("alice/demo-model", WRITE), []),
    row(
        "someone else's namespace: namespace-not-owned",
        write("bob/demo-model", WRITE),
        [("namespace-not-owned", "error")],
        evidence={"namespace": "bob", "user": "alice"},
        fix="alice/demo-model",
    ),
    row(
        "a bare legacy id: namespace-not-owned",
        write("demo-model", WRITE),
        [("namespace-not-owned", "error")],
        evidence={"namespace": None},
        fix="repo_id='alice/demo-model'",
    ),
    row(
        "read role in the org: org-role-insufficient",
        write("readers/demo-model", WRITE),
        [("org-role-insufficient", "error")],
        evidence={"organization": "readers", "role": "read"},
    ),
    row("write role in the org: silent", write("acme/demo-model", WRITE), []),
    row("contributor creating a repo in the org: silent", write("club/new-model", WRITE), []),
    row(
        "read-only token in someone else's namespace: both causes",
        write("bob/demo-model", READ),
        [("token-read-only", "error"), ("namespace-not-owned", "error")],
    ),
    row(
        "fine-grained without repo.write on the user: fine-grained-scope-missing",
        write("alice/demo-model", fine(scope("alice", "user", "repo.content.read"))),
        [("fine-grained-scope-missing", "error")],
        evidence={"needed": "repo.write", "scoped to": ["alice"]},
    ),
    row(
        "fine-grained with repo.write on the org: silent",
        write("acme/demo-model", fine(scope("acme", "org", "repo.write"))),
        [],
    ),
    row(
        "fine-grained with repo.write on this very repo: silent",
        write("acme/demo-model", fine(scope("acme/demo-model", "model", "repo.write"))),
        [],
    ),
    row(
        "fine-grained with a global repo.write: silent",
        write("alice/x", fine(global_permissions=("repo.write",))),
        [],
    ),
    row("a revoked token: token-invalid says it", write("bob/demo-model", whoami_invalid()), []),
    row(
        "no auth-check route on a mirror: judged from whoami",
        write("alice/demo-model", READ, auth=no_route()),
        [("token-read-only", "error")],
    ),
]


@table(INTENT)
def test_write_intent(case: Case) -> None:
    case.verify(checks.check_write_intent)


REFUSED = [
    row(
        "auth-check/write 200: access-ok for writing",
        write("alice/demo-model", WRITE, auth=ok()),
        [("access-ok", "ok")],
        evidence={"write": True},
    ),
    row(
        "403 with a read-only token: token-read-only",
        write("alice/demo-model", READ, auth=write_denied()),
        [("token-read-only", "error")],
    ),
    row(
        "403 for a contributor on an existing org repo: org-role-insufficient",
        write("club/demo-model", WRITE, auth=write_denied()),
        [("org-role-insufficient", "error")],
        evidence={"role": "contributor"},
    ),
    row(
        "403 on an existing bare id: the Hub owns it",
        write("gpt2", WRITE, auth=write_denied()),
        [("namespace-not-owned", "error")],
    ),
    row(
        "403 with a write token in one's own namespace: access-denied",
        write("alice/demo-model", WRITE, auth=write_denied()),
        [("access-denied", "error")],
        evidence={"X-Error-Message": "You don't have the rights to write to this repository."},
    ),
    row(
        "404 in someone else's namespace: the cause first, not-found a warning",
        write(
            "bob/new-model",
            WRITE,
            auth=repo_not_found(),
            meta=repo_not_found(),
            anonymous_meta=repo_not_found(True),
        ),
        [("namespace-not-owned", "error"), ("repo-not-found", "warning")],
    ),
    row(
        "no token, the repo exists: writing needs a token",
        context(
            write=True,
            tokens=token_facts(hf_token=None),
            auth=hub_error(401, "Invalid username or password."),
        ),
        [("no-token", "error")],
    ),
]


@table(REFUSED)
def test_write_refused(case: Case) -> None:
    case.verify(repo.check_repo)
