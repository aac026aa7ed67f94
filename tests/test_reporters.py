"""The text, JSON, per-token and catalog reporters: pure functions of records, tested without a model."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np

from entropy_lint.findings import Finding, Metrics, TokenView
from entropy_lint.model.scoring import empty_scores
from entropy_lint.report import FileResult, Report
from entropy_lint.report.catalog import render_catalog_json, render_catalog_table
from entropy_lint.report.json import render_json
from entropy_lint.report.text import render_text, summary
from entropy_lint.report.tokens import ScoredFile, render_tokens_json, render_tokens_table
from entropy_lint.rules import by_id, rules_for

RULES = by_id()
BASE = Finding(rule_id="EL-PY-OS-SYSTEM", level="error", path="b.py", line=4, column=5, end_line=4, end_column=19,
               span=(30, 44), name_span=(33, 39), callee="system", snippet="os.system(cmd)", fingerprint="f:1",
               message="system: command run through a shell")
METRICS = Metrics(model="tiny", callee_entropy_mean=1.2345678, callee_entropy_max=2.0, callee_min_prob=0.25,
                  tokens=(TokenView("system", 0.25, 2.0, 2, (("path", 0.5), ("system", 0.25))),),
                  call_entropy_mean=1.0, call_entropy_max=2.0, call_min_prob=0.25, call_surprisal=3.5, call_tokens=5)
OTHER = replace(BASE, path="a.py", line=9, rule_id="EL-PY-RANDOM", level="note", message="random: not for secrets")


def test_text_is_one_sorted_compiler_style_line_per_finding() -> None:
    assert render_text([BASE, OTHER]) == (
        "a.py:9:5: note: random: not for secrets [EL-PY-RANDOM]\n"
        "b.py:4:5: error: system: command run through a shell [EL-PY-OS-SYSTEM]\n")
    assert render_text([]) == ""


def test_summary_counts_levels_problems_cache_and_scoring() -> None:
    report = Report([FileResult("a.py", "python", [OTHER], cached=True), FileResult("b.py", "python", [BASE], suppressed=2),
                     FileResult("c.py", None, problem="c.py: binary file")], missing=["gone.py"], model="tiny",
                    tokens_scored=1234, scoring_seconds=0.25)
    assert summary(report) == ("entropy-lint: 2 findings (1 error, 1 note) in 3 files; 2 could not be analysed; "
                               "1 from the cache; 2 suppressed by comments; tiny scored 1,234 tokens in 0.2 s")
    assert summary(Report([FileResult("a.py", "python")])) == "entropy-lint: 0 findings in 1 file"


def test_json_has_every_metric_rounded_and_nulls_for_unscored() -> None:
    doc = json.loads(render_json([replace(BASE, metrics=METRICS), OTHER], [("c.py", "c.py: binary file")], RULES, "tiny", 3))
    assert doc["summary"] == {"files": 3, "findings": 2, "by_level": {"error": 1, "warning": 0, "note": 1}, "problems": 1}
    scored, plain = doc["findings"][1], doc["findings"][0]
    assert "model" not in plain and plain["note"] is None and plain["cwe"] == ["CWE-330"]
    assert scored["model"]["callee"] == {"entropy_mean": 1.234568, "entropy_max": 2.0, "min_prob": 0.25}
    assert scored["model"]["call"]["surprisal"] == 3.5 and scored["model"]["call"]["tokens"] == 5
    assert scored["model"]["callee_tokens"] == [{"text": "system", "prob": 0.25, "entropy": 2.0, "rank": 2,
                                                 "expected": [{"token": "path", "prob": 0.5}, {"token": "system", "prob": 0.25}]}]
    assert doc["problems"] == [{"path": "c.py", "message": "c.py: binary file"}]


def test_json_keeps_the_call_level_nulls_of_generated_code() -> None:
    metrics = replace(METRICS, call_entropy_mean=None, call_entropy_max=None, call_min_prob=None, call_surprisal=None,
                      call_tokens=None)
    (entry,) = json.loads(render_json([replace(BASE, metrics=metrics)], [], RULES))["findings"]
    assert entry["model"]["call"] == {"entropy_mean": None, "entropy_max": None, "min_prob": None, "surprisal": None,
                                      "tokens": None}


def token_scores() -> ScoredFile:
    text = "x = eval(y)\n"
    rec = empty_scores(text, np.array([1, 2, 3]), np.array([[0, 4], [4, 8], [8, 12]]), 2)
    rec.scored[:] = True
    rec.logprob[:] = np.log([0.5, 0.125, 0.9])
    rec.entropy[:] = [0.5, 2.0, float("nan")]
    rec.rank[:] = [1, 4, 1]
    rec.alternatives[:] = [["x", "y"], ["int", "str"], ["(", ")"]]
    rec.top_probs[:] = [[0.5, 0.1], [0.3, 0.2], [0.9, 0.05]]
    return ScoredFile("t.py", rec)


def test_token_json_and_table() -> None:
    doc = json.loads(render_tokens_json([token_scores(), ScoredFile("bad.py", None, "bad.py: binary file")], "tiny"))
    good, bad = doc["files"]
    assert doc["model"] == "tiny" and bad == {"path": "bad.py", "error": "bad.py: binary file"}
    assert [t["text"] for t in good["tokens"]] == ["x = ", "eval", "(y)\n"]
    assert good["tokens"][1]["prob"] == 0.125 and good["tokens"][1]["surprisal"] == 2.079442
    assert good["tokens"][2]["entropy"] is None and good["summary"]["tokens"] == 3
    table = render_tokens_table([token_scores()], "tiny").splitlines()
    assert table[0] == "# model: tiny" and table[1] == "== t.py" and "'eval'" in table[4] and "'int' 0.30" in table[4]


def test_catalog_lists_every_rule() -> None:
    rules = rules_for("python")
    assert len(json.loads(render_catalog_json(rules))) == len(rules)
    table = render_catalog_table(rules)
    assert table.endswith(f"\n\n{len(rules)} rules\n") and all(r.id in table for r in rules)
