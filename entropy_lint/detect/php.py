"""PHP call sites: functions, methods, static calls, ``new``, backticks, includes and ``echo``.

PHP function and method names are case-insensitive, so both are lower-cased in qualnames
(``System($x)`` is ``system``); class names keep their spelling. Names are resolved through the
file's ``namespace`` and ``use`` declarations: ``\\system()`` is ``system``, ``use function
Lib\\run as go; go()`` is ``lib\\run``, and an unqualified call to a function that the file itself
declares inside a namespace is that namespace's function (``app\\system``), not PHP's.

Qualnames: ``$pdo->query()`` is ``$pdo.query`` (receivers dotted: ``$this->db->query()`` is
``$this.db.query``, ``$a->b()->c()`` is ``$a.b().c``), ``Foo::bar()`` is ``Foo::bar`` (the class
resolved through ``use``), backticks have the qualname "`" (kind "shell"), includes their keyword (kind
"include"), and ``echo``/``print``/``<?=`` are calls named ``echo``/``print`` whose arguments are the
printed pieces (``echo 'a' . $b, $c`` prints three).

Constants: besides literals, PHP constant expressions (named constants, ``__DIR__``, class constants,
``.`` of constants, and ``dirname(__FILE__)``-style path helpers on constants) are ``literal``: the
developer, not the request, chose them, so ``include __DIR__ . '/x.php'`` has a constant path.
"""

from __future__ import annotations

import bisect
import fnmatch
import functools
import re
from collections.abc import Iterable
from types import MappingProxyType
from dataclasses import dataclass, field

from tree_sitter import Node, Tree

from entropy_lint.callsite import Arg, Assigned, CallSite, FileFacts
from entropy_lint.detect.limits import MAX_CHAIN, NOT_CONSTANT, Depth, guarded
from entropy_lint.detect.nodes import call_site, operands, text_of, walk
from entropy_lint.detect.php_values import assigned
from entropy_lint.rules.php import RULES
from entropy_lint.rules.php_refine import dynamic_include, raw_sql, shell_command, sql

_CALLS = frozenset({"function_call_expression", "member_call_expression", "nullsafe_member_call_expression",
                    "scoped_call_expression", "object_creation_expression"})
_INCLUDES = frozenset({"include_expression", "include_once_expression", "require_expression",
                       "require_once_expression"})
_OUTPUT = frozenset({"echo_statement", "print_intrinsic", "php_tag"})
_SITES = _CALLS | _INCLUDES | _OUTPUT | {"shell_command_expression"}
_ASSIGNMENTS = frozenset({"assignment_expression", "augmented_assignment_expression"})
_PROPERTY_NODES = _ASSIGNMENTS | {"property_declaration", "reference_assignment_expression", "unset_statement",
                                  "update_expression", "foreach_statement", "method_declaration"}
_DECLARATIONS = frozenset({"namespace_definition", "namespace_use_declaration", "function_definition"})

_NUMBERS = frozenset({"integer", "float"})
_SCALARS = _NUMBERS | {"boolean", "null"}
_STRING_PARTS = frozenset({"string_content", "escape_sequence", "nowdoc_string"})
# Path helpers whose result is as constant as their arguments: dirname(__FILE__) . '/x.php'.
_PATH_HELPERS = frozenset({"dirname", "basename", "realpath", "plugin_dir_path", "get_template_directory",
                           "get_stylesheet_directory"})
_FORMATTERS = frozenset({"sprintf", "vsprintf"})
# $wpdb's table-name properties ($wpdb->prefix, $wpdb->posts) are configuration, not input.
_CONSTANT_RECEIVERS = frozenset({"$wpdb"})
# Server configuration, not request data: include $_SERVER['DOCUMENT_ROOT'] . '/x.php'.
_SERVER_CONFIG = frozenset({"DOCUMENT_ROOT", "SCRIPT_FILENAME"})
_BINARY = frozenset({"binary_expression"})
_DOT = frozenset({"."})


