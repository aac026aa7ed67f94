"""Edits of a text by character offsets: applying them, following a position through them, and
the ``Replacement`` records (with lines and columns) that reports carry."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from entropy_lint.findings import Replacement
from entropy_lint.lines import LineIndex


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``text[start:end]`` by ``new``; an insertion when ``start == end``."""

    start: int
    end: int
    new: str


class OverlapError(ValueError):
    """Two edits touch the same text, so the order they apply in would matter."""


def normalized(edits: Iterable[Edit]) -> list[Edit]:
    """``edits`` sorted, identical ones merged (two fixes adding the same import), and checked:
    no two overlap, and no two insert different text at one point."""
    ordered = sorted(set(edits))
    for a, b in zip(ordered, ordered[1:]):
        if b.start < a.end or (a.start == b.start and (a.start == a.end or b.start == b.end)):
            raise OverlapError(f"edits at {a.start}-{a.end} and {b.start}-{b.end} overlap")
    return ordered


def apply(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with ``edits``; everything outside their ranges is kept character for character."""
    out, at = [], 0
    for e in normalized(edits):
        if not 0 <= e.start <= e.end <= len(text):
            raise ValueError(f"edit {e.start}-{e.end} is outside a text of {len(text)} characters")
        out.append(text[at : e.start])
        out.append(e.new)
        at = e.end
    out.append(text[at:])
    return "".join(out)


def moved(position: int, edits: Sequence[Edit]) -> int:
    """Where ``position`` of the old text is in the new one: shifted by every edit that ends at or
    before it (an edit ending exactly there lies before it)."""
    return position + sum(len(e.new) - (e.end - e.start) for e in edits if e.end <= position)


def moved_start(position: int, edits: Sequence[Edit]) -> int:
    """Like ``moved``, for the start of a range: text inserted exactly at ``position`` belongs to
    the range, so it does not push the start past itself."""
    return position + sum(len(e.new) - (e.end - e.start) for e in edits if e.end <= position and e.start < position)


def replacements(edits: Iterable[Edit], lines: LineIndex) -> tuple[Replacement, ...]:
    """The report form of ``edits``: offsets plus 1-based lines and code-point columns in the old text."""
    out = []
    for e in normalized(edits):
        (sl, sc), (el, ec) = lines.position(e.start), lines.position(e.end)
        out.append(Replacement(e.start, e.end, sl, sc, el, ec, e.new))
    return tuple(out)


def edits_of(replaced: Iterable[Replacement]) -> list[Edit]:
    return [Edit(r.start, r.end, r.text) for r in replaced]
