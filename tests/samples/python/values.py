"""Values the file shows (issue 12): module constants, f-strings and concatenations of constants,
reassignments in order, and what makes a name data again."""
import os
import shlex
import subprocess

COMMAND = "ls -l"
LISTING = "ls -la"
TABLE = "users"
QUERY = f"SELECT * FROM {TABLE}"
COLUMNS = ("id", "name")


def handler(cur, name, flag, items):
    os.system(LISTING)  # expect: EL-PY-OS-SYSTEM
    os.system(COMMAND)  # expect: EL-PY-OS-SYSTEM
    eval("1" + "2")  # expect: EL-PY-EVAL
    cur.execute(QUERY + " WHERE id = 1")
    cur.execute("SELECT " + ", ".join(COLUMNS) + " FROM " + TABLE)
    cur.execute("SELECT * FROM %s" % TABLE)
    query = "SELECT * FROM t WHERE name = '" + name + "'"
    cur.execute(query)  # expect: EL-PY-SQL
    query = "SELECT 1"
    cur.execute(query)
    if flag:
        query = "SELECT * FROM t WHERE name = '%s'" % name
    cur.execute(query)  # expect: EL-PY-SQL
    command = "echo"
    for item in items:
        os.system(command)  # expect: EL-PY-OS-SYSTEM
        command = command + " " + item
    os.system("ls " + shlex.quote(name))  # expect: EL-PY-OS-SYSTEM
    subprocess.run("git log " + COMMAND, shell=True)  # expect: EL-PY-SUBPROCESS-SHELL


def later():
    global COMMAND
    COMMAND = input()


# Elements of collections (issue 12): a loop over constants gives constants, unless the list changes.
def loops(request):
    for tool in ("make", "ninja"):
        os.system(tool + " --version")  # expect: EL-PY-OS-SYSTEM
    for table in ["users", "groups"]:
        cursor.execute("SELECT * FROM " + table)
    tables = ["users", "groups"]
    tables.append(request.args["t"])
    for table in tables:
        cursor.execute("SELECT * FROM " + table)  # expect: EL-PY-SQL
    names = ["a"]
    names[0] = request.args["n"]
    cursor.execute("SELECT " + ", ".join(names))  # expect: EL-PY-SQL
    for word in request.args["words"]:
        cursor.execute("SELECT * FROM t WHERE w = '" + word + "'")  # expect: EL-PY-SQL


# Parameters of private functions the file only calls (issue 12): what every call passes.
class TypesTest:
    def _check(self, tp, size=5):
        cursor.execute("create table t(NAME %s(%d))" % (tp, size))

    def test_char(self):
        self._check("CHAR")
        self._check(tp="VARCHAR", size=10)

    def _from_caller(self, name):
        cursor.execute("SELECT * FROM " + name)  # expect: EL-PY-SQL

    def test_data(self, request):
        self._from_caller("users")
        self._from_caller(request.args["table"])

    def _stored(self, name):
        cursor.execute("SELECT * FROM " + name)  # expect: EL-PY-SQL

    def test_stored(self):
        self._stored("users")
        handler = self._stored

    def public(self, name):
        cursor.execute("SELECT * FROM " + name)  # expect: EL-PY-SQL

    def test_public(self):
        self.public("users")

    def _spread(self, name):
        cursor.execute("SELECT * FROM " + name)  # expect: EL-PY-SQL

    def test_spread(self, names):
        self._spread(*names)


def _run(tool, flags=""):
    os.system(tool + " --version " + flags)  # expect: EL-PY-OS-SYSTEM


_run("make")
_run("ninja", flags="-v")


# Review cases: parameters after *args or /, names spelled in strings, receivers the file cannot name.
def _after_star(a, *rest, cmd="true"):
    os.system(cmd)  # expect: EL-PY-OS-SYSTEM


def _after_slash(a, /, cmd, b):
    os.system(cmd)  # expect: EL-PY-OS-SYSTEM


_after_star(1, 2, "ls", cmd=request.args["c"])
_after_slash(1, request.args["c"], "ls")


class Base:
    def _exec(self, cmd):
        os.system(cmd)  # expect: EL-PY-OS-SYSTEM

    def run(self):
        self._exec("ls")
        getattr(self, "_exec")(request.args["c"])


def remote(clients, request):
    clients[0].exec_command(request.args["c"])  # expect: EL-PY-PARAMIKO-EXEC
