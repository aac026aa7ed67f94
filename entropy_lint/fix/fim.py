"""Rewrites the model writes itself, where it can fill in the middle (Qwen2.5-Coder's
``<|fim_prefix|>``, ``<|fim_suffix|>``, ``<|fim_middle|>``).

Two requests per finding: a new callee name (the original name's first token is not allowed,
so the model must propose something else), and a new call. What comes back is only a proposal:
it is verified like any template's rewrite and always offered for review, since nothing is known
about what it does.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol

from entropy_lint.fix.edits import Edit

if TYPE_CHECKING:
    from entropy_lint.callsite import CallSite
    from entropy_lint.fix.context import FileContext

PREFIX_CHARS = 6_000
SUFFIX_CHARS = 2_000
_NAME = re.compile(r"[A-Za-z_$][\w$]*")


class Infiller(Protocol):
    def fill(self, prefix: str, suffix: str, max_tokens: int, avoid: str = "") -> str | None:
        """The text the model puts between ``prefix`` and ``suffix`` (greedy, at most
        ``max_tokens`` tokens, stopping at its end-of-middle token), never starting with the first
        token of ``avoid``; None when it produced nothing."""
        ...


def model_rewrites(ctx: FileContext, site: CallSite, infill: Infiller) -> list[tuple[str, list[Edit]]]:
    """(description, edits) of what the model proposes for the callee's name and for the call."""
    out: list[tuple[str, list[Edit]]] = []
    start, end = ctx.chars(site.start, site.end)
    name_start, name_end = ctx.chars(site.name_start, site.name_end)
    text = ctx.text
    name = infill.fill(text[max(0, name_start - PREFIX_CHARS) : name_start], text[name_end : name_end + SUFFIX_CHARS],
                       max_tokens=8, avoid=text[name_start:name_end])
    match = _NAME.match(name or "")
    if match and match.group(0) != text[name_start:name_end]:
        out.append(("the name the model wrote here", [Edit(name_start, name_end, match.group(0))]))
    original = text[start:end]
    call = infill.fill(text[max(0, start - PREFIX_CHARS) : start], text[end : end + SUFFIX_CHARS],
                       max_tokens=min(96, 16 + len(original) // 2))
    if call:
        if "\n" not in original:
            call = call.split("\n", 1)[0]
        call = call.strip()
        if call and call != original:
            out.append(("the call the model wrote here", [Edit(start, end, call)]))
    return out
