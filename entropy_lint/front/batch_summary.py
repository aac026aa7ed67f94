"""The batch summary: ``summary.json`` (every row, with totals) and ``summary.csv`` (one line per
repository, for a spreadsheet). Rows keep the input order; both files are written atomically."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from entropy_lint import __version__
from entropy_lint.front.batch_scan import Row
from entropy_lint.output import write_atomic

LEVELS = ("error", "warning", "note")
COLUMNS = ("repository", "name", "status", "commit", "files", "unanalysed", "cached", "findings",
           *(f"findings_{level}" for level in LEVELS), "rules", "tokens_scored", "seconds", "model", "sarif", "error")


def write_summary(out: Path, rows: Sequence[Row], settings: str) -> None:
    write_atomic(out / "summary.json", render_json(rows, settings))
    write_atomic(out / "summary.csv", render_csv(rows))


def totals(rows: Sequence[Row]) -> dict[str, Any]:
    status = Counter(r.status for r in rows)
    levels: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    for r in rows:
        levels.update(r.by_level)
        rules.update(r.by_rule)
    return {
        "repositories": len(rows),
        "scanned": status["scanned"], "skipped": status["skipped"], "failed": status["failed"],
        "files": sum(r.files for r in rows),
        "unanalysed": sum(r.unanalysed for r in rows),
        "findings": sum(r.findings for r in rows),
        "by_level": dict(sorted(levels.items())),
        "by_rule": dict(sorted(rules.items())),
        "tokens_scored": sum(r.tokens_scored for r in rows if r.status == "scanned"),  # this run's work
        "seconds": round(sum(r.seconds for r in rows if r.status != "skipped"), 3),
    }


def render_json(rows: Sequence[Row], settings: str) -> str:
    body = {"entropy_lint": __version__, "settings": settings, "totals": totals(rows),
            "repositories": [{**r.to_dict(), "sarif": sarif_path(r)} for r in rows]}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def render_csv(rows: Sequence[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([
            r.repository, r.name, r.status, r.commit or "", r.files, r.unanalysed, r.cached, r.findings,
            *(r.by_level.get(level, 0) for level in LEVELS),
            " ".join(f"{rule}={n}" for rule, n in r.by_rule.items()),
            r.tokens_scored, f"{r.seconds:.3f}", r.model or "", sarif_path(r), r.error or "",
        ])
    return buffer.getvalue()


def sarif_path(row: Row) -> str:
    """Where the repository's SARIF is, relative to the output folder ('' when there is none)."""
    return "" if row.status == "failed" else f"results/{row.name}.sarif"
