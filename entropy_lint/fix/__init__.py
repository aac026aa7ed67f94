"""Fixes: verified rewrites of risky calls, ranked by the model in context.

``offer`` is the whole of it for a run: for each finding, every template of its rule is expanded
at the call (``expand``), kept only if the rewritten file passes ``engine.verified``, and, with a
scorer, ranked by ``rank.deltas`` in one scorer call for the whole run. Without a scorer the
fixes keep their table order and ``delta_nats`` is None. Safe fixes come first (the best of them
is what ``entropy-lint fix`` applies), each group best first (``order``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from entropy_lint.findings import Finding, Fix
from entropy_lint.fix.edits import replacements

if TYPE_CHECKING:
    from entropy_lint.detect import Hit
    from entropy_lint.fix.context import FileContext
    from entropy_lint.fix.engine import Candidate
    from entropy_lint.fix.fim import Infiller
    from entropy_lint.model.scoring import Scorer


@dataclass(frozen=True)
class FileFindings:
    """One file's text, language and findings, as the pipeline has them."""

    text: str
    language: str
    findings: Sequence[Finding]
    hits: Sequence[Hit] | None = None  # the pipeline's rule hits on ``text``, when it has them (else detected again)
    deps: Mapping[str, str] | None = None  # the dependencies detection was given
    classes: Mapping[str, tuple[str, ...]] | None = None  # and the tree's classes


def propose(file: FileFindings, infill: Infiller | None = None) -> tuple[FileContext | None, list[list[Candidate]]]:
    """Verified candidates for each finding of ``file``, in template order (no context when no
    finding's rule has a template and no model writes fixes)."""
    from entropy_lint.fix.context import FileContext
    from entropy_lint.fix.engine import candidates_for
    from entropy_lint.rules import by_id

    rules = by_id()
    if infill is None and not any(f.rule_id in rules and rules[f.rule_id].fixes for f in file.findings):
        return None, [[] for _ in file.findings]  # no template to try: nothing to verify against
    ctx = FileContext.of(file.text, file.language, file.hits, file.deps, file.classes)
    hits = [ctx.hit_at(f.rule_id, f.span) for f in file.findings]
    wanted = [h if h is not None and (h.rule.fixes or infill is not None) else None for h in hits]
    return ctx, candidates_for(ctx, wanted, infill)


def offer(files: Sequence[FileFindings], scorer: Scorer | None = None, infill: Infiller | None = None,
          proposed: Sequence[Mapping[tuple[str, tuple[int, int]], Sequence[Candidate]] | None] | None = None
          ) -> list[list[Finding]]:
    """Each file's findings with their ``fixes`` filled in (see the module's docstring).
    ``proposed`` holds each file's verified candidates by (rule, span) when they were found
    already (during analysis, maybe in another process); a file with None there is proposed here."""
    from entropy_lint.fix.rank import deltas
    from entropy_lint.lines import LineIndex

    given = proposed if proposed is not None else [None] * len(files)
    ready: list[tuple[LineIndex, list[list[Candidate]]] | None] = []
    for f, known in zip(files, given):
        if not f.findings:
            ready.append(None)
        elif known is not None:
            per = [list(known.get((x.rule_id, x.span), ())) for x in f.findings]
            ready.append((LineIndex(f.text), per) if any(per) else None)
        else:
            ctx, per = propose(f, infill)
            ready.append((ctx.lines, per) if ctx is not None else None)
    jobs: list[tuple[int, int, int]] = []  # (file, finding, candidate)
    comparisons = []
    if scorer is not None:
        for i, entry in enumerate(ready):
            if entry is None:
                continue
            for j, found in enumerate(entry[1]):
                for k, c in enumerate(found):
                    jobs.append((i, j, k))
                    comparisons.append(c.comparison)
    ranked = dict(zip(jobs, deltas(comparisons, scorer))) if scorer is not None else {}
    out: list[list[Finding]] = []
    for i, (file, entry) in enumerate(zip(files, ready)):
        if entry is None:
            out.append(list(file.findings))
            continue
        lines, per_finding = entry
        updated = []
        for j, (finding, found) in enumerate(zip(file.findings, per_finding)):
            fixes = [Fix(c.description, c.safety, _rounded(ranked.get((i, j, k))), replacements(c.edits, lines),
                         c.preview) for k, c in enumerate(found)]
            updated.append(replace(finding, fixes=tuple(order(fixes))))
        out.append(updated)
    return out


TABLE_LEAD_NATS = 3.0
"""How many nats more natural than the table's first candidate (of the same safety) another one
must be to go ahead of it. The table lists the usual fix first; a difference smaller than this
is within what SmolLM2-135M's ``delta_nats`` varies with a template's wording. Chosen on the 39
pairs the fixes were built against (any lead from 1.5 to 6 nats did best there) and checked on 31
pairs written afterwards (docs/benchmarks.md)."""


def order(fixes: Sequence[Fix]) -> list[Fix]:
    """Safe first; within each group the most natural first (lowest ``delta_nats``, the group's
    first in table order given a lead of ``TABLE_LEAD_NATS``), unranked ones after ranked ones,
    ties in table order."""
    first: dict[str, int] = {}
    for i, f in enumerate(fixes):
        first.setdefault(f.safety, i)

    def key(pair: tuple[int, Fix]) -> tuple[bool, bool, float, int]:
        i, f = pair
        lead = 0.0 if first[f.safety] == i else TABLE_LEAD_NATS
        return (f.safety != "safe", f.delta_nats is None, f.delta_nats + lead if f.delta_nats is not None else 0.0, i)

    return [f for _, f in sorted(enumerate(fixes), key=key)]


def _rounded(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def sound(language: str, before: str, after: str) -> bool:
    """``after`` (several fixes applied to ``before``) parses as well as ``before`` and has no
    finding ``before`` did not: the check each fix passed alone, for their combination."""
    from entropy_lint.fix.verify import detect_hits, error_count, keys_of, new_keys
    from entropy_lint.languages import parse

    old, new = before.encode("utf-8", "surrogatepass"), after.encode("utf-8", "surrogatepass")
    if error_count(parse(language, new)) > error_count(parse(language, old)):
        return False
    return not new_keys(keys_of(detect_hits(language, old), old), keys_of(detect_hits(language, new), new))
