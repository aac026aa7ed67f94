"""The run layer reads the manifests around each file (inside the tree only) and hands detection
what they say, so version-dependent rules decide on the project's own versions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from entropy_lint.run.files import Candidate
from entropy_lint.run.sources import Dependencies

CODE = "const yaml = require('js-yaml');\nconst doc = yaml.load(req.body);\n"


def check(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "entropy_lint", "check", ".", "--no-model", *args], cwd=cwd,
                          capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", "HOME": str(cwd),
                                                               "XDG_CACHE_HOME": str(cwd / ".cache")})


def test_the_nearest_manifest_decides_and_a_change_to_it_is_not_hidden_by_the_cache(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "a.js").write_text(CODE)
    unknown = check(tmp_path)
    assert "no manifest found to tell the js-yaml version" in unknown.stdout
    (tmp_path / "package.json").write_text(json.dumps({"dependencies": {"js-yaml": "^3.13.1"}}))
    old = check(tmp_path)
    assert "js-yaml ^3.13.1 is older than 4" in old.stdout
    (tmp_path / "app" / "package.json").write_text(json.dumps({"dependencies": {"js-yaml": "^4.1.0"}}))
    assert check(tmp_path).stdout == ""  # js-yaml 4's load() is safe: the nearer manifest wins


def test_a_manifest_linked_from_outside_the_tree_is_not_read(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "package.json").write_text(json.dumps({"dependencies": {"js-yaml": "4.1.0"}}))
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.js").write_text(CODE)
    (repo / "package.json").symlink_to(outside / "package.json")
    proc = check(repo)
    assert "no manifest found to tell the js-yaml version" in proc.stdout
    folder = str(repo.resolve())
    assert Dependencies().near(repo / "a.js", (folder,)) is None
    assert Dependencies().near(outside / "package.json", (folder,)) is None  # not under a root: nothing read


def test_manifests_above_the_tree_are_not_read(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text(json.dumps({"dependencies": {"js-yaml": "4.1.0"}}))
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "a.js").write_text(CODE)
    candidate = Candidate(repo / "a.js", "a.js", explicit=False, roots=(str(repo.resolve()),))
    assert Dependencies().near(candidate.path, candidate.roots) is None
    (repo / "requirements-dev.txt").write_text("PyYAML==5.4\n")
    assert Dependencies().near(candidate.path, candidate.roots) == {"pypi:pyyaml": "==5.4"}
