"""The report a person reads (issue 16): the verdict once, its fix next, one checklist line per area.

These assert the structure (what comes first, which lines exist, what is collapsed), not the wording.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from frontend_helpers import CANARY, FakeEngine, make_report

from hfauth_nb.cli import main
from hfauth_nb.engine.findings import CATALOGUE
from hfauth_nb.engine.report import Finding, Report, SourceRow, Target, TokenSummary
from hfauth_nb.grammar.parse import parse_command
from hfauth_nb.grammar.requests import CheckRequest, StatusRequest, to_check
from hfauth_nb.render import checklist, html, text
from hfauth_nb.render.view import ReportView
from hfauth_nb.secrets import mask

ALWAYS = [label for line, label in checklist.LINE_LABELS.items() if line not in ("credentials", "services")]
MARK = re.compile(r"^\[(ok|problem|note|skipped)\]\s+(.+?): ")


def _note(finding_id: str = "git-credential-missing") -> Finding:
    return Finding(
        id=finding_id,
        severity="info",
        title="git has no credential stored for huggingface.co",
        detail="Only git and git-lfs need this.",
        fix=("git config --global credential.helper store",),
        evidence={"host": "huggingface.co"},
    )


def _ok_on_huggingface_co() -> Report:
    """A valid token read from HF_TOKEN, a public read on huggingface.co, and the usual git note."""
    return Report(
        target=Target(repo_id="alice/model"),
        token=TokenSummary(source="HF_TOKEN", masked=mask(CANARY), user="alice", role="read"),
        findings=[
            Finding(id="access-ok", severity="ok", title="You can read model alice/model as alice."),
            _note(),
        ],
        sources=(
            SourceRow(
                "HF_TOKEN", True, masked=mask(CANARY), wins=True, valid=True, user="alice", role="read"
            ),
            SourceRow("token file", False),
        ),
        environment={"endpoint": "https://huggingface.co", "git": "git version 2.39", "python": "3.11"},
        timings={"hub": 0.2},
        secrets=frozenset({CANARY}),
    )


def _checklist_lines(output: str) -> dict[str, str]:
    """Checklist label -> its mark, from the lines that start with a mark."""
    return {m.group(2): m.group(1) for line in output.splitlines() if (m := MARK.match(line))}


def test_text_leads_with_the_verdict_once_and_its_first_fix_step() -> None:
    report = make_report()
    lines = text.render(report).splitlines()
    assert lines[0].endswith(report.verdict)
    assert lines[1] == "Fix: " + report.findings[0].fix[0]
    assert sum(report.verdict in line for line in lines) == 1


def test_a_multi_line_first_step_stays_copyable_on_the_following_lines() -> None:
    finding = Finding(
        id="token-invalid", severity="error", title="rejected", fix=("unset HF_TOKEN\nhf auth login",)
    )
    lines = text.render(make_report(findings=[finding])).splitlines()
    assert lines[1].endswith("unset HF_TOKEN") and lines[2].strip() == "hf auth login"


def test_a_problem_report_has_one_line_per_area_with_a_mark() -> None:
    marks = _checklist_lines(text.render(make_report()))
    assert list(marks) == ALWAYS  # every area, in order, each once
    assert marks["Token"] == "problem" and marks["Other sources"] == "problem"  # error, warning
    assert marks["Environment"] == "note"  # endpoint-custom is information
    assert marks["Hub reachable"] == "ok"


def test_problems_expand_and_notes_collapse_to_one_line_without_steps() -> None:
    report = make_report(findings=[*make_report().findings, _note()])
    output = text.render(report)
    assert "hf auth whoami" in output  # the lead's second fix step is expanded
    assert "Only git and git-lfs need this." not in output  # the note's detail is collapsed
    assert "credential.helper store" not in output  # and so are its steps
    assert "git has no credential stored" in output  # but its title is there, on one line
    assert "status: 401" not in output  # evidence only with -v
    verbose = text.render(report, verbose=True)
    for needed in ("Only git and git-lfs need this.", "credential.helper store", "status: 401"):
        assert needed in verbose


def test_an_ok_report_on_huggingface_co_is_at_most_six_lines() -> None:
    report = _ok_on_huggingface_co()
    lines = text.render(report).splitlines()
    assert len(lines) <= 6, lines
    assert lines[0].endswith(report.verdict)
    assert mask(CANARY) in lines[1] and "alice" in lines[1]  # the token: masked, whose, valid
    assert any("git has no credential" in line for line in lines)
    assert CANARY not in "\n".join(lines)


@pytest.mark.parametrize("spec", CATALOGUE, ids=lambda s: s.id)
def test_every_catalogue_id_lands_in_its_checklist_line(spec: Any) -> None:
    """New ids need no edit here: the line comes from the catalogue's area."""
    finding = Finding(id=spec.id, severity="warning", title=f"problem {spec.id}", fix=("do it",))
    other = Finding(id=spec.id, severity="warning", title="second", fix=("x",))
    rows = {row.line: row for row in checklist.build(make_report(findings=[finding, other])).rows}
    assert finding in rows[checklist.line_of(finding)].problems
    assert rows[checklist.line_of(finding)].mark == "problem"


