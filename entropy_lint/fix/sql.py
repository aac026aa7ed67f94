"""Queries built from strings, rewritten with parameters: ``"... name = '" + name + "'"`` becomes
``"... name = ?"`` with ``name`` passed separately.

Only when every value stands where a placeholder can: a whole quoted SQL string (``'...'`` around
nothing but the value) or outside any SQL string; and only when the placeholder style is known
from what the file imports (sqlite3's ``?``, psycopg's ``%s``, PostgreSQL drivers' ``$1``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from entropy_lint.fix.commands import Part, parts, preferred_quote

if TYPE_CHECKING:
    from tree_sitter import Node

# (pattern over the file's text, placeholder style), first match wins
_STYLES: dict[str, tuple[tuple[str, str], ...]] = {
    "python": ((r"\bimport\s+sqlite3\b|\bfrom\s+sqlite3\b", "?"),
               (r"\b(?:import|from)\s+(?:psycopg2?|pymysql|MySQLdb|mysql\.connector|django)\b", "%s")),
    "javascript": ((r"""['"](?:mysql2?|sqlite3|better-sqlite3)['"]""", "?"), (r"""['"]pg['"]""", "$")),
    "go": ((r'"github\.com/(?:go-sql-driver/mysql|mattn/go-sqlite3)"|"modernc\.org/sqlite"', "?"),
           (r'"github\.com/(?:lib/pq|jackc/pgx[^"]*)"', "$")),
    "ruby": ((r"", "?"),),  # ActiveRecord's conditions always take ?
}
_STYLES["typescript"] = _STYLES["tsx"] = _STYLES["javascript"]
_QUOTES = {"python": "\"'", "javascript": "'\"", "typescript": "'\"", "tsx": "'\"", "ruby": "'\"", "go": '"`'}


def style(text: str, language: str) -> str | None:
    for pattern, placeholder in _STYLES.get(language, ()):
        if re.search(pattern, text):
            return placeholder
    return None


def parameterized(node: Node, language: str, file_text: str) -> str | None:
    """The query as a constant string followed by its values, written as the call's arguments in
    ``language`` (``"... = ?", (name,)`` in Python); None where that cannot be done safely."""
    placeholder = style(file_text, language)
    pieces = parts(node, language)
    if placeholder is None or pieces is None or all(p.literal for p in pieces):
        return None
    sql: list[str] = []
    values: list[str] = []
    for i, piece in enumerate(pieces):
        if piece.literal:
            sql.append(piece.text)
            continue
        before = "".join(sql)
        after = next((p.text for p in pieces[i + 1 :] if p.literal and p.text), "")
        quoted = before.endswith("'") and after.startswith("'")
        if quoted:
            before = before[:-1]
        if before.count("'") % 2:
            return None  # the value sits inside a longer SQL string ('%' || x || '%' is for the author)
        values.append(piece.text)
        mark = f"${len(values)}" if placeholder == "$" else placeholder
        sql = [before, mark]
        if quoted:
            _drop_leading_quote(pieces, i)
    query = "".join(sql)
    if placeholder == "%s":
        query = query.replace("%", "%%").replace("%%s", "%s")
    literal = _string(query, language, _written_quote(node) or preferred_quote(file_text, language))
    if literal is None:
        return None
    if language == "python":
        params = f"({values[0]},)" if len(values) == 1 else f"({', '.join(values)})"
    elif language in ("javascript", "typescript", "tsx"):
        params = f"[{', '.join(values)}]"
    else:
        params = ", ".join(values)
    return f"{literal}, {params}"


def _drop_leading_quote(pieces: list[Part], i: int) -> None:
    for j in range(i + 1, len(pieces)):
        if pieces[j].literal and pieces[j].text:
            pieces[j] = Part(True, pieces[j].text[1:])
            return


def _written_quote(node: Node) -> str | None:
    """The quote the query's first string literal was written with."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("string", "string_literal", "interpreted_string_literal", "template_string"):
            text = (current.text or b"").decode("utf-8", "replace").lstrip("fFrRbBuU")
            return text[:1] if text[:1] in "'\"`" else None
        stack.extend(reversed(current.named_children))
    return None


def _string(text: str, language: str, preferred: str) -> str | None:
    if "\\" in text or "\n" in text:
        return None
    quotes = _QUOTES.get(language, "")
    for quote in sorted(quotes, key=lambda q: q != preferred):
        if quote not in text and not (language == "ruby" and quote == '"' and "#{" in text):
            return f"{quote}{text}{quote}"
    return None
