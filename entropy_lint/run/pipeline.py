"""The pipeline: sources -> call sites -> rule hits -> model scores -> findings. Nothing else."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from entropy_lint.findings import Finding, TokenView, fingerprint, from_dict, suppressed, to_dict, with_message
from entropy_lint.languages import LANGUAGES
from entropy_lint.rules import by_id
from entropy_lint.rules.base import Level, level_rank
from entropy_lint.run.sources import Source

if TYPE_CHECKING:
    import numpy as np

    from entropy_lint.run.cache import ResultCache
    from entropy_lint.model.scoring import Scorer, TokenScores


@dataclass(frozen=True)
class LintSettings:
    """What to report. Every field is part of the results cache key."""

    min_level: Level = "note"
    max_prob: float | None = None
    min_entropy: float | None = None
    full: bool = False
    select: frozenset[str] = frozenset()  # only these rule ids (empty: all)
    ignore: frozenset[str] = frozenset()
    levels: tuple[tuple[str, Level], ...] = ()  # per-rule level overrides
    use_model: bool = True

    def key(self) -> str:
        """Stable across processes (sets sorted; string hashing is randomised per process)."""
        return repr((self.min_level, self.max_prob, self.min_entropy, self.full, sorted(self.select),
                     sorted(self.ignore), sorted(self.levels), self.use_model))


@dataclass
class FileResult:
    path: str
    language: str | None
    findings: list[Finding] = field(default_factory=list)
    problem: str | None = None
    suppressed: int = 0
    scores: TokenScores | None = None  # whole-file scores, with --full
    cached: bool = False


@dataclass
class LintReport:
    files: list[FileResult]
    model: str | None = None
    tokens_scored: int = 0
    scoring_seconds: float = 0.0

    @property
    def findings(self) -> list[Finding]:
        return sorted((f for r in self.files for f in r.findings), key=Finding.sort_key)

    @property
    def problems(self) -> list[tuple[str, str]]:
        return [(r.path, r.problem) for r in self.files if r.problem]

    def counts(self) -> Counter[str]:
        return Counter(f.level for f in self.findings)


@dataclass
class _Draft:
    finding: Finding
    name_span: tuple[int, int]  # character offsets
    call_span: tuple[int, int]


def lint(
    sources: Iterable[Source],
    settings: LintSettings,
    scorer: Callable[[], Scorer] | None,
    *,
    cache: ResultCache | None = None,
    cache_context: str = "",
    keep: Callable[[Finding], bool] | None = None,
    on_file: Callable[[], None] | None = None,
) -> LintReport:
    """Lint ``sources``. ``scorer`` is called (once) only if some file has a finding to score
    (or, with ``settings.full``, any file at all: then every file gets whole-file scores).

    ``cache`` holds finished per-file results keyed by content and ``cache_context`` (model and
    scoring settings); ``keep`` drops findings (baseline, --diff) before anything is scored.
    """
    from entropy_lint.run.cache import file_key

    sources = list(sources)
    results = [FileResult(s.path, s.language, problem=s.problem) for s in sources]
    keys = {i: file_key(s.text, s.language, f"{cache_context}|{settings.key()}")
            for i, s in enumerate(sources) if cache is not None and s.text is not None and s.language is not None}
    hits = cache.get_many(keys.values()) if cache is not None else {}
    drafts: dict[int, list[_Draft]] = {}
    complete: set[int] = set()
    for i, source in enumerate(sources):
        if source.text is None or source.language is None:
            continue
        hit = hits.get(keys.get(i, ""))
        if hit is not None:
            found = [from_dict(d, source.path) for d in hit["findings"]]
            results[i].findings = [f for f in found if keep is None or keep(f)]
            results[i].suppressed, results[i].cached = hit["suppressed"], True
            if on_file:
                on_file()
            continue
        found_drafts, results[i].suppressed = _detect(source, settings)
        kept = [d for d in found_drafts if keep is None or keep(d.finding)]
        if len(kept) == len(found_drafts):
            complete.add(i)
        if kept or settings.full:  # --full scores every file, for heatmaps, findings or not
            drafts[i] = kept
        elif on_file:
            on_file()
    report = LintReport(results)
    if drafts and settings.use_model and scorer is not None:
        _score(report, drafts, {i: sources[i].text or "" for i in drafts}, settings, scorer())
    rules = by_id()
    for i, file_drafts in drafts.items():
        kept_findings = [d.finding for d in file_drafts if _passes_gates(d.finding, settings)]
        results[i].findings = [with_message(f, rules[f.rule_id].short) for f in kept_findings]
        if on_file:
            on_file()
    if report.model is None:  # every scored finding came from the cache
        report.model = next((f.model for r in results for f in r.findings if f.model), None)
    if cache is not None:
        fresh = {keys[i]: {"findings": [to_dict(f) for f in results[i].findings], "suppressed": results[i].suppressed}
                 for i in complete if i in keys and _finished(results[i], settings)}
        cache.put_many(fresh)
    return report


def _finished(result: FileResult, settings: LintSettings) -> bool:
    """A result worth caching: every finding scored when the model is in use."""
    return not settings.use_model or all(f.scored for f in result.findings)


def _detect(source: Source, settings: LintSettings) -> tuple[list[_Draft], int]:
    from entropy_lint.detect import detect

    assert source.text is not None and source.language is not None
    data = source.text.encode("utf-8")
    to_char = _byte_to_char(source.text, data)
    lines = source.text.splitlines()
    comments = LANGUAGES[source.language].comments
    overrides = dict(settings.levels)
    seen: Counter[tuple[str, str]] = Counter()
    drafts, hidden = [], 0
    for hit in detect(source.language, data).hits:
        rule, site = hit.rule, hit.site
        if (settings.select and rule.id not in settings.select) or rule.id in settings.ignore:
            continue
        level = overrides.get(rule.id, hit.outcome.level)
        if level_rank(level) < level_rank(settings.min_level):
            continue
        line = site.row + 1
        if suppressed(rule.id, rule.external, lines, line, comments, source.language == "python"):
            hidden += 1
            continue
        start, end = int(to_char[site.start]), int(to_char[site.end])
        line_start = source.text.rfind("\n", 0, start) + 1
        end_line = line + source.text.count("\n", start, end)
        end_line_start = source.text.rfind("\n", 0, end) + 1
        call_text = source.text[start:end]
        occurrence = (rule.id, " ".join(call_text.split()))
        seen[occurrence] += 1
        finding = Finding(
            rule_id=rule.id, level=level, path=source.path, line=line, column=start - line_start + 1,
            end_line=end_line, end_column=end - end_line_start + 1, callee=site.name,
            snippet=call_text.split("\n", 1)[0].strip()[:200], note=hit.outcome.note,
            fingerprint=fingerprint(rule.id, call_text, seen[occurrence]),
        )
        drafts.append(_Draft(finding, (int(to_char[site.name_start]), int(to_char[site.name_end])), (start, end)))
    return drafts, hidden


def _byte_to_char(text: str, data: bytes) -> np.ndarray | range:
    """Character offset of every byte offset (0..len(data)) of the UTF-8 encoding of ``text``."""
    if len(data) == len(text):
        return range(len(data) + 1)
    import numpy as np

    starts = (np.frombuffer(data, np.uint8) & 0xC0) != 0x80
    return np.concatenate((np.cumsum(starts) - 1, [len(text)]))


def _score(report: LintReport, drafts: dict[int, list[_Draft]], texts: dict[int, str], settings: LintSettings,
           scorer: Scorer) -> None:
    order = list(drafts)
    spans: Sequence[Sequence[tuple[int, int]] | None] | None = (
        None if settings.full else [[d.call_span for d in drafts[i]] for i in order]
    )
    started = time.perf_counter()
    records = scorer.score([texts[i] for i in order], spans)
    report.scoring_seconds += time.perf_counter() - started
    name = scorer.name
    report.model = name
    for i, rec in zip(order, records):
        report.tokens_scored += int(rec.scored.sum())
        if settings.full:
            report.files[i].scores = rec
        if rec.error:
            continue
        for d in drafts[i]:
            d.finding = replace(d.finding, model=name, **model_view(rec, d.name_span, d.call_span))


def model_view(rec: TokenScores, name_span: tuple[int, int], call_span: tuple[int, int]) -> dict[str, Any]:
    """What the model thought of one call: metrics over the callee name and over the whole call."""
    import numpy as np

    name_idx = [i for i in rec.overlapping(*name_span) if rec.scored[i]]
    call_idx = [i for i in rec.overlapping(*call_span) if rec.scored[i]]
    if not name_idx or not call_idx:
        return {}
    prob, entropy = rec.prob, rec.entropy
    tokens = tuple(
        TokenView(rec.token_text(i), float(prob[i]), float(entropy[i]), int(rec.rank[i]),
                  tuple((str(t), float(p)) for t, p in zip(rec.top_tokens[i], rec.top_probs[i])))
        for i in name_idx
    )
    return {
        "callee_entropy_mean": float(np.mean(entropy[name_idx])),
        "callee_entropy_max": float(np.max(entropy[name_idx])),
        "callee_min_prob": float(np.min(prob[name_idx])),
        "call_entropy_mean": float(np.mean(entropy[call_idx])),
        "call_entropy_max": float(np.max(entropy[call_idx])),
        "call_min_prob": float(np.min(prob[call_idx])),
        "call_surprisal": float(np.sum(-rec.logprob[call_idx])),
        "call_tokens": len(call_idx),
        "tokens": tokens,
    }


def _passes_gates(finding: Finding, settings: LintSettings) -> bool:
    """--max-prob / --min-entropy keep only calls where the model was uncertain."""
    if settings.max_prob is not None and (finding.callee_min_prob is None or finding.callee_min_prob > settings.max_prob):
        return False
    if settings.min_entropy is not None and (
        finding.callee_entropy_max is None or finding.callee_entropy_max < settings.min_entropy
    ):
        return False
    return True
