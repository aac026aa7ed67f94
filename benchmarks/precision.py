"""Precision benchmark (issue 12): entropy-lint's rules-only findings on the real-code corpus,
against the peers' call-level hits, plus speed, a C profile, and a seeded sample to label.

    python benchmarks/precision.py report  --tree /work/main     # findings by rule/level, recall of each peer
    python benchmarks/precision.py speed   --tree /work/main     # wall time against each peer (median of --runs)
    python benchmarks/precision.py profile --tree /work/main     # where rules-only time goes on the C part
    python benchmarks/precision.py sample  --tree /work/main --seed 12 --n 40   # findings with +-8 lines

``--tree`` is the entropy-lint checkout to measure (run as ``PYTHONPATH=TREE python -m
entropy_lint``), so the lead's main and the detection branches are measured on the same corpus
with the same peers. Needs ``benchmarks/corpus.py`` and ``benchmarks/peers.py install`` / ``run``
first. Outputs go to ``benchmarks/out/precision/`` (ignored); figures print as markdown.
"""

from __future__ import annotations

import argparse
import fnmatch
import functools
import json
import os
import pstats
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(1, str(HERE.parent))

import peers  # noqa: E402
from entropy_lint.callsite import CallSite  # noqa: E402
from entropy_lint.detect import _builtin_index, find_sites  # noqa: E402
from entropy_lint.detect.class_index import class_index  # noqa: E402
from entropy_lint.rules.c_refine import CArg, by_name, copy, only_tested, unsized_buffer  # noqa: E402
from entropy_lint.run.files import language_for  # noqa: E402
from entropy_lint.rules.refine import digest_names  # noqa: E402
from corpus import FAMILIES, FAMILY_ORDER, counts, default_root, family  # noqa: E402

OUT = HERE / "out" / "precision"
PYTHON = "/work/main/.venv/bin/python"
LEVELS = ("error", "warning", "note")

# --- peer check -> our rule ids -----------------------------------------------------------------
# A peer hit is "in scope" when its check has a counterpart here; recall is measured over those.
# Checks left out say why: by design (we do not report that), not a call (a string, an import,
# an assert, a bracket access), or no rule yet (a call-level check we have no counterpart for).

BANDIT: dict[str, tuple[str, ...]] = {
    "B102": ("EL-PY-EXEC",), "B307": ("EL-PY-EVAL",),
    "B301": ("EL-PY-PICKLE",), "B302": ("EL-PY-MARSHAL",),
    "B303": ("EL-PY-WEAK-HASH", "EL-PY-WEAK-HASH-NEW"), "B324": ("EL-PY-WEAK-HASH", "EL-PY-WEAK-HASH-NEW"),
    "B304": ("EL-PY-WEAK-CIPHER",), "B305": ("EL-PY-ECB-MODE",), "B306": ("EL-PY-MKTEMP",),
    "B308": ("EL-PY-MARK-SAFE",), "B703": ("EL-PY-MARK-SAFE",), "B310": ("EL-PY-URLOPEN",),
    "B311": ("EL-PY-RANDOM",), "B312": ("EL-PY-CLEARTEXT",), "B321": ("EL-PY-CLEARTEXT",),
    **{f"B3{n}": ("EL-PY-XML",) for n in range(13, 21)},
    "B323": ("EL-PY-UNVERIFIED-SSL",), "B501": ("EL-PY-REQUESTS-NO-VERIFY",), "B506": ("EL-PY-YAML-LOAD",),
    "B601": ("EL-PY-PARAMIKO-EXEC",), "B602": ("EL-PY-SUBPROCESS-SHELL", "EL-PY-SHELL-TRUE"),
    "B604": ("EL-PY-SHELL-TRUE", "EL-PY-SUBPROCESS-SHELL"), "B605": ("EL-PY-OS-SYSTEM",),
    "B606": ("EL-PY-EXEC-NO-SHELL",), "B610": ("EL-PY-DJANGO-EXTRA",), "B611": ("EL-PY-SQL",),
    "B614": ("EL-PY-TORCH-LOAD",), "B701": ("EL-PY-JINJA-AUTOESCAPE",), "B201": ("EL-PY-FLASK-DEBUG",),
    "B103": ("EL-PY-CHMOD-WORLD-WRITABLE",), "B612": ("EL-PY-LOGGING-LISTEN",),
}
BANDIT_OUT: dict[str, str] = {
    "B603": "by design: subprocess without a shell, a list argv",
    "B607": "by design: a program found on PATH (partial path)",
    "B101": "not a call: assert", "B110": "not a call: try/except/pass", "B112": "not a call: try/except/continue",
    "B104": "not a call: a '0.0.0.0' string", "B105": "not a call: password-like string",
    "B106": "not a call: password-like keyword", "B107": "not a call: password-like default",
    "B108": "not a call: a /tmp path string", "B608": "not a call: SQL-looking string built with formatting",
    "B613": "not a call: bidirectional characters",
    "B404": "not a call: import", "B403": "not a call: import", "B401": "not a call: import",
    "B402": "not a call: import", "B405": "not a call: import", "B406": "not a call: import",
    "B407": "not a call: import", "B408": "not a call: import", "B409": "not a call: import",
    "B410": "not a call: import", "B411": "not a call: import", "B412": "not a call: import",
    "B413": "not a call: import", "B415": "not a call: import",
    "B113": "no rule: requests without timeout (availability, not injection)",
    "B202": "no rule: tarfile.extractall without a filter", "B507": "no rule: paramiko AutoAddPolicy",
    "B505": "no rule: weak key size", "B502": "no rule: old SSL/TLS version", "B503": "no rule: old SSL/TLS default",
    "B504": "no rule: ssl without version", "B609": "no rule: shell wildcard", "B615": "no rule: hub download",
    "B702": "no rule: Mako templates", "B508": "no rule: SNMP", "B509": "no rule: SNMP",
}

