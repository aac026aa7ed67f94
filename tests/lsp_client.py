"""A small LSP client for the tests: ``entropy-lint lsp`` as a real subprocess, spoken to in
JSON-RPC over its stdin/stdout with Content-Length framing, as an editor does.

Requests from the server (``window/workDoneProgress/create``) are answered with null and kept;
every notification is kept in order, so a test can wait for one and then look at all of them.
The waits have generous timeouts only so that a broken server fails the test instead of
hanging it; nothing here measures time.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

TIMEOUT = 300.0  # a hang guard, not a measurement
Message = dict[str, Any]


class ServerError(Exception):
    """The server answered a request with an error."""

    def __init__(self, error: Message) -> None:
        super().__init__(f"{error.get('code')}: {error.get('message')}")
        self.error = error


class LspClient:
    def __init__(self, args: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "entropy_lint", "lsp", *args], cwd=cwd,
                                     env=env or os.environ.copy(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.notifications: list[Message] = []
        self.arrived: list[float] = []  # time.perf_counter() as each notification was read (for benchmarks)
        self.server_requests: list[Message] = []
        self.responses: dict[int, Message] = {}
        self.stderr = b""
        self.closed = False
        self._next = 0
        self._cond = threading.Condition()
        self._write = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    # --- wire -----------------------------------------------------------------------------------

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    with self._cond:
                        self.closed = True
                        self._cond.notify_all()
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            assert length is not None, "a message without Content-Length"
            message = json.loads(out.read(length))
            if "method" in message and "id" in message:
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            with self._cond:
                if "method" in message and "id" in message:
                    self.server_requests.append(message)
                elif "method" in message:
                    self.notifications.append(message)
                    self.arrived.append(time.perf_counter())
                else:
                    self.responses[message["id"]] = message
                self._cond.notify_all()

    def _drain_stderr(self) -> None:
        assert self.proc.stderr is not None
        fd = self.proc.stderr.fileno()
        for chunk in iter(lambda: os.read(fd, 65536), b""):
            self.stderr += chunk

    def _send(self, message: Message) -> None:
        body = json.dumps(message).encode("utf-8")
        with self._write:
            assert self.proc.stdin is not None
            self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.proc.stdin.flush()

    # --- protocol -------------------------------------------------------------------------------

    def request_raw(self, method: str, params: Any = None) -> Message:
        with self._cond:
            self._next += 1
            ident = self._next
        self._send({"jsonrpc": "2.0", "id": ident, "method": method, **({"params": params} if params is not None else {})})
        with self._cond:
            if not self._cond.wait_for(lambda: ident in self.responses or self.closed, TIMEOUT):
                raise TimeoutError(f"no answer to {method}")
            if ident not in self.responses:
                raise ConnectionError(f"the server closed its output before answering {method}: {self.stderr!r}")
            return self.responses.pop(ident)

    def request(self, method: str, params: Any = None) -> Any:
        reply = self.request_raw(method, params)
        if "error" in reply:
            raise ServerError(reply["error"])
        return reply.get("result")

    def notify(self, method: str, params: Any = None) -> None:
        self._send({"jsonrpc": "2.0", "method": method, **({"params": params} if params is not None else {})})

    def wait_for(self, predicate: Callable[[Message], bool], after: int = 0) -> Message:
        """The first notification at index ``after`` or later that satisfies ``predicate``."""
        found: list[Message] = []

        def ready() -> bool:
            found[:] = [m for m in self.notifications[after:] if predicate(m)][:1]
            return bool(found) or self.closed

        with self._cond:
            if not self._cond.wait_for(ready, TIMEOUT):
                raise TimeoutError(f"no such notification; got {[m['method'] for m in self.notifications[after:]]}")
            if not found:
                raise ConnectionError(f"the server went away: {self.stderr.decode(errors='replace')}")
            return found[0]

    def diagnostics(self, uri: str, after: int = 0, where: Callable[[list[Message]], bool] = lambda _d: True) -> Message:
        """The first publishDiagnostics for ``uri`` (from ``after`` on) whose list satisfies ``where``."""
        return self.wait_for(lambda m: m["method"] == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
                             and where(m["params"]["diagnostics"]), after)["params"]

    def arrival(self, message: Message) -> float:
        """When ``message`` (a notification object from this client) was read."""
        with self._cond:
            return self.arrived[next(i for i, m in enumerate(self.notifications) if m is message)]

    def published(self, uri: str) -> list[Message]:
        with self._cond:
            return [m["params"] for m in self.notifications
                    if m["method"] == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri]

    def mark(self) -> int:
        """Where the notifications stand now (for ``after=``)."""
        with self._cond:
            return len(self.notifications)

    # --- conveniences ---------------------------------------------------------------------------

    def initialize(self, root: Path | None = None, folders: Sequence[Path] = (), encodings: Sequence[str] | None = None,
                   markdown: bool = True, document_changes: bool = True) -> Message:
        capabilities: Message = {
            "textDocument": {"hover": {"contentFormat": ["markdown", "plaintext"] if markdown else ["plaintext"]},
                             "publishDiagnostics": {"versionSupport": True},
                             "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}}},
            "workspace": {"workspaceEdit": {"documentChanges": document_changes}, "workspaceFolders": True},
            "window": {"workDoneProgress": True},
        }
        if encodings is not None:
            capabilities["general"] = {"positionEncodings": list(encodings)}
        result = self.request("initialize", {
            "processId": os.getpid(), "capabilities": capabilities,
            "rootUri": root.as_uri() if root else None,
            "workspaceFolders": [{"uri": f.as_uri(), "name": f.name} for f in folders] or None,
        })
        self.notify("initialized", {})
        return result  # type: ignore[no-any-return]

    def open(self, uri: str, text: str, language: str = "python", version: int = 1) -> None:
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": language, "version": version,
                                                              "text": text}})

    def change(self, uri: str, text: str, version: int) -> None:
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})

    def shutdown(self) -> int:
        """shutdown, then exit; the process's exit status."""
        self.request("shutdown")
        self.notify("exit")
        return self.proc.wait(TIMEOUT)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(TIMEOUT)


def apply_edits(text: str, edits: Sequence[Message]) -> str:
    """Apply LSP TextEdits (UTF-16 positions) to ``text``, last first."""
    lines = _lines(text)

    def offset(pos: Message) -> int:
        line = lines[pos["line"]] if pos["line"] < len(lines) else ""
        before = sum(len(x) for x in lines[: pos["line"]])
        units, i = 0, 0
        while units < pos["character"] and i < len(line):
            units += 2 if ord(line[i]) > 0xFFFF else 1
            i += 1
        return before + i

    for edit in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]), reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
        lines = _lines(text)
    return text


def _lines(text: str) -> list[str]:
    """Lines with their breaks, as LSP counts them (LF, CRLF, a lone CR; nothing else)."""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text) or [""]
