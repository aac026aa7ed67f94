"""Python call sites, with names resolved through the file's imports and its own assignments.

A call's qualname is its dotted callee with the head resolved through imports (``sp.run`` after
``import subprocess as sp`` is ``subprocess.run``). When the receiver is a variable or attribute whose
class the file shows (a constructor call ``c = paramiko.SSHClient()``, an annotation ``c: SSHClient``,
``self.c = ...`` in any method of the class, ``super()``), the head is that class instead:
``c.exec_command`` is ``paramiko.SSHClient.exec_command``.

Argument values follow the file's assignments (detect/values.py ``Names``): module-level and
function-level, each use seeing the assignments that may reach it, so ``PATTERN = "..."`` at the top
of the file makes ``eval(PATTERN)`` a constant and ``q = "SELECT ... " + x`` makes ``cur.execute(q)``
a string built at run time. Keyword arguments passed through ``**kwargs`` are read from the dict the same
function builds (``kwargs = {"shell": True}``, ``kwargs["shell"] = s``, ``kwargs.update(shell=s)``).
"""

from __future__ import annotations

import re

from tree_sitter import Node, Tree

from entropy_lint.callsite import Arg, CallSite
from entropy_lint.detect.limits import guarded
from entropy_lint.detect.nodes import call_site, operands, text_of
from entropy_lint.detect.python_scopes import PythonScopes, dotted, resolve
from entropy_lint.detect.values import CONST, DYN, OTHER, SAFE, Val, join_values, judgement, plus_values

_LITERALS = frozenset({"integer", "float", "true", "false", "none", "ellipsis"})
_BINARY = frozenset({"binary_operator"})
_PLUS = frozenset({"+"})
_NUMBER_CALLS = frozenset({"int", "float", "len", "bool", "round", "abs", "hash", "ord", "id", "sum", "min", "max",
                           "time.time", "time.monotonic", "os.getpid"})
_SERIALIZERS = frozenset({"pickle.dumps", "cPickle.dumps", "_pickle.dumps", "dill.dumps", "cloudpickle.dumps",
                          "marshal.dumps"})
_STRING_METHODS = frozenset({"strip", "lstrip", "rstrip", "lower", "upper", "title", "capitalize", "casefold",
                             "replace", "removeprefix", "removesuffix", "ljust", "rjust", "center", "zfill",
                             "encode", "decode", "expandtabs", "format", "format_map"})
_PATH_CALLS = frozenset({"os.path.join", "os.path.abspath", "os.path.dirname", "os.path.basename",
                         "os.path.normpath", "os.path.expanduser", "os.path.realpath", "posixpath.join"})
_ESCAPER = re.compile(r"(?i)quote|escape|sanitiz")  # shlex.quote(x), re.escape(x): made safe for a context
# Files opened by path; given a constant path (or one built from __file__), a file the program ships.
_OPENERS = frozenset({"open", "io.open", "codecs.open", "pathlib.Path", "pathlib.PurePath"})
_READS = frozenset({"read", "read_text", "read_bytes", "readlines"})
# The source code of the program's own live objects.
_OWN_SOURCE = frozenset({"inspect.getsource", "dill.source.getsource", "dill.source.dumpsource",
                         "dill.source.getimport", "dill.source.importable", "dill.source.getimportable"})


def extract(tree: Tree, source: bytes, language: str = "python", notes: list[str] | None = None) -> list[CallSite]:
    root = tree.root_node
    py = PythonFile(root, source, notes)
    sites = []
    for node in py.calls:
        site = py.call(node)
        if site is not None:
            sites.append(site)
    return sites


def _string_parts(node: Node) -> list[Node]:
    return [c for c in node.children if c.type in ("string_content", "interpolation")]


