"""Vulnerable/fixed pairs for ``bench_fixes.py``, written for it: each a small file in one of the nine
languages, the same file as a developer would fix it, and a pattern naming the API that human fix
uses (a fix from entropy-lint "uses the same API" when the call it writes matches the pattern).

``PAIRS`` are the 39 pairs the fixes issue was built and measured against. ``HELD_OUT`` were
written afterwards, before any change to the ranking was tried, to judge such a change on pairs it
was not tuned to; they lean on the rules with more than one template, where ranking decides.
"""

from __future__ import annotations

from typing import NamedTuple


class Pair(NamedTuple):
    name: str
    language: str
    vulnerable: str
    fixed: str
    api: str  # a regular expression over the rewritten call


PAIRS: tuple[Pair, ...] = (
    # --- Python ----------------------------------------------------------------------------------------
    Pair("py-yaml", "python",
         "import yaml\n\n\ndef read_config(path):\n    with open(path) as fh:\n        return yaml.load(fh)\n",
         "import yaml\n\n\ndef read_config(path):\n    with open(path) as fh:\n        return yaml.safe_load(fh)\n",
         r"yaml\.safe_load"),
    Pair("py-md5-cache-key", "python",
         "import hashlib\n\n\ndef cache_key(url: str) -> str:\n    return hashlib.md5(url.encode()).hexdigest()\n",
         "import hashlib\n\n\ndef cache_key(url: str) -> str:\n    return hashlib.sha256(url.encode()).hexdigest()\n",
         r"hashlib\.sha256"),
    Pair("py-shell-tar", "python",
         "import subprocess\n\n\ndef unpack(archive):\n    subprocess.run('tar xzf ' + archive, shell=True, check=True)\n",
         "import subprocess\n\n\ndef unpack(archive):\n    subprocess.run(['tar', 'xzf', archive], check=True)\n",
         r"run\(\["),
    Pair("py-eval-config", "python",
         "def parse_value(text):\n    return eval(text)\n",
         "import ast\n\n\ndef parse_value(text):\n    return ast.literal_eval(text)\n",
         r"literal_eval"),
    Pair("py-mktemp", "python",
         "import tempfile\n\n\ndef scratch():\n    path = tempfile.mktemp()\n    return open(path, 'w')\n",
         "import tempfile\n\n\ndef scratch():\n    return tempfile.NamedTemporaryFile('w', delete=False)\n",
         r"NamedTemporaryFile"),
    Pair("py-requests-verify", "python",
         "import requests\n\n\ndef fetch(url):\n    return requests.get(url, verify=False, timeout=10).json()\n",
         "import requests\n\n\ndef fetch(url):\n    return requests.get(url, timeout=10).json()\n",
         r"^(?!.*verify).*requests\.get"),
    Pair("py-sqlite", "python",
         "import sqlite3\n\n\ndef find(db: sqlite3.Connection, name: str):\n"
         "    return db.execute(f\"SELECT id FROM users WHERE name = '{name}'\").fetchone()\n",
         "import sqlite3\n\n\ndef find(db: sqlite3.Connection, name: str):\n"
         "    return db.execute(\"SELECT id FROM users WHERE name = ?\", (name,)).fetchone()\n",
         r"\?"),
    Pair("py-pickle", "python",
         "import pickle\n\n\ndef load_session(blob: bytes):\n    return pickle.loads(blob)\n",
         "import json\n\n\ndef load_session(blob: bytes):\n    return json.loads(blob)\n",
         r"json\.loads"),
    Pair("py-os-system", "python",
         "import os\n\n\ndef ping(host):\n    return os.system('ping -c 1 ' + host)\n",
         "import subprocess\n\n\ndef ping(host):\n    return subprocess.call(['ping', '-c', '1', host])\n",
         r"subprocess\.\w+\(\["),
    Pair("py-random-token", "python",
         "import random\nimport string\n\n\ndef token():\n    return ''.join(random.choice(string.ascii_letters) for _ in range(32))\n",
         "import secrets\nimport string\n\n\ndef token():\n    return ''.join(secrets.choice(string.ascii_letters) for _ in range(32))\n",
         r"secrets\.choice"),
    # --- C and C++ ---------------------------------------------------------------------------------------
    Pair("c-strcpy", "c",
         "#include <stdio.h>\n#include <string.h>\n\nvoid greet(const char *name) {\n    char buf[32];\n"
         "    strcpy(buf, name);\n    puts(buf);\n}\n",
         "#include <stdio.h>\n#include <string.h>\n\nvoid greet(const char *name) {\n    char buf[32];\n"
         "    snprintf(buf, sizeof buf, \"%s\", name);\n    puts(buf);\n}\n",
         r"snprintf"),
    Pair("c-sprintf", "c",
         "#include <stdio.h>\n\nvoid label(const char *user, int n) {\n    char out[64];\n"
         "    sprintf(out, \"%s-%d\", user, n);\n    puts(out);\n}\n",
         "#include <stdio.h>\n\nvoid label(const char *user, int n) {\n    char out[64];\n"
         "    snprintf(out, sizeof out, \"%s-%d\", user, n);\n    puts(out);\n}\n",
         r"snprintf"),
    Pair("c-gets", "c",
         "#include <stdio.h>\n\nint main(void) {\n    char line[128];\n    gets(line);\n    puts(line);\n    return 0;\n}\n",
         "#include <stdio.h>\n\nint main(void) {\n    char line[128];\n    fgets(line, sizeof line, stdin);\n"
         "    puts(line);\n    return 0;\n}\n",
         r"fgets"),
    Pair("c-strcat", "c",
         "#include <string.h>\n\nvoid path(char *dir, const char *file) {\n    char full[256] = \"/srv/\";\n"
         "    strcat(full, file);\n    strcpy(dir, full);\n}\n",
         "#include <string.h>\n\nvoid path(char *dir, const char *file) {\n    char full[256] = \"/srv/\";\n"
         "    strncat(full, file, sizeof full - strlen(full) - 1);\n    strcpy(dir, full);\n}\n",
         r"strncat"),
    Pair("c-printf", "c",
         "#include <stdio.h>\n\nvoid log_line(const char *msg) {\n    printf(msg);\n}\n",
         "#include <stdio.h>\n\nvoid log_line(const char *msg) {\n    printf(\"%s\", msg);\n}\n",
         r"printf\(\"%s\""),
    Pair("cpp-strcpy", "cpp",
         "#include <cstring>\n#include <iostream>\n\nvoid show(const char *title) {\n    char buf[40];\n"
         "    strcpy(buf, title);\n    std::cout << buf << std::endl;\n}\n",
         "#include <cstdio>\n#include <cstring>\n#include <iostream>\n\nvoid show(const char *title) {\n    char buf[40];\n"
         "    snprintf(buf, sizeof buf, \"%s\", title);\n    std::cout << buf << std::endl;\n}\n",
         r"snprintf"),
    Pair("cpp-sprintf", "cpp",
         "#include <cstdio>\n\nvoid stamp(const char *who) {\n    char line[80];\n"
         "    sprintf(line, \"by %s\", who);\n    puts(line);\n}\n",
         "#include <cstdio>\n\nvoid stamp(const char *who) {\n    char line[80];\n"
         "    snprintf(line, sizeof line, \"by %s\", who);\n    puts(line);\n}\n",
         r"snprintf"),
    # --- JavaScript, TypeScript, TSX ---------------------------------------------------------------------
    Pair("js-inner-html", "javascript",
         "function showComment(comment) {\n  const box = document.getElementById('comments');\n  box.innerHTML = comment;\n}\n",
         "function showComment(comment) {\n  const box = document.getElementById('comments');\n  box.textContent = comment;\n}\n",
         r"textContent"),
    Pair("js-exec", "javascript",
         "const cp = require('child_process');\n\nfunction backup(dir, done) {\n  cp.exec('tar czf backup.tgz ' + dir, done);\n}\n",
         "const cp = require('child_process');\n\nfunction backup(dir, done) {\n  cp.execFile('tar', ['czf', 'backup.tgz', dir], done);\n}\n",
         r"execFile"),
    Pair("js-eval-json", "javascript",
         "function parseBody(text) {\n  return eval('(' + text + ')');\n}\n",
         "function parseBody(text) {\n  return JSON.parse(text);\n}\n",
         r"JSON\.parse"),
    Pair("js-md5", "javascript",
         "const crypto = require('crypto');\n\nfunction etag(body) {\n  return crypto.createHash('md5').update(body).digest('hex');\n}\n",
         "const crypto = require('crypto');\n\nfunction etag(body) {\n  return crypto.createHash('sha256').update(body).digest('hex');\n}\n",
         r"sha256"),
    Pair("js-mysql", "javascript",
         "const mysql = require('mysql');\n\nfunction byName(db, name, cb) {\n"
         "  db.query(\"SELECT * FROM users WHERE name = '\" + name + \"'\", cb);\n}\n",
         "const mysql = require('mysql');\n\nfunction byName(db, name, cb) {\n"
         "  db.query('SELECT * FROM users WHERE name = ?', [name], cb);\n}\n",
         r"\?"),
    Pair("ts-random", "typescript",
         "export function nonce(): string {\n  return Math.random().toString(36).slice(2);\n}\n",
         "export function nonce(): string {\n  return crypto.randomUUID();\n}\n",
         r"crypto\.randomUUID"),
    Pair("ts-eval", "typescript",
         "export function load(raw: string): unknown {\n  return eval(raw);\n}\n",
         "export function load(raw: string): unknown {\n  return JSON.parse(raw);\n}\n",
         r"JSON\.parse"),
    Pair("tsx-inner-html", "tsx",
         "export function Note({ text }: { text: string }) {\n  const ref = (el: HTMLDivElement) => { el.innerHTML = text; };\n"
         "  return <div ref={ref} />;\n}\n",
         "export function Note({ text }: { text: string }) {\n  const ref = (el: HTMLDivElement) => { el.textContent = text; };\n"
         "  return <div ref={ref} />;\n}\n",
         r"textContent"),
    # --- Java --------------------------------------------------------------------------------------------
    Pair("java-md5", "java",
         "import java.security.MessageDigest;\n\nclass Hasher {\n    byte[] hash(byte[] data) throws Exception {\n"
         "        return MessageDigest.getInstance(\"MD5\").digest(data);\n    }\n}\n",
         "import java.security.MessageDigest;\n\nclass Hasher {\n    byte[] hash(byte[] data) throws Exception {\n"
         "        return MessageDigest.getInstance(\"SHA-256\").digest(data);\n    }\n}\n",
         r"SHA-256"),
    Pair("java-random", "java",
         "import java.util.Random;\n\nclass Tokens {\n    long next() {\n        Random r = new Random();\n"
         "        return r.nextLong();\n    }\n}\n",
         "import java.security.SecureRandom;\nimport java.util.Random;\n\nclass Tokens {\n    long next() {\n"
         "        Random r = new SecureRandom();\n        return r.nextLong();\n    }\n}\n",
         r"SecureRandom"),
    Pair("java-exec", "java",
         "class Lister {\n    Process list(String dir) throws Exception {\n"
         "        return Runtime.getRuntime().exec(\"ls -l \" + dir);\n    }\n}\n",
         "class Lister {\n    Process list(String dir) throws Exception {\n"
         "        return new ProcessBuilder(\"ls\", \"-l\", dir).start();\n    }\n}\n",
         r"ProcessBuilder"),
    # --- Go ----------------------------------------------------------------------------------------------
    Pair("go-md5", "go",
         "package cache\n\nimport (\n\t\"crypto/md5\"\n\t\"encoding/hex\"\n)\n\nfunc Key(s string) string {\n"
         "\tsum := md5.Sum([]byte(s))\n\treturn hex.EncodeToString(sum[:])\n}\n",
         "package cache\n\nimport (\n\t\"crypto/sha256\"\n\t\"encoding/hex\"\n)\n\nfunc Key(s string) string {\n"
         "\tsum := sha256.Sum256([]byte(s))\n\treturn hex.EncodeToString(sum[:])\n}\n",
         r"sha256\.Sum256"),
    Pair("go-sh-c", "go",
         "package tools\n\nimport \"os/exec\"\n\nfunc List(dir string) ([]byte, error) {\n"
         "\treturn exec.Command(\"sh\", \"-c\", \"ls -l \"+dir).Output()\n}\n",
         "package tools\n\nimport \"os/exec\"\n\nfunc List(dir string) ([]byte, error) {\n"
         "\treturn exec.Command(\"ls\", \"-l\", dir).Output()\n}\n",
         r"exec\.Command\(\"ls\""),
    Pair("go-pq", "go",
         "package store\n\nimport (\n\t\"database/sql\"\n\n\t_ \"github.com/lib/pq\"\n)\n\n"
         "func Find(db *sql.DB, name string) (*sql.Rows, error) {\n"
         "\treturn db.Query(\"SELECT id FROM users WHERE name = '\" + name + \"'\")\n}\n",
         "package store\n\nimport (\n\t\"database/sql\"\n\n\t_ \"github.com/lib/pq\"\n)\n\n"
         "func Find(db *sql.DB, name string) (*sql.Rows, error) {\n"
         "\treturn db.Query(\"SELECT id FROM users WHERE name = $1\", name)\n}\n",
         r"\$1"),
    # --- PHP ---------------------------------------------------------------------------------------------
    Pair("php-md5-password", "php",
         "<?php\nfunction store_user($pdo, $name, $password) {\n    $hash = md5($password);\n"
         "    $pdo->prepare('INSERT INTO users VALUES (?, ?)')->execute([$name, $hash]);\n}\n",
         "<?php\nfunction store_user($pdo, $name, $password) {\n    $hash = password_hash($password, PASSWORD_DEFAULT);\n"
         "    $pdo->prepare('INSERT INTO users VALUES (?, ?)')->execute([$name, $hash]);\n}\n",
         r"password_hash"),
    Pair("php-rand", "php",
         "<?php\nfunction roll() {\n    return rand(1, 6);\n}\n",
         "<?php\nfunction roll() {\n    return random_int(1, 6);\n}\n",
         r"random_int"),
    Pair("php-unserialize", "php",
         "<?php\nfunction prefs($cookie) {\n    return unserialize($cookie);\n}\n",
         "<?php\nfunction prefs($cookie) {\n    return json_decode($cookie, true);\n}\n",
         r"json_decode"),
    Pair("php-echo", "php",
         "<?php\necho $_GET['q'];\n",
         "<?php\necho htmlspecialchars($_GET['q'], ENT_QUOTES);\n",
         r"htmlspecialchars"),
    # --- Ruby --------------------------------------------------------------------------------------------
    Pair("rb-yaml", "ruby",
         "require 'yaml'\n\ndef settings(path)\n  YAML.load(File.read(path))\nend\n",
         "require 'yaml'\n\ndef settings(path)\n  YAML.safe_load(File.read(path))\nend\n",
         r"safe_load"),
    Pair("rb-md5", "ruby",
         "require 'digest'\n\ndef fingerprint(data)\n  Digest::MD5.hexdigest(data)\nend\n",
         "require 'digest'\n\ndef fingerprint(data)\n  Digest::SHA256.hexdigest(data)\nend\n",
         r"SHA256"),
    Pair("rb-system", "ruby",
         "def archive(dir)\n  system(\"tar czf out.tgz #{dir}\")\nend\n",
         "def archive(dir)\n  system('tar', 'czf', 'out.tgz', dir)\nend\n",
         r"system\(['\"]tar['\"],"),
    Pair("rb-marshal", "ruby",
         "def restore(blob)\n  Marshal.load(blob)\nend\n",
         "require 'json'\n\ndef restore(blob)\n  JSON.parse(blob)\nend\n",
         r"JSON\.parse"),
)


