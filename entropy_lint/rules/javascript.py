"""JavaScript and TypeScript rules: Node and browser sinks in the spirit of eslint-plugin-security,
eslint-plugin-no-unsanitized and Semgrep's JavaScript rules, at the level of a single call.

Levels: ``error`` where attacker input plausibly reaches code or command execution or SQL;
``warning`` for sinks whose safety depends on where the data came from (HTML, deserialization,
TLS settings); ``note`` for context-dependent weaknesses (Math.random, dynamic regular expressions).
Constant arguments lower a finding (or drop it) in the Flawfinder/Bandit spirit.
"""

from __future__ import annotations

import functools

from entropy_lint.rules.base import Rule
from entropy_lint.rules.javascript_refine import (
    JQUERY_SETTERS,
    MONGO,
    SPAWNERS,
    SQL_METHODS,
    all_constant,
    document_write,
    dynamic_regexp,
    html_at,
    html_methods,
    jquery,
    mongo_where,
    new_buffer,
    spawn_shell,
    string_timer,
    tls_env,
    tls_off,
    unsafe_yaml,
    weak_cipher,
    weak_hash,
    world_writable,
)
from entropy_lint.rules.refine import constant_or, dynamic_string_arg, when

R = functools.partial(Rule, languages=("javascript", "typescript", "tsx"))

