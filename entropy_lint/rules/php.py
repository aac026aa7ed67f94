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

from entropy_lint.rules.base import Outcome, Rule
from entropy_lint.rules.php_refine import (
    QUERY_ARGUMENT,
    WEAK_ALGORITHMS,
    assert_string,
    create_function,
    dynamic_include,
    echoed_request,
    entity_substitution,
    eval_modifier,
    extract_request,
    mail_parameters,
    raw_sql,
    shell_command,
    sql,
    tls_off,
    unserialize,
)
from entropy_lint.rules.refine import algorithm_in, constant_or, random_for_secrets, weak_digest_outcome
from entropy_lint.rules.templates import FixTemplate

R = functools.partial(Rule, languages=("php",))

RULES: tuple[Rule, ...] = (
    # --- command execution ---------------------------------------------------------------------
    R(id="EL-PHP-EXEC", name="php-command-exec", level="error",  # a shell runs the string; escaped pieces lower it, constants are notes
      cwe=(78,), security_severity=9.8,
      names=("system", "exec", "shell_exec", "passthru", "popen", "proc_open"),
      short="command run through a shell",
      full="These functions hand their command string to /bin/sh; shell metacharacters in any part of it that an attacker controls run arbitrary commands.",
      suggestion="Pass an argument array to proc_open(), or quote every value with escapeshellarg().",
      bad="system('convert ' . $_GET['file'] . ' out.png');",
      good="$p = proc_open(['convert', $file, 'out.png'], $spec, $pipes);",
      refine=shell_command, external=("Semgrep php.lang.security.exec-use", "phpcs-security-audit SystemExecFunctions")),
    R(id="EL-PHP-BACKTICK", name="php-backtick-shell", level="error",  # a shell runs the string; a constant command lowers it to a note
      names=("`",), kind="shell", cwe=(78,),
      security_severity=9.8, short="backtick operator runs a shell command",
      full="`...` is shell_exec(): the string, with its interpolated variables, is run by /bin/sh.",
      suggestion="Use proc_open() with an argument array.", bad="$out = `ls $dir`;", good="$p = proc_open(['ls', '-la', $dir], $spec, $pipes);",
      refine=constant_or(0, "note", "error", "constant command string"),
      external=("Semgrep php.lang.security.backticks-use", "phpcs-security-audit Backticks")),
    R(id="EL-PHP-PCNTL-EXEC", name="php-pcntl-exec", level="note",  # no shell, so no injection; only a run-time program path is worth a look
      names=("pcntl_exec",), cwe=(78,),
      security_severity=4.0, short="a program started from a path",
      full="pcntl_exec() replaces the process with the named program without a shell; check that neither the path nor the arguments come from untrusted input.",
      suggestion="Use a fixed, absolute program path.", bad="pcntl_exec($program, [$arg]);",
      good="pcntl_exec('/usr/bin/git', ['status']);", refine=lambda s: None if s.is_literal(0) else Outcome("note"),
      external=("phpcs-security-audit SystemExecFunctions",)),
    R(id="EL-PHP-MAIL-PARAMS", name="php-mail-additional-parameters", level="warning",  # sendmail options can write files, but only with a run-time value
      names=("mail", "mb_send_mail"), cwe=(88,),
      security_severity=7.3, short="mail() with run-time sendmail parameters",
      full="mail()'s fifth argument is appended to the sendmail command line; a value such as -X/var/www/x.php lets the sender write files.",
      suggestion="Leave additional_params out, or build it from a validated address with escapeshellarg().",
      bad="mail($to, $subject, $body, $headers, '-f' . $from);", good="mail($to, $subject, $body, $headers, '-fnoreply@example.org');",
      refine=mail_parameters, precision="medium", external=("CVE-2016-10033",)),
    # --- code evaluation -------------------------------------------------------------------------
    R(id="EL-PHP-EVAL", name="php-eval", level="error",  # code execution; a constant string lowers it to a note
      names=("eval",), cwe=(95,), security_severity=9.8,
      short="eval() runs a string as PHP code",
      full="eval() executes its argument as PHP with the script's privileges; any attacker influence over the string is code execution.",
      suggestion="Dispatch to known functions, or parse data with json_decode().",
      bad="eval('$value = ' . $_POST['expr'] . ';');", good="$value = json_decode($_POST['expr'], true);",
      refine=constant_or(0, "note", "error", "constant code string"),
      external=("Semgrep php.lang.security.eval-use", "phpcs-security-audit NoEvals")),
    R(id="EL-PHP-ASSERT-STRING", name="php-assert-string", level="error",  # code execution before PHP 8; an expression (the usual case) is not reported
      names=("assert",), cwe=(95,),
      security_severity=9.8, short="assert() with a string evaluates it as PHP code",
      full="Before PHP 8, assert() evaluates a string argument as code; a string built from input is code execution.",
      suggestion="Assert an expression, not a string: assert($x > 0).",
      bad="assert(\"strlen('$name') < 10\");", good="assert(strlen($name) < 10);",
      refine=assert_string, external=("Semgrep php.lang.security.assert-use", "phpcs-security-audit Asserts")),
    R(id="EL-PHP-CREATE-FUNCTION", name="php-create-function", level="error",  # eval underneath: code execution; constant strings lower it to a note
      names=("create_function",), cwe=(95,),
      security_severity=9.8, short="create_function() builds a function with eval()",
      full="create_function() passes its arguments to eval(); interpolated values become code. It was removed in PHP 8.",
      suggestion="Use an anonymous function: function ($a) { ... }.",
      bad="$f = create_function('$a', 'return $a ' . $op . ' 2;');", good="$f = fn($a) => $a * 2;",
      refine=create_function, external=("phpcs-security-audit CallbackFunctions",)),
    R(id="EL-PHP-PREG-EVAL", name="php-preg-replace-eval", level="error",  # the subject text becomes code; only with the /e modifier
      names=("preg_replace", "preg_filter"), cwe=(95,),
      security_severity=9.8, short="preg_replace() with the /e modifier evaluates the replacement",
      full="With /e the replacement, after back-references are filled in from the subject, is run as PHP code, so the subject text can inject code (removed in PHP 7).",
      suggestion="Use preg_replace_callback().",
      bad="$html = preg_replace('/\\{(\\w+)\\}/e', '$vars[\"$1\"]', $template);",
      good="$html = preg_replace_callback('/\\{(\\w+)\\}/', fn($m) => $vars[$m[1]], $template);",
      refine=eval_modifier, external=("Semgrep php.lang.security.preg-replace-eval", "phpcs-security-audit PregReplace")),
    # --- deserialization -------------------------------------------------------------------------------
    R(id="EL-PHP-UNSERIALIZE", name="php-unserialize", level="warning",  # gadget chains run code for data from outside; request data raises it to an error
      names=("unserialize",), cwe=(502,),
      security_severity=8.1, short="unserialize() can create objects of any class",
      full="unserialize() instantiates the classes named in the data and runs their magic methods (__wakeup, __destruct); untrusted data reaches property-oriented gadget chains.",
      suggestion="Use json_decode(), or pass ['allowed_classes' => false].",
      bad="$prefs = unserialize($_COOKIE['prefs']);", good="$prefs = unserialize($data, ['allowed_classes' => false]);",
      refine=unserialize, external=("Semgrep php.lang.security.unserialize-use",),
      fixes=(FixTemplate("allowed_classes => false: no objects are created", "review", append="['allowed_classes' => false]", when=("args:1",)),
             FixTemplate("json_decode: data only (the data must be JSON)", "review", call="json_decode({0}, true)", when=("args:1",)))),
    # --- file inclusion ----------------------------------------------------------------------------------
    R(id="EL-PHP-INCLUDE", name="php-dynamic-include", level="error",  # request data in the path runs files; other run-time paths are warnings or notes
      names=("include", "include_once", "require", "require_once"),
      kind="include", cwe=(98, 22), security_severity=9.1,
      short="a file included from a run-time path",
      full="include and require run the named file as PHP; a path that request data can steer reads local files or runs uploaded or remote code.",
      suggestion="Map input to a fixed list of files: include $pages[$name] ?? 'home.php'.",
      bad="include $_GET['page'] . '.php';", good="include __DIR__ . '/pages/home.php';",
      refine=dynamic_include, precision="medium",
      external=("Semgrep php.lang.security.file-inclusion", "phpcs-security-audit EasyRFI")),
    # --- SQL -------------------------------------------------------------------------------------------
    R(id="EL-PHP-SQL", name="php-sql-string", level="error",  # data changes the query; escaped values lower it, parameterised queries are dropped
      cwe=(89,), security_severity=9.8,
      names=(*QUERY_ARGUMENT, "*.query", "*.exec", "*.prepare", "*.multi_query", "*.real_query", "*.get_results",
             "*.get_row", "*.get_var", "*.get_col", "*.executequery", "*.executestatement"),
      short="SQL built from strings is passed to a query",
      full="A query assembled with '.' or an interpolated string lets data change the SQL itself.",
      suggestion="Use placeholders: $pdo->prepare('... WHERE id = ?')->execute([$id]), or $wpdb->prepare().",
      bad="$rows = $pdo->query(\"SELECT * FROM users WHERE name = '$name'\");",
      good="$stmt = $pdo->prepare('SELECT * FROM users WHERE name = ?');",
      refine=sql, external=("Semgrep php.lang.security.injection.tainted-sql-string", "phpcs-security-audit Mysqli")),
    R(id="EL-PHP-LARAVEL-RAW-SQL", name="php-laravel-raw-sql", level="error",  # data changes the query; escaped values lower it, bindings are dropped
      cwe=(89,), security_severity=9.8,
      names=("DB::select", "DB::statement", "DB::unprepared", "DB::raw", "DB::insert", "DB::update", "DB::delete",
             "*\\DB::select", "*\\DB::statement", "*\\DB::unprepared", "*\\DB::raw", "*\\DB::insert",
             "*\\DB::update", "*\\DB::delete", "*.whereraw", "*.orwhereraw", "*.havingraw", "*.orhavingraw",
             "*.orderbyraw", "*.selectraw", "*.groupbyraw", "*.fromraw"),
      short="raw SQL built from strings in a Laravel query",
      full="The raw query methods insert their SQL text unescaped; interpolated values change the query.",
      suggestion="Pass values as bindings: whereRaw('price > ?', [$price]).",
      bad="$users = DB::select(\"SELECT * FROM users WHERE email = '$email'\");",
      good="$users = DB::select('SELECT * FROM users WHERE email = ?', [$email]);",
      refine=raw_sql, external=("Semgrep php.laravel.security.laravel-sql-injection",)),
    # --- weak cryptography, TLS, XML -----------------------------------------------------------------
    R(id="EL-PHP-WEAK-HASH", name="php-weak-hash", level="warning",  # broken for security, fine for checksums and cache keys
      names=("md5", "sha1"), cwe=(327, 328),
      security_severity=5.9, short="MD5 and SHA-1 are broken for security use",
      full="Collisions for MD5 and SHA-1 are practical, and both are far too fast for passwords.",
      suggestion="Use password_hash() for passwords, hash('sha256', ...) or hash_hmac() otherwise.",
      bad="$stored = md5($password);", good="$stored = password_hash($password, PASSWORD_DEFAULT);",
      precision="medium", external=("Semgrep php.lang.security.weak-crypto", "phpcs-security-audit CryptoFunctions"),
      refine=weak_digest_outcome,
      fixes=(FixTemplate("password_hash: a salted, slow password hash (check with password_verify)", "review", call="password_hash({0}, PASSWORD_DEFAULT)", when=("args:1", "password:0")),
             FixTemplate("SHA-256 (a different digest)", "review", call="hash('sha256', {*})", when=("not-password:0",)))),
    R(id="EL-PHP-WEAK-HASH-ALGO", name="php-hash-weak-algorithm", level="warning",  # broken for security, fine for checksums and cache keys
      names=("hash", "hash_init", "hash_file"),
      cwe=(327, 328), security_severity=5.9, short="hash() with a broken algorithm",
      full="hash('md5') and hash('sha1') select hashes whose collisions are practical.",
      suggestion="Use sha256 or stronger.", bad="$sig = hash('sha1', $payload);", good="$sig = hash('sha256', $payload);",
      refine=algorithm_in(WEAK_ALGORITHMS), precision="medium", external=("Semgrep php.lang.security.weak-crypto",),
      fixes=(FixTemplate("SHA-256 (a different digest)", "review", string=(0, "sha256")),)),
    R(id="EL-PHP-RANDOM", name="php-insecure-random", level="warning",  # only where the value is named like a secret
      names=("rand", "mt_rand", "uniqid", "lcg_value", "str_shuffle"),
      cwe=(330, 338), security_severity=3.7, short="a predictable random source",
      full="rand(), mt_rand(), str_shuffle() and uniqid() are predictable; tokens, passwords and nonces made with them can be guessed.",
      suggestion="Use random_bytes() or random_int().", bad="$token = md5(uniqid());", good="$token = bin2hex(random_bytes(16));",
      refine=random_for_secrets, precision="medium", external=("phpcs-security-audit CryptoFunctions",),
      fixes=(FixTemplate("random_int: the same range, unpredictable", "safe", call="random_int({0}, {1})", when=("named:rand|mt_rand", "args:2")),
             FixTemplate("random_int: the same range, unpredictable", "safe", call="random_int(0, getrandmax())", when=("named:rand", "bare")),
             FixTemplate("random_int: the same range, unpredictable", "safe", call="random_int(0, mt_getrandmax())", when=("named:mt_rand", "bare")))),
    R(id="EL-PHP-CURL-NO-VERIFY", name="php-curl-tls-verify-off", level="warning",  # interception is possible; often deliberate in tests and tools
      names=("curl_setopt", "curl_setopt_array"),
      cwe=(295,), security_severity=7.4, short="cURL TLS certificate verification turned off",
      full="With CURLOPT_SSL_VERIFYPEER or CURLOPT_SSL_VERIFYHOST off, any certificate is accepted and the connection can be intercepted.",
      suggestion="Keep verification on; set CURLOPT_CAINFO for a private CA.",
      bad="curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);", good="curl_setopt($ch, CURLOPT_CAINFO, '/etc/ssl/ca.pem');",
      refine=tls_off, external=("Semgrep php.lang.security.curl-ssl-verifypeer-off",),
      fixes=(FixTemplate("certificates checked", "review", arg=(2, "true"), when=("named:curl_setopt", "text:1=CURLOPT_SSL_VERIFYPEER")),
             FixTemplate("host names checked", "review", arg=(2, "2"), when=("named:curl_setopt", "text:1=CURLOPT_SSL_VERIFYHOST")))),
    R(id="EL-PHP-XXE", name="php-xml-entity-substitution", level="warning",  # file reads and requests, but only for untrusted XML
      names=("simplexml_load_string", "simplexml_load_file", "*.loadxml", "*.load", "*.loadhtml"), cwe=(611, 776),
      security_severity=7.5, short="XML parsed with entity substitution (LIBXML_NOENT)",
      full="LIBXML_NOENT expands external entities, so a document can read local files or make requests (XXE).",
      suggestion="Drop LIBXML_NOENT.", bad="$doc = simplexml_load_string($xml, 'SimpleXMLElement', LIBXML_NOENT);",
      good="$doc = simplexml_load_string($xml);", refine=entity_substitution),
    # --- output, variables ----------------------------------------------------------------------------
    R(id="EL-PHP-ECHO-REQUEST", name="php-echo-request-data", level="error",  # reflected cross-site scripting: request data straight into the page
      names=("echo", "print"), cwe=(79,),
      security_severity=6.1, short="request data printed without escaping",
      full="Printing a superglobal directly puts attacker-written text into the page: reflected cross-site scripting.",
      suggestion="Escape on output: echo htmlspecialchars($_GET['q'], ENT_QUOTES, 'UTF-8').",
      bad="echo 'Results for ' . $_GET['q'];", good="echo 'Results for ' . htmlspecialchars($_GET['q'], ENT_QUOTES);",
      refine=echoed_request, external=("Semgrep php.lang.security.injection.echoed-request", "phpcs-security-audit EasyXSS"),
      fixes=(FixTemplate("htmlspecialchars: printed as text, not HTML", "safe", arg=(0, "htmlspecialchars({0}, ENT_QUOTES)"), when=("args:1",)),)),
    R(id="EL-PHP-EXTRACT", name="php-extract-request", level="error",  # the client overwrites any variable in scope; EXTR_SKIP lowers it to a note
      names=("extract",), cwe=(621, 473),
      security_severity=7.5, short="extract() on request data overwrites variables",
      full="extract($_GET) turns every parameter into a variable, letting the client overwrite $is_admin, $file or any other variable in scope.",
      suggestion="Read the parameters you expect: $page = $_GET['page'] ?? 'home'.",
      bad="extract($_POST);", good="$page = $_POST['page'] ?? 'home';",
      refine=extract_request, external=("Semgrep php.lang.security.extract-user-data",)),
)
