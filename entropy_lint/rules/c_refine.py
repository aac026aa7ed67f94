"""The C and C++ table's refine hooks, the argument positions they read, and ``CArg``: what the C
extractor knows about an argument beyond its text (a buffer's declared size, a number's value).

Constants are whatever the extractor's value analysis proved constant (literals, constant macros,
variables whose every visible write is a constant), so each hook's "is it a constant" question
follows names as far as the file shows them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from entropy_lint.callsite import Arg, CallSite
from entropy_lint.rules.base import Outcome
from entropy_lint.rules.refine import weak_digest_outcome


@dataclass(frozen=True, init=False)
class CArg(Arg):
    """An argument of a C call. ``number``: its value when it is an integer constant. ``size``:
    the elements of the buffer it names, when declared with a constant size (``char b[64]``,
    ``malloc(64)`` stored just above); ``size_text``: that size as written, with object-like
    macros expanded (``PATH_MAX + 1``), also when it has no number (``PATH_MAX`` comes from a
    system header). ``macro_parameter``: a parameter of the macro whose body holds the call, so
    its value comes from each use of the macro."""

    number: int | None
    size: int | None
    size_text: str
    macro_parameter: bool

    def __init__(self, *args: Any, number: int | None = None, size: int | None = None, size_text: str = "",
                 macro_parameter: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, given in (("number", number), ("size", size), ("size_text", size_text),
                            ("macro_parameter", macro_parameter)):
            object.__setattr__(self, name, given)


def number_of(arg: Arg | None) -> int | None:
    return arg.number if isinstance(arg, CArg) else None


def size_of(arg: Arg | None) -> tuple[int | None, str]:
    return (arg.size, arg.size_text) if isinstance(arg, CArg) else (None, "")


# --- argument positions (0-based) --------------------------------------------------------------
# Where the format string sits in each printf-style function.
PRINTF_FORMAT = {
    "printf": 0, "vprintf": 0, "wprintf": 0, "vwprintf": 0,
    "fprintf": 1, "vfprintf": 1, "fwprintf": 1, "vfwprintf": 1,
    "dprintf": 1, "vdprintf": 1,  # POSIX 2008 printf to a file descriptor; not in Flawfinder, same risk
    "asprintf": 1, "vasprintf": 1,  # GNU/BSD allocating sprintf: no overflow, but the same format risk
    "syslog": 1, "vsyslog": 1,  # the format goes to the system log; vsyslog is the va_list form
    "snprintf": 2, "vsnprintf": 2,
    # POSIX swprintf/vswprintf take a size (Flawfinder lists them with sprintf after Windows' old
    # unsized versions); on POSIX only the format is a risk.
    "swprintf": 2, "vswprintf": 2,
}
SPRINTF_FORMAT = {"sprintf": 1, "vsprintf": 1}
SCANF_FORMAT = {
    "scanf": 0, "vscanf": 0, "wscanf": 0, "vwscanf": 0,
    "fscanf": 1, "vfscanf": 1, "fwscanf": 1, "vfwscanf": 1,
    "sscanf": 1, "vsscanf": 1, "swscanf": 1, "vswscanf": 1,
}
_SCANF_FROM_STRING = frozenset({"sscanf", "vsscanf", "swscanf", "vswscanf"})
# The execute-a-string entry points. The prepare/params APIs (sqlite3_prepare_v2, PQexecParams,
# mysql_stmt_prepare) are left out: they are how queries get parameterised, and their query text
# is usually a constant kept in a variable, which this check cannot tell from a spliced one.
SQL_QUERY = {
    "sqlite3_exec": 1, "mysql_query": 1, "mysql_real_query": 1, "mysql_send_query": 1,
    "PQexec": 1, "PQsendQuery": 1,
}
_SHELL_PROGRAMS = frozenset({"sh", "bash", "dash", "zsh", "ksh", "csh", "tcsh", "ash"})
_LIST_EXECS = frozenset({"execl", "execlp", "execle"})  # the argument vector is visible in the call

# --- format and size patterns -------------------------------------------------------------------
# printf: %s with no precision (%s, %-20s, %*s, %1$s, %ls) copies until the string ends; %.20s is bounded.
_UNBOUNDED_PRINTF_S = re.compile(r"%(?:\d+\$)?[-+ #0']*(?:\d+|\*)?(?:hh|h|ll|l|L|q|j|z|t)?[sS]")
# scanf: %s, %ls or %[...] with no width; %*s discards and %ms allocates, both safe.
_SCANF_CONVERSION = re.compile(r"%(\d+\$)?(\*)?(\d+)?(m)?(?:hh|h|ll|l|L|q|j|z|t)?([sS]|\[)")
# strncat(dst, src, sizeof dst) or a SIZE constant: the bound is the buffer, not the room left in it.
_WHOLE_BUFFER = re.compile(r"^\s*sizeof\s*(?:\(\s*)?[A-Za-z_$0-9.\->\[\]]+\s*(?:\)\s*)?(?:-\s*1\s*)?$"
                           r"|^\s*[A-Z][A-Z_$0-9]+\s*(?:-\s*1\s*)?$")
# A buffer of PATH_MAX (or BSD's MAXPATHLEN) bytes, or more: what POSIX asks of realpath's buffer.
# A project's own name for it counts (PYI_PATH_MAX, UV__PATH_MAX: PATH_MAX, or more where it has none).
_PATH_MAX_SIZE = re.compile(r"^\(*\s*(?!\w*UNIX_PATH_MAX)(?:[A-Z][A-Z0-9_]*_)?(?:PATH_MAX|MAXPATHLEN)\s*\)*"
                            r"(?:\s*\*\s*[1-9]\d*[uUlL]*)?"
                            r"(?:\s*\+\s*\(*\s*\d+[uUlL]*\s*\)*)*$")
# The largest PATH_MAX among the systems that have realpath (Linux 4096; macOS and the BSDs 1024):
# a buffer this big holds any path realpath returns.
_LARGEST_PATH_MAX = 4096
_NULLS = frozenset({"NULL", "0", "nullptr", "0L"})
# Where a call's value only decides a branch: after if (, while (, &&, ||, !, ?, or NULL == ...
_TEST_BEFORE = re.compile(r"(?:\b(?:if|while)\s*\(\s*!?|&&\s*!?|\|\|\s*!?|[!?]|\b(?:NULL|0|nullptr)\s*[!=]=)\s*$")
# ... and before ), &&, ||, ?, or == NULL / != NULL.
_TEST_AFTER = re.compile(r"\s*(?:\)|&&|\|\||\?|[!=]=\s*(?:NULL|0|nullptr)\b)")
# Where it is compared as a string or read as a number: the first argument of strcmp and kin, or
# the second after a string literal, or the argument of atoi, strtol and kin.
_COMPARED_OR_CONVERTED = re.compile(
    r"\b(?:(?:strn?(?:case)?cmp|strcoll)\s*\(\s*(?:\"(?:[^\"\\]|\\.)*\"\s*,\s*)?"
    r"|(?:ato(?:i|l|ll|f)|strto(?:l|ul|ll|ull|d|f|ld|imax|umax))\s*\(\s*)$")
_PATH_BUFFER = {"realpath": 1, "getwd": 0}  # where the buffer of PATH_MAX bytes goes
_WEAK_DIGEST_NAMES = frozenset({"md2", "md4", "md5", "sha", "sha1", "md5-sha1", "ripemd160"})
_WEAK_CIPHER_NAME = re.compile(r"^(des|desx|rc2|rc4|bf|blowfish|cast5?|idea|seed)(-|$)", re.IGNORECASE)
# An absolute Windows path (C:\..., \\server\...): the only kind LoadLibrary does not search for.
_DLL_PATH = re.compile(r"^(?:[A-Za-z]:[\\/]|[\\/]{2})")
# Windows' KnownDLLs (HKLM\System\CurrentControlSet\Control\Session Manager\KnownDLLs): always
# mapped from the system folder, never searched for. The core of the list, stable since Windows 7.
_KNOWN_DLLS = frozenset({"kernel32", "user32", "gdi32", "advapi32", "shell32", "ole32", "oleaut32", "comdlg32",
                         "ws2_32", "rpcrt4", "shlwapi", "psapi", "setupapi", "imagehlp", "wldap32", "msvcrt",
                         "normaliz", "nsi", "sechost", "combase"})


def _without_escaped_percents(fmt: str) -> str:
    return fmt.replace("%%", "")


def unbounded_printf_s(fmt: str) -> bool:
    return bool(_UNBOUNDED_PRINTF_S.search(_without_escaped_percents(fmt)))


def unbounded_scanf_s(fmt: str) -> bool:
    for m in _SCANF_CONVERSION.finditer(_without_escaped_percents(fmt)):
        if not (m.group(2) or m.group(3) or m.group(4)):
            return True
    return False


def string_bytes(content: str, most: bool) -> int:
    """Bytes of a C string literal's content as written (escapes not yet decoded), without the NUL:
    the most it can take (``most``) or the least. ``\\u00e9`` is one to four bytes, as the
    execution character set decides."""
    total, i = 0, 0
    while i < len(content):
        ch = content[i]
        if ch != "\\" or i + 1 == len(content):
            total += len(ch.encode("utf-8")) if most else 1
            i += 1
            continue
        kind = content[i + 1]
        if kind in "uU":
            total += 4 if most else 1
            i += 6 if kind == "u" else 10
        elif kind == "x":
            total += 1
            i += 2
            while i < len(content) and content[i] in "0123456789abcdefABCDEF":
                i += 1
        elif kind in "01234567":
            total += 1
            i += 2
            for _ in range(2):
                if i < len(content) and content[i] in "01234567":
                    i += 1
        else:
            total += 1
            i += 2
    return total


def _forwarded_format(site: CallSite, index: int) -> str:
    """Why a format that is not a constant is the caller's to check, or '' when it is not. A va_list
    function handed a plain name is almost always a printf-style wrapper forwarding its caller's
    format; a macro parameter (or ``__VA_ARGS__``) is forwarded from the macro's uses."""
    fmt = site.arg(index)
    if isinstance(fmt, CArg) and fmt.macro_parameter:
        return "the format comes from the macro's arguments: check the macro's uses"
    if site.qualname.startswith("v") and fmt is not None and fmt.node_type == "identifier":
        return "forwards a caller's format (a printf-style wrapper): check its callers"
    return ""


