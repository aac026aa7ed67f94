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
import re

from entropy_lint.callsite import CallSite
from entropy_lint.rules.base import Outcome, Rule
from entropy_lint.rules.refine import Element, argv_outcome, constant_or, positional, split_elements, when

R = functools.partial(Rule, languages=("java",))

_LIST = re.compile(r"(?:new\s+String\s*\[\s*\]\s*\{|\{|(?:java\.util\.)?(?:Arrays\s*\.\s*asList|List\s*\.\s*of)\s*\()(.*)[})]",
                   re.S)
_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_ARRAY_BUILT = re.compile(r"\.toArray\s*\([^()]*(?:\([^()]*\))?[^()]*\)$|^new\s+String\s*\[")
_CONSTANT = re.compile(r"[A-Z][A-Z0-9_]*(?:\.[A-Z][A-Z0-9_]*)?")
_WEAK_DIGESTS = frozenset({"MD2", "MD4", "MD5", "SHA", "SHA1", "SHA-1"})
_WEAK_CIPHERS = frozenset({"DES", "DESEDE", "TRIPLEDES", "3DES", "RC2", "RC4", "ARCFOUR", "BLOWFISH", "RC5"})
_SQL_TYPES = frozenset({"Statement", "PreparedStatement", "CallableStatement", "Connection", "JdbcTemplate",
                        "JdbcOperations", "NamedParameterJdbcTemplate", "NamedParameterJdbcOperations", "QueryRunner"})
_SQL_RECEIVER = re.compile(r"(?i)jdbc|sql|stmt|statement|conn|\bdb|database|session|queryrunner")
_SQL_WORDS = re.compile(r"(?i)\b(select|insert|update|delete|from|where|values|order\s+by|group\s+by|create|drop|alter|truncate|merge|call)\b")


# --- process execution -------------------------------------------------------------------------
def _elements(text: str) -> list[Element] | None:
    """The elements of an array or list written in place (``new String[]{"sh", "-c", cmd}``)."""
    match = _LIST.fullmatch(text.strip())
    if match is None:
        return None
    parts = (p.strip() for p in split_elements(match.group(1)))
    return [_element(p) for p in parts if p]


def _element(text: str) -> Element:
    match = _STRING.fullmatch(text)
    if match is not None:
        return True, match.group(1)
    return bool(_CONSTANT.fullmatch(text)), None


def _process_builder(site: CallSite) -> Outcome | None:
    args = positional(site)
    if len(args) == 1 and not args[0].literal:
        listed = _elements(args[0].text)
        return argv_outcome(listed) if listed else None  # a List built elsewhere: not visible here
    return argv_outcome([(a.literal, a.value) for a in args])


def _runtime_exec(site: CallSite) -> Outcome | None:
    command = site.arg(0)
    if command is None:
        return None
    if command.literal:
        return Outcome("note", "constant command")
    listed = _elements(command.text)
    if listed is not None:
        return argv_outcome(listed)
    if _ARRAY_BUILT.search(command.text):
        return None  # an argument vector built elsewhere (list.toArray(...)): no shell in sight
    return Outcome("error")  # a command string chosen at run time: split on spaces and run


# --- SQL -------------------------------------------------------------------------------------
_SQL_SPECIFIC = ("executeQuery", "executeUpdate", "executeLargeUpdate", "addBatch", "prepareStatement", "prepareCall",
                 "nativeSQL", "createQuery", "createNativeQuery", "createSQLQuery", "queryForObject", "queryForList",
                 "queryForMap", "queryForRowSet", "queryForStream", "queryForLong", "queryForInt", "batchUpdate")
_SQL_GENERIC = ("execute", "query", "update")  # common names: also need a SQL-looking receiver or string


def _sql(site: CallSite) -> Outcome | None:
    query = site.arg(0)
    if query is None or not query.dynamic_string:
        return None
    if site.name in _SQL_GENERIC:
        head = site.qualname.rsplit(".", 1)[0]
        literal_text = " ".join(_STRING.findall(query.text))
        if head not in _SQL_TYPES and not _SQL_RECEIVER.search(site.receiver) and not _SQL_WORDS.search(literal_text):
            return None
    return Outcome("error", "query built from strings")


# --- deserialization, crypto, web ---------------------------------------------------------------
def _snakeyaml(site: CallSite) -> Outcome | None:
    if "SafeConstructor" in site.receiver:
        return None
    return Outcome("warning")


def _weak_digest(site: CallSite) -> Outcome | None:
    if site.qualname != "MessageDigest.getInstance":
        return Outcome("warning")  # DigestUtils.md5Hex and kin name the algorithm
    algorithm = (site.arg_value(0) or "").upper()
    return Outcome("warning", f"{algorithm} digest") if algorithm in _WEAK_DIGESTS else None


