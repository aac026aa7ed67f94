"""Java rules: Find Security Bugs / SpotBugs-style call checks, matched on simple-type qualnames.

The extractor resolves receivers to declared types (``ObjectInputStream.readObject``) and keeps
unresolved receivers as written, so rules name types where the type is what matters and use
``*.method`` globs only where a refine hook narrows the match (SQL built from strings).

Levels: ``error`` where attacker input plausibly reaches a shell, an interpreter or a query;
``warning`` where safety depends on where the data came from (deserialization, a program name
chosen at run time) or on a broken algorithm; ``note`` for context-dependent weaknesses.
"""

from __future__ import annotations

import functools

from entropy_lint.rules.base import Rule
from entropy_lint.rules.java_refine import (
    SQL_GENERIC,
    SQL_SPECIFIC,
    dynamic_output,
    process_builder,
    runtime_exec,
    snakeyaml,
    sql_query,
    weak_cipher,
    weak_digest,
)
from entropy_lint.rules.refine import constant_or, random_for_secrets, when
from entropy_lint.rules.templates import FixTemplate

R = functools.partial(Rule, languages=("java",))

RULES: tuple[Rule, ...] = (
    # --- command execution -------------------------------------------------------------------
    R(id="EL-JAVA-RUNTIME-EXEC", name="java-runtime-exec", level="error",  # a command string from input picks the program; constants are notes, argument vectors without a shell dropped
      names=("Runtime.getRuntime().exec", "Runtime.exec"),
      cwe=(78,), security_severity=9.8, short="Runtime.exec runs a command line",
      full="Runtime.exec runs the program named by its command; a command string built from input lets the input pick the program or its arguments, and a shell given a command string (sh -c) interprets metacharacters.",
      suggestion="Run a fixed program with ProcessBuilder and a list of separate arguments; validate every argument.",
      bad='Runtime.getRuntime().exec("convert " + fileName);',
      good='new ProcessBuilder("convert", fileName, "out.png").start();',
      refine=runtime_exec, external=("Find Security Bugs COMMAND_INJECTION",),
      fixes=(FixTemplate("ProcessBuilder with separate arguments", "review", call="new ProcessBuilder({words:0}).start()", when=("args:1",)),)),
    R(id="EL-JAVA-PROCESS-BUILDER-SHELL", name="java-process-builder-shell", level="error",  # a shell with a built string; a run-time program is a warning, other vectors dropped
      names=("ProcessBuilder",), kind="new",
      cwe=(78,), security_severity=9.8, short="ProcessBuilder runs a shell command string or a program chosen at run time",
      full="A ProcessBuilder whose program is sh/bash/cmd with -c or /c hands its command string to a shell, so metacharacters in any interpolated value run further commands; a program name chosen at run time runs whatever it names.",
      suggestion="Start the program itself with one argument per list element, without a shell.",
      bad='new ProcessBuilder("sh", "-c", "tar xf " + archive).start();',
      good='new ProcessBuilder("tar", "xf", archive).start();',
      refine=process_builder, external=("Find Security Bugs COMMAND_INJECTION",)),
    R(id="EL-JAVA-PROCESS-COMMAND-SHELL", name="java-process-builder-command-shell", level="error",  # as the ProcessBuilder constructor
      names=("ProcessBuilder.command",),
      cwe=(78,), security_severity=9.8, short="ProcessBuilder.command() names a shell command string or a run-time program",
      full="Setting a ProcessBuilder's command to sh -c (or cmd /c) with a command string built at run time lets metacharacters in it run further commands.",
      suggestion="Set the command to the program and its separate arguments, without a shell.",
      bad='ProcessBuilder pb = new ProcessBuilder();\npb.command("bash", "-c", userCommand);',
      good='ProcessBuilder pb = new ProcessBuilder();\npb.command("git", "log", "--", path);',
      refine=process_builder, external=("Find Security Bugs COMMAND_INJECTION",)),
    # --- code evaluation ---------------------------------------------------------------------
    R(id="EL-JAVA-SCRIPT-ENGINE-EVAL", name="java-script-engine-eval", level="error",  # code execution; a constant script lowers it to a note
      cwe=(94, 95), security_severity=8.8,
      names=("ScriptEngine.eval", "AbstractScriptEngine.eval", "NashornScriptEngine.eval", "*.getEngineByName().eval",
             "*.getEngineByExtension().eval", "*.getEngineByMimeType().eval", "GroovyShell.evaluate",
             "GroovyShell.parse", "JShell.eval"),
      short="a script engine evaluates a string as code",
      full="ScriptEngine.eval (and GroovyShell, JShell) runs its argument as code with the application's privileges; any attacker influence over the script is code execution.",
      suggestion="Evaluate only fixed scripts; pass data to them as bindings, never as code.",
      bad='ScriptEngine engine = new ScriptEngineManager().getEngineByName("js");\nengine.eval("total = " + expression);',
      good="double total = new ExpressionBuilder(expression).build().evaluate();",
      refine=constant_or(0, "note", "error", "constant script"), external=("Find Security Bugs SCRIPT_ENGINE_INJECTION",)),
    R(id="EL-JAVA-EXPRESSION-INJECTION", name="java-expression-language-injection", level="error",  # expression languages call any method; constants are not reported
      cwe=(917,), security_severity=8.8,
      names=("SpelExpressionParser.parseExpression", "ExpressionParser.parseExpression", "SpelExpressionParser.parseRaw",
             "Ognl.parseExpression", "Ognl.getValue", "MVEL.eval", "MVEL.compileExpression", "ELProcessor.eval"),
      short="an expression-language string chosen at run time is evaluated",
      full="SpEL, OGNL, MVEL and EL expressions can call arbitrary methods; parsing one built from input lets that input run code.",
      suggestion="Parse only constant expressions and pass input as variables (SimpleEvaluationContext for SpEL).",
      bad='ExpressionParser parser = new SpelExpressionParser();\nparser.parseExpression(request.getParameter("sort")).getValue(ctx);',
      good='ExpressionParser parser = new SpelExpressionParser();\nparser.parseExpression("name").getValue(ctx);',
      refine=when(lambda s: not s.is_literal(0), "error"), external=("Find Security Bugs SPEL_INJECTION",)),
    # --- deserialization ------------------------------------------------------------------------
    R(id="EL-JAVA-OBJECT-INPUT-STREAM", name="java-object-deserialization", level="warning",  # gadget chains run code, but only for streams from outside
      cwe=(502,), security_severity=8.1, names=("ObjectInputStream.readObject", "ObjectInputStream.readUnshared"),
      short="Java deserialization constructs objects chosen by the data",
      full="ObjectInputStream.readObject instantiates whatever classes the stream names and runs their deserialization code; gadget chains in common libraries turn untrusted streams into code execution.",
      suggestion="Use a data format (JSON with fixed types), or set an ObjectInputFilter allow-list before reading.",
      bad="ObjectInputStream in = new ObjectInputStream(request.getInputStream());\nObject o = in.readObject();",
      good="ObjectInputStream in = new ObjectInputStream(request.getInputStream());\nin.setObjectInputFilter(filter);\nint n = in.readInt();",
      precision="medium", external=("Find Security Bugs OBJECT_DESERIALIZATION",)),
    R(id="EL-JAVA-XML-DECODER", name="java-xml-decoder", level="warning",  # runs any method, but only for documents from outside
      names=("XMLDecoder.readObject",), cwe=(502,),
      security_severity=8.1, short="XMLDecoder runs the method calls its XML describes",
      full="java.beans.XMLDecoder reconstructs objects by calling constructors and methods named in the document, so a document from an untrusted source can run any code.",
      suggestion="Parse untrusted XML into data with a hardened parser, never with XMLDecoder.",
      bad="XMLDecoder decoder = new XMLDecoder(upload);\nObject o = decoder.readObject();",
      good="Settings s = objectMapper.readValue(upload, Settings.class);",
      external=("Find Security Bugs XML_DECODER",)),
    R(id="EL-JAVA-SNAKEYAML-LOAD", name="java-snakeyaml-unsafe-load", level="warning",  # code execution before SnakeYAML 2 with the default constructor; version not known here
      names=("Yaml.load", "Yaml.loadAll", "Yaml.loadAs"),
      cwe=(502,), security_severity=8.1, short="SnakeYAML load without SafeConstructor",
      full="Before SnakeYAML 2.0 the default constructor instantiates any class a YAML tag names (!!javax.script.ScriptEngineManager ...), so loading an untrusted document can run code. A Yaml object built elsewhere in the file may still be safe: check its constructor.",
      suggestion="Construct the parser with new Yaml(new SafeConstructor(new LoaderOptions())), or upgrade to SnakeYAML 2.",
      bad="Object data = new Yaml().load(input);",
      good="Object data = new Yaml(new SafeConstructor(new LoaderOptions())).load(input);",
      refine=snakeyaml, precision="medium", external=("Semgrep java.lang.security.use-snakeyaml-constructor",)),
    # --- SQL ----------------------------------------------------------------------------------------
    R(id="EL-JAVA-SQL", name="java-sql-string", level="error",  # data changes the query; only queries built from strings are reported
      cwe=(89,), security_severity=9.8,
      names=tuple(f"*.{m}" for m in SQL_SPECIFIC + SQL_GENERIC),
      short="SQL built from strings is passed to a query",
      full="A query assembled with +, +=, String.format or a StringBuilder lets data change the SQL itself; preparing such a string does not help, as the values are already inside it.",
      suggestion='Use a PreparedStatement with ? placeholders and setString/setInt for the values.',
      bad='Statement stmt = conn.createStatement();\nstmt.executeQuery("SELECT * FROM users WHERE name = \'" + name + "\'");',
      good='PreparedStatement ps = conn.prepareStatement("SELECT * FROM users WHERE name = ?");\nps.setString(1, name);',
      refine=sql_query, external=("Find Security Bugs SQL_INJECTION_JDBC", "Find Security Bugs SQL_INJECTION_JPA",
                             "Find Security Bugs SQL_INJECTION_SPRING_JDBC", "SpotBugs SQL_NONCONSTANT_STRING_PASSED_TO_EXECUTE")),
    # --- weak cryptography --------------------------------------------------------------------------
    R(id="EL-JAVA-WEAK-HASH", name="java-weak-hash", level="warning",  # broken for security, fine for checksums
      cwe=(327, 328), security_severity=5.9,
      names=("MessageDigest.getInstance", "DigestUtils.md2", "DigestUtils.md2Hex", "DigestUtils.md5",
             "DigestUtils.md5Hex", "DigestUtils.sha", "DigestUtils.shaHex", "DigestUtils.sha1", "DigestUtils.sha1Hex",
             "DigestUtils.getMd2Digest", "DigestUtils.getMd5Digest", "DigestUtils.getShaDigest",
             "DigestUtils.getSha1Digest", "Hashing.md5", "Hashing.sha1"),
      short="MD5 and SHA-1 are broken for security use",
      full="Collisions for MD2, MD5 and SHA-1 are practical; they must not protect integrity, signatures or passwords.",
      suggestion="Use SHA-256 or stronger; for passwords use PBKDF2, bcrypt, scrypt or Argon2.",
      bad='MessageDigest md = MessageDigest.getInstance("MD5");',
      good='MessageDigest md = MessageDigest.getInstance("SHA-256");',
      refine=weak_digest, external=("Find Security Bugs WEAK_MESSAGE_DIGEST_MD5", "Find Security Bugs WEAK_MESSAGE_DIGEST_SHA1"),
      fixes=(FixTemplate("SHA-256 (a different digest)", "review", string=(0, "SHA-256"), when=("named:getInstance",)),
             FixTemplate("SHA-256 (a different digest)", "review", name=(("md2", "sha256"), ("md5", "sha256"), ("sha", "sha256"), ("sha1", "sha256"), ("md2Hex", "sha256Hex"), ("md5Hex", "sha256Hex"), ("shaHex", "sha256Hex"), ("sha1Hex", "sha256Hex")), when=("qualified",)))),
    R(id="EL-JAVA-WEAK-CIPHER", name="java-weak-cipher", level="warning",  # broken or leaky; matters only for real secrets
      names=("Cipher.getInstance",), cwe=(327,),
      security_severity=7.5, short="a broken cipher or ECB mode",
      full="DES, 3DES, RC2, RC4 and Blowfish are broken or too weak; ECB mode (also what a bare \"AES\" transformation selects) encrypts equal blocks to equal ciphertext and leaks patterns.",
      suggestion='Use "AES/GCM/NoPadding" with a fresh IV for every message.',
      bad='Cipher c = Cipher.getInstance("DES/CBC/PKCS5Padding");',
      good='Cipher c = Cipher.getInstance("AES/GCM/NoPadding");',
      refine=weak_cipher, external=("Find Security Bugs DES_USAGE", "Find Security Bugs ECB_MODE")),
    R(id="EL-JAVA-RANDOM", name="java-insecure-random", level="warning",  # only where the value is named like a secret
      names=("Random",), kind="new", cwe=(330,),
      security_severity=3.7, short="java.util.Random is predictable",
      full="java.util.Random is a linear congruential generator; tokens, keys and nonces made with it can be predicted from a few outputs. This is reported wherever it is created, as its use is not visible here.",
      suggestion="Use java.security.SecureRandom for anything security-related.",
      bad="String token = Long.toHexString(new Random().nextLong());",
      good="String token = Long.toHexString(new SecureRandom().nextLong());",
      refine=random_for_secrets, precision="low", external=("Find Security Bugs PREDICTABLE_RANDOM",),
      fixes=(FixTemplate("SecureRandom: a subclass of Random, unpredictable", "safe", name="SecureRandom", when=("bare",), imports=("java.security.SecureRandom",)),)),
    # --- reflection and output ----------------------------------------------------------------------
    R(id="EL-JAVA-CLASS-FORNAME", name="java-class-forname-dynamic", level="note",  # drivers and plugins do this on purpose; constants are not reported
      names=("Class.forName",), cwe=(470,),
      security_severity=4.3, short="a class chosen at run time is loaded",
      full="Loading a class by a name that comes from input lets the input pick which code is initialised and run.",
      suggestion="Map allowed names to classes explicitly.",
      bad='Class<?> c = Class.forName(request.getParameter("type"));',
      good='Class<?> c = Class.forName("org.postgresql.Driver");',
      refine=when(lambda s: not s.is_literal(0), "note"), precision="low"),
    R(id="EL-JAVA-SERVLET-XSS", name="java-servlet-writer-xss", level="note",  # cross-site scripting only if the pieces are user text, which is not tracked
      cwe=(79,), security_severity=6.1,
      names=tuple(f"*.getWriter().{m}" for m in ("print", "println", "write", "printf", "format", "append")),
      short="HTML built from strings is written to a servlet response",
      full="Text written to the response writer is sent as-is; values concatenated into markup without escaping are cross-site scripting if they come from users.",
      suggestion="Escape values for HTML (OWASP Encoder's Encode.forHtml) or render through an escaping template.",
      bad='response.getWriter().println("<p>Hello " + name + "</p>");',
      good='response.getWriter().println("<p>Hello " + Encode.forHtml(name) + "</p>");',
      refine=dynamic_output, precision="medium", external=("Find Security Bugs XSS_SERVLET",)),
)
