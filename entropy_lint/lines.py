"""Lines as editors count them: LF, CRLF and a lone CR each end a line; nothing else does.

Python's ``str.splitlines`` also breaks at form feeds, U+2028/U+2029, U+0085 and other
separators, and tree-sitter's rows count only LF. Findings, suppression comments, baselines and
``--diff`` all go through this one index, so a line number means the same thing everywhere.
"""

from __future__ import annotations

import bisect
import re
from itertools import accumulate

_BREAK = re.compile(r"\r\n|\r|\n")


class LineIndex:
    """1-based line numbers and columns (in code points) of character offsets in one text."""

    def __init__(self, text: str) -> None:
        self.text = text
        if "\r" not in text:  # LF only (most files): the same index from split(), without a match per line
            lengths = [len(line) + 1 for line in text.split("\n")]
            self._starts = list(accumulate(lengths[:-1], initial=0))
            self._ends = [start + length - 1 for start, length in zip(self._starts, lengths)]
            return
        self._starts = [0]
        self._ends = []  # where each line's content ends (before its line break)
        for match in _BREAK.finditer(text):
            self._ends.append(match.start())
            self._starts.append(match.end())
        self._ends.append(len(text))

    def __len__(self) -> int:
        """The number of lines; a final line break does not open another line."""
        n = len(self._starts)
        return n - 1 if n > 1 and self._starts[-1] == len(self.text) else n

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), both 1-based, of a character offset."""
        line = self.line_of(offset)
        return line, offset - self._starts[line - 1] + 1

    def offset(self, line: int, column: int) -> int:
        """The character offset of a 1-based (line, column)."""
        return self._starts[line - 1] + column - 1

    def line(self, number: int) -> str | None:
        """The text of a 1-based line without its line break; None past the end."""
        if not 1 <= number <= len(self._starts):
            return None
        return self.text[self._starts[number - 1] : self._ends[number - 1]]
