"""``entropy-lint fix``: what it writes, what it leaves alone, and what it never does."""

from __future__ import annotations

import codecs
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entropy_lint.run.check import Target
from entropy_lint.run.config import Config
from entropy_lint.run.fixing import FixedFile, FixReport, fix, write

NO_MODEL = Config(use_model=False, cache=False)


def run_fix(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "entropy_lint", "fix", "--isolated", *args], cwd=cwd,
                          capture_output=True, env=os.environ.copy(), timeout=600)
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def test_diff_prints_and_writes_nothing_then_fix_writes_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "conf.py"
    original = b"import yaml\n\n\ndef read(fh):\n    return yaml.load(fh)\n"
    source.write_bytes(original)
    shown = run_fix("conf.py", "--no-model", "--diff", cwd=tmp_path)
    assert shown.stdout == ("--- a/conf.py\n+++ b/conf.py\n@@ -2,4 +2,4 @@\n \n \n def read(fh):\n"
                            "-    return yaml.load(fh)\n+    return yaml.safe_load(fh)\n")
    assert shown.returncode == 0 and source.read_bytes() == original
    assert "would apply 1 fix in 1 file; 0 findings left" in shown.stderr
    done = run_fix("conf.py", "--no-model", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert source.read_bytes() == original.replace(b"yaml.load", b"yaml.safe_load")
    again = run_fix("conf.py", "--no-model", cwd=tmp_path)
    assert again.returncode == 0 and "applied 0 fixes in 0 files" in again.stderr
    assert source.read_bytes() == original.replace(b"yaml.load", b"yaml.safe_load")


def test_exit_codes_review_fixes_select_and_ignore(tmp_path: Path) -> None:
    (tmp_path / "h.py").write_text("import hashlib, yaml\nd = hashlib.md5(x)\nc = yaml.load(f)\n")
    safe_only = run_fix("h.py", "--no-model", cwd=tmp_path)
    assert safe_only.returncode == 1  # md5 has only review fixes: the finding remains
    assert (tmp_path / "h.py").read_text() == "import hashlib, yaml\nd = hashlib.md5(x)\nc = yaml.safe_load(f)\n"
    assert safe_only.stdout.startswith("h.py:2:5: warning: md5:") and "[EL-PY-WEAK-HASH]" in safe_only.stdout
    (tmp_path / "g.py").write_text("import hashlib, yaml\nd = hashlib.md5(x)\nc = yaml.load(f)\n")
    ignored = run_fix("g.py", "--no-model", "--unsafe-fixes", "--ignore", "EL-PY-YAML-LOAD", cwd=tmp_path)
    assert ignored.returncode == 0
    assert (tmp_path / "g.py").read_text() == "import hashlib, yaml\nd = hashlib.sha256(x)\nc = yaml.load(f)\n"
    (tmp_path / "s.py").write_text("import hashlib, yaml\nd = hashlib.md5(x)\nc = yaml.load(f)\n")
    selected = run_fix("s.py", "--no-model", "--select", "EL-PY-YAML-LOAD", cwd=tmp_path)
    assert selected.returncode == 0 and "hashlib.md5" in (tmp_path / "s.py").read_text()
    missing = run_fix("nope.py", "--no-model", cwd=tmp_path)
    assert missing.returncode == 2 and "nope.py: no such file or directory" in missing.stderr


def test_a_file_changed_on_disk_after_analysis_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_text("import yaml\nx = yaml.load(f)\n")
    report = fix(NO_MODEL, Target(paths=(str(path),)))
    assert report.files[0].changed
    path.write_text("import yaml\nx = yaml.load(f)  # edited meanwhile\n")
    outcome = write(report)
    assert outcome.written == [] and outcome.left_alone == [f"{path}: changed on disk since it was read; left alone"]
    assert path.read_text() == "import yaml\nx = yaml.load(f)  # edited meanwhile\n"


def test_a_text_that_would_parse_worse_is_never_written(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_text("x = 1\n")
    report = FixReport([FixedFile(str(path), "python", "x = 1\n", "x = (1\n", applied=1)], [], [])
    assert write(report).left_alone == [f"{path}: the fixed text did not pass verification; left alone"]
    assert path.read_text() == "x = 1\n"


def test_overlapping_fixes_are_applied_one_round_at_a_time(tmp_path: Path) -> None:
    path = tmp_path / "io.c"
    path.write_text("void f(void) {\n    char b[16], c[16];\n    strcpy(b, gets(c));\n}\n")
    report = fix(NO_MODEL, Target(paths=(str(path),)))
    (fixed,) = report.files
    assert fixed.applied == 2 and fixed.remaining == []
    assert fixed.text == ('#include <stdio.h>\n#include <string.h>\nvoid f(void) {\n    char b[16], c[16];\n'
                          '    snprintf(b, sizeof b, "%s", (fgets(c, sizeof c, stdin) ? (c[strcspn(c, "\\n")] = \'\\0\', c) : NULL));\n}\n')


def test_one_import_for_two_fixes_that_need_it(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_text("import os\n\nv = eval(a)\nw = eval(b)\n")
    report = fix(NO_MODEL, Target(paths=(str(path),)), unsafe=True)
    assert report.files[0].text == "import os\nimport ast\n\nv = ast.literal_eval(a)\nw = ast.literal_eval(b)\n"


def test_encoding_bom_and_line_endings_are_kept(tmp_path: Path) -> None:
    for name, raw in (("crlf.py", b"import yaml\r\nx = yaml.load(f)\r\n"), ("cr.py", b"import yaml\rx = yaml.load(f)\r"),
                      ("bom.py", codecs.BOM_UTF8 + "import yaml\n# caf\u00e9 \u2028\nx = yaml.load(f)\n".encode())):
        (tmp_path / name).write_bytes(raw)
        assert run_fix(name, "--no-model", cwd=tmp_path).returncode == 0
        assert (tmp_path / name).read_bytes() == raw.replace(b"yaml.load", b"yaml.safe_load"), name


_LINE_TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\r\n\x00"), max_size=30)
_BREAK = st.sampled_from(["\n", "\r\n", "\r"])
# tree-sitter-python ends a comment only at LF (a lone CR stays inside it), so comment lines end in LF or CRLF
_COMMENT_BREAK = st.sampled_from(["\n", "\r\n"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.lists(st.tuples(_LINE_TEXT, _COMMENT_BREAK), max_size=4),
       after=st.lists(st.tuples(_LINE_TEXT, _COMMENT_BREAK), max_size=4),
       bom=st.booleans(), indent=st.sampled_from(["", "    ", "\t"]), ending=_BREAK)
def test_every_byte_outside_the_replaced_range_is_kept(tmp_path: Path, before: list[tuple[str, str]],
                                                       after: list[tuple[str, str]], bom: bool, indent: str,
                                                       ending: str) -> None:
    head = ("\ufeff" if bom else "") + "import yaml" + ending + "".join(f"# {t}{b}" for t, b in before)
    call = f"if True:{ending}{indent or ' '}x = yaml.load(f){ending}"
    tail = "".join(f"# {t}{b}" for t, b in after)
    path = tmp_path / "p.py"
    path.write_bytes((head + call + tail).encode())
    report = fix(NO_MODEL, Target(paths=(str(path),)))
    assert write(report).written == [str(path)]
    assert path.read_bytes() == (head + call.replace("yaml.load", "yaml.safe_load") + tail).encode()
    second = fix(NO_MODEL, Target(paths=(str(path),)))
    assert not second.files[0].changed
