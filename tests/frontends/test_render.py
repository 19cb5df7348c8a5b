"""Renderers: pure functions of a Report that neither leak secrets nor let server text become markup."""

from __future__ import annotations

import html as html_lib
import json
import re
from typing import Callable

import pytest
from frontend_helpers import CANARY, HOME, NETRC_SECRET, make_report, ok_report

from hfauth_nb.engine.report import Finding, Report
from hfauth_nb.render import html, markdown, text
from hfauth_nb.secrets import mask

RENDERERS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "text-color": lambda report: text.render(report, color=True),
    "text-verbose": lambda report: text.render(report, verbose=True),
    "text-brief": text.brief,
    "html": html.render,
    "html-verbose": lambda report: html.render(report, verbose=True),
    "html-brief": html.brief,
    "markdown": lambda report: markdown.render(report, home=HOME),
}


@pytest.mark.parametrize("name", RENDERERS)
def test_no_secret_in_any_output(name: str) -> None:
    output = RENDERERS[name](make_report())
    assert CANARY not in output
    assert CANARY[3:15] not in output
    assert "n3trc" not in output  # the netrc password, raw or escaped
    assert html_lib.escape(NETRC_SECRET) not in output
    if "brief" not in name:  # (the brief form is the verdict and its fix only: no token named)
        assert mask(CANARY) in output


def test_mimebundle_and_json_carry_no_secret() -> None:
    report = make_report()
    bundle = report._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}  # no JSON entry: JupyterLab would prefer a JSON tree
    dumped = json.dumps(bundle)
    assert CANARY not in dumped and "n3trc" not in dumped


def test_verbose_text_verdict_first_then_findings_fix_and_evidence() -> None:
    output = text.render(make_report(), verbose=True)
    lines = output.splitlines()
    assert lines[0] == "ERROR: The Hub rejects the token in HF_TOKEN"
    assert "[ERROR] The Hub rejects the token in HF_TOKEN (token-invalid)" in lines
    assert "        1. hf auth login" in lines
    assert lines[lines.index("        2. unset HF_TOKEN") + 1] == "           hf auth whoami"
    assert "        status: 401" in lines
    assert f"Token: {mask(CANARY)} from HF_TOKEN (user alice, role read)" in lines
    assert "Timings: local 0.01s, hub 0.25s" in lines
    assert output.index("[ERROR]") < output.index("[WARNING]") < output.index("[INFO]")


def test_text_is_plain_ascii_without_escape_codes_unless_asked() -> None:
    plain = text.render(make_report())
    assert "\x1b[" not in plain
    assert plain.isascii()
    assert "\x1b[1;31mERROR\x1b[0m" in text.render(make_report(), color=True)


def test_text_for_a_clean_report() -> None:
    assert text.render(ok_report()).splitlines()[0] == "OK: The token can write to alice/private-model"
    empty = make_report(findings=[], repo_id=None)
    assert text.render(empty).splitlines()[0] == "OK: No problem found with your Hugging Face token setup."
    assert text.render(empty, verbose=True).splitlines()[:2] == [
        "OK: No problem found with your Hugging Face token setup.",
        "Target: token setup only (no repo) on https://huggingface.co",
    ]


def test_html_escapes_server_text_and_has_no_script() -> None:
    output = html.render(make_report())
    assert "<script" not in output.lower()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in output
    assert "revoked &lt;b&gt;" in output
    assert "javascript:" not in output.lower()
    assert not re.search(r"\son\w+\s*=", output)  # no event handler attributes
    assert "<style" not in output and "<link" not in output


def test_html_structure() -> None:
    output = html.render(make_report())
    assert output.startswith('<div class="hfauth-report"')
    assert "#cf222e" in output.split("</div>", 1)[0]  # the banner takes the error colour
    assert "<details" in output and "<summary" in output
    assert "<code" in output and "<pre" in output  # single-line and multi-line fix steps
    assert output.count("<tr>") == 4 + 3 + 1  # evidence rows, source rows, the sources header
    assert "#1a7f37" in html.render(ok_report()).split("</div>", 1)[0]


def test_html_escapes_hostile_titles_ids_and_evidence_keys() -> None:
    hostile = Finding(
        id="repo-not-found",
        severity="error",
        title='"><img src=x onerror=alert(1)>',
        fix=("<b>bold</b>",),
        evidence={"<k>": "<v>"},
    )
    output = html.render(make_report(findings=[hostile]))
    assert "<img" not in output and "<b>bold" not in output and "<k>" not in output
    assert "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" in output


def test_markdown_redacts_home_and_user_names() -> None:
    output = markdown.render(make_report(), home=HOME)
    assert "alice" not in output.lower()
    assert "/home/" not in output
    assert "~/.cache/huggingface/token" in output
    assert "`~/.netrc`" in output
    assert "&lt;user&gt;/private-model" in output  # prose: shown as <user> once rendered
    assert "`<user>`" in output  # inside code spans it stays literal


def test_markdown_redacts_other_accounts_in_home_paths() -> None:
    finding = Finding(
        id="netrc-unusable",
        severity="warning",
        title="netrc is unreadable",
        detail=r"/Users/bob-smith/.netrc and C:\Users\carol\.netrc and /home/dave/x; bobby stays",
    )
    output = markdown.render(make_report(findings=[finding], user=None), home="/root")
    assert "bob-smith" not in output and "carol" not in output and "dave" not in output
    assert "/Users/&lt;user&gt;/.netrc" in output
    assert "bobby stays" in output


def test_markdown_escapes_markup_and_tables() -> None:
    finding = Finding(
        id="repo-not-found",
        severity="error",
        title="a | pipe, *stars* and [link](http://x)",
        evidence={"cell": "x | y\nz", "ticks": "a`b"},
    )
    output = markdown.render(make_report(findings=[finding]), home=HOME)
    assert r"a \| pipe, \*stars\* and \[link\](http://x)" in output
    assert r"| `cell` | `x \| y z` |" in output
    assert "``a`b``" in output
    assert "<script>" not in output


def test_markdown_structure() -> None:
    output = markdown.render(make_report(), home=HOME)
    assert output.splitlines()[0] == "### hfauth: ERROR - The Hub rejects the token in HF_TOKEN"
    assert "1. `hf auth login`" in output
    assert "2. ```\n   unset HF_TOKEN\n   hf auth whoami\n   ```" in output
    assert "<details><summary>Environment</summary>" in output
    assert "| source | token | used | valid | user | role | note |" in output


def test_markdown_keeps_dotfiles_when_home_ends_in_home() -> None:
    """A HOME such as /srv/x/home: the path part after it is a file (.netrc), not a user name."""
    from hfauth_nb.engine.report import Finding, Report, Target, TokenSummary
    from hfauth_nb.render import markdown

    finding = Finding(
        "netrc-entry", "warning", "/srv/x/home/.netrc has an entry", evidence={"file": "/srv/x/home/.netrc"}
    )
    report = Report(Target(), TokenSummary(), [finding])
    text = markdown.render(report, home="/srv/x/home")
    assert "~/.netrc" in text and "<user>" not in text
    other = Report(
        Target(), TokenSummary(), [Finding("netrc-entry", "warning", "/home/bob/.netrc has an entry")]
    )
    rendered = markdown.render(other, home="/root")
    assert "bob" not in rendered and "/home/&lt;user&gt;/.netrc" in rendered  # Markdown escapes the brackets
