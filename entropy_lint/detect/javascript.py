"""JavaScript, TypeScript and TSX call sites, with names resolved through imports and requires.

One extractor serves the three grammars: they share node types, and TypeScript only adds
wrappers (``x as T``, ``x!``, ``<T>x``, ``x satisfies T``) that are seen through here.

Besides calls and ``new``, two non-call sinks become sites of kind "assign": an assignment to
a sink property (``el.innerHTML = x``, qualname ``<receiver>.innerHTML``) and a JSX
``dangerouslySetInnerHTML`` attribute (qualname ``<tag>.dangerouslySetInnerHTML``, the
argument being the ``__html`` value). Properties of an object literal passed as an argument
are also given as keyword arguments, so options bags read like Python keywords
(``site.kwarg("shell")`` in ``spawn(cmd, args, {shell: true})``).

Argument values follow the file's declarations and assignments (javascript_scopes.py and
values.Names): ``const WORD = '[a-z]+'`` makes ``new RegExp('^' + WORD)`` a constant, as do templates
of constants, a regular expression literal's ``.source``, properties of constant object literals and
``.join()`` of constant arrays that are not changed in place.
"""

from __future__ import annotations

import re

from tree_sitter import Node, Tree

from entropy_lint.callsite import Arg, CallSite
from entropy_lint.detect.javascript_scopes import (FUNCTIONS, SITES, JsScopes, dotted, key_name, own_require,
                                                property_name, unwrap)
from entropy_lint.detect.limits import guarded
from entropy_lint.detect.nodes import call_site, text_of
from entropy_lint.detect.values import (ANYTIME, CONST, DYN, OTHER, SAFE, Val, binary_value, join_values, judgement,
                                        own_parts, plus_values)

# Assignments worth a site of their own; other property assignments are not sinks.
SINK_PROPERTIES = frozenset({"innerHTML", "outerHTML", "NODE_TLS_REJECT_UNAUTHORIZED"})
_CONSTANTS = frozenset({"number", "true", "false", "null", "undefined", "regex"})
_FORMATTERS = frozenset({"format", "sprintf", "vsprintf"})
# String methods whose result is as constant as the string and their arguments.
_STRING_METHODS = frozenset({"concat", "replace", "replaceAll", "padStart", "padEnd", "toLowerCase", "toUpperCase",
                             "trim", "trimStart", "trimEnd", "slice", "substring", "substr", "repeat", "normalize",
                             "toString", "valueOf", "charAt"})
# Arguments of those that are positions or counts: they pick from the string, they add no text.
_COUNTS = {"slice": (0, 1), "substring": (0, 1), "substr": (0, 1), "charAt": (0,), "repeat": (0,), "padStart": (0,),
           "padEnd": (0,)}
_REGEX_ESCAPE = "\\\\$&"  # .replace(metacharacters, '\\$&'): each match written after a backslash
_UNDEFINED = frozenset({"undefined", "NaN", "Infinity"})
_NUMBER_CALLS = frozenset({"parseInt", "parseFloat", "Number", "Date.now", "Number.parseInt", "Number.parseFloat"})
_ESCAPER = re.compile(r"(?i)quote|escape|sanitiz|purify|encode")  # a string made safe for some context
_METACHARACTERS = "^$*+?.()|{}[]"  # a regex escape's character class holds all of them (and \\)
_MAX_GUARDS = 24  # tests around a use (and operands of one test) read to narrow a name to constants
_MAX_CASES = 256  # cases of a switch read to narrow its discriminant
_CASE_ENDS = frozenset({"break_statement", "return_statement", "throw_statement", "continue_statement"})
# A name for a compiled regular expression (unicodeRegExp, WORD_PATTERN, rtrim is not): its ``.source``
# is a pattern the program wrote.
_REGEX_NAME = re.compile(r"(?i:reg(?:ular)?_?exp?|pattern)|(?:^|_)(?:re|RE)(?:$|_|[A-Z])|Re$")


