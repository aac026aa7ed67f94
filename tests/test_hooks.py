"""Where commits happen: the real pre-commit framework (both hooks), and the plain git hook."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GIT_ID = ["-c", "user.name=t", "-c", "user.email=t@example.invalid"]
RISKY = "import os\n\ndef run(user_input):\n    os.system(user_input)\n"


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


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This checkout as a hook repository, and its commit."""
    folder = tmp_path_factory.mktemp("entropy-lint-repo")
    return folder, snapshot_of_this_checkout(folder)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pre-commit's home, shared by this module's light-hook tests: its environment is built once."""
    return tmp_path_factory.mktemp("pre-commit-home")


def use_hook(project: Path, hook_repo: tuple[Path, str], hook: str, *lines: str) -> None:
    folder, rev = hook_repo
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {folder}\n    rev: {rev}\n    hooks:\n      - id: {hook}\n"
        + "".join(f"        {line}\n" for line in lines))


def hook_env(home: Path, **extra: str) -> dict[str, str]:
    # the hook's environment runs its own install: nothing of this process's path or server
    env = {k: v for k, v in os.environ.items() if k not in ("ENTROPY_LINT_SERVER", "PYTHONPATH")}
    return {**env, "PRE_COMMIT_HOME": str(home), **extra}


def commit(project: Path, env: dict[str, str], message: str, timeout: int = 1500) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *GIT_ID, "commit", "-m", message], cwd=project, env=env, capture_output=True,
                          text=True, timeout=timeout)


def hook_environment(home: Path) -> Path:
    """The virtualenv pre-commit built for the hook (the only one in ``home``)."""
    (env,) = [p for p in home.glob("repo*/py_env-*") if p.is_dir()]
    return env


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def installed(env: Path) -> set[str]:
    """Top-level names in the environment's site-packages, lower-cased."""
    return {p.name.lower() for p in env.glob("lib/python*/site-packages/*")}


def test_light_hook_installs_no_model_stack_and_blocks_a_risky_commit(project: Path, hook_repo: tuple[Path, str],
                                                                        pre_commit_home: Path) -> None:
    use_hook(project, hook_repo, "entropy-lint")
    env = hook_env(pre_commit_home)
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=project, env=env, check=True, capture_output=True)

    (project / "notes.txt").write_text("os.system(user_input) in prose is not code\n")
    (project / "clean.py").write_text("def add(a, b):\n    return a + b\n")
    git("add", "notes.txt", "clean.py", ".pre-commit-config.yaml", cwd=project)
    started = time.monotonic()
    clean = commit(project, env, "clean")
    first_run = time.monotonic() - started
    assert clean.returncode == 0, clean.stdout + clean.stderr

    (project / "run.py").write_text(RISKY)
    git("add", "run.py", cwd=project)
    blocked = commit(project, env, "risky")
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0 and "Traceback" not in output
    assert "run.py:4:5: error: system: command run through a shell; fix (review)" in output  # found, unscored

    environment = hook_environment(pre_commit_home)
    packages = installed(environment)
    assert "tree_sitter" in packages and "numpy" in packages
    assert not {"torch", "transformers", "safetensors", "accelerate"} & packages, sorted(packages)
    size = size_mb(environment)
    # a figure, not a gate on time: shown with pytest -s (docs/benchmarks.md records it)
    print(f"\nthe light hook's environment: {size:.0f} MB; first commit (building it) {first_run:.0f} s")
    assert size < 250, f"the light hook's environment grew to {size:.0f} MB"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve_small_model(port: int) -> subprocess.Popen[str]:
    """`entropy-lint serve` with the small model on a loopback port, once /health answers 200."""
    proc = subprocess.Popen([sys.executable, "-m", "entropy_lint", "serve", "--port", str(port), "--model",
                             "smollm2-135m", "--log-level", "warning"], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 300
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as reply:
                if reply.status == 200:
                    return proc
        except OSError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(proc.stdout.read() if proc.stdout else "the server exited")
        time.sleep(0.3)
    proc.kill()
    raise TimeoutError("the server did not become healthy")


@pytest.mark.model
def test_light_hook_scores_on_the_team_server_named_by_the_environment(project: Path, hook_repo: tuple[Path, str],
                                                                       pre_commit_home: Path) -> None:
    port = free_port()
    server = serve_small_model(port)
    try:
        use_hook(project, hook_repo, "entropy-lint")
        env = hook_env(pre_commit_home, ENTROPY_LINT_SERVER=f"http://127.0.0.1:{port}")
        subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=project, env=env, check=True,
                       capture_output=True)
        (project / "run.py").write_text(RISKY)
        git("add", "run.py", ".pre-commit-config.yaml", cwd=project)
        blocked = commit(project, env, "risky")
    finally:
        server.terminate()
        server.communicate(timeout=30)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0
    assert "run.py:4:5: error: system: command run through a shell; model: p=" in output, output
    assert not {"torch", "transformers"} & installed(hook_environment(pre_commit_home))  # scored, yet no torch here