ESLINT: dict[str, tuple[str, ...]] = {
    "security/detect-child-process": ("EL-JS-CHILD-PROCESS-EXEC", "EL-JS-CHILD-PROCESS-SHELL"),
    "security/detect-eval-with-expression": ("EL-JS-EVAL",),
    "security/detect-new-buffer": ("EL-JS-NEW-BUFFER",),
    "security/detect-non-literal-regexp": ("EL-JS-DYNAMIC-REGEXP",),
    "security/detect-non-literal-require": ("EL-JS-DYNAMIC-REQUIRE",),
    "security/detect-pseudoRandomBytes": ("EL-JS-MATH-RANDOM",),
}
ESLINT_OUT: dict[str, str] = {
    "security/detect-child-process:require": "not a call: require('child_process') itself",
    "security/detect-object-injection": "not a call: obj[key] access",
    "security/detect-possible-timing-attacks": "not a call: == on secret-named values",
    "security/detect-unsafe-regex": "not a call: a regex literal (ReDoS shape)",
    "security/detect-bidi-characters": "not a call: bidirectional characters",
    "security/detect-non-literal-fs-filename": "no rule: fs call with a variable path (path traversal)",
    "security/detect-buffer-noassert": "no rule: Buffer read/write with noAssert",
    "security/detect-disable-mustache-escape": "not a call: escapeMarkup = false",
    "security/detect-no-csrf-before-method-override": "not a call: middleware order",
    "parse-error": "not a call: ESLint could not parse the file",
    "eslint-directive": "not a call: ESLint's note on an unused disable comment",
}

SEMGREP: dict[str, tuple[str, ...]] = {
    "py-eval-exec": ("EL-PY-EVAL", "EL-PY-EXEC"), "py-pickle-load": ("EL-PY-PICKLE", "EL-PY-MARSHAL"),
    "py-yaml-load": ("EL-PY-YAML-LOAD",), "py-subprocess-shell": ("EL-PY-SUBPROCESS-SHELL", "EL-PY-SHELL-TRUE"),
    "py-os-system": ("EL-PY-OS-SYSTEM",), "py-weak-hash": ("EL-PY-WEAK-HASH",),
    "js-child-process-exec": ("EL-JS-CHILD-PROCESS-EXEC", "EL-JS-CHILD-PROCESS-SHELL"),
    "js-eval": ("EL-JS-EVAL", "EL-JS-NEW-FUNCTION", "EL-JS-FUNCTION-CALL"),
    "js-inner-html": ("EL-JS-INNER-HTML", "EL-JS-DOCUMENT-WRITE", "EL-JS-INSERT-HTML"),
    "js-non-literal-regexp": ("EL-JS-DYNAMIC-REGEXP",),
    "c-unbounded-copy": ("EL-C-STRCPY", "EL-C-STRCAT", "EL-C-SPRINTF", "EL-C-GETS"),
    "c-command": ("EL-C-SYSTEM", "EL-C-EXEC"),
    "java-runtime-exec": ("EL-JAVA-RUNTIME-EXEC", "EL-JAVA-PROCESS-BUILDER-SHELL"),
    "java-sql-string": ("EL-JAVA-SQL",),
    "go-exec-command": ("EL-GO-EXEC-COMMAND",), "go-weak-crypto": ("EL-GO-WEAK-HASH", "EL-GO-WEAK-CIPHER"),
    "php-exec-eval": ("EL-PHP-EXEC", "EL-PHP-EVAL"), "php-unserialize": ("EL-PHP-UNSERIALIZE",),
    "ruby-exec-eval": ("EL-RB-EXEC", "EL-RB-EVAL"), "ruby-unsafe-load": ("EL-RB-MARSHAL", "EL-RB-YAML-LOAD"),
}
SEMGREP_OUT: dict[str, str] = {}

