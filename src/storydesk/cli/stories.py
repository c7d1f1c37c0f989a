"""Commands over linked stories and entities: stories, entities."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from storydesk.cli import main
from storydesk.cli.common import console, db_option, not_found_exits, settings_for, store_for


def _dates(first: str | None, last: str | None) -> str:
    first, last = (first or "")[:10], (last or "")[:10]
    return first if first == last else f"{first} – {last}"


@main.command()
@click.option("--since", help="Stories still running on or after this date (YYYY-MM-DD).")
@click.option("--until", help="Stories begun on or before this date (YYYY-MM-DD).")
@click.option("--storyline", help="Only the stories of this storyline id.")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--offset", type=int, default=0, show_default=True)
@db_option
def stories(
    since: str | None, until: str | None, storyline: str | None, limit: int, offset: int, db: Path | None
) -> None:
    """List stories (articles about one event): title, articles, outlets, languages, dates, storyline."""
    with store_for(settings_for(db)) as store:
        if storyline:
            rows = store.stories.in_storyline(storyline)
        else:
            rows = store.stories.list(since=since, until=until, limit=limit, offset=offset)
        total = store.stories.count()
    table = Table(title=f"{total} stories" + (f" (showing {len(rows)})" if total > len(rows) else ""))
    for col in ("id", "title", "articles", "outlets", "languages", "dates", "storyline"):
        table.add_column(col, overflow="fold")
    for story in rows:
        table.add_row(
            story.id,
            escape(story.title),
            str(len(story.articles)),
            escape(", ".join(story.outlets)),
            ", ".join(story.languages),
            _dates(story.first_published, story.last_published),
            story.storyline or "",
        )
    console.print(table)


@main.command()
@click.option("--story", "story_id", help="Only the actors of this story (id or unambiguous prefix).")
@click.option("--type", "entity_type", type=click.Choice(["person", "organization", "place", "other"]))
@click.option("--limit", type=int, default=100, show_default=True)
@db_option
@not_found_exits
def entities(story_id: str | None, entity_type: str | None, limit: int, db: Path | None) -> None:
    """List actors and places under every spelling, with the roles articles give them."""
    with store_for(settings_for(db)) as store:
        article_ids = store.stories.get(story_id).articles if story_id else None
        rows = store.entities.list(article_ids=article_ids)
    if entity_type:
        rows = [e for e in rows if e.type == entity_type]
    scope = set(article_ids) if article_ids is not None else None
    # Most-mentioned first: the story's main actors lead the table.
    rows.sort(key=lambda e: (-len(scope.intersection(e.articles) if scope is not None else e.articles), e.name))
    table = Table(title=f"{len(rows)} entities" + (f" (showing {limit})" if len(rows) > limit else ""))
    for col in ("name", "type", "spellings", "roles (articles)", "articles", "id"):
        table.add_column(col, overflow="fold")
    for e in rows[:limit]:
        roles = "; ".join(
            f"{r.role} ({len(r.articles if scope is None else scope.intersection(r.articles))})"
            for r in e.roles
            if scope is None or scope.intersection(r.articles)
        )
        n = len(e.articles) if scope is None else len(scope.intersection(e.articles))
        table.add_row(escape(e.name), e.type, escape(", ".join(e.aliases)), escape(roles), str(n), e.id)
    console.print(table)
