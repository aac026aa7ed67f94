"""What an expression is worth to a rule, for extractors that follow a file's local data flow (Java, Go).

An extractor maps each expression to a ``Val``; these helpers combine values the same way in every
language: ``+`` on strings, a variable that may hold one of several values, and the ``Arg`` a rule sees.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from tree_sitter import Node

from entropy_lint.callsite import Arg
from entropy_lint.detect.nodes import sum_operands, text_of

# From most to least harmless.
CONST, SAFE, OTHER, DYN = "const", "safe", "other", "dynamic"


class Val(NamedTuple):
    """``const``: a compile-time constant; ``safe``: built at run time from numbers and booleans only;
    ``other``: unknown; ``dynamic``: a string built at run time from non-constant parts."""

    kind: str
    value: str | None = None
    string: bool = False


def join_values(vals: list[Val], string: bool = False) -> Val:
    """The value of a variable that may hold any of ``vals``."""
    string = string or any(v.string for v in vals)
    for kind in (DYN, OTHER, SAFE):
        if any(v.kind == kind for v in vals):
            return Val(kind, None, string)
    single = vals[0].value if len(vals) == 1 else None
    return Val(CONST, single, string) if vals else Val(OTHER, None, string)


def plus_values(a: Val, b: Val) -> Val:
    """``a + b``: a string when either side is one, dynamic when a string meets a non-constant."""
    if not (a.string or b.string):  # arithmetic, or operands of unknown type: not a string we can judge
        if a.kind == CONST and b.kind == CONST:
            return Val(CONST)
        return Val(SAFE) if {a.kind, b.kind} <= {CONST, SAFE} else Val(OTHER)
    if a.kind == CONST and b.kind == CONST:
        joined = a.value + b.value if a.value is not None and b.value is not None else None
        return Val(CONST, joined, True)
    if {a.kind, b.kind} <= {CONST, SAFE}:
        return Val(SAFE, None, True)
    return Val(DYN, None, True)


def binary_value(node: Node, value: Callable[[Node], Val]) -> Val:
    """A ``binary_expression``, its operands valued by ``value``: a ``+`` chain folded left to right
    with ``plus_values``; any other operator yields a number or a boolean, which carries no text."""
    operands = sum_operands(node)
    if operands is not None:
        total = value(operands[0])
        for operand in operands[1:]:
            total = plus_values(total, value(operand))
        return total
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None:
        return Val(OTHER)
    a, b = value(left), value(right)
    return Val(CONST) if a.kind == CONST and b.kind == CONST else Val(SAFE)


def value_arg(node: Node, val: Val, keyword: str | None = None, *, source: bytes) -> Arg:
    """The argument ``node`` of the file ``source`` as a rule sees it, given its value."""
    constant = val.kind == CONST
    return Arg(node_type=node.type, start=node.start_byte, end=node.end_byte, keyword=keyword, literal=constant,
               value=val.value if constant else None, dynamic_string=val.kind == DYN, source=source)
