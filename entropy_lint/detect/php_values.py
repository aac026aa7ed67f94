"""What a PHP file assigns to its local variables and to its own properties, as written, for rules that
judge a string built from pieces (php_refine: SQL and shell commands): ``$table = $db->table_name('x');
$db->query("DELETE FROM $table")`` is judged by what ``$table`` is given.

A variable is followed only when every write the function shows is an assignment of a value
(``=``, ``.=``, ``??=``; arithmetic gives a number), or of one of its elements (``$cols[] = 'a = ?'``:
an array's texts are those of its elements). It is not followed when it is a parameter, a
``global``, a ``foreach`` or ``list()`` target, taken by reference, passed to any call not known to
take its arguments by value (``preg_match($re, $s, $m)``, ``f(&$out)``), or written deeper
(``$a[i][j] = $x``); nor in a
function that uses variable variables (``$$name``), ``extract()``, ``parse_str()`` without a result
array, which can write any name; nor after an ``include`` (in a loop with one, at all), whose file can
write any name. A use sees the assignments before it, from the last
one that is a statement of the function's body itself (so always runs) on; inside a loop, every
assignment. Top-level code is not followed: an included file may set its
variables. A property is followed when it is declared ``private`` or ``protected`` (not static) and
every write in the file is ``$this->name = value``; not in a file that writes properties by computed
name (``$this->$k``) or defines ``__set``.
"""

from __future__ import annotations

from types import MappingProxyType

from tree_sitter import Node

from entropy_lint.callsite import Assigned, Write
from entropy_lint.detect.nodes import text_of, walk

_FUNCTIONS = frozenset({"function_definition", "method_declaration", "anonymous_function", "arrow_function"})
_CALLS = frozenset({"function_call_expression", "member_call_expression", "nullsafe_member_call_expression",
                    "scoped_call_expression", "object_creation_expression"})
_LOOPS = frozenset({"for_statement", "foreach_statement", "while_statement", "do_statement"})
_INCLUDES = frozenset({"include_expression", "include_once_expression", "require_expression",
                       "require_once_expression"})
_WRITES = _LOOPS | _INCLUDES | _CALLS | frozenset({"assignment_expression", "augmented_assignment_expression", "reference_assignment_expression",
                     "update_expression", "foreach_statement", "global_declaration", "static_variable_declaration",
                     "by_ref", "reference_modifier", "function_call_expression", "dynamic_variable_name",
                     "unset_statement"}) | _FUNCTIONS
# Functions and methods known to take every argument by value: a variable passed to any other call
# may be written through a reference parameter (function f(&$out), bind_result, socket_recv, fscanf).
_BY_VALUE = frozenset({
    "strlen", "count", "sizeof", "trim", "rtrim", "ltrim", "strtolower", "strtoupper", "ucfirst", "lcfirst",
    "ucwords", "intval", "floatval", "strval", "boolval", "is_array", "is_string", "is_numeric", "is_int",
    "is_null", "is_object", "in_array", "array_key_exists", "array_keys", "array_values", "array_merge",
    "array_map", "array_filter", "array_unique", "array_slice", "array_pad", "array_fill", "implode", "join",
    "explode", "sprintf", "printf", "vsprintf", "substr", "strpos", "stripos", "strrpos", "str_repeat",
    "str_pad", "htmlspecialchars", "htmlentities", "addslashes", "stripslashes", "nl2br", "urlencode",
    "rawurlencode", "base64_encode", "md5", "sha1", "crc32", "json_encode", "var_export", "print_r",
    "strcmp", "strcasecmp", "strncmp", "min", "max", "abs", "round", "floor", "ceil", "date", "time",
    "escapeshellarg", "escapeshellcmd", "quote", "quote_identifier", "array2list", "ilike", "table_name",
    "now", "query", "prepare", "execute", "multi_query", "real_query", "get_results", "get_row",
    "get_var", "get_col", "mysqli_query", "mysql_query", "pg_query", "sqlite_query", "shell_exec", "popen",
    "unserialize", "serialize", "file_exists", "is_file", "is_dir",
})  # not exec(), system(), passthru() or proc_open(): they write their output, status or pipes back
_NUMBER_OPERATORS = frozenset({"+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", "&=", "|=", "^="})
_MAX_FUNCTIONS = 2000  # functions per file followed; a generated file with more is not
_MAX_TEXT = 65536  # bytes of an assigned value kept as text (a class map of an autoloader is ~20 KiB)


