"""Reusable refine hooks: small functions of a ``CallSite`` that rule tables share."""

from __future__ import annotations

from collections.abc import Callable

from entropy_lint.callsite import CallSite
from entropy_lint.rules.base import Level, Outcome, Refine


def constant_or(index: int, constant_level: Level, dynamic_level: Level, note: str = "constant argument") -> Refine:
    """``constant_level`` when argument ``index`` is a constant (or absent), else ``dynamic_level``."""

    def refine(site: CallSite) -> Outcome | None:
        arg = site.arg(index)
        if arg is None or arg.literal:
            return Outcome(constant_level, note)
        return Outcome(dynamic_level)

    return refine


def dynamic_string_arg(index: int, level: Level, note: str = "query built from strings") -> Refine:
    """Only when argument ``index`` is a string built at run time (concatenation, formatting,
    interpolation); a constant or a parameterised query is not a finding."""

    def refine(site: CallSite) -> Outcome | None:
        arg = site.arg(index)
        return Outcome(level, note) if arg is not None and arg.dynamic_string else None

    return refine


def when(predicate: Callable[[CallSite], bool], level: Level, note: str = "") -> Refine:
    def refine(site: CallSite) -> Outcome | None:
        return Outcome(level, note) if predicate(site) else None

    return refine
