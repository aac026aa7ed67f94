"""The ``/score`` wire format: per-token scores as compact JSON, encoded by the server and decoded
by ``check --server``, side by side so the two never drift.

Only scored rows travel (their indices in ``scored``); NaN, which JSON lacks, travels as null.
Offsets are the tiled character spans, so the client needs no tokenizer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from entropy_lint.model.scoring import TokenScores, empty_scores


def _floats(values: Iterable[Any]) -> list[float | None]:
    return [None if math.isnan(v) else round(float(v), 7) for v in values]


def encode(records: Sequence[TokenScores], model: str, identity: str) -> dict[str, Any]:
    results = []
    for rec in records:
        at = [int(i) for i in rec.scored.nonzero()[0]]
        results.append({
            "error": rec.error, "token_ids": rec.token_ids.tolist(), "starts": rec.starts.tolist(),
            "ends": rec.ends.tolist(), "scored": at, "logprob": _floats(rec.logprob[at]),
            "entropy": _floats(rec.entropy[at]), "rank": rec.rank[at].tolist(), "top_ids": rec.top_ids[at].tolist(),
            "top_probs": [_floats(row) for row in rec.top_probs[at]], "top_tokens": rec.top_tokens[at].tolist(),
            "meta": rec.meta,
        })
    return {"model": model, "identity": identity, "results": results}


def _nan(values: Sequence[float | None]) -> np.ndarray:
    return np.asarray([math.nan if v is None else v for v in values], float)


def decode(texts: Sequence[str], payload: dict[str, Any], top_k: int) -> list[TokenScores]:
    """The records ``encode`` was given, for the same ``texts``; a malformed reply raises ValueError."""
    results = payload.get("results")
    if not isinstance(results, list) or len(results) != len(texts):
        raise ValueError(f"expected {len(texts)} results, got {len(results) if isinstance(results, list) else 'none'}")
    out = []
    for text, r in zip(texts, results):
        try:
            starts, ends = np.asarray(r["starts"], np.int64), np.asarray(r["ends"], np.int64)
            rec = empty_scores(text, np.asarray(r["token_ids"], np.int64), np.zeros((0, 2), np.int64), top_k, r["error"])
            n = len(rec.token_ids)
            if len(starts) != n or len(ends) != n:
                raise ValueError("offsets do not match the tokens")
            rec.starts, rec.ends = starts, ends
            at = np.asarray(r["scored"], np.int64)
            if len(at):
                rec.scored[at] = True
                rec.logprob[at] = _nan(r["logprob"])
                rec.entropy[at] = _nan(r["entropy"])
                rec.rank[at] = np.asarray(r["rank"], np.int64)
                if top_k:
                    rec.top_ids[at] = np.asarray(r["top_ids"], np.int64)
                    rec.top_probs[at] = np.asarray([_nan(row) for row in r["top_probs"]], float)
                    rec.alternatives[at] = np.asarray(r["top_tokens"], dtype=object)
            rec.meta.update(r.get("meta") or {})
        except (KeyError, TypeError, IndexError) as exc:
            raise ValueError(f"malformed result ({type(exc).__name__}: {exc})") from exc
        out.append(rec)
    return out
