"""The JavaScript/TypeScript extractor and rule refinements, one behaviour per line."""

from __future__ import annotations


from entropy_lint.callsite import CallSite
from entropy_lint.detect import detect, find_sites


def sites(code: str, language: str = "javascript") -> list[CallSite]:
    return find_sites(language, code.encode())


def qualnames(code: str, language: str = "javascript") -> list[str]:
    return [s.qualname for s in sites(code, language)]


def last(code: str, language: str = "javascript") -> str:
    return qualnames(code, language)[-1]


def findings(code: str, language: str = "javascript") -> list[tuple[str, str]]:
    return [(h.rule.id, h.outcome.level) for h in detect(language, code.encode()).hits]


def test_require_binds_the_module() -> None:
    assert last("const cp = require('child_process'); cp.exec(x);") == "child_process.exec"


def test_destructured_require_binds_members_and_renames() -> None:
    assert qualnames("const { exec, execSync: run } = require('child_process'); exec(a); run(b);")[-2:] == [
        "child_process.exec", "child_process.execSync"]


def test_node_prefix_is_stripped() -> None:
    assert last("import { exec } from 'node:child_process'; exec(x);") == "child_process.exec"


def test_namespace_default_and_aliased_imports() -> None:
    code = "import * as a from 'child_process'; import b from 'child_process'; import { exec as c } from 'child_process';\na.exec(x); b.exec(x); c(x);"
    assert qualnames(code) == ["child_process.exec"] * 3


def test_typescript_import_require() -> None:
    assert last("import cp = require('child_process'); cp.exec(x);", "typescript") == "child_process.exec"


def test_inline_require_and_member_alias() -> None:
    assert qualnames("require('child_process').exec(x); const e = require('child_process').exec; e(y);")[-1] == "child_process.exec"


def test_promisify_keeps_the_wrapped_function() -> None:
    assert last("const util = require('util'); const cp = require('child_process'); const p = util.promisify(cp.exec); p(x);") == "child_process.exec"


def test_unresolved_exec_stays_exec_and_regex_exec_is_not_child_process() -> None:
    assert qualnames("exec(x); regex.exec(s); /re/.exec(s);") == ["exec", "regex.exec", "?.exec"]


def test_typescript_wrappers_are_seen_through() -> None:
    code = "import cp = require('child_process');\n(cp as any).exec(a); (<any>cp).exec(b); cp!.exec(c); (cp satisfies object).exec(d);"
    assert qualnames(code, "typescript") == ["child_process.exec"] * 4


def test_window_prefix_names_the_global() -> None:
    assert qualnames("window.eval(x); globalThis.setTimeout(s); window.document.write(h);") == [
        "eval", "setTimeout", "document.write"]


def test_declarations_signatures_comments_and_strings_are_not_sites() -> None:
    code = "interface R { exec(cmd: string): void; }\nfunction exec(cmd: string) {}\n// eval(x)\nconst s = 'eval(x)';"
    assert qualnames(code, "typescript") == []


def test_tagged_templates_are_not_calls() -> None:
    assert qualnames("db.query(sql`SELECT ${x}`);") == ["db.query"]


def test_new_is_its_own_kind() -> None:
    assert [(s.kind, s.qualname) for s in sites("const vm = require('vm'); new vm.Script(code); new Function(b);")][-2:] == [
        ("new", "vm.Script"), ("new", "Function")]


def test_name_bytes_are_exactly_the_name() -> None:
    site = sites("cp['exec'](x); el.innerHTML = y;")[0]
    assert (site.name, site.qualname) == ("exec", "cp.exec")


def test_inner_html_assignment_is_an_assign_site() -> None:
    site = sites("el.innerHTML += x;")[0]
    assert (site.kind, site.qualname, site.name, site.args[0].text) == ("assign", "el.innerHTML", "innerHTML", "x")


def test_other_property_assignments_are_not_sites() -> None:
    assert qualnames("el.textContent = x; a.b = c;") == []


def test_jsx_dangerously_set_inner_html_takes_the_html_value() -> None:
    site = sites("const v = <div dangerouslySetInnerHTML={{ __html: body }} />;", "tsx")[0]
    assert (site.kind, site.qualname, site.args[0].text) == ("assign", "div.dangerouslySetInnerHTML", "body")


def test_object_argument_properties_are_keyword_arguments() -> None:
    site = sites("spawn(cmd, args, { shell: true, cwd });")[0]
    assert (site.kwarg("shell").literal, site.kwarg("cwd").text, len([a for a in site.args if a.keyword is None])) == (True, "cwd", 3)  # type: ignore[union-attr]


