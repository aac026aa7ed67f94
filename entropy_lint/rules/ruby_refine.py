"""Refine hooks and name lists for the Ruby table (``rules/ruby.py``)."""

from __future__ import annotations

import re

from entropy_lint.callsite import Arg, CallSite
from entropy_lint.rules.base import Outcome
from entropy_lint.rules.refine import version_outcome

_ARGV = frozenset({"array", "string_array", "splat_argument"})  # an argument vector: no shell
PIPELINES = frozenset({"Open3.pipeline", "Open3.pipeline_r", "Open3.pipeline_rw", "Open3.pipeline_w",
                       "Open3.pipeline_start"})
_SQL = re.compile(r"\b(?:select|insert|update|delete|replace|merge|create|drop|alter|truncate|show|describe|"
                  r"grant|revoke|union|pragma)\b", re.IGNORECASE)
WEAK_DIGESTS = {"md2", "md4", "md5", "sha1", "sha", "ripemd160"}
# ActiveRecord methods that take SQL fragments (Brakeman's CheckSQL list, in part).
AR_METHODS = ("where", "rewhere", "find_by", "find_by_sql", "count_by_sql", "order", "reorder", "group", "having",
              "joins", "select", "pluck", "exists[?]", "delete_all", "destroy_all", "update_all", "from", "lock")
CONNECTION_METHODS = ("execute", "exec_query", "select_all", "select_one", "select_value", "select_values",
                      "select_rows", "exec_update", "exec_delete", "exec_insert", "query", "exec")


def _positional(site: CallSite) -> list[Arg]:
    args = [a for a in site.args if a.keyword is None and a.node_type != "block_argument"]
    if args and args[0].node_type == "hash":
        args = args[1:]  # system({"LANG" => "C"}, cmd): the environment comes first
    return args


def shell_command(site: CallSite) -> Outcome | None:
    """A shell runs only for a single command string; several arguments are an argument vector."""
    args = _positional(site)
    if site.qualname in PIPELINES:
        commands = [a for a in args if a.node_type not in _ARGV]
    elif site.qualname == "IO.popen":
        commands = args[:1] if args and args[0].node_type not in _ARGV else []  # IO.popen(cmd, "r+")
    else:
        commands = args if len(args) == 1 and args[0].node_type not in _ARGV else []
    if not commands:
        return None
    if all(a.literal for a in commands):
        return Outcome("note", "constant command string")
    return Outcome("error")


def kernel_open(site: CallSite) -> Outcome | None:
    path = site.arg(0)
    if path is None:
        return None
    if path.literal:
        return Outcome("note", "constant command string") if (path.value or "").startswith("|") else None
    text = path.text
    if text[:1] in ("'", '"') and text[1:2] not in ("|", "#", ""):
        return None  # "/tmp/#{name}": a string that cannot start with "|" names a file
    return Outcome("warning")


def eval_string(site: CallSite) -> Outcome | None:
    args = _positional(site)
    code = args[0] if args else None
    if code is None:
        return None  # instance_eval { ... } and instance_eval(&block) take a block, not code
    if any(a.text == "__FILE__" for a in site.args):
        return Outcome("note", "definition-time metaprogramming (__FILE__, __LINE__)")
    return Outcome("note", "constant code string") if code.literal else Outcome("error")


def dynamic_method(site: CallSite) -> Outcome | None:
    """send/public_send with a method name the file shows comes from the request (``params``,
    ``cookies``, ``request``), directly or through local variables. A name from the program's own
    code (a declaration, a callback, a caller's argument) is how Ruby metaprogramming works, and is
    not reported: Brakeman's CheckSend draws the same line."""
    method = site.arg(0)
    if method is None or method.literal or not method.request or _socket_send(site):
        return None
    return Outcome("warning")


def _socket_send(site: CallSite) -> bool:
    """``socket.send(data, 0)``: BasicSocket#send writes data, it calls no method. Told by a receiver
    whose last name is a socket's (``socket``, ``@sock``, ``ch[:socket]``, ``client_socket``)."""
    if site.name != "send":
        return False
    last = re.split(r"[.:]", site.receiver.strip())[-1]
    return bool(re.fullmatch(r"(?i)@{0,2}(?:\w+_)?(?:sock|socket)s?\b.*|.*\[:?[\"']?(?:sock|socket)[\"']?\]", last))


def yaml_load(site: CallSite) -> Outcome | None:
    """YAML.load creates any object before Psych 4; from Psych 4 (the default gem of Ruby 3.1) it is
    safe_load."""
    data = site.arg(0)
    if data is None or data.literal:
        return None
    deps = site.facts.deps
    if deps is not None and "gem:psych" not in deps and _version(deps.get("runtime:ruby")) >= (3, 1):
        return None  # Ruby 3.1 and later ship Psych 4, and the lockfile pins no other
    return version_outcome(deps, "gem:psych", "Psych", 4, "warning",
                           "YAML.load creates arbitrary objects before Psych 4 (Ruby 3.1)")


def _version(text: str | None) -> tuple[int, ...]:
    match = re.match(r"\d+(?:\.\d+)*", text or "")
    return tuple(int(p) for p in match.group(0).split(".")) if match else ()


def oj_load(site: CallSite) -> Outcome | None:
    if site.qualname == "Oj.object_load":
        return Outcome("warning")
    options = " ".join(f"{a.keyword}: {a.text}" if a.keyword else a.text for a in site.args[1:])
    mode = re.search(r"mode\s*(?::|=>)\s*:(\w+)", options)  # mode: :strict, or {mode: :strict}
    if mode is None:
        return Outcome("note", "Oj's default :object mode can create objects")
    return Outcome("warning", ":object mode creates objects") if mode.group(1) == "object" else None


def sql_statement(site: CallSite) -> Outcome | None:
    # execute/query/exec are common names; the string must also look like SQL.
    query = site.arg(0)
    if query is not None and query.dynamic_string and _SQL.search(query.text):
        return Outcome("error", "SQL built from strings")
    return None


def _literal_string(text: str) -> bool:
    if text[:1] == "'" and text[-1:] == "'":
        return True
    return text[:1] == '"' and text[-1:] == '"' and not re.search(r"#[{@$]", text)


def marked_safe(site: CallSite) -> Outcome | None:
    if site.name == "html_safe":
        return None if _literal_string(site.receiver) else Outcome("warning")
    content = site.arg(0)
    return Outcome("warning") if content is not None and not content.literal else None


def render_inline(site: CallSite) -> Outcome | None:
    template = site.kwarg("inline")
    return Outcome("error") if template is not None and not template.literal else None


def both(*names: str) -> tuple[str, ...]:
    """A method called without a receiver (inside a model) or on one."""
    return tuple(n for name in names for n in (name, f"*.{name}"))
