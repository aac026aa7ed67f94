"""What a C expression is worth to a rule, followed as far as one file shows it.

A small, honest value analysis: it proves an argument constant only from what the file itself
says, and anything it cannot follow is unknown (never constant), so a rule errs towards reporting.

- Literals: strings (adjacent ones joined, ``"%" PRIu64`` included), numbers, characters,
  ``sizeof``, gettext-wrapped strings, arithmetic on constant numbers.
- Object-like macros defined in the file (``#define NAME "text"``, ``#define SIZE (PATH_MAX + 1)``):
  constant when every definition of the name is. A macro replaces every use of its name, so it
  is looked up before any variable.
- Variables, local to the function or at file scope, declared once: constant when every write
  that can reach the call is a constant and one of them reaches it for sure (the declaration's
  initializer, or an assignment in a block around the call, before it). A write can reach the call
  when it comes before it, or after it inside a loop around both; for a file-scope variable, any
  write in the file can. A variable whose address is taken is unknown; so is an array's content
  once the array is handed to another call, aliased, or written element by element.
  ``argv[0]`` is followed the same way, element by element.
- Buffer sizes: an array's declared size (``char buf[PATH_MAX + 1]``) or a single allocation
  stored in a pointer (``buf = malloc(PATH_MAX + 1)``), as a number when the file defines every
  name in it, and as text with the file's macros expanded.

Each name is resolved from its occurrences (``c_uses``), so the cost falls only on the names that
rules ask about; macro bodies and sizes are evaluated token by token (``c_consts``). Nothing
recurses on the tree's shape beyond ``MAX_DEPTH`` levels (``TooDeep`` is raised), and macro and
variable chains stop at cycles.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from tree_sitter import Node

from entropy_lint.detect.c_consts import (BINARY, MAX_TOKENS, STRINGS, WRAPPERS, balanced, evaluate, number_literal,
                                          only_child, string_content, string_token_content, tokens, translated,
                                          unwrap)
from entropy_lint.detect.c_uses import LOOPS, Declaration, Occurrences, Reach, Uses, dominates, escapes, single
from entropy_lint.detect.nodes import sum_operands, text_of
from entropy_lint.rules.c_refine import string_bytes

MAX_DEPTH = 200
_MAX_OPERANDS = 64  # a sum of more terms is not followed (constant sums that long do not occur)

_CONSTANTS = frozenset({"char_literal", "true", "false", "null", "nullptr", "alignof_expression"})
# Expressions whose value is never a constant here: read from memory or computed at run time.
_OPAQUE = frozenset({"field_expression", "pointer_expression", "update_expression", "assignment_expression",
                     "conditional_expression", "comma_expression", "compound_literal_expression", "lambda_expression"})
_SIGNS = frozenset({"-", "+", "~"})
# Allocators whose result is a buffer of the given size: name -> the size argument's index, or
# None for calloc-style (count, size).
_ALLOCATORS: dict[str, int | None] = {
    "malloc": 0, "alloca": 0, "xmalloc": 0, "g_malloc": 0, "g_malloc0": 0, "PyMem_Malloc": 0, "PyMem_RawMalloc": 0,
    "PyObject_Malloc": 0, "realloc": 1, "xrealloc": 1, "calloc": None, "xcalloc": None,
}
_WRAPPED_MALLOC = re.compile(r"(?i)malloc0?$")
_WRAPPED_CALLOC = re.compile(r"(?i)calloc$")


class CVal(NamedTuple):
    """``constant``: proved a compile-time constant; ``string``: a string constant's content as
    written; ``number``: an integer constant's value; ``size``/``size_text``: the buffer a name
    refers to (elements, and the size as declared); ``macro_parameter``: a parameter of the macro
    around the call, whose value each use of the macro decides."""

    constant: bool = False
    string: str | None = None
    number: int | None = None
    size: int | None = None
    size_text: str = ""
    macro_parameter: bool = False


UNKNOWN = CVal()


class TooDeep(Exception):
    """An expression (or a chain of names) nested deeper than ``MAX_DEPTH``: analysed no further."""

    def __init__(self, node: Node) -> None:
        super().__init__(f"too deep at line {node.start_point[0] + 1}")


class Scope(NamedTuple):
    """Where a value is asked for: the function around the call (a node of the file's own tree, or
    None at file scope), the call's bytes in the file, the names that are macro parameters, and
    whether names are followed at all (otherwise only literals are constants)."""

    function: Node | None
    start: int
    end: int
    shadow: frozenset[str] = frozenset()
    follow: bool = True
    literal: frozenset[str] = frozenset()  # macro parameters that every use fills with a string literal


_LITERALS_ONLY = Scope(None, 0, 0, frozenset(), False)


MAX_TEXT_SIZE = 256  # characters of a size kept as written when it is not a constant expression


class Values:
    """The value analysis of one file. ``value(node, scope)`` for any expression node, of the file's
    tree or of a fragment parsed from it (names are looked up by their text)."""

    def __init__(self, source: bytes, root: Node, defines: dict[str, list[str]], function_macros: set[str]) -> None:
        self.source = source
        self.root = root
        self._defines = defines  # object-like macro name -> the text of each definition
        self._function_macros = function_macros
        self._macros: dict[str, CVal] = {}
        self._names = Occurrences(source, root)
        self._active: set[tuple[int, str]] = set()  # variables being resolved: a cycle is unknown

    @property
    def exhausted(self) -> bool:
        """Whether the file asked about more names than are followed (the rest counted unknown)."""
        return self._names.exhausted

    # --- expressions ------------------------------------------------------------------------------
    def value(self, node: Node, scope: Scope, depth: int = 0) -> CVal:
        """What ``node`` is worth at ``scope``."""
        if depth > MAX_DEPTH:
            raise TooDeep(node)
        signs: list[str] = []  # -x, ~x, +x, outermost first
        while node.type in WRAPPERS or (node.type == "unary_expression"
                                         and text_of(node.child_by_field_name("operator")) in _SIGNS):
            if node.type == "unary_expression":
                signs.append(text_of(node.child_by_field_name("operator")))
                inner = node.child_by_field_name("argument")
            else:
                inner = unwrap(node)
            if inner is None:
                return UNKNOWN
            node = inner
        val = self._value(node, scope, depth)
        if not signs or val.number is None:
            return val if not signs or val.string is None else UNKNOWN  # -"text" is no string constant
        number = val.number
        for sign in reversed(signs):
            number = -number if sign == "-" else ~number if sign == "~" else number
        return val._replace(number=number)

    def _value(self, node: Node, scope: Scope, depth: int) -> CVal:
        kind = node.type
        if kind == "identifier":  # the commonest argument first
            return self.name(text_of(node), scope, depth + 1)
        if kind in _OPAQUE:
            return UNKNOWN
        if kind == "number_literal":
            return CVal(True, number=number_literal(text_of(node)))
        if kind == "string_literal" or kind == "raw_string_literal":
            return CVal(True, string_content(node))
        if kind in _CONSTANTS:
            return CVal(True)
        if kind == "concatenated_string":  # its parts are literals and macro names, never nested
            parts = []
            for part in node.named_children:
                if part.type == "identifier":  # "%" PRIu64: a string macro, whatever its content
                    macro = self._macro(text_of(part), depth + 1) if scope.follow else UNKNOWN
                    parts.append(macro.string or "")
                elif part.type in ("string_literal", "raw_string_literal"):
                    parts.append(string_content(part))
                else:
                    return UNKNOWN
            return CVal(True, "".join(parts))
        if kind == "user_defined_literal":
            inner = node.named_children[0] if node.named_children else None
            return self._value(inner, scope, depth) if inner is not None and inner.type in STRINGS else CVal(True)
        if kind == "sizeof_expression":
            return CVal(True, number=self._sizeof(node, scope, depth))
        if kind == "call_expression":
            message = translated(node)
            return self._value(message, scope, depth) if message is not None else UNKNOWN
        if kind == "binary_expression":
            return self._arithmetic(node, scope, depth)
        if kind == "subscript_expression" and scope.follow:
            return self._element(node, scope, depth + 1)
        return UNKNOWN

    def _arithmetic(self, node: Node, scope: Scope, depth: int) -> CVal:
        """Arithmetic on constants is a constant (a number when every operand has one); a ``+`` that
        meets a string is C++ concatenation or pointer arithmetic, neither of them a constant."""
        operands = sum_operands(node)
        if operands is not None:
            if len(operands) > _MAX_OPERANDS:
                return UNKNOWN
            total: int | None = 0
            for operand in operands:  # stops at the first operand that is not a constant number
                val = self.value(operand, scope, depth + 1)
                if not val.constant or val.string is not None:
                    return UNKNOWN
                total = total + val.number if total is not None and val.number is not None else None
            return CVal(True, number=total)
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        operator = text_of(node.child_by_field_name("operator"))
        if left is None or right is None:
            return UNKNOWN
        a, b = self.value(left, scope, depth + 1), self.value(right, scope, depth + 1)
        if not (a.constant and b.constant) or a.string is not None or b.string is not None:
            return UNKNOWN
        number = None
        if a.number is not None and b.number is not None and operator in BINARY:
            number = BINARY[operator][1](a.number, b.number)
        return CVal(True, number=number)

    def _sizeof(self, node: Node, scope: Scope, depth: int) -> int | None:
        """``sizeof buf`` for an array of bytes, ``sizeof "text"``: the number, else None."""
        inner = unwrap(node.child_by_field_name("value"))
        if inner is None:  # sizeof(buf) can parse as the size of a type named buf
            described = node.child_by_field_name("type")
            named = only_child(described) if described is not None else None
            if named is None or named.type != "type_identifier":
                return None
            inner = named
        if inner.type == "string_literal":
            content = string_content(inner)
            least, most = string_bytes(content, most=False), string_bytes(content, most=True)
            return least + 1 if least == most else None
        if inner.type in ("identifier", "type_identifier") and scope.follow:
            declared = self._declaration(text_of(inner), scope)
            if declared is not None and declared.array and declared.byte_elements:
                size, _ = self._array_size(declared, scope, depth + 1)
                return size
        return None

    # --- names ------------------------------------------------------------------------------------
    def name(self, name: str, scope: Scope, depth: int = 0) -> CVal:
        """A name: a macro parameter, an object-like macro of this file (a macro replaces every use
        of its name, so it comes first), a variable of the function around the call or of the
        file, or unknown."""
        if name in scope.shadow:
            return CVal(constant=name in scope.literal, macro_parameter=True)
        if not scope.follow:
            return UNKNOWN
        if name in self._defines:
            return self._macro(name, depth)
        found = self._lookup(name, scope)
        if found is None:
            return UNKNOWN
        uses, reach = found
        key = (reach.region, name)
        if key in self._active:
            return UNKNOWN  # x = y; y = x;
        self._active.add(key)
        try:
            return self._variable_value(uses, reach, scope, depth)
        finally:
            self._active.discard(key)

    def _macro(self, name: str, depth: int) -> CVal:
        if name in self._macros:
            return self._macros[name]
        if name in self._function_macros or name not in self._defines or depth > MAX_DEPTH:
            return UNKNOWN
        self._macros[name] = UNKNOWN  # a cycle through this name is unknown
        vals = [self._macro_text(text, depth + 1) for text in self._defines[name]]
        first = vals[0]
        same = all(v == first for v in vals)
        if all(v.constant for v in vals):
            val = first if same else CVal(True)
        else:
            val = CVal(size_text=first.size_text if same else "")
        self._macros[name] = val
        return val

    def _macro_text(self, text: str, depth: int) -> CVal:
        """A macro body: a string constant (literals and string macros), or a constant number."""
        toks = tokens(text)
        if not toks:
            return UNKNOWN
        while len(toks) > 2 and toks[0][1] == "(" and toks[-1][1] == ")" and balanced(toks[1:-1]):
            toks = toks[1:-1]
        if len(toks) == 1 and toks[0][0] == "name":
            return self._macro(toks[0][1], depth + 1)  # an alias: #define B A
        expanded = self.expand(toks, depth)
        if any(kind == "string" for kind, _ in toks):
            if not all(kind in ("string", "name") for kind, _ in toks):
                return CVal(size_text=expanded)
            parts = []
            for kind, tok in toks:
                if kind == "name":
                    parts.append(self._macro(tok, depth + 1).string or "")  # PRIu64 and kin: content unknown
                else:
                    parts.append(string_token_content(tok))
            return CVal(True, "".join(parts))
        number = evaluate(toks, lambda n: self._macro(n, depth + 1).number)
        return CVal(True, number=number, size_text=expanded) if number is not None else CVal(size_text=expanded)

    def expand(self, toks: list[tuple[str, str]], depth: int = 0) -> str:
        """The tokens joined by spaces, each object-like macro of this file with a single definition
        replaced by its own expansion; a macro is not expanded inside itself, nesting stops at 32
        levels and the output at ``MAX_TOKENS`` tokens."""
        out: list[str] = []
        stack: list[tuple[list[tuple[str, str]], int, str]] = [(toks, 0, "")]
        active: set[str] = set()
        while stack:
            current, i, macro = stack.pop()
            if i >= len(current):
                active.discard(macro)
                continue
            stack.append((current, i + 1, macro))
            kind, tok = current[i]
            if kind == "name" and tok not in active and tok not in self._function_macros and len(stack) < 32:
                definitions = self._defines.get(tok)
                inner = tokens(definitions[0]) if definitions is not None and len(definitions) == 1 else None
                if inner:
                    active.add(tok)
                    stack.append((inner, 0, tok))
                    continue
            out.append(tok)
            if len(out) > MAX_TOKENS:
                return ""
        return " ".join(out)

    # --- variables --------------------------------------------------------------------------------
    def _lookup(self, name: str, scope: Scope) -> tuple[Uses, Reach] | None:
        """The occurrences of the variable ``name`` refers to at ``scope``, and which of them can
        reach the call: the function's when declared there, else the file's when declared at file
        scope (any function may run between two statements, so every write to those counts)."""
        if scope.function is not None:
            uses = self._names.uses(name, scope.function)
            if uses.declarations or uses.parameter:
                return uses, Reach(scope.function.id, scope.start, self._loops_around(scope))
        uses = self._names.uses(name, None)
        if any(d.file_scope for d in uses.declarations):
            return uses, Reach(-1, len(self.source), ())
        return None

    def _loops_around(self, scope: Scope) -> tuple[tuple[int, int], ...]:
        """The loops of the function that hold the call: a write later in one of them comes round
        again before the call."""
        assert scope.function is not None
        loops = []
        for keyword in (b"for", b"while", b"do"):
            for start in self._names.positions(keyword, scope.function):
                if start >= scope.start:
                    break
                node = scope.function.descendant_for_byte_range(start, start + len(keyword))
                loop = node.parent if node is not None else None
                if loop is not None and loop.type in LOOPS and loop.end_byte > scope.start:
                    loops.append((loop.start_byte, loop.end_byte))
        return tuple(loops)

    def _declaration(self, name: str, scope: Scope) -> Declaration | None:
        found = self._lookup(name, scope)
        if found is None or not single(found[0]):
            return None
        return found[0].declarations[0] if found[0].declarations else None

    def _variable_value(self, uses: Uses, reach: Reach, scope: Scope, depth: int) -> CVal:
        """Declared more than once (shadowing, an extern and its definition), or with its address
        taken: not followed."""
        if not single(uses):
            return UNKNOWN
        declared = uses.declarations[0] if uses.declarations else None
        if declared is not None and declared.array:
            size, size_text = self._array_size(declared, scope, depth + 1)
            changed = any(reach.reaches(w.start_byte) for w, _, _ in uses.element_writes) or not declared.const and (
                any(reach.reaches(a) for a in uses.aliased) or escapes(uses, reach, scope.start, scope.end))
            content = UNKNOWN
            if declared.value is not None and not changed:
                content = self.value(declared.value, scope, depth + 1)
            return CVal(content.constant and content.string is not None, content.string, None, size, size_text)
        writes = [(w, v) for w, v in uses.writes if reach.reaches(w.start_byte)]
        reaching = declared is not None and declared.value is not None
        if declared is not None and declared.value is not None:
            writes.insert(0, (declared.declaration, declared.value))
        vals = []
        for write, value in writes:
            if value is None:
                return UNKNOWN  # +=, ++ and kin: not a constant we follow
            inner = Scope(scope.function, write.start_byte, write.end_byte, scope.shadow)
            vals.append(self.value(value, inner, depth + 1))
            reaching = reaching or dominates(write, scope.start, scope.end)
        if not vals or not reaching:
            return UNKNOWN
        size, size_text = self._allocated(writes, scope, depth) if len(writes) == 1 else (None, "")
        if not all(v.constant for v in vals):
            return CVal(size=size, size_text=size_text)
        strings = {v.string for v in vals}
        numbers = {v.number for v in vals}
        return CVal(True, strings.pop() if len(strings) == 1 else None, numbers.pop() if len(numbers) == 1 else None,
                    size, size_text)

    def _element(self, node: Node, scope: Scope, depth: int) -> CVal:
        """``argv[0]``: constant when every write of that element that can reach the call is a
        constant, one of them reaches it for sure, and the array is not handed to another call
        (or aliased) where that could reach the call too."""
        array, index = node.child_by_field_name("argument"), node.child_by_field_name("index")
        if array is None or index is None or array.type != "identifier":
            return UNKNOWN
        k = self.value(index, scope, depth + 1).number
        name = text_of(array)
        found = self._lookup(name, scope) if name not in scope.shadow and name not in self._defines else None
        if k is None or found is None:
            return UNKNOWN
        uses, reach = found
        if (not single(uses) or any(reach.reaches(w.start_byte) for w, _ in uses.writes)
                or any(reach.reaches(a) for a in uses.aliased) or escapes(uses, reach, scope.start, scope.end)):
            return UNKNOWN
        vals: list[CVal] = []
        reaching = False
        declared = uses.declarations[0] if uses.declarations else None
        if declared is not None and declared.value is not None and declared.value.type == "initializer_list":
            items = [c for c in declared.value.named_children if c.type != "comment"]
            if k < len(items):
                vals.append(self.value(items[k], scope, depth + 1))
                reaching = True
        for write, where, value in uses.element_writes:
            if not reach.reaches(write.start_byte):
                continue
            at = self.value(where, scope, depth + 1).number if where is not None else None
            if at is None or value is None:
                return UNKNOWN  # a write at an index that is not a constant may be this one
            if at == k:
                inner = Scope(scope.function, write.start_byte, write.end_byte, scope.shadow)
                vals.append(self.value(value, inner, depth + 1))
                reaching = reaching or dominates(write, scope.start, scope.end)
        if not vals or not reaching or not all(v.constant for v in vals):
            return UNKNOWN
        strings = {v.string for v in vals}
        return CVal(True, strings.pop() if len(strings) == 1 else None)

    def _array_size(self, declared: Declaration, scope: Scope, depth: int) -> tuple[int | None, str]:
        if declared.array_size is not None:
            toks = tokens(text_of(declared.array_size))
            if not toks:
                return None, ""
            number = evaluate(toks, lambda n: self.name(n, scope, depth + 1).number)
            return number, self.expand(toks, depth + 1)
        value = declared.value
        if value is not None and value.type in ("string_literal", "concatenated_string"):
            content = self.value(value, _LITERALS_ONLY, depth + 1).string
            if content is not None:
                return string_bytes(content, most=False) + 1, ""
        if value is not None and value.type == "initializer_list":
            return len([c for c in value.named_children if c.type != "comment"]), ""
        return None, ""

    def _allocated(self, writes: list[tuple[Node, Node | None]], scope: Scope, depth: int) -> tuple[int | None, str]:
        """The size of a buffer stored by a single write of ``malloc(n)`` (or kin)."""
        value = unwrap(writes[0][1])
        if value is not None and value.type == "call_expression" and re.match(
                r"(?:static|reinterpret|const)_cast\s*<", text_of(value.child_by_field_name("function"))):
            given = value.child_by_field_name("arguments")  # static_cast<char *>(malloc(n))
            value = unwrap(given.named_children[0]) if given is not None and len(given.named_children) == 1 else None
        if value is None or value.type != "call_expression":
            return None, ""
        function = value.child_by_field_name("function")
        arguments = value.child_by_field_name("arguments")
        name = text_of(function) if function is not None and function.type == "identifier" else ""
        if arguments is None:
            return None, ""
        args = [a for a in arguments.named_children if a.type != "comment"]
        if name in _ALLOCATORS:
            index = _ALLOCATORS[name]
        elif (_WRAPPED_MALLOC.search(name) or _WRAPPED_CALLOC.search(name)) and len(args) == 1:
            index = 0  # a project's own allocator of n bytes: uwsgi_malloc(n), uwsgi_calloc(n), emalloc(n)
        elif _WRAPPED_CALLOC.search(name) and len(args) == 2:
            index = None
        else:
            return None, ""
        if index is None:  # calloc(count, size): the count, when each element is one byte
            if len(args) != 2:
                return None, ""
            one = [a for a in args if self.value(a, scope, depth + 1).number == 1]
            size_arg = args[1] if one and one[0] is args[0] else args[0] if one else None
        else:
            size_arg = args[index] if index < len(args) else None
        if size_arg is None:
            return None, ""
        toks = tokens(text_of(size_arg))
        if not toks:  # s.length() + 1: not a constant expression, so only as written
            return None, text_of(size_arg)[:MAX_TEXT_SIZE]
        return self.value(size_arg, scope, depth + 1).number, self.expand(toks, depth + 1)
