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
