"""The scoring contract: texts in, one ``TokenScores`` per text out, in the same order.

A token is scored by teacher forcing: the model sees the token's true left context and we keep
the probability it gave the actual token, the entropy of its whole predictive distribution
(raw logits: no temperature, top-k or top-p), the token's rank, and the top-k alternatives.

Windows and boundaries
----------------------
The first token of a text is conditioned on one prefix token (``<|endoftext|>`` when the
vocabulary has it, else BOS, else EOS), so every token gets a score. A text longer than one
forward pass (``window`` tokens) is scored with overlapping windows, the stride method of the
transformers perplexity guide: the first window starts at the prefix and scores every token in
it; each later window starts ``context - 1`` tokens before its first scored token, so every token
sees at least ``context`` tokens of left context (itself included) and at most ``window``. Later
windows start mid-text without the prefix token. When only some character spans are wanted, the
same rule places one window per cluster of wanted tokens: spans less than ``context`` tokens
apart share a window, farther ones get their own, and a
token whose index is below ``context`` is scored from the start of the text, exactly as a single
pass would score it.

This module holds the pure parts (records, window planning, offset tiling) and imports no torch.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

Span = tuple[int, int]


@dataclass(frozen=True)
class ScoringSettings:
    """How tokens are scored; every field changes results, so all of them key the cache."""

    window: int = 4096
    context: int = 1024
    top_k: int = 5
    batch_tokens: int = 0  # tokens per padded batch; 0 picks 1 window on CPU, 16,384 tokens on GPU
    head_chunk: int = 0  # positions per LM-head/softmax chunk; 0 picks 512 on CPU, 8,192 on GPU (capped by memory)

    def __post_init__(self) -> None:
        if self.window < 2:
            raise ValueError(f"window must be at least 2 tokens, got {self.window}")
        if not 1 <= self.context < self.window:
            raise ValueError(f"context must be between 1 and window-1 ({self.window - 1}), got {self.context}")
        if self.top_k < 0:
            raise ValueError(f"top_k must be 0 or more, got {self.top_k}")

    def key(self) -> str:
        return f"w{self.window}-c{self.context}-k{self.top_k}"


@dataclass
class TokenScores:
    """Per-token scores of one text. Arrays have one row per token; unscored rows hold NaN / 0.

    ``starts``/``ends`` are character offsets into ``text`` that tile it exactly:
    ``"".join(text[s:e] for s, e in zip(starts, ends)) == text``. A token that holds only part
    of a multi-byte character may have an empty span; the character belongs to the last token
    that holds any of its bytes.
    """

    text: str
    token_ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    scored: np.ndarray
    logprob: np.ndarray
    entropy: np.ndarray
    rank: np.ndarray
    top_ids: np.ndarray
    top_probs: np.ndarray
    alternatives: np.ndarray  # decoded text of top_ids; filled on first use of top_tokens
    error: str | None = None
    meta: dict[str, object] = field(default_factory=dict)
    decode_alternatives: Callable[[TokenScores], None] | None = field(default=None, repr=False, compare=False)

    @property
    def top_tokens(self) -> np.ndarray:
        """The alternatives as text. Decoding is deferred until someone looks: the linter reads a
        handful of rows, and decoding every row would cost more than scoring on a GPU."""
        if self.decode_alternatives is not None:
            decode, self.decode_alternatives = self.decode_alternatives, None
            decode(self)
        return self.alternatives

    def __len__(self) -> int:
        return len(self.token_ids)

    @property
    def prob(self) -> np.ndarray:
        return np.exp(self.logprob)

    @property
    def surprisal(self) -> np.ndarray:
        """-ln p of the actual token, in nats."""
        return -self.logprob

    @property
    def entropy_bits(self) -> np.ndarray:
        return self.entropy / math.log(2)

    def token_text(self, i: int) -> str:
        return self.text[self.starts[i] : self.ends[i]]

    def overlapping(self, start: int, end: int) -> np.ndarray:
        """Indices of tokens whose character span overlaps [start, end).

        An empty-span token (the leading bytes of a multi-byte character) counts as covering
        the character that starts where it sits.
        """
        effective_end = np.maximum(self.ends, self.starts + 1)
        return np.flatnonzero((self.starts < end) & (effective_end > start))

    @classmethod
    def failed(cls, text: str, error: str, top_k: int) -> TokenScores:
        return empty_scores(text, np.zeros(0, np.int64), np.zeros((0, 2), np.int64), top_k, error)


class Scorer(Protocol):
    """Anything that scores texts. ``name`` is the model as users know it; ``identity`` names the
    exact weights, device and dtype asked for, and the scoring settings (see
    ``loading.model_identity``): results are reusable exactly when identities are equal."""

    name: str
    identity: str

    def score(self, texts: Sequence[str], spans: Sequence[Sequence[Span] | None] | None = None) -> list[TokenScores]:
        """Score ``texts``; return one ``TokenScores`` per text, same order.

        ``spans``, when given, holds per text the character ranges that need scores (``None``
        for the whole text); only tokens overlapping them are scored, and the LM head runs only
        there. A text that cannot be scored (empty, say) gets a record with ``error`` set; the
        other texts are unaffected.
        """
        ...


class ScorerSource(Protocol):
    """Where scores come from, before anything is loaded: a local model, a server, or a scorer
    already open. ``identity()`` is cheap (no model load) and equals the opened scorer's
    ``identity``, so a results cache can be consulted before deciding to load."""

    def identity(self) -> str: ...

    def open(self, progress: Callable[[int], None] | None = None, log: Callable[[str], None] | None = None,
             planned: Callable[[int], None] | None = None) -> Scorer:
        """The scorer; ``progress`` is told how many tokens each step scored, ``log`` gets
        one-off status lines (a download, a conversion), and ``planned``, where the scorer knows
        it before scoring, how many tokens each ``score`` call will score (for an ETA)."""
        ...


def empty_scores(text: str, ids: np.ndarray, offsets: np.ndarray, top_k: int, error: str | None = None) -> TokenScores:
    n = len(ids)
    starts, ends = tile_offsets(offsets, len(text))
    return TokenScores(
        text=text,
        token_ids=np.asarray(ids, np.int64),
        starts=starts,
        ends=ends,
        scored=np.zeros(n, bool),
        logprob=np.full(n, np.nan),
        entropy=np.full(n, np.nan),
        rank=np.zeros(n, np.int64),
        top_ids=np.zeros((n, top_k), np.int64),
        top_probs=np.zeros((n, top_k)),
        alternatives=np.full((n, top_k), "", dtype=object),
        error=error,
    )


def tile_offsets(offsets: np.ndarray, length: int) -> tuple[np.ndarray, np.ndarray]:
    """Turn a tokenizer's (possibly overlapping or gapped) offsets into spans that tile the text.

    Each token runs from its start (made non-decreasing) to the next token's start; the first
    starts at 0 and the last ends at ``length``. Byte-level tokenizers give every piece of a
    split multi-byte character the same span; here the earlier pieces become empty.
    """
    n = len(offsets)
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    starts = np.maximum.accumulate(np.clip(np.asarray(offsets, np.int64)[:, 0], 0, length))
    starts[0] = 0
    ends = np.empty(n, np.int64)
    ends[:-1] = starts[1:]
    ends[-1] = length
    return starts, ends


@dataclass(frozen=True)
class Window:
    """One forward pass: input positions [start, stop) of prefix+tokens; outputs kept for
    ``targets`` (token indices; token i is predicted at input position i)."""

    text: int
    start: int
    stop: int
    targets: np.ndarray

    @property
    def length(self) -> int:
        return self.stop - self.start


def plan_windows(text: int, targets: np.ndarray, window: int, context: int) -> list[Window]:
    """Cover sorted token indices ``targets`` with windows of at most ``window`` inputs such
    that each target has at least ``context`` tokens of left context (or all of it). A target
    more than ``context`` tokens after the previous one starts a new window: reading its own
    ``context`` costs fewer positions than reading the gap (and attention grows with the square
    of a window's length)."""
    out: list[Window] = []
    gaps = np.flatnonzero(np.diff(targets) > context) + 1  # a target this far after the last starts its own window
    j = 0
    while j < len(targets):
        first = int(targets[j])
        start = max(0, first - context + 1)
        k = int(np.searchsorted(targets, start + window - 1, side="right"))
        split = int(np.searchsorted(gaps, j, side="right"))
        if split < len(gaps):
            k = min(k, int(gaps[split]))
        stop = int(targets[k - 1]) + 1
        out.append(Window(text, start, stop, targets[j:k]))
        j = k
    return out


def wanted_tokens(scores: TokenScores, spans: Sequence[Span] | None) -> np.ndarray:
    """Sorted token indices to score: all of them, or those overlapping ``spans``."""
    n = len(scores)
    if spans is None:
        return np.arange(n)
    mask = np.zeros(n, bool)
    for start, end in spans:
        mask[scores.overlapping(start, end)] = True
    return np.flatnonzero(mask)
