"""One sample file per language: positives and look-alike negatives, checked line by line.

A line whose comment says ``expect: RULE-ID[, RULE-ID...]`` must produce exactly those
findings (on the line where the call starts); every other line must produce none.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from entropy_lint.detect import detect
from entropy_lint.languages import language_for

SAMPLES = sorted(p for p in (Path(__file__).parent / "samples").rglob("*") if p.is_file())
EXPECT = re.compile(r"expect:\s*([A-Z0-9-]+(?:\s*,\s*[A-Z0-9-]+)*)")


def expected(text: str) -> set[tuple[str, int]]:
    out = set()
    for number, line in enumerate(text.splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            out |= {(rule.strip(), number) for rule in match.group(1).split(",")}
    return out


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sample_findings_are_exactly_the_marked_lines(path: Path) -> None:
    source = path.read_bytes()
    language = language_for(str(path), source[:200].decode("utf-8", "replace"))
    assert language is not None
    found = {(hit.rule.id, hit.site.row + 1) for hit in detect(language, source).hits}
    want = expected(source.decode("utf-8"))
    assert sorted(found - want) == [], "unexpected findings"
    assert sorted(want - found) == [], "missed findings"
