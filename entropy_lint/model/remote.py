"""``check --server URL``: a Scorer that sends texts to a running ``entropy-lint serve``."""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

from entropy_lint.errors import ModelError
from entropy_lint.model import wire
from entropy_lint.model.scoring import ScoringSettings, Span, TokenScores

API_KEY_ENV = "ENTROPY_LINT_API_KEY"
BATCH = 32  # texts per request


class RemoteScorer:
    """The Scorer contract over HTTP: the same records as a local scorer, computed on the server."""

    def __init__(self, url: str, settings: ScoringSettings, timeout: float = 600.0,
                 progress: Callable[[int], None] | None = None) -> None:
        self.url = url.rstrip("/")
        self.settings = settings
        self.timeout = timeout
        self.progress = progress
        self.name = "server"
        self.identity = f"{server_identity(self.url, timeout)}|{settings.key()}"

    def score(self, texts: Sequence[str], spans: Sequence[Sequence[Span] | None] | None = None) -> list[TokenScores]:
        out: list[TokenScores] = []
        for i in range(0, len(texts), BATCH):
            out.extend(self._score(list(texts[i : i + BATCH]), None if spans is None else list(spans[i : i + BATCH])))
        return out

    def _score(self, texts: list[str], spans: list[Sequence[Span] | None] | None) -> list[TokenScores]:
        """One request; past the server's per-request limits (413), halves, down to one text,
        which then gets a record with the server's reason as its error."""
        body: dict[str, Any] = {"texts": texts, "window": self.settings.window, "context": self.settings.context,
                                "top_k": self.settings.top_k}
        if spans is not None:
            body["spans"] = [None if s is None else [list(p) for p in s] for s in spans]
        try:
            reply = request(self.url, "/score", body, self.timeout)
        except ServerRefused as exc:
            if exc.code != 413:
                raise
            if len(texts) == 1:
                return [TokenScores.failed(texts[0], f"the server did not score this text: {exc.detail}",
                                           self.settings.top_k)]
            half = len(texts) // 2
            return (self._score(texts[:half], None if spans is None else spans[:half])
                    + self._score(texts[half:], None if spans is None else spans[half:]))
        try:
            records = wire.decode(texts, reply, self.settings.top_k)
        except ValueError as exc:
            raise ModelError(f"server {self.url} sent a /score reply entropy-lint cannot read: {exc}") from exc
        self.name = str(reply.get("model", self.name))
        if self.progress:
            self.progress(sum(int(r.scored.sum()) for r in records))
        return records


class ServerRefused(ModelError):
    """An HTTP error answer; ``detail`` is the server's own sentence."""

    def __init__(self, message: str, code: int, detail: str) -> None:
        super().__init__(message)
        self.code, self.detail = code, detail
        self.retry_after: float | None = None  # seconds, when the server said (Retry-After)


def server_identity(url: str, timeout: float = 30.0) -> str:
    """What the server says its model is (``/health``): weights, device and dtype."""
    reply = request(url.rstrip("/"), "/health", None, timeout)
    identity = reply.get("identity")
    if not isinstance(identity, str) or not identity:
        raise ModelError(f"server {url} did not say which model it runs (no identity in /health); is it entropy-lint serve?")
    return identity


def request(url: str, path: str, body: dict[str, Any] | None, timeout: float) -> dict[str, Any]:
    """One JSON request (POST with a body, GET without); every failure is one ModelError sentence.
    A busy server (503 with Retry-After) is waited for, as it asks, for at most ``timeout`` in all."""
    waited = 0.0
    while True:
        try:
            return _request_once(url, path, body, timeout)
        except ServerRefused as exc:
            if exc.code != 503 or exc.retry_after is None or waited + exc.retry_after > timeout:
                raise
            time.sleep(exc.retry_after)
            waited += exc.retry_after


def _request_once(url: str, path: str, body: dict[str, Any] | None, timeout: float) -> dict[str, Any]:
    headers = {"Content-Type": "application/json"}
    key = os.environ.get(API_KEY_ENV)
    if key:
        headers["Authorization"] = f"Bearer {key}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url + path, data=data, headers=headers, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:  # noqa: S310 (the user's URL)
            raw = response.read()
    except urllib.error.HTTPError as exc:
        text = exc.read().decode("utf-8", "replace")
        detail = _detail(text)
        refused = ServerRefused(f"server {url} answered {exc.code} to {path}: {detail[:300]}", exc.code, detail)
        retry = (exc.headers.get("Retry-After") or "").strip()
        refused.retry_after = float(retry) if retry.isdigit() else None
        raise refused from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise ModelError(f"server {url} cannot be reached ({reason}); is `entropy-lint serve` running?") from exc
    try:
        reply = json.loads(raw)
    except ValueError as exc:
        raise ModelError(f"server {url} answered {path} with something that is not JSON ({raw[:60]!r})") from exc
    if not isinstance(reply, dict):
        raise ModelError(f"server {url} answered {path} with JSON that is not an object")
    return reply


def _detail(text: str) -> str:
    """The server's sentence (``{"detail": "..."}``), else the answer's text."""
    try:
        detail = json.loads(text).get("detail")
    except (ValueError, AttributeError):
        return text
    return detail if isinstance(detail, str) else text
