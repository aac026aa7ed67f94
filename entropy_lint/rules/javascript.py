"""JavaScript and TypeScript rules: Node and browser sinks in the spirit of eslint-plugin-security,
eslint-plugin-no-unsanitized and Semgrep's JavaScript rules, at the level of a single call.

Levels: ``error`` where attacker input plausibly reaches code or command execution or SQL;
``warning`` for sinks whose safety depends on where the data came from (HTML, deserialization,
TLS settings); ``note`` for context-dependent weaknesses (Math.random, dynamic regular expressions).
Constant arguments lower a finding (or drop it) in the Flawfinder/Bandit spirit.
"""

from __future__ import annotations

import functools
import re
from pathlib import PurePosixPath

from entropy_lint.callsite import Arg, CallSite
from entropy_lint.rules.base import Level, Outcome, Rule
from entropy_lint.rules.refine import constant_or, dynamic_string_arg, positional, when

R = functools.partial(Rule, languages=("javascript", "typescript", "tsx"))

_SPAWNERS = ("child_process.spawn", "child_process.spawnSync", "child_process.execFile",
             "child_process.execFileSync", "cross-spawn", "cross-spawn.spawn", "cross-spawn.sync", "execa",
             "execa.execa", "execa.execaSync", "execa.sync", "execa.command", "execa.commandSync",
             "execa.execaCommand", "execa.execaCommandSync")
_SHELL_PROGRAMS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "csh", "tcsh", "fish", "cmd", "cmd.exe",
                             "powershell", "powershell.exe", "pwsh", "pwsh.exe"})
_FALSY = frozenset({"false", "null", "undefined", "0", "''", '""', "``"})
_WEAK_HASHES = frozenset({"md2", "md4", "md5", "sha1", "sha-1", "rsa-md5", "rsa-sha1", "md5-sha1"})
_WEAK_CIPHER = re.compile(r"(^|-)(des|des3|des-ede|des-ede3|rc2|rc4|bf|blowfish|cast|cast5|idea|seed)(-|$)|-ecb$", re.I)
_SANITIZER = re.compile(r"sanitiz|escape|purify|encode", re.I)
_SQL = ("*.query", "*.execute", "*.raw", "*.whereRaw", "*.orWhereRaw", "*.havingRaw", "*.orHavingRaw",
        "*.orderByRaw", "*.groupByRaw", "*.joinRaw", "*.$queryRawUnsafe", "*.$executeRawUnsafe", "*equelize.literal")
_MONGO = ("*.find", "*.findOne", "*.findOneAndUpdate", "*.findOneAndDelete", "*.findOneAndReplace", "*.count",
          "*.countDocuments", "*.deleteOne", "*.deleteMany", "*.updateOne", "*.updateMany", "*.replaceOne")
_JQUERY_SETTERS = ("html", "append", "prepend", "after", "before", "replaceWith")


def _sanitized(arg: Arg) -> bool:
    """A call to an escaping or sanitizing function (DOMPurify.sanitize, escapeHtml, ...)."""
    callee = arg.text.split("(")[0].split("`")[0]
    return arg.node_type == "call_expression" and bool(_SANITIZER.search(callee.rsplit(".", 1)[-1]))


def _html_at(index: int, level: Level = "warning") -> "functools.partial[Outcome | None]":
    return functools.partial(_html_arg, index=index, level=level)


def _html_arg(site: CallSite, index: int, level: Level) -> Outcome | None:
    """HTML from argument ``index``: a constant or an escaped value is not a finding."""
    arg = site.arg(index)
    if arg is None or arg.literal or _sanitized(arg):
        return None
    return Outcome(level)


def _html_methods(site: CallSite) -> Outcome | None:
    return _html_arg(site, 1 if site.name == "insertAdjacentHTML" else 0, "warning")


def _document_write(site: CallSite) -> Outcome | None:
    args = positional(site)
    return None if all(a.literal or _sanitized(a) for a in args) else Outcome("warning")


def _jquery(site: CallSite) -> Outcome | None:
    arg = site.arg(0)
    if arg is None or arg.literal or _sanitized(arg):
        return None
    # .html(x) parses any string; append/before/... also take nodes, so only built HTML strings count
    return Outcome("warning") if site.name == "html" or arg.dynamic_string else None


