"""Go call sites, with package names resolved to import paths.

``import "os/exec"`` binds ``exec`` and ``import x "os/exec"`` binds ``x``; a call through either is
``os/exec.Command``. Method calls on values keep their written form (``db.Query``, ``s.db.Query``):
Go receivers' types are rarely visible, so rules match method names with globs (``*.Query``).
Besides calls, the extractor reports composite literals of named types as kind ``new``
(``tls.Config{InsecureSkipVerify: true}`` is ``crypto/tls.Config`` with a keyword argument per keyed
field) and assignments to struct fields as kind ``assign`` (``cfg.InsecureSkipVerify = true``).

Argument values follow the function's own assignments: ``q := "SELECT ... " + id`` then
``db.Query(q)`` passes a dynamic string; ``const`` strings are constants; integers (typed
parameters, ``strconv.Itoa``) concatenated into a string cannot carry text.
"""

from __future__ import annotations

import re

from tree_sitter import Node, Tree

from entropy_lint.callsite import Arg, CallSite
from entropy_lint.detect.limits import MAX_CHAIN, Depth, guarded
from entropy_lint.detect.nodes import call_site, index_scopes, text_of, walk
from entropy_lint.detect.values import CONST, DYN, OTHER, SAFE, Val, binary_value, join_values, plus_values, value_arg

_FUNCTIONS = frozenset({"function_declaration", "method_declaration", "func_literal"})
_STRINGS = frozenset({"interpreted_string_literal", "raw_string_literal"})
_LITERALS = frozenset({"int_literal", "float_literal", "imaginary_literal", "rune_literal", "true", "false", "nil", "iota"})
_NUMERIC_TYPES = frozenset({
    "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr",
    "float32", "float64", "bool", "byte", "time.Duration",
})
_FORMATTERS = frozenset({"fmt.Sprintf", "fmt.Sprint", "fmt.Sprintln"})
_NUMBER_TO_STRING = frozenset({"strconv.Itoa", "strconv.FormatInt", "strconv.FormatUint", "strconv.FormatFloat",
                               "strconv.FormatBool"})
_VERSION = re.compile(r"v\d+")
# A format whose every verb prints a number or a boolean (%d, %x, %t, ...): its output cannot carry text.
_NUMERIC_VERBS = re.compile(r"(?:[^%]|%%|%[-+# 0]*\d*(?:\.\d*)?[bdoOxXeEfFgGt])*")
_ESCAPER = re.compile(r"(?i)quote|escape|sanitize")  # pq.QuoteLiteral, html.EscapeString: made safe for a context
# A fragment with no imports at all (a help example, a pasted snippet) is read as if these names were
# imported; a file with imports is taken at its word. Ambiguous names map to the package whose
# functions the rules name: template.HTML exists only in html/template, rand.Intn only in math/rand.
_FRAGMENT_IMPORTS = {
    name.rsplit("/", 1)[-1]: name
    for name in ("os/exec", "crypto/md5", "crypto/sha1", "crypto/des", "crypto/rc4", "crypto/tls", "io/ioutil",
                 "database/sql", "html/template", "math/rand", "golang.org/x/crypto/ssh", "os", "syscall", "fmt",
                 "strconv", "strings")
}


def package_name(path: str) -> str:
    """The name an import binds by default: the last element, skipping a major-version suffix."""
    parts = path.split("/")
    name = parts[-2] if len(parts) > 1 and _VERSION.fullmatch(parts[-1]) else parts[-1]
    name = re.sub(r"\.v\d+$", "", name)  # gopkg.in/yaml.v3
    return name.removeprefix("go-").replace("-", "_")


