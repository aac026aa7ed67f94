"""The run layer: Config + what to check -> a Report. Every front end calls ``check``.

The CLI, the server's ``/check``, the hooks and ``check --server`` differ only in how they
build the Config and the Target, which scorer they hand in, and how they show the report
(``report.render``); the path in between is this one.
"""

from __future__ import annotations

import functools
import os
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from entropy_lint.findings import Finding, level_rank
from entropy_lint.model.scoring import ScorerSource
from entropy_lint.progress import Progress
from entropy_lint.report import RenderContext, Report
from entropy_lint.run.config import Config, run_settings
from entropy_lint.run.pipeline import Keep, lint
from entropy_lint.run.sources import Dependencies, Source, load, source_from_text

if TYPE_CHECKING:
    from entropy_lint.run.cache import ResultCache

Warn = Callable[[str], None]


@dataclass(frozen=True)
class Target:
    """What to check: path arguments (files or folders), or one text (standard input, a request)."""

    paths: tuple[str, ...] = ()
    text: str | None = None
    filename: str = "-"  # what ``text`` is reported as
    language: str | None = None  # overrides detection
    ignore_unsupported: bool = False  # named files of unknown types are skipped silently


def check(config: Config, target: Target, *, scorer: ScorerSource | None = None, progress: Progress | None = None,
          warn: Warn = lambda _m: None, token_scores: bool = False) -> Report:
    """Read, lint, score and filter; ``scorer`` defaults to what ``config`` asks for (a local
    model, a server, or none with --no-model). ``token_scores`` keeps token scores in the report
    (the HTML page shows them), so the cache is bypassed: over the function around each finding,
    or with ``config.full`` over every token of every file."""
    if token_scores:
        config = replace(config, cache=False)
    scoring, lint_settings = run_settings(config)
    if token_scores and not config.full:
        lint_settings = replace(lint_settings, functions=True)
    source = scorer if scorer is not None else scorer_source(config) if config.use_model else None
    sources, missing, notes = collect_sources(config, target)
    tick = progress or Progress.off()
    if progress is not None:
        progress.total = len(sources)
    factory = (lambda: source.open(tick.scored, tick.message, tick.planned)) if source is not None else None
    keep = keep_filter(config)
    run: Callable[[Sequence[Source]], Report] = lambda chosen: lint(chosen, lint_settings, factory, keep=keep,
                                                                on_file=tick.file_done, jobs=config.jobs)
    cache = open_cache(config, warn)
    try:
        if cache is not None:
            from entropy_lint.run.cache import cached, code_digest

            model = source.identity() if source is not None else "no model"
            run = cached(run, cache, f"{code_digest()}|{model}|{lint_settings.key()}", keep, tick.file_done)
        report = run(sources)
    finally:
        tick.clear()
        if cache is not None:
            cache.close()
    report.missing, report.notes = missing, notes
    if config.allow_unanalysed:
        for result in report.files:
            if result.level == "error":
                result.level = "warning"
    return report


def scorer_source(config: Config) -> ScorerSource:
    from entropy_lint.model.choice import LocalModel, RemoteModel

    scoring, _lint = run_settings(config)
    if config.server:
        return RemoteModel(config.server, scoring)
    return LocalModel(config.model, scoring, config.device, config.dtype, config.trust_remote_code)


def collect_sources(config: Config, target: Target) -> tuple[list[Source], list[str], list[str]]:
    """Sources to lint, the path arguments that do not exist, and notes on what was skipped."""
    from entropy_lint.detect.manifests import DEPENDENT_FAMILIES
    from entropy_lint.languages import LANGUAGES
    from entropy_lint.run.files import Missing, Skipped, discover, display_name

    if target.text is not None:
        source = source_from_text(display_name(target.filename), target.text, target.language)
        return ([source] if source else []), [], []
    sources, missing, notes = [], [], []
    dependencies = Dependencies()
    for item in discover(target.paths, config.exclude, config.include, base=str(config.base),
                         project_root=report_root(config)):
        if isinstance(item, Missing):
            missing.append(item.display)
        elif isinstance(item, Skipped):
            notes.append(f"{item.folder}: {item.files} tracked file{'s' * (item.files != 1)} skipped "
                         "(a dependency folder or virtualenv; name it to lint it)")
        else:
            source = load(item, config.max_file_size, target.language, config.follow_symlinks)
            if source is None or (target.ignore_unsupported and source.language is None and source.text is None):
                continue
            if source.text is not None and source.language is not None and LANGUAGES[source.language].family in DEPENDENT_FAMILIES:
                source = replace(source, deps=dependencies.near(item.path, item.roots))
            sources.append(source)
    return with_tree_classes(sources), missing, notes


def with_tree_classes(sources: list[Source]) -> list[Source]:
    """Each Python source with the classes the run's Python files define that rules ask about."""
    from entropy_lint.detect.class_index import class_index

    python = [i for i, s in enumerate(sources) if s.language == "python" and s.text is not None]
    index = class_index(sources[i].text or "" for i in python)
    if index:
        for i in python:
            sources[i] = replace(sources[i], classes=index)
    return sources


def open_cache(config: Config, warn: Warn) -> ResultCache | None:
    if not config.cache:
        return None
    from entropy_lint.paths import cache_dir
    from entropy_lint.run.cache import ResultCache

    folder = Path(config.cache_dir).expanduser() if config.cache_dir else cache_dir()
    return ResultCache(folder, warn=warn)


def keep_filter(config: Config) -> Keep | None:
    """--diff and --baseline, as one predicate over findings (None when neither is given)."""
    filters: list[Keep] = []
    cwd = os.getcwd()
    if config.diff:
        from entropy_lint.run.diff import changed_lines, diff_filter

        filters.append(diff_filter(changed_lines(config.diff, cwd), cwd))
    if config.baseline:
        from entropy_lint.run.baseline import baseline_filter, load_baseline

        filters.append(baseline_filter(load_baseline(config.baseline), report_root(config), cwd))
    if not filters:
        return None
    return lambda f, text: all(keep(f, text) for keep in filters)


def exit_code(report: Report, config: Config) -> int:
    """0 clean, 1 findings at or above fail-on, 2 when a named path does not exist or a file that
    should have been analysed was not (unless allowed): a failure never looks like findings."""
    if report.missing or report.failed:
        return 2
    return 1 if failing(report.findings, config.fail_on) else 0


def failing(findings: list[Finding], fail_on: str) -> bool:
    return fail_on != "none" and any(level_rank(f.level) >= level_rank(fail_on) for f in findings)


def render_context(config: Config) -> RenderContext:
    return RenderContext(root=report_root(config), cwd=os.getcwd(), category=config.sarif_category)


def report_root(config: Config) -> str:
    """What SARIF URIs and baseline paths are relative to: --root, else the git root, else cwd."""
    return os.path.abspath(config.root) if config.root else repository_root(os.getcwd())


@functools.cache
def repository_root(cwd: str) -> str:
    """The git work tree's top folder, else ``cwd``."""
    try:
        proc = subprocess.run(["git", "-C", cwd, "rev-parse", "--show-toplevel"], capture_output=True, text=True,
                              timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return cwd
    top = proc.stdout.strip()
    return str(Path(top)) if proc.returncode == 0 and top else cwd
