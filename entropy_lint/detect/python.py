"""Python call sites, with names resolved through the file's imports."""

from __future__ import annotations

from tree_sitter import Node, Tree

from entropy_lint.callsite import Arg, CallSite
from entropy_lint.detect.limits import MAX_CHAIN, NOT_CONSTANT, Depth, guarded
from entropy_lint.detect.nodes import call_site, operands, text_of, walk

_LITERALS = frozenset({"integer", "float", "true", "false", "none"})
_BINARY = frozenset({"binary_operator"})
_PLUS = frozenset({"+"})


def extract(tree: Tree, source: bytes, language: str = "python", notes: list[str] | None = None) -> list[CallSite]:
    root = tree.root_node
    py = PythonFile(root, source, notes)
    sites = []
    for node in walk(root, frozenset({"call"})):
        site = py.call(node)
        if site is not None:
            sites.append(site)
    return sites


def _imports(root: Node) -> dict[str, str]:
    """Local name -> qualified name for every import in the file."""
    names: dict[str, str] = {}
    for node in walk(root, frozenset({"import_statement", "import_from_statement"})):
        module = text_of(node.child_by_field_name("module_name")) if node.type == "import_from_statement" else ""
        for child in node.children_by_field_name("name"):
            if child.type == "aliased_import":
                target = text_of(child.child_by_field_name("name"))
                local = text_of(child.child_by_field_name("alias"))
            else:
                target = text_of(child)
                local = target if module else target.split(".")[0]
                if not module:
                    target = local  # import os.path binds "os"
            names[local] = f"{module}.{target}" if module else target
    return names


def dotted(node: Node | None) -> str | None:
    """``a.b.c`` for attribute chains of plain names; ``a.b()`` marks a call in the chain. Walked in a
    loop, and only ``MAX_CHAIN`` links deep."""
    suffix: list[str] = []  # innermost last
    while node is not None and len(suffix) <= MAX_CHAIN:
        if node.type == "identifier":
            return text_of(node) + "".join(reversed(suffix))
        if node.type == "attribute":
            suffix.append("." + text_of(node.child_by_field_name("attribute")))
            node = node.child_by_field_name("object")
        elif node.type == "call":
            suffix.append("()")
            node = node.child_by_field_name("function")
        else:
            return None
    return None


def resolve(path: str, imports: dict[str, str]) -> str:
    head, sep, rest = path.partition(".")
    bare_head = head.removesuffix("()")
    if bare_head in imports:
        head = imports[bare_head] + head[len(bare_head):]
    return head + sep + rest


class PythonFile:
    """One file's imports and the values of its expressions, as far as ``depth`` allows."""

    def __init__(self, root: Node, source: bytes, notes: list[str] | None = None) -> None:
        self.source = source
        self.depth = Depth(notes)
        self.imports = _imports(root)

    def call(self, node: Node) -> CallSite | None:
        function = node.child_by_field_name("function")
        if function is None:
            return None
        receiver: Node | None = None
        if function.type == "attribute":
            name_node = function.child_by_field_name("attribute")
            receiver = function.child_by_field_name("object")
        else:
            name_node = function
        if name_node is None:
            return None
        path = dotted(function)
        if path is None:
            path = f"?.{text_of(name_node)}"  # a call on a complex expression: only *.name rules match
        arguments = node.child_by_field_name("arguments")
        args = tuple(self.arg(a) for a in arguments.named_children if a.type != "comment") \
            if arguments is not None and arguments.type == "argument_list" else ()
        return call_site("call", resolve(path, self.imports), node, name_node, receiver, args, source=self.source)

    def arg(self, node: Node) -> Arg:
        keyword = None
        value = node
        if node.type == "keyword_argument":
            keyword = text_of(node.child_by_field_name("name"))
            value = node.child_by_field_name("value") or node
        literal, content = self.literal_value(value)
        return Arg(node_type=value.type, start=value.start_byte, end=value.end_byte, keyword=keyword,
                   literal=literal, value=content, dynamic_string=self.is_dynamic_string(value), source=self.source)

    @guarded(NOT_CONSTANT, memo=True)
    def literal_value(self, node: Node) -> tuple[bool, str | None]:
        """(is it a constant, its string content if a string)."""
        if node.type in _LITERALS:
            return True, None
        if node.type == "unary_operator" and node.named_children and node.named_children[0].type in ("integer", "float"):
            return True, None
        if node.type == "string":
            if any(c.type == "interpolation" for c in node.children):
                return False, None
            return True, "".join(text_of(c) for c in node.children if c.type == "string_content")
        if node.type == "concatenated_string":
            parts = [self.literal_value(c) for c in node.named_children]
            if all(ok for ok, _ in parts):
                return True, "".join(v or "" for _, v in parts)
        if node.type == "parenthesized_expression" and node.named_children:
            return self.literal_value(node.named_children[0])
        return False, None

    def _stringish(self, node: Node | None) -> bool:
        return node is not None and (node.type in ("string", "concatenated_string") or self.is_dynamic_string(node))

    @guarded(True, memo=True)
    def is_dynamic_string(self, node: Node) -> bool:
        """A string built at run time: an f-string, ``+`` or ``%`` on a string, ``"...".format()``."""
        if node.type == "string":
            return any(c.type == "interpolation" for c in node.children)
        chain = operands(node, _BINARY, _PLUS)
        if chain is not None:
            return any(self._stringish(o) for o in chain) and not all(self.literal_value(o)[0] for o in chain)
        if node.type == "binary_operator" and text_of(node.child_by_field_name("operator")) == "%":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            if self._stringish(left) or self._stringish(right):
                return not (self.literal_value(left)[0] and self.literal_value(right)[0]) if left and right else True
        if node.type == "call":
            function = node.child_by_field_name("function")
            if function is not None and function.type == "attribute":
                attr = text_of(function.child_by_field_name("attribute"))
                obj = function.child_by_field_name("object")
                return attr in ("format", "format_map") and obj is not None and obj.type in ("string", "concatenated_string")
        if node.type == "parenthesized_expression" and node.named_children:
            return self.is_dynamic_string(node.named_children[0])
        return False
