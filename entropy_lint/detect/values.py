"""What an expression is worth to a rule, for extractors that follow a file's local data flow.

An extractor maps each expression to a ``Val``; these helpers combine values the same way in every
language: ``+`` on strings, a variable that may hold one of several values, and the ``Arg`` a rule sees.

``Names`` is the part of the analysis that Python, JavaScript and Ruby share: every binding of every
name in every scope of one file (module or method level and function level; blocks are pooled into
their function), and the value a name may hold at a use: the join of the bindings that may reach it
(see ``Names``). A name is a constant only when every value that may reach the use is one, so a
reassignment from data is never missed, and a binding the file does not show (a parameter, a loop
variable, an import) makes it unknown. Nothing crosses a function call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from tree_sitter import Node

from entropy_lint.callsite import Arg, Judgement
from entropy_lint.detect.limits import Depth
from entropy_lint.detect.nodes import sum_operands, text_of

# From most to least harmless.
CONST, SAFE, OTHER, DYN = "const", "safe", "other", "dynamic"


class Val(NamedTuple):
    """``const``: a compile-time constant; ``safe``: built at run time from numbers and booleans only;
    ``other``: unknown; ``dynamic``: a string built at run time from non-constant parts. ``own`` marks
    an ``other`` or ``dynamic`` value whose every unknown part the program's own modules define (see
    ``Arg.own``); it changes no kind, so rules that do not ask are told what they were before."""

    kind: str
    value: str | None = None
    string: bool = False
    own: bool = False


def own_parts(vals: list[Val]) -> bool:
    """Every value is known, or defined by the program's own modules."""
    return all(v.own or v.kind in (CONST, SAFE) for v in vals)


def join_values(vals: list[Val], string: bool = False) -> Val:
    """The value of a variable that may hold any of ``vals``."""
    string = string or any(v.string for v in vals)
    for kind in (DYN, OTHER, SAFE):
        if any(v.kind == kind for v in vals):
            return Val(kind, None, string, kind != SAFE and own_parts(vals))
    single = vals[0].value if vals and all(v.value == vals[0].value for v in vals) else None
    return Val(CONST, single, string) if vals else Val(OTHER, None, string)


def plus_values(a: Val, b: Val) -> Val:
    """``a + b``: a string when either side is one, dynamic when a string meets a non-constant."""
    if not (a.string or b.string):  # arithmetic, or operands of unknown type: not a string we can judge
        if a.kind == CONST and b.kind == CONST:
            return Val(CONST)
        return Val(SAFE) if {a.kind, b.kind} <= {CONST, SAFE} else Val(OTHER, own=own_parts([a, b]))
    if a.kind == CONST and b.kind == CONST:
        joined = a.value + b.value if a.value is not None and b.value is not None else None
        return Val(CONST, joined, True)
    if {a.kind, b.kind} <= {CONST, SAFE}:
        return Val(SAFE, None, True)
    return Val(DYN, None, True, own_parts([a, b]))


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


def judgement(val: Val) -> Judgement:
    """What a rule is told about a value."""
    constant = val.kind == CONST
    return Judgement(constant, val.value if constant else None, val.kind == DYN, val.kind == SAFE,
                     own=val.own and val.kind in (OTHER, DYN))


def value_arg(node: Node, val: Val, keyword: str | None = None, *, source: bytes) -> Arg:
    """The argument ``node`` of the file ``source`` as a rule sees it, given its value."""
    constant = val.kind == CONST
    return Arg(node_type=node.type, start=node.start_byte, end=node.end_byte, keyword=keyword, literal=constant,
               value=val.value if constant else None, dynamic_string=val.kind == DYN, safe=val.kind == SAFE,
               source=source)


class Binding(NamedTuple):
    """One way a scope gives a name a value: ``value`` assigned with ``how`` ("=", "+=", "unset" for a
    declaration without one, or "fixed" for a value the program's own code picks though the file does
    not show which, such as the name Ruby passes to ``method_missing``; "in" for an element of the
    collection ``value``: a loop variable, or the first parameter of a ``forEach``/``each`` callback;
    "param" for a parameter, ``value`` its node, worth what the file's calls pass it; "import" for a
    name another module of the program defines, see ``Arg.own``), or ``value`` None for a value the
    file does not show (a parameter, a loop variable, an import of a library). ``at`` is where the name
    holds it from (the end of the assignment); -1 for bindings visible in the whole scope, such as
    parameters."""

    value: Node | None
    how: str = "="
    at: int = -1
    block: int = 0  # the block whose statement it is (0: in a branch or expression; ANYTIME: set from elsewhere)


