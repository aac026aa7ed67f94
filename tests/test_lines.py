"""Lines as editors count them: LF, CRLF and a lone CR; never form feeds or Unicode separators."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from entropy_lint.lines import LineIndex

PIECES = ["a", "é", "\U0001f600", " ", "\n", "\r", "\r\n", "\f", "\u2028", "\u2029", "\x85", "\x0b", "\ufeff", "\t"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def test_lf_crlf_and_lone_cr_end_lines() -> None:
    lines = LineIndex("a\nb\r\nc\rd")
    assert [lines.line(n) for n in (1, 2, 3, 4)] == ["a", "b", "c", "d"]
    assert lines.position(lines.text.index("d")) == (4, 1)
    assert len(lines) == 4


def test_form_feeds_and_unicode_separators_do_not() -> None:
    text = "x\fy\u2028z\u2029w\x85v\nnext"
    lines = LineIndex(text)
    assert lines.line(1) == "x\fy\u2028z\u2029w\x85v" and lines.position(text.index("next")) == (2, 1)


def test_columns_count_code_points() -> None:
    text = "\U0001f600é = f(x)\n"
    assert LineIndex(text).position(text.index("f")) == (1, 6)


def test_a_final_line_break_opens_no_line() -> None:
    assert len(LineIndex("a\n")) == 1 and len(LineIndex("a\nb")) == 2 and LineIndex("a\n").line(3) is None


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_positions_and_offsets_are_inverse_and_agree_with_a_plain_count(text: str) -> None:
    lines = LineIndex(text)
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    assert len(lines) == max(1, len(normal.split("\n")) - (1 if normal.endswith("\n") else 0))
    for offset in range(len(text) + 1):
        line, column = lines.position(offset)
        assert lines.offset(line, column) == offset
        if offset < len(text) and text[offset] not in "\r\n":
            assert (lines.line(line) or "")[column - 1] == text[offset]
