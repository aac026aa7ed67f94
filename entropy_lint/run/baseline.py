"""Baselines: record today's findings, then report only new ones.

A finding matches a baseline entry by rule, path (relative to the repository root) and the
content part of its fingerprint (the call's text), counted as a multiset: findings survive
lines moving, and a third copy of a call recorded twice is new.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from entropy_lint.errors import ConfigError
from entropy_lint.findings import Finding

FORMAT = "entropy-lint-baseline"


def _entry_key(rule_id: str, path: str, fingerprint: str) -> tuple[str, str, str]:
    return rule_id, path, fingerprint.split(":")[0]


def _relative(path: str, root: str, cwd: str) -> str:
    return Path(os.path.relpath(os.path.join(cwd, path), root)).as_posix()


def render_baseline(findings: Sequence[Finding], root: str, cwd: str) -> str:
    entries = sorted(
        ({"rule_id": f.rule_id, "path": _relative(f.path, root, cwd), "fingerprint": f.fingerprint,
          "line": f.line, "snippet": f.snippet} for f in findings),
        key=lambda e: (e["path"], e["line"], e["rule_id"]),
    )
    return json.dumps({"format": FORMAT, "version": 1, "findings": entries}, ensure_ascii=False, indent=2) + "\n"


def load_baseline(path: str) -> Counter[tuple[str, str, str]]:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"baseline {path} cannot be read: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise ConfigError(f"baseline {path} is not JSON: {exc}") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("findings"), list):
        raise ConfigError(f"baseline {path} is not an entropy-lint baseline (make one with 'entropy-lint baseline create')")
    try:
        return Counter(_entry_key(e["rule_id"], e["path"], e["fingerprint"]) for e in doc["findings"])
    except (KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(f"baseline {path} has a malformed entry: {exc}") from exc


def baseline_filter(known: Counter[tuple[str, str, str]], root: str, cwd: str) -> Callable[[Finding, str], bool]:
    """Keep findings not in the baseline (each baseline entry absorbs one matching finding)."""
    remaining = Counter(known)

    def keep(finding: Finding, _text: str) -> bool:
        key = _entry_key(finding.rule_id, _relative(finding.path, root, cwd), finding.fingerprint)
        if remaining[key] > 0:
            remaining[key] -= 1
            return False
        return True

    return keep
