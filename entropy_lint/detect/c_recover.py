"""Calls tree-sitter does not show as calls: those in ``#define`` bodies, and those a macro
statement hides (``Py_BEGIN_ALLOW_THREADS`` alone on a line turns the next call into a
declaration, or a whole region into an ERROR node).

Both are found by name first: only a name that some C rule matches is worth the work, and a
regular expression over the bytes finds those names quickly (``CandidateNames``; the same
expression tells a file that no C rule can match, so it need not be parsed at all). Each call
found this way is parsed again on its own, as a statement in a function, and its nodes carry the
offset that maps them back onto the file's bytes (``Fragment``).

- A macro body is parsed only when it contains a rule's name followed by ``(``. Line
  continuations, ``#param`` (a string literal) and ``a ## b`` (one pasted name) are rewritten
  byte for byte, so offsets stay true; the macro's parameters are remembered, as their values
  come from each use of the macro.
- A name followed by ``(`` inside an ERROR node, a declaration of a function inside a function
  body (in C++ also a variable constructed in place, ``FOO\n system(cmd);``), or a function
  definition inside one, that is not already a call's name, is a lost call,
  unless it reads as a prototype (its argument list opens with a type, or a type stands before
  the name) or as a member or another namespace's function.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from tree_sitter import Node, Tree

from entropy_lint.languages import parse
from entropy_lint.rules.base import Rule

_PREFIX = b"void __entropy_lint_fragment__(void) {\n"
_SUFFIX = b"\n;}\n"
_MAX_CALL = 4096  # bytes scanned for a lost call's closing parenthesis
MAX_LOST = 500  # lost calls recovered per file; each costs a parse of its own
_PUNCTUATION = re.compile(rb'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|/\*.*?\*/|//[^\n]*|[();{}]', re.DOTALL)
_TYPE_START = re.compile(rb"\s*(?:const|volatile|char|short|int|long|unsigned|signed|float|double|void|struct|union|"
                         rb"enum|_Bool|bool|size_t|ssize_t|wchar_t|FILE|register)\b")
_TYPE_WORD = re.compile(rb"(?:const|volatile|char|short|int|long|unsigned|signed|float|double|void|struct|union|enum|"
                        rb"_Bool|bool|size_t|ssize_t|wchar_t|FILE|static|extern|inline|auto|register)")
_WORD_BEFORE = re.compile(rb"([\w$]+)[ \t]*$")
_CONTINUATION = re.compile(rb"\\(?=\r?\n)")
_PASTE = re.compile(rb"[ \t]*##[ \t]*")
_STRINGIFY = re.compile(rb"(?<!#)#[ \t]*([A-Za-z_$][\w$]*)")


class Fragment(NamedTuple):
    """A piece of the file parsed on its own: node offsets plus ``delta`` are the file's offsets,
    up to ``limit`` (the end of the piece in the file; what the parse added after it maps there).
    ``shadow``: macro parameters; ``only``: the offset (in the fragment) of the one callee name
    whose call was lost, or -1 for every call in it."""

    tree: Tree
    source: bytes
    delta: int
    limit: int
    shadow: frozenset[str]
    only: int
    literal: frozenset[str] = frozenset()  # parameters every use of the macro in the file fills with a string literal


class CandidateNames:
    """The names a table's rules match, as regular expressions over a file's bytes."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        plain: set[str] = set()
        globs: list[str] = []
        self.everything = False  # a rule that matches any name: nothing can be screened out
        for rule in rules:
            for name in rule.names:
                last = re.split(r"::|\.|->", name)[-1]
                if not last.strip("*?"):
                    self.everything = True
                elif any(ch in last for ch in "*?["):
                    globs.append(fnmatch.translate(last).replace(".*", r"[\w$]*").replace(".", r"[\w$]")
                                 .removeprefix("(?s:").removesuffix(")\\Z"))
                else:
                    plain.add(last)
        alternatives = "|".join(filter(None, [_trie(sorted(plain)), *globs]))
        body = rf"(?<![\w$])(?:{alternatives})(?![\w$])"
        self.name = re.compile(body.encode())
        self.call = re.compile((body + r"[ \t]*(?:\r?\n[ \t]*)?\(").encode())

    def present(self, source: bytes) -> bool:
        return self.everything or self.name.search(source) is not None

    def calls_in(self, source: bytes, start: int = 0, end: int | None = None) -> Iterator[re.Match[bytes]]:
        """Each ``name(`` in ``source[start:end]``; group 0 starts at the name."""
        return self.call.finditer(source, start, len(source) if end is None else end)


@functools.cache
def candidates_for(language: str) -> CandidateNames:
    from entropy_lint.rules import rules_for

    return CandidateNames(rules_for(language))


