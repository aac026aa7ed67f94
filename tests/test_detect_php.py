"""The PHP extractor and rule refinements, one behaviour per line."""

from __future__ import annotations

from entropy_lint.callsite import CallSite
from entropy_lint.detect import detect, find_sites


def sites(code: str) -> list[CallSite]:
    return find_sites("php", f"<?php\n{code}\n".encode())


def qualnames(code: str) -> list[str]:
    return [s.qualname for s in sites(code)]


def first(code: str) -> CallSite:
    return sites(code)[0]


def findings(code: str) -> list[tuple[str, str]]:
    return [(h.rule.id, h.outcome.level) for h in detect("php", f"<?php\n{code}\n".encode()).hits]


def test_function_names_are_lower_case() -> None:
    assert qualnames("System($x);") == ["system"]


def test_fully_qualified_call_is_the_global_function() -> None:
    assert qualnames("namespace App; \\system($x);") == ["system"]


def test_unqualified_call_falls_back_to_the_global_function() -> None:
    assert qualnames("namespace App; system($x);") == ["system"]


def test_function_declared_in_the_namespace_shadows_the_builtin() -> None:
    assert qualnames("namespace App; function system($c) {} system($x);") == ["app\\system"]


def test_use_function_alias_is_resolved() -> None:
    assert qualnames("use function Lib\\Sh\\run as system; system($x);") == ["lib\\sh\\run"]


def test_method_calls_are_dotted_on_the_receiver() -> None:
    assert qualnames("$this->db->Query($sql);") == ["$this.db.query"]


def test_nullsafe_method_call() -> None:
    assert qualnames("$pdo?->exec($sql);") == ["$pdo.exec"]


def test_static_call_resolves_the_class_through_use() -> None:
    assert qualnames("use Illuminate\\Support\\Facades\\DB; DB::Select($q);") == ["Illuminate\\Support\\Facades\\DB::select"]


def test_new_is_kind_new() -> None:
    assert (first("new PDO($dsn);").kind, first("new PDO($dsn);").qualname) == ("new", "PDO")


def test_name_bytes_are_the_callee() -> None:
    site = first("$pdo->query($sql);")
    assert (site.name, site.name_end - site.name_start) == ("query", 5)


def test_backticks_are_a_shell_site() -> None:
    assert (first("`ls $d`;").kind, first("`ls $d`;").qualname, first("`ls $d`;").args[0].dynamic_string) == ("shell", "`", True)


def test_include_keyword_is_the_name() -> None:
    site = first("require_once($path);")
    assert (site.kind, site.qualname, site.name, site.args[0].text) == ("include", "require_once", "require_once", "$path")


def test_echo_arguments_are_the_printed_pieces() -> None:
    assert [a.text for a in first("echo 'a' . $b, $c ?? 'd';").args] == ["'a'", "$b", "$c", "'d'"]


def test_short_echo_tag_is_an_echo() -> None:
    site = find_sites("php", b"<p><?= $_GET['q'] ?></p>")[0]
    assert (site.qualname, site.name, site.text) == ("echo", "<?=", "<?= $_GET['q']")


def test_named_argument_keeps_its_name() -> None:
    assert first("exec(command: $c);").args[0].keyword == "command"


def test_single_quoted_string_is_literal() -> None:
    assert (first("f('a $b');").args[0].literal, first("f('a $b');").args[0].value) == (True, "a $b")


def test_interpolated_string_is_dynamic() -> None:
    assert first('f("a $b");').args[0].dynamic_string


def test_concatenation_with_a_variable_is_dynamic() -> None:
    assert first("f('a' . $b);").args[0].dynamic_string


def test_constant_expression_is_literal() -> None:
    assert first("f(__DIR__ . '/x.php');").args[0].literal


def test_dirname_of_file_is_literal() -> None:
    assert first("f(dirname(__FILE__) . '/x.php');").args[0].literal


def test_wpdb_table_names_are_constant() -> None:
    assert first('f("SELECT * FROM {$wpdb->posts}");').args[0].literal


def test_sprintf_is_dynamic() -> None:
    assert first("f(sprintf('%s', $x));").args[0].dynamic_string


def test_html_outside_php_is_not_code() -> None:
    assert find_sites("php", b"<p>system($x)</p>") == []


def test_strings_and_comments_are_not_calls() -> None:
    assert qualnames("$s = 'system($x)'; // eval($y)\n# exec($z)") == []