@dataclass
class PhpFile:
    """The file's bytes, and what its declarations say about names: namespaces, imports, own functions."""

    source: bytes
    starts: list[int] = field(default_factory=list)  # namespace_definition start bytes, ascending
    spaces: list[str] = field(default_factory=list)  # the namespace declared at each start
    functions: dict[str, str] = field(default_factory=dict)  # use function: alias -> name (lower case)
    classes: dict[str, str] = field(default_factory=dict)  # use: lower-case alias -> Class\Name
    declared: set[str] = field(default_factory=set)  # ns\fn (lower case) for functions defined here
    depth: Depth = field(default_factory=Depth)  # how deep constant_value and kin follow an expression

    def namespace(self, byte: int) -> str:
        i = bisect.bisect_right(self.starts, byte) - 1
        return self.spaces[i] if i >= 0 else ""

    # --- arguments, constants and strings ---------------------------------------------------------
    def args(self, arguments: Node | None) -> tuple[Arg, ...]:
        if arguments is None:
            return ()
        out = []
        for child in arguments.named_children:
            if child.type != "argument":
                continue  # comments; the first-class callable syntax exec(...) has no arguments
            keyword = child.child_by_field_name("name")
            value = next((c for c in child.named_children if c != keyword), None)
            if value is not None:
                out.append(self.arg(value, text_of(keyword) if keyword is not None else None))
        return tuple(out)

    def arg(self, node: Node, keyword: str | None = None) -> Arg:
        literal, content = self.constant_value(node)
        return Arg(node_type=node.type, start=node.start_byte, end=node.end_byte, keyword=keyword, literal=literal,
                   value=content, dynamic_string=not literal and self.is_dynamic_string(node), source=self.source)

    def string_value(self, node: Node) -> tuple[bool, str | None]:
        """(constant, content) for '...', "...", heredoc, nowdoc and backtick literals; the content is
        known only without interpolation."""
        parts = node.children
        if node.type in ("heredoc", "nowdoc"):
            body = node.child_by_field_name("value")
            parts = body.children if body is not None else []
        named = [c for c in parts if c.is_named]
        interpolated = [c for c in named if c.type not in _STRING_PARTS]
        if interpolated:  # "{$wpdb->prefix}users" is still constant
            return all(self.constant_value(c)[0] for c in interpolated), None
        return True, "".join(text_of(c) for c in named)

    @guarded(NOT_CONSTANT, memo=True)
    def constant_value(self, node: Node) -> tuple[bool, str | None]:
        """(is it a constant expression, its string content when known)."""
        kind = node.type
        if kind in _SCALARS:
            return True, None
        if kind in ("string", "encapsed_string", "heredoc", "nowdoc"):
            return self.string_value(node)
        if kind == "unary_op_expression":
            operand = node.child_by_field_name("argument")
            return (operand is not None and operand.type in _NUMBERS), None
        if kind in ("name", "qualified_name", "class_constant_access_expression"):
            return True, None  # PHP_EOL, __DIR__, PDO::FETCH_ASSOC
        if kind == "parenthesized_expression" and node.named_children:
            return self.constant_value(node.named_children[0])
        pieces = operands(node, _BINARY, _DOT)
        if pieces is not None:
            values = [self.constant_value(p) for p in pieces]
            if not all(ok for ok, _ in values):
                return False, None
            known = [v for _, v in values if v is not None]
            return True, "".join(known) if len(known) == len(values) else None
        if kind == "member_access_expression":
            return text_of(node.child_by_field_name("object")) in _CONSTANT_RECEIVERS, None
        if kind == "subscript_expression" and node.named_children and text_of(node.named_children[0]) == "$_SERVER":
            index = node.named_children[-1]
            return index.type in ("string", "encapsed_string") and self.string_value(index)[1] in _SERVER_CONFIG, None
        if kind == "function_call_expression":
            function = node.child_by_field_name("function")
            if text_of(function).lstrip("\\").lower() in _PATH_HELPERS:
                return all(self.constant_value(v)[0] for v in _argument_values(node)), None
        return False, None

    @guarded(True, memo=True)
    def is_dynamic_string(self, node: Node) -> bool:
        """A string built at run time: interpolation, ``.`` with a non-constant part, sprintf()."""
        kind = node.type
        if kind in ("encapsed_string", "heredoc"):
            return not self.string_value(node)[0]
        if kind == "binary_expression" and text_of(node.child_by_field_name("operator")) == ".":
            return not self.constant_value(node)[0]
        if kind == "parenthesized_expression" and node.named_children:
            return self.is_dynamic_string(node.named_children[0])
        if kind == "function_call_expression":
            name = text_of(node.child_by_field_name("function")).lstrip("\\").lower()
            return name in _FORMATTERS and not all(self.constant_value(v)[0] for v in _argument_values(node))
        return False


