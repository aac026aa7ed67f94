"""Rules-only detection speed: real trees, and hostile shapes (deep nesting, long chains).

    python benchmarks/bench_detect.py --tree /usr/lib/python3.11 --tree /usr/lib/node_modules/npm
    python benchmarks/bench_detect.py --hostile              # 1 MB files of each shape, one process each
    PYTHONPATH=/work/main python benchmarks/bench_detect.py --tree ...   # another checkout, to compare

Trees: every file whose language entropy-lint knows (by extension), read and detected in one process,
after one warm-up file per language (grammar loading is not counted). Prints per language the files,
bytes, CPU and wall seconds and findings (on a shared machine compare CPU seconds). Hostile shapes: each runs in a fresh process so its peak memory (RSS) is
its own; a shape that is quadratic in time or memory shows here, not in a test.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

from entropy_lint.detect import detect
from entropy_lint.languages import language_for

SIZE = 1_000_000  # the default --max-file-size
SHAPES = {  # language, prefix, repeated opening, core, repeated closing, suffix
    "js-calls": ("javascript", "eval(", "f(", "x", ")", ");\n"),
    "js-chain": ("javascript", "eval(x", ".m()", "", "", ");\n"),
    "js-arrays": ("javascript", "eval(", "[", "x", "]", ");\n"),
    "js-plus": ("javascript", "eval(x", " + 'a'", "", "", ");\n"),
    "py-calls": ("python", "eval(", "f(", "x", ")", ")\n"),
    "py-parens": ("python", "eval(", "(", "x", ")", ")\n"),
    "py-chain": ("python", "eval(x", ".m()", "", "", ")\n"),
    "py-plus": ("python", "eval(x", " + 'a'", "", "", ")\n"),
    "java-calls": ("java", "class T { void f() { Runtime.getRuntime().exec(", "f(", "x", ")", "); } }\n"),
    "java-chain": ("java", "class T { void f() { Runtime.getRuntime().exec(x", ".m()", "", "", "); } }\n"),
    "go-calls": ("go", "package p\nfunc f() { exec.Command(", "f(", "x", ")", ") }\n"),
    "go-chain": ("go", "package p\nfunc f() { exec.Command(x", ".M()", "", "", ") }\n"),
    "php-calls": ("php", "<?php system(", "f(", "$x", ")", ");\n"),
    "php-concat": ("php", "<?php system($x", " . 'a'", "", "", ");\n"),
    "ruby-calls": ("ruby", "system(", "f(", "x", ")", ")\n"),
    "ruby-chain": ("ruby", "system(x", ".m()", "", "", ")\n"),
}


def shape_source(name: str) -> tuple[str, bytes]:
    language, prefix, opening, core, closing, suffix = SHAPES[name]
    n = (SIZE - len(prefix) - len(suffix)) // (len(opening) + len(closing))
    return language, (prefix + opening * n + core + closing * n + suffix).encode()


def run_one(name: str) -> None:
    language, source = shape_source(name)
    started, cpu = time.perf_counter(), time.process_time()
    found = detect(language, source)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"{name:>12}: {len(source):>9,} bytes {cpu:6.2f} s CPU {seconds:6.2f} s wall  peak RSS {peak:5d} MB  "
          f"{len(found.hits)} hits, {len(found.notes)} notes", flush=True)


def hostile() -> None:
    for name in SHAPES:
        subprocess.run([sys.executable, __file__, "--one", name], check=False)


def _hits(found: object) -> list[object]:
    """Detection.hits; a plain list from trees older than Detection, so both can be compared."""
    return list(getattr(found, "hits", found))  # type: ignore[call-overload]


def trees(roots: list[Path]) -> None:
    files: dict[str, list[bytes]] = defaultdict(list)
    for root in roots:
        for path in sorted(root.rglob("*")):
            language = language_for(str(path)) if path.is_file() and not path.is_symlink() else None
            if language is None or path.stat().st_size > SIZE:
                continue
            files[language].append(path.read_bytes())
    for language, sources in sorted(files.items()):
        detect(language, sources[0])  # load the grammar outside the timed region
        started, cpu = time.perf_counter(), time.process_time()
        hits = sum(len(_hits(detect(language, source))) for source in sources)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        size = sum(len(s) for s in sources)
        print(f"{language:>10}: {len(sources):6,} files {size / 1e6:8.1f} MB {cpu:7.2f} s CPU {seconds:7.2f} s wall "
              f"{hits:6,} findings", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tree", type=Path, action="append", default=[], help="a source tree (repeatable)")
    parser.add_argument("--hostile", action="store_true", help="time 1 MB files of deep and long shapes")
    parser.add_argument("--one", choices=sorted(SHAPES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.one)
    if args.tree:
        trees(args.tree)
    if args.hostile:
        hostile()


if __name__ == "__main__":
    main()
