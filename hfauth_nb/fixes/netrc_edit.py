"""Remove the entries for one machine from the text of a netrc file, keeping every other character.

Pure functions on text. What counts as an entry is decided by Python's `netrc` parser, the one requests
reads (fact N12: comments are positional, so a stanza that looks commented out can be live, and a careless
cut can turn a comment into a parse error). We lex the text exactly as that parser does, recording where
each token sits, try the least invasive cuts in turn, and keep the first one the stdlib parser reads as
"the original without that machine". A file no cut works for is refused, never approximated.
"""

from __future__ import annotations

import io
import netrc
from dataclasses import dataclass, field

_WHITESPACE = "\n\t\r "
_INLINE_SPACE = " \t"
_STOPPERS = frozenset({"", "machine", "default", "macdef"})
_FOLLOWERS = frozenset({"login", "user", "account", "password"})


_LIVE_COMMENT = (
    "the entry's line starts with '#', but Python's netrc reads it as a live entry (a '#' line after a "
    "blank line is not a comment to it), so requests used it: the whole line is removed"
)


class NetrcEditError(ValueError):
    """The text cannot be parsed, or no cut removes the machine without changing anything else."""


# -- the stdlib parser, on text ----------------------------------------------------------------------

Parsed = tuple[dict[str, tuple[str, str, str]], dict[str, list[str]]]


def parse(text: str) -> Parsed:
    """(hosts, macros) as `netrc.netrc` reads `text` from a file (universal newlines, no permission check).

    Uses the parser's `_parse` on a text stream: the exact code requests runs, without a file on disk.
    Raises NetrcEditError with the parser's message.
    """
    reader = netrc.netrc.__new__(netrc.netrc)
    reader.hosts = {}
    reader.macros = {}
    try:
        reader._parse("netrc", io.StringIO(text, newline=None), False)  # type: ignore[attr-defined]
    except netrc.NetrcParseError as exc:
        where = f" at line {exc.lineno}" if exc.lineno else ""
        raise NetrcEditError(f"Python's netrc parser rejects it{where}: {exc.msg}") from None
    hosts = {name: tuple(value) for name, value in reader.hosts.items()}
    return hosts, dict(reader.macros)  # type: ignore[return-value]


# -- a lexer that mirrors netrc._netrclex and remembers positions ------------------------------------


@dataclass(frozen=True)
class _Tok:
    value: str
    start: int
    end: int


