"""Lint speed: the default strategy (score only the context findings need) against --full.

    python benchmarks/bench_lint.py                 # 100 stdlib modules, smollm2-135m
    python benchmarks/bench_lint.py --files 40 --rounds 1

Both strategies share one loaded model in one process and alternate; detection, scoring and
message building are all inside the timed region.
"""

from __future__ import annotations

import argparse
import statistics
import sysconfig
import time
from pathlib import Path

from entropy_lint.model.engine import TorchScorer
from entropy_lint.model.loading import load_model
from entropy_lint.run.pipeline import LintSettings, lint
from entropy_lint.model.scoring import ScoringSettings
from entropy_lint.run.sources import Source


def corpus(n: int) -> list[Source]:
    """The first ``n`` standard-library modules by name (top level and packages), of 1-15 kB."""
    lib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in lib.rglob("*.py") if "test" not in p.parts and "site-packages" not in p.parts
                   and 1_000 <= p.stat().st_size <= 15_000)
    return [Source(str(p.relative_to(lib)), p.read_text(encoding="utf-8", errors="replace"), "python") for p in files[:n]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="smollm2-135m")
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--context", type=int, default=1024)
    args = parser.parse_args()
    sources = corpus(args.files)
    started = time.perf_counter()
    scorer = TorchScorer(load_model(args.model, device="cpu"), ScoringSettings(context=args.context))
    load = time.perf_counter() - started
    tokens = sum(len(scorer.loaded.tokenizer(s.text).input_ids) for s in sources)  # type: ignore[arg-type]
    print(f"{len(sources)} files, {sum(len(s.text or '') for s in sources):,} chars, {tokens:,} tokens; "
          f"model load {load:.1f} s")
    timings: dict[str, list[float]] = {"default": [], "full": []}
    counts: dict[str, tuple[int, int]] = {}
    for _ in range(args.rounds):
        for name, settings in (("default", LintSettings()), ("full", LintSettings(full=True))):
            started = time.perf_counter()
            report = lint(sources, settings, lambda: scorer)
            timings[name].append(time.perf_counter() - started)
            counts[name] = (len(report.findings), report.tokens_scored)
    d, f = statistics.median(timings["default"]), statistics.median(timings["full"])
    for name in ("default", "full"):
        n, scored = counts[name]
        print(f"{name:>8}: {statistics.median(timings[name]):7.1f} s wall, {n} findings, {scored:,} tokens scored "
              f"(rounds {[round(t, 1) for t in timings[name]]})")
    print(f"default is {f / d:.1f}x faster than --full")


if __name__ == "__main__":
    main()
