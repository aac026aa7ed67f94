"""What rules see: a small ``CallSite`` record, not raw tree-sitter nodes.

Each language's extractor (``detect/<language>.py``) turns a parse tree into call sites:
calls, constructor calls (``new``), and the few non-call sinks that matter (an assignment
to ``innerHTML``, a shell backtick, a PHP ``include``). Names are resolved through the
file's imports where the language has them, so ``sp.run`` after ``import subprocess as sp``
has the qualname ``subprocess.run``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["call", "new", "assign", "shell", "include", "import"]


@dataclass(frozen=True)
class Arg:
    """One argument as written. ``literal`` is true for constants with no interpolation
    (strings, numbers, booleans, null); ``value`` is a literal string's content."""

    text: str
    node_type: str
    start: int
    end: int
    keyword: str | None = None
    literal: bool = False
    value: str | None = None
    dynamic_string: bool = False  # a string built at run time: concatenation, formatting, interpolation


@dataclass(frozen=True)
class CallSite:
    """A call (or call-like sink) found in a source file.

    ``start``/``end`` are the byte range of the whole call; ``name_start``/``name_end`` that of
    the callee's name (``strcpy`` in ``strcpy(a, b)``, ``system`` in ``os.system(x)``).
    """

    kind: Kind
    qualname: str
    name: str
    receiver: str
    args: tuple[Arg, ...]
    start: int
    end: int
    name_start: int
    name_end: int
    row: int  # 0-based, from tree-sitter
    text: str = field(default="", compare=False)

    def arg(self, index: int) -> Arg | None:
        positional = [a for a in self.args if a.keyword is None]
        return positional[index] if -len(positional) <= index < len(positional) else None

    def kwarg(self, name: str) -> Arg | None:
        return next((a for a in self.args if a.keyword == name), None)

    def is_literal(self, index: int) -> bool:
        a = self.arg(index)
        return a is not None and a.literal

    def arg_value(self, index: int) -> str | None:
        a = self.arg(index)
        return a.value if a is not None else None
