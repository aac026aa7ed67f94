"""Refine hooks and name lists for the PHP table (``rules/php.py``).

"Request data" is a superglobal in the expression itself (``$_GET``, ``$_POST``, ``$_REQUEST``,
``$_COOKIE``, ``$_FILES``, the attacker-written keys of ``$_SERVER``) or ``filter_input(INPUT_...)``:
tracking it through variables is dataflow, which these hooks do not attempt.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace

from entropy_lint.callsite import NO_FACTS, Arg, CallSite, FileFacts, Write
from entropy_lint.rules.base import Outcome

# $_SERVER keys that the client writes (PHP_SELF and PATH_INFO carry the URL's extra path).
_CLIENT_SERVER_KEYS = r"PHP_SELF|REQUEST_URI|QUERY_STRING|PATH_INFO|PATH_TRANSLATED|HTTP_\w+"
_REQUEST = re.compile(r"\$_(?:GET|POST|REQUEST|COOKIE|FILES)\b"
                      rf"|\$_SERVER\s*\[\s*['\"]?(?:{_CLIENT_SERVER_KEYS})\b|\bfilter_input(?:_array)?\s*\(\s*INPUT_",
                      re.IGNORECASE)
_SQL = re.compile(r"\b(?:select|insert|update|delete|replace|merge|create|drop|alter|truncate|show|describe|"
                  r"grant|revoke|union|pragma)\b", re.IGNORECASE)
WEAK_ALGORITHMS = {"md2", "md4", "md5", "sha1", "ripemd128"}


def _request_data(text: str) -> bool:
    return _REQUEST.search(text) is not None


# --- strings built from pieces: which run-time pieces are quoted or cast -------------------------

# What a call wrapped around a whole piece makes of it ("safe": cannot change the command or query;
# "quoted": safe inside its context only; anything else: as raw as the value).
_SHELL_WRAPPERS = {"escapeshellarg": "safe", "escapeshellcmd": "quoted", "intval": "safe"}
_SQL_WRAPPERS = {"intval": "safe", "floatval": "safe", "quote": "safe", "quote_identifier": "safe",
                 "quoteidentifier": "safe", "quotename": "safe", "pg_escape_literal": "safe",
                 "pg_escape_identifier": "safe", "escapeidentifier": "safe", "escape_identifier": "safe",
                 "mysqli_real_escape_string": "quoted",
                 "mysql_real_escape_string": "quoted", "real_escape_string": "quoted", "esc_sql": "quoted",
                 "pg_escape_string": "quoted", "sqlite_escape_string": "quoted", "addslashes": "quoted"}
_CALLEE = re.compile(r"(?:\\?[A-Za-z_]\w*|\$\w+(?:->\w+)*->(\w+)|[A-Za-z_\\]+::(\w+))\s*\(")
_MAX_NESTED = 8  # conditionals and variables followed inside each other; deeper ones count as raw
_MAX_PIECES = 2000  # pieces judged for one call, variables and properties followed included
_MAX_CHARACTERS = 200_000  # characters of followed values split into pieces for one call
_SCALAR = re.compile(r"-?\d+(?:\.\d+)?|true|false|null", re.IGNORECASE)
_CAST = re.compile(r"\(\s*(?:int|integer|float|double|bool|boolean)\s*\)", re.IGNORECASE)
_SPRINTF = re.compile(r"\\?sprintf\s*\(\s*(['\"])((?:(?!\1)[^\\$]|\\.)*)\1\s*,", re.IGNORECASE)
_NUMERIC_FORMAT = re.compile(r"(?:[^%]|%%|%(?:\d+\$)?[-+ 0'#]*\d*(?:\.\d+)?[bcdeEfFgGouxX])*")


def _top_level(text: str) -> Iterator[tuple[int, str]]:
    """The characters of a PHP expression outside strings and brackets, with their positions; a
    closing bracket without its opening one is given as ``(i, "")`` and ends the scan."""
    depth, quote, i = 0, "", 0
    while i < len(text):
        ch = text[i]
        if quote:
            i += ch == "\\"
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth < 0:
                yield i, ""
                return
        elif depth == 0:
            yield i, ch
        i += 1


def _pieces(text: str) -> list[str]:
    """Split a PHP expression at its top-level ``.`` operators (outside strings and brackets)."""
    pieces, start = [], 0
    for i, ch in _top_level(text):
        if ch == "." and not (text[i - 1 : i].isdigit() and text[i + 1 : i + 2].isdigit()):
            pieces.append(text[start:i].strip())
            start = i + 1
    pieces.append(text[start:].strip())
    return pieces


def _wrapper(piece: str) -> str | None:
    """The lower-case name of the function or method when a single call is the whole piece."""
    match = _CALLEE.match(piece)
    if match is None or not piece.endswith(")"):
        return None
    depth = 0
    for i in range(match.end() - 1, len(piece)):
        depth += piece[i] == "("
        depth -= piece[i] == ")"
        if depth == 0:
            name = match.group(1) or match.group(2) or match.group(0).rstrip("( \t").lstrip("\\")
            return name.lower() if i == len(piece) - 1 else None
    return None


def _constant_piece(piece: str) -> bool:
    """'text', "text" without variables, or a constant's NAME."""
    return piece.startswith("'") or (piece.startswith('"') and "$" not in piece) or \
        re.fullmatch(r"[A-Z_][A-Z0-9_]*", piece) is not None


