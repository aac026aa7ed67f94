"""C and C++ call sites (tree-sitter-c for "c", tree-sitter-cpp for "cpp").

C has no imports to resolve; what matters is telling a call of the C library function apart
from a look-alike. So the qualname is the callee as written, except that the standard library's
own spellings collapse to the plain name: ``std::strcpy``, ``::system`` and ``::std::getenv``
become ``strcpy``, ``system`` and ``getenv``. Everything else keeps its text, so
``ns::other::system``, ``obj.system`` and ``p->strcpy`` never match a rule named ``system``.
Declarations (``char *gets(char *);``) and struct fields are not calls.

The sites returned are the calls whose name (the last part of the callee) is one a C rule
matches: C rules match by name alone, and building a site with its arguments' values for each
of the other calls (nine in ten in real code) was most of the extraction time. The names come
from the rule catalog, the rules ``detect()`` uses.

Besides the tree's call nodes, two kinds of call are recovered (``c_recover``): calls in
``#define`` bodies, which tree-sitter keeps as text (reported where they are written, with the
macro's parameters as values that each use decides), and calls that a bare macro statement
turned into a declaration or an ERROR node. Both are looked for only where a C rule's name
appears, so they cost nothing elsewhere. ``worth_parsing`` tells, before any parse, whether a
file holds a rule's name at all.

Arguments carry what the value analysis (``c_values``) proves: constants through macros and
variables, and the declared size of a buffer.

In C++, an unqualified call inside a member function of a class that declares a method of the
same name calls that method, not the C library (``void A::run() { system(cmd); }`` where ``A``
declares ``system``); those are dropped.

Linted code is hostile input, so nothing here recurses on the tree's shape: the tree is searched
with a query (in C, not Python; ``c_search`` walks trees too deep for it, and says so), enclosing
functions come from one sweep over sorted ranges,
``+`` chains, parentheses, casts and callee wrappers are unwound in loops, and the helpers that
must recurse (values of nested expressions, a C++ string built inside nested ones) stop at
``MAX_DEPTH`` levels. An argument cut there counts as not a constant, so a rule errs towards
reporting, and one note per line says so. Texts copied out of the file (a call's, an argument's,
a receiver's) stop at ``MAX_TEXT`` bytes: calls nested a thousand deep would otherwise copy the
file once per level.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator
from types import MappingProxyType
from typing import NamedTuple

from tree_sitter import Node, Tree

from entropy_lint.callsite import CallSite, FileFacts
from entropy_lint.detect.c_recover import (MAX_LOST, CandidateNames, Fragment, candidates_for, lost_fragments,
                                           macro_fragments)
from entropy_lint.detect.c_search import DEEPEST, search
from entropy_lint.detect.c_consts import STRINGS, evaluate, tokens, unwrap
from entropy_lint.detect.c_uses import MAX_NAMES
from entropy_lint.detect.c_values import MAX_DEPTH, UNKNOWN, Scope, TooDeep, Values
from entropy_lint.detect.nodes import sum_operands, text_of
from entropy_lint.rules.c_refine import CArg, only_tested

__all__ = ["MAX_DEPTH", "MAX_TEXT", "extract", "worth_parsing"]

DEEP_NOTE = (f"syntax tree deeper than {DEEPEST} levels: searched with a slower walk; names not followed and calls "
             "hidden by macro statements not recovered in this file")
# Longest text kept for a call, an argument or a receiver. Rules read short texts (a size, NULL,
# a name); a string literal's value is read from its own nodes, whole.
MAX_TEXT = 512

# C++ calls that build a string at run time from their arguments.
_FORMATTERS = frozenset({"format", "fmt::format", "absl::StrCat", "absl::StrFormat"})
_NEWLINE = re.compile(b"\n")
_ENVIRONMENT_READS = frozenset({"getenv", "secure_getenv"})
_COPIES = frozenset({"strcpy", "wcscpy", "stpcpy", "strcat", "wcscat"})  # sites that may ask a field's size
_MAX_FIELDS = 4000  # array fields read per file
_MAX_TESTED_USES = 64  # uses of a variable read to see whether it is only tested
_MAX_TESTED_READS = 256  # getenv() calls per file whose variable's uses are read
_STRING_TYPES = frozenset({"string", "wstring", "string_view"})  # std::string("...") + x is concatenation


def extract(tree: Tree, source: bytes, language: str = "c", notes: list[str] | None = None) -> list[CallSite]:
    """The call sites a C rule can match, in source order, with the calls recovered from macro
    bodies and mis-parsed regions. ``notes`` gets one sentence per line where an expression was
    too deep to analyse whole."""
    file = _File(tree, source, language)
    sites = file.sites()
    fields = file.field_sizes() if any(s.name in _COPIES for s in sites) else {}
    if file.only_tested or fields:
        facts = FileFacts(only_tested=frozenset(file.only_tested), field_sizes=MappingProxyType(fields))
        sites = [site.with_facts(facts) for site in sites]
    if notes is not None:
        notes.extend(f"expression nesting deeper than {MAX_DEPTH} levels at line {row + 1}; analysed as far as "
                     "safely possible" for row in sorted(set(file.cut_rows)))
        if file.deep:
            notes.append(DEEP_NOTE)
        if file.too_many_lost:
            notes.append(f"more than {MAX_LOST} calls hidden by macro statements; the rest were not recovered")
        if file.values.exhausted:
            notes.append(f"more than {MAX_NAMES} names to follow in one file; the rest were taken for values "
                         "that are not constants")
    return sites


def worth_parsing(source: bytes, language: str = "c") -> bool:
    """Whether any C rule can match a call in ``source``. A call matches only by its name, and C
    has no imports or aliases, so a file in which no rule's name appears as a word has no finding:
    detection may skip parsing it (for the built-in rules; the name search costs a tenth of a parse)."""
    return candidates_for(language).present(source)


class _View(NamedTuple):
    """The bytes a tree was parsed from, the offset that maps them onto the file (and the file
    offset no node maps past), the macro parameters in force, and the function (of the file's
    tree) around them."""

    source: bytes
    delta: int
    limit: int
    shadow: frozenset[str]
    function: Node | None
    literal: frozenset[str] = frozenset()  # macro parameters every use fills with a string literal

    def span(self, node: Node) -> tuple[int, int]:
        """The file's bytes of ``node``."""
        return min(node.start_byte + self.delta, self.limit), min(node.end_byte + self.delta, self.limit)

    def text(self, node: Node | None) -> str:
        if node is None:
            return ""
        return self.source[node.start_byte:min(node.end_byte, node.start_byte + MAX_TEXT)].decode("utf-8", "replace")


