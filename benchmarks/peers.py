"""Install the peer tools and run them over the corpus, normalising their hits (issue 12).

    python benchmarks/peers.py install          # once: venvs and node_modules under benchmarks/out/peers/
    python benchmarks/peers.py run              # every peer over the corpus -> benchmarks/out/peers/hits.json
    python benchmarks/peers.py parse            # hits.json again from the stored reports, running nothing

Peers: Bandit (the lead's venv), Flawfinder and semgrep (a venv of their own), njsscan (another
venv: it pins its own semgrep), ESLint with eslint-plugin-security (npm, with typescript-eslint's
parser for .ts). semgrep runs offline on ``benchmarks/semgrep-rules.yml`` (ours; its registry is
unreachable). Each hit becomes ``{tool, check, file, line, end_line, callee, level}``, ``file``
relative to the corpus root; ``callee`` is the dotted name the peer's report points at.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS = HERE / "out" / "peers"
VENV = PEERS / "venv" / "bin"
NJS_VENV = PEERS / "njsvenv" / "bin"
NODE = PEERS / "node"
BANDIT = Path(sys.executable).with_name("bandit")

# Pinned versions: the figures in docs/precision.md are for these.
PIP_PEERS = ("flawfinder==2.0.20", "semgrep==1.185.0")
NJS_PEERS = ("njsscan==1.0.2",)
NPM_PEERS = ("eslint@10.15.0", "eslint-plugin-security@4.1.0", "typescript-eslint@8.74.0", "typescript@5.9.3")

C_EXTENSIONS = (".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".hxx")
JS_EXTENSIONS = (".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts")

Hit = dict[str, object]


def install() -> None:
    PEERS.mkdir(parents=True, exist_ok=True)
    for venv, packages in ((PEERS / "venv", PIP_PEERS), (PEERS / "njsvenv", NJS_PEERS)):
        if not (venv / "bin" / "python").exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *packages], check=True)
    NODE.mkdir(exist_ok=True)
    if not (NODE / "package.json").exists():
        (NODE / "package.json").write_text('{"private": true}\n')
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", *NPM_PEERS], cwd=NODE, check=True)
    shutil.copy(HERE / "eslint.config.mjs", NODE / "eslint.config.mjs")


# --- commands, shared with precision.py's speed runs -------------------------------------------

def bandit_cmd(root: Path, output: Path) -> list[str]:
    return [str(BANDIT), "-r", str(root), "-f", "json", "-q", "-o", str(output)]


def flawfinder_cmd(root: Path) -> list[str]:
    return [str(VENV / "flawfinder"), "--csv", "--quiet", "--dataonly", "--minlevel=0", str(root)]


def eslint_cmd(root: Path, output: Path) -> list[str]:
    # run with cwd=root: with --config, the working directory is the base that `files` match against
    return ["node", str(NODE / "node_modules" / "eslint" / "bin" / "eslint.js"), "--config",
            str(NODE / "eslint.config.mjs"), "--format", "json", "--no-warn-ignored", "-o", str(output), "."]


def semgrep_cmd(root: Path, output: Path) -> list[str]:
    return [str(VENV / "semgrep"), "scan", "--config", str(HERE / "semgrep-rules.yml"), "--metrics=off",
            "--disable-version-check", "--json", "--quiet", "-o", str(output), str(root)]


def njsscan_cmd(root: Path, output: Path) -> list[str]:
    return [str(NJS_VENV / "njsscan"), "--json", "-o", str(output), str(root)]


def njsscan_env() -> dict[str, str]:
    """njsscan runs the semgrep of its own venv, found on PATH."""
    return {**os.environ, "PATH": f"{NJS_VENV}{os.pathsep}{os.environ.get('PATH', '')}"}


# --- normalising ------------------------------------------------------------------------------

_CHAIN = re.compile(r"(?:new\s+)?([A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*)")


def callee_at(root: Path, file: str, line: int, column: int) -> str:
    """The dotted name starting at (line, 0-based column), or at the line's first name."""
    try:
        lines = (root / file).read_text(encoding="utf-8", errors="replace").splitlines()
        text = lines[line - 1]
    except (OSError, IndexError):
        return ""
    match = _CHAIN.match(text, column) or _CHAIN.search(text)
    return re.sub(r"\s+", "", match.group(1)) if match else ""


def _relative(root: Path, path: str) -> str:
    p = Path(path)
    return (p if not p.is_absolute() else p.relative_to(root)).as_posix()


def bandit_hits(root: Path, report: Path) -> Iterator[Hit]:
    data = json.loads(report.read_text())
    for r in data["results"]:
        file = _relative(root, r["filename"])
        rng = r.get("line_range") or [r["line_number"]]
        yield {"tool": "bandit", "check": r["test_id"], "file": file, "line": r["line_number"],
               "end_line": max(rng), "callee": callee_at(root, file, r["line_number"], r.get("col_offset", 0)),
               "level": r["issue_severity"].lower()}


