"""Each command lists only the options that do something there, and says what it does."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from entropy_lint.front.cli import cli


def options(*command: str) -> set[str]:
    """The long options a command's --help lists."""
    result = CliRunner().invoke(cli, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    return set(re.findall(r"^\s+(?:-\w, )?(--[\w-]+)", result.output, re.M))


def help_text(*command: str) -> str:
    return CliRunner().invoke(cli, [*command, "--help"], terminal_width=200).output


def test_report_always_writes_html_so_it_has_no_format_option() -> None:
    text = help_text("report")
    assert "[default: text]" not in text and "--format" not in options("report")
    assert {"--full", "--output", "--model", "--no-model", "--server"} <= options("report")
    assert "--no-cache" not in options("report")  # the page's token scores are never cached


def test_config_lists_only_the_settings_it_prints() -> None:
    listed = options("config")
    assert {"--config", "--isolated", "--json", "--model", "--fail-on", "--select", "--ignore", "--exclude"} <= listed
    assert not listed & {"--format", "--output", "--stdin", "--stdin-filename", "--language", "--baseline", "--diff",
                         "--root", "--server", "--full", "--quiet", "--no-model", "--cache-dir", "--follow-symlinks"}
    assert "PATHS" not in help_text("config")


def test_baseline_create_lists_only_detection_options() -> None:
    listed = options("baseline", "create")
    assert {"--output", "--root", "--select", "--ignore", "--exclude", "--config"} <= listed
    assert not listed & {"--format", "--model", "--device", "--no-model", "--server", "--full", "--max-prob",
                         "--min-entropy", "--fail-on", "--sarif-category", "--baseline", "--diff", "--stdin"}


def test_check_still_has_every_option_and_names_the_server_variable() -> None:
    listed = options("check")
    assert {"--format", "--output", "--no-model", "--server", "--no-local-model", "--full", "--baseline", "--diff",
            "--sarif-category", "--no-cache", "--stdin", "--max-prob"} <= listed
    assert "ENTROPY_LINT_SERVER" in help_text("check")


def test_a_baseline_of_one_finding_says_one_finding(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("eval(x)\n")
    proc = subprocess.run([sys.executable, "-m", "entropy_lint", "baseline", "create", "a.py", "-o", "b.json"],
                          cwd=tmp_path, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr == "entropy-lint: recorded 1 finding in b.json\n"
    (tmp_path / "a.py").write_text("eval(x)\neval(y)\n")
    again = subprocess.run([sys.executable, "-m", "entropy_lint", "baseline", "create", "a.py", "-o", "b.json"],
                           cwd=tmp_path, capture_output=True, text=True)
    assert again.stderr == "entropy-lint: recorded 2 findings in b.json\n"
