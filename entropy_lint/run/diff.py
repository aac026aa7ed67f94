"""``--diff REF``: which lines changed since a git ref (working tree against REF, untracked files whole)."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable

from entropy_lint.errors import EntropyLintError
from entropy_lint.findings import Finding

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")

Changes = dict[str, "set[int] | None"]  # absolute path -> changed lines (None: the whole file is new)


def _git(args: list[str], cwd: str) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EntropyLintError(f"--diff needs git, which could not run: {exc}") from exc
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise EntropyLintError(f"git {args[0]} failed: {message[-1] if message else 'unknown error'}")
    return proc.stdout.decode("utf-8", "surrogateescape")


def changed_lines(ref: str, cwd: str) -> Changes:
    try:
        root = _git(["rev-parse", "--show-toplevel"], cwd).strip()
    except EntropyLintError as exc:
        raise EntropyLintError(f"--diff needs a git repository ({exc})") from exc
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    except EntropyLintError as exc:
        raise EntropyLintError(f"--diff {ref}: not a commit in this repository") from exc
    changes: Changes = {}
    current: set[int] | None = None
    for line in _git(["diff", "--unified=0", "--no-color", "--no-ext-diff", "-M", ref, "--"], root).splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            current = None
            if name != "/dev/null":
                current = changes.setdefault(os.path.join(root, name[2:] if name.startswith("b/") else name), set())
        elif current is not None and (match := _HUNK.match(line)):
            start, count = int(match.group(1)), int(match.group(2) or 1)
            current.update(range(start, start + count))
    for name in _git(["ls-files", "--others", "--exclude-standard", "-z"], root).split("\0"):
        if name:
            changes[os.path.join(root, name)] = None
    return changes


def diff_filter(changes: Changes, cwd: str) -> Callable[[Finding, str], bool]:
    """Keep findings whose lines overlap a change. git numbers lines by LF alone, so a finding's
    lines are counted that way here (they differ from the reported ones only after a lone CR)."""
    resolved: Changes = {os.path.realpath(k): v for k, v in changes.items()}

    def keep(finding: Finding, text: str) -> bool:
        lines = resolved.get(os.path.realpath(os.path.join(cwd, finding.path)), ())
        if lines is None:
            return True
        first = text.count("\n", 0, finding.span[0]) + 1
        last = first + text.count("\n", finding.span[0], finding.span[1])
        return any(n in lines for n in range(first, last + 1))

    return keep