def _numeric_sprintf(piece: str) -> bool:
    """sprintf('kill -%d %d', ...): a constant format whose every conversion prints a number."""
    match = _SPRINTF.match(piece)
    return match is not None and _wrapper(piece) == "sprintf" and _NUMERIC_FORMAT.fullmatch(match.group(2)) is not None


@dataclass(frozen=True)
class _Pieces:
    """How to judge the run-time pieces of one built string: ``wrappers`` says what a call around a
    whole piece makes of it; ``connection`` is the receiver of the query method (``$this->db``), whose
    own helpers (``$this->db->table_name('users', true)``, ``$db->array2list($ids, 'integer')``,
    ``$db->now()``) give SQL of the database layer; ``facts`` says which properties the file fixes and
    what it assigns to variables and properties; ``at`` is where the call is."""

    wrappers: Mapping[str, str]
    connection: str = ""
    facts: FileFacts = NO_FACTS
    at: int = 0
    # Pieces and characters left to judge: a hostile file's variables built from each other many
    # times over would otherwise take exponential time; past it, a piece counts as raw. Shared by
    # the contexts a judgement opens for the values it follows, as is the memo of what each name
    # held where.
    budget: list[int] = field(default_factory=lambda: [_MAX_PIECES, _MAX_CHARACTERS])
    memo: dict[tuple[str, int], str] = field(default_factory=dict)

    def helper(self, piece: str) -> str | None:
        """The method's name when ``piece`` is one call of a method of the query's own connection, or of
        a method that names a table (``$db->table_name('cache')``) on any object."""
        match = re.match(r"(\$\w+(?:->\w+)*)->(\w+)\s*\(", piece)
        if match is None or _wrapper(piece) != match.group(2).lower():
            return None
        name = match.group(2).lower()
        return name if match.group(1) == self.connection or name in _TABLE_NAMERS else None

    def assigned(self, piece: str) -> tuple[Write, ...] | None:
        """What the file assigns to the variable or ``$this`` property that is the whole piece (or, for
        an element ``$classes[$cn]``, to the array it picks from), with where each assignment is."""
        element = _ELEMENT.fullmatch(piece)
        match = _NAMED.fullmatch(element.group(1) if element else piece)
        if match is None:
            return None
        if match.group(1) == "this":
            name = match.group(2)
            if name in self.facts.properties:
                return (Write(0, False, "''"),)
            return self.facts.assigned.properties.get(name)
        return None if match.group(2) else self.facts.assigned.local(self.at, match.group(1))

    def spend(self, text: str) -> bool:
        """Count a text about to be split into pieces against the budget; False once it is spent."""
        self.budget[1] -= len(text)
        return self.budget[1] >= 0


# Helpers of a database layer that build SQL and quote what they are given (roundcube's rcube_db,
# Drupal's and Joomla's connections): a list of typed values, a LIKE, a table or column name, a date.
_LAYER_HELPER = re.compile(r"^(?:array2list|in_list|ilike|like|table_name|tablename|quote_?identifier|quote_?name|"
                           r"now|unixtimestamp|fromunixtime|concat|cast|placeholders?)$")