class PythonFile(PythonScopes):
    """One file's call sites and the values of their arguments, as far as ``depth`` allows."""

    # --- sites ---------------------------------------------------------------------------------
    def call(self, node: Node) -> CallSite | None:
        function = node.child_by_field_name("function")
        if function is None:
            return None
        receiver: Node | None = None
        if function.type == "attribute":
            name_node = function.child_by_field_name("attribute")
            receiver = function.child_by_field_name("object")
        else:
            name_node = function
        if name_node is None:
            return None
        qualname = self._qualname(function, receiver, name_node)
        arguments = node.child_by_field_name("arguments")
        args = self.args(arguments) if arguments is not None and arguments.type == "argument_list" else ()
        return call_site("call", qualname, node, name_node, receiver, args, source=self.source, facts=self.facts)

    # --- arguments and values ------------------------------------------------------------------
    def args(self, arguments: Node) -> tuple[Arg, ...]:
        out: list[Arg] = []
        given = {text_of(a.child_by_field_name("name")) for a in arguments.named_children if a.type == "keyword_argument"}
        for node in arguments.named_children:
            if node.type == "comment":
                continue
            if node.type == "dictionary_splat" and node.named_children:
                out += self._splatted(node.named_children[0], given)
            out.append(self.arg(node))
        return tuple(out)

    def _splatted(self, node: Node, given: set[str]) -> list[Arg]:
        """``**kwargs``: the keyword items the file sets on that dict, as keyword arguments."""
        items = self._dict_items(node) if node.type in ("dictionary", "call") else (
            self.dict_items.get(self.resolve(node), []) if node.type == "identifier" else [])
        return [self.arg(value, key) for key, value in items if key not in given]

    def arg(self, node: Node, keyword: str | None = None) -> Arg:
        value = node
        if node.type == "keyword_argument":
            keyword = text_of(node.child_by_field_name("name"))
            value = node.child_by_field_name("value") or node
        return Arg(node_type=value.type, start=value.start_byte, end=value.end_byte, keyword=keyword,
                   source=self.source, judge=lambda: judgement(self.value(value)))

    def _string(self, node: Node) -> Val:
        """A string literal or f-string: constant unless an interpolation is not."""
        total = Val(CONST, "", True)
        for part in _string_parts(node):
            if part.type == "string_content":
                total = plus_values(total, Val(CONST, text_of(part), True))
            else:
                inner = part.named_children[0] if part.named_children else None
                total = plus_values(total, self.value(inner) if inner is not None else Val(OTHER))
        return total

    def _call_value(self, node: Node) -> Val:
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        if function is None or arguments is None or arguments.type != "argument_list":
            return Val(OTHER)
        positional = [a for a in arguments.named_children if a.type not in ("keyword_argument", "comment")]
        args = [self.value(a) for a in positional]
        path = resolve(dotted(function) or "", self.imports)
        name = text_of(function.child_by_field_name("attribute")) if function.type == "attribute" else path
        if path in _NUMBER_CALLS:
            return Val(SAFE)
        if path in _SERIALIZERS:  # the program's own object, serialized here: no outside data in it
            return Val(SAFE)
        if path in _OWN_SOURCE:
            return Val(OTHER, None, True, True)
        if path in _OPENERS:  # open('version.py'), Path(__file__).parent / 'x': a file the program ships
            shipped = bool(args) and (args[0].kind in (CONST, SAFE) or args[0].own) and not (
                args[0].value or "").startswith(("/", "~", "\\")) and ":" not in (args[0].value or "")[:3]
            return Val(OTHER, own=shipped)  # not /tmp/plugin.py, /dev/stdin or C:\\x: those are not shipped
        if _ESCAPER.search(name) and not name.startswith("un"):
            return Val(SAFE, None, True)
        if path == "str":
            return join_values(args[:1], True) if args else Val(CONST, "", True)
        if path in _PATH_CALLS:
            total = Val(CONST, "", True)
            for arg in args:
                total = plus_values(total, arg)
            return Val(total.kind, None, True, total.own)
        if function.type != "attribute":
            return Val(OTHER)
        receiver = function.child_by_field_name("object")
        base = self.value(receiver) if receiver is not None else Val(OTHER)
        if name in _READS and base.own and not base.string:  # open('setup_helpers.py').read()
            return Val(OTHER, None, True, True)
        if not base.string:
            return Val(OTHER)
        if name == "join":
            items = self._sequence_values(positional[0]) if positional else None
            if items is None:
                return Val(OTHER, None, True)
            total = Val(base.kind, None, True)
            for item in items:
                total = plus_values(total, item)
            return Val(total.kind, None, True, total.own)
        if name in _STRING_METHODS:
            keywords = [self.value(a.child_by_field_name("value") or a) for a in arguments.named_children
                        if a.type == "keyword_argument"]
            total = base
            for arg in args + keywords:
                total = plus_values(total, arg)
            return Val(total.kind, None, True, total.own)
        return Val(OTHER)

    def _sequence_values(self, node: Node) -> list[Val] | None:
        """The values of a list or tuple written in place, or held by a name the file shows."""
        if node.type in ("list", "tuple", "set"):
            return [self.value(c) for c in node.named_children if c.type != "comment"]
        if node.type == "identifier" and self.resolve(node) not in self.names.mutated:
            values = [b.value for b in self.names.bindings.get(self.resolve(node), [])]
            if values and all(v is not None and v.type in ("list", "tuple", "set") for v in values):
                return [self.value(c) for v in values if v is not None for c in v.named_children if c.type != "comment"]
        return None

    @guarded(Val(DYN, None, True), memo=True)
    def value(self, node: Node) -> Val:
        """What the expression at ``node`` is worth to a rule (see values.Val)."""
        kind = node.type
        if kind == "string":
            return self._string(node)
        if kind == "concatenated_string":
            total = Val(CONST, "", True)
            for part in node.named_children:
                total = plus_values(total, self.value(part))
            return total
        if kind in _LITERALS:
            return Val(CONST)
        if kind == "identifier":
            if text_of(node) == "__file__" and self.resolve(node)[0] == 0 and self.resolve(node) not in self.names.bindings:
                return Val(OTHER, None, True, True)  # this file's own path
            return self._name(node)
        if kind == "parenthesized_expression" and node.named_children:
            return self.value(node.named_children[0])
        if kind == "unary_operator" or kind == "not_operator":
            operand = node.named_children[-1] if node.named_children else None
            inner = self.value(operand) if operand is not None else Val(OTHER)
            return Val(CONST) if inner.kind == CONST else Val(SAFE)
        chain = operands(node, _BINARY, _PLUS)
        if chain is not None:
            total = self.value(chain[0])
            for operand in chain[1:]:
                total = plus_values(total, self.value(operand))
            return total
        if kind == "binary_operator":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            a = self.value(left) if left is not None else Val(OTHER)
            if text_of(node.child_by_field_name("operator")) == "%" and a.string and right is not None:
                pieces = self._sequence_values(right) if right.type == "tuple" else [self.value(right)]
                total = Val(a.kind, None, True)
                for piece in pieces or [Val(OTHER)]:
                    total = plus_values(total, piece)
                return Val(total.kind, None, True, total.own)
            b = self.value(right) if right is not None else Val(OTHER)
            if text_of(node.child_by_field_name("operator")) == "*" and (a.string or b.string or OTHER in (a.kind, b.kind)):
                text = a if a.string or (a.kind == OTHER and not b.string) else b
                return Val(CONST, None, True) if text.kind == CONST and {a.kind, b.kind} <= {CONST, SAFE} else \
                    Val(text.kind if text.kind != SAFE else OTHER, None, True, text.own)  # "-" * n, line * 2: text
            return Val(CONST) if a.kind == CONST and b.kind == CONST else Val(SAFE)
        if kind in ("boolean_operator", "conditional_expression"):
            branches = node.named_children if kind == "boolean_operator" else node.named_children[0::2]
            return join_values([self.value(b) for b in branches])
        if kind in ("comparison_operator",):
            return Val(SAFE)
        if kind in ("list", "tuple", "set"):
            items = [self.value(c) for c in node.named_children if c.type != "comment"]
            return Val(CONST) if all(i.kind == CONST for i in items) else Val(OTHER)
        if kind == "call":
            return self._call_value(node)
        return Val(OTHER)
