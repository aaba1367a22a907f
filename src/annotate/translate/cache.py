"""The persistent translation cache: SQLite, one row per model output.

Keyed by model ("name version"), decoding settings (beam size, caps, placeholder
scheme) and the exact text the model saw (after placeholder protection), so a
re-run on an unchanged corpus makes no model call and a changed sentence is the
only one translated again.  Raw model outputs are stored, before glossary
substitution: a changed glossary English needs no new translation.

Safety: WAL journal and one transaction per batch, so a killed run leaves every
committed batch readable and nothing half-written; several worker processes of one
machine can share the file (busy timeout).  Workers on a cluster cannot: SQLite's
WAL needs memory shared by every writer, which a network file system does not give.
There (:func:`write_to_parts`) a worker reads the shared file as immutable and writes
what it translates to a part file only it writes; the one process that drives the run
folds the parts into the shared file before and after the workers run (:func:`merge_parts`).  A file that is not a usable SQLite database is
reported in one warning line, moved aside (``…sqlite.corrupt``) and rebuilt; if
the folder is not writable the run continues with an in-memory cache.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sqlite3
import sys
import threading
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path

from .align import Alignment
from .backend import RawOutput

#: 2 added the alignment column (a version-1 file gains it in place: its rows stay readable).
SCHEMA_VERSION = 2
_CHUNK = 500  # SQLite's default limit on host parameters is 999 (older builds)

_CREATE = """
CREATE TABLE IF NOT EXISTS mt (
    model TEXT NOT NULL,
    settings TEXT NOT NULL,
    source TEXT NOT NULL,
    output TEXT NOT NULL,
    source_pieces INTEGER NOT NULL,
    output_pieces INTEGER NOT NULL,
    alignment TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (model, settings, source)
) WITHOUT ROWID
"""


def is_damage(exc: BaseException) -> bool:
    """SQLITE_NOTADB and SQLITE_CORRUPT arrive as plain DatabaseError; its subclasses
    (OperationalError: locked or unwritable; IntegrityError, ProgrammingError: bugs) do not mean a broken file."""
    return type(exc) is sqlite3.DatabaseError


def warn(message: str) -> None:
    print(f"annotate: warning: {message}", file=sys.stderr)


_WRITE_TO_PARTS = False


def write_to_parts(on: bool) -> None:
    """Make every cache this process opens from now on read the shared file and write to a part
    file of its own (a Dask worker: see the module docstring)."""
    global _WRITE_TO_PARTS
    _WRITE_TO_PARTS = on


def parts_dir(path: Path) -> Path:
    """Where the part files of the shared cache ``path`` go."""
    return path.with_name(path.name + ".parts")


class TranslationCache:
    def __init__(self, path: Path, *, parts: bool | None = None) -> None:
        self.path = Path(path)
        self.warnings: list[str] = []
        self.parts = _WRITE_TO_PARTS if parts is None else parts
        self.part: sqlite3.Connection | None = None  # this process's part file, opened at the first store
        self.conn = self._open_shared() if self.parts else self._open()

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
            if has_table and version == 1:  # before alignments were kept
                conn.execute("ALTER TABLE mt ADD COLUMN alignment TEXT NOT NULL DEFAULT ''")
                version = SCHEMA_VERSION
            if has_table and version != SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"cache schema version {version}, expected {SCHEMA_VERSION}")
            conn.execute(_CREATE)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            conn.close()
            raise
        return conn

    def _open_shared(self) -> sqlite3.Connection:
        """The shared file, read-only and immutable (the merging process checkpointed it, and nobody
        writes it while workers run); an empty cache when it does not exist or cannot be read."""
        try:
            if self.path.is_file():
                conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro&immutable=1", uri=True,
                                       isolation_level=None, check_same_thread=False)
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return conn
        except sqlite3.DatabaseError as exc:
            self._warn(f"{self.path}: cannot read the shared translation cache ({exc}); translating instead")
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.execute(_CREATE)
        return conn

    def _open_part(self) -> sqlite3.Connection:
        folder = parts_dir(self.path)
        name = f"{socket.gethostname()}-{os.getpid()}-{threading.get_ident()}-{uuid.uuid4().hex[:8]}.sqlite"
        folder.mkdir(parents=True, exist_ok=True)
        # Closed from another thread at the end of a run; one writer only, so no shared memory needed.
        conn = sqlite3.connect(folder / name, timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(_CREATE)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
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
        if self.parts:
            return self._select_parted(model, settings, unique)
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

    def _select_parted(self, model: str, settings: str, sources: list[str]) -> dict[str, RawOutput]:
        found: dict[str, RawOutput] = {}
        for conn in (self.conn, self.part):
            if conn is None:
                continue
            try:
                found.update(self._select(model, settings, [s for s in sources if s not in found], conn))
            except sqlite3.DatabaseError as exc:  # a cache: a look-up that fails is a translation more
                self._warn(f"{self.path}: cache look-up failed ({exc}); translating instead")
        return found

    def _select(self, model: str, settings: str, sources: list[str],
                conn: sqlite3.Connection | None = None) -> dict[str, RawOutput]:
        found: dict[str, RawOutput] = {}
        for i in range(0, len(sources), _CHUNK):
            chunk = sources[i:i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = (conn or self.conn).execute(
                f"SELECT source, output, source_pieces, output_pieces, alignment FROM mt "
                f"WHERE model = ? AND settings = ? AND source IN ({marks})",
                (model, settings, *chunk),
            )
            for source, output, n_in, n_out, alignment in rows:
                found[source] = RawOutput(output, n_in, n_out, Alignment.from_json(alignment))
        return found

    def put_many(self, model: str, settings: str, items: Iterable[tuple[str, RawOutput]]) -> None:
        """Store outputs in one transaction: all of them or, if interrupted, none."""
        rows = [(model, settings, src, out.text, out.source_pieces, out.output_pieces,
                 out.alignment.to_json() if out.alignment else "") for src, out in items]
        if not rows:
            return
        if self.parts:
            try:
                self.part = self.part or self._open_part()
                self._insert(rows, self.part)
            except (sqlite3.Error, OSError) as exc:
                self._warn(f"{parts_dir(self.path)}: could not store {len(rows)} translations ({exc})")
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

    def _insert(self, rows: list[tuple], conn: sqlite3.Connection | None = None) -> None:
        conn = conn or self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.executemany("INSERT OR REPLACE INTO mt VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def count(self) -> int:
        """Rows in the cache (the shared file's and, for a worker, its part's)."""
        return sum(c.execute("SELECT count(*) FROM mt").fetchone()[0] for c in (self.conn, self.part) if c)

    def close(self) -> None:
        if self.part is not None:
            self.part.close()
            self.part = None
        self.conn.close()


def merge_parts(path: Path) -> int:
    """Fold every part file into the shared cache ``path`` and checkpoint it, so immutable readers
    see every row; returns the rows added.  Only the process driving a run calls this, while no
    worker of it runs: it is then the file's one writer.  A part still locked by a live writer
    (another run) is left for later; a broken one is dropped with a warning (it is only a cache)."""
    path = Path(path)
    folder = parts_dir(path)
    files = sorted(folder.glob("*.sqlite")) if folder.is_dir() else []
    if not files and not path.is_file():
        return 0
    cache = TranslationCache(path, parts=False)
    if cache.warnings:  # the shared file could not be opened as it is: keep the parts for a later run
        cache.close()
        return 0
    added = 0
    try:
        cache.conn.execute("PRAGMA busy_timeout = 200")  # a part held by a live writer: skip it, do not wait
        for part in files:
            try:
                cache.conn.execute("ATTACH DATABASE ? AS part", (str(part),))
            except sqlite3.OperationalError:  # locked: a live writer's
                continue
            except sqlite3.DatabaseError as exc:
                cache._warn(f"{part}: translation cache part unusable ({exc}); dropped")
                _unlink_db(part)
                continue
            try:
                cache.conn.execute("BEGIN IMMEDIATE")
                cache.conn.execute("INSERT OR IGNORE INTO main.mt SELECT model, settings, source, output, "
                                   "source_pieces, output_pieces, alignment FROM part.mt")
                added += cache.conn.execute("SELECT changes()").fetchone()[0]
                cache.conn.execute("COMMIT")
            except sqlite3.OperationalError:  # locked: a live writer's
                with contextlib.suppress(sqlite3.Error):
                    cache.conn.execute("ROLLBACK")
                cache.conn.execute("DETACH DATABASE part")
                continue
            except sqlite3.DatabaseError as exc:
                with contextlib.suppress(sqlite3.Error):
                    cache.conn.execute("ROLLBACK")
                cache._warn(f"{part}: translation cache part unusable ({exc}); dropped")
            cache.conn.execute("DETACH DATABASE part")
            _unlink_db(part)
        cache.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        cache.close()
    with contextlib.suppress(OSError):
        folder.rmdir()  # only when empty
    return added


def _unlink_db(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(OSError):
            os.unlink(f"{path}{suffix}")
