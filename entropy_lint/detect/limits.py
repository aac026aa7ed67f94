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
from collections.abc import Callable, Hashable
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from tree_sitter import Node

MAX_DEPTH = 100  # nested expression levels; real code stays far below, and 100 levels use < 500 frames
MAX_CHAIN = 32
_MAX_NOTES = 5  # lines named per file; one more note says there were others


class Depth:
    """The recursion depth of one file's analysis, and the notes about where it was cut."""

    def __init__(self, notes: list[str] | None = None) -> None:
        self.level = 0
        self._notes = notes
        self._rows: set[int] = set()
        # Answers worked out once per file: final ones, and provisional ones that leaned on the stand-in
        # value of a name still being worked out (x = f(x) in a loop). A provisional answer holds only
        # while that name is open: kept for reuse inside its fixpoint, never after it.
        self._final: dict[Hashable, object] = {}
        self._provisional: dict[Hashable, tuple[object, int]] = {}  # key -> (answer, serial it leaned on)
        self._open: dict[Hashable, int] = {}  # names being worked out -> their serial
        self._serials: set[int] = set()
        self._next = 0
        self._leaned: list[int] = []  # serials of open names whose stand-in was used, newest last

    def recall(self, key: Hashable) -> tuple[bool, object]:
        """(found, answer) for a key worked out before, finally or provisionally while still valid."""
        if key in self._final:
            return True, self._final[key]
        provisional = self._provisional.get(key)
        if provisional is not None and provisional[1] in self._serials:
            return True, provisional[0]
        return False, None

    def mark(self) -> int:
        """Where the record of stand-ins used starts for an answer about to be worked out."""
        return len(self._leaned)

    def remember(self, key: Hashable, answer: object, mark: int) -> None:
        """Keep ``answer``: finally, or provisionally if it leaned on a name still open."""
        leaned = sorted({s for s in self._leaned[mark:] if s in self._serials})
        del self._leaned[mark:]
        self._leaned += leaned
        if leaned:
            self._provisional[key] = (answer, leaned[-1])  # the newest open name closes first
        else:
            self._final[key] = answer

    def open(self, key: Hashable) -> bool:
        """Start working out a name's value; False (and a note that its stand-in is used) when it is
        already being worked out: the caller answers with the stand-in."""
        if key in self._open:
            self._leaned.append(self._open[key])
            return False
        self._next += 1
        self._open[key] = self._next
        self._serials.add(self._next)
        return True

    def close(self, key: Hashable) -> None:
        self._serials.discard(self._open.pop(key))

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
            if key is not None:
                found, answer = depth.recall(key)
                if found:
                    return answer  # type: ignore[return-value]
            if depth.level >= MAX_DEPTH:
                depth.cut(node)
                return fallback
            depth.level += 1
            mark = depth.mark()
            try:
                result = method(self, node, *args, **kwargs)
            finally:
                depth.level -= 1
            if key is not None:
                depth.remember(key, result, mark)
            return result

        return inner

    return wrap
