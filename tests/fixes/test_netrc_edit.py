"""Examples of netrc surgery, each one a layout people have: checked against Python's own netrc parser."""

from __future__ import annotations

import pytest

from hfauth_nb.fixes.netrc_edit import BRIDGE, NetrcEditError, parse, remove_machine
from hfauth_nb.fixes.netrc_show import masked, masked_diff

HUB = "huggingface.co"


def test_removes_the_stanza_line_and_keeps_everything_else_byte_for_byte() -> None:
    text = "machine github.com login me password gh1\nmachine huggingface.co login u password p\n# c\nmacdef x\nls\n\n"
    edit = remove_machine(text, HUB)
    assert edit.after == "machine github.com login me password gh1\n# c\nmacdef x\nls\n\n"
    assert edit.lines == ((2, 2),)
    assert parse(edit.after) == ({"github.com": ("me", "", "gh1")}, {"x": ["ls\n"]})


def test_multi_line_stanza_with_inner_comment_and_crlf() -> None:
    text = "machine huggingface.co\r\n\tlogin u\r\n\t# old one\r\n\tpassword p\r\n\r\nmachine a login b password c\r\n"
    edit = remove_machine(text, HUB)
    assert edit.after == "\r\nmachine a login b password c\r\n"
    assert edit.lines == ((1, 4),)


def test_stanzas_sharing_a_line_lose_only_their_words() -> None:
    text = "machine a login 1 password 2 machine huggingface.co login x password y machine b login 3\n"
    edit = remove_machine(text, HUB)
    assert edit.after == "machine a login 1 password 2 machine b login 3\n"


def test_a_hash_line_after_a_blank_line_is_live_and_is_removed_whole() -> None:
    """Fact N12: Python's netrc reads this 'commented out' stanza as a live entry."""
    text = "machine github.com login a password b\n\n# machine huggingface.co login old password stale\n"
    assert HUB in parse(text)[0]
    edit = remove_machine(text, HUB)
    assert edit.after == "machine github.com login a password b\n\n"
    assert any("live entry" in note for note in edit.notes)


def test_a_real_comment_is_not_an_entry() -> None:
    text = "machine github.com login a password b\n# machine huggingface.co login old password stale\n"
    edit = remove_machine(text, HUB)
    assert not edit.changed


def test_blank_line_and_comment_stay_when_the_parser_depends_on_the_entry() -> None:
    """Without the entry, Python's netrc would read '# about b' (after a blank line) as words of entry a: a
    one-word bridge comment takes the entry's place, and every other byte stays."""
    text = "machine a login 1 password 2\n\nmachine huggingface.co login x password y\n# about b\nmachine b login 3\n"
    edit = remove_machine(text, HUB)
    assert edit.after == f"machine a login 1 password 2\n\n{BRIDGE}\n# about b\nmachine b login 3\n"
    assert any(BRIDGE in note for note in edit.notes)
    assert parse(edit.after)[0] == {k: v for k, v in parse(text)[0].items() if k != HUB}


def test_comment_below_stays_when_the_parser_counted_it_in_the_entry() -> None:
    # A quoted value does not swallow the newline after it, so only the hub line kept '# :' a comment.
    text = 'machine github.com login "0"\nmachine huggingface.co\n# :'
    edit = remove_machine(text, HUB)
    assert edit.after == f'machine github.com login "0"\n{BRIDGE}\n# :'


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize(
    "comment",
    [
        "# Schl\u00fcssel f\u00fcr Hugging Face \u2014 \u65e5\u672c",
        "# Hugging Face",
        "# TODO rotate these",
        "# old password: hf_previous",
        "# machine huggingface.co login old password stale",
        "#machine huggingface.co login old password stale",
    ],
)
@pytest.mark.parametrize(
    "before", ["", "machine github.com login a password b  ", 'machine github.com login "a"']
)
def test_comment_lines_after_the_hub_entry_are_kept(before: str, comment: str, newline: str) -> None:
    """Issue 11: the comment lines that follow the Hub stanza are the user's bytes."""
    head = before + newline if before else ""
    text = f"{head}machine huggingface.co login u password hf_x{newline}{comment}{newline}machine z login q{newline}"
    keeping = (
        f"{head}{comment}{newline}machine z login q{newline}",
        f"{head}{BRIDGE}{newline}{comment}{newline}machine z login q{newline}",
    )
    try:
        edit = remove_machine(text, HUB)
    except NetrcEditError:
        # Refused only when no text that keeps the comment reads as the original minus the Hub entry (a '#word'
        # line at the top of a file is not a comment to Python's netrc): the user decides, nothing is lost.
        for candidate in keeping:
            with pytest.raises(NetrcEditError):
                parse(candidate)
        return
    assert HUB not in parse(edit.after)[0]
    assert edit.after in keeping


def test_duplicates_are_all_removed() -> None:
    text = "machine huggingface.co login a password 1\nmachine x login b\nmachine huggingface.co login c password 2\n"
    edit = remove_machine(text, HUB)
    assert edit.after == "machine x login b\n"
    assert edit.lines == ((1, 1), (3, 3))


def test_default_entry_is_removed_only_when_asked() -> None:
    text = "machine a login 1\ndefault login anonymous password me@example.org\n"
    assert not remove_machine(text, HUB).changed
    assert remove_machine(text, "default").after == "machine a login 1\n"


def test_unparsable_text_is_refused_with_the_parsers_reason() -> None:
    with pytest.raises(NetrcEditError, match="line"):
        remove_machine("machine huggingface.co login u password p\nbogus words here\n", HUB)


def test_quoted_values_and_escapes() -> None:
    text = 'machine huggingface.co login "a b" password "p\\"q"\nmachine c login "x y"\n'
    edit = remove_machine(text, HUB)
    assert edit.after == 'machine c login "x y"\n'


def test_diff_masks_every_password_and_token() -> None:
    secret = "s3cr3t-" + "value"
    text = (
        f"machine github.com login me password {secret}\nmachine huggingface.co login u password {secret}x\n"
    )
    edit = remove_machine(text, HUB)
    diff = masked_diff(edit, "~/.netrc")
    assert secret not in diff
    # A password shows nothing of itself (not even mask()'s first 3 and last 4 characters).
    assert "-machine huggingface.co login u password ********" in diff and "s3c" not in diff
    assert secret not in masked(text)
