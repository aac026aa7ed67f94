"""Refine hooks and name lists for the JavaScript and TypeScript table (``rules/javascript.py``)."""

from __future__ import annotations

import functools
import re
from pathlib import PurePosixPath

from entropy_lint.callsite import Arg, CallSite
from entropy_lint.rules.base import Level, Outcome
from entropy_lint.rules.refine import positional, random_for_secrets, version_outcome, weak_digest_outcome

SPAWNERS = ("child_process.spawn", "child_process.spawnSync", "child_process.execFile",
            "child_process.execFileSync", "cross-spawn", "cross-spawn.spawn", "cross-spawn.sync", "execa",
            "execa.execa", "execa.execaSync", "execa.sync", "execa.command", "execa.commandSync",
            "execa.execaCommand", "execa.execaCommandSync")
_SHELL_PROGRAMS = frozenset({"sh", "bash", "zsh", "dash", "ksh", "csh", "tcsh", "fish", "cmd", "cmd.exe",
                             "powershell", "powershell.exe", "pwsh", "pwsh.exe"})
_FALSY = frozenset({"false", "null", "undefined", "0", "''", '""', "``"})
_WEAK_HASHES = frozenset({"md2", "md4", "md5", "sha1", "sha-1", "rsa-md5", "rsa-sha1", "md5-sha1"})
_WEAK_CIPHER = re.compile(r"(^|-)(des|des3|des-ede|des-ede3|rc2|rc4|bf|blowfish|cast|cast5|idea|seed)(-|$)|-ecb$", re.I)
_SANITIZER = re.compile(r"sanitiz|escape|purify|encode", re.I)
SQL_METHODS = ("*.query", "*.execute", "*.raw", "*.whereRaw", "*.orWhereRaw", "*.havingRaw", "*.orHavingRaw",
               "*.orderByRaw", "*.groupByRaw", "*.joinRaw", "*.$queryRawUnsafe", "*.$executeRawUnsafe",
               "*equelize.literal")
MONGO = ("*.find", "*.findOne", "*.findOneAndUpdate", "*.findOneAndDelete", "*.findOneAndReplace", "*.count",
         "*.countDocuments", "*.deleteOne", "*.deleteMany", "*.updateOne", "*.updateMany", "*.replaceOne")
JQUERY_SETTERS = ("html", "append", "prepend", "after", "before", "replaceWith")


def _sanitized(arg: Arg) -> bool:
    """A call to an escaping or sanitizing function (DOMPurify.sanitize, escapeHtml, ...), not to one
    that undoes it (unescape, decodeURIComponent)."""
    name = arg.text.split("(")[0].split("`")[0].rsplit(".", 1)[-1]
    undoes = name.lower().startswith(("un", "decode"))
    return arg.node_type == "call_expression" and bool(_SANITIZER.search(name)) and not undoes


def html_at(index: int, level: Level = "warning") -> "functools.partial[Outcome | None]":
    return functools.partial(_html_arg, index=index, level=level)


def _html_arg(site: CallSite, index: int, level: Level) -> Outcome | None:
    """HTML from argument ``index``: a constant or an escaped value is not a finding."""
    arg = site.arg(index)
    if arg is None or arg.literal or _sanitized(arg):
        return None
    return Outcome(level)


def html_methods(site: CallSite) -> Outcome | None:
    return _html_arg(site, 1 if site.name == "insertAdjacentHTML" else 0, "warning")


def document_write(site: CallSite) -> Outcome | None:
    args = positional(site)
    return None if all(a.literal or _sanitized(a) for a in args) else Outcome("warning")


def jquery(site: CallSite) -> Outcome | None:
    arg = site.arg(0)
    if arg is None or arg.literal or _sanitized(arg):
        return None
    # .html(x) parses any string; append/before/... also take nodes, so only built HTML strings count
    return Outcome("warning") if site.name == "html" or arg.dynamic_string else None


def _truthy(arg: Arg) -> bool:
    return arg.text not in _FALSY


def _shell_program(arg: Arg | None) -> bool:
    return arg is not None and arg.value is not None and \
        PurePosixPath(arg.value.replace("\\", "/")).name.lower() in _SHELL_PROGRAMS


def spawn_shell(site: CallSite) -> Outcome | None:
    """spawn/execFile run a program without a shell unless {shell: true} or the program is a shell."""
    shell = site.kwarg("shell")
    if not _shell_program(site.arg(0)):
        if shell is None or (shell.literal and not _truthy(shell)):
            return None  # an argument vector, no shell: not injectable
        if not shell.literal:
            return Outcome("warning", "the shell option is not a constant")
    command = [a for a in site.args if a.keyword is None and a.node_type != "object"]
    if all(a.literal for a in command):
        return Outcome("note", "constant command")
    return Outcome("error")


def all_constant(constant_level: Level, dynamic_level: Level) -> "functools.partial[Outcome | None]":
    return functools.partial(_every_arg, constant_level=constant_level, dynamic_level=dynamic_level)


def _every_arg(site: CallSite, constant_level: Level, dynamic_level: Level) -> Outcome | None:
    if _discarded(site):
        return None  # try { new Function(code) } catch: compiled to check its syntax, never called
    args = positional(site)
    if site.name in ("apply", "call", "bind"):
        args = args[1:]  # Function.apply(thisArg, [code]): the code comes after the receiver's this
    if not args:
        return None  # new Function() is an empty function
    if all(a.literal for a in args):
        return Outcome(constant_level, "constant arguments")
    return Outcome(dynamic_level)