class GoFile:
    """Imports and per-function assignments of one file, with name and value resolution."""

    def __init__(self, root: Node, source: bytes, notes: list[str] | None = None) -> None:
        self.source = source
        self.depth = Depth(notes)
        self.imports: dict[str, str] = {}
        self.enclosing, _ = index_scopes(root, _FUNCTIONS)
        # function node id (0: file level) -> name -> [(position, value assigned, "=" | "+=" | "type:T")];
        # "type:T" is a value of type T that the file does not show (a parameter, a call's second result)
        self.bindings: dict[int, dict[str, list[tuple[int, Node | None, str]]]] = {}
        for spec in walk(root, frozenset({"import_spec"})):
            self._import(spec)
        if not any(node.type == "import_declaration" for node in root.named_children):
            self.imports = dict(_FRAGMENT_IMPORTS)
        for node in walk(root, frozenset({"short_var_declaration", "assignment_statement", "var_spec", "const_spec",
                                          "parameter_declaration", "variadic_parameter_declaration", "range_clause"})):
            self._bind(node)

    def _import(self, spec: Node) -> None:
        path_node = spec.child_by_field_name("path")
        path = text_of(path_node)[1:-1]
        alias = spec.child_by_field_name("name")
        if alias is None:
            self.imports[package_name(path)] = path
        elif alias.type == "package_identifier":
            self.imports[text_of(alias)] = path
        # "_" binds nothing; "." would make every bare call ambiguous, so it is left unresolved

    def _function(self, node: Node) -> int:
        return self.enclosing.get(node.id, 0)

    def _note(self, scope: int, name: Node, at: int, value: Node | None, how: str) -> None:
        if name.type == "identifier" and text_of(name) != "_":
            self.bindings.setdefault(scope, {}).setdefault(text_of(name), []).append((at, value, how))

    def _bind(self, node: Node) -> None:
        scope = self._function(node)
        kind = node.type
        if kind in ("parameter_declaration", "variadic_parameter_declaration"):
            type_text = text_of(node.child_by_field_name("type"))
            how = "type:" + ("..." if kind == "variadic_parameter_declaration" else "") + type_text
            for name in node.children_by_field_name("name"):
                self._note(scope, name, -1, None, how)  # visible in the whole body
            return
        if kind == "range_clause":
            left = node.child_by_field_name("left")
            for name in left.named_children if left is not None else []:
                self._note(scope, name, node.start_byte, None, "type:")
            return
        if kind in ("var_spec", "const_spec"):
            names = node.children_by_field_name("name")
            value = node.child_by_field_name("value")
            values = value.named_children if value is not None else []
            type_text = text_of(node.child_by_field_name("type"))
            for i, name in enumerate(names):
                if len(values) == len(names):
                    self._note(scope, name, node.start_byte, values[i], "=")
                else:  # var x string, or x, err := f()
                    self._note(scope, name, node.start_byte, None, "type:" + type_text if not values else "type:")
            return
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return
        operator = text_of(node.child_by_field_name("operator")) if kind == "assignment_statement" else "="
        names, values = left.named_children, right.named_children
        for i, name in enumerate(names):
            if len(values) == len(names):
                self._note(scope, name, node.start_byte, values[i], "+=" if operator == "+=" else "=")
            else:
                self._note(scope, name, node.start_byte, None, "type:")

    def _declared(self, name: str, at: Node) -> tuple[int, list[tuple[int, Node | None, str]]]:
        """(scope, bindings of ``name`` before ``at``) in the nearest enclosing function that has any,
        else at file level. Block scopes are not told apart: a function's bindings of a name are pooled."""
        function = self.enclosing.get(at.id, 0)
        while function:
            found = [b for b in self.bindings.get(function, {}).get(name, []) if b[0] < at.start_byte]
            if found:
                return function, found
            function = self.enclosing.get(function, 0)
        return 0, self.bindings.get(0, {}).get(name, [])

    def dotted(self, node: Node | None) -> str | None:
        """``pkg/path.F``, ``db.Query``, ``a.b().c`` for selector chains of plain names (walked in a loop)."""
        suffix: list[str] = []  # outermost first
        calls = ""  # the "()" owed to the next name down the chain
        while node is not None and len(suffix) + len(calls) // 2 <= MAX_CHAIN:  # no rule names a longer one
            if node.type in ("identifier", "package_identifier"):
                name = text_of(node)
                if name in self.imports and not self._declared(name, node)[1]:
                    name = self.imports[name]
                return ".".join([name + calls, *reversed(suffix)])
            if node.type in ("selector_expression", "qualified_type"):
                field = "field" if node.type == "selector_expression" else "name"
                suffix.append(text_of(node.child_by_field_name(field)) + calls)
                calls = ""
                node = node.child_by_field_name("operand" if node.type == "selector_expression" else "package")
            elif node.type == "call_expression":
                calls += "()"
                node = node.child_by_field_name("function")
            elif node.type == "parenthesized_expression" and node.named_children:
                node = node.named_children[0]
            else:
                return None
        return None

    # --- values --------------------------------------------------------------------------------
    @guarded(Val(DYN, None, True), memo=True)
    def value(self, node: Node) -> Val:
        kind = node.type
        if kind in _STRINGS:
            return Val(CONST, text_of(node)[1:-1], True)
        if kind in _LITERALS:
            return Val(CONST)
        if kind in ("parenthesized_expression", "literal_element") and node.named_children:
            return self.value(node.named_children[0])
        if kind == "unary_expression":
            operand = node.child_by_field_name("operand")
            return Val(CONST) if operand is not None and self.value(operand).kind == CONST else Val(OTHER)
        if kind == "binary_expression":
            return binary_value(node, self.value)
        if kind == "identifier":
            return self._name_value(node)
        if kind == "call_expression":
            callee = self.dotted(node.child_by_field_name("function"))
            arguments = node.child_by_field_name("arguments")
            args = [self.value(a) for a in (arguments.named_children if arguments is not None else [])]
            if callee in _FORMATTERS:
                if callee == "fmt.Sprintf" and args and args[0].kind == CONST and args[0].value is not None \
                        and _NUMERIC_VERBS.fullmatch(args[0].value) and all(a.kind != DYN for a in args[1:]):
                    return Val(CONST if all(a.kind == CONST for a in args) else SAFE, None, True)
                return join_values([plus_values(Val(CONST, None, True), a) for a in args], True)
            last = (callee or "").rsplit(".", 1)[-1]
            if callee in _NUMBER_TO_STRING or (_ESCAPER.search(last) and not last.lower().startswith("un")):
                return Val(SAFE, None, True)
        return Val(OTHER)

    def _name_value(self, node: Node) -> Val:
        scope, bindings = self._declared(text_of(node), node)
        if not bindings:
            return Val(OTHER)
        key = ("name", scope, text_of(node), len(bindings))
        found, answer = self.depth.recall(key)
        if found:
            return answer  # type: ignore[return-value]
        if not self.depth.open(key):
            return Val(CONST, None, True)  # s = s + x: the self-reference adds nothing by itself
        mark = self.depth.mark()
        vals = []
        for _, value, how in bindings:
            if how.startswith("type:"):
                type_text = how.removeprefix("type:")
                vals.append(Val(SAFE) if type_text in _NUMERIC_TYPES else Val(OTHER, None, type_text == "string"))
            elif value is not None:
                rhs = self.value(value)
                vals.append(plus_values(Val(CONST, None, True), rhs) if how == "+=" else rhs)
        result = join_values(vals)
        self.depth.close(key)
        self.depth.remember(key, result, mark)
        return result