# Methods whose result names a table, on whatever object: given a constant, a constant name.
_TABLE_NAMERS = frozenset({"table_name", "tablename", "gettablename", "get_table_name", "table"})


def _arguments(call: str) -> list[str] | None:
    """The arguments of the one call ``call`` is, as written; None when they cannot be split."""
    opening = call.find("(")
    if opening < 0 or not call.endswith(")"):
        return None
    inner = call[opening + 1:-1]
    given, start = [], 0
    for i, ch in _top_level(inner):
        if not ch:
            return None
        if ch == ",":
            given.append(inner[start:i].strip())
            start = i + 1
    last = inner[start:].strip()
    return given + [last] if last or given else given


# Calls whose result is made of the texts of some of their arguments (by position; None: all of them);
# the others are counts and positions.
_PASS_THROUGH: dict[str, tuple[int, ...] | None] = {
    "implode": None, "join": None, "array_pad": (0, 2), "array_fill": (2,), "str_repeat": (0,),
    "array_merge": None, "array_values": (0,), "array_unique": (0,), "trim": (0,), "rtrim": (0,), "ltrim": (0,),
}


def _array_elements(piece: str) -> list[str] | None:
    """The values of an array literal (``['a', 'k' => $v]``, ``array(...)``); None for any other piece."""
    if piece.startswith("[") and piece.endswith("]"):
        inner = piece[1:-1]
    elif re.match(r"array\s*\(", piece, re.IGNORECASE) and _wrapper(piece) == "array":
        inner = piece[piece.index("(") + 1:-1]
    else:
        return None
    given = _arguments(f"({inner})")
    if given is None:
        return None
    values = []
    for element in given:
        arrow = next((i for i, ch in _top_level(element) if ch == "=" and element[i + 1:i + 2] == ">"), None)
        values.append(element[arrow + 2:].strip() if arrow is not None else element)
    return [v for v in values if v]


# $name, $this->name (as a whole piece, or interpolated in a double-quoted string: "$name", "{$name}").
_NAMED = re.compile(r"\$(\w+)(?:->(\w+))?")
_ELEMENT = re.compile(r"(\$\w+(?:->\w+)?)\[[^\[\]]*\]")  # one element of an array: $classes[$cn]
_INTERPOLATION = re.compile(r"\{\$(\w+)(?:->(\w+))?\}|\$(\w+)(?:->(\w+))?")


def _worst_piece(arg: Arg, pieces: _Pieces) -> str:
    """How well a built string's run-time pieces are guarded: "safe" when each is cast or wrapped in a
    safe function (or is a helper of the query's own connection, or a variable or property every value
    the file gives which is safe), "quoted" when some are only escaped, "raw" otherwise."""
    return _worst_of(_pieces(arg.text), pieces, 0, frozenset())


def _branches(piece: str) -> list[str] | None:
    """The two values of a parenthesised conditional, ``(c ? a : b)``; None for any other piece."""
    if not (piece.startswith("(") and piece.endswith(")")):
        return None
    inner, marks = piece[1:-1], []
    for i, ch in _top_level(inner):
        if not ch:
            return None  # (a) . (b): not one parenthesised expression
        if ch in "?:" and inner[i:i + 2] not in ("??", "::") and inner[i - 1:i + 1] not in ("??", "::"):
            marks.append(i)
    if len(marks) != 2 or inner[marks[0]] != "?" or inner[marks[1]] != ":":
        return None
    return [inner[marks[0] + 1:marks[1]].strip() or inner[:marks[0]].strip(), inner[marks[1] + 1:].strip()]


