"""No C or C++ input shape crashes detection: deep expressions are analysed as far as is safe,
the calls around them are still found, and a note says where analysis was cut.

Everything here runs under Python's default recursion limit; an extractor that recursed on the
tree's shape would raise RecursionError at a few hundred levels.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entropy_lint.callsite import CallSite
from entropy_lint.detect import Hit, detect
from entropy_lint.detect.c import MAX_DEPTH, extract
from entropy_lint.languages import parse

NOTE = re.compile(rf"expression nesting deeper than {MAX_DEPTH} levels at line \d+; analysed as far as safely possible"
                  r"|more than \d+ names to follow in one file; the rest were taken for values that are not constants"
                  r"|more than \d+ calls hidden by macro statements; the rest were not recovered"
                  r"|syntax tree deeper than \d+ levels: searched with a slower walk; names not followed and calls "
                  r"hidden by macro statements not recovered in this file")


def run(code: str, language: str) -> tuple[list[CallSite], list[str]]:
    data = code.encode()
    notes: list[str] = []
    with default_recursion_limit():
        sites = extract(parse(language, data), data, language, notes)
    assert all(NOTE.fullmatch(n) for n in notes), notes
    for site in sites:  # every offset lies in the file, and names the callee
        assert 0 <= site.start <= site.name_start < site.name_end <= site.end <= len(data)
        assert data[site.name_start:site.name_end].decode() == site.name
        assert all(site.start <= a.start <= a.end <= site.end for a in site.args)
    return sites, notes


@contextlib.contextmanager
def default_recursion_limit() -> Iterator[None]:
    """Python's default limit, whatever pytest or hypothesis raised it to."""
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    try:
        yield
    finally:
        sys.setrecursionlimit(previous)


def around(expression: str) -> str:
    """``expression`` as a printf format on line 2, between two real calls on lines 1 and 3."""
    return f"void f(char *cmd, char *s) {{\n  strcpy(s, cmd);\n  printf({expression});\n  system(cmd);\n}}\n"


def hits(code: str, language: str) -> list[Hit]:
    with default_recursion_limit():
        return detect(language, code.encode()).hits


def calls(sites: list[CallSite], name: str) -> list[int]:
    return [s.row for s in sites if s.qualname == name]


def assert_surroundings_found(code: str, language: str) -> list[str]:
    sites, notes = run(code, language)
    assert calls(sites, "strcpy") == [1] and calls(sites, "printf") == [2] and calls(sites, "system") == [3]
    levels = {(h.rule.id, h.site.row): h.outcome.level for h in hits(code, language)}
    assert levels[("EL-C-STRCPY", 1)] == "warning" and levels[("EL-C-SYSTEM", 3)] == "error"
    return notes


# --- fixed worst cases ----------------------------------------------------------------------------
@pytest.mark.parametrize("language", ["c", "cpp"])
@pytest.mark.parametrize("terms", [250, 5000])
def test_long_plus_chain_in_an_argument(language: str, terms: int) -> None:
    code = around(" + ".join(f"a{i}" for i in range(terms)))
    assert assert_surroundings_found(code, language) == []  # a + chain is unwound in a loop: nothing cut
    assert ("EL-C-FORMAT", 2) in {(h.rule.id, h.site.row) for h in hits(code, language)}


@pytest.mark.parametrize("language", ["c", "cpp"])
@pytest.mark.parametrize("wrap", ["({})", "(char *){}", "c ? {} : d", "sizeof({})", "!{}", "{}[i]", "({})->f"])
def test_deeply_wrapped_argument(language: str, wrap: str) -> None:
    expression = "x"
    for _ in range(3000):
        expression = wrap.format(expression)
    assert_surroundings_found(around(expression), language)


@pytest.mark.parametrize("language", ["c", "cpp"])
def test_deeply_parenthesised_constant_is_still_a_constant(language: str) -> None:
    code = around("(" * 3000 + '"%d"' + ")" * 3000 + ", 1")
    assert ("EL-C-FORMAT", 2) not in {(h.rule.id, h.site.row) for h in hits(code, language)}


