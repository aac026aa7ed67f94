"""``entropy-lint score``: every token's scores for whole files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from entropy_lint.progress import Progress
from entropy_lint.report.tokens import ScoredFile
from entropy_lint.run.config import Config
from entropy_lint.run.sources import SourceError, read_source


def score_files(config: Config, paths: Sequence[Path], progress: Progress) -> tuple[list[ScoredFile], str]:
    """One ScoredFile per path, in order (an unreadable file carries its error), and the model's name."""
    from entropy_lint.run.check import scorer_source

    results: list[ScoredFile] = []
    texts: dict[int, str] = {}
    for i, path in enumerate(paths):
        try:
            texts[i] = read_source(path, config.max_file_size)
            results.append(ScoredFile(str(path), None))
        except SourceError as exc:
            progress.message(str(exc))
            results.append(ScoredFile(str(path), None, str(exc)))
    name = config.model
    if texts:
        scorer = scorer_source(config).open(progress.scored, progress.message, progress.planned)
        name = scorer.name
        for i, rec in zip(texts, scorer.score(list(texts.values()))):
            results[i] = ScoredFile(str(paths[i]), rec, rec.error)
            if rec.error:
                progress.message(f"{paths[i]}: {rec.error}")
    progress.clear()
    return results, name
