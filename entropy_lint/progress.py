"""A progress line on stderr for runs longer than about a second, only on a terminal."""

from __future__ import annotations

import time
from typing import TextIO


class Progress:
    """Counts files done and tokens scored; draws one self-overwriting line, at most 10 times a
    second, when ``stream`` is a terminal. ``message`` lines (a download) go out unless quiet."""

    def __init__(self, stream: TextIO | None, total: int = 0, *, quiet: bool = False, delay: float = 1.0,
                 label: str = "files") -> None:
        self.stream = None if quiet else stream
        self.total = total
        self.enabled = self.stream is not None and _isatty(self.stream)
        self.started = time.monotonic()
        self.delay = delay
        self.label = label
        self.files = 0
        self.tokens = 0
        self._drawn = 0.0
        self._visible = False

    @classmethod
    def off(cls) -> Progress:
        """Counts, shows nothing (the server, tests)."""
        return cls(None)

    def file_done(self) -> None:
        self.files += 1
        self._draw()

    def scored(self, tokens: int) -> None:
        self.tokens += tokens
        self._draw()

    def message(self, text: str) -> None:
        """A status line (model download, conversion) that stays."""
        if self.stream is None:
            return
        self.clear()
        print(f"entropy-lint: {text}", file=self.stream, flush=True)

    def _draw(self) -> None:
        now = time.monotonic()
        if not self.enabled or self.stream is None or now - self.started < self.delay or now - self._drawn < 0.1:
            return
        self._drawn = now
        width = 24
        done = int(width * self.files / self.total) if self.total else 0
        bar = "#" * done + "." * (width - done)
        tokens = f", {self.tokens:,} tokens scored" if self.tokens else ""
        self.stream.write(f"\r\x1b[Kentropy-lint [{bar}] {self.files}/{self.total} {self.label}{tokens}")
        self.stream.flush()
        self._visible = True

    def clear(self) -> None:
        if self._visible and self.stream is not None:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._visible = False


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
