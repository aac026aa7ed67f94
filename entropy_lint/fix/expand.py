"""A fix template made concrete at one call: its conditions checked, its placeholders filled, its
edits (and the imports they need) as character ranges of the file. See ``rules.templates`` for
the vocabulary; ``CONDITIONS`` and ``PLACEHOLDERS`` here are what it may use."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from entropy_lint.callsite import Arg, CallSite
from entropy_lint.fix.commands import LIST, preferred_quote, split_command
from entropy_lint.fix.edits import Edit, OverlapError, normalized
from entropy_lint.fix.imports import go_unused_import, import_edit
from entropy_lint.rules.templates import FixTemplate

if TYPE_CHECKING:
    from tree_sitter import Node

    from entropy_lint.fix.context import FileContext

_FIELD = re.compile(r"\{(\d+\*?|\*|recv|name|callee|[a-z]+:\d+)\}")
_PASSWORD = re.compile(r"pass|pwd|secret|credential", re.IGNORECASE)
_NUMBER = frozenset({"integer", "number", "number_literal", "int_literal", "decimal_integer_literal",
                     "octal_integer_literal", "hex_integer_literal", "float"})
_CONTENT_DELIMITED = frozenset({"string", "string_literal", "interpreted_string_literal", "encapsed_string",
                                "template_string", "raw_string_literal"})


class Call:
    """One call site in one file, with the lookups templates need."""

    def __init__(self, site: CallSite, ctx: FileContext) -> None:
        self.site, self.ctx = site, ctx
        self.span = ctx.chars(site.start, site.end)
        self.name_span = ctx.chars(site.name_start, site.name_end)
        self.positional = [a for a in site.args if a.keyword is None]

    def text(self, start: int, end: int) -> str:
        return self.ctx.text[start:end]

    def arg_span(self, arg: Arg) -> tuple[int, int]:
        return self.ctx.chars(arg.start, arg.end)

    def arg_node(self, index: int) -> Node | None:
        arg = self.site.arg(index)
        return self.ctx.node(arg.start, arg.end) if arg is not None else None

    def node(self) -> Node | None:
        return self.ctx.node(self.site.start, self.site.end)


# --- conditions ---------------------------------------------------------------------------------
def _qualified(call: Call, _arg: str) -> bool:
    between = call.text(call.span[0], call.name_span[0])
    return bool(call.site.receiver) and between.rstrip().endswith((".", "::", "->"))


def _args(call: Call, arg: str) -> bool:
    n = len(call.positional)
    return n >= int(arg[:-1]) if arg.endswith("+") else n == int(arg)


def _literal(call: Call, arg: str) -> bool:
    return call.site.is_literal(int(arg))


def _dynamic(call: Call, arg: str) -> bool:
    a = call.site.arg(int(arg))
    return a is not None and a.dynamic_string


def _number(call: Call, arg: str) -> bool:
    a = call.site.arg(int(arg))
    return a is not None and a.node_type in _NUMBER


def _string(call: Call, arg: str) -> bool:
    a = call.site.arg(int(arg))
    return a is not None and a.literal and a.value is not None


def _unused(call: Call, _arg: str) -> bool:
    node = call.node()
    parent = node.parent if node is not None else None
    return parent is not None and parent.type == "expression_statement" and parent.named_child_count == 1


def _nokwarg(call: Call, arg: str) -> bool:
    return call.site.kwarg(arg) is None


def _mentions(call: Call, arg: str) -> bool:
    return re.search(rf"\b{re.escape(arg)}\b", call.ctx.text) is not None


def _callback(call: Call, arg: str) -> bool:
    """Argument ``arg`` is a function written in place, or a name that conventionally holds one."""
    a = call.site.arg(int(arg))
    return a is not None and (a.node_type in ("arrow_function", "function", "function_expression")
                              or (a.node_type == "identifier" and a.text in ("cb", "callback", "done", "next")))


def _named(call: Call, arg: str) -> bool:
    return call.site.name in arg.split("|")


def _receiver(call: Call, arg: str) -> bool:
    return call.site.receiver in arg.split("|")


def _text_is(call: Call, arg: str) -> bool:
    index, _, text = arg.partition("=")
    a = call.site.arg(int(index))
    return a is not None and a.text in text.split("|")


def _password(call: Call, arg: str) -> bool:
    a = call.site.arg(int(arg))
    return a is not None and _PASSWORD.search(a.text) is not None


def _array(call: Call, arg: str) -> bool:
    """C: argument ``arg`` is a name whose nearest declaration in scope is an array (so ``sizeof``
    is the buffer's size; a parameter written ``char b[16]`` is a pointer and does not count)."""
    a = call.site.arg(int(arg))
    node = call.node()
    if a is None or a.node_type != "identifier" or node is None:
        return False
    return _declared_as_array(node, a.text, call.site.start)


def _declared_as_array(node: Node, name: str, before: int) -> bool:
    scope: Node | None = node.parent
    while scope is not None:
        if scope.type in ("compound_statement", "translation_unit"):
            kinds = [_declares(child, name) for child in scope.named_children
                     if child.type == "declaration" and child.start_byte < before]
            found = [k for k in kinds if k is not None]
            if found:
                return found[-1] == "array"
        elif scope.type == "function_definition":
            declarator = scope.child_by_field_name("declarator")
            params = declarator.child_by_field_name("parameters") if declarator is not None else None
            if params is not None and any(_declares(p, name) for p in params.named_children):
                return False
        scope = scope.parent
    return False


def _declares(declaration: Node, name: str) -> str | None:
    """'array' or 'other' when ``declaration`` declares ``name``; None when it does not."""
    for child in declaration.children_by_field_name("declarator"):
        target = child.child_by_field_name("declarator") if child.type == "init_declarator" else child
        kind = "array" if target is not None and target.type == "array_declarator" else "other"
        while target is not None and target.type != "identifier":
            target = target.child_by_field_name("declarator")
        if target is not None and target.text == name.encode():
            return kind
    return None


Condition = Callable[[Call, str], bool]
CONDITIONS: dict[str, Condition] = {
    "qualified": _qualified, "args": _args, "literal": _literal, "nonliteral": lambda c, a: not _literal(c, a),
    "dynamic": _dynamic, "number": _number, "string": _string, "unused": _unused, "nokwarg": _nokwarg,
    "mentions": _mentions, "password": _password, "not-password": lambda c, a: not _password(c, a),
    "array": _array, "named": _named, "bare": lambda c, _a: not c.site.args, "receiver": _receiver, "text": _text_is,
    "callback": _callback,
}


# --- placeholders -------------------------------------------------------------------------------
def _positional_text(call: Call, index: int, rest: bool = False) -> str | None:
    if index >= len(call.positional):
        return None
    start, end = call.arg_span(call.positional[index])
    if rest:
        end = call.arg_span(call.site.args[-1])[1]
    return call.text(start, end)


def _all_args(call: Call) -> str:
    if not call.site.args:
        return ""
    return call.text(call.arg_span(call.site.args[0])[0], call.arg_span(call.site.args[-1])[1])


def _split(call: Call, index: int) -> list[str] | None:
    node = call.arg_node(index)
    return split_command(node, call.ctx.language, preferred_quote(call.ctx.text, call.ctx.language)) \
        if node is not None else None


def _listed(call: Call, items: list[str]) -> str | None:
    brackets = LIST.get(call.ctx.language)
    return f"{brackets[0]}{', '.join(items)}{brackets[1]}" if brackets else None


def _mode(call: Call, index: int) -> str | None:
    """A numeric mode without the world-write bit, written in the same base and prefix."""
    a = call.site.arg(index)
    if a is None or a.node_type not in _NUMBER:
        return None
    match = re.fullmatch(r"(0[oO]?|0[xX]|)([0-9a-fA-F_]+)", a.text)
    if match is None:
        return None
    prefix, digits = match.groups()
    base = 16 if prefix.lower() == "0x" else 8 if prefix else 10
    try:
        value = int(digits.replace("_", ""), base)
    except ValueError:
        return None
    value &= ~0o002
    body = format(value, "x" if base == 16 else "o" if base == 8 else "d")
    return prefix + body


def _computed(call: Call, kind: str, index: int) -> str | None:
    if kind == "sql":
        from entropy_lint.fix.sql import parameterized

        node = call.arg_node(index)
        return parameterized(node, call.ctx.language, call.ctx.text) if node is not None else None
    if kind == "tail":
        rest = _positional_text(call, index, rest=True)
        return ", " + rest if rest is not None else ""
    if kind == "mode":
        return _mode(call, index)
    words = _split(call, index)
    if not words:
        return None
    if kind == "argv":
        return _listed(call, words)
    if kind == "words":
        return ", ".join(words)
    if kind == "prog":
        return words[0]
    if kind == "rest":
        return _listed(call, words[1:])
    return None


PLACEHOLDERS = ("N", "N*", "*", "recv", "name", "callee", "argv:N", "words:N", "prog:N", "rest:N", "tail:N", "mode:N",
                "sql:N")


def fill(text: str, call: Call) -> str | None:
    """``text`` with its placeholders filled from ``call``; None when one cannot be."""
    missing = False

    def field(match: re.Match[str]) -> str:
        nonlocal missing
        key = match.group(1)
        value: str | None
        if key == "*":
            value = _all_args(call)
        elif key == "recv":
            value = call.site.receiver or None
        elif key == "name":
            value = call.text(*call.name_span)
        elif key == "callee":
            value = call.text(call.span[0], call.name_span[1])
        elif key[0].isdigit():
            value = _positional_text(call, int(key.rstrip("*")), key.endswith("*"))
        else:
            kind, _, index = key.partition(":")
            value = _computed(call, kind, int(index))
        if value is None:
            missing = True
            return ""
        return value

    out = _FIELD.sub(field, text)
    return None if missing else out


def placeholder_names(text: str) -> list[str]:
    """The placeholders ``text`` uses, in the form ``PLACEHOLDERS`` lists them."""
    return [re.sub(r"\d+", "N", m) for m in _FIELD.findall(text)]


# --- edits --------------------------------------------------------------------------------------
def expand(template: FixTemplate, site: CallSite, ctx: FileContext) -> list[Edit] | None:
    """The template's edits at ``site`` (imports included), or None when it does not apply."""
    call = Call(site, ctx)
    for condition in template.when:
        name, _, arg = condition.partition(":")
        if not CONDITIONS[name](call, arg):
            return None
    edits: list[Edit] = []
    steps: list[Callable[[], Edit | None]] = []
    if template.call is not None:
        steps.append(lambda: _replace(call.span, template.call, call))
    if template.name is not None:
        steps.append(lambda: _rename(template.name, call))
    if template.arg is not None:
        steps.append(lambda: _replace_arg(template.arg, call))
    if template.string is not None:
        steps.append(lambda: _restring(template.string, call))
    if template.kwarg is not None:
        steps.append(lambda: _set_kwarg(template.kwarg, call))
    if template.append is not None:
        steps.append(lambda: _append(template.append, call))
    if template.drop_kwarg is not None:
        steps.append(lambda: _drop_kwarg(template.drop_kwarg, call))
    if template.drop_key is not None:
        steps.append(lambda: _drop_key(template.drop_key, call))
    for step in steps:
        edit = step()
        if edit is None:
            return None
        if edit.start != edit.end or edit.new:
            edits.append(edit)
    added: dict[tuple[int, int], str] = {}  # imports inserted at one place go in as one edit, in order
    for module in template.imports:
        edit = import_edit(ctx, module)
        if edit is not None:
            added[edit.start, edit.end] = added.get((edit.start, edit.end), "") + edit.new
    edits += [Edit(start, end, new) for (start, end), new in added.items()]
    if ctx.language == "go" and site.receiver and "." in site.qualname:
        dropped = go_unused_import(ctx, site.receiver, call.span)
        if dropped is not None and _still_used_after(site.receiver, edits, call):
            dropped = None
        if dropped is not None:
            edits.append(dropped)
    try:
        return normalized(edits)
    except OverlapError:
        return None


def _still_used_after(package: str, edits: list[Edit], call: Call) -> bool:
    """The rewritten call itself still names the package (``md5.New`` -> ``md5.New`` renamed)."""
    inside = [e for e in edits if call.span[0] <= e.start and e.end <= call.span[1]]
    text = call.text(*call.span)
    for e in sorted(inside, reverse=True):
        text = text[: e.start - call.span[0]] + e.new + text[e.end - call.span[0]:]
    return re.search(rf"\b{re.escape(package)}\s*\.", text) is not None


def _replace(span: tuple[int, int], text: str | None, call: Call) -> Edit | None:
    filled = fill(text or "", call)
    return Edit(span[0], span[1], filled) if filled is not None else None


def _rename(name: str | tuple[tuple[str, str], ...] | None, call: Call) -> Edit | None:
    new = name if isinstance(name, str) else dict(name or ()).get(call.site.name)
    return _replace(call.name_span, new, call) if new is not None else None


def _replace_arg(spec: tuple[int, str] | None, call: Call) -> Edit | None:
    assert spec is not None
    arg = call.site.arg(spec[0])
    return _replace(call.arg_span(arg), spec[1], call) if arg is not None else None


def _restring(spec: tuple[int, str] | None, call: Call) -> Edit | None:
    """New content for a string literal, its quotes and prefix kept."""
    assert spec is not None
    node = call.arg_node(spec[0])
    if node is None or node.type not in _CONTENT_DELIMITED or node.child_count < 2:
        return None
    if any(c.type not in ("string_start", "string_end", '"', "'", "`", "string_content", "string_fragment",
                          "interpreted_string_literal_content", "raw_string_literal_content")
           for c in node.children):
        return None  # escapes or interpolation: not a plain name to swap
    start, end = node.children[0].end_byte, node.children[-1].start_byte
    return Edit(call.ctx.char(start), call.ctx.char(end), spec[1])


def _arguments_node(call: Call) -> Node | None:
    node = call.node()
    if node is None:
        return None
    found = node.child_by_field_name("arguments")
    if found is None:
        found = next((c for c in node.named_children if c.type in ("argument_list", "arguments")), None)
    return found


def _insert_argument(text: str, call: Call) -> Edit | None:
    if call.site.args:
        at = call.arg_span(call.site.args[-1])[1]
        return Edit(at, at, ", " + text)
    arguments = _arguments_node(call)
    if arguments is None or arguments.child_count < 2 or arguments.children[-1].type != ")":
        return None
    at = call.ctx.char(arguments.children[-1].start_byte)
    return Edit(at, at, text)


def _set_kwarg(spec: tuple[str, str] | None, call: Call) -> Edit | None:
    assert spec is not None
    keyword, value = spec
    given = call.site.kwarg(keyword)
    filled = fill(value, call)
    if filled is None:
        return None
    if given is not None:
        return Edit(*call.arg_span(given), filled)
    return _insert_argument(f"{keyword}={filled}", call)


def _append(text: str | None, call: Call) -> Edit | None:
    filled = fill(text or "", call)
    return _insert_argument(filled, call) if filled is not None else None


def _remove_element(element: Node, call: Call) -> Edit:
    """Remove one element of a comma-separated list with the comma that joins it to a neighbour."""
    parent = element.parent
    siblings = [c for c in parent.named_children if c.type != "comment"] if parent is not None else [element]
    i = next(k for k, c in enumerate(siblings) if c.id == element.id)
    if i > 0:
        start, end = siblings[i - 1].end_byte, element.end_byte
    elif i + 1 < len(siblings):
        start, end = element.start_byte, siblings[i + 1].start_byte
    else:
        start, end = element.start_byte, element.end_byte
    return Edit(call.ctx.char(start), call.ctx.char(end), "")


def _drop_kwarg(keyword: str | None, call: Call) -> Edit | None:
    """Remove the keyword argument; nothing to do (an empty edit) when it is not given."""
    given = call.site.kwarg(keyword or "")
    if given is None:
        return Edit(call.span[0], call.span[0], "")
    value = call.ctx.node(given.start, given.end)
    element = value.parent if value is not None else None
    if element is None or element.type not in ("keyword_argument", "pair", "argument"):
        return None
    return _remove_element(element, call)


_PAIRS = frozenset({"pair", "keyed_element", "array_element_initializer", "element_value_pair"})


def _drop_key(key: str | None, call: Call) -> Edit | None:
    """Remove ``key: value`` from a literal object, dict, hash or struct inside the call."""
    node = call.node()
    if node is None:
        return None
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in _PAIRS and current.named_child_count >= 2:
            written = current.named_children[0]
            if written.type == "literal_element" and written.named_child_count:
                written = written.named_children[0]
            name = (written.text or b"").decode("utf-8", "replace").strip("'\":")
            if name == key:
                return _remove_element(current, call)
        stack.extend(reversed(current.named_children))
    return None
