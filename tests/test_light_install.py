"""The light install (`pip install entropy-lint`, no model stack): what works, and the one line
that says what to do when a command needs a local model.

Each run hides the model stack from the child process (``sys.modules[name] = None`` is how
Python spells "not installed" to ``import`` and ``importlib.util.find_spec``), so these tests
mean the same in the full install and in a real light one (where nothing is hidden)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

STACK = ("torch", "transformers", "safetensors", "gguf", "accelerate")
LIGHT = f"""
import sys
for name in {STACK!r}:
    sys.modules[name] = None
from entropy_lint.front.cli import main
code = main(sys.argv[1:])
heavy = sorted(m for m in sys.modules if sys.modules[m] is not None and m.split('.')[0] in {STACK!r})
print('HEAVY:' + ','.join(heavy), file=sys.stderr)
sys.exit(code)
"""
RISKY = "import os\n\ndef run(cmd):\n    os.system(cmd)\n"


def light(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "ENTROPY_LINT_SERVER"}
    return subprocess.run([sys.executable, "-c", LIGHT, *args], cwd=cwd, capture_output=True, text=True,
                          env={**base, **(env or {})}, timeout=300)


def lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not line.startswith("HEAVY:")]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "run.py").write_text(RISKY)
    return tmp_path


@pytest.mark.parametrize("args,extra,instead", [
    (["check", "run.py"], "model", "or pass --no-model (findings without scores) or --server URL (scores from an "
                                   "entropy-lint server)"),
    (["report", "run.py", "-o", "r.html"], "model", "or pass --no-model (findings without scores) or --server URL "
                                                    "(scores from an entropy-lint server)"),
    (["score", "run.py"], "model", "or pass --server URL (scores from an entropy-lint server)"),
    (["analyze", "-p", "write hello world"], "model", ""),
    (["serve"], "server", ""),
    (["research"], "research", ""),
])
def test_commands_that_need_a_local_model_say_what_to_install_in_one_line(project: Path, args: list[str], extra: str,
                                                                          instead: str) -> None:
    proc = light(*args, cwd=project)
    assert proc.returncode == 2
    (line,) = lines(proc.stderr)
    assert line.startswith("entropy-lint: error: a local model needs torch, transformers, safetensors, gguf, which are "
                           f"not installed: pip install 'entropy-lint[{extra}]'")
    assert line.endswith(f"[{extra}]'" + (f", {instead}" if instead else ""))
    assert proc.stdout == "" and not (project / "r.html").exists()


def test_rules_every_format_and_the_html_page_work_without_the_model_stack(project: Path) -> None:
    text = light("check", "run.py", "--no-model", cwd=project)
    assert text.returncode == 1 and text.stdout == (
        "run.py:4:5: error: system: command run through a shell; fix (review): `subprocess.call(shlex.split(cmd))` "
        "[EL-PY-OS-SYSTEM]\n")
    assert "HEAVY:\n" in text.stderr
    for fmt in ("json", "sarif"):
        proc = light("check", "run.py", "--no-model", "--format", fmt, cwd=project)
        assert proc.returncode == 1 and json.loads(proc.stdout) and "HEAVY:\n" in proc.stderr
    page = light("report", ".", "--no-model", "-o", "r.html", cwd=project)
    assert page.returncode == 1 and "HEAVY:\n" in page.stderr, page.stderr
    assert '<mark class="hit error">os.system(cmd)</mark>' in (project / "r.html").read_text()


def test_the_server_comes_from_the_environment_and_no_local_model_falls_back_to_rules(project: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        nobody = f"http://127.0.0.1:{s.getsockname()[1]}"
    via_env = light("check", "run.py", "--no-cache", cwd=project, env={"ENTROPY_LINT_SERVER": nobody})
    assert via_env.returncode == 2 and f"server {nobody} cannot be reached" in via_env.stderr
    assert "HEAVY:\n" in via_env.stderr  # scoring on a server imports no model stack here
    rules_only = light("check", "run.py", "--no-local-model", cwd=project)
    assert rules_only.returncode == 1 and "[EL-PY-OS-SYSTEM]" in rules_only.stdout and "model:" not in rules_only.stdout
    served = light("check", "run.py", "--no-local-model", "--no-cache", cwd=project, env={"ENTROPY_LINT_SERVER": nobody})
    assert served.returncode == 2 and "cannot be reached" in served.stderr
