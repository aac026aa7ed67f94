"""The REST service end to end: a real server on a loopback port with the small model."""

from __future__ import annotations

import concurrent.futures
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from server_process import Server, free_port

pytestmark = pytest.mark.model  # every test here runs the real small model

# The machine running the tests may be slow and shared: these tests are about answers, so the
# module's server waits long for the model (the limits have their own tests, test_server_limits.py).
PATIENT = ("--queue-timeout", "900", "--request-timeout", "1800")


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    s = Server(*PATIENT)
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
    assert big.status_code == 413 and "limit of 2,000,000 bytes" in big.json()["detail"]


def test_an_oversized_chunked_body_is_413(server: Server) -> None:
    """No Content-Length: the server counts what arrives and answers before any route parses it."""
    def chunks() -> Iterator[bytes]:
        yield b'{"prompt": "'
        for _ in range(40):
            yield b"x" * 100_000
        yield b'"}'

    r = httpx.post(server.url + "/analyze", content=chunks(), headers={"content-type": "application/json"}, timeout=300)
    assert "content-length" not in r.request.headers and r.request.headers["transfer-encoding"] == "chunked"
    assert r.status_code == 413 and "limit of 2,000,000 bytes" in r.json()["detail"]
    assert httpx.get(server.url + "/").status_code == 200


JSON = {"content-type": "application/json"}
# (route, raw body, where the 422 points): each is invalid JSON or an invalid body, never a 400 or 500
INVALID = [
    ("/analyze", rb'{"prompt": "\ud800"}', ["body"]),
    ("/analyze", rb'{"prompt": "x", "system_prompt": "a\udfffb"}', ["body"]),
    ("/analyze", rb'{"prompt": "x", "risky_keywords": ["\udc00"]}', ["body"]),
    ("/analyze", rb'{"prompt": "x", "\ud800": 1}', ["body"]),
    ("/analyze", b'{"prompt": "caf\xe9"}', ["body"]),
    ("/analyze", rb'{"prompt": "x", "seed": 99999999999999999999999}', ["body", "seed"]),
    ("/analyze", b'{"prompt": "x", "seed": ' + b"9" * 5000 + b"}", ["body"]),
    ("/analyze", rb'{"prompt": "x", "seed": -1}', ["body", "seed"]),
    ("/analyze", rb'{"prompt": "x", "seed": "7"}', ["body", "seed"]),
    ("/analyze", rb'{"prompt": "x", "seed": 1.5}', ["body", "seed"]),
    ("/analyze", rb'{"prompt": "x", "temperature": NaN}', ["body", "temperature"]),
    ("/analyze", rb'{"prompt": "x", "temperature": 1e999}', ["body", "temperature"]),
    ("/analyze", rb'{"prompt": "x", "max_tokens": true}', ["body", "max_tokens"]),
    ("/analyze", b'{"prompt": ' + b"[" * 5000 + b"]" * 5000 + b"}", ["body"]),
    ("/analyze", rb'["prompt"]', ["body"]),
    ("/analyze", b"", ["body"]),
    ("/check", rb'{"content": "\ud800", "language": "python"}', ["body"]),
    ("/check", rb'{"content": "x", "filename": "a\ud800.py"}', ["body"]),
    ("/check", rb'{"content": "x", "language": "python", "full": "yes"}', ["body", "full"]),
    ("/check", rb'{"content": 5, "language": "python"}', ["body", "content"]),
    ("/check", rb'{"content": "x", "language": "python", "extra": 1}', ["body", "extra"]),
    ("/check", rb'{"content": "x", "filename": ""}', ["body", "filename"]),
    ("/score", rb'{"texts": []}', ["body", "texts"]),
    ("/score", rb'{"texts": ["\ud800"]}', ["body"]),
    ("/score", rb'{"texts": ["abc"], "spans": [[[0, 4]]]}', ["body", "spans", 0, 0]),
    ("/score", rb'{"texts": ["abc"], "spans": [[[2, 1]]]}', ["body", "spans", 0, 0]),
    ("/score", rb'{"texts": ["abc"], "spans": [[[-1, 1]]]}', ["body", "spans", 0, 0]),
    ("/score", rb'{"texts": ["abc"], "spans": [[[0, 1, 2]]]}', ["body", "spans", 0, 0]),
    ("/score", rb'{"texts": ["abc", "d"], "spans": [null]}', ["body", "spans"]),
    ("/score", rb'{"texts": ["abc"], "window": 8, "context": 8}', ["body", "context"]),
    ("/score", rb'{"texts": ["abc"], "top_k": 1000}', ["body", "top_k"]),
    ("/score", rb'{"texts": "abc"}', ["body", "texts"]),
]


@pytest.mark.parametrize("path,raw,loc", INVALID)
def test_every_invalid_body_is_422_with_the_field(server: Server, path: str, raw: bytes, loc: list) -> None:  # type: ignore[type-arg]
    r = httpx.post(server.url + path, content=raw, headers=JSON, timeout=60)
    assert r.status_code == 422, r.text
    errors = r.json()["detail"]
    assert [e["loc"][: len(loc)] for e in errors][:1] == [loc]
    assert all(set(e) == {"loc", "msg", "type"} for e in errors)  # never the input echoed back


