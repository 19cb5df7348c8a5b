"""A ready-made simulated Hub with one example of each access situation, for `hfauth demo`, the
`serve --demo` command and tutorials. Tokens are generated at each call, never stored in the source."""

from __future__ import annotations

from hfauth_nb.testing.hub import FakeHub

DEMO_USER = "demo-user"
DEMO_ORG = "demo-org"
GATED_ORG = "gated-org"

# repo id -> what it demonstrates (all models unless the id says dataset)
PUBLIC_MODEL = "demo-org/public-model"
GATED_MODEL = "gated-org/gated-model"  # manual gate, never requested
PENDING_MODEL = "gated-org/pending-model"  # manual gate, request awaiting review
ACCEPTED_MODEL = "gated-org/accepted-model"  # auto gate, accepted (fine-grained token lacks gated access)
PRIVATE_MODEL = "demo-user/private-model"  # private, readable by demo-user
HIDDEN_MODEL = "secret-org/private-model"  # private, invisible to demo-user (404)
DATASET = "demo-org/a-dataset"
DISABLED_MODEL = "demo-org/disabled-model"

_README = "---\nlicense: apache-2.0\n---\n# Demo repo served by hfauth_nb.testing\n"
_CONFIG = '{"model_type": "demo"}\n'


def _add_repos(hub: FakeHub) -> None:
    files = {"README.md": _README, "config.json": _CONFIG}
    hub.add_repo(PUBLIC_MODEL, files=files)
    hub.add_repo(GATED_MODEL, gated="manual", files=files)
    hub.add_repo(PENDING_MODEL, gated="manual", files=files)
    hub.add_repo(ACCEPTED_MODEL, gated="auto", files=files)
    hub.add_repo(PRIVATE_MODEL, private=True, files=files)
    hub.add_repo(HIDDEN_MODEL, private=True, files=files)
    hub.add_repo(DATASET, repo_type="dataset", files={"README.md": _README, "data.csv": "a,b\n1,2\n"})
    hub.add_repo(DISABLED_MODEL, disabled=True, files=files)


def build_demo_hub(latency: float = 0.0, *, port: int = 0) -> tuple[FakeHub, dict[str, str]]:
    """Return an unstarted FakeHub and its tokens by purpose: "read", "write", "revoked" (was write)
    and "fine_grained" (read on demo-user and demo-org, no gated access). demo-user is a read member of
    demo-org, so it can read demo-org repos but not write them."""
    hub = FakeHub(latency=latency, port=port)
    hub.add_user(DEMO_USER, fullname="Demo User", orgs={DEMO_ORG: "read"})
    hub.add_org(GATED_ORG, fullname="Gated Org")
    tokens = {
        "read": hub.add_token(DEMO_USER, role="read", name="demo-read"),
        "write": hub.add_token(DEMO_USER, role="write", name="demo-write"),
        "revoked": hub.add_token(DEMO_USER, role="write", name="demo-revoked"),
        "fine_grained": hub.add_token(
            DEMO_USER,
            role="fineGrained",
            name="demo-fine-grained",
            can_read_gated=False,
            scoped=[
                {"entity": {"type": "user", "name": DEMO_USER}, "permissions": ["repo.content.read"]},
                {"entity": {"type": "org", "name": DEMO_ORG}, "permissions": ["repo.content.read"]},
            ],
        ),
    }
    hub.revoke(tokens["revoked"])
    _add_repos(hub)
    hub.set_access(PENDING_MODEL, DEMO_USER, "pending")
    hub.set_access(ACCEPTED_MODEL, DEMO_USER, "accepted")
    return hub, tokens
