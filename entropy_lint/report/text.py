"""One line per finding, ``path:line:col: level: message [rule-id]``, as compilers print."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from entropy_lint.findings import LEVELS, Finding

if TYPE_CHECKING:
    from entropy_lint.report import Report


def render_text(findings: Sequence[Finding]) -> str:
    lines = [f"{f.path}:{f.line}:{f.column}: {f.level}: {f.message} [{f.rule_id}]" for f in sorted(findings, key=Finding.sort_key)]
    return "".join(line + "\n" for line in lines)


def summary(report: Report) -> str:
    """The one line for stderr after a run."""
    findings, files = report.findings, len(report.files)
    counts = {level: sum(f.level == level for f in findings) for level in reversed(LEVELS)}
    parts = [f"{n} {level}{'s' if n != 1 else ''}" for level, n in counts.items() if n]
    head = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    if parts:
        head += f" ({', '.join(parts)})"
    head += f" in {files} file{'s' if files != 1 else ''}"
    problems = len(report.problems) + len(report.missing)
    if problems:
        head += f"; {problems} could not be analysed"
    cached = sum(r.cached for r in report.files)
    if cached:
        head += f"; {cached} from the cache"
    suppressed = sum(r.suppressed for r in report.files)
    if suppressed:
        head += f"; {suppressed} suppressed by comments"
    if report.model and report.tokens_scored:
        head += f"; {report.model} scored {report.tokens_scored:,} tokens in {report.scoring_seconds:.1f} s"
    return f"entropy-lint: {head}"
