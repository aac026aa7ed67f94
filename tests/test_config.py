"""Project configuration: discovery, precedence, origins, and one clear error per bad key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from entropy_lint.run.config import Config, load_config, run_settings, validate, with_flags
from entropy_lint.errors import ConfigError


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "entropy_lint", *args], cwd=cwd, capture_output=True, text=True,
                          env=os.environ.copy(), timeout=120)


def test_pyproject_table_is_found_walking_up(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.entropy-lint]\nfail-on = "error"\nmodel = "smollm2-135m"\n'
                                             '[tool.entropy-lint.levels]\nEL-PY-RANDOM = "warning"\n')
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    config = load_config(deep)
    assert config.fail_on == "error" and config.model == "smollm2-135m"
    assert config.levels == (("EL-PY-RANDOM", "warning"),)
    assert config.origin("fail_on").endswith("pyproject.toml") and config.origin("min_level") == "default"


def test_dot_file_wins_over_pyproject_in_the_same_folder_and_plain_pyproject_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.entropy-lint]\nfail-on = "error"\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (sub / ".entropy-lint.toml").write_text('fail-on = "note"\n')
    assert load_config(sub).fail_on == "note"
    (sub / ".entropy-lint.toml").unlink()
    assert load_config(sub).fail_on == "error"


def test_flags_override_the_file() -> None:
    config = with_flags(Config(fail_on="error", origins={"fail_on": "x.toml"}), {"fail_on": "note"})
    assert config.fail_on == "note" and config.origin("fail_on") == "command line"


@pytest.mark.parametrize("body,words", [
    ('fail_on = "error"\n', "unknown key 'fail_on'"),
    ('colour = "red"\n', "unknown key 'colour'"),
    ('fail-on = "loud"\n', "bad value for 'fail-on'"),
    ('max-prob = 2.0\n', "bad value for 'max-prob'"),
    ('context = "big"\n', "bad value for 'context'"),
    ('exclude = [1, 2]\n', "bad value for 'exclude'"),
    ('trust-remote-code = true\n', "not allowed"),
    ('cache-dir = ".cache"\n', "'cache-dir' .* is not allowed: pass --cache-dir"),
    ('fail-on = \n', "not valid TOML"),
])
def test_bad_keys_and_values_name_the_key_and_the_file(tmp_path: Path, body: str, words: str) -> None:
    (tmp_path / ".entropy-lint.toml").write_text(body)
    with pytest.raises(ConfigError, match=words) as info:
        load_config(tmp_path)
    assert ".entropy-lint.toml" in str(info.value)
    (tmp_path / "a.py").write_text("x = 1\n")
    proc = cli("check", "a.py", "--no-model", cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1 and ".entropy-lint.toml" in proc.stderr


def test_config_command_prints_values_and_origins(tmp_path: Path) -> None:
    (tmp_path / ".entropy-lint.toml").write_text('min-level = "warning"\nexclude = ["vendor/"]\n')
    proc = cli("config", "--fail-on", "error", "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    settings = json.loads(proc.stdout)["settings"]
    assert settings["min-level"] == {"value": "warning", "from": str(tmp_path / ".entropy-lint.toml")}
    assert settings["fail-on"] == {"value": "error", "from": "command line"}
    assert settings["model"]["from"] == "default"
    text = cli("config", cwd=tmp_path).stdout
    assert 'min-level' in text and "# default" in text


def test_config_drives_check_and_excludes_are_relative_to_the_file(tmp_path: Path) -> None:
    (tmp_path / ".entropy-lint.toml").write_text('exclude = ["vendor/"]\nignore = ["EL-PY-PICKLE"]\nfail-on = "none"\n')
    for rel in ("src/a.py", "vendor/b.py"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("import os, pickle\nos.system(c)\npickle.loads(b)\n")
    proc = cli("check", ".", "--no-model", cwd=tmp_path / "src")
    assert proc.returncode == 0
    proc = cli("check", str(tmp_path), "--no-model", cwd=tmp_path / "src")
    files = {line.split(":")[0] for line in proc.stdout.splitlines()}
    assert files == {str(tmp_path / "src" / "a.py")}
    assert all("EL-PY-PICKLE" not in line for line in proc.stdout.splitlines())
    assert cli("check", str(tmp_path), "--no-model", "--isolated", cwd=tmp_path).returncode == 1


@pytest.mark.parametrize("flags,words", [
    ({"context": 4096}, "'context' (command line) = 4096 must be below 'window' (default) = 4096"),
    ({"use_model": False, "max_prob": 0.1}, "'max-prob' (command line) needs the model"),
    ({"select": ("EL-NOPE",)}, "unknown rule id EL-NOPE in 'select' (command line)"),
])
def test_settings_that_cannot_go_together_name_the_key_and_its_origin(flags: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigError) as info:
        validate(with_flags(Config(), flags))
    assert words in str(info.value)


def test_a_rule_id_from_the_file_is_named_with_the_file(tmp_path: Path) -> None:
    (tmp_path / ".entropy-lint.toml").write_text('[levels]\nEL-NOPE = "note"\n')
    with pytest.raises(ConfigError, match=r"unknown rule id EL-NOPE in 'levels' \(.*\.entropy-lint\.toml\)"):
        validate(load_config(tmp_path))
    proc = cli("check", "--no-model", "x.py", cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "EL-NOPE" in proc.stderr
    (tmp_path / ".entropy-lint.toml").write_text('window = 512\n')
    with pytest.raises(ConfigError, match=r"'context' \(default\) = 1024 must be below 'window' \(.*\.toml\) = 512"):
        validate(load_config(tmp_path))


def test_derived_settings_follow_the_config() -> None:
    scoring, lint = run_settings(Config(window=512, context=128, top_k=3, select=("EL-PY-EVAL",), use_model=False))
    assert (scoring.window, scoring.context, scoring.top_k) == (512, 128, 3)
    assert lint.select == frozenset({"EL-PY-EVAL"}) and not lint.use_model
