"""Python names for the extractor (detect/python.py): scopes, what each binding gives a name, the
classes the file defines, and the class of an object where the file shows it.

Scopes are the module, functions, lambdas, class bodies (seen only from their own body) and
comprehensions; ``global`` and ``nonlocal`` send a function's bindings to the module or the
enclosing function, where they may happen at any time. The values of names are worked out by
``detect/values.Names`` with the extractor's ``value``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from tree_sitter import Node

from entropy_lint.callsite import FileFacts
from entropy_lint.detect.limits import MAX_CHAIN, Depth
from entropy_lint.detect.nodes import survey, text_of
from entropy_lint.detect.values import ANYTIME, OTHER, Binding, Key, Names, Val, join_values

_SCOPES = frozenset({"module", "function_definition", "lambda", "class_definition", "list_comprehension",
                     "set_comprehension", "dictionary_comprehension", "generator_expression"})
_LOOPS = frozenset({"for_statement", "while_statement"})
_BLOCKS = frozenset({"block", "module"})
# Where a statement may or may not run: a binding whose nearest one of these is not a block is never
# certain to have happened (an if without braces does not exist in Python, but a walrus in a condition does).
_CONTAINERS = _BLOCKS | frozenset({"if_statement", "elif_clause", "else_clause", "while_statement", "for_statement",
                                   "try_statement", "except_clause", "finally_clause", "with_statement",
                                   "match_statement", "case_clause", "conditional_expression", "boolean_operator",
                                   "list_comprehension", "set_comprehension", "dictionary_comprehension",
                                   "generator_expression", "lambda"})
_BINDERS = frozenset({"assignment", "augmented_assignment", "for_statement", "for_in_clause", "as_pattern",
                      "named_expression", "import_statement", "import_from_statement", "function_definition",
                      "class_definition", "parameters", "lambda_parameters", "global_statement",
                      "nonlocal_statement"})
_SURVEYED = _BINDERS | frozenset({"call"})  # assignment, imports: already binders
_LOOKED_UP = _SURVEYED | frozenset({"identifier", "attribute"})  # the nodes whose scope is ever asked
_SPREAD = object()  # an argument a * or ** spread may supply
_MAX_PRIVATE_USES = 256  # occurrences of a private name searched before it is given up on
_MAX_PRIVATE_FUNCTIONS = 64  # private functions per file whose calls are looked for
# Methods that change a list, set or dict in place.
_MUTATORS = frozenset({"append", "extend", "insert", "add", "update", "setdefault", "__setitem__", "remove", "pop",
                       "discard", "clear", "sort", "reverse"})
_SEQUENCES = frozenset({"pattern_list", "tuple_pattern", "list_pattern", "tuple", "list", "expression_list"})
_CONSTRUCTOR = re.compile(r"(?:^|\.)_*[A-Z]\w*$")  # a call of a CapWords name builds an instance of it


def _imports(nodes: list[Node]) -> dict[str, str]:
    """Local name -> qualified name for every import in the file."""
    names: dict[str, str] = {}
    for node in nodes:
        if node.type not in ("import_statement", "import_from_statement"):
            continue
        module = text_of(node.child_by_field_name("module_name")) if node.type == "import_from_statement" else ""
        for child in node.children_by_field_name("name"):
            if child.type == "aliased_import":
                target = text_of(child.child_by_field_name("name"))
                local = text_of(child.child_by_field_name("alias"))
            else:
                target = text_of(child)
                local = target if module else target.split(".")[0]
                if not module:
                    target = local  # import os.path binds "os"
            names[local] = f"{module}.{target}" if module else target
    return names


def dotted(node: Node | None) -> str | None:
    """``a.b.c`` for attribute chains of plain names; ``a.b()`` marks a call in the chain. Walked in a
    loop, and only ``MAX_CHAIN`` links deep."""
    suffix: list[str] = []  # innermost last
    while node is not None and len(suffix) <= MAX_CHAIN:
        if node.type == "identifier":
            return text_of(node) + "".join(reversed(suffix))
        if node.type == "attribute":
            suffix.append("." + text_of(node.child_by_field_name("attribute")))
            node = node.child_by_field_name("object")
        elif node.type == "call":
            suffix.append("()")
            node = node.child_by_field_name("function")
        else:
            return None
    return None


def resolve(path: str, imports: dict[str, str]) -> str:
    head, sep, rest = path.partition(".")
    bare_head = head.removesuffix("()")
    if bare_head in imports:
        head = imports[bare_head] + head[len(bare_head):]
    return head + sep + rest


def _targets(node: Node | None) -> Iterator[Node]:
    """The identifiers a target pattern binds (``a``, ``a, (b, *c)``); attributes and subscripts bind none."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if current.type == "identifier":
            yield current
        elif current.type in _SEQUENCES or current.type in ("list_splat_pattern", "parenthesized_expression",
                                                             "as_pattern_target", "list_splat"):
            stack.extend(reversed(current.named_children))