def assigned(root: Node) -> Assigned:
    """The assignments of ``root``'s functions and of the properties its classes keep to themselves."""
    spans: list[tuple[int, int]] = []
    writes: dict[int, list[Node]] = {}  # function start -> its own write-like nodes
    functions: dict[int, Node] = {}
    open_functions: list[Node] = []  # the functions around the node being looked at, innermost last
    every = list(walk(root, _WRITES | {"property_declaration"}))  # one walk for locals and properties
    for node in every:
        if node.type == "property_declaration":
            continue
        while open_functions and node.start_byte >= open_functions[-1].end_byte:
            open_functions.pop()
        if node.type in _FUNCTIONS:
            if len(functions) < _MAX_FUNCTIONS:
                functions[node.start_byte] = node
                spans.append((node.start_byte, node.end_byte))
            open_functions.append(node)
            continue
        owners = [f for f in open_functions if f.start_byte in functions]
        if not owners:
            continue  # top-level code, or past the limit
        owner: Node | None = owners[-1]
        if node.type == "by_ref" and node.parent is not None and node.parent.type == "anonymous_function_use_clause":
            owner = owners[-2] if len(owners) > 1 else None  # use (&$x) writes the enclosing function's $x
        if owner is not None:
            writes.setdefault(owner.start_byte, []).append(node)
    local_texts: dict[tuple[int, str], tuple[Write, ...]] = {}
    loops: dict[int, tuple[tuple[int, int], ...]] = {}
    includes: dict[int, tuple[int, ...]] = {}
    for start, function in functions.items():
        mine = writes.get(start, [])
        loops[start] = tuple((n.start_byte, n.end_byte) for n in mine if n.type in _LOOPS)
        includes[start] = tuple(n.start_byte for n in mine if n.type in _INCLUDES)
        for name, texts in _function_locals(function, [n for n in mine if n.type not in _LOOPS or n.type == "foreach_statement"]).items():
            local_texts[(start, name)] = texts
    spans.sort()
    return Assigned(tuple(spans), MappingProxyType(local_texts), MappingProxyType(_properties(every)),
                    MappingProxyType(loops), MappingProxyType(includes))


def _callee(call: Node) -> str:
    """The lower-case name a call calls: ``f`` of ``f()``, ``m`` of ``$o->m()`` and ``C::m()``."""
    name = call.child_by_field_name("name") if call.type != "function_call_expression" else \
        call.child_by_field_name("function")
    return text_of(name).rsplit("\\", 1)[-1].lower() if name is not None else ""


def _variable(node: Node | None) -> str | None:
    """``x`` for the variable ``$x`` (not ``$this``)."""
    if node is None or node.type != "variable_name":
        return None
    name = text_of(node).lstrip("$")
    return None if name == "this" else name