def extract(tree: Tree, source: bytes, language: str = "javascript", notes: list[str] | None = None) -> list[CallSite]:
    root = tree.root_node
    js = JsFile(root, source, notes)
    sites = []
    for node in js.surveyed:
        if node.type not in SITES:
            continue
        if node.type == "jsx_attribute":
            site = js.jsx_html(node)
        elif node.type in ("call_expression", "new_expression"):
            site = js.call(node)
        else:
            site = js.assign(node)
        if site is not None:
            sites.append(site)
    return sites


class JsFile(JsScopes):
    """One file's call sites and the values of their arguments, as far as ``depth`` allows."""

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
            name_node = property_name(callee)
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
        name_node = property_name(left)
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
                             if p.type == "pair" and key_name(p.child_by_field_name("key")) == "__html"), None)
                value = html if html is not None else value
        element = node.parent
        tag = text_of(element.child_by_field_name("name")) if element is not None else ""
        return call_site("assign", f"{tag or '?'}.dangerouslySetInnerHTML", node, name_node, tag, (self.arg(value),),
                         source=self.source)

    # --- values ------------------------------------------------------------------------------
    def _member_value(self, node: Node) -> Val:
        """``re.source`` of a regular expression written in the file, ``OPTIONS.key`` of a constant
        object literal, ``s.length``."""
        prop = property_name(node)
        obj = node.child_by_field_name("object")
        if prop is None or obj is None:
            return Val(OTHER)
        name = text_of(prop)
        if name == "length":
            return Val(SAFE)
        sources = self._known(obj)
        if sources is None:  # unicodeRegExp.source, or a member of an import of the program's own module
            named = property_name(obj) if obj.type == "member_expression" else obj
            if name == "source" and named is not None and _REGEX_NAME.search(text_of(named)):
                return Val(OTHER, None, True, True)
            return Val(OTHER, own=self.value(obj).own)
        vals = []
        for source in sources:
            if name == "source" and source.type in ("regex", "new_expression"):
                vals.append(self._regex_source(source))
            elif source.type == "object":
                pair = next((p for p in source.named_children if p.type == "pair"
                             and key_name(p.child_by_field_name("key")) == name), None)
                item = pair.child_by_field_name("value") if pair is not None else None
                vals.append(self.value(item) if item is not None else Val(OTHER))
            else:
                return Val(OTHER, own=self.value(obj).own)
        return join_values(vals) if vals else Val(OTHER)

    def _regex_source(self, node: Node) -> Val:
        if node.type == "regex":
            pattern = node.child_by_field_name("pattern")
            return Val(CONST, text_of(pattern), True)
        constructor = node.child_by_field_name("constructor")
        arguments = node.child_by_field_name("arguments")
        if text_of(constructor) != "RegExp" or arguments is None or not arguments.named_children:
            return Val(OTHER)
        given = self.value(arguments.named_children[0])
        return given if given.kind == CONST else Val(OTHER)

    def _call_value(self, node: Node) -> Val:
        function = unwrap(node.child_by_field_name("function") or node)
        arguments = node.child_by_field_name("arguments")
        if arguments is None or arguments.type != "arguments":
            return Val(OTHER)
        args = [self.value(a) for a in arguments.named_children if a.type != "comment"]
        prop = property_name(function)
        name = text_of(prop if prop is not None else function)
        if text_of(function) in _NUMBER_CALLS or text_of(function.child_by_field_name("object")) == "Math":
            return Val(SAFE)  # a number carries no text
        if _ESCAPER.search(name) and not name.lower().startswith(("un", "decode")):
            return Val(SAFE, None, True)  # escapeRegExp(x), DOMPurify.sanitize(x), mysql.escape(x)
        if name in _FORMATTERS and args and args[0].string:
            return join_values([plus_values(Val(CONST, None, True), a) for a in args], True)
        if prop is None:
            if own_require(node):
                return Val(OTHER, own=True)
            if name == "String" and args:
                return join_values([args[0]], True)
            local = self.local_function(function)
            return self._returned(local) if local is not None else Val(OTHER)
        obj = function.child_by_field_name("object")
        if obj is None:
            return Val(OTHER)
        if name == "join":
            sources = self._known(obj)
            arrays = [self.value(s) for s in sources] if sources is not None and all(
                s.type == "array" for s in sources) else []
            if not arrays:  # "a,b".split(",").join("|")
                arrays = [self.value(obj)]
            if all(a.kind == CONST for a in arrays + args):
                return Val(CONST, None, True)
            return Val(OTHER, None, True, own_parts(arrays + args))
        if name == "split":  # an array of pieces of the string
            pieces = [self.value(obj), *args]
            return Val(CONST) if all(p.kind == CONST for p in pieces) else Val(OTHER)
        if name in ("replace", "replaceAll") and len(args) == 2 and (
                args[1].value == _REGEX_ESCAPE or self._escaping_replacer(arguments)):
            # The inline regex escape, s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'): safe in a pattern only
            # (it leaves ; & and backticks alone), so data to every rule but the RegExp one.
            return Val(OTHER, None, True, True)
        if name in _STRING_METHODS:
            receiver = self.value(obj)
            if not receiver.string and receiver.kind != CONST:
                return Val(OTHER, own=own_parts([receiver, *args]))
            total = Val(receiver.kind, receiver.value, True)
            for i, arg in enumerate(args):
                if i not in _COUNTS.get(name, ()):
                    total = plus_values(total, arg)
            return Val(total.kind, None, True, total.own)
        return Val(OTHER)

    def _escaping_replacer(self, arguments: Node) -> bool:
        """``.replace(/[...metacharacters...]/g, function (c) { return BACKSLASH + c; })``: a character class
        of the metacharacters, each match written back after a backslash by a function of one parameter."""
        given = [a for a in arguments.named_children if a.type != "comment"]
        pattern, replacer = (unwrap(given[0]), unwrap(given[1])) if len(given) == 2 else (None, None)
        if pattern is None or replacer is None or pattern.type != "regex" or replacer.type not in FUNCTIONS:
            return False
        body = text_of(pattern.child_by_field_name("pattern"))
        if not (body.startswith("[") and not body.startswith("[^") and body.endswith("]") and "\\\\" in body
                and all(c in body for c in _METACHARACTERS)):
            return False  # every metacharacter (and a backslash, escaped) in a class that is not negated
        parameters = replacer.child_by_field_name("parameters") or replacer.child_by_field_name("parameter")
        names = [text_of(p) for p in parameters.named_children] if parameters is not None and \
            parameters.type == "formal_parameters" else [text_of(parameters)] if parameters is not None else []
        returned = replacer.child_by_field_name("body")
        if returned is not None and returned.type == "statement_block":
            statements = [c for c in returned.named_children if c.type != "comment"]
            returned = statements[0].named_children[0] if len(statements) == 1 and \
                statements[0].type == "return_statement" and statements[0].named_children else None
        if not names or returned is None or returned.type != "binary_expression":
            return False
        left, right = returned.child_by_field_name("left"), returned.child_by_field_name("right")
        return left is not None and right is not None and text_of(left) in ("'\\\\'", '"\\\\"') and \
            text_of(right) == names[0]

    def _returned(self, function: Node) -> Val:
        """What a call of a function declared in the file gives: the join of its ``return`` values, its
        parameters unknown. A function that escapes regular expression metacharacters in its argument
        gives an escaped string whatever it is called with. A recursive call stands for nothing extra."""
        memo = ("returns", function.id)
        depth = self.depth
        found, answer = depth.recall(memo)
        if found:
            return answer  # type: ignore[return-value]
        if not depth.open(memo):
            return Val(CONST, None, True)
        mark = depth.mark()
        body = function.child_by_field_name("body")
        if body is not None and body.type != "statement_block":
            vals = [self.value(body)]  # an arrow function's expression body
        else:
            returned = [r.named_children[0] if r.named_children else None for r in self.returns.get(function.id, [])]
            vals = [self.value(r) if r is not None else Val(CONST) for r in returned if r is None or r.type != "comment"]
        result = join_values(vals) if vals else Val(CONST)
        depth.close(memo)
        depth.remember(memo, result, mark)
        return result

    @guarded(Val(DYN, None, True), memo=True)
    def value(self, node: Node) -> Val:
        """What the expression at ``node`` is worth to a rule (see values.Val)."""
        node = unwrap(node)
        kind = node.type
        if kind == "string":
            return Val(CONST, text_of(node)[1:-1], True)
        if kind == "template_string":
            total = Val(CONST, "", True)
            for child in node.named_children:
                if child.type == "template_substitution":
                    inner = child.named_children[0] if child.named_children else None
                    part = self.value(inner) if inner is not None else Val(OTHER)
                    total = plus_values(total, part)
                else:
                    total = plus_values(total, Val(CONST, text_of(child), True))
            return total
        if kind in _CONSTANTS:
            return Val(CONST)
        if kind == "identifier":
            if text_of(node) in _UNDEFINED:
                return Val(CONST)
            named = self._name(node)
            if named.kind != CONST:
                narrowed = self._narrowed(node)
                if narrowed is not None:
                    return narrowed
            return named
        if kind == "binary_expression":
            operator = text_of(node.child_by_field_name("operator"))
            if operator in ("||", "&&", "??"):
                sides = [node.child_by_field_name("left"), node.child_by_field_name("right")]
                return join_values([self.value(n) for n in sides if n is not None])
            return binary_value(node, self.value)
        if kind == "sequence_expression":  # (a = f(x), g(a)): the last expression's value
            parts = [c for c in node.named_children if c.type != "comment"]
            return self.value(parts[-1]) if parts else Val(OTHER)
        if kind == "ternary_expression":
            branches = [node.child_by_field_name("consequence"), node.child_by_field_name("alternative")]
            return join_values([self.value(b) for b in branches if b is not None])
        if kind == "update_expression":  # n++: a number
            return Val(SAFE)
        if kind == "unary_expression":
            operand = node.child_by_field_name("argument")
            result = self.value(operand) if operand is not None else Val(OTHER)
            return Val(CONST) if result.kind == CONST else Val(SAFE)
        if kind == "array":
            elements = [c for c in node.named_children if c.type != "comment"]
            return Val(CONST) if all(self.value(e).kind == CONST for e in elements) else Val(OTHER)
        if kind == "object":  # {event: 'clear'}: constant when every key and value is
            return Val(CONST) if all(self._constant_property(p) for p in node.named_children) else Val(OTHER)
        if kind in ("member_expression", "subscript_expression"):
            return self._member_value(node)
        if kind == "call_expression":
            return self._call_value(node)
        return Val(OTHER)

    def _narrowed(self, node: Node) -> Val | None:
        """A name that a test around the use has compared with constants: ``r`` inside ``if ("script" ===
        r || "style" === r) {...}``, after ``r === "a" &&``, in ``r === "a" ? f(r) : g``, or under
        ``case "a":`` of ``switch (r)``; None when no test says so, or the name is assigned in between."""
        name = text_of(node)
        key = self.resolve(name, node)
        if any(b.block == ANYTIME for b in self.names.bindings.get(key, [])):
            return None  # a function may set it between the test and the use: load(req); exec(cmd)
        container, steps = self.container_of.get(node.id, 0), 0
        while container and steps < _MAX_GUARDS:
            steps += 1
            around = self.containers[container]
            container = self.container_of.get(container, 0)
            kind = around.type
            if kind in ("if_statement", "ternary_expression"):
                test, body = around.child_by_field_name("condition"), around.child_by_field_name("consequence")
            elif kind == "binary_expression" and text_of(around.child_by_field_name("operator")) == "&&":
                test, body = around.child_by_field_name("left"), around.child_by_field_name("right")
            elif kind == "switch_case":
                test, body = around.child_by_field_name("value"), around  # the case's own value, checked below
            else:
                continue
            if test is None or body is None or not body.start_byte <= node.start_byte < body.end_byte:
                continue
            if self._scope(node) != self._scope(around):
                return None  # used in a function the branch makes: it may run after the name changes
            values = self._case_values(around, name, key) if kind == "switch_case" else self._equal_to(test, name, key)
            if values is None:
                continue
            if any(test.start_byte <= b.at < node.start_byte for b in self.names.bindings.get(key, [])):
                return None  # assigned again in the test or after it
            return Val(CONST, values.pop() if len(values) == 1 else None, True)
        return None

    def _equal_to(self, test: Node, name: str, key: tuple[int, str], depth: int = 0) -> set[str] | None:
        """The constants a test that is true says ``name`` equals; None when it does not say."""
        test = unwrap(test)
        if depth > _MAX_GUARDS or test.type != "binary_expression":
            return None
        operator = text_of(test.child_by_field_name("operator"))
        left, right = test.child_by_field_name("left"), test.child_by_field_name("right")
        if left is None or right is None:
            return None
        if operator in ("||", "&&"):
            a, b = self._equal_to(left, name, key, depth + 1), self._equal_to(right, name, key, depth + 1)
            if operator == "||":
                return a | b if a is not None and b is not None else None
            return a if a is not None else b
        if operator not in ("===", "=="):
            return None
        for this, other in ((unwrap(left), right), (unwrap(right), left)):
            if this.type == "identifier" and text_of(this) == name and self.resolve(name, this) == key:
                val = self.value(other)
                return {val.value} if val.kind == CONST and val.value is not None else None
        return None

    def _case_values(self, case: Node, name: str, key: tuple[int, str]) -> set[str] | None:
        """``case "a":`` of a ``switch`` on ``name``: its value (a case that falls through from others
        holds one of theirs, so every earlier case up to the last one that ends must be constant too)."""
        body = case.parent
        switch = body.parent if body is not None else None
        discriminant = switch.child_by_field_name("value") if switch is not None else None
        if discriminant is None or body is None:
            return None
        discriminant = unwrap(discriminant)
        if discriminant.type != "identifier" or text_of(discriminant) != name or self.resolve(name, discriminant) != key:
            return None
        values: set[str] = set()
        reached_from_default = False  # a default that falls through lets any value in
        cases = body.named_children
        if len(cases) > _MAX_CASES:
            return None  # a switch this long is not read case by case for every name inside it
        for other in cases:
            if other.type == "switch_default":
                if other == case:
                    return None
                statements = [c for c in other.named_children if c.type != "comment"]
                reached_from_default = not (statements and statements[-1].type in _CASE_ENDS)
                values = set()
                continue
            if other.type != "switch_case":
                continue
            value = other.child_by_field_name("value")
            val = self.value(value) if value is not None else Val(OTHER)
            if val.kind != CONST or val.value is None:
                return None
            values.add(val.value)
            if other == case:
                return None if reached_from_default else values
            statements = [c for c in other.named_children if c != value and c.type != "comment"]
            if statements and statements[-1].type in _CASE_ENDS:
                values, reached_from_default = set(), False  # this case ends: the next one is not reached from it
        return None

    def _constant_property(self, part: Node) -> bool:
        if part.type == "comment":
            return True
        if part.type == "shorthand_property_identifier":
            return self._name(part).kind == CONST
        if part.type != "pair":
            return False  # a spread, a method, a getter
        key, value = part.child_by_field_name("key"), part.child_by_field_name("value")
        if key is None or value is None:
            return False
        if key.type == "computed_property_name":
            inner = key.named_children[0] if key.named_children else None
            if inner is None or self.value(inner).kind != CONST:
                return False
        return self.value(value).kind == CONST

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
                            args.append(self.arg(item, key_name(key)))
                    elif prop.type == "shorthand_property_identifier":
                        args.append(self.arg(prop, text_of(prop)))
        return tuple(args)

    def arg(self, node: Node, keyword: str | None = None) -> Arg:
        """Range as written; type, constancy and string-ness of the value inside any wrappers."""
        inner = unwrap(node)
        judge = self._shorthand if inner.type == "shorthand_property_identifier" else self.value
        return Arg(node_type=inner.type, start=node.start_byte, end=node.end_byte, keyword=keyword,
                   source=self.source, judge=lambda: judgement(judge(inner)))

    def _shorthand(self, node: Node) -> Val:
        """``{shell}``: the value of the variable ``shell``."""
        return self._name(node)