class _File:
    def __init__(self, tree: Tree, source: bytes, language: str) -> None:
        self.source = source
        self.language = language
        self.root = tree.root_node
        self.names: CandidateNames = candidates_for(language)
        self.cut_rows: list[int] = []
        self._candidate: dict[str, bool] = {}
        self._candidate_bytes: dict[bytes, bool] = {}
        self._lines: list[int] | None = None
        self.too_many_lost = False
        self.only_tested: set[int] = set()  # getenv() calls whose stored value is only tested (see FileFacts)
        self._tested_asked = 0
        self.captures, self.deep = search(self.root, language)
        defines: dict[str, list[str]] = {}
        for define in self.captures.get("define", []):
            name, value = define.child_by_field_name("name"), define.child_by_field_name("value")
            defines.setdefault(text_of(name), []).append(text_of(value))
        function_macros = {text_of(m.child_by_field_name("name")) for m in self.captures.get("macro", [])}
        self.values = Values(source, self.root, defines, function_macros)

    def sites(self) -> list[CallSite]:
        members = _member_functions(self.captures.get("class", [])) if self.language == "cpp" else {}
        known_members = set().union(*members.values()) if members else set()
        owners: dict[int, str | None] = {}
        functions = sorted(self.captures.get("function", []), key=_order)
        calls = sorted((c for c in self.captures.get("call", []) if self._may_match(c)), key=_order)
        sites: list[CallSite] = []
        found: set[int] = set()  # offsets of the callee names of the calls a rule can match
        for node, enclosing in _enclosing(calls, functions):
            site = self.call(node, _View(self.source, 0, len(self.source), frozenset(), enclosing[0] if enclosing else None))
            if site is None:
                continue
            found.add(site.name_start)
            if site.qualname in known_members and _calls_own_method(enclosing, site.qualname, members, owners):
                continue
            sites.append(site)
        for fragment in macro_fragments(self.source, self.language, self.captures.get("body", []), self.names):
            sites.extend(self.fragment_sites(fragment, None))
        regions = self.captures.get("suspect", [])
        if regions and not self.deep:  # each lost call costs descents of the tree
            fragments, self.too_many_lost = lost_fragments(self.source, self.language, self.root, regions, self.names,
                                                           found)
            for fragment in fragments:
                function = _outermost(functions, fragment.delta + fragment.only)
                sites.extend(site for site in self.fragment_sites(fragment, function)
                             if not (function is not None and site.qualname in known_members
                                     and _calls_own_method([function], site.qualname, members, owners)))
        sites.sort(key=lambda s: (s.start, -s.end))
        return sites

    def fragment_sites(self, fragment: Fragment, function: Node | None) -> Iterator[CallSite]:
        view = _View(fragment.source, fragment.delta, fragment.limit, fragment.shadow, function, fragment.literal)
        found, _ = search(fragment.tree.root_node, self.language)
        for node in sorted(found.get("call", []), key=_order):
            callee = node.child_by_field_name("function")
            if fragment.only >= 0 and (callee is None or callee.start_byte != fragment.only):
                continue
            site = self.call(node, view)
            if site is not None:
                yield site

    def call(self, node: Node, view: _View) -> CallSite | None:
        """The site of a call a C rule can match, else None."""
        callee = _callee(node.child_by_field_name("function"), view)
        if callee is None or not self._is_candidate(callee[0]):
            return None
        qualname, name, receiver = callee
        start, end = view.span(node)
        scope = Scope(view.function, start, end, view.shadow, follow=not self.deep, literal=view.literal)
        arguments = node.child_by_field_name("arguments")
        args = tuple(self.arg(a, view, scope) for a in arguments.named_children if a.type != "comment") if arguments else ()
        row = node.start_point[0] if view.delta == 0 else self.row(start)
        if qualname in _ENVIRONMENT_READS and view.delta == 0 and self._tested_asked < _MAX_TESTED_READS:
            self._tested_asked += 1
            if self._stored_and_only_tested(node, view.function):
                self.only_tested.add(start)
        return CallSite(kind="call", qualname=qualname, name=text_of(name), receiver=receiver, args=args, start=start,
                        end=end, name_start=name.start_byte + view.delta, name_end=name.end_byte + view.delta, row=row,
                        text=view.text(node), source=self.source)  # the file's bytes: what is around the call

    def arg(self, node: Node, view: _View, scope: Scope) -> CArg:
        try:
            val = self.values.value(node, scope)
            dynamic = self.language == "cpp" and is_dynamic_string(node, view)  # C has no string +
        except TooDeep:  # noted at the argument's line, wherever the chain it leads into was cut
            self.cut_rows.append(self.row(node.start_byte + view.delta) if view.delta else node.start_point[0])
            val, dynamic = UNKNOWN, False  # not analysed: never passed as a constant
        start, end = view.span(node)
        return CArg(text=view.text(node), node_type=node.type, start=start, end=end,
                    literal=val.constant, value=val.string if val.constant else None,
                    dynamic_string=dynamic, number=val.number, size=val.size, size_text=val.size_text,
                    macro_parameter=val.macro_parameter)

    def _stored_and_only_tested(self, call: Node, function: Node | None) -> bool:
        """``char *p = getenv("X");`` (or ``p = getenv("X")``) where every later use of ``p`` in the
        function only decides a branch, is compared as a string or is read as a number
        (``if (!p || !*p)``, ``strcmp(p, "screen")``, ``atoi(p)``): nothing of its length or content
        reaches a buffer. A use the text shows any other way, or too many uses, and it is not."""
        child, parent = call, call.parent
        while parent is not None and parent.type in ("parenthesized_expression", "cast_expression"):
            child, parent = parent, parent.parent
        target: Node | None = None
        if parent is not None and parent.type == "init_declarator" and parent.child_by_field_name("value") == child:
            target = parent.child_by_field_name("declarator")
            while target is not None and target.type == "pointer_declarator":
                target = target.child_by_field_name("declarator")
        elif parent is not None and parent.type == "assignment_expression" and \
                parent.child_by_field_name("right") == child and text_of(parent.child_by_field_name("operator")) == "=":
            target = parent.child_by_field_name("left")
            declared = re.compile(rb"\*\s*" + re.escape(target.text or b"") + rb"\s*[;=,)]" if target is not None else b"^$")
            if function is None or declared.search(self.source, function.start_byte, call.start_byte) is None:
                return False  # a global, or a variable declared elsewhere: its other uses are not in this function
        if function is None or target is None or target.type != "identifier":
            return False
        name = re.escape(target.text or b"")
        word = re.compile(rb"(?<![\w$.>])" + name + rb"(?![\w$])")
        uses = list(itertools.islice(word.finditer(self.source, target.end_byte, function.end_byte), _MAX_TESTED_USES + 1))
        if len(uses) > _MAX_TESTED_USES:
            return False
        for use in uses:
            line_start = self.source.rfind(b"\n", 0, use.start()) + 1
            line_end = self.source.find(b"\n", use.end())
            before = self.source[line_start:use.start()].decode("utf-8", "replace")
            after = self.source[use.end():line_end if line_end >= 0 else len(self.source)].decode("utf-8", "replace")
            if re.match(r"\s*=(?!=)", after):
                continue  # p = something else: a write, not a use of this value
            before = re.sub(r"(?<![\w)\]])\*\s*$", "", before)  # *p: its first character
            after = re.sub(r"^\s*\[\s*0\s*\]", "", after)  # p[0]
            if not (only_tested(before, after) or re.match(r"\s*\?", after)):  # or p ? a : b
                return False
        return True

    def field_sizes(self) -> dict[str, int]:
        """The elements of each array field the file's structs and unions declare with a constant size
        (``char script_name[256];``), by field name; the smallest where two declare one name."""
        sizes: dict[str, int] = {}
        scope = Scope(None, 0, 0)
        for declarator in self.captures.get("field", [])[:_MAX_FIELDS]:
            name, size = declarator.child_by_field_name("declarator"), declarator.child_by_field_name("size")
            if name is None or size is None or name.type != "field_identifier":
                continue
            toks = tokens(text_of(size))
            try:
                number = evaluate(toks, lambda n: self.values.name(n, scope).number) if toks else None
            except TooDeep:
                number = None
            if number is not None and number > 0:
                key = text_of(name)
                sizes[key] = min(number, sizes.get(key, number))
        for other in (*self.captures.get("pointer_field", []), *self.captures.get("plain_field", [])):
            named: Node | None = other
            while named is not None and named.type == "pointer_declarator":
                named = named.child_by_field_name("declarator")
            sizes.pop(text_of(named), None)  # a field of that name that is not an array: which one is it?
        return sizes

    def row(self, offset: int) -> int:
        """The 0-based line of a file offset, counted as tree-sitter counts them (at each LF)."""
        if self._lines is None:
            self._lines = [m.start() for m in _NEWLINE.finditer(self.source)]
        return bisect.bisect_left(self._lines, offset)

    def _may_match(self, call: Node) -> bool:
        """A quick look at the callee's last name, before any text is decoded: most calls are
        ruled out here."""
        node = call.child_by_field_name("function")
        if node is None:
            return False
        if node.type == "field_expression":
            node = node.child_by_field_name("field")
        elif node.type == "qualified_identifier":
            node = node.child_by_field_name("name")
        if node is None or node.type not in ("identifier", "field_identifier"):
            return True  # (system)(x), templates: the full look decides
        name = node.text or b""
        if name not in self._candidate_bytes:
            self._candidate_bytes[name] = self.names.everything or self.names.name.fullmatch(name) is not None
        return self._candidate_bytes[name]

    def _is_candidate(self, qualname: str) -> bool:
        """Whether a C rule can match this callee, by the last part of its name."""
        if qualname not in self._candidate:
            last = qualname.rsplit("::", 1)[-1].rsplit(".", 1)[-1].rsplit(">", 1)[-1]
            self._candidate[qualname] = self.names.everything or self.names.name.fullmatch(last.encode()) is not None
        return self._candidate[qualname]