HELD_OUT: tuple[Pair, ...] = (
    # --- Python ----------------------------------------------------------------------------------------
    Pair("py-md5-content-md5", "python",
         "import base64\nimport hashlib\n\n\ndef upload_headers(body: bytes) -> dict:\n"
         "    digest = hashlib.md5(body).digest()\n"
         "    return {'Content-MD5': base64.b64encode(digest).decode()}\n",
         "import base64\nimport hashlib\n\n\ndef upload_headers(body: bytes) -> dict:\n"
         "    digest = hashlib.md5(body, usedforsecurity=False).digest()\n"
         "    return {'Content-MD5': base64.b64encode(digest).decode()}\n",
         r"usedforsecurity=False"),
    Pair("py-sha1-password", "python",
         "import hashlib\n\n\ndef store_password(user, password: str) -> None:\n"
         "    user.password_hash = hashlib.sha1(password.encode()).hexdigest()\n    user.save()\n",
         "import hashlib\n\n\ndef store_password(user, password: str) -> None:\n"
         "    user.password_hash = hashlib.sha256(password.encode()).hexdigest()\n    user.save()\n",
         r"sha256"),
    Pair("py-eval-request-body", "python",
         "import json\n\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.post('/items')\n"
         "def create_item():\n    payload = eval(request.get_data(as_text=True))\n"
         "    return json.dumps({'name': payload['name']})\n",
         "import json\n\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n@app.post('/items')\n"
         "def create_item():\n    payload = json.loads(request.get_data(as_text=True))\n"
         "    return json.dumps({'name': payload['name']})\n",
         r"json\.loads"),
    Pair("py-eval-repr-line", "python",
         "def read_points(path):\n    points = []\n    with open(path) as fh:\n        for line in fh:\n"
         "            points.append(eval(line.strip()))  # lines like (1.5, 2.0)\n    return points\n",
         "import ast\n\n\ndef read_points(path):\n    points = []\n    with open(path) as fh:\n        for line in fh:\n"
         "            points.append(ast.literal_eval(line.strip()))  # lines like (1.5, 2.0)\n    return points\n",
         r"literal_eval"),
    Pair("py-os-system-clear", "python",
         "import os\n\n\ndef clear_screen():\n    os.system('clear')\n",
         "import subprocess\n\n\ndef clear_screen():\n    subprocess.call(['clear'])\n",
         r"subprocess\.call\(\["),
    Pair("py-os-system-command", "python",
         "import os\n\n\ndef run_step(step: dict) -> int:\n    command = step['command']\n    return os.system(command)\n",
         "import shlex\nimport subprocess\n\n\ndef run_step(step: dict) -> int:\n    command = step['command']\n"
         "    return subprocess.call(shlex.split(command))\n",
         r"shlex\.split"),
    Pair("py-check-output-shell", "python",
         "import subprocess\n\n\ndef git(args: str) -> str:\n"
         "    return subprocess.check_output('git ' + args, shell=True, text=True).strip()\n",
         "import shlex\nimport subprocess\n\n\ndef git(args: str) -> str:\n"
         "    return subprocess.check_output(['git', *shlex.split(args)], text=True).strip()\n",
         r"\[\s*['\"]git['\"]|shlex\.split"),
    Pair("py-yaml-load-all", "python",
         "import yaml\n\n\ndef documents(path):\n    with open(path) as fh:\n        return list(yaml.load_all(fh))\n",
         "import yaml\n\n\ndef documents(path):\n    with open(path) as fh:\n        return list(yaml.safe_load_all(fh))\n",
         r"safe_load_all|SafeLoader"),
    Pair("py-yaml-full-loader", "python",
         "import yaml\n\n\ndef parse(text):\n    return yaml.load(text, Loader=yaml.FullLoader)\n",
         "import yaml\n\n\ndef parse(text):\n    return yaml.load(text, Loader=yaml.SafeLoader)\n",
         r"SafeLoader|safe_load"),
    Pair("py-randrange-otp", "python",
         "import random\n\n\ndef one_time_code() -> str:\n    return f'{random.randrange(1000000):06d}'\n",
         "import secrets\n\n\ndef one_time_code() -> str:\n    return f'{secrets.randbelow(1000000):06d}'\n",
         r"secrets\.randbelow"),
    Pair("py-random-nonce", "python",
         "import random\n\n\ndef nonce() -> int:\n    return random.getrandbits(64)\n",
         "import random\n\n\ndef nonce() -> int:\n    return random.SystemRandom().getrandbits(64)\n",
         r"SystemRandom"),
    Pair("py-mktemp-json", "python",
         "import json\nimport os\nimport tempfile\n\n\ndef dump(data):\n    path = tempfile.mktemp(suffix='.json')\n"
         "    with open(path, 'w') as fh:\n        json.dump(data, fh)\n    return path\n",
         "import json\nimport os\nimport tempfile\n\n\ndef dump(data):\n    fd, path = tempfile.mkstemp(suffix='.json')\n"
         "    with os.fdopen(fd, 'w') as fh:\n        json.dump(data, fh)\n    return path\n",
         r"mkstemp"),
    Pair("py-flask-debug-main", "python",
         "import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\nif __name__ == '__main__':\n"
         "    app.run(host='0.0.0.0', port=int(os.environ.get('PORT', 8080)), debug=True)\n",
         "import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\n\n\nif __name__ == '__main__':\n"
         "    app.run(host='0.0.0.0', port=int(os.environ.get('PORT', 8080)))\n",
         r"^(?!.*debug)"),
    # --- C ------------------------------------------------------------------------------------------------
    Pair("c-strcpy-bsd", "c",
         "#include <string.h>\n\nsize_t strlcpy(char *, const char *, size_t);\n\nstruct host { char name[64]; char addr[46]; };\n\n"
         "void host_set(struct host *h, const char *name, const char *addr) {\n"
         "    strlcpy(h->addr, addr, sizeof h->addr);\n    char tmp[64];\n    strcpy(tmp, name);\n"
         "    memcpy(h->name, tmp, sizeof tmp);\n}\n",
         "#include <string.h>\n\nsize_t strlcpy(char *, const char *, size_t);\n\nstruct host { char name[64]; char addr[46]; };\n\n"
         "void host_set(struct host *h, const char *name, const char *addr) {\n"
         "    strlcpy(h->addr, addr, sizeof h->addr);\n    char tmp[64];\n    strlcpy(tmp, name, sizeof tmp);\n"
         "    memcpy(h->name, tmp, sizeof tmp);\n}\n",
         r"strlcpy"),
    Pair("c-strcat-path", "c",
         "#include <stdio.h>\n#include <string.h>\n\nint open_in(const char *dir, const char *name) {\n"
         "    char path[256];\n    snprintf(path, sizeof path, \"%s/\", dir);\n    strcat(path, name);\n"
         "    return puts(path);\n}\n",
         "#include <stdio.h>\n#include <string.h>\n\nint open_in(const char *dir, const char *name) {\n"
         "    char path[256];\n    snprintf(path, sizeof path, \"%s/%s\", dir, name);\n"
         "    return puts(path);\n}\n",
         r"snprintf"),
    Pair("c-sprintf-id", "c",
         "#include <stdio.h>\n\nvoid label(int id, const char *name, void (*emit)(const char *)) {\n"
         "    char buf[32];\n    sprintf(buf, \"%d:%s\", id, name);\n    emit(buf);\n}\n",
         "#include <stdio.h>\n\nvoid label(int id, const char *name, void (*emit)(const char *)) {\n"
         "    char buf[32];\n    snprintf(buf, sizeof buf, \"%d:%s\", id, name);\n    emit(buf);\n}\n",
         r"snprintf"),
    Pair("c-vsprintf-log", "c",
         "#include <stdarg.h>\n#include <stdio.h>\n\nvoid log_line(const char *fmt, ...) {\n    char line[512];\n"
         "    va_list ap;\n    va_start(ap, fmt);\n    vsprintf(line, fmt, ap);\n    va_end(ap);\n    fputs(line, stderr);\n}\n",
         "#include <stdarg.h>\n#include <stdio.h>\n\nvoid log_line(const char *fmt, ...) {\n    char line[512];\n"
         "    va_list ap;\n    va_start(ap, fmt);\n    vsnprintf(line, sizeof line, fmt, ap);\n    va_end(ap);\n    fputs(line, stderr);\n}\n",
         r"vsnprintf"),
    Pair("c-gets-prompt", "c",
         "#include <stdio.h>\n#include <string.h>\n\nint ask(void) {\n    char answer[16];\n    printf(\"continue? \");\n"
         "    gets(answer);\n    return strcmp(answer, \"y\") == 0;\n}\n",
         "#include <stdio.h>\n#include <string.h>\n\nint ask(void) {\n    char answer[16];\n    printf(\"continue? \");\n"
         "    if (!fgets(answer, sizeof answer, stdin)) return 0;\n    answer[strcspn(answer, \"\\n\")] = 0;\n"
         "    return strcmp(answer, \"y\") == 0;\n}\n",
         r"fgets"),
    # --- JavaScript ---------------------------------------------------------------------------------------
    Pair("js-session-id", "javascript",
         "const crypto = require('crypto');\n\nfunction sessionId() {\n  return Math.random().toString(36).slice(2);\n}\n\n"
         "module.exports = { sessionId };\n",
         "const crypto = require('crypto');\n\nfunction sessionId() {\n  return crypto.randomBytes(16).toString('hex');\n}\n\n"
         "module.exports = { sessionId };\n",
         r"crypto\."),
    Pair("js-browser-key", "javascript",
         "export function keyBytes(n) {\n  const out = new Uint8Array(n);\n"
         "  for (let i = 0; i < n; i++) out[i] = Math.floor(Math.random() * 256);\n  return out;\n}\n",
         "export function keyBytes(n) {\n  const out = new Uint8Array(n);\n  crypto.getRandomValues(out);\n  return out;\n}\n",
         r"getRandomValues"),
    Pair("js-buffer-size", "javascript",
         "function header(len) {\n  const buf = new Buffer(8);\n  buf.writeUInt32BE(len, 0);\n  return buf;\n}\n",
         "function header(len) {\n  const buf = Buffer.alloc(8);\n  buf.writeUInt32BE(len, 0);\n  return buf;\n}\n",
         r"Buffer\.alloc"),
    Pair("js-buffer-base64", "javascript",
         "function decode(token) {\n  return new Buffer(token, 'base64').toString('utf8');\n}\n",
         "function decode(token) {\n  return Buffer.from(token, 'base64').toString('utf8');\n}\n",
         r"Buffer\.from"),
    Pair("js-exec-git", "javascript",
         "const { execSync } = require('child_process');\n\nfunction revision(dir) {\n"
         "  return execSync('git -C ' + dir + ' rev-parse HEAD').toString().trim();\n}\n",
         "const { execFileSync } = require('child_process');\n\nfunction revision(dir) {\n"
         "  return execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD']).toString().trim();\n}\n",
         r"execFileSync"),
    # --- PHP -----------------------------------------------------------------------------------------------
    Pair("php-unserialize-cache", "php",
         "<?php\nfunction cache_get($file) {\n    $data = file_get_contents($file);\n"
         "    return $data === false ? null : unserialize($data);\n}\n",
         "<?php\nfunction cache_get($file) {\n    $data = file_get_contents($file);\n"
         "    return $data === false ? null : unserialize($data, ['allowed_classes' => false]);\n}\n",
         r"allowed_classes"),
    Pair("php-md5-etag", "php",
         "<?php\nfunction send_page($html) {\n    header('ETag: \"' . md5($html) . '\"');\n    echo $html;\n}\n",
         "<?php\nfunction send_page($html) {\n    header('ETag: \"' . hash('sha256', $html) . '\"');\n    echo $html;\n}\n",
         r"sha256"),
    Pair("php-sha1-password", "php",
         "<?php\nfunction register($db, $user, $password) {\n    $hash = sha1($password);\n"
         "    $db->prepare('INSERT INTO users (name, pw) VALUES (?, ?)')->execute([$user, $hash]);\n}\n",
         "<?php\nfunction register($db, $user, $password) {\n    $hash = password_hash($password, PASSWORD_DEFAULT);\n"
         "    $db->prepare('INSERT INTO users (name, pw) VALUES (?, ?)')->execute([$user, $hash]);\n}\n",
         r"password_hash"),
    Pair("php-curl-verifypeer", "php",
         "<?php\nfunction fetch($url) {\n    $ch = curl_init($url);\n    curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);\n"
         "    curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, false);\n    return curl_exec($ch);\n}\n",
         "<?php\nfunction fetch($url) {\n    $ch = curl_init($url);\n    curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);\n"
         "    curl_setopt($ch, CURLOPT_SSL_VERIFYPEER, true);\n    return curl_exec($ch);\n}\n",
         r"VERIFYPEER, true"),
    # --- Go, Java, Ruby --------------------------------------------------------------------------------------
    Pair("go-write-0666", "go",
         "package store\n\nimport \"os\"\n\nfunc Save(path string, data []byte) error {\n"
         "\treturn os.WriteFile(path, data, 0666)\n}\n",
         "package store\n\nimport \"os\"\n\nfunc Save(path string, data []byte) error {\n"
         "\treturn os.WriteFile(path, data, 0644)\n}\n",
         r"06[04]4|0o6[04]4"),
    Pair("go-sha1-sum", "go",
         "package blob\n\nimport (\n\t\"crypto/sha1\"\n\t\"encoding/hex\"\n)\n\nfunc ID(b []byte) string {\n"
         "\tsum := sha1.Sum(b)\n\treturn hex.EncodeToString(sum[:])\n}\n",
         "package blob\n\nimport (\n\t\"crypto/sha256\"\n\t\"encoding/hex\"\n)\n\nfunc ID(b []byte) string {\n"
         "\tsum := sha256.Sum256(b)\n\treturn hex.EncodeToString(sum[:])\n}\n",
         r"sha256"),
    Pair("java-sha1", "java",
         "import java.security.MessageDigest;\n\nclass Tokens {\n    static byte[] digest(byte[] in) throws Exception {\n"
         "        return MessageDigest.getInstance(\"SHA-1\").digest(in);\n    }\n}\n",
         "import java.security.MessageDigest;\n\nclass Tokens {\n    static byte[] digest(byte[] in) throws Exception {\n"
         "        return MessageDigest.getInstance(\"SHA-256\").digest(in);\n    }\n}\n",
         r"SHA-256"),
    Pair("rb-openssl-md5", "ruby",
         "require 'openssl'\n\ndef checksum(io)\n  OpenSSL::Digest::MD5.hexdigest(io.read)\nend\n",
         "require 'openssl'\n\ndef checksum(io)\n  OpenSSL::Digest::SHA256.hexdigest(io.read)\nend\n",
         r"SHA256"),
)
