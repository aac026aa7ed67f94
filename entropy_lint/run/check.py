"""``entropy-lint check``: discover, read, lint, report. The CLI and the hooks call this."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from entropy_lint.run.config import Config
from entropy_lint.findings import Finding
from entropy_lint.run.pipeline import LintReport, LintSettings, lint
from entropy_lint.rules import by_id
from entropy_lint.rules.base import level_rank
from entropy_lint.run.sources import Source, load, source_from_text

if TYPE_CHECKING:
    from entropy_lint.model.scoring import Scorer, ScoringSettings


@dataclass(frozen=True)
class CheckOptions:
    config: Config
    paths: tuple[str, ...] = ()
    stdin_text: str | None = None
    stdin_filename: str = "-"
    language: str | None = None
    format: str = "text"
    output: str | None = None
    full: bool = False
    use_model: bool = True
    trust_remote_code: bool = False
    root: str | None = None
    quiet: bool = False
    baseline: str | None = None
    diff: str | None = None
    ignore_unsupported: bool = False
    server: str | None = None

    @property
    def scoring(self) -> ScoringSettings:
        from entropy_lint.model.scoring import ScoringSettings

        c = self.config
        return ScoringSettings(window=c.window, context=min(c.context, c.window - 1), top_k=c.top_k)

    @property
    def lint_settings(self) -> LintSettings:
        c = self.config
        return LintSettings(min_level=c.min_level, max_prob=c.max_prob, min_entropy=c.min_entropy,  # type: ignore[arg-type]
                            full=self.full or self.format == "html", select=frozenset(c.select), ignore=frozenset(c.ignore),
                            levels=c.levels, use_model=self.use_model)  # type: ignore[arg-type]


def collect_sources(options: CheckOptions) -> tuple[list[Source], list[str]]:
    """Sources to lint and the path arguments that do not exist."""
    from entropy_lint.run.files import Candidate, discover

    if options.stdin_text is not None:
        source = source_from_text(options.stdin_filename, options.stdin_text, options.language)
        return ([source] if source else []), []
    sources, missing = [], []
    c = options.config
    for item in discover(options.paths, c.exclude, c.include, base=str(c.base)):
        if not isinstance(item, Candidate):
            missing.append(item.display)
            continue
        source = load(item, c.max_file_size, options.language)
        if source is None or (options.ignore_unsupported and source.language is None and source.text is None
                              and source.problem and "unsupported file type" in source.problem):
            continue
        sources.append(source)
    return sources, missing


def scorer_factory(options: CheckOptions, on_tokens: Callable[[int], None] | None,
                   log: Callable[[str], None] | None = None) -> Callable[[], Scorer]:
    def open_() -> Scorer:
        if options.server:
            from entropy_lint.model.remote import RemoteScorer

            return RemoteScorer(options.server, options.scoring)
        from entropy_lint.model.engine import open_scorer

        c = options.config
        return open_scorer(c.model, device=c.device, dtype=c.dtype, trust_remote_code=options.trust_remote_code,
                           settings=options.scoring, progress=on_tokens, log=log)

    return open_


def cache_context(options: CheckOptions) -> str:
    from entropy_lint.run.cache import code_digest
    from entropy_lint.model.loading import model_key

    c = options.config
    model = model_key(c.model, c.device, c.dtype) if not options.server else f"server:{options.server}|{c.model}"
    return f"{code_digest()}|{model}|{options.scoring.key()}"


def open_cache(options: CheckOptions, err: TextIO):  # type: ignore[no-untyped-def]
    if not options.config.cache or options.format == "html":  # the page needs every token's scores
        return None
    from entropy_lint.run.cache import ResultCache
    from entropy_lint.paths import cache_dir

    folder = Path(options.config.cache_dir).expanduser() if options.config.cache_dir else cache_dir()
    return ResultCache(folder, warn=lambda m: print(f"entropy-lint: warning: {m}", file=err))


def keep_filter(options: CheckOptions, root: str, cwd: str) -> Callable[[Finding], bool] | None:
    filters: list[Callable[[Finding], bool]] = []
    if options.diff:
        from entropy_lint.run.diff import changed_lines, diff_filter

        filters.append(diff_filter(changed_lines(options.diff, cwd), cwd))
    if options.baseline:
        from entropy_lint.run.baseline import baseline_filter, load_baseline

        filters.append(baseline_filter(load_baseline(options.baseline), root, cwd))
    if not filters:
        return None
    return lambda f: all(keep(f) for keep in filters)


def analyse(options: CheckOptions, err: TextIO) -> tuple[LintReport, list[str]]:
    """Everything but rendering: the report and the path arguments that do not exist."""
    from entropy_lint.progress import Progress

    sources, missing = collect_sources(options)
    for path in missing:
        print(f"entropy-lint: {path}: no such file or directory", file=err)
    cwd = os.getcwd()
    keep = keep_filter(options, report_root(options, cwd), cwd)
    progress = Progress(err, len(sources), enabled=not options.quiet)
    cache = open_cache(options, err)
    try:
        log = (lambda _m: None) if options.quiet else progress.message
        report = lint(sources, options.lint_settings, scorer_factory(options, progress.scored, log),
                      cache=cache, cache_context=cache_context(options) if cache else "", keep=keep,
                      on_file=progress.file_done)
    finally:
        progress.clear()
        if cache is not None:
            cache.close()
    return report, missing


def run_check(options: CheckOptions, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Lint, write the report, print the summary; return 0, 1 (findings at or above fail-on) or 2."""
    report, missing = analyse(options, err)
    for _path, problem in report.problems:
        print(f"entropy-lint: {problem}", file=err)
    text = render(report, options)
    if options.output:
        from entropy_lint.output import write_atomic

        write_atomic(options.output, text)
    elif text:
        out.write(text)
        out.flush()
    if not options.quiet:
        from entropy_lint.report.text import summary

        cached = sum(r.cached for r in report.files)
        print(summary(report.findings, len(report.files), len(report.problems) + len(missing),
                      sum(r.suppressed for r in report.files), report.model, report.tokens_scored,
                      report.scoring_seconds, cached), file=err)
    if missing:
        return 2
    return exit_code(report.findings, options.config.fail_on)


