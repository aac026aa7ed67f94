"""Small helpers over tree-sitter nodes, shared by the per-language extractors."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from tree_sitter import Node

from entropy_lint.callsite import NO_FACTS, Arg, CallSite, FileFacts, Kind


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
    return index_nested(root, types)[0]


def index_nested(root: Node, *kinds: frozenset[str]) -> list[tuple[dict[int, int], dict[int, Node]]]:
    """``index_scopes`` for several sets of types at once, in one cursor pass over the tree."""
    return survey(root, kinds, frozenset())[0]


Index = tuple[dict[int, int], dict[int, Node]]


def survey(root: Node, kinds: Sequence[frozenset[str]], wanted: frozenset[str],
           record: frozenset[str] | None = None) -> tuple[list[Index], list[Node]]:
    """One cursor pass over the tree: for each set of types in ``kinds``, the nearest enclosing node of
    those types (by id; 0: none) of every named node (or only of nodes whose type is in ``record`` or
    ``kinds``), and those nodes by id; and every node whose type is in ``wanted``, in source order.
    Extractors read the tree once this way rather than once per question."""
    recorded = None if record is None else record.union(*kinds)
    indexes: list[Index] = [({}, {}) for _ in kinds]
    maps = [index[0] for index in indexes]
    current = [0] * len(kinds)
    stack: list[tuple[int, int, int]] = []  # (depth of an enclosing node, its kind, the one it replaced)
    found: list[Node] = []
    cursor = root.walk()
    depth = 0
    while True:
        node = cursor.node
        while stack and stack[-1][0] >= depth:
            _, k, previous = stack.pop()
            current[k] = previous
        if node is not None:
            node_type = node.type
            if node_type in recorded if recorded is not None else node.is_named:
                node_id = node.id
                for k, types in enumerate(kinds):
                    maps[k][node_id] = current[k]
                    if node_type in types:
                        indexes[k][1][node_id] = node
                        stack.append((depth, k, current[k]))
                        current[k] = node_id
            if node_type in wanted:
                found.append(node)
        if cursor.goto_first_child():
            depth += 1
            continue
        while not cursor.goto_next_sibling():
            if not cursor.goto_parent():
                return indexes, found
            depth -= 1


def operands(node: Node, types: frozenset[str], operators: frozenset[str],
             inner: Callable[[Node], Node] | None = None) -> list[Node] | None:
    """The operands of a chain such as ``a + b + c`` or ``a . (b . c)`` left to right, flattened in a
    loop (long concatenations nest thousands deep); None when ``node`` is not one of ``operators``.
    For grammars whose binary nodes (``types``) have ``left``, ``operator`` and ``right`` fields;
    ``inner`` sees through wrappers such as parentheses before each operand is looked at."""
    if node.type not in types or text_of(node.child_by_field_name("operator")) not in operators:
        return None
    found: list[Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        current = inner(current) if inner is not None else current
        if current.type in types and text_of(current.child_by_field_name("operator")) in operators:
            left, right = current.child_by_field_name("left"), current.child_by_field_name("right")
            if left is None or right is None:
                return None
            stack += (right, left)
        else:
            found.append(current)
    return found


_PLUS = frozenset({"+"})
_BINARY = frozenset({"binary_expression"})


def sum_operands(node: Node) -> list[Node] | None:
    """The operands of ``a + b + c`` left to right, for grammars whose ``+`` is a ``binary_expression``."""
    return operands(node, _BINARY, _PLUS)


def call_site(kind: Kind, qualname: str, node: Node, name: Node, receiver: str | Node | None, args: tuple[Arg, ...],
              text: str | None = None, end: int | None = None, *, source: bytes | None = None,
              facts: FileFacts = NO_FACTS) -> CallSite:
    """The site of ``node``, named by the ``name`` node; ``text`` and ``end`` widen it past ``node``.
    With ``source`` (the file's bytes) the call's text and its ``receiver`` node are read lazily."""
    span = (receiver.start_byte, receiver.end_byte) if isinstance(receiver, Node) and source is not None else None
    written_receiver = receiver if isinstance(receiver, str) else "" if receiver is None or span else text_of(receiver)
    written = text if text is not None or source is not None else text_of(node)
    return CallSite(kind=kind, qualname=qualname, name=text_of(name), receiver=written_receiver, args=args,
                    start=node.start_byte, end=node.end_byte if end is None else end, name_start=name.start_byte,
                    name_end=name.end_byte, row=node.start_point[0], text=written, source=source,
                    receiver_span=span, facts=facts)