def extract(tree: Tree, source: bytes, language: str = "go", notes: list[str] | None = None) -> list[CallSite]:
    root = tree.root_node
    go = GoFile(root, source, notes)
    sites: list[CallSite] = []
    types = frozenset({"call_expression", "type_conversion_expression", "composite_literal", "assignment_statement"})
    for node in walk(root, types):
        if node.type == "call_expression":
            sites += _call(node, go)
        elif node.type == "type_conversion_expression":
            sites += _conversion(node, go)
        elif node.type == "composite_literal":
            sites += _composite(node, go)
        else:
            sites += _assignments(node, go)
    return sites


def _arg(node: Node, go: GoFile, keyword: str | None = None) -> Arg:
    return value_arg(node, go.value(node), keyword, source=go.source)


def _call(node: Node, go: GoFile) -> list[CallSite]:
    function = node.child_by_field_name("function")
    if function is None:
        return []
    receiver: Node | None = None
    if function.type == "selector_expression":
        name_node = function.child_by_field_name("field")
        receiver = function.child_by_field_name("operand")
    elif function.type == "identifier":
        name_node = function
    else:
        return []  # a call of a function value, a generic instantiation, a conversion to a pointer type
    if name_node is None:
        return []
    qualname = go.dotted(function) or f"?.{text_of(name_node)}"
    arguments = node.child_by_field_name("arguments")
    args = tuple(_arg(a, go) for a in (arguments.named_children if arguments is not None else []) if a.type != "comment")
    return [call_site("call", qualname, node, name_node, receiver, args, source=go.source)]


def _conversion(node: Node, go: GoFile) -> list[CallSite]:
    """``template.HTML(x)`` where the grammar reads it as a conversion rather than a call."""
    type_node = node.child_by_field_name("type")
    operand = node.child_by_field_name("operand")
    if type_node is None or type_node.type != "qualified_type" or operand is None:
        return []
    name_node = type_node.child_by_field_name("name")
    qualname = go.dotted(type_node)
    if name_node is None or qualname is None:
        return []
    package = type_node.child_by_field_name("package")
    return [call_site("call", qualname, node, name_node, package, (_arg(operand, go),), source=go.source)]


def _composite(node: Node, go: GoFile) -> list[CallSite]:
    type_node = node.child_by_field_name("type")
    if type_node is not None and type_node.type == "generic_type":
        type_node = type_node.child_by_field_name("type")
    if type_node is None or type_node.type not in ("qualified_type", "type_identifier"):
        return []  # slices, maps and arrays have no name to report
    name_node = type_node.child_by_field_name("name") if type_node.type == "qualified_type" else type_node
    qualname = go.dotted(type_node) if type_node.type == "qualified_type" else text_of(type_node)
    body = node.child_by_field_name("body")
    if name_node is None or qualname is None or body is None:
        return []
    args = []
    for element in body.named_children:
        if element.type == "keyed_element":
            key, value = element.child_by_field_name("key"), element.child_by_field_name("value")
            if key is not None and value is not None:
                args.append(_arg(value, go, keyword=text_of(key)))
        elif element.type == "literal_element":
            args.append(_arg(element, go))
    return [call_site("new", qualname, node, name_node, None, tuple(args), source=go.source)]


def _assignments(node: Node, go: GoFile) -> list[CallSite]:
    """Field assignments (``cfg.InsecureSkipVerify = true``) as ``assign`` sites, one per target."""
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None or len(left.named_children) != len(right.named_children):
        return []
    sites = []
    for target, value in zip(left.named_children, right.named_children):
        name_node = target.child_by_field_name("field") if target.type == "selector_expression" else None
        qualname = go.dotted(target) if name_node is not None else None
        if name_node is not None and qualname is not None:
            receiver = target.child_by_field_name("operand")
            sites.append(call_site("assign", qualname, node, name_node, receiver, (_arg(value, go),), source=go.source))
    return sites
