"""``entropy-lint batch``: many repositories, one SARIF each, a summary, resumable.

For each repository (see ``batch_repos`` for what a SOURCE may be) the batch writes
``OUT/results/<name>.sarif`` (what ``entropy-lint check . --isolated --format sarif`` writes from
the repository's root, with the same settings) and beside it ``<name>.manifest.json``: the
commit, a digest of every setting that shapes the SARIF (with the model's identity and
entropy-lint's code), the SARIF's SHA-256 and the summary row. A repository whose manifest
matches its remote HEAD, the settings and its SARIF is skipped, so re-running a batch (after a
crash, or on a schedule) scans only what is missing or changed. Files are written atomically,
SARIF first, manifest last: a run killed at any point leaves either a finished repository or
one that the next run scans again. A repository that fails (clone, git, an unexpected error) is
a row with its error; the batch goes on, and the next run tries it again.

Without ``--ray`` repositories are scanned one after another in this process, sharing one
loaded model; with ``--ray`` they run on a Ray cluster (``batch_ray``). Both call ``scan``,
which calls the run layer's ``check``: one pipeline, whatever runs it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from entropy_lint import __version__
from entropy_lint.errors import EntropyLintError
from entropy_lint.findings import level_rank
from entropy_lint.front.batch_repos import Repository, RepositoryError, expand, remote_head
from entropy_lint.front.batch_scan import Job, Outcome, Row, for_batch, scan
from entropy_lint.front.batch_summary import write_summary
from entropy_lint.output import write_atomic

if TYPE_CHECKING:
    from entropy_lint.model.choice import LocalModel
    from entropy_lint.model.scoring import Scorer
    from entropy_lint.run.config import Config

Log = Callable[[str], None]
SUMMARY_EVERY = 30.0  # seconds between rewrites of the summary while a batch runs
# Config fields that do not change a repository's SARIF (the cache only changes speed).
_NOT_SETTINGS = frozenset({"origins", "path", "cache", "cache_dir", "fail_on"})


@dataclass(frozen=True)
class BatchOptions:
    out: Path
    clones: Path | None = None  # default: OUT/repos
    ray: str | None = None  # None: here; 'local', 'auto', HOST:PORT or ray://HOST:PORT
    actors: int | None = None  # scoring actors (default: one per GPU, else one)
    gpus_per_actor: float | None = None  # default: 1 when the cluster has GPUs, else 0
    batch_tokens: int = 0  # tokens per padded forward batch; 0: the engine's default for the device
    workers: int | None = None  # repositories in flight on Ray (default: twice the CPUs not held by actors)


def run_batch(config: Config, sources: Iterable[str], options: BatchOptions, log: Log = lambda _m: None) -> list[Row]:
    """Scan every repository ``sources`` name; write SARIF, manifests and the summary; return the
    rows in input order (skipped repositories carry the row of the run that scanned them)."""
    config = for_batch(config)
    results = options.out / "results"
    results.mkdir(parents=True, exist_ok=True)
    with _only_batch_writing(options.out):
        return _run(config, sources, options, results, log)


def _run(config: Config, sources: Iterable[str], options: BatchOptions, results: Path, log: Log) -> list[Row]:
    clones = (options.clones or options.out / "repos").resolve()
    model = local_model(config, options.batch_tokens) if config.use_model else None
    digest = settings_digest(config, model.identity() if model is not None else "no model")
    rows: dict[int, Row] = {}
    seen: set[str] = set()

    def jobs() -> Iterator[Job]:
        for index, repo in enumerate(expand(sources)):
            if repo.name in seen:
                log(f"{repo.source}: listed twice; scanned once")
                continue
            seen.add(repo.name)
            if repo.problem is not None:
                rows[index] = Row(repo.source, repo.name, status="failed", error=repo.problem)
                log(describe(rows[index]))
                continue
            previous = finished(results, repo, digest)
            if previous is not None:
                rows[index] = previous
                log(describe(previous))
                continue
            yield Job(index, repo, str(clones))

    if options.ray is None:
        shared = Shared(model) if model is not None else None
        outcomes: Iterator[Outcome] = (scan(job, config, shared) for job in jobs())
    else:
        try:
            from entropy_lint.front.batch_ray import RayOptions, ray_map
        except ModuleNotFoundError as exc:
            if exc.name != "ray":
                raise
            raise EntropyLintError("--ray needs Ray: pip install 'entropy-lint[ray]'") from exc
        ray_options = RayOptions(options.ray, options.actors, options.gpus_per_actor, options.workers)
        outcomes = ray_map(jobs(), config, model, ray_options, log)
    flushed = time.monotonic()
    try:
        for outcome in outcomes:
            record(results, outcome, digest)
            rows[outcome.index] = outcome.row
            for warning in dict.fromkeys(outcome.warnings):
                log(f"warning: {outcome.repository.source}: {warning}")
            log(describe(outcome.row))
            if time.monotonic() - flushed > SUMMARY_EVERY:
                write_summary(options.out, [rows[i] for i in sorted(rows)], digest)
                flushed = time.monotonic()
    finally:  # also when the batch stops on an error: the summary says what was done
        write_summary(options.out, [rows[i] for i in sorted(rows)], digest)
    return [rows[i] for i in sorted(rows)]


@contextlib.contextmanager
def _only_batch_writing(out: Path) -> Iterator[None]:
    """One batch at a time per output folder: two would scan the same repositories twice."""
    import filelock

    lock = filelock.FileLock(str(out / ".batch.lock"))
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        raise EntropyLintError(f"another batch is writing to {out}; wait for it, or choose another --out") from None
    try:
        yield
    finally:
        lock.release()


def finished(results: Path, repo: Repository, digest: str) -> Row | None:
    """The row of an earlier scan of the same commit with the same settings, if its SARIF is
    intact; None when the repository must be scanned (a directory scanned in place always is:
    it has no commit to compare)."""
    manifest = read_manifest(results / f"{repo.name}.manifest.json")
    if manifest is None or repo.url is None or manifest.get("settings") != digest or manifest.get("status") != "scanned":
        return None
    try:
        commit = remote_head(repo.url)
    except RepositoryError:
        return None  # the scan will say what is wrong
    sarif = results / f"{repo.name}.sarif"
    if manifest.get("commit") != commit or _sha256(sarif) != manifest.get("sarif_sha256"):
        return None
    row = Row.from_dict(manifest.get("row", {}))
    row.status = "skipped"
    return row


def record(results: Path, outcome: Outcome, digest: str) -> None:
    """Write a scanned repository's SARIF, then its manifest; a failed one loses any old SARIF,
    so that the results folder holds only what the summary vouches for."""
    name = outcome.repository.name
    sarif = results / f"{name}.sarif"
    if outcome.sarif is not None:
        write_atomic(sarif, outcome.sarif)
    else:
        sarif.unlink(missing_ok=True)
    manifest = {
        "entropy_lint": __version__,
        "settings": digest,
        "status": outcome.row.status,
        "commit": outcome.row.commit,
        "source": outcome.repository.source,
        "sarif_sha256": _sha256(sarif) if outcome.sarif is not None else None,
        "row": outcome.row.to_dict(),
    }
    write_atomic(results / f"{name}.manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")


def read_manifest(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def settings_digest(config: Config, identity: str) -> str:
    """Everything that shapes a repository's SARIF besides its commit: the settings, the model's
    identity (weights, device, dtype, scoring settings), and entropy-lint's version and code
    (the results pipeline and the reporters)."""
    from entropy_lint.run.cache import code_digest
    from entropy_lint.run.config import Config

    h = hashlib.sha256()
    for path in sorted((Path(__file__).parent.parent / "report").glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    settings = {f.name: getattr(config, f.name) for f in fields(Config) if f.name not in _NOT_SETTINGS}
    h.update(json.dumps({"version": __version__, "code": code_digest(), "model": identity, "settings": settings},
                        sort_keys=True, default=str).encode())
    return h.hexdigest()[:32]


def local_model(config: Config, batch_tokens: int) -> LocalModel:
    from dataclasses import replace

    from entropy_lint.model.choice import LocalModel
    from entropy_lint.run.config import run_settings

    scoring, _lint = run_settings(config)
    return LocalModel(config.model, replace(scoring, batch_tokens=batch_tokens), config.device, config.dtype,
                      config.trust_remote_code)


class Shared:
    """A model opened once, the first time any repository needs it, and kept for the rest."""

    def __init__(self, model: LocalModel) -> None:
        self.model = model
        self.scorer: Scorer | None = None

    def identity(self) -> str:
        return self.model.identity()

    def open(self, progress: Callable[[int], None] | None = None, log: Callable[[str], None] | None = None,
             planned: Callable[[int], None] | None = None) -> Scorer:
        if self.scorer is None:
            self.scorer = self.model.open(None, log)
        return self.scorer


def describe(row: Row) -> str:
    """One line per repository for stderr."""
    if row.status == "failed":
        return f"{row.repository}: failed: {row.error}"
    levels = ", ".join(_plural(n, level) for level, n in sorted(row.by_level.items(), key=lambda kv: -level_rank(kv[0])))
    text = f"{row.repository}: {row.status}{' ' + row.commit[:12] if row.commit else ''}: {_plural(row.findings, 'finding')}"
    text += f" ({levels})" if levels else ""
    text += f" in {_plural(row.files, 'file')}"
    if row.unanalysed:
        text += f"; {row.unanalysed} could not be analysed"
    if row.tokens_scored:
        text += f"; {row.tokens_scored:,} tokens scored"
    return text + f" ({row.seconds:.1f} s)"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def exit_code(rows: Iterable[Row], config: Config) -> int:
    """As `check`: 2 when a repository failed or a file could not be analysed (unless allowed),
    else 1 when a finding at or above --fail-on was reported, else 0."""
    listed = list(rows)
    if any(r.status == "failed" or (r.unanalysed and not config.allow_unanalysed) for r in listed):
        return 2
    if config.fail_on == "none":
        return 0
    floor = level_rank(config.fail_on)
    return 1 if any(n and level_rank(level) >= floor for r in listed for level, n in r.by_level.items()) else 0
