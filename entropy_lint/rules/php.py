"""PHP rules: command and code execution, file inclusion, SQL built from strings, and kin.

Levels: ``error`` where request data plausibly reaches a shell, ``eval``, an include or a query;
``warning`` where safety depends on where the data came from; ``note`` for constant arguments and
context-dependent weaknesses. Function and method names are lower case (PHP ignores their case);
methods are ``<receiver>.<method>`` (``$pdo->query`` is ``$pdo.query``), so rules name them ``*.query``.

"Request data" is a superglobal in the expression itself (``$_GET``, ``$_POST``, ``$_REQUEST``,
``$_COOKIE``, ``$_FILES``, the attacker-written keys of ``$_SERVER``) or ``filter_input(INPUT_...)``:
tracking it through variables is dataflow, which this table does not attempt.
"""

from __future__ import annotations

import functools
import re

from entropy_lint.callsite import Arg, CallSite
from entropy_lint.rules.base import Outcome, Rule
from entropy_lint.rules.refine import algorithm_in, constant_or

R = functools.partial(Rule, languages=("php",))

# $_SERVER keys that the client writes (PHP_SELF and PATH_INFO carry the URL's extra path).
_CLIENT_SERVER_KEYS = r"PHP_SELF|REQUEST_URI|QUERY_STRING|PATH_INFO|PATH_TRANSLATED|HTTP_\w+"
_REQUEST = re.compile(r"\$_(?:GET|POST|REQUEST|COOKIE|FILES)\b"
                      rf"|\$_SERVER\s*\[\s*['\"]?(?:{_CLIENT_SERVER_KEYS})\b|\bfilter_input(?:_array)?\s*\(\s*INPUT_",
                      re.IGNORECASE)
_SQL = re.compile(r"\b(?:select|insert|update|delete|replace|merge|create|drop|alter|truncate|show|describe|"
                  r"grant|revoke|union|pragma)\b", re.IGNORECASE)
_WEAK_ALGORITHMS = {"md2", "md4", "md5", "sha1", "ripemd128"}


def _request_data(text: str) -> bool:
    return _REQUEST.search(text) is not None


# --- strings built from pieces: which run-time pieces are quoted or cast -------------------------

# What a call wrapped around a whole piece makes of it ("safe": cannot change the command or query;
# "quoted": safe inside its context only; anything else: as raw as the value).
_SHELL_WRAPPERS = {"escapeshellarg": "safe", "escapeshellcmd": "quoted", "intval": "safe"}
_SQL_WRAPPERS = {"intval": "safe", "floatval": "safe", "quote": "safe", "pg_escape_literal": "safe",
                 "pg_escape_identifier": "safe", "mysqli_real_escape_string": "quoted",
                 "mysql_real_escape_string": "quoted", "real_escape_string": "quoted", "esc_sql": "quoted",
                 "pg_escape_string": "quoted", "sqlite_escape_string": "quoted", "addslashes": "quoted"}
_CALLEE = re.compile(r"(?:\\?[A-Za-z_]\w*|\$\w+(?:->\w+)*->(\w+)|[A-Za-z_\\]+::(\w+))\s*\(")
_CAST = re.compile(r"\(\s*(?:int|integer|float|double|bool|boolean)\s*\)", re.IGNORECASE)


def _pieces(text: str) -> list[str]:
    """Split a PHP expression at its top-level ``.`` operators (outside strings and brackets)."""
    pieces, depth, quote, start, i = [], 0, "", 0, 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "." and depth == 0 and not (text[i - 1 : i].isdigit() and text[i + 1 : i + 2].isdigit()):
            pieces.append(text[start:i].strip())
            start = i + 1
        i += 1
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


def _worst_piece(arg: Arg, wrappers: dict[str, str]) -> str:
    """How well a built string's run-time pieces are guarded: "safe" when each is cast or wrapped in a
    safe function, "quoted" when some are only escaped, "raw" otherwise."""
    worst = "safe"
    for piece in _pieces(arg.text):
        if _constant_piece(piece):
            continue
        if _CAST.match(piece):
            continue
        kind = wrappers.get(_wrapper(piece) or "", "raw")
        if kind == "raw":
            return "raw"
        worst = "quoted" if kind == "quoted" else worst
    return worst


def _command(site: CallSite) -> Outcome | None:
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
        return Outcome("note", "every run-time value is quoted with escapeshellarg()")
    if quoting == "quoted":
        return Outcome("warning", "escapeshellcmd() does not stop argument injection")
    return Outcome("error")


