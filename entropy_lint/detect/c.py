"""C and C++ call sites (tree-sitter-c for "c", tree-sitter-cpp for "cpp").

C has no imports to resolve; what matters is telling a call of the C library function apart
from a look-alike. So the qualname is the callee as written, except that the standard library's
own spellings collapse to the plain name: ``std::strcpy``, ``::system`` and ``::std::getenv``
become ``strcpy``, ``system`` and ``getenv``. Everything else keeps its text, so
``ns::other::system``, ``obj.system`` and ``p->strcpy`` never match a rule named ``system``.
Declarations (``char *gets(char *);``), ``#define`` bodies and struct fields are not
``call_expression`` nodes, so they never become call sites.

In C++, an unqualified call inside a member function of a class that declares a method of the
same name calls that method, not the C library (``void A::run() { system(cmd); }`` where ``A``
declares ``system``); those are dropped.

Linted code is hostile input, so nothing here recurses on the tree's shape: the tree is walked
with a cursor, ``+`` chains, parentheses, casts and callee wrappers are unwound in loops, and the
one helper that must recurse (a string built inside nested expressions) stops at ``MAX_DEPTH``
levels. An argument cut there counts as not a constant, so a rule errs towards reporting, and one
note per line says so. Texts copied out of the file (a call's, an argument's, a receiver's) stop at
``MAX_TEXT`` bytes: calls nested a thousand deep would otherwise copy the file once per level.
"""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node, Tree

from entropy_lint.callsite import Arg, CallSite
from entropy_lint.detect.nodes import call_site, sum_operands, text_of, walk

# Deepest expression nesting the recursive helper follows: a few frames per level stays far below
# Python's default recursion limit of 1,000, whatever the caller's own stack.
MAX_DEPTH = 200
# Longest text kept for a call, an argument or a receiver. Rules read short texts (a size, NULL,
# a name); a string literal's value is read from its own node, whole.
MAX_TEXT = 512

_CLASSES = frozenset({"class_specifier", "struct_specifier", "union_specifier"})
_STRINGS = frozenset({"string_literal", "raw_string_literal", "concatenated_string", "user_defined_literal"})
_CONSTANTS = frozenset({"number_literal", "char_literal", "true", "false", "null", "nullptr", "sizeof_expression",
                        "alignof_expression"})
_WRAPPERS = frozenset({"parenthesized_expression", "cast_expression"})
_SIGNS = frozenset({"-", "+", "~"})
# gettext-style wrappers whose string argument is the constant that matters (Flawfinder's
# strip_i18n: translators are trusted not to insert format directives): name -> argument index.
_I18N = {"_": 0, "N_": 0, "gettext": 0, "ngettext": 0, "dgettext": 1, "dcgettext": 1, "dngettext": 1}
# C++ calls that build a string at run time from their arguments.
_FORMATTERS = frozenset({"format", "fmt::format", "absl::StrCat", "absl::StrFormat"})
_STRING_TYPES = frozenset({"string", "wstring", "string_view"})  # std::string("...") + x is concatenation


def extract(tree: Tree, source: bytes, language: str = "c", notes: list[str] | None = None) -> list[CallSite]:
    """Every call site in the tree, in source order. ``notes`` gets one sentence per line where an
    expression was too deep to analyse whole."""
    file = _File(source)
    root = tree.root_node
    members = _member_functions(root) if language == "cpp" else {}
    known = set().union(*members.values()) if members else set()
    owners: dict[int, str | None] = {}
    sites = []
    for node, functions in _calls_in_functions(root):
        site = file.call(node)
        if site is None:
            continue
        if site.qualname in known and _calls_own_method(functions, site.qualname, members, owners):
            continue
        sites.append(site)
    if notes is not None:
        notes.extend(f"expression nesting deeper than {MAX_DEPTH} levels at line {row + 1}; analysed as far as "
                     "safely possible" for row in sorted(set(file.cut_rows)))
    return sites


def _calls_in_functions(root: Node) -> Iterator[tuple[Node, list[Node]]]:
    """Every call node, in order, with the function definitions around it (outermost first). One
    cursor pass: ``Node.parent`` costs a descent from the root each time, which deep trees cannot
    afford per call."""
    functions: list[tuple[int, Node]] = []  # (depth, function_definition)
    cursor = root.walk()
    depth = 0
    while True:
        node = cursor.node
        while functions and functions[-1][0] >= depth:
            functions.pop()
        if node is not None:
            if node.type == "function_definition":
                functions.append((depth, node))
            elif node.type == "call_expression":
                yield node, [f for _, f in functions]
        if cursor.goto_first_child():
            depth += 1
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return
            depth -= 1


class _TooDeep(Exception):
    """An expression nested deeper than ``MAX_DEPTH``: analysed no further."""

    def __init__(self, node: Node) -> None:
        super().__init__(node.start_point[0])
        self.row = node.start_point[0]


class _File:
    """One file's source, for bounded texts, and the rows where analysis was cut."""

    def __init__(self, source: bytes) -> None:
        self.source = source
        self.cut_rows: list[int] = []

    def text(self, node: Node | None) -> str:
        if node is None:
            return ""
        end = min(node.end_byte, node.start_byte + MAX_TEXT)
        return self.source[node.start_byte:end].decode("utf-8", "replace")

    def call(self, node: Node) -> CallSite | None:
        callee = _callee(node.child_by_field_name("function"), self)
        if callee is None:
            return None
        qualname, name_node, receiver = callee
        arguments = node.child_by_field_name("arguments")
        args = tuple(self.arg(a) for a in arguments.named_children if a.type != "comment") if arguments is not None else ()
        return call_site("call", qualname, node, name_node, receiver, args, text=self.text(node))

    def arg(self, node: Node) -> Arg:
        literal, value = literal_value(node)
        try:
            dynamic = is_dynamic_string(node, self)
        except _TooDeep as cut:
            self.cut_rows.append(cut.row)
            literal, value, dynamic = False, None, False  # not analysed: never passed as a constant
        return Arg(text=self.text(node), node_type=node.type, start=node.start_byte, end=node.end_byte,
                   literal=literal, value=value, dynamic_string=dynamic)


