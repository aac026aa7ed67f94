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
"""

from __future__ import annotations

from tree_sitter import Node, Tree

from entropy_lint.callsite import Arg, CallSite
from entropy_lint.detect.nodes import call_site, text_of, walk

_CALLS = frozenset({"call_expression"})
_CLASSES = frozenset({"class_specifier", "struct_specifier", "union_specifier"})
_STRINGS = frozenset({"string_literal", "raw_string_literal", "concatenated_string", "user_defined_literal"})
_CONSTANTS = frozenset({"number_literal", "char_literal", "true", "false", "null", "nullptr", "sizeof_expression",
                        "alignof_expression"})
_WRAPPERS = frozenset({"parenthesized_expression", "cast_expression"})
# gettext-style wrappers whose string argument is the constant that matters (Flawfinder's
# strip_i18n: translators are trusted not to insert format directives): name -> argument index.
_I18N = {"_": 0, "N_": 0, "gettext": 0, "ngettext": 0, "dgettext": 1, "dcgettext": 1, "dngettext": 1}
# C++ calls that build a string at run time from their arguments.
_FORMATTERS = frozenset({"format", "fmt::format", "absl::StrCat", "absl::StrFormat"})
_STRING_TYPES = frozenset({"string", "wstring", "string_view"})  # std::string("...") + x is concatenation


def extract(tree: Tree, source: bytes, language: str = "c") -> list[CallSite]:
    root = tree.root_node
    members = _member_functions(root) if language == "cpp" else {}
    known = set().union(*members.values()) if members else set()
    sites = []
    for node in walk(root, _CALLS):
        site = _call(node)
        if site is None:
            continue
        if site.qualname in known and _calls_own_method(node, site.qualname, members):
            continue
        sites.append(site)
    return sites


def _call(node: Node) -> CallSite | None:
    callee = _callee(node.child_by_field_name("function"))
    if callee is None:
        return None
    qualname, name_node, receiver = callee
    arguments = node.child_by_field_name("arguments")
    args = tuple(_arg(a) for a in arguments.named_children if a.type != "comment") if arguments is not None else ()
    return call_site("call", qualname, node, name_node, receiver, args)


def _callee(node: Node | None) -> tuple[str, Node, str] | None:
    """(qualname, name identifier, receiver text) for the callee expressions that name a function."""
    if node is None:
        return None
    if node.type == "identifier":
        return text_of(node), node, ""
    if node.type == "parenthesized_expression" and node.named_child_count == 1:
        return _callee(node.named_children[0])  # (system)(cmd) dodges a macro but is still system
    if node.type == "template_function":
        name = node.child_by_field_name("name")
        return (text_of(name), name, "") if name is not None and name.type == "identifier" else None
    if node.type == "qualified_identifier":
        return _qualified(node)
    if node.type == "field_expression":
        field = node.child_by_field_name("field")
        receiver = text_of(node.child_by_field_name("argument"))
        operator = text_of(node.child_by_field_name("operator"))
        if field is None:
            return None
        return f"{receiver}{operator}{text_of(field)}", field, receiver
    return None  # (*fp)(x), table[i](x): no name to match


def _qualified(node: Node) -> tuple[str, Node, str] | None:
    """``a::b::f`` as written, less a leading ``::`` and a leading ``std`` namespace."""
    scopes: list[str] = []
    while node.type == "qualified_identifier":
        scope = node.child_by_field_name("scope")
        if scope is not None:
            scopes.append(text_of(scope))
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


def _declared_function(member: Node) -> str | None:
    if member.type == "template_declaration":
        inner = [c for c in member.named_children if c.type in ("field_declaration", "function_definition", "declaration")]
        return _declared_function(inner[0]) if inner else None
    if member.type not in ("field_declaration", "function_definition", "declaration"):
        return None
    declarator = member.child_by_field_name("declarator")
    while declarator is not None and declarator.type != "function_declarator":
        declarator = declarator.child_by_field_name("declarator")  # through pointer/reference declarators
    if declarator is None:
        return None  # a data member such as ``int system;``
    name = declarator.child_by_field_name("declarator")
    return text_of(name) if name is not None and name.type in ("identifier", "field_identifier") else None


def _calls_own_method(node: Node, name: str, members: dict[str, set[str]]) -> bool:
    """Whether an unqualified call sits in a member function of a class declaring ``name``."""
    parent = node.parent
    while parent is not None:
        if parent.type == "function_definition":
            owner = _owner(parent)
            if owner is not None and name in members.get(owner, ()):
                return True
        parent = parent.parent
    return False


def _owner(function: Node) -> str | None:
    """The class a member function belongs to: the class body around it, or ``A::`` in its name."""
    up = function.parent
    if up is not None and up.type == "template_declaration":
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


def _arg(node: Node) -> Arg:
    literal, value = literal_value(node)
    return Arg(text=text_of(node), node_type=node.type, start=node.start_byte, end=node.end_byte,
               literal=literal, value=value, dynamic_string=is_dynamic_string(node))


def literal_value(node: Node | None) -> tuple[bool, str | None]:
    """(is it a constant, its string content if a string). Adjacent literals and macros between
    them (``"%" PRIu64``) are joined at compile time, so they are constants too."""
    if node is None:
        return False, None
    if node.type in _CONSTANTS:
        return True, None
    if node.type == "string_literal":
        return True, "".join(text_of(c) for c in node.named_children if c.type in ("string_content", "escape_sequence"))
    if node.type == "raw_string_literal":
        return True, "".join(text_of(c) for c in node.named_children if c.type == "raw_string_content")
    if node.type == "user_defined_literal":
        return literal_value(node.named_children[0]) if node.named_children else (True, None)
    if node.type == "concatenated_string":
        parts = [literal_value(c) if c.type != "identifier" else (True, "") for c in node.named_children]
        return (True, "".join(v or "" for _, v in parts)) if all(ok for ok, _ in parts) else (False, None)
    if node.type == "unary_expression" and text_of(node.child_by_field_name("operator")) in ("-", "+", "~"):
        return literal_value(node.child_by_field_name("argument"))
    if node.type in _WRAPPERS:
        return literal_value(node.child_by_field_name("value") if node.type == "cast_expression" else _only_child(node))
    if node.type == "call_expression":
        return _translated(node)
    return False, None


def _translated(node: Node) -> tuple[bool, str | None]:
    """``_("text")``, ``gettext("text")``: a constant message from the translation catalog."""
    function = node.child_by_field_name("function")
    index = _I18N.get(text_of(function)) if function is not None and function.type == "identifier" else None
    arguments = node.child_by_field_name("arguments")
    if index is None or arguments is None:
        return False, None
    args = [a for a in arguments.named_children if a.type != "comment"]
    if index < len(args) and args[index].type in _STRINGS:
        return literal_value(args[index])
    return False, None


def _only_child(node: Node) -> Node | None:
    children = [c for c in node.named_children if c.type != "comment"]
    return children[0] if len(children) == 1 else None


def is_dynamic_string(node: Node) -> bool:
    """A string built at run time in the expression itself: C++ ``"..." + s``, ``(a + b).c_str()``,
    ``std::format(...)``. A buffer filled by an earlier ``sprintf`` cannot be seen from here."""
    if node.type == "binary_expression" and text_of(node.child_by_field_name("operator")) == "+":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        return any(side is not None and _stringish(side) for side in (left, right))
    if node.type in _WRAPPERS:
        inner = node.child_by_field_name("value") if node.type == "cast_expression" else _only_child(node)
        return inner is not None and is_dynamic_string(inner)
    if node.type == "call_expression":
        callee = _callee(node.child_by_field_name("function"))
        if callee is None:
            return False
        qualname, name, _ = callee
        if text_of(name) in ("c_str", "data"):
            function = node.child_by_field_name("function")
            obj = function.child_by_field_name("argument") if function is not None else None
            return obj is not None and is_dynamic_string(obj)
        return qualname in _FORMATTERS
    return False


def _stringish(node: Node) -> bool:
    if node.type in _STRINGS or is_dynamic_string(node):
        return True
    callee = _callee(node.child_by_field_name("function")) if node.type == "call_expression" else None
    return callee is not None and callee[0] in _STRING_TYPES
