"""Imports a rewrite needs, added once, where the file keeps its imports: after the last top-level
``import`` (Python, Java), ``#include`` (C, C++), import spec (Go), ``require`` (Ruby, JavaScript
using CommonJS) or ES ``import``. Go also drops an import that the rewrite left unused (an unused
import does not compile there)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from entropy_lint.fix.edits import Edit

if TYPE_CHECKING:
    from tree_sitter import Node

    from entropy_lint.fix.context import FileContext


def import_edit(ctx: FileContext, module: str) -> Edit | None:
    """The edit that imports ``module``, or None when the file already has it (or needs none)."""
    adder = _ADDERS.get(ctx.language)
    return adder(ctx, module) if adder else None


def _text(node: Node | None) -> str:
    return node.text.decode("utf-8", "replace") if node is not None and node.text is not None else ""


def _top(ctx: FileContext, types: Sequence[str]) -> list[Node]:
    return [c for c in ctx.tree.root_node.children if c.type in types]


def _after(ctx: FileContext, node: Node, line: str) -> Edit:
    """Insert ``line`` as a new line after the line where ``node`` ends."""
    start, end = ctx.char(node.start_byte), ctx.char(node.end_byte)
    row = ctx.lines.line_of(max(start, end - 1))  # a preprocessor line's node holds its line break
    at = ctx.lines.offset(row, len(ctx.lines.line(row) or "") + 1)
    return Edit(at, at, ctx.newline + line)


def _at_top(ctx: FileContext, line: str, skip: Callable[[str], bool]) -> Edit:
    """Insert ``line`` before the first line that ``skip`` does not pass over (a shebang, a
    comment, a PHP open tag)."""
    row = 1
    while row <= len(ctx.lines) and skip(ctx.lines.line(row) or ""):
        row += 1
    if row > len(ctx.lines):
        at = len(ctx.text)
        return Edit(at, at, (ctx.newline if ctx.text and not ctx.text.endswith(("\n", "\r")) else "") + line + ctx.newline)
    at = ctx.lines.offset(row, 1)
    return Edit(at, at, line + ctx.newline)


def _comment_or_blank(prefixes: tuple[str, ...]) -> Callable[[str], bool]:
    return lambda line: not line.strip() or line.lstrip().startswith(prefixes)


# --- Python -------------------------------------------------------------------------------------
def _python(ctx: FileContext, module: str) -> Edit | None:
    imports = _top(ctx, ("import_statement", "import_from_statement", "future_import_statement"))
    for node in imports:
        if node.type == "import_statement" and any(
                c.type == "dotted_name" and _text(c) == module for c in node.children_by_field_name("name")):
            return None
    line = f"import {module}"
    if imports:
        return _after(ctx, imports[-1], line)
    first = next((c for c in ctx.tree.root_node.named_children if c.type != "comment"), None)
    if first is not None and first.type == "expression_statement" and first.named_child_count == 1 \
            and first.named_children[0].type == "string":
        return _after(ctx, first, line)  # after the module's docstring
    return _at_top(ctx, line, _comment_or_blank(("#",)))


# --- C and C++ ----------------------------------------------------------------------------------
def _c(ctx: FileContext, header: str) -> Edit | None:
    includes = _top(ctx, ("preproc_include",))
    if any(_text(n.child_by_field_name("path")) == header for n in includes):
        return None
    line = f"#include {header}"
    return _after(ctx, includes[-1], line) if includes else _at_top(ctx, line, _comment_or_blank(("//", "/*", "*")))


# --- Go -----------------------------------------------------------------------------------------
def _go_specs(ctx: FileContext) -> list[Node]:
    specs = []
    for decl in _top(ctx, ("import_declaration",)):
        for node in decl.named_children:
            specs.extend([node] if node.type == "import_spec" else [c for c in node.named_children if c.type == "import_spec"])
    return specs


def _go_path(spec: Node) -> str:
    return _text(spec.child_by_field_name("path")).strip('"`')


def _go(ctx: FileContext, path: str) -> Edit | None:
    specs = _go_specs(ctx)
    for spec in specs:
        if _go_path(spec) == path and spec.child_by_field_name("name") is None:
            return None
    quoted = f'"{path}"'
    if specs:
        last = specs[-1]
        if last.parent is not None and last.parent.type == "import_spec_list":
            row = ctx.lines.line_of(ctx.char(last.start_byte))
            text = ctx.lines.line(row) or ""
            indent = text[: len(text) - len(text.lstrip())]
            return _after(ctx, last, indent + quoted)
        return _after(ctx, last.parent or last, f"import {quoted}")
    package = _top(ctx, ("package_clause",))
    if package:
        return _after(ctx, package[0], ctx.newline.join(("", f"import {quoted}")))
    return None


def go_unused_import(ctx: FileContext, package: str, within: tuple[int, int]) -> Edit | None:
    """The edit removing the import of ``package`` (a name such as ``md5``) when every use of it
    lies in the character range ``within`` (the call being rewritten)."""
    uses = 0
    stack = [ctx.tree.root_node]
    while stack:
        node = stack.pop()
        if node.type in ("identifier", "package_identifier") and _text(node) == package and node.parent is not None \
                and node.parent.type in ("selector_expression", "qualified_type"):
            start = ctx.char(node.start_byte)
            if not within[0] <= start < within[1]:
                uses += 1
        stack.extend(node.children)
    if uses:
        return None
    for spec in _go_specs(ctx):
        name = spec.child_by_field_name("name")
        if (_text(name) if name is not None else _go_path(spec).rsplit("/", 1)[-1]) != package:
            continue
        target = spec if spec.parent is not None and spec.parent.type == "import_spec_list" else spec.parent
        if target is None:
            return None
        return _remove_lines(ctx, target)
    return None


def _remove_lines(ctx: FileContext, node: Node) -> Edit | None:
    """Remove the whole lines ``node`` occupies, when nothing else is on them."""
    start, end = ctx.char(node.start_byte), ctx.char(node.end_byte)
    first, last = ctx.lines.line_of(start), ctx.lines.line_of(end)
    line_start = ctx.lines.offset(first, 1)
    last_text = ctx.lines.line(last) or ""
    line_end = ctx.lines.offset(last, len(last_text) + 1)
    if ctx.text[line_start:start].strip() or ctx.text[end:line_end].strip():
        return None
    after = ctx.lines.offset(last + 1, 1) if last < len(ctx.lines) else len(ctx.text)
    return Edit(line_start, after, "")


# --- Java ---------------------------------------------------------------------------------------
def _java(ctx: FileContext, name: str) -> Edit | None:
    imports = _top(ctx, ("import_declaration",))
    package = name.rsplit(".", 1)[0]
    for node in imports:
        written = re.sub(r"\s+", "", _text(node)).removeprefix("import").removesuffix(";")
        if written in (name, f"{package}.*"):
            return None
    line = f"import {name};"
    if imports:
        return _after(ctx, imports[-1], line)
    declared = _top(ctx, ("package_declaration",))
    if declared:
        return _after(ctx, declared[0], ctx.newline.join(("", line)))
    return _at_top(ctx, line, _comment_or_blank(("//", "/*", "*")))


# --- Ruby and JavaScript ------------------------------------------------------------------------
_REQUIRE = re.compile(r"""\brequire\s*\(?\s*['"]([^'"]+)['"]""")
_ES_FROM = re.compile(r"""\bfrom\s*['"]([^'"]+)['"]""")


def _ruby(ctx: FileContext, library: str) -> Edit | None:
    requires = [n for n in _top(ctx, ("call",)) if _text(n.child_by_field_name("method")) in ("require", "require_relative")]
    if any(m == library for n in requires for m in _REQUIRE.findall(_text(n))):
        return None
    line = f"require '{library}'"
    return _after(ctx, requires[-1], line) if requires else _at_top(ctx, line, _comment_or_blank(("#",)))


def _javascript(ctx: FileContext, module: str) -> Edit | None:
    statements = _top(ctx, ("import_statement", "lexical_declaration", "variable_declaration", "expression_statement"))
    es = [n for n in statements if n.type == "import_statement"]
    common = [n for n in statements if n.type != "import_statement" and _REQUIRE.search(_text(n))]
    if any(module in _ES_FROM.findall(_text(n)) for n in es) or any(module in _REQUIRE.findall(_text(n)) for n in common):
        return None
    local = re.sub(r"\W", "_", module.rsplit("/", 1)[-1])
    if es:
        return _after(ctx, es[-1], f"import {local} from '{module}';")
    line = f"const {local} = require('{module}');"
    return _after(ctx, common[-1], line) if common else _at_top(ctx, line, _comment_or_blank(("//", "/*", "*", "#!", "'use", '"use')))


_ADDERS: dict[str, Callable[[FileContext, str], Edit | None]] = {
    "python": _python, "c": _c, "cpp": _c, "go": _go, "java": _java, "ruby": _ruby,
    "javascript": _javascript, "typescript": _javascript, "tsx": _javascript,
}
