"""The Python extractor and rule refinements, one behaviour per line."""

from __future__ import annotations

from entropy_lint.callsite import CallSite
from entropy_lint.detect import detect, find_sites


def sites(code: str) -> list[CallSite]:
    return find_sites("python", code.encode())


def qualnames(code: str) -> list[str]:
    return [s.qualname for s in sites(code)]


def test_plain_and_aliased_imports_resolve() -> None:
    assert qualnames("import subprocess as sp\nsp.run(c)\n") == ["subprocess.run"]
    assert qualnames("from os import system\nsystem(c)\n") == ["os.system"]
    assert qualnames("from os import system as s\ns(c)\n") == ["os.system"]
    assert qualnames("import os.path\nos.system(c)\n") == ["os.system"]


def test_unimported_names_stay_as_written() -> None:
    assert qualnames("eval(x)\nobj.method(y)\n") == ["eval", "obj.method"]


def test_calls_in_a_chain_are_marked() -> None:
    assert qualnames("import yaml\nyaml.Loader().load(s)\n") == ["yaml.Loader().load", "yaml.Loader"]


def test_name_span_is_the_callee_and_the_site_the_whole_call() -> None:
    code = "import os\nx = os.system('ls')\n"
    (site,) = sites(code)
    raw = code.encode()
    assert raw[site.start : site.end] == b"os.system('ls')" and raw[site.name_start : site.name_end] == b"system"
    assert site.name == "system" and site.row == 1


def test_arguments_keywords_and_literals() -> None:
    (site,) = sites("import subprocess\nsubprocess.run(cmd, 'x', shell=True, timeout=-1)\n")
    assert [a.text for a in site.args] == ["cmd", "'x'", "True", "-1"]
    assert site.kwarg("shell") is not None and site.kwarg("shell").literal  # type: ignore[union-attr]
    assert site.arg(0) is not None and not site.is_literal(0) and site.is_literal(1) and site.arg_value(1) == "x"
    assert site.kwarg("timeout").literal  # type: ignore[union-attr]


def test_string_values_and_dynamic_strings() -> None:
    site, _format = sites("f('a' 'b', f'x{y}', 'q' + v, '%s' % v, 'n'.format(v), ('p'))\n")
    values = [(a.literal, a.value, a.dynamic_string) for a in site.args]
    assert values == [(True, "ab", False), (False, None, True), (False, None, True), (False, None, True),
                      (False, None, True), (True, "p", False)]


def test_comments_between_arguments_are_not_arguments() -> None:
    (site,) = sites("g(a,  # first\n  b)\n")
    assert [a.text for a in site.args] == ["a", "b"]
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


# --- classes and types -------------------------------------------------------------------------
def test_a_loader_class_built_on_a_safe_loader_is_safe() -> None:
    code = "import yaml\nclass L(yaml.SafeLoader): pass\nclass M(L): pass\nyaml.load(s, Loader=M)\nyaml.load(s, L)"
    assert findings(code) == []


def test_a_loader_class_with_an_unsafe_base_is_not() -> None:
    code = "import yaml\nclass L(yaml.SafeLoader, yaml.constructor.UnsafeConstructor): pass\nyaml.load(s, Loader=L)"
    assert findings(code) == [("EL-PY-YAML-LOAD", "error")]


def test_exec_command_on_a_paramiko_client_is_a_warning() -> None:
    for code in ("import paramiko\nc = paramiko.SSHClient()\nc.exec_command(cmd)",
                 "from paramiko import SSHClient\ndef f(c: SSHClient, cmd):\n    c.exec_command(cmd)",
                 "import paramiko\nclass R:\n    def __init__(self):\n        self.c = paramiko.SSHClient()\n"
                 "    def run(self, cmd):\n        self.c.exec_command(cmd)",
                 "import paramiko\nclass W(paramiko.SSHClient):\n    def exec_command(self, cmd):\n"
                 "        return super().exec_command(cmd)",
                 "import paramiko\nc = paramiko.SSHClient()\nt = c.get_transport()\nchan = t.open_session()\n"
                 "chan.exec_command(cmd)"):
        assert findings(code) == [("EL-PY-PARAMIKO-EXEC", "warning")], code