def _mail_parameters(site: CallSite) -> Outcome | None:
    extra = site.arg(4) or site.kwarg("additional_params")
    return Outcome("warning") if extra is not None and not extra.literal else None


# --- code evaluation -----------------------------------------------------------------------------


def _assert_string(site: CallSite) -> Outcome | None:
    code = site.arg(0)
    if code is None:
        return None
    if code.dynamic_string or _request_data(code.text):
        return Outcome("error")
    if code.literal and code.value is not None:
        return Outcome("note", "constant code string")
    return None  # assert($x > 0) checks a value, it evaluates nothing


def _create_function(site: CallSite) -> Outcome | None:
    if all(a.literal for a in site.args):
        return Outcome("note", "constant code strings")
    return Outcome("error")


_DELIMITERS = {"(": ")", "[": "]", "{": "}", "<": ">"}


def _eval_modifier(site: CallSite) -> Outcome | None:
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


def _unserialize(site: CallSite) -> Outcome | None:
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


def _include(site: CallSite) -> Outcome | None:
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
_QUERY_ARGUMENT = {
    "mysql_query": 0, "mysql_unbuffered_query": 0, "mysql_db_query": 1, "mysqli_query": 1, "mysqli_real_query": 1,
    "mysqli_multi_query": 1, "mysqli_prepare": 1, "mysqli_send_query": 1, "pg_query": -1, "pg_send_query": -1,
    "pg_prepare": -1, "sqlsrv_query": 1, "sqlsrv_prepare": 1, "oci_parse": 1, "odbc_exec": 1, "odbc_prepare": 1,
    "db2_exec": 1, "db2_prepare": 1, "sqlite_query": 1, "sqlite_exec": 1,
}


def _sql(site: CallSite) -> Outcome | None:
    if site.qualname in _QUERY_ARGUMENT:
        return _built_query(site.arg(_QUERY_ARGUMENT[site.qualname]))
    query = site.arg(0)
    # Method names such as exec() and query() are common; the string must also look like SQL.
    return _built_query(query) if query is not None and _SQL.search(query.text) else None


def _built_query(query: Arg | None) -> Outcome | None:
    if query is None or not query.dynamic_string:
        return None
    quoting = _worst_piece(query, _SQL_WRAPPERS)
    if quoting == "safe":
        return None  # ' WHERE id = ' . (int) $id, ' WHERE name = ' . $pdo->quote($name)
    if quoting == "quoted":
        return Outcome("warning", "escaped values are safe only inside quotes")
    return Outcome("error", "query built from strings")


def _raw_sql(site: CallSite) -> Outcome | None:
    return _built_query(site.arg(0))


# --- weak cryptography, TLS, XML -------------------------------------------------------------------


_VERIFY_OPTIONS = ("CURLOPT_SSL_VERIFYPEER", "CURLOPT_SSL_VERIFYHOST")
_VERIFY_OFF = re.compile(r"CURLOPT_SSL_VERIFY(?:PEER|HOST)\s*=>\s*(?:false|0)\b", re.IGNORECASE)


def _tls_off(site: CallSite) -> Outcome | None:
    if site.qualname == "curl_setopt":
        option, value = site.arg(1), site.arg(2)
        if option is None or value is None:
            return None
        off = option.text in _VERIFY_OPTIONS and value.text.lower() in ("false", "0")
        return Outcome("warning") if off else None
    options = site.arg(1)  # curl_setopt_array($ch, [...])
    return Outcome("warning") if options is not None and _VERIFY_OFF.search(options.text) else None


def _entity_substitution(site: CallSite) -> Outcome | None:
    return Outcome("warning") if any(re.search(r"\bLIBXML_NOENT\b", a.text) for a in site.args) else None


# --- output, variables -----------------------------------------------------------------------------


def _echoed_request(site: CallSite) -> Outcome | None:
    for piece in site.args:
        direct = piece.node_type in ("variable_name", "subscript_expression") and _REQUEST.match(piece.text)
        interpolated = piece.node_type in ("encapsed_string", "heredoc") and _request_data(piece.text)
        if direct or interpolated:
            return Outcome("error", f"prints {piece.text}")
    return None  # htmlspecialchars($_GET['q']), intval($_GET['n']) and the like are not reported


def _extract_request(site: CallSite) -> Outcome | None:
    source, flags = site.arg(0), site.arg(1)
    if source is None or not re.fullmatch(r"\$_(?:GET|POST|REQUEST|COOKIE|FILES)", source.text):
        return None
    if flags is not None and re.search(r"EXTR_(?:SKIP|PREFIX_\w+)", flags.text):
        return Outcome("note", "existing variables are not overwritten")
    return Outcome("error")


