"""Each file's analysis before any model work: detection, then the verified fixes of what was
kept. It depends on the file alone, so files can be analysed in worker processes.

Workers are forked (Linux) after the sources are read and before any model is loaded, and read
the run's sources from the parent's memory; only their results (findings, counts, verified
rewrites) travel back. A run too small to gain, a platform without fork, ``jobs`` of 1, and any
failure of the pool itself fall back to analysing in this process, so no file is lost.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from entropy_lint.findings import Finding
    from entropy_lint.fix.engine import Candidate
    from entropy_lint.run.pipeline import Keep, LintSettings
    from entropy_lint.run.sources import Source

PARALLEL_MIN_FILES = 48  # below this, starting workers costs more than it saves
CHUNK = 8  # files per task: fewer round trips, still balanced across workers

FixKey = tuple[str, tuple[int, int]]  # a finding's rule and span


@dataclass
class Analysed:
    """One file's analysis: ``problem`` when it could not be analysed, else its kept findings
    (after --diff/--baseline), whether that was all of them, what suppression comments hid,
    notes, and the verified rewrites of each kept finding (None when fixes are proposed later)."""

    problem: str | None = None
    kept: list[Finding] = field(default_factory=list)
    complete: bool = True
    suppressed: int = 0
    notes: tuple[str, ...] = ()
    fixes: Mapping[FixKey, list[Candidate]] | None = None


def default_jobs() -> int:
    """One worker per CPU this process may run on, at most 8."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(8, cpus))


def analyse(source: Source, settings: LintSettings, keep: Keep | None, fixes: bool) -> Analysed:
    """Detection and (with ``fixes``) fix verification for one file; a bug a file triggers comes
    back as its problem, never as an exception that would lose the other files."""
    from entropy_lint.run.pipeline import detect_with_hits

    assert source.text is not None and source.language is not None
    try:
        found, suppressed, notes, hits = detect_with_hits(source, settings)
        kept = [f for f in found if keep is None or keep(f, source.text)]
        proposed: dict[FixKey, list[Candidate]] | None = None
        if fixes and kept:
            from entropy_lint.fix import FileFindings, propose

            _ctx, per = propose(FileFindings(source.text, source.language, kept, hits=hits, deps=source.deps,
                                             classes=source.classes))
            proposed = {(f.rule_id, f.span): c for f, c in zip(kept, per)}
    except Exception as exc:  # noqa: BLE001 - one file's bug is that file's problem
        message = str(exc).splitlines()[0] if str(exc) else "no message"
        return Analysed(problem=f"{source.path}: could not be analysed ({type(exc).__name__}: {message}); "
                                "please report this")
    return Analysed(None, kept, len(kept) == len(found), suppressed, notes, proposed)


_RUN: tuple[Sequence[Source], LintSettings, Keep | None, bool] | None = None  # what forked workers read


def _analyse_chunk(indices: Sequence[int]) -> list[tuple[int, Analysed]]:
    assert _RUN is not None
    sources, settings, keep, fixes = _RUN
    return [(i, analyse(sources[i], settings, keep, fixes)) for i in indices]


def analyse_all(sources: Sequence[Source], settings: LintSettings, keep: Keep | None, fixes: bool,
                jobs: int = 1) -> Iterator[tuple[int, Analysed]]:
    """(index, analysis) of every source with text and a language, in no particular order."""
    todo = [i for i, s in enumerate(sources) if s.text is not None and s.language is not None]
    workers = min(jobs, len(todo) // (CHUNK * 2))
    if workers < 2 or len(todo) < PARALLEL_MIN_FILES or not sys.platform.startswith("linux"):
        for i in todo:
            yield i, analyse(sources[i], settings, keep, fixes)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    global _RUN
    done: set[int] = set()
    _RUN = (sources, settings, keep, fixes)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            futures = [pool.submit(_analyse_chunk, todo[k : k + CHUNK]) for k in range(0, len(todo), CHUNK)]
            for future in as_completed(futures):
                for i, result in future.result():
                    done.add(i)
                    yield i, result
    except Exception:  # noqa: BLE001 - a worker died (BrokenProcessPool), could not start (OSError), or its
        pass  # result did not come back: the files it did not finish are analysed here
    finally:
        _RUN = None
    for i in todo:
        if i not in done:
            yield i, analyse(sources[i], settings, keep, fixes)
