"""Commands over articles: ingest, articles, show, search, export, reread, relink."""

from __future__ import annotations

import json
from pathlib import Path

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from storydesk import pipeline
from storydesk.cli import main
from storydesk.cli.common import console, db_option, err_console, not_found_exits, settings_for, store_for
from storydesk.display import when
from storydesk.errors import InputError
from storydesk.export.markdown import report_markdown
from storydesk.export.report import build_report, validate_report
from storydesk.records import Article
from storydesk.store.base import ArticleFilter

DATE_SOURCE_LABEL = {
    "metadata": "metadata",
    "header": "header line",
    "text": "inferred from text",
    "feed": "feed",
    "none": "",
}


# Shared by ingest and reread (issue 13: reading in worker processes, read/pool.py).
processes_option = click.option(
    "--processes",
    type=int,
    default=0,
    show_default=True,
    help="Reading processes: 0 = one per core when there are enough articles, 1 = no worker processes.",
)


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--follow", is_flag=True, help="For feeds: fetch each entry's page instead of using the feed's summary.")
@click.option("--allow-private", is_flag=True, help="Allow URLs on loopback, private and link-local addresses.")
@processes_option
@click.option(
    "--outlet",
    default=None,
    metavar="NAME",
    help="The outlet of every article in this run, over what the inputs say (else: page metadata, "
    "feed title, JSONL 'outlet', a 'Source:' line, the URL's host; otherwise unknown).",
)
@click.option("--create", is_flag=True, help="Create the store's folder when it does not exist.")
@click.option("--quiet", "-q", is_flag=True, help="Print only the summary line and errors.")
@db_option
def ingest(
    inputs: tuple[str, ...],
    follow: bool,
    allow_private: bool,
    processes: int,
    outlet: str | None,
    create: bool,
    quiet: bool,
    db: Path | None,
) -> None:
    """Ingest INPUTS: files, folders, globs, URLs, RSS/Atom feeds, JSONL, WARC, or - for JSONL on stdin.

    Each article is read (actors, quotes, claims, dates), stored once, linked
    into stories and compared. A bad input gets one line naming it and the
    reason; the rest carry on, and the exit code is 1 when any input failed.
    """
    settings = settings_for(db)
    settings.ingest.follow_feeds = follow
    settings.ingest.allow_private = allow_private
    settings.read.processes = processes
    settings.ingest.outlet = outlet
    with (
        store_for(settings, create=create) as store,
        Progress(
            SpinnerColumn(),
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=err_console,
            transient=True,
            disable=quiet,
        ) as progress,
    ):
        task = progress.add_task("ingesting", total=None)

        def on_item(kind: str, item: Article | InputError) -> None:
            progress.advance(task)
            if isinstance(item, InputError):
                progress.console.print(f"[red]failed:[/red] {escape(str(item))}", soft_wrap=True)
            elif not quiet and kind != "new":
                label = "near-duplicate of " + str(item.duplicate_of) if kind == "near_duplicate" else "duplicate"
                progress.console.print(f"{kind}: {escape(item.source)} ({label})", soft_wrap=True)

        summary = pipeline.ingest(list(inputs), store, settings, on_item=on_item)
    console.print(summary.line + (f", {len(summary.stories)} stories updated" if summary.stories else ""))
    if summary.failed:
        raise SystemExit(1)


def _short_date(published: str | None) -> str:
    """2026-04-15T16:05:00+02:00 -> 2026-04-15 16:05 UTC+02:00: the source's time with its offset (issue 11)."""
    return when(published)


def _article_table(articles: list[Article], title: str) -> Table:
    table = Table(title=title, show_lines=False)
    for col in ("id", "outlet", "published", "date from", "lang", "title"):
        table.add_column(col, overflow="fold")
    for a in articles:
        title_text = a.title or f"[dim](no title) {escape(a.text[:60])}…[/dim]"
        if a.duplicate_of:
            title_text += f" [yellow](near-duplicate of {a.duplicate_of[:8]})[/yellow]"
        table.add_row(
            a.id[:12],
            escape(a.outlet or ""),
            _short_date(a.published),
            DATE_SOURCE_LABEL.get(a.published_source, a.published_source),
            a.language or "",
            title_text if not a.title else escape(a.title) + title_text[len(a.title) :],
        )
    return table


