"""``entropy-lint fix``: apply the default fix of every finding, round after round, then write.

Each round lints the current texts of every file (one scorer for the whole run), takes the
default fix of each finding (the best safe one; with ``unsafe`` the best of all), applies those
that do not overlap, and checks the combination as each fix was checked alone (it parses as well,
nothing new fires); if the combination fails, only the first fix goes. Overlapping fixes wait
for the next round, where they are proposed and verified again against the changed text. Rounds
stop when no fix is left to apply.

Writing keeps everything outside the replaced ranges byte for byte (the text was decoded from
strict UTF-8, a BOM included, and is encoded back the same way), goes through ``write_atomic``,
and never happens when the file changed on disk since it was read, or when the result would
parse worse than the original.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from entropy_lint.findings import Finding
from entropy_lint.fix import sound
from entropy_lint.fix.apply import chosen, compatible, unified_diff
from entropy_lint.fix.edits import apply, edits_of
from entropy_lint.run.check import Target, collect_sources, failing, scorer_source
from entropy_lint.run.config import Config, run_settings
from entropy_lint.run.pipeline import lint
from entropy_lint.run.sources import Source

if TYPE_CHECKING:
    from entropy_lint.model.scoring import Scorer

MAX_ROUNDS = 50  # a round applies at least one fix; this bounds a pathological file


@dataclass
class FixedFile:
    path: str
    language: str
    original: str
    text: str
    applied: int = 0
    remaining: list[Finding] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.text != self.original


@dataclass
class FixReport:
    files: list[FixedFile]
    problems: list[str]  # files that could not be analysed, one sentence each
    missing: list[str]  # path arguments that do not exist
    model: str | None = None

    @property
    def remaining(self) -> list[Finding]:
        return sorted((f for x in self.files for f in x.remaining), key=Finding.sort_key)

    @property
    def applied(self) -> int:
        return sum(x.applied for x in self.files)


def fix(config: Config, target: Target, *, unsafe: bool = False, on_round: Callable[[int], None] | None = None) -> FixReport:
    """Analyse and fix in memory; nothing is written here (see ``write``)."""
    _scoring, settings = run_settings(config)
    sources, missing, _skipped = collect_sources(config, target)
    problems = [s.problem for s in sources if s.problem]
    readable = [s for s in sources if s.text is not None and s.language is not None]
    files = [FixedFile(s.path, s.language or "", s.text or "", s.text or "") for s in readable]
    source = scorer_source(config) if config.use_model else None
    opened: Callable[[], Scorer] | None = functools.cache(source.open) if source is not None else None
    model = None
    pending = list(range(len(files)))
    for round_number in range(MAX_ROUNDS + 1):
        if not pending:
            break
        if on_round:
            on_round(round_number + 1)
        report = lint([Source(files[i].path, files[i].text, files[i].language, deps=readable[i].deps) for i in pending],
                      settings, opened)
        model = report.model or model
        still = []
        for i, result in zip(pending, report.files):
            files[i].remaining = result.findings
            if round_number < MAX_ROUNDS and _apply_round(files[i], result.findings, unsafe):
                still.append(i)
        pending = still
    return FixReport(files, problems, missing, model)


def _apply_round(file: FixedFile, findings: list[Finding], unsafe: bool) -> bool:
    """Apply this round's fixes to ``file``; True when something was applied."""
    fixes = chosen(findings, unsafe)
    if not fixes:
        return False
    kept, edits = compatible(fixes)
    text = apply(file.text, edits)
    if len(kept) > 1 and not sound(file.language, file.text, text):
        kept = kept[:1]
        text = apply(file.text, edits_of(kept[0].replacements))
    file.text = text
    file.applied += len(kept)
    return True


@dataclass
class Written:
    """What ``write`` did: files written, files left alone (and why), and writes that failed."""

    written: list[str] = field(default_factory=list)
    left_alone: list[str] = field(default_factory=list)  # one sentence each
    errors: list[str] = field(default_factory=list)


def write(report: FixReport) -> Written:
    """Write every changed file whose content on disk is still what was analysed."""
    from entropy_lint.output import OutputError, write_atomic

    out = Written()
    for file in report.files:
        if not file.changed:
            continue
        try:
            on_disk = Path(file.path).read_bytes()
        except OSError as exc:
            out.errors.append(f"{file.path}: cannot be read back ({exc.strerror or exc}); left alone")
            continue
        if on_disk != file.original.encode("utf-8", "surrogatepass"):
            out.left_alone.append(f"{file.path}: changed on disk since it was read; left alone")
            continue
        if not sound(file.language, file.original, file.text):  # never write a file that parses worse
            out.left_alone.append(f"{file.path}: the fixed text did not pass verification; left alone")
            continue
        try:
            write_atomic(file.path, file.text)
        except OutputError as exc:
            out.errors.append(str(exc))
            continue
        out.written.append(file.path)
    return out


def diff(report: FixReport) -> str:
    return "".join(unified_diff(f.path, f.original, f.text) for f in report.files if f.changed)


def exit_code(report: FixReport, config: Config, written: Written | None = None) -> int:
    """2 for missing paths or failed writes; 1 when findings at or above fail-on remain (a file
    left alone keeps all of its findings); else 0."""
    if report.missing or (written is not None and written.errors):
        return 2
    if written is not None and written.left_alone:
        return 1
    return 1 if failing(report.remaining, config.fail_on) else 0


def summary(report: FixReport, written: Written | None) -> str:
    """The one line for stderr. ``written`` is None with --diff (nothing is written)."""
    changed = sum(f.changed for f in report.files)
    n, remaining = report.applied, len(report.remaining)
    verb = "would apply" if written is None else "applied"
    head = f"{verb} {n} fix{'es' * (n != 1)} in {changed} file{'s' * (changed != 1)}"
    if written is not None and len(written.written) != changed:
        head += f" ({len(written.written)} written)"
    head += f"; {remaining} finding{'s' * (remaining != 1)} left"
    if report.problems or report.missing:
        head += f"; {len(report.problems) + len(report.missing)} could not be analysed"
    return f"entropy-lint: {head}"
