"""The REST service end to end: a real server on a loopback port with the small model."""

from __future__ import annotations

import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "entropy_lint", "serve", "--port", str(self.port), "--model", "smollm2-135m",
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
        raise TimeoutError("the server did not become healthy")

    def stop(self) -> str:
        self.proc.terminate()
        out, _ = self.proc.communicate(timeout=30)
        return out


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    s = Server()
    yield s
    log = s.stop()
    assert "Traceback" not in log, log


def post(server: Server, path: str, body: object, **kw: object) -> httpx.Response:
    return httpx.post(server.url + path, json=body, timeout=300, **kw)  # type: ignore[arg-type]


def test_root_and_health(server: Server) -> None:
    root = httpx.get(server.url + "/").json()
    assert root["status"] == "ok" and root["model"] == "smollm2-135m" and root["device"] == "cpu"
    health = httpx.get(server.url + "/health").json()
    assert health == {"status": "healthy", "model_loaded": True, "tokenizer_loaded": True, "device": "cpu",
                      "vocab_size": 49152, "model": "smollm2-135m", "identity": health["identity"]}
    assert health["identity"].startswith("alias:smollm2-135m@")


def test_analyze_returns_the_original_shape_with_exact_tokens(server: Server) -> None:
    r = post(server, "/analyze", {"prompt": "Write a C function that copies a string with strcpy.", "max_tokens": 24,
                                  "risky_keywords": ["strcpy", "include"]})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"generated_text", "tokens", "metadata", "findings"}
    assert "".join(t["token"] for t in body["tokens"]) == body["generated_text"]
    assert all(set(t) == {"token", "entropy", "prob", "is_risky"} for t in body["tokens"])
    meta = body["metadata"]
    assert meta["total_tokens"] == len(body["tokens"]) <= 24
    assert meta["risky_tokens_count"] == sum(t["is_risky"] for t in body["tokens"])
    if "include" in body["generated_text"]:
        assert meta["risky_tokens_count"] >= 1
    assert meta["min_probability"] == min(t["prob"] for t in body["tokens"])
    again = post(server, "/analyze", {"prompt": "Write a C function that copies a string with strcpy.", "max_tokens": 24,
                                      "risky_keywords": ["strcpy", "include"]}).json()
    assert again["generated_text"] == body["generated_text"]  # greedy by default: reproducible


@pytest.mark.parametrize("body,field", [
    ({"prompt": ""}, "prompt"),
    ({"prompt": "   "}, "prompt"),
    ({"prompt": "x", "max_tokens": 0}, "max_tokens"),
    ({"prompt": "x", "max_tokens": 100000}, "max_tokens"),
    ({"prompt": 123}, "prompt"),
    ({"prompt": "x", "max_tokens": "many"}, "max_tokens"),
    ({"prompt": "x", "risky_keywords": "strcpy"}, "risky_keywords"),
    ({"prompt": "x", "colour": "red"}, "colour"),
    ({}, "prompt"),
])
def test_invalid_bodies_are_422_naming_the_field(server: Server, body: dict, field: str) -> None:  # type: ignore[type-arg]
    r = post(server, "/analyze", body)
    assert r.status_code == 422
    assert any(field in d["loc"] for d in r.json()["detail"])


