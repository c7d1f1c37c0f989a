"""The embedded SQLite store: one file, WAL journal, named migrations.

One `SQLiteStore` owns the connection; the repositories (`articles`,
`near_duplicates`, `entities`, `stories`, `jobs`) share it. Every write happens inside
`transaction()`, so a killed process leaves either the whole article or
nothing of it.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from storydesk.store.articles import SQLiteArticles, SQLiteNearDuplicates
from storydesk.store.entities import SQLiteEntities
from storydesk.store.jobs import SQLiteJobs
from storydesk.store.stories import SQLiteStories
from storydesk.store.storylines import SQLiteStorylines


def _migrations() -> list[tuple[str, str]]:
    folder = resources.files("storydesk.store") / "migrations"
    files = sorted((p.name, p.read_text(encoding="utf-8")) for p in folder.iterdir() if p.name.endswith(".sql"))
    return files


class SQLiteStore:
    def __init__(self, path: str | Path = ":memory:") -> None:
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: transactions are opened explicitly in `transaction()`.
        self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=NORMAL")
        # Checkpoint every ~40 MB of WAL instead of ~4 MB: fewer stalls in long ingests (bench_ingest).
        self.conn.execute("PRAGMA wal_autocheckpoint=10000")
        # 64 MB page cache (the default is 2 MB): linking looks up stories and entities all over the file.
        self.conn.execute("PRAGMA cache_size=-65536")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self._lock = threading.RLock()
        self._depth = 0
        self._migrate()
        self.articles = SQLiteArticles(self)
        self.near_duplicates = SQLiteNearDuplicates(self)
        self.entities = SQLiteEntities(self)
        self.stories = SQLiteStories(self)
        self.storylines = SQLiteStorylines(self)
        self.jobs = SQLiteJobs(self)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; nested calls join the outer one."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self.conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
            finally:
                self._depth = 0

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def _migrate(self) -> None:
        self.conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        done = {row[0] for row in self.conn.execute("SELECT name FROM migrations")}
        for name, sql in _migrations():
            if name in done:
                continue
            with self.transaction():
                # executescript would commit on its own; run the statements one by one instead.
                for statement in _split_sql(sql):
                    self.conn.execute(statement)
                self.conn.execute("INSERT INTO migrations VALUES (?, datetime('now'))", (name,))

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements (sqlite3.complete_statement knows where one ends)."""
    statements, buf = [], ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not buf.strip():
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            statements.append(buf.strip())
            buf = ""
    if buf.strip():
        statements.append(buf.strip())
    return statements
