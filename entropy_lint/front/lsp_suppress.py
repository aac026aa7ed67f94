"""The "suppress this rule on this line" edit: an ``entropy-lint: ignore[RULE]`` comment in the
language's own comment syntax, as the README documents (on the finding's line or the line before).

Candidates, in order: add the rule to an ignore comment the line (or the line before) already
has; append a comment at the end of the line, after any comment already there (which is kept
as written); or put the comment on a line of its own above, at the line's indentation. A
candidate is offered only when tree-sitter reads the inserted text as a comment and the file has
no more syntax errors than before: a line that ends inside a string, a template literal, JSX
text or a heredoc, or after a line-continuation backslash, must not gain text that changes what
the code means.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from entropy_lint.languages import LANGUAGES, parse
from entropy_lint.lines import LineIndex

_IGNORE_LIST = re.compile(r"entropy-lint:\s*ignore\[([^\]]*)\]")
_INDENT = re.compile(r"[ \t]*")
_LONE_CR = re.compile(r"\r(?!\n)")
_LITERALS = ("string", "heredoc", "template", "jsx")  # node types whose text is data, not code


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` (character offsets) by ``new``."""

    start: int
    end: int
    new: str

    def apply(self, text: str) -> str:
        return text[: self.start] + self.new + text[self.end :]


def suppression(text: str, language: str, rule_id: str, line: int) -> Edit | None:
    """The first candidate edit that hides ``rule_id`` on 1-based ``line`` and reads as a comment."""
    info = LANGUAGES.get(language)
    lines = LineIndex(text)
    if info is None or lines.line(line) is None:
        return None
    before = _errors(text, language)
    for edit, comment_at in _candidates(lines, info.comments, rule_id, line):
        after = edit.apply(text)
        if _is_comment(after, language, comment_at) and _errors(after, language) <= before:
            return edit
    return None


def _candidates(lines: LineIndex, openers: tuple[str, ...], rule_id: str, line: int) -> Iterator[tuple[Edit, int]]:
    """(edit, a character offset in the edited text that must lie inside a comment)."""
    for number in (line, line - 1):
        content = lines.line(number) if number >= 1 else None
        if content is None:
            continue
        for match in _IGNORE_LIST.finditer(content):
            if any(opener in content[: match.start()] for opener in openers):
                at = lines.offset(number, 1) + match.end(1)
                listed = match.group(1).strip()
                yield Edit(at, at, f", {rule_id}" if listed else rule_id), at
    content = lines.line(line) or ""
    start = lines.offset(line, 1)
    comment = f"{openers[0]} entropy-lint: ignore[{rule_id}]"
    end = start + len(content)
    yield Edit(end, end, f"  {comment}"), end + 2
    indent = _INDENT.match(content).group(0)  # type: ignore[union-attr]
    yield Edit(start, start, f"{indent}{comment}{_line_break(lines, line)}"), start + len(indent)


def _line_break(lines: LineIndex, line: int) -> str:
    """The break that ends ``line`` (so an inserted line matches the file's style); LF at the end."""
    start = lines.offset(line, 1) + len(lines.line(line) or "")
    following = lines.text[start : start + 2]
    return "\r\n" if following.startswith("\r\n") else following[:1] if following[:1] in ("\r", "\n") else "\n"


def _source(text: str) -> bytes:
    # As the pipeline parses: a lone CR ends a line for us, but the grammars end lines at LF only.
    return _LONE_CR.sub("\n", text).encode("utf-8", "surrogatepass")


def _is_comment(text: str, language: str, offset: int) -> bool:
    """A comment node holds ``offset``, and nothing around it is a string (grammars recover
    from an unterminated string by reading a ``#`` inside it as a comment)."""
    at = len(text[:offset].encode("utf-8", "surrogatepass"))
    node = parse(language, _source(text)).root_node.descendant_for_byte_range(at, at + 1)
    if node is None or "comment" not in node.type:
        return False
    while node is not None:
        if any(word in node.type for word in _LITERALS):
            return False
        node = node.parent
    return True


def _errors(text: str, language: str) -> int:
    """ERROR and MISSING nodes, visiting only subtrees that contain one."""
    count, stack = 0, [parse(language, _source(text)).root_node]
    while stack:
        node = stack.pop()
        if node.is_error or node.is_missing:
            count += 1
        stack.extend(c for c in node.children if c.has_error)
    return count
