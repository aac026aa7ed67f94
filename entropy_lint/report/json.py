"""Findings with every model metric, as JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from entropy_lint import __version__
from entropy_lint.findings import LEVELS, Finding, Fix
from entropy_lint.report import rounded
from entropy_lint.rules.base import Rule


def finding_dict(f: Finding, rule: Rule) -> dict[str, object]:
    out: dict[str, object] = {
        "rule_id": f.rule_id, "rule": rule.name, "level": f.level, "path": f.path,
        "line": f.line, "column": f.column, "end_line": f.end_line, "end_column": f.end_column,
        "callee": f.callee, "message": f.message, "note": f.note or None, "snippet": f.snippet,
        "cwe": [f"CWE-{n}" for n in rule.cwe], "security_severity": rule.security_severity,
        "fingerprint": f.fingerprint,
        "fixes": [fix_dict(x) for x in f.fixes],
    }
    m = f.metrics
    if m is not None:
        out["model"] = {
            "name": m.model,
            "callee": {"entropy_mean": rounded(m.callee_entropy_mean), "entropy_max": rounded(m.callee_entropy_max),
                       "min_prob": rounded(m.callee_min_prob)},
            "call": {"entropy_mean": rounded(m.call_entropy_mean), "entropy_max": rounded(m.call_entropy_max),
                     "min_prob": rounded(m.call_min_prob), "surprisal": rounded(m.call_surprisal), "tokens": m.call_tokens},
            "callee_tokens": [
                {"text": t.text, "prob": rounded(t.prob), "entropy": rounded(t.entropy), "rank": t.rank,
                 "expected": [{"token": a, "prob": rounded(p)} for a, p in t.alternatives]}
                for t in m.tokens
            ],
            "units": {"entropy": "nats", "surprisal": "nats"},
        }
    return out


def fix_dict(fix: Fix) -> dict[str, object]:
    """A fix as the issue tracker's schema has it: best first, 1-based lines, end exclusive."""
    return {
        "description": fix.description, "safety": fix.safety, "delta_nats": rounded(fix.delta_nats, 4),
        "replacements": [{"start_line": r.start_line, "start_column": r.start_column, "end_line": r.end_line,
                          "end_column": r.end_column, "text": r.text} for r in fix.replacements],
    }


def render_json(findings: Sequence[Finding], problems: Sequence[tuple[str, str]], rules: Mapping[str, Rule],
                model: str | None = None, files: int = 0) -> str:
    ordered = sorted(findings, key=Finding.sort_key)
    doc = {
        "tool": {"name": "entropy-lint", "version": __version__},
        "model": model,
        "summary": {"files": files, "findings": len(ordered),
                    "by_level": {lvl: sum(f.level == lvl for f in ordered) for lvl in reversed(LEVELS)},
                    "problems": len(problems)},
        "findings": [finding_dict(f, rules[f.rule_id]) for f in ordered],
        "problems": [{"path": p, "message": m} for p, m in sorted(problems)],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
