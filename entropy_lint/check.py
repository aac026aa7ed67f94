"""``entropy-lint check``: discover, read, lint, report. The CLI and the hooks call this."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from entropy_lint.lint import LintReport, LintSettings, lint
from entropy_lint.rules import by_id
from entropy_lint.rules.base import level_rank
from entropy_lint.scoring import Scorer, ScoringSettings
from entropy_lint.sources import DEFAULT_MAX_BYTES, Source, load, source_from_text


@dataclass(frozen=True)
class ModelChoice:
    name: str
    device: str = "auto"
    dtype: str = "auto"
    trust_remote_code: bool = False
    scoring: ScoringSettings = field(default_factory=ScoringSettings)


@dataclass(frozen=True)
class CheckOptions:
    paths: tuple[str, ...] = ()
    stdin_text: str | None = None
    stdin_filename: str = "-"
    language: str | None = None
    format: str = "text"
    output: str | None = None
    model: ModelChoice = field(default_factory=lambda: ModelChoice("smollm2-135m"))
    lint: LintSettings = field(default_factory=LintSettings)
    fail_on: str = "warning"
    exclude: tuple[str, ...] = ()
    include: tuple[str, ...] = ()
    max_file_bytes: int = DEFAULT_MAX_BYTES
    root: str | None = None
    sarif_category: str = "entropy-lint"
    quiet: bool = False


def collect_sources(options: CheckOptions, err: TextIO) -> tuple[list[Source], list[str]]:
    """Sources to lint and the path arguments that do not exist."""
    from entropy_lint.files import Candidate, discover

    if options.stdin_text is not None:
        source = source_from_text(options.stdin_filename, options.stdin_text, options.language)
        return ([source] if source else []), []
    sources, missing = [], []
    for item in discover(options.paths, options.exclude, options.include):
        if not isinstance(item, Candidate):
            missing.append(item.display)
            continue
        source = load(item, options.max_file_bytes, options.language)
        if source is not None:
            sources.append(source)
    return sources, missing


def scorer_factory(choice: ModelChoice) -> Callable[[], Scorer]:
    def open_() -> Scorer:
        from entropy_lint.engine import open_scorer

        return open_scorer(choice.name, device=choice.device, dtype=choice.dtype,
                           trust_remote_code=choice.trust_remote_code, settings=choice.scoring)

    return open_


def run_check(options: CheckOptions, out: TextIO = sys.stdout, err: TextIO = sys.stderr) -> int:
    """Lint, write the report, print the summary; return 0, 1 (findings at or above fail-on) or 2."""
    sources, missing = collect_sources(options, err)
    for path in missing:
        print(f"entropy-lint: {path}: no such file or directory", file=err)
    report = lint(sources, options.lint, scorer_factory(options.model))
    for _path, problem in report.problems:
        print(f"entropy-lint: {problem}", file=err)
    text = render(report, options)
    if options.output:
        from entropy_lint.output import write_atomic

        write_atomic(options.output, text)
    else:
        out.write(text)
    if not options.quiet:
        from entropy_lint.report.text import summary

        print(summary(report.findings, len(report.files), len(report.problems) + len(missing),
                      sum(r.suppressed for r in report.files), report.model, report.tokens_scored,
                      report.scoring_seconds), file=err)
    if missing:
        return 2
    return exit_code(report, options.fail_on)


def exit_code(report: LintReport, fail_on: str) -> int:
    if fail_on == "none":
        return 0
    return 1 if any(level_rank(f.level) >= level_rank(fail_on) for f in report.findings) else 0


def render(report: LintReport, options: CheckOptions) -> str:
    rules = by_id()
    if options.format == "json":
        from entropy_lint.report.json import render_json

        return render_json(report.findings, report.problems, rules, report.model, len(report.files))
    if options.format == "sarif":
        from entropy_lint.report.sarif import Notice, SarifContext, render_sarif

        cwd = os.getcwd()
        ctx = SarifContext(
            root=os.path.abspath(options.root) if options.root else repository_root(cwd), cwd=cwd,
            category=options.sarif_category, model=report.model,
            notices=tuple(Notice(path, problem, "note" if "empty file" in problem else "warning")
                          for path, problem in report.problems),
        )
        return render_sarif(report.findings, rules, ctx)
    from entropy_lint.report.text import render_text

    return render_text(report.findings)


def repository_root(cwd: str) -> str:
    """The git work tree's top folder, else ``cwd``: SARIF paths are relative to it."""
    try:
        proc = subprocess.run(["git", "-C", cwd, "rev-parse", "--show-toplevel"], capture_output=True, text=True,
                              timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return cwd
    top = proc.stdout.strip()
    return str(Path(top)) if proc.returncode == 0 and top else cwd
