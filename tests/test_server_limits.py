"""The server's limits against real servers on loopback ports: tokens per request, waiting for the
model, request deadlines, and idle, slow or half-open connections (real sockets).

The servers run a tiny random model with the real SmolLM2 tokenizer: the limits count tokens with
the tokenizer, and what the model says does not matter here.
"""

from __future__ import annotations

import concurrent.futures
import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from server_process import Server

LIMITS = ("--max-tokens-scored", "2000", "--max-tokens-generated", "50", "--header-timeout", "3",
          "--keep-alive-timeout", "1", "--body-timeout", "1", "--max-connections", "8", "--no-docs")
# Long enough for a loaded machine to answer any request these tests send to `limited`.
PATIENT = ("--queue-timeout", "600", "--request-timeout", "900")


@pytest.fixture(scope="module")
def limited(tiny_qwen_dir: Path) -> Iterator[Server]:
    s = Server(*LIMITS, *PATIENT, model=str(tiny_qwen_dir))
    yield s
    log = s.stop()
    assert "Traceback" not in log, log


def post(server: Server, path: str, body: object) -> httpx.Response:
    return httpx.post(server.url + path, json=body, timeout=600)


def needed(response: httpx.Response) -> int:
    """The token count a 413 names."""
    match = re.search(r"needs ([\d,]+) ", response.json()["detail"])
    assert match, response.text
    return int(match.group(1).replace(",", ""))


def test_no_docs_turns_the_pages_off(limited: Server) -> None:
    assert [httpx.get(limited.url + p).status_code for p in ("/docs", "/redoc", "/docs-assets/swagger-ui.css")] == [404] * 3
    assert "/score" in httpx.get(limited.url + "/openapi.json").json()["paths"]


# --- tokens ----------------------------------------------------------------------------------

def test_score_over_the_token_limit_is_413_naming_limit_and_count(limited: Server) -> None:
    r = post(limited, "/score", {"texts": ["x = 1\n" * 1200]})
    assert r.status_code == 413
    assert needed(r) > 2000 and "limit is 2,000 per request (serve --max-tokens-scored)" in r.json()["detail"]
    assert post(limited, "/score", {"texts": ["x = 1\n" * 20]}).status_code == 200


def test_a_small_window_cannot_multiply_the_work_past_the_limit(limited: Server) -> None:
    """Each window re-reads its left context: the count is of tokens through the model, not in the text."""
    text = "x = 1\n" * 60  # 300 tokens, one window by default
    assert post(limited, "/score", {"texts": [text]}).status_code == 200
    r = post(limited, "/score", {"texts": [text], "window": 64, "context": 63})
    assert r.status_code == 413 and needed(r) > 20 * 300


def test_check_counts_what_it_scores(limited: Server) -> None:
    """The default scores the findings' context; --full the whole file, over the limit here.
    Ranking fixes is optional work: skipped when it would go over the limit."""
    content = "x = 1\n" * 1200 + "eval(x)\n"
    ok = post(limited, "/check", {"content": content, "language": "python"})
    assert ok.status_code == 200 and [f["rule_id"] for f in ok.json()["findings"]] == ["EL-PY-EVAL"]
    # ranking the fixes would take the request over the limit: they go out unranked, not refused
    (finding,) = ok.json()["findings"]
    assert finding["fixes"] and all(fix["delta_nats"] is None for fix in finding["fixes"])
    r = post(limited, "/check", {"content": content, "language": "python", "full": True})
    assert r.status_code == 413 and needed(r) > 2000 and "--max-tokens-scored" in r.json()["detail"]


def test_analyze_limits_generated_and_prompt_tokens(limited: Server) -> None:
    r = post(limited, "/analyze", {"prompt": "Write hello world in C.", "max_tokens": 51})
    assert r.status_code == 413
    assert r.json()["detail"] == ("this request needs 51 generated tokens (max_tokens); this server's limit is 50 per "
                                  "request (serve --max-tokens-generated)")
    r = post(limited, "/analyze", {"prompt": "x = 1\n" * 1000, "max_tokens": 1})
    assert r.status_code == 413 and "prompt tokens" in r.json()["detail"] and needed(r) > 2000
    ok = post(limited, "/analyze", {"prompt": "Write hello world in C.", "max_tokens": 3})
    assert ok.status_code == 200 and ok.json()["metadata"]["total_tokens"] <= 3


# --- connections (real sockets) -------------------------------------------------------------

def connect(server: Server) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", server.port))
    s.settimeout(60)  # a bound for the test, not a measurement: the server's timeouts here are 1-3 s
    return s


def read_until_closed(s: socket.socket) -> bytes:
    data = b""
    while chunk := s.recv(65536):
        data += chunk
    return data


def test_an_idle_connection_is_closed_after_the_header_timeout(limited: Server) -> None:
    with connect(limited) as s:
        assert read_until_closed(s) == b""  # nothing was asked, nothing is said


def test_a_request_head_sent_a_byte_at_a_time_is_cut_off(limited: Server) -> None:
    """Slowloris: each byte resets no timer; the whole head must arrive within --header-timeout."""
    head = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 200
    with connect(limited) as s:
        try:
            for byte in head:
                s.send(bytes([byte]))
                time.sleep(0.05)
        except OSError:
            pass  # closed mid-send: that is the point
        answer = read_until_closed(s)
    assert answer.startswith(b"HTTP/1.1 408 ")


