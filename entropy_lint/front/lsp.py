"""``entropy-lint lsp``: a language server over stdio (pygls), for any editor that speaks LSP.

- Diagnostics are pushed for open documents: on open and save at once, on change after a short
  pause (``--debounce``). Rules-only diagnostics come first; the model's numbers follow when the
  scored pass finishes, published again. A newer edit cancels the older passes and their results
  are never published (each publication carries its document version).
- Hover over a finding's call: the model's view of it (``lsp_text``). Code actions: each verified
  fix, best first, and a comment that suppresses the rule on that line (``lsp_suppress``).
- ``entropy-lint.checkWorkspace`` checks every workspace folder, reporting ``$/progress``, and
  pushes diagnostics for the files on disk (``lsp_workspace``).

Every pass calls the run layer with the folder's own configuration (``lsp_analysis``), so the
editor shows what ``entropy-lint check`` would. Documents are synchronised whole (Full sync):
the server keeps its own text and positions (``lsp_convert``), in the position encoding the
client negotiated.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from entropy_lint import __version__
from entropy_lint.errors import EntropyLintError
from entropy_lint.findings import Finding
from entropy_lint.front.lsp_analysis import Analyzer, Cancelled, Document, ModelUnavailable
from entropy_lint.front.lsp_convert import Encoding, Positions, uri_to_path
from entropy_lint.front.lsp_protocol import Protocol
from entropy_lint.front.lsp_records import diagnostic, span_range, workspace_edit
from entropy_lint.front.lsp_suppress import suppression
from entropy_lint.front.lsp_text import Status, fix_title, fixes_of, hover
from entropy_lint.front.lsp_workspace import COMMAND
from entropy_lint.front.lsp_workspace import check_workspace as run_workspace_check
from entropy_lint.rules import by_id

T = TypeVar("T")
log = logging.getLogger("entropy_lint.lsp")


@dataclass(frozen=True)
class Shown:
    """What was last published for a document, and the text it describes."""

    generation: int
    version: int | None
    positions: Positions
    language: str
    findings: tuple[Finding, ...]
    status: Status


@dataclass
class OpenDocument:
    uri: str
    language_id: str
    version: int | None
    text: str
    generation: int = 0  # bumped by every change; a pass publishes only if it is still current
    shown: Shown | None = None
    task: asyncio.Future[None] | None = None
    cancel: threading.Event | None = None
    logged: set[str] = field(default_factory=set)


class Server:
    """The protocol side: documents, passes, publication, hover, code actions, the command."""

    def __init__(self, analyzer: Analyzer, debounce: float = 0.3) -> None:
        self.analyzer = analyzer
        self.debounce = debounce
        self.ls = LanguageServer("entropy-lint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full,
                                 protocol_cls=Protocol)
        # Rules-only passes and everything that may touch the model run on separate single
        # threads, so rules-only diagnostics never wait for scoring.
        self.rules_pool = ThreadPoolExecutor(1, "entropy-lint-rules")
        self.model_pool = ThreadPoolExecutor(1, "entropy-lint-model")
        self.docs: dict[str, OpenDocument] = {}
        self.loop: asyncio.AbstractEventLoop | None = None
        self.encoding: Encoding = "utf-16"
        self.markdown = False
        self.document_changes = False
        self.progress_supported = False
        self.shut_down = False
        self.model_failed = False
        self.shown_errors: set[str] = set()
        self.workspace_uris: set[str] = set()
        self.workspace_cancel: threading.Event | None = None
        self.preloading: asyncio.Future[None] | None = None
        analyzer.log = self._log_from_thread
        self._register()

    # --- wiring ---------------------------------------------------------------------------------

    def _register(self) -> None:
        ls = self.ls

        @ls.feature(types.INITIALIZE)
        async def initialize(params: types.InitializeParams) -> None:
            self.initialize(params)

        @ls.feature(types.INITIALIZED)
        async def initialized(params: types.InitializedParams) -> None:
            if self.analyzer.use_model:
                self.preloading = asyncio.ensure_future(self.preload())  # kept: the loop holds tasks weakly

        @ls.feature(types.SHUTDOWN)
        async def shutdown(params: Any = None) -> None:
            self.shut_down = True
            self.stop_work()

        @ls.feature(types.TEXT_DOCUMENT_DID_OPEN)
        async def did_open(params: types.DidOpenTextDocumentParams) -> None:
            item = params.text_document
            doc = OpenDocument(item.uri, item.language_id, item.version, item.text)
            old = self.docs.get(item.uri)
            if old is not None:
                self.forget(old)
            self.docs[item.uri] = doc
            self.schedule(doc, 0.0)

        @ls.feature(types.TEXT_DOCUMENT_DID_CHANGE)
        async def did_change(params: types.DidChangeTextDocumentParams) -> None:
            doc = self.docs.get(params.text_document.uri)
            if doc is None:
                return
            changes = params.content_changes
            if changes and all(isinstance(c, types.TextDocumentContentChangeWholeDocument) for c in changes):
                doc.text = changes[-1].text
            else:  # a client that sends ranges despite Full sync: pygls has applied them
                doc.text = self.ls.workspace.get_text_document(doc.uri).source
            doc.version = params.text_document.version
            self.schedule(doc, self.debounce)

        @ls.feature(types.TEXT_DOCUMENT_DID_SAVE)
        async def did_save(params: types.DidSaveTextDocumentParams) -> None:
            uri = params.text_document.uri
            if Path(uri_to_path(uri) or "").name in (".entropy-lint.toml", "pyproject.toml"):
                for each in self.docs.values():  # the configuration may have changed
                    self.schedule(each, 0.0)
                return
            doc = self.docs.get(uri)
            if doc is not None and (doc.shown is None or doc.shown.generation != doc.generation):
                self.schedule(doc, 0.0)

        @ls.feature(types.TEXT_DOCUMENT_DID_CLOSE)
        async def did_close(params: types.DidCloseTextDocumentParams) -> None:
            doc = self.docs.pop(params.text_document.uri, None)
            if doc is not None:
                self.forget(doc)
                if doc.shown is not None and doc.shown.findings:
                    self.ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(doc.uri, []))

        @ls.feature(types.TEXT_DOCUMENT_HOVER)
        async def on_hover(params: types.HoverParams) -> types.Hover | None:
            return self.hover(params)

        @ls.feature(types.TEXT_DOCUMENT_CODE_ACTION,
                    types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]))
        async def code_action(params: types.CodeActionParams) -> list[types.CodeAction]:
            return await self.code_actions(params)

        @ls.command(COMMAND)
        async def check_workspace(*args: Any) -> dict[str, Any]:
            return await run_workspace_check(self)

    def initialize(self, params: types.InitializeParams) -> None:
        self.loop = asyncio.get_running_loop()
        caps = params.capabilities
        chosen = str(self.ls.workspace.position_encoding or "utf-16")  # what pygls told the client
        self.encoding = chosen if chosen in ("utf-8", "utf-16", "utf-32") else "utf-16"  # type: ignore[assignment]
        formats = _cap(caps, "text_document", "hover", "content_format") or ()
        self.markdown = types.MarkupKind.Markdown in formats
        self.document_changes = bool(_cap(caps, "workspace", "workspace_edit", "document_changes"))
        self.progress_supported = bool(_cap(caps, "window", "work_done_progress"))

    # --- passes ---------------------------------------------------------------------------------

    def schedule(self, doc: OpenDocument, delay: float) -> None:
        """Analyse ``doc`` as it is now, after ``delay`` seconds; whatever ran before is stale."""
        doc.generation += 1
        self.forget(doc)
        doc.task = asyncio.ensure_future(self.analyse(doc, doc.generation, delay))

    def forget(self, doc: OpenDocument) -> None:
        if doc.task is not None:
            doc.task.cancel()
        if doc.cancel is not None:
            doc.cancel.set()  # a scored pass stops at its next batch

    def current(self, doc: OpenDocument, generation: int) -> bool:
        return doc.generation == generation and self.docs.get(doc.uri) is doc

    async def analyse(self, doc: OpenDocument, generation: int, delay: float) -> None:
        try:
            await self._analyse(doc, generation, delay)
        except (asyncio.CancelledError, Cancelled):
            pass
        except (BrokenPipeError, ConnectionError):
            pass  # the client is gone; the main loop is ending
        except Exception as exc:  # a bug must cost this document its diagnostics, not the server
            log.exception("analysing %s", doc.uri)
            self.log_message(f"entropy-lint: {doc.uri} could not be analysed ({type(exc).__name__}: {exc}); "
                             "please report this", types.MessageType.Error)

    async def _analyse(self, doc: OpenDocument, generation: int, delay: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        snapshot = Document(doc.uri, doc.text, uri_to_path(doc.uri), doc.language_id, self.folder_of(doc.uri))
        version = doc.version
        result = await self.run_in(self.rules_pool, self.analyzer.rules, snapshot)
        if not self.current(doc, generation) or result.language is None:
            return  # stale, or not a language we lint: no diagnostics, no error
        if result.config_error:
            self.show_error(result.config_error)
        if result.log and result.log not in doc.logged:
            doc.logged.add(result.log)
            self.log_message(f"entropy-lint: {result.log}", types.MessageType.Warning)
        positions = Positions(snapshot.text, self.encoding)
        config = result.config
        if config is None or result.excluded or not result.findings:
            self.publish(doc, Shown(generation, version, positions, result.language, (), "scored"))
            return
        scoring = config.use_model
        status: Status = "no-model" if not scoring else "unavailable" if self.model_failed else "pending"
        gated = config.max_prob is not None or config.min_entropy is not None
        if not (scoring and gated and not self.model_failed):  # a gate's findings are known only once scored
            self.publish(doc, Shown(generation, version, positions, result.language, tuple(result.findings), status))
        if not scoring or self.model_failed:
            return
        doc.cancel = cancel = threading.Event()
        try:
            scored = await self.run_in(self.model_pool, self.analyzer.scored, snapshot, config, result.language, cancel)
        except EntropyLintError as exc:
            self.model_failed = isinstance(exc, ModelUnavailable)
            self.show_error(f"entropy-lint: rules only, no model numbers: {exc}")
            if self.current(doc, generation):
                self.publish(doc, Shown(generation, version, positions, result.language, tuple(result.findings),
                                        "unavailable"))
            return
        if self.current(doc, generation):
            self.publish(doc, Shown(generation, version, positions, result.language, tuple(scored), "scored"))

    async def preload(self) -> None:
        folders = self.folders()
        try:
            await self.run_in(self.model_pool, self.analyzer.preload, folders[0] if folders else None)
        except EntropyLintError as exc:
            self.model_failed = isinstance(exc, ModelUnavailable)
            self.show_error(f"entropy-lint: rules only, no model numbers: {exc}")

    async def run_in(self, pool: ThreadPoolExecutor, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(pool, fn, *args)

    def publish(self, doc: OpenDocument, shown: Shown) -> None:
        doc.shown = shown
        diagnostics = [diagnostic(f, shown.positions) for f in shown.findings]
        self.ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(doc.uri, diagnostics, shown.version))

    # --- requests -------------------------------------------------------------------------------

    def shown(self, uri: str) -> tuple[OpenDocument, Shown] | None:
        """The document and what was published for its current text (None while it is stale)."""
        doc = self.docs.get(uri)
        if doc is None or doc.shown is None or doc.shown.generation != doc.generation:
            return None
        return doc, doc.shown

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        found = self.shown(params.text_document.uri)
        if found is None:
            return None
        _doc, shown = found
        at = shown.positions.offset(params.position.line, params.position.character)
        hits = [f for f in shown.findings if f.span[0] <= at < f.span[1]]
        if not hits:
            return None
        finding = min(hits, key=lambda f: f.span[1] - f.span[0])  # the innermost call
        kind = types.MarkupKind.Markdown if self.markdown else types.MarkupKind.PlainText
        text = hover(finding, by_id()[finding.rule_id], shown.status, markdown=self.markdown)
        return types.Hover(types.MarkupContent(kind, text), span_range(shown.positions, *finding.span))

    async def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        found = self.shown(params.text_document.uri)
        only = params.context.only
        if found is None or (only and not any(types.CodeActionKind.QuickFix.value.startswith(k) for k in only)):
            return []
        doc, shown = found
        first, last = params.range.start.line, params.range.end.line
        hits = [f for f in shown.findings if f.line - 1 <= last and f.end_line - 1 >= first]
        if not hits:
            return []
        actions: list[types.CodeAction] = []
        for f in hits:
            for i, fix in enumerate(fixes_of(f)):
                edits = [types.TextEdit(span_range(shown.positions, r.start, r.end), r.text) for r in fix.replacements]
                actions.append(types.CodeAction(fix_title(fix), kind=types.CodeActionKind.QuickFix,
                                                diagnostics=[diagnostic(f, shown.positions)],
                                                edit=workspace_edit(doc.uri, shown.version, edits, self.document_changes),
                                                is_preferred=i == 0 and fix.safety == "safe"))
        text = shown.positions.text
        comments = await self.run_in(self.rules_pool, _suppressions, text, shown.language, hits)
        if not self.current(doc, shown.generation):
            return []
        for f, edit in zip(hits, comments):
            if edit is not None:
                change = types.TextEdit(span_range(shown.positions, edit.start, edit.end), edit.new)
                actions.append(types.CodeAction(f"entropy-lint: suppress {f.rule_id} on this line",
                                                kind=types.CodeActionKind.QuickFix,
                                                diagnostics=[diagnostic(f, shown.positions)],
                                                edit=workspace_edit(doc.uri, shown.version, [change],
                                                                    self.document_changes)))
        return actions

    # --- messages -------------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        """A message the user should see, once per text (not at every keystroke)."""
        if message not in self.shown_errors:
            self.shown_errors.add(message)
            self.ls.window_show_message(types.ShowMessageParams(types.MessageType.Error, message))

    def log_message(self, message: str, kind: types.MessageType = types.MessageType.Info) -> None:
        self.ls.window_log_message(types.LogMessageParams(kind, message))

    def _log_from_thread(self, message: str) -> None:
        if self.loop is not None and not self.loop.is_closed():
            self.loop.call_soon_threadsafe(self.log_message, f"entropy-lint: {message}")

    # --- folders and the end ----------------------------------------------------------------------

    def folders(self) -> list[str]:
        """The workspace folders on disk (the root, for a client that names no folders)."""
        paths = [uri_to_path(uri) for uri in self.ls.workspace.folders]
        found = [p for p in paths if p]
        if not found and self.ls.workspace.root_uri:
            root = uri_to_path(self.ls.workspace.root_uri)
            found = [root] if root else []
        return found

    def folder_of(self, uri: str) -> str | None:
        """The innermost workspace folder holding the document; else its own folder (a loose
        file's project file is found from there); None for an untitled buffer (the server's
        working directory)."""
        path = uri_to_path(uri)
        if path is None:
            return None
        holding = [f for f in self.folders() if path.startswith(f.rstrip(os.sep) + os.sep)]
        return max(holding, key=len) if holding else os.path.dirname(path)

    def stop_work(self) -> None:
        for doc in self.docs.values():
            self.forget(doc)
        if self.workspace_cancel is not None:
            self.workspace_cancel.set()

    def close(self) -> None:
        self.stop_work()
        self.rules_pool.shutdown(wait=False, cancel_futures=True)
        self.model_pool.shutdown(wait=False, cancel_futures=True)


def _suppressions(text: str, language: str, findings: Sequence[Finding]) -> list[Any]:
    return [suppression(text, language, f.rule_id, f.line) for f in findings]


def _cap(obj: Any, *names: str) -> Any:
    """A nested client capability, None where any level is absent."""
    for name in names:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    return obj


def serve(flags: Mapping[str, Any], *, explicit: str | None = None, isolated: bool = False,
          debounce: float = 0.3, log_level: str = "warning") -> int:
    """Speak LSP on stdin/stdout until the client says exit or goes away. Returns the exit code
    the protocol asks for: 0 after a shutdown request, 1 otherwise.

    The protocol owns the real stdout; file descriptor 1 is pointed at stderr, so a library that
    prints (a download bar, a warning) cannot corrupt the stream."""
    logging.basicConfig(stream=sys.stderr, level=log_level.upper(), format="entropy-lint lsp: %(levelname)s: %(message)s")
    protocol_out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    server = Server(Analyzer(flags, explicit, isolated), debounce)
    try:
        server.ls.start_io(sys.stdin.buffer, protocol_out)
    finally:
        server.close()
    return 0 if server.shut_down else 1
