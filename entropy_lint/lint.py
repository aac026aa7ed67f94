"""The pipeline: sources -> call sites -> rule hits -> model scores -> findings. Nothing else."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from entropy_lint.detect import detect
from entropy_lint.findings import Finding, TokenView, fingerprint, suppressed, with_message
from entropy_lint.languages import LANGUAGES
from entropy_lint.rules import by_id
from entropy_lint.rules.base import Level, level_rank
from entropy_lint.scoring import Scorer, TokenScores
from entropy_lint.sources import Source


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
        return repr(self)


@dataclass
class FileResult:
    path: str
    language: str | None
    findings: list[Finding] = field(default_factory=list)
    problem: str | None = None
    suppressed: int = 0
    scores: TokenScores | None = None  # whole-file scores, with --full


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


def lint(sources: Iterable[Source], settings: LintSettings, scorer: Callable[[], Scorer] | None) -> LintReport:
    """Lint ``sources``. ``scorer`` is called (once) only if some file has a finding to score."""
    results: list[FileResult] = []
    drafts: dict[int, list[_Draft]] = {}
    texts: dict[int, str] = {}
    for source in sources:
        result = FileResult(source.path, source.language, problem=source.problem)
        results.append(result)
        if source.text is None or source.language is None:
            continue
        found, result.suppressed = _detect(source, settings)
        if found:
            drafts[len(results) - 1] = found
            texts[len(results) - 1] = source.text
    report = LintReport(results)
    if drafts and settings.use_model and scorer is not None:
        _score(report, drafts, texts, settings, scorer())
    rules = by_id()
    for i, file_drafts in drafts.items():
        kept = [d.finding for d in file_drafts if _passes_gates(d.finding, settings)]
        results[i].findings = [with_message(f, rules[f.rule_id].short) for f in kept]
    return report


def _detect(source: Source, settings: LintSettings) -> tuple[list[_Draft], int]:
    assert source.text is not None and source.language is not None
    data = source.text.encode("utf-8")
    to_char = _byte_to_char(source.text, data)
    lines = source.text.splitlines()
    comments = LANGUAGES[source.language].comments
    overrides = dict(settings.levels)
    seen: Counter[tuple[str, str]] = Counter()
    drafts, hidden = [], 0
    for hit in detect(source.language, data):
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


def _byte_to_char(text: str, data: bytes) -> np.ndarray:
    """Character offset of every byte offset (0..len(data)) of the UTF-8 encoding of ``text``."""
    if len(data) == len(text):
        return np.arange(len(data) + 1)
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
    name = str(getattr(getattr(scorer, "loaded", None), "name", "") or getattr(scorer, "identity", "model"))
    report.model = name
    for i, rec in zip(order, records):
        report.tokens_scored += int(rec.scored.sum())
        if settings.full:
            report.files[i].scores = rec
        if rec.error:
            continue
        for d in drafts[i]:
            d.finding = replace(d.finding, model=name, **model_view(rec, d.name_span, d.call_span))


def model_view(rec: TokenScores, name_span: tuple[int, int], call_span: tuple[int, int]) -> dict[str, object]:
    """What the model thought of one call: metrics over the callee name and over the whole call."""
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