def test_a_kept_alive_connection_is_closed_when_idle(limited: Server) -> None:
    with connect(limited) as s:
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = read_until_closed(s)
    assert answer.startswith(b"HTTP/1.1 200 ") and b'"status":"ok"' in answer


def test_a_body_that_arrives_too_slowly_is_408(limited: Server) -> None:
    with connect(limited) as s:
        s.sendall(b"POST /score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                  b'{"texts": ["x')
        answer = read_until_closed(s)
    assert answer.startswith(b"HTTP/1.1 408 ") and b"--body-timeout" in answer


def test_held_connections_do_not_stop_others_and_are_let_go(limited: Server) -> None:
    """Four idle connections (of --max-connections 8) leave room to serve; eight fill it (503);
    the header timeout then frees them."""
    idle = [connect(limited) for _ in range(4)]
    try:
        assert httpx.get(limited.url + "/").status_code == 200
        idle += [connect(limited) for _ in range(4)]
        assert httpx.get(limited.url + "/").status_code == 503
        for s in idle:
            assert read_until_closed(s) == b""
    finally:
        for s in idle:
            s.close()
    assert httpx.get(limited.url + "/").status_code == 200


# --- waiting and deadlines -------------------------------------------------------------------

@pytest.fixture(scope="module")
def hurried(tiny_qwen_dir: Path) -> Iterator[Server]:
    """Requests may wait 0.2 s for the model and take 5 s in all; the token limits are out of the way."""
    s = Server("--queue-timeout", "0.2", "--request-timeout", "5", "--max-tokens-scored", "100000000",
               "--max-tokens-generated", "5000", model=str(tiny_qwen_dir))
    yield s
    log = s.stop()
    assert "Traceback" not in log, log


SMALL = {"texts": ["x = 1\n"]}
LONG = {"prompt": "Count to a thousand.", "max_tokens": 5000}  # cut at its deadline, holding the model till then


def hold_the_model(server: Server) -> httpx.Response:
    """A long generation; asked again (a few times at most) if a small request had the model when it came."""
    for _ in range(20):
        r = post(server, "/analyze", LONG)
        if not (r.status_code == 503 and "--queue-timeout" in r.text):
            break
    return r


def test_a_request_that_waits_too_long_for_the_model_is_503_with_retry_after(hurried: Server) -> None:
    """While a long generation holds the model, small requests give up after --queue-timeout."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        holder = pool.submit(hold_the_model, hurried)
        busy = None
        while busy is None and not holder.done():
            r = post(hurried, "/score", SMALL)
            busy = r if r.status_code == 503 and "--queue-timeout" in r.text else None
        assert holder.result().status_code == 503  # it ran into its own deadline
    assert busy is not None, "no request waited while the generation ran"
    assert busy.headers["retry-after"] == "1"
    assert busy.json()["detail"] == ("the model is busy with other requests and this one waited its limit of 0.2 s "
                                     "(serve --queue-timeout); retry later")
    assert post(hurried, "/score", SMALL).status_code == 200  # the model is free again


@pytest.mark.parametrize("path,body", [
    ("/analyze", LONG),
    ("/score", {"texts": ["x = 1\n" * 1200], "window": 64, "context": 63}),
    ("/check", {"content": "x = 1\n" * 600 + "eval(x)\n", "language": "python", "full": True}),
])
def test_model_work_stops_at_the_request_deadline(hurried: Server, path: str, body: dict) -> None:  # type: ignore[type-arg]
    """Thousands of generation steps or scoring windows; past --request-timeout the work stops
    (checked between steps and windows) and the answer says why."""
    r = post(hurried, path, body)
    assert r.status_code == 503
    assert r.json()["detail"] == ("the request ran past this server's request timeout of 5 s (serve --request-timeout) "
                                  "and was stopped")
    assert post(hurried, "/score", SMALL).status_code == 200


# --- the client of check --server keeps within them ---------------------------------------------

def test_the_remote_scorer_splits_batches_past_the_token_limit(limited: Server) -> None:
    """32 texts of ~120 tokens are over 2,000 tokens: the client halves the batch until each
    request fits; one text that alone is over gets the server's reason as its error."""
    from entropy_lint.model.remote import RemoteScorer
    from entropy_lint.model.scoring import ScoringSettings

    texts = [f"x{i} = {i}\n" * 20 for i in range(40)] + ["y = 2\n" * 1200]
    records = RemoteScorer(limited.url, ScoringSettings()).score(texts)
    assert [r.error for r in records[:40]] == [None] * 40 and all(r.scored.all() for r in records[:40])
    error = records[40].error or ""
    assert error.startswith("the server did not score this text: this request needs ") and "--max-tokens-scored" in error


def test_the_remote_scorer_waits_for_a_busy_server(hurried: Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """503 with Retry-After: the client sleeps as asked (the real sleep, recorded) and asks again."""
    from entropy_lint.model import remote
    from entropy_lint.model.scoring import ScoringSettings

    waits: list[float] = []
    real_sleep = time.sleep
    monkeypatch.setattr(remote.time, "sleep", lambda s: (waits.append(s), real_sleep(s)))
    scorer = remote.RemoteScorer(hurried.url, ScoringSettings())
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        holder = pool.submit(hold_the_model, hurried)
        while not waits and not holder.done():
            (record,) = scorer.score(["x = 1\n"])
            assert record.error is None and record.scored.all()
        holder.result()
    assert waits and set(waits) == {1.0}
