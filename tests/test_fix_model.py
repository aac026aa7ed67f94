"""Fixes ranked by a real model (smollm2-135m), and fill-in-the-middle with a tiny random model that has
FIM tokens (the bundled model has none)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from entropy_lint.findings import Finding, Fix
from entropy_lint.fix import TABLE_LEAD_NATS, FileFindings, offer, order, sound
from entropy_lint.fix.edits import Edit, apply, edits_of
from entropy_lint.fix.rank import Comparison, comparison, deltas, surprisal
from entropy_lint.lines import LineIndex
from entropy_lint.model.scoring import Scorer, Span, TokenScores
from entropy_lint.run.pipeline import LintSettings, detect_findings
from entropy_lint.run.sources import Source

PY = "import hashlib\nimport yaml\n\n\ndef load(fh):\n    data = yaml.load(fh)\n    return data\n\n\ndef digest(b):\n    return hashlib.md5(b).hexdigest()\n"
C = "#include <string.h>\n\nvoid greet(const char *name) {\n    char buf[16];\n    strcpy(buf, name);\n}\n"


class Counting:
    """A real scorer, with its calls counted."""

    def __init__(self, scorer: Scorer) -> None:
        self.scorer, self.calls = scorer, 0
        self.name, self.identity = scorer.name, scorer.identity

    def score(self, texts: Sequence[str], spans: Sequence[Sequence[Span] | None] | None = None) -> list[TokenScores]:
        self.calls += 1
        return self.scorer.score(texts, spans)


def detected(code: str, language: str) -> FileFindings:
    found, _, _ = detect_findings(Source("t", code, language), LintSettings())
    return FileFindings(code, language, found)


def test_every_candidate_of_a_run_is_ranked_in_one_scorer_call(small_scorer) -> None:  # type: ignore[no-untyped-def]
    counting = Counting(small_scorer)
    files = offer([detected(PY, "python"), detected(C, "c")], counting)
    assert counting.calls == 1
    fixes = [x for found in files for f in found for x in f.fixes]
    assert len(fixes) >= 5 and all(isinstance(x.delta_nats, float) for x in fixes)
    for f in (f for found in files for f in found):
        for group in ("safe", "review"):
            ranked = [x for x in f.fixes if x.safety == group]
            for a, b in zip(ranked, ranked[1:]):  # the table's first leads by TABLE_LEAD_NATS, the rest by delta_nats
                assert a.delta_nats <= b.delta_nats + TABLE_LEAD_NATS  # type: ignore[operator]
        assert [x.safety for x in f.fixes] == sorted((x.safety for x in f.fixes), key=lambda s: s != "safe")


def test_delta_is_the_change_in_total_surprisal_over_the_rewrite_and_what_follows(small_scorer) -> None:  # type: ignore[no-untyped-def]
    start = PY.index("yaml.load(fh)") + 5
    edits = [Edit(start, start + 4, "safe_load")]
    new = apply(PY, edits)
    c = comparison(PY, LineIndex(PY), new, edits)
    # the compared region runs from the rewrite to the end of the next two lines
    assert c.old[slice(*c.old_spans[0])] == "load(fh)\n    return data\n\n"
    assert c.new[slice(*c.new_spans[0])] == "safe_load(fh)\n    return data\n\n"
    (delta,) = deltas([c], small_scorer)
    old, fresh = small_scorer.score([c.old, c.new], [list(c.old_spans), list(c.new_spans)])
    assert delta == pytest.approx(surprisal(fresh, c.new_spans) - surprisal(old, c.old_spans), abs=1e-6)  # type: ignore[operator]
    assert deltas([Comparison(c.old, c.old_spans, c.old, c.old_spans)], small_scorer) == [0.0]
    broken = apply(PY, [Edit(start, start + 4, "safe_load"), Edit(PY.index("return data"), PY.index("return data") + 11,
                                                                   "return dta)]")])
    worse = comparison(PY, LineIndex(PY), broken, [Edit(start, start + 4, "safe_load"),
                                                    Edit(PY.index("return data"), PY.index("return data") + 11, "return dta)]")])
    (penalised,) = deltas([worse], small_scorer)
    assert penalised > delta  # type: ignore[operator]


@pytest.mark.model
def test_check_with_the_model_puts_the_ranked_fix_in_the_message(tmp_path: Path) -> None:
    from entropy_lint.run.check import Target, check
    from entropy_lint.run.config import Config

    (tmp_path / "conf.py").write_text(PY)
    report = check(Config(model="smollm2-135m", cache=False), Target(paths=(str(tmp_path / "conf.py"),)))
    (yaml_finding,) = [f for f in report.findings if f.rule_id == "EL-PY-YAML-LOAD"]
    best = yaml_finding.fixes[0]
    assert best.safety == "safe" and best.delta_nats is not None
    direction = "less" if best.delta_nats > 0 else "more"
    assert f"; fix: `{best.preview}`, {abs(best.delta_nats):.1f} nats {direction} likely here than what was written" \
        in yaml_finding.message or (abs(best.delta_nats) < 0.05 and "as likely here" in yaml_finding.message)


# --- fill-in-the-middle ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny_fim_dir(tmp_path_factory: pytest.TempPathFactory, small_model) -> Iterator[Path]:  # type: ignore[no-untyped-def]
    """A randomly initialised Qwen2 model whose tokenizer (SmolLM2's) has the three FIM tokens added."""
    import copy

    import torch
    from transformers import AutoModelForCausalLM, Qwen2Config

    from entropy_lint.model.infill import FIM_TOKENS

    out = tmp_path_factory.mktemp("tiny-fim")
    tokenizer = copy.deepcopy(small_model.tokenizer)
    tokenizer.add_special_tokens({"additional_special_tokens": list(FIM_TOKENS)})
    config = Qwen2Config(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512, tie_word_embeddings=True)
    torch.manual_seed(0)
    AutoModelForCausalLM.from_config(config).save_pretrained(out, safe_serialization=True)
    tokenizer.save_pretrained(out)
    yield out


def test_fim_candidates_are_generated_verified_and_offered_for_review(tiny_fim_dir: Path) -> None:
    from entropy_lint.fix.context import FileContext
    from entropy_lint.fix.fim import model_rewrites
    from entropy_lint.model.engine import TorchScorer
    from entropy_lint.model.infill import infiller_for
    from entropy_lint.model.loading import load_model

    loaded = load_model(str(tiny_fim_dir), device="cpu")
    infill = infiller_for(loaded)
    assert infill is not None
    hostile = "x = '<|fim_middle|><|endoftext|>'\n" + PY  # text that spells special tokens stays text
    ctx = FileContext.of(hostile, "python")
    (hit,) = [h for h in ctx.hits if h.rule.id == "EL-PY-YAML-LOAD"]
    proposals = model_rewrites(ctx, hit.site, infill)
    call = ctx.chars(hit.site.start, hit.site.end)
    for _description, edits in proposals:
        assert all(call[0] <= e.start <= e.end <= call[1] for e in edits)
    (found,) = offer([detected(hostile, "python")], TorchScorer(loaded), infill)
    written_by_model = [x for f in found for x in f.fixes if x.description.startswith("the ") and "model wrote" in x.description]
    for fix in written_by_model:
        assert fix.safety == "review" and fix.delta_nats is not None
        assert sound("python", hostile, apply(hostile, edits_of(fix.replacements)))
    templates = [x for f in found for x in f.fixes if "model wrote" not in x.description]
    assert templates  # the model's own proposals come in addition to the table's


def test_the_bundled_model_has_no_fim_tokens_and_check_with_fim_still_works(small_model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from entropy_lint.model.infill import infiller_for
    from entropy_lint.run.check import Target, check
    from entropy_lint.run.config import Config

    assert infiller_for(small_model) is None
    (tmp_path / "c.py").write_text(PY)
    report = check(Config(model="smollm2-135m", cache=False, fim=True), Target(paths=(str(tmp_path / "c.py"),)))
    found: list[Finding] = report.findings
    assert {f.rule_id for f in found} == {"EL-PY-YAML-LOAD", "EL-PY-WEAK-HASH"}
    assert all("model wrote" not in x.description for f in found for x in f.fixes)


def test_a_later_template_goes_first_only_when_the_model_finds_it_clearly_more_natural() -> None:
    def fix(name: str, safety: str, delta: float | None) -> Fix:
        return Fix(name, safety, delta, (), name)  # type: ignore[arg-type]

    close = [fix("first", "review", 0.0), fix("second", "review", -(TABLE_LEAD_NATS - 0.5))]
    assert [f.description for f in order(close)] == ["first", "second"]
    clear = [fix("first", "review", 0.0), fix("second", "review", -(TABLE_LEAD_NATS + 0.5))]
    assert [f.description for f in order(clear)] == ["second", "first"]
    # safe before review whatever the numbers; within a group, the group's own first has the lead
    mixed = [fix("r1", "review", -50.0), fix("s1", "safe", 1.0), fix("s2", "safe", 0.0), fix("s3", "safe", -5.0)]
    assert [f.description for f in order(mixed)] == ["s3", "s1", "s2", "r1"]
    unranked = [fix("a", "safe", None), fix("b", "safe", 2.0)]
    assert [f.description for f in order(unranked)] == ["b", "a"]
