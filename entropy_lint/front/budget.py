"""How much model work one request may have, and when it must give up waiting.

One model serves every request, one at a time (one lock). So that no request can hold it for
long, and none waits for ever:
- the tokens a request needs are counted with the tokenizer before it waits for the model, and
  a request over the limit is refused (413); for scoring that is every token through the model,
  the left context that overlapping windows repeat included (``model_tokens``), so a request
  cannot multiply its cost with a small ``window``;
- a request waits for the model at most ``queue_timeout`` seconds from its arrival (503 with
  Retry-After);
- a request past its deadline (``request_timeout`` from arrival) stops at the next scoring
  window or generation step (503).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from entropy_lint.model.scoring import Scorer, Span, TokenScores
    from transformers import PreTrainedTokenizerBase


class Refused(Exception):
    """A request the server will not (or no longer) serve; ``detail`` is the one sentence the client gets."""

    status = 503

    def __init__(self, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail, self.headers = detail, headers or {}


class TooManyTokens(Refused):
    status = 413


class Busy(Refused):
    pass


class PastDeadline(Refused):
    pass


@dataclass(frozen=True)
class Clock:
    """One request's time: when it arrived and how long it may wait for the model and run."""

    arrived: float  # time.monotonic()
    queue_timeout: float
    request_timeout: float

    @property
    def deadline(self) -> float:
        return self.arrived + self.request_timeout

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def check(self, _tokens: int = 0) -> None:
        """Raise PastDeadline once the deadline has passed (also usable as a scorer's progress callback)."""
        if time.monotonic() > self.deadline:
            raise PastDeadline(f"the request ran past this server's request timeout of {self.request_timeout:g} s "
                               f"(serve --request-timeout) and was stopped")


class Gate:
    """The model lock, waited for with a timeout."""

    def __init__(self) -> None:
        self.lock = threading.Lock()

    @contextmanager
    def turn(self, clock: Clock) -> Iterator[None]:
        wait = min(clock.arrived + clock.queue_timeout, clock.deadline) - time.monotonic()
        if not self.lock.acquire(timeout=max(wait, 0.0)):
            retry = max(1, math.ceil(clock.queue_timeout))
            raise Busy(f"the model is busy with other requests and this one waited its limit of {clock.queue_timeout:g} s "
                       f"(serve --queue-timeout); retry later", {"Retry-After": str(retry)})
        try:
            yield
        finally:
            self.lock.release()


def over_limit(what: str, needed: int, limit: int, option: str) -> TooManyTokens:
    return TooManyTokens(f"this request needs {needed:,} {what}; this server's limit is {limit:,} per request "
                         f"(serve {option})")


def model_tokens(tokenizer: PreTrainedTokenizerBase, window: int, context: int, texts: Sequence[str],
                 spans: Sequence[Sequence[Span] | None] | None = None) -> int:
    """Tokens the model reads to score ``texts`` (only ``spans`` where given): the sum of the
    lengths of the windows ``scoring.plan_windows`` places, as the engine runs them."""
    import numpy as np

    from entropy_lint.model.scoring import empty_scores, plan_windows, wanted_tokens

    live = [i for i, text in enumerate(texts) if text]
    if not live:
        return 0
    enc = tokenizer([texts[i] for i in live], add_special_tokens=False, return_offsets_mapping=True,
                    split_special_tokens=True)
    total = 0
    for j, i in enumerate(live):
        ids = np.asarray(enc["input_ids"][j], np.int64)
        offsets = np.asarray(enc["offset_mapping"][j], np.int64).reshape(-1, 2)
        wanted = wanted_tokens(empty_scores(texts[i], ids, offsets, 0), spans[i] if spans is not None else None)
        total += sum(w.length for w in plan_windows(i, wanted, window, context))
    return total


class GatedScorer:
    """The server's scorer for one ``/check`` request: counts each call's tokens against the
    limit before waiting its turn for the model. The run layer may catch a scorer's exception
    and note it against the file; ``refused`` keeps it so the route answers with it all the same."""

    def __init__(self, scorer: Scorer, count: Callable[[Sequence[str], Sequence[Sequence[Span] | None] | None], int],
                 limit: int, gate: Gate, clock: Clock) -> None:
        self.scorer, self.count, self.limit, self.gate, self.clock = scorer, count, limit, gate, clock
        self.name, self.identity = scorer.name, scorer.identity
        self.used = 0
        self.refused: Refused | None = None

    def affordable(self, texts: Sequence[str], spans: Sequence[Sequence[Span] | None] | None = None) -> bool:
        """Whether scoring these would stay within the limit: optional work (ranking fixes) asks
        first and is skipped rather than refusing the whole request."""
        return self.used + self.count(texts, spans) <= self.limit

    def score(self, texts: Sequence[str], spans: Sequence[Sequence[Span] | None] | None = None) -> list[TokenScores]:
        try:
            self.used += self.count(texts, spans)
            if self.used > self.limit:
                raise over_limit("tokens through the model", self.used, self.limit, "--max-tokens-scored")
            with self.gate.turn(self.clock):
                return self.scorer.score(texts, spans)
        except Refused as exc:
            self.refused = exc
            raise
