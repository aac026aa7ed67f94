"""Helpers for the batch tests: small real git repositories, the real `check` to compare with,
and a SARIF comparison that allows model numbers to differ within a tolerance."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

APP = {
    "app.py": "import pickle\n\n\ndef load(blob):\n    return pickle.loads(blob)\n\n\nprint(eval(input()))\n",
    "copy.c": "#include <string.h>\n\nvoid copy(char *dst, const char *src) {\n    strcpy(dst, src);\n}\n",
}
# a file tree-sitter cannot parse cleanly, one that cannot be analysed at all (not UTF-8), one fine
MIXED = {
    "broken.py": "def broken(:\n    eval(x\n",
    "latin.py": b"# not UTF-8\nname = '\xe9t\xe9'\n",
    "run.py": "import os\n\nos.system('ls ' + input())\n",
}


def git(*args: str, cwd: Path) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=env).stdout.strip()


def make_repository(folder: Path, files: dict[str, str | bytes]) -> Path:
    """A git repository with ``files`` committed (none: an empty repository, no commits)."""
    folder.mkdir(parents=True)
    git("init", "-q", "-b", "main", cwd=folder)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    if files:
        git("add", "-A", cwd=folder)
        git("commit", "-q", "-m", "first", cwd=folder)
    return folder


def three_repositories(root: Path) -> dict[str, Path]:
    return {"app": make_repository(root / "app", APP), "mixed": make_repository(root / "mixed", MIXED),
            "empty": make_repository(root / "empty", {})}


def entropy_lint(*args: str, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """The real command, from this tree."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    return subprocess.run([sys.executable, "-m", "entropy_lint", *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=timeout)


def batch(*args: str) -> tuple[int, str]:
    """`entropy-lint batch ARGS` in this process (no interpreter start-up): exit status, stderr."""
    from entropy_lint.front.cli import main

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["batch", *args])
    return code, err.getvalue()


def check_sarif(folder: Path, *flags: str) -> str:
    """What `entropy-lint check . --isolated --format sarif` writes from ``folder``."""
    proc = entropy_lint("check", ".", "--isolated", "--format", "sarif", "--no-cache", *flags, cwd=folder)
    assert proc.returncode in (0, 1, 2), proc.stderr
    return proc.stdout


def summary(out: Path) -> dict[str, dict[str, Any]]:
    """summary.json's rows by repository as given."""
    data = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return {row["repository"]: row for row in data["repositories"]}


def assert_same_sarif(got: str, want: str, tolerance: float = 1e-4) -> None:
    """Equal SARIF, except that floating-point numbers (the model's) may differ by ``tolerance``."""
    differences: list[str] = []
    _compare(json.loads(got), json.loads(want), "$", tolerance, differences)
    assert differences == []


def _compare(got: Any, want: Any, where: str, tolerance: float, out: list[str]) -> None:
    if isinstance(want, float) and isinstance(got, (int, float)) and not isinstance(got, bool):
        if abs(got - want) > tolerance:
            out.append(f"{where}: {got} != {want}")
    elif isinstance(want, dict) and isinstance(got, dict):
        if set(got) != set(want):
            out.append(f"{where}: keys {sorted(got)} != {sorted(want)}")
        for key in set(got) & set(want):
            _compare(got[key], want[key], f"{where}.{key}", tolerance, out)
    elif isinstance(want, list) and isinstance(got, list) and len(got) == len(want):
        for i, (g, w) in enumerate(zip(got, want)):
            _compare(g, w, f"{where}[{i}]", tolerance, out)
    elif got != want:
        out.append(f"{where}: {got!r} != {want!r}")
