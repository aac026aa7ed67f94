"""Fixes: how often one is verified and applied, whether it uses the API a developer chose, and what
offering them costs a lint run.

    python benchmarks/bench_fixes.py                  # the 70 pairs and the cost, smollm2-135m
    python benchmarks/bench_fixes.py --skip-cost      # the pairs only
    python benchmarks/bench_fixes.py --skip-cost --pairs held-out   # the 31 written after the ranking

Pairs (``fix_pairs.py``): for the finding on the line the human fix changed, is a fix offered and
does the file with it applied pass verification again; and does the fix that would be applied use
the human fix's API (a pattern over the rewritten call), taking the fix
- first in table order (what the templates alone would pick),
- first without a model (safe fixes first, then table order: ``fix --no-model``),
- first with the model's ranking (safe first, then lowest delta_nats: ``fix``),
- lowest delta_nats whatever its safety (the model's ranking alone),
- first with the model's ranking (safe first) when the line of an added import is compared too.

Cost: one loaded model; for each file set, a whole ``lint`` (detection, scoring, fixes, messages)
is timed, then the fixes alone (``fix.offer``, the same work ``lint`` did for them) with and
without the model; the difference is what lint costs without fixes. Rounds alternate; medians.
"""

from __future__ import annotations

import argparse
import difflib
import re
import statistics
import sys
import sysconfig
import time
from collections.abc import Sequence
from typing import Any
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from fix_pairs import HELD_OUT, PAIRS, Pair  # noqa: E402

from entropy_lint.findings import Finding  # noqa: E402
from entropy_lint.fix import FileFindings, offer, propose, sound  # noqa: E402
from entropy_lint.fix.edits import apply, edits_of  # noqa: E402
from entropy_lint.fix.rank import comparison, deltas  # noqa: E402
from entropy_lint.languages import language_for  # noqa: E402
from entropy_lint.model.engine import TorchScorer  # noqa: E402
from entropy_lint.model.loading import load_model  # noqa: E402
from entropy_lint.model.scoring import Scorer, ScoringSettings, Span, TokenScores  # noqa: E402
from entropy_lint.run.pipeline import LintSettings, detect_findings, lint  # noqa: E402
from entropy_lint.run.sources import Source  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


class Counting:
    """The real scorer, with its calls and scored tokens counted."""

    def __init__(self, scorer: Scorer) -> None:
        self.scorer, self.calls, self.tokens = scorer, 0, 0
        self.name, self.identity = scorer.name, scorer.identity

    def score(self, texts: Sequence[str], spans: Sequence[Sequence[Span] | None] | None = None) -> list[TokenScores]:
        self.calls += 1
        out = self.scorer.score(texts, spans)
        self.tokens += sum(int(r.scored.sum()) for r in out)
        return out


def changed_lines(old: str, new: str) -> set[int]:
    lines: set[int] = set()
    for tag, i1, i2, _j1, _j2 in difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines()).get_opcodes():
        if tag != "equal":
            lines.update(range(i1 + 1, max(i2, i1 + 1) + 1))
    return lines


def target(pair: Pair, findings: Sequence[Finding]) -> int | None:
    lines = changed_lines(pair.vulnerable, pair.fixed)
    return next((i for i, f in enumerate(findings) if f.line in lines), None)


def evaluate(pairs: Sequence[Pair], scorer: Scorer) -> None:
    rows: list[dict[str, Any]] = []
    for pair in pairs:
        found, _, _ = detect_findings(Source(pair.name, pair.vulnerable, pair.language), LintSettings())
        human, _, _ = detect_findings(Source(pair.name, pair.fixed, pair.language), LintSettings())
        i = target(pair, found)
        if i is None:
            print(f"  {pair.name}: no finding on the lines the human fix changed")
            continue
        rule = found[i].rule_id
        human_clean = not any(f.rule_id == rule and f.line in changed_lines(pair.vulnerable, pair.fixed) for f in human)
        file = FileFindings(pair.vulnerable, pair.language, found)
        ctx, in_table_order = propose(file)
        (plain,) = offer([file])
        (ranked,) = offer([file], scorer)
        fixes, table, unranked = ranked[i].fixes, in_table_order[i], plain[i].fixes
        applied = bool(fixes) and sound(pair.language, pair.vulnerable, apply(pair.vulnerable, edits_of(fixes[0].replacements)))
        gone = False
        if applied:
            after, _, _ = detect_findings(Source(pair.name, apply(pair.vulnerable, edits_of(fixes[0].replacements)),
                                              pair.language), LintSettings())
            gone = sum(f.rule_id == rule for f in after) < sum(f.rule_id == rule for f in found)

        def uses(preview: str | None) -> bool:
            return preview is not None and re.search(pair.api, preview) is not None

        by_delta = min(fixes, key=lambda x: x.delta_nats if x.delta_nats is not None else float("inf"), default=None)
        whole = deltas([comparison(ctx.text, ctx.lines, apply(ctx.text, c.edits), c.edits) for c in table], scorer)
        with_imports = min(zip(table, whole), key=lambda p: (p[0].safety != "safe", p[1] if p[1] is not None else 1e9),
                           default=None)
        rows.append({
            "name": pair.name, "language": pair.language, "rule": rule, "human_clean": human_clean,
            "offered": bool(fixes), "applied": applied and gone,
            "table": uses(table[0].preview if table else None),
            "default": uses(unranked[0].preview if unranked else None),
            "ranked": uses(fixes[0].preview if fixes else None),
            "delta": uses(by_delta.preview if by_delta else None),
            "imports": uses(with_imports[0].preview if with_imports else None),
            "top": fixes[0].preview if fixes else "-", "top_delta": fixes[0].delta_nats if fixes else None,
            "n": len(fixes),
        })
    n = len(rows)
    print(f"{n} pairs in {len({r['language'] for r in rows})} languages "
          f"({', '.join(sorted({r['language'] for r in rows}))}); the human fix clears the finding in "
          f"{sum(r['human_clean'] for r in rows)}")
    print(f"{'pair':<22} {'fixes':>5} {'applied':>8} {'table':>6} {'default':>8} {'ranked':>7} {'delta':>6} {'imports':>8}"
          "  top fix (delta_nats)")
    for r in rows:
        mark = lambda b: "yes" if b else "-"  # noqa: E731
        delta = f"{r['top_delta']:+.2f}" if r["top_delta"] is not None else "n/a"
        print(f"{r['name']:<22} {r['n']:>5} {mark(r['applied']):>8} {mark(r['table']):>6} {mark(r['default']):>8} "
              f"{mark(r['ranked']):>7} {mark(r['delta']):>6} {mark(r['imports']):>8}  {r['top'][:60]} ({delta})")
    share = lambda key: f"{sum(r[key] for r in rows)}/{n} ({100 * sum(r[key] for r in rows) / n:.0f}%)"  # noqa: E731
    print(f"fix offered:                      {share('offered')}")
    print(f"applied and verified:             {share('applied')}")
    print(f"same API as the human fix, first in table order:         {share('table')}")
    print(f"same API as the human fix, first without a model:        {share('default')}")
    print(f"same API as the human fix, first as ranked (safe first): {share('ranked')}")
    print(f"same API as the human fix, lowest delta_nats:            {share('delta')}")
    print(f"same API as the human fix, ranked with imports compared: {share('imports')}")


