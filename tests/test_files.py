"""Which files are linted: named files as given, folders recursed with the usual skips."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from entropy_lint.run.files import Candidate, Missing, discover


def tree(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("eval(x)\n")


def listed(paths: list[str], root: Path, **kw: object) -> list[tuple[str, str]]:
    out = []
    for item in discover(paths, base=str(root), **kw):  # type: ignore[arg-type]
        if isinstance(item, Candidate):
            out.append(("file", Path(item.display).relative_to(root).as_posix() if item.display.startswith(str(root))
                        else item.display))
        else:
            out.append(("missing", item.display))
    return out


@pytest.mark.parametrize("in_git", [False, True])
def test_folders_skip_vcs_virtualenvs_dependencies_and_ignored(tmp_path: Path, in_git: bool) -> None:
    tree(tmp_path, "src/a.py", "src/b.js", "src/notes.txt", "node_modules/m/i.js", "env/x.py", ".git/h.py",
         "build/gen.py", "__pycache__/c.py")
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / "env" / "lib").mkdir()
    (tmp_path / ".gitignore").write_text("build/\n")
    if in_git:
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert listed([str(tmp_path)], tmp_path) == [("file", "src/a.py"), ("file", "src/b.js")]


def test_named_files_are_taken_as_given_missing_ones_reported(tmp_path: Path) -> None:
    tree(tmp_path, "a.py", "notes.txt")
    assert listed([str(tmp_path / "notes.txt"), str(tmp_path / "nope.py")], tmp_path) == [
        ("file", "notes.txt"), ("missing", str(tmp_path / "nope.py"))]


def test_excludes_apply_to_named_files_and_includes_to_walks(tmp_path: Path) -> None:
    tree(tmp_path, "src/a.py", "vendor/b.py", "src/c.js")
    assert listed([str(tmp_path)], tmp_path, exclude=["vendor/"]) == [("file", "src/a.py"), ("file", "src/c.js")]
    assert listed([str(tmp_path / "vendor" / "b.py")], tmp_path, exclude=["vendor/"]) == []
    assert listed([str(tmp_path)], tmp_path, include=["*.js"]) == [("file", "src/c.js")]


def test_a_file_reached_twice_is_listed_once(tmp_path: Path) -> None:
    tree(tmp_path, "a.py")
    assert listed([str(tmp_path), str(tmp_path)], tmp_path) == [("file", "a.py")]


def test_extensionless_files_are_kept_by_their_shebang(tmp_path: Path) -> None:
    (tmp_path / "tool").write_text("#!/usr/bin/env python3\neval(x)\n")
    (tmp_path / "data").write_text("just words\n")
    assert listed([str(tmp_path)], tmp_path) == [("file", "tool")]


def test_missing_is_a_record_not_an_exception(tmp_path: Path) -> None:
    assert list(discover([str(tmp_path / "gone")])) == [Missing(str(tmp_path / "gone"))]


def test_paths_relative_to_the_anchor_are_the_same_by_the_short_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from entropy_lint.run.files import _anchored, _relative_paths

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    for top in (".", "a", "a/b", "./a", "a/b/", str(tmp_path / "a"), "..", f"../{tmp_path.name}"):
        for anchor in (tmp_path, tmp_path / "a", tmp_path / "a" / "b" / "c", Path("/"), tmp_path / "x"):
            relative = _relative_paths(Path(top), str(anchor))
            for sub in ("f.py", "b/g.py", "c/d/e.py"):
                name = str(Path(top) / sub)
                assert relative(name) == _anchored(name, str(anchor)), (top, anchor, name)
