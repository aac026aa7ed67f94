"""The language-server recipes in examples/editors: each starts the same command line, which
is run here as the editors run it; the languages they attach to are the ones the server lints."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from entropy_lint.front.lsp_analysis import LANGUAGE_IDS

EDITORS = Path(__file__).resolve().parents[1] / "examples" / "editors"
COMMAND = ["entropy-lint", "lsp", "--model", "smollm2-135m"]


def vscode() -> dict[str, object]:
    return json.loads((EDITORS / "vscode-lsp" / "package.json").read_text())  # type: ignore[no-any-return]


def test_every_recipe_runs_the_same_command() -> None:
    properties = vscode()["contributes"]["configuration"]["properties"]  # type: ignore[index]
    assert [properties["entropyLint.command"]["default"], *properties["entropyLint.args"]["default"]] == COMMAND
    lua = (EDITORS / "entropy_lint_lsp.lua").read_text()
    assert re.findall(r"'([^']*)'", re.search(r"cmd = \{(.*?)\}", lua).group(1)) == COMMAND  # type: ignore[union-attr]
    elisp = (EDITORS / "entropy-lint-eglot.el").read_text()
    assert re.findall(r'"([^"]*)"', re.search(r'\. \((.*?)\)\)\)', elisp).group(1)) == COMMAND  # type: ignore[union-attr]


def test_the_recipes_attach_to_the_languages_the_server_lints() -> None:
    events = vscode()["activationEvents"]
    assert sorted(e.removeprefix("onLanguage:") for e in events) == sorted(LANGUAGE_IDS)  # type: ignore[union-attr]
    script = (EDITORS / "vscode-lsp" / "extension.js").read_text()
    assert sorted(json.loads(re.search(r"LANGUAGES = (\[.*?\]);", script, re.S).group(1))) == sorted(LANGUAGE_IDS)  # type: ignore[union-attr]
    lua = (EDITORS / "entropy_lint_lsp.lua").read_text()
    assert sorted(re.findall(r"'([^']*)'", re.search(r"pattern = \{(.*?)\}", lua, re.S).group(1))) == sorted(LANGUAGE_IDS)  # type: ignore[union-attr]


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed (the VS Code client is JavaScript)")
def test_the_vscode_client_script_parses() -> None:
    subprocess.run(["node", "--check", str(EDITORS / "vscode-lsp" / "extension.js")], check=True, timeout=60)


@pytest.mark.model
def test_the_recipes_command_serves_an_editor(tmp_path: Path) -> None:
    pytest.importorskip("pygls", reason="the language server needs the [lsp] extra (pygls, lsprotocol)")
    from lsp_client import LspClient

    client = LspClient(COMMAND[2:], cwd=tmp_path)
    try:
        client.initialize(tmp_path, (tmp_path,))
        uri = (tmp_path / "app.py").as_uri()
        client.open(uri, "import os\n\ndef run(cmd):\n    os.system(cmd)\n")
        (diagnostic,) = client.diagnostics(uri, where=lambda d: bool(d) and d[0]["data"]["scored"])["diagnostics"]
        assert diagnostic["code"] == "EL-PY-OS-SYSTEM" and "model: p=" in diagnostic["message"]
        assert client.shutdown() == 0
    finally:
        client.kill()