def test_literals_and_dynamic_strings() -> None:
    args = sites("f('a', `b`, `c${d}`, 'e' + f, 1, -2, null, [1, 'x'], g, 'a' + 'b', util.format('%s', h));")[0].args
    assert [(a.literal, a.dynamic_string) for a in args] == [
        (True, False), (True, False), (False, True), (False, True), (True, False), (True, False), (True, False),
        (True, False), (False, False), (True, False), (False, True)]


def test_exec_with_data_is_an_error_and_a_constant_is_a_note() -> None:
    assert findings("const cp = require('child_process'); cp.exec('ls ' + d); cp.exec('ls');") == [
        ("EL-JS-CHILD-PROCESS-EXEC", "error"), ("EL-JS-CHILD-PROCESS-EXEC", "note")]


def test_unresolved_exec_is_not_a_finding() -> None:
    assert findings("exec(cmd); regex.exec(s);") == []


def test_spawn_only_with_a_shell() -> None:
    code = "const { spawn } = require('child_process');\nspawn('git', [ref]); spawn(cmd, { shell: true }); spawn('sh', ['-c', cmd]); spawn(cmd, { shell: false }); spawn(cmd, { shell: useShell });"
    assert findings(code) == [("EL-JS-CHILD-PROCESS-SHELL", "error"), ("EL-JS-CHILD-PROCESS-SHELL", "error"),
                              ("EL-JS-CHILD-PROCESS-SHELL", "warning")]


def test_timers_with_functions_are_not_findings() -> None:
    assert findings("setTimeout(() => run(), 10); setTimeout(fn, 10); setTimeout('run(' + id + ')', 10);") == [
        ("EL-JS-STRING-TIMER", "error")]


def test_parameterised_and_tagged_queries_are_not_findings() -> None:
    assert findings("db.query('SELECT * FROM t WHERE id = ?', [id]); db.query(sql`SELECT ${id}`); db.query(q);") == []


def test_sanitized_or_constant_html_is_not_a_finding() -> None:
    assert findings("el.innerHTML = ''; el.innerHTML = DOMPurify.sanitize(x); el.innerHTML = x;") == [
        ("EL-JS-INNER-HTML", "warning")]


def test_hmac_with_sha1_is_not_a_weak_hash_finding() -> None:
    assert findings("const crypto = require('crypto'); crypto.createHmac('sha1', k); crypto.createHash('sha1');") == [
        ("EL-JS-WEAK-HASH", "warning")]


def test_js_yaml_load_is_a_warning_unless_a_safe_schema_is_given() -> None:
    assert findings("const yaml = require('js-yaml'); yaml.load(s); yaml.load(s, { schema: yaml.JSON_SCHEMA }); yaml.safeLoad(s);") == [
        ("EL-JS-YAML-LOAD", "warning")]


def test_unbound_yaml_load_and_serialize_javascript_are_not_findings() -> None:
    assert findings("yaml.load(s); const s = require('serialize-javascript'); s(obj);") == []


def test_a_large_file_is_analysed_whole() -> None:
    line = "const cp = require('child_process'); cp.exec('ls ' + d); el.innerHTML = `<b>${x}</b>`; db.query(q, [a]);\n"
    hits = detect("javascript", (line * 2000).encode()).hits
    assert len(hits) == 4000 and hits[-1].site.row == 1999
# --- values the file shows (issue 12) ------------------------------------------------------------
def test_a_regexp_from_module_constants_is_not_a_finding() -> None:
    assert findings("const W = '[a-z]+';\nconst S = `^${W}`;\nfunction f() { return new RegExp(S + '$', 'g'); }") == []


def test_a_regexp_from_a_regex_literals_source_is_not_a_finding() -> None:
    assert findings("const R = /ab+c/i;\nconst x = new RegExp(R.source + '|d');") == []


def test_a_regexp_from_a_parameter_is_a_note() -> None:
    assert findings("function f(q) { return new RegExp(q); }") == [("EL-JS-DYNAMIC-REGEXP", "note")]


def test_a_regexp_from_escaped_input_or_numbers_is_not_a_finding() -> None:
    assert findings("function f(q, n) { return new RegExp('^' + escapeRegExp(q) + parseInt(n)); }") == []


def test_a_constant_reassigned_in_a_function_is_data() -> None:
    assert findings("let W = 'a';\nfunction set(x) { W = x; }\nconst re = new RegExp(W);") == [("EL-JS-DYNAMIC-REGEXP", "note")]


def test_a_constant_object_changed_in_place_is_data() -> None:
    code = "const O = {a: 'x'};\nO.a = input;\nconst a = new RegExp(O.a);\nconst L = ['x'];\nL.push(input);\nconst b = new RegExp(L.join('|'));"
    assert findings(code) == [("EL-JS-DYNAMIC-REGEXP", "note")] * 2


