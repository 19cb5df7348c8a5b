"""The shared grammar: repo references, commands, and refusal of tokens on the command line."""

from __future__ import annotations

import pytest
from frontend_helpers import CANARY

from hfauth_nb.grammar.parse import ParserExit, RequestError, parse_command, split_line
from hfauth_nb.grammar.requests import CheckRequest, PanelRequest, StatusRequest, to_check
from hfauth_nb.hub_refs import parse_repo_ref


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gpt2", ("model", "gpt2", None)),
        ("org/name", ("model", "org/name", None)),
        ("  org/name/ \n", ("model", "org/name", None)),
        ("Org_1/Name-2.v3", ("model", "Org_1/Name-2.v3", None)),
        ("datasets/org/name", ("dataset", "org/name", None)),
        ("spaces/org/app", ("space", "org/app", None)),
        ("https://huggingface.co/org/name", ("model", "org/name", None)),
        ("https://huggingface.co/org/name/", ("model", "org/name", None)),
        ("https://huggingface.co/gpt2", ("model", "gpt2", None)),
        ("https://hf.co/datasets/org/name", ("dataset", "org/name", None)),
        ("https://huggingface.co/spaces/org/app", ("space", "org/app", None)),
        ("huggingface.co/org/name", ("model", "org/name", None)),
        ("https://huggingface.co/org/name/tree/dev", ("model", "org/name", "dev")),
        ("https://huggingface.co/gpt2/tree/main", ("model", "gpt2", "main")),
        ("https://huggingface.co/org/name/blob/v1.0/README.md", ("model", "org/name", "v1.0")),
        ("https://hf.co/datasets/org/d/resolve/refs%2Fpr%2F3/x.parquet", ("dataset", "org/d", "refs/pr/3")),
        ("https://hf.co/org/name/resolve/main/sub/dir/model.safetensors", ("model", "org/name", "main")),
        ("https://huggingface.co/api/models/org/name/revision/main", ("model", "org/name", "main")),
        ("https://huggingface.co/gpt2/discussions/3", ("model", "gpt2", None)),
        ("https://huggingface.co/org/name?library=transformers#card", ("model", "org/name", None)),
        ("https://huggingface.co/org/name.git", ("model", "org/name", None)),
        ("http://127.0.0.1:18765/datasets/org/name", ("dataset", "org/name", None)),
        ("https://hub.example.com/org/name/tree/v2", ("model", "org/name", "v2")),
    ],
)
def test_parse_repo_ref_accepts(text: str, expected: tuple[str, str, str | None]) -> None:
    assert parse_repo_ref(text, "model") == expected


def test_parse_repo_ref_default_type_applies_without_a_prefix() -> None:
    assert parse_repo_ref("org/name", "dataset") == ("dataset", "org/name", None)
    assert parse_repo_ref("https://hf.co/spaces/org/app", "dataset")[0] == "space"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "empty"),
        ("org/my model", "whitespace"),
        ("org/../name", "more than one '/'"),
        ("a/b/c", "more than one '/'"),
        ("-name", "start or end with '-' or '.'"),
        ("org/name.", "start or end with '-' or '.'"),
        ("a--b", "'--' or '..'"),
        ("a..b", "'--' or '..'"),
        ("x" * 97, "longer than 96"),
        ("org/caf\u00e9", "contains '\u00e9'"),
        ("org/na$me", "contains '$'"),
        ("org/name.git", "'.git'"),
        ("https://huggingface.co/", "names no repo"),
        ("https://huggingface.co/org/name/weird/x", "unexpected 'weird'"),
        ("ftp://huggingface.co/org/name", "http(s)"),
        ("https://user:secret@huggingface.co/org/name", "credentials"),
    ],
)
def test_parse_repo_ref_rejects_with_a_reason(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=None) as excinfo:
        parse_repo_ref(text, "model")
    assert says in str(excinfo.value)
    assert "secret" not in str(excinfo.value)


def test_name_of_96_characters_is_accepted() -> None:
    assert parse_repo_ref("o/" + "x" * 96, "model")[1] == "o/" + "x" * 96


def test_check_request_is_typed_and_frozen() -> None:
    request = parse_command(["check", "datasets/org/d", "--write", "--revision", "v1", "--timeout", "2.5"])
    assert request == CheckRequest(
        repo_id="org/d", repo_type="dataset", write=True, revision="v1", timeout=2.5, output="text"
    )
    with pytest.raises(AttributeError):
        request.write = False  # type: ignore[misc]


