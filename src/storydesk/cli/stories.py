"""Commands over linked storylines, events (stories) and entities: stories, entities."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from storydesk.cli import main
from storydesk.cli.common import console, db_option, not_found_exits, settings_for, store_for
from storydesk.records import Story, Storyline


def _dates(first: str | None, last: str | None) -> str:
    first, last = (first or "")[:10], (last or "")[:10]
    return first if first == last else f"{first} – {last}"


def _day(day: str | None, source: str | None) -> str:
    if not day:
        return "undated"
    return day + (" (mentioned)" if source == "mentioned" else "")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _storyline_table(line: Storyline, stories: dict[str, Story]) -> Table:
    """One storyline: its events as a timeline, each with its size, voices and findings."""
    days = _dates(line.first_day, line.last_day) if line.first_day else "undated"
    title = (
        f"[bold]{escape(_short(line.title, 100))}[/bold]  [dim]storyline {line.id} · {len(line.events)} "
        f"event{'s' if len(line.events) != 1 else ''} · {line.article_count} articles · "
        f"{', '.join(line.languages)} · {days}[/dim]"
    )
    table = Table(title=title, title_justify="left", show_lines=False)
    table.add_column("day", no_wrap=True)
    table.add_column("event", overflow="fold", ratio=1, min_width=30)
    # Short headers: the event's title needs the width.
    for col in ("art.", "indep.", "lang.", "confl."):
        table.add_column(col, overflow="fold", justify="left" if col == "lang." else "right")
    for entry in line.timeline:
        story = stories.get(entry.event)
        conflicts = len(story.conflicts) if story else 0
        table.add_row(
            _day(entry.day, entry.day_source),
            f"{escape(_short(entry.title, 90))} [dim]{entry.event}[/dim]",
            str(entry.articles),
            str(entry.independent_outlets),
            ",".join(entry.languages),
            str(conflicts),
        )
    return table


@main.command()
@click.option("--storyline", help="Only this storyline (id or unambiguous prefix).")
@click.option("--flat", is_flag=True, help="List events (stories) one per row instead of storylines with their events.")
@click.option("--since", help="With --flat: events still running on or after this date (YYYY-MM-DD).")
@click.option("--until", help="With --flat: events begun on or before this date (YYYY-MM-DD).")
@click.option("--limit", type=int, default=50, show_default=True, help="Storylines (or, with --flat, events) shown.")
@click.option("--offset", type=int, default=0, show_default=True)
@db_option
@not_found_exits
def stories(
    storyline: str | None, flat: bool, since: str | None, until: str | None, limit: int, offset: int, db: Path | None
) -> None:
    """List storylines with their events as a timeline (an event: one happening over a day or two).

    Each storyline shows its events in time order with their day (the articles'
    dates, or the day they mention most, or "undated"), size, independent
    outlets, languages and conflicts. `--flat` lists the events alone.
    """
    with store_for(settings_for(db)) as store:
        if flat:
            rows = store.stories.list(since=since, until=until, limit=limit, offset=offset)
            total = store.stories.count()
            _flat_table(rows, total)
            return
        lines = [store.storylines.get(storyline)] if storyline else store.storylines.list(limit=limit, offset=offset)
        total = store.storylines.count()
        stories = {s.id: s for s in store.stories.get_many([e for line in lines for e in line.events])}
    if not lines:
        console.print("no storylines yet: ingest some articles first (storydesk ingest PATH)")
        return
    shown = f" (showing {len(lines)})" if total > len(lines) else ""
    console.print(f"[bold]{total} storylines[/bold]{shown}, {len(stories)} events in them")
    console.print(
        "[dim]art.: articles · indep.: independent outlets (copies once, unknown outlets not) · confl.: conflicts[/dim]\n"
    )
    for line in lines:
        console.print(_storyline_table(line, stories))
        console.print()


def _flat_table(rows: list[Story], total: int) -> None:
    table = Table(title=f"{total} events" + (f" (showing {len(rows)})" if total > len(rows) else ""))
    for col in ("id", "title", "articles", "outlets", "languages", "days", "storyline"):
        table.add_column(col, overflow="fold")
    for story in rows:
        table.add_row(
            story.id,
            escape(story.title),
            str(len(story.articles)),
            f"{story.independent_outlets} independent",
            ", ".join(story.languages),
            _dates(story.first_day, story.last_day) if story.first_day else "undated",
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
