"""Masking and scrubbing of secrets: the one place that decides how a secret may be shown.

Every URL the tool shows goes through `redact_url` (scrub applies it to all text), so credentials written into a
URL (`https://user:password@mirror`, a proxy URL, a `.git-credentials` line) never reach the screen, whatever
their shape.
"""

from __future__ import annotations

import functools
import re
from typing import Iterable
from urllib.parse import unquote

# Token shapes the Hub issues (facts F1-F3): user tokens hf_ + 34 letters, OAuth hf_oauth_..., OIDC
# hf_jwt_..., legacy org tokens api_org_ + 34 letters. Used to scrub free text (server messages,
# exception strings) of tokens the engine never saw as a source.
TOKEN_PATTERN = re.compile(
    r"(?<![A-Za-z0-9_])(?:hf_(?:oauth_|jwt_)[A-Za-z0-9_.\-]{8,}|hf_[A-Za-z]{34}|api_org_[A-Za-z]{34})"
    r"(?![A-Za-z0-9])"
)

# What output scrubbing masks: the shapes above with no word boundary (a token glued to a letter, a digit or `_`
# is still a token) and near misses (a token that lost or gained letters in a bad copy). Over-masking is fine here.
NEAR_TOKEN_PATTERN = re.compile(r"hf_(?:oauth_|jwt_)[A-Za-z0-9_.\-]{8,}|(?:hf_|api_org_)[A-Za-z]{28,}")

# `scheme://userinfo@`: everything between `://` and the last `@` before the host is a credential.
_USERINFO = re.compile(r"(?i)(?<![a-z0-9+.\-])([a-z][a-z0-9+.\-]{0,31}://)[^\s/?#<>\"'`]*@")

# A run of URL characters holding at least one %XX escape: decoded before it is searched for secrets.
# (A run starts only where the previous character cannot belong to it: linear time on long base64-like text.)
_PERCENT_RUN = re.compile(
    r"(?<![A-Za-z0-9_.~+%\-])"
    r"(?:%[0-9A-Fa-f]{2}|[A-Za-z0-9_.~+\-])*%[0-9A-Fa-f]{2}(?:%[0-9A-Fa-f]{2}|[A-Za-z0-9_.~+\-])*"
)

# Whole known secrets shorter than this are not searched for in free text (too many chance hits); URLs still
# lose their userinfo whatever its length.
_MIN_SCRUB_LENGTH = 6

# A fragment of a known secret is masked once it holds this many characters of the secret's body (what follows a
# public prefix such as `hf_`). Why 8: the mask itself shows 4 body characters, so any echo longer than that says
# more than we do; 8 random letters of a 52-letter alphabet (about 45 bits) never occur by chance in a report, so
# the rule does not eat ordinary words; and a server that echoes "the first 8/10/16 characters" is caught.
FRAGMENT_LENGTH = 8
_PUBLIC_PREFIXES = ("hf_oauth_", "hf_jwt_", "api_org_", "hf_")
_HIDDEN = "********"


def mask(token: str | None) -> str | None:
    """Show a token the way hfauth_nb always shows it: `hf_...wxyz`; short values are fully hidden."""
    if token is None:
        return None
    if len(token) < 12:
        return "*" * min(len(token), 8) or "(empty)"
    return f"{token[:3]}...{token[-4:]}"


def redact_url(url: str) -> str:
    """`url` without its userinfo (`https://user:pw@mirror/x` -> `https://mirror/x`): the form every URL is shown
    and requested in."""
    return _USERINFO.sub(r"\1", url)


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """Replace every known secret (and any 8+ character fragment of one), every token-shaped string, and every
    URL's userinfo in `text`; percent-encoded runs are decoded first so `hf%5F...` cannot slip through."""
    if not text:
        return text
    known = _Known.of(frozenset(s for s in secrets if s))
    if "://" in text:
        text = redact_url(text)
    if "%" in text:
        text = _PERCENT_RUN.sub(lambda m: _scrub_encoded(m.group(0), known), text)
    return known.scrub(text)


