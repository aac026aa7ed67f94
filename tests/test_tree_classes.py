"""Classes defined in one file of a run and judged in another: a YAML loader built on SafeLoader
in ``loaders.py`` makes ``yaml.load(..., Loader=ThatLoader)`` in ``use.py`` safe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from entropy_lint.detect.class_index import class_index

LOADERS = '''import abc
import yaml
from yaml.constructor import SafeConstructor


class _Base(SafeConstructor, metaclass=abc.ABCMeta):
    pass


class ProjectConstructor(_Base):
    pass


class ProjectLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,
                    yaml.composer.Composer, ProjectConstructor, yaml.resolver.Resolver):
    pass


class ObjectLoader(yaml.FullLoader):
    pass
'''

USE = '''import yaml
from loaders import ObjectLoader, ProjectLoader
import loaders as L


class Local(ProjectLoader):
    pass


def read(stream):
    a = yaml.load(stream, Loader=ProjectLoader)
    b = yaml.load(stream, Loader=L.ProjectLoader)
    c = yaml.load(stream, Loader=Local)
    d = yaml.load(stream, Loader=ObjectLoader)
    e = yaml.load(stream, Loader=Unknown)
    return a, b, c, d, e
'''


def yaml_lines(tmp_path: Path, *args: str) -> list[tuple[int, str]]:
    proc = subprocess.run([sys.executable, "-m", "entropy_lint", "check", ".", "--no-model", "--format", "json", *args],
                          cwd=tmp_path, capture_output=True, text=True, env=os.environ.copy(), timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    findings = json.loads(proc.stdout)["findings"]
    return sorted((f["line"], f["level"]) for f in findings if f["rule_id"] == "EL-PY-YAML-LOAD" and f["path"].endswith("use.py"))


def test_a_loader_class_from_another_file_is_judged_by_its_ancestry(tmp_path: Path) -> None:
    (tmp_path / "loaders.py").write_text(LOADERS)
    (tmp_path / "use.py").write_text(USE)
    # safe: ProjectLoader (twice, one through a module alias) and a local subclass of it;
    # reported: a FullLoader subclass and a loader the tree does not define
    assert yaml_lines(tmp_path, "--no-cache") == [(14, "error"), (15, "error")]


def test_use_alone_does_not_know_the_loader_and_reports_it(tmp_path: Path) -> None:
    (tmp_path / "loaders.py").write_text(LOADERS)
    (tmp_path / "use.py").write_text(USE)
    assert len(yaml_lines(tmp_path, "--no-cache", "--exclude", "loaders.py")) == 5


def test_changing_the_other_file_is_seen_through_the_cache(tmp_path: Path) -> None:
    (tmp_path / "loaders.py").write_text(LOADERS)
    (tmp_path / "use.py").write_text(USE)
    cache = ["--cache-dir", str(tmp_path / ".cache")]
    assert len(yaml_lines(tmp_path, *cache)) == 2
    (tmp_path / "loaders.py").write_text(LOADERS.replace("class _Base(SafeConstructor", "class _Base(yaml.UnsafeConstructor"))
    assert len(yaml_lines(tmp_path, *cache)) == 5


def test_the_index_keeps_only_classes_that_reach_a_watched_library_class() -> None:
    index = class_index([LOADERS, "class Plain(object):\n    pass\nclass Client(paramiko.SSHClient): pass\n"])
    assert set(index) == {"_Base", "ProjectConstructor", "ProjectLoader", "ObjectLoader", "Client"}
    assert "SafeConstructor" in index["ProjectLoader"]
    # one name, two different ancestries: not trusted either way
    assert "Twice" not in class_index(["class Twice(yaml.SafeLoader): pass\n", "class Twice(yaml.Loader): pass\n"])
