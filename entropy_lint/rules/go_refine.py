"""Refine hooks and name lists for the Go table (``rules/go.py``)."""

from __future__ import annotations

import re

from entropy_lint.callsite import CallSite
from entropy_lint.rules.base import Outcome
from entropy_lint.rules.refine import Element, argv_outcome, positional, split_elements

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
def exec_command(site: CallSite) -> Outcome | None:
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


def exec_argv(site: CallSite) -> Outcome | None:
    """syscall.Exec(argv0, argv, env) and kin: the program path, then argv[1:] as written."""
    args = positional(site)
    if not args:
        return None
    program: Element = (args[0].literal, args[0].value)
    argv = _slice_elements(args[1].text) if len(args) > 1 else None
    return argv_outcome([program] + (argv[1:] if argv else []))


# --- SQL --------------------------------------------------------------------------------------------
SQL_METHODS = ("Query", "QueryContext", "QueryRow", "QueryRowContext", "Exec", "ExecContext", "Prepare",
               "PrepareContext", "Queryx", "QueryRowx", "QueryxContext", "QueryRowxContext", "MustExec",
               "MustExecContext", "NamedExec", "NamedQuery", "Preparex", "Raw", "Where", "Or", "Not", "Order",
               "Group", "Having", "Joins")


def sql_query(site: CallSite) -> Outcome | None:
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
MODE_ARG = {"os.Chmod": 1, "os.Mkdir": 1, "os.MkdirAll": 1, "os.WriteFile": 2, "io/ioutil.WriteFile": 2, "os.OpenFile": 2}


def _mode(text: str) -> int | None:
    text = re.sub(r"^(?:os|fs)\.FileMode\((.*)\)$", r"\1", text.strip()).replace("_", "")
    if text in ("os.ModePerm", "fs.ModePerm"):
        return 0o777
    try:
        return int(text, 8) if re.fullmatch(r"0[0-7]+", text) else int(text, 0)
    except ValueError:
        return None


def world_writable(site: CallSite) -> Outcome | None:
    args = positional(site)
    index = MODE_ARG.get(site.qualname, 1)
    mode = _mode(args[index].text) if index < len(args) else None
    if mode is None or not mode & 0o002:
        return None
    if site.qualname == "os.Chmod":
        return Outcome("warning", f"mode {mode:#o}")
    return Outcome("note", f"mode {mode:#o} before the umask")  # creation modes pass through the umask


def skip_verify(site: CallSite) -> bool:
    flag = site.kwarg("InsecureSkipVerify")
    return flag is not None and flag.text == "true"


RAND = ("Int", "Intn", "Int31", "Int31n", "Int63", "Int63n", "Uint32", "Uint64", "Float32", "Float64", "Perm",
        "Shuffle", "ExpFloat64", "NormFloat64", "New")  # not Read: in a fragment, rand.Read is crypto/rand's
RAND_V2 = ("Int", "IntN", "N", "Int32", "Int32N", "Int64", "Int64N", "Uint", "UintN", "Uint32", "Uint32N", "Uint64",
           "Uint64N", "Float32", "Float64", "Perm", "Shuffle", "ExpFloat64", "NormFloat64", "New")


def set_true(site: CallSite) -> bool:
    """An assignment of ``true`` (``cfg.InsecureSkipVerify = true``)."""
    value = site.arg(0)
    return value is not None and value.text == "true"
