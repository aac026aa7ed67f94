"""Packed attention: which models may be packed, the kernel check, and the guards."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

torch = pytest.importorskip("torch", reason="packed attention needs torch (pip install 'entropy-lint[model]')")
pytestmark = pytest.mark.model

from entropy_lint.errors import ModelError
from entropy_lint.model.varlen import (
    agrees,
    choose_kernel,
    packed_attention,
    packed_forward,
    packing_unsupported,
    per_window_sdpa,
)


def whole_stream_causal(module: Any, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, cu: torch.Tensor,
                        bounds: Sequence[int], max_length: int, scale: float | None) -> torch.Tensor:
    """The bug packing must not have: windows later in the stream attend to earlier windows."""
    return per_window_sdpa(module, q, k, v, cu, (0, bounds[-1]), max_length, scale)


def test_the_kernel_check_accepts_the_per_window_path_and_rejects_a_leaky_kernel() -> None:
    cpu = torch.device("cpu")
    assert agrees(per_window_sdpa, cpu, torch.float32)
    assert not agrees(whole_stream_causal, cpu, torch.float32)


def test_a_kernel_that_raises_is_rejected() -> None:
    def broken(*_args: Any) -> torch.Tensor:
        raise RuntimeError("no kernel image for this device")

    assert not agrees(broken, torch.device("cpu"), torch.float32)


def test_the_cpu_uses_the_per_window_path() -> None:
    assert choose_kernel(torch.device("cpu"), torch.bfloat16)[0] == "sdpa per window"


def tiny(**extra: Any) -> Any:
    from transformers import AutoModelForCausalLM, Qwen2Config

    config = Qwen2Config(vocab_size=64, hidden_size=16, intermediate_size=32, num_hidden_layers=2,
                         num_attention_heads=2, num_key_value_heads=1, **extra)
    return AutoModelForCausalLM.from_config(config)


def test_packed_attention_refuses_to_run_outside_a_pack_or_with_a_mask() -> None:
    q = torch.zeros(1, 2, 4, 8)
    with pytest.raises(ModelError, match="outside a packed forward pass"):
        packed_attention(None, q, q, q, None)
    model = tiny()
    with packed_forward(model, per_window_sdpa, torch.tensor([0, 2, 4]), (0, 2, 4), 2):
        assert model.config._attn_implementation == "entropy_lint_packed"
        with pytest.raises(ModelError, match="given an attention mask"):
            packed_attention(None, q, q, q, torch.ones(1, 1, 4, 4, dtype=torch.bool))
    assert model.config._attn_implementation == "sdpa"


def test_sliding_window_models_are_not_packed() -> None:
    assert packing_unsupported(tiny()) is None
    reason = packing_unsupported(tiny(use_sliding_window=True, sliding_window=8, max_window_layers=0))
    assert reason is not None and "sliding" in reason
