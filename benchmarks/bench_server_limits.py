"""What one request at the server's token limits costs: /score of N tokens through the model,
and /analyze of N generated tokens, on a real server on a loopback port.

    python benchmarks/bench_server_limits.py                       # smollm2-135m, 4,096 and 16,384 tokens
    python benchmarks/bench_server_limits.py --score 16384 --generate 1000

Each size runs once after a warm-up request; the machine's load average is printed with it,
since on a shared machine it decides the figure.
"""

from __future__ import annotations

import argparse
import os
import sys
import sysconfig
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from server_process import Server  # noqa: E402


def text_of(tokens: int, tokenizer_model: str) -> str:
    """Standard-library source cut to ``tokens`` tokens of the model's tokenizer (one window
    plan of the server's default window and context then reads about that many)."""
    from entropy_lint.model.loading import load_model

    tokenizer = load_model(tokenizer_model, log=lambda _m: None).tokenizer
    source = "".join(p.read_text(encoding="utf-8") for p in sorted(Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))[:40])
    ids = tokenizer(source, add_special_tokens=False)["input_ids"][:tokens]
    return str(tokenizer.decode(ids))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="smollm2-135m")
    parser.add_argument("--score", type=int, nargs="*", default=[4096, 16384], help="tokens per /score request")
    parser.add_argument("--generate", type=int, nargs="*", default=[200], help="max_tokens per /analyze request")
    args = parser.parse_args()
    server = Server("--max-tokens-scored", str(max([*args.score, 1])), "--max-tokens-generated",
                    str(max([*args.generate, 1])), "--queue-timeout", "3600", "--request-timeout", "7200",
                    model=args.model)
    try:
        post = lambda path, body: httpx.post(server.url + path, json=body, timeout=7200)  # noqa: E731
        post("/score", {"texts": ["def f(x):\n    return x\n"]}).raise_for_status()  # warm-up
        for n in args.score:
            text = text_of(n, args.model)
            start = time.perf_counter()
            r = post("/score", {"texts": [text]})
            r.raise_for_status()
            seconds = time.perf_counter() - start
            tokens = len(r.json()["results"][0]["token_ids"])
            print(f"/score {tokens:,} tokens: {seconds:.1f} s ({tokens / seconds:.0f} tokens/s); "
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
