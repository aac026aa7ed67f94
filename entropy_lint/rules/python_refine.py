"""Refine hooks and name lists for the Python table (``rules/python.py``)."""

from __future__ import annotations

from collections.abc import Callable

from entropy_lint.callsite import CallSite
from entropy_lint.rules.base import Outcome

SHELLS = ("subprocess.Popen", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
          "subprocess.run")
_SAFE_YAML = ("SafeLoader", "CSafeLoader", "BaseLoader")
_WEAK_HASHES = {"md4", "md5", "sha", "sha1", "ripemd160", "md5-sha1"}


def _truthy(text: str) -> bool:
    return text not in ("False", "None", "0", "''", '""')


def shell_true(site: CallSite) -> Outcome | None:
    shell = site.kwarg("shell")
    if shell is None or not _truthy(shell.text):
        return None  # subprocess.run([...]) without a shell is not a finding
    if not shell.literal:
        return Outcome("warning", "shell= is not a constant")
    command = site.arg(0)
    if command is not None and command.literal:
        return Outcome("note", "constant command string")
    if command is not None and command.safe:
        return Outcome("note", "built from constants and quoted or numeric values")
    return Outcome("error")


def other_shell_true(site: CallSite) -> Outcome | None:
    if site.qualname.startswith("subprocess."):
        return None  # the subprocess rule reports these
    shell = site.kwarg("shell")
    return Outcome("warning") if shell is not None and shell.literal and _truthy(shell.text) else None


def unsafe_yaml(site: CallSite) -> Outcome | None:
    loader = site.kwarg("Loader") or site.arg(1)
    if loader is not None and loader.text.split(".")[-1] in _SAFE_YAML:
        return None
    return Outcome("error")


def weak_hash_new(site: CallSite) -> Outcome | None:
    keyword = site.kwarg("name")
    name = (site.arg_value(0) or (keyword.value if keyword is not None else None) or "").lower()
    return weak_hash(site) if name in _WEAK_HASHES else None


def weak_hash(site: CallSite) -> Outcome | None:
    flag = site.kwarg("usedforsecurity")
    return None if flag is not None and flag.text == "False" else Outcome("warning")


def torch_load(site: CallSite) -> Outcome | None:
    flag = site.kwarg("weights_only")
    return None if flag is not None and flag.text == "True" else Outcome("warning")


def world_writable(site: CallSite) -> Outcome | None:
    mode = site.arg(1) or site.kwarg("mode")
    if mode is None or not mode.literal:
        return None
    try:
        value = int(mode.text.replace("_", ""), 0)
    except ValueError:
        return None
    return Outcome("warning") if value & 0o002 else None


def kwarg_is(name: str, text: str) -> Callable[[CallSite], bool]:
    """True when keyword ``name`` is written exactly as ``text`` (``verify=False``)."""

    def check(site: CallSite) -> bool:
        arg = site.kwarg(name)
        return arg is not None and arg.text == text

    return check


def autoescape_off(site: CallSite) -> bool:
    flag = site.kwarg("autoescape")
    return flag is None or flag.text == "False"


def django_extra_sql(site: CallSite) -> Outcome | None:
    """extra() with a built string anywhere, or a where=/select= using % without params=."""
    has_params = any(a.keyword == "params" for a in site.args)
    for arg in site.args:
        if arg.dynamic_string or (arg.keyword in ("where", "select") and "%" in arg.text and not has_params):
            return Outcome("warning")
    return None
