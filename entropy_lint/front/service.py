"""What the server's /check and /score do, kept apart from the HTTP layer."""

from __future__ import annotations

import json
import math
import os
import threading
from collections.abc import Sequence
from typing import Any

from entropy_lint.errors import EntropyLintError


def check_text(loaded: Any, lock: threading.Lock, content: str, filename: str, language: str | None, fmt: str,
               full: bool, min_level: str, settings: Any) -> Any:
    from fastapi import HTTPException

    from entropy_lint.run.check import CheckOptions, render
    from entropy_lint.run.config import Config
    from entropy_lint.model.engine import TorchScorer
    from entropy_lint.run.pipeline import LintSettings, lint
    from entropy_lint.model.scoring import ScoringSettings
    from entropy_lint.run.sources import source_from_text

    try:
        source = source_from_text(filename, content, language)
    except EntropyLintError as exc:
        raise HTTPException(422, str(exc)) from exc
    scorer = TorchScorer(loaded, ScoringSettings(window=settings.window, context=settings.context, top_k=settings.top_k))
    with lock:
        report = lint([source] if source else [], LintSettings(min_level=min_level, full=full), lambda: scorer)  # type: ignore[arg-type]
    report.model = report.model or loaded.name
    # the same rendering as `entropy-lint check`; paths are relative to the server's folder
    return json.loads(render(report, CheckOptions(config=Config(), format=fmt, root=os.getcwd())))


def _floats(values: Any) -> list[float | None]:
    return [None if math.isnan(v) else round(float(v), 7) for v in values]


def score_texts(loaded: Any, lock: threading.Lock, texts: Sequence[str], spans: Sequence[Any] | None, window: int,
                context: int, top_k: int) -> dict[str, Any]:
    """Token scores in a compact JSON form that ``client.RemoteScorer`` turns back into TokenScores."""
    from entropy_lint.model.engine import TorchScorer
    from entropy_lint.model.scoring import ScoringSettings

    scorer = TorchScorer(loaded, ScoringSettings(window=window, context=context, top_k=top_k))
    with lock:
        records = scorer.score(list(texts), [None if s is None else [tuple(p) for p in s] for s in spans] if spans else None)
    results = []
    for rec in records:
        at = [int(i) for i in rec.scored.nonzero()[0]]
        results.append({
            "error": rec.error, "token_ids": rec.token_ids.tolist(), "starts": rec.starts.tolist(), "ends": rec.ends.tolist(),
            "scored": at, "logprob": _floats(rec.logprob[at]), "entropy": _floats(rec.entropy[at]),
            "rank": rec.rank[at].tolist(), "top_ids": rec.top_ids[at].tolist(),
            "top_probs": [_floats(row) for row in rec.top_probs[at]], "top_tokens": rec.top_tokens[at].tolist(),
            "meta": rec.meta,
        })
    return {"model": loaded.name, "identity": scorer.identity, "results": results}
