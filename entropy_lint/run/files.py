"""Which files to lint: explicit paths as given, directories recursed.

Recursion skips version-control folders, virtualenvs, ``node_modules`` and caches, and what
git ignores: inside a git work tree the listing comes from ``git ls-files`` (exact .gitignore,
.git/info/exclude and global excludes semantics); elsewhere .gitignore files are read with
pathspec's gitignore matching.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from entropy_lint.languages import language_for

SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", ".bzr", "node_modules", "bower_components", "__pycache__", ".venv", "venv",
    ".tox", ".nox", ".eggs", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".direnv", "site-packages",
})


@dataclass(frozen=True)
class Candidate:
    """A file to lint: where to read it, how to show it, and whether the user named it."""

    path: Path
    display: str
    explicit: bool


@dataclass(frozen=True)
class Missing:
    """A path argument that does not exist."""

    display: str


def discover(paths: Sequence[str], exclude: Sequence[str] = (), include: Sequence[str] = (),
             base: str | None = None) -> Iterator[Candidate | Missing]:
    """Candidates in a stable order; directories are recursed, files are taken as named.

    ``exclude``/``include`` are gitignore-style patterns relative to ``base`` (the folder of the
    project file they came from; the working directory by default). Excludes apply to named
    files too, so a pre-commit run honours them.
    """
    excluded = _spec(exclude)
    included = _spec(include) if include else None
    anchor = os.path.abspath(base or ".")
    seen: set[Path] = set()
    for arg in paths:
        path = Path(arg)
        if path.is_dir():
            files = sorted(_git_files(path) or _walk(path))
            venvs = _VirtualenvCheck(path)
            for file in files:
                display = os.path.normpath(file)
                if _skip(display, _anchored(display, anchor), excluded, included) or venvs.inside(file) or not _supported(file):
                    continue
                key = file.resolve()
                if key not in seen:
                    seen.add(key)
                    yield Candidate(file, display, explicit=False)
        elif path.exists() or path.is_symlink():
            if excluded is not None and excluded.match_file(_anchored(arg, anchor)):
                continue
            yield Candidate(path, arg, explicit=True)
        else:
            yield Missing(arg)


class _VirtualenvCheck:
    """Is a file inside a virtualenv (a folder holding pyvenv.cfg) below ``base``? Memoised per folder."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.known: dict[Path, bool] = {}

    def inside(self, file: Path) -> bool:
        folder = file.parent
        if folder in self.known:
            return self.known[folder]
        answer = folder != self.base and folder != folder.parent and (
            (folder / "pyvenv.cfg").is_file() or self.inside(folder)
        )
        self.known[folder] = answer
        return answer


def _spec(patterns: Sequence[str]):  # type: ignore[no-untyped-def]
    if not patterns:
        return None
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _anchored(path: str, anchor: str) -> str:
    return os.path.relpath(os.path.abspath(path), anchor)


def _skip(display: str, relative: str, excluded, included) -> bool:  # type: ignore[no-untyped-def]
    parts = Path(display).parts
    if any(part in SKIP_DIRS for part in parts[:-1]):
        return True
    if excluded is not None and excluded.match_file(relative):
        return True
    return included is not None and not included.match_file(relative)


def _supported(file: Path) -> bool:
    if language_for(str(file)) is not None:
        return True
    if file.suffix:
        return False
    try:
        with file.open("rb") as f:
            head = f.read(128)
    except OSError:
        return False
    return language_for(str(file), head.decode("utf-8", "replace")) is not None


def _git_files(directory: Path) -> list[Path] | None:
    """Tracked and untracked-not-ignored files under ``directory``, or None outside a work tree."""
    try:
        proc = subprocess.run(
            ["git", "-C", str(directory), "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."],
            capture_output=True, timeout=60, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    names = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    files = [directory / name for name in dict.fromkeys(names) if name]
    # tracked files deleted from the work tree, and submodule roots, are not files to lint
    return [f for f in files if f.is_file() or f.is_symlink()]


def _walk(directory: Path) -> Iterator[Path]:
    """os.walk with .gitignore files applied to their own folder and below."""
    import pathspec

    specs: list[tuple[str, pathspec.GitIgnoreSpec]] = []
    for root, dirs, files in os.walk(directory):
        specs = [(base, spec) for base, spec in specs if root == base or root.startswith(base + os.sep)]
        ignore_file = Path(root, ".gitignore")
        if ignore_file.is_file():
            try:
                specs.append((root, pathspec.GitIgnoreSpec.from_lines(ignore_file.read_text(encoding="utf-8", errors="replace").splitlines())))
            except (OSError, ValueError):
                pass

        def ignored(name: str, is_dir: bool) -> bool:
            full = os.path.join(root, name)
            return any(spec.match_file(os.path.relpath(full, base) + ("/" if is_dir else "")) for base, spec in specs)

        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not Path(root, d, "pyvenv.cfg").exists()
                         and not ignored(d, True))
        for name in sorted(files):
            if not ignored(name, False):
                yield Path(root, name)