def _interpolated(piece: str, context: _Pieces, nested: int, seen: frozenset[str]) -> str | None:
    """A double-quoted string's worst interpolation ("safe", "quoted" or "raw"); None for a piece that
    is not one."""
    if len(piece) < 2 or piece[0] != '"' or piece[-1] != '"':
        return None
    worst = "safe"
    body = re.sub(r"\\.", "", piece[1:-1])  # "\$x" is the text $x
    rest = body
    for match in _INTERPOLATION.finditer(body):
        var, prop = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
        following = body[match.end():match.end() + 1]
        if match.group(3) and following == "[":
            return "raw"  # "$a[k]": an element, not followed
        named = f"${var}->{prop}" if prop else f"${var}"
        kind = _named(named, context, nested, seen)
        if kind == "raw":
            return "raw"
        worst = "quoted" if kind == "quoted" else worst
        rest = rest.replace(match.group(0), "", 1)
    return "raw" if "$" in rest else worst


def _named(piece: str, context: _Pieces, nested: int, seen: frozenset[str]) -> str:
    """A variable or ``$this`` property judged by every value the file assigns it, each read where it
    was assigned (``$name = trim($name)`` sees the ``$name`` before it; a property's value names the
    variables of the method that set it)."""
    key = (piece, context.at)
    if f"{piece}@{context.at}" in seen:
        return "safe"  # in a loop, $sql = $sql . ' AND x': the variable adds nothing to itself
    if key in context.memo:
        return context.memo[key]
    writes = context.assigned(piece) if nested < _MAX_NESTED else None
    worst = "safe" if writes is not None else "raw"
    for write in writes or ():
        if not context.spend(write.text):
            worst = "raw"
            break
        where = replace(context, at=write.at)
        kind = _worst_of(_pieces(write.text), where, nested + 1, seen | {f"{piece}@{context.at}"})
        if kind == "raw":
            worst = "raw"
            break
        worst = "quoted" if kind == "quoted" else worst
    context.memo[key] = worst
    return worst


def _worst_of(pieces: list[str], context: _Pieces, nested: int, seen: frozenset[str]) -> str:
    worst = "safe"
    for piece in pieces:
        context.budget[0] -= 1
        if context.budget[0] < 0:
            return "raw"
        if _constant_piece(piece) or _SCALAR.fullmatch(piece):
            continue
        helper = context.helper(piece)
        if helper is not None and helper in context.wrappers:
            kind = context.wrappers[helper]  # $pdo->quote($name), $db->escape($x)
        elif helper is not None and piece.startswith(context.connection + "->") and context.connection and \
                _LAYER_HELPER.search(helper):
            # The query's own database layer builds and quotes this piece ($db->array2list($ids, 'integer'),
            # $db->ilike('name', $search), $db->now()): safe, unless the request goes into it unchecked.
            # Other methods of it (fetchOne, escapeLike) are judged like any call.
            kind = "raw" if _request_data(piece) else "safe"
        elif helper is not None and helper in _TABLE_NAMERS:  # a table named: safe only from safe values
            given = _arguments(piece)
            kind = "raw" if given is None or nested >= _MAX_NESTED or any(
                _worst_of([f"({a})"] if _branches(f"({a})") else _pieces(a), context, nested + 1, seen) != "safe"
                for a in given) else "safe"
        elif _CAST.match(piece) or _numeric_sprintf(piece):
            continue
        elif (elements := _array_elements(piece)) is not None:  # [] or ['a = ?', $db->quote($x)]
            kind = _worst_of(elements, context, nested + 1, seen) if nested < _MAX_NESTED else "raw"
        elif _wrapper(piece) in _PASS_THROUGH and (given := _arguments(piece)) is not None:
            # implode(', ', $cols), array_pad([], count($values), '?'): as safe as the texts they join
            picked = _PASS_THROUGH[_wrapper(piece) or ""]
            texts = [a for i, a in enumerate(given) if picked is None or i in picked]
            kind = _worst_of(texts, context, nested + 1, seen) if nested < _MAX_NESTED else "raw"
        elif _NAMED.fullmatch(piece) or _ELEMENT.fullmatch(piece):
            kind = _named(piece, context, nested, seen)  # an element is as safe as every value of its array
        elif (interpolated := _interpolated(piece, context, nested, seen)) is not None:
            kind = interpolated
        elif (branches := _branches(piece) if nested < _MAX_NESTED else None) is not None:
            # ($id ? '= ' . $db->quote($id) : 'IS NULL'): each value, not the condition
            kind = _worst_of([p for b in branches for p in _pieces(b)], context, nested + 1, seen)
        else:
            kind = context.wrappers.get(_wrapper(piece) or "", "raw")
        if kind == "raw":
            return "raw"
        worst = "quoted" if kind == "quoted" else worst
    return worst


