"""The C/C++ extractor and rule refinements, one behaviour per line."""

from __future__ import annotations

from entropy_lint.detect import detect, find_sites
from entropy_lint.rules.c_refine import unbounded_printf_s, unbounded_scanf_s


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


def test_declarations_fields_strings_and_comments_are_not_calls() -> None:
    code = 'char *gets(char *);\nstruct s { int system; };\nconst char *t = "system(x)"; // strcpy(a, b)\n'
    assert qualnames(code, "c") == []


def test_unqualified_call_to_own_method_is_not_the_c_library() -> None:
    code = "class A { int system(int); void run() { system(1); } };\nvoid A::go() { system(2); }\nvoid B::go() { system(3); }"
    assert [s.row for s in find_sites("cpp", code.encode())] == [2]


def test_call_row_and_name_bytes_come_from_the_call() -> None:
    site = find_sites("cpp", b"void f() {\n  std::strcpy(a,\n    b);\n}")[0]
    assert (site.row, site.name, site.start) == (1, "strcpy", 13)
    assert b"void f() {\n  std::strcpy(a,\n    b);\n}"[site.name_start:site.name_end] == b"strcpy"


def test_string_literals_concatenation_and_macros_are_constants() -> None:
    arg = find_sites("c", b'void f() { printf("%" PRIu64 "\\n"); }')[0].args[0]
    assert (arg.literal, arg.value) == (True, "%\\n")


def test_gettext_wrapped_format_is_a_constant() -> None:
    assert findings('void f(char *m) { printf(_("hi %s"), m); printf(gettext("x")); }') == []


def test_cpp_string_concatenation_is_a_dynamic_string() -> None:
    args = find_sites("cpp", b'void f() { system(("a" + s).c_str(), std::string("a") + s, s.c_str()); }')[0].args
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


def test_a_large_file_is_analysed_whole() -> None:
    """Speed is measured in benchmarks/bench_c_detect.py; here, that nothing is lost on the way."""
    body = "".join(f'  strcpy(buf, s{i}); printf("%s", s{i}); x{i}.system(); std::getenv("V{i}");\n' for i in range(2000))
    code = "class A { void system(); };\nvoid f() {\n  char buf[8];\n" + body + "}\n"
    assert len(detect("cpp", code.encode()).hits) == 4000


# --- value analysis: constants through macros and variables -----------------------------------------
def at(code: str, language: str = "c") -> list[tuple[str, int, str]]:
    """(rule, line, level) of each finding; lines count from 1."""
    return [(h.rule.id, h.site.row + 1, h.outcome.level) for h in detect(language, code.encode()).hits]


def test_string_macro_is_a_constant_with_its_text() -> None:
    code = '#define USAGE "usage: %s\\n"\n#define BAD "%s"\nvoid f(char *b, char *u) { printf(USAGE, u); sprintf(b, BAD, u); }'
    assert at(code) == [("EL-C-SPRINTF", 3, "warning")]  # the macro's %s is seen through it


def test_macro_chains_and_adjacent_macros_are_constants() -> None:
    code = '#define A "ls"\n#define B A\n#define C "x" B\nvoid f(void) { system(B); system(C); }'
    assert at(code) == [("EL-C-SYSTEM", 4, "note"), ("EL-C-SYSTEM", 4, "note")]


def test_macro_of_a_variable_or_a_cycle_is_not_a_constant() -> None:
    code = "#define CMD cmd_buffer\n#define X Y\n#define Y X\nvoid f(void) { system(CMD); system(X); }"
    assert at(code) == [("EL-C-SYSTEM", 4, "error"), ("EL-C-SYSTEM", 4, "error")]


def test_function_like_macro_is_not_a_constant() -> None:
    assert at('#define CMD() "ls"\nvoid f(void) { system(CMD); }') == [("EL-C-SYSTEM", 2, "error")]


def test_every_definition_of_a_macro_must_be_a_constant() -> None:
    code = '#ifdef W\n#define SEP "\\\\"\n#else\n#define SEP sep_var\n#endif\nvoid f(void) { system(SEP); }'
    assert at(code) == [("EL-C-SYSTEM", 6, "error")]


def test_local_constant_variable() -> None:
    assert at('void f(void) { const char *cmd = "ls"; system(cmd); }') == [("EL-C-SYSTEM", 1, "note")]


def test_local_variable_written_with_data_is_not_a_constant() -> None:
    code = 'void f(char *u) {\n  const char *cmd = "ls";\n  if (u) cmd = u;\n  system(cmd);\n}'
    assert at(code) == [("EL-C-SYSTEM", 4, "error")]


