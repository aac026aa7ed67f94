"""Ranking verified rewrites by the model, in context.

For each candidate, the original file and the rewritten one are teacher-forced over the same
regions: each rewritten range at the call and what follows it (the rest of its line and the next
two lines, at most ``AFTER_CHARS`` characters), so a fix that makes the following code less
expected pays for it. An import the fix adds is part of the rewritten file the model reads, but
its own line is not compared: it says which modules files usually import, not how the rewrite
fits here (measured both ways in docs/benchmarks.md). ``delta_nats`` is the candidate's total
surprisal there minus the original's: negative when the model finds the fix more natural in this
file. It measures naturalness, not safety.

Both texts are cut at the same line, ``PREFIX_CHARS`` before the first rewritten range: the
model reads the same few hundred tokens of code before the rewrite in both, enough to judge how
the rewrite fits its surroundings, and ranking costs a fraction of what scoring a finding's full
left context (``--context``) does. Every comparison of a run goes to the scorer in one ``score``
call, which batches the windows; identical originals are scored once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from entropy_lint.fix.edits import Edit, moved, moved_start
from entropy_lint.lines import LineIndex

if TYPE_CHECKING:
    from entropy_lint.model.scoring import Scorer, Span, TokenScores

AFTER_LINES = 2  # lines after the one where a rewritten range ends
AFTER_CHARS = 400
PREFIX_CHARS = 1_500  # about 400-500 tokens of code


@dataclass(frozen=True)
class Comparison:
    """The original and the rewritten text, cut alike, and the regions to compare in each."""

    old: str
    old_spans: tuple[Span, ...]
    new: str
    new_spans: tuple[Span, ...]


def comparison(text: str, lines: LineIndex, new_text: str, edits: Sequence[Edit],
               focus: tuple[int, int] | None = None) -> Comparison:
    """The texts and regions for one candidate; with ``focus`` (the call), only the edits within it
    are compared (both texts still hold every edit)."""
    compared = [e for e in edits if focus is None or (focus[0] <= e.start and e.end <= focus[1])] or list(edits)
    regions: list[list[int]] = []
    for e in sorted(compared):
        row = lines.line_of(e.end)
        stop = lines.offset(row + AFTER_LINES + 1, 1) if row + AFTER_LINES < len(lines) else len(text)
        stop = min(stop, e.end + AFTER_CHARS)
        if regions and e.start <= regions[-1][1]:
            regions[-1][1] = max(regions[-1][1], stop)
        else:
            regions.append([e.start, stop])
    # Both slices start at the same place in the text: the line PREFIX_CHARS before the first
    # compared region (in the new text, that place moved by whatever was inserted above it).
    cut = lines.offset(lines.line_of(max(0, regions[0][0] - PREFIX_CHARS)), 1)
    cut_new = moved_start(cut, edits)
    end_old = regions[-1][1]
    end_new = moved(end_old, edits)
    old_spans = tuple((a - cut, b - cut) for a, b in regions)
    new_spans = tuple((moved_start(a, edits) - cut_new, moved(b, edits) - cut_new) for a, b in regions)
    return Comparison(text[cut:end_old], old_spans, new_text[cut_new:end_new], new_spans)


def surprisal(record: TokenScores, spans: Sequence[Span]) -> float | None:
    """Total -ln p over the tokens overlapping ``spans``; None when any of them went unscored."""
    import numpy as np

    if record.error:
        return None
    mask = np.zeros(len(record), bool)
    for start, end in spans:
        if start < end:
            mask[record.overlapping(start, end)] = True
    if not mask.any():
        return 0.0
    if not record.scored[mask].all():
        return None
    return float(-record.logprob[mask].sum())


def deltas(comparisons: Sequence[Comparison], scorer: Scorer) -> list[float | None]:
    """``delta_nats`` of each comparison, from one scorer call (identical originals scored once)."""
    if not comparisons:
        return []
    texts: list[str] = []
    spans: list[list[Span]] = []
    index: dict[tuple[str, tuple[Span, ...]], int] = {}

    def slot(text: str, wanted: tuple[Span, ...]) -> int:
        key = (text, wanted)
        if key not in index:
            index[key] = len(texts)
            texts.append(text)
            spans.append([s for s in wanted if s[0] < s[1]] or [(0, 0)])
        return index[key]

    pairs = [(slot(c.old, c.old_spans), slot(c.new, c.new_spans)) for c in comparisons]
    affordable = getattr(scorer, "affordable", None)  # a server's per-request token budget
    if affordable is not None and not affordable(texts, spans):
        return [None] * len(comparisons)  # ranking is optional: the fixes go out unranked
    records = scorer.score(texts, spans)
    out: list[float | None] = []
    for (i, j), c in zip(pairs, comparisons):
        old, new = surprisal(records[i], c.old_spans), surprisal(records[j], c.new_spans)
        out.append(None if old is None or new is None else new - old)
    return out
