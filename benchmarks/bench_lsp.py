"""Language-server latency: from ``didChange`` to the rules-only diagnostics, and to the scored
diagnostics, on a 500-line Python file with findings. Run by hand, never by pytest:

    .venv/bin/python benchmarks/bench_lsp.py --model smollm2-135m --rounds 5

The server runs as editors run it (``entropy-lint lsp`` over stdio, driven by the tests' JSON-RPC
client), with a fresh results cache; each round edits one line in the middle of the file, so
every round is a cache miss. The debounce (``--debounce``, the server's 0.3 s by default) is part
of the time from the change: pass ``--debounce 0`` to see the passes alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import lsp_client  # noqa: E402
from lsp_client import LspClient, Message  # noqa: E402

lsp_client.TIMEOUT = 3600.0  # a slow CPU may take minutes to score; the benchmark waits

RISKY = [
    "    os.system(command)",
    "    data = pickle.loads(blob)",
    "    value = eval(expression)",
    "    subprocess.run(command, shell=True)",
    "    digest = hashlib.md5(blob).hexdigest()",
]


def source(lines: int = 500) -> str:
    """A plausible module: small functions, one risky call every fifty lines."""
    out = ["import hashlib", "import os", "import pickle", "import subprocess", ""]
    i = 0
    while len(out) < lines - 4:
        out += [f"def step_{i}(command, blob, expression, items):", f'    """Step {i} of the job."""',
                "    total = 0", "    for item in items:", "        total += len(str(item))"]
        if i % 10 == 0:
            out.append(RISKY[(i // 10) % len(RISKY)])
        out += ["    return total", ""]
        i += 1
    return "\n".join(out[:lines]) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="smollm2-135m")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--debounce", type=float, default=None, help="passed to the server (default: its own)")
    parser.add_argument("--lines", type=int, default=500)
    args = parser.parse_args()
    text = source(args.lines)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env = {**os.environ, "ENTROPY_LINT_CACHE_DIR": str(root / "cache")}
        (root / "cache").mkdir()
        models = Path(os.environ.get("ENTROPY_LINT_CACHE_DIR") or Path.home() / ".cache" / "entropy-lint") / "models"
        if models.is_dir():  # converted models are shared, results are not
            (root / "cache" / "models").symlink_to(models, target_is_directory=True)
        extra = ["--debounce", str(args.debounce)] if args.debounce is not None else []
        client = LspClient(["--model", args.model, *extra], cwd=root, env=env)
        uri = (root / "module.py").as_uri()
        started = time.perf_counter()
        client.initialize(root, (root,))
        client.open(uri, text)
        first = published(client, uri, 1, scored=False)
        print(f"open -> rules-only diagnostics: {client.arrival(first) - started:.2f} s "
              f"({len(first['params']['diagnostics'])} findings, process start included)")
        loaded = published(client, uri, 1, scored=True)
        print(f"open -> scored diagnostics: {client.arrival(loaded) - started:.2f} s (model load included)")
        rules, scored = [], []
        lines = text.split("\n")
        for round_ in range(args.rounds):
            version = round_ + 2
            lines[len(lines) // 2] = f"# edit {round_}"
            sent = time.perf_counter()
            client.change(uri, "\n".join(lines), version)
            rules.append(client.arrival(published(client, uri, version, scored=False)) - sent)
            scored.append(client.arrival(published(client, uri, version, scored=True)) - sent)
            print(f"round {round_ + 1}: didChange -> rules-only {rules[-1] * 1000:.0f} ms, -> scored {scored[-1]:.2f} s")
        print(f"median over {args.rounds} rounds ({args.lines} lines, {len(first['params']['diagnostics'])} findings, "
              f"debounce {args.debounce if args.debounce is not None else 'default'}): "
              f"rules-only {statistics.median(rules) * 1000:.0f} ms, scored {statistics.median(scored):.2f} s")
        client.shutdown()
    return 0


def published(client: LspClient, uri: str, version: int, scored: bool) -> Message:
    """The publication of ``version`` with (or without) the model's numbers."""
    return client.wait_for(lambda m: m["method"] == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                           and m["params"].get("version") == version and bool(m["params"]["diagnostics"])
                           and all(d["data"]["scored"] == scored for d in m["params"]["diagnostics"]))


if __name__ == "__main__":
    sys.exit(main())