@main.command()
@db_option
def init(db: Path | None) -> None:
    """Create an empty store (and its folder) at --db, or say what the store there holds."""
    settings = settings_for(db)
    existed = Path(settings.db).exists()
    with store_for(settings, create=True) as store:
        count = store.articles.count()
    if existed:
        console.print(f"store {settings.db} already exists ({count} articles)")
    else:
        console.print(f"created an empty store at {settings.db}")


@main.command("articles")
@click.option("--outlet", help="Only this outlet.")
@click.option("--language", help="Only this language (ISO 639-1).")
@click.option("--since", help="Published on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Published on or before this date (YYYY-MM-DD).")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--offset", type=int, default=0, show_default=True)
@db_option
def articles_cmd(
    outlet: str | None,
    language: str | None,
    since: str | None,
    until: str | None,
    limit: int,
    offset: int,
    db: Path | None,
) -> None:
    """List stored articles with their titles, dates and where each date came from."""
    with store_for(settings_for(db)) as store:
        filters = ArticleFilter(outlet=outlet, language=language, since=since, until=until)
        rows = store.articles.list(filters, limit=limit, offset=offset)
        total = store.articles.count(filters)
    console.print(_article_table(rows, f"{total} articles" + (f" (showing {len(rows)})" if total > len(rows) else "")))


@main.command()
@click.argument("article_id")
@db_option
@not_found_exits
def show(article_id: str, db: Path | None) -> None:
    """Show one article (an id or unambiguous id prefix): metadata, quotes, actors and claims."""
    from storydesk.cli.render import render_article

    with store_for(settings_for(db)) as store:
        article = store.articles.get(article_id)
        sources = store.articles.sources(article.id)
    render_article(article, sources)


@main.command()
@click.argument("query")
@click.option("--limit", type=int, default=20, show_default=True)
@db_option
def search(query: str, limit: int, db: Path | None) -> None:
    """Full-text search over titles and bodies."""
    with store_for(settings_for(db)) as store:
        hits = store.articles.search(query, limit=limit)
    if not hits:
        console.print(f"no article matches {query!r}")
        return
    table = Table(title=f"{len(hits)} matches for {query!r}")
    for col in ("id", "outlet", "published", "title", "snippet"):
        table.add_column(col, overflow="fold")
    for hit in hits:
        a = hit.article
        table.add_row(a.id[:12], escape(a.outlet or ""), a.published or "", escape(a.title or ""), escape(hit.snippet))
    console.print(table)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["json", "md", "html"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write here instead of stdout.")
@click.option("--story", "story_ids", multiple=True, help="Only this story (repeatable).")
@db_option
@not_found_exits
def export(fmt: str, output: Path | None, story_ids: tuple[str, ...], db: Path | None) -> None:
    """Export the store (or some stories) as JSON (the report contract), Markdown or HTML."""
    with store_for(settings_for(db)) as store:
        report = build_report(store, story_ids=list(story_ids) or None)
    validate_report(report)
    if fmt == "json":
        text = json.dumps(report, ensure_ascii=False, indent=2)
    elif fmt == "md":
        text = report_markdown(report)
    else:
        from storydesk.export.html import report_html

        text = report_html(report)
    if output:
        output.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {output} ({len(report['articles'])} articles, {len(report['stories'])} stories)")
    else:
        click.echo(text)


@main.command()
@processes_option
@db_option
def reread(processes: int, db: Path | None) -> None:
    """Re-run reading on every stored article (after an upgrade), then relink."""
    settings = settings_for(db)
    settings.read.processes = processes
    with store_for(settings) as store:
        count = pipeline.reread(store, settings)
    console.print(f"re-read {count} articles")


@main.command()
@db_option
def relink(db: Path | None) -> None:
    """Rebuild entities and stories from the stored articles (after a change of settings)."""
    settings = settings_for(db)
    with store_for(settings) as store:
        stories = pipeline.relink(store, settings)
        entities = store.entities.count()
    console.print(f"{entities} entities, {len(stories)} stories")