def _chain_head(node: Node) -> Node:
    """The object a receiver chain starts from: ``c`` in ``c.a().b``, ``self.c`` in ``self.c.a()``,
    ``super()`` in ``super().a``; at most ``MAX_CHAIN`` links down."""
    for _ in range(MAX_CHAIN):
        if node.type == "attribute":
            inner = node.child_by_field_name("object")
            if inner is None or text_of(inner) == "self":
                return node
        elif node.type == "call" and text_of(node.child_by_field_name("function")) != "super":
            inner = node.child_by_field_name("function")
        else:
            return node
        if inner is None:
            return node
        node = inner
    return node


class PythonScopes:
    """One file's imports, classes and assignments, and the values of its expressions as far as
    ``depth`` allows."""

    def __init__(self, root: Node, source: bytes, notes: list[str] | None = None) -> None:
        self.source = source
        self.root = root
        self.depth = Depth(notes)
        self._private_cache: dict[int, list[Node] | None] = {}
        indexes, surveyed = survey(root, (_SCOPES, _LOOPS, _CONTAINERS), _SURVEYED, _LOOKED_UP)
        (self.enclosing, self.scope_nodes), (self.loop_of, loops), (self.container_of, self.containers) = indexes
        self.imports = _imports(surveyed)
        self.loop_spans = {i: (n.start_byte, n.end_byte) for i, n in loops.items()}
        self.module = root.id
        self.names = Names(self.depth, self._passed)
        self.globals: set[Key] = set()  # (function, name) declared global there
        self.nonlocals: set[Key] = set()  # (function, name) declared nonlocal there
        self.annotations: dict[Key, str] = {}  # a name's declared type, as written
        self.attributes: dict[tuple[int, str], list[Node]] = {}  # (class id, attr) -> values of self.attr = ...
        self.dict_items: dict[Key, list[tuple[str, Node]]] = {}  # (scope, dict name) -> keyword items set on it
        self.bases: dict[str, list[str]] = {}  # class name -> its bases, qualified through imports
        self._typing: set[int] = set()  # calls whose receiver's class is being worked out
        binders = [node for node in surveyed if node.type in _BINDERS]
        for node in binders:  # first: where global and nonlocal names live
            if node.type in ("global_statement", "nonlocal_statement"):
                shared = self.globals if node.type == "global_statement" else self.nonlocals
                for name in node.named_children:
                    shared.add((self._scope(node), text_of(name)))
        for node in binders:
            self._bind(node)
        for node in surveyed:
            if node.type in ("call", "assignment"):
                self._dict_write(node)
        self.calls = [node for node in surveyed if node.type == "call"]
        for node in self.calls:  # cmds.append(x): a list literal no longer says what the name holds
            function = node.child_by_field_name("function")
            if function is None or function.type != "attribute":
                continue
            obj = function.child_by_field_name("object")
            if obj is not None and obj.type == "identifier" and text_of(function.child_by_field_name("attribute")) in _MUTATORS:
                self.names.mutated.add(self.resolve(obj))
        for node in binders:  # items[0] = x, items += [x]
            target = node.child_by_field_name("left") if node.type in ("assignment", "augmented_assignment") else None
            if target is not None and target.type == "subscript":
                base = target.child_by_field_name("value")
                if base is not None and base.type == "identifier":
                    self.names.mutated.add(self.resolve(base))
        self.facts = FileFacts(classes={name: self._ancestors(name) for name in self.bases})

    # --- scopes and bindings -------------------------------------------------------------------
    def _scope(self, node: Node) -> int:
        return self.enclosing.get(node.id, 0)

    def _home(self, scope: int, name: str) -> Key:
        """Where ``name`` bound or used in ``scope`` lives: the module for ``global``, the enclosing
        function for ``nonlocal``, else ``scope`` itself."""
        if (scope, name) in self.globals:
            return self.module, name
        if (scope, name) in self.nonlocals:
            outer = self.enclosing.get(scope, 0)
            while outer and self.scope_nodes[outer].type not in ("function_definition", "lambda", "module"):
                outer = self.enclosing.get(outer, 0)
            return (outer or self.module), name
        return scope, name

    def _bind_name(self, scope: int, name: Node, value: Node | None, how: str = "=", at: int | None = None) -> None:
        """Bind ``name`` in ``scope`` from byte ``at`` on (default: the end of the name; -1: everywhere)."""
        key = self._home(scope, text_of(name))
        if key[0] != scope:  # global or nonlocal: set from an inner function, which may run at any time
            self.names.bind(key, Binding(value, how, block=ANYTIME))
            return
        container = self.container_of.get(name.id, 0)
        block = container if container and self.containers[container].type in _BLOCKS else 0
        self.names.bind(key, Binding(value, how, name.end_byte if at is None else at, block))

    def _bind(self, node: Node) -> None:
        kind = node.type
        scope = self._scope(node)
        if kind == "assignment":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            while right is not None and right.type == "assignment":  # a = b = value
                right = right.child_by_field_name("right")
            annotation = node.child_by_field_name("type")
            if left is not None and left.type == "identifier" and annotation is not None:
                self.annotations[self._home(scope, text_of(left))] = text_of(annotation)
            self._assign(scope, left, right, annotation, node.end_byte)
        elif kind == "augmented_assignment":
            left = node.child_by_field_name("left")
            operator = text_of(node.child_by_field_name("operator"))
            if left is not None and left.type == "identifier":
                value = node.child_by_field_name("right") if operator == "+=" else None
                self._bind_name(scope, left, value, "+=", node.end_byte)
        elif kind in ("for_statement", "for_in_clause"):
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is not None and left.type == "identifier" and right is not None:
                self._bind_name(scope, left, right, "in")  # for name in ("get", "post"): one of them
                return
            for name in _targets(left):
                self._bind_name(scope, name, None)
        elif kind == "as_pattern":  # with ... as x, except E as x
            alias = node.child_by_field_name("alias")
            opened = node.named_children[0] if node.named_children else None
            if opened is not None and opened.type == "call" and alias is not None and alias.named_children and \
                    alias.named_children[0].type == "identifier" and node.parent is not None and \
                    node.parent.type == "with_item":  # with open(path) as f: f is what open() gives
                self._bind_name(scope, alias.named_children[0], opened)
                return
            for name in _targets(alias):
                self._bind_name(scope, name, None)
        elif kind == "named_expression":
            walrus = node.child_by_field_name("name")
            while scope and self.scope_nodes[scope].type not in ("function_definition", "lambda", "module"):
                scope = self.enclosing.get(scope, 0)  # (x := v) in a comprehension binds in the function
            if walrus is not None:
                self._bind_name(scope, walrus, node.child_by_field_name("value"), at=node.end_byte)
        elif kind in ("import_statement", "import_from_statement"):
            for child in node.children_by_field_name("name"):
                local = child.child_by_field_name("alias") if child.type == "aliased_import" else child
                first = local.named_children[0] if local is not None and local.type == "dotted_name" else local
                if first is not None:
                    self._bind_name(scope, first, None)
        elif kind in ("function_definition", "class_definition"):
            defined = node.child_by_field_name("name")
            if defined is not None:
                self._bind_name(scope, defined, None, at=-1)
            if kind == "class_definition" and defined is not None:
                self._class(node, text_of(defined))
        elif kind in ("parameters", "lambda_parameters"):
            self._parameters(node, scope)

    def _assign(self, scope: int, left: Node | None, right: Node | None, annotation: Node | None, at: int) -> None:
        if left is None:
            return
        if left.type == "identifier":
            self._bind_name(scope, left, right if right is not None or annotation is None else None, at=at)
            return
        if left.type == "attribute":
            self._attribute(left, right)
            return
        names = list(_targets(left))
        values = right.named_children if right is not None and right.type in _SEQUENCES else []
        pairs = left.named_children if left.type in _SEQUENCES else []
        if len(values) == len(pairs) == len(names) and all(p.type == "identifier" for p in pairs):
            for name, value in zip(names, values):  # a, b = "x", "y"
                self._bind_name(scope, name, value, at=at)
            return
        for name in names:
            self._bind_name(scope, name, None, at=at)

    def _parameters(self, node: Node, scope: int) -> None:
        """Parameters bind values the file does not show; an annotation gives the type."""
        for parameter in node.named_children:
            name = parameter
            if parameter.type in ("default_parameter", "typed_default_parameter"):
                name = parameter.child_by_field_name("name") or parameter
            elif parameter.type in ("typed_parameter", "list_splat_pattern", "dictionary_splat_pattern"):
                name = next((c for c in parameter.named_children if c.type == "identifier"), parameter)
            if name.type != "identifier":
                continue
            splat = parameter.type in ("list_splat_pattern", "dictionary_splat_pattern")
            self._bind_name(scope, name, None if splat else name, "=" if splat else "param", at=-1)
            annotation = parameter.child_by_field_name("type")
            if annotation is not None:
                self.annotations[(scope, text_of(name))] = text_of(annotation)

    def _attribute(self, target: Node, value: Node | None) -> None:
        """``self.x = value`` in a method: what the class's instances hold in ``x``."""
        obj = target.child_by_field_name("object")
        if obj is None or text_of(obj) != "self" or value is None:
            return
        cls = self._class_of(target)
        if cls is not None:
            self.attributes.setdefault((cls, text_of(target.child_by_field_name("attribute"))), []).append(value)

    def _class_of(self, node: Node) -> int | None:
        """The class whose method ``node`` is in."""
        scope = self._scope(node)
        while scope and self.scope_nodes[scope].type != "class_definition":
            scope = self.enclosing.get(scope, 0)
        return scope or None

    def _class(self, node: Node, name: str) -> None:
        superclasses = node.child_by_field_name("superclasses")
        bases = []
        for base in superclasses.named_children if superclasses is not None else []:
            path = dotted(base) if base.type != "keyword_argument" else None
            if path is not None:
                bases.append(resolve(path, self.imports))
        self.bases[name] = bases

    def _ancestors(self, name: str) -> tuple[str, ...]:
        """Every ancestor of a class of this file, through the file's own classes, in order."""
        found: list[str] = []
        stack = list(reversed(self.bases.get(name, [])))
        while stack and len(found) < 64:
            base = stack.pop()
            if base in found:
                continue
            found.append(base)
            if base in self.bases and base != name:
                stack.extend(reversed(self.bases[base]))
        return tuple(found)

    def _dict_write(self, node: Node) -> None:
        """Keyword items set on a dict name: ``d = {"k": v}``, ``d = dict(k=v)``, ``d["k"] = v``,
        ``d.update(k=v)``, ``d.setdefault("k", v)``."""
        if node.type == "assignment":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None or right is None:
                return
            if left.type == "identifier":
                for key, value in self._dict_items(right):
                    self.dict_items.setdefault(self.resolve(left), []).append((key, value))
            elif left.type == "subscript":
                target, index = left.child_by_field_name("value"), left.child_by_field_name("subscript")
                item = self.value(index) if index is not None else Val(OTHER)
                if target is not None and target.type == "identifier" and item.value is not None:
                    self.dict_items.setdefault(self.resolve(target), []).append((item.value, right))
            return
        function = node.child_by_field_name("function")
        if function is None or function.type != "attribute":
            return
        target = function.child_by_field_name("object")
        method = text_of(function.child_by_field_name("attribute"))
        arguments = node.child_by_field_name("arguments")
        if target is None or target.type != "identifier" or arguments is None:
            return
        items: list[tuple[str, Node]] = []
        if method == "update":
            for argument in arguments.named_children:
                items += self._dict_items(argument) if argument.type != "keyword_argument" else self._keyword(argument)
        elif method == "setdefault" and len(arguments.named_children) == 2:
            item = self.value(arguments.named_children[0])
            if item.value is not None:
                items.append((item.value, arguments.named_children[1]))
        if items:
            self.dict_items.setdefault(self.resolve(target), []).extend(items)

    def _keyword(self, node: Node) -> list[tuple[str, Node]]:
        name, value = node.child_by_field_name("name"), node.child_by_field_name("value")
        return [(text_of(name), value)] if name is not None and value is not None else []

    def _dict_items(self, node: Node) -> list[tuple[str, Node]]:
        if node.type == "dictionary":
            items = []
            for pair in node.named_children:
                key, value = pair.child_by_field_name("key"), pair.child_by_field_name("value")
                content = self.value(key) if pair.type == "pair" and key is not None else Val(OTHER)
                if content.value is not None and value is not None:
                    items.append((content.value, value))
            return items
        if node.type == "call" and text_of(node.child_by_field_name("function")) == "dict":
            arguments = node.child_by_field_name("arguments")
            return [item for a in (arguments.named_children if arguments is not None else [])
                    if a.type == "keyword_argument" for item in self._keyword(a)]
        return []

    def resolve_in(self, scope: int, name: str) -> Key:
        """The scope whose ``name`` a use in ``scope`` means: the nearest enclosing one that binds it
        (class bodies are seen only from their own body), else the module (or scope 0: a builtin)."""
        first = scope
        while scope:
            if (scope, name) in self.globals or (scope, name) in self.nonlocals:
                return self._home(scope, name)
            if (scope, name) in self.names.bindings and (self.scope_nodes[scope].type != "class_definition"
                                                         or scope == first):
                return scope, name
            scope = self.enclosing.get(scope, 0)
        return 0, name

    def resolve(self, node: Node) -> Key:
        return self.resolve_in(self._scope(node), text_of(node))

    # --- parameters of private functions ---------------------------------------------------------
    def _passed(self, name: Node) -> Val:
        """What the file's calls pass the parameter ``name`` of a private function or method (``_f``,
        not exported by convention) that the file only ever calls (``_f(x)``, ``self._f(x)``):
        the join of the arguments, a default standing for a call that leaves it out. Unknown for any
        other function, or when a call spreads ``*args``/``**kwargs``."""
        calls = self._private_calls(name)
        if calls is None:
            return Val(OTHER)
        position, default, shift = calls[0]
        vals = []
        for call in calls[1]:
            given = self._argument(call, text_of(name), position - shift if position >= 0 else -1)
            if given is _SPREAD:
                return Val(OTHER)
            source = given if given is not None else default
            vals.append(self.value(source) if isinstance(source, Node) else Val(OTHER))
        return join_values(vals) if vals else Val(OTHER)

    def _private_calls(self, name: Node) -> tuple[tuple[int, Node | None, int], list[Node]] | None:
        """((the parameter's position, its default, 1 for a method's self), [(each call, 0)])."""
        parameter = name.parent if name.parent is not None and name.parent.type != "parameters" else name
        parameters = parameter.parent
        function = parameters.parent if parameters is not None else None
        if parameters is None or function is None or function.type != "function_definition":
            return None
        if function.parent is not None and function.parent.type == "decorated_definition":
            return None  # a decorator may call it with anything
        declared = text_of(function.child_by_field_name("name"))
        if not declared.startswith("_") or declared.endswith("__"):
            return None
        key = function.id
        if key not in self._private_cache:
            if len(self._private_cache) >= _MAX_PRIVATE_FUNCTIONS:
                return None  # each costs a search of the file: a hostile file gets only so many
            self._private_cache[key] = self._calls_of(function, declared)
        calls = self._private_cache[key]
        if calls is None:
            return None
        listed = [p for p in parameters.named_children if p.type not in ("comment", "positional_separator")]
        if parameter not in listed:
            return None
        index = listed.index(parameter)
        if any(p.type in ("list_splat_pattern", "keyword_separator") for p in listed[:index]):
            index = -1  # after *args or a bare *: given by keyword or left to its default, never by position
        default = parameter.child_by_field_name("value") if parameter.type.endswith("default_parameter") else None
        return (index, default, 1 if self._is_method(function) else 0), calls

    def _is_method(self, function: Node) -> bool:
        outer = self.enclosing.get(function.id, 0)
        return bool(outer) and outer in self.scope_nodes and self.scope_nodes[outer].type == "class_definition"

    def _calls_of(self, function: Node, declared: str) -> list[Node] | None:
        """Every call of a private function or method, when its name is used for nothing else."""
        word = re.compile(rb"(?<![\w])" + re.escape(declared.encode()) + rb"(?![\w])")
        method = self._is_method(function)
        calls = []
        for seen, match in enumerate(word.finditer(self.source)):
            if seen > _MAX_PRIVATE_USES:
                return None
            node = self.root.descendant_for_byte_range(match.start(), match.end())
            if node is not None and node.type in ("string_content", "string"):
                return None  # getattr(obj, "_f"): called by a name the file only spells
            if node is None or node.start_byte != match.start() or node.end_byte != match.end() or node.type != "identifier":
                continue  # in a comment or a longer name
            parent = node.parent
            if parent is None:
                return None
            if parent == function:
                continue  # the definition itself
            if method:  # self._f(...) or cls._f(...)
                obj = parent.child_by_field_name("object") if parent.type == "attribute" else None
                if obj is None or text_of(obj) not in ("self", "cls") or parent.child_by_field_name("attribute") != node:
                    return None
                call = parent.parent
            else:
                call = parent
            if call is None or call.type != "call" or call.child_by_field_name("function") != (parent if method else node):
                return None  # passed, stored, decorated, or named some other way: callers the file does not show
            calls.append(call)
        return calls or None

    @staticmethod
    def _argument(call: Node, name: str, index: int) -> Node | object | None:
        """The argument of ``call`` for the parameter ``name`` at ``index``; None when left out,
        _SPREAD when a ``*``/``**`` argument may supply it."""
        arguments = call.child_by_field_name("arguments")
        given = [a for a in arguments.named_children if a.type != "comment"] if arguments is not None else []
        positional = [a for a in given if a.type not in ("keyword_argument", "dictionary_splat")]
        if any(a.type in ("list_splat", "dictionary_splat") for a in given):
            return _SPREAD
        if 0 <= index < len(positional):
            return positional[index]
        for a in given:
            if a.type == "keyword_argument" and text_of(a.child_by_field_name("name")) == name:
                return a.child_by_field_name("value")
        return None

    # --- types ---------------------------------------------------------------------------------
    def type_of(self, node: Node) -> str | None:
        """The class of the object ``node`` names, when the file shows it (qualified through imports;
        a class of this file by its name)."""
        if node.type == "call" and text_of(node.child_by_field_name("function")) == "super":
            cls = self._class_of(node)
            name = text_of(self.scope_nodes[cls].child_by_field_name("name")) if cls is not None else ""
            bases = self.bases.get(name, [])
            return bases[0] if bases else None
        if node.type == "identifier":
            name = text_of(node)
            if name in ("self", "cls"):
                cls = self._class_of(node)
                return text_of(self.scope_nodes[cls].child_by_field_name("name")) if cls is not None else None
            key = self.resolve(node)
            if key in self.annotations:
                return self._type_name(self.annotations[key])
            values = [b.value for b in self.names.bindings.get(key, [])]
            return self._constructed(values) if values and None not in values else None
        if node.type == "attribute":
            obj = node.child_by_field_name("object")
            cls = self._class_of(node)
            if obj is not None and text_of(obj) == "self" and cls is not None:
                return self._constructed(self.attributes.get((cls, text_of(node.child_by_field_name("attribute"))), []))
        return None

    def _type_name(self, annotation: str) -> str | None:
        path = annotation.strip().strip("'\"").split("[", 1)[0]
        if not re.fullmatch(r"[A-Za-z_][\w.]*", path):
            return None  # Optional[...] unions and other shapes: not one class
        return resolve(path, self.imports)

    def _constructed(self, values: Sequence[Node | None]) -> str | None:
        """The class every value is an instance of, when each is a call of the same CapWords callee,
        or the same method of an object whose class is known (``chan = client.open_session()`` is
        ``paramiko.SSHClient.open_session()``)."""
        types = set()
        for value in values:
            callee = value.child_by_field_name("function") if value is not None and value.type == "call" else None
            path = dotted(callee) if callee is not None else None
            if callee is None or path is None:
                return None
            if "()" not in path and _CONSTRUCTOR.search(path):
                types.add(resolve(path, self.imports))
                continue
            method = self._typed_method(callee)
            if method is None:
                return None
            types.add(method + "()")
        return types.pop() if len(types) == 1 else None

    def _typed_method(self, callee: Node) -> str | None:
        """``Type.method`` for a call on a receiver whose class the file shows, else None."""
        name = callee.child_by_field_name("attribute") if callee.type == "attribute" else None
        receiver = callee.child_by_field_name("object") if callee.type == "attribute" else None
        if name is None or receiver is None or callee.id in self._typing:
            return None
        self._typing.add(callee.id)  # x = x.next(): a value defined through itself has no class here
        try:
            qualname = self._qualname(callee, receiver, name)
        finally:
            self._typing.discard(callee.id)
        written = dotted(callee)
        return qualname if written is not None and qualname != resolve(written, self.imports) else None

    def _qualname(self, function: Node, receiver: Node | None, name: Node) -> str:
        """The callee's dotted path, its head resolved through imports, or replaced by the class of the
        object the chain starts from when the file shows it."""
        path = dotted(function)
        if path is None:
            return f"?.{text_of(name)}"  # a call on a complex expression: only *.name rules match
        if receiver is not None:
            head = _chain_head(receiver)
            imported = head.type == "identifier" and text_of(head) in self.imports and \
                self.resolve(head)[0] == self.module
            typed = None if imported else self.type_of(head)
            written = dotted(head)
            if typed is not None and written and path.startswith(written):
                return typed + path[len(written):]
        return resolve(path, self.imports)

    def _name(self, node: Node) -> Val:
        key = self.resolve(node)
        if key not in self.names.bindings or key in self.names.mutated:
            return Val(OTHER)  # unknown, or a list, set or dict changed in place
        if key[0] != self._scope(node):
            return self.names.value(key, self.value)  # from an inner function: whenever it runs
        return self.names.value(key, self.value, node.start_byte, self._loops(node), self._blocks(node))

    def _blocks(self, node: Node) -> frozenset[int]:
        """The blocks around ``node``: their statements have run by the time it does."""
        found = []
        container = self.container_of.get(node.id, 0)
        while container:
            if self.containers[container].type in _BLOCKS:
                found.append(container)
            container = self.container_of.get(container, 0)
        return frozenset(found)

    def _loops(self, node: Node) -> tuple[tuple[int, int], ...]:
        """The byte ranges of the loops around ``node``."""
        spans = []
        loop = self.loop_of.get(node.id, 0)
        while loop:
            spans.append(self.loop_spans[loop])
            loop = self.loop_of.get(loop, 0)
        return tuple(spans)

    def value(self, node: Node) -> Val:
        """What an expression is worth; the extractor (PythonFile) says."""
        raise NotImplementedError
