"""A real `entropy-lint serve` in a subprocess on a free loopback port, for the server tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """Started and healthy (the model loaded) when constructed; ``stop()`` returns its log."""

    def __init__(self, *args: str, env: dict[str, str] | None = None, model: str = "smollm2-135m") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "entropy_lint", "serve", "--port", str(self.port), "--model", model,
             "--log-level", "warning", *args],
            env={**os.environ, **(env or {})}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self.saw_loading = False
        deadline = time.time() + 300
        while time.time() < deadline:
            try:
                r = httpx.get(self.url + "/health", timeout=5)
                if r.status_code == 200:
                    return
                self.saw_loading = self.saw_loading or r.status_code == 503
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(self.proc.stdout.read() if self.proc.stdout else "server exited")
            time.sleep(0.2)
        self.stop()
        raise TimeoutError("the server did not become healthy")

    def stop(self) -> str:
        self.proc.terminate()
        out, _ = self.proc.communicate(timeout=30)
        return out
