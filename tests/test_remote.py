"""``check --server``'s client half: the /score wire format and every way a reply can go wrong,
against a real HTTP server on a loopback port."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import numpy as np
import pytest

from entropy_lint.errors import ModelError
from entropy_lint.model import wire
from entropy_lint.model.remote import RemoteScorer, server_identity
from entropy_lint.model.scoring import ScoringSettings, TokenScores, empty_scores

TEXT = "strcpy(d, s);\n"


def scores() -> TokenScores:
    rec = empty_scores(TEXT, np.array([5, 6, 7]), np.array([[0, 3], [3, 6], [6, 14]]), 2)
    rec.scored[[0, 2]] = True
    rec.logprob[[0, 2]] = [-0.5, -2.0]
    rec.entropy[[0, 2]] = [1.25, float("nan")]
    rec.rank[[0, 2]] = [1, 3]
    rec.top_ids[[0, 2]] = [[5, 9], [8, 7]]
    rec.top_probs[[0, 2]] = [[0.6, 0.1], [0.3, 0.13]]
    rec.alternatives[[0, 2]] = [["str", "mem"], ["(", ";"]]
    rec.meta["window"] = 4096
    return rec


def test_the_wire_format_round_trips() -> None:
    original = scores()
    payload = json.loads(json.dumps(wire.encode([original], "m", "id")))  # through real JSON: NaN travels as null
    assert payload["model"] == "m" and payload["identity"] == "id"
    (back,) = wire.decode([TEXT], payload, 2)
    for name in ("token_ids", "starts", "ends", "scored", "rank", "top_ids"):
        np.testing.assert_array_equal(getattr(back, name), getattr(original, name))
    for name in ("logprob", "entropy", "top_probs"):
        np.testing.assert_allclose(getattr(back, name), getattr(original, name), equal_nan=True)
    assert back.top_tokens.tolist() == original.top_tokens.tolist() and back.meta == {"window": 4096}


@pytest.mark.parametrize("payload", [{}, {"results": []}, {"results": [{"token_ids": [1]}]},
                                     {"results": [{"token_ids": [1, 2], "starts": [0], "ends": [1], "error": None,
                                                   "scored": []}]}])
def test_malformed_payloads_are_value_errors(payload: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        wire.decode([TEXT], payload, 2)


class Canned(BaseHTTPRequestHandler):
    replies: dict[str, tuple[int, bytes]] = {}

    def _reply(self) -> None:
        status, body = self.replies.get(self.path, (404, b'{"detail": "not found"}'))
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
        self._reply()

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._reply()

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture()
def canned() -> Iterator[tuple[str, dict[str, tuple[int, bytes]]]]:
    replies: dict[str, tuple[int, bytes]] = {}
    handler = type("Handler", (Canned,), {"replies": replies})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", replies
    httpd.shutdown()
    httpd.server_close()


def test_scores_come_back_as_records_and_the_identity_is_the_servers(canned) -> None:  # type: ignore[no-untyped-def]
    url, replies = canned
    replies["/health"] = (200, json.dumps({"identity": "alias:x@1|cpu|auto"}).encode())
    replies["/score"] = (200, json.dumps(wire.encode([scores()], "tiny", "alias:x@1|cpu|auto|w4096-c1024-k2")).encode())
    scorer = RemoteScorer(url, ScoringSettings(top_k=2))
    assert scorer.identity == "alias:x@1|cpu|auto|w4096-c1024-k2"
    (rec,) = scorer.score([TEXT])
    assert scorer.name == "tiny" and rec.scored.tolist() == [True, False, True]


@pytest.mark.parametrize("path,status,body,words", [
    ("/health", 200, b"<html>proxy login</html>", "not JSON"),
    ("/health", 200, b"[1, 2]", "not an object"),
    ("/health", 200, b"{}", "did not say which model"),
    ("/health", 503, b'{"status": "loading"}', "answered 503 to /health"),
])
def test_every_bad_reply_is_one_sentence(canned, path: str, status: int, body: bytes, words: str) -> None:  # type: ignore[no-untyped-def]
    url, replies = canned
    replies[path] = (status, body)
    with pytest.raises(ModelError, match=words):
        server_identity(url)


def test_a_bad_score_reply_is_one_sentence(canned) -> None:  # type: ignore[no-untyped-def]
    url, replies = canned
    replies["/health"] = (200, b'{"identity": "i"}')
    replies["/score"] = (200, b'{"model": "m", "results": [{"token_ids": "oops"}]}')
    with pytest.raises(ModelError, match="cannot read"):
        RemoteScorer(url, ScoringSettings()).score([TEXT])


def test_an_unreachable_server_is_one_sentence() -> None:
    with pytest.raises(ModelError, match="cannot be reached"):
        server_identity("http://127.0.0.1:9", timeout=5)


def test_the_cache_key_of_a_server_follows_the_model_it_reports(canned) -> None:  # type: ignore[no-untyped-def]
    from entropy_lint.model.choice import RemoteModel

    url, replies = canned
    source = RemoteModel(url, ScoringSettings(top_k=2))
    replies["/health"] = (200, b'{"identity": "alias:smollm2-135m@aa|auto|auto"}')
    before = source.identity()
    replies["/health"] = (200, b'{"identity": "hub:Qwen/Qwen2.5-Coder-1.5B-Instruct@bb|cuda|bfloat16"}')
    after = source.identity()
    assert before != after and after.startswith("hub:Qwen/") and after.endswith("|w4096-c1024-k2")
