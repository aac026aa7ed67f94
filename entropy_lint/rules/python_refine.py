"""Refine hooks and name lists for the Python table (``rules/python.py``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from entropy_lint.callsite import CallSite
from entropy_lint.rules.base import Outcome
from entropy_lint.rules.refine import version_outcome, weak_digest_outcome

SHELLS = ("subprocess.Popen", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
          "subprocess.run")
# PyYAML's loaders and constructors (and their C twins) by what they construct.
_SAFE_YAML = frozenset({"SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader", "SafeConstructor",
                        "BaseConstructor"})
_UNSAFE_YAML = frozenset({"Loader", "CLoader", "UnsafeLoader", "CUnsafeLoader", "FullLoader", "CFullLoader",
                          "Constructor", "UnsafeConstructor", "FullConstructor"})
_WEAK_HASHES = {"md4", "md5", "sha", "sha1", "ripemd160", "md5-sha1"}
# Callees that start processes (subprocess wrappers in other libraries and in the project itself):
# shell=True there means a shell; on anything else (dict(shell=...), Terminal(shell=...)) it is data.
_PROCESS_LIKE = re.compile(r"(?i)run|exec|call|popen|spawn|command|cmd|shell|process|system|check_output")
_FLAGS = {"True": True, "False": False, "None": False, "0": False, "1": True, "''": False, '""': False}


def _flag(text: str) -> bool | None:
    """The truth of a flag written as a literal; None for anything else (a name, an expression)."""
    return _FLAGS.get(text.strip())


def shell_true(site: CallSite) -> Outcome | None:
    """subprocess with a shell: ``shell=`` truthy (any non-empty string is, for subprocess)."""
    shell = site.kwarg("shell")
    if shell is None:
        return None  # subprocess.run([...]) without a shell is not a finding
    flag = _flag(shell.text) if shell.value is None else bool(shell.value)
    if flag is False:
        return None
    if flag is None:
        return Outcome("warning", "shell= is not a literal True or False")
    command = site.arg(0)
    if command is not None and command.literal:
        return Outcome("note", "constant command string")
    if command is not None and command.safe:
        return Outcome("note", "built from constants and quoted or numeric values")
    return Outcome("error")


def other_shell_true(site: CallSite) -> Outcome | None:
    """``shell=True`` on a process-starting wrapper; a shell program's path (``shell="/bin/zsh"``) or
    a flag that is not a literal says nothing here."""
    if site.qualname.startswith("subprocess.") or not _PROCESS_LIKE.search(site.qualname.rsplit(".", 1)[-1]):
        return None  # subprocess has its own rule; dict(shell=...) and kin start nothing
    shell = site.kwarg("shell")
    return Outcome("warning") if shell is not None and shell.value is None and _flag(shell.text) else None


def _loader_safe(loader: str, classes: Mapping[str, tuple[str, ...]]) -> bool:
    """A PyYAML loader (or a class of the scanned tree built on them) that constructs only plain
    data. The file's classes are looked up as written, the tree's by their last dotted part."""
    ancestry = [loader, *classes.get(loader, classes.get(loader.rsplit(".", 1)[-1], ()))]
    for name in list(ancestry):  # a file's class built on a class of another file
        ancestry += [a for a in classes.get(name.rsplit(".", 1)[-1], ()) if a not in ancestry]
    names = {name.rsplit(".", 1)[-1] for name in ancestry}
    return bool(names & _SAFE_YAML) and not names & _UNSAFE_YAML


def unsafe_yaml(site: CallSite) -> Outcome | None:
    """yaml.load with a loader that constructs Python objects, on a document that is not a constant.
    Without a loader, PyYAML 6 raises a TypeError, where earlier versions fell back to an unsafe default."""
    data = site.arg(0) or site.kwarg("stream")
    if data is not None and data.literal:
        return None  # a document written in the program itself: no outside data can name a constructor
    if data is not None and data.node_type == "call" and re.match(r"(?:yaml\.)?(?:safe_)?dump(?:_all)?\s*\(", data.text):
        return None  # yaml.unsafe_load(yaml.dump(x)): a round trip of the program's own objects
    if site.name.startswith("unsafe_"):
        return Outcome("error")
    loader = site.kwarg("Loader") or site.arg(1)
    if loader is not None:
        return None if _loader_safe(loader.text, site.facts.classes) else Outcome("error")
    if not site.qualname.startswith("yaml."):
        return Outcome("error")
    return version_outcome(site.facts.deps, "pypi:pyyaml", "PyYAML", 6, "error",
                           "load() without a Loader raises from PyYAML 6 and is unsafe before it")


def pickle_round_trip(site: CallSite) -> Outcome | None:
    """pickle.loads(pickle.dumps(x)) copies the program's own object: no outside data is read. So
    does loading a name the file shows holds only what ``dumps`` returned (``blob = dill.dumps(f)``
    then ``dill.loads(blob)``), or any value built only from such parts and numbers."""
    data = site.arg(0)
    if data is not None and data.node_type == "call" and data.text.split("(", 1)[0].rsplit(".", 1)[-1].strip() == "dumps":
        return None
    if data is not None and data.node_type == "identifier" and data.safe:
        return None
    return Outcome("warning")


def paramiko_exec(site: CallSite) -> Outcome | None:
    """exec_command runs its string through the remote shell: a warning on a paramiko client (its
    class shown by an import, a constructor or an annotation), nothing where the file shows another
    class or module (``self`` of a class without paramiko bases, ``super()``, ``compat.exec_command``),
    and a note on objects it does not show."""
    command = site.arg(0)
    if command is not None and command.literal:
        return None
    head = site.qualname.split(".", 1)[0]
    ancestry = [site.qualname, *site.facts.classes.get(head, ())]
    if any(name.startswith("paramiko.") for name in ancestry):
        if command is not None and command.safe:
            return Outcome("note", "built from constants and quoted or numeric values")
        return Outcome("warning")
    owner = site.qualname.rsplit(".", 1)[0]
    if owner != site.receiver and not owner.startswith("?"):
        return None  # self of a class the file shows, super() of a known base, or an imported module: not paramiko
    return Outcome("note", "the receiver is not known to be a paramiko client")


def weak_hash_new(site: CallSite) -> Outcome | None:
    keyword = site.kwarg("name")
    name = (site.arg_value(0) or (keyword.value if keyword is not None else None) or "").lower()
    return weak_hash(site) if name in _WEAK_HASHES else None


def weak_hash(site: CallSite) -> Outcome | None:
    flag = site.kwarg("usedforsecurity")
    if flag is not None and flag.text == "False":
        return None
    return weak_digest_outcome(site)


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
