"""Writing results: atomically, to exactly what the user named, or one sentence saying why not.

A symbolic link is written through (its target is replaced atomically; the link stays). A
directory, a device, a FIFO or a socket is refused rather than replaced. Temporary files carry
the writer's process id, so the next write removes those a killed run left behind.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from entropy_lint.errors import EntropyLintError


class OutputError(EntropyLintError):
    """The report could not be written where the user asked."""


def write_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` to a temporary file beside the target, then rename it over the target."""
    target = Path(os.path.realpath(path))  # through symbolic links, to the file they name
    try:
        mode = _existing_mode(target, path)
        if not target.parent.is_dir():
            raise OutputError(f"cannot write {path}: the folder {target.parent} does not exist")
        _remove_leftovers(target)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="", errors="surrogateescape") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _existing_mode(target: Path, named: str | Path) -> int | None:
    """The permission bits of the file being replaced (kept), or None for a new file."""
    try:
        info = target.stat()
    except FileNotFoundError:
        return None
    if stat.S_ISDIR(info.st_mode):
        raise OutputError(f"cannot write {named}: it is a directory; name a file")
    if not stat.S_ISREG(info.st_mode):
        raise OutputError(f"cannot write {named}: it is not a regular file (a device, FIFO or socket), "
                          "and entropy-lint does not replace those")
    return stat.S_IMODE(info.st_mode)


def _remove_leftovers(target: Path) -> None:
    """Temporary files of this target whose writer is no longer running."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(\d+)\.[^.]+\.tmp")
    for candidate in target.parent.glob(f".{target.name}.*.tmp"):
        match = pattern.fullmatch(candidate.name)
        if match and not _running(int(match.group(1))):
            candidate.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return False  # an earlier write of this process that did not finish
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
