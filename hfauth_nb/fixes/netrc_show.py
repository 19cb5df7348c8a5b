"""Show a netrc edit without showing a password: masked text, a masked diff, credentials left in comments.

The edit itself (netrc_edit) is pure surgery; this is what the plan prints. Stanza positions come from the same
lexer, so exactly the password values are masked, wherever they sit on their lines.
"""

from __future__ import annotations

import difflib
import re
from typing import Callable, Iterable

from hfauth_nb.fixes.netrc_edit import NetrcEdit, NetrcEditError, stanzas_of, translate
from hfauth_nb.secrets import TOKEN_PATTERN, mask_secret, scrub

# -- credentials left in comments -------------------------------------------------------------------

_PASSWORD_WORD = re.compile(r"(?i)\b(?:password|passwd|token)\b\W*(\S+)")


def secret_comments(text: str, passwords: Iterable[str] = ()) -> list[tuple[int, str]]:
    """(line number, masked value) for each comment line of `text` that holds a credential: a token-shaped
    string, a known password, or a value after the word 'password'/'token'. The fix never edits comments
    (they are the user's bytes); the plan names these so the user can decide."""
    known = {p for p in passwords if p and len(p) >= 4}
    found: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        hash_at = line.find("#")
        if hash_at < 0:
            continue
        comment = line[hash_at + 1 :]
        value = next((p for p in known if p in comment), None)
        if value is None:
            match = TOKEN_PATTERN.search(comment) or _PASSWORD_WORD.search(comment)
            value = match.group(match.lastindex or 0) if match else None
        if value:
            found.append((number, _mask_word(value)))
    return found


# -- showing it --------------------------------------------------------------------------------------


def masked(text: str) -> str:
    """`text` with every password value replaced by its mask (and token-shaped strings scrubbed)."""
    translated, offsets = translate(text)
    try:
        stanzas = stanzas_of(translated)
    except NetrcEditError:
        return scrub(text)
    pieces: list[str] = []
    cursor = 0
    for start, end in sorted(span for s in stanzas for span in s.password_spans):
        a, b = offsets[start], offsets[end]
        pieces.append(text[cursor:a])
        pieces.append(_mask_word(text[a:b]))
        cursor = b
    pieces.append(text[cursor:])
    return scrub("".join(pieces))


def _mask_word(word: str) -> str:
    return mask_secret(word.strip('"')) or "***"


def masked_diff(edit: NetrcEdit, path: str, *, masker: Callable[[str], str] = masked) -> str:
    """A unified diff of the edit with passwords masked, line endings shown as plain lines."""
    old = masker(edit.before).splitlines()
    new = masker(edit.after).splitlines()
    lines = difflib.unified_diff(old, new, fromfile=path, tofile=f"{path} (after the fix)", lineterm="")
    return "\n".join(lines)