def _function_locals(function: Node, nodes: list[Node]) -> dict[str, tuple[Write, ...]]:
    texts: dict[str, list[Write]] = {}
    statics: set[str] = set()  # static locals: a later write reaches the next call's uses
    innermost: dict[int, Node | None] = {}  # the value at the end of each chain a = b = c = value
    body = function.child_by_field_name("body")
    # Statements of the body itself (not inside a branch or a loop): an assignment that starts one
    # always happens, and replaces what the variable held before.
    statements = {c.start_byte for c in body.named_children if c.type == "expression_statement"} if body else set()
    unknown: set[str] = set()
    parameters = function.child_by_field_name("parameters")
    if parameters is not None:
        unknown |= {n for n in (_variable(v) for v in walk(parameters, frozenset({"variable_name"}))) if n}
    for node in nodes:
        kind = node.type
        if kind == "dynamic_variable_name":
            return {}  # $$name = ...: any variable may be written
        if kind in _INCLUDES:
            continue  # an included file may set any variable: Assigned.local gives up after one
        if kind in _CALLS:
            callee = _callee(node)
            arguments = node.child_by_field_name("arguments")
            given = [a for a in (arguments.named_children if arguments is not None else []) if a.type == "argument"]
            if callee in ("extract", "get_defined_vars", "call_user_func", "call_user_func_array") or (
                    callee in ("parse_str", "mb_parse_str") and len(given) < 2):
                return {}
            if callee not in _BY_VALUE:  # a parameter declared &$out writes the caller's variable
                for argument in given:
                    unknown |= {n for n in (_variable(c) for c in argument.named_children) if n}
            continue
        if kind in ("assignment_expression", "augmented_assignment_expression"):
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            name = _variable(left)
            if right is not None and right.type == "assignment_expression":  # $a = $b = []: []
                right = innermost.get(right.id) or _innermost(right, innermost)
            element = left.named_children[0] if left is not None and left.type == "subscript_expression" and \
                left.named_children else None
            if right is not None and right.end_byte - right.start_byte > _MAX_TEXT:
                right = None  # too long to judge by its text: as unknown as a value the file does not show
            if name is None and _variable(element) is not None and right is not None and kind == "assignment_expression":
                texts.setdefault(_variable(element) or "", []).append(Write(node.start_byte, False, text_of(right)))
                continue  # $cols[] = 'a = ?'

            if name is None:
                base = left
                while base is not None and base.type in ("subscript_expression", "list_literal"):
                    if base.type == "list_literal":  # list($a, $b) = ...
                        unknown |= {n for n in (_variable(v) for v in walk(base, frozenset({"variable_name"}))) if n}
                        break
                    base = base.named_children[0] if base.named_children else None
                inner = _variable(base)
                if inner is not None:
                    unknown.add(inner)  # $a[] = $x, $a['k'] = $x
                continue
            operator = text_of(node.child_by_field_name("operator")) if kind != "assignment_expression" else "="
            replaces = operator == "=" and node.start_byte in statements
            if right is None or right.end_byte - right.start_byte > _MAX_TEXT:
                unknown.add(name)  # a value too long to judge by its text (or none)
            elif operator in _NUMBER_OPERATORS:
                texts.setdefault(name, []).append(Write(node.start_byte, False, "0"))
            else:
                texts.setdefault(name, []).append(Write(node.start_byte, replaces, text_of(right)))
            continue
        if kind == "static_variable_declaration":  # static $classes = null: only this function writes it
            named = node.child_by_field_name("name") or (node.named_children[0] if node.named_children else None)
            value = node.child_by_field_name("value")
            static = _variable(named)
            if static is not None:
                texts.setdefault(static, []).append(Write(node.start_byte, False, text_of(value) if value else "null"))
                statics.add(static)
            continue
        if kind == "update_expression":
            continue  # $i++: still a number, or was never a string we follow
        if kind == "unset_statement":
            continue  # null: nothing
        # Anything else binds its variables to values the file does not show: foreach targets, global,
        # static, references (&$x, use (&$x), $y = &$x).
        targets: list[Node] = []
        if kind == "foreach_statement":
            words = [c.type for c in node.children]
            if "as" in words[:-1]:
                targets = [node.children[words.index("as") + 1]]
        elif kind == "reference_assignment_expression":
            targets = [c for c in (node.child_by_field_name("left"), node.child_by_field_name("right")) if c is not None]
        else:
            targets = [node]
        for target in targets:
            unknown |= {n for n in (_variable(v) for v in walk(target, frozenset({"variable_name"}))) if n}
            if target.type == "variable_name":
                unknown |= {n for n in [_variable(target)] if n}
    return {name: tuple(w._replace(replaces=False, static=True) for w in writes) if name in statics else tuple(writes)
            for name, writes in texts.items() if name not in unknown}