def flawfinder_hits(root: Path, text: str) -> Iterator[Hit]:
    for row in csv.DictReader(io.StringIO(text)):
        file = _relative(root, row["File"])
        line = int(row["Line"])
        yield {"tool": "flawfinder", "check": row["Name"], "file": file, "line": line, "end_line": line,
               "callee": row["Name"], "level": int(row["Level"])}


def eslint_hits(root: Path, report: Path) -> Iterator[Hit]:
    for entry in json.loads(report.read_text()):
        file = _relative(root, entry["filePath"])
        for m in entry["messages"]:
            # no ruleId: a parse error (fatal), or ESLint's own note on a disable comment
            check = m.get("ruleId") or ("parse-error" if m.get("fatal") else "eslint-directive")
            # detect-child-process also fires on require('child_process') itself: an import, not a call
            if check == "security/detect-child-process" and "require" in m.get("message", ""):
                check = "security/detect-child-process:require"
            yield {"tool": "eslint", "check": check, "file": file, "line": m.get("line", 0),
                   "end_line": m.get("endLine") or m.get("line", 0),
                   "callee": callee_at(root, file, m.get("line", 1), max(0, m.get("column", 1) - 1)),
                   "level": "warning"}


def semgrep_hits(root: Path, report: Path) -> Iterator[Hit]:
    for r in json.loads(report.read_text())["results"]:
        file = _relative(root, r["path"])
        yield {"tool": "semgrep", "check": r["check_id"].rsplit(".", 1)[-1], "file": file,
               "line": r["start"]["line"], "end_line": r["end"]["line"],
               "callee": callee_at(root, file, r["start"]["line"], r["start"]["col"] - 1), "level": "warning"}


def njsscan_hits(root: Path, report: Path) -> Iterator[Hit]:
    data = json.loads(report.read_text())
    for section in ("nodejs", "templates"):
        for check, body in (data.get(section) or {}).items():
            for f in body.get("files", []):
                file = _relative(root, f["file_path"])
                start, end = f["match_lines"]
                yield {"tool": "njsscan", "check": check, "file": file, "line": start, "end_line": end,
                       "callee": callee_at(root, file, start, max(0, f["match_position"][0] - 1)),
                       "level": body.get("metadata", {}).get("severity", "").lower()}


TOOLS = ("bandit", "flawfinder", "eslint", "semgrep", "njsscan")


def _run_one(tool: str, root: Path, out: Path) -> None:
    """Run one peer over ``root``, leaving its raw report in ``out``."""
    if tool == "flawfinder":
        proc = subprocess.run(flawfinder_cmd(root), check=True, capture_output=True, text=True)
        (out / "flawfinder.csv").write_text(proc.stdout)
        return
    report = out / f"{tool}.json"
    cmd, cwd, env = {
        "bandit": (bandit_cmd(root, report), None, None),
        "eslint": (eslint_cmd(root, report), root, None),
        "semgrep": (semgrep_cmd(root, report), None, None),
        "njsscan": (njsscan_cmd(root, report), None, njsscan_env()),
    }[tool]
    subprocess.run(cmd, cwd=cwd, env=env, check=False, capture_output=True)


def _parse(tool: str, root: Path, out: Path) -> list[Hit]:
    if tool == "flawfinder":
        return list(flawfinder_hits(root, (out / "flawfinder.csv").read_text()))
    parser = {"bandit": bandit_hits, "eslint": eslint_hits, "semgrep": semgrep_hits, "njsscan": njsscan_hits}[tool]
    return list(parser(root, out / f"{tool}.json"))


def run_all(root: Path, out: Path, only: Sequence[str] = (), rerun: bool = True) -> list[Hit]:
    """Run every peer (or only those named, re-reading the others' stored reports; none when not
    ``rerun``); write hits.json."""
    out.mkdir(parents=True, exist_ok=True)
    hits: list[Hit] = []
    for tool in TOOLS:
        if rerun and (not only or tool in only):
            _run_one(tool, root, out)
        hits += _parse(tool, root, out)
    (out / "hits.json").write_text(json.dumps(hits, indent=0))
    return hits


def main() -> int:
    sys.path.insert(0, str(HERE))
    from corpus import default_root

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("install", "run", "parse"))
    parser.add_argument("--corpus", type=Path, default=default_root())
    parser.add_argument("--only", nargs="*", default=[], choices=TOOLS, help="re-run only these peers")
    args = parser.parse_args()
    if args.action == "install":
        install()
        return 0
    hits = run_all(args.corpus.resolve(), PEERS, args.only, rerun=args.action == "run")
    by_tool: dict[str, int] = {}
    for h in hits:
        by_tool[str(h["tool"])] = by_tool.get(str(h["tool"]), 0) + 1
    print(json.dumps(by_tool))
    return 0


if __name__ == "__main__":
    sys.exit(main())
