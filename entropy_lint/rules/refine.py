"""Reusable refine hooks: small functions of a ``CallSite`` that rule tables share, and the pieces
they are built from (positional arguments, argument vectors written in place)."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

from entropy_lint.callsite import Arg, CallSite
from entropy_lint.rules.base import Level, Outcome, Refine

_POSIX_SHELLS = frozenset({"sh", "bash", "zsh", "ksh", "dash", "ash", "csh", "tcsh", "fish"})
_WINDOWS_SHELLS = frozenset({"cmd", "cmd.exe", "powershell", "powershell.exe", "pwsh", "pwsh.exe"})
# sh -c, bash -lc, cmd /c (or /k), powershell -Command: the next argument is a command string.
_SHELL_FLAG = re.compile(r"-[a-z]*c[a-z]*|/[ckCK]|-(?i:command|encodedcommand)")

Element = tuple[bool, "str | None"]  # one element of an argument vector: (constant, string value)


def constant_or(index: int, constant_level: Level, dynamic_level: Level, note: str = "constant argument") -> Refine:
    """``constant_level`` when argument ``index`` is a constant (or absent), else ``dynamic_level``."""

    def refine(site: CallSite) -> Outcome | None:
        arg = site.arg(index)
        if arg is None or arg.literal:
            return Outcome(constant_level, note)
        return Outcome(dynamic_level)

    return refine


def dynamic_string_arg(index: int, level: Level, note: str = "") -> Refine:
    """Only when argument ``index`` is a string built at run time (concatenation, formatting,
    interpolation); a constant or a parameterised query is not a finding."""

    def refine(site: CallSite) -> Outcome | None:
        arg = site.arg(index)
        return Outcome(level, note) if arg is not None and arg.dynamic_string else None

    return refine


def algorithm_in(names: Collection[str], level: Level = "warning") -> Refine:
    """Only when argument 0 names (in any case) one of ``names``: ``hash('md5', ...)``."""

    def refine(site: CallSite) -> Outcome | None:
        name = (site.arg_value(0) or "").lower()
        return Outcome(level, f"{name} selected") if name in names else None

    return refine


def when(predicate: Callable[[CallSite], bool], level: Level, note: str = "") -> Refine:
    def refine(site: CallSite) -> Outcome | None:
        return Outcome(level, note) if predicate(site) else None

    return refine


def positional(site: CallSite) -> list[Arg]:
    """The arguments without a keyword, in order."""
    return [a for a in site.args if a.keyword is None]


# --- argument vectors ------------------------------------------------------------------------------
def argv_outcome(elements: list[Element]) -> Outcome | None:
    """An argument vector: a shell given a command string, or a program chosen at run time."""
    if not elements:
        return None
    constant, program = elements[0]
    if not constant:
        return Outcome("warning", "the program name is not a constant")
    base = (program or "").replace("\\", "/").rsplit("/", 1)[-1].lower()
    if base in _POSIX_SHELLS | _WINDOWS_SHELLS and len(elements) >= 3:
        flag_constant, flag = elements[1]
        if flag_constant and flag is not None and _SHELL_FLAG.fullmatch(flag):
            if elements[2][0]:
                return Outcome("note", "constant shell command")
            return Outcome("error", "command string run through a shell")
    return None  # an argument vector without a shell: no injection


def split_elements(body: str, quotes: str = '"', raw_quotes: str = "") -> list[str]:
    """The text of each element of a list written in place (the inside of ``{...}``), split at the
    commas outside strings and brackets. A string opens with one of ``quotes``; one of ``raw_quotes``
    closes at its next quote, any other at the next quote not after a backslash."""
    parts, depth, start, quote = [], 0, 0, ""
    for i, ch in enumerate(body):
        if quote:
            if ch == quote and (quote in raw_quotes or body[i - 1] != "\\"):
                quote = ""
        elif ch in quotes:
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return parts