def _order(node: Node) -> tuple[int, int]:
    return node.start_byte, -node.end_byte


def _enclosing(calls: list[Node], functions: list[Node]) -> Iterator[tuple[Node, list[Node]]]:
    """Each call with the function definitions around it, outermost first (the list is live: read
    it before the next item). One sweep over both lists, sorted by start: ``Node.parent`` costs a
    descent from the root each time, which deep trees cannot afford per call."""
    stack: list[Node] = []
    j = 0
    for call in calls:
        while j < len(functions) and functions[j].start_byte <= call.start_byte:
            function = functions[j]
            j += 1
            while stack and stack[-1].end_byte <= function.start_byte:
                stack.pop()
            stack.append(function)
        while stack and stack[-1].end_byte <= call.start_byte:
            stack.pop()
        yield call, stack


def _outermost(functions: list[Node], offset: int) -> Node | None:
    """The outermost function definition (of ``functions``, sorted) whose bytes hold ``offset``."""
    return next((f for f in functions if f.start_byte <= offset < f.end_byte), None)


def _callee(node: Node | None, view: _View) -> tuple[str, Node, str] | None:
    """(qualname, name identifier, receiver text) for the callee expressions that name a function."""
    while node is not None and node.type == "parenthesized_expression" and node.named_child_count == 1:
        node = node.named_children[0]  # (system)(cmd) dodges a macro but is still system
    if node is None:
        return None
    if node.type == "identifier":
        return text_of(node), node, ""
    if node.type == "template_function":
        name = node.child_by_field_name("name")
        return (text_of(name), name, "") if name is not None and name.type == "identifier" else None
    if node.type == "qualified_identifier":
        return _qualified(node, view)
    if node.type == "field_expression":
        field = node.child_by_field_name("field")
        receiver = view.text(node.child_by_field_name("argument"))
        operator = text_of(node.child_by_field_name("operator"))
        if field is None:
            return None
        return f"{receiver}{operator}{text_of(field)}", field, receiver
    return None  # (*fp)(x), table[i](x): no name to match


