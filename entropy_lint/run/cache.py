"""The results cache: per-file lint results in SQLite, so unchanged files need no model.

``cached`` wraps the pipeline the way a caching model wrapper does: it splits the sources into
hits and misses, runs the pipeline on the misses only, stores what came back complete, and
merges. The pipeline does not know the cache exists.

Keys cover everything that changes a file's result: its content and language, the lint
settings, the scorer's identity (weights, device, dtype and scoring settings; for a server,
the identity it reports), and a digest of entropy-lint's own code below the front ends. The database is in WAL
mode with a busy timeout, and each run writes its new rows in one transaction, so several
processes (pre-commit batches, editors) can share it. A corrupt or foreign file is moved aside
and rebuilt; a cache that cannot be used at all is skipped with one warning, never a crash.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from entropy_lint import __version__
from entropy_lint.findings import from_dict, to_dict
from entropy_lint.report import FileResult, Report
from entropy_lint.run.pipeline import Keep
from entropy_lint.run.sources import Source

Lint = Callable[[Sequence[Source]], Report]

SCHEMA_VERSION = 1
APPLICATION_ID = 0x454C4E54  # "ELNT"
FILE_NAME = "results.sqlite3"


# Layers whose code cannot change a cached result: the front ends, rendering and prompt mode.
_NOT_RESULTS = ("front", "report", "prompt")


@functools.cache
def code_digest() -> str:
    """A digest of every module whose change can change a result (detection, rules, languages
    and comment syntax, decoding, the pipeline, scoring), so upgrades never reuse stale rows."""
    package = Path(__file__).parent.parent
    h = hashlib.sha256(__version__.encode())
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] in _NOT_RESULTS:
            continue
        h.update(relative.as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def cached(lint: Lint, cache: ResultCache, context: str, keep: Keep | None = None,
           on_file: Callable[[], None] | None = None) -> Lint:
    """``lint`` with ``cache`` in front: hits are taken (``keep`` applied) and never reach it."""

    def run(sources: Sequence[Source]) -> Report:
        keys = {i: file_key(s.text, s.language, context, s.deps, s.classes) for i, s in enumerate(sources)
                if s.text is not None and s.language is not None}
        stored = cache.get_many(keys.values())
        merged: dict[int, FileResult] = {}
        for i, key in keys.items():
            if key in stored:
                found = [from_dict(d, sources[i].path) for d in stored[key]["findings"]]
                text = sources[i].text or ""
                merged[i] = FileResult(sources[i].path, sources[i].language,
                                       [f for f in found if keep is None or keep(f, text)],
                                       suppressed=stored[key]["suppressed"], cached=True,
                                       notes=list(stored[key].get("notes", ())))
                if on_file:
                    on_file()
        misses = [i for i in range(len(sources)) if i not in merged]
        fresh = lint([sources[i] for i in misses])
        cache.put_many({keys[i]: {"findings": [to_dict(f) for f in r.findings], "suppressed": r.suppressed,
                                   "notes": r.notes}
                        for i, r in zip(misses, fresh.files) if i in keys and r.complete})
        merged.update(zip(misses, fresh.files))
        report = replace(fresh, files=[merged[i] for i in range(len(sources))])
        if report.model is None:  # every scored finding came from the cache
            report.model = next((f.model for r in report.files for f in r.findings if f.model), None)
        return report

    return run


def file_key(text: str, language: str, context: str, deps: Mapping[str, str] | None = None,
             classes: Mapping[str, tuple[str, ...]] | None = None) -> str:
    """``context`` is everything that is not the file: settings, model, code digest; ``deps`` what
    the project's manifests say (version-dependent rules read it); ``classes`` what the tree's
    other files define (class-dependent rules read it)."""
    h = hashlib.sha256()
    tree = json.dumps(sorted(classes.items())) if classes else "{}"
    for part in (context, language, "null" if deps is None else json.dumps(sorted(deps.items())), tree, text):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


class ResultCache:
    """A key -> JSON-payload store. Opened lazily; every failure degrades to 'no cache'."""

    def __init__(self, folder: Path, warn: Callable[[str], None] = lambda _m: None) -> None:
        self.path = folder / FILE_NAME
        self.warn = warn
        self._db: sqlite3.Connection | None = None
        self._broken = False

    # --- connection -------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is not None or self._broken:
            return self._db
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = self._open()
        except (sqlite3.Error, OSError) as exc:
            self._broken = True
            self.warn(f"results cache {self.path} cannot be used ({exc}); continuing without it")
        return self._db

    def _open(self) -> sqlite3.Connection:
        db = self._try_open()
        if db is None:
            if not self.path.exists():
                raise sqlite3.DatabaseError("the cache file vanished while opening it")
            moved = self.path.with_name(f"{FILE_NAME}.broken-{int(time.time())}")
            os.replace(self.path, moved)
            for suffix in ("-wal", "-shm"):
                Path(str(self.path) + suffix).unlink(missing_ok=True)
            self.warn(f"results cache {self.path} was corrupt or not ours; moved it to {moved.name} and started afresh")
            db = self._try_open()
            if db is None:
                raise sqlite3.DatabaseError("a fresh cache file could not be created")
        return db

    def _try_open(self) -> sqlite3.Connection | None:
        """A connection to a valid cache file (creating it), or None if the file is not ours.

        "Locked" is not "corrupt": only errors that are not OperationalError count as a bad file.
        """
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout = 30000")
            if not self._valid(db):
                db.execute("BEGIN IMMEDIATE")  # one process creates the schema; the others wait here
                if not self._valid(db):
                    if not self._empty(db):
                        db.execute("ROLLBACK")
                        db.close()
                        return None
                    db.execute("CREATE TABLE results (key TEXT PRIMARY KEY, value BLOB NOT NULL, created REAL NOT NULL)")
                    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                db.execute("COMMIT")
            try:
                db.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError:
                pass  # another process holds a lock; WAL is a property of the file and is set once
            return db
        except sqlite3.OperationalError:
            db.close()
            raise
        except sqlite3.DatabaseError:
            db.close()
            return None

    @staticmethod
    def _valid(db: sqlite3.Connection) -> bool:
        app = db.execute("PRAGMA application_id").fetchone()[0]
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return bool(app == APPLICATION_ID and version == SCHEMA_VERSION and "results" in tables)

    @staticmethod
    def _empty(db: sqlite3.Connection) -> bool:
        app = db.execute("PRAGMA application_id").fetchone()[0]
        return app == 0 and db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0

    # --- use --------------------------------------------------------------------------------

    def get_many(self, keys: Iterable[str]) -> dict[str, Any]:
        db = self._connect()
        wanted = list(keys)
        if db is None or not wanted:
            return {}
        found: dict[str, Any] = {}
        try:
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                rows = db.execute(f"SELECT key, value FROM results WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                for key, value in rows:
                    found[key] = json.loads(zlib.decompress(value))
        except (sqlite3.Error, zlib.error, ValueError) as exc:
            self._fail(exc)
            return {}
        return found

    def put_many(self, items: Mapping[str, Any]) -> None:
        db = self._connect()
        if db is None or not items:
            return
        now = time.time()
        rows = [(k, zlib.compress(json.dumps(v, separators=(",", ":")).encode(), 6), now) for k, v in items.items()]
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO results (key, value, created) VALUES (?, ?, ?)", rows)
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            self._fail(exc)

    def info(self) -> dict[str, Any]:
        db = self._connect()
        size = sum(Path(str(self.path) + s).stat().st_size for s in ("", "-wal") if Path(str(self.path) + s).exists())
        entries = db.execute("SELECT COUNT(*) FROM results").fetchone()[0] if db is not None else 0
        return {"path": str(self.path), "entries": entries, "bytes": size}

    def clear(self) -> int:
        db = self._connect()
        if db is None:
            return 0
        count = db.execute("SELECT COUNT(*) FROM results").fetchone()[0]
        db.execute("DELETE FROM results")
        db.execute("VACUUM")
        return int(count)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def _fail(self, exc: Exception) -> None:
        self.warn(f"results cache {self.path}: {exc}; continuing without it")
        self.close()
        self._broken = True
