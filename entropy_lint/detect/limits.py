"""How far an extractor follows a file's expressions: a guard on recursion depth, with notes.

Linted files are hostile input. An expression nested thousands deep (parentheses, calls in calls,
arrays in arrays) would exhaust Python's stack in a recursive helper and lose the whole run. Each
extractor's recursive helpers share one ``Depth`` per file: past ``MAX_DEPTH`` levels a helper
returns its conservative answer (not a constant; a string built at run time), so a rule reports
rather than passes what was not analysed, and the file gets a note saying where.

Chains (``a.b().c()...``, ``x + y + ...``) are walked in loops, not by recursion, and never count
towards the depth; a qualname keeps at most ``MAX_CHAIN`` links, as no rule names a longer one and
resolving every link of every call in a minified chain of thousands would be quadratic.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from tree_sitter import Node

MAX_DEPTH = 100  # nested expression levels; real code stays far below, and 100 levels use < 500 frames
MAX_CHAIN = 32
_MAX_NOTES = 5  # lines named per file; one more note says there were others


class Depth:
    """The recursion depth of one file's analysis, and the notes about where it was cut."""

    def __init__(self, notes: list[str] | None = None) -> None:
        self.level = 0
        self.memo: dict[tuple[object, ...], object] = {}  # (helper, node id, arguments) -> its answer
        # Names whose value is being worked out (values.Names), and where a cycle through one of them
        # was met: an answer that leaned on an unfinished value is provisional and is not memoised.
        self.pending = 0
        self.cycles: list[int] = []
        self._notes = notes
        self._rows: set[int] = set()

    def cut(self, node: Node) -> None:
        """Record that the expression at ``node`` was not followed further."""
        row = node.start_point[0] + 1
        if row in self._rows:
            return
        self._rows.add(row)
        if self._notes is None:
            return
        if len(self._rows) <= _MAX_NOTES:
            self._notes.append(f"expression nesting deeper than {MAX_DEPTH} levels at line {row}; "
                               "analysed as far as safely possible")
        elif len(self._rows) == _MAX_NOTES + 1:
            self._notes.append(f"expression nesting deeper than {MAX_DEPTH} levels on more lines; "
                               "analysed as far as safely possible")


NOT_CONSTANT: tuple[bool, str | None] = (False, None)  # the conservative answer of a literal_value helper


class HasDepth(Protocol):
    depth: Depth


S = TypeVar("S", bound=HasDepth)
P = ParamSpec("P")
R = TypeVar("R")


def guarded(fallback: R, *, memo: bool = False) -> Callable[[Callable[Concatenate[S, Node, P], R]],
                                                          Callable[Concatenate[S, Node, P], R]]:
    """A recursive method of a per-file analysis (``self.depth``) that answers ``fallback`` for a node
    more than ``MAX_DEPTH`` guarded calls deep. With ``memo``, each node's answer is computed once
    (the method must be a pure function of its node and arguments): nested calls each look into the
    same arguments, which would otherwise cost the nesting depth over again for every call."""

    def wrap(method: Callable[Concatenate[S, Node, P], R]) -> Callable[Concatenate[S, Node, P], R]:
        @functools.wraps(method)
        def inner(self: S, node: Node, /, *args: P.args, **kwargs: P.kwargs) -> R:
            depth = self.depth
            key = (method, node.id, *args) if memo else None
            if key is not None and key in depth.memo:
                return depth.memo[key]  # type: ignore[return-value]
            if depth.level >= MAX_DEPTH:
                depth.cut(node)
                return fallback
            depth.level += 1
            mark = len(depth.cycles)
            try:
                result = method(self, node, *args, **kwargs)
            finally:
                depth.level -= 1
            if key is not None and not any(c < depth.pending for c in depth.cycles[mark:]):
                depth.memo[key] = result
            return result

        return inner

    return wrap
