"""The rule tables checked as data: unique ids and names, sane fields, working examples."""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pytest

from entropy_lint.detect import detect
from entropy_lint.languages import LANGUAGES
from entropy_lint.rules import catalog
from entropy_lint.rules.base import Rule

RULES = catalog()
# Fragments in help examples are statements; wrap them where the language needs a body.
WRAP = {
    "java": "class T {{ void f() throws Exception {{\n{code}\n}} }}",
    "go": "package p\n\nfunc f() {{\n{code}\n}}\n",
    "php": "<?php\n{code}\n",
}


def test_rule_ids_and_names_are_unique() -> None:
    for field in ("id", "name"):
        counts = collections.Counter(getattr(r, field) for r in RULES)
        assert [k for k, n in counts.items() if n > 1] == [], f"duplicate rule {field}s"


def test_no_api_name_is_claimed_twice_within_a_language_and_kind() -> None:
    seen: dict[tuple[str, str, str], str] = {}
    for rule in RULES:
        for language in rule.languages:
            for name in rule.names:
                key = (language, rule.kind, name)
                assert key not in seen, f"{name} is in both {seen[key]} and {rule.id}"
                seen[key] = rule.id


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_fields(rule: Rule) -> None:
    assert re.fullmatch(r"EL-[A-Z]+(-[A-Z0-9]+)+", rule.id)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", rule.name)
    assert all(lang in LANGUAGES for lang in rule.languages)
    assert rule.short and rule.full and rule.suggestion and rule.bad and rule.good
    assert not rule.short.endswith("."), "short descriptions are phrases, used inside messages"
    assert len(rule.short) <= 80


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_help_examples_bad_is_found_and_good_is_not(rule: Rule) -> None:
    language = rule.languages[0]
    wrap = WRAP.get(language, "{code}")
    bad = {h.rule.id for h in detect(language, wrap.format(code=rule.bad).encode()).hits}
    good = {h.rule.id for h in detect(language, wrap.format(code=rule.good).encode()).hits}
    assert rule.id in bad, f"bad example not found: {rule.bad}"
    assert rule.id not in good, f"good example flagged: {rule.good}"


def test_every_rule_has_a_positive_in_a_sample_file() -> None:
    samples = Path(__file__).parent / "samples"
    marked = " ".join(p.read_text(encoding="utf-8") for p in samples.rglob("*") if p.is_file())
    missing = [r.id for r in RULES if not re.search(rf"expect:[^\n]*\b{re.escape(r.id)}\b", marked)]
    assert missing == []
