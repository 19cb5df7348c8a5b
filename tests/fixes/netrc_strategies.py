"""Hypothesis strategies for netrc files built from whole-line items, so a test knows which bytes are whose.

A file is a list of items (entries, comment lines, blank lines, macdef blocks); each renders to complete
lines. Some generated files do not parse (a comment after a blank line is not a comment to Python's
netrc): the properties cover that branch too.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from hypothesis import strategies as st

HUB = "huggingface.co"
HOSTS = (HUB, "github.com", "example.org", "hf.co", "gitlab.internal")
_VALUE_CHARS = string.ascii_letters + string.digits + "!$%&()*+,-./:;<=>?@[]^_{|}~"


@dataclass(frozen=True)
class Item:
    kind: str  # entry | comment | commented-entry | blank | macdef
    text: str  # complete lines, "\n" endings
    machine: str | None = None  # for entries (and commented-out ones): the host, or "default"


def _value() -> st.SearchStrategy[str]:
    plain = st.text(_VALUE_CHARS, min_size=1, max_size=12)
    quoted = st.text(_VALUE_CHARS + " ", min_size=1, max_size=12).map(lambda v: f'"{v}"')
    return st.one_of(plain, plain, quoted)


@st.composite
def entries(draw: st.DrawFn, machines: tuple[str, ...] = (HUB, *HOSTS, "default")) -> Item:
    machine = draw(st.sampled_from(machines))
    keys = draw(st.lists(st.sampled_from(("login", "password", "account", "user")), max_size=3, unique=True))
    fields = [(key, draw(_value())) for key in keys]
    space = draw(st.sampled_from((" ", "\t", "  ", " \t ")))
    head = "default" if machine == "default" else f"machine{space}{machine}"
    indent = draw(st.sampled_from(("", "  ", "\t")))
    trailing = draw(st.sampled_from(("", "", "  ", "\t", " # the token for this host")))
    if draw(st.booleans()):  # one line
        body = head + "".join(f"{space}{k}{space}{v}" for k, v in fields)
        return Item("entry", f"{indent}{body}{trailing}\n", machine)
    lines = [indent + head]
    for key, value in fields:
        if draw(st.integers(0, 4)) == 0:
            lines.append(f"{indent}  # note about {key}")
        lines.append(f"{indent}  {key}{space}{value}")
    lines[-1] += trailing
    return Item("entry", "\n".join(lines) + "\n", machine)


KEYWORDS = frozenset({"machine", "default", "macdef", "login", "user", "account", "password"})


_UTF8_WORDS = (
    "Schl\u00fcssel",
    "f\u00fcr",
    "\u65e5\u672c\u8a9e",
    "\u2014",
    "caf\u00e9",
    "\u0422\u043e\u043a\u0435\u043d",
    "\U0001f511",
)
_PHRASES = ("Hugging Face", "TODO rotate these", "old password: hf_previous", "do not share")


def comments() -> st.SearchStrategy[Item]:
    """Comment lines whose words are never netrc keywords, so where the parser does not skip them the file
    fails to parse (rather than the comment silently becoming part of an entry). ASCII and UTF-8 words, the
    phrases users write, with or without a space after '#'."""
    ascii_word = st.text(string.ascii_letters + ".:-", min_size=1, max_size=8).filter(
        lambda w: w not in KEYWORDS
    )
    word = st.one_of(ascii_word, st.sampled_from(_UTF8_WORDS))
    free = st.lists(word, max_size=4).map(" ".join)
    body = st.one_of(free, st.sampled_from(_PHRASES), st.builds(lambda t: f"old token {t}", _token_shaped()))
    hashes = st.sampled_from(("# ", "# ", "# ", "# ", "  # ", "#", "## "))
    return st.builds(lambda h, b: Item("comment", f"{h}{b}".rstrip(" ") + "\n"), hashes, body)


def _token_shaped() -> st.SearchStrategy[str]:
    return st.text(string.ascii_letters, min_size=34, max_size=34).map(lambda body: "hf_" + body)


@st.composite
def commented_entries(draw: st.DrawFn) -> Item:
    """A stanza someone 'commented out' ('# machine HOST login ... password ...'). Python's netrc reads it as a
    comment or as a live entry depending on what precedes it (fact N12); its password is made unique per file
    (see netrc_files) so a test can ask the stdlib parser which it is."""
    machine = draw(st.sampled_from((HUB, HUB, "github.com")))
    hashes = draw(st.sampled_from(("# ", "#")))
    login = draw(st.text(string.ascii_lowercase, min_size=1, max_size=6))
    return Item("commented-entry", f"{hashes}machine {machine} login {login} password {{marker}}\n", machine)


def blanks() -> st.SearchStrategy[Item]:
    return st.sampled_from(("\n", "  \n", "\t\n")).map(lambda t: Item("blank", t))


@st.composite
def macdefs(draw: st.DrawFn) -> Item:
    name = draw(st.text(string.ascii_lowercase, min_size=1, max_size=6))
    lines = draw(st.lists(st.sampled_from(("cd /pub", "bin", "get README", "quit", "  put x")), max_size=3))
    return Item("macdef", f"macdef {name}\n" + "".join(f"{line}\n" for line in lines) + "\n")


@dataclass(frozen=True)
class NetrcFile:
    items: tuple[Item, ...]
    crlf: bool
    final_newline: bool

    @property
    def text(self) -> str:
        raw = "".join(item.text for item in self.items)
        if not self.final_newline and raw.endswith("\n"):
            raw = raw[:-1]
        return raw.replace("\n", "\r\n") if self.crlf else raw


def marker(index: int) -> str:
    """The unique password of the commented-out stanza at `index` ('`' never occurs in generated values)."""
    return f"old`{index}"


def _with_markers(items: list[Item]) -> tuple[Item, ...]:
    return tuple(
        Item(item.kind, item.text.replace("{marker}", marker(i)), item.machine)
        if item.kind == "commented-entry"
        else item
        for i, item in enumerate(items)
    )


@st.composite
def netrc_files(draw: st.DrawFn, *, with_comments: bool = True) -> NetrcFile:
    kinds = [entries(), entries(), entries(), blanks(), macdefs()]
    if with_comments:
        kinds += [comments(), commented_entries()]
    items = draw(st.lists(st.one_of(*kinds), max_size=9))
    return NetrcFile(_with_markers(items), crlf=draw(st.booleans()), final_newline=draw(st.booleans()))


@st.composite
def hub_files_with_comments(draw: st.DrawFn) -> NetrcFile:
    """Files built around at least one Hub stanza, with comments (UTF-8, commented-out stanzas) before, between
    and after it, among other entries and blank lines; CRLF or LF."""
    around = st.lists(
        st.one_of(comments(), comments(), commented_entries(), entries(), entries(), blanks()), max_size=4
    )
    hub = entries(machines=(HUB,))
    first = draw(st.one_of(st.just([]), st.lists(entries(machines=HOSTS[1:]), min_size=1, max_size=1)))
    items = [
        *first,
        *draw(around),
        *draw(st.lists(comments(), min_size=1, max_size=2)),
        draw(hub),
        *draw(st.lists(st.one_of(comments(), commented_entries()), min_size=1, max_size=3)),
        *draw(around),
    ]
    return NetrcFile(_with_markers(items), crlf=draw(st.booleans()), final_newline=draw(st.booleans()))
