"""Go rules: gosec's call-level checks, matched on import-path qualnames (``os/exec.Command``).

Package-level functions are named by import path, so a local ``func Command`` or a value's
``x.Command`` never matches. Methods on values (``db.Query``) are matched by method-name globs and
narrowed by refine hooks: the SQL rule needs a query string built at run time.

Levels: ``error`` where attacker input plausibly reaches a shell or a query; ``warning`` where safety
depends on the data's origin or on a broken algorithm or disabled check; ``note`` for
context-dependent weaknesses (non-cryptographic random, modes the umask usually narrows).
"""

from __future__ import annotations

import functools
import re

from entropy_lint.callsite import CallSite
from entropy_lint.rules.base import Outcome, Rule
from entropy_lint.rules.refine import Element, argv_outcome, positional, split_elements, when

R = functools.partial(Rule, languages=("go",))

_SLICE = re.compile(r"\[\]string\s*\{(.*)\}", re.S)
_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"|`([^`]*)`')
_CONTEXT = re.compile(r"(?i)ctx|context")
_PREPARED = re.compile(r"(?i)stmt|statement|prepared")
# Single-element standard library paths: a call through one is a package function, not a method on a value.
_STD_PACKAGES = frozenset({
    "bufio", "bytes", "cmp", "context", "embed", "errors", "expvar", "flag", "fmt", "hash", "html", "io", "iter",
    "log", "maps", "math", "mime", "net", "os", "path", "plugin", "reflect", "regexp", "runtime", "slices", "sort",
    "strconv", "strings", "sync", "syscall", "testing", "time", "unicode", "unique", "unsafe",
})


# --- process execution ---------------------------------------------------------------------------
def _exec_command(site: CallSite) -> Outcome | None:
    args = positional(site)[1 if site.name == "CommandContext" else 0:]
    return argv_outcome([(a.literal and not a.text.endswith("..."), a.value) for a in args])


def _slice_elements(text: str) -> list[Element] | None:
    """The elements of a ``[]string{...}`` literal written in place."""
    match = _SLICE.fullmatch(text.strip())
    if match is None:
        return None
    out: list[Element] = []
    for part in (p.strip() for p in split_elements(match.group(1), quotes="\"`", raw_quotes="`")):
        literal = _STRING.fullmatch(part)
        if literal is not None:
            out.append((True, literal.group(1) if literal.group(1) is not None else literal.group(2)))
        elif part:
            out.append((False, None))
    return out


def _exec_argv(site: CallSite) -> Outcome | None:
    """syscall.Exec(argv0, argv, env) and kin: the program path, then argv[1:] as written."""
    args = positional(site)
    if not args:
        return None
    program: Element = (args[0].literal, args[0].value)
    argv = _slice_elements(args[1].text) if len(args) > 1 else None
    return argv_outcome([program] + (argv[1:] if argv else []))


# --- SQL --------------------------------------------------------------------------------------------
_SQL_METHODS = ("Query", "QueryContext", "QueryRow", "QueryRowContext", "Exec", "ExecContext", "Prepare",
                "PrepareContext", "Queryx", "QueryRowx", "QueryxContext", "QueryRowxContext", "MustExec",
                "MustExecContext", "NamedExec", "NamedQuery", "Preparex", "Raw", "Where", "Or", "Not", "Order",
                "Group", "Having", "Joins")


def _sql(site: CallSite) -> Outcome | None:
    head = site.qualname.rsplit(".", 1)[0]
    if "/" in head or head in _STD_PACKAGES:
        return None  # a package function (syscall.Exec), not a method on a database handle
    if _PREPARED.search(site.receiver):
        return None  # stmt.Query(args...) on a prepared statement takes values, not SQL
    args = positional(site)
    index = 0
    if site.name.endswith("Context"):
        index = 1
    elif args and not args[0].literal and not args[0].dynamic_string and _CONTEXT.search(args[0].text):
        index = 1  # pgx: conn.Query(ctx, sql, args...)
    query = args[index] if index < len(args) else None
    return Outcome("error", "query built from strings") if query is not None and query.dynamic_string else None


# --- files -------------------------------------------------------------------------------------------
_MODE_ARG = {"os.Chmod": 1, "os.Mkdir": 1, "os.MkdirAll": 1, "os.WriteFile": 2, "io/ioutil.WriteFile": 2, "os.OpenFile": 2}


def _mode(text: str) -> int | None:
    text = re.sub(r"^(?:os|fs)\.FileMode\((.*)\)$", r"\1", text.strip()).replace("_", "")
    if text in ("os.ModePerm", "fs.ModePerm"):
        return 0o777
    try:
        return int(text, 8) if re.fullmatch(r"0[0-7]+", text) else int(text, 0)
    except ValueError:
        return None


