"""JavaScript and TypeScript names for the extractor (detect/javascript.py): what imports, requires
and aliases of them bind (``const { exec } = require('child_process')``), the scopes of the file
(functions; blocks are pooled into them), what each binding gives a name, and which objects and
arrays are changed in place. The values of names are worked out by ``detect/values.Names`` with the
extractor's ``value``.
"""

from __future__ import annotations

import re

from tree_sitter import Node

from entropy_lint.detect.limits import MAX_CHAIN, Depth, guarded
from entropy_lint.detect.nodes import survey, text_of, walk
from entropy_lint.detect.values import ANYTIME, CONST, OTHER, Binding, Key, Names, Val, join_values

# Global objects whose members are the globals themselves: window.eval is eval.
_GLOBAL_OBJECTS = frozenset({"window", "globalThis", "global"})
# TypeScript wrappers and parentheses that do not change the value.
_WRAPPERS = frozenset({"parenthesized_expression", "as_expression", "satisfies_expression", "non_null_expression",
                       "type_assertion", "await_expression"})
SITES = frozenset({"call_expression", "new_expression", "assignment_expression",
                   "augmented_assignment_expression", "jsx_attribute"})
# Calls that change an array or object in place: after one, its literal no longer says what it holds.
_MUTATORS = frozenset({"push", "unshift", "splice", "pop", "shift", "sort", "reverse", "fill", "copyWithin", "set",
                       "delete", "clear", "add"})
_SCOPES = frozenset({"program", "function_declaration", "function_expression", "function", "arrow_function",
                     "method_definition", "generator_function", "generator_function_declaration",
                     "class_static_block"})
_DECLARING = frozenset({"variable_declarator", "formal_parameters", "arrow_function", "function_declaration",
                        "generator_function_declaration", "class_declaration", "catch_clause", "for_in_statement"})
_WRITES = frozenset({"assignment_expression", "augmented_assignment_expression", "update_expression",
                     "for_in_statement", "call_expression"})
_PATTERN_NAMES = frozenset({"identifier", "shorthand_property_identifier_pattern"})
_SURVEYED = SITES | _DECLARING | _WRITES | {"import_statement", "variable_declarator", "return_statement"}
# Functions whose calls return what their ``return`` statements give (a generator returns an iterator).
FUNCTIONS = frozenset({"function_declaration", "function_expression", "function", "arrow_function"})
# The nodes whose scope, loop or block is ever asked.
_LOOKED_UP = _SURVEYED | {"identifier", "shorthand_property_identifier", "shorthand_property_identifier_pattern"}
_LOOPS = frozenset({"for_statement", "for_in_statement", "while_statement", "do_statement"})
_BLOCKS = frozenset({"statement_block", "program"})
# Where a statement may or may not run: a binding whose nearest one of these is not a block is never
# certain to have happened (if (c) x = 1; a && (x = 1); a ? (x = 1) : 0).
_CONTAINERS = _BLOCKS | _LOOPS | frozenset({"if_statement", "else_clause", "try_statement", "catch_clause",
                                            "finally_clause", "switch_case", "switch_default", "ternary_expression",
                                            "binary_expression", "sequence_expression", "labeled_statement",
                                            "arrow_function"})
_NUMBER_RESULTS = frozenset({"-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=", "^="})

Bindings = dict[str, str]



def unwrap(node: Node) -> Node:
    """The expression inside parentheses, ``await`` and TypeScript's type wrappers."""
    while node.type in _WRAPPERS and node.named_children:
        node = node.named_children[-1] if node.type == "type_assertion" else node.named_children[0]
    return node


def _module(name: str) -> str:
    return name.removeprefix("node:")


def key_name(node: Node | None) -> str:
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


def property_name(node: Node) -> Node | None:
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
            prop, obj = property_name(node), node.child_by_field_name("object")
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


