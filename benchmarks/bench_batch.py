"""`entropy-lint batch` throughput: detection with 1 and 2 Ray workers, scoring with 1 and 2 actors.

    python benchmarks/bench_batch.py                          # both parts, CPU, smollm2-135m
    python benchmarks/bench_batch.py --part detection --rounds 3
    python benchmarks/bench_batch.py --part scoring --device cuda --gpus 1 --actors 1 2 4 \
        --model Qwen/Qwen2.5-Coder-1.5B-Instruct --score-repos 16 --score-files 20   # one GPU (docs/batch.md)

The corpus is standard-library modules split into plain folders (scanned in place: no clones, and
never skipped), written to a temporary folder. One Ray instance serves every run; a warm-up run
first lets its worker processes import entropy-lint. Detection is also timed without Ray (the
batch process alone, one repository after another). Each setting runs once per round, settings
alternating; the figures are medians. Detection runs with --no-model; scoring with --full (every
token of every file is scored, so the model dominates) and no results cache. A scoring run's
time counts from the moment its actors are ready (model loading is reported apart).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import statistics
import sysconfig
import tempfile
import time
from pathlib import Path

import ray

from entropy_lint.front.batch import BatchOptions, run_batch
from entropy_lint.run.config import Config


def make_corpus(root: Path, repositories: int, files: int, lo: int, hi: int) -> list[str]:
    """``repositories`` folders of ``files`` standard-library modules of ``lo``-``hi`` bytes each."""
    lib = Path(sysconfig.get_paths()["stdlib"])
    modules = sorted(p for p in lib.rglob("*.py") if lo <= p.stat().st_size <= hi
                     and not {"test", "tests", "idle_test", "site-packages"} & set(p.parts))
    if len(modules) < repositories * files:
        raise SystemExit(f"only {len(modules)} modules of {lo}-{hi} bytes; ask for fewer")
    folders = []
    for r in range(repositories):
        folder = root / f"repo{r:03d}"
        folder.mkdir(parents=True)
        for i, module in enumerate(modules[r * files : (r + 1) * files]):
            shutil.copyfile(module, folder / f"m{i:03d}_{module.name}")
        folders.append(str(folder))
    return folders


def one_run(config: Config, folders: list[str], work: Path, **options: object) -> tuple[float, float, list[object]]:
    """(seconds from the actors being ready (or the start) to the end, actor load seconds, rows)."""
    out = Path(tempfile.mkdtemp(dir=work, prefix="out-"))
    marks: dict[str, float] = {}

    def log(message: str) -> None:
        if message.startswith("scoring actors ready"):
            marks["ready"] = time.perf_counter()

    started = time.perf_counter()
    rows = run_batch(config, folders, BatchOptions(out, **{"ray": "auto", **options}), log)  # type: ignore[arg-type]
    ended = time.perf_counter()
    shutil.rmtree(out, ignore_errors=True)
    ready = marks.get("ready", started)
    failed = [r for r in rows if getattr(r, "status") == "failed"]
    if failed:
        raise SystemExit(f"a run failed: {failed[0]}")
    return ended - ready, ready - started, rows


def bench(name: str, config: Config, folders: list[str], work: Path, settings: dict[str, dict[str, object]],
          rounds: int, unit: str) -> None:
    one_run(config, folders, work, **next(iter(settings.values())))  # warm-up: workers import entropy-lint
    times: dict[str, list[float]] = {label: [] for label in settings}
    loads: dict[str, list[float]] = {label: [] for label in settings}
    amount = 0.0
    for _ in range(rounds):
        for label, options in settings.items():
            seconds, load, rows = one_run(config, folders, work, **options)
            times[label].append(seconds)
            loads[label].append(load)
            amount = sum(getattr(r, "files") if unit == "files" else getattr(r, "tokens_scored") for r in rows)
    base = statistics.median(next(iter(times.values())))
    print(f"\n{name}: {len(folders)} repositories, {amount:,.0f} {unit} per run, {rounds} rounds (medians)")
    for label, runs in times.items():
        median = statistics.median(runs)
        load = f"; actors loaded in {statistics.median(loads[label]):.1f} s" if unit == "tokens" else ""
        print(f"  {label:<10} {median:7.2f} s  {amount / median:9,.0f} {unit}/s  {base / median:4.2f}x  "
              f"(rounds {[round(t, 2) for t in runs]}){load}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=("detection", "scoring", "both"), default="both")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--cpus", type=int, default=3,
                        help="Ray's logical CPUs (an actor holds one, and one must stay free for detection)")
    parser.add_argument("--model", default="smollm2-135m")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--actors", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--gpus", type=float, default=0.0, help="GPUs the actors share (each gets GPUS/N)")
    parser.add_argument("--batch-tokens", type=int, default=0)
    parser.add_argument("--detect-repos", type=int, default=8)
    parser.add_argument("--detect-files", type=int, default=40)
    parser.add_argument("--score-repos", type=int, default=4)
    parser.add_argument("--score-files", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-batch-"))
    ray.init(num_cpus=args.cpus, include_dashboard=False, logging_level=logging.WARNING, object_store_memory=500 << 20,
             _temp_dir=tempfile.mkdtemp(prefix="ray-", dir="/tmp"))
    print(f"Ray {ray.__version__}: {ray.cluster_resources()}; os.cpu_count() = {os.cpu_count()}; "
          f"load average {os.getloadavg()[0]:.1f}")
    try:
        if args.part in ("detection", "both"):
            folders = make_corpus(work / "detect", args.detect_repos, args.detect_files, 1_000, 15_000)
            config = Config(use_model=False, cache=False)
            bench("detection (--no-model)", config, folders, work,
                  {"1 worker": {"workers": 1}, "2 workers": {"workers": 2}, "no Ray": {"ray": None}}, args.rounds,
                  "files")
        if args.part in ("scoring", "both"):
            folders = make_corpus(work / "score", args.score_repos, args.score_files, 2_000, 7_000)
            config = Config(model=args.model, device=args.device, full=True, cache=False)
            settings = {f"{n} actor{'s' * (n > 1)}": {"actors": n, "gpus_per_actor": args.gpus / n,
                                                    "batch_tokens": args.batch_tokens} for n in args.actors}
            bench(f"scoring (--full, {args.model}, {args.device})", config, folders, work, settings, args.rounds,
                  "tokens")
    finally:
        print(f"load average at the end {os.getloadavg()[0]:.1f}")
        ray.shutdown()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
