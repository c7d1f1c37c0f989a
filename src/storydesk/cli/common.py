"""Options and helpers every command shares."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from storydesk.errors import NotFound
from storydesk.settings import DB_ENV, Settings, db_location, default_db_path, shown_db
from storydesk.store import open_store
from storydesk.store.sqlite import SQLiteStore

if TYPE_CHECKING:
    from storydesk.store.postgres import PostgresStore

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """`--db PATH|URL`: the store (default: $STORYDESK_DB or the user data directory)."""
    return click.option(
        "--db",
        "db",
        metavar="PATH|URL",
        default=None,
        help=f"Store: a SQLite file, or a PostgreSQL URL (postgresql://user@host/dbname). "
        f"Default: ${DB_ENV} or {shown_db(default_db_path())}.",
    )(func)


def settings_for(db: str | Path | None) -> Settings:
    settings = Settings()
    if db is not None:
        settings.db = db_location(db)
    return settings


def store_for(settings: Settings) -> SQLiteStore | PostgresStore:
    return open_store(settings.db)


def not_found_exits(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a NotFound into a one-line error and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except NotFound as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise SystemExit(1) from None

    return wrapper
