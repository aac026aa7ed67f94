"""The HTML report: by default (the functions around findings) against --full (every token).

    python benchmarks/bench_report.py                 # 16 stdlib modules, smollm2-135m, 1 round
    python benchmarks/bench_report.py --rounds 3      # alternating rounds, medians

Each run is a fresh `entropy-lint report` process (model load, detection, scoring, rendering),
timed from start to exit, as a user would wait for it, and by the CPU time it used (user + system,
from the kernel's accounting of the child): on a shared machine the wall time follows the load,
the CPU time much less. The two modes alternate within a round. Prints each mode's times, tokens
scored, page size, and the ratios.
"""

from __future__ import annotations

import argparse
import re
import resource
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


def run(cmd: list[str], cwd: Path) -> tuple[float, int, float, int, float]:
    """Wall seconds, tokens scored, seconds scoring, findings, CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr}")
    scored, found = SCORED.search(proc.stderr), FINDINGS.search(proc.stderr)
    tokens = int(scored.group(1).replace(",", "")) if scored else 0
    return wall, tokens, float(scored.group(2)) if scored else 0.0, int(found.group(1)) if found else 0, cpu


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
        modes: dict[str, list[tuple[float, int, float, int, float]]] = {"default": [], "--full": []}
        pages: dict[str, int] = {}
        for _ in range(args.rounds):
            for mode, runs in modes.items():
                out = Path(tmp, f"report-{mode.strip('-')}.html")
                cmd = [lint, "report", ".", "--model", args.model, "-o", str(out), *([mode] if mode != "default" else [])]
                runs.append(run(cmd, src))
                pages[mode] = out.stat().st_size
        for mode, runs in modes.items():
            wall, cpu = statistics.median(r[0] for r in runs), statistics.median(r[4] for r in runs)
            tokens, scoring, findings = runs[-1][1], statistics.median(r[2] for r in runs), runs[-1][3]
            print(f"{mode:8} {wall:7.1f} s wall (rounds {[round(r[0], 1) for r in runs]}), {cpu:.1f} s CPU, "
                  f"{tokens:,} tokens scored in {scoring:.1f} s, {findings} findings, page {pages[mode] / 1e6:.2f} MB")
        wall_ratio, cpu_ratio = (statistics.median(r[k] for r in modes["--full"]) / statistics.median(r[k] for r in modes["default"])
                                 for k in (0, 4))
        print(f"the default report is {wall_ratio:.1f}x faster than --full in wall time, {cpu_ratio:.1f}x in CPU time")


if __name__ == "__main__":
    main()
