"""Persistence. Only this package speaks SQL."""

from __future__ import annotations

from pathlib import Path

from storydesk.store.base import ArticleFilter, SearchHit, Store
from storydesk.store.sqlite import SQLiteStore


def open_store(path: str | Path) -> SQLiteStore:
    """Open (creating and migrating if needed) the store at `path` (":memory:" for tests)."""
    return SQLiteStore(path)


__all__ = ["ArticleFilter", "SQLiteStore", "SearchHit", "Store", "open_store"]
