"""Persistent translation cache (SQLite, WAL): a re-run on an unchanged corpus calls no model.

Keyed by the model and decoding settings and the exact (placeholder-protected) source
sentence.  Writes happen in one transaction per batch, so an interrupted run keeps
every finished batch and nothing half-written.  A cache file that SQLite cannot read is
reported in one line, moved aside and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from pathlib import Path


class TranslationCache:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as exc:
            aside = self.path.with_name(self.path.name + ".corrupt")
            self.path.replace(aside)
            print(f"annotate: warning: {self.path}: translation cache unreadable ({exc}); moved to {aside.name}, "
                  "starting a new one", file=sys.stderr)
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS translations (key TEXT PRIMARY KEY, text TEXT NOT NULL, flags TEXT NOT NULL)")
        db.execute("SELECT count(*) FROM translations").fetchone()  # reads the file: corruption shows here
        return db

    @staticmethod
    def _key(settings: str, source: str) -> str:
        return hashlib.sha256(f"{settings}\0{source}".encode()).hexdigest()

    def get(self, settings: str, source: str) -> tuple[str, list[str]] | None:
        row = self._db.execute("SELECT text, flags FROM translations WHERE key = ?", (self._key(settings, source),)).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def put_many(self, settings: str, rows: list[tuple[str, str, list[str]]]) -> None:
        with self._db:  # one transaction
            self._db.execute("BEGIN")
            self._db.executemany(
                "INSERT OR REPLACE INTO translations (key, text, flags) VALUES (?, ?, ?)",
                [(self._key(settings, src), text, json.dumps(flags)) for src, text, flags in rows],
            )

    def __len__(self) -> int:
        return self._db.execute("SELECT count(*) FROM translations").fetchone()[0]
