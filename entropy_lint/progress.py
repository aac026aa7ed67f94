"""A progress line on stderr for runs longer than about a second, only on a terminal."""

from __future__ import annotations

import time
from typing import TextIO


class Progress:
    """Counts files done and tokens scored; draws one self-overwriting line, at most 10 times a
    second, when ``stream`` is a terminal. ``message`` lines (a download) go out unless quiet.

    While the model scores, the line counts tokens: how many of how many (when the scorer said
    beforehand, through ``planned``), the rate since scoring began, and the time left at that
    rate. Files alone say little: one large file can be most of the run."""

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
        self.tokens_total = 0  # tokens the scorer planned to score; 0 when it did not say
        self.scoring_since: float | None = None
        self._drawn = 0.0
        self._visible = False

    @classmethod
    def off(cls) -> Progress:
        """Counts, shows nothing (the server, tests)."""
        return cls(None)

    def file_done(self) -> None:
        self.files += 1
        self._draw()

    def planned(self, tokens: int) -> None:
        """The scorer is about to score ``tokens`` more tokens."""
        self.tokens_total += tokens
        if self.scoring_since is None:
            self.scoring_since = time.monotonic()
        self._draw()

    def scored(self, tokens: int) -> None:
        if self.scoring_since is None:
            self.scoring_since = time.monotonic()
        self.tokens += tokens
        self._draw()

    def message(self, text: str) -> None:
        """A status line (model download, conversion) that stays."""
        if self.stream is None:
            return
        self.clear()
        print(f"entropy-lint: {text}", file=self.stream, flush=True)

    def line(self, now: float | None = None) -> str:
        """The progress line as drawn at ``now`` (without the terminal's control characters)."""
        now = time.monotonic() if now is None else now
        width = 24
        if self.tokens_total:
            fraction = min(1.0, self.tokens / self.tokens_total)
        else:
            fraction = self.files / self.total if self.total else 0.0
        done = int(width * fraction)
        text = f"entropy-lint [{'#' * done}{'.' * (width - done)}] {self.files}/{self.total} {self.label}"
        if self.tokens or self.tokens_total:
            text += f", {self.tokens:,}" + (f"/{self.tokens_total:,}" if self.tokens_total else "") + " tokens"
            elapsed = now - (self.scoring_since if self.scoring_since is not None else now)
            if self.tokens and elapsed > 0:
                rate = self.tokens / elapsed
                text += f", {rate:,.0f} tokens/s"
                if self.tokens_total > self.tokens:
                    text += f", ETA {_clock((self.tokens_total - self.tokens) / rate)}"
        return text

    def _draw(self) -> None:
        now = time.monotonic()
        if not self.enabled or self.stream is None or now - self.started < self.delay or now - self._drawn < 0.1:
            return
        self._drawn = now
        self.stream.write(f"\r\x1b[K{self.line(now)}")
        self.stream.flush()
        self._visible = True

    def clear(self) -> None:
        if self._visible and self.stream is not None:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._visible = False


def _clock(seconds: float) -> str:
    """2:05, or 1:02:05 past an hour."""
    s = int(seconds + 0.5)
    hours, rest = divmod(s, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
