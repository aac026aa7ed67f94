"""Rules-only C/C++ detection speed: where the time goes, and against Flawfinder on the same tree.

    python benchmarks/bench_c_detect.py DIR                  # DIR: a tree of .c/.h/.cc/.cpp/... files
    python benchmarks/bench_c_detect.py DIR --rounds 3 --cli  # also time the CLI end to end

Per round, in one process (CPU seconds, so the shared machine's load matters less):
- read: the files' bytes; parse: tree-sitter; extract: ``detect.c.extract``; match: the rules;
- detect: ``detect()`` on every file, as the pipeline calls it today;
- screened: ``worth_parsing()`` first, ``detect()`` only where it says so (skipping the parse of
  files in which no C rule's name appears), with the findings checked equal to ``detect``'s;
- flawfinder (if installed): ``flawfinder --quiet --dataonly --csv DIR``, CPU of the child process;
- cli (with --cli): ``python -m entropy_lint check DIR --no-model --no-cache``, CPU of the child.
Medians over the rounds are printed; flawfinder and the CLI include their interpreter start-up.
"""

from __future__ import annotations

import argparse
import importlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import entropy_lint
from entropy_lint.detect import RuleIndex, detect
from entropy_lint.languages import language_for, parse
from entropy_lint.rules import rules_for

C_LANGUAGES = ("c", "cpp")


def child_cpu(command: list[str]) -> float:
    """CPU seconds (user + system) of a child process run to completion."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cpu(fn: Callable[[], object]) -> tuple[float, object]:
    started = time.process_time()
    result = fn()
    return time.process_time() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tree", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-size", type=int, default=1_000_000, help="skip larger files, as the CLI does")
    parser.add_argument("--cli", action="store_true", help="also time the entropy-lint CLI on the tree")
    args = parser.parse_args()

    paths = sorted(p for p in args.tree.rglob("*") if p.is_file() and language_for(str(p)) in C_LANGUAGES
                   and p.stat().st_size <= args.max_size)
    files = [(language_for(str(p)) or "c", p.read_bytes()) for p in paths]
    extractor = importlib.import_module("entropy_lint.detect.c")
    screen = getattr(extractor, "worth_parsing", None)
    indexes = {language: RuleIndex(rules_for(language)) for language in C_LANGUAGES}
    print(f"{len(files)} files, {sum(len(d) for _, d in files):,} bytes; screen: {'yes' if screen else 'no'}")

    timings: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    flawfinder = shutil.which("flawfinder") or str(Path(sys.executable).with_name("flawfinder"))
    for _ in range(args.rounds):
        read, _ = cpu(lambda: [p.read_bytes() for p in paths])
        phases = {"parse": 0.0, "extract": 0.0, "match": 0.0}
        hits = 0
        for language, data in files:
            spent, tree = cpu(lambda: parse(language, data))
            phases["parse"] += spent
            spent, sites = cpu(lambda: extractor.extract(tree, data, language))
            phases["extract"] += spent
            spent, found = cpu(lambda: [h for s in sites for h in indexes[language].match(s)])  # type: ignore[attr-defined]
            phases["match"] += spent
            hits += len(found)  # type: ignore[arg-type]
        for name, spent in (("read", read), *phases.items()):
            timings.setdefault(name, []).append(spent)
        spent, plain = cpu(lambda: [(h.rule.id, h.site.start) for lang, d in files for h in detect(lang, d).hits])
        timings.setdefault("detect", []).append(spent)
        counts["detect"] = len(plain)  # type: ignore[arg-type]
        if screen is not None:
            spent, screened = cpu(lambda: [(h.rule.id, h.site.start) for lang, d in files if screen(d, lang)
                                           for h in detect(lang, d).hits])
            timings.setdefault("screened", []).append(spent)
            counts["screened"] = len(screened)  # type: ignore[arg-type]
            assert screened == plain, "the screen lost findings"
            spent, passed = cpu(lambda: sum(1 for lang, d in files if screen(d, lang)))
            timings.setdefault("screen alone", []).append(spent)
            counts["files passing the screen"] = passed  # type: ignore[assignment]
        if Path(flawfinder).exists():
            timings.setdefault("flawfinder", []).append(child_cpu([flawfinder, "--quiet", "--dataonly", "--csv",
                                                                   str(args.tree)]))
        if args.cli:
            tree_root = str(Path(entropy_lint.__file__).resolve().parent.parent)  # the checkout being measured
            env_path = os.pathsep.join(filter(None, [tree_root, os.environ.get("PYTHONPATH")]))
            command = [sys.executable, "-m", "entropy_lint", "check", str(args.tree), "--no-model", "--no-cache",
                       "--fail-on", "none", "--format", "json", "-o", os.devnull]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
                           env={**os.environ, "PYTHONPATH": env_path})
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            timings.setdefault("cli", []).append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        counts["hits"] = hits
    print(f"findings: {counts}")
    for name, values in timings.items():
        print(f"{name:>14}: {statistics.median(values):6.2f} s CPU  (rounds: {' / '.join(f'{v:.2f}' for v in values)})")
    if "flawfinder" in timings:
        ff = statistics.median(timings["flawfinder"])
        for name in ("detect", "screened", "cli"):
            if name in timings:
                print(f"{name} vs flawfinder: {ff / statistics.median(timings[name]):.2f}x flawfinder's speed")


if __name__ == "__main__":
    main()
