"""Reading source files: UTF-8 text or one clear sentence saying why not."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePath

from entropy_lint.errors import EntropyLintError
from entropy_lint.run.files import Candidate
from entropy_lint.languages import LANGUAGES, language_for

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


@dataclass(frozen=True)
class Source:
    """A file's text (or the reason it has none) and its language."""

    path: str
    text: str | None
    language: str | None
    problem: str | None = None


def load(candidate: Candidate, max_bytes: int = DEFAULT_MAX_BYTES, language: str | None = None) -> Source | None:
    """Read one candidate. ``None`` for an empty file found by recursing a directory (nothing to
    lint, nothing to say); every other failure is a ``Source`` whose ``problem`` says why."""
    if language is None and PurePath(candidate.display).suffix and language_for(candidate.display) is None:
        return _unsupported(candidate.display)  # an unknown extension decides without reading the file
    try:
        text = read_source(candidate.path, max_bytes)
    except SourceError as exc:
        return Source(candidate.display, None, None, _relabel(str(exc), candidate))
    return source_from_text(candidate.display, text, language, candidate.explicit)


def _unsupported(display: str) -> Source:
    return Source(display, None, None, f"{display}: unsupported file type (no supported language by extension or shebang), skipped")


def source_from_text(display: str, text: str, language: str | None = None, explicit: bool = True) -> Source | None:
    if language is not None and language not in LANGUAGES:
        raise EntropyLintError(f"unknown language {language!r}; use one of {', '.join(LANGUAGES)}")
    lang = language or language_for(display, text[:256])
    if lang is None:
        return _unsupported(display)
    if not text.strip():
        if not explicit:
            return None
        return Source(display, None, lang, f"{display}: empty file, nothing to lint")
    return Source(display, text, lang)


def _relabel(message: str, candidate: Candidate) -> str:
    """Name the file as the user will recognise it."""
    prefix = f"{candidate.path}:"
    return candidate.display + message[len(prefix) - 1 :] if message.startswith(prefix) else message