# njsscan's ids (its own semgrep/regex rules): the call-level ones with a counterpart.
NJSSCAN: dict[str, tuple[str, ...]] = {
    "eval_nodejs": ("EL-JS-EVAL", "EL-JS-NEW-FUNCTION", "EL-JS-FUNCTION-CALL", "EL-JS-STRING-TIMER"),
    "eval_require": ("EL-JS-DYNAMIC-REQUIRE",),
    "generic_os_command_exec": ("EL-JS-CHILD-PROCESS-EXEC", "EL-JS-CHILD-PROCESS-SHELL"),
    "node_sqli_injection": ("EL-JS-SQL",), "node_md5": ("EL-JS-WEAK-HASH",), "node_sha1": ("EL-JS-WEAK-HASH",),
    "yaml_deserialize": ("EL-JS-YAML-LOAD",), "node_deserialize": ("EL-JS-NODE-SERIALIZE",),
    "vm_runinnewcontext_injection": ("EL-JS-VM-RUN",), "vm_runincontext_injection": ("EL-JS-VM-RUN",),
    "vm_compilefunction_injection": ("EL-JS-VM-RUN",), "vm_script_injection": ("EL-JS-VM-SCRIPT",),
    "node_tls_reject": ("EL-JS-TLS-ENV", "EL-JS-TLS-NO-VERIFY"), "node_curl_ssl_verify_disable": ("EL-JS-TLS-NO-VERIFY",),
    "electron_context_isolation": (), "express_xss": ("EL-JS-INNER-HTML",),
    "dom_xss": ("EL-JS-INNER-HTML", "EL-JS-DOCUMENT-WRITE", "EL-JS-INSERT-HTML"),
    "regex_injection_dos": ("EL-JS-DYNAMIC-REGEXP",),
}
NJSSCAN_OUT: dict[str, str] = {
    # EL-JS-MATH-RANDOM reports Math.random only where the value is named like a secret (see B311)
    "node_insecure_random_generator": "by design: random numbers are reported only where the value is named like a secret",
    "regex_dos": "not a call: a regex literal (ReDoS shape)",
    "generic_error_disclosure": "not a call: error object sent to a response",
    "node_username": "not a call: username-like string", "node_secret": "not a call: secret-like string",
    "node_timing_attack": "not a call: == on secret-named values", "node_logic_bypass": "not a call: comparison",
    "handlebar_mustache_template": "not a call: {{{ }}} in a template file",
    "join_resolve_path_traversal": "no rule: path.join/resolve with request data (path traversal)",
    "generic_header_injection": "no rule: response header from request data",
}
NJSSCAN_OUT_DEFAULT = "no rule or not a call (njsscan pattern without a call-level counterpart here)"

# Flawfinder's names that are not calls, or that we leave out on purpose.
FLAWFINDER_OUT: dict[str, str] = {
    "char": "not a call: fixed-size array declaration", "TCHAR": "not a call: fixed-size array declaration",
    "wchar_t": "not a call: fixed-size array declaration",
    # EL-C-RANDOM, like every randomness rule, reports only a value named like a secret
    **dict.fromkeys(("rand", "rand_r", "random", "srand", "srandom", "setstate", "drand48", "erand48", "jrand48",
                     "lcong48", "lrand48", "mrand48", "nrand48", "seed48", "g_rand_boolean", "g_rand_int",
                     "g_rand_int_range", "g_rand_double", "g_rand_double_range", "g_random_boolean", "g_random_int",
                     "g_random_int_range", "g_random_double", "g_random_double_range"),
                    "by design: random numbers are reported only where the value is named like a secret"),
}
FLAWFINDER_MIN_LEVEL = 3


def flawfinder_not_call(corpus: Path, hit: dict[str, object], cache: dict[str, list[str]]) -> str:
    """Why a Flawfinder hit is not a call of that function ("" when it is one).

    Flawfinder is lexical: it also reports the name as a variable (``access &= ...``), a
    ``using`` declaration, a prototype, a preprocessor test, or an X-macro argument. A call inside
    a ``#define`` body is a call (issue 12 counts it as a miss), so it stays in scope.
    """
    file = str(hit["file"])
    if file not in cache:
        try:
            cache[file] = (corpus / file).read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            cache[file] = []
    lines = cache[file]
    line = int(hit["line"])  # type: ignore[call-overload]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    name = re.escape(str(hit["check"]))
    stripped = text.lstrip()
    if re.match(r"#\s*(if|ifdef|ifndef|elif|undef|pragma)\b", stripped):
        return "not a call: preprocessor test"
    if re.match(r"#\s*define\s+" + name + r"\b", stripped):
        return "not a call: a macro of that name"
    following = text + " " + (lines[line] if line < len(lines) else "")
    if not re.search(r"(?<![\w.>$])" + name + r"\s*\(", following):
        return "not a call: the name without a call (variable, field, using, X-macro argument)"
    if re.match(r"(static\s+|inline\s+|extern\s+)*(int|char|void|size_t|long|unsigned|wchar_t)\b[\w\s*]*\b"
                + name + r"\s*\(\s*(const\s+)?(char|int|unsigned|size_t|void|wchar_t|struct|FILE|long)\b", stripped):
        return "not a call: a declaration or definition of that function"
    if re.search(r"\b(extern|typedef)\b", text) or re.search(
            r"\b" + name + r"\s*\(\s*(const\s+)?(char|int|unsigned|size_t|void|wchar_t|struct|FILE|long)\b[^;{]*\)\s*;",
            following):
        return "not a call: a declaration or definition of that function"
    if hit["check"] == "realpath" and re.search(r"realpath\s*\([^;]*,\s*NULL\s*\)", following):
        return "by design: realpath(p, NULL) allocates its own buffer"
    if hit["check"] == "getenv" and getenv_only_tested(text):
        return "by design: getenv only tested, compared or read as a number"
    return ""


