"""Options and helpers every command shares."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
import platformdirs
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


def default_store_folder() -> Path:
    """Where the store lives when no --db or $STORYDESK_DB says otherwise: created when missing."""
    return Path(platformdirs.user_data_dir("storydesk"))


def check_store_folder(db: Path | str, *, create: bool = False) -> None:
    """Exit with one line when `db` points into a folder that does not exist (a mistyped --db),
    unless `create` (init, --create) or it is the default location. A PostgreSQL URL has no folder."""
    if not isinstance(db, Path) or str(db) == ":memory:":
        return
    folder = db.parent
    if folder.exists():
        return
    if create or folder == default_store_folder():
        folder.mkdir(parents=True, exist_ok=True)
        return
    err_console.print(
        f"[red]error:[/red] no folder {folder} for the store {db}: check the path, "
        f"or create the store with `storydesk init --db {db}` (or add --create)"
    )
    raise SystemExit(1)


def store_for(settings: Settings, *, create: bool = False) -> SQLiteStore | PostgresStore:
    """The store at settings.db; a path into a folder that does not exist is an error (check_store_folder)."""
    check_store_folder(settings.db, create=create)
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
