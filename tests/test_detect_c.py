"""The C/C++ extractor and rule refinements, one behaviour per line."""

from __future__ import annotations

import time

from entropy_lint.detect import detect, find_sites
from entropy_lint.rules.c import unbounded_printf_s, unbounded_scanf_s


def qualnames(code: str, language: str = "cpp") -> list[str]:
    return [s.qualname for s in find_sites(language, code.encode())]


def findings(code: str, language: str = "c") -> list[tuple[str, str]]:
    return [(h.rule.id, h.outcome.level) for h in detect(language, code.encode()).hits]


def test_std_and_global_qualifiers_resolve_to_the_plain_name() -> None:
    assert qualnames("void f() { std::strcpy(a, b); ::system(c); ::std::getenv(d); }") == ["strcpy", "system", "getenv"]


def test_other_namespaces_and_receivers_keep_their_text() -> None:
    assert qualnames("void f() { ns::other::system(x); obj.system(); p->strcpy(a, b); }") == [
        "ns::other::system", "obj.system", "p->strcpy"]


def test_parenthesised_callee_is_still_the_function() -> None:
    assert qualnames("void f() { (system)(cmd); }", "c") == ["system"]


def test_calls_through_pointers_have_no_name_to_match() -> None:
    assert qualnames("void f() { (*fp)(x); table[i](y); }", "c") == []


def test_declarations_defines_fields_and_strings_are_not_calls() -> None:
    code = '#define R(c) system(c)\nchar *gets(char *);\nstruct s { int system; };\nconst char *t = "system(x)"; // strcpy(a, b)\n'
    assert qualnames(code, "c") == []


def test_unqualified_call_to_own_method_is_not_the_c_library() -> None:
    code = "class A { int system(int); void run() { system(1); } };\nvoid A::go() { system(2); }\nvoid B::go() { system(3); }"
    assert [s.row for s in find_sites("cpp", code.encode())] == [2]


def test_call_row_and_name_bytes_come_from_the_call() -> None:
    site = find_sites("cpp", b"void f() {\n  std::strcpy(a,\n    b);\n}")[0]
    assert (site.row, site.name, site.start) == (1, "strcpy", 13)
    assert b"void f() {\n  std::strcpy(a,\n    b);\n}"[site.name_start:site.name_end] == b"strcpy"


def test_string_literals_concatenation_and_macros_are_constants() -> None:
    arg = find_sites("c", b'void f() { g("%" PRIu64 "\\n"); }')[0].args[0]
    assert (arg.literal, arg.value) == (True, "%\\n")


def test_gettext_wrapped_format_is_a_constant() -> None:
    assert findings('void f(char *m) { printf(_("hi %s"), m); printf(gettext("x")); }') == []


def test_cpp_string_concatenation_is_a_dynamic_string() -> None:
    args = find_sites("cpp", b'void f() { g(("a" + s).c_str(), std::string("a") + s, s.c_str()); }')[0].args
    assert [a.dynamic_string for a in args] == [True, True, False]


def test_strcpy_with_constant_source_is_a_note() -> None:
    assert findings('void f(char *d, char *s) { strcpy(d, "x"); strcpy(d, s); }') == [
        ("EL-C-STRCPY", "note"), ("EL-C-STRCPY", "warning")]


def test_sprintf_without_unbounded_s_is_not_reported() -> None:
    assert findings('void f(char *b, int n) { sprintf(b, "%d", n); sprintf(b, "%.8s", "x"); }') == []


def test_sprintf_with_variable_format_is_a_format_string_risk() -> None:
    assert findings("void f(char *b, char *fmt) { sprintf(b, fmt); }") == [("EL-C-SPRINTF", "warning")]


def test_scanf_only_with_unbounded_s() -> None:
    assert findings('void f(char *b) { scanf("%s", b); scanf("%9s", b); scanf("%d", &n); }') == [("EL-C-SCANF", "error")]


def test_printf_only_with_non_constant_format() -> None:
    assert findings('void f(char *m) { printf("%s", m); printf(m); }') == [("EL-C-FORMAT", "warning")]


def test_va_list_wrapper_forwarding_its_format_is_a_note() -> None:
    assert findings("void log(const char *fmt, va_list ap) { vfprintf(stderr, fmt, ap); }") == [("EL-C-FORMAT", "note")]


def test_system_with_constant_command_is_a_note() -> None:
    assert findings('void f(char *c) { system("ls"); system(c); }') == [("EL-C-SYSTEM", "note"), ("EL-C-SYSTEM", "error")]


def test_exec_with_constant_program_and_no_shell_is_not_reported() -> None:
    assert findings('void f(char **v, char *c) { execv("/bin/ls", v); execl("/bin/sh", "sh", "-c", c, 0); }') == [
        ("EL-C-EXEC", "error")]


def test_realpath_with_null_buffer_allocates_and_is_not_reported() -> None:
    assert findings("void f(char *p, char *b) { realpath(p, NULL); realpath(p, b); }") == [("EL-C-UNSIZED-BUFFER", "warning")]


def test_strncat_only_when_bounded_by_the_whole_buffer() -> None:
    assert findings("void f(char *s) { char b[8]; strncat(b, s, sizeof b); strncat(b, s, sizeof b - strlen(b) - 1); }") == [
        ("EL-C-STRNCAT", "warning")]


def test_sql_only_when_the_query_is_not_a_constant() -> None:
    assert findings('void f(sqlite3 *db, char *q) { sqlite3_exec(db, "VACUUM", 0, 0, 0); sqlite3_exec(db, q, 0, 0, 0); }') == [
        ("EL-C-SQL", "warning")]


def test_digest_by_name_only_for_weak_digests() -> None:
    assert findings('void f() { EVP_get_digestbyname("md5"); EVP_get_digestbyname("sha256"); }') == [("EL-C-WEAK-HASH", "warning")]


def test_format_scanners() -> None:
    assert [unbounded_printf_s(f) for f in ("%s", "%-10s", "%1$s", "%.5s", "%%s", "%d")] == [True, True, True, False, False, False]
    assert [unbounded_scanf_s(f) for f in ("%s", "%[a-z]", "%10s", "%*s", "%ms", "%%s")] == [True, True, False, False, False, False]


def test_a_large_file_is_fast() -> None:
    body = "".join(f'  strcpy(buf, s{i}); printf("%s", s{i}); x{i}.system(); std::getenv("V{i}");\n' for i in range(2000))
    code = "class A { void system(); };\nvoid f() {\n" + body + "}\n"
    began = time.perf_counter()
    assert len(detect("cpp", code.encode()).hits) == 4000
    assert time.perf_counter() - began < 1.0
