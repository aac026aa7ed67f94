"""The rule catalog: one table per language family, loaded on first use."""

from __future__ import annotations

import functools
import importlib

from entropy_lint.languages import FAMILIES
from entropy_lint.rules.base import Rule


@functools.cache
def catalog() -> tuple[Rule, ...]:
    """Every rule, in table order."""
    rules: list[Rule] = []
    for table in FAMILIES:
        rules.extend(importlib.import_module(f"entropy_lint.rules.{table}").RULES)
    return tuple(rules)


@functools.cache
def rules_for(language: str) -> tuple[Rule, ...]:
    return tuple(r for r in catalog() if language in r.languages)


@functools.cache
def by_id() -> dict[str, Rule]:
    return {r.id: r for r in catalog()}
