"""Find Hub tokens in one piece of text: as written, behind escapes, and broken over a line.

Pure. A token is found wherever its prefix starts, even glued to what comes before it: kernels write tokens
right after an ANSI colour code (`\x1b[0;32mhf_...`), reprs right after an escaped `\n` or `\t`, JSON right
after `\u0022`, and people glue them to names (`TOKEN_hf_...`). After it, a letter would make the body longer
than a token's, so only a digit, `_` or a non-letter may follow. Matches that are noise are dropped: placeholders
(`hf_xxxx...`), letters inside a base64 blob, and identifiers spelled in CamelCase words (`identifier.py`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from hfauth_nb.scan.identifier import looks_like_identifier

# The token shapes the Hub issues (facts F1-F3): user tokens hf_ + 34 letters, legacy org tokens api_org_ + 34
# letters, OAuth tokens hf_oauth_ + 20 or more letters and digits, OIDC tokens hf_jwt_ + a JWT (`eyJ...`).
SCAN_PATTERN = re.compile(
    r"hf_oauth_[A-Za-z0-9]{20,}(?![A-Za-z0-9])"
    r"|hf_jwt_eyJ[A-Za-z0-9_\-]{10,}(?:\.[A-Za-z0-9_\-]+){0,2}(?![A-Za-z0-9_.\-])"
    r"|(?:hf_|api_org_)[A-Za-z]{34}(?![A-Za-z])"
)

_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2})|U([0-9a-fA-F]{8}))")
# A token cut by a line break: the start at the end of one line, the rest at the start of the next.
_SPLIT = re.compile(r"(?<![A-Za-z0-9_])(hf_|api_org_)([A-Za-z]{4,30})\r?\n([A-Za-z]{4,30})(?![A-Za-z0-9])")
_BODY_LETTERS = 34
_MIN_DISTINCT = 10  # a real body of 34 random letters has ~25 distinct ones; `hf_xxxx...` has 1
_BLOB_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_")
_BLOB_RUN = 120


@dataclass(frozen=True)
class Hit:
    """One token in a text; `line`/`column` are 1-based, `how` says how it was written when not plainly."""

    token: str = field(repr=False)
    line: int
    column: int
    how: str = ""

    @property
    def kind(self) -> str:
        return kind_of(self.token)


def kind_of(token: str) -> str:
    if token.startswith("hf_oauth_"):
        return "OAuth token"
    if token.startswith("hf_jwt_"):
        return "OIDC token"
    if token.startswith("api_org_"):
        return "organization API token"
    return "user access token"


def find_tokens(text: str) -> list[Hit]:
    """Every distinct (token, line) in `text`, in order of appearance."""
    hits = _matches(text, "")
    if "\\" in text:
        hits += _matches(_unescape(text), "written with \\u escapes")
    if "&" in text:
        hits += _matches(html.unescape(text), "written with HTML character references")
    hits += _split_matches(text)
    seen: set[tuple[str, int]] = set()
    unique = []
    for hit in sorted(hits, key=lambda h: (h.line, h.column, h.how != "")):
        if (hit.token, hit.line) not in seen:
            seen.add((hit.token, hit.line))
            unique.append(hit)
    return unique


def _matches(text: str, how: str) -> list[Hit]:
    hits = []
    for match in SCAN_PATTERN.finditer(text):
        token = match.group(0)
        if _placeholder(token) or _inside_blob(text, match.start(), match.end()) or _identifier(token):
            continue
        line, column = _position(text, match.start())
        hits.append(Hit(token, line, column, how))
    return hits


def _split_matches(text: str) -> list[Hit]:
    hits = []
    for match in _SPLIT.finditer(text):
        prefix, head, tail = match.groups()
        if len(head) + len(tail) != _BODY_LETTERS:
            continue
        token = prefix + head + tail
        if _placeholder(token) or _identifier(token):
            continue
        line, column = _position(text, match.start())
        hits.append(Hit(token, line, column, "split across two lines"))
    return hits


def _placeholder(token: str) -> bool:
    """`hf_xxxxxxxx...`, `hf_AAAA...`: the shape of a token with nothing random in it."""
    body = token.split("_", 2)[-1] if token.startswith(("hf_oauth_", "hf_jwt_")) else token.rsplit("_", 1)[-1]
    return len(set(body)) < _MIN_DISTINCT


def _identifier(token: str) -> bool:
    """`hf_ThisIsALongCamelCaseIdentifierXyz`: a name made of words, not 34 random letters."""
    if token.startswith(("hf_oauth_", "hf_jwt_")):
        return False
    return looks_like_identifier(token.rsplit("_", 1)[-1])


def _inside_blob(text: str, start: int, end: int) -> bool:
    """Letters inside a long base64/base64url run (an embedded image, a binary buffer), not a token.

    Inside means blob characters on both sides: a token written right after a long run (a hash, a key, a
    separator line) and followed by a quote or a space is a token."""
    left = start
    while left > 0 and text[left - 1] in _BLOB_CHARS:
        left -= 1
    right = end
    while right < len(text) and text[right] in _BLOB_CHARS:
        right += 1
    before, after = start - left, right - end
    return (before >= _BLOB_RUN and after > 0) or (after >= _BLOB_RUN and before > 0)


def _position(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def _unescape(text: str) -> str:
    """Decode \\uXXXX, \\xXX and \\UXXXXXXXX escapes (JSON and Python string spellings) in place."""

    def decode(match: re.Match[str]) -> str:
        code = int(next(group for group in match.groups() if group), 16)
        try:
            return chr(code)
        except (ValueError, OverflowError):
            return match.group(0)

    return _ESCAPE.sub(decode, text)
