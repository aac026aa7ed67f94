"""What a rewrite must not do: add parse errors, leave the rule firing at the call, or make any
finding appear anywhere in the file. Findings are compared as multisets of (rule, the call's text
with whitespace collapsed), the fingerprint's text, so lines moving do not count as new."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Node, Tree

    from entropy_lint.detect import Hit

Key = tuple[str, str]  # (rule id, call text with whitespace collapsed)


def detect_hits(language: str, data: bytes, deps: Mapping[str, str] | None = None, tree: Tree | None = None,
                classes: Mapping[str, tuple[str, ...]] | None = None) -> list[Hit]:
    """Every rule's hits, before suppression comments and settings: a fix must not add even a
    finding the user has silenced or filtered out. The one place the fix engine runs detection."""
    from entropy_lint.detect import detect

    return detect(language, data, deps=deps, tree=tree, classes=classes).hits


def keys_of(hits: Iterable[Hit], data: bytes) -> Counter[Key]:
    return Counter((h.rule.id, " ".join(data[h.site.start : h.site.end].decode("utf-8", "replace").split()))
                   for h in hits)


def error_count(tree: Tree) -> int:
    """ERROR and MISSING nodes in the tree."""
    if not tree.root_node.has_error:
        return 0
    count, stack = 0, [tree.root_node]
    while stack:
        node: Node = stack.pop()
        if node.is_error or node.is_missing:
            count += 1
        if node.has_error:
            stack.extend(node.children)
    return count


def new_keys(before: Counter[Key], after: Counter[Key]) -> Counter[Key]:
    """Findings in ``after`` beyond those in ``before``."""
    return after - before