@pytest.mark.model
def test_model_hook_scores_with_a_cpu_torch_in_its_own_environment(tmp_path: Path, project: Path,
                                                                   hook_repo: tuple[Path, str]) -> None:
    # The README's CPU-only recipe: keep '.[model]' and pin torch's CPU build (found here through
    # this machine's pip settings, which hold its wheel; elsewhere on PyTorch's CPU index).
    use_hook(project, hook_repo, "entropy-lint-model", "args: [--model, smollm2-135m, --min-level, warning]",
             "additional_dependencies: ['.[model]', 'torch==2.13.0+cpu']")
    home = tmp_path / "pre-commit-home"
    env = hook_env(home)
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=project, env=env, check=True, capture_output=True)
    (project / "clean.py").write_text("def add(a, b):\n    return a + b\n")
    git("add", "clean.py", ".pre-commit-config.yaml", cwd=project)
    started = time.monotonic()
    clean = commit(project, env, "clean")
    first_run = time.monotonic() - started
    assert clean.returncode == 0, clean.stdout + clean.stderr

    (project / "run.py").write_text(RISKY)
    git("add", "run.py", cwd=project)
    blocked = commit(project, env, "risky", timeout=900)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0
    assert "run.py:4:5: error: system: command run through a shell; model: p=" in output, output
    assert "[EL-PY-OS-SYSTEM]" in output and "Traceback" not in output
    packages = installed(hook_environment(home))
    assert {"torch", "transformers"} <= packages
    assert not any(p.startswith("nvidia") for p in packages)  # the CPU build: no CUDA libraries
    print(f"\nthe model hook's environment: {size_mb(hook_environment(home)):.0f} MB; "
          f"first commit (building it) {first_run:.0f} s")


def install_plain_hook(project: Path, **extra: str) -> tuple[dict[str, str], Path]:
    env = {**os.environ, "ENTROPY_LINT": str(Path(sys.executable).parent / "entropy-lint"), **extra}
    env.pop("ENTROPY_LINT_SERVER", None)
    proc = subprocess.run([sys.executable, "-m", "entropy_lint", "install-hook"], cwd=project, env=env,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return env, project / ".git" / "hooks" / "pre-commit"


def test_install_hook_blocks_on_staged_content_and_refuses_to_overwrite(project: Path) -> None:
    env, hook = install_plain_hook(project, ENTROPY_LINT_HOOK_ARGS="--no-model")
    run = lambda *a: subprocess.run([sys.executable, "-m", "entropy_lint", *a], cwd=project, env=env,  # noqa: E731
                                    capture_output=True, text=True)
    assert os.access(hook, os.X_OK)
    assert run("install-hook").returncode == 0  # the same hook again is fine

    (project / "job.c").write_text("#include <stdlib.h>\nvoid f(const char *c) { system(c); }\n")
    (project / "data.bin").write_bytes(b"\x00\x01")
    git("add", "job.c", "data.bin", cwd=project)
    blocked = subprocess.run(["git", *GIT_ID, "commit", "-m", "risky"], cwd=project, env=env, capture_output=True, text=True)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1 and "job.c:2:25: error: system" in output, output
    assert "entropy-lint: commit blocked: fix the findings above, or commit once without this check: " \
           "git commit --no-verify" in output
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


def test_pre_commit_fix_hook_rewrites_then_passes_once_the_fix_is_staged(project: Path, hook_repo: tuple[Path, str],
                                                                         pre_commit_home: Path) -> None:
    use_hook(project, hook_repo, "entropy-lint-fix", "args: [--min-level, warning]")
    env = hook_env(pre_commit_home)
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=project, env=env, check=True, capture_output=True)
    (project / "conf.py").write_text("import yaml\n\n\ndef read(fh):\n    return yaml.load(fh)\n")
    git("add", "conf.py", ".pre-commit-config.yaml", cwd=project)
    first = commit(project, env, "risky")
    assert first.returncode != 0  # pre-commit fails a hook that changed files
    assert "files were modified by this hook" in first.stdout + first.stderr
    assert (project / "conf.py").read_text() == "import yaml\n\n\ndef read(fh):\n    return yaml.safe_load(fh)\n"
    git("add", "conf.py", cwd=project)
    second = commit(project, env, "fixed", timeout=900)
    assert second.returncode == 0, second.stdout + second.stderr


def test_plain_hook_without_a_usable_model_says_how_to_choose_one(project: Path, tmp_path: Path) -> None:
    # The default model, not cached and the hub offline (or no model stack at all): the check
    # cannot run, the commit is blocked, and the hook says what to configure.
    env, _hook = install_plain_hook(project, HF_HUB_OFFLINE="1", HF_HOME=str(tmp_path / "hf"))
    env.pop("ENTROPY_LINT_HOOK_ARGS", None)
    (project / "run.py").write_text(RISKY)
    git("add", "run.py", cwd=project)
    blocked = subprocess.run(["git", *GIT_ID, "commit", "-m", "risky"], cwd=project, env=env, capture_output=True,
                             text=True, timeout=600)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode != 0, output  # git's own status: 1 for any hook failure
    assert "entropy-lint: commit blocked: the check could not run (above)" in output
    assert 'git config entropy-lint.hookArgs "--model smollm2-135m"' in output
    assert '"--no-model"' in output and '"--server URL"' in output and "git commit --no-verify" in output
    assert "Traceback" not in output

    # the way it names works: rules only, from the clone's git config
    git("config", "entropy-lint.hookArgs", "--no-model", cwd=project)
    again = subprocess.run(["git", *GIT_ID, "commit", "-m", "risky"], cwd=project, env=env, capture_output=True, text=True)
    assert again.returncode == 1 and "run.py:4:5: error: system" in again.stdout + again.stderr
    assert "commit blocked: fix the findings above" in again.stderr


def test_the_readme_names_the_hooks_that_exist() -> None:
    import re

    import yaml

    manifest = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    ids = {hook["id"] for hook in manifest}
    assert ids == {"entropy-lint", "entropy-lint-fix", "entropy-lint-model"}
    light, fix, model = sorted(manifest, key=lambda hook: hook["id"])
    for hook in (light, fix):  # the light install: no torch in the hook's environment
        assert "--no-local-model" in hook["entry"] and "additional_dependencies" not in hook
    assert model["additional_dependencies"] == [".[model]"]
    readme = (REPO / "README.md").read_text()
    assert set(re.findall(r"- id: ([\w-]+)", readme)) == ids and "rev: v0.1.0" in readme
