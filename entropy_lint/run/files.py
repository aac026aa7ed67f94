"""Which files to lint: named files as given, folders recursed; the tree is the boundary.

Recursion skips version-control folders, virtualenvs, dependency folders and caches, and what
git ignores: inside a git work tree the listing comes from ``git ls-files`` (exact .gitignore,
.git/info/exclude and global excludes semantics); elsewhere .gitignore files are read with
pathspec's gitignore matching. The linted tree may be hostile, so a file git tracks is never
dropped silently: tracked files inside dependency folders or under a ``pyvenv.cfg`` are listed as
skipped, and a symbolic link is followed only to a file inside the scanned roots (see
``sources.open_regular``).
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from entropy_lint.languages import language_for

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", ".bzr", "node_modules", "bower_components", "__pycache__", ".venv", "venv",
    ".tox", ".nox", ".eggs", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".direnv", "site-packages",
})


@dataclass(frozen=True)
class Candidate:
    """A file to lint: where to read it, how to show it, whether the user named it, and the
    roots its symbolic links may lead into."""

    path: Path
    display: str
    explicit: bool
    roots: tuple[str, ...] = ()


@dataclass(frozen=True)
class Missing:
    """A path argument that does not exist."""

    display: str


@dataclass(frozen=True)
class Skipped:
    """Files git tracks that a folder rule left out (dependency folders, virtualenvs): said, not hidden."""

    folder: str
    files: int


def display_name(path: str | os.PathLike[str]) -> str:
    """A file name as text that can always be printed and serialised: bytes that are not UTF-8
    (kept by the OS as lone surrogates) are written as ``\\xNN``."""
    return os.fspath(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def discover(paths: Sequence[str], exclude: Sequence[str] = (), include: Sequence[str] = (),
             base: str | None = None, project_root: str | None = None) -> Iterator[Candidate | Missing | Skipped]:
    """Candidates in a stable order; directories are recursed, files are taken as named.

    ``exclude``/``include`` are gitignore-style patterns relative to ``base`` (the folder of the
    project file they came from; the working directory by default). Excludes apply to named
    files too, so a pre-commit run honours them. Symbolic links may lead into the folders named
    and into ``project_root`` (the repository being checked; the working directory by default).
    """
    excluded = _spec(exclude)
    included = _spec(include) if include else None
    anchor = os.path.abspath(base or ".")
    roots = tuple(dict.fromkeys([os.path.realpath(project_root or "."),
                                 *(os.path.realpath(p) for p in paths if os.path.isdir(p))]))
    seen: set[str] = set()
    for arg in paths:
        path = Path(arg)
        if path.is_dir():
            listing = _git_files(path)
            tracked = listing[0] if listing is not None else set()
            files = sorted(listing[1] if listing is not None else _walk(path))
            venvs = _VirtualenvCheck(path)
            skipped: dict[str, int] = {}
            relative_to_anchor = _relative_paths(path, anchor)
            for file in files:
                relative = relative_to_anchor(str(file))
                if _excluded(relative, excluded, included):
                    continue
                display = display_name(os.path.normpath(file))
                folder = _skipped_folder(file, path, venvs)
                if folder is not None:
                    if file in tracked and language_for(str(file)) is not None:
                        skipped[display_name(folder)] = skipped.get(display_name(folder), 0) + 1
                    continue
                if not _supported(file, roots):
                    continue
                key = os.path.abspath(file)
                if key not in seen:
                    seen.add(key)
                    yield Candidate(file, display, explicit=False, roots=roots)
            for name, count in sorted(skipped.items()):
                yield Skipped(name, count)
        elif path.exists() or path.is_symlink():
            if excluded is not None and excluded.match_file(_anchored(arg, anchor)):
                continue
            yield Candidate(path, display_name(arg), explicit=True, roots=roots)
        else:
            yield Missing(display_name(arg))


def _skipped_folder(file: Path, top: Path, venvs: _VirtualenvCheck) -> Path | None:
    """The folder a skip rule leaves ``file`` out by (a dependency or cache folder, a virtualenv)."""
    parts = file.relative_to(top).parts if file.is_relative_to(top) else file.parts
    for i, part in enumerate(parts[:-1]):
        if part in SKIP_DIRS:
            return top.joinpath(*parts[: i + 1])
    return venvs.root_of(file)


class _VirtualenvCheck:
    """Is a file inside a virtualenv below ``base``? A virtualenv is a folder whose pyvenv.cfg names
    a ``home`` and which has a lib folder: an empty pyvenv.cfg does not hide a folder. Memoised."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.known: dict[Path, Path | None] = {}

    def root_of(self, file: Path) -> Path | None:
        return self._root(file.parent)

    def _root(self, folder: Path) -> Path | None:
        if folder in self.known:
            return self.known[folder]
        answer: Path | None = None
        if folder != self.base and folder != folder.parent and (folder == self.base or folder.is_relative_to(self.base)):
            answer = folder if _is_virtualenv(folder) else self._root(folder.parent)
        self.known[folder] = answer
        return answer


