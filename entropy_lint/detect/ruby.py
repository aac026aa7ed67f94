"""Ruby call sites: method calls with or without parentheses and blocks, and shell literals.

Qualnames: a receiverless call is the method name (``system``); a call on a constant or scope
resolution keeps it as written (``Digest::MD5.hexdigest``, ``Open3.capture2``; a leading ``::`` is
dropped and ``Kernel::system`` is ``Kernel.system``); other receivers are dotted as written with
arguments dropped (``User.where(x).order(y)`` is ``User.where.order``), so ``obj.system(x)`` is
``obj.system`` and matches no rule named ``system``. A receiverless call inside a class, module or
file that defines a method of the same name calls that method, so it is ``self.<name>``. Backticks
and ``%x{}`` are kind "shell" with the qualname "`" (the Kernel method they call).

Bare identifiers (``x = rand``) are left alone: without scope analysis they cannot be told apart
from local variables.
"""

from __future__ import annotations

import functools
import re

from tree_sitter import Node, Tree

from entropy_lint.callsite import Arg, CallSite
from entropy_lint.detect.limits import MAX_CHAIN, NOT_CONSTANT, Depth, guarded
from entropy_lint.detect.nodes import call_site, index_scopes, operands, survey, text_of, walk
from entropy_lint.detect.values import ANYTIME, CONST, DYN, OTHER, SAFE, Binding, Names, Val, join_values, judgement

_SCALARS = frozenset({"integer", "float", "rational", "complex", "true", "false", "nil", "simple_symbol",
                      "hash_key_symbol", "character", "constant", "scope_resolution"})
_STRING_PARTS = frozenset({"string_content", "escape_sequence", "heredoc_content", "heredoc_end"})
_SCOPES = frozenset({"class", "module", "program"})
_FORMATTERS = frozenset({"format", "sprintf", "Kernel.format", "Kernel.sprintf"})
_BINARY = frozenset({"binary"})
_PLUS = frozenset({"+"})
# Local variables: a method, class or module body, or the file, is their scope (blocks see and share it).
_VAR_SCOPES = frozenset({"method", "singleton_method", "class", "module", "program"})
_LOOPS = frozenset({"while", "until", "for", "do_block", "block", "while_modifier", "until_modifier"})
_BLOCKS = frozenset({"body_statement", "program"})
# Where a statement may or may not run (x = 1 if c; a || (x = 1); case/when; rescue).
_CONTAINERS = _BLOCKS | _LOOPS | frozenset({"if", "unless", "elsif", "else", "then", "case", "when", "begin",
                                            "rescue", "ensure", "conditional", "binary", "if_modifier",
                                            "unless_modifier", "rescue_modifier", "lambda"})
_BINDERS = frozenset({"assignment", "operator_assignment", "method_parameters", "block_parameters",
                      "lambda_parameters", "exception_variable", "for"})
_PARAMETER_NAMES = frozenset({"identifier"})
_JOINS = frozenset({"||", "or", "&&", "and"})
# Hooks whose first parameter is the name of a method the program called: ``send(name, *args)`` in them
# forwards that call, it does not pick a method from data.
_DISPATCH_HOOKS = frozenset({"method_missing", "respond_to_missing?"})
# Methods whose result is quoted for SQL or a shell, or a number: interpolating them adds no syntax.
_QUOTING = re.compile(r"(?:quote|sanitize_sql)\w*$")  # SQL quoting: the strings it marks safe are SQL
_MAX_CHOICES = 8  # conditionals inside an interpolation followed
_NUMBERS = frozenset({"to_i", "to_f", "to_r", "to_c"})
# Methods whose block is given each element of the receiver in turn (the first block parameter).
_ELEMENT_BLOCKS = frozenset({"each", "map", "collect", "flat_map", "select", "filter", "reject", "each_with_index",
                             "each_with_object", "find", "detect", "any?", "all?", "none?", "filter_map", "each_pair",
                             "each_key", "each_value", "each_slice", "each_cons"})
