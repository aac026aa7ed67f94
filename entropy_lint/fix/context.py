"""One file as the fix engine sees it: its text and bytes, parse tree, the rules' hits on it, and
what a rewrite must not make worse (parse errors, the multiset of findings)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from entropy_lint.fix.verify import Key, detect_hits, error_count, keys_of
from entropy_lint.languages import parse
from entropy_lint.lines import LineIndex

if TYPE_CHECKING:
    from tree_sitter import Node, Tree

    from entropy_lint.detect import Hit

_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass
class FileContext:
    text: str
    language: str
    data: bytes
    lines: LineIndex
    tree: Tree
    hits: list[Hit]
    keys: Counter[Key]
    errors: int
    newline: str  # the file's first line break, used in any line a fix adds
    _char_of: Sequence[int]
    deps: Mapping[str, str] | None = None  # what detection knew of the project's dependencies
    classes: Mapping[str, tuple[str, ...]] | None = None  # and of the tree's classes
    _by_span: dict[tuple[str, tuple[int, int]], Hit] | None = None

    @classmethod
    def of(cls, text: str, language: str, hits: Sequence[Hit] | None = None,
           deps: Mapping[str, str] | None = None, classes: Mapping[str, tuple[str, ...]] | None = None) -> FileContext:
        """The context of ``text``; ``hits`` are detection's hits on it (with ``deps``) when the
        caller has them, so the file is not analysed twice."""
        data = text.encode("utf-8", "surrogatepass")
        tree = parse(language, data)
        found = list(hits) if hits is not None else detect_hits(language, data, deps, tree, classes)
        first = _BREAK.search(text)
        return cls(text, language, data, LineIndex(text), tree, found, keys_of(found, data), error_count(tree),
                   first.group(0) if first else "\n", _byte_to_char(text, data), deps, classes)

    def char(self, byte: int) -> int:
        """The character offset of a byte offset into ``data``."""
        return int(self._char_of[byte])

    def chars(self, start: int, end: int) -> tuple[int, int]:
        return self.char(start), self.char(end)

    def node(self, start: int, end: int) -> Node | None:
        """The innermost named node spanning exactly bytes ``[start, end)``."""
        node = self.tree.root_node.named_descendant_for_byte_range(start, end)
        if node is None or node.start_byte != start or node.end_byte != end:
            return None
        return node

    def hit_at(self, rule_id: str, span: tuple[int, int]) -> Hit | None:
        """The rule's hit whose call covers the character span ``span`` (a finding's)."""
        if self._by_span is None:
            self._by_span = {(h.rule.id, self.chars(h.site.start, h.site.end)): h for h in reversed(self.hits)}
        return self._by_span.get((rule_id, span))


def _byte_to_char(text: str, data: bytes) -> Sequence[int]:
    """The character offset of every byte offset (0..len(data)) of ``data``, the UTF-8 of ``text``."""
    if len(data) == len(text):
        return range(len(data) + 1)
    import numpy as np

    starts = (np.frombuffer(data, np.uint8) & 0xC0) != 0x80
    return cast("Sequence[int]", np.concatenate((np.cumsum(starts) - 1, [len(text)])))
