"""C and C++ rules: Flawfinder's POSIX functions of risk level 3 and above, plus weak hashes and SQL.

Levels: ``error`` where input plausibly reaches command execution or overflows a buffer with no
way to use the call safely (gets, scanf's bare %s); ``warning`` where safety depends on the data
(a copy whose source may be longer than the destination, a format string that is not a
constant); ``note`` for context-dependent weaknesses (rand(), getenv(), chroot()). Flawfinder's
own refinements carry over: a constant source or command lowers the level, a constant format
with no unbounded %s is not reported, and printf-style calls are findings only when the format
is not a constant. "Constant" is what the extractor's value analysis proves: literals, constant
macros, and variables whose every write in the file is a constant. The comment on each row says
why it is at its level; the refine hooks are in ``c_refine``.
"""

from __future__ import annotations

import functools

from entropy_lint.rules import c_refine as refine
from entropy_lint.rules.base import Rule
from entropy_lint.rules.refine import constant_or, random_for_secrets
from entropy_lint.rules.templates import FixTemplate

R = functools.partial(Rule, languages=("c", "cpp"))

RULES: tuple[Rule, ...] = (
    # --- buffer overflows ------------------------------------------------------------------------
    # warning: overflows only when the source outgrows the buffer, which depends on the data; a constant
    # source is a note, and nothing when it provably fits the declared buffer
    R(id="EL-C-STRCPY", name="c-strcpy", cwe=(120,), level="warning", security_severity=8.1,
      names=("strcpy",  # Flawfinder 4: no bound at all; a constant source lowers it (c_buffer)
             "wcscpy",  # Flawfinder 4: the wide-character strcpy
             "stpcpy", "wcpcpy"),  # POSIX 2008 strcpy returning the end: not in Flawfinder, same copy
      short="string copy with no bound on the destination",
      full="strcpy-style copies write until the source's terminating NUL, whatever the size of the destination; a source longer than the buffer overflows it.",
      suggestion="Use snprintf(dst, sizeof dst, \"%s\", src) or strlcpy, and check for truncation.",
      bad="void f(char *s) { char buf[16]; strcpy(buf, s); }",
      good="void f(char *s) { char buf[16]; snprintf(buf, sizeof buf, \"%s\", s); }",
      refine=refine.copy, external=("Flawfinder strcpy", "Flawfinder wcscpy"),
      fixes=(FixTemplate("snprintf bounded by the array's size", "safe", call='snprintf({0}, sizeof {0}, "%s", {1})', when=("named:strcpy", "args:2", "array:0", "unused"), imports=("<stdio.h>",)),
             FixTemplate("strlcpy bounded by the array's size", "safe", call="strlcpy({0}, {1}, sizeof {0})", when=("named:strcpy", "args:2", "array:0", "unused", "mentions:strlcpy")))),
    # warning: as strcpy, and the destination's current length adds to it; a constant source is a note
    R(id="EL-C-STRCAT", name="c-strcat", cwe=(120,), level="warning", security_severity=8.1,
      names=("strcat",  # Flawfinder 4: appends with no bound; a constant source lowers it (c_buffer)
             "wcscat"),  # Flawfinder 4: the wide-character strcat
      short="string concatenation with no bound on the destination",
      full="strcat appends the whole source after the destination's current contents; nothing stops it at the end of the buffer.",
      suggestion="Use strlcat, or snprintf into the remaining space, and check for truncation.",
      bad="void f(char *s) { char buf[64] = \"dir/\"; strcat(buf, s); }",
      good="void f(char *s) { char buf[64]; snprintf(buf, sizeof buf, \"dir/%s\", s); }",
      refine=refine.copy, external=("Flawfinder strcat", "Flawfinder wcscat"),
      fixes=(FixTemplate("snprintf into the room left in the array", "safe", call='snprintf({0} + strlen({0}), sizeof {0} - strlen({0}), "%s", {1})', when=("named:strcat", "args:2", "array:0", "unused"), imports=("<stdio.h>", "<string.h>")),
             FixTemplate("strncat bounded by the room left in the array", "safe", call="strncat({0}, {1}, sizeof {0} - strlen({0}) - 1)", when=("named:strcat", "args:2", "array:0"), imports=("<string.h>",)),
             FixTemplate("strlcat bounded by the array's size", "safe", call="strlcat({0}, {1}, sizeof {0})", when=("named:strcat", "args:2", "array:0", "unused", "mentions:strlcat")))),
    # warning, and only when the bound is the whole buffer: that overflows once the destination is not empty
    R(id="EL-C-STRNCAT", name="c-strncat-whole-buffer", cwe=(120, 193), level="warning", security_severity=7.5,
      names=("strncat", "wcsncat"),  # Flawfinder 1, raised to 5 when the bound is sizeof(dst) or a SIZE constant
      short="strncat bounded by the whole buffer instead of the room left in it",
      full="strncat's bound is the number of characters to append, not the destination size; passing sizeof(dst) or a buffer-size constant overflows as soon as the destination is not empty, and leaves no room for the NUL.",
      suggestion="Pass sizeof(dst) - strlen(dst) - 1, or use strlcat(dst, src, sizeof dst).",
      bad="void f(char *s) { char buf[64] = \"x\"; strncat(buf, s, sizeof(buf)); }",
      good="void f(char *s) { char buf[64] = \"x\"; strncat(buf, s, sizeof(buf) - strlen(buf) - 1); }",
      refine=refine.strncat, precision="medium", external=("Flawfinder strncat",),
      fixes=(FixTemplate("bound by the room left in the array", "safe", arg=(2, "sizeof {0} - strlen({0}) - 1"), when=("named:strncat", "args:3", "array:0"), imports=("<string.h>",)),)),
    # error: no safe use; any long enough input line overflows
    R(id="EL-C-GETS", name="c-gets", cwe=(242, 120), level="error", security_severity=9.8,
      names=("gets",),  # Flawfinder 5: cannot be used safely; removed from C11
      short="gets() reads a line of any length into a fixed buffer",
      full="gets() has no way to know the buffer's size, so any input line longer than the buffer overflows it; it was removed from the C standard for that reason.",
      suggestion="Use fgets(buf, sizeof buf, stdin) or getline().",
      bad="void f(void) { char line[80]; gets(line); }",
      good="void f(void) { char line[80]; fgets(line, sizeof line, stdin); }",
      external=("Flawfinder gets",),
      fixes=(FixTemplate("fgets bounded by the array's size, newline removed as gets did", "safe", call='(fgets({0}, sizeof {0}, stdin) ? ({0}[strcspn({0}, "\\n")] = \'\\0\', {0}) : NULL)', when=("args:1", "array:0"), imports=("<stdio.h>", "<string.h>")),
             FixTemplate("fgets bounded by the array's size (keeps the newline)", "review", call="fgets({0}, sizeof {0}, stdin)", when=("args:1", "array:0"), imports=("<stdio.h>",)))),
    # warning: overflows only when the %s data is long; a constant format with no unbounded %s is not reported
    R(id="EL-C-SPRINTF", name="c-sprintf", cwe=(120, 134), level="warning", security_severity=8.1,
      names=("sprintf", "vsprintf"),  # Flawfinder 4; lower with a constant format without %s (c_sprintf)
      short="sprintf into a buffer with no size limit",
      full="sprintf and vsprintf write however many characters the format produces; a %s (or any conversion whose output length is not fixed) can run past the buffer. A format that is not a constant is also a format-string risk.",
      suggestion="Use snprintf(buf, sizeof buf, ...) and check its return value for truncation.",
      bad="void f(char *name) { char buf[32]; sprintf(buf, \"hello %s\", name); }",
      good="void f(char *name) { char buf[32]; snprintf(buf, sizeof buf, \"hello %s\", name); }",
      refine=refine.sprintf, external=("Flawfinder sprintf", "Flawfinder vsprintf"),
      fixes=(FixTemplate("snprintf bounded by the array's size", "safe", call="snprintf({0}, sizeof {0}, {1*})", when=("named:sprintf", "args:2+", "array:0")),
             FixTemplate("vsnprintf bounded by the array's size", "safe", call="vsnprintf({0}, sizeof {0}, {1*})", when=("named:vsprintf", "args:3", "array:0")))),
    # error: a bare %s overflows on any long enough input and cannot be called safely; from a string, a warning
    R(id="EL-C-SCANF", name="c-scanf-unbounded", cwe=(120, 20), level="error", security_severity=8.8,
      names=tuple(refine.SCANF_FORMAT),  # Flawfinder 4: only a %s or %[ with no width (c_scanf)
      short="scanf-family %s or %[ with no width overflows the buffer",
      full="A %s or %[ conversion without a maximum field width stores as many characters as the input holds; input longer than the buffer overflows it. Reading from a string is a warning: the source bounds the length. A format that is not a constant is a format-string risk.",
      suggestion="Give every %s a width one less than the buffer (\"%63s\" for char[64]), or use %ms and free the result.",
      bad="void f(void) { char name[64]; scanf(\"%s\", name); }",
      good="void f(void) { char name[64]; scanf(\"%63s\", name); }",
      refine=refine.scanf, external=("Flawfinder scanf", "Flawfinder fscanf", "Flawfinder sscanf")),
    # warning: the output can reach four times the source; safe only with a destination sized for that
    R(id="EL-C-STRECPY", name="c-strecpy", cwe=(120,), level="warning", security_severity=7.5,
      names=("streadd", "strecpy",  # Flawfinder 4: escaping can expand the source up to four times
             "strtrns"),  # Flawfinder 3: the output is as long as the source, not the destination
      short="copy function whose output can exceed the destination",
      full="streadd and strecpy expand escape sequences (up to four output bytes per input byte) and strtrns writes as much as the source holds; none of them knows the destination's size.",
      suggestion="Make the destination four times the source plus one, or use an allocating routine such as g_strescape().",
      bad="void f(char *s) { char out[32]; strecpy(out, s, NULL); }",
      good="void f(const char *s) { char *out = g_strescape(s, NULL); g_free(out); }",
      external=("Flawfinder strecpy", "Flawfinder strtrns")),
    # warning: overflows only when the result outgrows the buffer; realpath's and getwd's buffers of
    # PATH_MAX bytes or more, and realpath's NULL, are not reported
    R(id="EL-C-UNSIZED-BUFFER", name="c-unsized-buffer", cwe=(120, 785), level="warning", security_severity=7.5,
      names=("realpath",  # Flawfinder 3: writes up to PATH_MAX bytes; a NULL buffer allocates instead
             "getwd",  # Flawfinder 3: no size argument at all; getcwd has one
             "getpw"),  # Flawfinder 4: copies a passwd line of unknown length into the buffer
      short="a path or account string written into a buffer of unchecked size",
      full="These functions are not told the destination's size; they write as much as the path or passwd entry needs, which some implementations do not even bound by PATH_MAX.",
      suggestion="Use realpath(path, NULL) and free the result, getcwd(buf, sizeof buf), or getpwuid().",
      bad="void f(const char *p) { char out[256]; realpath(p, out); }",
      good="void f(const char *p) { char *out = realpath(p, NULL); free(out); }",
      refine=refine.unsized_buffer, external=("Flawfinder realpath", "Flawfinder getwd", "Flawfinder getpw"),
      fixes=(FixTemplate("getcwd bounded by the array's size", "safe", call="getcwd({0}, sizeof {0})", when=("named:getwd", "args:1", "array:0"), imports=("<unistd.h>",)),)),
    # note: only some old implementations overflow
    R(id="EL-C-GETOPT", name="c-getopt", cwe=(120, 20), level="note", security_severity=3.7,
      names=("getopt", "getopt_long"),  # Flawfinder 3: some old implementations overflow internally
      short="getopt overflows internal buffers in some old implementations",
      full="Some older getopt implementations copy arguments into fixed internal buffers; a long command-line argument to a privileged program could overflow them.",
      suggestion="Check the platform's implementation, or reject over-long arguments before parsing.",
      bad="int main(int argc, char **argv) { int c = getopt(argc, argv, \"ab:\"); return c; }",
      good="int main(int argc, char **argv) { return argp_parse(&argp, argc, argv, 0, NULL, NULL); }",
      precision="low", external=("Flawfinder getopt",)),
    # --- format strings ----------------------------------------------------------------------------
    # warning: exploitable only when the format carries outside data; a forwarded format is a note
    R(id="EL-C-FORMAT", name="c-format-string", cwe=(134,), level="warning", security_severity=8.1,
      names=tuple(refine.PRINTF_FORMAT),  # Flawfinder 4, only when the format is not a constant (c_printf)
      short="format string that is not a constant",
      full="When the format argument can contain data from outside, directives such as %s and %n in it read and write memory the caller never passed; a string printed as a format also garbles any % it contains.",
      suggestion="Use a constant format: printf(\"%s\", msg) instead of printf(msg).",
      bad="void f(const char *msg) { printf(msg); }",
      good="void f(const char *msg) { printf(\"%s\", msg); }",
      refine=refine.printf, external=("Flawfinder printf", "Flawfinder fprintf", "Flawfinder syslog", "Flawfinder snprintf"),
      fixes=(FixTemplate("a constant format", "safe", call='printf("%s", {0})', when=("named:printf", "args:1", "nonliteral:0")),
             FixTemplate("a constant format", "safe", call='{name}({0}, "%s", {1})', when=("named:fprintf|dprintf|syslog", "args:2", "nonliteral:1")))),
    # --- command execution -------------------------------------------------------------------------
    # error: a shell runs whatever the command string says; a constant command is a note
    R(id="EL-C-SYSTEM", name="c-system", cwe=(78,), level="error", security_severity=9.8,
      names=("system",  # Flawfinder 4: runs /bin/sh -c; a constant command lowers it to note
             "popen"),  # Flawfinder 4: the same shell, with a pipe
      short="command run through a shell",
      full="system() and popen() hand the whole string to /bin/sh; shell metacharacters in any part built from input run arbitrary commands.",
      suggestion="fork() and execv() the program with an argument vector, or posix_spawn(); never build shell strings from input.",
      bad="void f(const char *file) { char cmd[256]; snprintf(cmd, sizeof cmd, \"lpr %s\", file); system(cmd); }",
      good="void f(const char *file) { if (fork() == 0) execlp(\"lpr\", \"lpr\", \"--\", file, (char *)NULL); }",
      refine=constant_or(0, "note", "error", "constant command string"),
      external=("Flawfinder system", "Flawfinder popen")),
    # error for sh -c with a command built at run time; a program path that is not a constant is a warning
    R(id="EL-C-EXEC", name="c-exec", cwe=(78, 426), level="error", security_severity=8.1,
      names=("execl", "execlp", "execle", "execv", "execvp",  # Flawfinder 4: run whatever the path names
             "execve", "execvpe"),  # not in Flawfinder's list, same family
      short="a program run from a path that is not a constant, or a shell -c",
      full="The exec family replaces the process with the program the path names. With a constant path and no shell, the arguments cannot inject commands, so that is not reported; a path built from input, or /bin/sh -c with a command that is not a constant, runs whatever the input says.",
      suggestion="Run a fixed absolute path and pass input only as separate arguments, never through sh -c.",
      bad="void f(const char *prog, char **argv) { execvp(prog, argv); }",
      good="void f(char **argv) { execv(\"/usr/bin/convert\", argv); }",
      refine=refine.exec_, precision="medium", external=("Flawfinder execl", "Flawfinder execvp")),
    # --- races on file names -------------------------------------------------------------------------
    # warning: the race needs an attacker who can change the path between check and use
    R(id="EL-C-ACCESS", name="c-access-race", cwe=(367,), level="warning", security_severity=6.3,
      names=("access",  # Flawfinder 4: check-then-use on a name; the file can change in between
             "euidaccess", "eaccess"),  # glibc's effective-id access(): the same race
      short="access() checks a file name that can change before it is used",
      full="Between access() and the later open(), an attacker who can write to any directory on the path can swap the file for a symlink, so the check says nothing about the file actually opened.",
      suggestion="Drop privileges (seteuid) and open the file directly, then check the open descriptor with fstat().",
      bad="void f(const char *p) { if (access(p, W_OK) == 0) { FILE *fp = fopen(p, \"w\"); fclose(fp); } }",
      good="void f(const char *p) { int fd = open(p, O_WRONLY | O_NOFOLLOW); close(fd); }",
      external=("Flawfinder access",)),
    # warning: the same race, on the call that acts on the name
    R(id="EL-C-PATH-RACE", name="c-path-race", cwe=(362, 367), level="warning", security_severity=6.3,
      names=("chmod", "chown", "chgrp",  # Flawfinder 5: follow a name an attacker may swap; use the f- versions
             "lchown",  # the same by-name race on the link itself; not in Flawfinder
             "readlink"),  # Flawfinder 5: the link can change, and the result is not NUL-terminated
      short="file operation by name, open to a race with whoever can rename the file",
      full="These calls resolve the path again each time; if an attacker can move files or plant symlinks along it, the permissions or owner change applies to a file of their choosing (readlink also leaves its result unterminated).",
      suggestion="Open the file once and use fchmod()/fchown() on the descriptor; terminate readlink's result yourself.",
      bad="void f(const char *p) { chmod(p, 0644); }",
      good="void f(int fd) { fchmod(fd, 0644); }",
      refine=refine.by_name, precision="medium",
      external=("Flawfinder chmod", "Flawfinder chown", "Flawfinder readlink")),
    # warning: a race with anyone who can create files in the temporary folder
    R(id="EL-C-TMPNAM", name="c-temp-file-name", cwe=(377,), level="warning", security_severity=5.5,
      names=("mktemp",  # Flawfinder 4: returns a name, creates nothing
             "tmpnam", "tmpnam_r", "tempnam"),  # Flawfinder 3: the same race
      short="a temporary file name that another process can claim first",
      full="These functions return a name without creating the file; an attacker can create it, or a symlink with that name, before the program opens it.",
      suggestion="Use mkstemp() (or mkdtemp()), which creates the file with O_EXCL and returns its descriptor.",
      bad="void f(void) { char *name = tmpnam(NULL); FILE *fp = fopen(name, \"w\"); fclose(fp); }",
      good="void f(void) { char name[] = \"/tmp/appXXXXXX\"; int fd = mkstemp(name); close(fd); }",
      external=("Flawfinder mktemp", "Flawfinder tmpnam")),
    # --- privileges, identity, environment -------------------------------------------------------------
    # note: a weakness only when the steps that make it a jail are missing
    R(id="EL-C-CHROOT", name="c-chroot", cwe=(250, 22), level="note", security_severity=4.3,
      names=("chroot",),  # Flawfinder 3: useful, but easy to leave a way out
      short="chroot() without the steps that make it a jail",
      full="A chroot confines nothing unless the program immediately chdir(\"/\"), closes descriptors that point outside, and drops root; otherwise the process can walk out of it.",
      suggestion="Follow chroot() with chdir(\"/\"), close stray descriptors and drop privileges with setgid()/setuid(); or confine with namespaces.",
      bad="void f(const char *dir) { chroot(dir); }",
      good="void f(void) { unshare(CLONE_NEWNS | CLONE_NEWUSER); }",
      precision="low", external=("Flawfinder chroot",)),
    # note: the environment is hostile only in privileged programs and services
    R(id="EL-C-GETENV", name="c-getenv", cwe=(807, 20), level="note", security_severity=3.7,
      names=("getenv", "curl_getenv",  # Flawfinder 3: whoever starts the program sets the environment
             "g_get_home_dir", "g_get_tmp_dir"),  # Flawfinder 3: GLib's getenv("HOME") and getenv("TMP")
      short="environment variable read as trusted input",
      full="Environment variables are set by whoever runs the program; in a setuid program or a service they can hold anything, of any length.",
      suggestion="Use secure_getenv() in privileged code, and check length and content before use.",
      bad="void f(void) { char buf[256]; strncpy(buf, getenv(\"HOME\"), sizeof buf); }",
      good="void f(void) { const char *home = secure_getenv(\"HOME\"); (void)home; }",
      precision="low", external=("Flawfinder getenv",), refine=refine.environment_read,
      fixes=(FixTemplate("secure_getenv: empty in setuid programs (GNU)", "review", name="secure_getenv", when=("named:getenv",)),)),
    # warning: the answer is easy to spoof, and it is read to make decisions about users
    R(id="EL-C-GETLOGIN", name="c-getlogin", cwe=(807,), level="warning", security_severity=5.3,
      names=("getlogin", "getlogin_r",  # Flawfinder 4 (getlogin): trusts utmp and the controlling tty
             "cuserid"),  # Flawfinder 4: ill-defined uid, and overflows a buffer under L_cuserid
      short="login name from a source that is easy to fool",
      full="getlogin() reports whoever owns the controlling terminal according to utmp, which need not be the user running the program; cuserid() is defined differently on different systems.",
      suggestion="Use getpwuid(geteuid()) and read pw_name.",
      bad="void f(void) { if (strcmp(getlogin(), \"root\") == 0) grant(); }",
      good="void f(void) { struct passwd *pw = getpwuid(geteuid()); (void)pw; }",
      external=("Flawfinder getlogin", "Flawfinder cuserid")),
    # note: obsolete and unportable rather than exploitable
    R(id="EL-C-GETPASS", name="c-getpass", cwe=(676, 120), level="note", security_severity=4.0,
      names=("getpass",),  # Flawfinder 4: obsolete; behaviour and buffer size vary by system
      short="getpass() is obsolete and unportable",
      full="getpass() was removed from POSIX; where it reads from and prints to varies between systems, some versions overflow, and the password stays in a static buffer.",
      suggestion="Turn off echo with tcsetattr() and read with fgets(); clear the buffer after use.",
      bad="void f(void) { char *pw = getpass(\"Password: \"); use(pw); }",
      good="void f(char *pw, size_t n) { fgets(pw, (int)n, stdin); }",
      external=("Flawfinder getpass",)),
    # --- weak cryptography and randomness ------------------------------------------------------------
    # note: matters only where the numbers protect something
    R(id="EL-C-RANDOM", name="c-insecure-random", cwe=(330, 338), level="warning", security_severity=3.7,
      names=("rand", "rand_r",  # not in Flawfinder's list: the C library's weakest generator
             "random", "srand", "srandom", "setstate",  # Flawfinder 3: predictable from few outputs
             "drand48", "erand48", "jrand48", "lcong48", "lrand48", "mrand48", "nrand48", "seed48",  # Flawfinder 3
             "strfry",  # Flawfinder 3: shuffles with a weak generator
             "g_rand_boolean", "g_rand_int", "g_rand_int_range", "g_rand_double", "g_rand_double_range",
             "g_random_boolean", "g_random_int", "g_random_int_range", "g_random_double",
             "g_random_double_range"),  # Flawfinder 3: GLib's Mersenne Twister
      short="a predictable random number generator",
      full="These generators are linear or Mersenne Twister generators; a few outputs reveal the state, so keys, tokens, nonces or salts made from them can be predicted.",
      suggestion="Use getrandom(), arc4random() or RAND_bytes() for anything security-related.",
      bad="unsigned token(void) { return (unsigned)rand(); }",
      good="unsigned token(void) { unsigned t; getrandom(&t, sizeof t, 0); return t; }",
      refine=random_for_secrets, precision="medium", external=("Flawfinder random", "Flawfinder srand", "Flawfinder drand48")),
    # warning: weak unless the salt selects a modern method, which is decided at run time
    R(id="EL-C-CRYPT", name="c-crypt", cwe=(327, 916), level="warning", security_severity=5.9,
      names=("crypt", "crypt_r"),  # Flawfinder 4: traditional DES crypt: 8 characters, 2-byte salt
      short="crypt() password hashing, weak unless a strong method is selected",
      full="Traditional crypt() hashes only the first 8 characters with a 12-bit salt and is fast to brute-force; whether a stronger method is used depends on the salt prefix passed at run time.",
      suggestion="Use crypt_gensalt(\"$y$\", ...) or \"$2b$\" salts explicitly, or a library for Argon2/scrypt.",
      bad="void f(const char *pw) { char *h = crypt(pw, \"ab\"); (void)h; }",
      good="void f(const char *pw, unsigned char *out) { PKCS5_PBKDF2_HMAC(pw, -1, salt, 16, 600000, EVP_sha256(), 32, out); }",
      precision="medium", external=("Flawfinder crypt",)),
    # warning: breakable with today's means wherever it protects data
    R(id="EL-C-WEAK-CIPHER", name="c-weak-cipher", cwe=(327, 326), level="warning", security_severity=7.5,
      names=("EVP_des_*", "EVP_desx_*",  # Flawfinder 4 (the single-DES ones): 56-bit keys; 3DES has 64-bit blocks
             "EVP_rc4", "EVP_rc4_*",  # Flawfinder 4 (EVP_rc4_40): RC4's keystream is biased
             "EVP_rc2_*",  # Flawfinder 4 (40- and 64-bit RC2): keys far too small
             "EVP_get_cipherbyname"),  # only when it names one of these ciphers
      short="a broken or weak cipher",
      full="DES keys are 56 bits, 3DES and RC2 have 64-bit blocks or small keys, and RC4's keystream is biased; all of them can be broken or distinguished with today's computers.",
      suggestion="Use AES-GCM (EVP_aes_256_gcm) or ChaCha20-Poly1305.",
      bad="const EVP_CIPHER *c(void) { return EVP_des_cbc(); }",
      good="const EVP_CIPHER *c(void) { return EVP_aes_256_gcm(); }",
      refine=refine.weak_cipher,
      external=("Flawfinder EVP_des_ecb", "Flawfinder EVP_rc4_40", "CodeQL cpp/weak-cryptographic-algorithm")),
    # warning: collisions are practical; harmless only where no one relies on them
    R(id="EL-C-WEAK-HASH", name="c-weak-hash", cwe=(327, 328), level="warning", security_severity=5.9,
      names=("MD5", "MD5_Init", "EVP_md5",  # not in Flawfinder: collisions are practical
             "MD4", "MD4_Init", "EVP_md4",  # older still
             "SHA1", "SHA1_Init", "EVP_sha1",  # collisions demonstrated (SHAttered)
             "EVP_get_digestbyname"),  # only when it names one of these digests
      short="MD5 and SHA-1 are broken for security use",
      full="Collisions for MD4, MD5 and SHA-1 are practical, so they must not protect integrity, signatures or passwords.",
      suggestion="Use SHA-256 or stronger (EVP_sha256), and a password hash (PBKDF2, scrypt, Argon2) for passwords.",
      bad="void f(const unsigned char *d, size_t n, unsigned char *out) { MD5(d, n, out); }",
      good="void f(const unsigned char *d, size_t n, unsigned char *out) { SHA256(d, n, out); }",
      refine=refine.weak_hash,
      fixes=(FixTemplate("SHA-256 (a different digest)", "review", name=(("EVP_md5", "EVP_sha256"), ("EVP_md4", "EVP_sha256"), ("EVP_sha1", "EVP_sha256"))),)),
    # --- SQL -----------------------------------------------------------------------------------------
    # warning: injection only when the query text carries input, which the call rarely shows (low precision)
    R(id="EL-C-SQL", name="c-sql-not-constant", cwe=(89,), level="warning", security_severity=8.8,
      names=tuple(refine.SQL_QUERY),  # not in Flawfinder; CodeQL's cpp/sql-injection in spirit
      short="SQL query text that is not a constant",
      full="The query passed to sqlite3_exec, mysql_query or PQexec is not a constant in the call. In C the string is usually assembled earlier with sprintf or strcat, which this check cannot see, so it reports every query that is not a literal and is of low precision; a query spliced from input lets data change the SQL.",
      suggestion="Prepare a constant query with placeholders and bind values (sqlite3_bind_*, PQexecParams with $1, mysql_stmt_bind_param).",
      bad="void f(sqlite3 *db, const char *sql) { sqlite3_exec(db, sql, 0, 0, 0); }",
      good="void f(sqlite3 *db) { sqlite3_exec(db, \"DELETE FROM cache\", 0, 0, 0); }",
      refine=refine.sql, precision="low", external=("CodeQL cpp/sql-injection",)),
    # --- Windows ---------------------------------------------------------------------------------------
    # note: before Windows Vista, a low-memory exception out of an initialisation that cannot fail
    # otherwise; an availability problem on old systems, not memory corruption
    R(id="EL-C-CRITICAL-SECTION", name="c-critical-section-init", cwe=(248, 400), level="note", security_severity=3.1,
      names=("InitializeCriticalSection",),  # Flawfinder 3; Vista and later never raise it
      short="an exception instead of an error when memory is low (Windows before Vista)",
      full="On Windows XP and Server 2003, InitializeCriticalSection raises STATUS_NO_MEMORY under low memory instead of returning an error, so a program that does not expect an exception there crashes; Vista and later no longer raise it.",
      suggestion="Use InitializeCriticalSectionAndSpinCount, which reports failure through its return value.",
      bad="CRITICAL_SECTION cs; void f(void) { InitializeCriticalSection(&cs); }",
      good="CRITICAL_SECTION cs; int f(void) { return InitializeCriticalSectionAndSpinCount(&cs, 4000) ? 0 : -1; }",
      precision="medium", external=("Flawfinder InitializeCriticalSection",)),
    # warning when the library's name is chosen at run time; note for a constant name without a full
    # path (a planted DLL along the search path is loaded instead); nothing for a full path or a
    # LOAD_LIBRARY_SEARCH_* flag
    R(id="EL-C-LOADLIBRARY", name="c-load-library-search-path", cwe=(427, 114), level="warning", security_severity=6.7,
      names=("LoadLibrary", "LoadLibraryA", "LoadLibraryW",  # Flawfinder 3: the DLL search path
             "LoadLibraryEx", "LoadLibraryExA", "LoadLibraryExW"),  # Flawfinder 3, unless a search flag is given
      short="a DLL loaded by name from the DLL search path",
      full="Given a name without a full path, LoadLibrary searches the program's folder, system folders, the current folder and PATH; whoever can write a DLL of that name to an earlier folder gets their code run. A name chosen at run time loads whatever it names.",
      suggestion="Pass a full path, or use LoadLibraryEx with LOAD_LIBRARY_SEARCH_SYSTEM32 (or another LOAD_LIBRARY_SEARCH_* flag).",
      bad="void f(void) { HMODULE m = LoadLibrary(\"fribidi\"); (void)m; }",
      good="void f(void) { HMODULE m = LoadLibraryExW(L\"bcrypt.dll\", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32); (void)m; }",
      refine=refine.load_library, precision="medium",
      external=("Flawfinder LoadLibrary", "Flawfinder LoadLibraryEx")),
)
