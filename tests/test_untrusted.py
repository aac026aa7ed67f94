"""The linted tree is hostile input: nothing outside it is read, nothing hangs, crashes or passes
unanalysed code silently, and the repository cannot supply its own results."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from entropy_lint.front.cli import main


def check(*args: str, cwd: Path, stdin: bytes | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "entropy_lint", "check", *args], cwd=cwd, input=stdin,
                          capture_output=True, timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(errors="replace"),
                                       proc.stderr.decode(errors="replace"))


def sarif_run(proc: subprocess.CompletedProcess[str]) -> dict:  # type: ignore[type-arg]
    return json.loads(proc.stdout)["runs"][0]  # type: ignore[no-any-return]


@pytest.fixture()
def secret(tmp_path: Path) -> Path:
    """A file outside the scanned tree that a committed link points at."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.py").write_text("TOKEN = 'do-not-leak'\nimport os\nos.system(TOKEN + input())\n")
    return outside / "secret.py"


@pytest.mark.parametrize("in_git", [False, True])
def test_a_link_out_of_the_tree_is_not_read_and_fails_closed(tmp_path: Path, secret: Path, in_git: bool) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "ok.py").write_text("x = 1\n")
    (repo / "leak.py").symlink_to(secret)
    if in_git:
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
    for args in ([".", "--format", "sarif"], ["leak.py", "--format", "sarif"]):
        proc = check(*args, "--no-model", cwd=repo)
        assert proc.returncode == 2 and "do-not-leak" not in proc.stdout + proc.stderr
        assert "leak.py: symbolic link to" in proc.stderr and "not followed" in proc.stderr
        run = sarif_run(proc)
        assert run["invocations"][0]["executionSuccessful"] is False and run["results"] == []
        (notice,) = run["invocations"][0]["toolExecutionNotifications"]
        assert notice["level"] == "error"
    html = check(".", "--no-model", "--format", "html", "-o", "r.html", cwd=repo)
    assert html.returncode == 2 and "do-not-leak" not in (repo / "r.html").read_text()
    allowed = check(".", "--no-model", "--allow-unanalysed", cwd=repo)
    assert allowed.returncode == 0 and "leak.py" in allowed.stderr
    followed = check(".", "--no-model", "--follow-symlinks", cwd=repo)
    assert followed.returncode == 1 and "leak.py:3:1: error" in followed.stdout


