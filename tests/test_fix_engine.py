"""Fix templates made concrete: real files, real tree-sitter, real detection; no model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from entropy_lint.findings import Finding, Fix, Replacement, fix_summary, from_dict, message, to_dict
from entropy_lint.fix import FileFindings, offer, sound
from entropy_lint.fix.context import FileContext
from entropy_lint.fix.edits import Edit, OverlapError, apply, edits_of, moved, moved_start, normalized, replacements
from entropy_lint.fix.engine import verified
from entropy_lint.fix.expand import CONDITIONS, PLACEHOLDERS, placeholder_names
from entropy_lint.languages import LANGUAGES
from entropy_lint.lines import LineIndex
from entropy_lint.rules import catalog, rules_for
from entropy_lint.run.pipeline import LintSettings, detect_findings
from entropy_lint.run.sources import Source

SAMPLES = Path(__file__).parent / "samples"


def findings_with_fixes(language: str, code: str) -> list[Finding]:
    found, _hidden, _notes = detect_findings(Source("t", code, language), LintSettings())
    (fixed,) = offer([FileFindings(code, language, found)])
    return fixed


def previews(language: str, code: str, rule: str) -> list[tuple[str, str]]:
    """(safety, the call as rewritten) of each fix of the one finding of ``rule``, best first."""
    (finding,) = [f for f in findings_with_fixes(language, code) if f.rule_id == rule]
    return [(x.safety, x.preview) for x in finding.fixes]


def fixed_text(language: str, code: str, rule: str, which: int = 0) -> str:
    (finding,) = [f for f in findings_with_fixes(language, code) if f.rule_id == rule]
    return apply(code, edits_of(finding.fixes[which].replacements))


# --- the issue's list, language by language ---------------------------------------------------------------

CASES = [
    ("python", "import yaml\ncfg = yaml.load(fh)\n", "EL-PY-YAML-LOAD",
     [("safe", "yaml.safe_load(fh)"), ("safe", "yaml.load(fh, Loader=yaml.SafeLoader)")]),
    ("python", "import hashlib\nd = hashlib.md5(data)\n", "EL-PY-WEAK-HASH",
     [("review", "hashlib.sha256(data)"), ("review", "hashlib.md5(data, usedforsecurity=False)")]),
    ("python", "import subprocess\nsubprocess.run('tar xf ' + path, shell=True)\n", "EL-PY-SUBPROCESS-SHELL",
     [("review", "subprocess.run(['tar', 'xf', path])"), ("review", "subprocess.run(shlex.split('tar xf ' + path))")]),
    ("python", 'import subprocess\nsubprocess.run(f"convert {src} out.png", shell=True)\n', "EL-PY-SUBPROCESS-SHELL",
     [("review", 'subprocess.run(["convert", src, "out.png"])'), ("review", 'subprocess.run(shlex.split(f"convert {src} out.png"))')]),
    ("python", "value = eval(text)\n", "EL-PY-EVAL", [("review", "ast.literal_eval(text)"), ("review", "json.loads(text)")]),
    ("python", "import tempfile\np = tempfile.mktemp()\n", "EL-PY-MKTEMP",
     [("review", "tempfile.NamedTemporaryFile(delete=False).name"), ("review", "tempfile.mkstemp()[1]")]),
    ("python", "import requests\nrequests.get(url, verify=False, timeout=5)\n", "EL-PY-REQUESTS-NO-VERIFY",
     [("review", "requests.get(url, timeout=5)")]),
    ("python", "import sqlite3\ncur.execute(f\"SELECT * FROM t WHERE name = '{name}' AND n = {n}\")\n", "EL-PY-SQL",
     [("safe", 'cur.execute("SELECT * FROM t WHERE name = ? AND n = ?", (name, n))')]),
    ("c", "void f(const char *s) { char d[16]; strcpy(d, s); }\n", "EL-C-STRCPY",
     [("safe", 'snprintf(d, sizeof d, "%s", s)')]),
    ("c", "void f(const char *s) { char d[16]; sprintf(d, \"<%s>\", s); }\n", "EL-C-SPRINTF",
     [("safe", 'snprintf(d, sizeof d, "<%s>", s)')]),
    ("c", "void f(void) { char line[80]; gets(line); }\n", "EL-C-GETS",
     [("safe", '(fgets(line, sizeof line, stdin) ? (line[strcspn(line, "\\n")] = \'\\0\', line) : NULL)'),
      ("review", "fgets(line, sizeof line, stdin)")]),
    ("c", "void f(const char *s) { char d[64] = \"x\"; strcat(d, s); }\n", "EL-C-STRCAT",
     [("safe", 'snprintf(d + strlen(d), sizeof d - strlen(d), "%s", s)'), ("safe", "strncat(d, s, sizeof d - strlen(d) - 1)")]),
    ("cpp", "void f(const char *s) { char d[16]; strcpy(d, s); }\n", "EL-C-STRCPY", [("safe", 'snprintf(d, sizeof d, "%s", s)')]),
    ("javascript", "el.innerHTML = comment;\n", "EL-JS-INNER-HTML", [("review", "el.textContent = comment")]),
    ("javascript", "const cp = require('child_process');\ncp.exec('ls -l ' + dir, done);\n", "EL-JS-CHILD-PROCESS-EXEC",
     [("review", "cp.execFile('ls', ['-l', dir], done)"),
      ("review", "require('child_process').execFile('ls', ['-l', dir], done)")]),
    ("typescript", "const nonce: number = Math.random();\n", "EL-JS-MATH-RANDOM",
     [("review", "(crypto.getRandomValues(new Uint32Array(1))[0] / 2 ** 32)")]),
    ("typescript", "const sessionId = Math.random().toString(36).slice(2);\n", "EL-JS-MATH-RANDOM",
     [("review", "(crypto.getRandomValues(new Uint32Array(1))[0] / 2 ** 32)")]),
    ("javascript", "const mysql = require('mysql');\ndb.query('DELETE FROM t WHERE id = ' + id, (err) => done(err));\n", "EL-JS-SQL",
     [("safe", "db.query('DELETE FROM t WHERE id = ?', [id], (err) => done(err))")]),
    ("tsx", "const v = eval(body);\n", "EL-JS-EVAL", [("review", "JSON.parse(body)")]),
    ("javascript", "const raw = new Buffer(token, 'base64');\n", "EL-JS-NEW-BUFFER", [("safe", "Buffer.from(token, 'base64')")]),
    ("java", "class A { byte[] f(byte[] d) throws Exception { return MessageDigest.getInstance(\"MD5\").digest(d); } }\n",
     "EL-JAVA-WEAK-HASH", [("review", 'MessageDigest.getInstance("SHA-256")')]),
    ("php", "<?php\n$h = md5($password);\n", "EL-PHP-WEAK-HASH", [("review", "password_hash($password, PASSWORD_DEFAULT)")]),
    ("php", "<?php\n$h = md5($body);\n", "EL-PHP-WEAK-HASH", [("review", "hash('sha256', $body)")]),
    ("ruby", "cfg = YAML.load(text)\n", "EL-RB-YAML-LOAD", [("safe", "YAML.safe_load(text)")]),
]


@pytest.mark.parametrize(("language", "code", "rule", "expected"), CASES, ids=[f"{c[2]}-{i}" for i, c in enumerate(CASES)])
def test_the_rewrites_the_issue_asks_for(language: str, code: str, rule: str, expected: list[tuple[str, str]]) -> None:
    assert previews(language, code, rule) == expected


def test_go_md5_becomes_sha256_with_the_import_swapped() -> None:
    code = 'package main\n\nimport (\n\t"crypto/md5"\n\t"fmt"\n)\n\nfunc f(d []byte) { fmt.Println(md5.Sum(d)) }\n'
    assert fixed_text("go", code, "EL-GO-WEAK-HASH") == \
        'package main\n\nimport (\n\t"fmt"\n\t"crypto/sha256"\n)\n\nfunc f(d []byte) { fmt.Println(sha256.Sum256(d)) }\n'
    still_used = code.replace("md5.Sum(d))", "md5.Sum(d), md5.Size)")
    assert '"crypto/md5"' in fixed_text("go", still_used, "EL-GO-WEAK-HASH")


def test_imports_are_added_once_where_the_file_keeps_them() -> None:
    code = '"""Doc."""\nimport os\nimport sys\n\nout = os.popen\nvalue = eval(text)\n'
    assert fixed_text("python", code, "EL-PY-EVAL") == \
        '"""Doc."""\nimport os\nimport sys\nimport ast\n\nout = os.popen\nvalue = ast.literal_eval(text)\n'
    already = "import ast\nvalue = eval(text)\n"
    assert fixed_text("python", already, "EL-PY-EVAL") == "import ast\nvalue = ast.literal_eval(text)\n"
    java = "package a;\n\nimport java.util.List;\n\nclass A { Object salt = new Random(); }\n"
    assert fixed_text("java", java, "EL-JAVA-RANDOM") == \
        "package a;\n\nimport java.util.List;\nimport java.security.SecureRandom;\n\nclass A { Object salt = new SecureRandom(); }\n"
    c = "#include <string.h>\n\nvoid f(const char *s) { char d[8]; strcpy(d, s); }\n"
    assert fixed_text("c", c, "EL-C-STRCPY").startswith("#include <string.h>\n#include <stdio.h>\n\n")
    ruby = "require 'yaml'\nx = Marshal.load(blob)\n"
    assert fixed_text("ruby", ruby, "EL-RB-MARSHAL") == "require 'yaml'\nrequire 'json'\nx = JSON.parse(blob)\n"


def test_a_new_line_takes_the_files_line_ending() -> None:
    assert fixed_text("python", "import os\r\nv = eval(t)\r\n", "EL-PY-EVAL") == "import os\r\nimport ast\r\nv = ast.literal_eval(t)\r\n"
    assert fixed_text("python", "import os\rv = eval(t)\r", "EL-PY-EVAL") == "import os\rimport ast\rv = ast.literal_eval(t)\r"


# --- what is not offered ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "code", "rule"), [
    # sizeof of a pointer, or of an array parameter (a pointer too), is not the buffer's size
    ("c", "void f(char *d, const char *s) { strcpy(d, s); }\n", "EL-C-STRCPY"),
    ("c", "void f(char d[16], const char *s) { strcpy(d, s); }\n", "EL-C-STRCPY"),
    ("c", "void f(const char *s) { char d[16]; { char *d = 0; strcpy(d, s); } }\n", "EL-C-STRCPY"),
    # snprintf returns an int, strcpy the destination: only where the value is not used
    ("c", "char *f(const char *s) { static char d[16]; return strcpy(d, s); }\n", "EL-C-STRCPY"),
    # a renamed callee must resolve: from-imports are not rewritten by name
    ("python", "from yaml import load\ncfg = load(fh)\n", "EL-PY-YAML-LOAD"),
])
def test_no_fix_where_the_rewrite_would_be_wrong(language: str, code: str, rule: str) -> None:
    assert previews(language, code, rule) == []


def test_a_command_in_a_variable_is_not_split_into_words() -> None:
    code = "import subprocess\nsubprocess.run(cmd, shell=True)\n"
    assert previews("python", code, "EL-PY-SUBPROCESS-SHELL") == [("review", "subprocess.run(shlex.split(cmd))")]
    quoted = "import subprocess\nsubprocess.run('grep \"' + word + '\" f', shell=True)\n"
    assert [p for _, p in previews("python", quoted, "EL-PY-SUBPROCESS-SHELL")] == \
        ["subprocess.run(shlex.split('grep \"' + word + '\" f'))"]


def test_sql_values_inside_a_longer_string_are_left_to_the_author() -> None:
    code = "import sqlite3\ncur.execute(\"SELECT * FROM t WHERE name LIKE '%\" + q + \"%'\")\n"
    assert previews("python", code, "EL-PY-SQL") == []
    unknown_driver = "cur.execute(\"SELECT * FROM t WHERE id = \" + n)\n"
    assert previews("python", unknown_driver, "EL-PY-SQL") == []


# --- verification ----------------------------------------------------------------------------------------

def test_verification_rejects_parse_errors_the_same_finding_and_new_findings() -> None:
    code = "import yaml\n\ndef f(fh):\n    return yaml.load(fh)\n"
    ctx = FileContext.of(code, "python")
    start = code.index("yaml.load")
    span = (start, code.index(")", start) + 1)
    name = code.index("load(")
    assert verified(ctx, [Edit(name, name + 4, "safe_load")], "EL-PY-YAML-LOAD", span) is not None
    assert verified(ctx, [Edit(name, name + 4, "safe_load(")], "EL-PY-YAML-LOAD", span) is None  # does not parse
    assert verified(ctx, [Edit(name, name + 4, "unsafe_load")], "EL-PY-YAML-LOAD", span) is None  # still fires
    assert verified(ctx, [Edit(name, name + 4, "safe_load"), Edit(0, 0, "eval(x)\n")], "EL-PY-YAML-LOAD", span) is None
    assert verified(ctx, [], "EL-PY-YAML-LOAD", span) is None  # no change is no fix


def test_a_file_that_already_had_errors_may_keep_them_but_not_gain_any() -> None:
    code = "import yaml\nx = yaml.load(fh)\ndef broken(:\n"
    assert previews("python", code, "EL-PY-YAML-LOAD")[0] == ("safe", "yaml.safe_load(fh)")
    assert sound("python", code, code.replace("yaml.load", "yaml.safe_load"))
    assert not sound("python", code, code.replace("(fh)", "(fh"))


def test_every_offered_fix_on_the_sample_files_passes_verification_when_applied() -> None:
    offered = 0
    for path in sorted(p for p in SAMPLES.rglob("*") if p.is_file()):
        from entropy_lint.languages import language_for

        language = language_for(path.name)
        if language is None:
            continue
        text = path.read_text(encoding="utf-8")
        for finding in findings_with_fixes(language, text):
            for fix in finding.fixes:
                offered += 1
                assert sound(language, text, apply(text, edits_of(fix.replacements))), (path.name, fix)
    assert offered >= 30


def test_rewrites_checked_together_are_the_rewrites_checked_alone() -> None:
    """Verification batches the rewrites of different calls; nested calls (each rewrite changes
    the other's call text) and calls far apart must come out as if each were checked alone."""
    import entropy_lint.fix.engine as engine

    code = ("const el = $('#x');\nel.html($('<span>').html(name));\n" + "let k = 1;\n" * 40 +
            "document.body.innerHTML = name;\n$('#y').html(title);\nel.innerHTML = comment;\n")
    together = previews_of_all("javascript", code)
    alone_calls = []
    original = engine._verify_together

    def alone(ctx, proposals):  # type: ignore[no-untyped-def]
        alone_calls.append(len(proposals))
        return [engine._passes(ctx, p.text, [(p.edits, p.rule_id, p.span)]) == [True] for p in proposals]

    engine._verify_together = alone
    try:
        assert previews_of_all("javascript", code) == together
    finally:
        engine._verify_together = original
    assert alone_calls and sum(len(f) for f in together) >= 3


def previews_of_all(language: str, code: str) -> list[list[str]]:
    return [[x.preview for x in f.fixes] for f in findings_with_fixes(language, code)]


# --- the tables --------------------------------------------------------------------------------------------

def test_every_template_uses_known_conditions_and_placeholders() -> None:
    for rule in catalog():
        for template in rule.fixes:
            for condition in template.when:
                assert condition.partition(":")[0] in CONDITIONS, (rule.id, condition)
            texts = [template.call, template.append, template.arg and template.arg[1], template.kwarg and template.kwarg[1],
                     template.name if isinstance(template.name, str) else None]
            for text in filter(None, texts):
                for name in placeholder_names(text):
                    assert name in PLACEHOLDERS, (rule.id, name)


def test_every_language_has_rules_with_fixes() -> None:
    for language in LANGUAGES:
        assert sum(len(r.fixes) for r in rules_for(language)) >= 3, language


# --- records and edits ---------------------------------------------------------------------------------------

def test_edits_apply_in_order_and_refuse_overlaps() -> None:
    assert apply("abcdef", [Edit(4, 5, "E"), Edit(0, 1, "AA"), Edit(3, 3, "+")]) == "AAbc+dEf"
    assert normalized([Edit(0, 0, "x"), Edit(0, 0, "x")]) == [Edit(0, 0, "x")]  # one import two fixes need
    for clash in ([Edit(0, 3, "a"), Edit(2, 4, "b")], [Edit(1, 1, "a"), Edit(1, 1, "b")], [Edit(1, 1, "a"), Edit(1, 3, "b")]):
        with pytest.raises(OverlapError):
            normalized(clash)
    edits = [Edit(0, 0, "import x\n"), Edit(10, 14, "safe_load")]
    assert moved(10, edits) == 19 and moved(14, edits) == 28 and moved_start(0, edits) == 0 and moved(0, edits) == 9


def test_replacements_count_lines_and_code_points_as_findings_do() -> None:
    text = "é = 1\r\nx = ü(y)\r\n"
    start = text.index("ü")
    (r,) = replacements([Edit(start, start + 1, "v")], LineIndex(text))
    assert (r.start_line, r.start_column, r.end_line, r.end_column, r.text) == (2, 5, 2, 6, "v")


def test_fixes_survive_the_cache_form_and_reach_the_message() -> None:
    fix = Fix("yaml.safe_load: plain data only", "safe", 0.4,
              (Replacement(10, 14, 2, 6, 2, 10, "safe_load"), Replacement(0, 0, 1, 1, 1, 1, "import x\n")),
              "yaml.safe_load(fh)")
    finding = Finding(rule_id="EL-PY-YAML-LOAD", level="error", path="a.py", line=2, column=1, end_line=2, end_column=14,
                      span=(5, 17), name_span=(10, 14), callee="load", snippet="yaml.load(fh)", fingerprint="f:1",
                      fixes=(fix,))
    assert from_dict(to_dict(finding), "a.py") == finding
    assert message("unsafe loader", finding) == \
        "load: unsafe loader; fix: `yaml.safe_load(fh)`, 0.4 nats less likely here than what was written"
    assert fix_summary(Fix("d", "review", -1.25, (), "x()")) == "fix (review): `x()`, 1.2 nats more likely here than what was written"
    assert fix_summary(Fix("d", "safe", None, (), "x()")) == "fix: `x()`"


def test_hostile_text_gets_fixes_or_none_but_no_crash() -> None:
    nasty = "import yaml\n" + "(" * 500 + "\nyaml.load(f) # \u2028 \ufeff \U0001f600\n" + "x = '" + "\\" * 3 + "\n"
    for finding in findings_with_fixes("python", nasty):
        for fix in finding.fixes:
            assert sound("python", nasty, apply(nasty, edits_of(fix.replacements)))
    assert re.search(r"yaml", nasty)


def test_the_model_compares_the_rewritten_call_and_what_follows_it_not_the_added_import() -> None:
    from entropy_lint.fix.rank import comparison

    text = "import os\n\nx = 1\nv = eval(t)\ny = 2\nz = 3\nw = 4\n"
    start = text.index("eval(t)")
    edits = [Edit(9, 9, "\nimport ast"), Edit(start, start + 7, "ast.literal_eval(t)")]
    c = comparison(text, LineIndex(text), apply(text, edits), edits, focus=(start, start + 7))
    assert [c.old[a:b] for a, b in c.old_spans] == ["eval(t)\ny = 2\nz = 3\n"]
    assert [c.new[a:b] for a, b in c.new_spans] == ["ast.literal_eval(t)\ny = 2\nz = 3\n"]
    assert c.old == text[: text.index("w = 4")] and c.new.startswith("import os\nimport ast\n\nx = 1\n")
