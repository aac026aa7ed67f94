"""Reading source files safely, and decoding them the way their language does.

Only regular files are opened, without blocking (a FIFO or a device never hangs or floods the
run), and no more than the size limit is read whatever the file claims. A symbolic link is
followed only to a regular file inside the scanned roots unless the user asks otherwise. Text is
decoded as the language would: a byte-order mark (UTF-8, UTF-16, UTF-32), a Python coding
declaration (PEP 263), else UTF-8; NUL bytes in otherwise readable text (a comment, a string)
do not make a file binary.

A file of a known language that cannot be analysed is a problem at level ``error``: the run
reports it and fails unless the user allows it (fail closed).
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from entropy_lint.errors import EntropyLintError
from entropy_lint.findings import Level
from entropy_lint.languages import LANGUAGES, language_for
from entropy_lint.run.files import Candidate, display_name

DEFAULT_MAX_BYTES = 1_000_000
_BOMS = (  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CODING = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
_BLANK_OR_COMMENT = re.compile(rb"^[ \t\f]*(?:#.*)?$")
_CONTROL = frozenset(range(32)) - {9, 10, 11, 12, 13, 27}  # C0 controls other than whitespace and ESC


class SourceError(EntropyLintError):
    """A file that cannot be analysed; the message names the file and the reason."""


def _inside(path: str, roots: Sequence[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def open_regular(path: Path, roots: Sequence[str] = (), follow_symlinks: bool = False) -> int:
    """A read-only descriptor of the regular file ``path`` names, or SourceError saying why not.

    A symbolic link is followed only when its target lies inside ``roots`` (or ``follow_symlinks``);
    a directory, FIFO, socket or device is refused without blocking on it.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file or directory") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    target = str(path)
    if stat.S_ISLNK(info.st_mode):
        try:
            target = os.path.realpath(path, strict=True)
        except FileNotFoundError:
            raise SourceError(f"{path}: broken symbolic link to {os.readlink(path)}") from None
        except OSError as exc:
            raise SourceError(f"{path}: symbolic link that cannot be resolved ({exc.strerror or 'a loop'})") from exc
        if not follow_symlinks and not _inside(target, roots):
            raise SourceError(f"{path}: symbolic link to {os.readlink(path)}, outside the scanned tree; not followed "
                              "(--follow-symlinks follows it)")
    elif stat.S_ISDIR(info.st_mode):
        raise SourceError(f"{path}: is a directory")
    try:
        fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | getattr(os, "O_NOFOLLOW", 0))
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        kind = "a directory" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else \
            "a socket" if stat.S_ISSOCK(mode) else "a device"
        raise SourceError(f"{path}: {kind}, not a regular file; skipped")
    return fd


def _read(fd: int, limit: int) -> bytes:
    """At most ``limit`` bytes from ``fd``, closing it."""
    chunks, left = [], limit
    try:
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_head(path: Path, roots: Sequence[str], size: int) -> bytes:
    """The first ``size`` bytes of a regular file (for shebangs), under the same rules as a full read."""
    try:
        return _read(open_regular(path, roots), size)
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, roots: Sequence[str] = (),
               follow_symlinks: bool = False) -> bytes:
    fd = open_regular(path, roots, follow_symlinks)
    try:
        data = _read(fd, max_bytes + 1)
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise SourceError(f"{path}: over the size limit of {max_bytes:,} bytes (--max-file-size), skipped")
    return data


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, roots: Sequence[str] = (),
                follow_symlinks: bool = True) -> str:
    """A named file's text (``entropy-lint score``): regular files only, bounded, decoded."""
    data = read_bytes(path, max_bytes, roots, follow_symlinks)
    return decode_source(data, str(path), language_for(str(path), data[:256].decode("utf-8", "replace")))