def _world_writable(site: CallSite) -> Outcome | None:
    args = positional(site)
    index = _MODE_ARG.get(site.qualname, 1)
    mode = _mode(args[index].text) if index < len(args) else None
    if mode is None or not mode & 0o002:
        return None
    if site.qualname == "os.Chmod":
        return Outcome("warning", f"mode {mode:#o}")
    return Outcome("note", f"mode {mode:#o} before the umask")  # creation modes pass through the umask


def _skip_verify(site: CallSite) -> bool:
    flag = site.kwarg("InsecureSkipVerify")
    return flag is not None and flag.text == "true"


_RAND = ("Int", "Intn", "Int31", "Int31n", "Int63", "Int63n", "Uint32", "Uint64", "Float32", "Float64", "Perm",
         "Shuffle", "ExpFloat64", "NormFloat64", "New")  # not Read: in a fragment, rand.Read is crypto/rand's
_RAND_V2 = ("Int", "IntN", "N", "Int32", "Int32N", "Int64", "Int64N", "Uint", "UintN", "Uint32", "Uint32N", "Uint64",
            "Uint64N", "Float32", "Float64", "Perm", "Shuffle", "ExpFloat64", "NormFloat64", "New")

RULES: tuple[Rule, ...] = (
    # --- command execution -------------------------------------------------------------------
    R(id="EL-GO-EXEC-COMMAND", name="go-exec-command", names=("os/exec.Command", "os/exec.CommandContext", "golang.org/x/sys/execabs.Command",
                                                 "golang.org/x/sys/execabs.CommandContext"),
      cwe=(78,), level="error", security_severity=9.8, short="exec.Command runs a shell or a program chosen at run time",
      full="exec.Command does not use a shell, unless the program is one: sh -c (or cmd /c) interprets its command string, so metacharacters in an interpolated value run further commands. A program name chosen at run time runs whatever it names.",
      suggestion="Run the program itself with separate arguments; never build a shell command string from input.",
      bad='cmd := exec.Command("sh", "-c", "tar xf "+archive)',
      good='cmd := exec.Command("tar", "xf", archive)',
      refine=_exec_command, external=("gosec G204",)),
    R(id="EL-GO-SYSCALL-EXEC", name="go-syscall-exec", cwe=(78,), level="error", security_severity=9.8,
      names=("syscall.Exec", "syscall.ForkExec", "syscall.StartProcess", "os.StartProcess",
             "golang.org/x/sys/unix.Exec"),
      short="a process started with a shell command string or a program chosen at run time",
      full="These start the program at the given path with the argument vector as written; a shell there with -c interprets its command string, and a program path from input runs whatever it names.",
      suggestion="Use a fixed program path and pass data as separate arguments.",
      bad='syscall.Exec("/bin/sh", []string{"sh", "-c", userCmd}, os.Environ())',
      good='syscall.Exec("/usr/bin/git", []string{"git", "status"}, os.Environ())',
      refine=_exec_argv, external=("gosec G204",)),
    # --- SQL ------------------------------------------------------------------------------------
    R(id="EL-GO-SQL", name="go-sql-string", names=tuple(f"*.{m}" for m in _SQL_METHODS), cwe=(89,), level="error",
      security_severity=9.8, short="SQL built from strings is passed to a query",
      full="A query assembled with + or fmt.Sprintf lets data change the SQL itself. This covers database/sql, sqlx, pgx and GORM's raw-SQL methods (Raw, Where, Order, ...).",
      suggestion='Pass values as arguments with placeholders: db.Query("... WHERE id = $1", id).',
      bad='rows, err := db.Query("SELECT * FROM users WHERE name = \'" + name + "\'")',
      good='rows, err := db.Query("SELECT * FROM users WHERE name = $1", name)',
      refine=_sql, external=("gosec G201", "gosec G202")),
    # --- weak cryptography ------------------------------------------------------------------------
    R(id="EL-GO-WEAK-HASH", name="go-weak-hash", cwe=(327, 328), level="warning", security_severity=5.9,
      names=("crypto/md5.New", "crypto/md5.Sum", "crypto/sha1.New", "crypto/sha1.Sum", "golang.org/x/crypto/md4.New",
             "golang.org/x/crypto/ripemd160.New"),
      short="MD5 and SHA-1 are broken for security use",
      full="Collisions for MD4, MD5, RIPEMD-160 and SHA-1 are practical or near; they must not protect integrity, signatures or passwords.",
      suggestion="Use crypto/sha256 (or sha512); for passwords use bcrypt, scrypt or argon2.",
      bad="sum := md5.Sum(password)", good="sum := sha256.Sum256(data)", external=("gosec G401", "gosec G406")),
    R(id="EL-GO-WEAK-CIPHER", name="go-weak-cipher", cwe=(327,), level="warning", security_severity=7.5,
      names=("crypto/des.NewCipher", "crypto/des.NewTripleDESCipher", "crypto/rc4.NewCipher",
             "golang.org/x/crypto/blowfish.NewCipher", "golang.org/x/crypto/cast5.NewCipher",
             "golang.org/x/crypto/tea.NewCipher", "golang.org/x/crypto/xtea.NewCipher"),
      short="a broken or weak cipher",
      full="DES, 3DES, RC4, Blowfish, CAST5, TEA and XTEA are broken or have blocks too small for modern use.",
      suggestion="Use AES-GCM (crypto/aes with cipher.NewGCM) or golang.org/x/crypto/chacha20poly1305.",
      bad="block, err := des.NewCipher(key)", good="block, err := aes.NewCipher(key)", external=("gosec G405",)),
    R(id="EL-GO-MATH-RAND", name="go-math-rand", cwe=(330, 338), level="note", security_severity=3.7,
      names=tuple(f"math/rand.{f}" for f in _RAND) + tuple(f"math/rand/v2.{f}" for f in _RAND_V2),
      short="math/rand is not suitable for security",
      full="math/rand's generators are predictable; tokens, keys and nonces made with them can be guessed. Reported wherever used, as the purpose is not visible here.",
      suggestion="Use crypto/rand (rand.Read, rand.Text) for anything security-related.",
      bad="token := rand.Int63()", good='token := make([]byte, 16)\n_, err := cryptorand.Read(token)',
      precision="low", external=("gosec G404",)),
    # --- web ----------------------------------------------------------------------------------------
    R(id="EL-GO-TEMPLATE-UNESCAPED", name="go-html-template-unescaped", cwe=(79,), level="warning",
      security_severity=6.1,
      names=tuple(f"html/template.{t}" for t in ("HTML", "HTMLAttr", "JS", "JSStr", "CSS", "URL", "Srcset")),
      short="html/template escaping bypassed for a value chosen at run time",
      full="Converting a string to template.HTML, JS, URL (or another trusted type) tells html/template not to escape it; if the string contains user data, that is cross-site scripting.",
      suggestion="Pass plain strings to the template and let it escape them; convert only constants.",
      bad="out := template.HTML(comment)", good='out := template.HTML("<br>")',
      refine=when(lambda s: not s.is_literal(0), "warning"), external=("gosec G203",)),
    # --- files and TLS ------------------------------------------------------------------------------
    R(id="EL-GO-WORLD-WRITABLE", name="go-world-writable-file-mode", cwe=(732,), level="warning",
      security_severity=5.3, names=tuple(_MODE_ARG),
      short="file or directory mode writable by every user",
      full="A mode with the other-write bit lets any local user change the file. Chmod sets it as given; the umask (usually 022) narrows creation modes, so those are notes.",
      suggestion="Use 0600/0644 for files and 0700/0755 for directories.",
      bad="err := os.Chmod(path, 0777)", good="err := os.Chmod(path, 0600)",
      refine=_world_writable, external=("gosec G302", "gosec G306", "gosec G301")),
    R(id="EL-GO-TLS-SKIP-VERIFY", name="go-tls-insecure-skip-verify", names=("crypto/tls.Config",), kind="new",
      cwe=(295,), level="warning", security_severity=7.4, short="TLS configuration skips certificate verification",
      full="InsecureSkipVerify: true accepts any certificate for any host, so the connection can be intercepted.",
      suggestion="Keep verification on; trust a private CA through RootCAs instead.",
      bad="cfg := &tls.Config{InsecureSkipVerify: true}", good="cfg := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}",
      refine=when(_skip_verify, "warning"), external=("gosec G402",)),
    R(id="EL-GO-TLS-SKIP-VERIFY-SET", name="go-tls-insecure-skip-verify-assignment", names=("*.InsecureSkipVerify",),
      kind="assign", cwe=(295,), level="warning", security_severity=7.4,
      short="TLS certificate verification turned off on a configuration",
      full="Setting InsecureSkipVerify to true accepts any certificate for any host, so the connection can be intercepted.",
      suggestion="Keep verification on; trust a private CA through RootCAs instead.",
      bad="cfg := &tls.Config{}\ncfg.InsecureSkipVerify = true", good="cfg := &tls.Config{}\ncfg.RootCAs = pool",
      refine=when(lambda s: s.arg(0) is not None and s.arg(0).text == "true", "warning"),  # type: ignore[union-attr]
      external=("gosec G402",)),
    R(id="EL-GO-SSH-INSECURE-HOST-KEY", name="go-ssh-insecure-host-key", cwe=(322,), level="warning",
      security_severity=7.4, names=("golang.org/x/crypto/ssh.InsecureIgnoreHostKey",),
      short="SSH client accepts any host key",
      full="ssh.InsecureIgnoreHostKey accepts every server key, so anyone in the path can impersonate the server.",
      suggestion="Check keys with ssh.FixedHostKey or golang.org/x/crypto/ssh/knownhosts.",
      bad="cfg := &ssh.ClientConfig{HostKeyCallback: ssh.InsecureIgnoreHostKey()}",
      good="cfg := &ssh.ClientConfig{HostKeyCallback: ssh.FixedHostKey(hostKey)}", external=("gosec G106",)),
)
