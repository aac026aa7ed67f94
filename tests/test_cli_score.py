"""``entropy-lint score`` end to end on the real small model."""

from __future__ import annotations

import pytest

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "entropy_lint", *args], capture_output=True, text=True,
                          cwd=cwd, env=os.environ.copy(), timeout=300)


@pytest.mark.model
def test_score_prints_json_for_good_files_and_a_line_for_each_bad_one(tmp_path: Path) -> None:
    good = tmp_path / "good.c"
    good.write_bytes("char buf[8];\r\nstrcpy(buf, \"h\u00e9\");\r\n".encode())
    binary = tmp_path / "blob.c"
    binary.write_bytes(b"\x7fELF\x00\x01")
    latin1 = tmp_path / "latin1.c"
    latin1.write_bytes("int caf\u00e9;".encode("latin-1"))
    broken = tmp_path / "broken.c"
    broken.symlink_to(tmp_path / "missing.c")

    proc = run("score", str(good), str(binary), str(latin1), str(broken), "--model", "smollm2-135m", "--top-k", "2")

    assert proc.returncode == 2
    out = json.loads(proc.stdout)
    by_path = {Path(f["path"]).name: f for f in out["files"]}
    tokens = by_path["good.c"]["tokens"]
    assert "".join(t["text"] for t in tokens) == good.read_bytes().decode()
    assert all(len(t["top"]) == 2 and 0 < t["prob"] <= 1 for t in tokens)
    assert "binary file" in by_path["blob.c"]["error"]
    assert "not UTF-8" in by_path["latin1.c"]["error"]
    assert "broken symbolic link" in by_path["broken.c"]["error"]
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 3


@pytest.mark.model
def test_score_table_is_readable(tmp_path: Path) -> None:
    src = tmp_path / "a.py"
    src.write_text("import pickle\npickle.loads(data)\n")
    proc = run("score", str(src), "--model", "smollm2-135m", "--format", "table")
    assert proc.returncode == 0, proc.stderr
    assert "'pickle'" in proc.stdout and "entropy" in proc.stdout.splitlines()[2]


def test_bad_window_settings_are_a_usage_error(tmp_path: Path) -> None:
    src = tmp_path / "a.py"
    src.write_text("x = 1\n")
    proc = run("score", str(src), "--model", "smollm2-135m", "--window", "16", "--context", "64")
    assert proc.returncode == 2 and "context" in proc.stderr and "Traceback" not in proc.stderr
