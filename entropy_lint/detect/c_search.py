"""The nodes the C extractor starts from: calls, function definitions, macro definitions and
bodies, and the regions where tree-sitter may have hidden a call (ERROR nodes, declarations of
functions inside function bodies).

One tree-sitter query finds them all, in C code rather than a Python walk. The query has one
weakness, which hostile input can reach: past 32,767 levels of nesting its cursor stops returning
matches and slows down quadratically (100,000 nested calls took a minute). A tree that deep is
searched with a Python cursor instead, slower but linear at any depth, and marked ``deep`` so that
work whose cost grows with depth is skipped. Telling a deep tree costs little: a subtree of ``n``
nodes is less than ``n`` deep, so only the few subtrees big enough to reach the limit are entered.
"""

from __future__ import annotations

import functools

from tree_sitter import Node, Query, QueryCursor

from entropy_lint.languages import grammar

_QUERY = """
(call_expression) @call
(function_definition) @function
(preproc_def) @define
(preproc_function_def) @macro
(preproc_arg) @body
(ERROR) @suspect
(compound_statement (declaration declarator: (function_declarator)) @suspect)
(compound_statement (function_definition) @suspect)
(field_declaration declarator: (array_declarator) @field)
(field_declaration declarator: (pointer_declarator) @pointer_field)
(field_declaration declarator: (field_identifier) @plain_field)
"""
_CPP_QUERY = """
(compound_statement (declaration declarator: (init_declarator value: (argument_list))) @suspect)
(class_specifier body: (_)) @class
(struct_specifier body: (_)) @class
(union_specifier body: (_)) @class
"""
DEEPEST = 30_000  # levels the query is trusted to search (it fails past 32,767)
_CLASSES = frozenset({"class_specifier", "struct_specifier", "union_specifier"})


@functools.cache
def _query(language: str) -> Query:
    return Query(grammar(language), _QUERY + (_CPP_QUERY if language == "cpp" else ""))


def deeper_than(root: Node, limit: int) -> bool:
    """Whether any node lies ``limit`` or more levels below ``root``. A subtree of ``n`` nodes
    (``descendant_count``, itself included) reaches at most ``n - 1`` levels below its top, so a
    child is entered only when it could still reach the limit."""
    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth >= limit:
            return True
        for child in node.children:
            if child.descendant_count >= limit - depth:
                stack.append((child, depth + 1))
    return False


def search(root: Node, language: str) -> tuple[dict[str, list[Node]], bool]:
    """The nodes by kind (the query's capture names), and whether the tree is deep."""
    if root.descendant_count < DEEPEST or not deeper_than(root, DEEPEST):
        return QueryCursor(_query(language)).captures(root), False
    return _walk(root, language), True


def _walk(root: Node, language: str) -> dict[str, list[Node]]:
    """What the query finds, found by a cursor walk (one pass, any depth)."""
    found: dict[str, list[Node]] = {}
    parents: list[str] = []  # the types of the nodes above the cursor
    cursor = root.walk()
    while True:
        node = cursor.node
        if node is not None:
            for kind in _kinds(node, parents[-1] if parents else "", language):
                found.setdefault(kind, []).append(node)
            if cursor.goto_first_child():
                parents.append(node.type)
                continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return found
            parents.pop()


def _kinds(node: Node, parent: str, language: str) -> list[str]:
    kind = node.type
    if kind == "call_expression":
        return ["call"]
    if kind == "function_definition":
        return ["function", "suspect"] if parent == "compound_statement" else ["function"]
    if kind == "preproc_def":
        return ["define"]
    if kind == "preproc_function_def":
        return ["macro"]
    if kind == "preproc_arg":
        return ["body"]
    if kind == "ERROR":
        return ["suspect"]
    if kind == "declaration" and parent == "compound_statement":
        declarator = node.child_by_field_name("declarator")
        if declarator is not None and declarator.type == "function_declarator":
            return ["suspect"]
        if language == "cpp" and declarator is not None and declarator.type == "init_declarator":
            value = declarator.child_by_field_name("value")
            return ["suspect"] if value is not None and value.type == "argument_list" else []
    if language == "cpp" and kind in _CLASSES and node.child_by_field_name("body") is not None:
        return ["class"]
    return []