def digest_only_names(corpus: Path, hit: dict[str, object], cache: dict[str, list[str]]) -> bool:
    """The Bandit weak-hash hit's call, read as EL-*-WEAK-HASH reads it (refine.digest_names)."""
    file = str(hit["file"])
    if file not in cache:
        cache[file] = (corpus / file).read_text(encoding="utf-8", errors="replace").splitlines()
    lines, line = cache[file], int(hit["line"])  # type: ignore[call-overload]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    start = text.find(str(hit["callee"]).rsplit(".", 1)[-1] + "(")
    if start < 0:
        return False
    depth, end = 0, len(text)
    for i in range(text.index("(", start), len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0:
            end = i + 1
            break
    prefix = text[:start].removesuffix("hashlib.")
    return bool(digest_names("\n".join(lines[max(0, line - 4):line - 1] + [prefix]), text[end:], text[start:end]))


def getenv_only_tested(text: str) -> bool:
    """Every getenv(...) call of the line only decides a branch, is compared or is read as a number
    (Flawfinder gives no column, so a line is judged as a whole)."""
    calls = list(re.finditer(r"\bgetenv\s*\([^()]*\)", text))
    return bool(calls) and all(only_tested(text[:c.start()], text[c.end():]) for c in calls)


def bandit_out_by_value(corpus: Path, hit: dict[str, object], cache: dict[str, list[str]]) -> str:
    """Bandit hits we leave out on purpose after looking at the value (B103: a mode that is not o+w),
    and B311 (any use of ``random``), which EL-PY-RANDOM reports only where the value is named like
    a secret."""
    if hit["check"] == "B311":  # read one by one in the 2026-11-29 run: test data, jitter, sampling, none a secret
        return "by design: random numbers are reported only where the value is named like a secret"
    if hit["check"] in ("B303", "B324") and digest_only_names(corpus, hit, cache):
        return "by design: a digest that only names something (an id, a file, a cache key) or whose size is read"
    if hit["check"] != "B103":
        return ""
    file = str(hit["file"])
    if file not in cache:
        cache[file] = (corpus / file).read_text(encoding="utf-8", errors="replace").splitlines()
    text = " ".join(cache[file][int(hit["line"]) - 1:int(hit["end_line"])])  # type: ignore[call-overload]
    mode = re.search(r",\s*0o?([0-7]{3,4})\b", text)
    if mode and not int(mode.group(1), 8) & 0o002:
        return "by design: chmod mode not world-writable (Bandit also flags 0o755, 0o664)"
    return ""


def run_entropy(tree: Path, corpus: Path, output: Path, include: Sequence[str] = (), python: str = PYTHON,
                extra: Sequence[str] = ()) -> list[str]:
    """The command line for a rules-only, cache-less, config-less run over ``corpus`` (cwd=corpus)."""
    cmd = [python, "-m", "entropy_lint", "check", ".", "--no-model", "--no-cache", "--isolated", "-q",
           "--fail-on", "none", "--format", "json", "-o", str(output), *extra]
    for pattern in include:
        cmd += ["--include", pattern]
    return cmd


def entropy_env(tree: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(tree)}


def load_findings(tree: Path, corpus: Path, python: str, reuse: bool = False) -> list[dict[str, object]]:
    """entropy-lint's findings over the whole corpus (``reuse``: the last run's, if there is one)."""
    OUT.mkdir(parents=True, exist_ok=True)
    output = OUT / "findings.json"
    if not (reuse and output.exists()):
        subprocess.run(run_entropy(tree, corpus, output, python=python), cwd=corpus, env=entropy_env(tree), check=True)
    findings = json.loads(output.read_text())["findings"]
    for f in findings:
        f["path"] = str(f["path"]).removeprefix("./")
    return findings  # type: ignore[no-any-return]


def rule_names(tree: Path, python: str) -> dict[str, list[str]]:
    """Rule id -> call names for C rules, from the tree's own catalog."""
    out = subprocess.run([python, "-m", "entropy_lint", "rules", "--format", "json"], env=entropy_env(tree),
                         capture_output=True, text=True, check=True).stdout
    return {r["id"]: r["names"] for r in json.loads(out) if r["id"].startswith("EL-C-")}


def flawfinder_map(c_rules: dict[str, list[str]], name: str) -> tuple[str, ...]:
    return tuple(rid for rid, names in c_rules.items() if any(fnmatch.fnmatchcase(name, n) for n in names))


def classify(hit: dict[str, object], c_rules: dict[str, list[str]], corpus: Path,
             cache: dict[str, list[str]]) -> tuple[tuple[str, ...], str]:
    """(our rule ids, "") for an in-scope hit, else ((), why it is out of scope)."""
    tool, check = hit["tool"], str(hit["check"])
    if tool == "flawfinder":
        if check in FLAWFINDER_OUT:
            return (), FLAWFINDER_OUT[check]
        why = flawfinder_not_call(corpus, hit, cache)
        if why:
            return (), why
        mapped = flawfinder_map(c_rules, check)
        return (mapped, "") if mapped else ((), f"no rule: {check}")
    if tool == "bandit" and bandit_out_by_value(corpus, hit, cache):
        return (), bandit_out_by_value(corpus, hit, cache)
    table, out = {"bandit": (BANDIT, BANDIT_OUT), "eslint": (ESLINT, ESLINT_OUT), "semgrep": (SEMGREP, SEMGREP_OUT),
                  "njsscan": (NJSSCAN, NJSSCAN_OUT)}[str(tool)]
    if table.get(check):
        return table[check], ""
    return (), out.get(check, NJSSCAN_OUT_DEFAULT if tool == "njsscan" else f"unmapped: {check}")


def recall(findings: list[dict[str, object]], hits: list[dict[str, object]], c_rules: dict[str, list[str]],
           corpus: Path) -> dict[str, dict[str, object]]:
    """Per (tool, family): in-scope hits, how many matched, the misses, and the out-of-scope tally."""
    by_file: dict[str, list[dict[str, object]]] = defaultdict(list)
    for f in findings:
        by_file[str(f["path"])].append(f)
    seen: set[tuple[object, ...]] = set()
    cache: dict[str, list[str]] = {}
    sites_cache: dict[str, list[CallSite]] = {}
    result: dict[str, dict[str, object]] = {}
    for hit in hits:
        if hit["tool"] == "flawfinder" and int(hit["level"]) < FLAWFINDER_MIN_LEVEL:  # type: ignore[call-overload]
            continue
        key = (hit["tool"], hit["check"], hit["file"], hit["line"])
        if key in seen:  # one call reported twice by the same check counts once
            continue
        seen.add(key)
        fam = family(str(hit["file"]))
        if fam is None:
            continue
        slot = result.setdefault(f"{hit['tool']}|{fam}", {"in_scope": 0, "matched": 0, "misses": [], "out": Counter()})
        rules, why = classify(hit, c_rules, corpus, cache)
        if not rules:
            slot["out"][why] += 1  # type: ignore[index]
            continue
        slot["in_scope"] += 1  # type: ignore[operator]
        lo, hi = int(hit["line"]), int(hit["end_line"])  # type: ignore[call-overload]
        if any(f["rule_id"] in rules and int(f["line"]) <= hi and lo <= int(f["end_line"])  # type: ignore[call-overload]
               for f in by_file.get(str(hit["file"]), ())):
            slot["matched"] += 1  # type: ignore[operator]
            continue
        why = miss_by_design(corpus, hit, sites_cache) or refined_away(corpus, hit, rules, sites_cache)
        if why:
            slot["in_scope"] -= 1  # type: ignore[operator]
            slot["out"][why] += 1  # type: ignore[index]
        else:
            slot["misses"].append(hit)  # type: ignore[attr-defined]
    return result


FAMILY_LANGUAGE = {"python": "python"}  # families whose rules refined_away reads

# Why a rule leaves a call out, by rule: what its refine hook reads in the call's values.
_LEFT_OUT = {
    "EL-PY-PICKLE": "a round trip of the program's own data (loads of what dumps just gave)",
    "EL-PY-MARSHAL": "a round trip of the program's own data (loads of what dumps just gave)",
    "EL-PY-YAML-LOAD": "a safe loader (SafeLoader, or a class of the tree built on it) or a constant document",
    "EL-PY-PARAMIKO-EXEC": "exec_command on an object the file shows is not a paramiko client, or a constant command",
    "EL-PY-SUBPROCESS-SHELL": "shell= that is not a true flag, or a call that is not a process API",
}


def _sites(corpus: Path, file: str, cache: dict[str, list[CallSite]]) -> list[CallSite]:
    if file not in cache:
        path = corpus / file
        language = language_for(str(path), path.read_text(encoding="utf-8", errors="replace")[:200])
        cache[file] = find_sites(language, path.read_bytes()) if language else []
    return cache[file]


@functools.cache
def tree_classes(corpus: Path) -> dict[str, tuple[str, ...]]:
    """The corpus's class index, as a run over it builds one (detect/class_index.py)."""
    texts = (p.read_text(encoding="utf-8", errors="replace") for p in sorted(corpus.rglob("*.py")) if p.is_file())
    return class_index(texts)


def refined_away(corpus: Path, hit: dict[str, object], rules: Sequence[str], cache: dict[str, list[CallSite]]) -> str:
    """A peer's hit on a call we extract and match to the same rule, whose refine hook then leaves it
    out (see ``_LEFT_OUT``): by design, with the rule's reason."""
    file, lo, hi = str(hit["file"]), int(hit["line"]), int(hit["end_line"])  # type: ignore[call-overload]
    language = FAMILY_LANGUAGE.get(family(file) or "")
    if language is None:
        return ""
    for site in _sites(corpus, file, cache):
        if not lo <= site.row + 1 <= hi:
            continue
        site = site.with_facts(replace(site.facts, classes=MappingProxyType({**tree_classes(corpus),
                                                                             **site.facts.classes})))
        for rule in _builtin_index(language_for(file, "") or language).candidates(site):
            if rule.id in rules and rule.id in _LEFT_OUT and rule.refine is not None and rule.refine(site) is None:
                return f"by design: {_LEFT_OUT[rule.id]}"
    return ""


def miss_by_design(corpus: Path, hit: dict[str, object], cache: dict[str, list[CallSite]]) -> str:
    """Why a peer's hit we did not report is left out on purpose, read from our own analysis of the
    call on that line: a getenv() whose stored value is only tested, a RegExp built from the program's
    own modules (relative imports, AMD dependencies, a regular expression's .source), a string copied
    into a buffer allocated for it."""
    file, line = str(hit["file"]), int(hit["line"])  # type: ignore[call-overload]
    callee = str(hit.get("callee") or hit["check"]).rsplit(".", 1)[-1].rsplit(":", 1)[-1]
    if callee not in ("getenv", "RegExp", "strcpy", "wcscpy", "realpath", "snprintf", "sprintf", "readlink"):
        return ""
    for site in _sites(corpus, file, cache):
        if site.row + 1 != line or site.name != callee:
            continue
        if callee == "readlink" and by_name(site) is None:
            return "by design: readlink of the process's own /proc/self link"
        if callee == "realpath" and unsized_buffer(site) is None:
            return "by design: realpath into a buffer of PATH_MAX bytes (or a project's own PATH_MAX)"
        fmt = site.arg({"sprintf": 1, "snprintf": 2}.get(callee, -99))
        if isinstance(fmt, CArg) and fmt.macro_parameter and fmt.literal:
            return "by design: a macro's format that every use of the macro fills with a string literal"
        if callee in ("strcpy", "wcscpy") and copy(site) is None:
            return "by design: the destination holds the copy (allocated for it, a checked length, a constant that fits)"
        if callee == "getenv" and site.start in site.facts.only_tested:
            return "by design: getenv stored in a variable that is only tested, compared or read as a number"
        pattern = site.arg(0)
        if callee == "RegExp" and pattern is not None and pattern.own:
            return "by design: a RegExp built from the program's own modules (imports, AMD dependencies, .source) or escaped text"
        if callee == "RegExp" and pattern is not None and (pattern.literal or pattern.safe):
            return "by design: a RegExp built only from constants, numbers and escaped text"
    return ""


def report(args: argparse.Namespace) -> None:
    corpus: Path = args.corpus.resolve()
    findings = load_findings(args.tree, corpus, args.python, args.reuse)
    hits = json.loads((peers.PEERS / "hits.json").read_text())
    c_rules = rule_names(args.tree, args.python)
    print(f"## Findings ({len(findings)}), rules only, tree {args.tree} at {commit(args.tree)}\n")
    print("| family | files | findings | error | warning | note | top rules |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | --- |")
    files = counts(corpus)
    per_family: dict[str, list[dict[str, object]]] = defaultdict(list)
    for f in findings:
        per_family[family(str(f["path"])) or "other"].append(f)
    for fam in FAMILY_ORDER:
        fs = per_family.get(fam, [])
        levels = Counter(str(f["level"]) for f in fs)
        top = ", ".join(f"{r.removeprefix('EL-')} {n}" for r, n in Counter(str(f["rule_id"]) for f in fs).most_common(6))
        print(f"| {fam} | {files[fam]} | {len(fs)} | {levels['error']} | {levels['warning']} | {levels['note']} | {top} |")
    table = recall(findings, hits, c_rules, corpus)
    print("\n## Recall of the peers' call-level hits\n")
    print("| peer | family | in scope | matched | recall | out of scope (top reasons) |")
    print("| --- | --- | ---: | ---: | ---: | --- |")
    for key in sorted(table, key=lambda k: (k.split("|")[0], FAMILY_ORDER.index(k.split("|")[1]))):
        tool, fam = key.split("|")
        slot = table[key]
        n, m = int(slot["in_scope"]), int(slot["matched"])  # type: ignore[call-overload]
        out: Counter[str] = slot["out"]  # type: ignore[assignment]
        reasons = "; ".join(f"{why} {c}" for why, c in out.most_common(4))
        rate = f"{100 * m / n:.0f}%" if n else "-"
        print(f"| {tool} | {fam} | {n} | {m} | {rate} | {sum(out.values())}: {reasons} |")
    print("\n## Missed in-scope hits by peer and callee (top 12 each)\n")
    dump: dict[str, object] = {}
    for key, slot in sorted(table.items()):
        misses: list[dict[str, object]] = slot["misses"]  # type: ignore[assignment]
        dump[key] = {"in_scope": slot["in_scope"], "matched": slot["matched"], "out": dict(slot["out"]),  # type: ignore[call-overload]
                     "misses": misses}
        if misses:
            tally = Counter(f"{h['check']}:{h['callee']}" for h in misses)
            print(f"- {key.replace('|', ' / ')}: " + ", ".join(f"{c} {n}" for c, n in tally.most_common(12)))
    (OUT / "recall.json").write_text(json.dumps(dump, indent=1, default=str))
    print(f"\n(misses with locations: {OUT / 'recall.json'})")


def commit(tree: Path) -> str:
    proc = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return proc.stdout.strip() or "?"


# --- speed ----------------------------------------------------------------------------------------

def _globs(fam: str) -> list[str]:
    return [f"*{ext}" for ext, f in FAMILIES.items() if f == fam]


def _timed(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def speed(args: argparse.Namespace) -> None:
    corpus: Path = args.corpus.resolve()
    tmp = Path(tempfile.mkdtemp(prefix="precision-speed-"))
    env = entropy_env(args.tree)
    pairs = {
        "python": ("bandit", peers.bandit_cmd(corpus, tmp / "b.json"), _globs("python")),
        "c/c++": ("flawfinder", peers.flawfinder_cmd(corpus), _globs("c/c++")),
        "js/ts": ("eslint", peers.eslint_cmd(corpus, tmp / "e.json"), _globs("js/ts")),
        "js/ts (njsscan)": ("njsscan", peers.njsscan_cmd(corpus, tmp / "n.json"), _globs("js/ts")),
        "all": ("semgrep", peers.semgrep_cmd(corpus, tmp / "s.json"), []),
    }
    chosen = [k for k in pairs if not args.only or k.split(" ")[0] in args.only or pairs[k][0] in args.only]
    print(f"Rules-only wall time, median of {args.runs} alternating runs, no caches; tree {args.tree} at "
          f"{commit(args.tree)}; entropy-lint --jobs {args.jobs if args.jobs is not None else 'default'}\n")
    print("| files | peer | peer s | entropy-lint s | entropy-lint speed vs peer | runs (peer / ours) |")
    print("| --- | --- | ---: | ---: | ---: | --- |")
    for key in chosen:
        tool, peer_cmd, globs = pairs[key]
        ours_cmd = run_entropy(args.tree, corpus, tmp / "el.json", include=globs, python=args.python,
                               extra=["--jobs", str(args.jobs)] if args.jobs is not None else [])
        theirs, ours = [], []
        for _ in range(args.runs):
            theirs.append(_timed(peer_cmd, corpus, peers.njsscan_env() if tool == "njsscan" else None))
            ours.append(_timed(ours_cmd, corpus, env))
        t, o = statistics.median(theirs), statistics.median(ours)
        print(f"| {key} | {tool} | {t:.1f} | {o:.1f} | {t / o:.2f}x | {[round(x, 1) for x in theirs]} / "
              f"{[round(x, 1) for x in ours]} |", flush=True)


# --- profile ----------------------------------------------------------------------------------

# Self time is put in a bucket by where the function lives; tree-sitter's parse is a C method.
BUCKETS: tuple[tuple[str, str], ...] = (
    ("tree_sitter.Parser", "parse (tree-sitter)"),
    ("entropy_lint/detect/__init__", "rule index and matching (detect/__init__)"),
    ("entropy_lint/detect/", "extraction (detect/)"),
    ("entropy_lint/rules/", "rules and refine hooks (rules/)"),
    ("tree_sitter", "extraction (tree-sitter node calls)"),
    ("entropy_lint/run/files", "file discovery (run/files)"),
    ("pathspec", "file discovery (run/files)"),
    ("posix.scandir", "file discovery (run/files)"),
    ("os.py", "file discovery (run/files)"),
    ("entropy_lint/run/sources", "reading and decoding (run/sources)"),
    ("entropy_lint/run/pipeline", "pipeline bookkeeping (run/pipeline)"),
    ("entropy_lint/findings", "pipeline bookkeeping (run/pipeline)"),
    ("entropy_lint/lines", "pipeline bookkeeping (run/pipeline)"),
    ("importlib", "imports and start-up"),
    ("<frozen", "imports and start-up"),
    ("marshal", "imports and start-up"),
    ("entropy_lint/report", "report rendering"),
    ("json/", "report rendering"),
)


def bucket(filename: str, name: str) -> str:
    where = f"{filename}:{name}"
    for needle, label in BUCKETS:
        if needle in where:
            return label
    return "other"


# Pipeline stages by the cumulative time of the function that does each (file part, function name);
# a stage whose function a tree does not have prints as absent, so the table survives refactors.
STAGES: tuple[tuple[str, str, str], ...] = (
    ("file discovery", "entropy_lint/run/files.py", "discover"),
    ("reading and decoding files", "entropy_lint/run/sources.py", "load"),
    ("tree-sitter parse", "~", "<method 'parse' of 'tree_sitter.Parser' objects>"),
    ("call extraction (detect/c.py extract, without parse)", "entropy_lint/detect/c.py", "extract"),
    ("rule index built per file (RuleIndex.__init__)", "entropy_lint/detect/__init__.py", "__init__"),
    ("rule matching and refine hooks (RuleIndex.match)", "entropy_lint/detect/__init__.py", "match"),
    ("line index (lines.py)", "entropy_lint/lines.py", "__init__"),
)

# Runs the CLI under cProfile with CPU time as the clock: the machine is shared, and wall-clock
# self times would charge other processes' load to whatever function was running.
_PROFILE = (
    "import cProfile, runpy, sys, time\n"
    "out = sys.argv[1]; sys.argv = ['entropy-lint', *sys.argv[2:]]\n"
    "p = cProfile.Profile(time.process_time)\n"
    "try:\n"
    "    p.runcall(runpy.run_module, 'entropy_lint', run_name='__main__')\n"
    "except SystemExit:\n"
    "    pass\n"
    "p.dump_stats(out)\n"
)


def profile(args: argparse.Namespace) -> None:
    corpus: Path = args.corpus.resolve()
    OUT.mkdir(parents=True, exist_ok=True)
    prof = OUT / "c.prof"
    cmd = run_entropy(args.tree, corpus, OUT / "c-findings.json", include=_globs("c/c++"), python=args.python)
    cmd[1:3] = ["-c", _PROFILE, str(prof)]  # in place of "-m entropy_lint": the snippet runs the module
    wall = _timed(cmd, corpus, entropy_env(args.tree))
    stats = pstats.Stats(str(prof))
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]] = stats.stats  # type: ignore[attr-defined]
    total = max(v[3] for v in raw.values())
    nfiles = counts(corpus)["c/c++"]
    print(f"cProfile (CPU time) of a rules-only run over the C/C++ part ({nfiles} files), tree {args.tree} at "
          f"{commit(args.tree)}: {total:.1f} s CPU in all, {wall:.1f} s wall under the profiler\n")
    print("| stage (cumulative CPU time of the function doing it) | s | share of the run |")
    print("| --- | ---: | ---: |")
    for label, part, name in STAGES:
        cum = sum(v[3] for k, v in raw.items() if part in k[0] and k[2] == name)
        shown = f"{cum:.2f} | {100 * cum / total:.0f}%" if cum else "absent | -"
        print(f"| {label} | {shown} |")
    buckets: dict[str, float] = defaultdict(float)
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in raw.items():
        buckets[bucket(filename, name)] += tottime
    print("\n| where (self time, by module) | s | share |")
    print("| --- | ---: | ---: |")
    for label, t in sorted(buckets.items(), key=lambda kv: kv[1], reverse=True):
        print(f"| {label} | {t:.2f} | {100 * t / total:.0f}% |")
    print("\nTop functions by self time:\n```")
    rows = sorted(raw.items(), key=lambda kv: kv[1][2], reverse=True)[:args.top]
    for (filename, line, name), (_cc, nc, tottime, cumtime, _c) in rows:
        short = filename.split("entropy_lint/")[-1] if "entropy_lint/" in filename else Path(filename).name
        print(f"{tottime:7.2f} s self {cumtime:7.2f} s cum {nc:>9} calls  {short}:{line}({name})")
    print("```")


