"""What rules see: a small ``CallSite`` record, not raw tree-sitter nodes.

Each language's extractor (``detect/<language>.py``) turns a parse tree into call sites:
calls, constructor calls (``new``), and the few non-call sinks that matter (an assignment
to ``innerHTML``, a shell backtick, a PHP ``include``). Names are resolved through the
file's imports where the language has them, so ``sp.run`` after ``import subprocess as sp``
has the qualname ``subprocess.run``.
"""

from __future__ import annotations

import bisect
import copy
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, NamedTuple

Kind = Literal["call", "new", "assign", "shell", "include", "import"]


def _decoded(source: bytes | None, start: int, end: int) -> str:
    return source[start:end].decode("utf-8", "replace") if source is not None else ""


class Judgement(NamedTuple):
    """What an argument's value is, as far as the file shows (see ``Arg``)."""

    literal: bool = False
    value: str | None = None
    dynamic_string: bool = False
    safe: bool = False
    request: bool = False
    own: bool = False


@dataclass(frozen=True, init=False)
class Arg:
    """One argument as written. ``literal`` is true for constants (strings, numbers, booleans, null,
    and names or expressions the file shows to hold only constants); ``value`` is a constant string's
    content when known; ``dynamic_string`` marks a string built at run time from parts that may be
    data; ``safe`` a value built at run time only from constants and parts that cannot carry text
    (numbers, booleans, escaped strings). An argument with none of the three is simply unknown.

    ``text`` is the argument as written. Extractors pass the file's bytes (``source=``) rather
    than the text, and it is decoded when a rule reads it: nested calls would otherwise each hold
    a copy of everything inside them, quadratic in the nesting depth of a hostile file. Likewise an
    extractor may pass ``judge=``, which works out the four facts above the first time a rule asks:
    most calls match no rule, and following their arguments' values would be wasted."""

    node_type: str
    start: int
    end: int
    keyword: str | None
    _judgement: Judgement | None = field(repr=False, compare=False)
    _judge: Callable[[], Judgement] | None = field(repr=False, compare=False)
    _written: str | None = field(repr=False, compare=False)
    _source: bytes | None = field(repr=False, compare=False)

    def __init__(self, text: str | None = None, node_type: str = "", start: int = 0, end: int = 0,
                 keyword: str | None = None, literal: bool = False, value: str | None = None,
                 dynamic_string: bool = False, safe: bool = False, *, source: bytes | None = None,
                 judge: Callable[[], Judgement] | None = None) -> None:
        judgement = None if judge is not None else Judgement(literal, value, dynamic_string, safe)
        for name, given in (("node_type", node_type), ("start", start), ("end", end), ("keyword", keyword),
                            ("_judgement", judgement), ("_judge", judge), ("_written", text), ("_source", source)):
            object.__setattr__(self, name, given)

    def _judged(self) -> Judgement:
        if self._judgement is None:
            assert self._judge is not None
            object.__setattr__(self, "_judgement", self._judge())
            object.__setattr__(self, "_judge", None)
        assert self._judgement is not None
        return self._judgement

    @property
    def literal(self) -> bool:
        return self._judged().literal

    @property
    def value(self) -> str | None:
        return self._judged().value

    @property
    def dynamic_string(self) -> bool:
        """A string built at run time: concatenation, formatting, interpolation."""
        return self._judged().dynamic_string

    @property
    def safe(self) -> bool:
        return self._judged().safe

    @property
    def request(self) -> bool:
        """The file shows the value comes from the request (Ruby's ``params``, ``cookies``,
        ``request``), directly or through local variables; only extractors that follow it say so."""
        return self._judged().request

    @property
    def own(self) -> bool:
        """Not a constant, but every part the file does not show is defined by the program's own
        modules (an import of a relative module, an AMD dependency, a regular expression's ``.source``)
        or escaped for a regular expression, not read from data as it is; only extractors that follow
        it say so (JavaScript; Python for files the program ships), and only rules that ask use it."""
        return self._judged().own

    @property
    def text(self) -> str:
        return self._written if self._written is not None else _decoded(self._source, self.start, self.end)


class Write(NamedTuple):
    """One assignment of a variable: where it starts, whether it replaces what the variable held (a
    plain ``=`` that is a statement of the function's body itself, so it always runs), and the text
    assigned."""

    at: int
    replaces: bool
    text: str
    static: bool = False  # a static local's: it reaches every later call of the function


@dataclass(frozen=True)
class Assigned:
    """What a file assigns, as written, where every write the file shows is an assignment (PHP; see
    detect/php_values.py): ``locals`` maps (start byte of a function, variable name without ``$``) to
    its assignments there, ``functions`` gives the functions' byte spans, sorted, ``loops`` each
    function's loops, ``includes`` where each includes a file, and ``properties`` maps properties a
    class keeps to itself to the assignments it gives them (wherever they are: a value they name is
    read where it was assigned)."""

    functions: tuple[tuple[int, int], ...] = ()
    locals: Mapping[tuple[int, str], tuple[Write, ...]] = field(default_factory=lambda: MappingProxyType({}))
    properties: Mapping[str, tuple[Write, ...]] = field(default_factory=lambda: MappingProxyType({}))
    loops: Mapping[int, tuple[tuple[int, int], ...]] = field(default_factory=lambda: MappingProxyType({}))
    includes: Mapping[int, tuple[int, ...]] = field(default_factory=lambda: MappingProxyType({}))

    def local(self, at: int, name: str) -> tuple[Write, ...] | None:
        """The assignments whose value may be in ``$name`` at byte ``at`` of the innermost function
        around it: those before it, from the last one that always runs on (in a loop, or for a
        static local, every one, as the next turn or call sees the later ones); None when the
        variable is not followed there (a parameter, a global, written by reference...)."""
        start = bisect.bisect_right(self.functions, (at, 1 << 62))
        for begin, end in reversed(self.functions[:start]):
            if begin <= at < end:
                writes = self.locals.get((begin, name))
                if writes is None:
                    return None
                in_loop = any(s <= at < e for s, e in self.loops.get(begin, ()))
                if any(i < at or in_loop for i in self.includes.get(begin, ())):
                    return None  # an included file may have set it
                if in_loop or any(w.static for w in writes):
                    return writes
                before = [w for w in writes if w.at < at]
                cut = max((i for i, w in enumerate(before) if w.replaces), default=0)
                return tuple(before[cut:])
        return None