def _format_not_constant(site: CallSite, index: int) -> Outcome:
    forwarded = _forwarded_format(site, index)
    if forwarded:
        return Outcome("note", forwarded)
    return Outcome("warning", "format string is not a constant (CWE-134)")


# --- refine hooks ---------------------------------------------------------------------------------
def copy(site: CallSite) -> Outcome | None:
    """Flawfinder c_buffer: a constant source has a known length, so the risk is only a too-small
    destination; when the destination's size is known too and the copy fits, there is no risk."""
    source = site.arg(1)
    if source is not None and site.qualname in _MEASURED_COPIES and _sized_for(
            size_of(site.arg(0))[1], source.text, wide=site.qualname.startswith(("wc", "lstrcpyW"))) and \
            not _written_above(site, source.text):
        return None  # dst = malloc(strlen(src) + 1); strcpy(dst, src): the buffer was sized for this copy
    if source is not None and site.qualname in ("strcpy", "wcscpy") and _length_checked(site, source.text):
        return None  # if (strlen(location) <= 255) strcpy(c->script_name, location), script_name[256]
    if source is None or not source.literal:
        return Outcome("warning")
    if source.value == "":
        return None  # only the NUL is written, which any buffer holds
    size, _ = size_of(site.arg(0))
    if (site.qualname in ("strcpy", "stpcpy", "wcscpy", "wcpcpy") and size is not None and source.value is not None
            and string_bytes(source.value, most=True) < size):
        return None  # the constant and its NUL fit in the declared buffer
    return Outcome("note", "constant source string: check the destination is large enough")


