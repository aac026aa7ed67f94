"""The function around a call: what the HTML report scores besides the call itself.

A finding's enclosing function (or method, or lambda) is the code a reader looks at to judge it,
so the report colours that much and no more. The innermost function of at least
``MIN_LINES`` lines wins: a one-line lambda or arrow function around a call says less than the
method it sits in.
"""

from __future__ import annotations

from collections.abc import Sequence

from entropy_lint.languages import LANGUAGES, parse

MIN_LINES = 3
Span = tuple[int, int]


def enclosing_functions(language: str, source: bytes, spans: Sequence[Span]) -> list[Span | None]:
    """For each byte span of ``source``, the byte span of the function around it; None at the
    top level (or for a language without function node types)."""
    kinds = frozenset(LANGUAGES[language].functions)
    if not kinds or not spans:
        return [None] * len(spans)
    root = parse(language, source).root_node
    out: list[Span | None] = []
    for start, end in spans:
        node = root.descendant_for_byte_range(start, max(start, end - 1))
        found = None
        while node is not None:  # a walk up the parents: iterative, whatever the nesting depth
            if node.type in kinds:
                found = node
                if node.end_point.row - node.start_point.row + 1 >= MIN_LINES:
                    break
            node = node.parent
        out.append((found.start_byte, found.end_byte) if found is not None else None)
    return out
