"""``entropy-lint install-hook``: put the plain git pre-commit hook in place."""

from __future__ import annotations

import os
import stat
import subprocess
from importlib import resources
from pathlib import Path

from entropy_lint.errors import EntropyLintError


def hook_script() -> str:
    return resources.files("entropy_lint").joinpath("data/pre-commit").read_text(encoding="utf-8")


def install_hook(cwd: str, force: bool = False) -> Path:
    """Write the hook to the repository's hooks folder; refuse to replace another hook unless ``force``."""
    try:
        proc = subprocess.run(["git", "rev-parse", "--git-path", "hooks"], cwd=cwd, capture_output=True, text=True,
                              timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise EntropyLintError(f"install-hook needs git: {exc}") from exc
    if proc.returncode != 0:
        raise EntropyLintError(f"{cwd} is not inside a git repository")
    hooks = Path(cwd, proc.stdout.strip())
    target = hooks / "pre-commit"
    script = hook_script()
    if target.exists() and not force:
        if target.read_text(encoding="utf-8", errors="replace") == script:
            return target
        raise EntropyLintError(f"{target} already exists; pass --force to replace it")
    hooks.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(".pre-commit.entropy-lint.tmp")
    tmp.write_text(script, encoding="utf-8")
    tmp.chmod(tmp.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    os.replace(tmp, target)
    return target