def extract(tree: Tree, source: bytes, language: str = "php", notes: list[str] | None = None) -> list[CallSite]:
    root = tree.root_node
    names = _declarations(root, source)
    names.depth = Depth(notes)
    sites = []
    for node in walk(root, _SITES):
        site = _site(node, names)
        if site is not None:
            sites.append(site)
    fixed = fixed_properties(root) if sites and b"$this->" in source else {}
    follow = any(_judged_by_pieces(site.qualname) for site in sites)
    if fixed or follow:
        facts = FileFacts(properties=MappingProxyType(fixed), assigned=assigned(root) if follow else Assigned())
        sites = [site.with_facts(facts) for site in sites]
    return sites


@functools.cache
def _pieces_rules() -> re.Pattern[str]:
    """The callees of the rules that judge a string by its pieces, and so read what the file assigns
    (SQL, shell commands, includes): the rest never need it, and following assignments costs a walk."""
    names = [n for r in RULES if r.refine in (sql, raw_sql, shell_command, dynamic_include) for n in r.names]
    return re.compile("|".join(fnmatch.translate(n.lower()) for n in names))


def _judged_by_pieces(qualname: str) -> bool:
    return _pieces_rules().match(qualname.lower()) is not None


def fixed_properties(root: Node) -> dict[str, str]:
    """Properties the file fixes: declared ``protected`` or ``private`` (not static) with a constant
    string or number, and never assigned, appended to, unset, referenced or iterated into anywhere in
    the file. None at all in a file that writes a property by a computed name (``$this->$k = $v``) or
    defines ``__set``. A subclass in another file may still assign a protected one (a known limit).
    Name -> value."""
    declared: dict[str, str] = {}
    assigned: set[str] = set()
    for node in walk(root, _PROPERTY_NODES):
        if node.type == "property_declaration":
            modifiers = {c.type for c in node.children}
            if "static_modifier" in modifiers or not any(text_of(c) in ("protected", "private") for c in node.children
                                                           if c.type == "visibility_modifier"):
                continue
            for element in node.named_children:
                if element.type != "property_element":
                    continue
                name = element.named_children[0] if element.named_children else None
                value = element.named_children[1] if len(element.named_children) > 1 else None
                if name is None or value is None or value.type not in ("string", "encapsed_string", "integer"):
                    continue
                content = "".join(text_of(c) for c in value.named_children) if value.type != "integer" else text_of(value)
                if value.type == "encapsed_string" and any(c.type not in ("string_content", "string_value") for c in value.named_children):
                    continue
                key = text_of(name).lstrip("$")
                if key in declared and declared[key] != content:
                    assigned.add(key)  # two classes of the file disagree
                declared[key] = content
        elif node.type == "method_declaration":
            if text_of(node.child_by_field_name("name")).lower() == "__set":
                return {}  # writes to undeclared or inaccessible properties run code the file chose
        else:  # $this->x = ..., $this->x[] = ..., $this->x++, unset($this->x), $r = &$this->x, foreach (.. as $this->x)
            if node.type == "foreach_statement":
                words = [c.type for c in node.children]
                target = node.children[words.index("as") + 1] if "as" in words[:-1] else None
                if target is None:
                    continue
            else:
                target = node.child_by_field_name("left") if node.type in _ASSIGNMENTS else node
            for member in walk(target or node, frozenset({"member_access_expression"})):
                name = member.child_by_field_name("name")
                if name is None or name.type != "name":
                    return {}  # $this->$k = $v: any property may be written
                assigned.add(text_of(name))
    return {name: value for name, value in declared.items() if name not in assigned}


def _site(node: Node, names: PhpFile) -> CallSite | None:
    kind = node.type
    if kind in _CALLS:
        return _call(node, names)
    if kind in _INCLUDES:
        keyword = node.children[0]
        path = _unparen(node.named_children[-1]) if node.named_children else None
        return call_site("include", text_of(keyword).lower(), node, keyword, None,
                         (names.arg(path),) if path else (), source=names.source)
    if kind == "shell_command_expression":
        literal, content = names.string_value(node)
        arg = Arg(node_type=kind, start=node.start_byte, end=node.end_byte, literal=literal, value=content,
                  dynamic_string=not literal, source=names.source)
        return call_site("shell", "`", node, node, None, (arg,), source=names.source)
    return _output(node, names)


# --- declarations -------------------------------------------------------------------------------


