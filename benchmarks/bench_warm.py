"""Warm re-runs: entropy-lint over 100 unchanged files (all cached) against Bandit, side by side.

    pip install bandit
    python benchmarks/bench_warm.py             # 100 stdlib modules, smollm2-135m, 5 rounds

Each round runs the two commands as fresh processes, alternating; medians are reported.
The first entropy-lint run fills a private results cache and is reported separately.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path


def corpus(dest: Path, n: int) -> int:
    lib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in lib.glob("*.py") if 1_000 <= p.stat().st_size <= 15_000)
    files += sorted(p for p in lib.glob("*/*.py") if "test" not in p.parts and 1_000 <= p.stat().st_size <= 15_000)
    for i, path in enumerate(files[:n]):
        shutil.copy(path, dest / f"{i:03d}_{path.name}")
    return min(n, len(files))


def timed(cmd: list[str], cwd: Path) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True)
    return time.perf_counter() - start, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--model", default="smollm2-135m")
    args = parser.parse_args()
    bandit = shutil.which("bandit") or str(Path(sys.executable).parent / "bandit")
    lint = str(Path(sys.executable).parent / "entropy-lint")
    with tempfile.TemporaryDirectory() as tmp:
        src, cache = Path(tmp, "src"), Path(tmp, "cache")
        src.mkdir()
        n = corpus(src, args.files)
        ours = [lint, "check", ".", "--model", args.model, "--cache-dir", str(cache), "--format", "json", "-q",
                "--fail-on", "none"]
        theirs = [bandit, "-q", "-r", ".", "-f", "json"]
        cold, _ = timed(ours, src)
        print(f"{n} files; first entropy-lint run (detection + model load + scoring, fills the cache): {cold:.1f} s")
        warm, other = [], []
        for _ in range(args.rounds):
            warm.append(timed(ours, src)[0])
            other.append(timed(theirs, src)[0])
        w, b = statistics.median(warm), statistics.median(other)
        print(f"entropy-lint warm re-run: {w:.3f} s median (rounds {[round(t, 3) for t in warm]})")
        print(f"bandit -r             : {b:.3f} s median (rounds {[round(t, 3) for t in other]})")
        print(f"entropy-lint warm is {b / w:.1f}x faster than Bandit on the same files")


if __name__ == "__main__":
    main()