def _trie(words: list[str]) -> str:
    """One alternation for many words, sharing prefixes: much faster than a flat one in ``re``."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _trie_node(root)


def _trie_node(node: dict) -> str:  # type: ignore[type-arg]
    """Recursive over a rule name's letters: as deep as the longest name in the tables, never input."""
    ends = "" in node
    parts = [re.escape(ch) + _trie_node(child) for ch, child in sorted(node.items()) if ch]
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 and not ends else "(?:" + "|".join(parts) + ")"
    return body + ("?" if ends else "")


# --- macro bodies -----------------------------------------------------------------------------------
def macro_fragments(source: bytes, language: str, bodies: Iterable[Node], names: CandidateNames) -> list[Fragment]:
    """A fragment for each ``#define`` body (``preproc_arg``) that holds a call of a rule's name.
    A definition tree-sitter could not parse whole (a comment inside a continued line is enough)
    leaves ``#define NAME(params) body`` in an ERROR node; it counts too. The bodies of
    ``#pragma``, ``#error`` and ``#warning`` are text, not code."""
    fragments = []
    asked = 0  # macros whose uses were read (each use search reads the file)
    for body in bodies:
        if names.call.search(source, body.start_byte, body.end_byte) is None:
            continue
        found, params = _definition(body)
        if not found:
            continue
        text = source[body.start_byte:body.end_byte]
        ordered = list(_parameters(params)) if params is not None else []
        shadow = frozenset(ordered)
        name = body.parent.child_by_field_name("name") if body.parent is not None else None
        literal: frozenset[str] = frozenset()
        if name is not None and ordered and asked < _MAX_MACROS_READ:
            asked += 1
            literal = _literal_parameters(source, name.text or b"", ordered, body.parent)
        text = _CONTINUATION.sub(b" ", text)
        text = _PASTE.sub(lambda m: b"_" * len(m.group()), text)
        if shadow:
            text = _STRINGIFY.sub(lambda m: _as_string(m) if m.group(1).decode() in shadow else m.group(), text)
        fragment = _PREFIX + text + b")" * _still_open(text) + _SUFFIX  # #define CALL_WITH system(
        fragments.append(Fragment(parse(language, fragment), fragment, body.start_byte - len(_PREFIX), body.end_byte,
                                  shadow, -1, literal))
    return fragments


_STRING_LITERALS = re.compile(rb'\s*(?:(?:u8|[uUL])?"(?:[^"\\\n]|\\.)*"\s*)+')
_MAX_MACRO_USES = 256  # uses of a macro read to see what its parameters are given
_MAX_MACROS_READ = 64  # macros per file whose uses are read


def _literal_parameters(source: bytes, name: bytes, parameters: list[str], definition: Node | None) -> frozenset[str]:
    """The parameters of the function-like macro ``name`` that every use of it in the file fills with
    a string literal (``uwsgi_metric_oid("3.%d.1", i)``): inside the macro, each is a constant. None
    when the macro is never used here, or used more than ``_MAX_MACRO_USES`` times, or a use cannot be
    read (unbalanced, or the macro's name passed on without a call)."""
    if not name or definition is None:
        return frozenset()
    literal = [True] * len(parameters)
    uses = 0
    for match in re.finditer(rb"(?<![\w$])" + re.escape(name) + rb"(?![\w$])", source):
        if definition.start_byte <= match.start() < definition.end_byte:
            continue
        uses += 1
        given = _macro_arguments(source, match.end())
        if uses > _MAX_MACRO_USES or given is None:
            return frozenset()
        for i, argument in enumerate(given[:len(parameters)]):
            literal[i] = literal[i] and _STRING_LITERALS.fullmatch(argument) is not None
    return frozenset(p for p, ok in zip(parameters, literal) if ok and p != "__VA_ARGS__") if uses else frozenset()


def _macro_arguments(source: bytes, at: int) -> list[bytes] | None:
    """The arguments of a macro use whose name ends at ``at``, split at top-level commas (strings and
    characters skipped); None when no ``(`` follows or it does not close within 4 KiB."""
    i = at
    while i < len(source) and source[i] in b" \t":
        i += 1
    if i >= len(source) or source[i:i + 1] != b"(":
        return None
    given, depth, start, quote = [], 0, i + 1, 0
    end = min(len(source), i + 4096)
    while i < end:
        ch = source[i]
        if quote:
            if ch == 0x5C:  # backslash
                i += 1
            elif ch == quote:
                quote = 0
        elif ch in (0x22, 0x27):
            quote = ch
        elif ch == 0x28:
            depth += 1
        elif ch == 0x29:
            depth -= 1
            if depth == 0:
                given.append(source[start:i])
                return given
        elif ch == 0x2C and depth == 1:
            given.append(source[start:i])
            start = i + 1
        i += 1
    return None


def _definition(body: Node) -> tuple[bool, Node | None]:
    """Whether ``body`` is a macro's body, and the macro's parameter list if it has one."""
    macro = body.parent
    if macro is None:
        return False, None
    if macro.type in ("preproc_def", "preproc_function_def"):
        return True, macro.child_by_field_name("parameters")
    if macro.type != "ERROR":
        return False, None
    params = None
    for child in reversed([c for c in macro.children if c.end_byte <= body.start_byte]):
        if child.type == "preproc_params" and params is None:
            params = child
        elif child.type == "#define":
            return True, params
        elif child.type not in ("identifier", "comment"):
            return False, None
    return False, None


