"""`storydesk serve`: the web app and JSON API over the store, with uvicorn."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click

from storydesk.cli import main
from storydesk.cli.common import check_store_folder, db_option, err_console, settings_for
from storydesk.settings import (
    ALLOWED_HOSTS_ENV,
    DB_ENV,
    READ_ONLY_ENV,
    SECRET_ENV,
    TOKEN_ENV,
    USERS_ENV,
    shown_db,
)


@main.command()
@db_option
@click.option(
    "--host",
    default=None,
    help="Address to bind. Default 127.0.0.1 (this machine only). Any other needs --token or --users.",
)
@click.option("--port", type=int, default=None, help="Port to listen on. Default 8000.")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Server processes (one per core helps under load).",
)
@click.option(
    "--allowed-host",
    "allowed_hosts",
    multiple=True,
    metavar="NAME",
    help=f"A host name the server answers to besides 127.0.0.1, localhost and the bound address "
    f"(repeatable; .example.org allows its subdomains; or ${ALLOWED_HOSTS_ENV}, comma-separated).",
)
@click.option(
    "--token",
    default=None,
    metavar="TOKEN",
    help=f"An access token every request must carry (write role). Prefer ${TOKEN_ENV}: a flag shows in `ps`.",
)
@click.option(
    "--users",
    "users_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help=f"A users file: 'name role token' per line, role read or write (or ${USERS_ENV}).",
)
@click.option("--read-only", is_flag=True, help=f"Serve no write routes: no ingest (or ${READ_ONLY_ENV}=1).")
def serve(
    db: Path | None,
    host: str | None,
    port: int | None,
    workers: int,
    allowed_hosts: tuple[str, ...],
    token: str | None,
    users_file: Path | None,
    read_only: bool,
) -> None:
    """Serve the stories, articles and actors as web pages and JSON (add .json to any page's path).

    Open http://127.0.0.1:8000/ in a browser; the API's paths are listed at /docs.
    On 127.0.0.1 (the default) it needs no login. Bound to any other address it
    needs an access token or a users file, and answers only to the host names
    given with --allowed-host (docs/web.md, "Access").
    """
    import uvicorn

    from storydesk.web.app import create_app
    from storydesk.web.security import SecurityConfigError, check_exposure

    settings = settings_for(db)
    check_store_folder(settings.db)
    web = settings.web
    web.host = host or web.host
    web.port = port or web.port
    web.allowed_hosts = (*web.allowed_hosts, *allowed_hosts)
    web.access_token = token or web.access_token
    web.users_file = users_file or web.users_file
    web.read_only = read_only or web.read_only
    try:
        check_exposure(web.host, web)
        app = create_app(settings)
    except SecurityConfigError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise SystemExit(2) from None
    names = ", ".join(sorted(app.state.access.exact_hosts | set(app.state.access.suffix_hosts)))
    mode = "read-only" if web.read_only else "read and write"
    login = "access token required" if app.state.access.required else "no login (this machine only)"
    err_console.print(
        f"store: {shown_db(settings.db)}\nserving on http://{web.host}:{web.port}/  ({mode}; {login}; "
        f"answers to: {names})  Ctrl+C stops"
    )
    if workers == 1:
        uvicorn.run(app, host=web.host, port=web.port, log_level="info")
        return
    # Worker processes import the app by name and read their settings from the environment;
    # they share one secret so a form from one process is accepted by another.
    os.environ[DB_ENV] = str(settings.db)
    os.environ[ALLOWED_HOSTS_ENV] = ",".join(web.allowed_hosts)
    os.environ[SECRET_ENV] = web.secret or secrets.token_urlsafe(32)
    os.environ["STORYDESK_HOST"] = web.host
    if web.access_token:
        os.environ[TOKEN_ENV] = web.access_token
    if web.users_file:
        os.environ[USERS_ENV] = str(web.users_file)
    if web.read_only:
        os.environ[READ_ONLY_ENV] = "1"
    uvicorn.run(
        "storydesk.web.app:app_from_env", factory=True, host=web.host, port=web.port, workers=workers, log_level="info"
    )


@main.command()
@click.option("--name", default="someone", show_default=True, help="The user name for the users-file line.")
@click.option("--role", type=click.Choice(["read", "write"]), default="read", show_default=True)
def token(name: str, role: str) -> None:
    """Print a new random access token (for $STORYDESK_TOKEN or a users file).

    The token goes to standard output; a users-file line holding only its
    SHA-256 (so the file never holds the token itself) goes to standard error.
    """
    import hashlib

    value = secrets.token_urlsafe(24)
    click.echo(value)
    click.echo(f"users-file line: {name} {role} sha256:{hashlib.sha256(value.encode()).hexdigest()}", err=True)