def _declarations(root: Node, source: bytes) -> PhpFile:
    names = PhpFile(source)
    functions: list[Node] = []
    for node in walk(root, _DECLARATIONS):
        if node.type == "namespace_definition":
            names.starts.append(node.start_byte)
            names.spaces.append(text_of(node.child_by_field_name("name")))
        elif node.type == "namespace_use_declaration":
            _uses(node, names)
        else:
            functions.append(node)
    for fn in functions:  # after the walk, so every namespace start is known
        namespace = names.namespace(fn.start_byte)
        if namespace:  # a global function cannot share a built-in's name: PHP refuses to redeclare it
            names.declared.add(f"{namespace}\\{text_of(fn.child_by_field_name('name'))}".lower())
    return names


def _uses(node: Node, names: PhpFile) -> None:
    declared_type = text_of(node.child_by_field_name("type"))  # use function Lib\{a, b}: on the declaration
    prefix = next((text_of(c) + "\\" for c in node.named_children if c.type == "namespace_name"), "")
    group = node.child_by_field_name("body")
    clauses = group.named_children if group is not None else node.named_children
    for clause in clauses:
        if clause.type != "namespace_use_clause":
            continue
        alias_node = clause.child_by_field_name("alias")
        targets = (c for c in clause.named_children if c.type in ("qualified_name", "name") and c != alias_node)
        target = next(targets, None)
        if target is None:
            continue
        full = (prefix + text_of(target)).lstrip("\\")
        alias = text_of(alias_node) if alias_node is not None else full.rsplit("\\", 1)[-1]
        kind = declared_type or text_of(clause.child_by_field_name("type"))  # use function Lib\a: on the clause
        if kind == "function":
            names.functions[alias.lower()] = full.lower()
        elif kind != "const":
            names.classes[alias.lower()] = full


def _function_name(node: Node, names: PhpFile) -> str:
    """The lower-case qualified name of a called function, as PHP resolves it."""
    written = text_of(node)
    namespace = names.namespace(node.start_byte)
    if node.type == "name":
        local = f"{namespace}\\{written}".lower() if namespace else ""
        if local in names.declared:
            return local
        return names.functions.get(written.lower(), written.lower())  # else PHP falls back to the global function
    if written.startswith("\\"):
        return written[1:].lower()
    if node.type == "relative_name":  # namespace\foo
        return f"{namespace}\\{written.split(chr(92), 1)[1]}".lower().lstrip("\\")
    return _qualify(written, namespace, names).lower()


def _class_name(node: Node, names: PhpFile) -> str:
    written = text_of(node)
    if node.type not in ("name", "qualified_name", "relative_name") or written.lower() in ("self", "static", "parent"):
        return written
    if written.startswith("\\"):
        return written[1:]
    if node.type == "relative_name":
        return f"{names.namespace(node.start_byte)}\\{written.split(chr(92), 1)[1]}".lstrip("\\")
    return _qualify(written, names.namespace(node.start_byte), names)


def _qualify(written: str, namespace: str, names: PhpFile) -> str:
    head, sep, rest = written.partition("\\")
    if head.lower() in names.classes:  # use Foo\Bar; Bar\baz() or Bar::x()
        return names.classes[head.lower()] + sep + rest
    return f"{namespace}\\{written}" if namespace else written


# --- calls --------------------------------------------------------------------------------------


def _call(node: Node, names: PhpFile) -> CallSite | None:
    arguments = node.child_by_field_name("arguments")
    if node.type == "object_creation_expression":
        arguments = next((c for c in node.named_children if c.type == "arguments"), None)
        name_node = next((c for c in node.named_children if c.type in ("name", "qualified_name", "relative_name",
                                                                         "variable_name")), None)
        if name_node is None:
            return None  # new class { ... }
        return call_site("new", _class_name(name_node, names), node, name_node, None, names.args(arguments),
                         source=names.source)
    if node.type == "function_call_expression":
        name_node = node.child_by_field_name("function")
        if name_node is None:
            return None
        qualname = _function_name(name_node, names) if name_node.type in (
            "name", "qualified_name", "relative_name") else text_of(name_node)  # $f(): dataflow, not matched
        return call_site("call", qualname, node, name_node, None, names.args(arguments), source=names.source)
    name_node = node.child_by_field_name("name")
    if name_node is None:
        return None
    method = text_of(name_node).lower() if name_node.type == "name" else text_of(name_node)
    if node.type == "scoped_call_expression":
        scope = node.child_by_field_name("scope")
        qualname = f"{_class_name(scope, names) if scope is not None else '?'}::{method}"
        return call_site("call", qualname, node, name_node, scope, names.args(arguments), source=names.source)
    receiver = node.child_by_field_name("object")
    path = _dotted(receiver, names)
    return call_site("call", f"{path or '?'}.{method}", node, name_node, receiver, names.args(arguments),
                     source=names.source)