def exit_code(findings: Sequence[Finding], fail_on: str) -> int:
    if fail_on == "none":
        return 0
    return 1 if any(level_rank(f.level) >= level_rank(fail_on) for f in findings) else 0


def render(report: LintReport, options: CheckOptions) -> str:
    rules = by_id()
    if options.format == "json":
        from entropy_lint.report.json import render_json

        return render_json(report.findings, report.problems, rules, report.model, len(report.files))
    if options.format == "html":
        from entropy_lint.report.html import FileView, render_html

        views = [FileView(r.path, r.scores.text if r.scores else "", r.scores, r.findings, r.problem)
                 for r in report.files]
        return render_html(views, report.model, {k: v.short for k, v in rules.items()})
    if options.format == "sarif":
        from entropy_lint.report.sarif import Notice, SarifContext, render_sarif

        cwd = os.getcwd()
        ctx = SarifContext(
            root=report_root(options, cwd), cwd=cwd,
            category=options.config.sarif_category, model=report.model,
            notices=tuple(Notice(path, problem, "note" if "empty file" in problem else "warning")
                          for path, problem in report.problems),
        )
        return render_sarif(report.findings, rules, ctx)
    from entropy_lint.report.text import render_text

    return render_text(report.findings)


def report_root(options: CheckOptions, cwd: str) -> str:
    """What SARIF URIs and baseline paths are relative to: --root, else the git root, else cwd."""
    return os.path.abspath(options.root) if options.root else repository_root(cwd)


def repository_root(cwd: str) -> str:
    """The git work tree's top folder, else ``cwd``: SARIF and baseline paths are relative to it."""
    try:
        proc = subprocess.run(["git", "-C", cwd, "rev-parse", "--show-toplevel"], capture_output=True, text=True,
                              timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return cwd
    top = proc.stdout.strip()
    return str(Path(top)) if proc.returncode == 0 and top else cwd
