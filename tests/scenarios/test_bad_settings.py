"""Settings that used to end in an internal error (exit 2, no report) or in a misleading "network problem":
each now gives a report (or a usage error) that names the real cause, through the CLI and the magic."""

from __future__ import annotations

import stat
import subprocess
from typing import Any

import huggingface_hub
import pytest
from IPython.core.error import UsageError

from tests.scenarios.conftest import Scenario
from tests.scenarios.test_hangs import _cli, _finding, _json, _magic

REQUESTS_ERA = huggingface_hub.__version__.startswith("0.")


def _check(scenario: Scenario, frontend: str, *args: str) -> dict[str, Any]:
    if frontend == "cli":
        return _json(_cli("check", *args, "--json"))
    result = _magic(scenario, " ".join(("check", *args, "--json")))
    return result.data  # type: ignore[no-any-return]


def _ids(data: dict[str, Any]) -> list[str]:
    return [f["id"] for f in data["findings"]]


def test_non_utf8_bytes_from_a_git_helper(scenario: Scenario, frontend: str) -> None:
    helper = scenario.home / "helper.sh"
    helper.write_bytes(b"#!/bin/sh\nprintf 'username=caf\\351\\377\\npassword=p\\377ss\\n'\n")
    helper.chmod(helper.stat().st_mode | stat.S_IXUSR)
    subprocess.run(["git", "config", "--global", "credential.helper", str(helper)], check=True)
    scenario.env("HF_TOKEN", scenario.token())
    data = _check(scenario, frontend)
    assert data["token"]["user"] == "alice"
    assert "git-credential-stale" in _ids(data)  # git's credential was read and compared, not a crash


def test_proxy_variable_that_is_not_a_url(scenario: Scenario, frontend: str) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    for name in ("HTTP_PROXY", "HTTPS_PROXY"):
        scenario.env(name, ":::")
    data = _check(scenario, frontend)
    finding = _finding(data, "hub-unreachable")
    assert finding["evidence"]["kind"] == "proxy-setting"
    assert "HTTP_PROXY is not a usable proxy URL" in finding["title"]
    assert "not a network or token problem" in finding["title"]


@pytest.mark.parametrize(
    ("endpoint", "words"),
    [
        ("http://127.0.0.1:99999", "port is out of range"),
        ("http://127.0.0.1:9x", "port is not a number"),
        ("htp:/bad", "must start with https://"),
        ("huggingface.co", "must start with https://"),
        ("http://[::1", "IPv6 address"),
    ],
)
def test_malformed_endpoint_is_named_not_called_a_network_problem(
    scenario: Scenario, frontend: str, endpoint: str, words: str
) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    scenario.env("HF_ENDPOINT", endpoint)
    data = _check(scenario, frontend, "acme/model")
    ids = _ids(data)
    assert "hub-unreachable" not in ids and "library-outdated" not in ids, ids
    finding = _finding(data, "endpoint-custom")
    assert finding["severity"] == "error" and words in finding["title"]
    assert "not a network or token problem" in finding["detail"]


def test_missing_ca_file_is_named(scenario: Scenario, frontend: str) -> None:
    missing = str(scenario.home / "no-such-ca.pem")
    scenario.env("HF_TOKEN", scenario.token())
    if REQUESTS_ERA:  # requests reads its own variable, and only for https
        scenario.env("REQUESTS_CA_BUNDLE", missing)
        scenario.env("HF_ENDPOINT", scenario.hub.url.replace("http://", "https://"))
        variable = "REQUESTS_CA_BUNDLE"
    else:
        scenario.env("SSL_CERT_FILE", missing)
        variable = "SSL_CERT_FILE"
    data = _check(scenario, frontend)
    finding = _finding(data, "hub-unreachable")
    assert finding["evidence"]["kind"] == "ca-file-missing"
    assert finding["title"].startswith(f"{variable} names {missing}, which does not exist")


def test_huge_timeout_is_a_usage_error_and_a_huge_setting_is_clamped(scenario: Scenario) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    proc = _cli("check", "--timeout", "1e12", "--json")
    assert proc.returncode == 2 and "must be at most 600 seconds" in proc.stderr
    with pytest.raises(UsageError, match="at most 600 seconds"):
        _magic(scenario, "check --timeout 1e12")
    from hfauth_nb import diagnose

    report = diagnose(timeout=1e12)
    assert report.token.user == "alice"


def test_hub_url_on_another_host_is_refused_with_the_reason(scenario: Scenario) -> None:
    scenario.env("HF_TOKEN", scenario.token())
    proc = _cli("check", "https://models.example.com/acme/model")
    assert proc.returncode == 2
    assert "REPO is a URL on models.example.com, but this check goes to 127.0.0.1" in proc.stderr
    assert "HF_ENDPOINT=https://models.example.com" in proc.stderr
    with pytest.raises(UsageError, match=r"REPO is a URL on models\.example\.com"):
        _magic(scenario, "check https://models.example.com/acme/model")
    # The configured endpoint's own URLs, and huggingface.co's (a mirror serves the same ids), still work.
    scenario.hub.add_repo("acme/model")
    data = _json(_cli("check", f"{scenario.hub.url}/acme/model", "--json"))
    assert data["target"]["repo_id"] == "acme/model" and "access-ok" in _ids(data)


def test_empty_scan_path_is_a_usage_error(scenario: Scenario) -> None:
    proc = _cli("scan", "")
    assert proc.returncode == 2 and "PATH is empty" in proc.stderr
    with pytest.raises(UsageError, match="PATH is empty"):
        _magic(scenario, "scan ''")