def _scrub_encoded(run: str, known: _Known) -> str:
    decoded = unquote(run)
    if len(decoded) < _MIN_SCRUB_LENGTH:  # too short to hold a secret we would search for
        return run
    scrubbed = known.scrub(decoded)
    return run if scrubbed == decoded else scrubbed


def mask_secret(secret: str | None) -> str | None:
    """How a credential that may be a password is shown: token-shaped values keep the usual `hf_...wxyz`; any
    other secret (a netrc or endpoint password) shows nothing of itself, not even `mask()`'s 7 characters."""
    return None if secret is None else _shown(secret)


def _shown(secret: str) -> str:
    """Token-shaped values keep the usual `hf_...wxyz`; any other secret (a password) shows nothing of itself."""
    return (mask(secret) or _HIDDEN) if secret.startswith(_PUBLIC_PREFIXES) else _HIDDEN


class _Known:
    """A set of known secrets, ready to be searched for (built once per set: reports scrub many strings)."""

    def __init__(self, secrets: frozenset[str]) -> None:
        self.whole = sorted((s for s in secrets if len(s) >= _MIN_SCRUB_LENGTH), key=len, reverse=True)
        grams: dict[str, dict[str, None]] = {}  # piece -> the secrets holding it (ordered, no repeats)
        for secret in self.whole:
            body, size = _body(secret), _fragment_length(secret)
            for i in range(len(body) - size + 1 if len(body) > size else 0):
                grams.setdefault(body[i : i + size], {})[secret] = None
        self.owners = grams

    @staticmethod
    @functools.lru_cache(maxsize=64)
    def of(secrets: frozenset[str]) -> _Known:
        return _Known(secrets)

    def scrub(self, text: str) -> str:
        for secret in self.whole:
            if secret in text:
                text = text.replace(secret, _shown(secret))
        text = NEAR_TOKEN_PATTERN.sub(lambda m: mask(m.group(0)) or _HIDDEN, text)
        if self.owners:
            text = self._scrub_fragments(text)
        return text

    def _scrub_fragments(self, text: str) -> str:
        """Mask the longest stretch of text around each 8-character piece of a known secret."""
        spans: list[tuple[int, int]] = []
        for piece, owners in self.owners.items():  # str.find per piece: fast even on 64 KiB of base64
            start = text.find(piece)
            while start != -1:
                found = [_extend(text, start, start + len(piece), secret) for secret in owners]
                spans += found
                # A match inside a stretch already masked adds nothing: resume after it (linear on `aaaa...`).
                end = max(e for _, e in found)
                start = text.find(piece, max(start + 1, end - len(piece) + 1))
        if not spans:
            return text
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        out, last = [], 0
        for s, e in merged:
            out += [text[last:s], _HIDDEN]
            last = e
        out.append(text[last:])
        return "".join(out)


def _fragment_length(secret: str) -> int:
    """8 for a token (a random body); a password is not random, so its pieces must hold 2/3 of it."""
    if secret.startswith(_PUBLIC_PREFIXES):
        return FRAGMENT_LENGTH
    return max(FRAGMENT_LENGTH, -(-2 * len(secret) // 3))


def _body(secret: str) -> str:
    for prefix in _PUBLIC_PREFIXES:
        if secret.startswith(prefix):
            return secret[len(prefix) :]
    return secret


def _extend(text: str, start: int, end: int, secret: str) -> tuple[int, int]:
    """Grow text[start:end] (a piece of `secret`) while its neighbours continue the secret on either side."""
    piece = text[start:end]
    best = (start, end)
    offset = secret.find(piece)
    while offset != -1:
        s, e, i, j = start, end, offset, offset + len(piece)
        while s > 0 and i > 0 and text[s - 1] == secret[i - 1]:
            s, i = s - 1, i - 1
        while e < len(text) and j < len(secret) and text[e] == secret[j]:
            e, j = e + 1, j + 1
        if e - s > best[1] - best[0]:
            best = (s, e)
        offset = secret.find(piece, offset + 1)
    return best