def test_a_command_in_a_constant_variable_is_a_note() -> None:
    code = "const cp = require('child_process');\nconst CMD = 'ls -l';\ncp.exec(CMD);"
    assert findings(code) == [("EL-JS-CHILD-PROCESS-EXEC", "note")]


def test_an_assignment_in_a_branch_without_braces_does_not_replace_the_one_before() -> None:
    code = "const cp = require('child_process');\nfunction f(x, c) { let cmd = 'ls'; if (c) cmd = x; cp.exec(cmd); }"
    assert findings(code) == [("EL-JS-CHILD-PROCESS-EXEC", "error")]


def test_a_query_built_in_a_variable_is_found() -> None:
    assert findings("function f(db, id) { const q = 'SELECT * FROM t WHERE id = ' + id; db.query(q); }") == [
        ("EL-JS-SQL", "error")]


def test_function_apply_call_and_bind_compile_code() -> None:
    assert findings("const f = Function.apply(this, params);") == [("EL-JS-FUNCTION-CALL", "error")]
    assert findings("const f = Function.call(null, 'a', 'return a');") == [("EL-JS-FUNCTION-CALL", "note")]
    assert findings("const f = window.Function.bind(null, body);") == [("EL-JS-FUNCTION-CALL", "error")]
    assert findings("const r = fn.apply(this, params);") == []


def test_js_yaml_load_depends_on_the_installed_major_version() -> None:
    code = "const yaml = require('js-yaml');\nconst cfg = yaml.load(text);"

    def levels(deps: dict[str, str] | None) -> list[tuple[str, str]]:
        return [(h.rule.id, h.outcome.level) for h in detect("javascript", code.encode(), deps=deps).hits]

    assert levels({"npm:js-yaml": "^4.1.0"}) == []
    assert levels({"npm:js-yaml": "4.1.0"}) == []
    assert levels({"npm:js-yaml": "^3.14.1"}) == [("EL-JS-YAML-LOAD", "warning")]
    assert levels({"npm:lodash": "4.17.21"}) == [("EL-JS-YAML-LOAD", "warning")]
    assert levels(None) == [("EL-JS-YAML-LOAD", "warning")]
    note = detect("javascript", code.encode()).hits[0].outcome.note
    assert note == "load() constructs functions from !!js tags before js-yaml 4; no manifest found to tell the js-yaml version"


def test_an_array_pushed_to_is_not_a_constant() -> None:
    code = "function f(source) { let params = ['a', 'b']; params.push(source); return Function.apply(this, params); }"
    assert findings(code) == [("EL-JS-FUNCTION-CALL", "error")]


def test_a_variable_set_from_a_closure_may_change_at_any_time() -> None:
    code = ("const cp = require('child_process');\n"
            "function f(x) { let cmd = 'ls'; function set() { cmd = x; } set(); cmd = 'pwd'; cp.exec(cmd); }")
    assert findings(code) == [("EL-JS-CHILD-PROCESS-EXEC", "error")]


def test_values_from_the_programs_own_modules_quiet_only_the_regexp_rule() -> None:
    code = ("const cp = require('child_process');\nconst { cmd, WORD } = require('./config');\n"
            "new RegExp('^' + WORD); cp.exec(cmd); cp.exec('ls ' + WORD); eval(WORD);")
    assert findings(code) == [("EL-JS-CHILD-PROCESS-EXEC", "error"), ("EL-JS-CHILD-PROCESS-EXEC", "error"),
                              ("EL-JS-EVAL", "error")]


def test_a_regexp_built_and_thrown_away_is_not_reported() -> None:
    code = "function check(src, flags) { try { new RegExp(src, flags) } catch (e) { return e.message } }\n" \
           "function use(src) { return new RegExp(src).test('x'); }"
    assert findings(code) == [("EL-JS-DYNAMIC-REGEXP", "note")]


def test_a_regexp_on_a_continued_line_is_used_not_thrown_away() -> None:
    code = "function f(tmp, namespaces) {\n  tmp = tmp[2] &&\n    new RegExp('(^|\\\\.)' + namespaces.join('|'));\n  return tmp;\n}"
    assert findings(code) == [("EL-JS-DYNAMIC-REGEXP", "note")]


def test_a_regex_escape_is_safe_in_a_pattern_only() -> None:
    code = ("const cp = require('child_process');\nfunction f(x) {\n"
            "  const e = x.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&');\n"
            "  cp.exec('grep ' + e + ' log');\n  return new RegExp('^' + e);\n}")
    assert findings(code) == [("EL-JS-CHILD-PROCESS-EXEC", "error")]
