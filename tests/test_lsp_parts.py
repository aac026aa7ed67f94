"""The language server's pure parts: positions in each encoding, the hover's words, and the
suppression comment (checked by linting the edited text with the real rules)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from entropy_lint.findings import Finding, Metrics, TokenView
from entropy_lint.front.lsp_convert import Positions, choose_encoding, path_to_uri, units, uri_to_path
from entropy_lint.front.lsp_suppress import suppression
from entropy_lint.front.lsp_text import CAVEAT, code, escape, hover
from entropy_lint.rules import by_id
from entropy_lint.run.check import Target, check
from entropy_lint.run.config import Config

# --- positions ------------------------------------------------------------------------------


def test_encoding_is_the_clients_first_choice_we_speak_else_utf16() -> None:
    assert choose_encoding(["utf-8", "utf-16"]) == "utf-8"
    assert choose_encoding(["latin-1", "utf-32"]) == "utf-32"
    assert choose_encoding(["latin-1"]) == "utf-16"
    assert choose_encoding(None) == "utf-16"


@pytest.mark.parametrize(("encoding", "column"), [("utf-16", 11), ("utf-8", 14), ("utf-32", 10)])
def test_an_astral_character_counts_as_the_client_counts_it(encoding: str, column: int) -> None:
    text = 'x = "😀é"; os.system(a)\n'  # U+1F600: 2 UTF-16 units, 4 UTF-8 bytes; é: 1 and 2
    positions = Positions(text, encoding)  # type: ignore[arg-type]
    assert positions.client(1, text.index("os") + 1) == (0, column)
    assert positions.offset(0, column) == text.index("os")


def test_client_positions_are_clamped() -> None:
    text = "ab😀c\r\nd\re\n"
    positions = Positions(text, "utf-16")
    assert positions.offset(0, 3) == 2  # inside the surrogate pair: the character's start
    assert positions.offset(0, 99) == 4  # past the line's end: the line's end, before CRLF
    assert positions.offset(1, 0) == text.index("d") and positions.offset(2, 0) == text.index("e")  # a lone CR ends a line
    assert positions.offset(3, 0) == len(text)  # the empty line after the last break
    assert positions.offset(99, 5) == len(text) and positions.offset(-3, -1) == 0
    assert Positions(text, "utf-8").offset(0, 4) == 2  # inside the UTF-8 bytes of 😀


def test_form_feed_and_line_separator_do_not_end_lines() -> None:
    text = "a\x0cb\u2028c = 1\nd"
    positions = Positions(text, "utf-16")
    assert positions.client_at(text.index("d")) == (1, 0)
    assert positions.client_at(text.index("c")) == (0, 4)


@given(st.lists(st.sampled_from(["a", "é", "😀", "\n", "\r", "\r\n", "\t", "\u2028", "𐐷"]), max_size=40).map("".join),
       st.sampled_from(["utf-8", "utf-16", "utf-32"]))
def test_every_offset_survives_a_round_trip(text: str, encoding: str) -> None:
    positions = Positions(text, encoding)  # type: ignore[arg-type]
    for offset in range(len(text) + 1):
        if offset and text[offset - 1] == "\r" and text[offset : offset + 1] == "\n":
            continue  # between CR and LF is no position at all
        line, character = positions.client_at(offset)
        assert positions.offset(line, character) == offset
        before = text[: offset]
        assert character == units(re.split(r"\r\n|\r|\n", before)[-1], encoding)  # type: ignore[arg-type]


def test_file_uris() -> None:
    assert uri_to_path("file:///tmp/a%20b/c%23.py") == "/tmp/a b/c#.py"
    assert uri_to_path("untitled:Untitled-1") is None
    assert uri_to_path(path_to_uri("/tmp/x y/é.py")) == "/tmp/x y/é.py"


# --- the hover ------------------------------------------------------------------------------

def finding(tokens: tuple[TokenView, ...] = (), surprisal: float | None = 14.5) -> Finding:
    metrics = Metrics("smollm2-135m", 1.0, 1.9, 0.4, tokens, call_entropy_mean=1.4, call_surprisal=surprisal,
                      call_tokens=8) if tokens else None
    return Finding("EL-PY-OS-SYSTEM", "error", "a.py", 4, 5, 4, 26, (40, 61), (43, 49), "os.system",
                   "os.system(user_input)", "f:1", metrics=metrics)


def test_the_hover_shows_each_token_and_says_what_the_numbers_are() -> None:
    tokens = (TokenView("system", 0.466, 1.9, 1, (("system", 0.466), ("environ", 0.324))),)
    text = hover(finding(tokens), by_id()["EL-PY-OS-SYSTEM"], "scored")
    assert "| `system` | 0.466 | 1.90 | 1 | `system` 0.466, `environ` 0.324 |" in text
    assert "surprisal 14.50 nats over 8 tokens" in text
    assert CAVEAT in text and "not a verdict" in CAVEAT
    assert "[CWE-78](https://cwe.mitre.org/data/definitions/78.html)" in text
    plain = hover(finding(tokens), by_id()["EL-PY-OS-SYSTEM"], "scored", markdown=False)
    assert "system: p=0.466, entropy 1.90 nats, rank 1; expected system 0.466, environ 0.324" in plain
    assert "`" not in plain and "|" not in plain


def test_the_hover_shows_the_best_fix_and_its_delta() -> None:
    from entropy_lint.findings import Fix, Replacement

    tokens = (TokenView("system", 0.466, 1.9, 1, (("system", 0.466),)),)
    call = Replacement(40, 61, 4, 5, 4, 26, "subprocess.run(shlex.split(user_input))")
    fixes = (Fix("subprocess.run(shlex.split(...)): no shell", "review", -2.345, (call,), "subprocess.run(shlex.split(user_input))"),
             Fix("other", "safe", None, (call,), "x"))
    text = hover(replace(finding(tokens), fixes=fixes), by_id()["EL-PY-OS-SYSTEM"], "scored")
    assert ("**Best fix** (review: changes behaviour): subprocess\\.run\\(shlex\\.split\\(\\.\\.\\.\\)\\): no shell "
            "→ `subprocess.run(shlex.split(user_input))`; Δ -2.35 nats: 2.35 nats more expected here than what was "
            "written.") in text


@pytest.mark.parametrize(("status", "words"), [("pending", "follow when scoring finishes"),
                                               ("no-model", "Rules only (--no-model)"),
                                               ("unavailable", "could not score")])
def test_the_hover_before_or_without_scores(status: str, words: str) -> None:
    assert words in hover(finding(), by_id()["EL-PY-OS-SYSTEM"], status)  # type: ignore[arg-type]


def test_hostile_token_text_cannot_inject_markdown() -> None:
    assert code("a`b") == "``a`b``"
    assert code("`x") == "`` `x ``"
    assert code("a|b", in_table=True) == "`a\\|b`"
    assert code(" os\n") == "`' os\\n'`"
    assert code("\u202e") == "`'\\u202e'`"  # a bidi override is shown, not obeyed
    assert escape("prints [x](http://e) <img>") == "prints \\[x\\]\\(http://e\\) \\<img\\>"
    tokens = (TokenView("|`![i](http://x)", 0.1, 2.0, 3, (("\n</table>", 0.5),)),)
    text = hover(finding(tokens), by_id()["EL-PY-OS-SYSTEM"], "scored")
    row = next(line for line in text.splitlines() if line.startswith("| ``"))
    assert row.count(" | ") == 4  # the table keeps its five cells
    assert "](http://x)" not in text.replace("``\\|`![i](http://x)``", "")


# --- suppression ------------------------------------------------------------------------------

def findings_of(text: str, language: str) -> list[str]:
    report = check(Config(use_model=False, cache=False), Target(text=text, filename="x", language=language))
    return [f.rule_id for f in report.findings]


@pytest.mark.parametrize(("language", "text", "line", "expected"), [
    ("python", "import os\nos.system(x)\n", 2, "import os\nos.system(x)  # entropy-lint: ignore[EL-PY-OS-SYSTEM]\n"),
    ("python", "import os\nos.system(x)  # noqa: S605\n", 2,
     "import os\nos.system(x)  # noqa: S605  # entropy-lint: ignore[EL-PY-OS-SYSTEM]\n"),
    ("python", "import os\nos.system(x)  # entropy-lint: ignore[EL-PY-EVAL]\n", 2,
     "import os\nos.system(x)  # entropy-lint: ignore[EL-PY-EVAL, EL-PY-OS-SYSTEM]\n"),
    ("python", "import os\ny = os.system(x) + \\\n    1\n", 2,  # after a backslash, a comment would end the statement
     "import os\n# entropy-lint: ignore[EL-PY-OS-SYSTEM]\ny = os.system(x) + \\\n    1\n"),
    ("python", "import os\r\nif x:\r\n\tos.system(x) \\\r\n\t\t; y = 1\r\n", 3,
     "import os\r\nif x:\r\n\t# entropy-lint: ignore[EL-PY-OS-SYSTEM]\r\n\tos.system(x) \\\r\n\t\t; y = 1\r\n"),
    ("javascript", "const t = `${eval(a)}\nmore`;\n", 1, "// entropy-lint: ignore[EL-JS-EVAL]\nconst t = `${eval(a)}\nmore`;\n"),
    ("c", 'void f(void) {\n  system("ls \\\n-l");\n}\n', 2,  # the line ends inside a string
     'void f(void) {\n  // entropy-lint: ignore[EL-C-SYSTEM]\n  system("ls \\\n-l");\n}\n'),
    ("php", "<?php\nsystem($cmd); /* keep */\n", 2, "<?php\nsystem($cmd); /* keep */  // entropy-lint: ignore[EL-PHP-EXEC]\n"),
])
def test_a_suppression_comment_hides_the_finding_and_keeps_the_code(language: str, text: str, line: int,
                                                                   expected: str) -> None:
    (rule,) = set(findings_of(text, language))
    edit = suppression(text, language, rule, line)
    assert edit is not None and edit.apply(text) == expected
    assert findings_of(expected, language) == []


@pytest.mark.parametrize(("language", "text", "line"), [
    ("python", 's = """abc\n""" + os.system("a\\\nb")\n', 2),  # both places are inside strings
    ("tsx", "const a = <div>\n  {eval(x)}\n</div>;\n", 2),  # JSX text, not a comment
    ("ruby", "x = <<~EOS\n  #{system(a)}\nEOS\n", 2),  # a heredoc's body
])
def test_no_suppression_where_a_comment_would_change_the_code(language: str, text: str, line: int) -> None:
    assert suppression(text, language, "EL-X", line) is None


def test_only_the_language_server_imports_pygls() -> None:
    import ast
    from pathlib import Path

    import entropy_lint

    package = Path(entropy_lint.__file__).parent
    importers: dict[str, set[str]] = {"pygls": set(), "lsprotocol": set()}
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            for name in names:
                if name.split(".")[0] in importers:
                    importers[name.split(".")[0]].add(path.relative_to(package).as_posix())
    assert importers["pygls"] == {"front/lsp.py", "front/lsp_protocol.py"}
    assert importers["lsprotocol"] == {"front/lsp.py", "front/lsp_records.py", "front/lsp_workspace.py"}