class _Lexer:
    """netrc._netrclex (Python 3.11) over text with universal newlines already applied, with offsets.

    Quirks kept on purpose: `readline()` does not advance `lineno`, and the whitespace that ends a token
    is consumed (and counted) with it; the parser's comment rules depend on both.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.lineno = 1
        self.pushback: list[_Tok] = []

    def _read_char(self) -> str:
        if self.pos >= len(self.text):
            return ""
        ch = self.text[self.pos]
        self.pos += 1
        if ch == "\n":
            self.lineno += 1
        return ch

    def readline(self) -> str:
        newline = self.text.find("\n", self.pos)
        end = len(self.text) if newline < 0 else newline + 1
        line = self.text[self.pos : end]
        self.pos = end
        return line

    def push_token(self, tok: _Tok) -> None:
        self.pushback.append(tok)

    def get_token(self) -> _Tok:
        if self.pushback:
            return self.pushback.pop(0)
        while True:
            ch = self._read_char()
            if not ch:
                return _Tok("", self.pos, self.pos)
            if ch not in _WHITESPACE:
                break
        start = self.pos - 1
        token = ""
        if ch == '"':
            while True:
                ch = self._read_char()
                if not ch or ch == '"':
                    return _Tok(token, start, self.pos)
                if ch == "\\":
                    ch = self._read_char()
                token += ch
        if ch == "\\":
            ch = self._read_char()
        token += ch
        while True:
            ch = self._read_char()
            if not ch:
                return _Tok(token, start, self.pos)
            if ch in _WHITESPACE:
                return _Tok(token, start, self.pos - 1)
            if ch == "\\":
                ch = self._read_char()
            token += ch


@dataclass(frozen=True)
class Stanza:
    """One `machine NAME ...` or `default ...` entry, by offsets in the lexed text."""

    machine: str
    start: int  # the `machine` / `default` keyword
    end: int  # end of the entry's last token
    comment_spans: tuple[tuple[int, int], ...] = ()  # comments read inside the entry
    password_spans: tuple[tuple[int, int], ...] = ()


def stanzas_of(text: str) -> list[Stanza]:
    """Every entry of `text` (universal newlines applied), following netrc.netrc._parse step by step."""
    lexer = _Lexer(text)
    found: list[Stanza] = []
    while True:
        saved_lineno = lexer.lineno
        top = lexer.get_token()
        if not top.value:
            return found
        if top.value[0] == "#":
            if lexer.lineno == saved_lineno and len(top.value) == 1:
                lexer.readline()
            continue
        if top.value == "macdef":
            lexer.get_token()
            while True:
                line = lexer.readline()
                if not line:
                    raise NetrcEditError("a macdef block has no blank line after it")
                if line == "\n":
                    break
            continue
        if top.value == "machine":
            name = lexer.get_token()
        elif top.value == "default":
            name = top
        else:
            raise NetrcEditError(f"unexpected word at line {lexer.lineno}")
        if not name.value:
            raise NetrcEditError(f"an entry has no machine name (line {lexer.lineno})")
        found.append(_entry(lexer, top.start, name))


def _entry(lexer: _Lexer, start: int, name: _Tok) -> Stanza:
    last = name.end
    comments: list[tuple[int, int]] = []
    passwords: list[tuple[int, int]] = []
    while True:
        prev_lineno = lexer.lineno
        tok = lexer.get_token()
        if tok.value.startswith("#"):
            if lexer.lineno == prev_lineno:
                lexer.readline()
            comments.append((tok.start, lexer.pos))
            continue
        if tok.value in _STOPPERS:
            lexer.push_token(tok)
            break
        if tok.value not in _FOLLOWERS:
            raise NetrcEditError(f"unexpected word in an entry at line {lexer.lineno}")
        value = lexer.get_token()
        last = value.end
        if tok.value == "password":
            passwords.append((value.start, value.end))
    return Stanza(name.value, start, last, tuple(comments), tuple(passwords))


# -- universal newlines with a map back to the original ---------------------------------------------


def translate(original: str) -> tuple[str, list[int]]:
    """`original` with \\r\\n and \\r read as \\n (as `open()` does), and each character's original offset."""
    chars: list[str] = []
    offsets: list[int] = []
    i = 0
    while i < len(original):
        ch = original[i]
        offsets.append(i)
        if ch == "\r":
            chars.append("\n")
            i += 2 if original.startswith("\r\n", i) else 1
            continue
        chars.append(ch)
        i += 1
    offsets.append(len(original))
    return "".join(chars), offsets


