"""``entropy-lint lsp`` as a real subprocess, driven over stdio by a real JSON-RPC client
(``lsp_client``): diagnostics, positions in each encoding, hover, code actions, the workspace
command, the project file per folder, and what hostile or broken clients send."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.importorskip("pygls", reason="the language server needs the [lsp] extra (pygls, lsprotocol)")

from lsprotocol import converters, types  # noqa: E402

from lsp_client import LspClient, ServerError, apply_edits  # noqa: E402

CODE = "import os\n\n\ndef run(user_input):\n    os.system(user_input)\n"
CALL = {"start": {"line": 4, "character": 4}, "end": {"line": 4, "character": 25}}
Start = Callable[..., LspClient]


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Start]:
    """Start servers in ``tmp_path`` (initialized with it as the workspace folder); kill leftovers."""
    started: list[LspClient] = []

    def run(*args: str, folders: tuple[Path, ...] | None = None, **init: object) -> LspClient:
        client = LspClient(args, cwd=tmp_path)
        started.append(client)
        client.initialize(tmp_path, folders if folders is not None else (tmp_path,), **init)  # type: ignore[arg-type]
        return client

    yield run
    for client in started:
        client.kill()


def uri(tmp_path: Path, name: str) -> str:
    return (tmp_path / name).as_uri()


def structure(value: object, kind: type) -> object:
    """The server's JSON read back as the LSP type it claims to be (fails on a malformed reply)."""
    return converters.get_converter().structure(value, kind)


# --- diagnostics ----------------------------------------------------------------------------

def test_initialize_then_a_diagnostic_on_the_call(tmp_path: Path) -> None:
    client = LspClient(["--no-model"], cwd=tmp_path)
    try:
        init = client.initialize(tmp_path, (tmp_path,))
        caps = init["capabilities"]
        assert caps["positionEncoding"] == "utf-16"
        assert caps["textDocumentSync"]["change"] == types.TextDocumentSyncKind.Full.value
        assert caps["hoverProvider"] is True and caps["codeActionProvider"]["codeActionKinds"] == ["quickfix"]
        assert caps["executeCommandProvider"]["commands"] == ["entropy-lint.checkWorkspace"]
        client.open(uri(tmp_path, "app.py"), CODE)
        published = client.diagnostics(uri(tmp_path, "app.py"))
        assert published["version"] == 1
        (diagnostic,) = published["diagnostics"]
        structure(diagnostic, types.Diagnostic)
        assert diagnostic["range"] == CALL
        assert diagnostic["code"] == "EL-PY-OS-SYSTEM" and diagnostic["source"] == "entropy-lint"
        assert diagnostic["severity"] == types.DiagnosticSeverity.Error.value
        assert diagnostic["codeDescription"]["href"] == "https://cwe.mitre.org/data/definitions/78.html"
        assert diagnostic["message"].startswith("system: command run through a shell")
        assert client.shutdown() == 0
        assert b"Traceback" not in client.stderr
    finally:
        client.kill()


@pytest.mark.parametrize(("offered", "chosen", "column"), [
    (None, "utf-16", 11), (["utf-8", "utf-16"], "utf-8", 14), (["utf-32"], "utf-32", 10)])
def test_astral_characters_in_the_negotiated_encoding(tmp_path: Path, offered: list[str] | None, chosen: str,
                                                      column: int) -> None:
    text = 'import os\nx = "😀é"; os.system(a)  # 😀\n'  # 😀: 2 UTF-16 units, 4 UTF-8 bytes; é: 1 and 2
    client = LspClient(["--no-model"], cwd=tmp_path)
    try:
        assert client.initialize(tmp_path, (tmp_path,), encodings=offered)["capabilities"]["positionEncoding"] == chosen
        client.open(uri(tmp_path, "e.py"), text)
        (diagnostic,) = client.diagnostics(uri(tmp_path, "e.py"))["diagnostics"]
        assert diagnostic["range"]["start"] == {"line": 1, "character": column}
        assert diagnostic["range"]["end"] == {"line": 1, "character": column + len("os.system(a)")}
        hover = client.request("textDocument/hover", {"textDocument": {"uri": uri(tmp_path, "e.py")},
                                                      "position": {"line": 1, "character": column + 3}})
        assert hover["range"] == diagnostic["range"]
    finally:
        client.kill()