def test_write_after_the_call_does_not_reach_it_unless_in_a_loop_around_it() -> None:
    after = 'void f(char *u) {\n  const char *c = "ls";\n  system(c);\n  c = u;\n}'
    looped = 'void f(char *u) {\n  const char *c = "ls";\n  for (;;) {\n    system(c);\n    c = u;\n  }\n}'
    assert at(after) == [("EL-C-SYSTEM", 3, "note")]
    assert at(looped) == [("EL-C-SYSTEM", 4, "error")]


def test_variable_whose_address_is_taken_is_not_followed() -> None:
    assert at('void f(void) { const char *c = "ls"; read_into(&c); system(c); }') == [("EL-C-SYSTEM", 1, "error")]


def test_parameter_is_not_a_constant_until_overwritten_for_sure() -> None:
    sure = 'void f(const char *c) {\n  c = "ls";\n  system(c);\n}'
    maybe = 'void f(const char *c, int k) {\n  if (k) c = "ls";\n  system(c);\n}'
    assert at(sure) == [("EL-C-SYSTEM", 3, "note")] and at(maybe) == [("EL-C-SYSTEM", 3, "error")]


def test_redeclared_name_is_not_followed() -> None:
    code = 'void f(char *u) {\n  const char *c = "ls";\n  { const char *c = u; }\n  system(c);\n}'
    assert at(code) == [("EL-C-SYSTEM", 4, "error")]


def test_file_scope_constant_and_one_written_in_another_function() -> None:
    code = ('static const char *usage = "usage\\n";\nstatic const char *msg = "hi";\n'
            'void set(const char *m) { msg = m; }\nvoid f(void) { printf(usage); printf(msg); }')
    assert at(code) == [("EL-C-FORMAT", 4, "warning")]


def test_local_of_another_function_is_not_a_file_constant() -> None:
    code = 'void g(void) { const char *fmt = "%d"; (void)fmt; }\nvoid f(void) { printf(fmt); }'
    assert at(code) == [("EL-C-FORMAT", 2, "warning")]


def test_array_content_is_constant_until_it_may_change() -> None:
    kept = 'void f(void) { char fmt[] = "%d\\n"; printf(fmt, 1); }'
    passed = 'void f(char *u) { char fmt[] = "%d\\n"; strcpy(fmt, u); printf(fmt, 1); }'
    aliased = 'void f(char *u) { char fmt[] = "%d\\n"; char *p = fmt; *p = 0; printf(fmt, 1); }'
    const = 'void f(void) { const char fmt[] = "%d\\n"; use(fmt); printf(fmt, 1); }'
    assert at(kept) == [] and at(const) == []
    assert ("EL-C-FORMAT", 1, "warning") in at(passed) and at(aliased) == [("EL-C-FORMAT", 1, "warning")]


def test_exec_of_an_argv_element_set_to_a_constant_just_above() -> None:
    code = 'int main(int argc, char **argv) {\n  argv[0] = "/bin/true";\n  execv(argv[0], argv);\n  return 0;\n}'
    assert at(code) == []


def test_exec_of_an_element_from_an_initializer_list() -> None:
    code = 'void f(void) { const char *v[] = {"/bin/ls", "-l", NULL}; execv(v[0], (char **)v); }'
    assert at(code) == []


def test_exec_of_an_element_written_with_data_or_handed_to_another_call() -> None:
    data = 'void f(char **a, char *u) {\n  a[0] = "/bin/ls";\n  if (u) a[0] = u;\n  execv(a[0], a);\n}'
    handed = 'void f(char **a) {\n  a[0] = "/bin/ls";\n  fill(a);\n  execv(a[0], a);\n}'
    unknown_index = 'void f(char **a, int i, char *u) {\n  a[0] = "/bin/ls";\n  a[i] = u;\n  execv(a[0], a);\n}'
    for code in (data, handed, unknown_index):
        assert at(code) == [("EL-C-EXEC", 4, "warning")], code


def test_strcpy_of_a_constant_that_fits_the_declared_buffer_is_not_reported() -> None:
    code = ('#define NAME "gzip"\nvoid f(char *out) {\n  char b[8];\n  strcpy(b, NAME);\n  strcpy(b, "12345678");\n'
            '  strcpy(out, NAME);\n}')
    assert at(code) == [("EL-C-STRCPY", 5, "note"), ("EL-C-STRCPY", 6, "note")]  # 8 bytes and a NUL; size unknown


def test_copying_the_empty_string_is_not_reported() -> None:
    assert at('void f(char *d) { strcpy(d, ""); strcat(d, ""); wcscpy((wchar_t *)d, L""); }') == []


def test_string_lengths_count_escapes_conservatively() -> None:
    from entropy_lint.rules.c_refine import string_bytes

    assert [string_bytes(s, most=True) for s in ("ab", "\\n", "\\x41", "\\101", "\\u00e9", "é")] == [2, 1, 1, 1, 4, 2]
    assert [string_bytes(s, most=False) for s in ("\\u00e9", "é")] == [1, 1]


