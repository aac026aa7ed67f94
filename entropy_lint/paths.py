"""Where entropy-lint keeps its files: one cache directory, nothing else."""

from __future__ import annotations

import os
from pathlib import Path

CACHE_ENV = "ENTROPY_LINT_CACHE_DIR"


def cache_dir() -> Path:
    """The user cache directory: $ENTROPY_LINT_CACHE_DIR, else the platform's (XDG on Linux)."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("entropy-lint", appauthor=False))
