"""The pipeline: sources -> call sites -> rule hits -> findings -> model scores. Nothing else.

It knows nothing of caches, files on disk or output formats: the run layer (``run.check``)
wraps it with the results cache and feeds it sources it has already read.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from entropy_lint.findings import Finding, Level, Metrics, TokenView, fingerprint, level_rank, suppressed, with_message
from entropy_lint.languages import LANGUAGES
from entropy_lint.lines import LineIndex
from entropy_lint.report import FileResult, Report
from entropy_lint.rules import by_id
from entropy_lint.run.sources import Source

if TYPE_CHECKING:
    import numpy as np

    from entropy_lint.detect import Hit
    from entropy_lint.fix.engine import Candidate

    from entropy_lint.model.scoring import Scorer, TokenScores

_LONE_CR = re.compile(rb"\r(?!\n)")
# A call's text names it in fingerprints and snippets; past this many characters the rest adds
# nothing, and copying it for every call nested in a huge expression would be quadratic.
CALL_TEXT_LIMIT = 4096
Keep = Callable[[Finding, str], bool]  # a finding and its file's text: True to report it


@dataclass(frozen=True)
class LintSettings:
    """What to report. Every field is part of the results cache key."""

    min_level: Level = "note"
    max_prob: float | None = None
    min_entropy: float | None = None
    full: bool = False
    functions: bool = False  # score the function around each finding too, and keep the scores (the HTML report)
    select: frozenset[str] = frozenset()  # only these rule ids (empty: all)
    ignore: frozenset[str] = frozenset()
    levels: tuple[tuple[str, Level], ...] = ()  # per-rule level overrides
    use_model: bool = True
    fim: bool = False  # also offer fixes the model writes (fill-in-the-middle), where it can

    def key(self) -> str:
        """Stable across processes (sets sorted; string hashing is randomised per process)."""
        return repr((self.min_level, self.max_prob, self.min_entropy, self.full, self.functions, sorted(self.select),
                     sorted(self.ignore), sorted(self.levels), self.use_model, self.fim))


def lint(
    sources: Sequence[Source],
    settings: LintSettings,
    scorer: Callable[[], Scorer] | None = None,
    *,
    keep: Keep | None = None,
    on_file: Callable[[], None] | None = None,
    jobs: int = 1,
) -> Report:
    """Lint ``sources``. ``scorer`` is called (once) only if some file has a finding to score
    (or, with ``settings.full``, any file at all: then every file gets whole-file scores; with
    ``settings.functions``, files with findings get scores over each finding's function).
    ``keep`` drops findings (baseline, --diff) before anything is scored. ``jobs`` worker
    processes may analyse the files (run/analyse.py); the model's work stays in this one."""
    from entropy_lint.run.analyse import analyse_all

    done = on_file or (lambda: None)
    results = [FileResult(s.path, s.language, problem=s.problem, level=s.level, text=s.text) for s in sources]
    pending: dict[int, list[Finding]] = {}
    proposed: dict[int, Mapping[tuple[str, tuple[int, int]], list[Candidate]]] = {}  # verified fixes, by file
    # Fixes a model writes (--fim) need the model, which is loaded after detection: those files'
    # fixes are all proposed later, in this process.
    for i, analysed in analyse_all(sources, settings, keep, not settings.fim, jobs):
        if analysed.problem is not None:  # a bug this file triggers must not lose every other file's findings
            results[i].problem, results[i].level = analysed.problem, "error"
            done()
            continue
        results[i].suppressed = analysed.suppressed
        results[i].notes.extend(analysed.notes)
        results[i].complete = analysed.complete
        if analysed.fixes is not None:
            proposed[i] = analysed.fixes
        if analysed.kept or settings.full:  # --full scores every file, for heatmaps, findings or not
            pending[i] = analysed.kept
        else:
            done()
    report = Report(results)
    opened = None
    if pending and settings.use_model and scorer is not None:
        opened = scorer()
        _score(report, pending, sources, settings, opened)
    rules = by_id()
    shown = _with_fixes({i: [f for f in found if _passes_gates(f, settings)] for i, found in pending.items()},
                        sources, proposed, opened, settings.fim)
    for i, found in pending.items():
        results[i].findings = [with_message(f, rules[f.rule_id].short) for f in shown[i]]
        if settings.use_model and not all(f.scored for f in found):
            results[i].complete = False  # scoring failed for this file: its result must not be cached
        done()
    return report


def detect_findings(source: Source, settings: LintSettings) -> tuple[list[Finding], int, tuple[str, ...]]:
    """The file's findings before scoring, how many suppression comments hid, and notes on what
    detection could not analyse fully."""
    return detect_with_hits(source, settings)[:3]


def detect_with_hits(source: Source, settings: LintSettings) -> tuple[list[Finding], int, tuple[str, ...], list[Hit]]:
    """``detect_findings``, and every rule hit before settings and suppression comments."""
    from entropy_lint.detect import detect

    assert source.text is not None and source.language is not None
    text = source.text
    data = text.encode("utf-8", "surrogatepass")
    comments = LANGUAGES[source.language].comments
    overrides = dict(settings.levels)
    seen: Counter[tuple[str, str]] = Counter()
    findings: list[Finding] = []
    hidden = 0
    # Grammars end lines at LF only; a lone CR (old Mac line endings) would join a comment to the
    # lines after it. CR and LF are one byte each, so offsets are unchanged.
    parsed = _LONE_CR.sub(b"\n", data) if b"\r" in data else data
    detection = detect(source.language, parsed, deps=source.deps, classes=source.classes)
    if not detection.hits:
        return findings, hidden, detection.notes, detection.hits
    to_char = _byte_to_char(text, data)  # most files have no hit: these are built only for those that do
    lines = LineIndex(text)
    for hit in detection.hits:
        rule, site = hit.rule, hit.site
        if (settings.select and rule.id not in settings.select) or rule.id in settings.ignore:
            continue
        level = overrides.get(rule.id, hit.outcome.level)
        if level_rank(level) < level_rank(settings.min_level):
            continue
        start, end = int(to_char[site.start]), int(to_char[site.end])
        line, column = lines.position(start)
        if suppressed(rule.id, rule.external, lines, line, comments, source.language == "python"):
            hidden += 1
            continue
        end_line, end_column = lines.position(end)
        call_text = text[start:min(end, start + CALL_TEXT_LIMIT)]
        occurrence = (rule.id, " ".join(call_text.split()))
        seen[occurrence] += 1
        findings.append(Finding(
            rule_id=rule.id, level=level, path=source.path, line=line, column=column, end_line=end_line,
            end_column=end_column, span=(start, end), name_span=(int(to_char[site.name_start]), int(to_char[site.name_end])),
            callee=site.name, snippet=call_text.split("\n", 1)[0].strip()[:200], note=hit.outcome.note,
            fingerprint=fingerprint(rule.id, call_text, seen[occurrence]),
        ))
    return findings, hidden, detection.notes, detection.hits


def _byte_to_char(text: str, data: bytes) -> np.ndarray | range:
    """Character offset of every byte offset (0..len(data)) of the UTF-8 encoding of ``text``."""
    if len(data) == len(text):
        return range(len(data) + 1)
    import numpy as np

    starts = (np.frombuffer(data, np.uint8) & 0xC0) != 0x80
    return np.concatenate((np.cumsum(starts) - 1, [len(text)]))


def _score(report: Report, pending: dict[int, list[Finding]], sources: Sequence[Source], settings: LintSettings,
           scorer: Scorer) -> None:
    order = list(pending)
    spans = None if settings.full else [wanted_spans(sources[i], pending[i], settings.functions) for i in order]
    started = time.perf_counter()
    records = scorer.score([sources[i].text or "" for i in order], spans)
    report.scoring_seconds += time.perf_counter() - started
    report.model = scorer.name
    for i, rec in zip(order, records):
        report.tokens_scored += int(rec.scored.sum())
        if settings.full or settings.functions:
            report.files[i].scores = rec
        if rec.error:
            continue
        pending[i] = [replace(f, metrics=measure(rec, f.name_span, f.span, scorer.name)) for f in pending[i]]


TOP_LEVEL_LINES = 3  # a finding outside any function: its lines and this many either side


def wanted_spans(source: Source, findings: Sequence[Finding], functions: bool) -> list[tuple[int, int]]:
    """What to score in one file: each finding's call, and with ``functions`` the function around
    it (at the top level, its lines and a few either side). Character offsets."""
    spans = [f.span for f in findings]
    if not functions or not findings:
        return spans
    from entropy_lint.detect.scope import enclosing_functions

    assert source.text is not None and source.language is not None
    text = source.text
    data = text.encode("utf-8", "surrogatepass")
    to_byte, to_char = _char_to_byte(text, data), _byte_to_char(text, data)
    parsed = _LONE_CR.sub(b"\n", data) if b"\r" in data else data  # as detection parsed it
    found = enclosing_functions(source.language, parsed, [(int(to_byte[a]), int(to_byte[b])) for a, b in spans])
    lines = LineIndex(text)
    for f, function in zip(findings, found):
        if function is not None:
            spans.append((int(to_char[function[0]]), int(to_char[function[1]])))
        else:
            first, last = max(1, f.line - TOP_LEVEL_LINES), min(len(lines), f.end_line + TOP_LEVEL_LINES)
            spans.append((lines.offset(first, 1), lines.offset(last, 1) + len(lines.line(last) or "")))
    return spans


def _char_to_byte(text: str, data: bytes) -> np.ndarray | range:
    """Byte offset in the UTF-8 encoding of ``text`` of every character offset (0..len(text))."""
    if len(data) == len(text):
        return range(len(data) + 1)
    import numpy as np

    starts = (np.frombuffer(data, np.uint8) & 0xC0) != 0x80
    return np.concatenate((np.flatnonzero(starts), [len(data)]))


def measure(rec: TokenScores, name_span: tuple[int, int], call_span: tuple[int, int], model: str) -> Metrics | None:
    """What the model thought of one call: metrics over the callee name and over the whole call."""
    import numpy as np

    name_idx = [i for i in rec.overlapping(*name_span) if rec.scored[i]]
    call_idx = [i for i in rec.overlapping(*call_span) if rec.scored[i]]
    if not name_idx or not call_idx:
        return None
    prob, entropy = rec.prob, rec.entropy
    tokens = tuple(
        TokenView(rec.token_text(i), float(prob[i]), float(entropy[i]), int(rec.rank[i]),
                  tuple((str(t), float(p)) for t, p in zip(rec.top_tokens[i], rec.top_probs[i])))
        for i in name_idx
    )
    return Metrics(
        model=model,
        callee_entropy_mean=float(np.mean(entropy[name_idx])),
        callee_entropy_max=float(np.max(entropy[name_idx])),
        callee_min_prob=float(np.min(prob[name_idx])),
        tokens=tokens,
        call_entropy_mean=float(np.mean(entropy[call_idx])),
        call_entropy_max=float(np.max(entropy[call_idx])),
        call_min_prob=float(np.min(prob[call_idx])),
        call_surprisal=float(np.sum(-rec.logprob[call_idx])),
        call_tokens=len(call_idx),
    )


def _with_fixes(found: dict[int, list[Finding]], sources: Sequence[Source],
                proposed: Mapping[int, Mapping[tuple[str, tuple[int, int]], list[Candidate]]],
                scorer: Scorer | None, fim: bool) -> dict[int, list[Finding]]:
    """The findings with their verified fixes (``proposed`` during analysis, else proposed here),
    ranked by ``scorer`` when there is one."""
    from entropy_lint.fix import FileFindings, offer

    order = [i for i, f in found.items() if f]
    files = [FileFindings(sources[i].text or "", sources[i].language or "", found[i], deps=sources[i].deps,
                          classes=sources[i].classes) for i in order]
    infill = None
    loaded = getattr(scorer, "loaded", None)
    if fim and loaded is not None:  # only a model loaded here can write
        from entropy_lint.model.infill import infiller_for

        infill = infiller_for(loaded)
    ready = None if fim else [proposed.get(i) for i in order]
    return {**found, **dict(zip(order, offer(files, scorer, infill, ready)))}


def _passes_gates(finding: Finding, settings: LintSettings) -> bool:
    """--max-prob / --min-entropy keep only calls where the model was uncertain."""
    m = finding.metrics
    if settings.max_prob is not None and (m is None or m.callee_min_prob > settings.max_prob):
        return False
    if settings.min_entropy is not None and (m is None or m.callee_entropy_max < settings.min_entropy):
        return False
    return True