def own_module(specifier: str | None) -> bool:
    """A module of the program itself: a relative path (``./constants``, ``../var/whitespace``)."""
    return specifier is not None and specifier.startswith(("./", "../"))


def own_require(node: Node) -> bool:
    """``require('./constants')``: a module of the program itself."""
    node = unwrap(node)
    if node.type != "call_expression" or text_of(node.child_by_field_name("function")) != "require":
        return False
    arguments = node.child_by_field_name("arguments")
    given = [a for a in arguments.named_children if a.type != "comment"] if arguments is not None else []
    return len(given) == 1 and own_module(_string_value(given[0]))


def _amd_dependencies(function: Node | None) -> list[bool]:
    """For the factory of an AMD module, ``define(['./core', './var/whitespace'], function (jQuery,
    whitespace) {...})``: whether each parameter is a module of the program itself; else []."""
    arguments = function.parent if function is not None and function.type in FUNCTIONS else None
    call = arguments.parent if arguments is not None and arguments.type == "arguments" else None
    if call is None or call.type != "call_expression" or text_of(call.child_by_field_name("function")) not in (
            "define", "require"):
        return []
    given = [a for a in arguments.named_children if a.type != "comment"]  # type: ignore[union-attr]
    if len(given) < 2 or given[-1] != function or given[-2].type != "array":
        return []
    return [own_module(_string_value(d)) for d in given[-2].named_children if d.type != "comment"]


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
                        names[text_of(alias)] = f"{module}.{key_name(imported)}"


# Libraries whose each(list, fn) and map(list, fn) walk the list: jQuery, lodash/underscore, TinyMCE's
# Tools (global$1 in its bundles), Angular, Prototype.
_ITERATION_LIBRARY = re.compile(r"\$|_|jQuery|lodash|underscore|Tools|tinymce(?:\.util\.Tools)?|global\$\d*|angular")
# What comes right before a callback: ``.forEach(``, ``each(``, or a comma (``each(list, fn)``).
_CALLBACK_OPENING = re.compile(rb"(?:(?:forEach|map|filter|some|every|find|findIndex|flatMap|each)\s*\(|,)\s*(?:async\s*)?$")
_MODULE_SYNTAX = re.compile(rb"(?m)^\s*(?:import\b|export\b)|\brequire\s*\(|\bmodule\.exports\b|\bexports\.\w|\bdefine\s*\(")
_SHORTHANDS = frozenset({"shorthand_property_identifier", "shorthand_property_identifier_pattern"})
_MAX_USES = 64  # a function named more often than this is not followed into its callers
_MAX_FUNCTIONS = 64  # functions per file followed into their callers

# Array methods whose callback's first parameter is each element in turn.
_ELEMENT_CALLBACKS = frozenset({"forEach", "map", "filter", "some", "every", "find", "findIndex", "flatMap"})


def _iterated(function: Node) -> tuple[Node, int] | None:
    """The array whose elements a callback is given one by one, and how many of its first parameters
    are elements, indexes or keys: one for ``LIST.forEach(function (x) {...})`` and
    ``'a b'.split(' ').map(x => ...)``, two for a library's ``each(LIST, function (a, b) {...})``
    (jQuery passes the index first, lodash and TinyMCE the element). None for any other function."""
    arguments = function.parent
    call = arguments.parent if arguments is not None and arguments.type == "arguments" else None
    if arguments is None or call is None or call.type != "call_expression":
        return None
    given = [a for a in arguments.named_children if a.type != "comment"]
    callee = unwrap(call.child_by_field_name("function") or call)
    name = text_of(callee.child_by_field_name("property")) if callee.type == "member_expression" else text_of(callee)
    if name not in _ELEMENT_CALLBACKS and name != "each":
        return None
    if given and given[0] == function and callee.type == "member_expression":
        collection = callee.child_by_field_name("object")
        return (collection, 1) if collection is not None else None
    library = text_of(callee.child_by_field_name("object")) if callee.type == "member_expression" else ""
    if len(given) == 2 and given[1] == function and name in ("each", "forEach", "map") and _ITERATION_LIBRARY.fullmatch(library):
        return given[0], 2  # $.each(list, fn), _.map(list, fn): not db.each(sql, fn) or Model.find(q, fn)
    return None


