"""What the language server runs, without the protocol: configuration per workspace folder, the
rules-only pass, the scored pass with a model kept loaded, and the workspace check. All of it
calls the run layer (``run.check``), so an editor sees what ``entropy-lint check`` reports, from
the same results cache.

Threads: the server runs rules-only passes on one worker thread and everything that may touch
the model (scored passes, the workspace check, loading) on another, one job at a time: the
model is not thread-safe. A scored pass is cancelled through the scorer's progress callback,
which runs between forward passes: a newer edit sets the job's event and the pass stops at the
next batch, with nothing cached.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from entropy_lint.errors import EntropyLintError
from entropy_lint.findings import Finding
from entropy_lint.languages import LANGUAGES, language_for
from entropy_lint.model.choice import RemoteModel
from entropy_lint.progress import Progress
from entropy_lint.run.check import Target, check, scorer_source
from entropy_lint.run.config import Config, resolve

if TYPE_CHECKING:
    from entropy_lint.model.scoring import Scorer, ScorerSource
    from entropy_lint.report import Report

Log = Callable[[str], None]
log = logging.getLogger("entropy_lint.lsp")

# LSP language identifiers (the ones editors send) -> our languages, for buffers whose name
# does not tell (untitled buffers, scripts without an extension).
LANGUAGE_IDS = {
    "python": "python", "c": "c", "cpp": "cpp", "javascript": "javascript", "javascriptreact": "javascript",
    "typescript": "typescript", "typescriptreact": "tsx", "java": "java", "go": "go", "php": "php", "ruby": "ruby",
}


class Cancelled(Exception):
    """A newer edit (or the client) made this job's result useless."""


class ModelUnavailable(EntropyLintError):
    """The model failed to load once; rules-only diagnostics until the server restarts."""


@dataclass(frozen=True)
class Document:
    """One version of an open document, as a job sees it."""

    uri: str
    text: str
    path: str | None  # on disk, for file: URIs
    language_id: str = ""
    folder: str | None = None  # the workspace folder it belongs to

    def language(self) -> str | None:
        """By extension, file name or shebang (as ``check`` decides), else the client's language id."""
        name = self.path or self.uri
        found = language_for(name, self.text[:256])
        return found or LANGUAGE_IDS.get(self.language_id)


@dataclass
class RulesResult:
    """The rules-only pass: the findings, and why there are none when the file was not analysed."""

    config: Config | None = None
    language: str | None = None
    findings: list[Finding] = field(default_factory=list)
    log: str | None = None  # to log once: over the size limit, could not be analysed, a note
    config_error: str | None = None  # the project file is broken: shown once per message
    excluded: bool = False  # by the project's exclude globs

class KeptScorer:
    """A scorer source that opens once and stays open; its progress callback is the
    cancellation point of every scoring call made through it."""

    def __init__(self, source: ScorerSource, log: Log) -> None:
        self.source = source
        self.log = log
        self.scorer: Scorer | None = None
        self.cancel: threading.Event | None = None

    def identity(self) -> str:
        """The loaded model's, once loaded; a server's is asked each time (it may have been
        restarted with another model, and the results cache must not mix them)."""
        if self.scorer is not None and not isinstance(self.source, RemoteModel):
            return self.scorer.identity
        return self.source.identity()

    def open(self, progress: Callable[[int], None] | None = None, log: Log | None = None,
             planned: Callable[[int], None] | None = None) -> Scorer:
        if self.scorer is None:
            self.scorer = self.source.open(self._tick, self.log)
        return self.scorer

    def _tick(self, *_args: Any) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled()