def test_exec_command_on_anything_else_is_a_note() -> None:
    code = "class W:\n    def exec_command(self, cmd):\n        return super().exec_command(cmd)"
    assert findings(code) == [("EL-PY-PARAMIKO-EXEC", "note")]
    assert findings("def f(runner, cmd):\n    runner.exec_command(cmd)") == [("EL-PY-PARAMIKO-EXEC", "note")]


def test_a_typed_receiver_names_its_class() -> None:
    code = "from paramiko import SSHClient\nc = SSHClient()\nc.get_transport().open_session().exec_command(x)"
    site = next(s for s in sites(code) if s.name == "exec_command")
    assert site.qualname == "paramiko.SSHClient.get_transport().open_session().exec_command"


# --- process APIs and shell= -------------------------------------------------------------------
def test_shell_naming_a_program_or_a_dict_key_is_not_a_finding() -> None:
    assert findings("d = dict(shell='/bin/zsh')\nTerminal(shell='/bin/zsh')\nrun_in(cmd, shell='/bin/zsh')") == []


def test_shell_true_on_a_process_wrapper_is_a_warning() -> None:
    assert findings("utils.run_command(cmd, shell=True)") == [("EL-PY-SHELL-TRUE", "warning")]


def test_shell_passed_through_kwargs_to_popen_is_found() -> None:
    code = ("import subprocess\ndef run(cmd, shell=False):\n    kw = {'stdout': subprocess.PIPE}\n"
            "    kw['shell'] = shell\n    return subprocess.Popen(cmd, **kw)")
    assert findings(code) == [("EL-PY-SUBPROCESS-SHELL", "warning")]
    assert findings("import subprocess\nkw = dict(shell=True)\nsubprocess.run(cmd, **kw)") == [
        ("EL-PY-SUBPROCESS-SHELL", "error")]
    assert findings("import subprocess\nkw = dict(shell=False)\nsubprocess.run(cmd, **kw)") == []


def test_asyncio_shell_is_a_shell() -> None:
    assert findings("import asyncio\nasync def f(c):\n    await asyncio.create_subprocess_shell(c)") == [
        ("EL-PY-OS-SYSTEM", "error")]


def test_a_pickle_round_trip_is_not_a_finding() -> None:
    assert findings("import pickle\ncopy = pickle.loads(pickle.dumps(obj))") == []
    assert findings("import pickle as p\ncopy = p.loads(p.dumps(obj, -1))") == []
    assert findings("import pickle\nobj = pickle.loads(blob)") == [("EL-PY-PICKLE", "warning")]


def test_random_numbers_are_reported_only_where_they_are_named_like_secrets() -> None:
    assert findings("import random\nrng = random.Random(seed)") == []
    assert findings("import random\ndelay = random.uniform(0.1, 0.5)  # not a token") == []
    assert findings("import random\nsession_key = random.Random(seed).getrandbits(128)") == [("EL-PY-RANDOM", "warning")]
    assert findings("import random\nheaders = {'X-Csrf-Token': str(random.random())}") == [("EL-PY-RANDOM", "warning")]  # a key names it too
    assert findings("import random\ndef new_password():\n    return ''.join(\n        random.choice(CHARS) for _ in range(12))\n") \
        == [("EL-PY-RANDOM", "warning")]
    assert findings("import random\nresult = dict(\n    nonce=random.getrandbits(64))\n") == [("EL-PY-RANDOM", "warning")]
    # the class around the method names it (plural too); a class of dice does not
    assert findings("import random\nclass Tokens:\n    def next(self):\n        return random.random()\n") \
        == [("EL-PY-RANDOM", "warning")]
    assert findings("import random\nclass Dice:\n    def roll(self):\n        return random.randint(1, 6)\n") == []


