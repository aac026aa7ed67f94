"""Keeping the device busy: the next batch is prepared while the current one runs.

CUDA kernels run asynchronously; the host only waits where it reads a result. So the engine
submits batch k+1 (build its arrays, copy them up from pinned memory without blocking, launch its
kernels) before it waits for batch k's results, and copies results back into pinned memory behind
an event. On the CPU every step is synchronous and the same order costs nothing.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import numpy as np
import torch

Item = TypeVar("Item")
Handle = TypeVar("Handle")


def pipelined(items: Iterable[Item], submit: Callable[[Item], Handle], collect: Callable[[Item, Handle], None],
              depth: int = 1) -> None:
    """``submit`` every item in order, and ``collect`` each (in order, with what its submit
    returned) only after ``depth`` later items have been submitted, or at the end."""
    pending: deque[tuple[Item, Handle]] = deque()
    for item in items:
        pending.append((item, submit(item)))
        if len(pending) > depth:
            collect(*pending.popleft())
    while pending:
        collect(*pending.popleft())


class Transfer:
    """Host arrays to the device and results back, without blocking the host on a GPU."""

    def __init__(self, device: torch.device) -> None:
        self.device = device
        self.cuda = device.type == "cuda"

    def upload(self, arrays: Sequence[np.ndarray]) -> list[torch.Tensor]:
        """int64 arrays on the device, in one copy from pinned memory (the caching host allocator
        keeps a pinned block out of reuse until the copy that reads it has run)."""
        if not self.cuda:
            return [torch.from_numpy(np.ascontiguousarray(a, np.int64)).to(self.device) for a in arrays]
        sizes = [int(a.size) for a in arrays]
        host = torch.empty(sum(sizes), dtype=torch.int64, pin_memory=True)
        flat = host.numpy()
        at = 0
        for a, n in zip(arrays, sizes):
            flat[at : at + n] = a.ravel()
            at += n
        dev = host.to(self.device, non_blocking=True)
        out, at = [], 0
        for a, n in zip(arrays, sizes):
            out.append(dev[at : at + n].view(a.shape))
            at += n
        return out

    def download(self, tensors: Sequence[torch.Tensor]) -> Callable[[], list[np.ndarray]]:
        """Start copying ``tensors`` to the host; the returned function waits for them."""
        if not self.cuda:
            ready = [t.cpu().numpy() for t in tensors]
            return lambda: ready
        hosts = [torch.empty(t.shape, dtype=t.dtype, pin_memory=True) for t in tensors]
        for h, t in zip(hosts, tensors):
            h.copy_(t, non_blocking=True)
        done = torch.cuda.Event()
        done.record()

        def wait() -> list[np.ndarray]:
            done.synchronize()
            return [h.numpy() for h in hosts]

        return wait


class StageTimes:
    """Where a scorer's time goes: ``body`` and ``head`` are device time between marks (CUDA
    events, read once per call, so timing adds no synchronisation per batch; wall clock on the
    CPU, where every step is synchronous), ``host`` is the rest of the wall time: tokenizing,
    planning, copies, launch gaps and storing results."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {"body": 0.0, "head": 0.0}
        self.wall = 0.0
        self.batches = 0
        self._marks: list[tuple[str, Any]] = []
        self._started = 0.0

    def begin(self) -> None:
        self._started = time.perf_counter()

    def mark(self, device: torch.device, stage: str) -> None:
        """The interval since the previous mark was ``stage`` (``start`` opens a batch)."""
        if device.type == "cuda":
            event = torch.cuda.Event(enable_timing=True)
            event.record()
            self._marks.append((stage, event))
        else:
            self._marks.append((stage, time.perf_counter()))

    def end(self, device: torch.device) -> None:
        if device.type == "cuda":
            torch.cuda.synchronize()
        self.wall += time.perf_counter() - self._started
        for (_, before), (stage, after) in zip(self._marks, self._marks[1:]):
            if stage in self.seconds:
                seconds = before.elapsed_time(after) / 1000 if device.type == "cuda" else after - before
                self.seconds[stage] += seconds
        self.batches += sum(1 for stage, _ in self._marks if stage == "start")
        self._marks.clear()

    def shares(self) -> dict[str, float]:
        body, head = self.seconds["body"], self.seconds["head"]
        wall = self.wall or 1.0
        return {"body": body / wall, "head": head / wall, "host": max(0.0, wall - body - head) / wall}
