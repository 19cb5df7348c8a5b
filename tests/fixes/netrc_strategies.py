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
    kind: str  # entry | comment | blank | macdef
    text: str  # complete lines, "\n" endings
    machine: str | None = None  # for entries: the host, or "default"


def _value() -> st.SearchStrategy[str]:
    plain = st.text(_VALUE_CHARS, min_size=1, max_size=12)
    quoted = st.text(_VALUE_CHARS + " ", min_size=1, max_size=12).map(lambda v: f'"{v}"')
    return st.one_of(plain, plain, quoted)


@st.composite
def entries(draw: st.DrawFn) -> Item:
    machine = draw(st.sampled_from((HUB, *HOSTS, "default")))
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


def comments() -> st.SearchStrategy[Item]:
    """Comment lines whose words are never netrc keywords, so where the parser does not skip them the file
    fails to parse (rather than the comment silently becoming part of an entry)."""
    word = st.text(string.ascii_letters + ".:-", min_size=1, max_size=8).filter(lambda w: w not in KEYWORDS)
    return st.lists(word, max_size=4).map(lambda ws: Item("comment", "# " + " ".join(ws) + "\n"))


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


@st.composite
def netrc_files(draw: st.DrawFn, *, with_comments: bool = True) -> NetrcFile:
    kinds = [entries(), entries(), entries(), blanks(), macdefs()]
    if with_comments:
        kinds.append(comments())
    items = draw(st.lists(st.one_of(*kinds), max_size=9))
    return NetrcFile(tuple(items), crlf=draw(st.booleans()), final_newline=draw(st.booleans()))