def _qualified(node: Node, view: _View) -> tuple[str, Node, str] | None:
    """``a::b::f`` as written, less a leading ``::`` and a leading ``std`` namespace."""
    scopes: list[str] = []
    while node.type == "qualified_identifier":
        scope = node.child_by_field_name("scope")
        if scope is not None:
            scopes.append(view.text(scope))
        name = node.child_by_field_name("name")
        if name is None:
            return None
        node = name
    if node.type == "template_function":
        node = node.child_by_field_name("name")  # type: ignore[assignment]
    if node is None or node.type != "identifier":
        return None  # destructors, operators
    if scopes[:1] == ["std"]:
        scopes = scopes[1:]
    receiver = "::".join(scopes)
    return (f"{receiver}::{text_of(node)}" if receiver else text_of(node)), node, receiver


def _member_functions(classes: Iterable[Node]) -> dict[str, set[str]]:
    """Class name -> names of the member functions it declares or defines in its body."""
    members: dict[str, set[str]] = {}
    for cls in classes:
        body = cls.child_by_field_name("body")
        if body is None:
            continue
        names = {n for member in body.named_children if (n := _declared_function(member))}
        if names:
            members.setdefault(text_of(cls.child_by_field_name("name")), set()).update(names)
    return members


def _declared_function(member: Node | None) -> str | None:
    while member is not None and member.type == "template_declaration":  # template<..> template<..> ...
        member = next((c for c in member.named_children
                       if c.type in ("field_declaration", "function_definition", "declaration", "template_declaration")),
                      None)
    if member is None or member.type not in ("field_declaration", "function_definition", "declaration"):
        return None
    declarator = member.child_by_field_name("declarator")
    while declarator is not None and declarator.type != "function_declarator":
        declarator = declarator.child_by_field_name("declarator")  # through pointer/reference declarators
    if declarator is None:
        return None  # a data member such as ``int system;``
    name = declarator.child_by_field_name("declarator")
    return text_of(name) if name is not None and name.type in ("identifier", "field_identifier") else None


