"""JavaScript, TypeScript and TSX call sites, with names resolved through imports and requires.

One extractor serves the three grammars: they share node types, and TypeScript only adds
wrappers (``x as T``, ``x!``, ``<T>x``, ``x satisfies T``) that are seen through here.

Besides calls and ``new``, two non-call sinks become sites of kind "assign": an assignment to
a sink property (``el.innerHTML = x``, qualname ``<receiver>.innerHTML``) and a JSX
``dangerouslySetInnerHTML`` attribute (qualname ``<tag>.dangerouslySetInnerHTML``, the
argument being the ``__html`` value). Properties of an object literal passed as an argument
are also given as keyword arguments, so options bags read like Python keywords
(``site.kwarg("shell")`` in ``spawn(cmd, args, {shell: true})``).
"""

from __future__ import annotations

from tree_sitter import Node, Tree

from entropy_lint.callsite import Arg, CallSite
from entropy_lint.detect.limits import MAX_CHAIN, NOT_CONSTANT, Depth, guarded
from entropy_lint.detect.nodes import call_site, operands, text_of, walk

# Assignments worth a site of their own; other property assignments are not sinks.
SINK_PROPERTIES = frozenset({"innerHTML", "outerHTML", "NODE_TLS_REJECT_UNAUTHORIZED"})
# Global objects whose members are the globals themselves: window.eval is eval.
_GLOBAL_OBJECTS = frozenset({"window", "globalThis", "global"})
# TypeScript wrappers and parentheses that do not change the value.
_WRAPPERS = frozenset({"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression",
                       "type_assertion", "await_expression"})
_CONSTANTS = frozenset({"number", "true", "false", "null", "undefined", "regex"})
_SITES = frozenset({"call_expression", "new_expression", "assignment_expression",
                    "augmented_assignment_expression", "jsx_attribute"})
_FORMATTERS = frozenset({"format", "sprintf", "vsprintf"})
_STRING_METHODS = frozenset({"concat", "replace", "replaceAll", "padStart", "padEnd"})
_BINARY = frozenset({"binary_expression"})
_PLUS = frozenset({"+"})

Bindings = dict[str, str]


def extract(tree: Tree, source: bytes, language: str = "javascript", notes: list[str] | None = None) -> list[CallSite]:
    root = tree.root_node
    js = JsFile(root, source, notes)
    sites = []
    for node in walk(root, _SITES):
        if node.type == "jsx_attribute":
            site = js.jsx_html(node)
        elif node.type in ("call_expression", "new_expression"):
            site = js.call(node)
        else:
            site = js.assign(node)
        if site is not None:
            sites.append(site)
    return sites


# --- names -----------------------------------------------------------------------------------


def unwrap(node: Node) -> Node:
    """The expression inside parentheses, ``await`` and TypeScript's type wrappers."""
    while node.type in _WRAPPERS and node.named_children:
        node = node.named_children[-1] if node.type == "type_assertion" else node.named_children[0]
    return node


def _module(name: str) -> str:
    return name.removeprefix("node:")


def _key(node: Node | None) -> str:
    """A property key or import name as written, without quotes: ``a``, ``'a'``."""
    return text_of(node).strip("'\"")


def _string_value(node: Node | None) -> str | None:
    """The content of a string or substitution-free template literal."""
    if node is None or node.type not in ("string", "template_string"):
        return None
    if any(c.type == "template_substitution" for c in node.named_children):
        return None
    return text_of(node)[1:-1]


def _required_module(node: Node, bindings: Bindings) -> str | None:
    """``m`` for ``require('m')`` and ``import('m')`` (not for a local function named require)."""
    function = node.child_by_field_name("function")
    arguments = node.child_by_field_name("arguments")
    if function is None or arguments is None or arguments.type != "arguments" or not arguments.named_children:
        return None
    if function.type == "import" or (function.type == "identifier" and text_of(function) == "require"
                                     and "require" not in bindings):
        value = _string_value(arguments.named_children[0])
        return _module(value) if value is not None else None
    return None


def _property(node: Node) -> Node | None:
    """The name node of ``a.b`` or ``a['b']``; ``None`` for computed subscripts."""
    if node.type == "member_expression":
        return node.child_by_field_name("property")
    if node.type == "subscript_expression":
        index = node.child_by_field_name("index")
        if index is not None and _string_value(index):
            return next((c for c in index.named_children if c.type == "string_fragment"), None)
    return None


