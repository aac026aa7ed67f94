"""The ``entropy-lint.checkWorkspace`` command: ``check`` over every workspace folder on the
model thread, progress as ``$/progress`` reports (cancellable by the client), and diagnostics
pushed for the files on disk that are not open (an open document shows its own, newer text).
A file fixed since the last run gets an empty publication."""

from __future__ import annotations

import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from entropy_lint.errors import EntropyLintError
from entropy_lint.front.lsp_analysis import Analyzer, Cancelled
from entropy_lint.front.lsp_convert import Encoding, Positions, path_to_uri
from entropy_lint.front.lsp_records import diagnostic
from entropy_lint.progress import Progress

if TYPE_CHECKING:
    from entropy_lint.front.lsp import Server

COMMAND = "entropy-lint.checkWorkspace"


@dataclass
class WorkspaceResult:
    diagnostics: dict[str, list[types.Diagnostic]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: {"files": 0, "findings": 0, "problems": 0})


@dataclass
class ProgressToken:
    """A server-created progress token; ``cancelled`` reads the client's cancel from any thread."""

    token: str
    server: Server

    def cancelled(self) -> bool:
        future = self.server.ls.work_done_progress.tokens.get(self.token)
        return future is not None and future.cancelled()

    def report(self, message: str, percentage: int) -> None:
        loop = self.server.loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self.server.ls.work_done_progress.report, self.token,
                                      types.WorkDoneProgressReport(message=message, percentage=percentage))


class WorkspaceProgress(Progress):
    """``check``'s file counter as ``$/progress`` reports (at most five a second), and the point
    where a cancelled workspace check stops."""

    def __init__(self, token: ProgressToken | None, cancel: threading.Event, label: str) -> None:
        super().__init__(None)
        self.token = token
        self.cancel = cancel
        self.label = label
        self._sent = 0.0

    def file_done(self) -> None:
        self.files += 1
        if self.cancel.is_set() or (self.token is not None and self.token.cancelled()):
            self.cancel.set()
            raise Cancelled()
        now = time.monotonic()
        if self.token is not None and (now - self._sent >= 0.2 or self.files == self.total):
            self._sent = now
            percentage = int(100 * self.files / self.total) if self.total else 0
            self.token.report(f"{self.label}: {self.files}/{self.total} files", percentage)


async def check_workspace(server: Server) -> dict[str, Any]:
    """Check every workspace folder; push diagnostics for files that are not open."""
    if server.workspace_cancel is not None:
        return {"started": False, "reason": "a workspace check is already running"}
    server.workspace_cancel = cancel = threading.Event()
    progress = await begin_progress(server, "entropy-lint: checking the workspace")
    totals: dict[str, Any] = {"started": True, "folders": 0, "files": 0, "findings": 0, "problems": 0,
                              "cancelled": False}
    published: set[str] = set()
    try:
        for folder in server.folders() or [os.getcwd()]:
            reporter = WorkspaceProgress(progress, cancel, Path(folder).name)
            try:
                found = await server.run_in(server.model_pool, workspace_pass, server.analyzer, folder, reporter,
                                            cancel, server.encoding)
            except Cancelled:
                totals["cancelled"] = True
                break
            except EntropyLintError as exc:
                server.show_error(f"entropy-lint: {folder}: {exc}")
                continue
            totals["folders"] += 1
            for key, value in found.counts.items():
                totals[key] += value
            for problem in found.problems:
                server.log_message(f"entropy-lint: {problem}", types.MessageType.Warning)
            for uri, diagnostics in found.diagnostics.items():
                published.add(uri)
                if uri not in server.docs:
                    server.ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, diagnostics))
        if not totals["cancelled"]:
            for uri in server.workspace_uris - published - set(server.docs):
                server.ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, []))
            server.workspace_uris = published
    finally:
        server.workspace_cancel = None
        if progress is not None:
            message = "cancelled" if totals["cancelled"] else f"{totals['findings']} findings in {totals['files']} files"
            server.ls.work_done_progress.end(progress.token, types.WorkDoneProgressEnd(message=message))
            server.ls.work_done_progress.tokens.pop(progress.token, None)
    return totals


def workspace_pass(analyzer: Analyzer, folder: str, reporter: WorkspaceProgress, cancel: threading.Event,
                   encoding: Encoding) -> WorkspaceResult:
    """On the model thread: check the folder, then turn findings into diagnostics (each file is
    read again for its line texts: columns go out in the client's encoding)."""
    from entropy_lint.run.sources import SourceError, read_source

    config, report = analyzer.workspace(folder, reporter, cancel)
    result = WorkspaceResult()
    result.counts["files"] = len(report.files)
    for file in report.files:
        if file.problem and file.level != "note":
            result.problems.append(file.problem)
            result.counts["problems"] += 1
        if not file.findings:
            continue
        path = file.findings[0].path
        try:
            text = read_source(Path(path), config.max_file_size)
        except (SourceError, OSError):
            continue  # gone or changed since: its findings cannot be placed
        positions = Positions(text, encoding)
        result.diagnostics[path_to_uri(path)] = [diagnostic(f, positions) for f in file.findings]
        result.counts["findings"] += len(file.findings)
    return result


async def begin_progress(server: Server, title: str) -> ProgressToken | None:
    """A progress token the client created for us, begun; None when it takes none."""
    if not server.progress_supported:
        return None
    token = ProgressToken(str(uuid.uuid4()), server)
    try:
        await server.ls.work_done_progress.create_async(token.token)
    except Exception:  # the client refused: check without a progress bar
        return None
    server.ls.work_done_progress.begin(token.token, types.WorkDoneProgressBegin(title, cancellable=True, percentage=0))
    return token
