"""Candidates for one finding: each template of its rule expanded at the call (and, with a model
that can fill in the middle, what the model writes there), kept only if verified."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from entropy_lint.findings import Safety
from entropy_lint.fix.edits import Edit, apply, moved, moved_start, normalized
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
    return text if _passes(ctx, text, [(edits, rule_id, call_span)]) == [True] else None


def _passes(ctx: FileContext, text: str, members: Sequence[tuple[Sequence[Edit], str, tuple[int, int]]],
            edits: Sequence[Edit] | None = None) -> list[bool] | None:
    """Check ``text``, the original with every member's edits (``edits``, all of them, when there
    are several members): None when it parses worse or holds a finding the original did not;
    else, per member, whether its rule is gone from its rewritten call."""
    data = text.encode("utf-8", "surrogatepass")
    tree = parse(ctx.language, data)
    if error_count(tree) > ctx.errors:
        return None
    hits = detect_hits(ctx.language, data, ctx.deps, tree, ctx.classes)
    if new_keys(ctx.keys, keys_of(hits, data)):
        return None
    out = []
    for own, rule_id, call_span in members:
        every = edits if edits is not None else own
        start, end = moved_start(call_span[0], every), moved(call_span[1], every)
        start_byte = len(text[:start].encode("utf-8", "surrogatepass"))
        end_byte = start_byte + len(text[start:end].encode("utf-8", "surrogatepass"))
        out.append(not any(h.rule.id == rule_id and h.site.start < end_byte and h.site.end > start_byte for h in hits))
    return out


@dataclass(frozen=True)
class _Proposal:
    finding: int
    description: str
    safety: Safety
    edits: tuple[Edit, ...]
    origin: str
    span: tuple[int, int]
    rule_id: str
    text: str  # the original with these edits alone


def candidates_for(ctx: FileContext, hits: Sequence[Hit | None], infill: Infiller | None = None) -> list[list[Candidate]]:
    """Every verified rewrite of each hit's call (none for None): templates in table order, then the
    model's own (review, always); duplicates (the same rewritten file) are kept once per hit.

    Verification analyses a whole file per check, so rewrites of different calls are checked
    together: one candidate per call, applied at once, parsed and analysed once. When that file
    passes, so does each rewrite in it; when it does not, each is checked alone, as is any whose
    rule still fires at its call there. A file with ten findings costs two or three analyses
    instead of twenty."""
    proposals: list[_Proposal] = []
    for i, hit in enumerate(hits):
        if hit is None:
            continue
        span = ctx.chars(hit.site.start, hit.site.end)
        seen = {_digest(ctx.text)}
        raw: list[tuple[str, Safety, list[Edit], str]] = []
        for template in hit.rule.fixes:
            edits = expand(template, hit.site, ctx)
            if edits is not None:
                raw.append((template.description, template.safety, edits, "template"))
        if infill is not None:
            from entropy_lint.fix.fim import model_rewrites

            raw += [(d, "review", e, "model") for d, e in model_rewrites(ctx, hit.site, infill)]
        for description, safety, edits, origin in raw:
            try:
                text = apply(ctx.text, edits)
            except ValueError:  # edits outside the text or overlapping: not a rewrite
                continue
            digest = _digest(text)
            if digest in seen:  # no change, or the same file as an earlier candidate
                continue
            seen.add(digest)
            proposals.append(_Proposal(i, description, safety, tuple(sorted(edits)), origin, span, hit.rule.id, text))
    passed = _verify_together(ctx, proposals)
    out: list[list[Candidate]] = [[] for _ in hits]
    for p, ok in zip(proposals, passed):
        if ok:
            preview = p.text[moved_start(p.span[0], p.edits) : moved(p.span[1], p.edits)]
            out[p.finding].append(Candidate(p.description, p.safety, p.edits, p.span, preview,
                                            comparison(ctx.text, ctx.lines, p.text, p.edits, p.span), p.origin))
    return out


def _verify_together(ctx: FileContext, proposals: Sequence[_Proposal]) -> list[bool]:
    """Whether each proposal passes verification, checking non-overlapping ones in batches."""
    batches: list[tuple[list[int], list[Edit], set[int]]] = []  # members, their edits, their findings
    for k, p in enumerate(proposals):
        reach = [p.span, *((e.start, e.end) for e in p.edits)]
        for members, edits, findings in batches:
            # one rewrite per call, and none inside another's call or edits (a nested call's
            # rewrite changes the text of the call around it, so the two are judged apart)
            if p.finding in findings or any(_touch(p.span, (q.start, q.end)) for q in edits) or any(
                    _touch(proposals[m].span, a) for m in members for a in reach):
                continue
            try:
                normalized([*edits, *p.edits])
            except ValueError:
                continue
            members.append(k)
            edits.extend(p.edits)
            findings.add(p.finding)
            break
        else:
            batches.append(([k], list(p.edits), {p.finding}))
    ok = [False] * len(proposals)
    for members, edits, _ in batches:
        results: list[bool] | None = None
        if len(members) > 1:
            every = normalized(edits)
            results = _passes(ctx, apply(ctx.text, every),
                              [(proposals[k].edits, proposals[k].rule_id, proposals[k].span) for k in members], every)
        for j, k in enumerate(members):
            if results is not None and results[j]:
                ok[k] = True
            else:  # alone, or its batch failed, or its rule fired at its call beside the others
                p = proposals[k]
                ok[k] = _passes(ctx, p.text, [(p.edits, p.rule_id, p.span)]) == [True]
    return ok


def _touch(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Do two ranges overlap or meet (an insertion at either end of a call touches it)?"""
    return a[0] <= b[1] and b[0] <= a[1]


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