class JsScopes:
    """One file's bindings (imports, requires and aliases of them) and the names of its scopes."""

    def __init__(self, root: Node, source: bytes, notes: list[str] | None = None) -> None:
        self.source = source
        self.root = root
        self._caller_cache: dict[int, list[Node] | None] = {}
        self._module = bool(_MODULE_SYNTAX.search(source))  # import/export/require: not a classic script
        self.depth = Depth(notes)
        self.bindings: Bindings = {}
        indexes, self.surveyed = survey(root, (_SCOPES, _LOOPS, _CONTAINERS), _SURVEYED, _LOOKED_UP)
        (self.enclosing, self.scope_nodes), (self.loop_of, loops), (self.container_of, self.containers) = indexes
        for node in self.surveyed:
            if node.type not in ("import_statement", "variable_declarator"):
                continue
            if node.type == "import_statement":
                _import(node, self.bindings)
                continue
            name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
            if name is None or value is None:
                continue
            target = dotted(value, self.bindings)
            if target is not None and target[1]:
                self._bind_pattern(name, target[0])
        self.loop_spans = {i: (n.start_byte, n.end_byte) for i, n in loops.items()}
        self.returns: dict[int, list[Node]] = {}  # function node id -> its own return statements
        self.functions: dict[Key, Node] = {}  # the function a declaration names
        self.names = Names(self.depth, self._passed)
        self.declared: set[Key] = set()
        for node in self.surveyed:
            if node.type in _DECLARING or node.type == "import_statement":
                self._declare(node)
            elif node.type == "return_statement":
                self.returns.setdefault(self._scope(node), []).append(node)
        for node in self.surveyed:
            if node.type in _WRITES:
                self._write(node)

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
                        self._bind_pattern(value, f"{target}.{key_name(key)}")

    def _scope(self, node: Node) -> int:
        return self.enclosing.get(node.id, 0)

    def _declare_names(self, scope: int, pattern: Node | None, value: Node | None = None, how: str = "=",
                       at: int = -1) -> None:
        """Bind the names of ``pattern`` from byte ``at`` on (-1: the whole scope, as hoisting does): an
        identifier to ``value``, a destructuring pattern's names to values the file does not show."""
        if pattern is None:
            return
        if pattern.type == "identifier":
            self._bind_declared((scope, text_of(pattern)), Binding(value, how, at, self._block(pattern)))
            return
        for name in walk(pattern, _PATTERN_NAMES):
            self._bind_declared((scope, text_of(name)), Binding(None, at=at))

    def _bind_declared(self, key: Key, binding: Binding) -> None:
        self.declared.add(key)
        self.names.bind(key, binding)

    def _declare(self, node: Node) -> None:
        kind = node.type
        if kind == "variable_declarator":
            value = node.child_by_field_name("value")
            pattern = node.child_by_field_name("name")
            if value is not None and pattern is not None and pattern.type != "identifier" and own_require(value):
                for name in walk(pattern, _PATTERN_NAMES):  # const { a, b } = require('./constants')
                    self._bind_declared((self._scope(node), text_of(name)), Binding(None, "import", node.end_byte))
                return
            self._declare_names(self._scope(node), pattern, value, "=" if value is not None else "unset",
                                node.end_byte)
        elif kind == "formal_parameters":  # the function is the nearest scope above its parameters
            iterated = self._callback(self.scope_nodes.get(self._scope(node)))
            parameters = [c for c in node.named_children if c.type != "comment"]
            dependencies = _amd_dependencies(node.parent)
            for i, parameter in enumerate(parameters):
                if i < len(dependencies) and dependencies[i] and parameter.type == "identifier":
                    self._bind_declared((self._scope(node), text_of(parameter)), Binding(None, "import"))
                elif iterated is not None and i < iterated[1] and parameter.type == "identifier":
                    self._bind_declared((self._scope(node), text_of(parameter)), Binding(iterated[0], "in"))
                elif iterated is None and parameter.type == "identifier":
                    self._bind_declared((self._scope(node), text_of(parameter)), Binding(parameter, "param"))
                else:
                    self._declare_names(self._scope(node), parameter)
        elif kind == "arrow_function":
            single = node.child_by_field_name("parameter")
            if single is not None:
                iterated = self._callback(node)
                self._bind_declared((node.id, text_of(single)),
                                    Binding(iterated[0], "in") if iterated is not None else Binding(None))
        elif kind in ("function_declaration", "generator_function_declaration", "class_declaration"):
            declared = node.child_by_field_name("name")
            self._declare_names(self._scope(node), declared)
            if kind == "function_declaration" and declared is not None:
                self.functions[(self._scope(node), text_of(declared))] = node
        elif kind == "catch_clause":
            self._declare_names(self._scope(node), node.child_by_field_name("parameter"))
        elif kind == "for_in_statement" and node.child_by_field_name("kind") is not None:
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            operator = text_of(node.child_by_field_name("operator"))
            if left is not None and left.type == "identifier" and right is not None and operator == "of":
                self._bind_declared((self._scope(node), text_of(left)), Binding(right, "in"))  # for (const x of LIST)
            else:
                self._declare_names(self._scope(node), left)
        elif kind == "import_statement":
            source = _string_value(node.child_by_field_name("source"))
            for child in node.named_children:
                if child.type in ("import_clause", "import_require_clause"):
                    required = source if child.type == "import_clause" else \
                        _string_value(child.child_by_field_name("source"))
                    how = "import" if own_module(required) else "="
                    for name in walk(child, frozenset({"identifier"})):
                        self._bind_declared((self._scope(node), text_of(name)), Binding(None, how))

    def resolve(self, name: str, at: Node) -> Key:
        """The scope whose ``name`` the identifier at ``at`` means: the nearest enclosing one that
        declares it (scope 0: an undeclared global)."""
        scope = self._scope(at)
        while scope:
            if (scope, name) in self.declared:
                return scope, name
            scope = self.enclosing.get(scope, 0)
        return 0, name

    def _write(self, node: Node) -> None:
        """Assignments and updates of names, and changes made in place to objects and arrays."""
        kind = node.type
        if kind == "call_expression":
            function = unwrap(node.child_by_field_name("function") or node)
            if function.type == "member_expression":
                obj = unwrap(function.child_by_field_name("object") or function)
                method = text_of(function.child_by_field_name("property"))
                base = obj
                for _ in range(MAX_CHAIN):  # CONFIG.parts.push(x) changes CONFIG
                    if base.type not in ("member_expression", "subscript_expression"):
                        break
                    inner = base.child_by_field_name("object")
                    if inner is None:
                        break
                    base = unwrap(inner)
                if method in _MUTATORS and base.type == "identifier":
                    self.names.mutated.add(self.resolve(text_of(base), base))
                elif text_of(obj) == "Object" and method in ("assign", "defineProperty", "defineProperties"):
                    arguments = node.child_by_field_name("arguments")
                    target = unwrap(arguments.named_children[0]) if arguments is not None and arguments.named_children else None
                    if target is not None and target.type == "identifier":
                        self.names.mutated.add(self.resolve(text_of(target), target))
            return
        if kind == "for_in_statement":
            if node.child_by_field_name("kind") is None:
                self._assign_names(node.child_by_field_name("left"), None, "=", -1)
            return
        if kind == "update_expression":
            self._assign_names(node.child_by_field_name("argument"), None, "=", node.end_byte)
            return
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        operator = text_of(node.child_by_field_name("operator")) if kind == "augmented_assignment_expression" else "="
        if operator in _NUMBER_RESULTS:
            right = None  # x -= 1: a number the file does not show
        self._assign_names(left, right, "+=" if operator == "+=" else "=", node.end_byte)

    def _assign_names(self, target: Node | None, value: Node | None, how: str, at: int) -> None:
        if target is None:
            return
        target = unwrap(target)
        if target.type == "identifier":
            key = self.resolve(text_of(target), target)
            if key[0] != self._scope(target):  # set from an inner function: it may run at any time
                self.names.bind(key, Binding(value, how, block=ANYTIME))
            else:
                self.names.bind(key, Binding(value, how, at, self._block(target)))
        elif target.type in ("member_expression", "subscript_expression"):
            base: Node | None = target
            while base is not None and base.type in ("member_expression", "subscript_expression"):
                inner = base.child_by_field_name("object")
                base = unwrap(inner) if inner is not None else None
            if base is not None and base.type == "identifier":
                self.names.mutated.add(self.resolve(text_of(base), base))
        else:
            for name in walk(target, _PATTERN_NAMES):
                self.names.bind(self.resolve(text_of(name), name), Binding(None, at=at))

    def _known(self, node: Node) -> list[Node] | None:
        """The expressions a name is ever given, when every one of them is shown and the object it
        names is not changed in place; else None."""
        node = unwrap(node)
        if node.type != "identifier":
            return [node]
        key = self.resolve(text_of(node), node)
        bindings = self.names.bindings.get(key)
        if not bindings or key in self.names.mutated or any(b.value is None or b.how == "in" for b in bindings):
            return None
        known = []
        for b in bindings:
            assert b.value is not None
            passed = self._arguments_of(b.value) if b.how == "param" else [b.value]
            if passed is None or None in passed:
                return None
            known += [unwrap(n) for n in passed if n is not None]
        return known

    def _callback(self, function: Node | None) -> tuple[Node, int] | None:
        """``_iterated`` for a function whose text is preceded by an iteration call's opening (a cheap
        look at the bytes first: most functions are not callbacks, and asking the tree costs more)."""
        if function is None or function.type not in FUNCTIONS:
            return None
        if not _CALLBACK_OPENING.search(self.source, max(0, function.start_byte - 48), function.start_byte):
            return None
        return _iterated(function)

    def _uses(self, name: str) -> list[Node] | None:
        """Every identifier ``name`` in the file (found by searching the text, then asking the tree what
        is there); None when there are more than ``_MAX_USES`` or one is a shorthand property
        (``{ name }``), which passes the value on."""
        word = re.compile(rb"(?<![\w$])" + re.escape(name.encode()) + rb"(?![\w$])")
        found: list[Node] = []
        for seen, match in enumerate(word.finditer(self.source)):
            if seen > 4 * _MAX_USES:
                return None  # a short name of minified code: too common to follow
            node = self.root.descendant_for_byte_range(match.start(), match.end())
            if node is None or node.start_byte != match.start() or node.end_byte != match.end():
                continue  # inside a longer token: a string, a comment, a longer name
            if node.type in _SHORTHANDS:
                return None
            if node.type == "identifier":
                found.append(node)
                if len(found) > _MAX_USES:
                    return None
        return found

    def _callers(self, function: Node) -> list[Node] | None:
        """The calls of a function that only this file can call: declared here, not exported, never given
        another value, and named only as the callee of calls (``f(x)``, ``new F(x)``); else None."""
        declared = function.child_by_field_name("name") if function.type == "function_declaration" else None
        if declared is None and function.parent is not None and function.parent.type == "variable_declarator":
            declared = function.parent.child_by_field_name("name")
        if declared is None or declared.type != "identifier":
            return None
        holder = function if function.type == "function_declaration" else function.parent.parent  # type: ignore[union-attr]
        if holder is not None and holder.parent is not None and holder.parent.type == "export_statement":
            return None
        if self.local_function(declared) != function:
            return None  # given another value somewhere
        declaration = function if function.type == "function_declaration" else function.parent
        if not self._module and declaration is not None and self._scope(declaration) in (0, self.root.id):
            return None  # a classic script's top-level function is a global: other scripts may call it
        name = text_of(declared)
        key = self.resolve(name, declared)
        uses = self._uses(name)
        if uses is None:
            return None
        calls = []
        for use in uses:
            if use == declared or self.resolve(name, use) != key:
                continue
            parent = use.parent
            field = "constructor" if parent is not None and parent.type == "new_expression" else "function"
            if parent is None or parent.type not in ("call_expression", "new_expression") or parent.child_by_field_name(field) != use:
                return None  # passed, stored or exported: called from where the file does not show
            calls.append(parent)
        return calls or None

    def _arguments_of(self, parameter: Node) -> list[Node | None] | None:
        """The expressions the file's calls pass a parameter of a function only this file can call (None
        for an argument left out: ``undefined``); None when a call may come from elsewhere or spreads."""
        parameters = parameter.parent
        function = parameters.parent if parameters is not None else None
        if parameters is None or function is None or function.type not in FUNCTIONS:
            return None
        if function.id not in self._caller_cache:
            if len(self._caller_cache) >= _MAX_FUNCTIONS:
                return None  # each costs a search of the file: a hostile file gets only so many
            self._caller_cache[function.id] = self._callers(function)
        calls = self._caller_cache[function.id]
        if calls is None:
            return None
        index = [c for c in parameters.named_children if c.type != "comment"].index(parameter)
        passed: list[Node | None] = []
        for call in calls:
            arguments = call.child_by_field_name("arguments")
            given = [a for a in arguments.named_children if a.type != "comment"] if arguments is not None else []
            if any(a.type == "spread_element" for a in given[:index + 1]):
                return None
            passed.append(given[index] if index < len(given) else None)
        return passed

    def _passed(self, parameter: Node) -> Val:
        """What the file's calls pass a parameter of a function only this file can call; unknown otherwise."""
        passed = self._arguments_of(parameter)
        if passed is None:
            return Val(OTHER)
        return join_values([Val(CONST) if p is None else self.value(p) for p in passed])

    def local_function(self, node: Node) -> Node | None:
        """The function an identifier always names: one declared in the file (``function f() {}``, or
        ``const f = () => ...``) and never given another value; else None."""
        if node.type != "identifier":
            return None
        key = self.resolve(text_of(node), node)
        bindings = self.names.bindings.get(key, [])
        if len(bindings) != 1:
            return None
        declared = self.functions.get(key)
        if declared is not None:
            return declared
        value = unwrap(bindings[0].value) if bindings[0].value is not None else None
        return value if value is not None and value.type in FUNCTIONS else None

    def _name(self, node: Node) -> Val:
        key = self.resolve(text_of(node), node)
        if key not in self.names.bindings or key in self.names.mutated:
            return Val(OTHER)  # unknown, or an array or object changed in place (params.push(source))
        if key[0] != self._scope(node):
            return self.names.value(key, self.value)  # from an inner function: whenever it runs
        spans = []
        loop = self.loop_of.get(node.id, 0)
        while loop:
            spans.append(self.loop_spans[loop])
            loop = self.loop_of.get(loop, 0)
        blocks = []
        container = self.container_of.get(node.id, 0)
        while container:
            if self.containers[container].type in _BLOCKS:
                blocks.append(container)
            container = self.container_of.get(container, 0)
        return self.names.value(key, self.value, node.start_byte, tuple(spans), frozenset(blocks))

    def _block(self, node: Node) -> int:
        """The block ``node``'s statement belongs to, when nothing between them makes it conditional."""
        container = self.container_of.get(node.id, 0)
        return container if container and self.containers[container].type in _BLOCKS else 0

    def value(self, node: Node) -> Val:
        """What an expression is worth; the extractor (JsFile) says."""
        raise NotImplementedError
