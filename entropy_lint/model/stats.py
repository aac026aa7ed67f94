"""The math of teacher-forced scoring: one pure tensor function, tested on hand-made logits."""

from __future__ import annotations

from typing import NamedTuple

import torch


class Stats(NamedTuple):
    logprob: torch.Tensor  # [M] ln p(actual token)
    entropy: torch.Tensor  # [M] entropy of the predictive distribution, nats
    rank: torch.Tensor  # [M] 1 + number of tokens with a strictly higher logit
    top_ids: torch.Tensor  # [M, k]
    top_logprob: torch.Tensor  # [M, k]


def token_stats(logits: torch.Tensor, targets: torch.Tensor, top_k: int, work: torch.Tensor | None = None) -> Stats:
    """Statistics of the actual tokens ``targets`` [M] under raw ``logits`` [M, V].

    Entropy is over the whole vocabulary from the raw logits (no temperature, top-k or top-p):
    with z = logits - max, S = sum(exp z), it is ``ln S - sum(exp(z) * z) / S``.
    ``logits`` must be float32 and is overwritten. ``work``, when given, is a float32 buffer of
    at least the same shape, reused across chunks: on the CPU, fresh vocabulary-sized
    allocations cost more in page faults than the arithmetic does.
    """
    m = logits.shape[0]
    buf = torch.empty_like(logits) if work is None else work[:m]
    actual = logits.gather(1, targets.unsqueeze(1))
    # a float sum of 0/1 is exact for any vocabulary under 2**24 entries
    rank = torch.gt(logits, actual, out=buf).sum(dim=1).to(torch.int64) + 1
    k = min(top_k, logits.shape[1])
    top_vals, top_ids = logits.topk(k, dim=1)
    peak = logits.amax(dim=1, keepdim=True)
    z = logits.sub_(peak)
    e = torch.exp(z, out=buf)
    log_s = e.sum(dim=1).log_()
    entropy = log_s - e.mul_(z).sum(dim=1) / log_s.exp()
    lse = peak.squeeze(1) + log_s
    return Stats(actual.squeeze(1) - lse, entropy.clamp_min_(0.0), rank, top_ids, top_vals - lse.unsqueeze(1))