# Names that hold the request in Rails and Sinatra: what a client sends.
_REQUEST = frozenset({"params", "cookies", "request"})
_NAMES = frozenset({"identifier", "instance_variable"})
_LITERAL_TABLES = frozenset({"array", "string_array", "symbol_array", "hash"})
_MAX_REQUEST_NAMES = 200  # names read in one expression before it is taken as possibly request data
_GROWERS = frozenset({"push", "append", "unshift", "prepend", "insert", "concat", "store", "merge!", "update", "replace"})
# Constants that hold the process's input, not the program's own values.
_INPUT_CONSTANTS = frozenset({"ENV", "ARGV", "ARGF", "STDIN"})


def extract(tree: Tree, source: bytes, language: str = "ruby", notes: list[str] | None = None) -> list[CallSite]:
    root = tree.root_node
    rb = RubyFile(root, source, notes)
    sites = []
    for node in walk(root, frozenset({"call", "subshell"})):
        site = rb.subshell(node) if node.type == "subshell" else rb.call(node)
        if site is not None:
            sites.append(site)
    return sites


def dotted(node: Node) -> str | None:
    """The receiver as a path: constants as written, calls by name with their arguments dropped.
    Walked in a loop, and only ``MAX_CHAIN`` links deep."""
    suffix: list[str] = []  # innermost last
    current: Node | None = node
    while current is not None and len(suffix) <= MAX_CHAIN:
        kind = current.type
        if kind in ("constant", "scope_resolution"):
            return text_of(current).removeprefix("::") + "".join(reversed(suffix))
        if kind in ("identifier", "instance_variable", "class_variable", "global_variable", "self"):
            return text_of(current) + "".join(reversed(suffix))
        if kind == "call":
            method = current.child_by_field_name("method")
            if method is None:
                return None
            suffix.append("." + text_of(method))
            current = current.child_by_field_name("receiver")
            if current is None:
                return "".join(reversed(suffix))[1:]
        elif kind == "element_reference":
            suffix.append("[]")
            current = current.child_by_field_name("object")
        else:
            return None
    return None