@pytest.mark.parametrize("language", ["c", "cpp"])
def test_deeply_nested_calls_are_all_found(language: str) -> None:
    sites, notes = run(around("system(" * 2000 + "x" + ")" * 2000), language)
    assert calls(sites, "system") == [2] * 2000 + [3] and notes == []


@pytest.mark.parametrize("language", ["c", "cpp"])
def test_long_member_chains(language: str) -> None:
    chain = "a" + "->b" * 5000
    sites, _ = run(f"void f() {{\n  {chain}->system(x);\n  printf({chain});\n  system(y);\n}}\n", language)
    assert [s.qualname for s in sites][1:] == ["printf", "system"]
    assert sites[0].qualname.endswith("->system") and len(sites[0].text) < len(chain)  # bounded copies


@pytest.mark.parametrize("language", ["c", "cpp"])
def test_deep_initializer_lists(language: str) -> None:
    code = "int t[] = " + "{" * 3000 + "1" + "}" * 3000 + ";\nvoid f(char *c) { system(c); }\n"
    sites, _ = run(code, language)
    assert calls(sites, "system") == [1]


def test_string_nested_deeper_than_the_limit_is_cut_with_a_note_and_reported() -> None:
    nested = "s + (" * 600 + "x" + ")" * 600
    code = f"void f(std::string s) {{\n  std::system(({nested}).c_str());\n  system(y);\n}}\n"
    sites, notes = run(code, "cpp")
    assert notes == [f"expression nesting deeper than {MAX_DEPTH} levels at line 2; analysed as far as safely possible"]
    assert calls(sites, "system") == [1, 2]
    assert [(h.rule.id, h.site.row, h.outcome.level) for h in hits(code, "cpp")] == [
        ("EL-C-SYSTEM", 1, "error"), ("EL-C-SYSTEM", 2, "error")]


def test_own_method_check_on_deeply_nested_calls() -> None:
    """The member-function check walks each call's enclosing functions once, not its parents."""
    code = "class A { void g(int); void system(int); };\nvoid A::h() { " + "g(" * 3000 + "x" + ")" * 3000 + "; system(1); }\n"
    sites, _ = run(code, "cpp")
    assert sites == []  # every call is to A's own methods


def test_deeply_nested_templates_in_a_class() -> None:
    code = "class C {\n" + "template<class T> " * 2000 + "void system(T);\n void run() { system(1); }\n};\n"
    sites, _ = run(code, "cpp")
    assert sites == []


def test_long_chains_of_macros_and_of_assignments() -> None:
    macros = "".join(f"#define M{i} M{i + 1}\n" for i in range(1500)) + '#define M1500 "ls"\n'
    assigns = 'const char *a0 = "ls";\n' + "".join(f"const char *a{i + 1} = a{i};\n" for i in range(1500))
    code = f"{macros}void f(void) {{\n{assigns}system(M0);\nsystem(a1500);\n}}\n"
    sites, notes = run(code, "c")
    assert calls(sites, "system") == [3003, 3004]
    assert notes == [f"expression nesting deeper than {MAX_DEPTH} levels at line 3005; analysed as far as safely possible"]
    assert [lvl for rule, row, lvl in [(h.rule.id, h.site.row, h.outcome.level) for h in hits(code, "c")]] == ["error", "error"]


@pytest.mark.parametrize("language", ["c", "cpp"])
def test_deep_expressions_in_macro_bodies_and_lost_calls(language: str) -> None:
    deep = "(" * 3000 + "x" + ")" * 3000
    product = " * ".join(["(x"] * 1000) + ")" * 1000
    code = (f"#define M(x) system({deep})\n#define N(x) system({product})\n"
            f"void f(void) {{\n  FOO\n  system({product});\n}}\n")
    sites, _ = run(code, language)
    assert calls(sites, "system") == [0, 1, 4]