def decode_source(data: bytes, where: str, language: str | None = None) -> str:
    """Text as the language reads it; any byte-order mark is kept as U+FEFF, so that offsets
    into the text map back to the file's bytes."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode(data, codec, where, f"{codec.upper()} (by its byte-order mark)")
    declared = _python_coding(data) if language == "python" else None
    if declared is not None:
        return _decode(data, declared, where, f"{declared} (its coding declaration)")
    nul = data.find(b"\0")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if nul >= 0:
            raise SourceError(f"{where}: binary file (NUL byte at offset {nul}), skipped") from exc
        raise SourceError(f"{where}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}), skipped") from exc
    if nul >= 0 and _mostly_control(data):
        raise SourceError(f"{where}: binary file (NUL byte at offset {nul}), skipped")
    return text


def _decode(data: bytes, codec: str, where: str, why: str) -> str:
    """Decode with an explicit-endian codec, which keeps a byte-order mark as U+FEFF."""
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError) as exc:
        raise SourceError(f"{where}: not valid {why}, skipped") from exc


def _python_coding(data: bytes) -> str | None:
    """The codec a PEP 263 declaration on line 1 (or line 2, after a comment or blank line) names."""
    lines = data.split(b"\n", 2)
    for i, line in enumerate(lines[:2]):
        match = _CODING.match(line)
        if match:
            try:
                name = codecs.lookup(match.group(1).decode("ascii")).name
            except (LookupError, UnicodeDecodeError):
                return match.group(1).decode("ascii", "replace")  # unknown: decoding it reports the error
            return None if name == "utf-8" else name
        if i == 0 and not _BLANK_OR_COMMENT.match(line.rstrip(b"\r")):
            return None
    return None


def _mostly_control(data: bytes) -> bool:
    """Binary rather than text with a stray NUL: control bytes are over a tenth of the first 8 kB."""
    head = data[:8192]
    return sum(b in _CONTROL for b in head) * 10 > len(head)


@dataclass(frozen=True)
class Source:
    """A file's text (or the reason it has none) and its language. A problem's ``level`` is
    ``error`` when the file is of a known language and could not be analysed (the run fails
    closed on it), ``note`` for an empty file, ``warning`` otherwise."""

    path: str
    text: str | None
    language: str | None
    problem: str | None = None
    level: Level = "warning"
    # What the manifests around the file say about its dependencies (detect/manifests.py); None
    # when none was found, so version-dependent rules say they could not tell.
    deps: Mapping[str, str] | None = field(default=None, compare=False)
    # Classes other files of the run define (detect/class_index.py), for rules that judge a class.
    classes: Mapping[str, tuple[str, ...]] | None = field(default=None, compare=False)


def load(candidate: Candidate, max_bytes: int = DEFAULT_MAX_BYTES, language: str | None = None,
         follow_symlinks: bool = False) -> Source | None:
    """Read one candidate. ``None`` for an empty file found by recursing a directory (nothing to
    lint, nothing to say); every other failure is a ``Source`` whose ``problem`` says why."""
    display = candidate.display
    known = language or language_for(display)
    if language is None and PurePath(display).suffix and known is None:
        return _unsupported(display)  # an unknown extension decides without reading the file
    try:
        data = read_bytes(candidate.path, max_bytes, candidate.roots, follow_symlinks)
        known = known or language_for(display, data[:256].decode("utf-8", "replace"))
        text = decode_source(data, str(candidate.path), known)
    except SourceError as exc:
        return Source(display, None, known, display_name(_relabel(str(exc), candidate)),
                      "error" if known is not None else "warning")
    return source_from_text(display, text, language, candidate.explicit)


def _unsupported(display: str) -> Source:
    return Source(display, None, None, f"{display}: unsupported file type (no supported language by extension or shebang), skipped")


def source_from_text(display: str, text: str, language: str | None = None, explicit: bool = True) -> Source | None:
    if language is not None and language not in LANGUAGES:
        raise EntropyLintError(f"unknown language {language!r}; use one of {', '.join(LANGUAGES)}")
    lang = language or language_for(display, text[:256])
    if lang is None:
        return _unsupported(display)
    if not text.lstrip("\ufeff").strip():
        if not explicit:
            return None
        return Source(display, None, lang, f"{display}: empty file, nothing to lint", "note")
    return Source(display, text, lang)


def _relabel(message: str, candidate: Candidate) -> str:
    """Name the file as the user will recognise it."""
    prefix = f"{candidate.path}:"
    return candidate.display + message[len(prefix) - 1 :] if message.startswith(prefix) else message


MANIFEST_MAX_BYTES = 8_000_000  # lockfiles of large monorepos run to megabytes


class Dependencies:
    """What the manifests and lockfiles between a file and the top of its tree declare (nearer
    folders win), read once per folder. Only regular files inside the scanned roots are read, each
    bounded; one that cannot be read or parsed adds nothing (the rules then say they could not tell)."""

    def __init__(self) -> None:
        self._folders: dict[str, dict[str, str] | None] = {}

    def near(self, path: Path, roots: Sequence[str]) -> dict[str, str] | None:
        folder = os.path.dirname(os.path.realpath(path))
        chain = []
        while _inside(folder, roots):
            chain.append(folder)
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        found = [deps for deps in (self._folder(f, roots) for f in reversed(chain)) if deps is not None]
        if not found:
            return None
        merged: dict[str, str] = {}
        for deps in found:  # from the top of the tree down: the nearest manifest has the last word
            merged.update(deps)
        return merged

    def _folder(self, folder: str, roots: Sequence[str]) -> dict[str, str] | None:
        if folder not in self._folders:
            from entropy_lint.detect.manifests import MANIFEST_NAMES, merge_manifests

            texts = []
            for name in MANIFEST_NAMES + _requirement_files(folder):
                try:
                    data = read_bytes(Path(folder, name), MANIFEST_MAX_BYTES, roots)
                except SourceError:
                    continue
                texts.append((name, data.decode("utf-8", "replace")))
            self._folders[folder] = merge_manifests(texts) if texts else None
        return self._folders[folder]


def _requirement_files(folder: str) -> tuple[str, ...]:
    from entropy_lint.detect.manifests import MANIFEST_NAMES, is_manifest

    try:
        names = os.listdir(folder)
    except OSError:
        return ()
    return tuple(sorted(n for n in names if n not in MANIFEST_NAMES and is_manifest(n)))[:20]