def _callee(node: Node | None, file: _File) -> tuple[str, Node, str] | None:
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
        return _qualified(node, file)
    if node.type == "field_expression":
        field = node.child_by_field_name("field")
        receiver = file.text(node.child_by_field_name("argument"))
        operator = text_of(node.child_by_field_name("operator"))
        if field is None:
            return None
        return f"{receiver}{operator}{text_of(field)}", field, receiver
    return None  # (*fp)(x), table[i](x): no name to match


def _qualified(node: Node, file: _File) -> tuple[str, Node, str] | None:
    """``a::b::f`` as written, less a leading ``::`` and a leading ``std`` namespace."""
    scopes: list[str] = []
    while node.type == "qualified_identifier":
        scope = node.child_by_field_name("scope")
        if scope is not None:
            scopes.append(file.text(scope))
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


def _member_functions(root: Node) -> dict[str, set[str]]:
    """Class name -> names of the member functions it declares or defines in its body."""
    members: dict[str, set[str]] = {}
    for cls in walk(root, _CLASSES):
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


def _unwrap(node: Node | None) -> Node | None:
    """``node`` less any parentheses and casts around it, unwound in a loop."""
    while node is not None and node.type in _WRAPPERS:
        node = node.child_by_field_name("value") if node.type == "cast_expression" else _only_child(node)
    return node


def literal_value(node: Node | None) -> tuple[bool, str | None]:
    """(is it a constant, its string content if a string). Adjacent literals and macros between
    them (``"%" PRIu64``) are joined at compile time, so they are constants too."""
    while node is not None and (node.type in _WRAPPERS or (
            node.type == "unary_expression" and text_of(node.child_by_field_name("operator")) in _SIGNS)):
        node = node.child_by_field_name("argument") if node.type == "unary_expression" else _unwrap(node)
    if node is None:
        return False, None
    if node.type == "call_expression":
        node = _translated(node)  # _("text"): the catalog's constant message
        if node is None:
            return False, None
    return _leaf_value(node)


def _leaf_value(node: Node) -> tuple[bool, str | None]:
    """The value of a literal (never an expression built from others, so no recursion)."""
    if node.type in _CONSTANTS:
        return True, None
    if node.type == "string_literal":
        return True, "".join(text_of(c) for c in node.named_children if c.type in ("string_content", "escape_sequence"))
    if node.type == "raw_string_literal":
        return True, "".join(text_of(c) for c in node.named_children if c.type == "raw_string_content")
    if node.type == "user_defined_literal":
        inner = node.named_children[0] if node.named_children else None
        return _leaf_value(inner) if inner is not None and inner.type in _STRINGS else (True, None)
    if node.type == "concatenated_string":  # its parts are literals and macro names, never nested
        parts = [(True, "") if c.type == "identifier" else _leaf_value(c) for c in node.named_children]
        return (True, "".join(v or "" for _, v in parts)) if all(ok for ok, _ in parts) else (False, None)
    return False, None


def _translated(node: Node) -> Node | None:
    """The string argument of ``_("text")``, ``gettext("text")``: a constant message from the catalog."""
    function = node.child_by_field_name("function")
    index = _I18N.get(text_of(function)) if function is not None and function.type == "identifier" else None
    arguments = node.child_by_field_name("arguments")
    if index is None or arguments is None:
        return None
    args = [a for a in arguments.named_children if a.type != "comment"]
    return args[index] if index < len(args) and args[index].type in _STRINGS else None


def _only_child(node: Node) -> Node | None:
    children = [c for c in node.named_children if c.type != "comment"]
    return children[0] if len(children) == 1 else None


def is_dynamic_string(node: Node, file: _File, depth: int = 0) -> bool:
    """A string built at run time in the expression itself: C++ ``"..." + s``, ``(a + b).c_str()``,
    ``std::format(...)``. A buffer filled by an earlier ``sprintf`` cannot be seen from here.
    Raises ``_TooDeep`` past ``MAX_DEPTH`` nested levels (a whole ``+`` chain is one level)."""
    if depth > MAX_DEPTH:
        raise _TooDeep(node)
    inner = _unwrap(node)
    if inner is None:
        return False
    operands = sum_operands(inner)
    if operands is not None:  # a + b + c: a string when any operand is one
        return any(_stringish(operand, file, depth + 1) for operand in operands)
    if inner.type == "call_expression":
        callee = _callee(inner.child_by_field_name("function"), file)
        if callee is None:
            return False
        qualname, name, _ = callee
        if text_of(name) in ("c_str", "data"):
            function = inner.child_by_field_name("function")
            obj = function.child_by_field_name("argument") if function is not None else None
            return obj is not None and is_dynamic_string(obj, file, depth + 1)
        return qualname in _FORMATTERS
    return False


def _stringish(node: Node, file: _File, depth: int) -> bool:
    if node.type in _STRINGS or is_dynamic_string(node, file, depth):
        return True
    callee = _callee(node.child_by_field_name("function"), file) if node.type == "call_expression" else None
    return callee is not None and callee[0] in _STRING_TYPES
