"""Reusable refine hooks: small functions of a ``CallSite`` that rule tables share, and the pieces
they are built from (positional arguments, argument vectors written in place)."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping

from entropy_lint.callsite import Arg, CallSite
from entropy_lint.rules.base import Level, Outcome, Refine

_POSIX_SHELLS = frozenset({"sh", "bash", "zsh", "ksh", "dash", "ash", "csh", "tcsh", "fish"})
_WINDOWS_SHELLS = frozenset({"cmd", "cmd.exe", "powershell", "powershell.exe", "pwsh", "pwsh.exe"})
# sh -c, bash -lc, cmd /c (or /k), powershell -Command: the next argument is a command string.
_SHELL_FLAG = re.compile(r"-[a-z]*c[a-z]*|/[ckCK]|-(?i:command|encodedcommand)")

Element = tuple[bool, "str | None"]  # one element of an argument vector: (constant, string value)


def constant_or(index: int, constant_level: Level, dynamic_level: Level, note: str = "constant argument",
                own: bool = False) -> Refine:
    """``constant_level`` when argument ``index`` is a constant (or absent), or is built only from
    constants and values that cannot carry text (numbers, quoted or escaped strings), or (``own``) is
    the program's own code (``Arg.own``: a file it ships, an object's source); else ``dynamic_level``."""

    def refine(site: CallSite) -> Outcome | None:
        arg = site.arg(index)
        if arg is None or arg.literal:
            return Outcome(constant_level, note)
        if arg.safe:
            return Outcome(constant_level, "built from constants and quoted or numeric values")
        if own and arg.own:
            return Outcome(constant_level, "the program's own code: a file it ships, an object's source")
        return Outcome(dynamic_level)

    return refine


def dynamic_string_arg(index: int, level: Level, note: str = "") -> Refine:
    """Only when argument ``index`` is a string built at run time (concatenation, formatting,
    interpolation); a constant or a parameterised query is not a finding."""

    def refine(site: CallSite) -> Outcome | None:
        arg = site.arg(index)
        return Outcome(level, note) if arg is not None and arg.dynamic_string else None

    return refine


def algorithm_in(names: Collection[str], level: Level = "warning") -> Refine:
    """Only when argument 0 names (in any case) one of ``names``: ``hash('md5', ...)``."""

    def refine(site: CallSite) -> Outcome | None:
        name = (site.arg_value(0) or "").lower()
        return Outcome(level, f"{name} selected") if name in names else None

    return refine


def when(predicate: Callable[[CallSite], bool], level: Level, note: str = "") -> Refine:
    def refine(site: CallSite) -> Outcome | None:
        return Outcome(level, note) if predicate(site) else None

    return refine


def positional(site: CallSite) -> list[Arg]:
    """The arguments without a keyword, in order."""
    return [a for a in site.args if a.keyword is None]


# --- argument vectors ------------------------------------------------------------------------------
def argv_outcome(elements: list[Element]) -> Outcome | None:
    """An argument vector: a shell given a command string, or a program chosen at run time."""
    if not elements:
        return None
    constant, program = elements[0]
    if not constant:
        return Outcome("warning", "the program name is not a constant")
    base = (program or "").replace("\\", "/").rsplit("/", 1)[-1].lower()
    if base in _POSIX_SHELLS | _WINDOWS_SHELLS and len(elements) >= 3:
        flag_constant, flag = elements[1]
        if flag_constant and flag is not None and _SHELL_FLAG.fullmatch(flag):
            if elements[2][0]:
                return Outcome("note", "constant shell command")
            return Outcome("error", "command string run through a shell")
    return None  # an argument vector without a shell: no injection


def split_elements(body: str, quotes: str = '"', raw_quotes: str = "") -> list[str]:
    """The text of each element of a list written in place (the inside of ``{...}``), split at the
    commas outside strings and brackets. A string opens with one of ``quotes``; one of ``raw_quotes``
    closes at its next quote, any other at the next quote not after a backslash."""
    parts, depth, start, quote = [], 0, 0, ""
    for i, ch in enumerate(body):
        if quote:
            if ch == quote and (quote in raw_quotes or body[i - 1] != "\\"):
                quote = ""
        elif ch in quotes:
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return parts


# --- dependency versions ---------------------------------------------------------------------------
_COMPARATOR = re.compile(r"(\^|~>|~=|~|>=|<=|==|!=|>|<|=)?\s*v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?")
_PRERELEASE = re.compile(r"(?<=\d)[-+][0-9A-Za-z.]+")  # 4.1.0-rc.1, 1.0.0+build


def _major_range(alternative: str) -> tuple[float, float] | None:
    """The lowest and highest major version one alternative of a range allows (``^4.1``: 4 to 4;
    ``>=3.0 <5``: 3 to 4; ``*``: unknown), or None when it cannot be read."""
    text = _PRERELEASE.sub("", alternative.strip().removeprefix("npm:")).replace(",", " ")
    low, high = 0.0, float("inf")
    matched = False
    for match in _COMPARATOR.finditer(text):
        matched = True
        op, major, minor, patch = match.group(1) or "=", int(match.group(2)), match.group(3), match.group(4)
        if op == "!=":
            continue  # excludes one version; says nothing about the majors allowed
        if op in ("=", "==", "^", "~", "~=", "~>", ">=", ">"):
            low = max(low, major)
        if op in ("=", "==", "^", "~") or (op in ("~=", "~>") and minor is not None):
            high = min(high, major)  # ~=6.0 and ~> 4.0 allow 6.x and 4.x only
        elif op == "<":
            high = min(high, major - 1 if (minor or "0") == "0" and (patch or "0") == "0" else major)
        elif op == "<=":
            high = min(high, major)
    return (low, high) if matched and low <= high else None


def major_at_least(spec: str | None, major: int) -> bool | None:
    """Whether every version ``spec`` (a version, or an npm, PEP 440, Poetry or RubyGems range) allows
    has at least this major version: True, False (none has), or None (some may, or it is unreadable:
    ``*``, ``latest``, a URL)."""
    if spec is None:
        return None
    ranges = [_major_range(part) for part in spec.split("||")]
    if not ranges or any(r is None for r in ranges):
        return None
    if all(r is not None and r[0] >= major for r in ranges):
        return True
    if all(r is not None and r[1] < major for r in ranges):
        return False
    return None


def version_outcome(deps: Mapping[str, str] | None, package: str, library: str, major: int, level: Level,
                    risk: str) -> Outcome | None:
    """The finding for a call that is safe from ``library`` version ``major`` on: none when the
    manifests show that version or later, ``level`` otherwise, its note saying what was seen."""
    if deps is None:
        return Outcome(level, f"{risk}; no manifest found to tell the {library} version")
    spec = deps.get(package)
    if spec is None:
        return Outcome(level, f"{risk}; {library} is not in the manifests found, so its version is not known")
    newer = major_at_least(spec, major)
    if newer:
        return None
    if newer is None:
        return Outcome(level, f"{risk}; {library} {spec} may be older than {major}")
    return Outcome(level, f"{risk}; {library} {spec} is older than {major}")


# --- randomness: only where the value protects something ----------------------------------------------
_SECRET_WORDS = frozenset({
    "token", "secret", "password", "passwd", "passphrase", "passcode", "pwd", "nonce", "salt", "csrf",
    "xsrf", "otp", "totp", "hotp", "credential", "credentials", "auth", "authenticate", "authentication",
    "authorization", "apikey", "session", "sessionid", "sessid", "cookie", "captcha", "hmac", "jwt",
    "signature", "cipher", "encrypt", "encryption", "crypto", "iv", "uuid", "guid", "keypair", "privkey",
    "verifier", "challenge", "pin",
})
_KEY_QUALIFIERS = frozenset({"api", "private", "secret", "session", "encryption", "signing", "access", "aes",
                             "hmac", "master", "crypto", "license", "activation"})
_KEY_PARTS = frozenset({"bytes", "material", "pair", "gen", "generator"})  # keyBytes, key_material
_CODE_QUALIFIERS = frozenset({"time", "verification", "verify", "confirm", "confirmation", "reset", "auth", "access",
                              "activation", "invite", "login", "sms", "security", "recovery", "backup", "otp"})
_IDENTIFIER = re.compile(r"[A-Za-z_$][\w$]*")
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_COMMENT = re.compile(r"(?:^|\s)(?:#|//).*$|/\*.*?\*/", re.M)  # what a comment says about a value is not its name
_CONTINUED = re.compile(r"[(\[{,=+\\:]\s*$|\b(?:return|await|yield)\s*$")
_FUNCTION_HEADERS = (  # a line that starts a function or a class, and its name, in the nine languages
    re.compile(r"^(?P<indent>[ \t]*)(?:(?:public|private|protected|internal|export|default|abstract|final|static|sealed)\s+)*"
               r"(?:class|struct|module|interface|trait|enum)\s+(?P<name>\w+)"),
    re.compile(r"^(?P<indent>)func\s*(?:\([^)]*\)\s*)?(?P<name>\w+)\s*\("),  # Go, methods too
    re.compile(r"^(?P<indent>[ \t]*)def\s+(?:self\.)?(?P<name>\w+[?!]?)"),  # Python and Ruby
    re.compile(r"^(?P<indent>[ \t]*)(?:(?:export|async|static|public|private|protected|const|let|var|function\*?)\s+)*"
               r"&?(?P<name>[A-Za-z_$][\w$]*)\s*"
               r"(?:[:=]\s*(?:async\s*)?(?:function\b|\([^)]*\)\s*=>|[\w$]+\s*=>)|\()"),  # JS, TS, PHP
    re.compile(r"^(?P<indent>[ \t]*)(?:[\w:<>\[\],.*&]+[ \t]+)+[*&]*(?P<name>\w+)\s*\([^;]*$"),  # C, C++, Java
)
_HEADER_CHARS = 300  # a longer line is not read as a header (nor backtracked over: the file may be hostile)
_NOT_FUNCTIONS = frozenset({"if", "for", "while", "switch", "catch", "return", "else", "elif", "until", "unless", "new",
                            "foreach", "elseif", "do", "try", "with", "using", "lock", "synchronized", "sizeof",
                            "typeof", "isset", "empty", "list", "array", "echo", "print", "require", "include"})


# Last words of a name for a number about a secret, not the secret: alterNonceIdx, tokenLength, saltSize.
_MEASURES = frozenset({"idx", "index", "indices", "pos", "position", "offset", "len", "length", "count", "size",
                       "delay", "timeout", "jitter", "interval"})


def _secret_word(text: str) -> str:
    """The first word of an identifier in ``text`` that names a secret ("" when none does)."""
    for ident in _IDENTIFIER.findall(text):
        words = [w.lower() for w in _WORD.findall(ident)]
        if words and words[-1] in _MEASURES:
            continue  # a position or a size: the number picks or counts, it protects nothing
        for i, w in enumerate(words):
            before, after = words[i - 1] if i else "", words[i + 1] if i + 1 < len(words) else ""
            if (w in _SECRET_WORDS or w[:-1] in _SECRET_WORDS and w.endswith("s")  # tokens, salts
                    or (w in ("key", "keys") and (before in _KEY_QUALIFIERS or after in _KEY_PARTS))
                    or (w in ("code", "codes") and before in _CODE_QUALIFIERS)):
                return ident
    return ""


def _statement_before(lines: list[str], continued: re.Pattern[str] = _CONTINUED) -> str:
    """The statement a call is in, up to the call: its line, and lines above it continues."""
    statement = [lines[-1]]
    for line in reversed(lines[:-1][-3:]):  # a statement continued from the lines above
        headers = (h.match(line) for h in _FUNCTION_HEADERS) if len(line) <= _HEADER_CHARS else iter(())
        if not continued.search(line) or any(m is not None and m["name"] not in _NOT_FUNCTIONS for m in headers):
            break  # not continued, or a function's header: its body's first statement starts after it
        statement.insert(0, line)
    return "\n".join(statement)


def secret_use(site: CallSite) -> str:
    """Where a random value is named like a secret: the statement the call is in (the name it is
    assigned to, the key or argument it fills) or the functions and classes around it. Returns that name, or ""
    when nothing there says the number protects anything. Read from the text, not the tree: a
    name is a hint, which is all "is this random number a secret" can be without data flow."""
    above, after = site.surrounding(80)
    lines = above.split("\n")
    found = _secret_word(_COMMENT.sub(" ", _statement_before(lines) + after))
    if found:
        return found
    own = len(lines[-1]) - len(lines[-1].lstrip())
    for line in reversed(lines[:-1]):  # the functions and classes around the call, innermost first
        indent = len(line) - len(line.lstrip())
        if indent >= own or not line.strip() or len(line) > _HEADER_CHARS:
            continue
        header = next((m for m in (h.match(line) for h in _FUNCTION_HEADERS) if m and m["name"] not in _NOT_FUNCTIONS), None)
        if header is not None:
            found = _secret_word(header["name"])
            if found:
                return found
            own = indent
    return ""


def random_for_secrets(site: CallSite) -> Outcome | None:
    """A predictable generator is a weakness only when its number protects something: reported
    (as a warning) where the value is named like a secret, otherwise not at all."""
    name = secret_use(site)
    return Outcome("warning", f"the value is named like a secret ({name})") if name else None


# --- weak hashes: not where the digest only names something ------------------------------------------
_NAMING_WORDS = frozenset({"id", "ids", "name", "names", "filename", "file", "files", "path", "url", "urls", "uri",
                           "href", "thumb", "thumbnail", "tmp", "temp", "cache", "cached", "etag", "lockfile", "search",
                           "slug", "placeholder", "dedup", "deduplication", "persistent"})
_CONTINUED_EXPRESSION = re.compile(r"[(\[{,=+.\\]\s*$")  # not a block's colon: a def line names no digest
_ASSIGNED = re.compile(r"=>|(?<![=!<>])=(?![=>])|:=")  # a = ..., a .= ..., 'key' => ...
_SIZE_ONLY = re.compile(r"\s*(?:\(\s*\))?\s*\.\s*(?:digest_size|block_size)\b")


def names_something(site: CallSite) -> str:
    """Where a digest only names or finds something: the statement assigns it (or builds from it) an
    id, a file name, a path, a URL, a cache or search key (``$thumb_name = 'thumb' . md5(...)``,
    ``lockfile_name = "%s.lock" % sha1(p).hexdigest()``), and nothing in the statement, the call's
    own arguments included, names a secret; or only the algorithm's size is read
    (``sha1().digest_size``). Returns that name, or "". A name is a hint, as for randomness: MD5 that
    protects something is reported whatever the file calls it."""
    above, after = site.surrounding(3)
    return digest_names(above, after, site.text)


def digest_names(above: str, after: str, call: str = "") -> str:
    """names_something, given the text above the call (its line up to the call, and a few lines
    before), the rest of its line after it, and the call itself."""
    if _SIZE_ONLY.match(after):
        return "digest_size"
    before = _COMMENT.sub(" ", _statement_before(above.split("\n"), _CONTINUED_EXPRESSION))
    if _secret_word(" ".join((before, call, after))):
        return ""
    assigned = _ASSIGNED.search(before)
    target = before[:assigned.start()] if assigned else ""  # the name given, or the key filled
    for ident in _IDENTIFIER.findall(target):
        if any(w.lower() in _NAMING_WORDS for w in _WORD.findall(ident)):
            return ident
    return ""


def weak_digest_outcome(site: CallSite) -> Outcome | None:
    """MD5 and SHA-1 are reported unless the digest only names something (see names_something)."""
    return None if names_something(site) else Outcome("warning")