def _is_virtualenv(folder: Path) -> bool:
    config = folder / "pyvenv.cfg"
    if not config.is_file() or config.is_symlink():
        return False
    try:
        with config.open("rb") as f:
            head = f.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    has_home = any(line.split("=", 1)[0].strip() == "home" for line in head.splitlines() if "=" in line)
    return has_home and any((folder / lib).is_dir() for lib in ("lib", "Lib", "lib64"))


def _spec(patterns: Sequence[str]) -> GitIgnoreSpec | None:
    if not patterns:
        return None
    import pathspec

    return pathspec.GitIgnoreSpec.from_lines(patterns)


def _anchored(path: str, anchor: str) -> str:
    return os.path.relpath(os.path.abspath(path), anchor)


def _relative_paths(top: Path, anchor: str) -> Callable[[str], str]:
    """``_anchored`` for the files listed under ``top``, without two path walks per file: below an
    anchor, a file ``top/sub`` (``sub`` as listed: no ``..``, already normal) is the folder's own
    relative path joined with ``sub``."""
    head = str(top)
    prefix = os.path.relpath(os.path.abspath(head), anchor)

    def relative(name: str) -> str:
        if prefix == os.pardir or prefix.startswith(os.pardir + os.sep):
            return _anchored(name, anchor)  # the anchor is not above the folder: the long way
        if head == ".":
            sub = name
        elif name.startswith(head + os.sep):
            sub = name[len(head) + 1 :]
        else:
            return _anchored(name, anchor)
        return sub if prefix == "." else os.path.normpath(os.path.join(prefix, sub))

    return relative


def _excluded(relative: str, excluded: GitIgnoreSpec | None, included: GitIgnoreSpec | None) -> bool:
    if excluded is not None and excluded.match_file(relative):
        return True
    return included is not None and not included.match_file(relative)


def _supported(file: Path, roots: Sequence[str]) -> bool:
    """A file of a known language by name, or an extensionless one whose shebang names one."""
    if language_for(str(file)) is not None:
        return True
    if file.suffix:
        return False
    from entropy_lint.run.sources import SourceError, read_head

    try:
        head = read_head(file, roots, 128)
    except SourceError:
        return False
    return language_for(str(file), head.decode("utf-8", "replace")) is not None


def _git_files(directory: Path) -> tuple[set[Path], list[Path]] | None:
    """(tracked files, tracked and untracked-not-ignored files) under ``directory``, or None
    outside a git work tree."""
    tracked = _git_list(directory, "--cached")
    if tracked is None:
        return None
    others = _git_list(directory, "--others", "--exclude-standard") or []
    files = list(dict.fromkeys([*tracked, *others]))
    # tracked files deleted from the work tree, and submodule roots, are not files to lint
    return set(tracked), [f for f in files if f.is_symlink() or (f.exists() and not f.is_dir())]


def _git_list(directory: Path, *flags: str) -> list[Path] | None:
    try:
        proc = subprocess.run(["git", "-C", str(directory), "ls-files", "-z", *flags, "--", "."],
                              capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    return [directory / name for name in os.fsdecode(proc.stdout).split("\0") if name]


def _walk(directory: Path) -> Iterator[Path]:
    """os.walk (never into linked folders) with .gitignore files applied to their own folder and below."""
    import pathspec

    specs: list[tuple[str, pathspec.GitIgnoreSpec]] = []
    for root, dirs, files in os.walk(directory):
        specs = [(base, spec) for base, spec in specs if root == base or root.startswith(base + os.sep)]
        ignore_file = Path(root, ".gitignore")
        if ignore_file.is_file() and not ignore_file.is_symlink():
            try:
                with ignore_file.open("rb") as f:
                    lines = f.read(1 << 20).decode("utf-8", "replace").splitlines()
                specs.append((root, pathspec.GitIgnoreSpec.from_lines(lines)))
            except (OSError, ValueError):
                pass

        def ignored(name: str, is_dir: bool) -> bool:
            full = os.path.join(root, name)
            return any(spec.match_file(os.path.relpath(full, base) + ("/" if is_dir else "")) for base, spec in specs)

        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not ignored(d, True) and not _is_virtualenv(Path(root, d)))
        for name in sorted(files):
            if not ignored(name, False):
                yield Path(root, name)
