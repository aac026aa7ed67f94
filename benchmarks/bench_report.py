"""The HTML report: by default (the functions around findings) against --full (every token).

    python benchmarks/bench_report.py                 # 16 stdlib modules, smollm2-135m, 1 round
    python benchmarks/bench_report.py --rounds 3      # alternating rounds, medians

Each run is a fresh `entropy-lint report` process (model load, detection, scoring, rendering),
timed from start to exit, as a user would wait for it. The two modes alternate within a round.
Prints each mode's wall time, tokens scored, page size, and the ratio.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

# 16 modules of 8-55 kB: 12 with findings (os.system, eval, exec, pickle, shelve, ...), 4 without
MODULES = ("shlex.py", "webbrowser.py", "platform.py", "uuid.py", "shelve.py", "code.py", "timeit.py", "trace.py",
           "rlcompleter.py", "runpy.py", "tempfile.py", "random.py", "imaplib.py", "mailcap.py", "pipes.py",
           "calendar.py")
SCORED = re.compile(r"scored ([\d,]+) tokens in ([\d.]+) s")
FINDINGS = re.compile(r"entropy-lint: (\d+) findings?")


def run(cmd: list[str], cwd: Path) -> tuple[float, int, float, int]:
    """Wall seconds, tokens scored, seconds scoring, findings."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}")
    scored, found = SCORED.search(proc.stderr), FINDINGS.search(proc.stderr)
    tokens = int(scored.group(1).replace(",", "")) if scored else 0
    return wall, tokens, float(scored.group(2)) if scored else 0.0, int(found.group(1)) if found else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--model", default="smollm2-135m")
    args = parser.parse_args()
    lint = str(Path(sys.executable).parent / "entropy-lint")
    lib = Path(sysconfig.get_paths()["stdlib"])
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp, "src")
        src.mkdir()
        for name in MODULES:
            shutil.copy(lib / name, src / name)
        size = sum(p.stat().st_size for p in src.iterdir())
        print(f"{len(MODULES)} standard-library modules, {size / 1000:.0f} kB, model {args.model}")
        modes: dict[str, list[tuple[float, int, float, int]]] = {"default": [], "--full": []}
        pages: dict[str, int] = {}
        for _ in range(args.rounds):
            for mode, runs in modes.items():
                out = Path(tmp, f"report-{mode.strip('-')}.html")
                cmd = [lint, "report", ".", "--model", args.model, "-o", str(out), *([mode] if mode != "default" else [])]
                runs.append(run(cmd, src))
                pages[mode] = out.stat().st_size
        for mode, runs in modes.items():
            wall = statistics.median(r[0] for r in runs)
            tokens, scoring, findings = runs[-1][1], statistics.median(r[2] for r in runs), runs[-1][3]
            print(f"{mode:8} {wall:7.1f} s wall (rounds {[round(r[0], 1) for r in runs]}), {tokens:,} tokens scored "
                  f"in {scoring:.1f} s, {findings} findings, page {pages[mode] / 1e6:.2f} MB")
        default, full = (statistics.median(r[0] for r in modes[m]) for m in ("default", "--full"))
        print(f"the default report is {full / default:.1f}x faster than --full")


if __name__ == "__main__":
    main()
