"""Call sites from a parse tree, matched against the rule tables."""

from __future__ import annotations

import fnmatch
import importlib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from entropy_lint.callsite import CallSite
from entropy_lint.languages import LANGUAGES, parse
from entropy_lint.rules.base import Outcome, Rule


def find_sites(language: str, source: bytes) -> list[CallSite]:
    """Every call site in ``source``; syntax errors do not stop detection (tree-sitter recovers)."""
    module = importlib.import_module(f"entropy_lint.detect.{LANGUAGES[language].family}")
    tree = parse(language, source)
    return module.extract(tree, source, language)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Hit:
    rule: Rule
    site: CallSite
    outcome: Outcome


class RuleIndex:
    """Rules of one language, indexed by site kind and exact name, with globs checked after."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self._exact: dict[tuple[str, str], list[Rule]] = {}
        self._globs: list[tuple[str, re.Pattern[str], Rule]] = []
        for rule in rules:
            for name in rule.names:
                if any(ch in name for ch in "*?["):
                    self._globs.append((rule.kind, re.compile(fnmatch.translate(name)), rule))
                else:
                    self._exact.setdefault((rule.kind, name), []).append(rule)

    def candidates(self, site: CallSite) -> list[Rule]:
        found = list(self._exact.get((site.kind, site.qualname), ()))
        found += [r for kind, pattern, r in self._globs if kind == site.kind and pattern.match(site.qualname) and r not in found]
        return found

    def match(self, site: CallSite) -> list[Hit]:
        hits = []
        for rule in self.candidates(site):
            outcome = rule.refine(site) if rule.refine else Outcome(rule.level)
            if outcome is not None:
                hits.append(Hit(rule, site, outcome))
        return hits


def detect(language: str, source: bytes, rules: Iterable[Rule] | None = None) -> list[Hit]:
    """Every rule hit in ``source``, in source order (before suppression comments and gates)."""
    from entropy_lint.rules import rules_for

    index = RuleIndex(rules_for(language) if rules is None else rules)
    return [hit for site in find_sites(language, source) for hit in index.match(site)]
