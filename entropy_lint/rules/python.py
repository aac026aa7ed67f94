"""Python rules: Bandit's call-level checks (B3xx blacklist calls, B6xx injection) and kin.

Levels: ``error`` where attacker-controlled input plausibly reaches code or command execution;
``warning`` for dangerous APIs whose safety depends on where the data came from; ``note`` for
weaknesses that matter only in some contexts (non-cryptographic random, cleartext protocols).
"""

from __future__ import annotations

import functools

from entropy_lint.rules.base import Outcome, Rule
from entropy_lint.rules.python_refine import (
    SHELLS,
    autoescape_off,
    django_extra_sql,
    kwarg_is,
    other_shell_true,
    shell_true,
    torch_load,
    unsafe_yaml,
    weak_hash,
    weak_hash_new,
    world_writable,
)
from entropy_lint.rules.refine import constant_or, dynamic_string_arg, when
from entropy_lint.rules.templates import FixTemplate

R = functools.partial(Rule, languages=("python",))

RULES: tuple[Rule, ...] = (
    # --- code evaluation ---------------------------------------------------------------
    R(id="EL-PY-EVAL", name="python-eval", level="error",  # code execution; a constant string lowers it to a note
      names=("eval", "builtins.eval"), cwe=(95,),
      security_severity=8.8, short="eval() runs a string as Python code",
      full="eval() evaluates its argument as a Python expression with the caller's privileges; any attacker influence over the string is code execution.",
      suggestion="Parse data with ast.literal_eval, json.loads or an explicit parser.",
      bad="value = eval(request.args['n'])", good="value = ast.literal_eval(request.args['n'])",
      refine=constant_or(0, "note", "error"), external=("Bandit B307",),
      fixes=(FixTemplate("ast.literal_eval: literals only, no code", "review", call="ast.literal_eval({0})", when=("args:1",), imports=("ast",)),
             FixTemplate("json.loads: JSON data only", "review", call="json.loads({0})", when=("args:1",), imports=("json",)))),
    R(id="EL-PY-EXEC", name="python-exec", level="error",  # code execution; a constant string lowers it to a note
      names=("exec", "builtins.exec"), cwe=(95,),
      security_severity=8.8, short="exec() runs a string as Python code",
      full="exec() executes arbitrary Python statements; a string that an attacker can influence becomes code execution.",
      suggestion="Dispatch to known functions instead of executing generated code.",
      bad="exec(f'handler_{name}()')", good="HANDLERS[name]()",
      refine=constant_or(0, "note", "error"), external=("Bandit B102",)),
    R(id="EL-PY-LOGGING-LISTEN", name="python-logging-config-listen", level="warning",  # code execution, but only for whoever can reach the socket; verify= drops it
      names=("logging.config.listen",), cwe=(94,),
      security_severity=6.5, short="logging.config.listen() accepts configuration that can run code",
      full="The logging configuration socket evaluates received configuration; anyone who can connect can run code unless a verify function is given.",
      suggestion="Pass verify= to authenticate configuration, or do not listen.",
      bad="t = logging.config.listen(9999)", good="t = logging.config.listen(9999, verify=check_signature)",
      refine=lambda s: None if s.kwarg("verify") else Outcome("warning"), external=("Bandit B612",)),
    # --- command execution ---------------------------------------------------------------
    R(id="EL-PY-OS-SYSTEM", name="python-os-system", level="error",  # a shell runs the string; a constant command lowers it to a note
      cwe=(78,), security_severity=9.8,
      names=("os.system", "os.popen", "os.popen2", "os.popen3", "os.popen4", "popen2.popen2", "popen2.popen3",
             "popen2.popen4", "popen2.Popen3", "popen2.Popen4", "commands.getoutput", "commands.getstatusoutput",
             "subprocess.getoutput", "subprocess.getstatusoutput"),
      short="command run through a shell",
      full="These functions pass their command string to /bin/sh; shell metacharacters in any part of it that an attacker controls run arbitrary commands.",
      suggestion="Use subprocess.run([...]) with an argument list and no shell.",
      bad="os.system('convert ' + filename)", good="subprocess.run(['convert', filename], check=True)",
      refine=constant_or(0, "note", "error", "constant command string"), external=("Bandit B605",),
      fixes=(FixTemplate("subprocess.call with an argument list: no shell", "review", call="subprocess.call({argv:0})", when=("named:system", "args:1"), imports=("subprocess",)),
             FixTemplate("subprocess.call(shlex.split(...)): no shell", "review", call="subprocess.call(shlex.split({0}))", when=("named:system", "args:1"), imports=("subprocess", "shlex")))),
    R(id="EL-PY-SUBPROCESS-SHELL", name="python-subprocess-shell", level="error",  # a shell runs the string; only with shell= truthy, a constant command is a note
      names=SHELLS, cwe=(78,), security_severity=9.8, short="subprocess call with shell=True",
      full="With shell=True the command is interpreted by /bin/sh, so metacharacters in interpolated values run arbitrary commands.",
      suggestion="Pass an argument list and leave shell=False.",
      bad="subprocess.run(f'tar xf {path}', shell=True)", good="subprocess.run(['tar', 'xf', path], check=True)",
      refine=shell_true, external=("Bandit B602",),
      fixes=(FixTemplate("an argument list, without a shell", "review", arg=(0, "{argv:0}"), drop_kwarg="shell"),
             FixTemplate("shlex.split, without a shell", "review", arg=(0, "shlex.split({0})"), drop_kwarg="shell", imports=("shlex",)))),
    R(id="EL-PY-SHELL-TRUE", name="python-shell-true", level="warning",  # a wrapper that probably hands its string to a shell: likely, not certain
      names=("*",), cwe=(78,), security_severity=7.3, short="a function called with shell=True",
      full="A call outside subprocess passes shell=True; wrappers such as these usually hand the command to a shell.",
      suggestion="Pass an argument list without a shell.", bad="utils.run(cmd, shell=True)", good="utils.run([prog, arg])",
      refine=other_shell_true, precision="medium", external=("Bandit B604",)),
    R(id="EL-PY-EXEC-NO-SHELL", name="python-os-exec-spawn", level="note",  # no shell, so no injection; only a run-time program path is worth a look
      cwe=(78,), security_severity=4.0,
      names=("os.execl", "os.execle", "os.execlp", "os.execlpe", "os.execv", "os.execve", "os.execvp", "os.execvpe",
             "os.spawnl", "os.spawnle", "os.spawnlp", "os.spawnlpe", "os.spawnv", "os.spawnve", "os.spawnvp",
             "os.spawnvpe", "os.startfile"),
      short="a process is started from a program path",
      full="Starting a process is safe from shell injection but runs whatever program the path names; check that neither the path nor the arguments come from untrusted input.",
      suggestion="Use absolute program paths and validated arguments.", bad="os.execvp(prog, [prog, arg])",
      good="os.execv('/usr/bin/git', ['git', 'status'])", refine=when(lambda s: not s.is_literal(0), "note"),
      external=("Bandit B606",)),
    R(id="EL-PY-PARAMIKO-EXEC", name="python-paramiko-exec-command", level="warning",  # the remote shell runs the string; the receiver's type is not checked
      names=("*.exec_command",), cwe=(78,),
      security_severity=7.3, short="a command run on a remote host through its shell",
      full="paramiko's exec_command runs the string through the remote user's shell; interpolated values can inject commands there.",
      suggestion="Quote every interpolated value with shlex.quote, or avoid building commands from input.",
      bad="client.exec_command('ls ' + path)", good="client.exec_command('uptime')",
      refine=when(lambda s: not s.is_literal(0), "warning"), precision="medium",
      external=("Bandit B601",)),
    # --- deserialization -----------------------------------------------------------------
    R(id="EL-PY-PICKLE", name="python-pickle", level="warning",  # code execution, but only if the data comes from outside the program
      cwe=(502,), security_severity=8.1,
      names=("pickle.load", "pickle.loads", "pickle.Unpickler", "cPickle.load", "cPickle.loads", "cPickle.Unpickler",
             "_pickle.load", "_pickle.loads", "dill.load", "dill.loads", "dill.Unpickler", "shelve.open",
             "shelve.DbfilenameShelf", "jsonpickle.decode", "jsonpickle.unpickler.decode",
             "jsonpickle.unpickler.Unpickler", "pandas.read_pickle", "joblib.load"),
      short="unpickling runs code chosen by whoever wrote the data",
      full="Pickle streams can construct arbitrary objects and call arbitrary functions while loading; loading data from an untrusted source is code execution.",
      suggestion="Use json or another data-only format for untrusted data; sign pickles you must accept.",
      bad="obj = pickle.loads(request.body)", good="obj = json.loads(request.body)", external=("Bandit B301",),
      fixes=(FixTemplate("json: data only, no objects", "review", call="json.{name}({*})", when=("named:load|loads",), imports=("json",)),)),
    R(id="EL-PY-MARSHAL", name="python-marshal", level="warning",  # unsafe on crafted data, which is rarely what marshal reads
      names=("marshal.load", "marshal.loads"), cwe=(502,),
      security_severity=7.5, short="marshal is not safe against malicious data",
      full="The marshal format is not intended to be secure against erroneous or maliciously constructed data.",
      suggestion="Use json for data exchange.", bad="code = marshal.loads(blob)", good="data = json.loads(blob)",
      external=("Bandit B302",),
      fixes=(FixTemplate("json: data only", "review", call="json.{name}({*})", imports=("json",)),)),
    R(id="EL-PY-YAML-LOAD", name="python-yaml-load", level="error",  # objects from the document run code, and stream input is the usual case; a safe Loader drops it
      names=("yaml.load", "yaml.load_all", "yaml.unsafe_load",
      "yaml.unsafe_load_all", "ruamel.yaml.load"), cwe=(502,), security_severity=8.1,
      short="yaml.load without a safe loader can construct arbitrary objects",
      full="PyYAML's full and unsafe loaders instantiate Python objects named in the document, which can run code.",
      suggestion="Use yaml.safe_load, or pass Loader=yaml.SafeLoader.",
      bad="config = yaml.load(stream)", good="config = yaml.safe_load(stream)",
      refine=unsafe_yaml, external=("Bandit B506",),
      fixes=(FixTemplate("yaml.safe_load: plain data only", "safe", name=(("load", "safe_load"), ("load_all", "safe_load_all"), ("unsafe_load", "safe_load"), ("unsafe_load_all", "safe_load_all")), drop_kwarg="Loader", when=("qualified", "args:1")),
             FixTemplate("Loader=yaml.SafeLoader: plain data only", "safe", kwarg=("Loader", "{recv}.SafeLoader"), when=("qualified", "named:load|load_all", "args:1")))),
    R(id="EL-PY-TORCH-LOAD", name="python-torch-load", level="warning",  # pickle underneath: code execution when the checkpoint is untrusted
      names=("torch.load",), cwe=(502,),
      security_severity=8.1, short="torch.load unpickles arbitrary objects unless weights_only=True",
      full="torch.load is built on pickle; a checkpoint from an untrusted source can run code when loaded.",
      suggestion="Pass weights_only=True, or use safetensors.",
      bad="state = torch.load(path)", good="state = torch.load(path, weights_only=True)",
      refine=torch_load, external=("Bandit B614",),
      fixes=(FixTemplate("weights_only=True: tensors and plain containers only", "review", kwarg=("weights_only", "True")),)),
    # --- SQL -------------------------------------------------------------------------------
    R(id="EL-PY-SQL", name="python-sql-string", level="error",  # data changes the query; only queries built from strings are reported
      cwe=(89,), security_severity=9.8,
      names=("*.execute", "*.executemany", "*.executescript", "*.raw", "*.mogrify", "*.read_sql", "*.read_sql_query",
             "sqlalchemy.text", "*.RawSQL", "RawSQL"),
      short="SQL built from strings is passed to a query",
      full="A query assembled with +, %, .format() or an f-string lets data change the SQL itself.",
      suggestion="Pass values as query parameters: cursor.execute('... WHERE id = %s', (id,)).",
      bad="cur.execute(f\"SELECT * FROM users WHERE name = '{name}'\")",
      good="cur.execute('SELECT * FROM users WHERE name = %s', (name,))",
      refine=dynamic_string_arg(0, "error"), precision="high", external=("Bandit B608", "Bandit B611"),
      fixes=(FixTemplate("query parameters: values never become SQL", "safe", arg=(0, "{sql:0}"), when=("named:execute", "args:1")),)),
    R(id="EL-PY-DJANGO-EXTRA", name="python-django-extra", level="warning",  # raw SQL fragments, but usually written by the developer
      names=("*.extra",), cwe=(89,),
      security_severity=7.5, short="QuerySet.extra() with SQL built from strings",
      full="Django's extra() inserts raw SQL fragments; building them from strings lets data change the query.",
      suggestion="Use the ORM's expressions, or params= for values.",
      bad="qs.extra(where=[\"name = '%s'\" % name])", good="qs.filter(name=name)",
      refine=django_extra_sql, precision="medium", external=("Bandit B610",)),
    # --- weak cryptography -----------------------------------------------------------------
    R(id="EL-PY-WEAK-HASH", name="python-weak-hash", level="warning",  # broken for security, fine for checksums; usedforsecurity=False drops it
      cwe=(327, 328), security_severity=5.9,
      names=("hashlib.md5", "hashlib.sha1", "Crypto.Hash.MD2.new", "Crypto.Hash.MD4.new", "Crypto.Hash.MD5.new",
             "Crypto.Hash.SHA.new", "Cryptodome.Hash.MD2.new", "Cryptodome.Hash.MD4.new", "Cryptodome.Hash.MD5.new",
             "Cryptodome.Hash.SHA.new", "cryptography.hazmat.primitives.hashes.MD5",
             "cryptography.hazmat.primitives.hashes.SHA1"),
      short="MD5 and SHA-1 are broken for security use",
      full="Collisions for MD5 and SHA-1 are practical; they must not protect integrity, signatures or passwords.",
      suggestion="Use hashlib.sha256 (or pass usedforsecurity=False for non-security checksums); use hashlib.pbkdf2_hmac or scrypt for passwords.",
      bad="digest = hashlib.md5(password).hexdigest()", good="digest = hashlib.pbkdf2_hmac('sha256', password, salt, 600_000)",
      refine=weak_hash, external=("Bandit B303", "Bandit B324"),
      fixes=(FixTemplate("SHA-256 (a different digest)", "review", name=(("md5", "sha256"), ("sha1", "sha256"), ("MD5", "SHA256"), ("SHA1", "SHA256")), when=("qualified",)),
             FixTemplate("usedforsecurity=False: declares a checksum, not security", "review", kwarg=("usedforsecurity", "False"), when=("named:md5|sha1", "qualified")))),
    R(id="EL-PY-WEAK-HASH-NEW", name="python-hashlib-new-weak", level="warning",  # as hashlib.md5: broken for security, fine for checksums
      names=("hashlib.new",), cwe=(327, 328),
      security_severity=5.9, short="hashlib.new() with a broken hash",
      full="hashlib.new('md5') or ('sha1') selects a hash whose collisions are practical.",
      suggestion="Use sha256 or stronger.", bad="h = hashlib.new('md5')", good="h = hashlib.new('sha256')",
      refine=weak_hash_new, external=("Bandit B324",),
      fixes=(FixTemplate("SHA-256 (a different digest)", "review", string=(0, "sha256")),
             FixTemplate("usedforsecurity=False: declares a checksum, not security", "review", kwarg=("usedforsecurity", "False")))),
    R(id="EL-PY-WEAK-CIPHER", name="python-weak-cipher", level="error",  # no safe use of these ciphers in new code
      cwe=(327,), security_severity=7.5,
      names=("Crypto.Cipher.ARC2.new", "Crypto.Cipher.ARC4.new", "Crypto.Cipher.Blowfish.new", "Crypto.Cipher.DES.new",
             "Crypto.Cipher.XOR.new", "Cryptodome.Cipher.ARC2.new", "Cryptodome.Cipher.ARC4.new",
             "Cryptodome.Cipher.Blowfish.new", "Cryptodome.Cipher.DES.new", "Cryptodome.Cipher.XOR.new",
             "cryptography.hazmat.primitives.ciphers.algorithms.ARC4",
             "cryptography.hazmat.primitives.ciphers.algorithms.Blowfish",
             "cryptography.hazmat.primitives.ciphers.algorithms.IDEA",
             "cryptography.hazmat.primitives.ciphers.algorithms.CAST5",
             "cryptography.hazmat.primitives.ciphers.algorithms.SEED",
             "cryptography.hazmat.primitives.ciphers.algorithms.TripleDES"),
      short="a broken or weak cipher", full="RC2, RC4, Blowfish, DES, 3DES, IDEA, CAST5, SEED and XOR ciphers are broken or too weak for new code.",
      suggestion="Use AES-GCM or ChaCha20-Poly1305 (cryptography's AEAD classes).",
      bad="from Crypto.Cipher import DES\ncipher = DES.new(key, DES.MODE_ECB)",
      good="from cryptography.hazmat.primitives.ciphers.aead import AESGCM\ncipher = AESGCM(key)",
      external=("Bandit B304",)),
    R(id="EL-PY-ECB-MODE", name="python-ecb-mode", level="warning",  # leaks structure, but only matters for multi-block secrets
      names=("cryptography.hazmat.primitives.ciphers.modes.ECB",),
      cwe=(327,), security_severity=5.9, short="ECB mode leaks patterns in the plaintext",
      full="ECB encrypts equal blocks to equal ciphertext, revealing structure.", suggestion="Use GCM.",
      bad="from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\nCipher(algorithms.AES(key), modes.ECB())",
      good="from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\nCipher(algorithms.AES(key), modes.GCM(iv))",
      external=("Bandit B305",)),
    R(id="EL-PY-RANDOM", name="python-insecure-random", level="note",  # only a weakness when the number protects something
      cwe=(330,), security_severity=3.7,
      names=("random.random", "random.randrange", "random.randint", "random.choice", "random.choices",
             "random.uniform", "random.triangular", "random.randbytes", "random.sample", "random.getrandbits"),
      short="the random module is not suitable for security", full="random uses a predictable Mersenne Twister; tokens, keys and nonces made with it can be guessed.",
      suggestion="Use the secrets module for anything security-related.", bad="token = ''.join(random.choice(ALPHABET) for _ in range(16))",
      good="token = secrets.token_urlsafe(16)", precision="medium", external=("Bandit B311",),
      fixes=(FixTemplate("secrets.choice", "review", call="secrets.choice({0})", when=("named:choice", "args:1"), imports=("secrets",)),
             FixTemplate("secrets.randbelow", "review", call="secrets.randbelow({0})", when=("named:randrange", "args:1"), imports=("secrets",)),
             FixTemplate("random.SystemRandom: the system's generator, same methods, no seed", "review", call="random.SystemRandom().{name}({*})", imports=("random",)))),
    R(id="EL-PY-UNVERIFIED-SSL", name="python-unverified-ssl-context", level="warning",  # interception is possible; often deliberate in tests and tools
      names=("ssl._create_unverified_context",),
      cwe=(295,), security_severity=7.4, short="an SSL context that skips certificate checks",
      full="The unverified context accepts any certificate, so connections can be intercepted.",
      suggestion="Use ssl.create_default_context().", bad="ctx = ssl._create_unverified_context()",
      good="ctx = ssl.create_default_context()", external=("Bandit B323",),
      fixes=(FixTemplate("ssl.create_default_context: certificates checked", "review", name="create_default_context", when=("qualified",)),)),
    R(id="EL-PY-REQUESTS-NO-VERIFY", name="python-requests-verify-false", level="warning",  # interception is possible; often deliberate in tests and tools
      cwe=(295,), security_severity=7.4, names=("requests.get", "requests.post", "requests.put", "requests.patch", "requests.delete",
      "requests.head", "requests.options", "requests.request", "httpx.get", "httpx.post", "httpx.Client", "httpx.AsyncClient"),
      short="TLS certificate verification turned off", full="verify=False accepts any certificate, so the connection can be intercepted.",
      suggestion="Keep verify=True, or pass the path of a CA bundle.", bad="requests.get(url, verify=False)",
      good="requests.get(url, timeout=10)", refine=when(kwarg_is("verify", "False"), "warning"), external=("Bandit B501",),
      fixes=(FixTemplate("certificates checked (verify=False removed)", "review", drop_kwarg="verify"),)),
    # --- files and temporary files -----------------------------------------------------
    R(id="EL-PY-MKTEMP", name="python-mktemp", level="warning",  # a race an attacker must win on the same host
      names=("tempfile.mktemp", "os.tempnam", "os.tmpnam"), cwe=(377,),
      security_severity=5.5, short="a temporary file name that another process can claim first",
      full="mktemp returns a name without creating the file; an attacker can create it (or a symlink) in between.",
      suggestion="Use tempfile.mkstemp() or tempfile.NamedTemporaryFile().", bad="path = tempfile.mktemp()",
      good="fd, path = tempfile.mkstemp()", external=("Bandit B306", "Bandit B325"),
      fixes=(FixTemplate("NamedTemporaryFile(delete=False): the file is created", "review", call="tempfile.NamedTemporaryFile(delete=False).name", when=("named:mktemp", "bare"), imports=("tempfile",)),
             FixTemplate("mkstemp: the file is created (its descriptor stays open)", "review", call="tempfile.mkstemp({*})[1]", when=("named:mktemp",), imports=("tempfile",)))),
    R(id="EL-PY-CHMOD-WORLD-WRITABLE", name="python-chmod-world-writable", level="warning",  # any local user can change the file; only modes with the other-write bit
      names=("os.chmod", "os.fchmod", "os.lchmod"),
      cwe=(732,), security_severity=5.3, short="file made writable by every user",
      full="A world-writable mode lets any local user change the file.", suggestion="Use 0o600 or 0o644.",
      bad="os.chmod(path, 0o777)", good="os.chmod(path, 0o600)", refine=world_writable, external=("Bandit B103",),
      fixes=(FixTemplate("no write permission for others", "review", arg=(1, "{mode:1}")),)),
    R(id="EL-PY-URLOPEN", name="python-urlopen-scheme", level="note",  # file:// reads need a URL from input; constants are not reported
      cwe=(22,), security_severity=3.5,
      names=("urllib.urlopen", "urllib.request.urlopen", "urllib.urlretrieve", "urllib.request.urlretrieve",
             "urllib.URLopener", "urllib.request.URLopener", "urllib.FancyURLopener", "urllib.request.FancyURLopener",
             "urllib2.urlopen", "urllib2.Request", "six.moves.urllib.request.urlopen"),
      short="urlopen accepts file:// and other schemes",
      full="A URL from input can name a local file (file://) or an unexpected scheme.",
      suggestion="Check the scheme is http or https before opening.", bad="urllib.request.urlopen(user_url)",
      good="urllib.request.urlopen('https://example.org/feed.xml')",
      refine=when(lambda s: not s.is_literal(0), "note"), precision="medium", external=("Bandit B310",)),
    # --- XML ---------------------------------------------------------------------------------
    R(id="EL-PY-XML", name="python-xml-untrusted", level="note",  # entity attacks need untrusted XML, which the call does not show
      cwe=(611, 776), security_severity=5.3,
      names=("xml.etree.ElementTree.parse", "xml.etree.ElementTree.iterparse", "xml.etree.ElementTree.fromstring",
             "xml.etree.ElementTree.XMLParser", "xml.etree.cElementTree.parse", "xml.etree.cElementTree.iterparse",
             "xml.etree.cElementTree.fromstring", "xml.etree.cElementTree.XMLParser", "xml.sax.parse",
             "xml.sax.parseString", "xml.sax.make_parser", "xml.sax.expatreader.create_parser",
             "xml.dom.minidom.parse", "xml.dom.minidom.parseString", "xml.dom.pulldom.parse",
             "xml.dom.pulldom.parseString", "xml.dom.expatbuilder.parse", "xml.dom.expatbuilder.parseString",
             "lxml.etree.parse", "lxml.etree.fromstring", "lxml.etree.RestrictedElement",
             "lxml.etree.GlobalParserTLS", "lxml.etree.getDefaultParser", "lxml.etree.check_docinfo"),
      short="XML parsing of untrusted data (entity expansion, external entities)",
      full="The standard XML parsers can be made to expand entities exponentially or, for some, to fetch external entities.",
      suggestion="Use defusedxml's equivalents for untrusted XML.",
      bad="from xml.etree import ElementTree\ntree = ElementTree.parse(upload)",
      good="from defusedxml import ElementTree\ntree = ElementTree.parse(upload)", precision="medium", external=("Bandit B313-B320",)),
    # --- cleartext protocols -----------------------------------------------------------------
    R(id="EL-PY-CLEARTEXT", name="python-cleartext-protocol", level="note",  # a weakness of the protocol, not of this call
      names=("telnetlib.*", "ftplib.FTP"), cwe=(319,),
      security_severity=4.3, short="a cleartext protocol (Telnet, FTP)",
      full="Telnet and plain FTP send credentials and data unencrypted.", suggestion="Use SSH/SFTP or ftplib.FTP_TLS.",
      bad="ftp = ftplib.FTP(host)", good="ftp = ftplib.FTP_TLS(host)", external=("Bandit B312", "Bandit B321"),
      fixes=(FixTemplate("ftplib.FTP_TLS: encrypted", "review", name=(("FTP", "FTP_TLS"),), when=("qualified",)),)),
    # --- web frameworks ------------------------------------------------------------------------
    R(id="EL-PY-MARK-SAFE", name="python-django-mark-safe", level="warning",  # cross-site scripting if user text is inside; a constant lowers it to a note
      names=("django.utils.safestring.mark_safe",
      "django.utils.html.format_html_join"), cwe=(79,), security_severity=6.1,
      short="mark_safe disables HTML escaping", full="Text marked safe is inserted into pages unescaped; if any of it comes from users it is cross-site scripting.",
      suggestion="Build HTML with format_html(), which escapes its arguments.",
      bad="from django.utils.safestring import mark_safe\nmark_safe('<b>%s</b>' % name)",
      good="from django.utils.html import format_html\nformat_html('<b>{}</b>', name)", refine=constant_or(0, "note", "warning"), external=("Bandit B308",)),
    R(id="EL-PY-JINJA-AUTOESCAPE", name="python-jinja2-autoescape-off", level="warning",  # cross-site scripting if templates render user data
      names=("jinja2.Environment",), cwe=(79,),
      security_severity=6.1, short="Jinja2 environment without autoescaping",
      full="Jinja2 does not escape HTML unless autoescape is enabled, so user data in templates becomes cross-site scripting.",
      suggestion="Pass autoescape=select_autoescape().", bad="env = jinja2.Environment(loader=loader)",
      good="env = jinja2.Environment(loader=loader, autoescape=select_autoescape())",
      refine=when(autoescape_off, "warning"), external=("Bandit B701",),
      fixes=(FixTemplate("autoescape=True", "review", kwarg=("autoescape", "True")),)),
    R(id="EL-PY-FLASK-DEBUG", name="python-flask-debug", level="error",  # anyone who reaches the debugger runs code; only debug=True
      names=("*.run",), cwe=(94, 489),
      security_severity=8.8, short="Flask run with debug=True exposes the interactive debugger",
      full="The Werkzeug debugger lets anyone who can reach the page run Python code.",
      suggestion="Never enable debug in deployed code; read it from configuration.", bad="app.run(debug=True)",
      good="app.run(debug=os.environ.get('FLASK_DEBUG') == '1')", refine=when(kwarg_is("debug", "True"), "error"),
      precision="medium", external=("Bandit B201",),
      fixes=(FixTemplate("debug only when FLASK_DEBUG=1", "review", kwarg=("debug", "os.environ.get('FLASK_DEBUG') == '1'"), imports=("os",)),
             FixTemplate("no debugger (debug=True removed)", "review", drop_kwarg="debug"))),
)