def _dotted(node: Node | None, names: PhpFile) -> str | None:
    """``$this.db`` for ``$this->db``; ``$a.b()`` marks a method call in the chain. Walked in a loop,
    and only ``MAX_CHAIN`` links deep."""
    suffix: list[str] = []  # innermost last
    while node is not None and len(suffix) <= MAX_CHAIN:
        kind = node.type
        if kind in ("member_access_expression", "nullsafe_member_access_expression",
                    "member_call_expression", "nullsafe_member_call_expression"):
            member = node.child_by_field_name("name")
            if member is None:
                return None
            called = "()" if "call" in kind else ""
            suffix.append(f".{text_of(member).lower() if called else text_of(member)}{called}")
            node = node.child_by_field_name("object")
            continue
        if kind == "parenthesized_expression" and node.named_children:
            node = node.named_children[0]
            continue
        base = _chain_base(node, names)
        return base + "".join(reversed(suffix)) if base is not None else None
    return None


def _chain_base(node: Node, names: PhpFile) -> str | None:
    kind = node.type
    if kind == "variable_name":
        return text_of(node)
    if kind == "function_call_expression":
        function = node.child_by_field_name("function")
        if function is not None and function.type in ("name", "qualified_name", "relative_name"):
            return _function_name(function, names) + "()"
    if kind == "scoped_call_expression":
        scope, member = node.child_by_field_name("scope"), node.child_by_field_name("name")
        if scope is not None and member is not None:
            return f"{_class_name(scope, names)}::{text_of(member).lower()}()"
    if kind in ("name", "qualified_name", "relative_name"):
        return _class_name(node, names)
    return None


def _unparen(node: Node) -> Node:
    while node.type == "parenthesized_expression" and node.named_children:
        node = node.named_children[0]
    return node


def _argument_values(call: Node) -> Iterable[Node]:
    arguments = call.child_by_field_name("arguments")
    for child in arguments.named_children if arguments is not None else ():
        if child.type == "argument" and child.named_children:
            yield child.named_children[-1]


# --- output: echo, print, <?= -------------------------------------------------------------------


def _output(node: Node, names: PhpFile) -> CallSite | None:
    if node.type == "php_tag":
        statement = node.next_named_sibling
        if statement is None and node.parent is not None and node.parent.type == "text_interpolation":
            statement = node.parent.next_named_sibling  # ?><b><?= $y: the tag closes the HTML run
        if text_of(node) != "<?=" or statement is None or statement.type != "expression_statement":
            return None
        expressions = [c for c in statement.named_children if c.type != "comment"]
        return _echo("echo", node, node, expressions, names, end=statement.end_byte)
    keyword = node.children[0]
    expressions = [c for c in node.named_children if c.type != "comment"]
    if len(expressions) == 1 and expressions[0].type == "sequence_expression":  # echo $a, $b;
        expressions = _sequence(expressions[0])
    return _echo(text_of(keyword).lower(), node, keyword, expressions, names)


def _echo(qualname: str, node: Node, name: Node, expressions: list[Node], names: PhpFile,
          end: int | None = None) -> CallSite:
    """An echo whose arguments are the printed pieces; ``<?= expr`` spans the tag and the expression."""
    pieces = [p for e in expressions for p in _printed(e)]
    return call_site("call", qualname, node, name, None, tuple(names.arg(p) for p in pieces), end=end,
                     source=names.source)


def _sequence(node: Node) -> list[Node]:
    """The expressions of ``a, b, c``, flattened in a loop."""
    out: list[Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "sequence_expression":
            stack.extend(reversed(current.named_children))
        else:
            out.append(current)
    return out


def _printed(node: Node) -> list[Node]:
    """The pieces that end up in the output: both sides of ``.`` and ``??``, both branches of ``?:``,
    flattened in a loop (a long concatenation nests as deep as it is long)."""
    out: list[Node] = []
    stack = [node]
    while stack:
        current = _unparen(stack.pop())
        if current.type == "binary_expression" and text_of(current.child_by_field_name("operator")) in (".", "??"):
            parts = [current.child_by_field_name("left"), current.child_by_field_name("right")]
        elif current.type == "conditional_expression":
            body = current.child_by_field_name("body") or current.child_by_field_name("condition")  # $a ?: $b prints $a
            parts = [body, current.child_by_field_name("alternative")]
        else:
            out.append(current)
            continue
        stack.extend(p for p in reversed(parts) if p is not None)
    return out
