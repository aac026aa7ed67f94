"""Ruby call sites: method calls with or without parentheses and blocks, and shell literals.

Qualnames: a receiverless call is the method name (``system``); a call on a constant or scope
resolution keeps it as written (``Digest::MD5.hexdigest``, ``Open3.capture2``; a leading ``::`` is
dropped and ``Kernel::system`` is ``Kernel.system``); other receivers are dotted as written with
arguments dropped (``User.where(x).order(y)`` is ``User.where.order``), so ``obj.system(x)`` is
``obj.system`` and matches no rule named ``system``. A receiverless call inside a class, module or
file that defines a method of the same name calls that method, so it is ``self.<name>``. Backticks
and ``%x{}`` are kind "shell" with the qualname "`" (the Kernel method they call).

Bare identifiers (``x = rand``) are left alone: without scope analysis they cannot be told apart
from local variables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tree_sitter import Node, Tree

from entropy_lint.callsite import Arg, CallSite
from entropy_lint.detect.nodes import call_site, text_of, walk

_SCALARS = frozenset({"integer", "float", "rational", "complex", "true", "false", "nil", "simple_symbol",
                      "hash_key_symbol", "character", "constant", "scope_resolution"})
_STRING_PARTS = frozenset({"string_content", "escape_sequence", "heredoc_content", "heredoc_end"})
_SCOPES = frozenset({"class", "module", "program"})
_FORMATTERS = frozenset({"format", "sprintf", "Kernel.format", "Kernel.sprintf"})


@dataclass
class _File:
    heredocs: dict[int, Node] = field(default_factory=dict)  # heredoc_beginning start byte -> its body
    defined: set[tuple[int, str]] = field(default_factory=set)  # (scope node id, method name) for each def
    names: set[str] = field(default_factory=set)  # every method name defined in the file


def extract(tree: Tree, source: bytes, language: str = "ruby") -> list[CallSite]:
    root = tree.root_node
    info = _definitions(root)
    sites = []
    for node in walk(root, frozenset({"call", "subshell"})):
        site = _subshell(node, info) if node.type == "subshell" else _call(node, info)
        if site is not None:
            sites.append(site)
    return sites


def _definitions(root: Node) -> _File:
    """Heredoc bodies matched to their openers (in order), and the methods each scope defines."""
    info = _File()
    waiting: list[Node] = []
    for node in walk(root, frozenset({"heredoc_beginning", "heredoc_body", "method"})):
        if node.type == "heredoc_beginning":
            waiting.append(node)
        elif node.type == "heredoc_body":
            if waiting:
                info.heredocs[waiting.pop(0).start_byte] = node
        else:
            name = text_of(node.child_by_field_name("name"))
            scope = _scope(node)
            if scope is not None:
                info.defined.add((scope.id, name))
                info.names.add(name)
    return info


def _scope(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None and parent.type not in _SCOPES:
        parent = parent.parent
    return parent


def _calls_own_method(node: Node, name: str, info: _File) -> bool:
    if name not in info.names:
        return False
    scope = _scope(node)
    while scope is not None:  # the enclosing class, then outer ones, then the file's top level
        if (scope.id, name) in info.defined:
            return True
        scope = _scope(scope)
    return False


def _call(node: Node, info: _File) -> CallSite | None:
    name_node = node.child_by_field_name("method")
    if name_node is None:
        return None  # foo.() calls #call
    name = text_of(name_node)
    receiver = node.child_by_field_name("receiver")
    if receiver is None:
        qualname = f"self.{name}" if _calls_own_method(node, name, info) else name
    else:
        qualname = f"{dotted(receiver) or '?'}.{name}"
    arguments = node.child_by_field_name("arguments")
    args = tuple(_arg(a, info) for a in arguments.named_children if a.type != "comment") if arguments else ()
    return call_site("call", qualname, node, name_node, text_of(receiver), args)


def _subshell(node: Node, info: _File) -> CallSite:
    return call_site("shell", "`", node, node, "", (_arg(node, info),))


def dotted(node: Node) -> str | None:
    """The receiver as a path: constants as written, calls by name with their arguments dropped."""
    kind = node.type
    if kind in ("constant", "scope_resolution"):
        return text_of(node).removeprefix("::")
    if kind in ("identifier", "instance_variable", "class_variable", "global_variable", "self"):
        return text_of(node)
    if kind == "call":
        method = node.child_by_field_name("method")
        receiver = node.child_by_field_name("receiver")
        if method is None:
            return None
        if receiver is None:
            return text_of(method)
        base = dotted(receiver)
        return f"{base}.{text_of(method)}" if base is not None else None
    if kind == "element_reference":
        obj = node.child_by_field_name("object")
        base = dotted(obj) if obj is not None else None
        return f"{base}[]" if base is not None else None
    return None


def _arg(node: Node, info: _File) -> Arg:
    keyword = None
    value = node
    if node.type == "pair":
        key = node.child_by_field_name("key")
        keyword = _key_name(key, info) if key is not None else None
        value = node.child_by_field_name("value") or node
    literal, content = literal_value(value, info)
    return Arg(text=text_of(value), node_type=value.type, start=value.start_byte, end=value.end_byte,
               keyword=keyword, literal=literal, value=content,
               dynamic_string=not literal and is_dynamic_string(value, info))


def _key_name(key: Node, info: _File) -> str:
    if key.type == "simple_symbol":
        return text_of(key)[1:]
    if key.type in ("string", "delimited_symbol"):
        return literal_value(key, info)[1] or text_of(key)
    return text_of(key)


def _parts(node: Node, info: _File) -> list[Node]:
    if node.type == "heredoc_beginning":
        body = info.heredocs.get(node.start_byte)
        return body.named_children if body is not None else []
    return node.named_children


def literal_value(node: Node, info: _File) -> tuple[bool, str | None]:
    """(is it a constant, its string content if a string)."""
    kind = node.type
    if kind in _SCALARS:
        return True, None
    if kind in ("string", "subshell", "delimited_symbol", "heredoc_beginning", "bare_string"):
        parts = _parts(node, info)
        if kind == "heredoc_beginning" and node.start_byte not in info.heredocs:
            return False, None
        if any(p.type not in _STRING_PARTS for p in parts):
            return False, None
        content = "".join(text_of(p) for p in parts if p.type != "heredoc_end")
        return True, content.removeprefix("\n") if kind == "heredoc_beginning" else content
    if kind == "chained_string":
        values = [literal_value(c, info) for c in node.named_children]
        return (True, "".join(v or "" for _, v in values)) if all(ok for ok, _ in values) else (False, None)
    if kind == "unary" and node.named_children and node.named_children[-1].type in ("integer", "float"):
        return True, None
    if kind == "parenthesized_statements" and len(node.named_children) == 1:
        return literal_value(node.named_children[0], info)
    return False, None


def _stringish(node: Node | None, info: _File) -> bool:
    return node is not None and (node.type in ("string", "chained_string", "heredoc_beginning")
                                 or is_dynamic_string(node, info))


def is_dynamic_string(node: Node, info: _File) -> bool:
    """A string built at run time: interpolation, ``+``/``%`` on a string, format()/sprintf()."""
    kind = node.type
    if kind in ("string", "subshell", "heredoc_beginning", "chained_string", "delimited_symbol"):
        return not literal_value(node, info)[0]
    if kind == "binary":
        op = text_of(node.child_by_field_name("operator"))
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if op == "+" and (_stringish(left, info) or _stringish(right, info)):
            return not (left is not None and right is not None and literal_value(left, info)[0]
                        and literal_value(right, info)[0])
        if op == "%" and _stringish(left, info):
            return right is None or not literal_value(right, info)[0]
    if kind == "call":
        receiver = node.child_by_field_name("receiver")
        name = text_of(node.child_by_field_name("method"))
        path = f"{text_of(receiver)}.{name}" if receiver is not None else name
        arguments = node.child_by_field_name("arguments")
        args = arguments.named_children if arguments is not None else []
        return path in _FORMATTERS and not all(literal_value(a, info)[0] for a in args)
    if kind == "parenthesized_statements" and len(node.named_children) == 1:
        return is_dynamic_string(node.named_children[0], info)
    return False
