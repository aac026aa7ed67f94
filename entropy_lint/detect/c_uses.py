"""Where a name occurs in a C function (or file), and what each occurrence does to it: declares it,
writes it, writes one of its elements, hands it to a call, takes its address, or aliases it.

A name is found by a search of the bytes (the first few names of a region each get a search of
their own; after that, one index of every word in the region serves the rest), and each hit is
read in the tree: an identifier node at that offset, and the few nodes above it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from tree_sitter import Node

from entropy_lint.detect.nodes import text_of

_BYTE_TYPES = frozenset({"char", "signed char", "unsigned char", "uint8_t", "int8_t", "u_char", "gchar", "guchar",
                         "BYTE", "CHAR", "UCHAR"})
_DECLARATOR_WRAPPERS = frozenset({"pointer_declarator", "array_declarator", "parenthesized_declarator",
                                  "attributed_declarator", "reference_declarator"})
LOOPS = frozenset({"for_statement", "while_statement", "do_statement", "for_range_loop"})
_WORD = re.compile(rb"[A-Za-z_$][\w$]*")
_SEARCHES_BEFORE_INDEX = 8
# Bounds on the work one file can ask for: each occurrence costs a descent of the tree, which in a
# hostile file can be as deep as the file is long.
MAX_NAMES = 2000  # names followed per file
MAX_OCCURRENCES = 500  # occurrences of one name in one region; a name used more often is not followed


@dataclass
class Uses:
    """Every occurrence of one name in a region, sorted by what it does."""

    declarations: list[Declaration] = field(default_factory=list)
    parameter: bool = False
    writes: list[tuple[Node, Node | None]] = field(default_factory=list)  # (assignment, value or None: not plain =)
    element_writes: list[tuple[Node, Node | None, Node | None]] = field(default_factory=list)  # (assignment, index, value)
    passed_to: list[Node] = field(default_factory=list)  # calls the bare name (or a cast of it) is an argument of
    address_taken: bool = False
    too_many: bool = False  # past MAX_OCCURRENCES or MAX_NAMES: not followed
    aliased: list[int] = field(default_factory=list)  # read some other way (``p = buf``): an array may change through it


@dataclass
class Declaration:
    declaration: Node
    array_size: Node | None  # the [size] of an array declarator
    array: bool
    value: Node | None  # the initializer
    const: bool  # the declared type is const-qualified (for an array: its content)
    file_scope: bool
    byte_elements: bool


class Occurrences:
    """The occurrences of names in one file, by region (a function node, or None for the file)."""

    def __init__(self, source: bytes, root: Node) -> None:
        self.source = source
        self.root = root
        self._uses: dict[tuple[int, str], Uses] = {}
        self._word_index: dict[int, dict[bytes, list[int]]] = {}
        self._asked: dict[int, int] = {}
        self.exhausted = False  # more than MAX_NAMES names were asked about; the rest are unknown

    def uses(self, name: str, region: Node | None) -> Uses:
        """Every occurrence of ``name`` as an identifier in ``region`` (a function or the file)."""
        key = (region.id if region is not None else -1, name)
        if key in self._uses:
            return self._uses[key]
        uses = Uses()
        self._uses[key] = uses
        if len(self._uses) > MAX_NAMES:
            self.exhausted = True
            uses.too_many = True
            return uses
        top = region if region is not None else self.root
        encoded = name.encode()
        positions = self.positions(encoded, region)
        if len(positions) > MAX_OCCURRENCES:
            uses.too_many = True
            return uses
        for start in positions:
            node = top.descendant_for_byte_range(start, start + len(encoded))
            if node is not None and node.type == "identifier" and node.start_byte == start:
                classify(node, uses, region is None)
        return uses

    def positions(self, word: bytes, region: Node | None) -> list[int]:
        """Where ``word`` starts in ``region``: a search of its own for the first few names asked
        about a region, then one index of every word (a big function asked about many names
        would otherwise be searched once per name)."""
        key = region.id if region is not None else -1
        start, end = (region.start_byte, region.end_byte) if region is not None else (0, len(self.source))
        asked = self._asked.get(key, 0)
        self._asked[key] = asked + 1
        if asked < _SEARCHES_BEFORE_INDEX:
            pattern = re.compile(rb"(?<![\w$])" + re.escape(word) + rb"(?![\w$])")
            return [m.start() for m in pattern.finditer(self.source, start, end)]
        return self._words(key, start, end).get(word, [])

    def _words(self, key: int, start: int, end: int) -> dict[bytes, list[int]]:
        if key not in self._word_index:
            index: dict[bytes, list[int]] = {}
            for m in _WORD.finditer(self.source, start, end):
                index.setdefault(m.group(), []).append(m.start())
            self._word_index[key] = index
        return self._word_index[key]


def classify(ident: Node, uses: Uses, file_scope: bool) -> None:
    """Sort one occurrence: declaration, parameter, write, element write, argument, address taken,
    or another use through which an array could change (``p = buf``, ``return buf``: ``aliased``)."""
    child, parent = ident, ident.parent
    array, array_size = False, None
    while parent is not None and parent.type in _DECLARATOR_WRAPPERS and parent.child_by_field_name("declarator") == child:
        if parent.type == "array_declarator":
            array, array_size = True, array_size or parent.child_by_field_name("size")
        child, parent = parent, parent.parent
    if parent is None:
        return
    declaration, value = None, None
    if parent.type == "init_declarator" and parent.child_by_field_name("declarator") == child:
        declaration, value = parent.parent, parent.child_by_field_name("value")
    elif parent.type == "declaration" and child in parent.children_by_field_name("declarator"):
        declaration = parent
    elif parent.type in ("parameter_declaration", "optional_parameter_declaration"):
        uses.parameter = True
        return
    if declaration is not None:
        if declaration.type == "declaration":
            type_node = declaration.child_by_field_name("type")
            const = any(c.type == "type_qualifier" and text_of(c) == "const" for c in declaration.children)
            uses.declarations.append(Declaration(
                declaration, array_size, array, value, const, file_scope and not _inside_function(declaration),
                type_node is not None and text_of(type_node) in _BYTE_TYPES))
        return
    if child is not ident:
        return  # the declarator of something else: a function's own name, a struct field
    if parent.type == "assignment_expression" and parent.child_by_field_name("left") == ident:
        plain = text_of(parent.child_by_field_name("operator")) == "="
        uses.writes.append((parent, parent.child_by_field_name("right") if plain else None))
    elif parent.type == "update_expression":
        uses.writes.append((parent, None))
    elif parent.type == "pointer_expression" and text_of(parent.child_by_field_name("operator")) == "&":
        uses.address_taken = True
    elif parent.type == "subscript_expression" and parent.child_by_field_name("argument") == ident:
        outer = parent.parent
        if outer is not None and outer.type == "assignment_expression" and outer.child_by_field_name("left") == parent:
            plain = text_of(outer.child_by_field_name("operator")) == "="
            uses.element_writes.append((outer, parent.child_by_field_name("index"),
                                        outer.child_by_field_name("right") if plain else None))
        elif outer is not None and (outer.type == "update_expression" or (
                outer.type == "pointer_expression" and text_of(outer.child_by_field_name("operator")) == "&")):
            uses.element_writes.append((outer, None, None))
    elif parent.type in ("argument_list", "cast_expression", "parenthesized_expression"):
        while parent is not None and parent.type in ("cast_expression", "parenthesized_expression"):
            parent = parent.parent
        if parent is not None and parent.type == "argument_list" and parent.parent is not None:
            uses.passed_to.append(parent.parent)  # f(buf), f((char **)buf)
        elif parent is None or parent.type != "sizeof_expression":
            uses.aliased.append(ident.start_byte)
    elif parent.type != "sizeof_expression":
        uses.aliased.append(ident.start_byte)


def _inside_function(node: Node) -> bool:
    up = node.parent
    while up is not None:
        if up.type == "function_definition":
            return True
        up = up.parent
    return False


class Reach(NamedTuple):
    """Which occurrences can come before the call: in a function, those earlier in the text or
    later in a loop that holds the call; at file scope (``before`` past the end), all of them."""

    region: int  # the function's node id, or -1 for the file
    before: int
    loops: tuple[tuple[int, int], ...]

    def reaches(self, offset: int) -> bool:
        return offset < self.before or any(start <= offset < end for start, end in self.loops)


def single(uses: Uses) -> bool:
    """Declared exactly once (or a parameter), its address never taken, and within the bounds."""
    return len(uses.declarations) + uses.parameter == 1 and not uses.address_taken and not uses.too_many


def escapes(uses: Uses, reach: Reach, start: int, end: int) -> bool:
    """Whether the bare name is handed to a call other than the one being analysed, where that
    call can run before it."""
    return any(not (call.start_byte == start and call.end_byte == end) and reach.reaches(call.start_byte)
               for call in uses.passed_to)


def dominates(write: Node, start: int, end: int) -> bool:
    """Whether ``write`` (an assignment, or a declaration) certainly runs before the call at
    ``start``-``end``: it is a
    statement of its own in a block that holds the call, and ends before the call starts."""
    statement = write if write.type == "declaration" else write.parent
    if statement is None or write.end_byte > start:
        return False
    if statement.type != "declaration" and statement.type != "expression_statement":
        return False
    block = statement.parent
    if block is None:
        return False
    if block.type == "translation_unit":
        return True
    return block.type == "compound_statement" and block.start_byte <= start and end <= block.end_byte
