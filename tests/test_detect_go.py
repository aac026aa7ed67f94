"""The Go extractor, one behaviour per test: import paths, kinds and argument values."""

from __future__ import annotations

from entropy_lint.callsite import CallSite
from entropy_lint.detect import detect, find_sites
from entropy_lint.detect.go import package_name

WRAP = 'package p\n\nimport (\n{imports}\n)\n\nfunc f(ctx context.Context, s string, n int) {{\n{body}\n}}\n'


def sites(body: str, imports: str = '"os/exec"') -> list[CallSite]:
    return find_sites("go", WRAP.format(body=body, imports=imports).encode())


def qualnames(body: str, imports: str = '"os/exec"') -> list[str]:
    return [x.qualname for x in sites(body, imports)]


def rule_ids(body: str, imports: str = '"os/exec"') -> list[str]:
    return [h.rule.id for h in detect("go", WRAP.format(body=body, imports=imports).encode()).hits]


def test_import_binds_the_last_path_element() -> None:
    assert qualnames('exec.Command("ls")') == ["os/exec.Command"]


def test_aliased_import_binds_the_alias() -> None:
    assert qualnames('x.Command("ls")', imports='x "os/exec"') == ["os/exec.Command"]


def test_grouped_imports_resolve_each_path() -> None:
    assert qualnames("md5.New(); sql.Open(a, b)", imports='"crypto/md5"\n"database/sql"') == ["crypto/md5.New", "database/sql.Open"]


def test_major_version_suffixes_are_skipped() -> None:
    assert [package_name(p) for p in ("gopkg.in/yaml.v3", "github.com/jackc/pgx/v5", "math/rand/v2")] == ["yaml", "pgx", "rand"]


def test_method_on_a_value_keeps_its_written_form() -> None:
    assert qualnames('db.Query("SELECT 1")') == ["db.Query"]


def test_local_variable_shadows_a_package_name() -> None:
    assert qualnames('exec := runner{}\nexec.Command("ls")')[-1] == "exec.Command"


def test_local_function_is_not_the_package_function() -> None:
    assert qualnames("Command(s)") == ["Command"]


def test_fragment_without_imports_reads_standard_names() -> None:
    assert find_sites("go", b'package p\nfunc f() { exec.Command("ls") }')[0].qualname == "os/exec.Command"


def test_conversion_to_a_package_type_is_a_call() -> None:
    assert qualnames("_ = template.HTML(s)", imports='"html/template"') == ["html/template.HTML"]


def test_composite_literal_is_new_with_keyword_fields() -> None:
    site = sites("_ = &tls.Config{InsecureSkipVerify: true}", imports='"crypto/tls"')[0]
    assert (site.kind, site.qualname, site.name) == ("new", "crypto/tls.Config", "Config")
    assert site.kwarg("InsecureSkipVerify") is not None and site.kwarg("InsecureSkipVerify").literal  # type: ignore[union-attr]


def test_field_assignment_is_an_assign_site() -> None:
    site = sites("cfg.InsecureSkipVerify = true")[0]
    assert (site.kind, site.qualname, site.args[0].text) == ("assign", "cfg.InsecureSkipVerify", "true")


def test_name_bytes_are_the_function_name() -> None:
    source = WRAP.format(body='exec.Command("ls")', imports='"os/exec"').encode()
    site = find_sites("go", source)[0]
    assert source[site.name_start:site.name_end] == b"Command"


def test_string_literals_are_constants_with_their_value() -> None:
    args = sites('exec.Command("ls", `-l`)')[0].args
    assert [(a.literal, a.value) for a in args] == [(True, "ls"), (True, "-l")]


def test_concatenation_with_a_variable_is_dynamic() -> None:
    assert sites('db.Query("SELECT " + s)')[0].args[0].dynamic_string


def test_sprintf_is_dynamic() -> None:
    assert sites('db.Query(fmt.Sprintf("SELECT %s", s))', imports='"fmt"')[0].args[0].dynamic_string


def test_sprintf_with_number_verbs_only_is_not_dynamic() -> None:
    assert not sites('db.Query(fmt.Sprintf("SELECT %d", n))', imports='"fmt"')[0].args[0].dynamic_string


def test_itoa_in_a_concatenation_is_not_dynamic() -> None:
    assert not sites('db.Query("LIMIT " + strconv.Itoa(n))', imports='"strconv"')[0].args[0].dynamic_string


def test_local_built_by_concatenation_is_dynamic_where_used() -> None:
    assert sites('q := "SELECT " + s\ndb.Query(q)')[-1].args[0].dynamic_string


def test_plus_equals_makes_a_local_dynamic() -> None:
    assert sites('q := "SELECT 1"\nq += " AND a = " + s\ndb.Query(q)')[-1].args[0].dynamic_string


def test_const_concatenation_is_constant() -> None:
    source = b'package p\nconst t = "users"\nfunc f() { db.Query("SELECT * FROM " + t) }'
    assert find_sites("go", source)[0].args[0].literal


def test_shell_with_dynamic_command_is_an_error() -> None:
    hits = detect("go", WRAP.format(body='exec.Command("sh", "-c", s)', imports='"os/exec"').encode()).hits
    assert [(h.rule.id, h.outcome.level) for h in hits] == [("EL-GO-EXEC-COMMAND", "error")]


def test_argument_vector_without_a_shell_is_not_reported() -> None:
    assert rule_ids('exec.Command("ls", "-l", s)') == []


def test_prepared_statement_arguments_are_not_sql() -> None:
    assert rule_ids('stmt.QueryRow("x" + s)') == []


def test_package_function_named_like_a_query_method_is_not_sql() -> None:
    assert rule_ids('syscall.Exec("/bin/true", nil, nil)', imports='"syscall"') == []


def test_parameterised_query_is_not_reported() -> None:
    assert rule_ids('db.Query("SELECT * FROM t WHERE id = ?", s)') == []
