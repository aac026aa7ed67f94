"""Findings with every model metric, as JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from entropy_lint import __version__
from entropy_lint.findings import Finding
from entropy_lint.rules.base import Rule


def _r(x: float | None, digits: int = 6) -> float | None:
    return None if x is None else round(x, digits)


def finding_dict(f: Finding, rule: Rule) -> dict[str, object]:
    out: dict[str, object] = {
        "rule_id": f.rule_id, "rule": rule.name, "level": f.level, "path": f.path,
        "line": f.line, "column": f.column, "end_line": f.end_line, "end_column": f.end_column,
        "callee": f.callee, "message": f.message, "note": f.note or None, "snippet": f.snippet,
        "cwe": [f"CWE-{n}" for n in rule.cwe], "security_severity": rule.security_severity,
        "fingerprint": f.fingerprint,
    }
    if f.scored:
        out["model"] = {
            "name": f.model,
            "callee": {"entropy_mean": _r(f.callee_entropy_mean), "entropy_max": _r(f.callee_entropy_max),
                       "min_prob": _r(f.callee_min_prob)},
            "call": {"entropy_mean": _r(f.call_entropy_mean), "entropy_max": _r(f.call_entropy_max),
                     "min_prob": _r(f.call_min_prob), "surprisal": _r(f.call_surprisal), "tokens": f.call_tokens},
            "callee_tokens": [
                {"text": t.text, "prob": _r(t.prob), "entropy": _r(t.entropy), "rank": t.rank,
                 "expected": [{"token": a, "prob": _r(p)} for a, p in t.alternatives]}
                for t in f.tokens
            ],
            "units": {"entropy": "nats", "surprisal": "nats"},
        }
    return out


def render_json(findings: Sequence[Finding], problems: Sequence[tuple[str, str]], rules: Mapping[str, Rule],
                model: str | None = None, files: int = 0) -> str:
    ordered = sorted(findings, key=Finding.sort_key)
    doc = {
        "tool": {"name": "entropy-lint", "version": __version__},
        "model": model,
        "summary": {"files": files, "findings": len(ordered),
                    "by_level": {lvl: sum(f.level == lvl for f in ordered) for lvl in ("error", "warning", "note")},
                    "problems": len(problems)},
        "findings": [finding_dict(f, rules[f.rule_id]) for f in ordered],
        "problems": [{"path": p, "message": m} for p, m in sorted(problems)],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
