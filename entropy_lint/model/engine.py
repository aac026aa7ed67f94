"""The torch implementation of the ``Scorer`` contract.

Windows from all texts of a call are planned up front (see ``scoring``) and grouped into forward
passes (see ``packing``). On a GPU a pass is a *pack*: the windows concatenated into one token
stream with per-window position ids, attending within their own window through a variable-length
kernel (``varlen``), so no FLOP is spent on padding; architectures that cannot be packed exactly
get length-bucketed right-padded batches. On the CPU each window is its own pass by default
(padding costs more there than batching saves; packing there is an option, not yet timed). Passes run under
``torch.inference_mode``, and the host prepares the next one while the device runs the current
one (``overlap``). Only the hidden states of wanted positions go through the LM head, in chunks,
so memory does not grow with batch x sequence x vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from entropy_lint.errors import ModelError
from entropy_lint.model.loading import LoadedModel
from entropy_lint.model.overlap import StageTimes, Transfer, pipelined
from entropy_lint.model.packing import BatchInputs, packed_inputs, padded_inputs, plan_packs, plan_padded
from entropy_lint.model.scoring import (
    ScoringSettings,
    Span,
    TokenScores,
    Window,
    empty_scores,
    plan_windows,
    wanted_tokens,
)
from entropy_lint.model.stats import token_stats
from entropy_lint.model.varlen import Kernel, choose_kernel, packed_forward, packing_unsupported

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

GPU_BATCH_TOKENS = 16_384
# Rows of one LM-head chunk, and the memory its two fp32 [rows, vocab] buffers may take: small on
# the CPU (cache-friendly, and the win there is avoiding page faults), large on a GPU (fewer,
# bigger kernels).
HEAD_ROWS = {"cpu": 512, "cuda": 8192}
HEAD_BUDGET_BYTES = {"cpu": 512 << 20, "cuda": 4 << 30}
COMPILE_PARTS = frozenset({"head", "body"})


@dataclass(frozen=True)
class EngineOptions:
    """How the engine runs, not what it computes: no field changes a score beyond float
    rounding, so none of them keys the cache.

    ``packing``: ``auto`` packs windows on CUDA where the architecture allows it, ``on`` packs
    wherever it can (the CPU too), ``off`` never does. ``compile``: parts to put through
    ``torch.compile`` (``head``, ``body``); off by default until a measurement shows a gain.
    """

    packing: str = "auto"
    compile: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.packing not in ("auto", "on", "off"):
            raise ValueError(f"packing must be auto, on or off, got {self.packing!r}")
        if not self.compile <= COMPILE_PARTS:
            raise ValueError(f"compile parts must be among {sorted(COMPILE_PARTS)}, got {sorted(self.compile)}")


def prefix_token_id(tokenizer: PreTrainedTokenizerBase) -> int:
    """The token every text is conditioned on: the document separator where the vocabulary has
    one (``<|endoftext|>`` for GPT-2, Qwen, SmolLM), else BOS, else EOS."""
    vocab = tokenizer.get_vocab()
    if "<|endoftext|>" in vocab:
        return int(vocab["<|endoftext|>"])
    for candidate in (tokenizer.bos_token_id, tokenizer.eos_token_id):
        if candidate is not None:
            return int(candidate)
    raise ModelError("the tokenizer has no <|endoftext|>, BOS or EOS token to start a text with")


class TorchScorer:
    """Scores texts with a loaded causal LM. See ``scoring.Scorer`` for the contract."""

    def __init__(
        self,
        loaded: LoadedModel,
        settings: ScoringSettings | None = None,
        progress: Callable[[int], None] | None = None,
        planned: Callable[[int], None] | None = None,
        *,
        options: EngineOptions | None = None,
    ) -> None:
        self.loaded = loaded
        self.settings = settings or ScoringSettings()
        config = loaded.model.config
        max_positions = int(getattr(config, "max_position_embeddings", 0) or self.settings.window)
        self.window = min(self.settings.window, max_positions)
        self.context = min(self.settings.context, self.window - 1)
        self.prefix_id = prefix_token_id(loaded.tokenizer)
        self.progress = progress
        self.planned = planned  # told, per score() call, how many tokens it will score
        self.name = loaded.name
        self.identity = f"{loaded.identity}|{self.settings.key()}"
        self._pieces: dict[int, str] = {}
        self._body = loaded.model.base_model
        self._head = loaded.model.get_output_embeddings()
        if self._body is loaded.model or self._head is None:
            raise ModelError(f"{loaded.name}: unsupported architecture (no separate body and LM head)")
        self._softcap = getattr(config, "final_logit_softcapping", None)
        self._logit_scale = getattr(config, "logit_scale", None)
        vocab = int(self._head.weight.shape[0])
        kind = "cuda" if loaded.device.type == "cuda" else "cpu"
        rows = self.settings.head_chunk or HEAD_ROWS[kind]
        self._chunk = max(16, min(rows, HEAD_BUDGET_BYTES[kind] // (8 * vocab)))
        self.options = options or EngineOptions()
        self.timings: StageTimes | None = None  # set to a StageTimes to see where the time goes
        self._transfer = Transfer(loaded.device)
        self.packing_off_reason = self._packing_off_reason()
        self.packed = self.packing_off_reason is None
        self._kernel: Kernel = _no_kernel
        self.attention_kernel = "none"  # the packed attention kernel in use, for benchmarks to print
        if self.packed:
            self.attention_kernel, self._kernel = choose_kernel(loaded.device, loaded.dtype)
        self._forward_body = torch.compile(self._body, dynamic=True) if "body" in self.options.compile else self._body
        self._fused_head = torch.compile(_head_stats_fused, dynamic=True) if "head" in self.options.compile else None

    def _packing_off_reason(self) -> str | None:
        if self.options.packing == "off":
            return "packing is off"
        if self.options.packing == "auto" and self.loaded.device.type != "cuda":
            return "the CPU default is one window per pass"
        return packing_unsupported(self.loaded.model)

    def score(self, texts: Sequence[str], spans: Sequence[Sequence[Span] | None] | None = None) -> list[TokenScores]:
        if self.timings is not None:
            self.timings.begin()
        k = self.settings.top_k
        records = self._tokenize_all(texts, k)
        wanted = spans if spans is not None else [None] * len(texts)
        if len(wanted) != len(texts):
            raise ValueError(f"spans has {len(wanted)} entries for {len(texts)} texts")
        windows = [
            w
            for i, rec in enumerate(records)
            if rec.error is None
            for w in plan_windows(i, wanted_tokens(rec, wanted[i]), self.window, self.context)
        ]
        if self.planned:
            self.planned(sum(len(w.targets) for w in windows))
        batches = self._batches(windows)
        token_ids = [rec.token_ids for rec in records]
        with torch.inference_mode():
            workspace = self._workspace(batches)
            pipelined(batches, lambda b: self._submit(b, token_ids, workspace),
                      lambda b, wait: self._store(b, records, wait()),
                      depth=1 if self._transfer.cuda else 0)
            del workspace
        for rec in records:
            rec.decode_alternatives = self._decode_alternatives
            rec.meta.update(model=self.loaded.name, dtype=str(self.loaded.dtype).removeprefix("torch."),
                            window=self.window, context=self.context)
        if self.timings is not None:
            self.timings.end(self.loaded.device)
        return records

    def _tokenize_all(self, texts: Sequence[str], k: int) -> list[TokenScores]:
        """One batched tokenizer call (the Rust tokenizer parallelises it) for the non-empty texts."""
        live = [i for i, t in enumerate(texts) if t]
        records = [TokenScores.failed(t, "empty text: nothing to score", k) if not t else None for t in texts]
        if live:
            enc = self.loaded.tokenizer([texts[i] for i in live], add_special_tokens=False,
                                        return_offsets_mapping=True, split_special_tokens=True)
            for j, i in enumerate(live):
                ids = np.asarray(enc["input_ids"][j], np.int64)
                offsets = np.asarray(enc["offset_mapping"][j], np.int64).reshape(-1, 2)
                records[i] = empty_scores(texts[i], ids, offsets, k)
        return records  # type: ignore[return-value]

    def _batches(self, windows: list[Window]) -> list[list[Window]]:
        """The forward passes: packs of up to ``batch_tokens`` tokens (16,384 when 0), or padded
        batches of up to ``batch_tokens`` positions (0: 16,384 on a GPU, one window on the CPU)."""
        budget = self.settings.batch_tokens
        if self.packed:
            return plan_packs(windows, budget or GPU_BATCH_TOKENS)
        if budget == 0 and self.loaded.device.type == "cuda":
            budget = GPU_BATCH_TOKENS
        return plan_padded(windows, budget)

    def _submit(self, batch: list[Window], token_ids: list[np.ndarray],
                workspace: tuple[torch.Tensor, ...]) -> Callable[[], list[np.ndarray]]:
        """Launch one pass and start copying its results back; the returned function waits for them."""
        device, timings = self.loaded.device, self.timings
        inputs = (packed_inputs if self.packed else padded_inputs)(batch, token_ids, self.prefix_id)
        if timings is not None:
            timings.mark(device, "start")
        hidden = self._run_body(inputs)
        if timings is not None:
            timings.mark(device, "body")
        rows, actual = self._transfer.upload([inputs.rows, inputs.targets])
        picked = hidden.index_select(0, rows)
        del hidden
        parts = [self._head_stats(picked[i : i + self._chunk], actual[i : i + self._chunk], workspace)
                 for i in range(0, len(inputs.rows), self._chunk)]
        logprob, entropy, rank, top_ids, top_lp = (torch.cat(col) for col in zip(*parts))
        floats = torch.cat([logprob[:, None], entropy[:, None], top_lp], dim=1)
        ints = torch.cat([rank[:, None], top_ids], dim=1)
        if timings is not None:
            timings.mark(device, "head")
        return self._transfer.download([floats, ints])

    def _run_body(self, inputs: BatchInputs) -> torch.Tensor:
        """Hidden states of every input position, flattened to [positions, hidden]."""
        if inputs.position_ids is None:
            # Right padding with no attention mask is exact: causal attention never looks ahead.
            (ids,) = self._transfer.upload([inputs.input_ids])
            hidden = self._forward_body(input_ids=ids, use_cache=False).last_hidden_state
        else:
            assert inputs.cu_seqlens is not None
            ids, positions, cu = self._transfer.upload([inputs.input_ids, inputs.position_ids, inputs.cu_seqlens])
            with packed_forward(self.loaded.model, self._kernel, cu.to(torch.int32), inputs.cu_seqlens.tolist(),
                                inputs.max_length):
                hidden = self._forward_body(input_ids=ids, position_ids=positions, use_cache=False).last_hidden_state
        return hidden.reshape(-1, hidden.shape[-1])

    def _store(self, batch: list[Window], records: list[TokenScores], results: list[np.ndarray]) -> None:
        floats, ints = results
        at = 0
        for w in batch:
            rec, n = records[w.text], len(w.targets)
            sl = slice(at, at + n)
            rec.scored[w.targets] = True
            rec.logprob[w.targets] = floats[sl, 0]
            rec.entropy[w.targets] = floats[sl, 1]
            rec.rank[w.targets] = ints[sl, 0]
            rec.top_ids[w.targets] = ints[sl, 1:]
            rec.top_probs[w.targets] = np.exp(floats[sl, 2:])
            at += n
        if self.progress:
            self.progress(at)

    def _workspace(self, batches: list[list[Window]]) -> tuple[torch.Tensor, ...]:
        """Two [chunk, vocab] float32 buffers (logits, exponent), reused by every chunk of a call,
        and, for a half-precision head, a [chunk, vocab] buffer its matmul writes into. A chunk
        holds rows from all windows of a batch, so the largest batch sizes them."""
        rows = min(self._chunk, max((sum(len(w.targets) for w in b) for b in batches), default=1))
        vocab = int(self._head.weight.shape[0])
        device = self.loaded.device
        buffers = [torch.empty((rows, vocab), dtype=torch.float32, device=device) for _ in range(2)]
        if self._plain_head() and self._head.weight.dtype != torch.float32 and self._fused_head is None:
            buffers.append(torch.empty((rows, vocab), dtype=self._head.weight.dtype, device=device))
        return tuple(buffers)

    def _plain_head(self) -> bool:
        return isinstance(self._head, torch.nn.Linear) and self._head.bias is None

    def _head_stats(self, hidden: torch.Tensor, actual: torch.Tensor,
                    workspace: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, ...]:
        weight = self._head.weight
        if self._fused_head is not None and self._plain_head():
            return tuple(self._fused_head(hidden, weight, actual, self.settings.top_k, self._logit_scale, self._softcap))
        logits = workspace[0][: len(hidden)]
        if self._plain_head() and weight.dtype == torch.float32:
            torch.mm(hidden, weight.t(), out=logits)
        elif self._plain_head():
            # the matmul in the weights' precision, the statistics in float32
            lowp = workspace[2][: len(hidden)]
            torch.mm(hidden, weight.t(), out=lowp)
            logits.copy_(lowp)
        else:
            logits.copy_(self._head(hidden))
        _scale_logits(logits, self._logit_scale, self._softcap)
        return tuple(token_stats(logits, actual, self.settings.top_k, workspace[1]))

    def _decode_alternatives(self, rec: TokenScores) -> None:
        if not rec.scored.any() or rec.top_ids.shape[1] == 0:
            return
        chosen = rec.top_ids[rec.scored]
        unique = np.unique(chosen)
        missing = [int(i) for i in unique if int(i) not in self._pieces]
        for i, piece in zip(missing, self.loaded.tokenizer.batch_decode([[i] for i in missing])):
            self._pieces[i] = piece
        pieces = np.array([self._pieces[int(i)] for i in unique], dtype=object)
        rec.alternatives[rec.scored] = pieces[np.searchsorted(unique, chosen)]


def _scale_logits(logits: torch.Tensor, scale: float | None, softcap: float | None) -> None:
    if scale:
        logits.mul_(scale)
    if softcap:
        logits.div_(softcap).tanh_().mul_(softcap)


def _head_stats_fused(hidden: torch.Tensor, weight: torch.Tensor, actual: torch.Tensor, top_k: int,
                      scale: float | None, softcap: float | None) -> tuple[torch.Tensor, ...]:
    """LM head and statistics as one function for ``torch.compile`` to fuse: the matmul in the
    weights' precision, the float32 upcast folded into the statistics' reductions."""
    logits = torch.mm(hidden, weight.t()).float()
    _scale_logits(logits, scale, softcap)
    return tuple(token_stats(logits, actual, top_k))


def _no_kernel(*_args: Any) -> torch.Tensor:
    raise ModelError("packed attention is off for this model")

