"""The rule catalog as a table or JSON (``entropy-lint rules``), so docs never drift from code."""

from __future__ import annotations

import json
from collections.abc import Sequence

from entropy_lint.rules.base import Rule


def rule_dict(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.id, "name": rule.name, "languages": list(rule.languages), "kind": rule.kind,
        "names": list(rule.names), "cwe": [f"CWE-{n}" for n in rule.cwe], "level": rule.level,
        "security_severity": rule.security_severity, "precision": rule.precision, "short": rule.short,
        "full": rule.full, "suggestion": rule.suggestion, "bad": rule.bad, "good": rule.good,
        "refined": rule.refine is not None, "external": list(rule.external),
    }


def render_catalog_json(rules: Sequence[Rule]) -> str:
    return json.dumps([rule_dict(r) for r in rules], ensure_ascii=False, indent=2) + "\n"


def render_catalog_table(rules: Sequence[Rule]) -> str:
    rows = [("ID", "LEVEL", "SEV", "CWE", "LANGUAGES", "MATCHES", "WHAT")]
    for r in rules:
        names = ", ".join(r.names)
        rows.append((r.id, r.level, f"{r.security_severity:.1f}", ",".join(str(c) for c in r.cwe),
                     ",".join(r.languages), names if len(names) <= 40 else names[:39] + "…", r.short))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1] for row in rows]
    return "\n".join(line.rstrip() for line in lines) + f"\n\n{len(rules)} rules\n"
