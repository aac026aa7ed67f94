"""Server throughput on the CPU: /analyze with max_tokens 32, and /check on a 200-line file.

    python benchmarks/bench_server.py              # smollm2-135m, a server on a free loopback port

Requests go sequentially and then from 4 concurrent clients; the model serves one request at
a time (one lock), so concurrency shows queueing, not parallel speed-up.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import socket
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rate(url: str, path: str, body: dict, n: int, clients: int) -> float:  # type: ignore[type-arg]
    def one(_: int) -> None:
        r = httpx.post(url + path, json=body, timeout=600)
        r.raise_for_status()

    one(0)  # warm-up
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(n)))
    return n / (time.perf_counter() - start)


def two_hundred_lines() -> str:
    """The first 200 lines of a standard-library module that has a few risky calls."""
    text = Path(sysconfig.get_paths()["stdlib"], "subprocess.py").read_text(encoding="utf-8")
    return "".join(text.splitlines(keepends=True)[600:800])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="smollm2-135m")
    parser.add_argument("--requests", type=int, default=12)
    args = parser.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "entropy_lint", "serve", "--port", str(port), "--model", args.model,
                               "--log-level", "warning"], env=os.environ.copy())
    try:
        while True:
            try:
                if httpx.get(url + "/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        analyze = {"prompt": "Write a C function that copies a string into a buffer.", "max_tokens": 32}
        check = {"filename": "subprocess_part.py", "content": two_hundred_lines()}
        findings = len(httpx.post(url + "/check", json=check, timeout=600).json()["findings"])
        for clients in (1, 4):
            a = rate(url, "/analyze", analyze, args.requests, clients)
            c = rate(url, "/check", check, args.requests, clients)
            print(f"{clients} client(s): /analyze (max_tokens 32) {a:.2f} req/s ({32 * a:.0f} generated tok/s at most); "
                  f"/check (200 lines, {findings} findings) {c:.2f} req/s")
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
