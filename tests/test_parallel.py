"""Files analysed in worker processes (run/analyse.py) give exactly what one process gives, and
a worker that dies loses no file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from entropy_lint.run import analyse
from entropy_lint.run.pipeline import LintSettings
from entropy_lint.run.sources import Source

SAMPLES = Path(__file__).parent / "samples"
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")


def tree(tmp_path: Path, copies: int) -> Path:
    """``copies`` of every sample file (findings in nine languages, fixes, suppressions)."""
    root = tmp_path / "tree"
    for n in range(copies):
        shutil.copytree(SAMPLES, root / f"copy{n}")
    (root / "copy0" / "broken.py").write_bytes(b"\x00\x01binary\xff")
    return root


def check(root: Path, *args: str) -> tuple[int, str]:
    proc = subprocess.run([sys.executable, "-m", "entropy_lint", "check", ".", "--no-model", "--no-cache", "--isolated",
                           "--format", "json", *args], cwd=root, capture_output=True, text=True, timeout=600,
                          env=os.environ.copy())
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, proc.stdout


def test_workers_give_the_same_report_as_one_process(tmp_path: Path) -> None:
    root = tree(tmp_path, 4)
    files = sum(1 for p in root.rglob("*") if p.is_file())
    assert files >= analyse.PARALLEL_MIN_FILES  # enough files for the pool to start
    one_code, one = check(root, "--jobs", "1")
    many_code, many = check(root, "--jobs", "3")
    assert one_code == many_code == 2  # the binary .py file fails the run closed, either way
    assert one == many
    report = json.loads(many)
    assert len(report["findings"]) > 100 and any(f["fixes"] for f in report["findings"])


def test_a_worker_that_dies_loses_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = [Source(f"f{i}.py", "import os\nos.system(cmd)\n" if i % 2 else "x = 1\n", "python") for i in range(120)]
    serial = dict(analyse.analyse_all(sources, LintSettings(use_model=False), None, True, jobs=1))
    real = analyse.analyse
    died = tmp_path / "a worker died"
    parent = os.getpid()

    def dies_on_the_first_file(source, *args):  # type: ignore[no-untyped-def]
        if source.path == "f0.py" and os.getpid() != parent:  # in a worker (forked: it sees this patch)
            died.touch()
            os._exit(3)  # a worker killed mid-run (a crash in a native parser, the OOM killer)
        return real(source, *args)

    monkeypatch.setattr(analyse, "analyse", dies_on_the_first_file)
    pooled = dict(analyse.analyse_all(sources, LintSettings(use_model=False), None, True, jobs=2))
    assert died.exists()
    assert sorted(pooled) == sorted(serial) == list(range(120))
    assert [len(pooled[i].kept) for i in range(120)] == [len(serial[i].kept) for i in range(120)]
    assert all(pooled[i].fixes is not None for i in range(1, 120, 2))


def test_results_come_back_from_the_workers_not_from_a_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pool's results really travel back (findings, fixes): a result that could not be
    pickled would send every file to the in-process fallback and still pass the tests above."""
    files = sorted(p for p in SAMPLES.rglob("*") if p.is_file())
    from entropy_lint.languages import language_for

    sources = [Source(f"{n}/{p.name}", p.read_text(encoding="utf-8"), language_for(p.name))
               for n in range(4) for p in files if language_for(p.name) is not None]
    serial = dict(analyse.analyse_all(sources, LintSettings(use_model=False), None, True, jobs=1))
    real = analyse.analyse
    parent = os.getpid()

    def where(source, *args):  # type: ignore[no-untyped-def]
        result = real(source, *args)
        result.notes = (*result.notes, f"pid {os.getpid()}")
        return result

    monkeypatch.setattr(analyse, "analyse", where)
    pooled = dict(analyse.analyse_all(sources, LintSettings(use_model=False), None, True, jobs=2))
    pids = {a.notes[-1] for a in pooled.values()}
    assert pids and f"pid {parent}" not in pids  # every file analysed in a worker
    assert sorted(pooled) == sorted(serial)
    for i, a in serial.items():
        assert pooled[i].kept == a.kept and pooled[i].fixes == a.fixes and pooled[i].notes[:-1] == a.notes
