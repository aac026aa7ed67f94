"""Deep and long expressions cannot crash detection: extractors walk chains in loops and guard their
recursion (detect/limits.py), answer conservatively past the limit, and say where in a note.

Run at Python's default recursion limit (1000 frames), as the tool runs."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entropy_lint.detect import Detection, detect, find_sites
from entropy_lint.detect.limits import MAX_DEPTH
from entropy_lint.languages import parse

NOTE = re.compile(rf"expression nesting deeper than {MAX_DEPTH} levels (?:at line (\d+)|on more lines); "
                  "analysed as far as safely possible")


@dataclass(frozen=True)
class Shape:
    """How to write one language's file around a deep expression ``E`` (always on line 4, between
    two real calls on lines 2 and 5, and also the argument of a real sink on line 4)."""

    language: str
    template: str  # {e} is replaced by the expression; lines 2 and 5 hold real calls
    outer: str  # the rule of the calls on lines 2 and 5
    sink: str  # the rule of the call on line 4 whose argument is E
    core: str  # a real call at the bottom of E
    core_rule: str
    layers: dict[str, Callable[[str], str]]


SHAPES = {
    "python": Shape(
        "python", "import os\nos.system(a)\nv = 1\neval({e})\nos.system(b)\n", "EL-PY-OS-SYSTEM", "EL-PY-EVAL",
        "os.system(x)", "EL-PY-OS-SYSTEM",
        {"paren": lambda e: f"({e})", "call": lambda e: f"f({e})", "plus": lambda e: f"{e} + y",
         "chain": lambda e: f"({e}).m()", "array": lambda e: f"[{e}]", "not": lambda e: f"not {e}"}),
    "javascript": Shape(
        "javascript", "const cp = require('child_process');\ncp.exec(a);\nlet v = 1;\neval({e});\ncp.exec(b);\n",
        "EL-JS-CHILD-PROCESS-EXEC", "EL-JS-EVAL", "cp.exec(x)", "EL-JS-CHILD-PROCESS-EXEC",
        {"paren": lambda e: f"({e})", "call": lambda e: f"f({e})", "plus": lambda e: f"{e} + y",
         "chain": lambda e: f"({e}).m()", "array": lambda e: f"[{e}]", "template": lambda e: f"`a${{{e}}}`"}),
    "java": Shape(
        "java", "class T { void f() throws Exception {\nRuntime.getRuntime().exec(a);\nint v = 1;\n"
        "Runtime.getRuntime().exec({e});\nRuntime.getRuntime().exec(b);\n} }\n",
        "EL-JAVA-RUNTIME-EXEC", "EL-JAVA-RUNTIME-EXEC", "Runtime.getRuntime().exec(x)", "EL-JAVA-RUNTIME-EXEC",
        {"paren": lambda e: f"({e})", "call": lambda e: f"f({e})", "plus": lambda e: f"{e} + y",
         "chain": lambda e: f"({e}).m()", "cast": lambda e: f"(String) {e}", "ternary": lambda e: f"c ? {e} : y"}),
    "go": Shape(
        "go", 'package p; func f() {\nexec.Command(a)\nv := 1\nexec.Command({e})\nexec.Command(b)\n}\n',
        "EL-GO-EXEC-COMMAND", "EL-GO-EXEC-COMMAND", "exec.Command(x)", "EL-GO-EXEC-COMMAND",
        {"paren": lambda e: f"({e})", "call": lambda e: f"f({e})", "plus": lambda e: f"{e} + y",
         "chain": lambda e: f"({e}).M()", "slice": lambda e: f"[]any{{{e}}}", "unary": lambda e: f"-{e}"}),
    "php": Shape(
        "php", "<?php\nsystem($a);\n$v = 1;\neval({e});\nsystem($b);\n", "EL-PHP-EXEC", "EL-PHP-EVAL",
        "system($x)", "EL-PHP-EXEC",
        {"paren": lambda e: f"({e})", "call": lambda e: f"f({e})", "plus": lambda e: f"{e} . $y",
         "chain": lambda e: f"({e})->m()", "array": lambda e: f"[{e}]", "ternary": lambda e: f"$c ? {e} : $y"}),
    "ruby": Shape(
        "ruby", "require 'x'\nsystem(a)\nv = 1\neval({e})\nsystem(b)\n", "EL-RB-EXEC", "EL-RB-EVAL",
        "system(x)", "EL-RB-EXEC",
        {"paren": lambda e: f"({e})", "call": lambda e: f"f({e})", "plus": lambda e: f"{e} + y",
         "chain": lambda e: f"({e}).m()", "array": lambda e: f"[{e}]", "hash": lambda e: f"{{k: {e}}}"}),
}


def build(shape: Shape, layers: list[str], depth: int) -> str:
    """E: the core call wrapped ``depth`` times, cycling through ``layers`` from the inside out."""
    expression = shape.core
    for i in range(depth):
        expression = shape.layers[layers[i % len(layers)]](expression)
    return shape.template.replace("{e}", expression)


def check(shape: Shape, source: str, core: bool = True) -> Detection:
    data = source.encode()
    assert not parse(shape.language, data).root_node.has_error, "the generated file should be valid code"
    found = detect(shape.language, data)
    lines = {(h.rule.id, h.site.row + 1) for h in found.hits}
    assert {(shape.outer, 2), (shape.sink, 4), (shape.outer, 5)} <= lines
    assert not core or (shape.core_rule, 4) in lines
    for note in found.notes:
        match = NOTE.fullmatch(note)
        assert match is not None, note
        assert match.group(1) in (None, "4"), note
    return found


def test_runs_at_the_default_recursion_limit() -> None:
    assert sys.getrecursionlimit() <= 1000


@pytest.mark.parametrize("language", SHAPES)
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_deep_expressions_never_crash_and_keep_the_calls_around_them(language: str, data: st.DataObject) -> None:
    shape = SHAPES[language]
    layers = data.draw(st.lists(st.sampled_from(sorted(shape.layers)), min_size=1, max_size=4), label="layers")
    depth = data.draw(st.integers(min_value=1, max_value=3000), label="depth")
    check(shape, build(shape, layers, depth))


@pytest.mark.parametrize("language", SHAPES)
@pytest.mark.parametrize("layer", ["paren", "call", "plus", "chain"])
def test_five_thousand_deep(language: str, layer: str) -> None:
    check(SHAPES[language], build(SHAPES[language], [layer], 5000))


@pytest.mark.parametrize(("language", "opening", "variable", "closing"), [
    ("python", "(", "x", ")"), ("javascript", "[", "x", "]"), ("java", "(", "x", ")"), ("go", "(", "x", ")"),
    ("php", "(", "$x", ")"), ("ruby", "(", "x", ")"),
])
def test_nesting_past_the_limit_is_a_note_and_a_conservative_answer(language: str, opening: str, variable: str,
                                                                     closing: str) -> None:
    """Five thousand brackets around a variable (JavaScript sees through parentheses in a loop, so
    arrays there): the sink is still reported, as its argument could not be shown to be a constant,
    and the note names the line."""
    shape = SHAPES[language]
    found = check(shape, shape.template.replace("{e}", opening * 5000 + variable + closing * 5000), core=False)
    assert found.notes == (f"expression nesting deeper than {MAX_DEPTH} levels at line 4; "
                           "analysed as far as safely possible",)


@pytest.mark.parametrize(("language", "code", "rule", "level"), [
    ("javascript", "const cp = require('child_process');\ncp.exec({e});", "EL-JS-CHILD-PROCESS-EXEC", "note"),
    ("php", "<?php\nsystem({e});", "EL-PHP-EXEC", "note"),
    ("java", "class T {{ void f() throws Exception {{\nRuntime.getRuntime().exec({e}); }} }}", "EL-JAVA-RUNTIME-EXEC",
     "note"),
    ("go", "package p\nimport \"os/exec\"\nfunc f() {{\nexec.Command(\"sh\", \"-c\", {e})\n}}", "EL-GO-EXEC-COMMAND", "note"),
])
def test_a_long_constant_concatenation_is_followed_to_the_end(language: str, code: str, rule: str, level: str) -> None:
    """Chains are walked in loops, not cut: five thousand constant pieces are still one constant."""
    joiner = " . " if language == "php" else " + "
    source = code.format(e=joiner.join(['"a"'] * 5000))
    found = detect(language, source.encode())
    assert [(h.rule.id, h.outcome.level) for h in found.hits] == [(rule, level)]
    assert found.notes == ()


@pytest.mark.parametrize(("language", "template", "step", "sink", "rule"), [
    ("java", "class T {{ void f(String x) throws Exception {{\nString v0 = x;\n{steps}\n{sink}\n}} }}",
     'String v{i} = v{j} + "a";', "stmt.executeQuery(v{n});", "EL-JAVA-SQL"),
    ("go", "package p\nfunc f(x string) {{\nv0 := x\n{steps}\n{sink}\n}}", 'v{i} := v{j} + "a"', "db.Query(v{n})",
     "EL-GO-SQL"),
    ("python", "def f(cur, x):\n    v0 = x\n{steps}\n    {sink}\n", '    v{i} = v{j} + "a"', "cur.execute(v{n})",
     "EL-PY-SQL"),
    ("javascript", "function f(db, x) {{\nlet v0 = x;\n{steps}\n{sink}\n}}", 'const v{i} = v{j} + "a";',
     "db.query(v{n});", "EL-JS-SQL"),
])
def test_a_long_chain_of_variables_is_cut_with_a_note(language: str, template: str, step: str, sink: str,
                                                       rule: str) -> None:
    """Each variable built from the one before: following them is recursion too."""
    n = 3000
    steps = "\n".join(step.format(i=i, j=i - 1) for i in range(1, n + 1))
    source = template.format(steps=steps, sink=sink.format(n=n))
    found = detect(language, source.encode())
    assert [h.rule.id for h in found.hits] == [rule]
    assert found.notes and all(NOTE.fullmatch(note) for note in found.notes)


def test_call_and_argument_text_is_read_from_the_file() -> None:
    """Sites keep offsets into the file's bytes, not copies of nested text."""
    source = "const cp = require('child_process');\ncp.exec(f(g('é' + x)), {shell: true});\n".encode()
    site = [s for s in find_sites("javascript", source) if s.name == "exec"][0]
    assert site.text == "cp.exec(f(g('é' + x)), {shell: true})"
    assert site.receiver == "cp"
    assert [a.text for a in site.args] == ["f(g('é' + x))", "{shell: true}", "true"]
