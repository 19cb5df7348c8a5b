"""whoami is rate-limited: checks running at once share one request per token (and later ones use the cache)."""

from __future__ import annotations

import threading

from hfauth_nb.engine.hub import HubFacts, clear_whoami_cache, probe_hub
from hfauth_nb.testing.hub import FakeHub


def _whoami_calls(hub: FakeHub) -> int:
    return sum(1 for r in hub.requests if r.path.endswith("/api/whoami-v2"))


def test_concurrent_checks_send_one_whoami_per_token(fake_hub: FakeHub) -> None:
    clear_whoami_cache()
    fake_hub.add_user("alice")
    token = fake_hub.add_token("alice", role="read")
    other = fake_hub.add_token("alice", role="write")
    for n in range(6):
        fake_hub.add_repo(f"alice/repo-{n}")
    fake_hub.latency = 0.3
    results: list[HubFacts] = []

    def check(n: int) -> None:
        results.append(
            probe_hub(fake_hub.url, [token, other], sent_token=token, repo_id=f"alice/repo-{n}", timeout=20)
        )

    threads = [threading.Thread(target=check, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _whoami_calls(fake_hub) == 2  # one per distinct token, not one per check
    assert len(results) == 6
    for facts in results:
        assert facts.whoami[token].http.status == 200 and facts.whoami[other].http.status == 200
    assert sum(r.requests_sent for r in results) == len(fake_hub.requests)
    probe_hub(fake_hub.url, [token], sent_token=token, repo_id=None, timeout=20)
    assert _whoami_calls(fake_hub) == 2  # answered from the session cache


def test_a_failed_whoami_is_asked_again(fake_hub: FakeHub) -> None:
    clear_whoami_cache()
    fake_hub.add_user("bob")
    token = fake_hub.add_token("bob")
    fake_hub.fail("whoami-v2", 500, times=1)
    first = probe_hub(fake_hub.url, [token], sent_token=token, repo_id=None, timeout=20)
    second = probe_hub(fake_hub.url, [token], sent_token=token, repo_id=None, timeout=20)
    assert first.whoami[token].http.status == 500
    assert second.whoami[token].http.status == 200
    assert _whoami_calls(fake_hub) == 2
