"""What one request at the server's token limits costs: /score of a text of N tokens (and the
tokens through the model that the limit counts: overlapping windows re-read their context),
and /analyze of N generated tokens, on a real server on a loopback port.

    python benchmarks/bench_server_limits.py                       # smollm2-135m, 4,096 and 13,312 text tokens
    python benchmarks/bench_server_limits.py --score 13312 --generate 1000

(13,312 text tokens are 16,384 through the model with the default window 4,096 and context 1,024:
the default --max-tokens-scored.) Each size runs once after a warm-up request; the machine's
load average is printed with it, since on a shared machine it decides the figure.
"""

from __future__ import annotations

import argparse
import os
import sys
import sysconfig
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from server_process import Server  # noqa: E402


def text_of(tokens: int, tokenizer: Any) -> tuple[str, int]:
    """Standard-library source cut to ``tokens`` tokens, and the tokens through the model that
    scoring it reads with the default window and context (what --max-tokens-scored counts)."""
    from entropy_lint.front.budget import model_tokens

    source = "".join(p.read_text(encoding="utf-8") for p in sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))[:40])
    ids = tokenizer(source, add_special_tokens=False)["input_ids"][:tokens]
    text = str(tokenizer.decode(ids))
    return text, model_tokens(tokenizer, 4096, 1024, [text])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="smollm2-135m")
    parser.add_argument("--score", type=int, nargs="*", default=[4096, 13312], help="text tokens per /score request")
    parser.add_argument("--generate", type=int, nargs="*", default=[200], help="max_tokens per /analyze request")
    args = parser.parse_args()
    from entropy_lint.model.loading import load_model

    tokenizer = load_model(args.model, log=lambda _m: None).tokenizer
    server = Server("--max-tokens-scored", str(4 * max([*args.score, 1])), "--max-tokens-generated",
                    str(max([*args.generate, 1])), "--queue-timeout", "3600", "--request-timeout", "7200",
                    model=args.model)
    try:
        post = lambda path, body: httpx.post(server.url + path, json=body, timeout=7200)  # noqa: E731
        post("/score", {"texts": ["def f(x):\n    return x\n"]}).raise_for_status()  # warm-up
        for n in args.score:
            text, through = text_of(n, tokenizer)
            start = time.perf_counter()
            r = post("/score", {"texts": [text]})
            r.raise_for_status()
            seconds = time.perf_counter() - start
            tokens = len(r.json()["results"][0]["token_ids"])
            print(f"/score {tokens:,} text tokens, {through:,} through the model: {seconds:.1f} s "
                  f"({through / seconds:.0f} tokens/s through the model); "
                  f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
        for n in args.generate:
            start = time.perf_counter()
            r = post("/analyze", {"prompt": "Write a C program that reads a file name and copies it into a buffer.",
                                  "max_tokens": n})
            r.raise_for_status()
            seconds = time.perf_counter() - start
            got = r.json()["metadata"]["total_tokens"]
            print(f"/analyze max_tokens {n}: {got} tokens in {seconds:.1f} s ({got / seconds:.1f} tokens/s); "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