def _weak_cipher(site: CallSite) -> Outcome | None:
    transformation = (site.arg_value(0) or "").upper().replace(" ", "")
    if not transformation:
        return None
    parts = transformation.split("/")
    algorithm = parts[0]
    if algorithm in _WEAK_CIPHERS:
        return Outcome("warning", f"{algorithm} cipher")
    if algorithm.startswith(("RSA", "EC", "ELGAMAL")):
        return None  # ECB in an RSA transformation names no chaining: one block
    if len(parts) > 1 and parts[1] == "ECB":
        return Outcome("warning", "ECB mode")
    if len(parts) == 1 and algorithm.startswith("AES"):
        return Outcome("warning", "bare AES means AES/ECB/PKCS5Padding")
    return None


def _dynamic_output(site: CallSite) -> Outcome | None:
    # Encode.forHtml(name) inside the concatenation does not make it dynamic: the extractor counts
    # encoder and escaper calls as safe text.
    return Outcome("note") if any(a.dynamic_string for a in site.args) else None


_DESERIALIZE = ("Find Security Bugs OBJECT_DESERIALIZATION",)

RULES: tuple[Rule, ...] = (
    # --- command execution -------------------------------------------------------------------
    R(id="EL-JAVA-RUNTIME-EXEC", name="java-runtime-exec", names=("Runtime.getRuntime().exec", "Runtime.exec"),
      cwe=(78,), level="error", security_severity=9.8, short="Runtime.exec runs a command line",
      full="Runtime.exec runs the program named by its command; a command string built from input lets the input pick the program or its arguments, and a shell given a command string (sh -c) interprets metacharacters.",
      suggestion="Run a fixed program with ProcessBuilder and a list of separate arguments; validate every argument.",
      bad='Runtime.getRuntime().exec("convert " + fileName);',
      good='new ProcessBuilder("convert", fileName, "out.png").start();',
      refine=_runtime_exec, external=("Find Security Bugs COMMAND_INJECTION",)),
    R(id="EL-JAVA-PROCESS-BUILDER-SHELL", name="java-process-builder-shell", names=("ProcessBuilder",), kind="new",
      cwe=(78,), level="error", security_severity=9.8, short="ProcessBuilder runs a shell command string or a program chosen at run time",
      full="A ProcessBuilder whose program is sh/bash/cmd with -c or /c hands its command string to a shell, so metacharacters in any interpolated value run further commands; a program name chosen at run time runs whatever it names.",
      suggestion="Start the program itself with one argument per list element, without a shell.",
      bad='new ProcessBuilder("sh", "-c", "tar xf " + archive).start();',
      good='new ProcessBuilder("tar", "xf", archive).start();',
      refine=_process_builder, external=("Find Security Bugs COMMAND_INJECTION",)),
    R(id="EL-JAVA-PROCESS-COMMAND-SHELL", name="java-process-builder-command-shell", names=("ProcessBuilder.command",),
      cwe=(78,), level="error", security_severity=9.8, short="ProcessBuilder.command() names a shell command string or a run-time program",
      full="Setting a ProcessBuilder's command to sh -c (or cmd /c) with a command string built at run time lets metacharacters in it run further commands.",
      suggestion="Set the command to the program and its separate arguments, without a shell.",
      bad='ProcessBuilder pb = new ProcessBuilder();\npb.command("bash", "-c", userCommand);',
      good='ProcessBuilder pb = new ProcessBuilder();\npb.command("git", "log", "--", path);',
      refine=_process_builder, external=("Find Security Bugs COMMAND_INJECTION",)),
    # --- code evaluation ---------------------------------------------------------------------
    R(id="EL-JAVA-SCRIPT-ENGINE-EVAL", name="java-script-engine-eval", cwe=(94, 95), level="error",
      security_severity=8.8,
      names=("ScriptEngine.eval", "AbstractScriptEngine.eval", "NashornScriptEngine.eval", "*.getEngineByName().eval",
             "*.getEngineByExtension().eval", "*.getEngineByMimeType().eval", "GroovyShell.evaluate",
             "GroovyShell.parse", "JShell.eval"),
      short="a script engine evaluates a string as code",
      full="ScriptEngine.eval (and GroovyShell, JShell) runs its argument as code with the application's privileges; any attacker influence over the script is code execution.",
      suggestion="Evaluate only fixed scripts; pass data to them as bindings, never as code.",
      bad='ScriptEngine engine = new ScriptEngineManager().getEngineByName("js");\nengine.eval("total = " + expression);',
      good="double total = new ExpressionBuilder(expression).build().evaluate();",
      refine=constant_or(0, "note", "error", "constant script"), external=("Find Security Bugs SCRIPT_ENGINE_INJECTION",)),
    R(id="EL-JAVA-EXPRESSION-INJECTION", name="java-expression-language-injection", cwe=(917,), level="error",
      security_severity=8.8,
      names=("SpelExpressionParser.parseExpression", "ExpressionParser.parseExpression", "SpelExpressionParser.parseRaw",
             "Ognl.parseExpression", "Ognl.getValue", "MVEL.eval", "MVEL.compileExpression", "ELProcessor.eval"),
      short="an expression-language string chosen at run time is evaluated",
      full="SpEL, OGNL, MVEL and EL expressions can call arbitrary methods; parsing one built from input lets that input run code.",
      suggestion="Parse only constant expressions and pass input as variables (SimpleEvaluationContext for SpEL).",
      bad='ExpressionParser parser = new SpelExpressionParser();\nparser.parseExpression(request.getParameter("sort")).getValue(ctx);',
      good='ExpressionParser parser = new SpelExpressionParser();\nparser.parseExpression("name").getValue(ctx);',
      refine=when(lambda s: not s.is_literal(0), "error"), external=("Find Security Bugs SPEL_INJECTION",)),
    # --- deserialization ------------------------------------------------------------------------
    R(id="EL-JAVA-OBJECT-INPUT-STREAM", name="java-object-deserialization", cwe=(502,), level="warning",
      security_severity=8.1, names=("ObjectInputStream.readObject", "ObjectInputStream.readUnshared"),
      short="Java deserialization constructs objects chosen by the data",
      full="ObjectInputStream.readObject instantiates whatever classes the stream names and runs their deserialization code; gadget chains in common libraries turn untrusted streams into code execution.",
      suggestion="Use a data format (JSON with fixed types), or set an ObjectInputFilter allow-list before reading.",
      bad="ObjectInputStream in = new ObjectInputStream(request.getInputStream());\nObject o = in.readObject();",
      good="ObjectInputStream in = new ObjectInputStream(request.getInputStream());\nin.setObjectInputFilter(filter);\nint n = in.readInt();",
      precision="medium", external=_DESERIALIZE),
    R(id="EL-JAVA-XML-DECODER", name="java-xml-decoder", names=("XMLDecoder.readObject",), cwe=(502,),
      level="warning", security_severity=8.1, short="XMLDecoder runs the method calls its XML describes",
      full="java.beans.XMLDecoder reconstructs objects by calling constructors and methods named in the document, so a document from an untrusted source can run any code.",
      suggestion="Parse untrusted XML into data with a hardened parser, never with XMLDecoder.",
      bad="XMLDecoder decoder = new XMLDecoder(upload);\nObject o = decoder.readObject();",
      good="Settings s = objectMapper.readValue(upload, Settings.class);",
      external=("Find Security Bugs XML_DECODER",)),
    R(id="EL-JAVA-SNAKEYAML-LOAD", name="java-snakeyaml-unsafe-load", names=("Yaml.load", "Yaml.loadAll", "Yaml.loadAs"),
      cwe=(502,), level="warning", security_severity=8.1, short="SnakeYAML load without SafeConstructor",
      full="Before SnakeYAML 2.0 the default constructor instantiates any class a YAML tag names (!!javax.script.ScriptEngineManager ...), so loading an untrusted document can run code. A Yaml object built elsewhere in the file may still be safe: check its constructor.",
      suggestion="Construct the parser with new Yaml(new SafeConstructor(new LoaderOptions())), or upgrade to SnakeYAML 2.",
      bad="Object data = new Yaml().load(input);",
      good="Object data = new Yaml(new SafeConstructor(new LoaderOptions())).load(input);",
      refine=_snakeyaml, precision="medium", external=("Semgrep java.lang.security.use-snakeyaml-constructor",)),
    # --- SQL ----------------------------------------------------------------------------------------
    R(id="EL-JAVA-SQL", name="java-sql-string", cwe=(89,), level="error", security_severity=9.8,
      names=tuple(f"*.{m}" for m in _SQL_SPECIFIC + _SQL_GENERIC),
      short="SQL built from strings is passed to a query",
      full="A query assembled with +, +=, String.format or a StringBuilder lets data change the SQL itself; preparing such a string does not help, as the values are already inside it.",
      suggestion='Use a PreparedStatement with ? placeholders and setString/setInt for the values.',
      bad='Statement stmt = conn.createStatement();\nstmt.executeQuery("SELECT * FROM users WHERE name = \'" + name + "\'");',
      good='PreparedStatement ps = conn.prepareStatement("SELECT * FROM users WHERE name = ?");\nps.setString(1, name);',
      refine=_sql, external=("Find Security Bugs SQL_INJECTION_JDBC", "Find Security Bugs SQL_INJECTION_JPA",
                             "Find Security Bugs SQL_INJECTION_SPRING_JDBC", "SpotBugs SQL_NONCONSTANT_STRING_PASSED_TO_EXECUTE")),
    # --- weak cryptography --------------------------------------------------------------------------
    R(id="EL-JAVA-WEAK-HASH", name="java-weak-hash", cwe=(327, 328), level="warning", security_severity=5.9,
      names=("MessageDigest.getInstance", "DigestUtils.md2", "DigestUtils.md2Hex", "DigestUtils.md5",
             "DigestUtils.md5Hex", "DigestUtils.sha", "DigestUtils.shaHex", "DigestUtils.sha1", "DigestUtils.sha1Hex",
             "DigestUtils.getMd2Digest", "DigestUtils.getMd5Digest", "DigestUtils.getShaDigest",
             "DigestUtils.getSha1Digest", "Hashing.md5", "Hashing.sha1"),
      short="MD5 and SHA-1 are broken for security use",
      full="Collisions for MD2, MD5 and SHA-1 are practical; they must not protect integrity, signatures or passwords.",
      suggestion="Use SHA-256 or stronger; for passwords use PBKDF2, bcrypt, scrypt or Argon2.",
      bad='MessageDigest md = MessageDigest.getInstance("MD5");',
      good='MessageDigest md = MessageDigest.getInstance("SHA-256");',
      refine=_weak_digest, external=("Find Security Bugs WEAK_MESSAGE_DIGEST_MD5", "Find Security Bugs WEAK_MESSAGE_DIGEST_SHA1")),
    R(id="EL-JAVA-WEAK-CIPHER", name="java-weak-cipher", names=("Cipher.getInstance",), cwe=(327,), level="warning",
      security_severity=7.5, short="a broken cipher or ECB mode",
      full="DES, 3DES, RC2, RC4 and Blowfish are broken or too weak; ECB mode (also what a bare \"AES\" transformation selects) encrypts equal blocks to equal ciphertext and leaks patterns.",
      suggestion='Use "AES/GCM/NoPadding" with a fresh IV for every message.',
      bad='Cipher c = Cipher.getInstance("DES/CBC/PKCS5Padding");',
      good='Cipher c = Cipher.getInstance("AES/GCM/NoPadding");',
      refine=_weak_cipher, external=("Find Security Bugs DES_USAGE", "Find Security Bugs ECB_MODE")),
    R(id="EL-JAVA-RANDOM", name="java-insecure-random", names=("Random",), kind="new", cwe=(330,), level="note",
      security_severity=3.7, short="java.util.Random is predictable",
      full="java.util.Random is a linear congruential generator; tokens, keys and nonces made with it can be predicted from a few outputs. This is reported wherever it is created, as its use is not visible here.",
      suggestion="Use java.security.SecureRandom for anything security-related.",
      bad="String token = Long.toHexString(new Random().nextLong());",
      good="String token = Long.toHexString(new SecureRandom().nextLong());",
      precision="low", external=("Find Security Bugs PREDICTABLE_RANDOM",)),
    # --- reflection and output ----------------------------------------------------------------------
    R(id="EL-JAVA-CLASS-FORNAME", name="java-class-forname-dynamic", names=("Class.forName",), cwe=(470,),
      level="note", security_severity=4.3, short="a class chosen at run time is loaded",
      full="Loading a class by a name that comes from input lets the input pick which code is initialised and run.",
      suggestion="Map allowed names to classes explicitly.",
      bad='Class<?> c = Class.forName(request.getParameter("type"));',
      good='Class<?> c = Class.forName("org.postgresql.Driver");',
      refine=when(lambda s: not s.is_literal(0), "note"), precision="low"),
    R(id="EL-JAVA-SERVLET-XSS", name="java-servlet-writer-xss", cwe=(79,), level="note", security_severity=6.1,
      names=tuple(f"*.getWriter().{m}" for m in ("print", "println", "write", "printf", "format", "append")),
      short="HTML built from strings is written to a servlet response",
      full="Text written to the response writer is sent as-is; values concatenated into markup without escaping are cross-site scripting if they come from users.",
      suggestion="Escape values for HTML (OWASP Encoder's Encode.forHtml) or render through an escaping template.",
      bad='response.getWriter().println("<p>Hello " + name + "</p>");',
      good='response.getWriter().println("<p>Hello " + Encode.forHtml(name) + "</p>");',
      refine=_dynamic_output, precision="medium", external=("Find Security Bugs XSS_SERVLET",)),
)