def _innermost(chain: Node, seen: dict[int, Node | None]) -> Node | None:
    """The value a chain of assignments ``$b = $c = value`` ends in, remembered for every link so
    that a long chain is walked once, not once per link."""
    links = []
    node: Node | None = chain
    while node is not None and node.type == "assignment_expression":
        links.append(node.id)
        node = node.child_by_field_name("right")
    for link in links:
        seen[link] = node
    return node


_PROPERTY_WRITES = frozenset({"property_declaration", "method_declaration", "assignment_expression",
                              "augmented_assignment_expression", "reference_assignment_expression",
                              "update_expression", "unset_statement", "foreach_statement", "by_ref"})


def _properties(nodes: list[Node]) -> dict[str, tuple[Write, ...]]:
    declared: dict[str, list[Write]] = {}
    written: dict[str, list[Write]] = {}
    unknown: set[str] = set()
    for node in nodes:
        kind = node.type
        if kind in _CALLS:  # f($this->items), $stmt->bind_result($this->name): maybe by reference
            if _callee(node) not in _BY_VALUE:
                arguments = node.child_by_field_name("arguments")
                for argument in arguments.named_children if arguments is not None else []:
                    inner = argument.named_children[0] if argument.named_children else None
                    if inner is not None and inner.type == "member_access_expression" and \
                            text_of(inner.child_by_field_name("object")) == "$this":
                        unknown.add(text_of(inner.child_by_field_name("name")))
            continue
        if kind not in _PROPERTY_WRITES:
            continue
        if kind == "property_declaration":
            modifiers = {c.type for c in node.children}
            own = any(text_of(c) in ("protected", "private") for c in node.children if c.type == "visibility_modifier")
            for element in node.named_children:
                if element.type != "property_element" or not element.named_children:
                    continue
                name = text_of(element.named_children[0]).lstrip("$")
                if "static_modifier" in modifiers or not own:
                    unknown.add(name)
                    continue
                value = element.named_children[1] if len(element.named_children) > 1 else None
                if value is not None:  # without one, only writes count (PDO FETCH_CLASS may fill it)
                    declared.setdefault(name, []).append(Write(node.start_byte, False, text_of(value)))
                else:
                    declared.setdefault(name, [])
            continue
        if kind == "method_declaration":
            if text_of(node.child_by_field_name("name")).lower() == "__set":
                return {}
            continue
        left = node.child_by_field_name("left") if kind in ("assignment_expression", "augmented_assignment_expression") else None
        if left is not None and left.type == "member_access_expression" and text_of(left.child_by_field_name("object")) == "$this":
            name_node = left.child_by_field_name("name")
            if name_node is None or name_node.type != "name":
                return {}  # $this->$k = $v
            right = node.child_by_field_name("right")
            operator = text_of(node.child_by_field_name("operator")) if kind != "assignment_expression" else "="
            if right is None or right.end_byte - right.start_byte > _MAX_TEXT:
                unknown.add(text_of(name_node))
            else:
                text = "0" if operator in _NUMBER_OPERATORS else text_of(right)
                written.setdefault(text_of(name_node), []).append(Write(node.start_byte, False, text))
            continue
        target: Node | None = left if left is not None else node
        if kind == "foreach_statement":
            words = [c.type for c in node.children]
            target = node.children[words.index("as") + 1] if "as" in words[:-1] else None
        for member in walk(target, frozenset({"member_access_expression"})) if target is not None else ():
            name_node = member.child_by_field_name("name")
            if name_node is None or name_node.type != "name":
                return {}
            unknown.add(text_of(name_node))  # $this->a[] = x, $this->n++, unset($this->a), foreach (.. as $this->a)
    return {name: tuple(values + written.get(name, [])) for name, values in declared.items()
            if name not in unknown and (values or written.get(name))}
