"""Fill-in-the-middle with a loaded model whose tokenizer has FIM tokens (Qwen2.5-Coder and kin).

The prefix and suffix are tokenised with special tokens split, so text in the linted file that
spells ``<|fim_middle|>`` stays text; only the three markers this module adds are special.
Decoding is greedy and stops at any special token.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from entropy_lint.model.loading import LoadedModel

if TYPE_CHECKING:
    import torch

FIM_TOKENS = ("<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>")
MAX_PROMPT_TOKENS = 2_048


class TorchInfiller:
    def __init__(self, loaded: LoadedModel, ids: tuple[int, int, int]) -> None:
        self.loaded = loaded
        self.prefix_id, self.suffix_id, self.middle_id = ids
        tok = loaded.tokenizer
        stops = set(tok.all_special_ids)
        stops.update(i for t, i in tok.get_vocab().items() if t.startswith("<|") and t.endswith("|>"))
        eos = loaded.model.generation_config.eos_token_id
        stops.update(eos if isinstance(eos, list) else [eos] if eos is not None else [])
        self.stops = sorted(int(i) for i in stops)

    def _ids(self, text: str) -> list[int]:
        return list(self.loaded.tokenizer(text, add_special_tokens=False, split_special_tokens=True)["input_ids"])

    def fill(self, prefix: str, suffix: str, max_tokens: int, avoid: str = "") -> str | None:
        import torch
        from transformers import GenerationConfig, LogitsProcessorList

        budget = min(MAX_PROMPT_TOKENS, int(getattr(self.loaded.model.config, "max_position_embeddings", 0) or
                                            MAX_PROMPT_TOKENS) - max_tokens - 3)
        if budget < 8:
            return None
        before, after = self._ids(prefix), self._ids(suffix)
        after = after[: budget // 4]
        before = before[max(0, len(before) - (budget - len(after))) :]
        ids = [self.prefix_id, *before, self.suffix_id, *after, self.middle_id]
        inputs = torch.tensor([ids], device=self.loaded.device)
        banned = self._ids(avoid)[:1]
        processors = LogitsProcessorList([_BanFirst(len(ids), banned)] if banned else [])
        config = GenerationConfig(max_new_tokens=max_tokens, do_sample=False, eos_token_id=self.stops,
                                  pad_token_id=self.stops[0] if self.stops else 0)
        with torch.inference_mode():
            out = self.loaded.model.generate(inputs, attention_mask=torch.ones_like(inputs),  # type: ignore[operator]
                                             generation_config=config, logits_processor=processors)
        new = [int(i) for i in out[0, len(ids):] if int(i) not in self.stops]
        text = str(self.loaded.tokenizer.decode(new, skip_special_tokens=True))
        return text or None


class _BanFirst:
    """Forbid some tokens at the first generated position only."""

    def __init__(self, prompt_length: int, banned: list[int]) -> None:
        self.prompt_length, self.banned = prompt_length, banned

    def __call__(self, input_ids: torch.Tensor, scores: torch.Tensor) -> torch.Tensor:
        if input_ids.shape[1] == self.prompt_length:
            scores[:, self.banned] = float("-inf")
        return scores


def infiller_for(loaded: LoadedModel) -> TorchInfiller | None:
    """The model's infiller, or None when its tokenizer has no FIM tokens (SmolLM2 has none)."""
    vocab = loaded.tokenizer.get_vocab()
    if not all(t in vocab for t in FIM_TOKENS):
        return None
    prefix, suffix, middle = (int(vocab[t]) for t in FIM_TOKENS)
    return TorchInfiller(loaded, (prefix, suffix, middle))