def test_method_on_unrelated_object_is_not_a_finding() -> None:
    assert findings("$obj->system($x);") == []


def test_dynamic_command_is_an_error() -> None:
    assert findings("exec('ls ' . $dir);") == [("EL-PHP-EXEC", "error")]


def test_constant_command_is_a_note() -> None:
    assert findings("system('uptime');") == [("EL-PHP-EXEC", "note")]


def test_escapeshellarg_on_every_value_lowers_to_note() -> None:
    assert findings("system('ls ' . escapeshellarg($a) . ' ' . escapeshellarg($b));") == [("EL-PHP-EXEC", "note")]


def test_one_unquoted_value_keeps_the_error() -> None:
    assert findings("system('ls ' . escapeshellarg($a) . ' ' . $b);") == [("EL-PHP-EXEC", "error")]


def test_escapeshellcmd_is_a_warning() -> None:
    assert findings("system(escapeshellcmd($c));") == [("EL-PHP-EXEC", "warning")]


def test_proc_open_with_an_argument_array_is_not_a_finding() -> None:
    assert findings("proc_open(['ls', $d], $spec, $pipes);") == []


def test_assert_of_an_expression_is_not_a_finding() -> None:
    assert findings("assert($x > 0);") == []


def test_preg_replace_e_modifier_with_other_delimiters() -> None:
    assert findings("preg_replace('#(\\w+)#ie', '$1', $s);") == [("EL-PHP-PREG-EVAL", "error")]


def test_preg_replace_without_e_is_not_a_finding() -> None:
    assert findings("preg_replace('/e/i', 'x', $s);") == []


def test_unserialize_allowed_classes_false_is_not_a_finding() -> None:
    assert findings("unserialize($d, ['allowed_classes' => false]);") == []


def test_unserialize_with_a_class_list_is_a_note() -> None:
    assert findings("unserialize($d, ['allowed_classes' => [Money::class]]);") == [("EL-PHP-UNSERIALIZE", "note")]


def test_include_levels() -> None:
    assert [f for c in ("include $_GET['p'];", "include \"p/$p.php\";", "include $f;", "include __DIR__ . '/a.php';")
            for f in findings(c)] == [("EL-PHP-INCLUDE", "error"), ("EL-PHP-INCLUDE", "warning"), ("EL-PHP-INCLUDE", "note")]


def test_include_of_filter_input_is_request_data() -> None:
    assert findings("include filter_input(INPUT_GET, 'p');") == [("EL-PHP-INCLUDE", "error")]


def test_mysqli_query_is_the_second_argument() -> None:
    assert findings("mysqli_query(\"SELECT $a\", 'SELECT 1');") == []


def test_parameterised_prepare_is_not_a_finding() -> None:
    assert findings("$pdo->prepare('SELECT * FROM t WHERE id = ?');") == []


def test_cast_values_in_sql_are_not_a_finding() -> None:
    assert findings("$db->query('SELECT * FROM t WHERE id = ' . (int) $id);") == []


def test_exec_method_needs_sql_text() -> None:
    assert findings("$git->exec('checkout ' . $branch);") == []


def test_echo_of_escaped_request_data_is_not_a_finding() -> None:
    assert findings("echo htmlspecialchars($_GET['q']);") == []


def test_echo_of_server_configuration_is_not_a_finding() -> None:
    assert findings("echo $_SERVER['SERVER_NAME'];") == []


def test_extract_with_a_prefix_is_a_note() -> None:
    assert findings("extract($_GET, EXTR_PREFIX_ALL, 'g');") == [("EL-PHP-EXTRACT", "note")]


def test_hash_with_a_strong_algorithm_is_not_a_finding() -> None:
    assert findings("hash('sha256', $x);") == []


def test_a_sprintf_of_numbers_is_a_quoted_command() -> None:
    assert findings("exec(sprintf('kill -%d %d', $signal, $pid));") == [("EL-PHP-EXEC", "note")]
    assert findings("exec(sprintf('kill %s', $pid));") == [("EL-PHP-EXEC", "error")]


def test_a_command_assigned_just_above_is_judged_by_that_value_only() -> None:
    code = """function f($p) {
    if ($p) { $c = "ls " . $p; }
    $c = 'ls -l';
    shell_exec($c);
    $c = 'ls ' . $p;
    shell_exec($c);
}"""
    assert findings(code) == [("EL-PHP-EXEC", "note"), ("EL-PHP-EXEC", "error")]
