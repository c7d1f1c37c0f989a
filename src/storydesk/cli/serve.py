"""`storydesk serve`: the web app and JSON API over the store, with uvicorn."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path

import click

from storydesk.cli import main
from storydesk.cli.common import db_option, err_console, settings_for
from storydesk.settings import DB_ENV, shown_db


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@main.command()
@db_option
@click.option(
    "--host",
    default=None,
    help="Address to bind. Default 127.0.0.1 (this machine only); see docs/web.md before exposing it.",
)
@click.option("--port", type=int, default=None, help="Port to listen on. Default 8000.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Server processes (one per core helps under load).",
)
def serve(db: Path | None, host: str | None, port: int | None, workers: int) -> None:
    """Serve the stories, articles and actors as web pages and JSON (add .json to any page's path).

    Open http://127.0.0.1:8000/ in a browser; the API's paths are listed at /docs.
    """
    import uvicorn

    from storydesk.web.app import create_app

    settings = settings_for(db)
    host = host or settings.web.host
    port = port or settings.web.port
    if not _is_loopback(host):
        err_console.print(
            f"[yellow]warning:[/yellow] serving on {host}: anyone who can reach it can read the store and ingest. "
            "Put it behind a reverse proxy with authentication (docs/web.md)."
        )
    err_console.print(f"store: {shown_db(settings.db)}\nserving on http://{host}:{port}/  (Ctrl+C stops)")
    if workers == 1:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
        return
    # Worker processes import the app by name and read the store's path from the environment.
    os.environ[DB_ENV] = str(settings.db)
    uvicorn.run("storydesk.web.app:app_from_env", factory=True, host=host, port=port, workers=workers, log_level="info")
