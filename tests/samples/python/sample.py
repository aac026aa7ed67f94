"""Python sample: risky calls (marked) and look-alikes that must not be reported."""
import ast
import hashlib
import logging.config
import marshal
import os
import pickle
import random
import ssl
import subprocess
import subprocess as sp
import tempfile
import telnetlib
import urllib.request
from xml.etree import ElementTree

import jinja2
import requests
import torch
import yaml
from Crypto.Cipher import DES
from cryptography.hazmat.primitives.ciphers import modes
from django.utils.safestring import mark_safe
from pickle import loads as unpickle


def handler(request, cur, model, r, client, app, qs):
    value = eval(request.args["expr"])  # expect: EL-PY-EVAL
    exec(request.form["code"])  # expect: EL-PY-EXEC
    eval("1 + 2")  # expect: EL-PY-EVAL
    ast.literal_eval(request.args["expr"])
    model.eval()
    r.system("ls")
    logging.config.listen(9999)  # expect: EL-PY-LOGGING-LISTEN
    os.system("rm -rf " + request.args["path"])  # expect: EL-PY-OS-SYSTEM
    os.popen(cmd)  # expect: EL-PY-OS-SYSTEM
    subprocess.getoutput(cmd)  # expect: EL-PY-OS-SYSTEM
    subprocess.run(["ls", "-l"])
    sp.call(cmd, shell=True)  # expect: EL-PY-SUBPROCESS-SHELL
    subprocess.Popen(  # expect: EL-PY-SUBPROCESS-SHELL
        cmd,  # the finding is reported where the call starts
        shell=True,
    )  # see the line above
    subprocess.check_output(["git", "status"], shell=False)
    helpers.run_cmd(cmd, shell=True)  # expect: EL-PY-SHELL-TRUE
    os.execvp(prog, [prog, arg])  # expect: EL-PY-EXEC-NO-SHELL
    client.exec_command("ls " + path)  # expect: EL-PY-PARAMIKO-EXEC
    obj = pickle.loads(request.body)  # expect: EL-PY-PICKLE
    obj = unpickle(request.body)  # expect: EL-PY-PICKLE
    code = marshal.loads(blob)  # expect: EL-PY-MARSHAL
    cfg = yaml.load(stream)  # expect: EL-PY-YAML-LOAD
    cfg = yaml.load(stream, Loader=yaml.SafeLoader)
    cfg = yaml.safe_load(stream)
    smoke = "dude: mar"
    cfg = yaml.load(smoke, Loader=yaml.Loader)  # a document written in the program
    cfg = yaml.unsafe_load("a: 1")
    cfg = yaml.unsafe_load(stream)  # expect: EL-PY-YAML-LOAD
    dumped = yaml.dump(cfg)
    cfg = yaml.unsafe_load(dumped)  # expect: EL-PY-YAML-LOAD (through a variable: not followed)
    cfg = yaml.unsafe_load(yaml.dump(cfg))  # a round trip of the program's own objects
    cfg = yaml.unsafe_load(dumped + stream.read())  # expect: EL-PY-YAML-LOAD
    repeated = stream.name * 3  # text repeated is text, not a number
    cfg = yaml.unsafe_load(repeated)  # expect: EL-PY-YAML-LOAD
    state = torch.load(path)  # expect: EL-PY-TORCH-LOAD
    state = torch.load(path, weights_only=True)
    cur.execute("SELECT * FROM users WHERE name = '%s'" % name)  # expect: EL-PY-SQL
    cur.execute(f"DELETE FROM t WHERE id = {ident}")  # expect: EL-PY-SQL
    cur.execute("SELECT * FROM t WHERE id = " + ident)  # expect: EL-PY-SQL
    cur.execute("SELECT * FROM t WHERE a = {}".format(a))  # expect: EL-PY-SQL
    cur.execute("SELECT * FROM users WHERE name = %s", (name,))
    cur.execute("SELECT 1")
    qs.extra(where=["name = '%s'" % name])  # expect: EL-PY-DJANGO-EXTRA
    digest = hashlib.md5(password).hexdigest()  # expect: EL-PY-WEAK-HASH
    lockfile_name = "%s.lock" % hashlib.sha1(path).hexdigest()  # names a file: not a security use
    salt = os.urandom(hashlib.sha1().digest_size)  # only the size is read
    fingerprint = hashlib.sha1(blob).hexdigest()  # expect: EL-PY-WEAK-HASH
    etag = hashlib.md5(body, usedforsecurity=False).hexdigest()
    h = hashlib.new("sha1")  # expect: EL-PY-WEAK-HASH-NEW
    h = hashlib.new("sha256")
    c = DES.new(key, DES.MODE_ECB)  # expect: EL-PY-WEAK-CIPHER
    mode = modes.ECB()  # expect: EL-PY-ECB-MODE
    token = random.choice(ALPHABET)  # expect: EL-PY-RANDOM
    ctx = ssl._create_unverified_context()  # expect: EL-PY-UNVERIFIED-SSL
    requests.get(url, verify=False)  # expect: EL-PY-REQUESTS-NO-VERIFY
    requests.get(url, timeout=5)
    path = tempfile.mktemp()  # expect: EL-PY-MKTEMP
    fd, path = tempfile.mkstemp()
    os.chmod(path, 0o777)  # expect: EL-PY-CHMOD-WORLD-WRITABLE
    os.chmod(path, 0o600)
    urllib.request.urlopen(user_url)  # expect: EL-PY-URLOPEN
    tree = ElementTree.parse(upload)  # expect: EL-PY-XML
    tn = telnetlib.Telnet(host)  # expect: EL-PY-CLEARTEXT
    html = mark_safe("<b>%s</b>" % name)  # expect: EL-PY-MARK-SAFE
    env = jinja2.Environment(loader=loader)  # expect: EL-PY-JINJA-AUTOESCAPE
    env = jinja2.Environment(loader=loader, autoescape=True)
    app.run(debug=True)  # expect: EL-PY-FLASK-DEBUG
    app.run(port=8080)
    # os.system(cmd) in a comment is not a call
    note = "eval(x) and os.system(cmd) inside a string are not calls"
    return value


def system(cmd):  # a definition named like a risky API is not a call
    return cmd


class Runner:
    def eval(self):  # nor is a method named eval
        return self.system("x")


def make_session_id():
    return ''.join(random.choices(ALPHABET,  # expect: EL-PY-RANDOM
                                  k=32))


def backoff(attempt):
    delay = random.uniform(0.5, 1.5) * 2 ** attempt  # jitter: no secret
    shuffled = random.sample(ALPHABET, 3)
    return delay, shuffled


def reset_link(user):
    code = random.randint(0, 999999)  # a known miss: a reset code, but no name here says secret
    return f"/reset?user={user}&code={code}"
