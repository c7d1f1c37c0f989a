"""Persistence. Only this package speaks SQL.

`open_store` picks the implementation from what it is given: a PostgreSQL URL
(`postgresql://...`) opens the PostgreSQL store, anything else is a SQLite
file (":memory:" for tests).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from storydesk.settings import DB_URL_PREFIXES
from storydesk.store.base import ArticleFilter, SearchHit, Store
from storydesk.store.sqlite import SQLiteStore

if TYPE_CHECKING:
    from storydesk.store.postgres import PostgresStore


def is_url(db: str | Path) -> bool:
    """Whether `db` names a database server rather than a SQLite file."""
    return isinstance(db, str) and db.startswith(DB_URL_PREFIXES)


def open_store(db: str | Path) -> SQLiteStore | PostgresStore:
    """Open (creating and migrating if needed) the store at `db`: a SQLite path or a PostgreSQL URL.

    Both implement the `Store` protocol, which is what callers outside `store/` name.
    """
    if is_url(db):
        from storydesk.store.postgres import PostgresStore  # psycopg is only imported when asked for

        return PostgresStore(str(db))
    return SQLiteStore(db)


__all__ = ["ArticleFilter", "SQLiteStore", "SearchHit", "Store", "is_url", "open_store"]