class RubyFile:
    """One file's heredocs and method definitions, and the values of its expressions, followed as far as
    ``depth`` allows."""

    def __init__(self, root: Node, source: bytes, notes: list[str] | None = None) -> None:
        self.source = source
        self.root = root
        self.depth = Depth(notes)
        indexes, surveyed = survey(root, (_VAR_SCOPES, _LOOPS, _CONTAINERS), _BINDERS,
                                   _BINDERS | {"identifier"})
        (self.var_scope, _), (self.loop_of, loops), (self.container_of, self.containers) = indexes
        self.loop_spans = {i: (n.start_byte, n.end_byte) for i, n in loops.items()}
        self.locals = Names(self.depth)
        self.block_names: dict[int, set[str]] = {}  # block id -> the element parameters it binds
        self.constants: dict[str, Node] = {}  # constants the file assigns once, and their values
        self.reassigned: set[str] = set()  # constants assigned more than once
        self.ivars: dict[str, list[Node]] = {}  # @name -> what the file assigns to it (for request data)
        self.unsplit: dict[tuple[int, str], list[Node]] = {}  # a, b = ...: the whole value (request data)
        self.block_sources: dict[tuple[int, str], Node] = {}  # (block, parameter) -> the receiver walked
        for node in surveyed:
            self._bind(node)
        self.heredocs: dict[int, Node] = {}  # heredoc_beginning start byte -> its body
        self.defined: set[tuple[int, str]] = set()  # (scope node id, method name) for each def
        self.names: set[str] = set()  # every method name defined in the file
        self.enclosing, _ = index_scopes(root, _SCOPES)
        waiting: list[Node] = []  # heredoc bodies are matched to their openers in order
        for node in walk(root, frozenset({"heredoc_beginning", "heredoc_body", "method"})):
            if node.type == "heredoc_beginning":
                waiting.append(node)
            elif node.type == "heredoc_body":
                if waiting:
                    self.heredocs[waiting.pop(0).start_byte] = node
            else:
                name = text_of(node.child_by_field_name("name"))
                scope = self.enclosing.get(node.id, 0)
                if scope:
                    self.defined.add((scope, name))
                    self.names.add(name)

    def _calls_own_method(self, node: Node, name: str) -> bool:
        if name not in self.names:
            return False
        scope = self.enclosing.get(node.id, 0)
        while scope:  # the enclosing class, then outer ones, then the file's top level
            if (scope, name) in self.defined:
                return True
            scope = self.enclosing.get(scope, 0)
        return False

    def call(self, node: Node) -> CallSite | None:
        name_node = node.child_by_field_name("method")
        if name_node is None:
            return None  # foo.() calls #call
        name = text_of(name_node)
        receiver = node.child_by_field_name("receiver")
        if receiver is None:
            qualname = f"self.{name}" if self._calls_own_method(node, name) else name
        else:
            qualname = f"{dotted(receiver) or '?'}.{name}"
        arguments = node.child_by_field_name("arguments")
        args = tuple(self.arg(a) for a in arguments.named_children if a.type != "comment") if arguments else ()
        return call_site("call", qualname, node, name_node, receiver, args, source=self.source)

    def subshell(self, node: Node) -> CallSite:
        return call_site("shell", "`", node, node, None, (self.arg(node),), source=self.source)

    def arg(self, node: Node) -> Arg:
        keyword = None
        value = node
        if node.type == "pair":
            key = node.child_by_field_name("key")
            keyword = self._key_name(key) if key is not None else None
            value = node.child_by_field_name("value") or node
        return Arg(node_type=value.type, start=value.start_byte, end=value.end_byte, keyword=keyword,
                   source=self.source, judge=lambda: judgement(self.value(value))._replace(request=self.from_request(value)))

    # --- local variables -----------------------------------------------------------------------
    def _bind(self, node: Node) -> None:
        kind = node.type
        scope = self.var_scope.get(node.id, 0)
        if kind in ("assignment", "operator_assignment"):
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if left is None:
                return
            if left.type == "constant":
                constant = text_of(left)
                if constant in self.constants or kind != "assignment" or right is None:
                    self.reassigned.add(constant)
                else:
                    self.constants[constant] = right
                return
            if left.type == "instance_variable" and right is not None:
                self.ivars.setdefault(text_of(left), []).append(right)
                return
            if left.type != "identifier":
                for name in walk(left, _PARAMETER_NAMES):  # a, b = ...: values the file does not split
                    self._bind_name(scope, name, None, node.end_byte)
                    if right is not None:
                        self.unsplit.setdefault((scope, text_of(name)), []).append(right)
                return
            how = "=" if kind == "assignment" else (
                "+=" if text_of(node.child_by_field_name("operator")) == "+=" else "|=")
            self._bind_name(scope, left, right, node.end_byte, how)
        elif kind == "for":
            for name in walk(node.child_by_field_name("pattern") or node, _PARAMETER_NAMES):
                self._bind_name(scope, name, None, -1)
                break
        elif kind == "block_parameters" and self._walked(node) is not None and node.parent is not None:
            block = node.parent.id  # LIST.each { |x| ... }: x is each element in turn, inside the block only
            receiver = self._walked(node)
            elements = receiver if self._constant_collection(receiver) else None
            names = [c for c in node.named_children if c.type == "identifier"]
            for i, name in enumerate(names):
                key = (block, text_of(name))
                self.locals.bind(key, Binding(elements, "in") if i == 0 and elements is not None else Binding(None))
                self.block_names.setdefault(block, set()).add(text_of(name))
                if receiver is not None:
                    self.block_sources[key] = receiver
        else:  # parameters and rescue => e: values the file does not show
            method = node.parent if kind == "method_parameters" else None
            hook = method is not None and text_of(method.child_by_field_name("name")) in _DISPATCH_HOOKS
            for i, name in enumerate(node.named_children):
                target = name if name.type == "identifier" else next(
                    (c for c in name.named_children if c.type == "identifier"), None)
                if target is not None and hook and i == 0:
                    self.locals.bind((scope, text_of(target)), Binding(None, "fixed"))
                elif target is not None:
                    self._bind_name(scope, target, None, -1)

    def _bind_name(self, scope: int, name: Node, value: Node | None, at: int, how: str = "=") -> None:
        container = self.container_of.get(name.id, 0)
        outer = container
        while outer and self.containers[outer].type != "lambda":
            outer = self.container_of.get(outer, 0)
        if outer:
            self.locals.bind((scope, text_of(name)), Binding(value, how, block=ANYTIME))  # may run at any time
            return
        block = container if container and self.containers[container].type in _BLOCKS else 0
        self.locals.bind((scope, text_of(name)), Binding(value, how, at, block))

    @guarded(True, memo=True)
    def from_request(self, node: Node) -> bool:
        """Whether the expression at ``node`` holds request data: it names ``params``, ``cookies`` or
        ``request``, or a local variable given such a value (assigned, iterated over, or appended to)."""
        for count, name in enumerate(walk(node, _NAMES)):
            if count > _MAX_REQUEST_NAMES:
                return True  # too big to read: say it may
            text = text_of(name)
            if text in _REQUEST:
                return True
            if name.type == "instance_variable":
                if self._flows_from_request(("@", text)):
                    return True
                continue
            inner = self._block_key(name) if self.block_names else None
            if inner is not None:  # a block's own parameter, never assigned in the block
                if self._flows_from_request(inner):
                    return True
                continue
            walked = self._block_key(name, reassigned_too=True) if self.block_names else None
            if walked is not None and self._flows_from_request(walked):
                return True
            if self._flows_from_request((self.var_scope.get(name.id, 0), text)):
                return True
        return False

    def _flows_from_request(self, key: tuple[object, str]) -> bool:
        memo = ("request", key)
        depth = self.depth
        found, answer = depth.recall(memo)
        if found:
            return bool(answer)
        if not depth.open(memo):
            return False  # x = x + y: the self-reference adds nothing by itself
        mark = depth.mark()
        if key[0] == "@":
            values = list(self.ivars.get(str(key[1]), []))
        else:
            values = [b.value for b in self.locals.bindings.get(key, []) if b.value is not None]  # type: ignore[arg-type]
            values += self._grown.get(key, []) + self.unsplit.get(key, [])  # type: ignore[arg-type]
            source = self.block_sources.get(key)  # type: ignore[arg-type]
            if source is not None:
                values.append(source)
        result = any(self.from_request(v) for v in values)
        depth.close(memo)
        depth.remember(memo, result, mark)
        return result

    @functools.cached_property
    def _grown(self) -> dict[tuple[int, str], list[Node]]:
        """Local variables changed in place (``list << x``, ``list.push(x)``, ``h[k] = v``), with what
        was put in: an array literal no longer says what they hold."""
        changed: dict[tuple[int, str], list[Node]] = {}
        for node in walk(self.root, frozenset({"call", "binary", "assignment", "operator_assignment"})):
            put: Node | None = None
            if node.type == "call" and text_of(node.child_by_field_name("method")) in _GROWERS:
                target, put = node.child_by_field_name("receiver"), node.child_by_field_name("arguments")
            elif node.type == "binary" and text_of(node.child_by_field_name("operator")) == "<<":
                target, put = node.child_by_field_name("left"), node.child_by_field_name("right")
            elif node.type in ("assignment", "operator_assignment"):
                left = node.child_by_field_name("left")
                target = left.child_by_field_name("object") if left is not None and left.type == "element_reference" else None
                put = node.child_by_field_name("right")
            else:
                target = None
            if target is not None and target.type == "constant":
                changed.setdefault((0, text_of(target)), [])  # MAP[k] = v, LIST << x: not a fixed table
            elif target is not None and target.type == "identifier":
                added = changed.setdefault((self.var_scope.get(target.id, 0), text_of(target)), [])
                if put is not None:
                    added.append(put)
        return changed

    def _block_key(self, node: Node, reassigned_too: bool = False) -> tuple[int, str] | None:
        """The key of the element parameter of an enclosing iteration block that ``node`` names (None
        when the block assigns it again, unless ``reassigned_too``)."""
        name, current, steps = text_of(node), node.parent, 0
        while current is not None and steps < 200 and current.type not in _VAR_SCOPES:
            if current.type in ("block", "do_block") and name in self.block_names.get(current.id, ()):
                pooled = self.locals.bindings.get((self.var_scope.get(node.id, 0), name), [])
                if not reassigned_too and any(current.start_byte <= b.at <= current.end_byte for b in pooled):
                    return None  # the block assigns the parameter again: follow the assignments
                return current.id, name
            current, steps = current.parent, steps + 1
        return None

    def _name(self, node: Node) -> Val:
        if self.block_names:
            inner = self._block_key(node)
            if inner is not None:
                return self.locals.value(inner, self.value)
        key = (self.var_scope.get(node.id, 0), text_of(node))
        if key in self._grown:
            return Val(OTHER)
        if key not in self.locals.bindings:
            return Val(OTHER)  # a method called without arguments, or a name the file does not assign
        spans, blocks = [], []
        loop = self.loop_of.get(node.id, 0)
        while loop:
            spans.append(self.loop_spans[loop])
            loop = self.loop_of.get(loop, 0)
        container = self.container_of.get(node.id, 0)
        while container:
            if self.containers[container].type in _BLOCKS:
                blocks.append(container)
            container = self.container_of.get(container, 0)
        return self.locals.value(key, self.value, node.start_byte, tuple(spans), frozenset(blocks))

    @guarded(Val(DYN, None, True), memo=True)
    def value(self, node: Node) -> Val:
        """What the expression at ``node`` is worth to a rule (see values.Val)."""
        kind = node.type
        if kind == "identifier":
            return self._name(node)
        if kind == "conditional":
            branches = [node.child_by_field_name("consequence"), node.child_by_field_name("alternative")]
            return join_values([self.value(b) for b in branches if b is not None])
        if kind == "binary" and text_of(node.child_by_field_name("operator")) in _JOINS:
            sides = [node.child_by_field_name("left"), node.child_by_field_name("right")]
            return join_values([self.value(b) for b in sides if b is not None])
        if kind == "parenthesized_statements" and len(node.named_children) == 1:
            return self.value(node.named_children[0])
        if self._table_lookup(node):
            return Val(CONST)
        if kind == "bare_symbol" and all(c.type == "string_content" for c in node.named_children):
            return Val(CONST)
        if kind in ("array", "string_array", "symbol_array"):
            elements = [c for c in node.named_children if c.type != "comment"]
            return Val(CONST) if all(self.value(e).kind == CONST for e in elements) else Val(OTHER)
        literal, content = self.literal_value(node)
        if literal:
            return Val(CONST, content, content is not None)
        if kind == "string" and self._only_quoted(node):
            return Val(SAFE, None, True)
        if self.is_dynamic_string(node):
            return Val(DYN, None, True)
        return Val(OTHER)

    @staticmethod
    def _walked(parameters: Node) -> Node | None:
        """The collection a block's parameters walk through: ``%w[a b].each do |x|``, ``params.each_pair
        { |k, v| ... }``; None for other blocks."""
        block = parameters.parent
        call = block.parent if block is not None and block.type in ("block", "do_block") else None
        if call is None or call.type != "call" or text_of(call.child_by_field_name("method")) not in _ELEMENT_BLOCKS:
            return None
        return call.child_by_field_name("receiver")

    def _constant_collection(self, node: Node | None) -> bool:
        """An array written in place, a local variable (its value decides), or a constant the file
        assigns once to a literal array or hash and never changes: not ENV, ARGV, ``::ENV``, or a
        class whose ``each`` walks anything (``Find.find``, ``Dir[...]``)."""
        if node is None:
            return False
        if node.type in ("array", "string_array", "symbol_array", "identifier"):
            return True
        if node.type != "constant":
            return False
        name = text_of(node)
        value = self.constants.get(name)
        while value is not None and value.type == "call" and text_of(value.child_by_field_name("method")) == "freeze":
            value = value.child_by_field_name("receiver")  # %w[a b].freeze
        return (value is not None and name not in self.reassigned and name not in _INPUT_CONSTANTS
                and value.type in _LITERAL_TABLES and (0, name) not in self._grown)

    def _table_lookup(self, node: Node) -> bool:
        """``MAP[key]``, ``MAP.fetch(key)`` or ``MAP.dig(...)`` of a constant the file assigns once to a
        literal table and never changes: one of the program's own values (or nil), whatever the key."""
        if node.type == "element_reference":
            table = node.child_by_field_name("object")
        elif node.type == "call" and text_of(node.child_by_field_name("method")) in ("fetch", "dig"):
            arguments = node.child_by_field_name("arguments")
            given = arguments.named_children if arguments is not None else []
            if text_of(node.child_by_field_name("method")) == "fetch" and len(given) != 1:
                return False  # MAP.fetch(key, default): the default may be anything
            table = node.child_by_field_name("receiver")
        else:
            return False
        return table is not None and table.type == "constant" and self._constant_collection(table)

    def _only_quoted(self, node: Node) -> bool:
        """A string whose every interpolation is quoted or a number: ``"... #{quote(name)}"``,
        ``"#{connection.quote_table_name(t)}"``, ``"#{id.to_i}"``."""
        parts = [p for p in node.named_children if p.type == "interpolation"]
        return bool(parts) and all(len(p.named_children) == 1 and self._quoted_part(p.named_children[0]) for p in parts)

    def _quoted_part(self, inner: Node, depth: int = 0) -> bool:
        """One interpolated value that is quoted, a number, or a constant; or a choice among such:
        ``#{' TEMPORARY' if options[:temporary]}``, ``#{force ? ' CASCADE' : ''}``."""
        if inner.type == "call":
            method = text_of(inner.child_by_field_name("method"))
            return bool(_QUOTING.match(method)) or (method in _NUMBERS and inner.child_by_field_name("receiver") is not None)
        if depth < _MAX_CHOICES and inner.type in ("if_modifier", "unless_modifier"):
            body = inner.child_by_field_name("body")
            return body is not None and self._quoted_part(body, depth + 1)
        if depth < _MAX_CHOICES and inner.type == "conditional":
            branches = [inner.child_by_field_name("consequence"), inner.child_by_field_name("alternative")]
            return all(b is not None and self._quoted_part(b, depth + 1) for b in branches)
        return inner.type in ("string", "simple_symbol", "integer", "nil") and self.literal_value(inner)[0]

    def _key_name(self, key: Node) -> str:
        if key.type == "simple_symbol":
            return text_of(key)[1:]
        if key.type in ("string", "delimited_symbol"):
            return self.literal_value(key)[1] or text_of(key)
        return text_of(key)

    def _parts(self, node: Node) -> list[Node]:
        if node.type == "heredoc_beginning":
            body = self.heredocs.get(node.start_byte)
            return body.named_children if body is not None else []
        return node.named_children

    @guarded(NOT_CONSTANT, memo=True)
    def literal_value(self, node: Node) -> tuple[bool, str | None]:
        """(is it a constant, its string content if a string)."""
        kind = node.type
        if kind in _SCALARS:
            return True, None
        if kind in ("string", "subshell", "delimited_symbol", "heredoc_beginning", "bare_string"):
            parts = self._parts(node)
            if kind == "heredoc_beginning" and node.start_byte not in self.heredocs:
                return False, None
            if any(p.type not in _STRING_PARTS for p in parts):
                return False, None
            content = "".join(text_of(p) for p in parts if p.type != "heredoc_end")
            return True, content.removeprefix("\n") if kind == "heredoc_beginning" else content
        if kind == "chained_string":
            values = [self.literal_value(c) for c in node.named_children]
            return (True, "".join(v or "" for _, v in values)) if all(ok for ok, _ in values) else (False, None)
        if kind == "unary" and node.named_children and node.named_children[-1].type in ("integer", "float"):
            return True, None
        if kind == "parenthesized_statements" and len(node.named_children) == 1:
            return self.literal_value(node.named_children[0])
        return False, None

    def _stringish(self, node: Node | None) -> bool:
        return node is not None and (node.type in ("string", "chained_string", "heredoc_beginning")
                                     or self.is_dynamic_string(node))

    @guarded(True, memo=True)
    def is_dynamic_string(self, node: Node) -> bool:
        """A string built at run time: interpolation, ``+``/``%`` on a string, format()/sprintf()."""
        kind = node.type
        if kind in ("string", "subshell", "heredoc_beginning", "chained_string", "delimited_symbol"):
            return not self.literal_value(node)[0]
        chain = operands(node, _BINARY, _PLUS)
        if chain is not None:
            return any(self._stringish(o) for o in chain) and not all(self.literal_value(o)[0] for o in chain)
        if kind == "binary" and text_of(node.child_by_field_name("operator")) == "%":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if self._stringish(left):
                return right is None or not self.literal_value(right)[0]
        if kind == "call":
            receiver = node.child_by_field_name("receiver")
            name = text_of(node.child_by_field_name("method"))
            path = f"{text_of(receiver)}.{name}" if receiver is not None else name
            arguments = node.child_by_field_name("arguments")
            args = arguments.named_children if arguments is not None else []
            return path in _FORMATTERS and not all(self.literal_value(a)[0] for a in args)
        if kind == "parenthesized_statements" and len(node.named_children) == 1:
            return self.is_dynamic_string(node.named_children[0])
        return False
