"""The Ruby extractor and rule refinements, one behaviour per line."""

from __future__ import annotations

from entropy_lint.callsite import CallSite
from entropy_lint.detect import detect, find_sites


def sites(code: str) -> list[CallSite]:
    return find_sites("ruby", code.encode())


def qualnames(code: str) -> list[str]:
    return [s.qualname for s in sites(code)]


def first(code: str) -> CallSite:
    return sites(code)[0]


def findings(code: str) -> list[tuple[str, str]]:
    return [(h.rule.id, h.outcome.level) for h in detect("ruby", code.encode()).hits]


def test_receiverless_call_is_the_method_name() -> None:
    assert qualnames("system(cmd)") == ["system"]


def test_call_without_parentheses() -> None:
    assert (first('system "ls #{d}"').qualname, first('system "ls #{d}"').args[0].dynamic_string) == ("system", True)


def test_scope_resolution_is_kept_as_written() -> None:
    assert qualnames("Digest::MD5.hexdigest(x)") == ["Digest::MD5.hexdigest"]


def test_leading_double_colon_is_dropped() -> None:
    assert qualnames("::Kernel.system(x)") == ["Kernel.system"]


def test_double_colon_method_call_is_dotted() -> None:
    assert qualnames("Kernel::system 'x'") == ["Kernel.system"]


def test_receiver_chain_drops_arguments() -> None:
    assert qualnames("User.where(a).order(b)")[0] == "User.where.order"


def test_safe_navigation_is_dotted() -> None:
    assert qualnames("conn&.execute(sql)") == ["conn.execute"]


def test_call_on_an_unrelated_object_keeps_its_receiver() -> None:
    assert qualnames("obj.system(x)") == ["obj.system"]


def test_method_defined_in_the_class_is_self() -> None:
    assert qualnames("class A\n  def system(c); end\n  def run; system(x); end\nend") == ["self.system"]


def test_method_defined_in_another_class_does_not_shadow() -> None:
    assert qualnames("class A\n  def system(c); end\nend\nclass B\n  def run; system(x); end\nend") == ["system"]


def test_call_with_do_block() -> None:
    assert qualnames("Open3.popen3(cmd) do |i, o, e, t|\n  o.read\nend")[0] == "Open3.popen3"


def test_backticks_and_percent_x_are_shell_sites() -> None:
    assert [(s.kind, s.qualname) for s in sites("`ls`\n%x{ls #{d}}")] == [("shell", "`"), ("shell", "`")]


def test_keyword_arguments_are_keywords() -> None:
    assert [(a.keyword, a.text) for a in first("where(name: n, 'a' => 1)").args] == [("name", "n"), ("a", "1")]


def test_heredoc_argument_is_read_from_its_body() -> None:
    assert (first("execute(<<~SQL)\n  SELECT #{x}\nSQL\n").args[0].dynamic_string) is True


def test_constant_heredoc_is_literal() -> None:
    assert first("execute(<<~SQL)\n  SELECT 1\nSQL\n").args[0].literal


def test_plus_with_a_string_is_dynamic() -> None:
    assert first("f('a' + b)").args[0].dynamic_string


def test_format_is_dynamic() -> None:
    assert first("f(format('%s', b))").args[0].dynamic_string


def test_strings_comments_and_definitions_are_not_calls() -> None:
    assert qualnames("# system(x)\ns = 'system(x)'\ndef system(c); end") == []


def test_command_with_several_arguments_has_no_shell() -> None:
    assert findings("system('tar', 'xf', f)") == []


def test_command_with_an_environment_hash_and_one_string() -> None:
    assert findings("system({'A' => '1'}, \"ls #{d}\")") == [("EL-RB-EXEC", "error")]


def test_constant_command_is_a_note() -> None:
    assert findings("system('make')") == [("EL-RB-EXEC", "note")]


def test_io_popen_mode_argument_does_not_hide_the_shell() -> None:
    assert findings("IO.popen(\"ls #{d}\", 'r')") == [("EL-RB-EXEC", "error")]


def test_open_pipeline_with_an_argument_vector_has_no_shell() -> None:
    assert findings("Open3.pipeline(['ls', d], ['wc'])") == []


def test_constant_backticks_are_a_note() -> None:
    assert findings("`date`") == [("EL-RB-BACKTICK", "note")]


def test_open_of_a_string_with_a_file_prefix_is_not_a_finding() -> None:
    assert findings('open("/tmp/#{name}")') == []


def test_open_of_a_constant_pipe_is_a_note() -> None:
    assert findings("open('|date')") == [("EL-RB-OPEN", "note")]


def test_instance_eval_with_a_block_is_not_a_finding() -> None:
    assert findings("x.instance_eval { foo }") == []


def test_send_with_a_symbol_is_not_a_finding() -> None:
    assert findings("r.send(:name)") == []


def test_where_with_placeholders_or_a_hash_is_not_a_finding() -> None:
    assert findings("User.where('name = ?', n)\nUser.where(name: params[:n])") == []


def test_execute_needs_sql_text() -> None:
    assert findings('job.execute("run #{task}")') == []


def test_oj_strict_mode_is_not_a_finding() -> None:
    assert findings("Oj.load(s, mode: :strict)") == []


def test_oj_object_mode_is_a_warning() -> None:
    assert findings("Oj.load(s, mode: :object)") == [("EL-RB-OJ-LOAD", "warning")]


def test_constant_html_safe_is_not_a_finding() -> None:
    assert findings("'<br>'.html_safe") == []


def test_render_inline_with_a_constant_is_not_a_finding() -> None:
    assert findings("render inline: '<p>hi</p>'") == []


def test_yaml_load_depends_on_psych() -> None:
    code = b"config = YAML.load(request.body.read)"

    def levels(deps: dict[str, str] | None) -> list[tuple[str, str]]:
        return [(h.rule.id, h.outcome.level) for h in detect("ruby", code, deps=deps).hits]

    assert levels({"gem:psych": "5.1.2"}) == []
    assert levels({"gem:psych": "3.3.4"}) == [("EL-RB-YAML-LOAD", "warning")]
    assert levels({"runtime:ruby": "3.2.2"}) == []
    assert levels({"runtime:ruby": "3.2.2", "gem:psych": "3.3.4"}) == [("EL-RB-YAML-LOAD", "warning")]
    assert levels({"runtime:ruby": "2.7.8"}) == [("EL-RB-YAML-LOAD", "warning")]
    assert levels(None) == [("EL-RB-YAML-LOAD", "warning")]


def test_a_block_argument_is_not_code_to_evaluate() -> None:
    assert findings("user.instance_eval(&block)\nbase.class_eval(&blk)") == []


def test_a_local_variable_holding_constants_is_a_constant() -> None:
    code = "def f(r, c)\n  m = c ? :insert : :update\n  r.send(m)\n  cmd = 'ls -l'\n  system(cmd)\nend"
    assert findings(code) == [("EL-RB-EXEC", "note")]


def test_a_local_variable_from_data_or_a_lambda_is_not() -> None:
    code = "def f(r, params)\n  m = :a\n  m ||= params[:m]\n  r.send(m)\nend"
    assert findings(code) == [("EL-RB-SEND", "warning")]
    code = "def f(params)\n  l = -> { cmd = params[:c] }\n  cmd = 'pwd'\n  l.call\n  system(cmd)\nend"
    assert findings(code) == [("EL-RB-EXEC", "error")]