# Array fields of system structs, with their smallest size among the systems that have them
# (struct sockaddr_un's sun_path: 104 on macOS and the BSDs, 108 on Linux).
_SYSTEM_FIELDS = {"sun_path": 104}
_LENGTH_BOUND = r"(?:strlen|wcslen)\s*\(\s*{source}\s*\)\s*(<=?)\s*(\d+)\b"


def _length_checked(site: CallSite, source: str) -> bool:
    """A copy inside ``if (strlen(src) < N ...)`` (the ``if`` line just above, less indented, or
    the call's own line) into a buffer of at least N elements: an array the file declares, or a
    struct field of the file or the system (``c->s_addr.u_addr.sun_path``)."""
    destination = site.arg(0)
    if destination is None:
        return False
    size, _ = size_of(destination)
    if size is None and destination.node_type == "field_expression":
        field = re.split(r"->|\.", destination.text)[-1].strip()
        size = site.facts.field_sizes.get(field, _SYSTEM_FIELDS.get(field))
    if size is None:
        return False
    above, _ = site.surrounding(8, limit=2000)
    lines = above.split("\n")
    own = len(lines[-1]) - len(lines[-1].lstrip())
    name = source.strip()
    bound = re.compile(_LENGTH_BOUND.format(source=re.escape(name)))
    written = re.compile(rf"(?<![\w.>]){re.escape(name)}\s*=(?!=)")
    tests: list[tuple[str, list[str]]] = [(lines[-1], [])]  # the call's own line: if (strlen(s) < N) strcpy(d, s);
    for i in range(len(lines) - 2, -1, -1):
        indent = len(lines[i]) - len(lines[i].lstrip())
        if lines[i].strip() and indent < own:
            tests.append((lines[i], lines[i + 1:-1]))  # the block's if, and the lines between
            break
    for test, between in tests:
        condition = re.match(r"\s*(?:}\s*)?(?:else\s+)?if\s*\((.*)\)\s*(?:{\s*)?$", test)
        if condition is None or "||" in condition.group(1) or any(written.search(b) for b in between):
            continue  # not the branch's own test, a test any other way out of, or the source written since
        for match in bound.finditer(condition.group(1)):
            longest = int(match.group(2)) - (match.group(1) == "<")
            if longest + 1 <= size:
                return True
    return False


