"""The rule record. Rules are data: one table per language of frozen ``Rule`` rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, NamedTuple

from entropy_lint.callsite import CallSite, Kind
from entropy_lint.findings import LEVELS, Level, level_rank
from entropy_lint.rules.templates import FixTemplate

__all__ = ["LEVELS", "FixTemplate", "Level", "Outcome", "Precision", "Refine", "Rule", "level_rank"]

Precision = Literal["very-high", "high", "medium", "low"]


class Outcome(NamedTuple):
    """What a refine hook decided: report at ``level``, with an optional reason appended."""

    level: Level
    note: str = ""


Refine = Callable[[CallSite], "Outcome | None"]


@dataclass(frozen=True)
class Rule:
    """One risky API. ``names`` are qualified names or globs (``subprocess.*``, ``*.execute``)
    matched against a call site's qualname; ``refine``, when set, sees the call site and returns
    ``None`` (not a finding) or an ``Outcome`` (possibly at a lower level, with a reason)."""

    id: str  # stable, e.g. EL-PY-EVAL; never reused
    name: str  # unique, kebab-case, e.g. python-eval
    languages: tuple[str, ...]
    names: tuple[str, ...]
    cwe: tuple[int, ...]
    level: Level
    security_severity: float  # GitHub code scanning: 0.1-10
    short: str  # one line: what is wrong
    full: str  # a paragraph: why it matters
    suggestion: str  # one line: what to do instead
    bad: str  # help example
    good: str  # help example
    kind: Kind = "call"
    refine: Refine | None = None
    precision: Precision = "high"
    external: tuple[str, ...] = ()  # the same check elsewhere: Bandit B602, Flawfinder strcpy, ...
    fixes: tuple[FixTemplate, ...] = ()  # rewrites of the call, in the order offered without a model

    def __post_init__(self) -> None:
        if not 0.1 <= self.security_severity <= 10:
            raise ValueError(f"{self.id}: security_severity must be within 0.1-10")
        if not self.cwe or not self.names:
            raise ValueError(f"{self.id}: a rule needs at least one CWE and one name")

    @property
    def cwe_tags(self) -> tuple[str, ...]:
        return tuple(f"external/cwe/cwe-{n}" for n in self.cwe)

    def help_markdown(self) -> str:
        cwes = ", ".join(f"[CWE-{n}](https://cwe.mitre.org/data/definitions/{n}.html)" for n in self.cwe)
        lang = self.languages[0]
        return (
            f"{self.full}\n\n**Instead:** {self.suggestion}\n\n"
            f"Bad:\n\n```{lang}\n{self.bad}\n```\n\nGood:\n\n```{lang}\n{self.good}\n```\n\n{cwes}"
        )

    def help_text(self) -> str:
        cwes = ", ".join(f"CWE-{n}" for n in self.cwe)
        return f"{self.full}\nInstead: {self.suggestion}\nBad:  {self.bad}\nGood: {self.good}\n{cwes}"
