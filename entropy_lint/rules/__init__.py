"""The rule catalog: one table per language family, loaded on first use."""

from __future__ import annotations

import functools
import importlib

from entropy_lint.rules.base import Rule

TABLES = ("python", "c", "javascript", "java", "go", "php", "ruby")


@functools.cache
def catalog() -> tuple[Rule, ...]:
    """Every rule, in table order."""
    rules: list[Rule] = []
    for table in TABLES:
        try:
            module = importlib.import_module(f"entropy_lint.rules.{table}")
        except ModuleNotFoundError as exc:
            if exc.name != f"entropy_lint.rules.{table}":
                raise
            continue
        rules.extend(module.RULES)
    return tuple(rules)


@functools.cache
def rules_for(language: str) -> tuple[Rule, ...]:
    return tuple(r for r in catalog() if language in r.languages)


def by_id() -> dict[str, Rule]:
    return {r.id: r for r in catalog()}
