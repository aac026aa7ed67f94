"""Grouping windows into forward passes, and the input arrays of one pass: pure numpy, no torch.

Two layouts. A *padded* batch is a [windows, longest] matrix, right-padded: causal attention never
looks ahead, so padding changes no result, but every padded position costs a full pass through
the body. A *pack* concatenates its windows into one token stream with per-window position ids
(each window counts from 0, as it would alone) and the window boundaries (``cu_seqlens``) that a
variable-length attention kernel needs so that no window sees another: no FLOP is spent on
padding. Either way ``rows`` index the flattened [positions, hidden] output at the positions
whose next-token distribution is wanted, in window order, and ``targets`` are the tokens they
predict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from entropy_lint.model.scoring import Window


@dataclass(frozen=True)
class BatchInputs:
    """The arrays of one forward pass. ``input_ids`` is [1, total] for a pack, [windows, longest]
    for a padded batch; ``position_ids`` and ``cu_seqlens`` are set for a pack of several windows
    only (a single window needs neither)."""

    input_ids: np.ndarray
    rows: np.ndarray
    targets: np.ndarray
    position_ids: np.ndarray | None = None
    cu_seqlens: np.ndarray | None = None
    max_length: int = 0

    @property
    def tokens(self) -> int:
        """Positions the body computes, padding included."""
        return int(self.input_ids.size)


def window_inputs(token_ids: np.ndarray, w: Window, prefix_id: int) -> np.ndarray:
    """The input tokens of window ``w``: position i holds the token that predicts token i, so a
    window from the start of the text begins with the prefix token, a later one mid-text."""
    if w.start == 0:
        return np.concatenate(([prefix_id], token_ids[: w.stop - 1])).astype(np.int64, copy=False)
    return token_ids[w.start - 1 : w.stop - 1]


def plan_packs(windows: Sequence[Window], budget: int) -> list[list[Window]]:
    """Windows grouped into packs of at most ``budget`` tokens in all, longest first (a window
    longer than the budget goes alone). Next-fit on the sorted list: linear in the windows, and a
    pack falls short of the budget by less than its own shortest window."""
    packs: list[list[Window]] = []
    used = 0
    for w in sorted(windows, key=lambda w: -w.length):
        if packs and used + w.length <= budget:
            packs[-1].append(w)
            used += w.length
        else:
            packs.append([w])
            used = w.length
    return packs


def plan_padded(windows: Sequence[Window], budget: int) -> list[list[Window]]:
    """Windows grouped into right-padded batches of at most ``budget`` positions, padding
    included, longest first (so a batch's first window sets its padded length)."""
    batches: list[list[Window]] = []
    for w in sorted(windows, key=lambda w: -w.length):
        if batches and (len(batches[-1]) + 1) * batches[-1][0].length <= budget:
            batches[-1].append(w)
        else:
            batches.append([w])
    return batches


def packed_inputs(pack: Sequence[Window], token_ids: Sequence[np.ndarray], prefix_id: int) -> BatchInputs:
    """One token stream of the pack's windows, each with its own positions from 0."""
    seqs = [window_inputs(token_ids[w.text], w, prefix_id) for w in pack]
    lengths = np.array([len(s) for s in seqs], np.int64)
    cu = np.zeros(len(seqs) + 1, np.int64)
    np.cumsum(lengths, out=cu[1:])
    rows = np.concatenate([cu[i] + (w.targets - w.start) for i, w in enumerate(pack)])
    targets = np.concatenate([token_ids[w.text][w.targets] for w in pack])
    stream = np.concatenate(seqs)[None, :]
    if len(pack) == 1:
        return BatchInputs(stream, rows, targets)
    positions = np.arange(int(cu[-1]), dtype=np.int64) - np.repeat(cu[:-1], lengths)
    return BatchInputs(stream, rows, targets, positions[None, :], cu, int(lengths.max()))


def padded_inputs(batch: Sequence[Window], token_ids: Sequence[np.ndarray], prefix_id: int) -> BatchInputs:
    """A [windows, longest] matrix, right-padded with the prefix token (any id would do)."""
    length = max(w.length for w in batch)
    inputs = np.full((len(batch), length), prefix_id, np.int64)
    for b, w in enumerate(batch):
        inputs[b, : w.length] = window_inputs(token_ids[w.text], w, prefix_id)
    rows = np.concatenate([b * length + (w.targets - w.start) for b, w in enumerate(batch)])
    targets = np.concatenate([token_ids[w.text][w.targets] for w in batch])
    return BatchInputs(inputs, rows, targets)
