"""The Python extractor and rule refinements, one behaviour per line."""

from __future__ import annotations

from entropy_lint.callsite import CallSite
from entropy_lint.detect import detect, find_sites


def sites(code: str) -> list[CallSite]:
    return find_sites("python", code.encode())


def findings(code: str, deps: dict[str, str] | None = None) -> list[tuple[str, str]]:
    return [(h.rule.id, h.outcome.level) for h in detect("python", code.encode(), deps=deps).hits]


# --- values the file shows ---------------------------------------------------------------------
def test_a_module_constant_is_a_constant_inside_a_function() -> None:
    assert findings("import os\nCMD = 'ls'\ndef f():\n    os.system(CMD)") == [("EL-PY-OS-SYSTEM", "note")]


def test_a_constant_rebound_through_global_is_not() -> None:
    code = "import os\nCMD = 'ls'\ndef f():\n    os.system(CMD)\ndef g(x):\n    global CMD\n    CMD = x"
    assert findings(code) == [("EL-PY-OS-SYSTEM", "error")]


def test_f_strings_and_concatenations_of_constants_are_constants() -> None:
    code = "import os\nA = 'ls'\nB = f'{A} -l'\nos.system(B + ' /tmp')"
    assert findings(code) == [("EL-PY-OS-SYSTEM", "note")]


def test_a_parameter_is_data() -> None:
    assert findings("import os\ndef f(cmd):\n    os.system(cmd)") == [("EL-PY-OS-SYSTEM", "error")]


def test_a_query_built_in_a_variable_is_found() -> None:
    code = "def f(cur, name):\n    q = 'SELECT * FROM t WHERE n = ' + name\n    cur.execute(q)"
    assert findings(code) == [("EL-PY-SQL", "error")]


def test_a_variable_holds_what_was_assigned_last_before_the_use() -> None:
    code = ("def f(cur, name):\n    q = 'SELECT ' + name\n    cur.execute(q)\n    q = 'SELECT 1'\n"
            "    cur.execute(q)")
    assert findings(code) == [("EL-PY-SQL", "error")]


def test_an_assignment_in_a_branch_does_not_replace_the_one_before() -> None:
    code = "import os\ndef f(x, c):\n    cmd = 'ls'\n    if c:\n        cmd = x\n    os.system(cmd)"
    assert findings(code) == [("EL-PY-OS-SYSTEM", "error")]


def test_an_assignment_later_in_a_loop_reaches_the_next_iteration() -> None:
    code = "import os\ndef f(items):\n    cmd = 'echo'\n    for i in items:\n        os.system(cmd)\n        cmd += i"
    assert findings(code) == [("EL-PY-OS-SYSTEM", "error")]


def test_quoted_values_make_a_shell_command_a_note() -> None:
    code = "import os, shlex\ndef f(x):\n    os.system('ls ' + shlex.quote(x))"
    assert findings(code) == [("EL-PY-OS-SYSTEM", "note")]


def test_joined_constants_are_a_constant() -> None:
    code = "COLS = ('a', 'b')\ndef f(cur):\n    cur.execute('SELECT ' + ', '.join(COLS) + ' FROM t')"
    assert findings(code) == []
