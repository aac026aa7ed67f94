"""Per-token scores as JSON or a readable table (``entropy-lint score``)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from entropy_lint.report import rounded
from entropy_lint.model.scoring import TokenScores


@dataclass(frozen=True)
class ScoredFile:
    path: str
    scores: TokenScores | None
    error: str | None = None


def token_rows(scores: TokenScores) -> list[dict[str, object]]:
    rows = []
    for i in range(len(scores)):
        if not scores.scored[i]:
            continue
        rows.append({
            "index": i,
            "start": int(scores.starts[i]),
            "end": int(scores.ends[i]),
            "id": int(scores.token_ids[i]),
            "text": scores.token_text(i),
            "prob": rounded(math.exp(scores.logprob[i])),
            "surprisal": rounded(scores.surprisal[i]),
            "entropy": rounded(scores.entropy[i]),
            "entropy_bits": rounded(scores.entropy_bits[i]),
            "rank": int(scores.rank[i]),
            "top": [
                {"token": str(t), "prob": rounded(p)}
                for t, p in zip(scores.top_tokens[i], scores.top_probs[i])
            ],
        })
    return rows


def _mean(values: Iterable[object]) -> float | None:
    """The mean of the numbers among ``values`` (a NaN score is reported as null and left out)."""
    numbers = [float(v) for v in values if isinstance(v, (int, float))]
    return rounded(sum(numbers) / len(numbers)) if numbers else None


def render_tokens_json(files: Sequence[ScoredFile], model: str) -> str:
    out = []
    for f in files:
        entry: dict[str, object] = {"path": f.path, "error": f.error}
        if f.scores is not None and f.scores.error is None:
            rows = token_rows(f.scores)
            entry["summary"] = {"tokens": len(rows), "mean_entropy": _mean(r["entropy"] for r in rows),
                                "mean_surprisal": _mean(r["surprisal"] for r in rows)}
            entry["tokens"] = rows
            entry["settings"] = f.scores.meta
        out.append(entry)
    return json.dumps({"model": model, "files": out}, ensure_ascii=False, indent=1) + "\n"


def _cell(value: object, width: int, digits: int) -> str:
    return f"{value:>{width}.{digits}f}" if isinstance(value, float) else f"{'-':>{width}}"


def render_tokens_table(files: Sequence[ScoredFile], model: str) -> str:
    lines = [f"# model: {model}"]
    for f in files:
        if f.error or f.scores is None:
            lines.append(f"== {f.path}: {f.error}")
            continue
        lines.append(f"== {f.path}")
        lines.append(f"{'#':>6} {'token':<20} {'prob':>7} {'entropy':>8} {'rank':>6}  expected")
        for r in token_rows(f.scores):
            top = ", ".join(f"{t['token']!r} {t['prob']:.2f}" for t in r["top"][:3])  # type: ignore[index]
            lines.append(
                f"{r['index']:>6} {repr(r['text'])[:20]:<20} {_cell(r['prob'], 7, 4)} {_cell(r['entropy'], 8, 3)} "
                f"{r['rank']:>6}  {top}"
            )
    return "\n".join(lines) + "\n"
