"""`storydesk story [ID]`: a story's report in the terminal.

Sections: brief, conflicts (both sides' words), corroborated, single-source,
actors and who said what, timeline. Without an ID, every story, most recent
first.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from storydesk.cli import main
from storydesk.cli.common import console, db_option, not_found_exits, settings_for, store_for
from storydesk.compare.actors import ActorIndex
from storydesk.compare.findings import count_phrase, side_words
from storydesk.compare.statements import outlet_of
from storydesk.records import Article, Entity, Finding, Story

_STATUS = {
    "corroborated": "[green]corroborated[/green]",
    "single_source": "[yellow]single source[/yellow]",
    "conflict": "[red]conflict[/red]",
}


def _cite(article_ids: list[str], labels: dict[str, str]) -> str:
    return "[dim][" + ", ".join(escape(labels.get(a, a[:8])) for a in article_ids) + "][/dim]"


def _findings_table(title: str, findings: list[Finding], labels: dict[str, str], limit: int | None) -> Table:
    shown = findings if limit is None else findings[:limit]
    more = f" (showing {len(shown)} of {len(findings)}; --all shows every one)" if len(shown) < len(findings) else ""
    table = Table(title=f"{title}{more}", show_lines=True, title_justify="left")
    for col in ("kind", "each outlet's own words", "outlets", "why"):
        table.add_column(col, overflow="fold")
    for f in shown:
        outlets = escape(count_phrase(f) if f.voices > 1 else ", ".join(f.outlets))
        if f.copies:
            outlets += f" [dim](+{len(f.copies)} cop{'ies' if len(f.copies) > 1 else 'y'})[/dim]"
        words = "\n".join(
            f"[bold]{escape(s.outlet or labels.get(s.article, s.article))}[/bold]: {escape(side_words(s))}"
            for s in (f.sides or [])
        )
        table.add_row(f.kind, words or escape(f.summary), outlets, escape(f.reason))
    return table


def _actors_table(articles: list[Article], entities: list[Entity]) -> Table:
    """Each actor with the titles and the quotes every outlet gives them."""
    actors = ActorIndex(articles, entities)
    titles: dict[str, set[str]] = defaultdict(set)
    said: dict[str, list[str]] = defaultdict(list)
    for article in articles:
        outlet = outlet_of(article)
        for m in article.mentions:
            key = actors.key(m.name, m.entity) if m.type in ("person", "organization", "group") else None
            if key and m.role:
                titles[key].add(f"{m.role} ({outlet})")
        for q in article.quotes:
            key = actors.key(q.speaker, q.speaker_entity)
            if key:
                said[key].append(f"{outlet}: “{q.text}”")
    table = Table(title="Actors and who said what", show_lines=True, title_justify="left")
    for col in ("actor", "titles", "said"):
        table.add_column(col, overflow="fold")
    for key in sorted(set(titles) | set(said), key=lambda k: (-len(said[k]), k)):
        table.add_row(
            escape(actors.display(key) or key),
            escape("\n".join(sorted(titles[key]))),
            escape("\n".join(said[key])),
        )
    return table


def render_story(
    story: Story, articles: list[Article], entities: list[Entity], *, limit: int | None, confident: float = 0.0
) -> None:
    """The report; conflicts below `confident` are counted, not shown (--all shows them)."""
    labels = {a.id: outlet_of(a) for a in articles}
    console.rule(f"[bold]{escape(story.title)}[/bold]")
    span = " to ".join(dict.fromkeys(d[:10] for d in (story.first_published, story.last_published) if d))
    console.print(
        f"story {story.id} · {len(story.articles)} articles · {len(story.outlets)} outlets"
        + (f" · {span}" if span else "")
    )
    console.print(escape(", ".join(story.outlets)))
    if story.brief:
        console.print("\n[bold]Brief[/bold]")
        for sentence in story.brief:
            console.print(
                f"• {escape(sentence.text)} {_cite(sentence.articles, labels)} {_STATUS.get(sentence.status, '')}"
            )
    shown = [c for c in story.conflicts if c.confidence >= confident]
    hidden = len(story.conflicts) - len(shown)
    console.print(f"\n[bold]Conflicts[/bold] ({len(shown)})")
    if not shown:
        console.print("[dim]none found[/dim]")
    if hidden:
        console.print(
            f"[dim]{hidden} less confident conflict{'s' if hidden != 1 else ''} not shown (--all shows them)[/dim]"
        )
    for conflict in shown:
        console.print(
            f"[red]{conflict.kind}[/red] {escape(conflict.summary)} [dim](confidence {conflict.confidence:.2f})[/dim]"
        )
        for s in conflict.sides:
            console.print(f"    {escape(s.outlet or labels.get(s.article, s.article))} — {escape(side_words(s))}")
        if conflict.reason:
            console.print(f"    [dim]why: {escape(conflict.reason)}[/dim]")
    console.print()
    console.print(_findings_table(f"Corroborated ({len(story.corroborated)})", story.corroborated, labels, limit))
    console.print(_findings_table(f"Single source ({len(story.single_source)})", story.single_source, labels, limit))
    if articles:
        console.print(_actors_table(articles, entities))
    if story.timeline:
        table = Table(title="Timeline", title_justify="left")
        for col in ("date", "what", "first reported by", "articles"):
            table.add_column(col, overflow="fold")
        for entry in story.timeline:
            table.add_row(
                entry.date,
                escape(entry.text),
                escape(entry.first_reported_by or ""),
                escape(", ".join(labels.get(a, a[:8]) for a in entry.articles)),
            )
        console.print(table)


@main.command()
@click.argument("story_id", required=False)
@click.option("--limit", type=int, default=15, show_default=True, help="Findings shown per section.")
@click.option("--all", "show_all", is_flag=True, help="Show every finding, and the less confident conflicts.")
@db_option
@not_found_exits
def story(story_id: str | None, limit: int, show_all: bool, db: Path | None) -> None:
    """Show a story's report: brief, conflicts, corroborated and single-source statements, actors, timeline.

    STORY_ID is an id or unambiguous prefix; without it, every story, most recent first.
    """
    settings = settings_for(db)
    with store_for(settings) as store:
        stories = [store.stories.get(story_id)] if story_id else store.stories.list()
        if not stories:
            console.print("no stories yet: ingest some articles first (storydesk ingest PATH)")
            return
        for item in stories:
            articles = store.articles.get_many(item.articles)
            entities = store.entities.list(article_ids=item.articles)
            render_story(
                item,
                articles,
                entities,
                limit=None if show_all else limit,
                confident=0.0 if show_all else settings.compare.confident_conflict,
            )
            console.print()
