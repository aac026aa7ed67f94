"""Ruby rules: Brakeman's and RuboCop's Security checks at the call level.

Levels: ``error`` where a string built at run time reaches a shell, ``eval`` or SQL; ``warning``
where safety depends on where the data came from (deserialization, ``open``, HTML marked safe);
``note`` for constant arguments and context-dependent weaknesses. Receiverless calls are named by
their method (``system``); calls on constants as written (``Open3.capture2``, ``Digest::MD5.hexdigest``);
calls on anything else by the receiver's text, so ActiveRecord methods are ``*.where``.
"""

from __future__ import annotations

import functools

from entropy_lint.rules.base import Outcome, Rule
from entropy_lint.rules.refine import algorithm_in, constant_or, dynamic_string_arg, random_for_secrets, weak_digest_outcome
from entropy_lint.rules.ruby_refine import (
    AR_METHODS,
    CONNECTION_METHODS,
    PIPELINES,
    WEAK_DIGESTS,
    both,
    dynamic_method,
    eval_string,
    kernel_open,
    marked_safe,
    oj_load,
    render_inline,
    shell_command,
    sql_statement,
    yaml_load,
)
from entropy_lint.rules.templates import FixTemplate

R = functools.partial(Rule, languages=("ruby",))

RULES: tuple[Rule, ...] = (
    # --- command execution ---------------------------------------------------------------------
    R(id="EL-RB-EXEC", name="ruby-command-exec", level="error",  # a shell runs one command string; constants are notes, argument vectors dropped
      cwe=(78,), security_severity=9.8,
      names=("system", "exec", "spawn", "Kernel.system", "Kernel.exec", "Kernel.spawn", "Process.spawn", "Process.exec",
             "IO.popen", "PTY.spawn", "Open3.capture2", "Open3.capture2e", "Open3.capture3", "Open3.popen2",
             "Open3.popen2e", "Open3.popen3", *sorted(PIPELINES)),
      short="command string run through a shell",
      full="Given one command string, these methods run it with /bin/sh; interpolated values with shell metacharacters run arbitrary commands. Several arguments are passed to the program directly, without a shell.",
      suggestion="Pass the program and its arguments separately: system('tar', 'xf', path).",
      bad="system(\"tar xf #{params[:file]}\")", good="system('tar', 'xf', params[:file])",
      refine=shell_command, external=("Brakeman CheckExecute", "Semgrep ruby.lang.security.dangerous-exec"),
      fixes=(FixTemplate("the program and its arguments, without a shell", "review", arg=(0, "{words:0}"), when=("args:1",)),)),
    R(id="EL-RB-BACKTICK", name="ruby-backtick-shell", level="error",  # a shell runs the string; a constant command lowers it to a note
      names=("`",), kind="shell", cwe=(78,),
      security_severity=9.8, short="backticks or %x{} run a shell command",
      full="`...` and %x{...} run their string, interpolations included, with /bin/sh.",
      suggestion="Use Open3.capture2('prog', arg) with separate arguments.",
      bad="out = `git log #{branch}`", good="out, status = Open3.capture2('git', 'log', branch)",
      refine=constant_or(0, "note", "error", "constant command string"),
      external=("Brakeman CheckExecute", "Semgrep ruby.lang.security.dangerous-subshell")),
    R(id="EL-RB-OPEN", name="ruby-kernel-open", level="warning",  # a path from input starting with | runs a command; strings that cannot start with | dropped
      cwe=(78, 22), security_severity=8.8,
      names=("open", "Kernel.open", "URI.open", "IO.read", "IO.readlines", "IO.foreach", "IO.write", "IO.binread",
             "IO.binwrite"),
      short="open() runs a command when its argument starts with |",
      full="Kernel#open, URI.open and IO's class methods start a subprocess for a path beginning with '|', so a path from input can run commands; URI.open also fetches any URL.",
      suggestion="Use File.open / File.read for files and URI(url).open or Net::HTTP for URLs.",
      bad="data = open(params[:path]).read", good="data = File.read(params[:path])",
      refine=kernel_open, external=("Brakeman CheckFileAccess", "RuboCop Security/Open", "RuboCop Security/IoMethods"),
      fixes=(FixTemplate("File.open: files only, never a command", "safe", call="File.open({*})", when=("named:open", "nonliteral:0")),)),
    # --- code evaluation ---------------------------------------------------------------------------
    R(id="EL-RB-EVAL", name="ruby-eval", level="error",  # code execution; a constant string lowers it to a note
      names=("eval", "Kernel.eval", "binding.eval"), cwe=(95,),
      security_severity=9.8, short="eval() runs a string as Ruby code",
      full="eval executes its argument as Ruby with the program's privileges; any attacker influence over the string is code execution.",
      suggestion="Dispatch to known methods, or parse data with JSON.parse.",
      bad="result = eval(params[:expr])", good="result = JSON.parse(params[:expr])",
      refine=constant_or(0, "note", "error", "constant code string"),
      external=("Brakeman CheckEvaluation", "RuboCop Security/Eval")),
    R(id="EL-RB-EVAL-STRING", name="ruby-instance-eval-string", level="error",  # code execution with a string; blocks are not reported, __FILE__ idioms are notes
      cwe=(95,), security_severity=9.8,
      names=both("instance_eval", "class_eval", "module_eval"),
      short="instance_eval/class_eval given a string of code",
      full="Given a string rather than a block, instance_eval, class_eval and module_eval evaluate it as Ruby; interpolated input is code execution. (instance_exec and class_exec only take blocks.)",
      suggestion="Pass a block, and use define_method or public_send for dynamic names.",
      bad="user.instance_eval(\"self.#{params[:field]}\")", good="user.instance_eval { name }",
      refine=eval_string, external=("Brakeman CheckEvaluation",)),
    R(id="EL-RB-SEND", name="ruby-dynamic-send", level="warning",  # calls any method: reported when the name comes from the request
      names=both("send", "public_send", "__send__"), cwe=(470,),
      security_severity=5.3, short="a method called by a name from the request",
      full="send with a name from input can call any method, private ones included (public_send: any public one). Reported where the file shows the name comes from params, cookies or the request; names from the program's own code are metaprogramming, not reported.",
      suggestion="Check the name against an allow-list of methods before calling it.",
      bad="record.send(params[:attribute])", good="record.public_send(:name)",
      refine=dynamic_method, precision="medium", external=("Brakeman CheckSend",)),
    R(id="EL-RB-RENDER-INLINE", name="ruby-render-inline", level="error",  # an ERB template runs Ruby: code execution; constants are not reported
      names=both("render"), cwe=(94, 1336),
      security_severity=9.8, short="render inline: with a template built at run time",
      full="render inline: compiles its string as an ERB template, so interpolated input can run Ruby code.",
      suggestion="Render a template file and pass values as locals.",
      bad="render inline: \"<h1>#{params[:title]}</h1>\"", good="render :show, locals: { title: params[:title] }",
      refine=render_inline, external=("Brakeman CheckRenderInline",)),
    # --- deserialization ---------------------------------------------------------------------------
    R(id="EL-RB-MARSHAL", name="ruby-marshal-load", level="warning",  # gadget chains run code, but only for data from outside
      names=("Marshal.load", "Marshal.restore"), cwe=(502,),
      security_severity=8.1, short="Marshal.load can create arbitrary objects",
      full="Marshal data names the classes to instantiate; loading untrusted data reaches gadget chains that run code.",
      suggestion="Use JSON for data from outside the process.",
      bad="session = Marshal.load(Base64.decode64(cookies[:s]))", good="session = JSON.parse(cookies[:s])",
      refine=lambda s: None if s.is_literal(0) else Outcome("warning"),
      external=("Brakeman CheckDeserialize", "RuboCop Security/MarshalLoad"),
      fixes=(FixTemplate("JSON.parse: data only, no objects", "review", call="JSON.parse({0})", when=("named:load", "args:1"), imports=("json",)),)),
    R(id="EL-RB-YAML-LOAD", name="ruby-yaml-load", level="warning",  # code execution before Psych 4 only; not a finding when the lockfile shows Psych 4
      names=("YAML.load", "Psych.load", "YAML.load_file", "Psych.load_file"),
      cwe=(502,), security_severity=8.1, short="YAML.load can create arbitrary objects before Psych 4",
      full="Before Psych 4 (Ruby 3.1), YAML.load instantiates any class named by !ruby/object tags, which can run code; from Psych 4 it is safe_load.",
      suggestion="Use YAML.safe_load (with permitted_classes: if needed).",
      bad="config = YAML.load(request.body.read)", good="config = YAML.safe_load(request.body.read)",
      refine=yaml_load, external=("Brakeman CheckDeserialize", "RuboCop Security/YAMLLoad"),
      fixes=(FixTemplate("YAML.safe_load: plain data only", "safe", name=(("load", "safe_load"), ("load_file", "safe_load_file")), when=("qualified",)),)),
    R(id="EL-RB-YAML-UNSAFE-LOAD", name="ruby-yaml-unsafe-load", level="error",  # any object from the document: code execution; constants are not reported
      cwe=(502,), security_severity=8.1,
      names=("YAML.unsafe_load", "Psych.unsafe_load", "YAML.unsafe_load_file", "Psych.unsafe_load_file"),
      short="YAML.unsafe_load creates arbitrary objects",
      full="unsafe_load instantiates any class a document names; untrusted YAML can run code.",
      suggestion="Use YAML.safe_load.", bad="doc = YAML.unsafe_load(upload.read)", good="doc = YAML.safe_load(upload.read)",
      refine=lambda s: None if s.is_literal(0) else Outcome("error"), external=("Brakeman CheckDeserialize",),
      fixes=(FixTemplate("YAML.safe_load: plain data only", "safe", name=(("unsafe_load", "safe_load"), ("unsafe_load_file", "safe_load_file")), when=("qualified",)),)),
    R(id="EL-RB-OJ-LOAD", name="ruby-oj-load", level="note",  # object mode is the default but rarely reached by untrusted JSON; :strict drops it
      names=("Oj.load", "Oj.object_load"), cwe=(502,),
      security_severity=6.5, short="Oj.load in :object mode can create arbitrary objects",
      full="Oj's :object mode (its default unless configured) instantiates classes named in the JSON.",
      suggestion="Pass mode: :strict (or use JSON.parse).", bad="data = Oj.load(body)", good="data = Oj.load(body, mode: :strict)",
      refine=oj_load, precision="medium", external=("Brakeman CheckDeserialize",)),
    # --- SQL -------------------------------------------------------------------------------------------
    R(id="EL-RB-SQL", name="ruby-activerecord-sql-string", level="error",  # data changes the query; only fragments built from strings are reported
      cwe=(89,), security_severity=9.8,
      names=(*both(*AR_METHODS), "Arel.sql"),
      short="SQL fragment built from strings passed to ActiveRecord",
      full="These query methods insert string arguments into the SQL as written; interpolated or concatenated values change the query.",
      suggestion="Use placeholders or hashes: where('name = ?', name) or where(name: name).",
      bad="User.where(\"name = '#{params[:name]}'\")", good="User.where(name: params[:name])",
      refine=dynamic_string_arg(0, "error"), external=("Brakeman CheckSQL",),
      fixes=(FixTemplate("query parameters: values never become SQL", "safe", arg=(0, "{sql:0}"), when=("args:1",)),)),
    R(id="EL-RB-SQL-EXECUTE", name="ruby-sql-execute-string", level="error",  # data changes the statement; only SQL built from strings is reported
      cwe=(89,), security_severity=9.8,
      names=tuple(f"*.{m}" for m in CONNECTION_METHODS),
      short="SQL statement built from strings is executed",
      full="connection.execute, exec_query, select_all and the drivers' query/exec methods run their string as SQL; interpolated values change the statement.",
      suggestion="Use bind parameters: exec_query('... WHERE id = $1', 'q', [id]) or the ORM.",
      bad="ActiveRecord::Base.connection.execute(\"DELETE FROM posts WHERE id = #{id}\")",
      good="Post.where(id: id).delete_all", refine=sql_statement, external=("Brakeman CheckSQL",)),
    # --- weak cryptography ------------------------------------------------------------------------------
    R(id="EL-RB-WEAK-HASH", name="ruby-weak-hash", level="warning",  # broken for security, fine for checksums and cache keys
      cwe=(327, 328), security_severity=5.9,
      names=("Digest::MD5.*", "Digest::SHA1.*", "OpenSSL::Digest::MD5.*", "OpenSSL::Digest::SHA1.*"),
      short="MD5 and SHA-1 are broken for security use",
      full="Collisions for MD5 and SHA-1 are practical, and both are far too fast for passwords.",
      suggestion="Use Digest::SHA256 or OpenSSL::Digest::SHA256; bcrypt or Argon2 for passwords.",
      bad="digest = Digest::MD5.hexdigest(password)", good="digest = BCrypt::Password.create(password)",
      precision="medium", external=("Brakeman CheckWeakHash", "Semgrep ruby.lang.security.weak-hashes-md5"),
      refine=weak_digest_outcome,
      fixes=(FixTemplate("SHA-256 (a different digest)", "review", call="Digest::SHA256.{name}({*})", when=("receiver:Digest::MD5|Digest::SHA1",)),
             FixTemplate("SHA-256 (a different digest)", "review", call="OpenSSL::Digest::SHA256.{name}({*})", when=("receiver:OpenSSL::Digest::MD5|OpenSSL::Digest::SHA1",)))),
    R(id="EL-RB-WEAK-HASH-NAME", name="ruby-openssl-digest-weak", level="warning",  # broken for security, fine for checksums and cache keys
      cwe=(327, 328), security_severity=5.9, names=("OpenSSL::Digest.new", "OpenSSL::Digest.digest", "OpenSSL::Digest.hexdigest",
                                    "OpenSSL::Digest.base64digest"),
      short="OpenSSL::Digest with a broken algorithm",
      full="OpenSSL::Digest.new('md5') or ('sha1') selects a hash whose collisions are practical.",
      suggestion="Use 'SHA256' or stronger.", bad="d = OpenSSL::Digest.new('sha1')", good="d = OpenSSL::Digest.new('SHA256')",
      refine=algorithm_in(WEAK_DIGESTS), precision="medium", external=("Brakeman CheckWeakHash",),
      fixes=(FixTemplate("SHA-256 (a different digest)", "review", string=(0, "SHA256")),)),
    R(id="EL-RB-RANDOM", name="ruby-insecure-random", level="warning",  # only where the value is named like a secret
      names=("rand", "Random.rand", "Kernel.rand", "Random.new.rand"),
      cwe=(330, 338), security_severity=3.7, short="a predictable random source",
      full="rand and Random use a Mersenne Twister; tokens, passwords and nonces made with them can be guessed.",
      suggestion="Use SecureRandom (SecureRandom.hex, SecureRandom.urlsafe_base64).",
      bad="token = rand(36**16).to_s(36)", good="token = SecureRandom.urlsafe_base64(16)", refine=random_for_secrets, precision="medium",
      external=("Semgrep ruby.lang.security.insecure-random",),
      fixes=(FixTemplate("SecureRandom.random_number: the same range, unpredictable", "review", call="SecureRandom.random_number({*})", when=("named:rand",), imports=("securerandom",)),)),
    # --- HTML ------------------------------------------------------------------------------------------
    R(id="EL-RB-HTML-SAFE", name="ruby-html-safe", level="warning",  # cross-site scripting if user text is inside; constants are not reported
      names=("*.html_safe", "raw"), cwe=(79,),
      security_severity=6.1, short="html_safe or raw() disables HTML escaping",
      full="Strings marked html_safe (or passed to raw) are inserted into pages unescaped; any user text in them is cross-site scripting.",
      suggestion="Let the view escape it, or build HTML with content_tag / sanitize.",
      bad="\"<b>#{user.name}</b>\".html_safe", good="content_tag(:b, user.name)",
      refine=marked_safe, precision="medium",
      external=("Brakeman CheckCrossSiteScripting", "RuboCop Rails/OutputSafety")),
)
