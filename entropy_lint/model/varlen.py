"""Attention over a pack of windows: each window attends causally to itself only.

transformers dispatches attention by name (``config._attn_implementation``) through its
``AttentionInterface``; we register one more name for the packed forward pass. A name that has no
mask function in ``masking_utils`` makes the model skip mask creation (with the built-in ``sdpa``
it would detect the packed position ids and build a dense [tokens, tokens] block mask, and
attention would then cost the square of the whole pack). The window boundaries reach the
attention function through a context variable set around the one forward call, so nothing
depends on a model forwarding extra keyword arguments down to its attention layers. The model's
attention name is switched for that call only (a model is not scored from two threads at once:
every model call of the server holds one lock).

Kernels, the first that works on the device and dtype:
- ``flash-attn``: ``flash_attn_varlen_func``, when the (CUDA-only) package is installed;
- ``torch varlen``: ``torch.nn.attention.varlen.varlen_attn``, torch's own flash kernel (CUDA,
  half precision); its keyword arguments differ across torch releases, so they are read from
  its signature;
- ``sdpa per window``: transformers' own SDPA function on each window's slice, which is exactly
  what a one-window pass runs (used on the CPU, in float32, and as the fallback).
A CUDA kernel is checked once against the per-window path on a small random input before use.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import torch

from entropy_lint.errors import ModelError

ATTENTION_NAME = "entropy_lint_packed"

# (module, query [1, H, T, D], key [1, Hkv, T, D], value, cu_seqlens on the device (int32),
#  bounds (the same on the host), longest window, scale) -> output [1, T, H, D]
Kernel = Callable[[Any, torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor, Sequence[int], int, "float | None"],
                  torch.Tensor]


@dataclass(frozen=True)
class PackLayout:
    kernel: Kernel
    cu_seqlens: torch.Tensor
    bounds: Sequence[int]
    max_length: int


_LAYOUT: ContextVar[PackLayout | None] = ContextVar("entropy_lint_pack_layout", default=None)


def packing_unsupported(model: Any) -> str | None:
    """Why ``model`` cannot score packed windows exactly, or None when it can."""
    config = model.config
    if not getattr(type(model), "_supports_attention_backend", False):
        return "its attention does not go through transformers' attention interface"
    if getattr(config, "is_encoder_decoder", False):
        return "it is an encoder-decoder"
    layer_types = getattr(config, "layer_types", None) or []
    if any(t != "full_attention" for t in layer_types) or (
            getattr(config, "use_sliding_window", False) and getattr(config, "sliding_window", None)):
        return "it has sliding-window attention layers"
    if getattr(config, "attn_logit_softcapping", None):
        return "it soft-caps attention logits"
    if "position_ids" not in inspect.signature(model.base_model.forward).parameters:
        return "its body takes no position ids"
    return None


def packed_attention(module: Any, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                     attention_mask: torch.Tensor | None, dropout: float = 0.0, scaling: float | None = None,
                     **kwargs: Any) -> tuple[torch.Tensor, None]:
    """The function registered under ``ATTENTION_NAME`` (transformers' attention signature)."""
    layout = _LAYOUT.get()
    if layout is None:
        raise ModelError("packed attention was called outside a packed forward pass")
    if attention_mask is not None:
        # a mask here means transformers built one we would silently ignore
        raise ModelError("packed attention was given an attention mask")
    if kwargs.get("sliding_window") or kwargs.get("softcap"):
        raise ModelError("packed attention supports neither sliding windows nor soft-capping")
    if query.shape[0] != 1:
        raise ModelError("packed attention expects one packed row")
    out = layout.kernel(module, query, key, value, layout.cu_seqlens, layout.bounds, layout.max_length, scaling)
    return out, None


@contextmanager
def packed_forward(model: Any, kernel: Kernel, cu_seqlens: torch.Tensor, bounds: Sequence[int],
                   max_length: int) -> Iterator[None]:
    """Within the block, ``model`` attends within the windows of one pack."""
    from transformers import AttentionInterface

    if ATTENTION_NAME not in AttentionInterface._global_mapping:
        # torch.compile (an engine option) traces around it: the layout comes from a context
        # variable, and the kernels' shapes change with every pack
        AttentionInterface.register(ATTENTION_NAME, torch.compiler.disable(packed_attention))
    config = model.config
    previous = config._attn_implementation
    token = _LAYOUT.set(PackLayout(kernel, cu_seqlens, bounds, max_length))
    config._attn_implementation = ATTENTION_NAME
    try:
        yield
    finally:
        config._attn_implementation = previous
        _LAYOUT.reset(token)


def per_window_sdpa(module: Any, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, cu: torch.Tensor,
                    bounds: Sequence[int], max_length: int, scale: float | None) -> torch.Tensor:
    from transformers.modeling_utils import ALL_ATTENTION_FUNCTIONS

    sdpa = ALL_ATTENTION_FUNCTIONS["sdpa"]
    parts = [sdpa(module, q[:, :, a:b], k[:, :, a:b], v[:, :, a:b], None, scaling=scale, is_causal=True)[0]
             for a, b in zip(bounds[:-1], bounds[1:])]
    return torch.cat(parts, dim=1)


def _tokens_major(x: torch.Tensor) -> torch.Tensor:
    """[1, H, T, D] -> [T, H, D], contiguous, as the varlen kernels take it."""
    return x[0].transpose(0, 1).contiguous()


def _flash_attn_kernel() -> Kernel | None:
    try:
        from flash_attn import flash_attn_varlen_func
    except ImportError:
        return None

    def run(module: Any, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, cu: torch.Tensor,
            bounds: Sequence[int], max_length: int, scale: float | None) -> torch.Tensor:
        out = flash_attn_varlen_func(_tokens_major(q), _tokens_major(k), _tokens_major(v), cu, cu, max_length,
                                     max_length, dropout_p=0.0, softmax_scale=scale, causal=True)
        return out.unsqueeze(0)  # type: ignore[no-any-return]

    return run


def _torch_varlen_kernel() -> Kernel | None:
    try:
        from torch.nn.attention.varlen import varlen_attn
    except ImportError:
        return None
    params = inspect.signature(varlen_attn).parameters
    # torch 2.9-2.10 take is_causal; later releases a (left, right) window, (-1, 0) being causal
    if "window_size" in params:
        causal: dict[str, Any] = {"window_size": (-1, 0)}
    elif "is_causal" in params:
        causal = {"is_causal": True}
    else:
        return None
    gqa, has_scale = "enable_gqa" in params, "scale" in params

    def run(module: Any, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, cu: torch.Tensor,
            bounds: Sequence[int], max_length: int, scale: float | None) -> torch.Tensor:
        qt, kt, vt = _tokens_major(q), _tokens_major(k), _tokens_major(v)
        kwargs = dict(causal)
        if qt.shape[1] != kt.shape[1]:
            if gqa:
                kwargs["enable_gqa"] = True
            else:  # query head h reads key/value head h // groups, as transformers' repeat_kv does
                groups = qt.shape[1] // kt.shape[1]
                kt, vt = kt.repeat_interleave(groups, dim=1), vt.repeat_interleave(groups, dim=1)
        if has_scale:
            kwargs["scale"] = scale
        elif scale is not None and abs(scale - qt.shape[-1] ** -0.5) > 1e-9:
            raise ModelError("this torch's varlen_attn takes no scale")
        out = varlen_attn(qt, kt, vt, cu, cu, max_length, max_length, **kwargs)
        return (out[0] if isinstance(out, tuple) else out).unsqueeze(0)

    return run


def choose_kernel(device: torch.device, dtype: torch.dtype,
                  candidates: Sequence[tuple[str, Callable[[], Kernel | None]]] | None = None) -> tuple[str, Kernel]:
    """The first kernel that exists for ``device``/``dtype`` and agrees with the per-window path on
    a small random pack; the per-window path when none does (always on the CPU)."""
    if device.type == "cuda" and dtype in (torch.float16, torch.bfloat16):
        for name, make in candidates or (("flash-attn", _flash_attn_kernel), ("torch varlen", _torch_varlen_kernel)):
            kernel = make()
            if kernel is not None and agrees(kernel, device, dtype):
                return name, kernel
    return "sdpa per window", per_window_sdpa


class _ProbeModule(torch.nn.Module):
    """Stands in for an attention layer in the probe: the SDPA function reads these two fields."""

    def __init__(self, groups: int) -> None:
        super().__init__()
        self.num_key_value_groups = groups
        self.is_causal = True


def agrees(kernel: Kernel, device: torch.device, dtype: torch.dtype) -> bool:
    """Whether ``kernel`` computes what the per-window path does on a small random pack of three
    windows (one of a single token), with grouped key/value heads."""
    gen = torch.Generator(device="cpu").manual_seed(0)
    heads, kv_heads, dim, bounds = 4, 2, 64, (0, 37, 38, 101)
    make = lambda h: torch.randn(1, h, bounds[-1], dim, generator=gen).to(device, dtype)  # noqa: E731
    q, k, v = make(heads), make(kv_heads), make(kv_heads)
    cu = torch.tensor(bounds, dtype=torch.int32, device=device)
    module = _ProbeModule(heads // kv_heads)
    try:
        got = kernel(module, q, k, v, cu, bounds, 63, dim**-0.5)
    except Exception:  # noqa: BLE001 - any failure means: use the next kernel
        return False
    want = per_window_sdpa(module, q, k, v, cu, bounds, 63, dim**-0.5)
    return got.shape == want.shape and bool(torch.allclose(got.float(), want.float(), atol=2e-2, rtol=2e-2))
