"""The scoring math on hand-made logits."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch", reason="the scoring math needs torch (pip install 'entropy-lint[model]')")
pytestmark = pytest.mark.model

from entropy_lint.model.stats import token_stats  # noqa: E402


def test_uniform_logits_have_entropy_ln_v() -> None:
    v = 1000
    stats = token_stats(torch.zeros(3, v), torch.tensor([0, 5, 999]), top_k=2)
    assert torch.allclose(stats.entropy, torch.full((3,), math.log(v)), atol=1e-5)
    assert torch.allclose(stats.logprob, torch.full((3,), -math.log(v)), atol=1e-6)


def test_one_hot_logits_have_zero_entropy_and_probability_one() -> None:
    logits = torch.full((2, 50), -1e4)
    logits[0, 7] = 0.0
    logits[1, 3] = 0.0
    stats = token_stats(logits, torch.tensor([7, 3]), top_k=1)
    assert torch.allclose(stats.entropy, torch.zeros(2), atol=1e-6)
    assert torch.allclose(stats.logprob, torch.zeros(2), atol=1e-6)
    assert stats.rank.tolist() == [1, 1]
    assert stats.top_ids[:, 0].tolist() == [7, 3]


def test_probabilities_entropy_and_rank_match_softmax() -> None:
    torch.manual_seed(0)
    logits = torch.randn(5, 64) * 3
    targets = torch.tensor([0, 10, 20, 30, 63])
    p = torch.softmax(logits, dim=1)
    expected_entropy = -(p * p.log()).sum(dim=1)
    expected_rank = (logits > logits.gather(1, targets[:, None])).sum(dim=1) + 1
    stats = token_stats(logits.clone(), targets, top_k=3)
    assert torch.allclose(stats.logprob.exp(), p.gather(1, targets[:, None]).squeeze(1), atol=1e-6)
    assert torch.allclose(stats.entropy, expected_entropy, atol=1e-5)
    assert torch.equal(stats.rank, expected_rank)
    top_p, top_i = p.topk(3, dim=1)
    assert torch.equal(stats.top_ids, top_i)
    assert torch.allclose(stats.top_logprob.exp(), top_p, atol=1e-6)


def test_top_k_zero_keeps_no_alternatives() -> None:
    stats = token_stats(torch.zeros(2, 8), torch.tensor([1, 2]), top_k=0)
    assert stats.top_ids.shape == (2, 0)
