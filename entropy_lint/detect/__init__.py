"""Call sites from a parse tree, matched against the rule tables."""

from __future__ import annotations

import fnmatch
import functools
import importlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING

from entropy_lint.callsite import CallSite, FileFacts
from entropy_lint.languages import LANGUAGES, parse
from entropy_lint.rules.base import Outcome, Rule

if TYPE_CHECKING:
    from tree_sitter import Tree


def find_sites(language: str, source: bytes, notes: list[str] | None = None, tree: Tree | None = None) -> list[CallSite]:
    """Every call site in ``source`` (parsed here unless its ``tree`` is given); syntax errors do not
    stop detection (tree-sitter recovers). What could not be analysed fully is appended to
    ``notes``, one sentence per problem."""
    module = _extractor(language)
    tree = parse(language, source) if tree is None else tree
    try:
        return module.extract(tree, source, language, notes=notes)  # type: ignore[no-any-return]
    except RecursionError:
        # Extractors guard their recursion (detect/limits.py); this is the last line of defence, so a
        # file no extractor can follow loses its own findings, with a note, and not the whole run.
        if notes is not None:
            notes.append(f"the {language} extractor could not follow this file's nesting; "
                         "no call sites were analysed in it")
        return []


def _extractor(language: str) -> ModuleType:
    return importlib.import_module(f"entropy_lint.detect.{LANGUAGES[language].family}")


@dataclass(frozen=True)
class Hit:
    rule: Rule
    site: CallSite
    outcome: Outcome


class RuleIndex:
    """Rules of one language, indexed by site kind and exact name, then globs. A glob ``*<tail>``
    whose tail names a last segment (``*.execute``, ``*.document.write``) is indexed by that segment,
    so a site is checked against the few globs that can match it, not every glob of the table."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self._exact: dict[tuple[str, str], list[Rule]] = {}
        self._tails: dict[tuple[str, str], list[tuple[int, str, Rule]]] = {}  # (kind, last segment) -> globs
        self._globs: list[tuple[int, str, re.Pattern[str], Rule]] = []
        order = 0
        for rule in rules:
            for name in rule.names:
                tail = name[1:]
                if not any(ch in name for ch in "*?["):
                    self._exact.setdefault((rule.kind, name), []).append(rule)
                elif name.startswith("*") and "." in tail and not any(ch in tail for ch in "*?["):
                    self._tails.setdefault((rule.kind, tail.rsplit(".", 1)[1]), []).append((order, tail, rule))
                else:
                    self._globs.append((order, rule.kind, re.compile(fnmatch.translate(name)), rule))
                order += 1

    def candidates(self, site: CallSite) -> list[Rule]:
        found = list(self._exact.get((site.kind, site.qualname), ()))
        last = site.qualname.rsplit(".", 1)[-1]
        globbed = [(i, r) for i, tail, r in self._tails.get((site.kind, last), ()) if site.qualname.endswith(tail)]
        globbed += [(i, r) for i, kind, pattern, r in self._globs if kind == site.kind and pattern.match(site.qualname)]
        for _, rule in sorted(globbed, key=lambda pair: pair[0]):
            if rule not in found:
                found.append(rule)
        return found

    def match(self, site: CallSite, candidates: list[Rule] | None = None) -> list[Hit]:
        """The hits of ``site``: each candidate rule (computed unless given) whose refine hook agrees."""
        hits = []
        for rule in self.candidates(site) if candidates is None else candidates:
            outcome = rule.refine(site) if rule.refine else Outcome(rule.level)
            if outcome is not None:
                hits.append(Hit(rule, site, outcome))
        return hits


@dataclass(frozen=True)
class Detection:
    """What detection found in one file: the rule hits, in source order, and notes on what could not
    be analysed fully (an expression nested too deep to follow), one sentence each."""

    hits: list[Hit]
    notes: tuple[str, ...] = ()


def detect(language: str, source: bytes, rules: Iterable[Rule] | None = None, *,
           deps: Mapping[str, str] | None = None, tree: Tree | None = None,
           classes: Mapping[str, tuple[str, ...]] | None = None) -> Detection:
    """Every rule hit in ``source`` (before suppression comments and gates), with notes. ``deps`` is
    what the nearest manifests say about the project's dependencies (see detect/manifests.py); None
    when none was found, so rules whose risk depends on a version say they could not tell.
    ``classes`` are the scanned tree's classes (detect/class_index.py); the file's own win."""
    if rules is None:
        worth_parsing = getattr(_extractor(language), "worth_parsing", None)
        if worth_parsing is not None and not worth_parsing(source, language):
            return Detection([])  # no built-in rule's name appears in the file: nothing to parse
        index = _builtin_index(language)
    else:
        index = RuleIndex(rules)
    notes: list[str] = []
    seen: dict[int, FileFacts] = {}  # one record per file (per extractor's facts), deps added once
    hits = []
    for site in find_sites(language, source, notes, tree):
        candidates = index.candidates(site)
        if not candidates:
            continue
        if deps is not None or classes:
            facts = seen.get(id(site.facts))
            if facts is None:
                facts = seen[id(site.facts)] = replace(
                    site.facts, deps=MappingProxyType(dict(deps)) if deps is not None else site.facts.deps,
                    classes=MappingProxyType({**(classes or {}), **site.facts.classes}))
            site = site.with_facts(facts)
        hits += index.match(site, candidates)
    return Detection(hits, tuple(notes))


@functools.cache
def _builtin_index(language: str) -> RuleIndex:
    """The built-in rules of ``language``, indexed once per process."""
    from entropy_lint.rules import rules_for

    return RuleIndex(rules_for(language))