def dotted(node: Node, bindings: Bindings) -> tuple[str, bool] | None:
    """(``a.b.c`` resolved through the file's bindings, whether it is rooted in an import).

    ``a.b()`` marks a call in the chain; ``None`` for receivers that are not names. The chain is
    walked without recursion, since minified code can chain hundreds of calls."""
    suffix: list[str] = []  # innermost last
    node = unwrap(node)
    while len(suffix) <= MAX_CHAIN:  # longer chains keep only their name (?.name)
        if node.type in ("member_expression", "subscript_expression"):
            prop, obj = _property(node), node.child_by_field_name("object")
            if prop is None or obj is None:
                return None
            suffix.append("." + text_of(prop))
            node = unwrap(obj)
        elif node.type == "call_expression":
            module = _required_module(node, bindings)
            if module is not None:
                root, bound = module, True
                break
            function, arguments = node.child_by_field_name("function"), node.child_by_field_name("arguments")
            if function is None:
                return None
            if arguments is not None and arguments.named_children and _is_promisify(function, bindings):
                node = unwrap(arguments.named_children[0])  # promisify(exec) is still exec
                continue
            suffix.append("()")
            node = unwrap(function)
        elif node.type == "identifier":
            root = text_of(node)
            root, bound = (bindings[root], True) if root in bindings else (root, False)
            break
        elif node.type == "this":
            root, bound = "this", False
            break
        else:
            return None
    else:
        return None
    rest = "".join(reversed(suffix))
    if not bound and root in _GLOBAL_OBJECTS and rest.startswith("."):
        return rest[1:], False
    return root + rest, bound


def _is_promisify(function: Node, bindings: Bindings) -> bool:
    """``util.promisify`` or a ``promisify`` imported from util."""
    function = unwrap(function)
    if function.type == "identifier":
        return bindings.get(text_of(function)) == "util.promisify"
    if function.type == "member_expression":
        obj = unwrap(function.child_by_field_name("object") or function)
        return text_of(function.child_by_field_name("property")) == "promisify" and obj.type == "identifier" \
            and bindings.get(text_of(obj)) == "util"
    return False


def _import(node: Node, names: Bindings) -> None:
    source = _string_value(node.child_by_field_name("source"))
    for child in node.named_children:
        if child.type == "import_require_clause":  # TypeScript: import cp = require('child_process')
            local = next((c for c in child.named_children if c.type == "identifier"), None)
            required = _string_value(child.child_by_field_name("source"))
            if local is not None and required is not None:
                names[text_of(local)] = _module(required)
        if child.type != "import_clause" or source is None:
            continue
        module = _module(source)
        for part in child.named_children:
            if part.type == "identifier":  # default import: the module object, for CommonJS modules
                names[text_of(part)] = module
            elif part.type == "namespace_import":
                for local in part.named_children:
                    names[text_of(local)] = module
            elif part.type == "named_imports":
                for spec in part.named_children:
                    imported = spec.child_by_field_name("name")
                    alias = spec.child_by_field_name("alias") or imported
                    if imported is not None and alias is not None:
                        names[text_of(alias)] = f"{module}.{_key(imported)}"


