"""The torch scorer on the real small model: offsets, batching, windows, bad input."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="the engine needs torch (pip install 'entropy-lint[model]')")
pytestmark = pytest.mark.model

from entropy_lint.model.engine import EngineOptions, TorchScorer, _head_stats_fused  # noqa: E402
from entropy_lint.model.overlap import StageTimes  # noqa: E402
from entropy_lint.model.scoring import ScoringSettings  # noqa: E402

C_SOURCE = "#include <string.h>\nvoid copy(char *dst, const char *src) {\n    strcpy(dst, src);\n}\n"
PY_SOURCE = "import os\n\ndef run(cmd):\n    return os.system(cmd)\n"
TRICKY = [
    "\ufeffprint('bom')\r\n",
    "s = 'h\u00e9llo w\u00f6rld \u4e16\u754c'\r\nt = '\U0001f600\U0001f680'\n",
    "\tint\tx;\r\n\t\treturn 0;\r\n",
    "x <|endoftext|> <|im_end|> y",
]


def joined(rec) -> str:  # type: ignore[no-untyped-def]
    return "".join(rec.token_text(i) for i in range(len(rec)))


@pytest.mark.parametrize("text", TRICKY + [C_SOURCE])
def test_spans_tile_the_original_text(small_scorer: TorchScorer, text: str) -> None:
    (rec,) = small_scorer.score([text])
    assert rec.error is None
    assert joined(rec) == text
    assert rec.starts[0] == 0 and rec.ends[-1] == len(text)
    assert np.all(rec.starts[1:] == rec.ends[:-1])
    assert rec.scored.all()


def test_special_token_text_in_a_file_is_scored_as_plain_text(small_scorer: TorchScorer) -> None:
    (rec,) = small_scorer.score(["x <|endoftext|> y"])
    special = small_scorer.loaded.tokenizer.convert_tokens_to_ids("<|endoftext|>")
    assert special not in rec.token_ids.tolist()


def test_every_token_is_scored_with_valid_numbers(small_scorer: TorchScorer) -> None:
    (rec,) = small_scorer.score([C_SOURCE])
    vocab = small_scorer.loaded.model.config.vocab_size
    assert np.all((rec.prob > 0) & (rec.prob <= 1))
    assert np.all((rec.entropy >= 0) & (rec.entropy <= math.log(vocab) + 1e-4))
    assert np.all(rec.rank >= 1)
    assert np.allclose(rec.surprisal, -np.log(rec.prob))
    # the top alternative's probability bounds the actual token's from above
    assert np.all(rec.top_probs[:, 0] >= rec.prob - 1e-6)
    assert np.all(np.diff(rec.top_probs, axis=1) <= 1e-9)


def test_the_model_knows_strcpy_continues_after_str_c(small_scorer: TorchScorer) -> None:
    (rec,) = small_scorer.score([C_SOURCE])
    start = C_SOURCE.index("strcpy")
    pieces = [rec.token_text(i) for i in rec.overlapping(start, start + len("strcpy"))]
    assert "".join(pieces).strip() == "strcpy"
    last = rec.overlapping(start, start + len("strcpy"))[-1]
    assert rec.prob[last] > 0.5  # 'py' after 'strc' is near certain


def test_batched_scores_equal_one_at_a_time(small_model) -> None:  # type: ignore[no-untyped-def]
    texts = [C_SOURCE, PY_SOURCE, TRICKY[1]]
    alone = TorchScorer(small_model, ScoringSettings(batch_tokens=0)).score(texts)
    batched_scorer = TorchScorer(small_model, ScoringSettings(batch_tokens=10_000))
    assert len(batched_scorer._batches([w for w in _windows(batched_scorer, texts)])) == 1
    batched = batched_scorer.score(texts)
    for a, b in zip(alone, batched):
        np.testing.assert_allclose(a.logprob, b.logprob, atol=1e-4)
        np.testing.assert_allclose(a.entropy, b.entropy, atol=1e-4)
        assert np.array_equal(a.top_ids, b.top_ids) or np.allclose(a.top_probs, b.top_probs, atol=1e-4)


def test_head_chunks_spanning_several_windows_of_a_batch(small_model) -> None:  # type: ignore[no-untyped-def]
    texts = [C_SOURCE, PY_SOURCE, TRICKY[1], TRICKY[2]]
    alone = TorchScorer(small_model, ScoringSettings(batch_tokens=0)).score(texts)
    spanning = TorchScorer(small_model, ScoringSettings(batch_tokens=10_000, head_chunk=64)).score(texts)
    assert sum(len(r) for r in alone) > 64 > max(len(r) for r in alone)
    for a, b in zip(alone, spanning):
        np.testing.assert_allclose(a.logprob, b.logprob, atol=1e-4)


def _windows(scorer: TorchScorer, texts: list[str]) -> list:  # type: ignore[type-arg]
    from entropy_lint.model.scoring import plan_windows, wanted_tokens

    recs = scorer._tokenize_all(texts, 1)
    return [w for i, r in enumerate(recs) for w in plan_windows(i, wanted_tokens(r, None), scorer.window, scorer.context)]


def test_span_scores_equal_full_scores_where_the_text_fits(small_scorer: TorchScorer) -> None:
    start = C_SOURCE.index("strcpy")
    (full,) = small_scorer.score([C_SOURCE])
    (part,) = small_scorer.score([C_SOURCE], spans=[[(start, start + 6)]])
    wanted = part.overlapping(start, start + 6)
    assert np.flatnonzero(part.scored).tolist() == wanted.tolist()
    np.testing.assert_allclose(part.logprob[wanted], full.logprob[wanted], atol=1e-4)
    np.testing.assert_allclose(part.entropy[wanted], full.entropy[wanted], atol=1e-4)
    assert np.isnan(part.logprob[~part.scored]).all()


def test_sliding_windows_score_every_token_and_match_single_pass_in_the_first(small_model) -> None:  # type: ignore[no-untyped-def]
    text = C_SOURCE * 4
    (single,) = TorchScorer(small_model).score([text])
    windowed_scorer = TorchScorer(small_model, ScoringSettings(window=32, context=16))
    (windowed,) = windowed_scorer.score([text])
    assert windowed.scored.all() and len(windowed) > 64
    np.testing.assert_allclose(windowed.logprob[:32], single.logprob[:32], atol=1e-4)
    assert joined(windowed) == text


def test_bad_texts_get_errors_and_the_rest_of_the_batch_is_scored(small_scorer: TorchScorer) -> None:
    empty, blank, good = small_scorer.score(["", "  \n\t\n", PY_SOURCE])
    assert empty.error == "empty text: nothing to score" and len(empty) == 0
    assert blank.error is None and blank.scored.all() and joined(blank) == "  \n\t\n"
    assert good.error is None and good.scored.all()
    (alone,) = small_scorer.score([PY_SOURCE])
    np.testing.assert_allclose(good.logprob, alone.logprob, atol=1e-5)


def test_alternatives_are_decoded_text(small_scorer: TorchScorer) -> None:
    (rec,) = small_scorer.score([PY_SOURCE])
    assert all(isinstance(t, str) for t in rec.top_tokens.ravel())
    assert not any("\u0120" in t for t in rec.top_tokens.ravel())  # no raw byte-level pieces (Ġ)


def test_bfloat16_is_close_to_float32(small_model) -> None:  # type: ignore[no-untyped-def]
    from entropy_lint.model.loading import load_model

    bf16 = load_model("smollm2-135m", dtype="bfloat16", log=lambda _m: None)
    (a,) = TorchScorer(small_model).score([C_SOURCE])
    (b,) = TorchScorer(bf16).score([C_SOURCE])
    assert np.mean(np.abs(a.entropy - b.entropy)) < 0.2


PACKED_TEXTS = [C_SOURCE * 4, PY_SOURCE, TRICKY[1], TRICKY[2], "a", C_SOURCE]


def _assert_packed_equals_alone(model, settings: ScoringSettings) -> None:  # type: ignore[no-untyped-def]
    alone = TorchScorer(model, settings).score(PACKED_TEXTS)
    scorer = TorchScorer(model, replace(settings, batch_tokens=10_000), options=EngineOptions(packing="on"))
    assert scorer.packed and scorer.attention_kernel == "sdpa per window"
    packs = scorer._batches(_windows(scorer, PACKED_TEXTS))
    shared = [w for p in packs if len(p) > 1 for w in p]
    assert len(shared) >= 3
    if settings.window < 64:  # the stride method: windows that start mid-text share packs too
        assert any(w.start > 0 for w in shared)
    packed = scorer.score(PACKED_TEXTS)
    for a, b in zip(alone, packed):
        assert b.scored.all() and joined(b) == a.text
        # float32 matmuls over a different number of rows round differently: padded batches of
        # the same windows differ from one window per pass by as much
        np.testing.assert_allclose(b.logprob, a.logprob, atol=1e-4)
        np.testing.assert_allclose(b.entropy, a.entropy, atol=5e-4)
        assert (a.rank == b.rank).mean() > 0.95


@pytest.mark.parametrize("window", [4096, 32])
def test_packed_windows_score_as_one_window_per_pass(small_model, window: int) -> None:  # type: ignore[no-untyped-def]
    _assert_packed_equals_alone(small_model, ScoringSettings(window=window, context=16))


def test_packed_windows_score_as_one_window_per_pass_on_qwen2(tiny_qwen_dir) -> None:  # type: ignore[no-untyped-def]
    from entropy_lint.model.loading import load_model

    tiny = load_model(str(tiny_qwen_dir), log=lambda _m: None)
    _assert_packed_equals_alone(tiny, ScoringSettings(window=32, context=16))
    _assert_packed_equals_alone(tiny, ScoringSettings(window=512, context=16))


def test_packing_is_off_on_the_cpu_unless_asked(small_model) -> None:  # type: ignore[no-untyped-def]
    scorer = TorchScorer(small_model)
    assert not scorer.packed and scorer.packing_off_reason == "the CPU default is one window per pass"
    assert not TorchScorer(small_model, options=EngineOptions(packing="off")).packed
    with pytest.raises(ValueError, match="packing must be"):
        EngineOptions(packing="yes")


def test_stage_times_see_body_and_head(small_model) -> None:  # type: ignore[no-untyped-def]
    scorer = TorchScorer(small_model)
    scorer.timings = StageTimes()
    scorer.score([C_SOURCE, PY_SOURCE])
    assert scorer.timings.batches == 2
    assert scorer.timings.seconds["body"] > 0 and scorer.timings.seconds["head"] > 0
    assert abs(sum(scorer.timings.shares().values()) - 1) < 1e-9


@pytest.mark.parametrize("dtype", ["float32", "bfloat16"])
def test_the_compilable_head_computes_what_the_default_head_does(small_model, dtype: str) -> None:  # type: ignore[no-untyped-def]
    from entropy_lint.model.loading import load_model

    model = small_model if dtype == "float32" else load_model("smollm2-135m", dtype=dtype, log=lambda _m: None)
    scorer = TorchScorer(model)
    weight = scorer._head.weight
    torch.manual_seed(0)
    hidden = torch.randn(9, weight.shape[1]).to(weight.dtype)
    actual = torch.randint(0, weight.shape[0], (9,))
    workspace = scorer._workspace([[_window_of(9)]])
    with torch.inference_mode():
        default = scorer._head_stats(hidden, actual, workspace)
        fused = _head_stats_fused(hidden, weight, actual, 5, None, None)
    for a, b in zip(default, fused):
        assert torch.allclose(a.double(), b.double(), atol=1e-4)


def _window_of(n: int):  # type: ignore[no-untyped-def]
    from entropy_lint.model.scoring import Window

    return Window(0, 0, n, np.arange(n))