def test_an_edit_that_removes_the_call_clears_the_diagnostic(start: Start, tmp_path: Path) -> None:
    client = start("--no-model")
    doc = uri(tmp_path, "app.py")
    client.open(doc, CODE)
    client.diagnostics(doc, where=bool)
    mark = client.mark()
    client.change(doc, CODE.replace("os.system(user_input)", "print(user_input)"), 2)
    assert client.diagnostics(doc, after=mark) == {"uri": doc, "diagnostics": [], "version": 2}


def test_the_suppress_action_removes_the_finding_and_keeps_the_comment(start: Start, tmp_path: Path) -> None:
    client = start("--no-model")
    doc = uri(tmp_path, "app.py")
    text = CODE.replace("os.system(user_input)", "os.system(user_input)  # noqa: S605")
    client.open(doc, text)
    (diagnostic,) = client.diagnostics(doc)["diagnostics"]
    actions = client.request("textDocument/codeAction", {
        "textDocument": {"uri": doc}, "range": {"start": {"line": 4, "character": 0}, "end": {"line": 4, "character": 0}},
        "context": {"diagnostics": [diagnostic]}})
    for each in actions:
        structure(each, types.CodeAction)
    action = actions[-1]  # fixes first (when the fix engine offers some), the suppression last
    assert action["title"] == "entropy-lint: suppress EL-PY-OS-SYSTEM on this line" and action["kind"] == "quickfix"
    (change,) = action["edit"]["documentChanges"]
    assert change["textDocument"] == {"uri": doc, "version": 1}
    edited = apply_edits(text, change["edits"])
    assert edited.splitlines()[4] == "    os.system(user_input)  # noqa: S605  # entropy-lint: ignore[EL-PY-OS-SYSTEM]"
    mark = client.mark()
    client.change(doc, edited, 2)
    assert client.diagnostics(doc, after=mark)["diagnostics"] == []


def test_a_fix_action_applied_removes_the_finding(start: Start, tmp_path: Path) -> None:
    client = start("--no-model")
    doc = uri(tmp_path, "app.py")
    client.open(doc, CODE)
    client.diagnostics(doc, where=bool)
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": doc}, "range": CALL,
                                                         "context": {"diagnostics": []}})
    fix, suppress = actions
    assert fix["title"] == "entropy-lint: subprocess.call(shlex.split(...)): no shell (review: changes behaviour)"
    assert fix.get("isPreferred") is False  # it changes behaviour: never applied without a look
    assert suppress["title"] == "entropy-lint: suppress EL-PY-OS-SYSTEM on this line"
    (change,) = fix["edit"]["documentChanges"]
    edited = apply_edits(CODE, change["edits"])
    assert edited == ("import os\nimport subprocess\nimport shlex\n\n\ndef run(user_input):\n"
                      "    subprocess.call(shlex.split(user_input))\n")
    mark = client.mark()
    client.change(doc, edited, 2)
    assert client.diagnostics(doc, after=mark)["diagnostics"] == []


def test_without_document_changes_the_edit_is_a_plain_change_map(start: Start, tmp_path: Path) -> None:
    client = start("--no-model", document_changes=False)
    doc = uri(tmp_path, "app.py")
    client.open(doc, CODE)
    client.diagnostics(doc, where=bool)
    actions = client.request("textDocument/codeAction", {"textDocument": {"uri": doc}, "range": CALL,
                                                         "context": {"diagnostics": [], "only": ["quickfix"]}})
    assert actions and all(list(a["edit"]) == ["changes"] and list(a["edit"]["changes"]) == [doc] for a in actions)
    assert client.request("textDocument/codeAction", {"textDocument": {"uri": doc}, "range": CALL,
                                                      "context": {"diagnostics": [], "only": ["refactor"]}}) == []


# --- configuration --------------------------------------------------------------------------