def test_html_leads_with_the_verdict_then_the_fix_and_keeps_details_closed() -> None:
    report = make_report()
    output = html.render(report)
    verdict = output.index("The Hub rejects the token in HF_TOKEN")
    assert verdict < output.index("Fix:") < output.index("hf auth login") < output.index("<details")
    assert (
        output.count("The Hub rejects the token in HF_TOKEN") == 2
    )  # the banner, and the finding in details
    before_details = output.split("<details", 1)[0]
    assert before_details.count("The Hub rejects the token in HF_TOKEN") == 1
    for label in ALWAYS:
        assert f"<b>{label}</b>" in before_details
    assert "status" not in before_details  # evidence is behind the disclosure
    assert "<details style" in output and "<details open" not in output
    assert "<details open" in html.render(report, verbose=True)


def test_html_colours_are_pairs_or_inherited() -> None:
    """Dark themes: no style sets a text colour without the background it was chosen for."""
    output = html.render(make_report(findings=[*make_report().findings, _note()]), verbose=True)
    for style in re.findall(r'style="([^"]*)"', output):
        colour = re.search(r"(?:^|;)color:([^;]+)", style)
        if colour and colour.group(1) not in ("inherit", "currentColor"):
            assert "background:" in style, style


def test_brief_is_the_verdict_and_its_fix_with_details_collapsed() -> None:
    report = make_report()
    assert text.brief(report).splitlines()[:2] == [
        "ERROR: " + report.verdict,
        "Fix: " + report.findings[0].fix[0],
    ]
    view = ReportView(report, "brief")
    bundle = view._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert len(bundle["text/plain"].splitlines()) == 3  # verdict, fix, the id and where the details are
    assert report.findings[0].id in bundle["text/plain"]
    page = bundle["text/html"]
    assert page.index("hf auth login") < page.index("<details")  # the rest behind the disclosure
    assert "<details open" not in page


@pytest.mark.parametrize("argv", [["check", "org/m", "-v"], ["check", "--verbose"], ["status", "-v"]])
def test_verbose_flag_reaches_the_request(argv: list[str]) -> None:
    request = parse_command(argv)
    assert isinstance(request, (CheckRequest, StatusRequest))
    assert request.verbose and to_check(request).verbose
    assert not to_check(parse_command(argv[:-1])).verbose


def test_cli_verbose_prints_every_finding(engine: FakeEngine, capsys: pytest.CaptureFixture[str]) -> None:
    main(["check", "org/m"])
    short = capsys.readouterr().out
    main(["check", "org/m", "-v"])
    full = capsys.readouterr().out
    assert "status: 401" in full and "status: 401" not in short
    assert full.splitlines()[0] == short.splitlines()[0]


def test_magic_verbose_shows_the_details_open(engine: FakeEngine, shell: Any) -> None:
    shell.run_line_magic("load_ext", "hfauth_nb")
    plain = shell.run_line_magic("hfauth", "check org/m")
    verbose = shell.run_line_magic("hfauth", "check org/m -v")
    assert isinstance(plain, Report)
    assert isinstance(verbose, ReportView)
    bundle = verbose._repr_mimebundle_()
    assert "<details open" in bundle["text/html"] and "status: 401" in bundle["text/plain"]
    assert CANARY not in str(bundle)


def test_a_note_about_the_token_keeps_its_steps() -> None:
    """No token while checking the setup is information, but it is what every request sends: say how to fix it."""
    finding = Finding(
        id="no-token", severity="info", title="No token found", detail="long story", fix=("%hfauth login",)
    )
    report = Report(target=Target(), token=TokenSummary(), findings=[finding, _note()])
    output = text.render(report)
    assert "%hfauth login" in output and "long story" not in output
    assert "credential.helper store" not in output  # a note elsewhere stays one line
    assert "%hfauth login" in html.render(report).split("<details", 1)[0]


def test_a_repo_without_a_verdict_of_its_own_is_not_marked_ok() -> None:
    """A rejected token (or an unreachable Hub) stops the repo check: its line must not read as a pass next to
    the token problem; with access-ok the same repo reads ok."""
    marks = _checklist_lines(text.render(make_report()))
    assert marks["Repo access"] == "skipped"
    assert "alice/private-model: not judged on its own" in text.render(make_report())
    rows = {row.line: row for row in checklist.build(_ok_on_huggingface_co()).rows}
    assert rows["repo"].mark == "ok" and rows["repo"].summary == "read model alice/model"


def test_a_service_call_without_a_repo_names_the_call_not_no_repo() -> None:
    from hfauth_nb.engine.explained import Explained

    report = make_report(repo_id=None)
    report.explained = Explained(None, found=False, service="Inference Providers", model="alice/llm")
    output = text.render(report)
    assert "Repo access: not checked: the failed call went to Inference Providers (alice/llm)" in output
    assert "no repo given" not in output


def test_a_specific_ok_answer_is_the_verdict_before_the_repo_all_clear() -> None:
    """`check --inference MODEL`: the answer to the question asked leads, not "You can read the model"."""
    report = _ok_on_huggingface_co()
    answer = Finding(id="inference-allowed", severity="ok", title="The token may call Inference Providers.")
    report.findings = [*report.findings, answer]
    assert report.verdict == answer.title
    assert text.render(report).splitlines()[0].endswith(answer.title)
