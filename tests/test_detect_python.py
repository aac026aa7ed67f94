"""The Python extractor, one behaviour per test: names through imports, arguments, literal values."""

from __future__ import annotations

from entropy_lint.callsite import CallSite
from entropy_lint.detect import find_sites


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