def _truthy(arg: Arg) -> bool:
    return arg.text not in _FALSY


def _shell_program(arg: Arg | None) -> bool:
    return arg is not None and arg.value is not None and \
        PurePosixPath(arg.value.replace("\\", "/")).name.lower() in _SHELL_PROGRAMS


def _spawn_shell(site: CallSite) -> Outcome | None:
    """spawn/execFile run a program without a shell unless {shell: true} or the program is a shell."""
    shell = site.kwarg("shell")
    if not _shell_program(site.arg(0)):
        if shell is None or (shell.literal and not _truthy(shell)):
            return None  # an argument vector, no shell: not injectable
        if not shell.literal:
            return Outcome("warning", "the shell option is not a constant")
    command = [a for a in site.args if a.keyword is None and a.node_type != "object"]
    if all(a.literal for a in command):
        return Outcome("note", "constant command")
    return Outcome("error")


def _all_constant(constant_level: Level, dynamic_level: Level) -> "functools.partial[Outcome | None]":
    return functools.partial(_every_arg, constant_level=constant_level, dynamic_level=dynamic_level)


def _every_arg(site: CallSite, constant_level: Level, dynamic_level: Level) -> Outcome | None:
    args = positional(site)
    if not args:
        return None  # new Function() is an empty function
    if all(a.literal for a in args):
        return Outcome(constant_level, "constant arguments")
    return Outcome(dynamic_level)


def _string_timer(site: CallSite) -> Outcome | None:
    """A string first argument is evaluated as code; a function (the usual case) is not."""
    code = site.arg(0)
    if code is None:
        return None
    if code.dynamic_string:
        return Outcome("error")
    if code.literal and code.value is not None:
        return Outcome("note", "constant code string")
    return None


def _unsafe_yaml(site: CallSite) -> Outcome | None:
    schema = site.kwarg("schema")
    if schema is not None and re.search(r"SAFE|JSON|CORE|FAILSAFE", schema.text) and "FULL" not in schema.text:
        return None
    return Outcome("warning", "unsafe in js-yaml 3.x (js-yaml 4 made load() safe)")


def _weak_hash(site: CallSite) -> Outcome | None:
    if site.name != "createHash":
        return Outcome("warning")  # crypto-js MD5/SHA1 name the algorithm themselves
    algorithm = (site.arg_value(0) or "").lower()
    return Outcome("warning") if algorithm in _WEAK_HASHES else None


def _weak_cipher(site: CallSite) -> Outcome | None:
    algorithm = site.arg_value(0)
    return Outcome("warning") if algorithm is not None and _WEAK_CIPHER.search(algorithm) else None


def _dynamic_regexp(site: CallSite) -> Outcome | None:
    pattern = site.arg(0)
    if pattern is None or pattern.literal or _sanitized(pattern):
        return None  # escapeRegExp(x) and friends make the input a literal match
    return Outcome("note")


def _new_buffer(site: CallSite) -> Outcome | None:
    first = site.arg(0)
    if first is not None and first.literal and (first.value is not None or first.node_type == "array"):
        return None  # new Buffer('text') and new Buffer([1, 2]) copy their input
    return Outcome("note")


def _tls_off(site: CallSite) -> Outcome | None:
    flag = site.kwarg("rejectUnauthorized")
    return Outcome("warning") if flag is not None and flag.text == "false" else None


def _tls_env(site: CallSite) -> Outcome | None:
    value = site.arg(0)
    return Outcome("warning") if value is not None and (value.value == "0" or value.text == "0") else None


def _mongo_where(site: CallSite) -> Outcome | None:
    where = site.kwarg("$where")
    return Outcome("warning") if where is not None and not where.literal else None


def _world_writable(site: CallSite) -> Outcome | None:
    mode = site.arg(1)
    if mode is None or not mode.literal:
        return None
    text = (mode.value if mode.value is not None else mode.text).replace("_", "").lower()
    try:
        if mode.value is not None or (len(text) > 1 and text.startswith("0") and text.isdigit()):
            value = int(text, 8)  # '777' and legacy 0777 are octal
        else:
            value = int(text, 0)
    except ValueError:
        return None
    return Outcome("warning") if value & 0o002 else None