@pytest.mark.parametrize(
    ("argv", "output"),
    [
        (["check", "gpt2", "--json"], "json"),
        (["--json", "check", "gpt2"], "json"),
        (["check", "gpt2", "--markdown"], "markdown"),
        (["check", "gpt2"], "text"),
    ],
)
def test_output_format(argv: list[str], output: str) -> None:
    request = parse_command(argv)
    assert isinstance(request, CheckRequest)
    assert request.output == output


def test_status_and_its_check() -> None:
    request = parse_command(["status", "--json", "--timeout", "3"])
    assert request == StatusRequest(timeout=3.0, output="json")
    assert to_check(request) == CheckRequest(timeout=3.0, output="json")


def test_magic_defaults_come_from_the_caller() -> None:
    assert parse_command([], magic=True, timeout=9.0, endpoint="https://m.example") == PanelRequest(
        timeout=9.0, endpoint="https://m.example"
    )
    assert parse_command(["panel"], magic=True) == PanelRequest()
    request = parse_command(["check", "gpt2", "--timeout", "1"], magic=True, timeout=9.0)
    assert isinstance(request, CheckRequest)
    assert request.timeout == 1.0


def test_shell_quoting_is_honoured() -> None:
    assert split_line("check 'org/name' --revision \"refs/pr/1\"") == [
        "check",
        "org/name",
        "--revision",
        "refs/pr/1",
    ]
    with pytest.raises(RequestError, match="No closing quotation"):
        split_line("check 'org/name")


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["check", "https://hf.co/datasets/org/d", "--type", "model"], "names a dataset but --type model"),
        (["check", "https://hf.co/org/m/tree/v1", "--revision", "v2"], "revision 'v1' but --revision 'v2'"),
        (["check", "--revision", "main"], "--revision needs a REPO"),
        (["check", "org/name", "--timeout", "0"], "positive number of seconds"),
        (["check", "org/name", "--timeout", "nan"], "positive number of seconds"),
        (["check", "org/name", "--json", "--markdown"], "not allowed with"),
        (["check", "bad id"], "whitespace"),
        (["check", "org/name", "--type", "kernel"], "invalid choice"),
        ([], "choose a command"),
        (["panel"], "invalid choice"),
    ],
)
def test_usage_errors(argv: list[str], says: str) -> None:
    with pytest.raises(RequestError) as excinfo:
        parse_command(argv)
    assert says in str(excinfo.value)
    assert excinfo.value.usage.startswith("usage: hfauth")


def test_check_errors_show_the_check_usage() -> None:
    with pytest.raises(RequestError) as excinfo:
        parse_command(["check", "a b"])
    assert excinfo.value.usage.startswith("usage: hfauth check")


@pytest.mark.parametrize(
    "argv",
    [
        ["check", CANARY],
        ["check", "org/name", "--revision", CANARY],
        ["check", f"--token={CANARY}"],
        [CANARY],
        ["check", CANARY[:-1]],  # a near miss: one letter lost in the copy
        ["check", "api_org_" + "x" * 34],
    ],
    ids=["repo", "revision", "option-value", "command", "near-miss", "org-token"],
)
@pytest.mark.parametrize("magic", [True, False])
def test_token_like_arguments_are_refused_without_echo(argv: list[str], magic: bool) -> None:
    with pytest.raises(RequestError) as excinfo:
        parse_command(argv, magic=magic)
    message = str(excinfo.value) + excinfo.value.usage
    assert "a token must never be typed on the " + ("magic line" if magic else "command line") in message
    assert CANARY[3:20] not in message
    assert "x" * 20 not in message


def test_token_on_a_raw_line_is_refused_even_when_the_quotes_are_broken() -> None:
    with pytest.raises(RequestError) as excinfo:
        split_line(f"check '{CANARY}")
    assert "magic line" in str(excinfo.value)
    assert CANARY not in str(excinfo.value)


def test_unknown_arguments_are_not_echoed() -> None:
    with pytest.raises(RequestError) as excinfo:
        parse_command(["check", "org/name", "--tokn", "s3cretvalue"], magic=True)
    message = str(excinfo.value)
    assert "2 unrecognized arguments" in message
    assert "a token must never be typed on the magic line" in message
    assert "s3cretvalue" not in message and "--tokn" not in message


def test_help_and_version_stop_without_exiting(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ParserExit) as excinfo:
        parse_command(["--version"])
    assert excinfo.value.status == 0
    with pytest.raises(ParserExit):
        parse_command(["check", "--help"], magic=True)
    out = capsys.readouterr().out
    assert "hfauth_nb 0.1.0" in out
    assert "usage: %hfauth check" in out