@dataclass(frozen=True)
class FileFacts:
    """What a rule may ask about the file a call is in, beyond the call itself: one record per file.

    ``deps`` maps ecosystem-qualified packages (``npm:js-yaml``, ``pypi:pyyaml``, ``gem:psych``) to the
    version or range the nearest manifest or lockfile writes; ``None`` when no manifest was found, so
    a rule whose risk depends on a version says it could not tell. ``classes`` maps each class the file
    defines to the names of its ancestors (resolved through imports, transitively through the file's
    own classes), so a rule can tell a subclass of ``yaml.SafeLoader`` or ``paramiko.SSHClient``.
    ``properties`` maps object properties the file fixes to a constant (a PHP ``protected $table =
    'users';`` that nothing in the file assigns again) to their values; ``assigned`` what the file
    assigns to its variables and properties (PHP); ``only_tested`` the calls (by start byte) whose
    value the file stores in a variable that it then only tests, compares or reads as a number (C's
    ``getenv``); ``field_sizes`` the elements of the array fields the file's structs declare (C)."""

    deps: Mapping[str, str] | None = None
    classes: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    properties: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    assigned: Assigned = field(default_factory=Assigned)
    only_tested: frozenset[int] = frozenset()
    field_sizes: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))


NO_FACTS = FileFacts()


@dataclass(frozen=True, init=False)
class CallSite:
    """A call (or call-like sink) found in a source file.

    ``start``/``end`` are the byte range of the whole call; ``name_start``/``name_end`` that of
    the callee's name (``strcpy`` in ``strcpy(a, b)``, ``system`` in ``os.system(x)``). ``text``
    (the whole call) and ``receiver`` (the object it is called on, as written) are decoded from
    the file's bytes when read, when the extractor passes them as ``source=`` and ``receiver_span=``.
    """

    kind: Kind
    qualname: str
    name: str
    args: tuple[Arg, ...]
    start: int
    end: int
    name_start: int
    name_end: int
    row: int  # 0-based, from tree-sitter
    facts: FileFacts = field(repr=False, compare=False)
    _receiver: str | tuple[int, int] = field(repr=False)
    _written: str | None = field(repr=False, compare=False)
    _source: bytes | None = field(repr=False, compare=False)

    def __init__(self, kind: Kind, qualname: str, name: str, receiver: str, args: tuple[Arg, ...], start: int,
                 end: int, name_start: int, name_end: int, row: int, text: str | None = None, *,
                 source: bytes | None = None, receiver_span: tuple[int, int] | None = None,
                 facts: FileFacts = NO_FACTS) -> None:
        for field_name, given in (("kind", kind), ("qualname", qualname), ("name", name), ("args", args),
                                  ("start", start), ("end", end), ("name_start", name_start),
                                  ("name_end", name_end), ("row", row), ("_written", text), ("_source", source),
                                  ("_receiver", receiver_span if receiver_span is not None and source is not None
                                   else receiver), ("facts", facts)):
            object.__setattr__(self, field_name, given)

    def with_facts(self, facts: FileFacts) -> CallSite:
        """The same site, seen with ``facts`` (detect() adds the file's dependencies)."""
        site = copy.copy(self)
        object.__setattr__(site, "facts", facts)
        return site

    @property
    def receiver(self) -> str:
        if isinstance(self._receiver, str):
            return self._receiver
        return _decoded(self._source, *self._receiver)

    @property
    def text(self) -> str:
        return self._written if self._written is not None else _decoded(self._source, self.start, self.end)

    def surrounding(self, lines_before: int, limit: int = 4_000) -> tuple[str, str]:
        """The source above the call (at most ``limit`` bytes, cut at a line start) and the rest of
        the call's last line after it: where what the call returns is named and used."""
        if self._source is None:
            return "", ""
        src = self._source
        head = src.rfind(b"\n", 0, self.start) + 1
        for _ in range(lines_before):
            if head <= 0 or self.start - head >= limit:
                break
            head = src.rfind(b"\n", 0, head - 1) + 1
        above = src[max(head, self.start - limit):self.start].decode("utf-8", "replace")
        tail = src.find(b"\n", self.end)
        after = src[self.end:tail if tail >= 0 else min(len(src), self.end + limit)][:limit].decode("utf-8", "replace")
        return above, after

    def following(self, limit: int = 200) -> str:
        """The source right after the call, at most ``limit`` bytes (what the call's value meets)."""
        if self._source is None:
            return ""
        return self._source[self.end:self.end + limit].decode("utf-8", "replace")

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
