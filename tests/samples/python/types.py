"""Classes and process APIs (issue 12): YAML loaders built on safe ones, paramiko clients known by
their class, shell= only on process APIs and only as a flag, pickle round trips."""
import pickle
import random
import subprocess

import paramiko
import requests
import yaml
from paramiko import SSHClient
from yaml import SafeLoader
from PyInstaller import compat


class StrictLoader(yaml.SafeLoader):
    pass


class TaggedLoader(StrictLoader):
    pass


class CustomLoader(yaml.Loader):
    pass


class Mixed(yaml.SafeLoader, yaml.constructor.UnsafeConstructor):
    pass


class Remote:
    def __init__(self):
        self.ssh = paramiko.SSHClient()

    def run(self, cmd):
        return self.ssh.exec_command(cmd)  # expect: EL-PY-PARAMIKO-EXEC


class Wrapper(SSHClient):
    def exec_command(self, command, **kwargs):
        return super().exec_command(command, **kwargs)  # expect: EL-PY-PARAMIKO-EXEC


class LookAlike:
    def exec_command(self, command):
        return self.inner.exec_command(command)  # expect: EL-PY-PARAMIKO-EXEC


class BuildTask(object):  # a build tool's own exec_command: the file shows it is not paramiko's
    def exec_command(self, command, **kwargs):
        return super(BuildTask, self).exec_command(command, **kwargs)

    def run(self, command):
        self.exec_command(command)
        compat.exec_command(command)


def load(stream, client: SSHClient, name, shell):
    yaml.load(stream, Loader=StrictLoader)
    yaml.load(stream, Loader=TaggedLoader)
    yaml.load(stream, SafeLoader)
    yaml.load(stream, Loader=CustomLoader)  # expect: EL-PY-YAML-LOAD
    yaml.load(stream, Loader=Mixed)  # expect: EL-PY-YAML-LOAD
    yaml.unsafe_load(stream)  # expect: EL-PY-YAML-LOAD
    client.exec_command("ls " + name)  # expect: EL-PY-PARAMIKO-EXEC
    client.exec_command("uptime")
    copy = pickle.loads(pickle.dumps(stream))
    blob = pickle.dumps(stream)
    again = pickle.loads(blob)  # the file's own serialization, through a name
    maybe = pickle.dumps(stream) if stream else request_body
    pickle.loads(maybe)  # expect: EL-PY-PICKLE
    data = pickle.loads(stream)  # expect: EL-PY-PICKLE
    rng = random.Random(42)
    nonce = random.Random(seed).getrandbits(64)  # expect: EL-PY-RANDOM
    secure = random.SystemRandom()
    settings = dict(shell="/bin/zsh", term="xterm")
    terminal = Terminal(shell="/bin/zsh")
    pty_run(name, shell="/bin/zsh")
    run_command(name, shell=True)  # expect: EL-PY-SHELL-TRUE
    options = {"stdout": subprocess.PIPE}
    options["shell"] = shell
    subprocess.Popen(name, **options)  # expect: EL-PY-SUBPROCESS-SHELL
    fixed = {"shell": False}
    subprocess.Popen(name, **fixed)
    subprocess.run(name, shell="/bin/bash")  # expect: EL-PY-SUBPROCESS-SHELL
    session = requests.Session()
    session.get(name, verify=False)  # expect: EL-PY-REQUESTS-NO-VERIFY
    session.get(name)
