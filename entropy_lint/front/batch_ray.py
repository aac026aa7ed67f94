"""Batches on a Ray cluster: one CPU task per repository, scoring in a pool of model actors.

Each repository is a Ray task (1 CPU) that clones it on its node and runs ``batch_scan.scan``,
the same run-layer ``check`` as everywhere else, with one difference: its scorer sends the texts
that need scores to a pool of long-lived actors, each of which loaded the model once (on a GPU
with ``num_gpus``, or on CPUs). An actor gathers the requests that queued while it was busy, from
whichever repositories sent them, and scores them in one engine call, whose windows are sorted by
length into padded batches of ``--batch-tokens``: small repositories fill each other's batches.
Only the scored token rows travel back (``pack``/``unpack``).

Backpressure: at most ``workers`` repository tasks are in flight (by default twice the CPUs the
actors leave free), and the next SOURCE is read only when one finishes, so memory holds
``workers`` repositories however long the list is. An actor's queue holds at most what those
tasks sent.

Ray Core rather than Ray Data: a repository's SARIF must be exactly what ``check`` writes, so
the unit of work is the run layer's ``check`` on one repository, not rows of a dataset;
splitting it into dataset stages (files, windows, findings) would be a second pipeline. Ray
Data would also bring pyarrow and pandas, for a flow that is one task per repository and one
call per actor.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import random
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import ray

from entropy_lint.errors import EntropyLintError, ModelError
from entropy_lint.front.batch_scan import Job, Outcome, Row, scan
from entropy_lint.model.scoring import Span, TokenScores

if TYPE_CHECKING:
    from collections.abc import Callable

    from entropy_lint.model.choice import LocalModel
    from entropy_lint.model.scoring import ScorerSource
    from entropy_lint.run.config import Config

# What one actor takes off its queue for one engine call, in characters of text (~4 per token):
# enough to fill many padded batches on a GPU, small enough to keep an actor's memory bounded.
GATHER_CHARS = 4_000_000
# A repository's texts go to the actors in one part per actor, and parts of at most about this
# size: a large repository is scored by the whole pool at once, and no one message is huge.
PART_CHARS = 1_000_000


@dataclass(frozen=True)
class RayOptions:
    address: str  # 'local', 'auto', HOST:PORT or ray://HOST:PORT
    actors: int | None = None
    gpus_per_actor: float | None = None
    workers: int | None = None


@dataclass(frozen=True)
class Plan:
    actors: int
    gpus_per_actor: float
    workers: int


def connect(address: str) -> bool:
    """Join (or, for 'local', start) a Ray instance; True when this call started it."""
    if ray.is_initialized():
        return False  # the caller's own (a test, a notebook)
    try:
        if address == "local":
            ray.init(include_dashboard=False, logging_level=logging.WARNING)
        else:
            ray.init(address=address, logging_level=logging.WARNING)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise EntropyLintError(f"cannot connect to the Ray cluster at {address}: {exc}") from exc
    return True


def plan(resources: dict[str, float], options: RayOptions, use_model: bool) -> Plan:
    """Actors and in-flight repositories from the cluster's resources and the options."""
    cpus, gpus = int(resources.get("CPU", 0)), resources.get("GPU", 0.0)
    per = options.gpus_per_actor if options.gpus_per_actor is not None else (1.0 if gpus else 0.0)
    actors = 0 if not use_model else options.actors or (max(1, int(gpus // per)) if per else 1)
    if actors * per > gpus:
        raise EntropyLintError(f"{actors} scoring actors with {per:g} GPU each need {actors * per:g} GPUs; "
                               f"the cluster has {gpus:g}")
    if actors >= cpus:
        raise EntropyLintError(f"{actors} scoring actors take a CPU each and the cluster has {cpus}: "
                               "leave at least one CPU for detection (--actors)")
    # Twice the free CPUs: a repository waiting for its scores releases its CPU to the next one's
    # detection, and the actors see several repositories' requests at once.
    return Plan(actors, per, options.workers or max(1, 2 * (cpus - actors)))


def ray_map(jobs: Iterator[Job], config: Config, model: LocalModel | None, options: RayOptions,
            log: Callable[[str], None]) -> Iterator[Outcome]:
    """Scan ``jobs`` on the cluster; yield each outcome as it finishes."""
    started = connect(options.address)
    pool: list[Any] = []
    try:
        resources = ray.cluster_resources()
        chosen = plan(resources, options, model is not None)
        nodes = sum(1 for n in ray.nodes() if n.get("Alive"))
        log(f"Ray: {nodes} node{'s' * (nodes != 1)}, {int(resources.get('CPU', 0))} CPUs, "
            f"{resources.get('GPU', 0):g} GPUs; {chosen.actors} scoring actor{'s' * (chosen.actors != 1)}"
            f"{f' ({chosen.gpus_per_actor:g} GPU each)' if chosen.gpus_per_actor else ''}, "
            f"{chosen.workers} {'repository' if chosen.workers == 1 else 'repositories'} at a time")
        if nodes > 1 and config.cache:
            log("results cache: each node keeps its own (SQLite is shared between processes of one machine, "
                "not over a network file system); keep --cache-dir on a local disk")
        task = ray.remote(_scan_task).options(num_cpus=1, max_retries=1)
        source: PoolSource | None = None
        pending: dict[Any, Job] = {}
        for job in jobs:
            if model is not None and source is None:  # started on the first repository that needs scanning
                source = _start_pool(model, chosen, pool, log)
            pending[task.remote(job, config, source)] = job
            while len(pending) >= chosen.workers:
                yield _next(pending)
        while pending:
            yield _next(pending)
    finally:
        for actor in pool:
            ray.kill(actor)
        if started:
            ray.shutdown()


def _scan_task(job: Job, config: Config, source: PoolSource | None) -> Outcome:
    return scan(job, config, source)


def _next(pending: dict[Any, Job]) -> Outcome:
    [ready], _ = ray.wait(list(pending), num_returns=1)
    job = pending.pop(ready)
    try:
        return ray.get(ready)  # type: ignore[no-any-return]
    except ray.exceptions.RayError as exc:  # the worker died (memory, a node lost): this repository failed
        row = Row(job.repository.source, job.repository.name, status="failed",
                  error=f"the Ray task failed: {str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__}")
        return Outcome(job.index, job.repository, row, None)


def _start_pool(model: LocalModel, chosen: Plan, pool: list[Any], log: Callable[[str], None]) -> PoolSource:
    started = time.perf_counter()
    identity = model.identity()
    actor_class = ray.remote(ScoringActor).options(
        num_cpus=1, num_gpus=chosen.gpus_per_actor, max_concurrency=1000, max_restarts=1, max_task_retries=1)
    pool.extend(actor_class.remote(model, identity) for _ in range(chosen.actors))
    try:
        described = ray.get([actor.describe.remote() for actor in pool])
    except ray.exceptions.RayError as exc:
        cause = getattr(exc, "cause", None) or exc
        raise ModelError(f"the scoring actors could not load {model.spec}: {str(cause).strip().splitlines()[-1]}") from exc
    log(f"scoring actors ready: {len(pool)} x {described[0][0]} in {time.perf_counter() - started:.1f} s")
    return PoolSource(tuple(pool), described[0][0], identity)


@dataclass(frozen=True)
class PoolSource:
    """A ``ScorerSource`` for the actor pool; travels to the repository tasks."""

    actors: tuple[Any, ...]
    name: str
    model_identity: str

    def identity(self) -> str:
        return self.model_identity

    def open(self, progress: Callable[[int], None] | None = None, log: Callable[[str], None] | None = None,
             planned: Callable[[int], None] | None = None) -> PoolScorer:
        return PoolScorer(self.actors, self.name, self.model_identity)


@dataclass
class PoolScorer:
    """A ``Scorer`` whose work is done by the actors: texts in parts, spread over the pool."""

    actors: tuple[Any, ...]
    name: str
    identity: str

    def score(self, texts: Sequence[str], spans: Sequence[Sequence[Span] | None] | None = None) -> list[TokenScores]:
        wanted = list(spans) if spans is not None else [None] * len(texts)
        first = random.randrange(len(self.actors))
        parts = split(texts, len(self.actors))
        refs = [self.actors[(first + k) % len(self.actors)].score.remote([texts[i] for i in part], [wanted[i] for i in part])
                for k, part in enumerate(parts)]
        records: list[TokenScores | None] = [None] * len(texts)
        for part, ref in zip(parts, refs):
            for i, packed in zip(part, ray.get(ref)):
                records[i] = unpack(packed, texts[i])
        return records  # type: ignore[return-value]


def split(texts: Sequence[str], actors: int) -> list[list[int]]:
    """Indices of ``texts`` in parts of about equal size, one per actor (more when that would
    exceed ``PART_CHARS``), longest first into the lightest part: every repository is spread
    over the whole pool, however few are in flight."""
    total = sum(map(len, texts))
    count = max(1, min(len(texts), max(actors, -(-total // PART_CHARS))))
    parts: list[list[int]] = [[] for _ in range(count)]
    sizes = [0] * count
    for i in sorted(range(len(texts)), key=lambda i: -len(texts[i])):
        lightest = sizes.index(min(sizes))
        parts[lightest].append(i)
        sizes[lightest] += len(texts[i])
    return [sorted(part) for part in parts if part]


Request = tuple[list[str], list[Any], "asyncio.Future[list[Packed]]"]  # texts, spans, where the answer goes


class ScoringActor:
    """One loaded model. Requests queue while it scores; each engine call takes all that queued
    (up to ``GATHER_CHARS``), from every repository that sent some."""

    def __init__(self, model: ScorerSource, identity: str) -> None:
        self.scorer = model.open()
        if self.scorer.identity != identity:
            raise ModelError(f"this node's model is not the driver's ({self.scorer.identity} here, {identity} "
                             "there): install the same weights everywhere")
        self.queue: collections.deque[Request] = collections.deque()
        self.draining: asyncio.Task[None] | None = None

    def describe(self) -> tuple[str, str]:
        return self.scorer.name, self.scorer.identity

    async def score(self, texts: list[str], spans: list[Any]) -> list[Packed]:
        future: asyncio.Future[list[Packed]] = asyncio.get_running_loop().create_future()
        self.queue.append((texts, spans, future))
        if self.draining is None or self.draining.done():
            self.draining = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        loop = asyncio.get_running_loop()
        while self.queue:
            taken: list[Request] = []
            size = 0
            while self.queue and (not taken or size + sum(map(len, self.queue[0][0])) <= GATHER_CHARS):
                taken.append(self.queue.popleft())
                size += sum(map(len, taken[-1][0]))
            texts = [t for item in taken for t in item[0]]
            spans = [s for item in taken for s in item[1]]
            try:  # in a thread: the event loop keeps taking requests meanwhile
                packed = await loop.run_in_executor(None, self._score, texts, spans)
            except Exception as exc:  # noqa: BLE001 - handed to every request of this call
                for _t, _s, future in taken:
                    future.set_exception(exc)
                continue
            at = 0
            for item_texts, _s, future in taken:
                future.set_result(packed[at : at + len(item_texts)])
                at += len(item_texts)

    def _score(self, texts: list[str], spans: list[Any]) -> list[Packed]:
        return [pack(rec) for rec in self.scorer.score(texts, spans)]


@dataclass(frozen=True)
class Packed:
    """A ``TokenScores`` without its text and with only its scored rows: what travels back."""

    token_ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    rows: np.ndarray  # indices of the scored tokens; the arrays below have one entry per row
    logprob: np.ndarray
    entropy: np.ndarray
    rank: np.ndarray
    top_ids: np.ndarray
    top_probs: np.ndarray
    alternatives: np.ndarray
    error: str | None = None
    meta: dict[str, object] = field(default_factory=dict)


def pack(rec: TokenScores) -> Packed:
    rows = np.flatnonzero(rec.scored)
    return Packed(rec.token_ids.astype(np.int32), rec.starts, rec.ends, rows,
                  rec.logprob[rows], rec.entropy[rows], rec.rank[rows], rec.top_ids[rows], rec.top_probs[rows],
                  rec.top_tokens[rows], rec.error, dict(rec.meta))


def unpack(p: Packed, text: str) -> TokenScores:
    n, k = len(p.token_ids), p.top_ids.shape[1] if p.top_ids.ndim == 2 else 0
    rec = TokenScores(
        text=text, token_ids=p.token_ids.astype(np.int64), starts=p.starts, ends=p.ends, scored=np.zeros(n, bool), logprob=np.full(n, np.nan),
        entropy=np.full(n, np.nan), rank=np.zeros(n, np.int64), top_ids=np.zeros((n, k), np.int64),
        top_probs=np.zeros((n, k)), alternatives=np.full((n, k), "", dtype=object), error=p.error, meta=dict(p.meta),
    )
    rows = p.rows
    rec.scored[rows] = True
    rec.logprob[rows], rec.entropy[rows], rec.rank[rows] = p.logprob, p.entropy, p.rank
    rec.top_ids[rows], rec.top_probs[rows], rec.alternatives[rows] = p.top_ids, p.top_probs, p.alternatives
    return rec
