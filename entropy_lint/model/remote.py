"""``check --server URL``: a Scorer that sends texts to a running ``entropy-lint serve``."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any

from entropy_lint.errors import ModelError
from entropy_lint.model.scoring import ScoringSettings, Span, TokenScores

API_KEY_ENV = "ENTROPY_LINT_API_KEY"
BATCH = 32  # texts per request


class RemoteScorer:
    """The Scorer contract over HTTP: the same records as a local scorer, computed on the server."""

    def __init__(self, url: str, settings: ScoringSettings, timeout: float = 600.0) -> None:
        self.url = url.rstrip("/")
        self.settings = settings
        self.timeout = timeout
        self.name = "server"
        self.identity = f"server:{self.url}|{settings.key()}"

    def score(self, texts: Sequence[str], spans: Sequence[Sequence[Span] | None] | None = None) -> list[TokenScores]:
        out: list[TokenScores] = []
        for i in range(0, len(texts), BATCH):
            chunk = list(texts[i : i + BATCH])
            body: dict[str, Any] = {"texts": chunk, "window": self.settings.window, "context": self.settings.context,
                                    "top_k": self.settings.top_k}
            if spans is not None:
                body["spans"] = [None if s is None else [list(p) for p in s] for s in spans[i : i + BATCH]]
            reply = self._post("/score", body)
            self.name = reply.get("model", self.name)
            out.extend(_record(text, r, self.settings.top_k) for text, r in zip(chunk, reply["results"]))
        return out

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        key = os.environ.get(API_KEY_ENV)
        if key:
            headers["Authorization"] = f"Bearer {key}"
        request = urllib.request.Request(self.url + path, data=json.dumps(body).encode(), headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (the user's URL)
                return json.loads(response.read())  # type: ignore[no-any-return]
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:300]
            raise ModelError(f"server {self.url} answered {exc.code} to {path}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise ModelError(f"server {self.url} cannot be reached ({reason}); is `entropy-lint serve` running?") from exc


def _record(text: str, r: dict[str, Any], top_k: int) -> TokenScores:
    import numpy as np

    from entropy_lint.model.scoring import empty_scores

    ids = np.asarray(r["token_ids"], np.int64)
    offsets = np.stack([np.asarray(r["starts"], np.int64), np.asarray(r["starts"], np.int64)], axis=1) if len(ids) else np.zeros((0, 2), np.int64)
    rec = empty_scores(text, ids, offsets, top_k, r["error"])
    rec.starts, rec.ends = np.asarray(r["starts"], np.int64), np.asarray(r["ends"], np.int64)
    at = np.asarray(r["scored"], np.int64)
    if len(at):
        rec.scored[at] = True
        rec.logprob[at] = np.asarray(r["logprob"], float)
        rec.entropy[at] = np.asarray(r["entropy"], float)
        rec.rank[at] = np.asarray(r["rank"], np.int64)
        if top_k:
            rec.top_ids[at] = np.asarray(r["top_ids"], np.int64)
            rec.top_probs[at] = np.asarray(r["top_probs"], float)
            rec.alternatives[at] = np.asarray(r["top_tokens"], dtype=object)
    rec.meta.update(r.get("meta") or {})
    return rec
