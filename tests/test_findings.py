"""The Finding record: its message, the model's expectation, suppression placement, fingerprints."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entropy_lint.findings import (
    Finding, Metrics, TokenView, expectation, fingerprint, from_dict, message, suppressed, to_dict,
)
from entropy_lint.lines import LineIndex

FINDING = Finding(rule_id="EL-PY-EVAL", level="error", path="a.py", line=2, column=1, end_line=2, end_column=8,
                  span=(10, 17), name_span=(10, 14), callee="eval", snippet="eval(x)", fingerprint="abc:1")
TOKENS = (TokenView("ev", 0.5, 1.0, 1, (("ev", 0.5), ("print", 0.2))),
          TokenView("al", 0.01, 3.0, 4, (("ent", 0.6), ("al", 0.01))))
METRICS = Metrics(model="m", callee_entropy_mean=2.0, callee_entropy_max=3.0, callee_min_prob=0.01, tokens=TOKENS,
                  call_entropy_mean=1.5, call_entropy_max=3.0, call_min_prob=0.01, call_surprisal=6.2, call_tokens=4)


def test_message_without_and_with_the_model() -> None:
    assert message("code from a string", replace(FINDING, note="constant argument")) == \
        "eval: code from a string (constant argument)"
    assert message("code from a string", replace(FINDING, metrics=METRICS)) == \
        "eval: code from a string; model: p=0.01 at 'al', entropy 3.00 nats; it expected 'event'… (p=0.60)"


def test_expectation_is_the_preferred_alternative_at_the_least_likely_token() -> None:
    assert expectation(TOKENS) == (1, "ent", 0.6)
    assert expectation((TokenView("eval", 0.9, 0.2, 1, (("eval", 0.9), ("exec", 0.05))),)) is None
    assert expectation(()) is None


def test_a_record_survives_the_cache_form() -> None:
    for finding in (FINDING, replace(FINDING, metrics=METRICS, message="m")):
        assert from_dict(to_dict(finding), finding.path) == finding


def test_fingerprints_ignore_whitespace_and_count_occurrences() -> None:
    assert fingerprint("EL-X", "f(a,  b)", 1) == fingerprint("EL-X", "f(a,\n b)", 1)
    assert fingerprint("EL-X", "f(a)", 1) != fingerprint("EL-X", "f(a)", 2) != fingerprint("EL-Y", "f(a)", 2)
    assert fingerprint("EL-X", "f(a)", 2).endswith(":2")


@pytest.mark.parametrize("text,line,hidden", [
    ("eval(x)  # entropy-lint: ignore\n", 1, True),
    ("# entropy-lint: ignore[EL-PY-EVAL]\neval(x)\n", 2, True),
    ("# entropy-lint: ignore[EL-PY-EXEC]\neval(x)\n", 2, False),
    ("# entropy-lint: ignore\n\neval(x)\n", 3, False),  # two lines above: no
    ("s = 'entropy-lint: ignore'; eval(x)\n", 1, False),  # not in a comment
    ("eval(x)  # nosec\n", 1, True),
    ("eval(x)  # nosec B307\n", 1, True),
    ("eval(x)  # nosec B602\n", 1, False),
    ("# nosec\neval(x)\n", 2, False),  # nosec applies to its own line only
    # a form feed, U+2028 or U+0085 is not a line break: the comment stays on the call's line
    ("x = 1\f\neval(x)  # entropy-lint: ignore\n", 2, True),
    ("y = '\u2028'\neval(x)  # entropy-lint: ignore\n", 2, True),
    ("# entropy-lint: ignore \x85 note\nz = 1\neval(x)\n", 3, False),
    ("a = 1\reval(x)  # entropy-lint: ignore\r", 2, True),  # lone CR line endings
])
def test_suppression_lands_on_the_right_line(text: str, line: int, hidden: bool) -> None:
    assert suppressed("EL-PY-EVAL", ("Bandit B307",), LineIndex(text), line, ("#",), True) is hidden


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["x = 1", "", "\f", "\u2028", "\x85", "y = '\u2029'"]), max_size=6),
       st.sampled_from(["\n", "\r\n", "\r"]))
def test_a_same_line_ignore_always_holds_and_one_two_lines_up_never_does(before: list[str], newline: str) -> None:
    head = newline.join(before) + (newline if before else "")
    line = head.count("\r\n") + head.replace("\r\n", "").count("\r") + head.replace("\r\n", "").count("\n") + 1
    same = head + "eval(x)  # entropy-lint: ignore" + newline
    assert suppressed("EL-PY-EVAL", (), LineIndex(same), line, ("#",), True)
    far = head + "# entropy-lint: ignore" + newline + "z = 2" + newline + "eval(x)" + newline
    assert not suppressed("EL-PY-EVAL", (), LineIndex(far), line + 2, ("#",), True)