def shell_command(site: CallSite) -> Outcome | None:
    command = site.arg(0)
    if command is None:
        return None
    if site.qualname == "proc_open" and command.node_type == "array_creation_expression":
        return None  # an argument vector (PHP 7.4+) runs the program without a shell
    if command.literal:
        return Outcome("note", "constant command string")
    quoting = _worst_piece(command, _Pieces(_SHELL_WRAPPERS, facts=site.facts, at=site.start))
    if quoting == "safe":
        # Quoted arguments cannot break out of the shell word; option injection ("-o...") still can.
        return Outcome("note", "every run-time value is a constant, a number or quoted with escapeshellarg()")
    if quoting == "quoted":
        return Outcome("warning", "escapeshellcmd() does not stop argument injection")
    return Outcome("error")


def mail_parameters(site: CallSite) -> Outcome | None:
    extra = site.arg(4) or site.kwarg("additional_params")
    return Outcome("warning") if extra is not None and not extra.literal else None


# --- code evaluation -----------------------------------------------------------------------------


def assert_string(site: CallSite) -> Outcome | None:
    code = site.arg(0)
    if code is None:
        return None
    if code.dynamic_string or _request_data(code.text):
        return Outcome("error")
    if code.literal and code.value is not None:
        return Outcome("note", "constant code string")
    return None  # assert($x > 0) checks a value, it evaluates nothing


def create_function(site: CallSite) -> Outcome | None:
    if all(a.literal for a in site.args):
        return Outcome("note", "constant code strings")
    return Outcome("error")


_DELIMITERS = {"(": ")", "[": "]", "{": "}", "<": ">"}


def eval_modifier(site: CallSite) -> Outcome | None:
    pattern = site.arg_value(0)
    if not pattern:
        return None  # an array or variable of patterns: not checked
    pattern = pattern.lstrip()
    opener = pattern[:1]
    if not opener or opener.isalnum() or opener == "\\":
        return None
    closer = _DELIMITERS.get(opener, opener)
    end = pattern.rfind(closer)
    return Outcome("error") if end > 0 and "e" in pattern[end + 1 :] else None


# --- deserialization, inclusion ------------------------------------------------------------------


def unserialize(site: CallSite) -> Outcome | None:
    data, options = site.arg(0), site.arg(1) or site.kwarg("options")
    if data is None or data.literal:
        return None
    if options is not None:
        allowed = re.search(r"['\"]allowed_classes['\"]\s*=>\s*(\S+)", options.text)
        if allowed and allowed.group(1).rstrip(",])").lower() == "false":
            return None  # no objects are created
        if allowed:
            return Outcome("note", "objects limited to the allowed_classes list")
    return Outcome("error", "request data") if _request_data(data.text) else Outcome("warning")


def dynamic_include(site: CallSite) -> Outcome | None:
    path = site.arg(0)
    if path is None or path.literal:
        return None  # 'x.php', __DIR__ . '/x.php', dirname(__FILE__) . '/x.php', ABSPATH . WPINC . '/x.php'
    if _request_data(path.text):
        return Outcome("error", "request data in the path")
    if _worst_piece(path, _Pieces({}, facts=site.facts, at=site.start)) == "safe":
        return None  # require __DIR__ . $classes[$cn]: a path from the program's own table
    if path.dynamic_string:
        return Outcome("warning", "path built from run-time values")
    return Outcome("note", "path held in a variable")


# --- SQL -----------------------------------------------------------------------------------------

# Where the query is among each function's arguments (-1: the last; pg_query's link is optional).
QUERY_ARGUMENT = {
    "mysql_query": 0, "mysql_unbuffered_query": 0, "mysql_db_query": 1, "mysqli_query": 1, "mysqli_real_query": 1,
    "mysqli_multi_query": 1, "mysqli_prepare": 1, "mysqli_send_query": 1, "pg_query": -1, "pg_send_query": -1,
    "pg_prepare": -1, "sqlsrv_query": 1, "sqlsrv_prepare": 1, "oci_parse": 1, "odbc_exec": 1, "odbc_prepare": 1,
    "db2_exec": 1, "db2_prepare": 1, "sqlite_query": 1, "sqlite_exec": 1,
}