# -- cutting -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NetrcEdit:
    """The result of removing one machine's entries: the new text and what was cut (original offsets)."""

    machine: str
    before: str = field(repr=False)
    after: str = field(repr=False)
    cuts: tuple[tuple[int, int], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def lines(self) -> tuple[tuple[int, int], ...]:
        """1-based (first, last) line numbers of each cut in the original text."""
        return tuple((_line_of(self.before, a), _line_of(self.before, max(a, b - 1))) for a, b in self.cuts)


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def remove_machine(text: str, machine: str) -> NetrcEdit:
    """`text` without any entry for `machine` (a host name, or "default" for the default entry).

    Every other character is kept; the blank lines right above an entry, or the comment lines right below
    it that the parser counted as part of it, go too only where keeping them would change how the parser
    reads the rest (and the edit's notes say so). Raises NetrcEditError when `text` cannot be parsed or no
    cut keeps every other entry and macro exactly as the parser read them.
    """
    hosts, macros = parse(text)
    expected = {name: value for name, value in hosts.items() if name != machine}
    current = text
    cuts: list[tuple[int, int, int]] = []
    notes: list[str] = []
    while machine in parse(current)[0]:
        current, cut, note = _cut_first(current, machine, expected, macros)
        cuts.append(cut)
        if note:
            notes.append(note)
    return NetrcEdit(machine, text, current, _to_original_cuts(len(text), cuts), tuple(dict.fromkeys(notes)))


def _to_original_cuts(length: int, cuts: list[tuple[int, int, int]]) -> tuple[tuple[int, int], ...]:
    """Cuts were made one after another (each may leave a bridge line of `inserted` characters); express them as
    merged spans of the untouched text."""
    alive = list(range(length))
    removed: set[int] = set()
    for start, end, inserted in cuts:
        removed.update(i for i in alive[start:end] if i >= 0)
        alive[start:end] = [-1] * inserted
    spans: list[tuple[int, int]] = []
    for index in sorted(removed):
        if spans and spans[-1][1] == index:
            spans[-1] = (spans[-1][0], index + 1)
        else:
            spans.append((index, index + 1))
    return tuple(spans)


def _newline_at(text: str, end: int) -> str:
    """The line ending of the line that ends at `end` (the file's own: CRLF stays CRLF)."""
    if text[max(end - 2, 0) : end] == "\r\n":
        return "\r\n"
    return text[end - 1 : end] if end and text[end - 1] in "\r\n" else "\n"


def _cut_first(
    text: str, machine: str, expected: dict[str, tuple[str, str, str]], macros: dict[str, list[str]]
) -> tuple[str, tuple[int, int, int], str]:
    translated, offsets = translate(text)
    targets = [s for s in stanzas_of(translated) if s.machine == machine]
    if not targets:
        raise NetrcEditError(f"the parser sees an entry for {machine} that could not be located")
    before_count = len(targets)
    for (start, end), bridge, note in _candidates(translated, targets[0]):
        a, b = offsets[start], offsets[end]
        replacement = (BRIDGE + _newline_at(text, b)) if bridge else ""
        candidate = text[:a] + replacement + text[b:]
        if _reads_as(candidate, machine, expected, macros, before_count):
            return candidate, (a, b, len(replacement)), note
    raise NetrcEditError(
        f"no cut removes the {machine} entry without changing how Python's netrc parser reads the rest "
        "of the file (a comment or macdef around it depends on it)"
    )


def _reads_as(
    candidate: str,
    machine: str,
    expected: dict[str, tuple[str, str, str]],
    macros: dict[str, list[str]],
    before_count: int,
) -> bool:
    try:
        hosts, new_macros = parse(candidate)
        remaining = sum(1 for s in stanzas_of(translate(candidate)[0]) if s.machine == machine)
    except NetrcEditError:
        return False
    others = {name: value for name, value in hosts.items() if name != machine}
    return others == expected and new_macros == macros and remaining == before_count - 1


# A one-word comment line the parser always reads as a comment, left where an entry was removed when the lines
# around it depend on it (fact N12): without a word ending the entry's last line, Python's netrc would read a
# comment line that follows, or one after a blank line, as words of the previous entry.
BRIDGE = "#hfauth-removed-entry"
_BRIDGE_NOTE = (
    f"a one-word comment line '{BRIDGE}' stands where the entry was: without it, Python's netrc would read the "
    "comment lines around it as words of the previous entry; every other line is kept as it was"
)


def _candidates(text: str, stanza: Stanza) -> list[tuple[tuple[int, int], bool, str]]:
    """Cuts to try, least invasive first: the entry's whole lines; the same lines replaced by a bridge comment
    when the comments around it depend on it; then its words. Never a byte outside the entry."""
    out: list[tuple[tuple[int, int], bool, str]] = []
    line_start = text.rfind("\n", 0, stanza.start) + 1
    prefix = text[line_start : stanza.start].strip(_INLINE_SPACE)
    hashed = prefix.startswith("#") and not any(ch in _INLINE_SPACE for ch in prefix)
    tail = _line_tail(text, stanza)
    if (not prefix or hashed) and tail is not None:
        note = _LIVE_COMMENT if hashed else ""
        out.append(((line_start, tail), False, note))
        if tail > line_start and text[tail - 1] == "\n":
            out.append(((line_start, tail), True, "; ".join(n for n in (note, _BRIDGE_NOTE) if n)))
    after = stanza.end
    while after < len(text) and text[after] in _INLINE_SPACE:
        after += 1
    if after < len(text) and text[after] != "\n":
        out.append(((stanza.start, after), False, ""))
    before = stanza.start
    while before > 0 and text[before - 1] in _INLINE_SPACE:
        before -= 1
    if before > line_start:
        out.append(((before, stanza.end), False, ""))
    out.append(((stanza.start, stanza.end), False, ""))
    return out


def _line_tail(text: str, stanza: Stanza) -> int | None:
    """Where the entry's last line ends (after its newline), if nothing but space or its comment follows."""
    index = stanza.end
    while index < len(text) and text[index] in _INLINE_SPACE:
        index += 1
    if index >= len(text):
        return index
    if text[index] == "\n":
        return index + 1
    for start, end in stanza.comment_spans:
        if start == index and text[end - 1 : end] == "\n":
            return end
        if start == index and end == len(text):
            return end
    return None