def test_each_workspace_folder_reads_its_own_project_file(start: Start, tmp_path: Path) -> None:
    quiet, loud, broken = tmp_path / "quiet", tmp_path / "loud", tmp_path / "broken"
    for folder in (quiet, loud, broken):
        folder.mkdir()
    (quiet / ".entropy-lint.toml").write_text('ignore = ["EL-PY-OS-SYSTEM"]\n')
    (loud / "pyproject.toml").write_text('[tool.entropy-lint.levels]\nEL-PY-OS-SYSTEM = "note"\n')
    (broken / ".entropy-lint.toml").write_text('colour = "red"\n')
    client = start("--no-model", folders=(quiet, loud, broken))
    for folder in (quiet, loud, broken):
        client.open((folder / "app.py").as_uri(), CODE)
    assert client.diagnostics((quiet / "app.py").as_uri())["diagnostics"] == []
    (diagnostic,) = client.diagnostics((loud / "app.py").as_uri())["diagnostics"]
    assert diagnostic["severity"] == types.DiagnosticSeverity.Information.value
    assert client.diagnostics((broken / "app.py").as_uri())["diagnostics"] == []
    message = client.wait_for(lambda m: m["method"] == "window/showMessage")["params"]
    assert message["type"] == types.MessageType.Error.value and "unknown key 'colour'" in message["message"]
    mark = client.mark()  # the same error is not shown again at every keystroke
    client.change((broken / "app.py").as_uri(), CODE + "\n", 2)
    client.diagnostics((broken / "app.py").as_uri(), after=mark)
    assert not [m for m in client.notifications[mark:] if m["method"] == "window/showMessage"]


# --- the workspace command ------------------------------------------------------------------

