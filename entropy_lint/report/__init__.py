"""The report of a run, and ``render(report, format, ctx)``: the one place formats are chosen.

Reporters are pure functions of records; each format's module is imported only when used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from entropy_lint.findings import Finding, Level

if TYPE_CHECKING:
    from entropy_lint.model.scoring import TokenScores

Format = Literal["text", "json", "sarif", "html"]
FORMATS: tuple[Format, ...] = ("text", "json", "sarif", "html")


@dataclass
class FileResult:
    """One file's outcome: its findings, or the reason it could not be analysed."""

    path: str
    language: str | None
    findings: list[Finding] = field(default_factory=list)
    problem: str | None = None
    level: Level = "warning"  # of the problem: error when a file of a known language could not be analysed
    notes: list[str] = field(default_factory=list)  # analysed, but not completely (a tree too deep, say)
    suppressed: int = 0
    scores: TokenScores | None = None  # token scores, when a report shows them (HTML)
    text: str | None = None  # the file's text as linted (None for results taken from the cache)
    cached: bool = False
    # Nothing was left out (by a baseline or --diff) and every finding that needed the model was
    # scored: the result stands for the file and may be cached.
    complete: bool = True


@dataclass
class Report:
    files: list[FileResult]
    missing: list[str] = field(default_factory=list)  # path arguments that do not exist
    notes: list[str] = field(default_factory=list)  # about the run as a whole (folders skipped, say)
    model: str | None = None
    tokens_scored: int = 0
    scoring_seconds: float = 0.0

    @property
    def findings(self) -> list[Finding]:
        return sorted((f for r in self.files for f in r.findings), key=Finding.sort_key)

    @property
    def problems(self) -> list[tuple[str, str]]:
        return [(r.path, r.problem) for r in self.files if r.problem]

    @property
    def failed(self) -> bool:
        """Some file that should have been analysed was not (and that was not allowed)."""
        return any(r.problem and r.level == "error" for r in self.files)


@dataclass(frozen=True)
class RenderContext:
    root: str  # absolute: SARIF URIs are relative to it
    cwd: str  # absolute: finding paths are relative to it
    category: str = "entropy-lint"  # SARIF automationDetails.id


def render(report: Report, fmt: Format, ctx: RenderContext) -> str:
    from entropy_lint.rules import by_id

    rules = by_id()
    if fmt == "json":
        from entropy_lint.report.json import render_json

        return render_json(report.findings, report.problems, rules, report.model, len(report.files))
    if fmt == "html":
        from entropy_lint.report.html import FileView, render_html

        views = [FileView(r.path, r.scores.text if r.scores else r.text or "", r.scores, r.findings, r.problem)
                 for r in report.files]
        return render_html(views, report.model, {k: v.short for k, v in rules.items()})
    if fmt == "sarif":
        from entropy_lint.report.sarif import Notice, SarifContext, render_sarif

        notices = (*(Notice(r.path, r.problem, r.level) for r in report.files if r.problem),
                   *(Notice(r.path, note, "warning") for r in report.files for note in r.notes),
                   *(Notice("", note, "note") for note in report.notes))
        sarif = SarifContext(root=ctx.root, cwd=ctx.cwd, category=ctx.category, model=report.model, notices=notices,
                             successful=not report.failed)
        return render_sarif(report.findings, rules, sarif)
    from entropy_lint.report.text import render_text

    return render_text(report.findings)


def rounded(x: float | None, digits: int = 6) -> float | None:
    """A number for JSON: rounded; None for a missing or NaN value (JSON has no NaN)."""
    return None if x is None or math.isnan(x) else round(float(x), digits)
