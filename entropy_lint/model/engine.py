"""The torch implementation of the ``Scorer`` contract.

Windows from all texts of a call are planned up front (see ``scoring``), grouped into padded
batches by length (on a GPU; one window per pass on the CPU, where padding costs more than
batching saves), and run through the transformer body under ``torch.inference_mode``. Only the
hidden states of wanted positions go through the LM head, in chunks, so memory does not grow
with batch x sequence x vocabulary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import torch

from entropy_lint.errors import ModelError
from entropy_lint.model.loading import LoadedModel
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

if TYPE_CHECKING:
    from transformers import PreTrainedTokenizerBase

GPU_BATCH_TOKENS = 16_384
# Rows of one LM-head chunk, and the memory its two fp32 [rows, vocab] buffers may take: small on
# the CPU (cache-friendly, and the win there is avoiding page faults), large on a GPU (fewer,
# bigger kernels).
HEAD_ROWS = {"cpu": 512, "cuda": 8192}
HEAD_BUDGET_BYTES = {"cpu": 512 << 20, "cuda": 4 << 30}


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

    def score(self, texts: Sequence[str], spans: Sequence[Sequence[Span] | None] | None = None) -> list[TokenScores]:
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
        with torch.inference_mode():
            workspace = self._workspace(batches)
            for batch in batches:
                self._run(batch, records, workspace)
            del workspace
        for rec in records:
            rec.decode_alternatives = self._decode_alternatives
            rec.meta.update(model=self.loaded.name, dtype=str(self.loaded.dtype).removeprefix("torch."),
                            window=self.window, context=self.context)
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
        budget = self.settings.batch_tokens
        if budget == 0 and self.loaded.device.type == "cuda":
            budget = GPU_BATCH_TOKENS
        ordered = sorted(windows, key=lambda w: -w.length)
        batches: list[list[Window]] = []
        for w in ordered:
            # ordered longest first, so the batch's first window sets the padded length
            if batches and (len(batches[-1]) + 1) * batches[-1][0].length <= budget:
                batches[-1].append(w)
            else:
                batches.append([w])
        return batches

    def _run(self, batch: list[Window], records: list[TokenScores], workspace: tuple[torch.Tensor, torch.Tensor]) -> None:
        device = self.loaded.device
        length = batch[0].length
        inputs = np.full((len(batch), length), self.prefix_id, np.int64)
        rows, cols, targets = [], [], []
        for b, w in enumerate(batch):
            ids = records[w.text].token_ids
            seq = np.concatenate(([self.prefix_id], ids[: w.stop - 1])) if w.start == 0 else ids[w.start - 1 : w.stop - 1]
            inputs[b, : w.length] = seq
            rows.append(np.full(len(w.targets), b))
            cols.append(w.targets - w.start)
            targets.append(ids[w.targets])
        # Right padding with no attention mask is exact: causal attention never looks ahead.
        hidden = self._body(input_ids=torch.from_numpy(inputs).to(device), use_cache=False).last_hidden_state
        picked = hidden[torch.from_numpy(np.concatenate(rows)).to(device), torch.from_numpy(np.concatenate(cols)).to(device)]
        del hidden
        actual = torch.from_numpy(np.concatenate(targets)).to(device)
        parts = [self._head_stats(picked[i : i + self._chunk], actual[i : i + self._chunk], workspace)
                 for i in range(0, len(actual), self._chunk)]
        logprob, entropy, rank, top_ids, top_lp = (torch.cat(col).cpu().numpy() for col in zip(*parts))
        at = 0
        for w in batch:
            rec, n = records[w.text], len(w.targets)
            sl = slice(at, at + n)
            rec.scored[w.targets] = True
            rec.logprob[w.targets] = logprob[sl]
            rec.entropy[w.targets] = entropy[sl]
            rec.rank[w.targets] = rank[sl]
            rec.top_ids[w.targets] = top_ids[sl]
            rec.top_probs[w.targets] = np.exp(top_lp[sl])
            at += n
        if self.progress:
            self.progress(at)

    def _workspace(self, batches: list[list[Window]]) -> tuple[torch.Tensor, torch.Tensor]:
        """Two [chunk, vocab] float32 buffers (logits, exponent), reused by every chunk of a call.
        A chunk holds rows from all windows of a batch, so the largest batch sizes them."""
        rows = min(self._chunk, max((sum(len(w.targets) for w in b) for b in batches), default=1))
        vocab = int(self._head.weight.shape[0])
        make = lambda: torch.empty((rows, vocab), dtype=torch.float32, device=self.loaded.device)  # noqa: E731
        return make(), make()

    def _head_stats(self, hidden: torch.Tensor, actual: torch.Tensor,
                    workspace: tuple[torch.Tensor, torch.Tensor]) -> tuple[torch.Tensor, ...]:
        logits = workspace[0][: len(hidden)]
        weight = self._head.weight
        if isinstance(self._head, torch.nn.Linear) and self._head.bias is None and weight.dtype == torch.float32:
            torch.mm(hidden, weight.t(), out=logits)
        else:
            logits.copy_(self._head(hidden))
        if self._logit_scale:
            logits.mul_(self._logit_scale)
        if self._softcap:
            logits.div_(self._softcap).tanh_().mul_(self._softcap)
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