def file_sets(stdlib: int) -> dict[str, list[Source]]:
    def read(paths: Sequence[Path], base: Path) -> list[Source]:
        out = []
        for p in paths:
            language = language_for(p.name)
            if language is not None:
                out.append(Source(str(p.relative_to(base)), p.read_text(encoding="utf-8"), language))
        return out

    lib = Path(sysconfig.get_paths()["stdlib"])
    modules = sorted(p for p in lib.rglob("*.py") if "test" not in p.parts and "site-packages" not in p.parts
                     and 1_000 <= p.stat().st_size <= 15_000)[:stdlib]
    return {
        "examples/vulnerable": read(sorted((ROOT / "examples" / "vulnerable").iterdir()), ROOT),
        "tests/samples": read(sorted(p for p in (ROOT / "tests" / "samples").rglob("*") if p.is_file()), ROOT),
        f"{stdlib} stdlib modules": read(modules, lib),
    }


def cost(sets: dict[str, list[Source]], scorer: Scorer, rounds: int) -> None:
    print(f"\n{'file set':<22} {'files':>5} {'findings':>8} {'fixes':>5} {'lint':>8} {'fixes, no model':>16} "
          f"{'fixes, ranked':>14} {'extra':>7} {'ranking tokens':>15}")
    for name, sources in sets.items():
        timings: dict[str, list[float]] = {"lint": [], "plain": [], "ranked": []}
        counted = Counting(scorer)
        for _ in range(rounds):
            started = time.perf_counter()
            report = lint(sources, LintSettings(), lambda: scorer)
            timings["lint"].append(time.perf_counter() - started)
            files = []
            for s in sources:
                found, _, _ = detect_findings(s, LintSettings())
                if found:
                    files.append(FileFindings(s.text or "", s.language or "", found))
            started = time.perf_counter()
            offer(files)
            timings["plain"].append(time.perf_counter() - started)
            counted.tokens = 0
            started = time.perf_counter()
            offered = offer(files, counted)
            timings["ranked"].append(time.perf_counter() - started)
        lint_s, plain_s, ranked_s = (statistics.median(timings[k]) for k in ("lint", "plain", "ranked"))
        fixes = sum(len(f.fixes) for found in offered for f in found)
        extra = ranked_s / max(lint_s - ranked_s, 1e-9)
        print(f"{name:<22} {len(sources):>5} {len(report.findings):>8} {fixes:>5} {lint_s:>7.1f}s {plain_s:>15.2f}s "
              f"{ranked_s:>13.1f}s {100 * extra:>6.0f}% {counted.tokens:>15,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="smollm2-135m")
    parser.add_argument("--stdlib", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--skip-cost", action="store_true")
    parser.add_argument("--pairs", choices=("built", "held-out", "all"), default="all",
                        help="the 39 pairs the fixes were built against, the 31 written afterwards, or both")
    args = parser.parse_args()
    scorer = TorchScorer(load_model(args.model, device="cpu"), ScoringSettings())
    for name, pairs in (("built", PAIRS), ("held-out", HELD_OUT)):
        if args.pairs in (name, "all"):
            print(f"--- {name} pairs ---")
            evaluate(pairs, scorer)
    if not args.skip_cost:
        cost(file_sets(args.stdlib), scorer, args.rounds)


if __name__ == "__main__":
    main()