def test_realpath_into_a_buffer_of_path_max_bytes_is_not_reported() -> None:
    code = ("#define PBUF (PATH_MAX + 1)\nvoid f(const char *p) {\n  char a[PATH_MAX];\n  char b[PBUF];\n"
            "  char *c = malloc(PATH_MAX + 1);\n  char *d = calloc(1, MAXPATHLEN);\n  char e[4096];\n  char s[256];\n"
            "  realpath(p, a); realpath(p, b); realpath(p, c); realpath(p, d); realpath(p, e); getwd(a);\n"
            "  realpath(p, s);\n  getwd(s);\n}")
    assert at(code) == [("EL-C-UNSIZED-BUFFER", 10, "warning"), ("EL-C-UNSIZED-BUFFER", 11, "warning")]


def test_pointer_allocated_twice_has_no_known_size() -> None:
    code = "void f(const char *p, int k) {\n  char *c = malloc(PATH_MAX);\n  if (k) c = malloc(16);\n  realpath(p, c);\n}"
    assert at(code) == [("EL-C-UNSIZED-BUFFER", 4, "warning")]


def test_strncat_bounded_by_the_declared_size_as_a_number_or_a_macro() -> None:
    code = "#define N 32\nvoid f(char *s) {\n  char a[32];\n  char b[N];\n  strncat(a, s, 32); strncat(b, s, N); strncat(a, s, 8);\n}"
    assert at(code) == [("EL-C-STRNCAT", 5, "warning"), ("EL-C-STRNCAT", 5, "warning")]


def test_sizeof_of_a_byte_array_and_arithmetic_give_numbers() -> None:
    bounds = ["sizeof b", "sizeof(b) - 1", "2 * 8", "-3", 'sizeof "ab"', "0x10", "sizeof(int)", "n + 1"]
    code = "void f(char *s, int n) { char b[10]; " + "".join(f"strncat(b, s, {x}); " for x in bounds) + "}"
    assert [site.args[2].number for site in find_sites("c", code.encode())] == [  # type: ignore[attr-defined]
        10, 9, 16, -3, 3, 16, None, None]


def test_sites_are_the_calls_whose_name_a_rule_matches() -> None:
    assert qualnames("void f() { log_it(x); system(c); obj.system(); ns::strcpy(a, b); EVP_des_cbc(); }") == [
        "system", "obj.system", "ns::strcpy", "EVP_des_cbc"]


# --- macro bodies -------------------------------------------------------------------------------------
def test_calls_in_macro_bodies_are_found_where_they_are_written() -> None:
    code = b"#define LOG(...) \\\n  fprintf(stderr, __VA_ARGS__)\nint x;\n"
    site = find_sites("c", code)[0]
    assert (site.qualname, site.row, code[site.name_start:site.name_end], code[site.start:site.end]) == (
        "fprintf", 1, b"fprintf", b"fprintf(stderr, __VA_ARGS__)")


def test_macro_parameters_are_values_each_use_decides() -> None:
    code = ('#define LOG(fmt, ...) fprintf(stderr, fmt, __VA_ARGS__)\n#define RUN(c) system(c)\n'
            '#define SAY(m) printf(#m)\n#define FMT "%d"\nconst char *fmt = "%s";\n#define LOG2(fmt) printf(fmt)\n')
    assert at(code) == [("EL-C-FORMAT", 1, "note"), ("EL-C-SYSTEM", 2, "error"), ("EL-C-FORMAT", 6, "note")]


def test_token_pasting_makes_one_unknown_name() -> None:
    assert qualnames("#define P(x) x ## system(cmd)\n#define Q(x) x##strcpy(a, x)\n", "c") == []  # x____system


def test_directives_other_than_define_are_not_code() -> None:
    assert qualnames('#warning system(x) is gone\n#pragma strcpy(a, b)\n#error gets(buf)\n', "c") == []


def test_macro_body_that_tree_sitter_leaves_in_an_error_is_still_read() -> None:
    code = "#define RUN_ALL(l) do { \\\n    system(l); /* each */ \\\n  } while (0)\n"
    assert at(code) == [("EL-C-SYSTEM", 2, "error")]


def test_macro_body_that_leaves_a_call_open() -> None:
    code = b"#define RUN_WITH system(g(\nint y;\n"
    (site,) = find_sites("c", code)
    assert (site.qualname, site.row, code[site.start:site.end]) == ("system", 0, b"system(g(")


def test_macro_bodies_without_a_rule_name_are_not_parsed() -> None:
    assert qualnames("#define MAX(a, b) max_of(a, b)\n", "c") == []