Key = tuple[int, str]  # (scope node id, name); scope 0 is the file's implicit global scope
ANYTIME = -1  # a binding made by an inner function (global, nonlocal, a closure): it may happen at any point
Span = tuple[int, int]  # byte range of a loop around a use


class Names:
    """Every binding of every name, by scope, and the values they give (see the module docstring).

    A use in the scope that binds the name sees the bindings before it, and those anywhere in a loop
    around it (the next iteration sees them); the last plain assignment that is a statement of a block
    around the use replaces those before it. A use from an inner function sees every binding, as it may
    run at any time. Either way, an unknown binding makes the name unknown."""

    def __init__(self, depth: Depth, arguments: Callable[[Node], Val] | None = None) -> None:
        self.bindings: dict[Key, list[Binding]] = {}
        # What a parameter (a "param" binding of the parameter's own node) is given by the calls the
        # file shows; unknown when the language's extractor does not say.
        self.arguments = arguments or (lambda node: Val(OTHER))
        self.mutated: set[Key] = set()  # objects and arrays changed after they were made (x.a = y, x.push(y))
        self._depth = depth

    def bind(self, key: Key, binding: Binding) -> None:
        self.bindings.setdefault(key, []).append(binding)

    def visible(self, key: Key, at: int | None = None, loops: tuple[Span, ...] = (),
                blocks: frozenset[int] = frozenset()) -> list[Binding]:
        """The bindings of ``key`` a use at byte ``at`` (inside ``loops`` and ``blocks``) can see; all
        when ``at`` is None, or when none comes before it (a use ahead of its assignment)."""
        every = self.bindings.get(key, [])
        if at is None:
            return every
        before = [b for b in every if b.at < at]
        if not any(b.at >= 0 for b in before):
            return every
        certain = [b for b in before if b.block in blocks and b.how == "=" and b.value is not None]
        last = max(certain, key=lambda b: b.at) if certain else None
        seen = [b for b in before if last is None or b.at >= last.at or b.block == ANYTIME]
        for b in every:  # assigned later in a loop around the use: the next iteration sees it
            carried = [(start, end) for start, end in loops if start <= b.at <= end]
            if b.at >= at and carried and (last is None or not any(s <= last.at <= e for s, e in carried)):
                seen.append(b)
        return seen

    def value(self, key: Key, evaluate: Callable[[Node], Val], at: int | None = None,
              loops: tuple[Span, ...] = (), blocks: frozenset[int] = frozenset()) -> Val:
        """The join of every value ``key`` may hold at ``at``, each evaluated by ``evaluate``."""
        memo = ("name", key, at, loops)
        depth = self._depth
        found, answer = depth.recall(memo)
        if found:
            return answer  # type: ignore[return-value]
        if not depth.open(memo):
            return Val(CONST, None, True)  # s = s + x in a loop: the self-reference adds nothing by itself
        mark = depth.mark()
        vals = []
        for binding in self.visible(key, at, loops, blocks):
            if binding.how in ("unset", "fixed"):
                vals.append(Val(CONST))
            elif binding.how == "import":
                vals.append(Val(OTHER, own=True))
            elif binding.value is None:
                vals.append(Val(OTHER))
            elif binding.how == "param":
                vals.append(self.arguments(binding.value))
            elif binding.how == "in":  # an element of a constant collection is a constant
                vals.append(Val(CONST) if evaluate(binding.value).kind == CONST else Val(OTHER))
            else:
                assigned = evaluate(binding.value)
                vals.append(plus_values(Val(CONST, None, True), assigned) if binding.how == "+=" else assigned)
        result = join_values(vals) if vals else Val(OTHER)
        depth.close(memo)
        depth.remember(memo, result, mark)
        return result
