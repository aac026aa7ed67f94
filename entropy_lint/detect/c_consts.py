"""C constants as written: integer literals, string literals, and the token-level arithmetic of
macro bodies and array sizes (``#define SIZE (PATH_MAX + 1)``, ``char b[2 * N]``).

Everything here is bounded: a text of more than ``MAX_TOKENS`` tokens is not evaluated, and the
evaluator works on an explicit stack, whatever the nesting of parentheses.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tree_sitter import Node

from entropy_lint.detect.nodes import text_of

MAX_TOKENS = 400  # a size or macro text longer than this is not worth evaluating

STRINGS = frozenset({"string_literal", "raw_string_literal", "concatenated_string", "user_defined_literal"})
WRAPPERS = frozenset({"parenthesized_expression", "cast_expression"})
# gettext-style wrappers whose string argument is the constant that matters (Flawfinder's
# strip_i18n: translators are trusted not to insert format directives): name -> argument index.
_I18N = {"_": 0, "N_": 0, "gettext": 0, "ngettext": 0, "dgettext": 1, "dcgettext": 1, "dngettext": 1}
_TYPE_WORDS = frozenset({"char", "short", "int", "long", "unsigned", "signed", "size_t", "ssize_t", "const",
                         "uint8_t", "uint16_t", "uint32_t", "uint64_t", "int32_t", "int64_t"})
_TOKEN = re.compile(r"""
    (?P<space>\s+|/\*.*?\*/|//[^\n]*)
  | (?P<string>(?:u8|[uUL])?"(?:[^"\\\n]|\\.)*")
  | (?P<char>(?:u8|[uUL])?'(?:[^'\\\n]|\\.)*')
  | (?P<number>\.?\d[\w.]*)
  | (?P<name>[A-Za-z_$][\w$]*)
  | (?P<op><<|>>|[-+*/%()~&|^!])
  | (?P<other>.)""", re.VERBOSE | re.DOTALL)
BINARY: dict[str, tuple[int, Callable[[int, int], int | None]]] = {
    "*": (5, lambda a, b: a * b), "/": (5, lambda a, b: int(a / b) if b else None),
    "%": (5, lambda a, b: a - b * int(a / b) if b else None), "+": (4, lambda a, b: a + b),
    "-": (4, lambda a, b: a - b), "<<": (3, lambda a, b: a << b if 0 <= b < 64 else None),
    ">>": (3, lambda a, b: a >> b if 0 <= b < 64 else None), "&": (2, lambda a, b: a & b),
    "^": (1, lambda a, b: a ^ b), "|": (0, lambda a, b: a | b),
}


def number_literal(text: str) -> int | None:
    """The value of a C integer literal (``0x1F``, ``017``, ``4096UL``); None for anything else."""
    digits = text.rstrip("uUlLzZ").replace("'", "")
    try:
        if digits[:2] in ("0x", "0X"):
            return int(digits[2:], 16)
        if digits[:2] in ("0b", "0B"):
            return int(digits[2:], 2)
        if len(digits) > 1 and digits.startswith("0"):
            return int(digits[1:], 8)
        return int(digits, 10)
    except ValueError:
        return None


def tokens(text: str) -> list[tuple[str, str]] | None:
    """(kind, text) of each token of a macro body or a size, spaces and comments dropped; None
    past ``MAX_TOKENS`` or for anything this does not tokenise."""
    out: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(text.replace("\\\r\n", "  ").replace("\\\n", " ")):
        kind = m.lastgroup or "other"
        if kind == "space":
            continue
        if kind == "other" or len(out) >= MAX_TOKENS:
            return None
        out.append((kind, m.group()))
    return out


def evaluate(toks: list[tuple[str, str]], lookup: Callable[[str], int | None]) -> int | None:
    """An integer constant expression, by precedence climbing over an explicit stack (no
    recursion); names go through ``lookup``; ``(int)``-style casts are skipped."""
    values: list[int] = []
    ops: list[str] = []  # operators and "(" ; unary ones are prefixed with "u"
    expect_operand = True
    i = 0

    def reduce() -> bool:
        op = ops.pop()
        if op.startswith("u"):
            if not values:
                return False
            a = values.pop()
            values.append(-a if op == "u-" else ~a if op == "u~" else int(not a) if op == "u!" else a)
            return True
        if len(values) < 2:
            return False
        b, a = values.pop(), values.pop()
        result = BINARY[op][1](a, b)
        if result is None:
            return False
        values.append(result)
        return True

    while i < len(toks):
        kind, text = toks[i]
        if expect_operand:
            if text == "(":
                close = next((j for j in range(i + 1, len(toks)) if toks[j][1] == ")"), None)
                if close is not None and close > i + 1 and all(t in _TYPE_WORDS or t == "*" for _, t in toks[i + 1:close]):
                    i = close + 1  # a cast
                    continue
                ops.append("(")
            elif text in ("-", "+", "~", "!"):
                ops.append("u" + text)
            elif kind == "number" or kind == "name":
                value = number_literal(text) if kind == "number" else lookup(text)
                if value is None:
                    return None
                values.append(value)
                expect_operand = False
            else:
                return None
        elif text == ")":
            while ops and ops[-1] != "(":
                if not reduce():
                    return None
            if not ops:
                return None
            ops.pop()
        elif text in BINARY:
            while ops and ops[-1] != "(" and (ops[-1].startswith("u") or BINARY[ops[-1]][0] >= BINARY[text][0]):
                if not reduce():
                    return None
            ops.append(text)
            expect_operand = True
        else:
            return None
        i += 1
    while ops:
        if ops[-1] == "(" or not reduce():
            return None
    return values[0] if len(values) == 1 and not expect_operand else None


def string_content(node: Node) -> str:
    if node.type == "raw_string_literal":
        return "".join(text_of(c) for c in node.named_children if c.type == "raw_string_content")
    return "".join(text_of(c) for c in node.named_children if c.type in ("string_content", "escape_sequence"))


def unwrap(node: Node | None) -> Node | None:
    """``node`` less any parentheses and casts around it, unwound in a loop."""
    while node is not None and node.type in WRAPPERS:
        node = node.child_by_field_name("value") if node.type == "cast_expression" else only_child(node)
    return node


def only_child(node: Node) -> Node | None:
    children = [c for c in node.named_children if c.type != "comment"]
    return children[0] if len(children) == 1 else None


def translated(node: Node) -> Node | None:
    """The string argument of ``_("text")``, ``gettext("text")``: a constant message from the catalog."""
    function = node.child_by_field_name("function")
    index = _I18N.get(text_of(function)) if function is not None and function.type == "identifier" else None
    arguments = node.child_by_field_name("arguments")
    if index is None or arguments is None:
        return None
    args = [a for a in arguments.named_children if a.type != "comment"]
    return args[index] if index < len(args) and args[index].type in STRINGS else None


def balanced(toks: list[tuple[str, str]]) -> bool:
    depth = 0
    for _, tok in toks:
        depth += (tok == "(") - (tok == ")")
        if depth < 0:
            return False
    return depth == 0


def string_token_content(tok: str) -> str:
    return tok[tok.index('"') + 1:-1]
