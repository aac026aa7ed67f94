"""What the HTML report scores around a finding: the function it sits in, found by tree-sitter."""

from __future__ import annotations

import pytest

from entropy_lint.detect.scope import enclosing_functions
from entropy_lint.run.pipeline import LintSettings, detect_findings, wanted_spans
from entropy_lint.run.sources import Source


def around(language: str, code: str, call: str) -> str | None:
    """The text of the function enclosing the first occurrence of ``call``."""
    data = code.encode()
    start = data.index(call.encode())
    (found,) = enclosing_functions(language, data, [(start, start + len(call))])
    return None if found is None else data[found[0]:found[1]].decode()


METHOD = "    def run(self, cmd):\n        log(cmd)\n        os.system(cmd)\n"


@pytest.mark.parametrize("language,code,call,expected", [
    ("python", f"import os\n\nclass Job:\n{METHOD}", "os.system", METHOD.strip()),
    # a one-line lambda says less than the function it sits in
    ("python", "def f(xs):\n    y = 1\n    return map(lambda x: eval(x), xs)\n", "eval",
     "def f(xs):\n    y = 1\n    return map(lambda x: eval(x), xs)"),
    ("c", "#include <string.h>\nvoid f(char *d, const char *s) {\n    strcpy(d, s);\n}\n", "strcpy",
     "void f(char *d, const char *s) {\n    strcpy(d, s);\n}"),
    ("javascript", "app.get('/', (req, res) => {\n  const n = req.query.n;\n  exec('ls ' + n);\n});\n", "exec",
     "(req, res) => {\n  const n = req.query.n;\n  exec('ls ' + n);\n}"),
    ("go", "package main\n\nfunc main() {\n\thttp.HandleFunc(\"/\", func(w W, r R) {\n\t\tx := 1\n"
           "\t\texec.Command(\"sh\", \"-c\", r.URL.Path)\n\t})\n}\n", "exec.Command",
     "func(w W, r R) {\n\t\tx := 1\n\t\texec.Command(\"sh\", \"-c\", r.URL.Path)\n\t}"),
    ("ruby", "class C\n  def run(cmd)\n    x = 1\n    system(cmd)\n  end\nend\n", "system",
     "def run(cmd)\n    x = 1\n    system(cmd)\n  end"),
    ("python", "import os\nos.system(cmd)\n", "os.system", None),  # the top level: no function
])
def test_the_enclosing_function_of_a_call(language: str, code: str, call: str, expected: str | None) -> None:
    assert around(language, code, call) == expected


def test_wanted_spans_add_the_function_or_the_lines_around_a_top_level_call() -> None:
    code = "import os\n\n\n\n\nos.system(a)\n\n\n\n\n\ndef f(b):\n    x = 1\n    return eval(b)\n"
    source = Source("t.py", code, "python")
    findings, _, _ = detect_findings(source, LintSettings())
    system, evaluated = sorted(findings, key=lambda f: f.line)
    assert wanted_spans(source, findings, functions=False) == [f.span for f in findings]
    spans = wanted_spans(source, findings, functions=True)
    extra = {code[a:b] for a, b in spans[len(findings):]}
    assert extra == {"\n\n\nos.system(a)\n\n\n", "def f(b):\n    x = 1\n    return eval(b)"}
    assert system.line == 6 and evaluated.line == 14


def test_character_offsets_survive_multibyte_text_before_the_call() -> None:
    code = "s = 'caf\u00e9 \U0001f600'\n\ndef f(b):\n    y = '\u00e9'\n    return eval(b)\n"
    source = Source("t.py", code, "python")
    findings, _, _ = detect_findings(source, LintSettings())
    (a, b) = wanted_spans(source, findings, functions=True)[-1]
    assert code[a:b] == "def f(b):\n    y = '\u00e9'\n    return eval(b)"