def _parameters(params: Node) -> Iterator[str]:
    for child in params.children:
        if child.type == "identifier" and child.text is not None:
            yield child.text.decode("utf-8", "replace")
        elif child.type == "...":
            yield "__VA_ARGS__"
        elif child.type == "variadic_parameter" and child.text is not None:  # args... (GNU)
            yield child.text.decode("utf-8", "replace").rstrip(".").strip()


def _as_string(m: re.Match[bytes]) -> bytes:
    """``#x`` as a string literal of the same length: the argument's spelling, a constant."""
    return b'"' + b" " * (len(m.group()) - 2) + b'"'


# --- calls lost to a macro statement ------------------------------------------------------------------
def lost_fragments(source: bytes, language: str, root: Node, regions: Iterable[Node], names: CandidateNames,
                   known: set[int]) -> tuple[list[Fragment], bool]:
    """A fragment for each lost call of a rule's name in ``regions`` (at most ``MAX_LOST``, and
    whether there were more); ``known`` holds the offsets of the callee names already found (and
    gets the new ones)."""
    fragments: list[Fragment] = []
    for start, end in _merged(regions):
        for m in names.calls_in(source, start, end):
            start = m.start()
            name_end = start + len(re.match(rb"[\w$]+", m.group()).group())  # type: ignore[union-attr]
            if start in known:
                continue
            node = root.descendant_for_byte_range(start, name_end)
            if node is None or node.type not in ("identifier", "type_identifier") or node.start_byte != start:
                continue  # a comment, a string, a field
            open_paren = m.end() - 1
            if _reads_as_declaration(source, start, open_paren, language):
                continue
            if len(fragments) == MAX_LOST:
                return fragments, True
            close, still_open = _closing(source, open_paren)
            known.add(start)
            fragment = _PREFIX + source[start:close] + b")" * still_open + _SUFFIX
            fragments.append(Fragment(parse(language, fragment), fragment, start - len(_PREFIX), close, frozenset(),
                                      len(_PREFIX)))
    return fragments, False


def _merged(regions: Iterable[Node]) -> list[tuple[int, int]]:
    """The byte ranges of ``regions``, overlapping ones merged (ERROR nodes nest), in order."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted((r.start_byte, r.end_byte) for r in regions):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _reads_as_declaration(source: bytes, start: int, open_paren: int, language: str) -> bool:
    """A prototype (``int system(const char *);``, ``FILE *popen(...)``), a member (``o.system(``),
    another namespace's function (``ns::system(``) or, in C++, a variable constructed in place
    (``Runner system(cmd);``)."""
    if _TYPE_START.match(source, open_paren + 1):
        return True
    line_start = source.rfind(b"\n", 0, start) + 1
    before = source[line_start:start].rstrip()
    if before.endswith((b".", b"->")):
        return True
    if before.endswith(b"::"):
        scope = _WORD_BEFORE.search(before[:-2])
        return scope is not None and scope.group(1) != b"std"
    if before.endswith(b"*"):
        before = before[:-1].rstrip()
        word = _WORD_BEFORE.search(before)
        return word is not None and before[:word.start()].strip() in (b"", b"static", b"extern", b"const")
    word = _WORD_BEFORE.search(before)
    if word is None:
        return False
    if _TYPE_WORD.fullmatch(word.group(1)):
        return True
    return language == "cpp" and word.group(1) not in (b"return", b"else", b"do", b"case", b"throw", b"co_return")


def _still_open(text: bytes) -> int:
    """Parentheses ``text`` leaves open, strings, characters and comments aside."""
    depth = 0
    for m in _PUNCTUATION.finditer(text):
        depth += (m.group() == b"(") - (m.group() == b")") if depth or m.group() != b")" else 0
    return depth


def _closing(source: bytes, open_paren: int) -> tuple[int, int]:
    """Where the call opened at ``open_paren`` ends: the offset just past its ``)``, skipping
    strings, characters and comments, and 0; or, where it does not close before a ``;``, ``{`` or
    ``}`` or within ``_MAX_CALL`` bytes, the offset of that stop and the number of parentheses
    still open there (closed by the caller, so that tree-sitter sees a whole call)."""
    depth, end = 0, min(len(source), open_paren + _MAX_CALL)
    m = _PUNCTUATION.search(source, open_paren, end)
    while m is not None:
        token = m.group()
        if token == b"(":
            depth += 1
        elif token == b")":
            depth -= 1
            if depth == 0:
                return m.end(), 0
        elif token in (b";", b"{", b"}"):
            return m.start(), depth
        m = _PUNCTUATION.search(source, m.end(), end)  # strings, characters and comments are skipped whole
    return end, depth
