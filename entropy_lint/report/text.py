"""One line per finding, ``path:line:col: level: message [rule-id]``, as compilers print."""

from __future__ import annotations

from collections.abc import Sequence

from entropy_lint.findings import Finding


def render_text(findings: Sequence[Finding]) -> str:
    lines = [f"{f.path}:{f.line}:{f.column}: {f.level}: {f.message} [{f.rule_id}]" for f in sorted(findings, key=Finding.sort_key)]
    return "".join(line + "\n" for line in lines)


def summary(findings: Sequence[Finding], files: int, problems: int, suppressed: int = 0,
            model: str | None = None, tokens: int = 0, seconds: float = 0.0, cached: int = 0) -> str:
    """The one line for stderr after a run."""
    counts = {level: sum(f.level == level for f in findings) for level in ("error", "warning", "note")}
    parts = [f"{n} {level}{'s' if n != 1 else ''}" for level, n in counts.items() if n]
    head = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    if parts:
        head += f" ({', '.join(parts)})"
    head += f" in {files} file{'s' if files != 1 else ''}"
    if problems:
        head += f"; {problems} could not be analysed"
    if cached:
        head += f"; {cached} from the cache"
    if suppressed:
        head += f"; {suppressed} suppressed by comments"
    if model and tokens:
        head += f"; {model} scored {tokens:,} tokens in {seconds:.1f} s"
    return f"entropy-lint: {head}"
