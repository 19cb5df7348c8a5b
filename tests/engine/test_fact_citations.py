"""Every fact the code cites resolves to a page in docs/: a bare id (`T7`, `N12`, `S1-S8`) to docs/facts.md, an id
cited as a services fact ("services fact A4") to docs/services-facts.md."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CITATION = re.compile(r"\b([A-Z]{1,2})(\d{1,2})(?:\s*[-\u2013]\s*(?:[A-Z]{1,2})?(\d{1,2}))?\b")
SERVICES_CONTEXT = re.compile(r"services[- ](?:auth[- ])?facts?\b[^.\n]{0,40}$")


def _anchors(page: str) -> set[str]:
    return set(re.findall(r'<a id="([a-z]+\d+)"></a>', (ROOT / "docs" / page).read_text(encoding="utf-8")))


def _citations() -> list[tuple[str, int, str, bool]]:
    found = []
    for base in ("hfauth_nb", "tests"):
        for path in sorted((ROOT / base).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if not re.search(r"\bfacts?\b|\(([A-Z]{1,2}\d{1,2}[,)/ -])", line):
                    continue
                for m in CITATION.finditer(line):
                    letters, first, last = m.group(1), int(m.group(2)), m.group(3)
                    services = bool(SERVICES_CONTEXT.search(line[: m.start()]))
                    for n in range(first, int(last or first) + 1):
                        found.append((f"{path.relative_to(ROOT)}:{number}", n, letters, services))
    return found


def test_every_cited_fact_resolves() -> None:
    facts, services = _anchors("facts.md"), _anchors("services-facts.md")
    cited = _citations()
    assert len(cited) > 40  # the scan sees the code's citations at all
    missing = [
        f"{where}: {letters}{n}" + (" (services)" if is_services else "")
        for where, n, letters, is_services in cited
        if f"{letters.lower()}{n}" not in (services if is_services else facts)
    ]
    assert not missing, "cite a fact that docs/ describes:\n" + "\n".join(missing)
