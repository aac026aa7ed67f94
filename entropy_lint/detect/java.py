"""Java call sites (method calls and ``new``), with receivers resolved to the types the file declares.

Qualnames use simple type names, as imports let Java code write them: ``java.io.ObjectInputStream``
becomes ``ObjectInputStream``. A receiver is replaced by its static type where the file states it
(a local variable, parameter or field declaration, ``new X(...)``, a cast), so ``in.readObject()``
after ``ObjectInputStream in = ...`` is ``ObjectInputStream.readObject``. Calls whose result type is
unknown stay as written chains (``Runtime.getRuntime().exec``), and a ``var`` initialised from such a
call takes the chain. Static imports resolve bare calls (``getRuntime()`` -> ``Runtime.getRuntime``).

Argument values follow the local data flow the file shows: ``String sql = "..." + id`` (or
``sql += ...``, or a ``StringBuilder`` fed by ``append(id)``) passed on as ``sql`` is a dynamic
string; ``final`` constants and ALL_CAPS names are constants, as the compiler folds them; numbers
and booleans concatenated into a string cannot carry text, so they do not make it dynamic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tree_sitter import Node, Tree

from entropy_lint.callsite import Arg, CallSite
from entropy_lint.detect.limits import MAX_CHAIN, Depth, guarded
from entropy_lint.detect.nodes import call_site, index_scopes, text_of, walk
from entropy_lint.detect.values import (
    CONST,
    DYN,
    OTHER,
    SAFE,
    Val,
    binary_value,
    join_values,
    plus_values,
    value_arg,
)

# Nodes that open a scope for the names declared directly inside them.
_SCOPES = frozenset({
    "program", "class_body", "interface_body", "enum_body_declarations", "record_declaration", "block",
    "constructor_body", "method_declaration", "constructor_declaration", "compact_constructor_declaration",
    "lambda_expression", "for_statement", "enhanced_for_statement", "catch_clause",
    "try_with_resources_statement", "switch_block_statement_group", "switch_rule",
})
_MEMBER_SCOPES = frozenset({"class_body", "interface_body", "enum_body_declarations", "record_declaration", "program"})
_DECLARATIONS = frozenset({
    "local_variable_declaration", "field_declaration", "constant_declaration", "formal_parameter",
    "spread_parameter", "catch_formal_parameter", "resource", "enhanced_for_statement", "lambda_expression",
    "instanceof_expression",
})
_LITERALS = frozenset({
    "decimal_integer_literal", "hex_integer_literal", "octal_integer_literal", "binary_integer_literal",
    "decimal_floating_point_literal", "hex_floating_point_literal", "true", "false", "null_literal",
    "character_literal", "class_literal",
})
_NUMERIC_TYPES = frozenset({  # no char: it can be a quote
    "int", "long", "short", "byte", "double", "float", "boolean", "Integer", "Long", "Short", "Byte", "Double",
    "Float", "Boolean", "BigInteger", "BigDecimal", "UUID",
})
_STRING_TYPES = frozenset({"String", "CharSequence"})
_BUILDERS = frozenset({"StringBuilder", "StringBuffer"})
_CONSTANT_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_ESCAPER = re.compile(r"(?i)quote|escape|sanitize|encode")


@dataclass(eq=False)
class _Decl:
    """A declared name: its simple type (None when unknown), initialiser, and where it is visible."""

    type: str | None
    init: Node | None
    start: int
    ordered: bool  # a local: visible only after its declaration
    field: bool
    final: bool


def simple_type(node: Node | None) -> str | None:
    """``java.util.List<String>`` -> ``List``; arrays and unknown shapes -> None."""
    if node is None:
        return None
    if node.type in ("type_identifier", "integral_type", "floating_point_type", "boolean_type"):
        return text_of(node)
    if node.type == "scoped_type_identifier":
        return strip_package(text_of(node).replace(" ", ""))
    if node.type == "generic_type" and node.named_children:
        return simple_type(node.named_children[0])
    return None


def strip_package(dotted: str) -> str:
    """``java.io.File`` -> ``File``; ``Map.Entry`` stays. Package names are lower case by convention."""
    parts = dotted.split(".")
    for i, part in enumerate(parts):
        if part[:1].isupper():
            return ".".join(parts[i:])
    return dotted


def _chain(base: str, suffix: list[str]) -> str:
    return ".".join([base, *reversed(suffix)])


def _is_serialization_hook(method: Node | None) -> bool:
    """A class's own ``readObject(ObjectInputStream)``: the JVM calls it while deserializing a stream that
    some other code opened, so the stream it is handed is not a new source of objects."""
    return (method is not None and method.type == "method_declaration"
            and text_of(method.child_by_field_name("name")) == "readObject")


def _is_append(node: Node | None) -> bool:
    return node is not None and node.type == "method_invocation" and text_of(node.child_by_field_name("name")) in (
        "append", "insert")


def _builder_base(node: Node | None) -> Node | None:
    """``sb`` in ``sb.append(a).append(b)``."""
    while node is not None and _is_append(node):
        node = node.child_by_field_name("object")
    return node


def _string_content(node: Node) -> str:
    raw = text_of(node)
    quote = '"""' if raw.startswith('"""') else '"'
    return raw[len(quote):-len(quote)] if len(raw) >= 2 * len(quote) else raw


class JavaFile:
    """Declarations, assignments and imports of one file, and the name/value resolution built on them."""

    def __init__(self, root: Node, source: bytes, notes: list[str] | None = None) -> None:
        self.source = source
        self.depth = Depth(notes)
        self.enclosing, self.scope_nodes = index_scopes(root, _SCOPES)
        self.scopes: dict[int, dict[str, _Decl]] = {}
        self.assigned: dict[_Decl, list[tuple[str, Node]]] = {}
        self.appended: dict[_Decl, list[Node]] = {}
        self.static_members: dict[str, str] = {}
        self.static_wildcards: list[str] = []
        self.methods: set[str] = set()
        self._imports(root)
        for node in walk(root, _DECLARATIONS | {"method_declaration"}):
            self._declare(node)
        chained: set[int] = set()  # appends already read as part of a longer chain
        for node in walk(root, frozenset({"assignment_expression", "method_invocation"})):
            if node.id not in chained:
                self._record_write(node, chained)

    # --- declarations ------------------------------------------------------------------------
    def _imports(self, root: Node) -> None:
        for node in root.named_children:
            if node.type != "import_declaration" or not any(c.type == "static" for c in node.children):
                continue
            path = next((c for c in node.named_children if c.type in ("scoped_identifier", "identifier")), None)
            if path is None:
                continue
            dotted = strip_package(text_of(path))
            if any(c.type == "asterisk" for c in node.children):
                self.static_wildcards.append(dotted)
            elif "." in dotted:
                self.static_members[dotted.rsplit(".", 1)[1]] = dotted

    def _scope_of(self, node: Node) -> Node | None:
        return self.scope_nodes.get(self.enclosing.get(node.id, 0))

    def _add(self, scope: Node | None, name: Node | None, decl: _Decl) -> None:
        if scope is not None and name is not None:
            self.scopes.setdefault(scope.id, {})[text_of(name)] = decl

    def _declare(self, node: Node) -> None:
        kind = node.type
        if kind == "method_declaration":
            self.methods.add(text_of(node.child_by_field_name("name")))
            return
        scope = node if kind in ("enhanced_for_statement", "lambda_expression") else self._scope_of(node)
        ordered = scope is not None and scope.type not in _MEMBER_SCOPES and kind not in (
            "formal_parameter", "spread_parameter", "lambda_expression")
        is_field = kind in ("field_declaration", "constant_declaration")
        if kind in ("local_variable_declaration", "field_declaration", "constant_declaration"):
            modifiers = next((c for c in node.children if c.type == "modifiers"), None)
            final = kind == "constant_declaration" or "final" in text_of(modifiers).split()
            type_name = simple_type(node.child_by_field_name("type"))
            for declarator in node.children_by_field_name("declarator"):
                init = declarator.child_by_field_name("value")
                own = None if declarator.child_by_field_name("dimensions") else type_name
                if own == "var":
                    own = self._inferred_type(init)
                self._add(scope, declarator.child_by_field_name("name"),
                          _Decl(own, init, node.start_byte, ordered, is_field, final))
        elif kind == "lambda_expression":
            params = node.child_by_field_name("parameters")
            names: list[Node] = [params] if params is not None and params.type == "identifier" else (
                [c for c in params.named_children if c.type == "identifier"] if params is not None else [])
            for name in names:
                self._add(scope, name, _Decl(None, None, node.start_byte, False, False, False))
        elif kind == "spread_parameter":
            spread = next((c for c in node.named_children if c.type == "variable_declarator"), None)
            if spread is not None:  # String... args: an array
                self._add(scope, spread.child_by_field_name("name"), _Decl(None, None, node.start_byte, False, False, False))
        elif kind == "catch_formal_parameter":
            catch_type = next((c for c in node.named_children if c.type == "catch_type"), None)
            types = catch_type.named_children if catch_type is not None else []
            self._add(scope, node.child_by_field_name("name"),
                      _Decl(simple_type(types[0]) if len(types) == 1 else None, None, node.start_byte, False, False, False))
        else:  # formal_parameter, resource, enhanced_for_statement, instanceof_expression
            type_node = node.child_by_field_name("right" if kind == "instanceof_expression" else "type")
            init = node.child_by_field_name("value") if kind == "resource" else None
            type_name = None if node.child_by_field_name("dimensions") else simple_type(type_node)
            if type_name == "var":
                type_name = self._inferred_type(init)
            if type_name == "ObjectInputStream" and _is_serialization_hook(scope):
                type_name = None  # reads inside readObject(ObjectInputStream) belong to the caller's readObject
            self._add(scope, node.child_by_field_name("name"), _Decl(type_name, init, node.start_byte, ordered, False, False))

    def _inferred_type(self, init: Node | None) -> str | None:
        """The type ``var`` stands for, when the initialiser shows it."""
        if init is None:
            return None
        if init.type in ("object_creation_expression", "cast_expression"):
            return simple_type(init.child_by_field_name("type"))
        if init.type == "method_invocation":
            return self.receiver(init)  # the call chain stands for its result: Runtime.getRuntime()
        if init.type == "string_literal":
            return "String"
        return None

    def _record_write(self, node: Node, chained: set[int]) -> None:
        if node.type == "assignment_expression":
            decl = self.lookup(node.child_by_field_name("left"))
            right = node.child_by_field_name("right")
            if decl is not None and right is not None:
                self.assigned.setdefault(decl, []).append((text_of(node.child_by_field_name("operator")), right))
            return
        if not _is_append(node):
            return
        # The outermost append of a chain comes first in the walk: read the whole chain once.
        pieces: list[Node] = []
        base: Node | None = node
        while base is not None and _is_append(base):
            chained.add(base.id)
            arguments = base.child_by_field_name("arguments")
            pieces += arguments.named_children[-1:] if arguments is not None else []  # insert(i, s): the last
            base = base.child_by_field_name("object")
        decl = self.lookup(base)
        if decl is not None:
            self.appended.setdefault(decl, []).extend(reversed(pieces))

    def lookup(self, node: Node | None) -> _Decl | None:
        """The declaration an identifier (or ``this.name``) refers to, if the file has it."""
        if node is None:
            return None
        members_only = False
        if node.type == "field_access" and text_of(node.child_by_field_name("object")) == "this":
            node, members_only = node.child_by_field_name("field"), True  # type: ignore[assignment]
        if node is None or node.type != "identifier":
            return None
        name, at = text_of(node), node.start_byte
        scope = self.enclosing.get(node.id, 0)
        while scope:
            if not members_only or self.scope_nodes[scope].type in _MEMBER_SCOPES:
                decl = self.scopes.get(scope, {}).get(name)
                if decl is not None and (not decl.ordered or decl.start < at):
                    return decl
            scope = self.enclosing.get(scope, 0)
        return None

    # --- names ---------------------------------------------------------------------------------
    def receiver(self, node: Node | None) -> str | None:
        """The receiver as far as the file resolves it: a type, a call chain, or the written text.
        Chains are walked in a loop, base first, so a long builder chain cannot exhaust the stack."""
        suffix: list[str] = []  # the chain above the base, outermost first
        while node is not None and len(suffix) <= MAX_CHAIN:  # no rule names a longer chain
            kind = node.type
            if kind == "method_invocation":
                obj = node.child_by_field_name("object")
                name = text_of(node.child_by_field_name("name"))
                if obj is None:
                    return _chain(self._bare(name) + "()", suffix)
                suffix.append(f"{name}()")
                node = obj
            elif kind == "parenthesized_expression" and node.named_children:
                node = node.named_children[0]
            elif kind == "field_access":
                decl = self.lookup(node)
                if decl is not None:
                    return _chain(decl.type if decl.type is not None else text_of(node), suffix)
                head: Node | None = node
                while head is not None and head.type == "field_access":
                    head = head.child_by_field_name("object")
                if head is not None and head.type == "identifier" and self.lookup(head) is None:
                    return _chain(strip_package(re.sub(r"\s+", "", text_of(node))), suffix)  # java.security.MessageDigest
                suffix.append(text_of(node.child_by_field_name("field")))
                node = node.child_by_field_name("object")
            else:
                base = self._base(node)
                return _chain(base, suffix) if base is not None else None
        return None

    def _base(self, node: Node) -> str | None:
        kind = node.type
        if kind == "identifier":
            decl = self.lookup(node)
            if decl is not None:
                return decl.type if decl.type is not None else text_of(node)
            return self.static_members.get(text_of(node), text_of(node))
        if kind in ("object_creation_expression", "cast_expression"):
            return simple_type(node.child_by_field_name("type"))
        if kind == "string_literal":
            return "String"
        if kind in ("this", "super"):
            return kind
        return None

    def _bare(self, name: str) -> str:
        """A call without a receiver: a static import, else a method of this class (or a superclass)."""
        if name in self.static_members:
            return self.static_members[name]
        if name not in self.methods and len(self.static_wildcards) == 1:
            return f"{self.static_wildcards[0]}.{name}"
        return name

    def callee(self, node: Node) -> str:
        """The qualname of a method invocation."""
        name = text_of(node.child_by_field_name("name"))
        obj = node.child_by_field_name("object")
        if obj is None:
            return self._bare(name)
        base = self.receiver(obj)
        return f"{base if base is not None else '?'}.{name}"

    # --- values --------------------------------------------------------------------------------
    @guarded(Val(DYN, None, True), memo=True)
    def value(self, node: Node) -> Val:
        kind = node.type
        if kind == "string_literal":
            return Val(CONST, _string_content(node), True)
        if kind in _LITERALS:
            return Val(CONST, None, kind == "character_literal")
        if kind == "parenthesized_expression" and node.named_children:
            return self.value(node.named_children[0])
        if kind == "cast_expression":
            inner = node.child_by_field_name("value")
            return self.value(inner) if inner is not None else Val(OTHER)
        if kind == "unary_expression":
            operand = node.child_by_field_name("operand")
            return Val(CONST) if operand is not None and self.value(operand).kind == CONST else Val(SAFE)
        if kind == "binary_expression":
            return binary_value(node, self.value)
        if kind == "ternary_expression":
            branches = [node.child_by_field_name("consequence"), node.child_by_field_name("alternative")]
            return join_values([self.value(b) for b in branches if b is not None])
        if kind in ("identifier", "field_access"):
            decl = self.lookup(node)
            if decl is not None:
                return self._decl_value(decl)
            last = text_of(node.child_by_field_name("field")) if kind == "field_access" else text_of(node)
            return Val(CONST) if _CONSTANT_NAME.fullmatch(last) else Val(OTHER)
        if kind == "method_invocation":
            return self._call_value(node)
        return Val(OTHER)

    def _decl_value(self, decl: _Decl) -> Val:
        key = ("decl", id(decl))
        found, answer = self.depth.recall(key)
        if found:
            return answer  # type: ignore[return-value]
        string = decl.type in _STRING_TYPES
        if not self.depth.open(key):
            return Val(CONST, None, string)  # a self-reference (s = s + x) adds nothing by itself
        mark = self.depth.mark()
        builder = decl.type in _BUILDERS or (decl.init is not None and decl.init.type == "object_creation_expression"
                                             and simple_type(decl.init.child_by_field_name("type")) in _BUILDERS)
        vals: list[Val] = []
        if decl.field and not decl.final:
            vals.append(Val(OTHER, None, string))  # other code may set it
        elif builder:
            vals += [plus_values(Val(CONST, "", True), self.value(a)) for a in self._builder_args(decl.init)]
            vals += [plus_values(Val(CONST, "", True), self.value(a)) for a in self.appended.get(decl, [])]
            vals = vals or [Val(CONST, None, True)]
        elif decl.init is not None:
            vals.append(self.value(decl.init))
        for operator, right in self.assigned.get(decl, []):
            rhs = self.value(right)
            vals.append(plus_values(Val(CONST, None, string), rhs) if operator == "+=" else rhs)
        result = join_values(vals, string) if vals else Val(OTHER, None, string)
        if decl.type in _NUMERIC_TYPES and result.kind != CONST:
            result = Val(SAFE)
        self.depth.close(key)
        self.depth.remember(key, result, mark)
        return result

    def _builder_args(self, node: Node | None) -> list[Node]:
        """The strings a builder expression was given: constructor arguments and chained appends."""
        args: list[Node] = []
        while node is not None and _is_append(node):
            arguments = node.child_by_field_name("arguments")
            args += arguments.named_children[-1:] if arguments is not None else []
            node = node.child_by_field_name("object")
        if node is not None and node.type == "object_creation_expression":
            arguments = node.child_by_field_name("arguments")
            # new StringBuilder(64) sets a capacity, not content
            given = arguments.named_children if arguments is not None else []
            args += [a for a in given if a.type != "decimal_integer_literal"]
        return args

    def _call_value(self, node: Node) -> Val:
        name = text_of(node.child_by_field_name("name"))
        obj = node.child_by_field_name("object")
        arguments = node.child_by_field_name("arguments")
        args = [self.value(a) for a in (arguments.named_children if arguments is not None else [])]
        receiver = self.receiver(obj) if obj is not None else None
        if (name == "format" and receiver in ("String", "MessageFormat")) or (name == "formatted" and obj is not None):
            parts = args + ([self.value(obj)] if name == "formatted" and obj is not None else [])
            return join_values([plus_values(Val(CONST, None, True), p) for p in parts]) if parts else Val(OTHER, None, True)
        if not name.lower().startswith(("un", "decode")) and (
                _ESCAPER.search(name) or (obj is not None and _ESCAPER.search(text_of(obj).rsplit(".", 1)[-1]))):
            return Val(SAFE, None, True)  # Encode.forHtml(x), StringEscapeUtils.escapeSql(x): made safe for a context
        if name == "concat" and obj is not None and args:
            return plus_values(plus_values(Val(CONST, "", True), self.value(obj)), args[0])
        if name == "toString" and obj is not None and not args:
            if _is_append(obj):
                parts = [plus_values(Val(CONST, "", True), self.value(a)) for a in self._builder_args(obj)]
                decl = self.lookup(_builder_base(obj))
                if decl is not None:
                    parts.append(self._decl_value(decl))
                return join_values(parts, True) if parts else Val(OTHER, None, True)
            decl = self.lookup(obj)
            if decl is not None and (decl.type in _BUILDERS or decl.type is None):
                return self._decl_value(decl)
        return Val(OTHER)


def extract(tree: Tree, source: bytes, language: str = "java", notes: list[str] | None = None) -> list[CallSite]:
    root = tree.root_node
    java = JavaFile(root, source, notes)
    sites = []
    for node in walk(root, frozenset({"method_invocation", "object_creation_expression"})):
        site = _call(node, java) if node.type == "method_invocation" else _new(node, java)
        if site is not None:
            sites.append(site)
    return sites


def _args(node: Node, java: JavaFile) -> tuple[Arg, ...]:
    arguments = node.child_by_field_name("arguments")
    if arguments is None:
        return ()
    return tuple(value_arg(a, java.value(a), source=java.source) for a in arguments.named_children
                 if a.type not in ("line_comment", "block_comment"))


def _call(node: Node, java: JavaFile) -> CallSite | None:
    name_node = node.child_by_field_name("name")
    if name_node is None:
        return None
    receiver = node.child_by_field_name("object")
    return call_site("call", java.callee(node), node, name_node, receiver, _args(node, java), source=java.source)


def _new(node: Node, java: JavaFile) -> CallSite | None:
    type_node = node.child_by_field_name("type")
    qualname = simple_type(type_node)
    name_node = type_node
    while name_node is not None and name_node.type in ("generic_type", "scoped_type_identifier"):
        if not name_node.named_children:
            break
        name_node = name_node.named_children[0] if name_node.type == "generic_type" else name_node.named_children[-1]
    if qualname is None or name_node is None or name_node.type != "type_identifier":
        return None
    return call_site("new", qualname, node, name_node, None, _args(node, java), source=java.source)
