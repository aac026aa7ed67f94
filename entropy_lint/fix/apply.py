"""Applying chosen fixes to a file's text: which fixes go together, and a unified diff.

Each fix was verified alone. Fixes whose edits overlap are not applied together: the first (in
file order) goes, the rest wait for the next round, when the file is analysed again and their
fixes are proposed and verified anew against the changed text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from entropy_lint.findings import Finding, Fix, default_fix
from entropy_lint.fix.edits import Edit, OverlapError, edits_of, normalized


def chosen(findings: Sequence[Finding], unsafe: bool = False) -> list[Fix]:
    """The fix to apply for each finding that has one, in file order."""
    picked = [(f.span, default_fix(f, unsafe)) for f in sorted(findings, key=lambda f: f.span)]
    return [fix for _, fix in picked if fix is not None]


def compatible(fixes: Sequence[Fix]) -> tuple[list[Fix], list[Edit]]:
    """The fixes that can be applied together (in order, each kept if its edits overlap none of
    those already kept; identical edits, such as one import two fixes need, count once), and
    their edits."""
    kept: list[Fix] = []
    edits: list[Edit] = []
    for fix in fixes:
        trial = edits + edits_of(fix.replacements)
        try:
            trial = normalized(trial)
        except OverlapError:
            continue
        kept.append(fix)
        edits = trial
    return kept, edits


def unified_diff(path: str, old: str, new: str) -> str:
    """A unified diff of two texts, line endings kept as they are in the file."""
    lines = difflib.unified_diff(_lines(old), _lines(new), fromfile=f"a/{path}", tofile=f"b/{path}")
    out = []
    for line in lines:
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str) -> list[str]:
    """Lines with their breaks, split where editors split them (LF, CRLF, lone CR) and nowhere else."""
    return _LINE.findall(text)