def test_links_inside_the_tree_are_followed(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "real.py").write_text("eval(x)\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "alias.py").symlink_to(tmp_path / "lib" / "real.py")
    proc = check("src/alias.py", "--no-model", cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout.startswith("src/alias.py:1:1: error")


def test_devices_fifos_and_loops_never_hang_or_crash(tmp_path: Path) -> None:
    (tmp_path / "zero.py").symlink_to("/dev/zero")
    os.mkfifo(tmp_path / "pipe.py")
    (tmp_path / "a.py").symlink_to(tmp_path / "b.py")
    (tmp_path / "b.py").symlink_to(tmp_path / "a.py")
    (tmp_path / "good.py").write_text("eval(x)\n")
    for args in (["."], ["zero.py", "pipe.py", "a.py", "good.py"], ["--follow-symlinks", "."]):
        proc = check(*args, "--no-model", cwd=tmp_path, timeout=60)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
        assert "good.py:1:1: error" in proc.stdout
        assert "pipe.py: a FIFO, not a regular file" in proc.stderr
        assert "a.py: symbolic link that cannot be resolved" in proc.stderr
    assert "zero.py: a device, not a regular file" in check("--follow-symlinks", "zero.py", "--no-model", cwd=tmp_path).stderr


def test_a_project_file_cannot_choose_the_results_cache(tmp_path: Path) -> None:
    (tmp_path / "run.py").write_text("import os\nos.system(user_input)\n")
    (tmp_path / ".entropy-lint.toml").write_text('cache-dir = ".precomputed"\n')
    proc = check("run.py", "--no-model", cwd=tmp_path)
    assert proc.returncode == 2 and "'cache-dir'" in proc.stderr and "not allowed" in proc.stderr
    assert not (tmp_path / ".precomputed").exists()


@pytest.mark.parametrize("name,data", [
    ("latin1.py", "# -*- coding: latin-1 -*-\nname = 'caf\u00e9' + input()\neval(name)\n".encode("latin-1")),
    ("cookie2.py", "#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\ns = '\u20ac' + input()\neval(s)\n".encode("cp1252")),
    ("nul.js", b"// a NUL \x00 in a comment\nconst s = 'x' + location.hash;\neval(s);\n"),
    ("utf16.py", "\ufeffx = input()\neval(x)\n".encode("utf-16-le")),
    ("utf16be.py", "\ufeffx = input()\neval(x)\n".encode("utf-16-be")),
    ("utf32.py", "\ufeffx = input()\neval(x)\n".encode("utf-32-le")),
])
def test_files_are_decoded_as_their_language_reads_them(tmp_path: Path, name: str, data: bytes) -> None:
    (tmp_path / name).write_bytes(data)
    proc = check(name, "--no-model", cwd=tmp_path)
    assert proc.returncode == 1 and f"{name}:" in proc.stdout and "EL-" in proc.stdout, proc.stderr
    line = int(proc.stdout.split(":")[1])
    assert line == data.decode("utf-8", "replace").count("\n") or line >= 2


@pytest.mark.parametrize("name,data,words", [
    ("blob.py", b"\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00", "binary file"),
    ("bad.py", "# coding: ascii\nx = '\u00e9'\n".encode("utf-8"), "not valid ascii (its coding declaration)"),
    ("latin.js", "const s = 'caf\u00e9';\n".encode("latin-1"), "not UTF-8 text"),
    ("big.py", b"x = 1\n" * 200, "over the size limit"),
])
def test_a_file_that_cannot_be_analysed_fails_the_run(tmp_path: Path, name: str, data: bytes, words: str) -> None:
    (tmp_path / name).write_bytes(data)
    (tmp_path / "other.py").write_text("eval(x)\n")
    proc = check(".", "--no-model", "--max-file-size", "1000", "--fail-on", "none", "--format", "sarif", cwd=tmp_path)
    assert proc.returncode == 2 and f"entropy-lint: error: {name}: " in proc.stderr and words in proc.stderr
    run = sarif_run(proc)
    assert [r["ruleId"] for r in run["results"]] == ["EL-PY-EVAL"]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert check(".", "--no-model", "--max-file-size", "1000", "--fail-on", "none", "--allow-unanalysed",
                 cwd=tmp_path).returncode == 0


def test_allow_unanalysed_can_come_from_the_project_file(tmp_path: Path) -> None:
    (tmp_path / "blob.py").write_bytes(b"\x00\x01\x02\x03" * 10)
    (tmp_path / ".entropy-lint.toml").write_text("allow-unanalysed = true\n")
    proc = check(".", "--no-model", cwd=tmp_path)
    assert proc.returncode == 0 and "blob.py: binary file" in proc.stderr


def test_unknown_extensions_stay_silent_in_walks(tmp_path: Path) -> None:
    (tmp_path / "data.bin").write_bytes(b"\x00\x01")
    (tmp_path / "notes.txt").write_text("eval(x)\n")
    proc = check(".", "--no-model", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stderr == "entropy-lint: 0 findings in 0 files\n"


def test_an_empty_pyvenv_cfg_hides_nothing_and_tracked_dependency_folders_are_said(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "pyvenv.cfg").write_text("")
    (tmp_path / "app" / "run.py").write_text("eval(x)\n")
    (tmp_path / "node_modules" / "m").mkdir(parents=True)
    (tmp_path / "node_modules" / "m" / "i.js").write_text("eval(x);\n")
    proc = check(".", "--no-model", cwd=tmp_path)
    assert proc.returncode == 1 and proc.stdout.startswith("app/run.py:1:1")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "add", "-f", "."], check=True)
    proc = check(".", "--no-model", cwd=tmp_path)
    assert "node_modules: 1 tracked file skipped" in proc.stderr and "app/run.py:1:1" in proc.stdout


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_lines_are_counted_as_editors_do(tmp_path: Path, newline: str) -> None:
    code = newline.join(["x = 1\f", "y = '\u2028' + input()", "eval(x)  # entropy-lint: ignore", "# entropy-lint: ignore",
                         "", "exec(y)", ""])
    (tmp_path / "a.py").write_bytes(code.encode())
    proc = check("a.py", "--no-model", cwd=tmp_path)
    assert proc.stdout.splitlines() == ["a.py:6:1: error: exec: exec() runs a string as Python code [EL-PY-EXEC]"]


def test_file_names_that_are_not_utf8_are_reported_not_crashed_on(tmp_path: Path) -> None:
    name = os.fsdecode(b"caf\xe9.py")
    (tmp_path / name).write_text("eval(x)\n")
    shown = {"sarif": "caf%5Cxe9.py", "html": "caf\\xe9.py", "json": json.dumps("caf\\xe9.py"), "text": "caf\\xe9.py"}
    for fmt, expected in shown.items():
        proc = check(".", "--no-model", "--format", fmt, "-o", f"out.{fmt}", cwd=tmp_path)
        assert proc.returncode == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert expected in (tmp_path / f"out.{fmt}").read_text(encoding="utf-8"), fmt


def test_a_project_file_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_bytes(b"[tool.entropy-lint]\nmodel = '\xff'\n")
    (tmp_path / "a.py").write_text("x = 1\n")
    proc = check("a.py", "--no-model", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "not UTF-8" in proc.stderr


def test_standard_input_is_bounded_and_needs_a_language(tmp_path: Path) -> None:
    big = check("--stdin", "--no-model", "--language", "python", "--max-file-size", "100", cwd=tmp_path,
                stdin=b"x = 1\n" * 100)
    assert big.returncode == 2 and "over the size limit of 100 bytes" in big.stderr
    blind = check("--stdin", "--no-model", cwd=tmp_path, stdin=b"eval(x)\n")
    assert blind.returncode == 2 and "cannot tell the language of standard input" in blind.stderr
    named = check("--stdin", "--stdin-filename", "x.py", "--no-model", cwd=tmp_path, stdin=b"eval(x)\n")
    assert named.returncode == 1


def test_an_unexpected_error_is_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    import entropy_lint.run.check as run_check

    def broken(*_args: object, **_kw: object) -> None:
        raise RuntimeError("something nobody foresaw\nsecond line")

    monkeypatch.setattr(run_check, "check", broken)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.py").write_text("x = 1\n")
    assert main(["check", "a.py", "--no-model"]) == 2
    assert capsys.readouterr().err == ("entropy-lint: internal error: RuntimeError: something nobody foresaw "
                                       "(run with --debug for the traceback)\n")
    with pytest.raises(RuntimeError):
        main(["check", "a.py", "--no-model", "--debug"])


@pytest.mark.model
def test_score_never_blocks_on_a_fifo(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.c")
    proc = subprocess.run([sys.executable, "-m", "entropy_lint", "score", "pipe.c"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2 and "pipe.c: a FIFO, not a regular file" in proc.stderr
