"""Small helpers over tree-sitter nodes, shared by the per-language extractors."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node


def text_of(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text is not None else ""


def walk(node: Node, types: frozenset[str]) -> Iterator[Node]:
    """Every descendant of ``node`` (itself included) whose type is in ``types``, in order."""
    cursor = node.walk()
    reached_root = False
    while not reached_root:
        if cursor.node is not None and cursor.node.type in types:
            yield cursor.node
        if cursor.goto_first_child():
            continue
        if cursor.goto_next_sibling():
            continue
        while True:
            if not cursor.goto_parent() or cursor.node == node:
                reached_root = True
                break
            if cursor.goto_next_sibling():
                break


def unquote(literal: str) -> str:
    """The content of a simple quoted literal: strip one layer of matching quotes."""
    for q in ('"""', "'''", '"', "'", "`"):
        if len(literal) >= 2 * len(q) and literal.startswith(q) and literal.endswith(q):
            return literal[len(q) : -len(q)]
    return literal