_LOOK_AFTER = 400  # bytes read after a call to see whether its value is used
# Names of objects that hold a request or the page's address: their .source is text, not a RegExp.
_INPUT = re.compile(r"\b(?:req|request|query|params|body|location|search|hash|data|event|message|input|args)\b")
# Where a statement starts: after ; { or }, or at the very start of what was read (the file's start).
_STATEMENT_START = re.compile(r"(?:\A|[{};])\s*\Z")
_COMMENTS = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
# What may follow a statement whose value is thrown away; anything else ((, [, ., `, an operator)
# may continue the expression, on the same line or, without a semicolon, on the next.
_STATEMENT_END = re.compile(r"[ \t]*(?://[^\n]*)?(?:;|}|\r?\n[ \t\r\n]*(?:}|(?!in\b|instanceof\b)[A-Za-z_$])|$)")


def _discarded(site: CallSite) -> bool:
    """The call is a statement of its own, its value thrown away: a Function built and never called
    runs nothing (its body is only parsed)."""
    before, _ = site.surrounding(3, limit=400)
    if not _STATEMENT_START.search(_COMMENTS.sub("", before)):
        return False  # the call continues an expression: x = a &&\n new RegExp(s)
    after = site.following(_LOOK_AFTER)
    end = _STATEMENT_END.match(after)
    # reaching the end of what was read (a long comment, padding) says nothing: it may go on
    return end is not None and (end.end() < len(after) or len(after) < _LOOK_AFTER)


def string_timer(site: CallSite) -> Outcome | None:
    """A string first argument is evaluated as code; a function (the usual case) is not."""
    code = site.arg(0)
    if code is None:
        return None
    if code.dynamic_string:
        return Outcome("error")
    if code.literal and code.value is not None:
        return Outcome("note", "constant code string")
    return None


def unsafe_yaml(site: CallSite) -> Outcome | None:
    """js-yaml 3's load() builds functions from !!js tags; a safe schema, or js-yaml 4, does not."""
    schema = site.kwarg("schema")
    if schema is not None and re.search(r"SAFE|JSON|CORE|FAILSAFE", schema.text) and "FULL" not in schema.text:
        return None
    return version_outcome(site.facts.deps, "npm:js-yaml", "js-yaml", 4, "warning",
                           "load() constructs functions from !!js tags before js-yaml 4")


def weak_hash(site: CallSite) -> Outcome | None:
    if site.name != "createHash":
        return weak_digest_outcome(site)  # crypto-js MD5/SHA1 name the algorithm themselves
    algorithm = (site.arg_value(0) or "").lower()
    return weak_digest_outcome(site) if algorithm in _WEAK_HASHES else None


def weak_cipher(site: CallSite) -> Outcome | None:
    algorithm = site.arg_value(0)
    return Outcome("warning") if algorithm is not None and _WEAK_CIPHER.search(algorithm) else None


def dynamic_regexp(site: CallSite) -> Outcome | None:
    pattern = site.arg(0)
    if pattern is None or pattern.literal or pattern.safe or _sanitized(pattern):
        return None  # constants, numbers, and escapeRegExp(x) and friends (the input as a literal match)
    if pattern.node_type == "member_expression" and pattern.text.endswith(".source") and not _INPUT.search(pattern.text):
        return None  # new RegExp(re.source, flags): a copy of a compiled expression, with other flags
    if pattern.own:
        return None  # '^' + whitespace + '*', whitespace from define(['./var/whitespace'], ...): the program's own
    if _discarded(site):
        return None  # try { new RegExp(src, flags) } catch (e) {...}: compiled to check its syntax, never matched
    return Outcome("note")


def post_message_anywhere(site: CallSite) -> Outcome | None:
    """postMessage(message, '*') leaks what the message carries; a constant, or a string built only
    from constants and numbers ('tick-' + n++), carries nothing of the program's data."""
    message = site.arg(0)
    if site.arg_value(1) != "*" or message is None or message.literal or message.safe:
        return None
    return Outcome("note")


def new_buffer(site: CallSite) -> Outcome | None:
    first = site.arg(0)
    if first is not None and first.literal and (first.value is not None or first.node_type == "array"):
        return None  # new Buffer('text') and new Buffer([1, 2]) copy their input
    return Outcome("note")


def tls_off(site: CallSite) -> Outcome | None:
    flag = site.kwarg("rejectUnauthorized")
    return Outcome("warning") if flag is not None and flag.text == "false" else None


def tls_env(site: CallSite) -> Outcome | None:
    value = site.arg(0)
    return Outcome("warning") if value is not None and (value.value == "0" or value.text == "0") else None


def mongo_where(site: CallSite) -> Outcome | None:
    where = site.kwarg("$where")
    return Outcome("warning") if where is not None and not where.literal else None


def world_writable(site: CallSite) -> Outcome | None:
    mode = site.arg(1)
    if mode is None or not mode.literal:
        return None
    text = (mode.value if mode.value is not None else mode.text).replace("_", "").lower()
    try:
        if mode.value is not None or (len(text) > 1 and text.startswith("0") and text.isdigit()):
            value = int(text, 8)  # '777' and legacy 0777 are octal
        else:
            value = int(text, 0)
    except ValueError:
        return None
    return Outcome("warning") if value & 0o002 else None


def math_random(site: CallSite) -> Outcome | None:
    """Math.random only where its value is named like a secret; the deprecated
    crypto.pseudoRandomBytes, a bytes API asked for by name, stays a note everywhere."""
    if site.qualname == "crypto.pseudoRandomBytes" or site.name == "pseudoRandomBytes":
        return Outcome("note")
    return random_for_secrets(site)
