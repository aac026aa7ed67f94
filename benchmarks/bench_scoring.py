"""Scoring speed and memory: the naive loop against the engine, in one process, alternating.

    python benchmarks/bench_scoring.py --model smollm2-135m            # CPU, fp32 and bf16
    python benchmarks/bench_scoring.py --rss                            # + peak RSS, 30k-token file
    python benchmarks/bench_scoring.py --baseline-engine OLD_ENGINE.py   # + an earlier engine, same rounds
    python benchmarks/bench_scoring.py --random-qwen --tokenizer DIR    # GPU: Qwen2.5-Coder-1.5B shape
    python benchmarks/bench_scoring.py --random-qwen --tokenizer DIR --engines packed,padded --shares --sync-check

The naive loop is what a first script does: one file at a time, batch 1, full fp32 logits,
log-softmax over the whole sequence. Both paths compute the same numbers (probability, entropy,
rank, top-5). These machines are noisy: compare the ratio within one run, use the medians.

Engine variants (``--engines``, timed in the same alternating rounds): ``default`` (packed windows
on CUDA, one window per pass on the CPU), ``packed``, ``padded`` (length-bucketed right-padded
batches, the engine before packing), ``packed-compiled`` (packed, torch.compile on body and head).
``--random-qwen`` runs the GPU measurement on whatever device is picked; ``--qwen-shape tiny``
makes it small enough to check the script end to end on a CPU.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path
from typing import Any

import torch


def corpus(n: int, lo: int = 2000, hi: int = 7000) -> list[str]:
    """Standard-library modules of ``lo``-``hi`` bytes: top-level ones by name first, then those
    in packages (tests excluded), until there are ``n``."""
    lib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in lib.glob("*.py") if lo <= p.stat().st_size <= hi)
    files += sorted(p for p in lib.glob("*/**/*.py") if lo <= p.stat().st_size <= hi
                    and not {"test", "tests", "site-packages", "idle_test"} & set(p.parts))
    return [p.read_text(encoding="utf-8") for p in files[:n]]


def naive(loaded, texts: list[str]) -> int:  # type: ignore[no-untyped-def]
    from entropy_lint.model.engine import prefix_token_id

    tok, model = loaded.tokenizer, loaded.model
    prefix = prefix_token_id(tok)
    n = 0
    with torch.inference_mode():
        for text in texts:
            ids = torch.tensor([[prefix] + tok(text, add_special_tokens=False).input_ids], device=loaded.device)
            logits = model(ids).logits[0, :-1].float()
            logp = torch.log_softmax(logits, dim=-1)
            targets = ids[0, 1:]
            actual = logp.gather(1, targets[:, None])
            _entropy = -(logp.exp() * logp).sum(-1)
            _rank = (logp > actual).sum(-1) + 1
            _top = logp.topk(5, dim=-1)
            n += len(targets)
    sync(loaded.device)
    return n


def engine(scorer, texts: list[str]) -> int:  # type: ignore[no-untyped-def]
    records = scorer.score(texts)
    sync(scorer.loaded.device)
    return sum(int(r.scored.sum()) for r in records)


def sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize()


ENGINES: dict[str, dict[str, Any]] = {
    "default": {},
    "packed": {"packing": "on"},
    "padded": {"packing": "off"},
    "packed-compiled": {"packing": "on", "compile": frozenset({"head", "body"})},
}
QWEN_SHAPES: dict[str, dict[str, Any]] = {  # Qwen2.5-Coder-1.5B; and a tiny one (SmolLM2's vocabulary) to check the script on a CPU
    "1.5b": {"vocab_size": 151936, "hidden_size": 1536, "intermediate_size": 8960, "num_attention_heads": 12,
             "num_key_value_heads": 2},
    "tiny": {"vocab_size": 49152, "hidden_size": 64, "intermediate_size": 128, "num_attention_heads": 4,
             "num_key_value_heads": 2},
}


def make_scorer(loaded, args: argparse.Namespace, engine_name: str, batch_tokens: int | None = None):  # type: ignore[no-untyped-def]
    from entropy_lint.model.engine import EngineOptions, TorchScorer
    from entropy_lint.model.scoring import ScoringSettings

    budget = args.batch_tokens if batch_tokens is None else batch_tokens
    return TorchScorer(loaded, ScoringSettings(batch_tokens=budget), options=EngineOptions(**ENGINES[engine_name]))


def baseline_scorer(path: str, loaded, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The TorchScorer of another engine.py (say, ``git show main:entropy_lint/model/engine.py``),
    timed in the same rounds: on a noisy machine, before and after belong in one process."""
    import importlib.util

    from entropy_lint.model.scoring import ScoringSettings

    spec = importlib.util.spec_from_file_location("baseline_engine", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.TorchScorer(loaded, ScoringSettings(batch_tokens=args.batch_tokens))


def timed(fn, *args) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    tokens = fn(*args)
    return tokens / (time.perf_counter() - start)


def load(args: argparse.Namespace, dtype: str):  # type: ignore[no-untyped-def]
    from entropy_lint.model.loading import load_model

    if not args.random_qwen:
        return load_model(args.model, device=args.device, dtype=dtype)
    return random_qwen(args, dtype)


def random_qwen(args: argparse.Namespace, dtype: str):  # type: ignore[no-untyped-def]
    """A randomly initialised model of Qwen2.5-Coder-1.5B's shape: speed only, numbers meaningless."""
    from transformers import AutoModelForCausalLM, AutoTokenizer, Qwen2Config

    from entropy_lint.model.loading import LoadedModel, pick_device, pick_dtype

    device = pick_device(args.device)
    dt = pick_dtype(dtype, device)
    shape: dict[str, Any] = {**QWEN_SHAPES[args.qwen_shape], "rope_theta": 1e6}
    config = Qwen2Config(num_hidden_layers=args.qwen_layers, max_position_embeddings=32768,
                         tie_word_embeddings=True, **shape)
    torch.manual_seed(0)
    with torch.device(device):
        model = AutoModelForCausalLM.from_config(config, dtype=dt, attn_implementation="sdpa")
    model.eval()
    tok = AutoTokenizer.from_pretrained(args.tokenizer)
    return LoadedModel(model, tok, device, dt, f"random-qwen2.5-coder-{args.qwen_shape}-shape", "random")


def compare(args: argparse.Namespace, dtype: str, texts: list[str], baseline_dtype: str) -> None:
    loaded = load(args, dtype)
    naive_loaded = loaded if dtype == baseline_dtype else load(args, baseline_dtype)
    names = args.engines.split(",")
    scorers = {name: make_scorer(loaded, args, name) for name in names}
    if args.baseline_engine:
        scorers["baseline"] = baseline_scorer(args.baseline_engine, loaded, args)
        names = [*names, "baseline"]
    for name, scorer in scorers.items():
        if hasattr(scorer, "packed"):
            print(f"engine {name}: packing {'on, attention ' + scorer.attention_kernel if scorer.packed else 'off (' + str(scorer.packing_off_reason) + ')'}")
    naive(naive_loaded, texts[:2])  # warm-up
    for scorer in scorers.values():
        engine(scorer, texts[:2])
    rates: dict[str, list[float]] = {"naive": [], **{name: [] for name in names}}
    memory = dict.fromkeys(rates, 0)
    for _ in range(args.rounds):
        runs = [("naive", naive, naive_loaded)] + [(name, engine, scorer) for name, scorer in scorers.items()]
        for label, fn, target in runs:
            reset_peak(loaded.device)
            rates[label].append(timed(fn, target, texts))
            memory[label] = max(memory[label], peak(loaded.device))
    base = statistics.median(rates["naive"])
    print(f"{loaded.device.type:>4} naive ({baseline_dtype}) {base:9.1f} tok/s  (rounds {[round(r) for r in rates['naive']]})")
    for name in names:
        med = statistics.median(rates[name])
        print(f"{loaded.device.type:>4} engine {name} ({dtype}) {med:9.1f} tok/s | ratio {med / base:5.2f}x"
              f"  (rounds {[round(r) for r in rates[name]]})")
    if loaded.device.type == "cuda":
        print("cuda peak memory: " + ", ".join(f"{label} {mem / 2**30:.2f} GiB" for label, mem in memory.items()))
    for name, scorer in scorers.items():
        if args.shares and name != "baseline":
            shares(scorer, texts, name)
        if args.sync_check and loaded.device.type == "cuda":
            sync_check(scorer, texts, name)
    if loaded.device.type == "cuda" or args.random_qwen:
        check_batching(loaded, texts, args, names[0])


def shares(scorer, texts: list[str], name: str) -> None:  # type: ignore[no-untyped-def]
    """One more pass with stage timing: device time in the body and the LM head (with the
    statistics), the rest of the wall time is host work and idle device."""
    from entropy_lint.model.overlap import StageTimes

    scorer.timings = StageTimes()
    tokens = engine(scorer, texts)
    t, scorer.timings = scorer.timings, None
    parts = ", ".join(f"{stage} {share:.0%} ({share * t.wall:.2f} s)" for stage, share in t.shares().items())
    print(f"engine {name} time shares over {t.batches} passes, {tokens / t.wall:.0f} tok/s with timing: {parts}")


def sync_check(scorer, texts: list[str], name: str) -> None:  # type: ignore[no-untyped-def]
    """Count the operations that made the host wait for the GPU during one pass (CUDA's sync
    debug mode warns on each); reading each pass's results is done by an event and not counted."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        torch.cuda.set_sync_debug_mode("warn")
        try:
            engine(scorer, texts)
        finally:
            torch.cuda.set_sync_debug_mode("default")
    syncs = [w for w in caught if "synchroniz" in str(w.message)]
    where = sorted({f"{w.filename.rsplit('/', 1)[-1]}:{w.lineno}" for w in syncs})
    print(f"engine {name}: {len(syncs)} synchronising operations in one pass {where[:8]}")


def reset_peak(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()


def peak(device: torch.device) -> int:
    return int(torch.cuda.max_memory_allocated()) if device.type == "cuda" else 0


def check_batching(loaded, texts: list[str], args: argparse.Namespace, name: str) -> None:  # type: ignore[no-untyped-def]
    """The engine's passes (packed or padded) against one window per pass, same device and dtype."""
    import numpy as np

    scorer = make_scorer(loaded, args, name)
    batched = scorer.score(texts)
    alone = make_scorer(loaded, args, name, batch_tokens=1).score(texts)
    diff = np.abs(np.concatenate([a.entropy for a in batched]) - np.concatenate([b.entropy for b in alone]))
    how = f"packed, {scorer.attention_kernel}" if scorer.packed else "padded"
    print(f"entropy |engine {name} ({how}) - one window per pass| ({loaded.dtype}): mean {diff.mean():.5f},"
          f" max {diff.max():.5f} nats over {diff.size} tokens")


def deviation(args: argparse.Namespace, texts: list[str]) -> None:
    import numpy as np

    from entropy_lint.model.engine import TorchScorer

    ref = [r.entropy for r in TorchScorer(load(args, "float32")).score(texts)]
    low = "bfloat16"
    other = [r.entropy for r in TorchScorer(load(args, low)).score(texts)]
    diff = np.abs(np.concatenate(ref) - np.concatenate(other))
    print(f"entropy |{low} - float32|: mean {diff.mean():.3f} nats, p99 {np.quantile(diff, 0.99):.3f}, max {diff.max():.3f}")


def rss_child(model: str, tokens: int) -> None:
    from entropy_lint.model.engine import TorchScorer
    from entropy_lint.model.loading import load_model

    scorer = TorchScorer(load_model(model, device="cpu", dtype="float32"))
    tok = scorer.loaded.tokenizer
    unit = Path(sysconfig.get_paths()["stdlib"], "argparse.py").read_text(encoding="utf-8")
    ids = tok(unit * (1 + tokens // len(tok(unit).input_ids)), add_special_tokens=False).input_ids[:tokens]
    text = tok.decode(ids)
    (rec,) = scorer.score([text])
    print(len(rec), peak_rss_mb())


def peak_rss_mb() -> int:
    """VmHWM: this process's own peak RSS. (getrusage's ru_maxrss survives fork and exec on Linux,
    so a child started by a big parent reports the parent's peak.)"""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def rss(args: argparse.Namespace) -> None:
    def peak(tokens: int) -> tuple[int, int]:
        out = subprocess.run([sys.executable, __file__, "--rss-child", str(tokens), "--model", args.model],
                             capture_output=True, text=True, check=True).stdout.split()
        return int(out[-2]), int(out[-1])

    (n_tiny, tiny), (n_big, big) = peak(5), peak(30_000)
    print(f"peak RSS: {n_tiny}-token file {tiny} MB, {n_big}-token file {big} MB, growth {big - tiny} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="smollm2-135m")
    parser.add_argument("--device", default="auto")
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-tokens", type=int, default=0)
    parser.add_argument("--random-qwen", action="store_true")
    parser.add_argument("--tokenizer", help="tokenizer directory for --random-qwen")
    parser.add_argument("--qwen-layers", type=int, default=28, help="layers of the random Qwen model (28 is the real depth)")
    parser.add_argument("--qwen-shape", choices=sorted(QWEN_SHAPES), default="1.5b")
    parser.add_argument("--dtypes", default="bfloat16,float32", help="GPU: dtypes to compare, comma-separated")
    parser.add_argument("--engines", default="default", help=f"engine variants, comma-separated: {', '.join(ENGINES)}")
    parser.add_argument("--baseline-engine", help="an engine.py to time against, as engine 'baseline'")
    parser.add_argument("--shares", action="store_true", help="print the share of time in body, head and host")
    parser.add_argument("--sync-check", action="store_true", help="CUDA: count synchronising operations in one pass")
    parser.add_argument("--rss", action="store_true")
    parser.add_argument("--rss-child", type=int)
    args = parser.parse_args()
    if args.rss_child is not None:
        rss_child(args.model, args.rss_child)
        return
    texts = corpus(args.files)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {len(texts)} files, "
          f"{sum(map(len, texts)):,} chars")
    if unknown := set(args.engines.split(",")) - set(ENGINES):
        parser.error(f"unknown engines: {sorted(unknown)}")
    cuda = torch.cuda.is_available() and args.device in ("auto", "cuda")
    if cuda or args.random_qwen:
        print(f"{torch.cuda.get_device_name() if cuda else 'cpu'}, batch budget {args.batch_tokens or 'default'} tokens")
        for dtype in args.dtypes.split(","):
            compare(args, dtype, texts, dtype)
    else:
        compare(args, "float32", texts, "float32")
        compare(args, "bfloat16", texts, "float32")
        deviation(args, texts)
    if args.rss:
        rss(args)


if __name__ == "__main__":
    main()
