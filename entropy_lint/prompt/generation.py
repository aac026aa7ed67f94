"""Prompt mode: generate code from a prompt and keep each generated token's entropy and probability.

What the original research service got wrong, and what this does instead:
- entropy came from the scores left after the sampling processors (temperature, top-k, top-p);
  here it comes from the raw logits of each step;
- a keyword split across tokens (``str`` + ``cpy``) was never flagged; here keywords are matched
  in the decoded text and every token overlapping a match is marked;
- tokens were raw vocabulary pieces (``Ġstr``); here each token's text is its decoded text, and
  the tokens concatenate exactly to ``generated_text``;
- decoding is greedy unless sampling is asked for (with a seed, for reproducible samples);
- the tokenizer's chat template is used when it has one; plain text otherwise.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TextIO, cast

from entropy_lint.languages import fence_language
from entropy_lint.model.loading import LoadedModel

if TYPE_CHECKING:
    import torch
    from transformers import BatchEncoding, GenerationMixin, PreTrainedTokenizerBase
    from transformers.generation.streamers import BaseStreamer
    from transformers.generation.utils import GenerateDecoderOnlyOutput

DEFAULT_SYSTEM_PROMPT = "You are a secure coding assistant."
DEFAULT_KEYWORDS = ("strcpy", "system", "eval", "exec")


class Decoder(Protocol):
    """What ``decoded_pieces`` needs of a tokenizer."""

    def decode(self, token_ids: list[int], skip_special_tokens: bool = ..., **kwargs: Any) -> Any: ...


@dataclass(frozen=True)
class GenerationRequest:
    prompt: str
    system_prompt: str | None = DEFAULT_SYSTEM_PROMPT
    max_tokens: int = 200
    risky_keywords: tuple[str, ...] = DEFAULT_KEYWORDS
    temperature: float = 0.0  # 0: greedy
    top_p: float = 1.0
    seed: int | None = None
    max_time: float | None = None  # seconds; generation stops after this (the server's request deadline)


@dataclass
class GeneratedToken:
    token: str
    entropy: float
    prob: float
    is_risky: bool = False
    start: int = 0  # character offsets in generated_text
    end: int = 0
    rank: int = 1
    alternatives: list[tuple[str, float]] = field(default_factory=list)


def prompt_ids(loaded: LoadedModel, request: GenerationRequest) -> torch.Tensor:
    """The prompt as model input: through the chat template when there is one."""
    tok = loaded.tokenizer
    if getattr(tok, "chat_template", None):
        messages = [{"role": "system", "content": request.system_prompt}] if request.system_prompt else []
        messages.append({"role": "user", "content": request.prompt})
        encoded = tok.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt", return_dict=True)
    else:
        text = f"{request.system_prompt}\n\n{request.prompt}\n" if request.system_prompt else f"{request.prompt}\n"
        encoded = tok(text, return_tensors="pt")
    ids: torch.Tensor = cast("BatchEncoding", encoded)["input_ids"]
    return ids.to(loaded.device)


@dataclass
class Generation:
    text: str
    tokens: list[GeneratedToken]
    findings: list[dict[str, Any]]


def generate(loaded: LoadedModel, request: GenerationRequest, echo: TextIO | None = None) -> dict[str, Any]:
    """Generate and return the original response shape, plus ``findings`` in the answer's code."""
    return response(run_generation(loaded, request, echo))


def echo_streamer(tokenizer: PreTrainedTokenizerBase, stream: TextIO) -> BaseStreamer:
    """A transformers streamer that writes the answer to ``stream`` as it is generated (whole
    words at a time, as transformers' TextStreamer decodes them). It only watches: the scores
    come from the logits ``generate`` returns, whatever is shown here."""
    from transformers import TextStreamer

    class Echo(TextStreamer):
        def on_finalized_text(self, text: str, stream_end: bool = False) -> None:
            stream.write(text + ("\n" if stream_end else ""))
            stream.flush()

    return Echo(tokenizer, skip_prompt=True, skip_special_tokens=True, clean_up_tokenization_spaces=False)