# --- dependency versions -----------------------------------------------------------------------
def test_yaml_load_without_a_loader_depends_on_pyyaml() -> None:
    code = "import yaml\ncfg = yaml.load(stream)"
    assert findings(code, {"pypi:pyyaml": "6.0.1"}) == []
    assert findings(code, {"pypi:pyyaml": ">=6"}) == []
    assert findings(code, {"pypi:pyyaml": "==5.4.1"}) == [("EL-PY-YAML-LOAD", "error")]
    assert findings(code, {"pypi:pyyaml": "*"}) == [("EL-PY-YAML-LOAD", "error")]
    assert findings(code, {}) == [("EL-PY-YAML-LOAD", "error")]
    assert findings(code) == [("EL-PY-YAML-LOAD", "error")]


def test_the_note_says_what_was_known_of_the_version() -> None:
    def note(deps: dict[str, str] | None) -> str:
        return detect("python", b"import yaml\nyaml.load(s)", deps=deps).hits[0].outcome.note
    assert "no manifest found" in note(None)
    assert "not in the manifests" in note({"npm:js-yaml": "4.1.0"})
    assert "PyYAML 5.1 is older than 6" in note({"pypi:pyyaml": "5.1"})


def test_an_unsafe_loader_stays_a_finding_whatever_the_version() -> None:
    deps = {"pypi:pyyaml": "6.0.1"}
    assert findings("import yaml\nyaml.load(s, Loader=yaml.Loader)\nyaml.unsafe_load(s)", deps) == [
        ("EL-PY-YAML-LOAD", "error")] * 2


def test_a_value_worked_out_through_a_loop_is_not_remembered_half_done() -> None:
    code = ("import subprocess\ndef run(terms):\n    for term in terms:\n        term = str(term)\n"
            "        subprocess.Popen(term, shell=True)")
    assert findings(code) == [("EL-PY-SUBPROCESS-SHELL", "error")]


def test_a_variable_set_from_an_inner_function_may_change_at_any_time() -> None:
    code = ("import os\ndef outer(x):\n    cmd = 'ls'\n    def inner():\n        nonlocal cmd\n        cmd = x\n"
            "    inner()\n    os.system(cmd)")
    assert findings(code) == [("EL-PY-OS-SYSTEM", "error")]


# --- the program's own code: files it ships, its objects' source --------------------------------


def test_exec_of_a_file_at_a_constant_path_or_an_objects_source_is_a_note() -> None:
    code = """import os, inspect
import dill.source as ds
with open('pkg/version.py') as f:
    exec(f.read(), ns)
exec(open(os.path.join(os.path.dirname(__file__), 'plugin.py')).read(), up)
exec(ds.getimport(squared, alias='raw'), {}, local)
exec(inspect.getsource(handler))
"""
    assert findings(code) == [("EL-PY-EXEC", "note")] * 4


def test_exec_of_a_file_whose_path_is_data_stays_an_error() -> None:
    code = """import sys
with open(sys.argv[1]) as f:
    exec(f.read())
def run(path):
    exec(open(path).read())
    with open('fixed.py') as g:
        pass
    g = path
    exec(g.read())
try:
    pass
except OSError as f:
    exec(f.read())
"""
    assert findings(code) == [("EL-PY-EXEC", "error")] * 4


def test_code_read_from_an_absolute_path_is_not_the_programs_own() -> None:
    code = "import os, yaml\nexec(open('/tmp/plugin.py').read())\neval(open('/dev/stdin').read())\n" \
           "os.system('echo ' + yaml.dump(msg))\n"
    assert findings(code) == [("EL-PY-EXEC", "error"), ("EL-PY-EVAL", "error"), ("EL-PY-OS-SYSTEM", "error")]
