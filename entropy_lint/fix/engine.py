"""Candidates for one finding: each template of its rule expanded at the call (and, with a model
that can fill in the middle, what the model writes there), kept only if verified."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from entropy_lint.findings import Safety
from entropy_lint.fix.edits import Edit, apply, moved, moved_start
from entropy_lint.fix.expand import expand
from entropy_lint.fix.rank import Comparison, comparison
from entropy_lint.fix.verify import detect_hits, error_count, keys_of, new_keys
from entropy_lint.languages import parse

if TYPE_CHECKING:
    from entropy_lint.detect import Hit
    from entropy_lint.fix.context import FileContext
    from entropy_lint.fix.fim import Infiller


@dataclass(frozen=True)
class Candidate:
    """A verified rewrite of one call, before ranking. It keeps what ranking needs (two bounded
    slices of text), not the whole rewritten file: a large file with many findings would hold a
    copy per candidate."""

    description: str
    safety: Safety
    edits: tuple[Edit, ...]  # character offsets in the original text, sorted
    call_span: tuple[int, int]  # the call, in the original text
    preview: str  # the call as rewritten
    comparison: Comparison  # what the model compares (see ``rank``)
    origin: str = "template"  # or "model": written by the model (fill-in-the-middle)


def verified(ctx: FileContext, edits: Sequence[Edit], rule_id: str, call_span: tuple[int, int]) -> str | None:
    """The rewritten text when it passes every check, else None: it parses with no more ERROR or
    MISSING nodes than the original, the rule fires nowhere in the rewritten call, and no finding
    appears that the original did not have (as a multiset of rule and call text)."""
    text = apply(ctx.text, edits)
    if text == ctx.text:
        return None
    data = text.encode("utf-8", "surrogatepass")
    tree = parse(ctx.language, data)
    if error_count(tree) > ctx.errors:
        return None
    hits = detect_hits(ctx.language, data, ctx.deps, tree, ctx.classes)
    if new_keys(ctx.keys, keys_of(hits, data)):
        return None
    start, end = moved_start(call_span[0], edits), moved(call_span[1], edits)
    start_byte = len(text[:start].encode("utf-8", "surrogatepass"))
    end_byte = start_byte + len(text[start:end].encode("utf-8", "surrogatepass"))
    for hit in hits:
        if hit.rule.id == rule_id and hit.site.start < end_byte and hit.site.end > start_byte:
            return None
    return text


def candidates(ctx: FileContext, hit: Hit, infill: Infiller | None = None) -> list[Candidate]:
    """Every verified rewrite of ``hit``'s call: templates in table order, then the model's own
    (review, always); duplicates (the same rewritten file) are kept once."""
    span = ctx.chars(hit.site.start, hit.site.end)
    found: list[Candidate] = []
    seen = {_digest(ctx.text)}
    proposals: list[tuple[str, Safety, list[Edit], str]] = []
    for template in hit.rule.fixes:
        edits = expand(template, hit.site, ctx)
        if edits is not None:
            proposals.append((template.description, template.safety, edits, "template"))
    if infill is not None:
        from entropy_lint.fix.fim import model_rewrites

        proposals += [(d, "review", e, "model") for d, e in model_rewrites(ctx, hit.site, infill)]
    for description, safety, edits, origin in proposals:
        try:
            text = verified(ctx, edits, hit.rule.id, span)
        except ValueError:  # edits outside the text or overlapping: not a rewrite
            continue
        if text is None or _digest(text) in seen:
            continue
        seen.add(_digest(text))
        preview = text[moved_start(span[0], edits) : moved(span[1], edits)]
        found.append(Candidate(description, safety, tuple(edits), span, preview,
                               comparison(ctx.text, ctx.lines, text, edits, span), origin))
    return found


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
