"""Manifest and lockfile parsing for dependency-aware rules: what each file says, and nothing but an
empty answer for whatever else a repository may hold under those names."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entropy_lint.detect.manifests import MANIFEST_NAMES, is_manifest, merge_manifests, parse_manifest
from entropy_lint.rules.refine import major_at_least


def test_package_json_lists_every_dependency_section() -> None:
    text = json.dumps({"dependencies": {"js-yaml": "^4.1.0"}, "devDependencies": {"jest": "29.0.0"},
                       "peerDependencies": {"react": ">=17"}, "name": "app"})
    assert parse_manifest("package.json", text) == {"npm:js-yaml": "^4.1.0", "npm:jest": "29.0.0",
                                                     "npm:react": ">=17"}


def test_package_lock_prefers_the_top_level_copy_and_else_the_lowest_nested_one() -> None:
    text = json.dumps({"lockfileVersion": 3, "packages": {
        "": {"name": "app"},
        "node_modules/js-yaml": {"version": "4.1.0"},
        "node_modules/old/node_modules/js-yaml": {"version": "3.14.1"},
        "node_modules/a/node_modules/argparse": {"version": "2.0.1"},
        "node_modules/b/node_modules/argparse": {"version": "1.0.10"},
    }})
    assert parse_manifest("package-lock.json", text) == {"npm:js-yaml": "4.1.0", "npm:argparse": "1.0.10"}


def test_package_lock_version_1() -> None:
    text = json.dumps({"lockfileVersion": 1, "dependencies": {"js-yaml": {"version": "3.13.1"}}})
    assert parse_manifest("package-lock.json", text) == {"npm:js-yaml": "3.13.1"}


def test_yarn_lock() -> None:
    text = ('# yarn lockfile v1\n\n"js-yaml@^3.13.1", js-yaml@^3.14.0:\n  version "3.14.1"\n  resolved "x"\n\n'
            '"@babel/core@^7.0.0":\n  version "7.22.0"\n\njs-yaml@^4.1.0:\n  version "4.1.0"\n')
    assert parse_manifest("yarn.lock", text) == {"npm:js-yaml": "3.14.1", "npm:@babel/core": "7.22.0"}


def test_requirements_files_normalise_names_and_skip_options() -> None:
    text = ("# pinned\nPyYAML==5.4.1  # comment\nrequests[socks] >= 2.31 ; python_version > '3.8'\n-r base.txt\n"
            "-e git+https://example.org/x.git#egg=x\nDjango\nsome_pkg.name~=1.2\n")
    assert parse_manifest("requirements-dev.txt", text) == {
        "pypi:pyyaml": "==5.4.1", "pypi:requests": ">= 2.31", "pypi:django": "*", "pypi:some-pkg-name": "~=1.2"}


def test_pyproject_reads_pep_621_and_poetry() -> None:
    text = ('[project]\ndependencies = ["PyYAML>=6.0", "click"]\n[project.optional-dependencies]\n'
            'test = ["pytest>=8"]\n[tool.poetry.dependencies]\npython = "^3.11"\nruamel-yaml = "^0.18"\n'
            '[tool.poetry.group.dev.dependencies]\nmypy = {version = "^1.10", optional = true}\n')
    assert parse_manifest("pyproject.toml", text) == {"pypi:pyyaml": ">=6.0", "pypi:click": "*",
                                                       "pypi:pytest": ">=8", "pypi:ruamel-yaml": "^0.18",
                                                       "pypi:mypy": "^1.10"}


def test_pipfile_and_its_lock_and_poetry_lock() -> None:
    assert parse_manifest("Pipfile", '[packages]\npyyaml = "*"\n[dev-packages]\npytest = ">=8"\n') == {
        "pypi:pyyaml": "*", "pypi:pytest": ">=8"}
    lock = json.dumps({"default": {"pyyaml": {"version": "==6.0.1"}}, "develop": {"pytest": {"version": "==8.0"}}})
    assert parse_manifest("Pipfile.lock", lock) == {"pypi:pyyaml": "==6.0.1", "pypi:pytest": "==8.0"}
    poetry = '[[package]]\nname = "PyYAML"\nversion = "6.0.1"\n\n[[package]]\nname = "click"\nversion = "8.1.7"\n'
    assert parse_manifest("poetry.lock", poetry) == {"pypi:pyyaml": "6.0.1", "pypi:click": "8.1.7"}


def test_gemfile_lock_reads_locked_gems_and_the_ruby_version() -> None:
    text = ("GEM\n  remote: https://rubygems.org/\n  specs:\n    psych (5.1.2)\n      stringio\n"
            "    nokogiri (1.16.0-x86_64-linux)\n\nPLATFORMS\n  x86_64-linux\n\n"
            "DEPENDENCIES\n  psych (~> 5.0)\n\nRUBY VERSION\n   ruby 3.2.2p53\n")
    assert parse_manifest("Gemfile.lock", text) == {"gem:psych": "5.1.2", "gem:nokogiri": "1.16.0-x86_64-linux",
                                                     "runtime:ruby": "3.2.2"}


def test_gemfile() -> None:
    assert parse_manifest("Gemfile", "source 'https://rubygems.org'\ngem 'psych', '~> 4.0'\ngem \"rails\"\n") == {
        "gem:psych": "~> 4.0", "gem:rails": "*"}


def test_lockfiles_win_over_manifests() -> None:
    found = [("package.json", json.dumps({"dependencies": {"js-yaml": "*"}})),
             ("package-lock.json", json.dumps({"packages": {"node_modules/js-yaml": {"version": "4.1.0"}}}))]
    assert merge_manifests(found) == merge_manifests(reversed(found)) == {"npm:js-yaml": "4.1.0"}


def test_which_files_are_manifests() -> None:
    assert all(is_manifest(name) for name in MANIFEST_NAMES)
    assert is_manifest("requirements-test.txt") and is_manifest("requirements.in")
    assert not is_manifest("setup.py") and not is_manifest("package.json.bak")


@pytest.mark.parametrize("text", ["", "null", "[]", '"x"', "{", '{"dependencies": [1, 2]}',
                                  '{"dependencies": {"a": 1, "b": null, "c": {"x": 1}}}',
                                  '{"packages": {"node_modules/a": "1.0"}, "dependencies": 7}',
                                  "[" * 100_000 + "]" * 100_000, "\x00\xff\ufeff", "a = [" * 5_000])
@pytest.mark.parametrize("name", MANIFEST_NAMES)
def test_garbage_gives_an_empty_or_partial_answer_never_an_exception(name: str, text: str) -> None:
    found = parse_manifest(name, text)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in found.items())


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
                    max_leaves=30)


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(MANIFEST_NAMES), text=st.text(max_size=400) | JSON.map(json.dumps))
def test_any_text_under_any_manifest_name(name: str, text: str) -> None:
    found = parse_manifest(name, text)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in found.items())


@pytest.mark.parametrize(("spec", "four", "six"), [
    ("4.1.0", True, False), ("^4.1.0", True, False), ("~3.14.0", False, False), (">=3.0.0", None, None),
    ("3.x", False, False), ("*", None, None), ("latest", None, None), (">=3 <5", None, False),
    ("^3.0.0 || ^4.0.0", None, False), ("==6.0.1", True, True), ("~=6.0", True, True), (">=5.1,<7", True, None),
    ("~> 4.0", True, False), ("~> 3.0.1", False, False), ("<4.0.0", False, False), ("!=3.0", None, None),
    ("git+https://example.org/x.git", None, None), ("4.1.0-rc.1", True, False), (None, None, None),
])
def test_major_version_bounds_of_a_spec(spec: str | None, four: bool | None, six: bool | None) -> None:
    assert (major_at_least(spec, 4), major_at_least(spec, 6)) == (four, six)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_any_spec_is_read_or_left_unknown(spec: str) -> None:
    assert major_at_least(spec, 4) in (True, False, None)
