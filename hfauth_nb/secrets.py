"""Masking and scrubbing of tokens: the one place that decides how a secret may be shown."""

from __future__ import annotations

import re
from typing import Iterable

# Token shapes the Hub issues (facts F1-F3): user tokens hf_ + 34 letters, OAuth hf_oauth_..., OIDC
# hf_jwt_..., legacy org tokens api_org_ + 34 letters. Used to scrub free text (server messages,
# exception strings) of tokens the engine never saw as a source.
TOKEN_PATTERN = re.compile(
    r"(?<![A-Za-z0-9_])(?:hf_(?:oauth_|jwt_)[A-Za-z0-9_.\-]{8,}|hf_[A-Za-z]{34}|api_org_[A-Za-z]{34})"
    r"(?![A-Za-z0-9])"
)

# The same shapes, as the leak scanner (hfauth_nb.scan) looks for them in saved text: scrubbing may over-mask,
# a scan report may not cry wolf. OAuth tokens must have an issued-looking body (no underscores, 20+ letters and
# digits) and OIDC tokens must carry a JWT (`eyJ...`), so names like `hf_oauth_redirect_url` are not reported.
LEAK_PATTERN = re.compile(
    r"(?<![A-Za-z0-9_])(?:hf_oauth_[A-Za-z0-9]{20,}(?![A-Za-z0-9_])"
    r"|hf_jwt_eyJ[A-Za-z0-9_\-]{10,}(?:\.[A-Za-z0-9_\-]+){0,2}(?![A-Za-z0-9_.\-])"
    r"|(?:hf_|api_org_)[A-Za-z]{34}(?![A-Za-z0-9]))"
)

_MIN_SCRUB_LENGTH = 6


def mask(token: str | None) -> str | None:
    """Show a token the way hfauth_nb always shows it: `hf_...wxyz`; short values are fully hidden."""
    if token is None:
        return None
    if len(token) < 12:
        return "*" * min(len(token), 8) or "(empty)"
    return f"{token[:3]}...{token[-4:]}"


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """Replace every known secret and every token-shaped string in `text` by its mask."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret and len(secret) >= _MIN_SCRUB_LENGTH and secret in text:
            text = text.replace(secret, mask(secret) or "***")
    return TOKEN_PATTERN.sub(lambda m: mask(m.group(0)) or "***", text)
