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


def token_stats(logits: torch.Tensor, targets: torch.Tensor, top_k: int) -> Stats:
    """Statistics of the actual tokens ``targets`` [M] under raw ``logits`` [M, V].

    ``logits`` must be float32 and is overwritten (it becomes log-probabilities), so a chunk
    needs two vocabulary-sized buffers at most: the logits and one exponent.
    Entropy is ``-sum(p * ln p)`` over the whole vocabulary; no temperature, top-k or top-p.
    """
    actual = logits.gather(1, targets.unsqueeze(1)).squeeze(1)
    rank = (logits > actual.unsqueeze(1)).sum(dim=1) + 1
    k = min(top_k, logits.shape[1])
    top_vals, top_ids = logits.topk(k, dim=1) if k else (logits[:, :0], targets.new_zeros((len(targets), 0)))
    lse = torch.logsumexp(logits, dim=1)
    logp = logits.sub_(lse.unsqueeze(1))
    p = torch.exp(logp)
    entropy = -p.mul_(logp).sum(dim=1)
    return Stats(actual - lse, entropy.clamp_min_(0.0), rank, top_ids, top_vals - lse.unsqueeze(1))
