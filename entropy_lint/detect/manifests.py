"""What a project's manifests and lockfiles say about its dependencies, for rules whose risk depends
on a library's version (js-yaml 4 made ``load`` safe; PyYAML 6 requires a ``Loader``; Psych 4 made
``YAML.load`` a ``safe_load``).

``parse_manifest(name, text)`` maps ecosystem-qualified package names (``npm:js-yaml``,
``pypi:pyyaml``, ``gem:psych``) to the version or range the file writes. It is a pure function of the
file's name and text, and the text is untrusted: anything it cannot read gives an empty mapping or
fewer entries, never an exception. ``merge_manifests`` combines the files found beside a source, a
lockfile's exact versions winning over a manifest's ranges.

Python package names are normalised as PEP 503 says (``PyYAML`` is ``pypi:pyyaml``). A lockfile that
holds several versions of one package (nested ``node_modules``, several yarn ranges) reports the
lowest, since the code being linted may load any of them.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable

MANIFEST_NAMES: tuple[str, ...] = (
    "package.json", "package-lock.json", "npm-shrinkwrap.json", "yarn.lock",
    "requirements.txt", "pyproject.toml", "Pipfile", "Pipfile.lock", "poetry.lock",
    "Gemfile", "Gemfile.lock",
)
# The extractor families whose rules read dependencies (the run layer reads manifests only for these).
DEPENDENT_FAMILIES = frozenset({"python", "javascript", "ruby"})
LOCKFILES = frozenset({"package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "Pipfile.lock", "poetry.lock",
                       "Gemfile.lock"})
_REQUIREMENTS = re.compile(r"requirements[\w.-]*\.(?:txt|in)")
_PEP503 = re.compile(r"[-_.]+")
_REQUIREMENT = re.compile(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(\(?[<>=!~^*0-9][^;#]*)?")
_VERSION = re.compile(r"\d+(?:\.\d+)*")
_GEM_SPEC = re.compile(r"^    ([A-Za-z0-9][\w.-]*) \(([^)\s]+)[^)]*\)\s*$")
_GEM_LINE = re.compile(r"""^\s*gem\s*\(?\s*['"]([\w.-]+)['"]\s*(?:,\s*['"]([^'"]+)['"])?""")
_RUBY_VERSION = re.compile(r"^\s+ruby (\d+(?:\.\d+)*)")
_YARN_HEAD = re.compile(r'^"?(@?[^@\s"]+)@')


def is_manifest(name: str) -> bool:
    """Whether a file of this name is one ``parse_manifest`` reads."""
    return name in MANIFEST_NAMES or _REQUIREMENTS.fullmatch(name) is not None


def parse_manifest(name: str, text: str) -> dict[str, str]:
    """The dependencies ``text`` (the content of a file called ``name``) declares or locks."""
    reader = _READERS.get(name) or (_requirements if _REQUIREMENTS.fullmatch(name) else None)
    if reader is None:
        return {}
    try:
        return reader(text)
    except (ValueError, RecursionError, tomllib.TOMLDecodeError):  # malformed or absurdly nested: unreadable
        return {}


def merge_manifests(found: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The dependencies of ``(file name, text)`` pairs read together: lockfiles win over manifests."""
    merged: dict[str, str] = {}
    locked: dict[str, str] = {}
    for name, text in found:
        (locked if name in LOCKFILES else merged).update(parse_manifest(name, text))
    merged.update(locked)
    return merged


def _pypi(name: str) -> str:
    return "pypi:" + _PEP503.sub("-", name).lower()


def _strings(table: object) -> Iterable[tuple[str, object]]:
    """The (str key, value) items of a JSON or TOML table; nothing for any other shape."""
    return ((k, v) for k, v in table.items() if isinstance(k, str)) if isinstance(table, dict) else ()


def _lowest(found: dict[str, str], key: str, version: str) -> None:
    """Keep the lowest of several locked versions of one package."""
    old = found.get(key)
    if old is None or _version_key(version) < _version_key(old):
        found[key] = version


def _version_key(version: str) -> tuple[int, ...]:
    match = _VERSION.search(version)
    return tuple(int(part[:9]) for part in match.group(0).split(".")) if match else ()


# --- npm -----------------------------------------------------------------------------------------
def _package_json(text: str) -> dict[str, str]:
    data = json.loads(text)
    found: dict[str, str] = {}
    for section in ("peerDependencies", "optionalDependencies", "devDependencies", "dependencies"):
        for name, spec in _strings(data.get(section) if isinstance(data, dict) else None):
            if isinstance(spec, str):
                found["npm:" + name] = spec
    return found


def _package_lock(text: str) -> dict[str, str]:
    data = json.loads(text)
    if not isinstance(data, dict):
        return {}
    found: dict[str, str] = {}
    nested: dict[str, str] = {}
    for path, entry in _strings(data.get("packages")):  # lockfile v2 and v3
        version = entry.get("version") if isinstance(entry, dict) else None
        name = path.rsplit("node_modules/", 1)[-1] if "node_modules/" in path else ""
        if isinstance(version, str) and name:
            if path == "node_modules/" + name:
                found["npm:" + name] = version  # the copy the project's own require() finds
            else:
                _lowest(nested, "npm:" + name, version)
    for name, entry in _strings(data.get("dependencies")):  # lockfile v1: the top level
        version = entry.get("version") if isinstance(entry, dict) else None
        if isinstance(version, str):
            found.setdefault("npm:" + name, version)
    return {**nested, **found}


def _yarn_lock(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    package = None
    for line in text.splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            head = _YARN_HEAD.match(line)
            package = head.group(1) if head else None
        elif package is not None and line.strip().startswith("version"):
            version = line.strip()[len("version"):].strip().strip(':"\' ')
            if version:
                _lowest(found, "npm:" + package, version)
    return found


# --- PyPI ----------------------------------------------------------------------------------------
def _requirement(line: str) -> tuple[str, str] | None:
    line = line.split(" #", 1)[0].strip()
    if not line or line.startswith(("#", "-", "git+", "http:", "https:", "file:")):
        return None  # comments, options (-r, -e, --hash), URLs
    match = _REQUIREMENT.match(line)
    if match is None:
        return None
    return _pypi(match.group(1)), (match.group(2) or "").strip().strip("()").strip() or "*"


def _requirements(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in text.replace("\\\n", " ").splitlines():
        parsed = _requirement(line)
        if parsed is not None:
            found[parsed[0]] = parsed[1]
    return found


def _pyproject(text: str) -> dict[str, str]:
    data = tomllib.loads(text)
    found: dict[str, str] = {}
    project = data.get("project")
    lists = [project.get("dependencies")] if isinstance(project, dict) else []
    lists += [v for _, v in _strings(project.get("optional-dependencies"))] if isinstance(project, dict) else []
    for entries in lists:
        for entry in entries if isinstance(entries, list) else ():
            parsed = _requirement(entry) if isinstance(entry, str) else None
            if parsed is not None:
                found[parsed[0]] = parsed[1]
    tool = data.get("tool")
    poetry = tool.get("poetry") if isinstance(tool, dict) else None
    if isinstance(poetry, dict):
        tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
        tables += [g.get("dependencies") for _, g in _strings(poetry.get("group")) if isinstance(g, dict)]
        for table in tables:
            found.update(_poetry_table(table))
    return found


def _poetry_table(table: object) -> dict[str, str]:
    """``name = "^6.0"`` or ``name = {version = "^6.0", ...}`` (Poetry, Pipfile)."""
    found: dict[str, str] = {}
    for name, spec in _strings(table):
        version = spec.get("version") if isinstance(spec, dict) else spec
        if isinstance(version, str) and name.lower() != "python":
            found[_pypi(name)] = version
    return found


def _pipfile(text: str) -> dict[str, str]:
    data = tomllib.loads(text)
    return {**_poetry_table(data.get("dev-packages")), **_poetry_table(data.get("packages"))}


def _pipfile_lock(text: str) -> dict[str, str]:
    data = json.loads(text)
    found: dict[str, str] = {}
    for section in ("develop", "default"):
        for name, entry in _strings(data.get(section) if isinstance(data, dict) else None):
            version = entry.get("version") if isinstance(entry, dict) else None
            if isinstance(version, str):
                found[_pypi(name)] = version
    return found


def _poetry_lock(text: str) -> dict[str, str]:
    data = tomllib.loads(text)
    found: dict[str, str] = {}
    packages = data.get("package")
    for entry in packages if isinstance(packages, list) else ():
        name, version = (entry.get("name"), entry.get("version")) if isinstance(entry, dict) else (None, None)
        if isinstance(name, str) and isinstance(version, str):
            _lowest(found, _pypi(name), version)
    return found


# --- RubyGems ------------------------------------------------------------------------------------
def _gemfile_lock(text: str) -> dict[str, str]:
    """The ``specs:`` entries (four spaces: the locked gems), and the Ruby version (``runtime:ruby``)."""
    found: dict[str, str] = {}
    section = ""
    for line in text.splitlines():
        if line and not line[0].isspace():
            section = line.strip()
            continue
        spec = _GEM_SPEC.match(line)
        if spec is not None and section in ("GEM", "GIT", "PATH", "PLUGIN SOURCE"):
            _lowest(found, "gem:" + spec.group(1), spec.group(2))
        ruby = _RUBY_VERSION.match(line) if section == "RUBY VERSION" else None
        if ruby is not None:
            found["runtime:ruby"] = ruby.group(1)
    return found


def _gemfile(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for line in text.splitlines():
        gem = _GEM_LINE.match(line)
        if gem is not None:
            found["gem:" + gem.group(1)] = gem.group(2) or "*"
    return found


_READERS = {
    "package.json": _package_json, "package-lock.json": _package_lock, "npm-shrinkwrap.json": _package_lock,
    "yarn.lock": _yarn_lock, "pyproject.toml": _pyproject, "Pipfile": _pipfile, "Pipfile.lock": _pipfile_lock,
    "poetry.lock": _poetry_lock, "Gemfile": _gemfile, "Gemfile.lock": _gemfile_lock,
}

