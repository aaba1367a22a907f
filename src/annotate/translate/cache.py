"""The persistent translation cache: SQLite, one row per model output.

Keyed by model ("name version"), decoding settings (beam size, caps, placeholder
scheme) and the exact text the model saw (after placeholder protection), so a
re-run on an unchanged corpus makes no model call and a changed sentence is the
only one translated again.  Raw model outputs are stored, before glossary
substitution: a changed glossary English needs no new translation.

Safety: WAL journal and one transaction per batch, so a killed run leaves every
committed batch readable and nothing half-written; several worker processes can
share the file (busy timeout).  A file that is not a usable SQLite database is
reported in one warning line, moved aside (``…sqlite.corrupt``) and rebuilt; if
the folder is not writable the run continues with an in-memory cache.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from .backend import RawOutput

SCHEMA_VERSION = 1
_CHUNK = 500  # SQLite's default limit on host parameters is 999 (older builds)

_CREATE = """
CREATE TABLE IF NOT EXISTS mt (
    model TEXT NOT NULL,
    settings TEXT NOT NULL,
    source TEXT NOT NULL,
    output TEXT NOT NULL,
    source_pieces INTEGER NOT NULL,
    output_pieces INTEGER NOT NULL,
    PRIMARY KEY (model, settings, source)
) WITHOUT ROWID
"""


def is_damage(exc: BaseException) -> bool:
    """SQLITE_NOTADB and SQLITE_CORRUPT arrive as plain DatabaseError; its subclasses
    (OperationalError: locked or unwritable; IntegrityError, ProgrammingError: bugs) do not mean a broken file."""
    return type(exc) is sqlite3.DatabaseError


def warn(message: str) -> None:
    print(f"annotate: warning: {message}", file=sys.stderr)


class TranslationCache:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.warnings: list[str] = []
        self.conn = self._open()

    # -- opening and recovery ------------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect(self.path)
        except (sqlite3.OperationalError, OSError) as exc:  # locked, unwritable, cannot open: not damage
            return self._in_memory(exc)
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            return self._rebuild(exc)  # "file is not a database", "disk image is malformed"

    def _connect(self, path: Path) -> sqlite3.Connection:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: committed data survives a killed process
            check = conn.execute("PRAGMA quick_check(1)").fetchone()
            if not check or check[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {check[0] if check else 'no answer'}")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'mt'").fetchone() is not None
            if has_table and version != SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"cache schema version {version}, expected {SCHEMA_VERSION}")
            conn.execute(_CREATE)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            conn.close()
            raise
        return conn

    def _rebuild(self, exc: Exception) -> sqlite3.Connection:
        aside = self.path.with_name(self.path.name + ".corrupt")
        try:
            os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    os.replace(side, aside.with_name(aside.name + suffix))
            conn = self._connect(self.path)
        except (OSError, sqlite3.DatabaseError) as again:
            return self._in_memory(again)
        self._warn(f"{self.path}: translation cache unusable ({exc}); moved aside to {aside.name} and rebuilt")
        return conn

    def _in_memory(self, exc: Exception) -> sqlite3.Connection:
        self._warn(f"{self.path}: cannot use the translation cache ({exc}); translations are not kept for the next run")
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.execute(_CREATE)
        return conn

    def _warn(self, message: str) -> None:
        message = " ".join(message.split())  # one line, whatever SQLite put in the error
        self.warnings.append(message)
        warn(message)

    def _recover(self, exc: sqlite3.DatabaseError) -> None:
        """The file broke while in use (e.g. overwritten by another program): move it aside and go on."""
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        self.conn = self._rebuild(exc)

    # -- use ----------------------------------------------------------------------
    def get_many(self, model: str, settings: str, sources: Sequence[str]) -> dict[str, RawOutput]:
        """The cached outputs among ``sources`` (missing ones are absent from the result)."""
        unique = list(dict.fromkeys(sources))
        try:
            return self._select(model, settings, unique)
        except sqlite3.OperationalError as exc:
            self._warn(f"{self.path}: cache look-up failed ({exc}); translating instead")
            return {}
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            self._recover(exc)
            return {}

    def _select(self, model: str, settings: str, sources: list[str]) -> dict[str, RawOutput]:
        found: dict[str, RawOutput] = {}
        for i in range(0, len(sources), _CHUNK):
            chunk = sources[i:i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = self.conn.execute(
                f"SELECT source, output, source_pieces, output_pieces FROM mt "
                f"WHERE model = ? AND settings = ? AND source IN ({marks})",
                (model, settings, *chunk),
            )
            for source, output, n_in, n_out in rows:
                found[source] = RawOutput(output, n_in, n_out)
        return found

    def put_many(self, model: str, settings: str, items: Iterable[tuple[str, RawOutput]]) -> None:
        """Store outputs in one transaction: all of them or, if interrupted, none."""
        rows = [(model, settings, src, out.text, out.source_pieces, out.output_pieces) for src, out in items]
        if not rows:
            return
        try:
            self._insert(rows)
        except sqlite3.OperationalError as exc:  # e.g. locked for longer than the timeout
            self._warn(f"{self.path}: could not store {len(rows)} translations ({exc})")
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            self._recover(exc)
            try:
                self._insert(rows)
            except sqlite3.Error as again:  # caching is an optimisation: never fail the translation for it
                self._warn(f"{self.path}: could not store {len(rows)} translations ({again})")

    def _insert(self, rows: list[tuple]) -> None:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            self.conn.executemany("INSERT OR REPLACE INTO mt VALUES (?, ?, ?, ?, ?, ?)", rows)
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM mt").fetchone()[0]

    def close(self) -> None:
        self.conn.close()
