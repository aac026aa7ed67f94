"""Refine hooks and name lists for the PHP table (``rules/php.py``).

"Request data" is a superglobal in the expression itself (``$_GET``, ``$_POST``, ``$_REQUEST``,
``$_COOKIE``, ``$_FILES``, the attacker-written keys of ``$_SERVER``) or ``filter_input(INPUT_...)``:
tracking it through variables is dataflow, which these hooks do not attempt.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from entropy_lint.callsite import Arg, CallSite
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
                 "pg_escape_identifier": "safe", "mysqli_real_escape_string": "quoted",
                 "mysql_real_escape_string": "quoted", "real_escape_string": "quoted", "esc_sql": "quoted",
                 "pg_escape_string": "quoted", "sqlite_escape_string": "quoted", "addslashes": "quoted"}
_CALLEE = re.compile(r"(?:\\?[A-Za-z_]\w*|\$\w+(?:->\w+)*->(\w+)|[A-Za-z_\\]+::(\w+))\s*\(")
_MAX_NESTED = 8  # conditionals inside conditionals followed; deeper ones count as raw
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


def _fixed_piece(piece: str, fixed: Mapping[str, str]) -> bool:
    """``$this->table``, or a double-quoted string whose every interpolation is such a property, where
    the file fixes the property to a constant (see FileFacts.properties)."""
    if not fixed:
        return False
    alone = re.fullmatch(r"\$this->(\w+)", piece)
    if alone:
        return alone.group(1) in fixed
    if len(piece) < 2 or piece[0] != '"' or piece[-1] != '"':
        return False
    rest = re.sub(r"\{\$this->(\w+)\}|\$this->(\w+)",
                  lambda m: "" if (m.group(1) or m.group(2)) in fixed else m.group(0), piece)
    return "$" not in rest


def _own_helper(connection: str, fixed: Mapping[str, str]) -> re.Pattern[str] | None:
    """A piece that calls a method of ``connection`` with constant arguments only (or none), a
    property the file fixes counting as a constant."""
    if not re.fullmatch(r"\$\w+(?:->\w+)*", connection):
        return None
    properties = "".join(f"|\\$this->{re.escape(name)}\\b" for name in fixed)
    constant = rf"""(?:'[^'\\]*'|"[^"\\$]*"|-?\d+|true|false|null{properties})"""
    return re.compile(rf"{re.escape(connection)}->\w+\(\s*(?:{constant}\s*(?:,\s*{constant}\s*)*)?\)", re.I)


def _worst_piece(arg: Arg, wrappers: dict[str, str], own: re.Pattern[str] | None = None,
                 fixed: Mapping[str, str] = MappingProxyType({})) -> str:
    """How well a built string's run-time pieces are guarded: "safe" when each is cast or wrapped in a
    safe function (or is ``own``: a helper of the query's own connection called with constants),
    "quoted" when some are only escaped, "raw" otherwise."""
    return _worst_of(_pieces(arg.text), wrappers, own, fixed)


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


def _worst_of(pieces: list[str], wrappers: dict[str, str], own: re.Pattern[str] | None, fixed: Mapping[str, str],
              nested: int = 0) -> str:
    worst = "safe"
    for piece in pieces:
        if _constant_piece(piece) or (own is not None and own.fullmatch(piece)) or _fixed_piece(piece, fixed):
            continue
        branches = _branches(piece) if nested < _MAX_NESTED else None
        if branches is not None:  # ($id ? '= ' . $db->quote($id) : 'IS NULL'): each value, not the condition
            kind = _worst_of([p for b in branches for p in _pieces(b)], wrappers, own, fixed, nested + 1)
            if kind == "raw":
                return "raw"
            worst = "quoted" if kind == "quoted" else worst
            continue
        if _CAST.match(piece) or _numeric_sprintf(piece):
            continue
        kind = wrappers.get(_wrapper(piece) or "", "raw")
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
    quoting = _worst_piece(command, _SHELL_WRAPPERS)
    if quoting == "safe":
        # Quoted arguments cannot break out of the shell word; option injection ("-o...") still can.
        return Outcome("note", "every run-time value is quoted with escapeshellarg() or is a number")
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
        return _built_query(site.arg(QUERY_ARGUMENT[site.qualname]))
    query = site.arg(0)
    # Method names such as exec() and query() are common; the string must also look like SQL.
    if query is None or not _SQL.search(query.text):
        return None
    return _built_query(query, site.receiver, site.facts.properties)


def _built_query(query: Arg | None, connection: str = "", fixed: Mapping[str, str] = MappingProxyType({})) -> Outcome | None:
    """``connection``: the receiver of the query method (``$this->db``), whose own helpers called with
    constants (``$this->db->table_name('users', true)``, ``$db->now()``) give SQL of the database layer."""
    if query is None or not query.dynamic_string:
        return None
    own = _own_helper(connection, fixed)
    quoting = _worst_piece(query, _SQL_WRAPPERS, own, fixed)
    if quoting == "safe":
        return None  # ' WHERE id = ' . (int) $id, ' WHERE name = ' . $pdo->quote($name)
    if quoting == "quoted":
        return Outcome("warning", "escaped values are safe only inside quotes")
    return Outcome("error", "query built from strings")


def raw_sql(site: CallSite) -> Outcome | None:
    return _built_query(site.arg(0))


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