_MEASURED_COPIES = frozenset({"strcpy", "stpcpy", "wcscpy", "wcpcpy", "lstrcpy", "lstrcpyA", "lstrcpyW"})
# How a source's length is measured: strlen(s), wcslen(s), s.length(), s.size().
_LENGTH_OF = r"(?:(?:strlen|wcslen|_tcslen|lstrlen[AW]?)\((?P<a>.+)\)|(?P<b>.+)\.(?:length|size)\(\))"


def _written_above(site: CallSite, source: str) -> bool:
    """The source variable is assigned in the lines just above the copy (after the allocation, maybe:
    ``dst = malloc(strlen(name) + 1); for (...) { name = names[i]; strcpy(dst, name); }``)."""
    above, _ = site.surrounding(12, limit=3000)
    return re.search(rf"(?<![\w.>]){re.escape(source.strip())}\s*=(?!=)", above) is not None


def _sized_for(size_text: str, source: str, wide: bool = False) -> bool:
    """Whether an allocation size, as written (``strlen ( str ) + 1``, ``( wcslen ( s ) + 1 ) * sizeof (
    wchar_t )``), is the source's length plus at least one element for the NUL: a sum of terms, none
    subtracted, one of them the length of exactly ``source`` and one a positive number."""
    size = re.sub(r"\s+", "", size_text)
    wanted = re.sub(r"\s+", "", source)
    scaled = re.fullmatch(r"\((.+)\)\*sizeof\(\w+(?:\*)?\)", size)
    if scaled:
        size = scaled.group(1)
    elif wide:
        return False  # wcslen counts wide characters: malloc(wcslen(s) + 1) is bytes, too few
    terms, depth, start = [], 0, 0
    for i, ch in enumerate(size):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and ch in "+-*/%?:<>&|":
            if ch != "+":
                return False  # only a plain sum is read
            terms.append(size[start:i])
            start = i + 1
    terms.append(size[start:])
    # A C++ string measured by its method and copied as its characters: s.length() for s.c_str(), or
    # for *s (a wrapper such as Nan::Utf8String that dereferences to them).
    owner = re.sub(r"^\*|\.(?:c_str|data)\(\)$", "", wanted)
    measured = [re.fullmatch(_LENGTH_OF, t) for t in terms]
    return any(m is not None and (m.group("a") == wanted or m.group("b") in (wanted, owner)) for m in measured) and any(
        re.fullmatch(r"\(?[1-9]\d*[uUlL]*\)?", t) for t in terms)


