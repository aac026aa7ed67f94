"""Scanning one repository of a batch: check it from its root, render SARIF, count what was found.

This is the run layer's ``check`` on ``.`` from the repository's root, exactly as
``entropy-lint check . --format sarif`` runs there; only the scorer differs (one model shared by
every repository, here or in a pool of Ray actors). It runs wherever the batch puts it: in the
``batch`` process, or in a Ray worker (which clones the repository on its own node).
"""

from __future__ import annotations

import contextlib
import time
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from entropy_lint.front.batch_repos import Repository, checkout

if TYPE_CHECKING:
    from entropy_lint.model.scoring import ScorerSource
    from entropy_lint.report import Report
    from entropy_lint.run.config import Config

Status = Literal["scanned", "skipped", "failed"]


@dataclass(frozen=True)
class Job:
    """One repository to scan, and where its checkout goes (on the node that scans it)."""

    index: int  # its place in the batch's input: the summary keeps this order
    repository: Repository
    clones: str


@dataclass
class Row:
    """One repository's line in the summary (and in its manifest)."""

    repository: str
    name: str
    status: Status = "scanned"
    commit: str | None = None  # '' for an empty repository; None for a directory scanned in place
    files: int = 0
    unanalysed: int = 0  # files of a known language that could not be analysed
    cached: int = 0  # files whose results came from the results cache
    findings: int = 0
    by_level: dict[str, int] = field(default_factory=dict)
    by_rule: dict[str, int] = field(default_factory=dict)
    tokens_scored: int = 0
    seconds: float = 0.0
    model: str | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Row:
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in names})


@dataclass
class Outcome:
    """What a scan sends back: the row, the SARIF text (None when the scan failed) and warnings."""

    index: int
    repository: Repository
    row: Row
    sarif: str | None
    warnings: list[str] = field(default_factory=list)


def scan(job: Job, config: Config, scorer: ScorerSource | None) -> Outcome:
    """Check out ``job``'s repository and check it; any failure becomes the row's ``error``."""
    from entropy_lint.report import render
    from entropy_lint.run.check import Target, check, render_context

    repo = job.repository
    started = time.perf_counter()
    warnings: list[str] = []
    row = Row(repo.source, repo.name)
    try:
        if repo.url is not None:
            folder = Path(job.clones) / repo.name
            row.commit = checkout(repo.url, folder)
        else:
            assert repo.path is not None
            folder = Path(repo.path)
        with contextlib.chdir(folder):  # report paths, SARIF URIs and the root as `check .` there sees them
            report = check(config, Target(paths=(".",)), scorer=scorer, warn=warnings.append)
            sarif = render(report, "sarif", render_context(config))
    except Exception as exc:  # one repository's failure is its row's error; the batch goes on
        row.status, row.error = "failed", _one_line(exc)
        row.seconds = round(time.perf_counter() - started, 3)
        return Outcome(job.index, repo, row, None, warnings)
    count(row, report)
    row.seconds = round(time.perf_counter() - started, 3)
    return Outcome(job.index, repo, row, sarif, warnings)


def count(row: Row, report: Report) -> None:
    findings = report.findings
    row.files = len(report.files)
    row.unanalysed = sum(1 for r in report.files if r.problem and r.level != "note")
    row.cached = sum(r.cached for r in report.files)
    row.findings = len(findings)
    row.by_level = dict(sorted(Counter(f.level for f in findings).items()))
    row.by_rule = dict(sorted(Counter(f.rule_id for f in findings).items()))
    row.tokens_scored = report.tokens_scored
    row.model = report.model


def _one_line(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc).strip() else ""
    from entropy_lint.errors import EntropyLintError

    return text if isinstance(exc, EntropyLintError) and text else f"{type(exc).__name__}: {text or 'no message'}"


def for_batch(config: Config) -> Config:
    """The batch's settings as each repository's check sees them: globs in --include/--exclude
    (or the --config file) are relative to the repository's root, not to where batch was run."""
    return replace(config, path=None)