def run_generation(loaded: LoadedModel, request: GenerationRequest, echo: TextIO | None = None) -> Generation:
    """Generate greedily (or sample, when asked) and score every generated token from raw logits.
    With ``echo`` (a terminal), the answer appears there token by token while it is generated."""
    import torch
    from transformers import GenerationConfig

    from entropy_lint.model.stats import token_stats

    ids = prompt_ids(loaded, request)
    sampling = request.temperature > 0
    config = GenerationConfig(
        max_new_tokens=request.max_tokens, do_sample=sampling,
        temperature=request.temperature if sampling else None, top_p=request.top_p if sampling else None,
        top_k=None, max_time=request.max_time, eos_token_id=loaded.model.generation_config.eos_token_id,
        pad_token_id=loaded.tokenizer.pad_token_id or loaded.tokenizer.eos_token_id,
    )
    with torch.inference_mode():
        if sampling and request.seed is not None:
            torch.manual_seed(request.seed)
        model = cast("GenerationMixin", loaded.model)  # every causal LM generates; nn.Module hides it from mypy
        out = cast("GenerateDecoderOnlyOutput", model.generate(
            ids, attention_mask=torch.ones_like(ids), generation_config=config, output_logits=True,
            return_dict_in_generate=True, streamer=echo_streamer(loaded.tokenizer, echo) if echo else None))
        assert out.logits is not None
        new = out.sequences[0, ids.shape[1]:]
        logits = torch.cat([step.float() for step in out.logits], dim=0)[: len(new)]
        stats = token_stats(logits, new, top_k=3)
    eos = set(_as_list(loaded.model.generation_config.eos_token_id))
    keep = len(new)
    while keep and int(new[keep - 1]) in eos:
        keep -= 1  # the end-of-turn token is not part of the answer
    token_ids = [int(i) for i in new[:keep]]
    pieces = decoded_pieces(loaded.tokenizer, token_ids)
    tokens, at = [], 0
    pieces_alt = loaded.tokenizer.batch_decode([[int(i)] for i in stats.top_ids[:keep].reshape(-1)])
    for i, piece in enumerate(pieces):
        alts = [(pieces_alt[i * stats.top_ids.shape[1] + j], float(math.exp(stats.top_logprob[i, j])))
                for j in range(stats.top_ids.shape[1])]
        tokens.append(GeneratedToken(piece, float(stats.entropy[i]), float(math.exp(stats.logprob[i])),
                                     start=at, end=at + len(piece), rank=int(stats.rank[i]), alternatives=alts))
        at += len(piece)
    text = "".join(pieces)
    mark_risky(tokens, text, request.risky_keywords)
    return Generation(text, tokens, code_findings(text, tokens))


def _as_list(value: Any) -> list[int]:
    if value is None:
        return []
    return [int(v) for v in value] if isinstance(value, (list, tuple)) else [int(value)]


def decoded_pieces(tokenizer: Decoder, ids: Sequence[int]) -> list[str]:
    """Each token's decoded text, such that the pieces concatenate to the decoded whole.

    Decoding a growing prefix and taking the new suffix handles tokenizers whose pieces merge
    with their neighbours; a prefix that ends inside a multi-byte character (U+FFFD) waits for
    the token that completes it, so that token carries the whole character.
    """
    pieces, emitted = [], ""
    for i in range(len(ids)):
        text = tokenizer.decode(list(ids[: i + 1]), skip_special_tokens=True, clean_up_tokenization_spaces=False)
        if text.endswith("\ufffd") or not text.startswith(emitted):
            pieces.append("")
            continue
        pieces.append(text[len(emitted):])
        emitted = text
    final = tokenizer.decode(list(ids), skip_special_tokens=True, clean_up_tokenization_spaces=False)
    if final != emitted and final.startswith(emitted) and pieces:
        pieces[-1] += final[len(emitted):]
    return pieces


def keyword_spans(text: str, keywords: Sequence[str]) -> list[tuple[int, int]]:
    """Where each keyword occurs as a whole identifier (``system`` in ``os.system(``, not in ``filesystem``)."""
    spans: list[tuple[int, int]] = []
    for word in filter(None, keywords):
        pattern = re.compile(rf"(?<![A-Za-z0-9_]){re.escape(word)}(?![A-Za-z0-9_])")
        spans.extend(m.span() for m in pattern.finditer(text))
    return sorted(spans)