def strncat(site: CallSite) -> Outcome | None:
    bound = site.arg(2)
    if bound is None:
        return None
    if _WHOLE_BUFFER.match(bound.text):
        return Outcome("warning")
    size, size_text = size_of(site.arg(0))
    number = number_of(bound)
    if (size is not None and number is not None and number >= size - 1) or (size_text and bound.text.strip() == size_text):
        return Outcome("warning", "the bound is the destination's whole size")
    return None


def sprintf(site: CallSite) -> Outcome | None:
    fmt = site.arg(SPRINTF_FORMAT[site.qualname])
    if fmt is None:
        return None
    if not fmt.literal:
        return _format_not_constant(site, SPRINTF_FORMAT[site.qualname])
    if fmt.value is not None and unbounded_printf_s(fmt.value):
        return Outcome("warning", "the format has a %s without a precision")
    return None  # constant format with only bounded conversions: Flawfinder drops it below level 3


def printf(site: CallSite) -> Outcome | None:
    index = PRINTF_FORMAT[site.qualname]
    fmt = site.arg(index)
    return None if fmt is None or fmt.literal else _format_not_constant(site, index)


def scanf(site: CallSite) -> Outcome | None:
    index = SCANF_FORMAT[site.qualname]
    fmt = site.arg(index)
    if fmt is None:
        return None
    if not fmt.literal:
        return _format_not_constant(site, index)
    if fmt.value is None or not unbounded_scanf_s(fmt.value):
        return None  # widths on every %s (or no %s at all)
    if site.qualname in _SCANF_FROM_STRING:
        return Outcome("warning", "reads from a string: overflows when the source is longer than the buffer")
    return Outcome("error")


def exec_(site: CallSite) -> Outcome | None:
    """exec*() runs a program with an argument vector and no shell: only a program path that is not
    a constant, or a shell started with ``-c`` and a command that is not, is a finding."""
    program = site.arg(0)
    if program is None:
        return None
    if not program.literal:
        return Outcome("warning", "the program path is not a constant")
    if (program.value or "").rsplit("/", 1)[-1] not in _SHELL_PROGRAMS:
        return None
    if site.qualname not in _LIST_EXECS:
        return Outcome("warning", "runs a shell with an argument vector built elsewhere")
    rest = site.args[1:]
    for i, arg in enumerate(rest[:-1]):
        if arg.value == "-c":
            return None if rest[i + 1].literal else Outcome("error", "runs a shell -c with a command that is not a constant")
    return None


def environment_read(site: CallSite) -> Outcome | None:
    """getenv() whose value is only tested (``if (getenv("X"))``, ``NULL == getenv("X")``), compared
    (``strcmp(getenv("TERM"), "screen")``) or read as a number (``atoi(getenv("N"))``) right where it
    is called: nothing of its length or content reaches a buffer. Any other use is a note."""
    before, after = site.surrounding(0, limit=200)
    if only_tested(before, after) or site.start in site.facts.only_tested:
        return None  # ... or stored in a variable that is only ever tested: char *p = getenv("X"); if (p)
    return Outcome("note")


def only_tested(before: str, after: str) -> bool:
    """Whether a call between the text ``before`` and ``after`` it (on its line) only decides a
    branch, is compared as a string or is read as a number (see environment_read)."""
    return bool(_COMPARED_OR_CONVERTED.search(before) or (_TEST_BEFORE.search(before) and _TEST_AFTER.match(after)))


# The process's own entries in the kernel's file systems: no one else can rename or replace them.
_OWN_PROCESS_PATHS = ("/proc/self/", "/proc/thread-self/", "/proc/curproc/")


def by_name(site: CallSite) -> Outcome | None:
    """chmod, chown and readlink resolve the name again each time; not ``readlink("/proc/self/exe",
    ...)``, a link the kernel keeps for this process."""
    path = site.arg(0)
    value = path.value or "" if path is not None else ""
    if path is not None and path.literal and value.startswith(_OWN_PROCESS_PATHS) and not re.match(
            r"/proc/(?:self|thread-self|curproc)/(?:root|cwd)(?:/|$)", value):
        return None  # not /proc/self/root/... or /proc/self/cwd/...: those lead back into shared folders
    return Outcome("warning")


