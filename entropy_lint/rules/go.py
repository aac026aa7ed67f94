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

from entropy_lint.rules.base import Rule
from entropy_lint.rules.go_refine import (
    MODE_ARG,
    RAND,
    RAND_V2,
    SQL_METHODS,
    exec_argv,
    exec_command,
    set_true,
    skip_verify,
    sql_query,
    world_writable,
)
from entropy_lint.rules.refine import random_for_secrets, weak_digest_outcome, when
from entropy_lint.rules.templates import FixTemplate

R = functools.partial(Rule, languages=("go",))

RULES: tuple[Rule, ...] = (
    # --- command execution -------------------------------------------------------------------
    R(id="EL-GO-EXEC-COMMAND", name="go-exec-command", level="error",  # sh -c with a built string; a run-time program is a warning, other vectors dropped
      names=("os/exec.Command", "os/exec.CommandContext", "golang.org/x/sys/execabs.Command",
                                                 "golang.org/x/sys/execabs.CommandContext"),
      cwe=(78,), security_severity=9.8, short="exec.Command runs a shell or a program chosen at run time",
      full="exec.Command does not use a shell, unless the program is one: sh -c (or cmd /c) interprets its command string, so metacharacters in an interpolated value run further commands. A program name chosen at run time runs whatever it names.",
      suggestion="Run the program itself with separate arguments; never build a shell command string from input.",
      bad='cmd := exec.Command("sh", "-c", "tar xf "+archive)',
      good='cmd := exec.Command("tar", "xf", archive)',
      refine=exec_command, external=("gosec G204",),
      fixes=(FixTemplate("the program and its arguments, without a shell", "review", call="{callee}({words:2})", when=("named:Command", "args:3", "literal:0", "literal:1")),)),
    R(id="EL-GO-SYSCALL-EXEC", name="go-syscall-exec", level="error",  # as exec.Command
      cwe=(78,), security_severity=9.8,
      names=("syscall.Exec", "syscall.ForkExec", "syscall.StartProcess", "os.StartProcess",
             "golang.org/x/sys/unix.Exec"),
      short="a process started with a shell command string or a program chosen at run time",
      full="These start the program at the given path with the argument vector as written; a shell there with -c interprets its command string, and a program path from input runs whatever it names.",
      suggestion="Use a fixed program path and pass data as separate arguments.",
      bad='syscall.Exec("/bin/sh", []string{"sh", "-c", userCmd}, os.Environ())',
      good='syscall.Exec("/usr/bin/git", []string{"git", "status"}, os.Environ())',
      refine=exec_argv, external=("gosec G204",)),
    # --- SQL ------------------------------------------------------------------------------------
    R(id="EL-GO-SQL", name="go-sql-string", level="error",  # data changes the query; only queries built from strings are reported
      names=tuple(f"*.{m}" for m in SQL_METHODS), cwe=(89,),
      security_severity=9.8, short="SQL built from strings is passed to a query",
      full="A query assembled with + or fmt.Sprintf lets data change the SQL itself. This covers database/sql, sqlx, pgx and GORM's raw-SQL methods (Raw, Where, Order, ...).",
      suggestion='Pass values as arguments with placeholders: db.Query("... WHERE id = $1", id).',
      bad='rows, err := db.Query("SELECT * FROM users WHERE name = \'" + name + "\'")',
      good='rows, err := db.Query("SELECT * FROM users WHERE name = $1", name)',
      refine=sql_query, external=("gosec G201", "gosec G202"),
      fixes=(FixTemplate("query parameters: values never become SQL", "safe", arg=(0, "{sql:0}"), when=("named:Query|QueryRow|Exec", "args:1")),)),
    # --- weak cryptography ------------------------------------------------------------------------
    R(id="EL-GO-WEAK-HASH", name="go-weak-hash", level="warning",  # broken for security, fine for checksums
      cwe=(327, 328), security_severity=5.9,
      names=("crypto/md5.New", "crypto/md5.Sum", "crypto/sha1.New", "crypto/sha1.Sum", "golang.org/x/crypto/md4.New",
             "golang.org/x/crypto/ripemd160.New"),
      short="MD5 and SHA-1 are broken for security use",
      full="Collisions for MD4, MD5, RIPEMD-160 and SHA-1 are practical or near; they must not protect integrity, signatures or passwords.",
      suggestion="Use crypto/sha256 (or sha512); for passwords use bcrypt, scrypt or argon2.",
      bad="sum := md5.Sum(password)", good="sum := sha256.Sum256(data)", external=("gosec G401", "gosec G406"),
      refine=weak_digest_outcome,
      fixes=(FixTemplate("SHA-256 (a different digest and size)", "review", call="sha256.Sum256({*})", when=("named:Sum",), imports=("crypto/sha256",)),
             FixTemplate("SHA-256 (a different digest)", "review", call="sha256.New()", when=("named:New", "bare"), imports=("crypto/sha256",)))),
    R(id="EL-GO-WEAK-CIPHER", name="go-weak-cipher", level="warning",  # broken or weak; matters only for real secrets
      cwe=(327,), security_severity=7.5,
      names=("crypto/des.NewCipher", "crypto/des.NewTripleDESCipher", "crypto/rc4.NewCipher",
             "golang.org/x/crypto/blowfish.NewCipher", "golang.org/x/crypto/cast5.NewCipher",
             "golang.org/x/crypto/tea.NewCipher", "golang.org/x/crypto/xtea.NewCipher"),
      short="a broken or weak cipher",
      full="DES, 3DES, RC4, Blowfish, CAST5, TEA and XTEA are broken or have blocks too small for modern use.",
      suggestion="Use AES-GCM (crypto/aes with cipher.NewGCM) or golang.org/x/crypto/chacha20poly1305.",
      bad="block, err := des.NewCipher(key)", good="block, err := aes.NewCipher(key)", external=("gosec G405",)),
    R(id="EL-GO-MATH-RAND", name="go-math-rand", level="warning",  # only where the value is named like a secret
      cwe=(330, 338), security_severity=3.7,
      names=tuple(f"math/rand.{f}" for f in RAND) + tuple(f"math/rand/v2.{f}" for f in RAND_V2),
      short="math/rand is not suitable for security",
      full="math/rand's generators are predictable; tokens, keys and nonces made with them can be guessed. Reported wherever used, as the purpose is not visible here.",
      suggestion="Use crypto/rand (rand.Read, rand.Text) for anything security-related.",
      bad="token := rand.Int63()", good='token := make([]byte, 16)\n_, err := cryptorand.Read(token)',
      refine=random_for_secrets, precision="low", external=("gosec G404",)),
    # --- web ----------------------------------------------------------------------------------------
    R(id="EL-GO-TEMPLATE-UNESCAPED", name="go-html-template-unescaped", level="warning",  # cross-site scripting if user text is inside; constants are not reported
      cwe=(79,), security_severity=6.1,
      names=tuple(f"html/template.{t}" for t in ("HTML", "HTMLAttr", "JS", "JSStr", "CSS", "URL", "Srcset")),
      short="html/template escaping bypassed for a value chosen at run time",
      full="Converting a string to template.HTML, JS, URL (or another trusted type) tells html/template not to escape it; if the string contains user data, that is cross-site scripting.",
      suggestion="Pass plain strings to the template and let it escape them; convert only constants.",
      bad="out := template.HTML(comment)", good='out := template.HTML("<br>")',
      refine=when(lambda s: not s.is_literal(0), "warning"), external=("gosec G203",)),
    # --- files and TLS ------------------------------------------------------------------------------
    R(id="EL-GO-WORLD-WRITABLE", name="go-world-writable-file-mode", level="warning",  # any local user can change the file; creation modes pass the umask and are notes
      cwe=(732,), security_severity=5.3, names=tuple(MODE_ARG),
      short="file or directory mode writable by every user",
      full="A mode with the other-write bit lets any local user change the file. Chmod sets it as given; the umask (usually 022) narrows creation modes, so those are notes.",
      suggestion="Use 0600/0644 for files and 0700/0755 for directories.",
      bad="err := os.Chmod(path, 0777)", good="err := os.Chmod(path, 0600)",
      refine=world_writable, external=("gosec G302", "gosec G306", "gosec G301"),
      fixes=(FixTemplate("no write permission for others", "review", arg=(1, "{mode:1}"), when=("named:Chmod|Mkdir|MkdirAll",)),
             FixTemplate("no write permission for others", "review", arg=(2, "{mode:2}"), when=("named:WriteFile|OpenFile",)))),
    R(id="EL-GO-TLS-SKIP-VERIFY", name="go-tls-insecure-skip-verify", level="warning",  # interception is possible; often deliberate in tests and tools
      names=("crypto/tls.Config",), kind="new",
      cwe=(295,), security_severity=7.4, short="TLS configuration skips certificate verification",
      full="InsecureSkipVerify: true accepts any certificate for any host, so the connection can be intercepted.",
      suggestion="Keep verification on; trust a private CA through RootCAs instead.",
      bad="cfg := &tls.Config{InsecureSkipVerify: true}", good="cfg := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}",
      refine=when(skip_verify, "warning"), external=("gosec G402",),
      fixes=(FixTemplate("certificates checked (InsecureSkipVerify removed)", "review", drop_key="InsecureSkipVerify"),)),
    R(id="EL-GO-TLS-SKIP-VERIFY-SET", name="go-tls-insecure-skip-verify-assignment", level="warning",  # interception is possible; often deliberate in tests and tools
      names=("*.InsecureSkipVerify",),
      kind="assign", cwe=(295,), security_severity=7.4,
      short="TLS certificate verification turned off on a configuration",
      full="Setting InsecureSkipVerify to true accepts any certificate for any host, so the connection can be intercepted.",
      suggestion="Keep verification on; trust a private CA through RootCAs instead.",
      bad="cfg := &tls.Config{}\ncfg.InsecureSkipVerify = true", good="cfg := &tls.Config{}\ncfg.RootCAs = pool",
      refine=when(set_true, "warning"),
      external=("gosec G402",)),
    R(id="EL-GO-SSH-INSECURE-HOST-KEY", name="go-ssh-insecure-host-key", level="warning",  # server impersonation is possible; often deliberate in tests
      cwe=(322,), security_severity=7.4, names=("golang.org/x/crypto/ssh.InsecureIgnoreHostKey",),
      short="SSH client accepts any host key",
      full="ssh.InsecureIgnoreHostKey accepts every server key, so anyone in the path can impersonate the server.",
      suggestion="Check keys with ssh.FixedHostKey or golang.org/x/crypto/ssh/knownhosts.",
      bad="cfg := &ssh.ClientConfig{HostKeyCallback: ssh.InsecureIgnoreHostKey()}",
      good="cfg := &ssh.ClientConfig{HostKeyCallback: ssh.FixedHostKey(hostKey)}", external=("gosec G106",)),
)
