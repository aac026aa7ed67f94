"""Positions between entropy-lint and a language client: code points on our side, the client's
code units (UTF-8 bytes, UTF-16 units or code points, as negotiated) on the other.

Findings carry 1-based lines and 1-based code-point columns; LSP positions are 0-based lines and
0-based columns in the negotiated encoding (UTF-16 unless the client offers another in
``general.positionEncodings``). A character outside the Basic Multilingual Plane is one code
point, two UTF-16 units and four UTF-8 bytes. Lines end at LF, CRLF or a lone CR, both in LSP
and in ``LineIndex``; nothing else ends a line (pygls's own codec splits at form feeds and
U+2028 as ``str.splitlines`` does, which is why the server keeps its own).

Positions from the client are untrusted: a line past the end, a column past the line's end, or
a column inside a character (half a surrogate pair, a byte inside a UTF-8 sequence) are clamped,
never an error.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Literal
from urllib.parse import unquote, urlparse

from entropy_lint.lines import LineIndex

Encoding = Literal["utf-8", "utf-16", "utf-32"]
ENCODINGS: tuple[Encoding, ...] = ("utf-16", "utf-8", "utf-32")  # utf-16 first: the protocol's default


def choose_encoding(offered: Sequence[str] | None) -> Encoding:
    """The client's most preferred encoding that we speak; UTF-16 when it offers none."""
    for name in offered or ():
        if name in ENCODINGS:
            return name  # type: ignore[return-value]
    return "utf-16"


def width(char: str, encoding: Encoding) -> int:
    """Code units of one code point."""
    point = ord(char)
    if encoding == "utf-32":
        return 1
    if encoding == "utf-16":
        return 2 if point > 0xFFFF else 1
    return 1 if point < 0x80 else 2 if point < 0x800 else 3 if point < 0x10000 else 4


def units(text: str, encoding: Encoding) -> int:
    """Code units of ``text`` (a lone surrogate, as JSON can carry, counts as one UTF-16 unit)."""
    if encoding == "utf-32" or text.isascii():
        return len(text)
    if encoding == "utf-16":
        return len(text) + sum(1 for c in text if ord(c) > 0xFFFF)
    return len(text.encode("utf-8", "surrogatepass"))


class Positions:
    """One text's positions in one encoding."""

    def __init__(self, text: str, encoding: Encoding) -> None:
        self.text = text
        self.encoding = encoding
        self.lines = LineIndex(text)
        self._last = self.lines.line_of(len(text))  # the last line a position may name (1-based)

    def client(self, line: int, column: int) -> tuple[int, int]:
        """The client position (0-based line, code units) of a 1-based line and code-point column."""
        text = self.lines.line(line) or ""
        return line - 1, units(text[: max(column - 1, 0)], self.encoding)

    def client_at(self, offset: int) -> tuple[int, int]:
        """The client position of a character offset (clamped into the text)."""
        return self.client(*self.lines.position(min(max(offset, 0), len(self.text))))

    def offset(self, line: int, character: int) -> int:
        """The character offset a client position names, clamped: a line past the end is the
        end of the text, a column past the line's end is the line's end, and a column inside a
        character is that character's start."""
        if line < 0:
            return 0
        if line + 1 > self._last:
            return len(self.text)
        start = self.lines.offset(line + 1, 1)
        text = self.lines.line(line + 1) or ""
        if self.encoding == "utf-32" or text.isascii():
            return start + min(max(character, 0), len(text))
        seen = 0
        for i, char in enumerate(text):
            seen += width(char, self.encoding)
            if seen > character:
                return start + i
        return start + len(text)


def uri_to_path(uri: str) -> str | None:
    """The file a ``file:`` URI names (percent-escapes decoded), else None (an untitled buffer)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if parsed.netloc and parsed.netloc != "localhost":
        path = f"//{parsed.netloc}{path}"  # a UNC share
    if os.name == "nt" and len(path) > 2 and path[0] == "/" and path[2] == ":":
        path = path[1:]  # file:///C:/x -> C:/x
    return os.path.normpath(path) if path else None


def path_to_uri(path: str) -> str:
    return Path(os.path.abspath(path)).as_uri()