def test_names_followed_per_file_are_bounded_and_the_bound_is_noted() -> None:
    from entropy_lint.detect.c_uses import MAX_NAMES

    body = "".join(f'  const char *c{i} = "ls";\n  system(c{i});\n' for i in range(MAX_NAMES + 100))
    code = f"void f(void) {{\n{body}}}\n"
    sites, notes = run(code, "c")
    assert len(sites) == MAX_NAMES + 100
    assert notes == [f"more than {MAX_NAMES} names to follow in one file; the rest were taken for values that are "
                     "not constants"]
    levels = [h.outcome.level for h in hits(code, "c")]
    assert levels[0] == "note" and levels[-1] == "error"  # constant while followed, then not


def test_calls_recovered_from_macro_statements_are_bounded_and_the_bound_is_noted() -> None:
    from entropy_lint.detect.c_recover import MAX_LOST

    code = "void f(char *x) {\n" + "  FOO\n  system(x);\n" * (MAX_LOST + 10) + "}\n"
    sites, notes = run(code, "c")
    assert len(sites) == MAX_LOST
    assert notes == [f"more than {MAX_LOST} calls hidden by macro statements; the rest were not recovered"]


@pytest.mark.parametrize("language", ["c", "cpp"])
def test_a_tree_deeper_than_the_query_can_search_is_walked(language: str) -> None:
    """tree-sitter's query cursor stops matching past 32,767 levels (and slows down quadratically)."""
    from entropy_lint.detect.c_search import DEEPEST

    n = DEEPEST // 2 + 1000  # a call and its argument list: two levels each
    code = "void f(char *c) {\n  printf(\"%d\", 1);\n  " + "system(" * n + "c" + ")" * n + ";\n}\n"
    sites, notes = run(code, language)
    assert calls(sites, "printf") == [1] and calls(sites, "system") == [2] * n
    assert len(notes) == 1 and notes[0].startswith(f"syntax tree deeper than {DEEPEST} levels")


def test_a_name_used_very_often_is_not_followed() -> None:
    from entropy_lint.detect.c_uses import MAX_OCCURRENCES

    uses = "".join("  use(x);\n" for _ in range(MAX_OCCURRENCES))
    code = f'void f(void) {{\n  const char *x = "ls";\n{uses}  system(x);\n}}\n'
    assert [h.outcome.level for h in hits(code, "c")] == ["error"]


# --- generated shapes -----------------------------------------------------------------------------
WRAPS = {
    "paren": "({})", "cast": "(char *){}", "plus_left": "{} + s", "plus_right": "s + ({})", "ternary": "c ? {} : d",
    "call": "g({})", "field": "({})->f", "index": "{}[i]", "not": "!{}", "sizeof": "sizeof({})", "cstr": "({}).c_str()",
    "string_plus": '"a" + ({})', "comma": "({}, 1)", "assign": "y = {}", "times": "x * ({})", "minus": "({}) - 1",
    "shift": "({}) << 2",
}


def build(leaf: str, layers: list[tuple[str, int]]) -> str:
    expression = leaf
    for wrap, times in layers:
        for _ in range(times):
            expression = WRAPS[wrap].format(expression)
    return expression


@settings(max_examples=60, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(language=st.sampled_from(["c", "cpp"]), leaf=st.sampled_from(["x", '"%s"', "42", '"a" "b"', 'L"w"']),
       layers=st.lists(st.tuples(st.sampled_from(sorted(WRAPS)), st.integers(1, 700)), max_size=6))
def test_generated_deep_expressions_never_crash(language: str, leaf: str, layers: list[tuple[str, int]]) -> None:
    expression = build(leaf, layers)
    notes = assert_surroundings_found(around(expression), language)
    if notes:  # a cut argument is never taken for a constant: the format is reported
        assert ("EL-C-FORMAT", 2) in {(h.rule.id, h.site.row) for h in hits(around(expression), language)}
