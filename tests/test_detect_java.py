"""The Java extractor, one behaviour per test: qualnames, kinds and argument values."""

from __future__ import annotations

from entropy_lint.callsite import CallSite
from entropy_lint.detect import detect, find_sites

WRAP = "import java.io.*;\nclass T {{\n{fields}\nvoid f(String p, int n) throws Exception {{\n{body}\n}} }}"


def sites(body: str, fields: str = "") -> list[CallSite]:
    return find_sites("java", WRAP.format(body=body, fields=fields).encode())


def qualnames(body: str, fields: str = "") -> list[str]:
    return [s.qualname for s in sites(body, fields)]


def last(body: str, fields: str = "") -> CallSite:
    return sites(body, fields)[0]


def rule_ids(body: str, fields: str = "") -> list[str]:
    return [h.rule.id for h in detect("java", WRAP.format(body=body, fields=fields).encode()).hits]


def test_static_call_keeps_the_simple_type() -> None:
    assert qualnames('MessageDigest.getInstance("MD5");') == ["MessageDigest.getInstance"]


def test_package_qualified_type_is_stripped() -> None:
    assert qualnames('java.security.MessageDigest.getInstance("MD5");') == ["MessageDigest.getInstance"]


def test_call_chain_is_kept() -> None:
    assert qualnames("Runtime.getRuntime().exec(p);")[0] == "Runtime.getRuntime().exec"


def test_local_variable_resolves_to_its_declared_type() -> None:
    assert qualnames("ObjectInputStream in = new ObjectInputStream(s); in.readObject();")[-1] == "ObjectInputStream.readObject"


def test_var_takes_the_type_of_new() -> None:
    assert qualnames("var in = new ObjectInputStream(s); in.readObject();")[-1] == "ObjectInputStream.readObject"


def test_var_from_a_call_takes_the_chain() -> None:
    assert qualnames("var rt = Runtime.getRuntime(); rt.exec(p);")[-1] == "Runtime.getRuntime().exec"


def test_typed_variable_from_a_call_takes_the_type() -> None:
    assert qualnames("Runtime rt = Runtime.getRuntime(); rt.exec(p);")[-1] == "Runtime.exec"


def test_field_resolves_with_and_without_this() -> None:
    assert qualnames("this.engine.eval(p); engine.eval(p);", "ScriptEngine engine;") == ["ScriptEngine.eval"] * 2


def test_new_on_the_receiver_gives_its_type() -> None:
    assert qualnames("new Yaml().load(p);")[0] == "Yaml.load"


def test_cast_gives_its_type() -> None:
    assert qualnames("((ObjectInputStream) o).readObject();") == ["ObjectInputStream.readObject"]


def test_unresolved_receiver_keeps_its_text() -> None:
    assert qualnames("db.executeQuery(p);") == ["db.executeQuery"]


def test_lambda_parameter_shadows_an_outer_declaration() -> None:
    body = "ObjectInputStream in = null; list.forEach(in -> in.readObject());"
    assert "in.readObject" in qualnames(body)


def test_local_declared_later_does_not_resolve_an_earlier_use() -> None:
    assert qualnames("in.readObject(); ObjectInputStream in = null;") == ["in.readObject"]


def test_static_import_resolves_a_bare_call() -> None:
    source = b"import static java.lang.Runtime.getRuntime;\nclass T { void f() { getRuntime().exec(c); } }"
    assert find_sites("java", source)[0].qualname == "Runtime.getRuntime().exec"


def test_new_is_kind_new_named_by_the_type() -> None:
    site = last("new java.util.Random();")
    assert (site.kind, site.qualname, site.name) == ("new", "Random", "Random")


def test_name_bytes_are_the_method_name() -> None:
    source = WRAP.format(body="rt.exec(p);", fields="").encode()
    site = find_sites("java", source)[0]
    assert source[site.name_start:site.name_end] == b"exec"


def test_method_declarations_are_not_calls() -> None:
    assert find_sites("java", b"class T { Process exec(String c) { return null; } }") == []


def test_string_literal_is_a_constant_with_its_value() -> None:
    arg = last('f("MD5");').args[0]
    assert (arg.literal, arg.value, arg.dynamic_string) == (True, "MD5", False)


def test_concatenation_with_a_variable_is_dynamic() -> None:
    assert last('f("SELECT " + p);').args[0].dynamic_string


def test_concatenation_with_a_number_is_not_dynamic() -> None:
    arg = last('f("SELECT * LIMIT " + n);').args[0]
    assert not arg.dynamic_string and not arg.literal


def test_concatenation_with_a_final_constant_is_constant() -> None:
    assert last('f("SELECT * FROM " + TABLE);', 'static final String TABLE = "t";').args[0].literal


def test_all_caps_names_count_as_constants() -> None:
    assert last('f("SELECT * FROM " + Tables.USERS);').args[0].literal


def test_string_format_is_dynamic() -> None:
    assert sites('f(String.format("a %s", p));')[0].args[0].dynamic_string


def test_local_built_by_concatenation_is_dynamic_where_used() -> None:
    assert sites('String q = "SELECT " + p; f(q);')[-1].args[0].dynamic_string


def test_plus_equals_makes_a_local_dynamic() -> None:
    assert sites('String q = "SELECT 1"; q += " AND a = " + p; f(q);')[-1].args[0].dynamic_string


def test_string_builder_with_appended_input_is_dynamic() -> None:
    body = 'StringBuilder sb = new StringBuilder("SELECT "); sb.append(p); f(sb.toString());'
    assert [s for s in sites(body) if s.name == "f"][0].args[0].dynamic_string


def test_encoder_call_is_not_dynamic() -> None:
    assert not last('f("<b>" + Encode.forHtml(p));').args[0].dynamic_string


def test_parameter_alone_is_neither_constant_nor_dynamic() -> None:
    arg = last("f(p);").args[0]
    assert not arg.literal and not arg.dynamic_string


def test_sql_rule_needs_a_query_built_from_strings() -> None:
    assert rule_ids('Statement s = c.createStatement(); s.executeQuery("SELECT " + p);') == ["EL-JAVA-SQL"]
    assert rule_ids('Statement s = c.createStatement(); s.executeQuery("SELECT 1");') == []


def test_executor_execute_is_not_sql() -> None:
    assert rule_ids("executor.execute(task);") == []


def test_serialization_hook_reads_are_not_reported() -> None:
    source = b"class T { private void readObject(ObjectInputStream s) throws Exception { s.readObject(); } }"
    assert detect("java", source).hits == []