# --- calls a macro statement hid ------------------------------------------------------------------------
def test_call_after_a_bare_macro_statement_is_recovered_once() -> None:
    code = "void f(char *d, const char *p) {\n  Py_BEGIN_ALLOW_THREADS\n  strcpy(d, p);\n  Py_END_ALLOW_THREADS\n}\n"
    sites = find_sites("c", code.encode())
    assert [(s.qualname, s.row) for s in sites] == [("strcpy", 2)]
    assert code.encode()[sites[0].start:sites[0].end] == b"strcpy(d, p)" and [a.text for a in sites[0].args] == ["d", "p"]


def test_calls_recovered_after_other_macro_shapes() -> None:
    code = ("int f(const char *p) {\n  DEBUG_ENTER\n  if (access(p, R_OK) == 0) {\n    return 1;\n  }\n"
            "  LOCK(m) chmod(p, 0600);\n  BEGIN_CRITICAL {\n    strcpy(q, p);\n  } END_CRITICAL\n  return 0;\n}\n")
    assert [(r, line) for r, line, _ in at(code)] == [("EL-C-ACCESS", 3), ("EL-C-PATH-RACE", 6), ("EL-C-STRCPY", 8)]


def test_lost_call_that_never_closes_stays_inside_the_file() -> None:
    code = b"void f(char *c) {\n  FOO\n  system(g(c, (h(c)"
    (site,) = find_sites("c", code)
    assert (site.qualname, site.row, site.end) == ("system", 2, len(code)) and not site.args[0].literal


def test_prototypes_members_and_other_namespaces_are_not_recovered() -> None:
    code = ("void f(void) {\n  extern char *getenv(const char *);\n  int rand(void);\n  FILE *popen(const char *c, const char *m);\n"
            "  MACRO_STATEMENT\n  o.system(x);\n  p->strcpy(a, b);\n  MACRO_STATEMENT\n  ns::system(x);\n}\n")
    assert at(code, "cpp") == []


def test_cpp_variable_constructed_in_place_is_not_a_call() -> None:
    code = "void f(const char *p) {\n  Runner system(p);\n  FOO\n  std::system(p);\n  BAR\n  system(p);\n}\n"
    assert at(code, "cpp") == [("EL-C-SYSTEM", 4, "error"), ("EL-C-SYSTEM", 6, "error")]


def test_recovered_call_to_the_classes_own_method_is_dropped() -> None:
    code = "class A { int system(const char *); void run(const char *c); };\nvoid A::run(const char *c) {\n  FOO\n  system(c);\n}\n"
    assert at(code, "cpp") == []


def test_recovered_call_sees_the_functions_constants() -> None:
    code = 'void f(void) {\n  const char *c = "ls";\n  LOCK(m) system(c);\n}\n'
    assert at(code) == [("EL-C-SYSTEM", 3, "note")]


# --- Windows --------------------------------------------------------------------------------------------
def test_initialize_critical_section_is_a_note() -> None:
    code = "void f(CRITICAL_SECTION *cs) { InitializeCriticalSection(cs); InitializeCriticalSectionAndSpinCount(cs, 9); }"
    assert at(code) == [("EL-C-CRITICAL-SECTION", 1, "note")]


def test_load_library_by_name_path_and_flag() -> None:
    code = ('void f(const char *n) {\n  LoadLibrary(n);\n  LoadLibraryA("x.dll");\n  LoadLibraryW(L"C:\\\\W\\\\x.dll");\n'
            '  LoadLibraryExA("x.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);\n  LoadLibraryExW(L"sub\\\\x.dll", NULL, 0);\n'
            '  LoadLibraryA("User32.dll"); LoadLibraryW(L"kernel32");\n}')
    assert at(code) == [("EL-C-LOADLIBRARY", 2, "warning"), ("EL-C-LOADLIBRARY", 3, "note"), ("EL-C-LOADLIBRARY", 6, "note")]


# --- the screen before parsing ------------------------------------------------------------------------
def test_a_file_without_any_rule_name_need_not_be_parsed() -> None:
    from entropy_lint.detect.c import worth_parsing

    assert not worth_parsing(b"int main(void) { return mystrcpy(a, b) + system_id; }")
    assert worth_parsing(b"x = strcpy;") and worth_parsing(b"EVP_des_ede3_cbc") and worth_parsing(b"s.system")


def test_the_screen_never_hides_a_finding_of_the_samples() -> None:
    from pathlib import Path

    from entropy_lint.detect.c import worth_parsing

    for path in (Path(__file__).parent / "samples" / "c").iterdir():
        source = path.read_bytes()
        for chunk in source.split(b"\n\n"):  # each paragraph on its own, findings or not
            language = "cpp" if path.suffix == ".cpp" else "c"
            assert worth_parsing(chunk, language) or detect(language, chunk).hits == []