def mark_risky(tokens: list[GeneratedToken], text: str, keywords: Sequence[str]) -> None:
    for start, end in keyword_spans(text, keywords):
        for t in tokens:
            if t.start < end and max(t.end, t.start + 1) > start and t.end > t.start:
                t.is_risky = True


def response(generation: Generation) -> dict[str, Any]:
    """The original service's response shape (plus ``findings``)."""
    text, tokens, findings = generation.text, generation.tokens, generation.findings
    return {
        "generated_text": text,
        "tokens": [{"token": t.token, "entropy": round(t.entropy, 6), "prob": round(t.prob, 6), "is_risky": t.is_risky}
                   for t in tokens],
        "metadata": metadata(tokens),
        "findings": findings,
    }


def metadata(tokens: Sequence[GeneratedToken]) -> dict[str, Any]:
    n = len(tokens)
    return {
        "total_tokens": n,
        "risky_tokens_count": sum(t.is_risky for t in tokens),
        "avg_entropy": round(sum(t.entropy for t in tokens) / n, 6) if n else 0.0,
        "avg_probability": round(sum(t.prob for t in tokens) / n, 6) if n else 0.0,
        "max_entropy": round(max((t.entropy for t in tokens), default=0.0), 6),
        "min_probability": round(min((t.prob for t in tokens), default=0.0), 6),
    }


_FENCE = re.compile(r"```([A-Za-z0-9_+#-]*)[^\n]*\n(.*?)(?:```|\Z)", re.S)


def code_blocks(text: str) -> list[tuple[str | None, int, str]]:
    """(language, character offset, code) for each fenced block; the whole text if there is none."""
    blocks: list[tuple[str | None, int, str]] = [
        (fence_language(m.group(1)) if m.group(1) else None, m.start(2), str(m.group(2)))
        for m in _FENCE.finditer(text)
    ]
    return blocks or [(None, 0, text)]


def guess_language(code: str) -> str | None:
    """A cheap guess for unlabeled code; None when nothing fits."""
    checks = [
        ("php", r"<\?php"), ("cpp", r"#include\s*<(iostream|string|vector)>|std::"), ("c", r"#include\s*[<\"]"),
        ("go", r"^package \w+|\bfunc \w+\("), ("java", r"\bpublic (static )?(class|void)\b|System\.out\."),
        ("python", r"^\s*(def|import|from) \w+|print\("), ("ruby", r"^\s*(require|puts) |\bend$"),
        ("typescript", r":\s*(string|number|boolean)\b"), ("javascript", r"\b(const|let|function|require)\b|=>"),
    ]
    for language, pattern in checks:
        if re.search(pattern, code, re.M):
            return language
    return None


def code_findings(text: str, tokens: Sequence[GeneratedToken]) -> list[dict[str, Any]]:
    """The linter's rules over the answer's code, each finding with the generation's own
    per-token numbers for the callee name (what the model thought while writing it)."""
    from dataclasses import replace

    from entropy_lint.findings import Metrics, TokenView, with_message
    from entropy_lint.report.json import finding_dict
    from entropy_lint.rules import by_id
    from entropy_lint.run.pipeline import LintSettings, lint
    from entropy_lint.run.sources import Source

    rules, out = by_id(), []
    for index, (language, offset, code) in enumerate(code_blocks(text)):
        language = language or guess_language(code)
        if language is None or not code.strip():
            continue
        report = lint([Source(f"<answer block {index + 1}>", code, language)], LintSettings(use_model=False))
        for f in report.findings:
            start, end = offset + f.name_span[0], offset + f.name_span[1]
            mine = [t for t in tokens if t.start < end and t.end > start]
            if mine:
                views = tuple(TokenView(t.token, t.prob, t.entropy, t.rank, tuple(t.alternatives)) for t in mine)
                metrics = Metrics(model="generation", callee_entropy_mean=sum(t.entropy for t in mine) / len(mine),
                                  callee_entropy_max=max(t.entropy for t in mine),
                                  callee_min_prob=min(t.prob for t in mine), tokens=views)
                f = with_message(replace(f, metrics=metrics), rules[f.rule_id].short)
            entry = finding_dict(f, rules[f.rule_id])
            entry["language"] = language
            entry["block"] = index + 1
            out.append(entry)
    return out
