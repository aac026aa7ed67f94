"""Classes the scanned tree defines, for rules whose risk depends on a class's ancestry.

A file's own classes are resolved by its extractor (``python_scopes``); a loader class defined in
one file and passed to ``yaml.load`` in another is not. Before detection, ``class_index`` reads
the Python files of a run once (a regular expression over class headers, not a parse: a hint,
like the names it reads) and keeps only the classes whose ancestry, through the tree's own
classes, reaches a library class some rule asks about. Names are simple (the last dotted part),
so a name defined twice is kept only when every definition has the same ancestry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

WATCHED = frozenset({  # library classes whose subclasses a rule judges
    "SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader", "SafeConstructor", "BaseConstructor",
    "Loader", "CLoader", "UnsafeLoader", "CUnsafeLoader", "FullLoader", "CFullLoader", "Constructor",
    "UnsafeConstructor", "FullConstructor", "SSHClient",
})
_HEADER = re.compile(r"^[ \t]*class[ \t]+([A-Za-z_]\w*)[ \t]*\(([^()]*)\)[ \t]*:", re.M)
_BASE = re.compile(r"[A-Za-z_][\w.]*")  # a base as a dotted name (not a keyword argument or a call)
_HINTS = ("Loader", "Constructor", "SSHClient")  # a file without one of these defines no watched subclass
_MAX_ANCESTORS = 64


def class_index(texts: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """Simple class name -> its ancestors (as written, nearest first), for the classes of
    ``texts`` whose ancestry reaches a ``WATCHED`` class."""
    bases: dict[str, tuple[str, ...]] = {}
    conflicting: set[str] = set()
    for text in texts:
        if "class" not in text or not any(hint in text for hint in _HINTS):
            continue
        for match in _HEADER.finditer(text):
            name = match.group(1)
            found = tuple(b for b in (part.strip() for part in match.group(2).split(",")) if _BASE.fullmatch(b))
            if name in bases and bases[name] != found:
                conflicting.add(name)
            bases[name] = found
    for name in conflicting:
        del bases[name]
    out: dict[str, tuple[str, ...]] = {}
    for name in bases:
        ancestry = _ancestors(name, bases)
        if any(a.rsplit(".", 1)[-1] in WATCHED for a in ancestry):
            out[name] = ancestry
    return out


def _ancestors(name: str, bases: Mapping[str, tuple[str, ...]]) -> tuple[str, ...]:
    found: list[str] = []
    stack = list(reversed(bases.get(name, ())))
    while stack and len(found) < _MAX_ANCESTORS:
        base = stack.pop()
        if base in found:
            continue
        found.append(base)
        simple = base.rsplit(".", 1)[-1]
        if simple in bases and simple != name:
            stack.extend(reversed(bases[simple]))
    return tuple(found)