def test_malformed_json_and_oversized_bodies(server: Server) -> None:
    r = httpx.post(server.url + "/analyze", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422
    big = post(server, "/analyze", {"prompt": "x" * 3_000_000})
    assert big.status_code == 413 and "limit" in big.json()["detail"]


def test_twenty_concurrent_requests_all_get_correct_answers(server: Server) -> None:
    body = {"prompt": "Write hello world in Python.", "max_tokens": 6}
    expected = post(server, "/analyze", body).json()
    with concurrent.futures.ThreadPoolExecutor(20) as pool:
        replies = list(pool.map(lambda _: post(server, "/analyze", body), range(20)))
    assert [r.status_code for r in replies] == [200] * 20
    assert all(r.json()["generated_text"] == expected["generated_text"] for r in replies)


def test_check_returns_findings_as_json_or_sarif(server: Server) -> None:
    content = "import os\n\ndef run(cmd):\n    os.system(cmd)\n"
    r = post(server, "/check", {"filename": "tool.py", "content": content})
    assert r.status_code == 200
    (finding,) = r.json()["findings"]
    assert finding["rule_id"] == "EL-PY-OS-SYSTEM" and finding["line"] == 4 and finding["model"]["callee"]["min_prob"] > 0
    sarif = post(server, "/check", {"language": "python", "content": content, "format": "sarif"})
    assert sarif.headers["content-type"].startswith("application/sarif+json")
    assert sarif.json()["runs"][0]["results"][0]["ruleId"] == "EL-PY-OS-SYSTEM"
    assert post(server, "/check", {"filename": "notes.txt", "content": "eval(x)"}).json()["problems"]
    assert post(server, "/check", {"content": "x", "language": "cobol"}).status_code == 422


def test_rules_and_docs(server: Server) -> None:
    rules = httpx.get(server.url + "/rules").json()
    assert any(r["id"] == "EL-PY-EVAL" for r in rules)
    assert httpx.get(server.url + "/docs").status_code == 200
    assert httpx.get(server.url + "/redoc").status_code == 200
    assert "/analyze" in httpx.get(server.url + "/openapi.json").json()["paths"]


def test_cors_is_closed_by_default(server: Server) -> None:
    r = httpx.options(server.url + "/analyze", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in r.headers
    r = httpx.get(server.url + "/", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in r.headers


def test_check_through_the_server_gives_the_same_output_as_a_local_run(server: Server, tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import os, pickle\n\ndef f(c, b):\n    os.system(c)\n    return pickle.loads(b)\n")
    (tmp_path / "b.c").write_text("#include <string.h>\nvoid g(char *d, const char *s) { strcpy(d, s); }\n")
    run = lambda *extra: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "entropy_lint", "check", ".", "--model", "smollm2-135m", "--format", "json",
         "--no-cache", *extra], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    local, remote = run(), run("--server", server.url)
    assert local.returncode == remote.returncode == 1, remote.stderr
    a, b = json.loads(local.stdout)["findings"], json.loads(remote.stdout)["findings"]
    assert [(f["rule_id"], f["line"], f["message"]) for f in a] == [(f["rule_id"], f["line"], f["message"]) for f in b]
    for x, y in zip(a, b):
        assert x["model"]["callee"]["min_prob"] == pytest.approx(y["model"]["callee"]["min_prob"], abs=1e-5)


def test_check_with_an_unreachable_server_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("eval(x)\n")
    proc = subprocess.run([sys.executable, "-m", "entropy_lint", "check", "a.py", "--server",
                           f"http://127.0.0.1:{free_port()}", "--no-cache"], cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 2 and "cannot be reached" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.model
def test_api_key_and_cors_origins_when_configured() -> None:
    s = Server("--cors-origin", "https://app.example", env={"ENTROPY_LINT_API_KEY": "s3cret"})
    try:
        assert httpx.get(s.url + "/").status_code == 200 and httpx.get(s.url + "/health").status_code == 200
        assert httpx.get(s.url + "/rules").status_code == 401
        assert httpx.get(s.url + "/docs").status_code == 401
        assert httpx.get(s.url + "/rules", headers={"Authorization": "Bearer wrong"}).status_code == 401
        ok = httpx.get(s.url + "/rules", headers={"Authorization": "Bearer s3cret", "Origin": "https://app.example"})
        assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == "https://app.example"
        other = httpx.get(s.url + "/", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
    finally:
        s.stop()


def test_the_server_binds_loopback_by_default(server: Server) -> None:
    """The listening socket's own address, from the kernel's table (Linux /proc/net/tcp)."""
    table = Path("/proc/net/tcp")
    if not table.exists():
        pytest.skip("needs Linux's /proc/net/tcp to read the listening address")
    listening = [line.split()[1] for line in table.read_text().splitlines()[1:] if line.split()[3] == "0A"]
    mine = [address for address in listening if int(address.split(":")[1], 16) == server.port]
    assert mine == ["0100007F:" + f"{server.port:04X}"]  # 127.0.0.1, little-endian hex
