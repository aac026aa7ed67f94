"""The editor recipes in examples/editors, run exactly as the editors run them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.model  # the recipes run the small model
EDITORS = Path(__file__).resolve().parents[1] / "examples" / "editors"
CODE = "import os, pickle\n\ndef run(cmd, blob):\n    os.system(cmd)\n    return pickle.loads(blob)\n"
EXPECTED = [(4, 5, "error", "EL-PY-OS-SYSTEM"), (5, 12, "warning", "EL-PY-PICKLE")]


def entropy_lint(args: list[str], cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    assert args[0] == "entropy-lint"
    return subprocess.run([sys.executable, "-m", "entropy_lint", *args[1:]], cwd=cwd, input=stdin,
                          capture_output=True, text=True, env=os.environ.copy(), timeout=300)


def test_vscode_task_and_problem_matcher(tmp_path: Path) -> None:
    task = json.loads((EDITORS / "vscode" / "tasks.json").read_text())["tasks"][0]
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(CODE)
    args = [a.replace("${relativeFile}", "src/app.py") for a in [task["command"], *task["args"]]]
    proc = entropy_lint(args, tmp_path)
    assert proc.returncode == 0 and proc.stderr == ""
    pattern = task["problemMatcher"]["pattern"]
    regexp = re.compile(pattern["regexp"])
    matches = [regexp.match(line) for line in proc.stdout.splitlines()]
    assert all(matches)
    got = [(int(m.group(pattern["line"])), int(m.group(pattern["column"])), m.group(pattern["severity"]),
            m.group(pattern["code"])) for m in matches]  # type: ignore[union-attr]
    assert got == EXPECTED
    assert {m.group(pattern["file"]) for m in matches} == {"src/app.py"}  # type: ignore[union-attr]


def lua_args(text: str, buffer_name: str) -> list[str]:
    body = re.search(r"args = \{(.*?)\n  \}", text, re.S).group(1)  # type: ignore[union-attr]
    body = re.sub(r"function\(\) return vim\.api\.nvim_buf_get_name\(0\) end", repr(buffer_name), body)
    return re.findall(r"'([^']*)'", body)


def errorformat_to_regex(efm: str) -> list[tuple[re.Pattern[str], str]]:
    """Vim's errorformat items used here (%f %l %c %t %m) as Python regexes with the type letter."""
    out = []
    for item in efm.split(","):
        letter_word = re.search(r"%t(\w+)", item)
        regex = re.escape(item).replace("%f", "(?P<f>.+?)").replace("%l", r"(?P<l>\d+)").replace("%c", r"(?P<c>\d+)")
        regex = re.sub(r"%t(\w+)", lambda m: f"(?P<t>\\w){m.group(1)}", regex).replace("%m", "(?P<m>.*)")
        out.append((re.compile("^" + regex + "$"), letter_word.group(1) if letter_word else ""))
    return out


def test_neovim_nvim_lint_recipe(tmp_path: Path) -> None:
    text = (EDITORS / "entropy_lint.lua").read_text()
    buffer = str(tmp_path / "unsaved.py")
    args = lua_args(text, buffer)
    assert "--stdin" in args
    proc = entropy_lint([re.search(r"cmd = '([^']+)'", text).group(1), *args], tmp_path, stdin=CODE)  # type: ignore[union-attr]
    efm = re.search(r"from_errorformat\(\s*'([^']+)'", text).group(1)  # type: ignore[union-attr]
    parsed = []
    for line in proc.stdout.splitlines():
        for regex, _rest in errorformat_to_regex(efm):
            m = regex.match(line)
            if m:
                parsed.append((m.group("f"), int(m.group("l")), int(m.group("c")), m.group("t")))
                break
        else:
            raise AssertionError(f"errorformat did not match {line!r}")
    assert parsed == [(buffer, 4, 5, "e"), (buffer, 5, 12, "w")]


def test_emacs_flymake_and_compile_recipes(tmp_path: Path) -> None:
    text = (EDITORS / "entropy-lint.el").read_text()
    words = re.search(r"'\((\"entropy-lint\".*?)\)", text).group(1)  # type: ignore[union-attr]
    buffer = str(tmp_path / "buffer.py")
    args = [buffer if w == "FILE" else w.strip('"') for w in re.findall(r'"[^"]*"|FILE', words)]
    elisp_regexp = re.search(r'defconst entropy-lint-line-regexp\n  "(.*)"\)', text).group(1)  # type: ignore[union-attr]
    regexp = re.compile(elisp_regexp.replace("\\\\", "\\").replace(r"\(", "(").replace(r"\)", ")").replace(r"\|", "|")
                        .replace("[0-9]+", r"\d+"))
    proc = entropy_lint(args, tmp_path, stdin=CODE)
    got = [(int(m.group(2)), int(m.group(3)), m.group(4)) for m in map(regexp.match, proc.stdout.splitlines()) if m]
    assert got == [(line, col, level) for line, col, level, _ in EXPECTED]
    # M-x compile: compilation-mode's gnu pattern, FILE:LINE:COL: LEVEL: ...
    (tmp_path / "buffer.py").write_text(CODE)
    compiled = entropy_lint(["entropy-lint", "check", "buffer.py", "--model", "smollm2-135m", "--quiet"], tmp_path)
    gnu = re.compile(r"^(?P<file>[^:\n]+):(?P<line>[0-9]+):(?P<col>[0-9]+): (?:(?P<warning>warning)|(?P<info>note)|error):")
    assert [gnu.match(line) is not None for line in compiled.stdout.splitlines()] == [True, True]