def sql(site: CallSite) -> Outcome | None:
    if site.qualname in QUERY_ARGUMENT:
        return _built_query(site.arg(QUERY_ARGUMENT[site.qualname]), _Pieces(_SQL_WRAPPERS, facts=site.facts,
                                                                              at=site.start))
    query = site.arg(0)
    if query is None:
        return None
    connection = site.receiver if re.fullmatch(r"\$\w+(?:->\w+)*", site.receiver) else ""
    pieces = _Pieces(_SQL_WRAPPERS, connection, site.facts, site.start)
    # Method names such as exec() and query() are common; the string must also look like SQL, as
    # written or in what the file assigns a variable it is built from ($sql = "SELECT ..."; $sql . $x).
    if not _SQL.search(query.text) and not any(_SQL.search(w.text) for p in _pieces(query.text)
                                               for w in pieces.assigned(p) or ()):
        return None
    return _built_query(query, pieces)


def _built_query(query: Arg | None, pieces: _Pieces) -> Outcome | None:
    if query is None:
        return None
    if not query.dynamic_string:  # $sql = "SELECT ... $id"; $db->query($sql): built where it is assigned
        writes = pieces.assigned(query.text) or ()
        if not any(_SQL.search(w.text) for w in writes) or _named(query.text, pieces, 0, frozenset()) == "safe":
            return None
    quoting = _worst_piece(query, pieces)
    if quoting == "safe":
        return None  # ' WHERE id = ' . (int) $id, ' WHERE name = ' . $pdo->quote($name)
    if quoting == "quoted":
        return Outcome("warning", "escaped values are safe only inside quotes")
    return Outcome("error", "query built from strings")


def raw_sql(site: CallSite) -> Outcome | None:
    return _built_query(site.arg(0), _Pieces(_SQL_WRAPPERS, facts=site.facts, at=site.start))


# --- weak cryptography, TLS, XML -------------------------------------------------------------------


_VERIFY_OPTIONS = ("CURLOPT_SSL_VERIFYPEER", "CURLOPT_SSL_VERIFYHOST")
_VERIFY_OFF = re.compile(r"CURLOPT_SSL_VERIFY(?:PEER|HOST)\s*=>\s*(?:false|0)\b", re.IGNORECASE)


def tls_off(site: CallSite) -> Outcome | None:
    if site.qualname == "curl_setopt":
        option, value = site.arg(1), site.arg(2)
        if option is None or value is None:
            return None
        off = option.text in _VERIFY_OPTIONS and value.text.lower() in ("false", "0")
        return Outcome("warning") if off else None
    options = site.arg(1)  # curl_setopt_array($ch, [...])
    return Outcome("warning") if options is not None and _VERIFY_OFF.search(options.text) else None


def entity_substitution(site: CallSite) -> Outcome | None:
    return Outcome("warning") if any(re.search(r"\bLIBXML_NOENT\b", a.text) for a in site.args) else None


# --- output, variables -----------------------------------------------------------------------------


def echoed_request(site: CallSite) -> Outcome | None:
    for piece in site.args:
        direct = piece.node_type in ("variable_name", "subscript_expression") and _REQUEST.match(piece.text)
        interpolated = piece.node_type in ("encapsed_string", "heredoc") and _request_data(piece.text)
        if direct or interpolated:
            return Outcome("error", f"prints {piece.text}")
    return None  # htmlspecialchars($_GET['q']), intval($_GET['n']) and the like are not reported


def extract_request(site: CallSite) -> Outcome | None:
    source, flags = site.arg(0), site.arg(1)
    if source is None or not re.fullmatch(r"\$_(?:GET|POST|REQUEST|COOKIE|FILES)", source.text):
        return None
    if flags is not None and re.search(r"EXTR_(?:SKIP|PREFIX_\w+)", flags.text):
        return Outcome("note", "existing variables are not overwritten")
    return Outcome("error")