class JsFile:
    """One file's bindings (imports, requires and aliases of them) and the values of its expressions,
    followed as far as ``depth`` allows."""

    def __init__(self, root: Node, source: bytes, notes: list[str] | None = None) -> None:
        self.source = source
        self.depth = Depth(notes)
        self.bindings: Bindings = {}
        for node in walk(root, frozenset({"import_statement", "variable_declarator"})):
            if node.type == "import_statement":
                _import(node, self.bindings)
                continue
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            if name is None or value is None:
                continue
            target = dotted(value, self.bindings)
            if target is not None and target[1]:
                self._bind_pattern(name, target[0])

    @guarded(None)
    def _bind_pattern(self, pattern: Node, target: str) -> None:
        """``x = t`` binds x; ``{a, b: c, d: {e}} = t`` binds a, c and e to t.a, t.b and t.d.e."""
        names = self.bindings
        if pattern.type == "identifier":
            names[text_of(pattern)] = target
        elif pattern.type == "assignment_pattern":
            left = pattern.child_by_field_name("left")
            if left is not None:
                self._bind_pattern(left, target)
        elif pattern.type == "object_pattern":
            for part in pattern.named_children:
                if part.type == "shorthand_property_identifier_pattern":
                    names[text_of(part)] = f"{target}.{text_of(part)}"
                elif part.type == "object_assignment_pattern":
                    left = part.child_by_field_name("left")
                    if left is not None:
                        names[text_of(left)] = f"{target}.{text_of(left)}"
                elif part.type == "pair_pattern":
                    key, value = part.child_by_field_name("key"), part.child_by_field_name("value")
                    if key is not None and value is not None and key.type in ("property_identifier", "string"):
                        self._bind_pattern(value, f"{target}.{_key(key)}")

    # --- sites ---------------------------------------------------------------------------------
    def call(self, node: Node) -> CallSite | None:
        is_new = node.type == "new_expression"
        function = node.child_by_field_name("constructor" if is_new else "function")
        arguments = node.child_by_field_name("arguments")
        if function is None or (arguments is not None and arguments.type != "arguments"):
            return None  # a tagged template (sql`...`) is parameterised by its tag, not a call with a string
        callee = unwrap(function)
        name_node: Node | None
        receiver: Node | None = None
        if callee.type in ("identifier", "import"):
            name_node = callee
        else:
            name_node = _property(callee)
            receiver = callee.child_by_field_name("object")
        if name_node is None:
            return None
        path = dotted(callee, self.bindings) if callee.type != "import" else ("import", False)
        qualname = path[0] if path is not None else f"?.{text_of(name_node)}"  # a complex receiver: only *.name rules match
        args = self.args(arguments.named_children) if arguments is not None else ()
        return call_site("new" if is_new else "call", qualname, node, name_node, receiver, args, source=self.source)

    def assign(self, node: Node) -> CallSite | None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return None
        left = unwrap(left)
        name_node = _property(left)
        if name_node is None or text_of(name_node) not in SINK_PROPERTIES:
            return None
        obj = left.child_by_field_name("object")
        base = dotted(obj, self.bindings) if obj is not None else None
        qualname = f"{base[0] if base else text_of(obj)}.{text_of(name_node)}"
        return call_site("assign", qualname, node, name_node, obj, (self.arg(right),), source=self.source)

    def jsx_html(self, node: Node) -> CallSite | None:
        """``<div dangerouslySetInnerHTML={{__html: x}} />``: an assignment of ``x`` to the element's HTML."""
        name_node = node.named_children[0] if node.named_children else None
        if name_node is None or text_of(name_node) != "dangerouslySetInnerHTML" or len(node.named_children) < 2:
            return None
        value = node.named_children[1]
        if value.type == "jsx_expression" and value.named_children:
            value = unwrap(value.named_children[0])
            if value.type == "object":
                html = next((p.child_by_field_name("value") for p in value.named_children
                             if p.type == "pair" and _key(p.child_by_field_name("key")) == "__html"), None)
                value = html if html is not None else value
        element = node.parent
        tag = text_of(element.child_by_field_name("name")) if element is not None else ""
        return call_site("assign", f"{tag or '?'}.dangerouslySetInnerHTML", node, name_node, tag, (self.arg(value),),
                         source=self.source)

    # --- arguments -----------------------------------------------------------------------------
    def args(self, nodes: list[Node]) -> tuple[Arg, ...]:
        args: list[Arg] = []
        for node in nodes:
            if node.type == "comment":
                continue
            args.append(self.arg(node))
            value = unwrap(node)
            if value.type == "object":  # an options bag: its properties also as keyword arguments
                for prop in value.named_children:
                    if prop.type == "pair":
                        key, item = prop.child_by_field_name("key"), prop.child_by_field_name("value")
                        if key is not None and item is not None and key.type in ("property_identifier", "string", "number"):
                            args.append(self.arg(item, _key(key)))
                    elif prop.type == "shorthand_property_identifier":
                        args.append(self.arg(prop, text_of(prop)))
        return tuple(args)

    def arg(self, node: Node, keyword: str | None = None) -> Arg:
        """Range as written; type, constancy and string-ness of the value inside any wrappers."""
        value = unwrap(node)
        literal, content = self.literal_value(value)
        return Arg(node_type=value.type, start=node.start_byte, end=node.end_byte, keyword=keyword, literal=literal,
                   value=content, dynamic_string=self.is_dynamic_string(value), source=self.source)

    @guarded(NOT_CONSTANT, memo=True)
    def literal_value(self, node: Node) -> tuple[bool, str | None]:
        """(is it a constant, its string content if a string). An array of constants is a constant."""
        node = unwrap(node)
        content = _string_value(node)
        if content is not None:
            return True, content
        if node.type in _CONSTANTS:
            return True, None
        if node.type == "unary_expression" and node.named_children and node.named_children[0].type == "number":
            return True, None
        chain = operands(node, _BINARY, _PLUS, unwrap)
        if chain is not None:
            parts = [self.literal_value(o) for o in chain]
            if all(ok for ok, _ in parts):
                values = [v for _, v in parts if v is not None]
                return True, "".join(values) if len(values) == len(parts) else None
        if node.type == "array" and all(self.literal_value(c)[0] for c in node.named_children if c.type != "comment"):
            return True, None
        return False, None

    def _stringish(self, node: Node | None) -> bool:
        return node is not None and (unwrap(node).type in ("string", "template_string") or self.is_dynamic_string(node))

    @guarded(True, memo=True)
    def is_dynamic_string(self, node: Node) -> bool:
        """A string built at run time: a template with substitutions, ``+`` on a string,
        ``util.format``/``sprintf``, or a method like ``concat``/``replace`` on a string literal."""
        node = unwrap(node)
        if node.type == "template_string":
            return any(c.type == "template_substitution" for c in node.named_children)
        chain = operands(node, _BINARY, _PLUS, unwrap)
        if chain is not None:
            return any(self._stringish(o) for o in chain) and not all(self.literal_value(o)[0] for o in chain)
        if node.type == "call_expression":
            function = node.child_by_field_name("function")
            arguments = node.child_by_field_name("arguments")
            if function is None or arguments is None or arguments.type != "arguments":
                return False
            function = unwrap(function)
            prop = _property(function)
            name = text_of(prop if prop is not None else function)
            if name in _FORMATTERS:
                return bool(arguments.named_children) and self._stringish(arguments.named_children[0])
            obj = function.child_by_field_name("object") if prop is not None else None
            return name in _STRING_METHODS and obj is not None and self._stringish(obj)
        return False
