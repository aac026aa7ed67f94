"""Reading source files: UTF-8 text or one clear sentence saying why not."""

from __future__ import annotations

import os
from pathlib import Path

from entropy_lint.errors import EntropyLintError

DEFAULT_MAX_BYTES = 1_000_000


class SourceError(EntropyLintError):
    """A file that cannot be analysed; the message names the file and the reason."""


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """The file's text, decoded as UTF-8 with line endings and any BOM kept exactly."""
    if path.is_symlink() and not path.exists():
        raise SourceError(f"{path}: broken symbolic link to {os.readlink(path)}")
    if not path.exists():
        raise SourceError(f"{path}: no such file or directory")
    if path.is_dir():
        raise SourceError(f"{path}: is a directory")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceError(f"{path}: {size:,} bytes is over the size limit of {max_bytes:,} (--max-file-size)")
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    return decode_source(data, str(path))


def decode_source(data: bytes, where: str) -> str:
    nul = data.find(b"\0")
    if nul >= 0:
        raise SourceError(f"{where}: binary file (NUL byte at offset {nul}), skipped")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"{where}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}), skipped"
        ) from exc
