"""Vulnerable/fixed pairs for ``bench_fixes.py``, written for it: each a small file in one of the nine
languages, the same file as a developer would fix it, and a pattern naming the API that human fix
uses (a fix from entropy-lint "uses the same API" when the call it writes matches the pattern).
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
