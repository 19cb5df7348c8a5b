"""Shared set-up for simulator tests: a populated hub and a raw HTTP helper (no client library)."""

from __future__ import annotations

import base64
import http.client
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from hfauth_nb.testing import FakeHub

FILES = {"config.json": b'{"model_type": "demo"}', "README.md": b"# hi\n"}


@dataclass
class World:
    """A hub with one token per situation; attribute names say what each token is."""

    hub: FakeHub
    write: str
    read: str
    fg_read: str
    fg_gated: str
    fg_write: str
    revoked: str
    oauth: str
    bob: str

    def token(self, key: str | None) -> str | bool:
        """`None` = anonymous (token=False for huggingface_hub)."""
        return False if key is None else str(getattr(self, key))


def populate(hub: FakeHub) -> World:
    """alice: write in acme, read in readers, contributor in helpers; bob: no orgs."""
    roles = {"acme": "write", "readers": "read", "helpers": "contributor"}
    hub.add_user("alice", fullname="Alice", orgs=roles)
    hub.add_user("bob", fullname="Bob")
    hub.add_repo("acme/public", files=FILES)
    hub.add_repo("acme/private", private=True, files=FILES)
    hub.add_repo("bob/private", private=True, files=FILES)
    hub.add_repo("acme/disabled", disabled=True, files=FILES)
    hub.add_repo("readers/model", files=FILES)
    hub.add_repo("helpers/theirs", files=FILES)
    hub.add_repo("acme/data", repo_type="dataset", files={"data.csv": b"a\n1\n"})
    for name, gated in (
        ("gated", "manual"),
        ("pending", "manual"),
        ("rejected", "manual"),
        ("accepted", "auto"),
    ):
        hub.add_repo(f"meta/{name}", gated=gated, files=FILES)
    hub.add_repo("meta/gated-data", repo_type="dataset", gated="manual", files=FILES)
    hub.set_access("meta/pending", "alice", "pending")
    hub.set_access("meta/rejected", "alice", "rejected")
    hub.set_access("meta/accepted", "alice", "accepted")
    acme_read = [{"entity": {"type": "org", "name": "acme"}, "permissions": ["repo.content.read"]}]
    world = World(
        hub=hub,
        write=hub.add_token("alice", role="write", name="alice-write"),
        read=hub.add_token("alice", role="read", name="alice-read"),
        fg_read=hub.add_token(
            "alice", role="fineGrained", scoped=acme_read, can_read_gated=False, name="fg-read"
        ),
        fg_gated=hub.add_token("alice", role="fineGrained", scoped=acme_read, can_read_gated=True),
        fg_write=hub.add_token(
            "alice",
            role="fineGrained",
            global_permissions=["discussion.write"],
            scoped=[
                {
                    "entity": {"type": "org", "name": "acme"},
                    "permissions": ["repo.content.read", "repo.write"],
                }
            ],
        ),
        revoked=hub.add_token("alice", role="write"),
        oauth=hub.add_token("alice", role="write", oauth=True),
        bob=hub.add_token("bob", role="write"),
    )
    hub.revoke(world.revoked)
    return world


@dataclass
class RawAnswer:
    """An HTTP answer as the wire carried it."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def raw(
    hub: FakeHub,
    method: str,
    path: str,
    *,
    token: str | None = None,
    basic: tuple[str, str] | None = None,
    body: bytes | None = None,
    timeout: float = 5.0,
) -> RawAnswer:
    """One request with http.client, so tests see exact statuses and headers."""
    parts = urlsplit(hub.url)
    headers = {}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if basic is not None:
        headers["Authorization"] = "Basic " + base64.b64encode(":".join(basic).encode()).decode()
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return RawAnswer(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
    finally:
        conn.close()