RULES: tuple[Rule, ...] = (
    # --- command execution ---------------------------------------------------------------------
    R(id="EL-PHP-EXEC", name="php-command-exec", cwe=(78,), level="error", security_severity=9.8,
      names=("system", "exec", "shell_exec", "passthru", "popen", "proc_open"),
      short="command run through a shell",
      full="These functions hand their command string to /bin/sh; shell metacharacters in any part of it that an attacker controls run arbitrary commands.",
      suggestion="Pass an argument array to proc_open(), or quote every value with escapeshellarg().",
      bad="system('convert ' . $_GET['file'] . ' out.png');",
      good="$p = proc_open(['convert', $file, 'out.png'], $spec, $pipes);",
      refine=_command, external=("Semgrep php.lang.security.exec-use", "phpcs-security-audit SystemExecFunctions")),
    R(id="EL-PHP-BACKTICK", name="php-backtick-shell", names=("`",), kind="shell", cwe=(78,), level="error",
      security_severity=9.8, short="backtick operator runs a shell command",
      full="`...` is shell_exec(): the string, with its interpolated variables, is run by /bin/sh.",
      suggestion="Use proc_open() with an argument array.", bad="$out = `ls $dir`;", good="$p = proc_open(['ls', '-la', $dir], $spec, $pipes);",
      refine=constant_or(0, "note", "error", "constant command string"),
      external=("Semgrep php.lang.security.backticks-use", "phpcs-security-audit Backticks")),
    R(id="EL-PHP-PCNTL-EXEC", name="php-pcntl-exec", names=("pcntl_exec",), cwe=(78,), level="note",
      security_severity=4.0, short="a program started from a path",
      full="pcntl_exec() replaces the process with the named program without a shell; check that neither the path nor the arguments come from untrusted input.",
      suggestion="Use a fixed, absolute program path.", bad="pcntl_exec($program, [$arg]);",
      good="pcntl_exec('/usr/bin/git', ['status']);", refine=lambda s: None if s.is_literal(0) else Outcome("note"),
      external=("phpcs-security-audit SystemExecFunctions",)),
    R(id="EL-PHP-MAIL-PARAMS", name="php-mail-additional-parameters", names=("mail", "mb_send_mail"), cwe=(88,),
      level="warning", security_severity=7.3, short="mail() with run-time sendmail parameters",
      full="mail()'s fifth argument is appended to the sendmail command line; a value such as -X/var/www/x.php lets the sender write files.",
      suggestion="Leave additional_params out, or build it from a validated address with escapeshellarg().",
      bad="mail($to, $subject, $body, $headers, '-f' . $from);", good="mail($to, $subject, $body, $headers, '-fnoreply@example.org');",
      refine=_mail_parameters, precision="medium", external=("CVE-2016-10033",)),
    # --- code evaluation -------------------------------------------------------------------------
    R(id="EL-PHP-EVAL", name="php-eval", names=("eval",), cwe=(95,), level="error", security_severity=9.8,
      short="eval() runs a string as PHP code",
      full="eval() executes its argument as PHP with the script's privileges; any attacker influence over the string is code execution.",
      suggestion="Dispatch to known functions, or parse data with json_decode().",
      bad="eval('$value = ' . $_POST['expr'] . ';');", good="$value = json_decode($_POST['expr'], true);",
      refine=constant_or(0, "note", "error", "constant code string"),
      external=("Semgrep php.lang.security.eval-use", "phpcs-security-audit NoEvals")),
    R(id="EL-PHP-ASSERT-STRING", name="php-assert-string", names=("assert",), cwe=(95,), level="error",
      security_severity=9.8, short="assert() with a string evaluates it as PHP code",
      full="Before PHP 8, assert() evaluates a string argument as code; a string built from input is code execution.",
      suggestion="Assert an expression, not a string: assert($x > 0).",
      bad="assert(\"strlen('$name') < 10\");", good="assert(strlen($name) < 10);",
      refine=_assert_string, external=("Semgrep php.lang.security.assert-use", "phpcs-security-audit Asserts")),
    R(id="EL-PHP-CREATE-FUNCTION", name="php-create-function", names=("create_function",), cwe=(95,), level="error",
      security_severity=9.8, short="create_function() builds a function with eval()",
      full="create_function() passes its arguments to eval(); interpolated values become code. It was removed in PHP 8.",
      suggestion="Use an anonymous function: function ($a) { ... }.",
      bad="$f = create_function('$a', 'return $a ' . $op . ' 2;');", good="$f = fn($a) => $a * 2;",
      refine=_create_function, external=("phpcs-security-audit CallbackFunctions",)),
    R(id="EL-PHP-PREG-EVAL", name="php-preg-replace-eval", names=("preg_replace", "preg_filter"), cwe=(95,),
      level="error", security_severity=9.8, short="preg_replace() with the /e modifier evaluates the replacement",
      full="With /e the replacement, after back-references are filled in from the subject, is run as PHP code, so the subject text can inject code (removed in PHP 7).",
      suggestion="Use preg_replace_callback().",
      bad="$html = preg_replace('/\\{(\\w+)\\}/e', '$vars[\"$1\"]', $template);",
      good="$html = preg_replace_callback('/\\{(\\w+)\\}/', fn($m) => $vars[$m[1]], $template);",
      refine=_eval_modifier, external=("Semgrep php.lang.security.preg-replace-eval", "phpcs-security-audit PregReplace")),
    # --- deserialization -------------------------------------------------------------------------------
    R(id="EL-PHP-UNSERIALIZE", name="php-unserialize", names=("unserialize",), cwe=(502,), level="warning",
      security_severity=8.1, short="unserialize() can create objects of any class",
      full="unserialize() instantiates the classes named in the data and runs their magic methods (__wakeup, __destruct); untrusted data reaches property-oriented gadget chains.",
      suggestion="Use json_decode(), or pass ['allowed_classes' => false].",
      bad="$prefs = unserialize($_COOKIE['prefs']);", good="$prefs = unserialize($data, ['allowed_classes' => false]);",
      refine=_unserialize, external=("Semgrep php.lang.security.unserialize-use",)),
    # --- file inclusion ----------------------------------------------------------------------------------
    R(id="EL-PHP-INCLUDE", name="php-dynamic-include", names=("include", "include_once", "require", "require_once"),
      kind="include", cwe=(98, 22), level="error", security_severity=9.1,
      short="a file included from a run-time path",
      full="include and require run the named file as PHP; a path that request data can steer reads local files or runs uploaded or remote code.",
      suggestion="Map input to a fixed list of files: include $pages[$name] ?? 'home.php'.",
      bad="include $_GET['page'] . '.php';", good="include __DIR__ . '/pages/home.php';",
      refine=_include, precision="medium",
      external=("Semgrep php.lang.security.file-inclusion", "phpcs-security-audit EasyRFI")),
    # --- SQL -------------------------------------------------------------------------------------------
    R(id="EL-PHP-SQL", name="php-sql-string", cwe=(89,), level="error", security_severity=9.8,
      names=(*_QUERY_ARGUMENT, "*.query", "*.exec", "*.prepare", "*.multi_query", "*.real_query", "*.get_results",
             "*.get_row", "*.get_var", "*.get_col", "*.executequery", "*.executestatement"),
      short="SQL built from strings is passed to a query",
      full="A query assembled with '.' or an interpolated string lets data change the SQL itself.",
      suggestion="Use placeholders: $pdo->prepare('... WHERE id = ?')->execute([$id]), or $wpdb->prepare().",
      bad="$rows = $pdo->query(\"SELECT * FROM users WHERE name = '$name'\");",
      good="$stmt = $pdo->prepare('SELECT * FROM users WHERE name = ?');",
      refine=_sql, external=("Semgrep php.lang.security.injection.tainted-sql-string", "phpcs-security-audit Mysqli")),
    R(id="EL-PHP-LARAVEL-RAW-SQL", name="php-laravel-raw-sql", cwe=(89,), level="error", security_severity=9.8,
      names=("DB::select", "DB::statement", "DB::unprepared", "DB::raw", "DB::insert", "DB::update", "DB::delete",
             "*\\DB::select", "*\\DB::statement", "*\\DB::unprepared", "*\\DB::raw", "*\\DB::insert",
             "*\\DB::update", "*\\DB::delete", "*.whereraw", "*.orwhereraw", "*.havingraw", "*.orhavingraw",
             "*.orderbyraw", "*.selectraw", "*.groupbyraw", "*.fromraw"),
      short="raw SQL built from strings in a Laravel query",
      full="The raw query methods insert their SQL text unescaped; interpolated values change the query.",
      suggestion="Pass values as bindings: whereRaw('price > ?', [$price]).",
      bad="$users = DB::select(\"SELECT * FROM users WHERE email = '$email'\");",
      good="$users = DB::select('SELECT * FROM users WHERE email = ?', [$email]);",
      refine=_raw_sql, external=("Semgrep php.laravel.security.laravel-sql-injection",)),
    # --- weak cryptography, TLS, XML -----------------------------------------------------------------
    R(id="EL-PHP-WEAK-HASH", name="php-weak-hash", names=("md5", "sha1"), cwe=(327, 328), level="warning",
      security_severity=5.9, short="MD5 and SHA-1 are broken for security use",
      full="Collisions for MD5 and SHA-1 are practical, and both are far too fast for passwords.",
      suggestion="Use password_hash() for passwords, hash('sha256', ...) or hash_hmac() otherwise.",
      bad="$stored = md5($password);", good="$stored = password_hash($password, PASSWORD_DEFAULT);",
      precision="medium", external=("Semgrep php.lang.security.weak-crypto", "phpcs-security-audit CryptoFunctions")),
    R(id="EL-PHP-WEAK-HASH-ALGO", name="php-hash-weak-algorithm", names=("hash", "hash_init", "hash_file"),
      cwe=(327, 328), level="warning", security_severity=5.9, short="hash() with a broken algorithm",
      full="hash('md5') and hash('sha1') select hashes whose collisions are practical.",
      suggestion="Use sha256 or stronger.", bad="$sig = hash('sha1', $payload);", good="$sig = hash('sha256', $payload);",
      refine=algorithm_in(_WEAK_ALGORITHMS), precision="medium", external=("Semgrep php.lang.security.weak-crypto",)),
    R(id="EL-PHP-RANDOM", name="php-insecure-random", names=("rand", "mt_rand", "uniqid", "lcg_value", "str_shuffle"),
      cwe=(330, 338), level="note", security_severity=3.7, short="a predictable random source",
      full="rand(), mt_rand(), str_shuffle() and uniqid() are predictable; tokens, passwords and nonces made with them can be guessed.",
      suggestion="Use random_bytes() or random_int().", bad="$token = md5(uniqid());", good="$token = bin2hex(random_bytes(16));",
      precision="medium", external=("phpcs-security-audit CryptoFunctions",)),
    R(id="EL-PHP-CURL-NO-VERIFY", name="php-curl-tls-verify-off", names=("curl_setopt", "curl_setopt_array"),
      cwe=(295,), level="warning", security_severity=7.4, short="cURL TLS certificate verification turned off",
      full="With CURLOPT_SSL_VERIFYPEER or CURLOPT_SSL_VERIFYHOST off, any certificate is accepted and the connection can be intercepted.",
      suggestion="Keep verification on; set CURLOPT_CAINFO for a private CA.",
      bad="curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);", good="curl_setopt($ch, CURLOPT_CAINFO, '/etc/ssl/ca.pem');",
      refine=_tls_off, external=("Semgrep php.lang.security.curl-ssl-verifypeer-off",)),
    R(id="EL-PHP-XXE", name="php-xml-entity-substitution",
      names=("simplexml_load_string", "simplexml_load_file", "*.loadxml", "*.load", "*.loadhtml"), cwe=(611, 776),
      level="warning", security_severity=7.5, short="XML parsed with entity substitution (LIBXML_NOENT)",
      full="LIBXML_NOENT expands external entities, so a document can read local files or make requests (XXE).",
      suggestion="Drop LIBXML_NOENT.", bad="$doc = simplexml_load_string($xml, 'SimpleXMLElement', LIBXML_NOENT);",
      good="$doc = simplexml_load_string($xml);", refine=_entity_substitution),
    # --- output, variables ----------------------------------------------------------------------------
    R(id="EL-PHP-ECHO-REQUEST", name="php-echo-request-data", names=("echo", "print"), cwe=(79,), level="error",
      security_severity=6.1, short="request data printed without escaping",
      full="Printing a superglobal directly puts attacker-written text into the page: reflected cross-site scripting.",
      suggestion="Escape on output: echo htmlspecialchars($_GET['q'], ENT_QUOTES, 'UTF-8').",
      bad="echo 'Results for ' . $_GET['q'];", good="echo 'Results for ' . htmlspecialchars($_GET['q'], ENT_QUOTES);",
      refine=_echoed_request, external=("Semgrep php.lang.security.injection.echoed-request", "phpcs-security-audit EasyXSS")),
    R(id="EL-PHP-EXTRACT", name="php-extract-request", names=("extract",), cwe=(621, 473), level="error",
      security_severity=7.5, short="extract() on request data overwrites variables",
      full="extract($_GET) turns every parameter into a variable, letting the client overwrite $is_admin, $file or any other variable in scope.",
      suggestion="Read the parameters you expect: $page = $_GET['page'] ?? 'home'.",
      bad="extract($_POST);", good="$page = $_POST['page'] ?? 'home';",
      refine=_extract_request, external=("Semgrep php.lang.security.extract-user-data",)),
)