def test_check_workspace_reports_progress_and_publishes_files_on_disk(start: Start, tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text(CODE)
    (tmp_path / "b.js").write_text("const x = 1;\neval(input);\n")
    (tmp_path / "notes.txt").write_text("os.system(x)\n")
    client = start("--no-model")
    result = client.request("workspace/executeCommand", {"command": "entropy-lint.checkWorkspace", "arguments": []})
    assert result == {"started": True, "folders": 1, "files": 2, "findings": 2, "problems": 0, "cancelled": False}
    (create,) = client.server_requests
    assert create["method"] == "window/workDoneProgress/create"
    token = create["params"]["token"]
    kinds = [m["params"]["value"]["kind"] for m in client.notifications
             if m["method"] == "$/progress" and m["params"]["token"] == token]
    assert kinds[0] == "begin" and kinds[-1] == "end" and "report" in kinds
    (a,) = client.published(uri(tmp_path, "a.py"))[-1]["diagnostics"]
    assert a["code"] == "EL-PY-OS-SYSTEM" and a["range"] == CALL
    (b,) = client.published(uri(tmp_path, "b.js"))[-1]["diagnostics"]
    assert b["code"] == "EL-JS-EVAL" and b["range"]["start"] == {"line": 1, "character": 0}
    assert client.published(uri(tmp_path, "notes.txt")) == []
    (tmp_path / "a.py").write_text("print(1)\n")  # fixed on disk: the next check clears it
    client.request("workspace/executeCommand", {"command": "entropy-lint.checkWorkspace", "arguments": []})
    assert client.published(uri(tmp_path, "a.py"))[-1]["diagnostics"] == []


# --- bad input ------------------------------------------------------------------------------

def test_a_document_in_an_unsupported_language_gets_nothing(start: Start, tmp_path: Path) -> None:
    client = start("--no-model")
    notes, app = uri(tmp_path, "notes.txt"), uri(tmp_path, "app.py")
    client.open(notes, "os.system(user_input)\n", language="plaintext")
    client.open(app, CODE)
    client.diagnostics(app, where=bool)  # the text file was opened (and analysed) first
    assert client.published(notes) == []
    position = {"textDocument": {"uri": notes}, "position": {"line": 0, "character": 3}}
    assert client.request("textDocument/hover", position) is None
    assert client.request("textDocument/codeAction", {"textDocument": {"uri": notes}, "range": CALL,
                                                      "context": {"diagnostics": []}}) == []
    assert not [m for m in client.notifications if m["method"] in ("window/showMessage", "window/logMessage")]


def test_an_untitled_buffer_goes_by_its_language_id(start: Start, tmp_path: Path) -> None:
    client = start("--no-model")
    client.open("untitled:Untitled-1", CODE, language="python")
    (diagnostic,) = client.diagnostics("untitled:Untitled-1")["diagnostics"]
    assert diagnostic["range"] == CALL


def test_invalid_positions_are_clamped_and_the_server_keeps_working(start: Start, tmp_path: Path) -> None:
    client = start("--no-model")
    doc = uri(tmp_path, "app.py")
    text = "import os\nx = '😀'; os.system(a)\n"
    client.open(doc, text)
    client.diagnostics(doc, where=bool)

    def hover(line: int, character: int) -> object:
        return client.request("textDocument/hover", {"textDocument": {"uri": doc},
                                                     "position": {"line": line, "character": character}})

    assert hover(1000, 1000) is None and hover(0, 1 << 30) is None
    assert hover(1, 6) is None  # inside the surrogate pair of 😀: clamped to its start, not the call
    with pytest.raises(ServerError):
        hover(-1, -5)  # not a position at all: an error answer, not a crash
    far = {"start": {"line": 50, "character": 2}, "end": {"line": 90, "character": (1 << 31) - 1}}
    assert client.request("textDocument/codeAction", {"textDocument": {"uri": doc}, "range": far,
                                                      "context": {"diagnostics": []}}) == []
    assert hover(1, 12)["contents"]["value"].startswith("**entropy-lint** `EL-PY-OS-SYSTEM`")  # type: ignore[index]
    assert client.request("textDocument/hover", {"textDocument": {"uri": uri(tmp_path, "never-opened.py")},
                                                 "position": {"line": 0, "character": 0}}) is None
    assert client.shutdown() == 0


def test_a_document_over_the_size_limit_is_one_log_line_and_no_diagnostics(start: Start, tmp_path: Path) -> None:
    client = start("--no-model", "--max-file-size", "2000")
    doc = uri(tmp_path, "big.py")
    big = CODE + "# padding\n" * 300
    client.open(doc, big)
    assert client.diagnostics(doc)["diagnostics"] == []
    mark = client.mark()
    client.change(doc, big + "x = 1\n", 2)
    client.diagnostics(doc, after=mark)
    client.change(doc, CODE, 3)  # back under the limit
    assert client.diagnostics(doc, after=mark, where=bool)["version"] == 3
    logs = [m["params"] for m in client.notifications if m["method"] == "window/logMessage"]
    assert len(logs) == 1 and "over the size limit of 2,000 bytes" in logs[0]["message"]
    assert not [m for m in client.notifications if m["method"] == "window/showMessage"]


def test_exit_without_shutdown_is_status_1(tmp_path: Path) -> None:
    client = LspClient(["--no-model"], cwd=tmp_path)
    try:
        client.initialize(tmp_path)
        client.notify("exit")
        assert client.proc.wait(60) == 1
    finally:
        client.kill()


def test_a_client_that_goes_away_ends_the_server(tmp_path: Path) -> None:
    client = LspClient(["--no-model"], cwd=tmp_path)
    try:
        client.initialize(tmp_path, (tmp_path,))
        client.open(uri(tmp_path, "app.py"), CODE)
        assert client.proc.stdin is not None
        client.proc.stdin.close()
        assert client.proc.wait(60) == 1  # no shutdown request came: 1, as the protocol says
        assert b"Traceback" not in client.stderr
    finally:
        client.kill()


def test_an_unreachable_scoring_server_leaves_rules_only_and_says_so_once(start: Start, tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a loopback port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    client = start("--server", f"http://127.0.0.1:{port}")
    doc = uri(tmp_path, "app.py")
    client.open(doc, CODE)
    (diagnostic,) = client.diagnostics(doc)["diagnostics"]
    assert diagnostic["range"] == CALL and diagnostic["data"]["scored"] is False
    client.diagnostics(doc, after=client.notifications.index(client.wait_for(
        lambda m: m["method"] == "window/showMessage")))  # published again once scoring failed
    # The failure is said by whichever fails first, the model's preload or this document's scoring
    # pass; the document's last publication (after its own pass failed) is the one to read.
    deadline = time.monotonic() + 60
    while True:
        hover = client.request("textDocument/hover", {"textDocument": {"uri": doc}, "position": {"line": 4, "character": 8}})
        if "The model could not score this file" in hover["contents"]["value"] or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert "The model could not score this file" in hover["contents"]["value"]
    mark = client.mark()
    client.change(doc, CODE + "\n", 2)
    client.diagnostics(doc, after=mark, where=bool)
    messages = [m["params"] for m in client.notifications if m["method"] == "window/showMessage"]
    assert len(messages) == 1 and messages[0]["message"].startswith("entropy-lint: rules only, no model numbers: server ")


# --- with the model -------------------------------------------------------------------------

@pytest.mark.model
def test_the_models_numbers_follow_and_hover_shows_them(start: Start, tmp_path: Path) -> None:
    client = start("--model", "smollm2-135m")
    doc = uri(tmp_path, "app.py")
    client.open(doc, CODE)
    first = client.diagnostics(doc, where=bool)
    scored = client.diagnostics(doc, where=lambda d: bool(d) and d[0]["data"]["scored"])
    assert first["diagnostics"][0]["data"]["scored"] is False  # rules first
    (diagnostic,) = scored["diagnostics"]
    assert diagnostic["range"] == CALL and "; model: p=" in diagnostic["message"]
    hover = client.request("textDocument/hover", {"textDocument": {"uri": doc}, "position": {"line": 4, "character": 8}})
    structure(hover, types.Hover)
    text = hover["contents"]["value"]
    assert hover["contents"]["kind"] == "markdown"
    assert "| callee token | probability | entropy (nats) | rank | the model's top alternatives |" in text
    assert "| `system` | " in text and "The whole call: surprisal " in text and "not a verdict" in text
    assert client.shutdown() == 0


@pytest.mark.model
def test_a_newer_edit_cancels_stale_scoring(start: Start, tmp_path: Path) -> None:
    client = start("--model", "smollm2-135m", "--debounce", "0", "--no-cache")
    scored: Callable[[list[dict[str, object]]], bool] = lambda d: bool(d) and all(x["data"]["scored"] for x in d)  # type: ignore[index]
    client.open(uri(tmp_path, "warm.py"), CODE)
    client.diagnostics(uri(tmp_path, "warm.py"), where=scored)  # the model is loaded
    doc = uri(tmp_path, "app.py")
    client.open(doc, CODE * 40)
    client.diagnostics(doc, where=bool)  # rules-only; scoring version 1 starts
    client.change(doc, (CODE * 40).replace("os.system(user_input)", "print(user_input)"), 2)
    assert client.diagnostics(doc, where=lambda d: d == [])["version"] == 2
    client.open(uri(tmp_path, "probe.py"), CODE)  # queued behind version 1's scoring on the model thread
    client.diagnostics(uri(tmp_path, "probe.py"), where=scored)
    published = client.published(doc)
    assert [p["version"] for p in published] == [1, 2]  # version 1's scores were never published
    assert not any(d["data"]["scored"] for p in published for d in p["diagnostics"])


@pytest.mark.model
def test_a_client_that_disconnects_mid_scoring_ends_the_server(tmp_path: Path) -> None:
    client = LspClient(["--model", "smollm2-135m", "--no-cache"], cwd=tmp_path)
    try:
        client.initialize(tmp_path, (tmp_path,))
        client.open(uri(tmp_path, "app.py"), CODE * 40)
        client.diagnostics(uri(tmp_path, "app.py"), where=bool)  # rules-only are out; scoring is under way
        assert client.proc.stdin is not None
        client.proc.stdin.close()
        assert client.proc.wait(120) == 1
        assert b"Traceback" not in client.stderr
    finally:
        client.kill()
