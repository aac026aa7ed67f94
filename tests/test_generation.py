"""Prompt mode's pure helpers: decoded pieces, keyword spans, code blocks and language guesses;
and the same pieces with the real small model's tokenizer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from entropy_lint.prompt.generation import (
    GeneratedToken, code_blocks, code_findings, decoded_pieces, guess_language, keyword_spans, mark_risky, metadata,
)


class ByteTokenizer:
    """A byte-level vocabulary, as GPT-2-style tokenizers have: a multi-byte character can be split
    across tokens, and decoding a prefix that ends inside one gives U+FFFD."""

    def __init__(self, pieces: Sequence[bytes]) -> None:
        self.pieces = list(pieces)

    def decode(self, ids: Sequence[int], **_kw: object) -> str:
        return b"".join(self.pieces[i] for i in ids).decode("utf-8", "replace")


def test_pieces_concatenate_to_the_whole_and_a_split_character_goes_to_its_last_token() -> None:
    smile = "\U0001f600".encode()
    tok = ByteTokenizer([b"x = ", smile[:2], smile[2:], b" + str", b"cpy"])
    pieces = decoded_pieces(tok, [0, 1, 2, 3, 4])
    assert pieces == ["x = ", "", "\U0001f600", " + str", "cpy"]
    assert "".join(pieces) == tok.decode([0, 1, 2, 3, 4])


def test_keywords_match_whole_identifiers_only() -> None:
    text = "os.system(x); filesystem; system_call; strcpy(a, b)"
    assert keyword_spans(text, ["system", "strcpy", ""]) == [(3, 9), (39, 45)]


def test_a_keyword_split_across_tokens_marks_every_token_it_overlaps() -> None:
    tokens = [GeneratedToken("str", entropy=1.0, prob=0.5, start=0, end=3),
              GeneratedToken("cpy", entropy=0.2, prob=0.9, start=3, end=6),
              GeneratedToken("(a)", entropy=0.1, prob=0.9, start=6, end=9)]
    mark_risky(tokens, "strcpy(a)", ["strcpy"])
    assert [t.is_risky for t in tokens] == [True, True, False]
    assert metadata(tokens)["risky_tokens_count"] == 2 and metadata([])["total_tokens"] == 0


def test_code_blocks_know_fence_names_and_fall_back_to_the_whole_text() -> None:
    text = "Here:\n```py\nimport os\n```\nand\n```golang\nfunc f() {}\n```\n```\nplain\n```"
    blocks = code_blocks(text)
    assert [(lang, code) for lang, _at, code in blocks] == [("python", "import os\n"), ("go", "func f() {}\n"), (None, "plain\n")]
    assert all(text[at : at + len(code)] == code for _lang, at, code in blocks)
    assert code_blocks("no fences here") == [(None, 0, "no fences here")]


@pytest.mark.parametrize("code,language", [
    ("#include <stdio.h>\nint main() {}", "c"), ("import os\nos.system(x)", "python"), ("<?php echo 1;", "php"),
    ("package main\nfunc main() {}", "go"), ("const x = require('fs')", "javascript"), ("hello world", None),
])
def test_unlabelled_code_is_guessed_or_left_alone(code: str, language: str | None) -> None:
    assert guess_language(code) == language


def test_findings_in_generated_code_carry_the_tokens_that_wrote_the_callee() -> None:
    text = "Use:\n```python\nimport os\nos.system(cmd)\n```\n"
    at = text.index("system")
    tokens = [GeneratedToken(text[:at], entropy=0.1, prob=0.9, start=0, end=at),
              GeneratedToken("system", entropy=3.2, prob=0.05, start=at, end=at + 6),
              GeneratedToken(text[at + 6 :], entropy=0.1, prob=0.9, start=at + 6, end=len(text))]
    (finding,) = code_findings(text, tokens)
    assert finding["rule_id"] == "EL-PY-OS-SYSTEM" and finding["block"] == 1 and finding["line"] == 2
    assert finding["model"]["name"] == "generation" and finding["model"]["callee"]["min_prob"] == 0.05
    assert [t["text"] for t in finding["model"]["callee_tokens"]] == ["system"]


@pytest.mark.model
def test_pieces_with_the_real_tokenizer(small_model) -> None:  # type: ignore[no-untyped-def]
    tok = small_model.tokenizer
    text = "def café():\n    return strcpy('\U0001f600')  # done\n"
    ids = tok(text, add_special_tokens=False).input_ids
    pieces = decoded_pieces(tok, ids)
    assert len(pieces) == len(ids) and "".join(pieces) == text


class Recorder:
    """A stream that keeps each write apart."""

    def __init__(self) -> None:
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return len(text)

    def flush(self) -> None:
        pass


@pytest.mark.model
def test_the_answer_streams_as_it_is_generated_and_the_scores_do_not_change(small_model) -> None:  # type: ignore[no-untyped-def]
    from entropy_lint.prompt.generation import GenerationRequest, run_generation

    request = GenerationRequest(prompt="Write a C function that copies a string", max_tokens=40)
    seen = Recorder()
    streamed = run_generation(small_model, request, echo=seen)  # type: ignore[arg-type]
    quiet = run_generation(small_model, request)
    assert len([w for w in seen.writes if w]) > 3  # word by word, not once at the end
    assert "".join(seen.writes) == streamed.text + "\n"
    assert streamed.text == quiet.text
    assert [(t.token, t.entropy, t.prob) for t in streamed.tokens] == [(t.token, t.entropy, t.prob) for t in quiet.tokens]


@pytest.mark.model
def test_analyze_streams_to_a_terminal_only(tmp_path: Path) -> None:
    import json
    import os
    import pty
    import subprocess
    import sys

    args = [sys.executable, "-m", "entropy_lint", "analyze", "--model", "smollm2-135m", "--max-tokens", "24", "-p",
            "Write a C function that copies a string"]
    master, slave = pty.openpty()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=slave, text=True, cwd=tmp_path)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    out = proc.communicate(timeout=600)[0]
    os.close(master)
    assert proc.returncode == 0
    answer = json.loads(out)["generated_text"]
    assert answer and answer.replace("\n", "\r\n") in shown.decode()  # a terminal shows LF as CRLF
    piped = subprocess.run(args, capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert piped.returncode == 0 and piped.stderr == "" and json.loads(piped.stdout)["generated_text"] == answer