def _calls_own_method(functions: list[Node], name: str, members: dict[str, set[str]],
                      owners: dict[int, str | None]) -> bool:
    """Whether an unqualified call sits in a member function of a class declaring ``name``;
    ``owners`` caches each function's class by node id."""
    for function in functions:
        if function.id not in owners:
            owners[function.id] = _owner(function)
        owner = owners[function.id]
        if owner is not None and name in members.get(owner, ()):
            return True
    return False


def _owner(function: Node) -> str | None:
    """The class a member function belongs to: the class body around it, or ``A::`` in its name."""
    up = function.parent
    while up is not None and up.type == "template_declaration":
        up = up.parent
    if up is not None and up.type == "field_declaration_list" and up.parent is not None:
        return text_of(up.parent.child_by_field_name("name"))
    declarator = function.child_by_field_name("declarator")
    while declarator is not None and declarator.type != "function_declarator":
        declarator = declarator.child_by_field_name("declarator")
    name = declarator.child_by_field_name("declarator") if declarator is not None else None
    if name is not None and name.type == "qualified_identifier":
        scope = name.child_by_field_name("scope")
        return text_of(scope).split("<")[0] if scope is not None else None
    return None


def is_dynamic_string(node: Node, view: _View, depth: int = 0) -> bool:
    """A string built at run time in the expression itself: C++ ``"..." + s``, ``(a + b).c_str()``,
    ``std::format(...)``. A buffer filled by an earlier ``sprintf`` cannot be seen from here.
    Raises ``TooDeep`` past ``MAX_DEPTH`` nested levels (a whole ``+`` chain is one level)."""
    if depth > MAX_DEPTH:
        raise TooDeep(node)
    inner = unwrap(node)
    if inner is None:
        return False
    operands = sum_operands(inner)
    if operands is not None:  # a + b + c: a string when any operand is one
        return any(_stringish(operand, view, depth + 1) for operand in operands)
    if inner.type == "call_expression":
        callee = _callee(inner.child_by_field_name("function"), view)
        if callee is None:
            return False
        qualname, name, _ = callee
        if text_of(name) in ("c_str", "data"):
            function = inner.child_by_field_name("function")
            obj = function.child_by_field_name("argument") if function is not None else None
            return obj is not None and is_dynamic_string(obj, view, depth + 1)
        return qualname in _FORMATTERS
    return False


def _stringish(node: Node, view: _View, depth: int) -> bool:
    if node.type in STRINGS or is_dynamic_string(node, view, depth):
        return True
    callee = _callee(node.child_by_field_name("function"), view) if node.type == "call_expression" else None
    return callee is not None and callee[0] in _STRING_TYPES
