"""The repositories of a batch: what each SOURCE names, and the checkout that gets scanned.

A SOURCE is a git URL (cloned), a git repository on disk, work tree or bare (cloned from it
through ``file://``, so its committed HEAD is scanned, never its uncommitted edits), a plain
directory (scanned in place, as it is), or a file listing sources one per line (blank lines and
``#`` comments skipped; relative paths are relative to the list's folder). Lists are read one
line at a time, so a list of a million repositories costs no memory up front.

Checkouts are shallow (``--depth 1``, no tags) and reused: a second run fetches the new HEAD
into the same folder. Git never prompts (a private repository without credentials fails with
git's message), never runs an LFS download, and is killed after ``GIT_TIMEOUT`` seconds.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from entropy_lint.errors import EntropyLintError

GIT_TIMEOUT = 3600  # seconds for one git command: a large repository's shallow clone fits
# scheme://... (https, ssh, git, file), or scp-like user@host:path
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://|^[^/\s:@]+@[^/\s:]+:")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class RepositoryError(EntropyLintError):
    """A repository could not be listed, cloned or updated; the message says which and why."""


@dataclass(frozen=True)
class Repository:
    """One repository to scan. ``url`` is cloned; otherwise ``path`` is scanned in place."""

    source: str  # as the user wrote it
    name: str  # unique and file-name safe: results/<name>.sarif
    url: str | None = None
    path: str | None = None
    problem: str | None = None  # why it cannot be scanned (not a URL, a directory nor a list)


def expand(sources: Iterable[str]) -> Iterator[Repository]:
    """The repositories ``sources`` name, lazily, in order; list files are read line by line."""
    for source in sources:
        if _URL.match(source):
            yield from_url(source)
        elif os.path.isdir(source):
            yield from_directory(source, source)
        elif os.path.exists(source):  # a list (a regular file, or a FIFO fed by another program)
            yield from _listed(Path(source))
        else:
            yield _unusable(source, "neither a git URL, a directory nor a list file")


def _listed(listing: Path) -> Iterator[Repository]:
    try:
        with listing.open(encoding="utf-8") as lines:
            for number, raw in enumerate(lines, 1):
                line = raw.strip()
                if not line or line.startswith("#"):
                    continue
                if _URL.match(line):
                    yield from_url(line)
                    continue
                path = line if os.path.isabs(line) else os.path.join(listing.parent, line)
                if os.path.isdir(path):
                    yield from_directory(path, line)
                else:
                    yield _unusable(line, f"neither a git URL nor a directory (line {number} of {listing})")
    except (OSError, UnicodeDecodeError) as exc:
        raise RepositoryError(f"{listing}: cannot be read as a list of repositories ({exc})") from exc


def _unusable(source: str, why: str) -> Repository:
    return Repository(source, _name(source, source), problem=why)


def from_url(url: str) -> Repository:
    return Repository(url, _name(url, url), url=url)


def from_directory(path: str, source: str) -> Repository:
    """A git repository's own folder (or a bare one) is cloned; anything else is scanned in place."""
    real = os.path.realpath(path)
    if _is_repository_top(real):
        return Repository(source, _name(real, real), url=Path(real).as_uri())
    return Repository(source, _name(real, real), path=real)


def _is_repository_top(folder: str) -> bool:
    proc = _git(["-C", folder, "rev-parse", "--is-bare-repository", "--show-toplevel"], check=False)
    if proc.returncode != 0:
        return False
    lines = proc.stdout.split("\n")
    return lines[0] == "true" or (len(lines) > 1 and os.path.realpath(lines[1]) == folder)


def _name(label: str, key: str) -> str:
    """The last part of the URL or path, made safe, and a digest of the whole (two clones of
    ``repo`` from different hosts stay apart)."""
    tail = label.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1].removesuffix(".git")
    safe = _UNSAFE.sub("-", tail).strip(".-")[:60] or "repository"
    return f"{safe}-{hashlib.sha256(key.encode('utf-8', 'surrogateescape')).hexdigest()[:10]}"


def remote_head(url: str) -> str:
    """The commit ``url``'s HEAD names, asked of the remote without cloning; '' for an empty
    repository (no commits yet)."""
    proc = _git(["ls-remote", "--", url, "HEAD"])
    line = proc.stdout.split("\n", 1)[0]
    return line.split("\t", 1)[0] if line else ""


def checkout(url: str, folder: Path) -> str:
    """Make ``folder`` a clean shallow checkout of ``url``'s HEAD; return its commit ('' when
    the repository is empty). A folder that is not a checkout of ``url`` is replaced."""
    if (folder / ".git").is_dir() and _origin(folder) == url and remote_head(url):
        _git(["-C", str(folder), "fetch", "--quiet", "--depth", "1", "--no-tags", "origin", "HEAD"])
        _git(["-C", str(folder), "-c", "advice.detachedHead=false", "checkout", "--quiet", "--force", "--detach",
              "FETCH_HEAD"])
        _git(["-C", str(folder), "clean", "--quiet", "-ffdx"])  # leftovers of a killed run, or ignored files
    else:
        folder.parent.mkdir(parents=True, exist_ok=True)
        partial = folder.with_name(f".{folder.name}.{os.getpid()}.partial")
        shutil.rmtree(partial, ignore_errors=True)
        _git(["clone", "--quiet", "--depth", "1", "--no-tags", "--", url, str(partial)])
        shutil.rmtree(folder, ignore_errors=True)
        os.replace(partial, folder)  # a killed clone never looks like a finished one
    return head(folder)


def head(folder: Path) -> str:
    proc = _git(["-C", str(folder), "rev-parse", "--verify", "--quiet", "HEAD"], check=False)
    return proc.stdout.strip() if proc.returncode == 0 else ""


def _origin(folder: Path) -> str:
    return _git(["-C", str(folder), "config", "--get", "remote.origin.url"], check=False).stdout.strip()


def _git(args: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_LFS_SKIP_SMUDGE": "1"}
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")
    try:
        proc = subprocess.run(["git", *args], capture_output=True, text=True, errors="replace", env=env,
                              timeout=GIT_TIMEOUT, check=False)
    except subprocess.TimeoutExpired as exc:
        raise RepositoryError(f"git {args[0] if args[0] != '-C' else args[2]} timed out after {GIT_TIMEOUT} s") from exc
    except OSError as exc:
        raise RepositoryError(f"git cannot be run ({exc.strerror or exc}); is it installed?") from exc
    if check and proc.returncode != 0:
        detail = " ".join(proc.stderr.split())[:500] or f"exit status {proc.returncode}"
        raise RepositoryError(f"git {args[0] if args[0] != '-C' else args[2]}: {detail}")
    return proc