RULES: tuple[Rule, ...] = (
    # --- command execution ---------------------------------------------------------------
    R(id="EL-JS-CHILD-PROCESS-EXEC", name="js-child-process-exec", cwe=(78,), level="error", security_severity=9.8,
      names=("child_process.exec", "child_process.execSync", "shelljs.exec"),
      short="command string run through a shell",
      full="child_process.exec and execSync hand the whole command string to /bin/sh (cmd.exe on Windows); shell metacharacters in any interpolated value run arbitrary commands.",
      suggestion="Use child_process.execFile or spawn with an argument array and no shell.",
      bad="const cp = require('child_process');\ncp.exec('convert ' + file);",
      good="const cp = require('child_process');\ncp.execFile('convert', [file]);",
      refine=constant_or(0, "note", "error", "constant command string"),
      external=("eslint-plugin-security detect-child-process", "CodeQL js/command-line-injection")),
    R(id="EL-JS-CHILD-PROCESS-SHELL", name="js-child-process-shell", names=_SPAWNERS, cwe=(78,), level="error",
      security_severity=9.8, short="process started through a shell (shell option or a shell program)",
      full="spawn, execFile (and cross-spawn/execa) are safe from injection only without a shell; with {shell: true}, or with sh -c / cmd /c as the program, the command line is parsed by the shell.",
      suggestion="Drop the shell option and pass the program and its arguments as an array.",
      bad="const { spawn } = require('child_process');\nspawn(`git log ${ref}`, { shell: true });",
      good="const { spawn } = require('child_process');\nspawn('git', ['log', ref]);",
      refine=_spawn_shell, external=("Semgrep spawn-shell-true", "CodeQL js/shell-command-injection-from-environment")),
    # --- code evaluation -------------------------------------------------------------------
    R(id="EL-JS-EVAL", name="js-eval", names=("eval", "execScript"), cwe=(95,), level="error", security_severity=8.8,
      short="eval() runs a string as JavaScript",
      full="eval executes its argument with the caller's scope and privileges; any attacker influence over the string is code execution.",
      suggestion="Parse data with JSON.parse; dispatch to known functions instead of generating code.",
      bad="const value = eval('(' + body + ')');", good="const value = JSON.parse(body);",
      refine=constant_or(0, "note", "error", "constant code string"),
      external=("ESLint no-eval", "eslint-plugin-security detect-eval-with-expression")),
    R(id="EL-JS-NEW-FUNCTION", name="js-function-constructor", names=("Function",), kind="new", cwe=(95,),
      level="error", security_severity=8.8, short="new Function() compiles a string into code",
      full="The Function constructor compiles its string arguments into a function body, exactly like eval in the global scope.",
      suggestion="Write the function in source, or look it up in a table of known functions.",
      bad="const f = new Function('x', 'return x.' + field);", good="const f = (x) => x[field];",
      refine=_all_constant("note", "error"), external=("ESLint no-new-func",)),
    R(id="EL-JS-FUNCTION-CALL", name="js-function-constructor-call", names=("Function",), cwe=(95,), level="error",
      security_severity=8.8, short="Function() compiles a string into code",
      full="Calling Function without new is the same as new Function: its string arguments become code.",
      suggestion="Write the function in source, or look it up in a table of known functions.",
      bad="const f = Function('return ' + expr);", good="const f = () => compute(expr);",
      refine=_all_constant("note", "error"), external=("ESLint no-new-func",)),
    R(id="EL-JS-STRING-TIMER", name="js-implied-eval-timer", names=("setTimeout", "setInterval", "setImmediate"),
      cwe=(95,), level="error", security_severity=8.8, short="a timer given a string evaluates it as code",
      full="In browsers, setTimeout and setInterval evaluate a string first argument like eval; a string built from data is code injection.",
      suggestion="Pass a function: setTimeout(() => update(id), 100).",
      bad="setTimeout('update(' + id + ')', 100);", good="setTimeout(() => update(id), 100);",
      refine=_string_timer, external=("ESLint no-implied-eval",)),
    R(id="EL-JS-VM-RUN", name="js-vm-run-code", cwe=(94,), level="error", security_severity=8.8,
      names=("vm.runInThisContext", "vm.runInNewContext", "vm.runInContext", "vm.compileFunction"),
      short="the vm module runs a generated string as code",
      full="Node's vm module is not a security boundary: code it runs can escape the context and reach the host process.",
      suggestion="Do not run code built from input; use a real sandbox (a separate process or isolate) if you must.",
      bad="const vm = require('vm');\nvm.runInNewContext(req.body.code, {});",
      good="const vm = require('vm');\nvm.runInNewContext('1 + 1', {});",
      refine=when(lambda s: not s.is_literal(0), "error"), external=("CodeQL js/code-injection", "Semgrep express-vm-runinnewcontext-context-injection")),
    R(id="EL-JS-VM-SCRIPT", name="js-vm-script", names=("vm.Script",), kind="new", cwe=(94,), level="error",
      security_severity=8.8, short="new vm.Script() compiles a generated string",
      full="A vm.Script compiled from a string that data can influence runs that data as code; the vm module does not isolate it.",
      suggestion="Do not compile code built from input.",
      bad="const vm = require('vm');\nconst script = new vm.Script(source);",
      good="const vm = require('vm');\nconst script = new vm.Script('globalThis.ready = true');",
      refine=when(lambda s: not s.is_literal(0), "error"), external=("CodeQL js/code-injection",)),
    # --- deserialization ---------------------------------------------------------------------
    R(id="EL-JS-NODE-SERIALIZE", name="js-node-serialize-unserialize", names=("node-serialize.unserialize",),
      cwe=(502,), level="error", security_severity=8.8, short="node-serialize unserialize() can run embedded functions",
      full="node-serialize revives functions from the serialized text with eval; an immediately-invoked function in the data runs on load (CVE-2017-5941).",
      suggestion="Exchange data as JSON and parse it with JSON.parse.",
      bad="const serialize = require('node-serialize');\nconst obj = serialize.unserialize(req.cookies.profile);",
      good="const obj = JSON.parse(req.cookies.profile);",
      refine=constant_or(0, "note", "error"), external=("CodeQL js/unsafe-deserialization",)),
    R(id="EL-JS-YAML-LOAD", name="js-yaml-unsafe-load", names=("js-yaml.load", "js-yaml.loadAll"), cwe=(502,),
      level="warning", security_severity=8.1, short="js-yaml load() builds JavaScript functions in js-yaml 3.x",
      full="Before js-yaml 4, load() used the full schema, whose !!js/function and !!js/regexp tags construct code from the document; js-yaml 4 made load() safe. The finding stands for projects pinned to 3.x.",
      suggestion="Use js-yaml 4, or safeLoad() / load(text, { schema: yaml.JSON_SCHEMA }) on 3.x.",
      bad="const yaml = require('js-yaml');\nconst cfg = yaml.load(text);",
      good="const yaml = require('js-yaml');\nconst cfg = yaml.safeLoad(text);",
      refine=_unsafe_yaml, precision="medium", external=("CodeQL js/unsafe-deserialization",)),
    # --- SQL and NoSQL ---------------------------------------------------------------------------
    R(id="EL-JS-SQL", name="js-sql-string", names=_SQL, cwe=(89,), level="error", security_severity=9.8,
      short="SQL built from strings is passed to a query",
      full="A query assembled with + or a template literal with substitutions lets data change the SQL itself. Tagged templates (sql`...`) and placeholder arrays are parameterised and not reported.",
      suggestion="Use placeholders and pass values separately: db.query('... WHERE id = ?', [id]).",
      bad="db.query(`SELECT * FROM users WHERE name = '${name}'`);",
      good="db.query('SELECT * FROM users WHERE name = ?', [name]);",
      refine=dynamic_string_arg(0, "error"), external=("CodeQL js/sql-injection", "Semgrep sequelize-injection")),
    R(id="EL-JS-MONGO-WHERE", name="js-mongodb-where", names=_MONGO, cwe=(943,), level="warning",
      security_severity=8.1, short="MongoDB $where runs a JavaScript expression on the server",
      full="The $where operator evaluates JavaScript in the database; a $where value built from data is NoSQL injection.",
      suggestion="Express the condition with query operators ($eq, $gt, $in, ...).",
      bad="users.find({ $where: 'this.name == \"' + name + '\"' });", good="users.find({ name: name });",
      refine=_mongo_where, external=("CodeQL js/sql-injection (NoSQL)",)),
    # --- cross-site scripting -------------------------------------------------------------------
    R(id="EL-JS-INNER-HTML", name="js-inner-html", names=("*.innerHTML", "*.outerHTML"), kind="assign", cwe=(79,),
      level="warning", security_severity=6.1, short="HTML assigned to innerHTML/outerHTML",
      full="Assigning to innerHTML or outerHTML parses the string as HTML; markup or event handlers in data become script. Constants and escaped values are not reported.",
      suggestion="Assign text to textContent, or sanitize with DOMPurify.sanitize() first.",
      bad="el.innerHTML = '<b>' + name + '</b>';", good="el.textContent = name;",
      refine=_html_at(0), external=("eslint-plugin-no-unsanitized property", "Semgrep insecure-document-method")),
    R(id="EL-JS-DANGEROUSLY-SET-INNER-HTML", name="js-react-dangerously-set-inner-html",
      names=("*.dangerouslySetInnerHTML",), kind="assign", cwe=(79,), level="warning", security_severity=6.1,
      short="React dangerouslySetInnerHTML with a non-constant __html",
      full="dangerouslySetInnerHTML bypasses React's escaping; any unsanitized data in __html is cross-site scripting.",
      suggestion="Render the value as a child ({text}), or sanitize it with DOMPurify.sanitize().",
      bad="const view = <div dangerouslySetInnerHTML={{ __html: comment.body }} />;",
      good="const view = <div>{comment.body}</div>;",
      refine=_html_at(0), external=("Semgrep react-dangerouslysetinnerhtml", "eslint-plugin-react no-danger")),
    R(id="EL-JS-DOCUMENT-WRITE", name="js-document-write", cwe=(79,), level="warning", security_severity=6.1,
      names=("document.write", "document.writeln", "*.document.write", "*.document.writeln"),
      short="document.write() of non-constant HTML",
      full="document.write parses its argument as HTML in the page; data in it can inject script.",
      suggestion="Build DOM nodes with createElement and textContent.",
      bad="document.write('<h1>' + title + '</h1>');", good="document.title = title;",
      refine=_document_write, external=("eslint-plugin-no-unsanitized method", "Semgrep insecure-document-method")),
    R(id="EL-JS-INSERT-HTML", name="js-html-insertion-method", cwe=(79,), level="warning", security_severity=6.1,
      names=("*.insertAdjacentHTML", "*.createContextualFragment", "*.setHTMLUnsafe", "*.parseHTMLUnsafe"),
      short="a DOM method parses non-constant HTML",
      full="insertAdjacentHTML, Range.createContextualFragment, setHTMLUnsafe and parseHTMLUnsafe parse their argument as HTML without sanitizing it.",
      suggestion="Insert text with insertAdjacentText or textContent, or use setHTML() / DOMPurify.",
      bad="list.insertAdjacentHTML('beforeend', `<li>${item}</li>`);",
      good="list.insertAdjacentText('beforeend', item);",
      refine=_html_methods, external=("eslint-plugin-no-unsanitized method",)),
    R(id="EL-JS-JQUERY-HTML", name="js-jquery-html", cwe=(79,), level="warning", security_severity=6.1,
      names=tuple(f"{dollar}()*.{m}" for dollar in ("$", "jQuery", "jquery") for m in _JQUERY_SETTERS),
      short="jQuery inserts non-constant HTML",
      full="jQuery's html(), and append()/prepend()/after()/before()/replaceWith() given a string, parse it as HTML and run inline handlers.",
      suggestion="Use .text() for text, or build elements with $('<li>').text(value).",
      bad="$('#greeting').html('Hello ' + name);", good="$('#greeting').text('Hello ' + name);",
      refine=_jquery, precision="medium", external=("Semgrep jquery-insecure-method",)),
    # --- cryptography and randomness ----------------------------------------------------------
    R(id="EL-JS-WEAK-HASH", name="js-weak-hash", cwe=(327, 328), level="warning", security_severity=5.9,
      names=("crypto.createHash", "crypto-js.MD5", "crypto-js.SHA1", "crypto-js/md5", "crypto-js/sha1"),
      short="MD5 and SHA-1 are broken for security use",
      full="Collisions for MD5 and SHA-1 are practical, so they must not protect integrity, signatures or passwords. crypto.createHmac('md5'|'sha1') is not reported: HMAC relies on the hash as a pseudo-random function, which collisions do not break.",
      suggestion="Use sha256 or stronger; use crypto.scrypt or argon2 for passwords.",
      bad="const crypto = require('crypto');\nconst digest = crypto.createHash('md5').update(password).digest('hex');",
      good="const crypto = require('crypto');\nconst digest = crypto.createHash('sha256').update(data).digest('hex');",
      refine=_weak_hash, external=("CodeQL js/weak-cryptographic-algorithm", "Semgrep md5-used-as-password")),
    R(id="EL-JS-WEAK-CIPHER", name="js-weak-cipher", names=("crypto.createCipheriv", "crypto.createDecipheriv"),
      cwe=(327,), level="warning", security_severity=7.5, short="a broken cipher or ECB mode",
      full="DES, 3DES, RC2, RC4, Blowfish, CAST, IDEA and SEED are broken or too weak, and ECB mode reveals patterns in the plaintext.",
      suggestion="Use aes-256-gcm or chacha20-poly1305.",
      bad="const crypto = require('crypto');\nconst c = crypto.createCipheriv('des-ede3-cbc', key, iv);",
      good="const crypto = require('crypto');\nconst c = crypto.createCipheriv('aes-256-gcm', key, iv);",
      refine=_weak_cipher, external=("CodeQL js/weak-cryptographic-algorithm",)),
    R(id="EL-JS-CREATE-CIPHER", name="js-create-cipher-no-iv", names=("crypto.createCipher", "crypto.createDecipher"),
      cwe=(327, 329), level="warning", security_severity=7.5, short="crypto.createCipher derives the key with MD5 and uses no IV",
      full="createCipher derives key and IV from the password with one round of MD5 and no salt, so equal plaintexts encrypt alike; it was removed in Node 22.",
      suggestion="Derive a key with crypto.scrypt and use createCipheriv with a random IV.",
      bad="const crypto = require('crypto');\nconst c = crypto.createCipher('aes-256-cbc', password);",
      good="const crypto = require('crypto');\nconst c = crypto.createCipheriv('aes-256-gcm', key, iv);",
      external=("Semgrep create-de-cipher-no-iv",)),
    R(id="EL-JS-MATH-RANDOM", name="js-insecure-random", names=("Math.random", "crypto.pseudoRandomBytes"),
      cwe=(330, 338), level="note", security_severity=3.7, short="a predictable random number generator",
      full="Math.random (and the deprecated crypto.pseudoRandomBytes) are not cryptographically secure; tokens, keys and ids made with them can be predicted.",
      suggestion="Use crypto.randomBytes, crypto.randomUUID or crypto.getRandomValues for anything security-related.",
      bad="const token = Math.random().toString(36).slice(2);", good="const token = crypto.randomUUID();",
      precision="low", external=("CodeQL js/insecure-randomness", "eslint-plugin-security detect-pseudoRandomBytes")),
    R(id="EL-JS-TLS-NO-VERIFY", name="js-tls-reject-unauthorized", names=("*",), cwe=(295,), level="warning",
      security_severity=7.4, short="TLS certificate verification turned off (rejectUnauthorized: false)",
      full="rejectUnauthorized: false accepts any certificate, so the connection can be intercepted.",
      suggestion="Keep certificate checks on; pass the CA with the ca option for private certificates.",
      bad="https.request(url, { rejectUnauthorized: false });", good="https.request(url, { ca: caCert });",
      refine=_tls_off, external=("CodeQL js/disabling-certificate-validation", "Semgrep bypass-tls-verification")),
    R(id="EL-JS-TLS-NO-VERIFY-NEW", name="js-tls-reject-unauthorized-new", names=("*",), kind="new", cwe=(295,),
      level="warning", security_severity=7.4, short="an agent or socket created with rejectUnauthorized: false",
      full="An https.Agent or tls socket constructed with rejectUnauthorized: false accepts any certificate.",
      suggestion="Keep certificate checks on; pass the CA with the ca option for private certificates.",
      bad="const agent = new https.Agent({ rejectUnauthorized: false });", good="const agent = new https.Agent({ keepAlive: true });",
      refine=_tls_off, external=("CodeQL js/disabling-certificate-validation",)),
    R(id="EL-JS-TLS-ENV", name="js-tls-env-disabled", names=("process.env.NODE_TLS_REJECT_UNAUTHORIZED",),
      kind="assign", cwe=(295,), level="warning", security_severity=7.4,
      short="NODE_TLS_REJECT_UNAUTHORIZED=0 disables certificate checks process-wide",
      full="Setting NODE_TLS_REJECT_UNAUTHORIZED to '0' turns off certificate verification for every TLS connection of the process.",
      suggestion="Remove the assignment; trust private CAs with NODE_EXTRA_CA_CERTS.",
      bad="process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';", good="process.env.NODE_EXTRA_CA_CERTS = caPath;",
      refine=_tls_env, external=("CodeQL js/disabling-certificate-validation",)),
    # --- other weaknesses ---------------------------------------------------------------------------
    R(id="EL-JS-DYNAMIC-REGEXP", name="js-regexp-injection", names=("RegExp",), kind="new", cwe=(1333, 730),
      level="note", security_severity=4.3, short="a regular expression built from a non-constant",
      full="A pattern taken from data can be made to backtrack exponentially (ReDoS) or to match more than intended.",
      suggestion="Escape the input (escapeRegExp) or match it with includes()/startsWith().",
      bad="const re = new RegExp(req.query.q);", good="const re = new RegExp(escapeRegExp(req.query.q));",
      refine=_dynamic_regexp, precision="medium",
      external=("eslint-plugin-security detect-non-literal-regexp", "CodeQL js/regex-injection")),
    R(id="EL-JS-DYNAMIC-REQUIRE", name="js-non-literal-require", names=("require", "import"), cwe=(829,), level="note",
      security_severity=5.0, short="a module loaded from a non-constant path",
      full="require() or import() of a computed path loads whatever module the value names; from data, that is code execution.",
      suggestion="Map allowed names to modules with a constant table.",
      bad="const plugin = require('./plugins/' + name);", good="const plugin = PLUGINS[name];",
      refine=when(lambda s: not s.is_literal(0), "note"), precision="medium",
      external=("eslint-plugin-security detect-non-literal-require",)),
    R(id="EL-JS-NEW-BUFFER", name="js-new-buffer", names=("Buffer", "buffer.Buffer"), kind="new", cwe=(908,),
      level="note", security_severity=3.7, short="the deprecated Buffer constructor",
      full="new Buffer(n) returned uninitialized memory before Node 8, and the constructor's behaviour depends on the argument's type (DEP0005).",
      suggestion="Use Buffer.alloc(size) or Buffer.from(value).",
      bad="const buf = new Buffer(size);", good="const buf = Buffer.alloc(size);",
      refine=_new_buffer, precision="medium", external=("eslint-plugin-security detect-new-buffer",)),
    R(id="EL-JS-POSTMESSAGE-STAR", name="js-postmessage-wildcard", names=("*.postMessage", "postMessage"),
      cwe=(201,), level="note", security_severity=4.3, short="postMessage to any origin ('*')",
      full="A message sent with target origin '*' is delivered to whatever page the window holds now, which may not be the one intended.",
      suggestion="Pass the exact target origin.",
      bad="parent.postMessage(data, '*');", good="parent.postMessage(data, 'https://app.example.com');",
      refine=when(lambda s: s.arg_value(1) == "*", "note"), external=("CodeQL js/cross-window-information-leak",
      "Semgrep wildcard-postmessage-configuration")),
    R(id="EL-JS-CHMOD-WORLD-WRITABLE", name="js-chmod-world-writable", cwe=(732,), level="warning",
      security_severity=5.3, names=("fs.chmod", "fs.chmodSync", "fs.fchmod", "fs.fchmodSync", "fs.lchmod",
      "fs.lchmodSync", "fs.promises.chmod", "fs/promises.chmod"),
      short="file made writable by every user", full="A world-writable mode lets any local user change the file.",
      suggestion="Use 0o600 or 0o644.", bad="const fs = require('fs');\nfs.chmodSync(path, 0o777);",
      good="const fs = require('fs');\nfs.chmodSync(path, 0o600);", refine=_world_writable,
      external=("Bandit B103 (the Python check)",)),
)
