"""Where commits happen: the real pre-commit framework, and the plain git hook."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GIT_ID = ["-c", "user.name=t", "-c", "user.email=t@example.invalid"]


def git(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *GIT_ID, *args], cwd=cwd, capture_output=True, text=True, check=check)


def snapshot_of_this_checkout(dest: Path) -> str:
    """A throwaway git repository holding this working tree (committed or not), and its commit."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if not (source.is_file() or source.is_symlink()):
            continue
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)
    git("init", "-q", cwd=dest)
    git("add", "-A", cwd=dest)
    git("commit", "-qm", "snapshot", cwd=dest)
    return git("rev-parse", "HEAD", cwd=dest).stdout.strip()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    work = tmp_path / "project"
    work.mkdir()
    git("init", "-q", cwd=work)
    (work / "README.md").write_text("a project\n")
    git("add", ".", cwd=work)
    git("commit", "-qm", "start", cwd=work)
    return work


@pytest.mark.model
def test_pre_commit_framework_blocks_a_risky_commit_and_passes_a_clean_one(tmp_path: Path, project: Path) -> None:
    hook_repo = tmp_path / "entropy-lint-repo"
    hook_repo.mkdir()
    rev = snapshot_of_this_checkout(hook_repo)
    (project / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {hook_repo}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: entropy-lint\n"
        "        args: [--model, smollm2-135m, --min-level, warning]\n"
        # this machine's CPU build of torch; elsewhere leave it out to get the platform default
        "        additional_dependencies: [torch==2.13.0]\n"
    )
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    precommit = [sys.executable, "-m", "pre_commit"]
    subprocess.run([*precommit, "install"], cwd=project, env=env, check=True, capture_output=True)

    (project / "notes.txt").write_text("eval(x) in prose is not code\n")
    (project / "clean.py").write_text("def add(a, b):\n    return a + b\n")
    git("add", "notes.txt", "clean.py", ".pre-commit-config.yaml", cwd=project)
    clean = subprocess.run(["git", *GIT_ID, "commit", "-m", "clean"], cwd=project, env=env, capture_output=True,
                           text=True, timeout=1500)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    (project / "run.py").write_text("import os\n\ndef run(cmd):\n    os.system(cmd)\n")
    git("add", "run.py", cwd=project)
    blocked = subprocess.run(["git", *GIT_ID, "commit", "-m", "risky"], cwd=project, env=env, capture_output=True,
                             text=True, timeout=900)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0
    assert "run.py:4:5: error: system: command run through a shell; model: p=" in output
    assert "[EL-PY-OS-SYSTEM]" in output and "Traceback" not in output


def test_install_hook_blocks_on_staged_content_and_refuses_to_overwrite(project: Path) -> None:
    env = {**os.environ, "ENTROPY_LINT_HOOK_ARGS": "--no-model", "ENTROPY_LINT": str(Path(sys.executable).parent / "entropy-lint")}
    run = lambda *a: subprocess.run([sys.executable, "-m", "entropy_lint", *a], cwd=project, env=env,  # noqa: E731
                                    capture_output=True, text=True)
    assert run("install-hook").returncode == 0
    hook = project / ".git" / "hooks" / "pre-commit"
    assert os.access(hook, os.X_OK)
    assert run("install-hook").returncode == 0  # the same hook again is fine

    (project / "job.c").write_text("#include <stdlib.h>\nvoid f(const char *c) { system(c); }\n")
    (project / "data.bin").write_bytes(b"\x00\x01")
    git("add", "job.c", "data.bin", cwd=project)
    blocked = subprocess.run(["git", *GIT_ID, "commit", "-m", "risky"], cwd=project, env=env, capture_output=True, text=True)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1 and "job.c:2:25: error: system" in output, output
    assert "data.bin" not in output  # unsupported types are skipped quietly by the hook

    # the working tree is fixed but the fix is not staged: the staged content still blocks
    (project / "job.c").write_text("void f(void) {}\n")
    assert subprocess.run(["git", *GIT_ID, "commit", "-m", "x"], cwd=project, env=env, capture_output=True).returncode == 1
    git("add", "job.c", cwd=project)
    ok = subprocess.run(["git", *GIT_ID, "commit", "-m", "fixed"], cwd=project, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr

    hook.write_text("#!/bin/sh\necho mine\n")
    refused = run("install-hook")
    assert refused.returncode == 2 and "already exists" in refused.stderr
    assert hook.read_text() == "#!/bin/sh\necho mine\n"
    assert run("install-hook", "--force").returncode == 0 and "entropy-lint" in hook.read_text()


def test_pre_commit_fix_hook_rewrites_then_passes_once_the_fix_is_staged(tmp_path: Path, project: Path) -> None:
    hook_repo = tmp_path / "entropy-lint-repo"
    hook_repo.mkdir()
    rev = snapshot_of_this_checkout(hook_repo)
    (project / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {hook_repo}\n"
        f"    rev: {rev}\n"
        "    hooks:\n"
        "      - id: entropy-lint-fix\n"
        "        args: [--no-model, --min-level, warning]\n"
        "        additional_dependencies: [torch==2.13.0]\n"
    )
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")}
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=project, env=env, check=True, capture_output=True)
    (project / "conf.py").write_text("import yaml\n\n\ndef read(fh):\n    return yaml.load(fh)\n")
    git("add", "conf.py", ".pre-commit-config.yaml", cwd=project)
    first = subprocess.run(["git", *GIT_ID, "commit", "-m", "risky"], cwd=project, env=env, capture_output=True,
                           text=True, timeout=1500)
    assert first.returncode != 0  # pre-commit fails a hook that changed files
    assert "files were modified by this hook" in first.stdout + first.stderr
    assert (project / "conf.py").read_text() == "import yaml\n\n\ndef read(fh):\n    return yaml.safe_load(fh)\n"
    git("add", "conf.py", cwd=project)
    second = subprocess.run(["git", *GIT_ID, "commit", "-m", "fixed"], cwd=project, env=env, capture_output=True,
                            text=True, timeout=900)
    assert second.returncode == 0, second.stdout + second.stderr