class Analyzer:
    """Configuration and the passes. ``flags`` are the command line's settings (they override
    each folder's project file); ``explicit`` and ``isolated`` are --config and --isolated."""

    def __init__(self, flags: Mapping[str, Any], explicit: str | None = None, isolated: bool = False,
                 log: Log = lambda _m: None) -> None:
        self.flags = dict(flags)
        self.explicit = explicit
        self.isolated = isolated
        self.log = log
        self._kept: tuple[ScorerSource, KeptScorer] | None = None  # the model thread's only
        self._failed: dict[ScorerSource, str] = {}

    @property
    def use_model(self) -> bool:
        return bool(self.flags.get("use_model", True))

    def config_for(self, folder: str | None) -> Config:
        """The folder's configuration, read afresh (a saved project file applies at once)."""
        return resolve(self.flags, explicit=self.explicit, isolated=self.isolated,
                       cwd=Path(folder) if folder else None)

    # --- the rules-only pass (rules thread) ---------------------------------------------------

    def rules(self, doc: Document) -> RulesResult:
        language = doc.language()
        if language is None or language not in LANGUAGES:
            return RulesResult()  # not a language we lint: nothing to say
        try:
            config = self.config_for(doc.folder)
        except EntropyLintError as exc:
            return RulesResult(language=language, config_error=str(exc))
        result = RulesResult(config=config, language=language)
        if _over(doc.text, config.max_file_size):
            result.log = (f"{doc.path or doc.uri}: over the size limit of {config.max_file_size:,} bytes "
                              "(max-file-size); not linted")
            return result
        if doc.path and config.exclude and _excluded(doc.path, config):
            result.excluded = True
            return result
        rules_only = replace(config, use_model=False, max_prob=None, min_entropy=None)
        report = check(rules_only, self.target(doc, language))
        result.findings, result.log = _outcome(report)
        return result

    def target(self, doc: Document, language: str) -> Target:
        return Target(text=doc.text, filename=doc.path or doc.uri, language=language)

    # --- the model thread ---------------------------------------------------------------------

    def scored(self, doc: Document, config: Config, language: str, cancel: threading.Event) -> list[Finding]:
        """The findings with the model's numbers (and fixes ranked by it)."""
        if cancel.is_set():
            raise Cancelled()
        kept = self.kept(config)
        kept.cancel = cancel
        try:
            report = check(config, self.target(doc, language), scorer=kept)
        except Cancelled:
            log.info("scoring %s stopped: a newer edit came", doc.uri)
            raise
        finally:
            kept.cancel = None
        return _outcome(report)[0]

    def kept(self, config: Config) -> KeptScorer:
        """The scorer ``config`` asks for, loaded once; a different model replaces it (one model
        in memory). A local model that failed to load is not tried again until the server
        restarts (missing weights stay missing); a server that could not be reached is."""
        source = scorer_source(config)
        if source in self._failed:
            raise ModelUnavailable(self._failed[source])
        if self._kept is None or self._kept[0] != source:
            self._kept = None  # let the old model go before loading the new one
            self._kept = (source, KeptScorer(source, self.log))
        kept = self._kept[1]
        if kept.scorer is None:
            try:
                kept.open()
            except EntropyLintError as exc:
                if isinstance(source, RemoteModel):
                    raise
                self._failed[source] = str(exc)
                raise ModelUnavailable(str(exc)) from exc
        return kept

    def preload(self, folder: str | None) -> None:
        """Load the model the folder's configuration names, so the first scoring does not wait."""
        try:
            config = self.config_for(folder)
        except EntropyLintError:
            return  # the first document in that folder reports it
        if config.use_model:
            self.kept(config)

    def workspace(self, folder: str, progress: Progress, cancel: threading.Event) -> tuple[Config, Report]:
        """Check a whole workspace folder, as ``entropy-lint check FOLDER`` run from inside it."""
        config = self.config_for(folder)
        if config.root is None:
            config = replace(config, root=folder)  # links may lead anywhere inside the folder
        scorer = self.kept(config) if config.use_model else None
        if scorer is not None:
            scorer.cancel = cancel
        try:
            return config, check(config, Target(paths=(folder,), ignore_unsupported=True), scorer=scorer,
                                 progress=progress)
        finally:
            if scorer is not None:
                scorer.cancel = None


def _over(text: str, limit: int) -> bool:
    """The text's UTF-8 size is over ``limit`` (encoded only when its length cannot tell)."""
    if len(text) > limit:
        return True
    return len(text) * 4 > limit and len(text.encode("utf-8", "surrogatepass")) > limit


def _excluded(path: str, config: Config) -> bool:
    """The project's ``exclude`` globs apply to an open file as they do to a named one."""
    from entropy_lint.run.files import Candidate, discover

    if not Path(path).exists():
        return False
    return not any(isinstance(item, Candidate) for item in discover([path], config.exclude, base=str(config.base)))


def _outcome(report: Report) -> tuple[list[Finding], str | None]:
    """The one file's findings, and what to log when it could not be analysed (an empty
    buffer is not worth a word)."""
    if not report.files:
        return [], None
    result = report.files[0]
    if result.problem and result.level != "note":
        return [], result.problem
    return list(result.findings), "; ".join(result.notes) or None
