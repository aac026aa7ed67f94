"""The lint pipeline: suppression, gates, positions, fingerprints, and when the model loads."""

from __future__ import annotations

import numpy as np
import pytest

from entropy_lint.run.pipeline import LintSettings, lint
from entropy_lint.run.sources import Source


def run(code: str, language: str = "python", scorer=None, **settings) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    report = lint([Source("t", code, language)], LintSettings(use_model=scorer is not None, **settings), scorer)
    return [(f.rule_id, f.line) for f in report.findings]


def never():  # type: ignore[no-untyped-def]
    raise AssertionError("the model must not be loaded")


def test_findings_without_the_model() -> None:
    assert run("import os\nos.system(cmd)\n") == [("EL-PY-OS-SYSTEM", 2)]


def test_the_model_is_not_loaded_when_no_file_has_a_finding() -> None:
    report = lint([Source("a.py", "x = 1\nprint(x)\n", "python")], LintSettings(), never)
    assert report.findings == [] and report.model is None


@pytest.mark.parametrize("code", [
    "eval(x)  # entropy-lint: ignore\n",
    "eval(x)  # entropy-lint: ignore[EL-PY-EVAL]\n",
    "# entropy-lint: ignore[EL-PY-EVAL, EL-PY-EXEC]\neval(x)\n",
    "eval(x)  # nosec\n",
    "eval(x)  # nosec B307\n",
])
def test_suppression_comments(code: str) -> None:
    assert run(code) == []


@pytest.mark.parametrize("code", [
    "eval(x)  # entropy-lint: ignore[EL-PY-EXEC]\n",
    "eval(x)  # nosec B602\n",
    "s = 'entropy-lint: ignore'; eval(x)\n",
    "# entropy-lint: ignore\n\neval(x)\n",
])
def test_suppression_comments_that_do_not_apply(code: str) -> None:
    assert [r for r, _ in run(code)] == ["EL-PY-EVAL"]


def test_c_style_suppression() -> None:
    code = "void f(char *d, char *s) {\n  strcpy(d, s); // entropy-lint: ignore[EL-C-STRCPY]\n  system(s); /* entropy-lint: ignore */\n}\n"
    assert run(code, "c") == []


def test_levels_select_ignore_and_overrides() -> None:
    code = "import random, os\ntoken = random.random()\nos.system(c)\n"
    assert run(code, min_level="error") == [("EL-PY-OS-SYSTEM", 3)]
    assert run(code, select=frozenset({"EL-PY-RANDOM"})) == [("EL-PY-RANDOM", 2)]
    assert run(code, ignore=frozenset({"EL-PY-RANDOM"})) == [("EL-PY-OS-SYSTEM", 3)]
    assert run(code, levels=(("EL-PY-RANDOM", "error"),), min_level="error") == [("EL-PY-RANDOM", 2), ("EL-PY-OS-SYSTEM", 3)]


def test_columns_count_code_points_after_multibyte_text() -> None:
    code = "s = '\u00e9\u00e8\U0001f600'; eval(x)\n"
    (finding,) = lint([Source("t.py", code, "python")], LintSettings(use_model=False), None).findings
    assert code[finding.column - 1 : finding.end_column - 1] == "eval(x)"


def test_fingerprints_survive_lines_moving() -> None:
    first = lint([Source("t.py", "eval(a)\neval(b)\neval(a)\n", "python")], LintSettings(use_model=False), None)
    moved = lint([Source("t.py", "\n\nimport x\neval(a)\n\neval(b)\neval(a)\n", "python")], LintSettings(use_model=False), None)
    assert [f.fingerprint for f in first.findings] == [f.fingerprint for f in moved.findings]
    assert len({f.fingerprint for f in first.findings}) == 3


def test_model_metrics_and_message(small_scorer) -> None:  # type: ignore[no-untyped-def]
    code = "#include <string.h>\nvoid f(char *d, const char *s) {\n    strcpy(d, s);\n}\n"
    (finding,) = lint([Source("t.c", code, "c")], LintSettings(), lambda: small_scorer).findings
    m = finding.metrics
    assert m is not None and finding.model == m.model == small_scorer.name
    assert "".join(t.text for t in m.tokens).strip() == "strcpy"
    assert m.callee_min_prob == min(t.prob for t in m.tokens)
    assert m.call_tokens and m.call_tokens > len(m.tokens)
    assert code[slice(*finding.span)] == "strcpy(d, s)" and code[slice(*finding.name_span)] == "strcpy"
    assert "model: p=" in finding.message and "nats" in finding.message


def test_default_strategy_matches_full_scoring_where_files_fit(small_scorer) -> None:  # type: ignore[no-untyped-def]
    code = "import os, pickle\n\ndef f(cmd, blob):\n    os.system(cmd)\n    return pickle.loads(blob)\n"
    part = lint([Source("t.py", code, "python")], LintSettings(), lambda: small_scorer).findings
    full = lint([Source("t.py", code, "python")], LintSettings(full=True), lambda: small_scorer).findings
    assert len(part) == len(full) == 2
    for a, b in zip(part, full):
        assert a.metrics and b.metrics
        np.testing.assert_allclose([a.metrics.callee_min_prob, a.metrics.call_entropy_mean],
                                   [b.metrics.callee_min_prob, b.metrics.call_entropy_mean], atol=1e-4)


def test_gates_keep_only_uncertain_calls(small_scorer) -> None:  # type: ignore[no-untyped-def]
    code = "import os\nos.system(cmd)\nos.system(other)\n"
    every = lint([Source("t.py", code, "python")], LintSettings(), lambda: small_scorer).findings
    probs = sorted(f.metrics.callee_min_prob for f in every if f.metrics)
    assert len(probs) == 2 and probs[0] < probs[1]  # the second call follows the first: less surprising
    kept = lint([Source("t.py", code, "python")], LintSettings(max_prob=probs[0]), lambda: small_scorer).findings
    assert [f.metrics.callee_min_prob for f in kept if f.metrics] == probs[:1]
    entropies = sorted(f.metrics.callee_entropy_max for f in every if f.metrics)
    high = lint([Source("t.py", code, "python")], LintSettings(min_entropy=entropies[1]), lambda: small_scorer).findings
    assert [f.metrics.callee_entropy_max for f in high if f.metrics] == [entropies[1]]
    assert lint([Source("t.py", code, "python")], LintSettings(min_entropy=1e9), lambda: small_scorer).findings == []


def test_a_file_whose_analysis_fails_is_reported_and_the_others_are_linted(monkeypatch: pytest.MonkeyPatch) -> None:
    import entropy_lint.detect as detect

    real = detect.detect

    def flaky(language: str, source: bytes, *args: object, **kw: object) -> object:
        if b"boom" in source:
            raise RecursionError("maximum recursion depth exceeded")
        return real(language, source, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(detect, "detect", flaky)
    report = lint([Source("bad.py", "boom(x)\n", "python"), Source("good.py", "eval(x)\n", "python")],
                  LintSettings(use_model=False))
    assert [(f.path, f.rule_id) for f in report.findings] == [("good.py", "EL-PY-EVAL")]
    bad = report.files[0]
    assert bad.level == "error" and bad.problem == ("bad.py: could not be analysed (RecursionError: maximum recursion "
                                                    "depth exceeded); please report this")
    assert report.failed