def test_a_body_that_is_not_json_is_415(server: Server) -> None:
    r = httpx.post(server.url + "/analyze", content=b'{"prompt": "x"}', headers={"content-type": "text/plain"})
    assert r.status_code == 415 and "application/json" in r.json()["detail"]


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
    assert post(server, "/check", {"content": "x", "language": "cobol"}).status_code == 422


@pytest.mark.parametrize("body", [{"content": "eval(x)\n"}, {"content": "eval(x)\n", "filename": "notes.txt"},
                                  {"content": "eval(x)\n", "filename": "Makefile"}])
def test_check_without_a_known_language_is_422_naming_the_fields(server: Server, body: dict) -> None:  # type: ignore[type-arg]
    r = post(server, "/check", body)
    assert r.status_code == 422
    (error,) = r.json()["detail"]
    assert error["loc"] == ["body", "language"] and "filename" in error["msg"] and "language" in error["msg"]


def test_check_finds_the_language_by_extension_or_shebang(server: Server) -> None:
    by_name = post(server, "/check", {"content": "eval(x)\n", "filename": "tool.py"}).json()["findings"]
    by_shebang = post(server, "/check", {"content": "#!/usr/bin/env python3\neval(x)\n", "filename": "tool"}).json()
    assert [f["rule_id"] for f in by_name] == [f["rule_id"] for f in by_shebang["findings"]] == ["EL-PY-EVAL"]


def test_rules_and_docs(server: Server) -> None:
    rules = httpx.get(server.url + "/rules").json()
    assert any(r["id"] == "EL-PY-EVAL" for r in rules)
    assert "/analyze" in httpx.get(server.url + "/openapi.json").json()["paths"]
    for page in ("/docs", "/redoc"):
        html = httpx.get(server.url + page).text
        assets = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert assets and all(a.startswith("/docs-assets/") for a in assets), assets  # nothing from a CDN
        assert "fonts.googleapis" not in html
        for asset in assets:
            assert httpx.get(server.url + asset).status_code == 200


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
@pytest.mark.parametrize("page,operation", [
    ("/docs", re.compile(r'class="opblock-summary-path" data-path="(/[a-z]*)"')),
    ("/redoc", re.compile(r'operation/([a-z_]+)')),
])
def test_the_docs_render_in_a_browser_with_no_internet(server: Server, tmp_path: Path, page: str,
                                                       operation: re.Pattern[str]) -> None:
    """Headless Chromium, background networking off (and this machine has no internet): the
    page's scripts come from the server, run, and draw every operation."""
    proc = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                           f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=30000", "--dump-dom",
                           server.url + page], capture_output=True, text=True, timeout=180, check=True)
    drawn = set(operation.findall(proc.stdout))
    if page == "/docs":
        assert drawn == {"/", "/health", "/analyze", "/check", "/score", "/rules"}
    else:
        assert {"analyze_analyze_post", "check_check_post", "score_score_post"} <= drawn


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
    s = Server("--cors-origin", "https://app.example", *PATIENT, env={"ENTROPY_LINT_API_KEY": "s3cret"})
    try:
        assert httpx.get(s.url + "/").status_code == 200 and httpx.get(s.url + "/health").status_code == 200
        assert httpx.get(s.url + "/rules").status_code == 401
        assert httpx.get(s.url + "/docs").status_code == 401
        assert httpx.get(s.url + "/rules", headers={"Authorization": "Bearer wrong"}).status_code == 401
        ok = httpx.get(s.url + "/rules", headers={"Authorization": "Bearer s3cret", "Origin": "https://app.example"})
        assert ok.status_code == 200 and ok.headers["access-control-allow-origin"] == "https://app.example"
        other = httpx.get(s.url + "/", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
        # a browser's preflight never carries the key: CORS answers it, before the key is asked for
        preflight = {"Origin": "https://app.example", "Access-Control-Request-Method": "POST",
                     "Access-Control-Request-Headers": "authorization, content-type"}
        r = httpx.options(s.url + "/score", headers=preflight)
        assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "https://app.example"
        assert {"authorization", "content-type"} <= {h.strip().lower() for h in r.headers["access-control-allow-headers"].split(",")}
        assert "POST" in r.headers["access-control-allow-methods"]
        r = httpx.options(s.url + "/score", headers={**preflight, "Origin": "https://evil.example"})
        assert r.status_code == 400 and "access-control-allow-origin" not in r.headers
        # the request itself: without the key 401, which the browser can read (CORS headers on it)
        denied = httpx.post(s.url + "/score", json={"texts": ["x = 1\n"]}, headers={"Origin": "https://app.example"})
        assert denied.status_code == 401 and denied.headers["access-control-allow-origin"] == "https://app.example"
        scored = httpx.post(s.url + "/score", json={"texts": ["x = 1\n"]}, timeout=300,
                            headers={"Origin": "https://app.example", "Authorization": "Bearer s3cret"})
        assert scored.status_code == 200 and scored.headers["access-control-allow-origin"] == "https://app.example"
        assert scored.json()["results"][0]["token_ids"]
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
