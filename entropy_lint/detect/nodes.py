"""Small helpers over tree-sitter nodes, shared by the per-language extractors."""

from __future__ import annotations

from collections.abc import Iterator

from tree_sitter import Node

from entropy_lint.callsite import Arg, CallSite, Kind


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


def index_scopes(root: Node, types: frozenset[str]) -> tuple[dict[int, int], dict[int, Node]]:
    """For every node id, the id of its nearest enclosing node of one of ``types`` (0: none), and
    those nodes by id. One cursor pass: ``Node.parent`` costs a descent from the root each time."""
    enclosing: dict[int, int] = {}
    scopes: dict[int, Node] = {}
    stack: list[tuple[int, int]] = [(-1, 0)]  # (depth of the scope node, its id)
    cursor = root.walk()
    depth = 0
    while True:
        node = cursor.node
        while stack[-1][0] >= depth:
            stack.pop()
        if node is not None:
            enclosing[node.id] = stack[-1][1]
            if node.type in types:
                scopes[node.id] = node
                stack.append((depth, node.id))
        if cursor.goto_first_child():
            depth += 1
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return enclosing, scopes
            depth -= 1


def sum_operands(node: Node) -> list[Node] | None:
    """The operands of ``a + b + c`` left to right, found in a loop (long concatenations nest deeply);
    None when ``node`` is not a ``+``. For grammars whose ``binary_expression`` has ``left``,
    ``operator`` and ``right`` fields."""
    operands: list[Node] = []
    while node.type == "binary_expression" and text_of(node.child_by_field_name("operator")) == "+":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            return None
        operands.append(right)
        node = left
    if not operands:
        return None
    operands.append(node)
    return operands[::-1]


def call_site(kind: Kind, qualname: str, node: Node, name: Node, receiver: str, args: tuple[Arg, ...],
              text: str | None = None, end: int | None = None) -> CallSite:
    """The site of ``node``, named by the ``name`` node; ``text`` and ``end`` widen it past ``node``."""
    return CallSite(kind=kind, qualname=qualname, name=text_of(name), receiver=receiver, args=args,
                    start=node.start_byte, end=node.end_byte if end is None else end, name_start=name.start_byte,
                    name_end=name.end_byte, row=node.start_point[0], text=text_of(node) if text is None else text)