# --- sample -----------------------------------------------------------------------------------

def sample(args: argparse.Namespace) -> None:
    corpus: Path = args.corpus.resolve()
    findings = load_findings(args.tree, corpus, args.python, args.reuse)
    findings.sort(key=lambda f: (str(f["path"]), int(f["line"]), int(f["column"]), str(f["rule_id"])))  # type: ignore[call-overload]
    rng = random.Random(args.seed)
    picked = sorted(rng.sample(range(len(findings)), args.n))
    print(f"# plain random sample of {args.n} of {len(findings)} findings, seed {args.seed}, "
          f"tree {args.tree} at {commit(args.tree)}\n")
    for number, index in enumerate(picked, 1):
        f = findings[index]
        path, line = str(f["path"]), int(f["line"])  # type: ignore[call-overload]
        lines = (corpus / path).read_text(encoding="utf-8", errors="replace").splitlines()
        print(f"=== {number}. {path}:{line}:{f['column']} {f['rule_id']} {f['level']} {f['message']}")
        print(f"    snippet: {str(f['snippet'])[:200]}")
        for n in range(max(1, line - args.context), min(len(lines), line + args.context) + 1):
            print(f"{'>' if n == line else ' '}{n:5} {lines[n - 1][:160]}")
        print()


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("report", "speed", "profile", "sample"))
    parser.add_argument("--tree", type=Path, default=HERE.parent, help="entropy-lint checkout to measure")
    parser.add_argument("--python", default=PYTHON, help="interpreter with entropy-lint's dependencies")
    parser.add_argument("--corpus", type=Path, default=default_root())
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", default=[], help="speed: only these families or peers")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--jobs", type=int, help="speed: entropy-lint's --jobs (default: its own, one per core)")
    parser.add_argument("--reuse", action="store_true", help="report/sample: reuse the last run's findings")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--context", type=int, default=8)
    args = parser.parse_args(list(argv) if argv is not None else None)
    args.tree = args.tree.resolve()
    {"report": report, "speed": speed, "profile": profile, "sample": sample}[args.action](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
