"""`entropy-lint batch` without Ray: one SARIF per repository, equal to `check`'s; a summary;
skipped when done, rescanned when changed, resumed after a kill; failures recorded, never fatal."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batchkit import APP, batch, check_sarif, entropy_lint, git, make_repository, summary, three_repositories

from entropy_lint.front.batch_repos import expand


def test_sources_are_urls_repositories_directories_and_lists(tmp_path: Path) -> None:
    repo = make_repository(tmp_path / "repo", APP)
    plain = tmp_path / "plain"
    (plain / "sub").mkdir(parents=True)
    listing = tmp_path / "list.txt"
    listing.write_text("# one per line\n\nrepo\nhttps://example.com/org/tool.git\n  plain/sub  \nmissing\n")
    found = list(expand([str(listing), "git@example.com:org/other.git", str(repo / ".")]))
    assert [(r.source, r.url, r.path, r.problem is not None) for r in found] == [
        ("repo", repo.resolve().as_uri(), None, False),  # a repository on disk is cloned: its commits are scanned
        ("https://example.com/org/tool.git", "https://example.com/org/tool.git", None, False),
        ("plain/sub", None, str((plain / "sub").resolve()), False),  # a plain folder is scanned in place
        ("missing", None, None, True),
        ("git@example.com:org/other.git", "git@example.com:org/other.git", None, False),
        (str(repo / "."), repo.resolve().as_uri(), None, False),
    ]
    names = [r.name for r in found]
    assert names[0] == names[-1] and names[0].startswith("repo-") and names[1].startswith("tool-")
    assert len(set(names)) == len(names) - 1


@pytest.mark.model
def test_each_sarif_is_what_check_writes_and_the_summary_counts_it(tmp_path: Path) -> None:
    repos = three_repositories(tmp_path)
    out = tmp_path / "out"
    sources = [repos["app"].as_uri(), str(repos["mixed"]), str(repos["empty"]), (tmp_path / "gone").as_uri()]
    proc = entropy_lint("batch", *sources, "--out", str(out), "--model", "smollm2-135m", "--cache-dir",
                        str(tmp_path / "cache"), cwd=tmp_path)  # its own cache: the model must score here
    assert proc.returncode == 2, proc.stderr  # a file could not be analysed, and one repository failed
    rows = summary(out)
    for key in ("app", "mixed", "empty"):
        row = rows[sources[["app", "mixed", "empty"].index(key)]]
        clone = out / "repos" / row["name"]
        assert (out / row["sarif"]).read_text(encoding="utf-8") == check_sarif(clone, "--model", "smollm2-135m")
    app, mixed, empty, gone = (rows[s] for s in sources)
    assert app["status"] == "scanned" and app["commit"] == git("rev-parse", "HEAD", cwd=repos["app"])
    assert (app["files"], app["unanalysed"], app["findings"]) == (2, 0, 3)
    assert app["by_rule"] == {"EL-C-STRCPY": 1, "EL-PY-EVAL": 1, "EL-PY-PICKLE": 1}
    assert app["tokens_scored"] > 0 and app["model"] == "smollm2-135m"
    assert (mixed["files"], mixed["unanalysed"], mixed["by_rule"]) == (3, 1, {"EL-PY-OS-SYSTEM": 1})
    assert (empty["status"], empty["commit"], empty["files"], empty["findings"]) == ("scanned", "", 0, 0)
    assert gone["status"] == "failed" and "git clone" in gone["error"] and gone["sarif"] == ""
    table = list(csv.DictReader((out / "summary.csv").open(encoding="utf-8")))
    assert [r["repository"] for r in table] == sources
    assert table[0]["rules"] == "EL-C-STRCPY=1 EL-PY-EVAL=1 EL-PY-PICKLE=1" and table[0]["findings_warning"] == "2"
    assert json.loads((out / "summary.json").read_text())["totals"]["findings"] == 4


def test_a_second_run_skips_what_is_done_and_rescans_what_changed(tmp_path: Path) -> None:
    repos = three_repositories(tmp_path)
    out = tmp_path / "out"
    sources = [str(repos["app"]), str(repos["mixed"]), str(repos["empty"])]
    code, err = batch(*sources, "--out", str(out), "--no-model", "--allow-unanalysed")
    assert code == 1, err  # findings, and the unanalysed file is allowed
    sarifs = {p.name: p.read_bytes() for p in (out / "results").glob("*.sarif")}
    assert len(sarifs) == 3

    code, err = batch(*sources, "--out", str(out), "--no-model", "--allow-unanalysed")
    assert code == 1
    assert {row["status"] for row in summary(out).values()} == {"skipped"}
    assert summary(out)[sources[0]]["findings"] == 3  # a skipped repository keeps its row
    assert {p.name: p.read_bytes() for p in (out / "results").glob("*.sarif")} == sarifs

    (repos["app"] / "app.py").write_text("print('fixed')\n")
    git("commit", "-qam", "fix", cwd=repos["app"])
    tampered = out / "results" / f"{summary(out)[sources[1]]['name']}.sarif"
    tampered.write_text("{}")
    code, err = batch(*sources, "--out", str(out), "--no-model", "--allow-unanalysed")
    rows = summary(out)
    assert [rows[s]["status"] for s in sources] == ["scanned", "scanned", "skipped"], err
    assert rows[sources[0]]["by_rule"] == {"EL-C-STRCPY": 1}
    assert tampered.read_bytes() == sarifs[tampered.name]

    code, err = batch(*sources, "--out", str(out), "--no-model", "--min-level", "error")
    assert {row["status"] for row in summary(out).values()} == {"scanned"}, err  # other settings


def test_a_directory_scanned_in_place_is_always_rescanned(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "app.py").write_text(APP["app.py"])
    out = tmp_path / "out"
    for _ in range(2):
        code, err = batch(str(plain), "--out", str(out), "--no-model")
        row = summary(out)[str(plain)]
        assert (code, row["status"], row["commit"], row["findings"]) == (1, "scanned", None, 2), err
    assert (out / row["sarif"]).read_text() == check_sarif(plain, "--no-model")
    assert not (out / "repos").exists()


def test_a_failed_repository_is_recorded_and_tried_again(tmp_path: Path) -> None:
    good = make_repository(tmp_path / "good", APP)
    out = tmp_path / "out"
    sources = [(tmp_path / "nowhere").as_uri(), str(good), str(tmp_path / "not-a-thing")]
    for _ in range(2):
        code, err = batch(*sources, "--out", str(out), "--no-model")
        assert code == 2
        rows = summary(out)
        assert [rows[s]["status"] for s in sources][::2] == ["failed", "failed"]
        assert rows[sources[2]]["error"] == "neither a git URL, a directory nor a list file"
        assert "failed: git clone" in err
    assert rows[sources[1]]["status"] == "skipped"
    manifest = json.loads((out / "results" / f"{rows[sources[0]]['name']}.manifest.json").read_text())
    assert manifest["status"] == "failed" and manifest["sarif_sha256"] is None


def test_a_killed_batch_finishes_only_what_is_missing(tmp_path: Path) -> None:
    repos = three_repositories(tmp_path)
    out = tmp_path / "out"
    feed = tmp_path / "feed"
    os.mkfifo(feed)  # the batch reads its list as it goes: it waits here for the third line
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    proc = subprocess.Popen([sys.executable, "-m", "entropy_lint", "batch", str(feed), "--out", str(out), "--no-model"],
                            cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with feed.open("w") as writer:
        writer.write(f"{repos['app']}\n{repos['mixed']}\n")
        writer.flush()
        deadline = time.monotonic() + 300
        while len(list((out / "results").glob("*.manifest.json"))) < 2 and proc.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        proc.kill()
        proc.wait()
    assert proc.returncode == -9
    listing = tmp_path / "list.txt"
    listing.write_text(f"{repos['app']}\n{repos['mixed']}\n{repos['empty']}\n")
    code, err = batch(str(listing), "--out", str(out), "--no-model")
    rows = summary(out)
    assert [rows[str(repos[k])]["status"] for k in ("app", "mixed", "empty")] == ["skipped", "skipped", "scanned"], err
    assert len(list((out / "results").glob("*.sarif"))) == 3
    assert not list(out.rglob("*.tmp")) and not list((out / "repos").glob(".*partial"))


def test_only_the_batch_ray_module_imports_ray() -> None:
    """Ray is an extra: the core, the CLI and the local batch never import it."""
    import ast

    import entropy_lint

    package = Path(entropy_lint.__file__).parent
    importers = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if any(name == "ray" or name.startswith("ray.") for name in names):
                importers.add(path.relative_to(package).as_posix())
    assert importers == {"front/batch_ray.py"}


def test_one_batch_at_a_time_per_output_folder(tmp_path: Path) -> None:
    import filelock

    out = tmp_path / "out"
    out.mkdir()
    with filelock.FileLock(str(out / ".batch.lock")):
        code, err = batch(str(tmp_path), "--out", str(out), "--no-model")
    assert (code, err.strip()) == (2, f"entropy-lint: error: another batch is writing to {out}; wait for it, "
                                      "or choose another --out")
