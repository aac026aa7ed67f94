"""The results cache: round trips, corrupt and foreign files, concurrent writers, warm runs."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from entropy_lint.run.cache import ResultCache


def test_round_trip_and_clear(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path)
    cache.put_many({"a": {"findings": [], "suppressed": 2}, "b": {"findings": [{"x": 1}], "suppressed": 0}})
    assert cache.get_many(["a", "b", "c"]) == {"a": {"findings": [], "suppressed": 2}, "b": {"findings": [{"x": 1}], "suppressed": 0}}
    assert cache.info()["entries"] == 2
    assert cache.clear() == 2 and cache.get_many(["a"]) == {}


def test_a_corrupt_file_is_moved_aside_and_rebuilt(tmp_path: Path) -> None:
    (tmp_path / "results.sqlite3").write_bytes(b"this is not a database" * 100)
    warnings: list[str] = []
    cache = ResultCache(tmp_path, warnings.append)
    cache.put_many({"k": {"findings": [], "suppressed": 0}})
    assert cache.get_many(["k"]) == {"k": {"findings": [], "suppressed": 0}}
    assert len(warnings) == 1 and "moved it" in warnings[0]
    assert any(p.name.startswith("results.sqlite3.broken-") for p in tmp_path.iterdir())


def test_a_foreign_database_is_not_used(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "results.sqlite3")
    db.execute("CREATE TABLE notes (body TEXT)")
    db.commit()
    db.close()
    warnings: list[str] = []
    cache = ResultCache(tmp_path, warnings.append)
    assert cache.get_many(["x"]) == {}
    cache.put_many({"x": {"findings": [], "suppressed": 0}})
    assert cache.get_many(["x"]) != {} and len(warnings) == 1


def test_an_unusable_folder_degrades_to_no_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    warnings: list[str] = []
    cache = ResultCache(blocker / "sub", warnings.append)
    cache.put_many({"x": {}})
    assert cache.get_many(["x"]) == {} and len(warnings) == 1


def _writer(folder: str, worker: int) -> None:
    cache = ResultCache(Path(folder))
    for batch in range(20):
        cache.put_many({f"{worker}-{batch}-{i}": {"findings": [], "suppressed": i} for i in range(10)})
        cache.get_many([f"{worker}-{batch}-0"])


def test_several_processes_write_at_once(tmp_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    workers = [ctx.Process(target=_writer, args=(str(tmp_path), w)) for w in range(4)]
    for p in workers:
        p.start()
    for p in workers:
        p.join(60)
        assert p.exitcode == 0
    assert ResultCache(tmp_path).info()["entries"] == 4 * 20 * 10


WARM = """
import sys
from entropy_lint.front.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in ("torch", "transformers", "tree_sitter") if m in sys.modules)
print("HEAVY:" + ",".join(heavy), file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.model
def test_a_fully_cached_run_imports_no_torch_transformers_or_parser(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("import os\nos.system(cmd)\n")
    (tmp_path / "b.c").write_text("void f(char *d, char *s) { strcpy(d, s); }\n")
    env = {**os.environ, "ENTROPY_LINT_CACHE_DIR": os.environ["ENTROPY_LINT_CACHE_DIR"]}
    args = [sys.executable, "-c", WARM, "check", ".", "--model", "smollm2-135m", "--format", "json",
            "--cache-dir", str(tmp_path / "cache")]
    cold = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600)
    warm = subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=600)
    assert cold.returncode == warm.returncode == 1, cold.stderr
    assert "HEAVY:torch,transformers,tree_sitter" in cold.stderr
    assert "HEAVY:\n" in warm.stderr + "\n" and "2 from the cache" in warm.stderr
    assert cold.stdout == warm.stdout


def test_changing_a_file_or_a_setting_misses_the_cache(tmp_path: Path) -> None:
    src = tmp_path / "a.py"
    src.write_text("eval(x)\n")
    args = [sys.executable, "-m", "entropy_lint", "check", "a.py", "--no-model", "--cache-dir", str(tmp_path / "c")]
    run = lambda *extra: subprocess.run([*args, *extra], cwd=tmp_path, capture_output=True, text=True, timeout=120)  # noqa: E731
    assert "from the cache" not in run().stderr
    assert "1 from the cache" in run().stderr
    assert "from the cache" not in run("--min-level", "error").stderr
    src.write_text("eval(y)\n")
    assert "from the cache" not in run().stderr
    assert "from the cache" not in run("--no-cache").stderr


def test_the_code_digest_covers_what_decides_results_and_not_the_front_ends(tmp_path: Path) -> None:
    import shutil

    import entropy_lint

    copy = tmp_path / "entropy_lint"
    shutil.copytree(Path(entropy_lint.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    code = "from entropy_lint.run.cache import code_digest; print(code_digest())"

    def digest() -> str:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60,
                              env={**os.environ, "PYTHONPATH": str(tmp_path)}, cwd=tmp_path).stdout.strip()

    first = digest()
    with (copy / "front" / "cli.py").open("a") as f:
        f.write("# a front-end change\n")
    assert digest() == first
    for module in ("languages.py", "run/sources.py", "detect/python.py", "model/engine.py"):
        with (copy / module).open("a") as f:
            f.write("# a change that may change results\n")
        now = digest()
        assert now != first, module
        first = now
