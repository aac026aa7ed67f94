"""Adopting on an existing codebase: baselines and --diff against a real git repository."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "entropy_lint", *args], cwd=cwd, capture_output=True, text=True,
                          env=os.environ.copy(), timeout=120)


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=cwd, check=True,
                   capture_output=True)


def rules_of(proc: subprocess.CompletedProcess[str]) -> list[tuple[str, str]]:
    out = []
    for line in proc.stdout.splitlines():
        path, number, *_ = line.split(":")
        out.append((f"{path}:{number}", line.rsplit("[", 1)[1].rstrip("]")))
    return out


def test_baseline_reports_only_new_findings_and_survives_lines_moving(tmp_path: Path) -> None:
    src = tmp_path / "app.py"
    src.write_text("import os\nos.system(a)\nos.system(a)\n")
    assert cli("baseline", "create", ".", "-o", "baseline.json", cwd=tmp_path).returncode == 0
    assert cli("check", ".", "--no-model", "--baseline", "baseline.json", cwd=tmp_path).stdout == ""
    src.write_text("import os\n\n\n# moved down\nos.system(a)\nos.system(a)\nos.system(a)\neval(b)\n")
    proc = cli("check", ".", "--no-model", "--baseline", "baseline.json", cwd=tmp_path)
    assert rules_of(proc) == [("app.py:7", "EL-PY-OS-SYSTEM"), ("app.py:8", "EL-PY-EVAL")]
    sub = tmp_path / "pkg"
    sub.mkdir()
    assert cli("check", str(src), "--no-model", "--baseline", str(tmp_path / "baseline.json"), "--root", str(tmp_path),
               cwd=sub).stdout.count("\n") == 2


def test_a_file_that_is_not_a_baseline_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("eval(x)\n")
    (tmp_path / "b.json").write_text('{"findings": 3}')
    proc = cli("check", "a.py", "--no-model", "--baseline", "b.json", cwd=tmp_path)
    assert proc.returncode == 2 and "not an entropy-lint baseline" in proc.stderr and "Traceback" not in proc.stderr


def test_diff_reports_only_changed_lines_and_new_files(tmp_path: Path) -> None:
    git("init", "-q", cwd=tmp_path)
    (tmp_path / "old.py").write_text("import os\nos.system(a)\n\n\nx = 1\n")
    git("add", ".", cwd=tmp_path)
    git("commit", "-qm", "start", cwd=tmp_path)
    (tmp_path / "old.py").write_text("import os\nos.system(a)\n\neval(b)\nx = 1\n")
    (tmp_path / "new.py").write_text("import pickle\npickle.loads(c)\n")
    proc = cli("check", ".", "--no-model", "--diff", "HEAD", cwd=tmp_path)
    assert rules_of(proc) == [("new.py:2", "EL-PY-PICKLE"), ("old.py:4", "EL-PY-EVAL")]
    bad = cli("check", ".", "--no-model", "--diff", "no-such-ref", cwd=tmp_path)
    assert bad.returncode == 2 and "not a commit" in bad.stderr


def test_diff_outside_git_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("eval(x)\n")
    proc = cli("check", "a.py", "--no-model", "--diff", "HEAD", cwd=tmp_path)
    assert proc.returncode == 2 and "git repository" in proc.stderr and "Traceback" not in proc.stderr
