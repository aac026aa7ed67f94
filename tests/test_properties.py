"""Properties over arbitrary input: offsets tile any text, positions land on the call whatever the
line endings, and any file name renders to valid JSON and SARIF."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import unquote

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from entropy_lint.findings import Finding
from entropy_lint.lines import LineIndex
from entropy_lint.model.scoring import tile_offsets
from entropy_lint.report.json import render_json
from entropy_lint.report.sarif import Notice, SarifContext, render_sarif
from entropy_lint.rules import by_id
from entropy_lint.run.files import display_name
from entropy_lint.run.pipeline import LintSettings, lint
from entropy_lint.run.sources import Source

# the inside of a comment line: anything but a line break, separators that are not line breaks included
COMMENT = st.lists(st.sampled_from(["x = 1", "é", "\U0001f600", " ", "\t", "\f", "\u2028", "\u2029", "\x85", "\x0b",
                                    "\ufeff", "'s'", "eval"]), max_size=8).map(lambda p: "# " + "".join(p))
LINES = st.lists(st.one_of(COMMENT, st.just(""), st.just("x = 1")), max_size=6)
RULES = by_id()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.lists(st.tuples(st.integers(-5, 60), st.integers(-5, 60)), max_size=25))
def test_offsets_tile_any_text(text: str, pairs: list[tuple[int, int]]) -> None:
    starts, ends = tile_offsets(np.array(pairs, np.int64).reshape(-1, 2), len(text))
    if pairs:
        assert "".join(text[s:e] for s, e in zip(starts, ends)) == text
        assert (np.diff(starts) >= 0).all() and (ends >= starts).all()


@settings(max_examples=200, deadline=None)
@given(LINES, LINES, st.sampled_from(["\n", "\r\n", "\r"]))
def test_a_finding_points_at_its_call_whatever_the_line_endings(before: list[str], after: list[str], newline: str) -> None:
    code = newline.join([*before, "eval(data)", *after, ""])
    (finding,) = [f for f in lint([Source("t.py", code, "python")], LintSettings(use_model=False)).findings
                  if f.rule_id == "EL-PY-EVAL"]
    lines = LineIndex(code)
    assert lines.offset(finding.line, finding.column) == finding.span[0] == code.index("eval(data)")
    assert code[slice(*finding.span)] == "eval(data)" and code[slice(*finding.name_span)] == "eval"


NAME = st.one_of(st.text(min_size=1, max_size=30).filter(lambda s: "\0" not in s),
                 st.binary(min_size=1, max_size=20).map(lambda b: display_name(os.fsdecode(b.replace(b"\0", b"_")))))


@settings(max_examples=150, deadline=None)
@given(NAME)
def test_any_file_name_renders_to_valid_json_and_sarif(tmp_path_factory, name: str) -> None:  # type: ignore[no-untyped-def]
    root = str(tmp_path_factory.getbasetemp())
    finding = Finding(rule_id="EL-PY-EVAL", level="error", path=name, line=1, column=1, end_line=1, end_column=8,
                      span=(0, 7), name_span=(0, 4), callee="eval", snippet="eval(x)", fingerprint="f:1", message="m")
    doc = json.loads(render_json([finding], [(name, f"{name}: binary file")], RULES))
    assert doc["findings"][0]["path"] == name and doc["problems"][0]["path"] == name
    sarif = render_sarif([finding], RULES, SarifContext(root=root, cwd=root, notices=(Notice(name, "x", "error"),)))
    run = json.loads(sarif)["runs"][0]
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    if not uri.startswith("file://"):
        assert Path(unquote(uri)) == Path(os.path.relpath(os.path.normpath(os.path.join(root, name)), root))
    sarif.encode("utf-8")  # no lone surrogate can reach the output
