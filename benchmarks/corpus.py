"""Fetch the pinned real-code corpus for the precision benchmark (issue 12).

    python benchmarks/corpus.py                 # fetch what is missing, print the manifest table
    python benchmarks/corpus.py --list          # the table only, from what is unpacked

Packages come from three registries through their ordinary clients: PyPI sdists (the index's
PEP 691 JSON listing, the file checked against the index's SHA-256), npm tarballs (`npm pack`,
which checks the registry's integrity hash) and Debian bookworm binary packages (`apt-get
download`, signed by the archive), the last only for Go, PHP and Ruby sources, which neither
PyPI nor npm carries in any number. Each package unpacks into its own folder under the corpus
root; a folder that is there is not fetched again.

The corpus lives outside any git work tree (default ``~/.cache/entropy-lint-bench/corpus``,
``--corpus`` or ``ENTROPY_LINT_CORPUS`` to move it): entropy-lint lists files with ``git
ls-files`` inside a work tree, so a corpus under the ignored ``benchmarks/out/`` would be
invisible to it. Outside git it honours ``.gitignore`` files, which the peers do not; so that
every tool sees the same files, unpacking removes ``.gitignore`` files, symlinks, files over
1,000,000 bytes (entropy-lint's default ``--max-file-size``; these are generated amalgamations
and bundles) and minified ``*.min.js``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

MAX_BYTES = 1_000_000

# File extension -> language family; the families are what the report is split by.
FAMILIES: dict[str, str] = {
    ".py": "python",
    ".c": "c/c++", ".h": "c/c++", ".cc": "c/c++", ".cpp": "c/c++", ".cxx": "c/c++", ".hpp": "c/c++", ".hh": "c/c++",
    ".hxx": "c/c++",
    ".js": "js/ts", ".mjs": "js/ts", ".cjs": "js/ts", ".jsx": "js/ts", ".ts": "js/ts", ".tsx": "js/ts",
    ".mts": "js/ts", ".cts": "js/ts",
    ".java": "java", ".go": "go", ".php": "php", ".rb": "ruby",
}
FAMILY_ORDER = ("python", "c/c++", "js/ts", "java", "go", "php", "ruby")


@dataclass(frozen=True)
class Package:
    """One pinned package; ``why`` says what risky API use it brings."""

    registry: str  # pypi | npm | debian
    name: str
    version: str
    why: str
    keep: tuple[str, ...] = ()  # only these folders (relative to the unpacked root), to cap the size

    @property
    def folder(self) -> str:
        return f"{self.registry}/{self.name.replace('/', '+').replace('@', '')}-{self.version}"


PACKAGES: tuple[Package, ...] = (
    # Python: process, shell, pickle, YAML and eval users
    Package("pypi", "ansible-core", "2.19.14", "subprocess/shell, yaml, module exec",
            keep=("ansible_core-2.19.14/lib/",)),
    Package("pypi", "celery", "5.7.0", "pickle serializers, subprocess, eval of config"),
    Package("pypi", "kombu", "5.7.0", "pickle/yaml serializers"),
    Package("pypi", "invoke", "3.0.3", "subprocess/pty shell runner"),
    Package("pypi", "fabric", "3.2.3", "remote shell over paramiko"),
    Package("pypi", "paramiko", "5.1.0", "exec_command, weak hashes for legacy ciphers"),
    Package("pypi", "pexpect", "4.9.0", "pty spawn, os.exec*"),
    Package("pypi", "dill", "0.4.1", "pickle extended"),
    Package("pypi", "joblib", "1.6.0", "pickle persistence, subprocess pools"),
    Package("pypi", "pyyaml", "6.0.4", "yaml.load itself"),
    # C/C++: string handling, exec/system, format strings
    Package("pypi", "uwsgi", "2.0.31", "C server: exec, strcpy, snprintf, getenv"),
    Package("pypi", "psutil", "7.2.2", "C extension: /proc parsing, sprintf"),
    Package("pypi", "uvloop", "0.23.0", "vendors libuv (C): spawn, exec, realpath"),
    Package("pypi", "setproctitle", "1.3.8", "C argv/environ rewriting, strcpy"),
    Package("pypi", "pyinstaller", "6.22.3", "C bootloader: exec, realpath, getenv, tmp dirs; Python: subprocess",
            keep=("pyinstaller-6.22.3/PyInstaller/", "pyinstaller-6.22.3/bootloader/")),
    Package("pypi", "mod-wsgi", "6.1.1", "Apache module (C): environ, exec"),
    Package("pypi", "jpype1", "1.7.1", "C++ JNI bridge, plus its Java side"),
    Package("npm", "node-sass", "9.0.0", "vendors libsass (C++)"),
    Package("npm", "node-pty", "1.0.0", "C++ pty/exec glue, TypeScript sources"),
    Package("npm", "bcrypt", "5.1.1", "C/C++ bcrypt"),
    # JS/TS: child_process, DOM, Function/eval, SQL builders, YAML
    Package("npm", "shelljs", "0.8.5", "child_process exec"),
    Package("npm", "pm2", "5.4.3", "child_process spawn/exec"),
    Package("npm", "jquery", "3.7.1", "DOM html/innerHTML, globalEval"),
    Package("npm", "handlebars", "4.7.8", "template compiler, new Function"),
    Package("npm", "ejs", "3.1.10", "template compiler, new Function"),
    Package("npm", "js-yaml", "3.14.1", "yaml.load before 4.0 (unsafe types)"),
    Package("npm", "knex", "3.1.0", "SQL builder, raw queries"),
    Package("npm", "sequelize", "6.37.5", "ORM, raw queries"),
    Package("npm", "mongoose", "8.9.5", "Mongo queries, $where"),
    Package("npm", "mysql", "2.18.1", "SQL driver"),
    Package("npm", "vue", "2.7.16", "TypeScript sources: template compiler, new Function, innerHTML"),
    Package("npm", "@node-red/runtime", "4.0.8", "flow runtime: require, fs"),
    Package("npm", "@node-red/nodes", "4.0.8", "exec node (child_process), function node (vm)"),
    Package("npm", "@node-red/editor-client", "4.0.8", "browser editor: DOM, jQuery html"),
    # Java (npm React Native modules and jpype1 above carry Java sources)
    Package("npm", "react-native-sqlite-storage", "6.0.1", "Android Java: SQLite queries"),
    Package("npm", "react-native-fs", "2.20.0", "Android Java: files, downloads"),
    Package("npm", "react-native-webview", "13.12.5", "Android Java: WebView settings"),
    Package("npm", "react-native-device-info", "14.0.4", "Android Java: device APIs"),
    # Go (Debian golang-*-dev packages ship the module sources)
    Package("debian", "golang-golang-x-crypto-dev", "1:0.4.0-1", "ssh, md4, weak ciphers"),
    Package("debian", "golang-github-jmoiron-sqlx-dev", "1.3.5-1", "SQL"),
    Package("debian", "golang-github-go-sql-driver-mysql-dev", "1.5.0-2", "SQL driver"),
    Package("debian", "golang-github-hashicorp-go-plugin-dev", "1.0.1-4", "exec.Command, TLS"),
    Package("debian", "golang-github-spf13-cobra-dev", "1.6.1-1", "CLI: exec, files"),
    # PHP (Debian php-* packages and PHP applications)
    Package("debian", "roundcube-core", "1.6.5+dfsg-1+deb12u13", "webmail: SQL, exec, unserialize"),
    Package("debian", "php-symfony-process", "5.4.53+dfsg-0+deb12u1", "proc_open"),
    Package("debian", "php-phpseclib", "2.0.42-1+deb12u5", "crypto, md5/sha1"),
    Package("debian", "php-twig", "3.5.1-1+deb12u3", "template compiler, eval"),
    Package("debian", "php-monolog", "2.9.1-1", "logging: curl, mail, sockets"),
    # Ruby (Debian ruby-* packages)
    Package("debian", "ruby-rack", "2.2.22-0+deb12u2", "web server interface"),
    Package("debian", "ruby-sinatra", "3.0.5-3+deb12u1", "web framework, eval, send"),
    Package("debian", "rake", "13.0.6-3", "sh/system"),
    Package("debian", "ruby-net-ssh", "1:7.0.1-1", "ssh, weak hashes"),
    Package("debian", "ruby-activerecord", "2:6.1.7.10+dfsg-1~deb12u4", "SQL"),
)


def default_root() -> Path:
    env = os.environ.get("ENTROPY_LINT_CORPUS")
    return Path(env) if env else Path.home() / ".cache" / "entropy-lint-bench" / "corpus"


def family(path: str) -> str | None:
    return FAMILIES.get(os.path.splitext(path)[1].lower())


def _pypi(pkg: Package, work: Path) -> Path:
    """The sdist named ``name-version.tar.gz`` (or .zip) in the index's JSON listing, hash-checked."""
    request = urllib.request.Request(f"https://pypi.org/simple/{pkg.name}/",
                                     headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        listing = json.load(response)
    stems = {f"{pkg.name}-{pkg.version}", f"{pkg.name.replace('-', '_')}-{pkg.version}"}
    for entry in listing["files"]:
        name = entry["filename"]
        for ext in (".tar.gz", ".zip"):
            if name.endswith(ext) and name[: -len(ext)].lower() in {s.lower() for s in stems}:
                with urllib.request.urlopen(entry["url"], timeout=300) as response:
                    data = response.read()
                if hashlib.sha256(data).hexdigest() != entry["hashes"]["sha256"]:
                    raise RuntimeError(f"{name}: SHA-256 differs from the index")
                target = work / name
                target.write_bytes(data)
                return target
    raise RuntimeError(f"no sdist for {pkg.name} {pkg.version} on PyPI")


def _npm(pkg: Package, work: Path) -> Path:
    out = subprocess.run(["npm", "pack", "--silent", f"{pkg.name}@{pkg.version}", "--pack-destination", str(work)],
                         capture_output=True, text=True, check=True, timeout=300).stdout.strip().splitlines()
    return work / out[-1]


def _debian(pkg: Package, work: Path) -> Path:
    subprocess.run(["apt-get", "download", f"{pkg.name}={pkg.version}"], cwd=work, capture_output=True,
                   check=True, timeout=300)
    return next(work.glob("*.deb"))


def _unpack(archive: Path, target: Path) -> None:
    target.mkdir(parents=True)
    if archive.suffix == ".deb":
        subprocess.run(["dpkg-deb", "-x", str(archive), str(target)], check=True, timeout=300)
    elif archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as z:
            z.extractall(target)
    else:
        with tarfile.open(archive) as t:
            t.extractall(target, filter="data")


def _prune(target: Path, keep: tuple[str, ...]) -> Counter[str]:
    """Remove what some tools would skip and others not (see the module docstring)."""
    removed: Counter[str] = Counter()
    if keep:
        for path in sorted(target.rglob("*"), reverse=True):
            relative = path.relative_to(target).as_posix() + ("/" if path.is_dir() and not path.is_symlink() else "")
            if not any(relative.startswith(k) or k.startswith(relative) for k in keep):
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
                removed["outside keep"] += 1
    for root, dirs, files in os.walk(target):
        for name in dirs + files:
            path = Path(root, name)
            if path.is_symlink():
                path.unlink()
                removed["symlink"] += 1
        for name in files:
            path = Path(root, name)
            if not path.exists():
                continue
            if name == ".gitignore":
                path.unlink()
                removed[".gitignore"] += 1
            elif name.endswith(".min.js"):
                path.unlink()
                removed["min.js"] += 1
            elif path.stat().st_size > MAX_BYTES and family(name):
                path.unlink()
                removed["over 1 MB"] += 1
    return removed


def fetch(pkg: Package, root: Path) -> None:
    target = root / pkg.folder
    if target.is_dir():
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        archive = {"pypi": _pypi, "npm": _npm, "debian": _debian}[pkg.registry](pkg, work)
        staging = root / (pkg.folder + ".partial")
        shutil.rmtree(staging, ignore_errors=True)
        _unpack(archive, staging)
        removed = _prune(staging, pkg.keep)
        (staging / ".corpus-removed.json").write_text(json.dumps(dict(removed)))
        staging.rename(target)  # only a complete unpack gets the real name
    print(f"fetched {pkg.registry} {pkg.name} {pkg.version}", file=sys.stderr)


def counts(folder: Path) -> Counter[str]:
    found: Counter[str] = Counter()
    for root, _dirs, files in os.walk(folder):
        for name in files:
            fam = family(name)
            if fam:
                found[fam] += 1
    return found


def manifest(root: Path) -> str:
    """The markdown table for docs/precision.md."""
    lines = ["| registry | package | version | " + " | ".join(FAMILY_ORDER) + " | why |",
             "| --- | --- | --- | " + " | ".join("---:" for _ in FAMILY_ORDER) + " | --- |"]
    total: Counter[str] = Counter()
    for pkg in PACKAGES:
        found = counts(root / pkg.folder)
        total.update(found)
        cells = " | ".join(str(found[f]) if found[f] else "" for f in FAMILY_ORDER)
        lines.append(f"| {pkg.registry} | {pkg.name} | {pkg.version} | {cells} | {pkg.why} |")
    lines.append("| | **total** | | " + " | ".join(f"**{total[f]}**" for f in FAMILY_ORDER) + " | |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=default_root())
    parser.add_argument("--list", action="store_true", help="print the table of what is unpacked; fetch nothing")
    args = parser.parse_args()
    root: Path = args.corpus
    root.mkdir(parents=True, exist_ok=True)
    failed = []
    if not args.list:
        for pkg in PACKAGES:
            try:
                fetch(pkg, root)
            except (OSError, RuntimeError, subprocess.SubprocessError, tarfile.TarError, zipfile.BadZipFile) as exc:
                failed.append(pkg)
                print(f"could not fetch {pkg.registry} {pkg.name} {pkg.version}: {exc}", file=sys.stderr)
    print(manifest(root))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
