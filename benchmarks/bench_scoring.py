"""Scoring speed and memory: the naive loop against the engine, in one process, alternating.

    python benchmarks/bench_scoring.py --model smollm2-135m            # CPU, fp32 and bf16
    python benchmarks/bench_scoring.py --rss                            # + peak RSS, 30k-token file
    python benchmarks/bench_scoring.py --random-qwen --tokenizer DIR    # GPU: Qwen2.5-Coder-1.5B shape

The naive loop is what a first script does: one file at a time, batch 1, full fp32 logits,
log-softmax over the whole sequence. Both paths compute the same numbers (probability, entropy,
rank, top-5). These machines are noisy: compare the ratio within one run, use the medians.
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
    config = Qwen2Config(vocab_size=151936, hidden_size=1536, intermediate_size=8960, num_hidden_layers=args.qwen_layers,
                         num_attention_heads=12, num_key_value_heads=2, max_position_embeddings=32768,
                         tie_word_embeddings=True, rope_theta=1e6)
    torch.manual_seed(0)
    with torch.device(device):
        model = AutoModelForCausalLM.from_config(config, dtype=dt, attn_implementation="sdpa")
    model.eval()
    tok = AutoTokenizer.from_pretrained(args.tokenizer)
    return LoadedModel(model, tok, device, dt, "random-qwen2.5-coder-1.5b-shape", "random")


def compare(args: argparse.Namespace, dtype: str, texts: list[str], baseline_dtype: str) -> None:
    from entropy_lint.model.engine import TorchScorer
    from entropy_lint.model.scoring import ScoringSettings

    loaded = load(args, dtype)
    naive_loaded = loaded if dtype == baseline_dtype else load(args, baseline_dtype)
    scorer = TorchScorer(loaded, ScoringSettings(batch_tokens=args.batch_tokens))
    naive(naive_loaded, texts[:2]), engine(scorer, texts[:2])  # warm-up
    n_rates, e_rates, n_mem, e_mem = [], [], 0, 0
    for _ in range(args.rounds):
        reset_peak(loaded.device)
        n_rates.append(timed(naive, naive_loaded, texts))
        n_mem = max(n_mem, peak(loaded.device))
        reset_peak(loaded.device)
        e_rates.append(timed(engine, scorer, texts))
        e_mem = max(e_mem, peak(loaded.device))
    n_med, e_med = statistics.median(n_rates), statistics.median(e_rates)
    print(f"{loaded.device.type:>4} naive ({baseline_dtype}) {n_med:9.1f} tok/s | engine ({dtype}) {e_med:9.1f} tok/s"
          f" | ratio {e_med / n_med:5.2f}x  (rounds: naive {[round(r) for r in n_rates]}, engine {[round(r) for r in e_rates]})")
    if loaded.device.type == "cuda":
        print(f"cuda peak memory: naive {n_mem / 2**30:.2f} GiB, engine {e_mem / 2**30:.2f} GiB")
        check_batching(loaded, texts)


def reset_peak(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats()


def peak(device: torch.device) -> int:
    return int(torch.cuda.max_memory_allocated()) if device.type == "cuda" else 0


def check_batching(loaded, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Padded batches against one window per pass, on the same device and dtype."""
    import numpy as np

    from entropy_lint.model.engine import TorchScorer
    from entropy_lint.model.scoring import ScoringSettings

    batched = TorchScorer(loaded, ScoringSettings()).score(texts)
    alone = TorchScorer(loaded, ScoringSettings(batch_tokens=1)).score(texts)
    diff = np.abs(np.concatenate([a.entropy for a in batched]) - np.concatenate([b.entropy for b in alone]))
    print(f"entropy |batched - one at a time| ({loaded.dtype}): mean {diff.mean():.4f}, max {diff.max():.4f} nats")


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
    parser.add_argument("--dtypes", default="bfloat16,float32", help="GPU: dtypes to compare, comma-separated")
    parser.add_argument("--rss", action="store_true")
    parser.add_argument("--rss-child", type=int)
    args = parser.parse_args()
    if args.rss_child is not None:
        rss_child(args.model, args.rss_child)
        return
    texts = corpus(args.files)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {len(texts)} files, "
          f"{sum(map(len, texts)):,} chars")
    cuda = torch.cuda.is_available() and args.device in ("auto", "cuda")
    if cuda:
        print(f"{torch.cuda.get_device_name()}, batch budget {args.batch_tokens or 'default'} tokens")
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
