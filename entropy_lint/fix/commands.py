"""Command strings taken apart: ``'tar xf ' + path`` is the words ``tar``, ``xf`` and ``path``.

A command built from literal text and values can be rewritten as an argument vector (no shell)
only when the shell would have split it the same way: the literal text holds no quotes, escapes,
globs, variables, redirections or separators, and each value stands as a whole word. Anything
else is not split, and the templates that need a split do not apply.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Node

# Characters that make the shell do more than split at blanks.
_SHELL_SPECIAL = re.compile(r"""['"\\$`|&;<>()*?\[\]{}~#!\n\r]""")
_CONTENT = frozenset({"string_content", "string_fragment", "interpreted_string_literal_content",
                      "raw_string_literal_content"})
_VALUE = frozenset({"interpolation", "template_substitution", "variable_name"})
_DELIMITERS = frozenset({'"', "'", "`", "string_start", "string_end"})
_CONCAT = {"python": "+", "javascript": "+", "typescript": "+", "tsx": "+", "java": "+", "go": "+", "php": ".",
           "ruby": "+", "c": "", "cpp": ""}
# How each language writes a plain string, and a list of strings.
QUOTE = {"python": "'", "javascript": "'", "typescript": "'", "tsx": "'", "php": "'", "ruby": "'", "java": '"',
         "go": '"', "c": '"', "cpp": '"'}
LIST = {"python": ("[", "]"), "javascript": ("[", "]"), "typescript": ("[", "]"), "tsx": ("[", "]"),
        "php": ("[", "]"), "ruby": ("[", "]"), "go": ("[]string{", "}"), "java": ("List.of(", ")")}


@dataclass(frozen=True)
class Part:
    """A piece of a command: literal text, or a value's expression as written."""

    literal: bool
    text: str


def parts(node: Node, language: str) -> list[Part] | None:
    """The pieces of a string expression, left to right; None for what cannot be read statically
    (escapes, format specs, byte strings, a ``%`` or ``.format``)."""
    t = node.type
    if t == "parenthesized_expression" and node.named_child_count == 1:
        inner = node.named_children[0]
        return parts(inner, language)
    if t in ("binary_operator", "binary_expression"):
        op = node.child_by_field_name("operator")
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op is None or left is None or right is None or _text(op) != _CONCAT.get(language):
            return _value(node)
        a, b = parts(left, language), parts(right, language)
        return a + b if a is not None and b is not None else None
    if t == "concatenated_string":  # Python 'a' 'b'
        out: list[Part] = []
        for child in node.named_children:
            piece = parts(child, language)
            if piece is None:
                return None
            out += piece
        return out
    if _is_string(node):
        return _string_parts(node, language)
    return _value(node)


def _is_string(node: Node) -> bool:
    return node.type in ("string", "string_literal", "template_string", "encapsed_string",
                         "interpreted_string_literal", "raw_string_literal")


def _string_parts(node: Node, language: str) -> list[Part] | None:
    out: list[Part] = []
    for child in node.children:
        t = child.type
        if t in _CONTENT:
            out.append(Part(True, _text(child)))
        elif t in _VALUE:
            inner = _interpolated(child)
            if inner is None:
                return None
            out.append(Part(False, inner))
        elif t == "string_start":
            if any(c in _text(child).lower() for c in "bu"):
                return None  # byte strings are not text
        elif t not in _DELIMITERS:
            return None  # escape sequences and anything unforeseen
    return out


def _interpolated(node: Node) -> str | None:
    """The expression inside ``{x}``, ``${x}``, ``#{x}``, or a PHP ``$x``; None with a format spec
    or conversion (``{x!r}``, ``{x:>8}``)."""
    if node.type == "variable_name":
        return _text(node)
    named = [c for c in node.named_children if c.type != "comment"]
    if len(named) != 1 or named[0].type in ("format_specifier", "type_conversion"):
        return None
    return _text(named[0])


def _value(node: Node) -> list[Part]:
    return [Part(False, _text(node))]


def _text(node: Node) -> str:
    return node.text.decode("utf-8", "replace") if node.text is not None else ""


def words(pieces: Sequence[Part]) -> list[list[Part]] | None:
    """The shell's words: literal text split at blanks, each value a whole word on its own.
    None when the shell would have done more than split (see the module's docstring), when a value
    is glued to text or another value, or when the program (the first word) is not literal text:
    a variable holding a whole command line is not one word."""
    out: list[list[Part]] = []
    glued = False  # the last piece ended inside a word
    for piece in pieces:
        if piece.literal:
            if _SHELL_SPECIAL.search(piece.text):
                return None
            if not piece.text:
                continue
            if glued and not piece.text[0].isspace():
                return None  # text glued to the value before it: x + ".png"
            out.extend([Part(True, word)] for word in piece.text.split())
            glued = not piece.text[-1].isspace()
        else:
            if glued:
                return None
            out.append([piece])
            glued = True
    return out if out and out[0][0].literal else None


def render_word(word: Sequence[Part], quote: str) -> str:
    (piece,) = word
    return piece.text if not piece.literal else f"{quote}{piece.text}{quote}"


def preferred_quote(text: str, language: str) -> str:
    """The quote a file mostly writes strings with, where the language has a choice."""
    default = QUOTE[language]
    if default != "'":
        return default
    return '"' if text.count('"') > text.count("'") else "'"


def split_command(node: Node, language: str, quote: str | None = None) -> list[str] | None:
    """The command's words as expressions of ``language``, or None (see ``words``)."""
    pieces = parts(node, language)
    if pieces is None:
        return None
    split = words(pieces)
    if split is None:
        return None
    return [render_word(w, quote or QUOTE[language]) for w in split]