RULES: tuple[Rule, ...] = (
    # --- command execution ---------------------------------------------------------------
    R(id="EL-JS-CHILD-PROCESS-EXEC", name="js-child-process-exec", level="error",  # a shell runs the string; a constant command lowers it to a note
      cwe=(78,), security_severity=9.8,
      names=("child_process.exec", "child_process.execSync", "shelljs.exec"),
      short="command string run through a shell",
      full="child_process.exec and execSync hand the whole command string to /bin/sh (cmd.exe on Windows); shell metacharacters in any interpolated value run arbitrary commands.",
      suggestion="Use child_process.execFile or spawn with an argument array and no shell.",
      bad="const cp = require('child_process');\ncp.exec('convert ' + file);",
      good="const cp = require('child_process');\ncp.execFile('convert', [file]);",
      refine=constant_or(0, "note", "error", "constant command string"),
      external=("eslint-plugin-security detect-child-process", "CodeQL js/command-line-injection")),
    R(id="EL-JS-CHILD-PROCESS-SHELL", name="js-child-process-shell", level="error",  # a shell runs the command line; only with a shell, a constant command is a note
      names=SPAWNERS, cwe=(78,), security_severity=9.8, short="process started through a shell (shell option or a shell program)",
      full="spawn, execFile (and cross-spawn/execa) are safe from injection only without a shell; with {shell: true}, or with sh -c / cmd /c as the program, the command line is parsed by the shell.",
      suggestion="Drop the shell option and pass the program and its arguments as an array.",
      bad="const { spawn } = require('child_process');\nspawn(`git log ${ref}`, { shell: true });",
      good="const { spawn } = require('child_process');\nspawn('git', ['log', ref]);",
      refine=spawn_shell, external=("Semgrep spawn-shell-true", "CodeQL js/shell-command-injection-from-environment")),
    # --- code evaluation -------------------------------------------------------------------
    R(id="EL-JS-EVAL", name="js-eval", level="error",  # code execution; a constant string lowers it to a note
      names=("eval", "execScript"), cwe=(95,), security_severity=8.8,
      short="eval() runs a string as JavaScript",
      full="eval executes its argument with the caller's scope and privileges; any attacker influence over the string is code execution.",
      suggestion="Parse data with JSON.parse; dispatch to known functions instead of generating code.",
      bad="const value = eval('(' + body + ')');", good="const value = JSON.parse(body);",
      refine=constant_or(0, "note", "error", "constant code string"),
      external=("ESLint no-eval", "eslint-plugin-security detect-eval-with-expression")),
    R(id="EL-JS-NEW-FUNCTION", name="js-function-constructor", level="error",  # code execution as eval; constant arguments lower it to a note
      names=("Function",), kind="new", cwe=(95,),
      security_severity=8.8, short="new Function() compiles a string into code",
      full="The Function constructor compiles its string arguments into a function body, exactly like eval in the global scope.",
      suggestion="Write the function in source, or look it up in a table of known functions.",
      bad="const f = new Function('x', 'return x.' + field);", good="const f = (x) => x[field];",
      refine=all_constant("note", "error"), external=("ESLint no-new-func",)),
    R(id="EL-JS-FUNCTION-CALL", name="js-function-constructor-call", level="error",  # code execution as eval; constant arguments lower it to a note
      names=("Function", "Function.apply", "Function.call", "Function.bind"), cwe=(95,),
      security_severity=8.8, short="Function() compiles a string into code",
      full="Calling Function without new, or through Function.apply, .call or .bind, is the same as new Function: its string arguments become code.",
      suggestion="Write the function in source, or look it up in a table of known functions.",
      bad="const f = Function('return ' + expr);", good="const f = () => compute(expr);",
      refine=all_constant("note", "error"), external=("ESLint no-new-func",)),
    R(id="EL-JS-STRING-TIMER", name="js-implied-eval-timer", level="error",  # a built string is eval; a function argument (the usual case) is not reported
      names=("setTimeout", "setInterval", "setImmediate"),
      cwe=(95,), security_severity=8.8, short="a timer given a string evaluates it as code",
      full="In browsers, setTimeout and setInterval evaluate a string first argument like eval; a string built from data is code injection.",
      suggestion="Pass a function: setTimeout(() => update(id), 100).",
      bad="setTimeout('update(' + id + ')', 100);", good="setTimeout(() => update(id), 100);",
      refine=string_timer, external=("ESLint no-implied-eval",)),
    R(id="EL-JS-VM-RUN", name="js-vm-run-code", level="error",  # vm is no sandbox: code execution; constants are not reported
      cwe=(94,), security_severity=8.8,
      names=("vm.runInThisContext", "vm.runInNewContext", "vm.runInContext", "vm.compileFunction"),
      short="the vm module runs a generated string as code",
      full="Node's vm module is not a security boundary: code it runs can escape the context and reach the host process.",
      suggestion="Do not run code built from input; use a real sandbox (a separate process or isolate) if you must.",
      bad="const vm = require('vm');\nvm.runInNewContext(req.body.code, {});",
      good="const vm = require('vm');\nvm.runInNewContext('1 + 1', {});",
      refine=when(lambda s: not s.is_literal(0), "error"), external=("CodeQL js/code-injection", "Semgrep express-vm-runinnewcontext-context-injection")),
    R(id="EL-JS-VM-SCRIPT", name="js-vm-script", level="error",  # vm is no sandbox: code execution; constants are not reported
      names=("vm.Script",), kind="new", cwe=(94,),
      security_severity=8.8, short="new vm.Script() compiles a generated string",
      full="A vm.Script compiled from a string that data can influence runs that data as code; the vm module does not isolate it.",
      suggestion="Do not compile code built from input.",
      bad="const vm = require('vm');\nconst script = new vm.Script(source);",
      good="const vm = require('vm');\nconst script = new vm.Script('globalThis.ready = true');",
      refine=when(lambda s: not s.is_literal(0), "error"), external=("CodeQL js/code-injection",)),
    # --- deserialization ---------------------------------------------------------------------
    R(id="EL-JS-NODE-SERIALIZE", name="js-node-serialize-unserialize", level="error",  # revives functions with eval: code execution; a constant is a note
      names=("node-serialize.unserialize",),
      cwe=(502,), security_severity=8.8, short="node-serialize unserialize() can run embedded functions",
      full="node-serialize revives functions from the serialized text with eval; an immediately-invoked function in the data runs on load (CVE-2017-5941).",
      suggestion="Exchange data as JSON and parse it with JSON.parse.",
      bad="const serialize = require('node-serialize');\nconst obj = serialize.unserialize(req.cookies.profile);",
      good="const obj = JSON.parse(req.cookies.profile);",
      refine=constant_or(0, "note", "error"), external=("CodeQL js/unsafe-deserialization",)),
    R(id="EL-JS-YAML-LOAD", name="js-yaml-unsafe-load", level="warning",  # code execution on js-yaml 3 only; not a finding when the manifests show js-yaml 4
      names=("js-yaml.load", "js-yaml.loadAll"), cwe=(502,),
      security_severity=8.1, short="js-yaml load() builds JavaScript functions in js-yaml 3.x",
      full="Before js-yaml 4, load() used the full schema, whose !!js/function and !!js/regexp tags construct code from the document; js-yaml 4 made load() safe. The finding stands for projects pinned to 3.x.",
      suggestion="Use js-yaml 4, or safeLoad() / load(text, { schema: yaml.JSON_SCHEMA }) on 3.x.",
      bad="const yaml = require('js-yaml');\nconst cfg = yaml.load(text);",
      good="const yaml = require('js-yaml');\nconst cfg = yaml.safeLoad(text);",
      refine=unsafe_yaml, precision="medium", external=("CodeQL js/unsafe-deserialization",)),
    # --- SQL and NoSQL ---------------------------------------------------------------------------
    R(id="EL-JS-SQL", name="js-sql-string", level="error",  # data changes the query; only queries built from strings are reported
      names=SQL_METHODS, cwe=(89,), security_severity=9.8,
      short="SQL built from strings is passed to a query",
      full="A query assembled with + or a template literal with substitutions lets data change the SQL itself. Tagged templates (sql`...`) and placeholder arrays are parameterised and not reported.",
      suggestion="Use placeholders and pass values separately: db.query('... WHERE id = ?', [id]).",
      bad="db.query(`SELECT * FROM users WHERE name = '${name}'`);",
      good="db.query('SELECT * FROM users WHERE name = ?', [name]);",
      refine=dynamic_string_arg(0, "error"), external=("CodeQL js/sql-injection", "Semgrep sequelize-injection")),
    R(id="EL-JS-MONGO-WHERE", name="js-mongodb-where", level="warning",  # server-side JavaScript, but its reach is the database's query engine
      names=MONGO, cwe=(943,), security_severity=8.1, short="MongoDB $where runs a JavaScript expression on the server",
      full="The $where operator evaluates JavaScript in the database; a $where value built from data is NoSQL injection.",
      suggestion="Express the condition with query operators ($eq, $gt, $in, ...).",
      bad="users.find({ $where: 'this.name == \"' + name + '\"' });", good="users.find({ name: name });",
      refine=mongo_where, external=("CodeQL js/sql-injection (NoSQL)",)),
    # --- cross-site scripting -------------------------------------------------------------------
    R(id="EL-JS-INNER-HTML", name="js-inner-html", level="warning",  # cross-site scripting if user text is inside; constants and sanitized values dropped
      names=("*.innerHTML", "*.outerHTML"), kind="assign", cwe=(79,),
      security_severity=6.1, short="HTML assigned to innerHTML/outerHTML",
      full="Assigning to innerHTML or outerHTML parses the string as HTML; markup or event handlers in data become script. Constants and escaped values are not reported.",
      suggestion="Assign text to textContent, or sanitize with DOMPurify.sanitize() first.",
      bad="el.innerHTML = '<b>' + name + '</b>';", good="el.textContent = name;",
      refine=html_at(0), external=("eslint-plugin-no-unsanitized property", "Semgrep insecure-document-method")),
    R(id="EL-JS-DANGEROUSLY-SET-INNER-HTML", name="js-react-dangerously-set-inner-html", level="warning",  # cross-site scripting if user text is inside; constants dropped
      names=("*.dangerouslySetInnerHTML",), kind="assign", cwe=(79,), security_severity=6.1,
      short="React dangerouslySetInnerHTML with a non-constant __html",
      full="dangerouslySetInnerHTML bypasses React's escaping; any unsanitized data in __html is cross-site scripting.",
      suggestion="Render the value as a child ({text}), or sanitize it with DOMPurify.sanitize().",
      bad="const view = <div dangerouslySetInnerHTML={{ __html: comment.body }} />;",
      good="const view = <div>{comment.body}</div>;",
      refine=html_at(0), external=("Semgrep react-dangerouslysetinnerhtml", "eslint-plugin-react no-danger")),
    R(id="EL-JS-DOCUMENT-WRITE", name="js-document-write", level="warning",  # cross-site scripting if user text is inside; constants dropped
      cwe=(79,), security_severity=6.1,
      names=("document.write", "document.writeln", "*.document.write", "*.document.writeln"),
      short="document.write() of non-constant HTML",
      full="document.write parses its argument as HTML in the page; data in it can inject script.",
      suggestion="Build DOM nodes with createElement and textContent.",
      bad="document.write('<h1>' + title + '</h1>');", good="document.title = title;",
      refine=document_write, external=("eslint-plugin-no-unsanitized method", "Semgrep insecure-document-method")),
    R(id="EL-JS-INSERT-HTML", name="js-html-insertion-method", level="warning",  # cross-site scripting if user text is inside; constants dropped
      cwe=(79,), security_severity=6.1,
      names=("*.insertAdjacentHTML", "*.createContextualFragment", "*.setHTMLUnsafe", "*.parseHTMLUnsafe"),
      short="a DOM method parses non-constant HTML",
      full="insertAdjacentHTML, Range.createContextualFragment, setHTMLUnsafe and parseHTMLUnsafe parse their argument as HTML without sanitizing it.",
      suggestion="Insert text with insertAdjacentText or textContent, or use setHTML() / DOMPurify.",
      bad="list.insertAdjacentHTML('beforeend', `<li>${item}</li>`);",
      good="list.insertAdjacentText('beforeend', item);",
      refine=html_methods, external=("eslint-plugin-no-unsanitized method",)),
    R(id="EL-JS-JQUERY-HTML", name="js-jquery-html", level="warning",  # cross-site scripting if user text is inside; constants dropped
      cwe=(79,), security_severity=6.1,
      names=tuple(f"{dollar}()*.{m}" for dollar in ("$", "jQuery", "jquery") for m in JQUERY_SETTERS),
      short="jQuery inserts non-constant HTML",
      full="jQuery's html(), and append()/prepend()/after()/before()/replaceWith() given a string, parse it as HTML and run inline handlers.",
      suggestion="Use .text() for text, or build elements with $('<li>').text(value).",
      bad="$('#greeting').html('Hello ' + name);", good="$('#greeting').text('Hello ' + name);",
      refine=jquery, precision="medium", external=("Semgrep jquery-insecure-method",)),
    # --- cryptography and randomness ----------------------------------------------------------
    R(id="EL-JS-WEAK-HASH", name="js-weak-hash", level="warning",  # broken for security, fine for checksums
      cwe=(327, 328), security_severity=5.9,
      names=("crypto.createHash", "crypto-js.MD5", "crypto-js.SHA1", "crypto-js/md5", "crypto-js/sha1"),
      short="MD5 and SHA-1 are broken for security use",
      full="Collisions for MD5 and SHA-1 are practical, so they must not protect integrity, signatures or passwords. crypto.createHmac('md5'|'sha1') is not reported: HMAC relies on the hash as a pseudo-random function, which collisions do not break.",
      suggestion="Use sha256 or stronger; use crypto.scrypt or argon2 for passwords.",
      bad="const crypto = require('crypto');\nconst digest = crypto.createHash('md5').update(password).digest('hex');",
      good="const crypto = require('crypto');\nconst digest = crypto.createHash('sha256').update(data).digest('hex');",
      refine=weak_hash, external=("CodeQL js/weak-cryptographic-algorithm", "Semgrep md5-used-as-password")),
    R(id="EL-JS-WEAK-CIPHER", name="js-weak-cipher", level="warning",  # broken or leaky; matters only for real secrets
      names=("crypto.createCipheriv", "crypto.createDecipheriv"),
      cwe=(327,), security_severity=7.5, short="a broken cipher or ECB mode",
      full="DES, 3DES, RC2, RC4, Blowfish, CAST, IDEA and SEED are broken or too weak, and ECB mode reveals patterns in the plaintext.",
      suggestion="Use aes-256-gcm or chacha20-poly1305.",
      bad="const crypto = require('crypto');\nconst c = crypto.createCipheriv('des-ede3-cbc', key, iv);",
      good="const crypto = require('crypto');\nconst c = crypto.createCipheriv('aes-256-gcm', key, iv);",
      refine=weak_cipher, external=("CodeQL js/weak-cryptographic-algorithm",)),
    R(id="EL-JS-CREATE-CIPHER", name="js-create-cipher-no-iv", level="warning",  # weak key derivation and no IV on every call
      names=("crypto.createCipher", "crypto.createDecipher"),
      cwe=(327, 329), security_severity=7.5, short="crypto.createCipher derives the key with MD5 and uses no IV",
      full="createCipher derives key and IV from the password with one round of MD5 and no salt, so equal plaintexts encrypt alike; it was removed in Node 22.",
      suggestion="Derive a key with crypto.scrypt and use createCipheriv with a random IV.",
      bad="const crypto = require('crypto');\nconst c = crypto.createCipher('aes-256-cbc', password);",
      good="const crypto = require('crypto');\nconst c = crypto.createCipheriv('aes-256-gcm', key, iv);",
      external=("Semgrep create-de-cipher-no-iv",)),
    R(id="EL-JS-MATH-RANDOM", name="js-insecure-random", level="note",  # only a weakness when the number protects something
      names=("Math.random", "crypto.pseudoRandomBytes"),
      cwe=(330, 338), security_severity=3.7, short="a predictable random number generator",
      full="Math.random (and the deprecated crypto.pseudoRandomBytes) are not cryptographically secure; tokens, keys and ids made with them can be predicted.",
      suggestion="Use crypto.randomBytes, crypto.randomUUID or crypto.getRandomValues for anything security-related.",
      bad="const token = Math.random().toString(36).slice(2);", good="const token = crypto.randomUUID();",
      precision="low", external=("CodeQL js/insecure-randomness", "eslint-plugin-security detect-pseudoRandomBytes")),
    R(id="EL-JS-TLS-NO-VERIFY", name="js-tls-reject-unauthorized", level="warning",  # interception is possible; often deliberate in tests and tools
      names=("*",), cwe=(295,), security_severity=7.4, short="TLS certificate verification turned off (rejectUnauthorized: false)",
      full="rejectUnauthorized: false accepts any certificate, so the connection can be intercepted.",
      suggestion="Keep certificate checks on; pass the CA with the ca option for private certificates.",
      bad="https.request(url, { rejectUnauthorized: false });", good="https.request(url, { ca: caCert });",
      refine=tls_off, external=("CodeQL js/disabling-certificate-validation", "Semgrep bypass-tls-verification")),
    R(id="EL-JS-TLS-NO-VERIFY-NEW", name="js-tls-reject-unauthorized-new", level="warning",  # interception is possible; often deliberate in tests and tools
      names=("*",), kind="new", cwe=(295,),
      security_severity=7.4, short="an agent or socket created with rejectUnauthorized: false",
      full="An https.Agent or tls socket constructed with rejectUnauthorized: false accepts any certificate.",
      suggestion="Keep certificate checks on; pass the CA with the ca option for private certificates.",
      bad="const agent = new https.Agent({ rejectUnauthorized: false });", good="const agent = new https.Agent({ keepAlive: true });",
      refine=tls_off, external=("CodeQL js/disabling-certificate-validation",)),
    R(id="EL-JS-TLS-ENV", name="js-tls-env-disabled", level="warning",  # interception for the whole process; often deliberate in development
      names=("process.env.NODE_TLS_REJECT_UNAUTHORIZED",),
      kind="assign", cwe=(295,), security_severity=7.4,
      short="NODE_TLS_REJECT_UNAUTHORIZED=0 disables certificate checks process-wide",
      full="Setting NODE_TLS_REJECT_UNAUTHORIZED to '0' turns off certificate verification for every TLS connection of the process.",
      suggestion="Remove the assignment; trust private CAs with NODE_EXTRA_CA_CERTS.",
      bad="process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';", good="process.env.NODE_EXTRA_CA_CERTS = caPath;",
      refine=tls_env, external=("CodeQL js/disabling-certificate-validation",)),
    # --- other weaknesses ---------------------------------------------------------------------------
    R(id="EL-JS-DYNAMIC-REGEXP", name="js-regexp-injection", level="note",  # denial of service at worst, and most dynamic patterns are the program's own
      names=("RegExp",), kind="new", cwe=(1333, 730),
      security_severity=4.3, short="a regular expression built from a non-constant",
      full="A pattern taken from data can be made to backtrack exponentially (ReDoS) or to match more than intended.",
      suggestion="Escape the input (escapeRegExp) or match it with includes()/startsWith().",
      bad="const re = new RegExp(req.query.q);", good="const re = new RegExp(escapeRegExp(req.query.q));",
      refine=dynamic_regexp, precision="medium",
      external=("eslint-plugin-security detect-non-literal-regexp", "CodeQL js/regex-injection")),
    R(id="EL-JS-DYNAMIC-REQUIRE", name="js-non-literal-require", level="note",  # plugin loaders do this on purpose; code execution only with input in the path
      names=("require", "import"), cwe=(829,),
      security_severity=5.0, short="a module loaded from a non-constant path",
      full="require() or import() of a computed path loads whatever module the value names; from data, that is code execution.",
      suggestion="Map allowed names to modules with a constant table.",
      bad="const plugin = require('./plugins/' + name);", good="const plugin = PLUGINS[name];",
      refine=when(lambda s: not s.is_literal(0), "note"), precision="medium",
      external=("eslint-plugin-security detect-non-literal-require",)),
    R(id="EL-JS-NEW-BUFFER", name="js-new-buffer", level="note",  # deprecated; uninitialised memory only on Node before 8
      names=("Buffer", "buffer.Buffer"), kind="new", cwe=(908,),
      security_severity=3.7, short="the deprecated Buffer constructor",
      full="new Buffer(n) returned uninitialized memory before Node 8, and the constructor's behaviour depends on the argument's type (DEP0005).",
      suggestion="Use Buffer.alloc(size) or Buffer.from(value).",
      bad="const buf = new Buffer(size);", good="const buf = Buffer.alloc(size);",
      refine=new_buffer, precision="medium", external=("eslint-plugin-security detect-new-buffer",)),
    R(id="EL-JS-POSTMESSAGE-STAR", name="js-postmessage-wildcard", level="note",  # leaks only what the message carries, to whatever page the window holds
      names=("*.postMessage", "postMessage"),
      cwe=(201,), security_severity=4.3, short="postMessage to any origin ('*')",
      full="A message sent with target origin '*' is delivered to whatever page the window holds now, which may not be the one intended.",
      suggestion="Pass the exact target origin.",
      bad="parent.postMessage(data, '*');", good="parent.postMessage(data, 'https://app.example.com');",
      refine=when(lambda s: s.arg_value(1) == "*", "note"), external=("CodeQL js/cross-window-information-leak",
      "Semgrep wildcard-postmessage-configuration")),
    R(id="EL-JS-CHMOD-WORLD-WRITABLE", name="js-chmod-world-writable", level="warning",  # any local user can change the file; only modes with the other-write bit
      cwe=(732,), security_severity=5.3, names=("fs.chmod", "fs.chmodSync", "fs.fchmod", "fs.fchmodSync", "fs.lchmod",
      "fs.lchmodSync", "fs.promises.chmod", "fs/promises.chmod"),
      short="file made writable by every user", full="A world-writable mode lets any local user change the file.",
      suggestion="Use 0o600 or 0o644.", bad="const fs = require('fs');\nfs.chmodSync(path, 0o777);",
      good="const fs = require('fs');\nfs.chmodSync(path, 0o600);", refine=world_writable,
      external=("Bandit B103 (the Python check)",)),
)
