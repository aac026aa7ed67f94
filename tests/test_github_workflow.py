"""The example code-scanning workflow: the permissions, steps and command GitHub needs."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parents[1] / "examples" / "github" / "entropy-lint.yml"


def steps() -> list[dict]:  # type: ignore[type-arg]
    doc = yaml.safe_load(WORKFLOW.read_text())
    job = doc["jobs"]["scan"]
    assert job["permissions"]["security-events"] == "write"
    return job["steps"]  # type: ignore[no-any-return]


def test_workflow_installs_the_model_extra_caches_the_model_and_uploads_sarif_with_a_category() -> None:
    (install,) = [s for s in steps() if s.get("name", "").startswith("Install")]
    assert "pip install 'entropy-lint[model]'" in install["run"]  # the light install cannot score
    by_use = {s.get("uses", "").split("@")[0]: s for s in steps()}
    assert "~/.cache/huggingface" in by_use["actions/cache"]["with"]["path"]
    upload = by_use["github/codeql-action/upload-sarif"]
    assert upload["with"]["sarif_file"] == "results.sarif" and upload["with"]["category"] == "entropy-lint"


def test_the_workflows_lint_command_runs_and_writes_valid_sarif_from_a_subfolder(tmp_path: Path) -> None:
    (lint_step,) = [s for s in steps() if s.get("name") == "Lint"]
    argv = shlex.split(lint_step["run"])
    assert argv[:2] == ["entropy-lint", "check"] and "--format" in argv and "results.sarif" in argv
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "app.py").write_text("import pickle\npickle.loads(b)\n")
    # the runner has the default model; here the same command runs without one
    proc = subprocess.run([sys.executable, "-m", "entropy_lint", *argv[1:], "--no-model"], cwd=tmp_path / "pkg",
                          capture_output=True, text=True, env=os.environ.copy(), timeout=120)
    assert proc.returncode == 0, proc.stderr
    result = json.loads((tmp_path / "pkg" / "results.sarif").read_text())["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pkg/app.py"