def unsized_buffer(site: CallSite) -> Outcome | None:
    """realpath() and getwd() write at most PATH_MAX bytes: a buffer declared (or allocated) with
    PATH_MAX bytes or more is what they are specified to need, and a NULL one makes realpath
    allocate its own (POSIX 2008). getpw()'s line has no such bound."""
    index = _PATH_BUFFER.get(site.qualname)
    buffer = site.arg(index) if index is not None else None
    if buffer is None:
        return Outcome("warning")
    if site.qualname == "realpath" and buffer.text in _NULLS:
        return None
    size, size_text = size_of(buffer)
    if _PATH_MAX_SIZE.match(size_text) or (size is not None and size >= _LARGEST_PATH_MAX):
        return None
    if buffer.node_type == "field_expression" and _allocated_just_above(site, buffer.text):
        return None  # udd->value = uwsgi_malloc(PATH_MAX + 1); realpath(udd->key, udd->value)
    return Outcome("warning")


_ALLOCATION = re.compile(r"\s*=\s*(?:\([\w\s*]+\)\s*)?\w*alloc\w*\s*\(([^(),;]*(?:\([^()]*\))?[^(),;]*)\)\s*;\s*$")


def _allocated_just_above(site: CallSite, buffer: str) -> bool:
    """A field written by the statement just above the call's, at the same indentation, with an
    allocation of PATH_MAX bytes or more (``s->dir = malloc(PATH_MAX + 1);``): the value analysis
    follows variables only, so a field's allocation is read from the text, and only right there."""
    above, _ = site.surrounding(3, limit=1000)
    lines = above.split("\n")
    call_line = lines[-1]
    indent = len(call_line) - len(call_line.lstrip())
    for line in reversed(lines[:-1]):
        if not line.strip():
            continue
        if len(line) - len(line.lstrip()) != indent or not line.lstrip().startswith(buffer):
            return False
        allocated = _ALLOCATION.match(line.lstrip()[len(buffer):])
        return allocated is not None and _PATH_MAX_SIZE.match(allocated.group(1).strip()) is not None
    return False


def weak_hash(site: CallSite) -> Outcome | None:
    if site.qualname == "EVP_get_digestbyname":
        name = (site.arg_value(0) or "").lower()
        return weak_digest_outcome(site) if name in _WEAK_DIGEST_NAMES else None
    return weak_digest_outcome(site)


def weak_cipher(site: CallSite) -> Outcome | None:
    if site.qualname == "EVP_get_cipherbyname":
        return Outcome("warning") if _WEAK_CIPHER_NAME.match(site.arg_value(0) or "") else None
    return Outcome("warning")


def sql(site: CallSite) -> Outcome | None:
    query = site.arg(SQL_QUERY[site.qualname])
    if query is None or query.literal:
        return None
    if query.dynamic_string:
        return Outcome("warning", "query built with string concatenation in the call")
    return Outcome("warning", "query is not a constant; how it was built is not visible in the call")


def load_library(site: CallSite) -> Outcome | None:
    """LoadLibrary*: a name without a full path is looked up along the DLL search path (the
    program's folder, the current folder, PATH); with a LOAD_LIBRARY_SEARCH_* flag it is not, with
    LOAD_WITH_ALTERED_SEARCH_PATH the name must be an absolute path, and a KnownDLL is always the
    system's own."""
    name = site.arg(0)
    if name is None:
        return None
    flags = site.arg(2) if site.qualname.startswith("LoadLibraryEx") else None
    if flags is not None and ("LOAD_LIBRARY_SEARCH_" in flags.text or "LOAD_WITH_ALTERED_SEARCH_PATH" in flags.text):
        return None  # a restricted search, or one that requires the absolute path it is given
    if not name.literal:
        return Outcome("warning", "the library name is not a constant")
    if name.value is not None and (_DLL_PATH.match(name.value) or name.value.lower().removesuffix(".dll") in _KNOWN_DLLS):
        return None
    return Outcome("note", "found along the DLL search path, which can include the current folder")
