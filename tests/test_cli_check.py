"""``entropy-lint check`` end to end: exit codes, bad input, recursion, stdin, output files."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<level>error|warning|note): (?P<msg>.*) \[(?P<rule>EL-[A-Z0-9-]+)\]$")


def check(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "entropy_lint", "check", *args], cwd=cwd, input=stdin,
                          capture_output=True, env=os.environ.copy(), timeout=600)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def test_exit_codes(tmp_path: Path) -> None:
    (tmp_path / "clean.py").write_text("print('hello')\n")
    (tmp_path / "risky.py").write_text("import os\nos.system(cmd)\n")
    (tmp_path / "rand.py").write_text("import ftplib\nftp = ftplib.FTP(host)\n")  # a note
    assert check("clean.py", "--no-model", cwd=tmp_path).returncode == 0
    assert check("risky.py", "--no-model", cwd=tmp_path).returncode == 1
    assert check("risky.py", "--no-model", "--fail-on", "none", cwd=tmp_path).returncode == 0
    assert check("rand.py", "--no-model", cwd=tmp_path).returncode == 0  # a note is below the default fail-on
    assert check("rand.py", "--no-model", "--fail-on", "note", cwd=tmp_path).returncode == 1
    missing = check("clean.py", "nope.py", "--no-model", cwd=tmp_path)
    assert missing.returncode == 2 and "nope.py: no such file or directory" in missing.stderr
    usage = check("clean.py", "--min-level", "loud", cwd=tmp_path)
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    assert check("clean.py", "--select", "EL-NOPE", "--no-model", cwd=tmp_path).returncode == 2


def test_bad_files_get_one_line_each_and_the_rest_is_linted(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text("eval(x)\n")
    (tmp_path / "binary.py").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "latin1.py").write_bytes("x = 'caf\u00e9'\n".encode("latin-1"))
    (tmp_path / "empty.py").write_text("")
    (tmp_path / "big.py").write_text("x = 1\n" * 100)
    (tmp_path / "notes.txt").write_text("eval(x)\n")
    (tmp_path / "dangling.py").symlink_to(tmp_path / "gone.py")
    names = ["good.py", "binary.py", "latin1.py", "empty.py", "big.py", "notes.txt", "dangling.py"]
    proc = check(*names, "--no-model", "--max-file-size", "300", "--format", "sarif", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr  # .py files that could not be analysed fail the run (fail closed)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    levels = {}
    for name, words, level in [("binary.py", "binary file", "error"), ("latin1.py", "not UTF-8", "error"),
                               ("empty.py", "empty file", "note"), ("big.py", "over the size limit", "error"),
                               ("notes.txt", "unsupported file type", "warning"),
                               ("dangling.py", "broken symbolic link", "error")]:
        prefix = f"entropy-lint: {'error: ' if level == 'error' else ''}{name}: "
        assert sum(line.startswith(prefix) and words in line for line in lines) == 1, (name, lines)
        levels[name] = level
    run = json.loads(proc.stdout)["runs"][0]
    assert [r["ruleId"] for r in run["results"]] == ["EL-PY-EVAL"]
    assert run["invocations"][0]["executionSuccessful"] is False
    noted = {n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: n["level"]
             for n in run["invocations"][0]["toolExecutionNotifications"]}
    assert noted == levels
    allowed = check(*names, "--no-model", "--max-file-size", "300", "--allow-unanalysed", cwd=tmp_path)
    assert allowed.returncode == 1 and allowed.stdout.startswith("good.py:1:1: error")


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file whatever its mode")
def test_unreadable_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.py"
    secret.write_text("eval(x)\n")
    secret.chmod(0)
    proc = check("secret.py", "--no-model", cwd=tmp_path)
    assert "secret.py: cannot be read" in proc.stderr and "Traceback" not in proc.stderr


def test_a_file_whose_read_fails_is_reported(tmp_path: Path) -> None:
    from entropy_lint.run.sources import SourceError, read_source

    if not Path("/proc/self/mem").exists():
        pytest.skip("needs Linux's /proc/self/mem, a file whose read fails")
    with pytest.raises(SourceError, match="cannot be read"):
        read_source(Path("/proc/self/mem"))


def test_directories_recurse_skipping_vcs_virtualenvs_node_modules_and_ignored(tmp_path: Path) -> None:
    for rel in ["src/a.py", "src/deep/b.js", "node_modules/m/index.js", "env/lib/x.py", ".git/hooks/h.py",
                "build/gen.py", "README.md"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("eval(x)\n")
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / ".gitignore").write_text("build/\n")
    for in_git in (False, True):
        if in_git:
            subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
        proc = check(".", "--no-model", "--fail-on", "none", cwd=tmp_path)
        files = sorted({LINE.match(line).group("file") for line in proc.stdout.splitlines()})  # type: ignore[union-attr]
        assert files == ["src/a.py", "src/deep/b.js"], (in_git, files, proc.stderr)


def test_stdin_is_reported_against_the_given_path(tmp_path: Path) -> None:
    proc = check("--stdin", "--stdin-filename", "pkg/tool.py", "--no-model", cwd=tmp_path, stdin=b"import os\nos.system(c)\n")
    (line,) = proc.stdout.splitlines()
    match = LINE.match(line)
    assert match and match.group("file") == "pkg/tool.py" and match.group("line") == "2"


def test_text_lines_parse_with_the_common_error_format(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import os, pickle\nos.system(c)\npickle.loads(b)\n")
    proc = check("a.py", "--no-model", cwd=tmp_path)
    parsed = [LINE.match(line) for line in proc.stdout.splitlines()]
    assert all(parsed) and [m.group("rule") for m in parsed] == ["EL-PY-OS-SYSTEM", "EL-PY-PICKLE"]  # type: ignore[union-attr]
    assert proc.stderr.startswith("entropy-lint: 2 findings")


def test_output_file_is_written_atomically(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("eval(x)\n")
    proc = check("a.py", "--no-model", "--format", "json", "-o", "out/report.json", "-q", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == f"entropy-lint: error: cannot write out/report.json: the folder {tmp_path / 'out'} does not exist\n"
    (tmp_path / "out").mkdir()
    proc = check("a.py", "--no-model", "--format", "json", "-o", "out/report.json", cwd=tmp_path)
    assert proc.stdout == "" and proc.returncode == 1
    assert json.loads((tmp_path / "out" / "report.json").read_text())["findings"][0]["rule_id"] == "EL-PY-EVAL"
    assert os.listdir(tmp_path / "out") == ["report.json"]


@pytest.mark.model
def test_real_model_json_and_sarif(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import pickle, subprocess\n\ndef load(blob, cmd):\n"
                                     "    subprocess.run(cmd, shell=True)\n    return pickle.loads(blob)\n")
    proc = check("app.py", "--model", "smollm2-135m", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["model"] == "smollm2-135m"
    shell, pickle_ = doc["findings"]
    assert shell["rule_id"] == "EL-PY-SUBPROCESS-SHELL" and pickle_["rule_id"] == "EL-PY-PICKLE"
    for f in doc["findings"]:
        assert 0 < f["model"]["callee"]["min_prob"] <= 1 and f["model"]["call"]["surprisal"] > 0
        assert f["model"]["callee_tokens"] and all(t["expected"] for t in f["model"]["callee_tokens"])
    assert "smollm2-135m scored" in proc.stderr


def test_output_writes_through_a_symlink_and_refuses_what_is_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("eval(x)\n")
    (tmp_path / "real").mkdir()
    (tmp_path / "link.json").symlink_to(tmp_path / "real" / "report.json")
    assert check("a.py", "--no-model", "--format", "json", "-o", "link.json", cwd=tmp_path).returncode == 1
    assert (tmp_path / "link.json").is_symlink() and json.loads((tmp_path / "real" / "report.json").read_text())["findings"]
    os.mkfifo(tmp_path / "fifo")
    for name, words in (("fifo", "not a regular file"), ("real", "is a directory")):
        proc = check("a.py", "--no-model", "-o", name, "-q", cwd=tmp_path)
        assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and words in proc.stderr, proc.stderr
    assert stat.S_ISFIFO(os.lstat(tmp_path / "fifo").st_mode)


def test_a_killed_runs_temporary_file_is_cleaned_on_the_next_write(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("eval(x)\n")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
    (tmp_path / f".r.json.{dead}.abc123.tmp").write_text("half a rep")
    (tmp_path / f".r.json.{os.getppid()}.live99.tmp").write_text("a live writer's")  # pytest's parent is running
    assert check("a.py", "--no-model", "--format", "json", "-o", "r.json", cwd=tmp_path).returncode == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".r.json")) == [f".r.json.{os.getppid()}.live99.tmp"]
