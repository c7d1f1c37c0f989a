"""What each page shows, built from the store: dicts and records for JSON, plus HTML-only extras.

The routers call these and hand the result to `deps.render`; nothing here
knows about HTTP. The JSON form of every record is its `to_dict()`, so ids
and fields are the same as in the store and the export.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from storydesk.compare.statements import outlet_of  # the compare stage's voice labels, so columns match sides
from storydesk.display import title_of
from storydesk.errors import NotFound
from storydesk.ingest.outlets import outlet_label
from storydesk.ingest.sources import public_source
from storydesk.records import Article, Conflict, Entity, Finding, Story, Storyline
from storydesk.settings import WebSettings
from storydesk.store.base import ArticleFilter, ArticleSummary, Store, StorySummary
from storydesk.web.deps import Page
from storydesk.web.highlight import article_spans, highlight, in_context
from storydesk.web.storyload import StoryArticles, load_story_articles
from storydesk.web.timeline import timeline_chart

STORY_ACTORS = 40  # actors listed on a story page, most-mentioned first


def article_summary(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        # An untitled article (most JSONL and plain-text inputs) is listed by its first headline-like line.
        "shown_title": title_of(article),
        "outlet": article.outlet,
        "voice": outlet_of(article),  # the outlet, else the source's name: how findings and conflicts label it
        "url": article.url,
        "published": article.published,
        "language": article.language,
        "duplicate_of": article.duplicate_of,
    }


def article_list_item(summary: ArticleSummary) -> dict[str, Any]:
    """An article in a list (index, search): its summary, with the outlet as shown."""
    return {
        "id": summary.id,
        "title": summary.title,
        "outlet": summary.outlet,
        "outlet_label": outlet_label(summary.outlet),
        "url": summary.url,
        "published": summary.published,
        "language": summary.language,
        "duplicate_of": summary.duplicate_of,
    }


def article_index(store: Store, filters: ArticleFilter, page: Page, *, actor: str | None = None) -> dict[str, Any]:
    """Articles newest first, narrowed by outlet, language, dates, words and an actor (id or spelling)."""
    if actor:
        entity = resolve_actor(store, actor)
        if entity is None:
            return {**page.envelope([], 0), "notes": [f"no actor {actor!r}"]}
        filters.entity = entity.id
    summaries, total = store.articles.summary_page(filters, limit=page.limit, offset=page.offset)
    return {**page.envelope([article_list_item(s) for s in summaries], total), "notes": []}


def actor_index(store: Store, page: Page, *, type: str | None, query: str | None) -> dict[str, Any]:
    """Actors with the most articles first, narrowed by type and part of the name."""
    summaries, total = store.entities.summary_page(type=type, query=query, limit=page.limit, offset=page.offset)
    items = [{"id": e.id, "name": e.name, "type": e.type, "articles": e.articles} for e in summaries]
    return page.envelope(items, total)


def story_summary(story: Story | StorySummary) -> dict[str, Any]:
    counts = (
        (story.articles, story.corroborated, story.single_source, story.conflicts)
        if isinstance(story, StorySummary)
        else (len(story.articles), len(story.corroborated), len(story.single_source), len(story.conflicts))
    )
    return {
        "id": story.id,
        "title": story.title,
        "first_published": story.first_published,
        "last_published": story.last_published,
        "outlets": story.outlets,
        "languages": story.languages,
        "articles": counts[0],
        "corroborated": counts[1],
        "single_source": counts[2],
        "conflicts": counts[3],
        # two levels (issue 10): the event's storyline and days (from its articles' dates or the day they name)
        "storyline": story.storyline,
        "first_day": story.first_day,
        "last_day": story.last_day,
        "day_source": story.day_source,
        "independent_outlets": story.independent_outlets,
    }


def storyline_view(line: Storyline, summaries: dict[str, StorySummary]) -> dict[str, Any]:
    """A storyline with its events as a timeline, each with its findings' counts."""
    events = []
    for entry in line.timeline:
        summary = summaries.get(entry.event)
        events.append(
            {
                "event": entry.event,
                "title": entry.title,
                "day": entry.day,
                "day_source": entry.day_source,
                "articles": entry.articles,
                "independent_outlets": entry.independent_outlets,
                "languages": entry.languages,
                "outlets": summary.outlets if summary else [],
                "corroborated": summary.corroborated if summary else 0,
                "single_source": summary.single_source if summary else 0,
                "conflicts": summary.conflicts if summary else 0,
            }
        )
    return {
        "id": line.id,
        "title": line.title,
        "first_day": line.first_day,
        "last_day": line.last_day,
        "article_count": line.article_count,
        "outlets": len(line.outlets),
        "languages": line.languages,
        "events": events,
    }


def list_storylines(store: Store, page: Page) -> dict[str, Any]:
    """Storylines, most recent first, each with its events as a timeline."""
    lines = store.storylines.list(limit=page.limit, offset=page.offset)
    summaries = {s.id: s for s in store.stories.summaries_of([e for line in lines for e in line.events])}
    return page.envelope([storyline_view(line, summaries) for line in lines], store.storylines.count())


def storyline_detail(store: Store, line: Storyline) -> dict[str, Any]:
    summaries = {s.id: s for s in store.stories.summaries_of(line.events)}
    return {"storyline": storyline_view(line, summaries)}


def storyline_of(store: Store, story: Story) -> dict[str, Any] | None:
    """The storyline a story page shows beside the event (None for a story stored before storylines)."""
    if not story.storyline:
        return None
    try:
        line = store.storylines.get(story.storyline)
    except NotFound:
        return None
    return storyline_view(line, {})


@dataclass(slots=True)
class StoryQuery:
    since: str | None = None
    until: str | None = None
    outlet: str | None = None
    language: str | None = None
    actor: str | None = None
    q: str | None = None

    @property
    def by_article(self) -> bool:
        return any((self.outlet, self.language, self.actor, self.q))


def resolve_actor(store: Store, actor: str) -> Entity | None:
    """An actor by id, or else by its name or a spelling (case-insensitive; the most mentioned one wins)."""
    try:
        return store.entities.get(actor, articles=False)
    except NotFound:
        pass
    folded = actor.casefold().strip()
    candidates, _ = store.entities.summary_page(query=actor.strip(), limit=50)
    for summary in candidates:
        entity = store.entities.get(summary.id, articles=False)
        if folded in {entity.name.casefold(), *(a.casefold() for a in entity.aliases)}:
            return entity
    return None


def list_stories(store: Store, query: StoryQuery, page: Page) -> dict[str, Any]:
    """Stories, newest first, narrowed by dates and by what their articles are (outlet, language, actor, words)."""
    notes: list[str] = []
    if not query.by_article:
        summaries, total = store.stories.summaries(
            since=query.since, until=query.until, limit=page.limit, offset=page.offset
        )
        return {**page.envelope([story_summary(s) for s in summaries], total), "notes": notes}
    entity_id = None
    if query.actor:
        entity = resolve_actor(store, query.actor)
        if entity is None:
            notes.append(f"no actor {query.actor!r}")
            return {**page.envelope([], 0), "notes": notes}
        entity_id = entity.id
    filters = ArticleFilter(
        outlet=query.outlet,
        language=query.language,
        since=query.since,
        until=query.until,
        entity=entity_id,
        query=query.q,
    )
    summaries, total = store.stories.summaries_for_articles(filters, limit=page.limit, offset=page.offset)
    return {**page.envelope([story_summary(s) for s in summaries], total), "notes": notes}


def _finding_outlets(finding: Finding | Conflict, by_id: dict[str, Article]) -> dict[str, str]:
    """Outlet -> what the outlet does in this statement ("reports", or "side A", "side B" in a conflict)."""
    cells: dict[str, str] = {}
    if isinstance(finding, Conflict):
        for side, letter in zip(finding.sides, side_letters(finding), strict=True):
            article = by_id.get(side.article)
            outlet = side.outlet or (outlet_of(article) if article else outlet_label(None))
            label = f"side {letter}"
            if label not in cells.get(outlet, "").split(" + "):
                cells[outlet] = label if outlet not in cells else cells[outlet] + " + " + label
        return cells
    for outlet in finding.outlets:
        cells[outlet] = "reports"
    for article_id in finding.articles:
        if article_id in by_id:
            cells.setdefault(outlet_of(by_id[article_id]), "reports")
    return cells


def source_matrix(story: Story, articles: list[Article]) -> dict[str, Any]:
    """Which outlet reports which statement: one row per statement, one column per outlet."""
    by_id = {a.id: a for a in articles}
    outlets = list(dict.fromkeys([*story.outlets, *(outlet_of(a) for a in articles)]))
    rows = []
    for status, findings in (
        ("conflict", story.conflicts),
        ("corroborated", story.corroborated),
        ("single_source", story.single_source),
    ):
        for finding in findings:
            cells = _finding_outlets(finding, by_id)
            outlets += [o for o in cells if o not in outlets]
            rows.append({"statement": finding.summary, "status": status, "cells": cells})
    return {"outlets": outlets, "rows": rows}


def story_actors(loaded: StoryArticles) -> list[dict[str, Any]]:
    """The story's linked actors, most articles first, from the articles' own mentions.

    Read from the mentions already loaded rather than from the entity table:
    an entity's record lists every article it is in (thousands for "Russia"),
    which a story page does not need.
    """
    names: dict[str, dict[str, int]] = defaultdict(dict)  # plain dicts: a Counter each cost a third of this
    kinds: dict[str, str] = {}
    in_articles: dict[str, set[str]] = defaultdict(set)
    for article_id, mentions in loaded.linked.items():
        for entity, name, kind in mentions:
            counts = names[entity]
            counts[name] = counts.get(name, 0) + 1
            kinds.setdefault(entity, kind)
            in_articles[entity].add(article_id)
    by_name: dict[str, list[str]] = defaultdict(list)
    for eid in in_articles:
        # the most used spelling; the first one seen on a tie, as Counter.most_common
        by_name[max(names[eid], key=names[eid].__getitem__)].append(eid)
    actors: list[dict[str, Any]] = []
    for name, ids in by_name.items():
        # One row per name (round 15): "India" the place and "India" the people or government are two
        # entities, but two rows "India" left a reader to guess which is the actor. The row links to the
        # one in most articles (an actor before a place on a tie) and counts the articles naming either.
        ids.sort(key=lambda eid: (-len(in_articles[eid]), kinds[eid] == "place", eid))
        main, *others = ids
        actor = {
            "id": main,
            "name": name,
            "type": kinds[main],
            "articles": len(set().union(*(in_articles[eid] for eid in ids))),
        }
        if others:
            actor["also"] = [{"id": eid, "type": kinds[eid]} for eid in others]
        actors.append(actor)
    actors.sort(key=lambda a: (-a["articles"], a["name"].casefold()))
    return actors[:STORY_ACTORS]


def story_detail(
    store: Store,
    story: Story,
    web: WebSettings,
    *,
    html: bool,
    single_offset: int = 0,
    confident: float = 0.0,
    all_conflicts: bool = True,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The story page: (data for JSON and HTML, extras only the HTML needs: contexts, chart, article numbers).

    The JSON has every statement; the page shows the single-source ones a page
    (`web.story_single_source`) at a time, from `single_offset`.
    """
    loaded = load_story_articles(store, story.articles)
    articles = loaded.articles
    story.timeline.sort(key=lambda e: e.date or "")
    data: dict[str, Any] = {
        "story": story,
        "storyline": storyline_of(store, story),  # the event's storyline, its events as a timeline
        "articles": [article_summary(a) for a in articles],
        "actors": story_actors(loaded),
        "matrix": source_matrix(story, articles),
    }
    if not html:
        return data, {}
    by_id = {a.id: a for a in articles}
    # The page shows the confident conflicts (settings.compare.confident_conflict); the rest on request.
    shown = [c for c in story.conflicts if all_conflicts or c.confidence >= confident]
    contexts = []
    for conflict in shown:
        sides = []
        for side in conflict.sides:
            article = by_id.get(side.article)
            text = article.text if article else ""
            sides.append(in_context(text, side.text, side.start, side.end, sentences=web.context_sentences))
        contexts.append(sides)
    extra = {
        "side_letters": [side_letters(c) for c in shown],
        "numbers": {a.id: n for n, a in enumerate(articles, start=1)},
        "actor_ids": {a["name"]: a["id"] for a in data["actors"]},  # a side's speaker links to their page
        "by_id": by_id,
        "contexts": contexts,
        "shown_conflicts": shown,
        "hidden_conflicts": len(story.conflicts) - len(shown),
        "chart": timeline_chart(story.timeline, articles),
        # The matrix's statements seen by several outlets (conflicts as the page shows them); the
        # single-source ones a page at a time.
        "shared_rows": [
            r
            for r in data["matrix"]["rows"]
            if r["status"] == "corroborated"
            or (r["status"] == "conflict" and r["statement"] in {c.summary for c in shown})
        ],
        "single": single_page(story, data["matrix"]["rows"], offset=single_offset, limit=web.story_single_source),
    }
    return data, extra


def single_page(story: Story, rows: list[dict[str, Any]], *, offset: int, limit: int) -> dict[str, Any]:
    """One page of the single-source statements: as list items and as matrix rows, with the paging numbers."""
    single_rows = [r for r in rows if r["status"] == "single_source"]
    return {
        "statements": story.single_source[offset : offset + limit],
        "rows": single_rows[offset : offset + limit],
        "total": len(story.single_source),
        "offset": offset,
        "limit": limit,
    }


def article_detail(store: Store, article: Article) -> tuple[dict[str, Any], dict[str, Any]]:
    """The article page: (JSON data, HTML extras: the highlighted body and the actors by name)."""
    # Every input that brought this text, never as a machine's absolute path (issue 11).
    article.source = public_source(article.source)
    data = {
        "article": article,
        "story": store.stories.story_of(article.id),
        "sources": [public_source(s) for s in store.articles.sources(article.id)],
    }
    actors: dict[str, dict[str, Any]] = {}
    for mention in article.mentions:
        entry = actors.setdefault(
            mention.name,
            {"name": mention.name, "type": mention.type, "entity": mention.entity, "roles": set(), "count": 0},
        )
        entry["count"] += 1
        if mention.role:
            entry["roles"].add(mention.role)
    extra = {
        "body": highlight(article.text, article_spans(article)),
        "shown_title": title_of(article),
        "actors": sorted(actors.values(), key=lambda a: (-a["count"], a["name"].casefold())),
    }
    return data, extra


def actor_detail(store: Store, entity: Entity, page: Page, web: WebSettings) -> dict[str, Any]:
    """The actor page: spellings, roles per outlet, quotes attributed to them, where outlets disagree about them.

    Everything comes from the store's indexes (article_quotes, entity_roles,
    story_conflicts), never by loading the actor's articles: "Russia" may be in thousands.
    """
    spellings = list(dict.fromkeys([entity.name, *entity.aliases]))
    roles = {outlet_label(o): r for o, r in store.entities.roles_by_outlet(entity.id).items()}
    quotes, total_quotes = store.articles.quotes_by(entity.id, limit=page.limit, offset=page.offset)
    conflicts = store.stories.conflicts_about(entity.id, spellings, limit=web.actor_conflicts)
    filters = ArticleFilter(entity=entity.id)
    stories, total_stories = store.stories.summaries_for_articles(filters, limit=web.actor_stories)
    return {
        "actor": entity,
        "articles": store.entities.article_count(entity.id),
        "spellings": spellings,
        "roles": dict(sorted(roles.items())),
        "quotes": page.envelope(
            [
                {
                    "article": q.article.id,
                    "outlet": outlet_label(q.article.outlet),
                    "published": q.article.published,
                    "text": q.quote.text,
                    "kind": q.quote.kind,
                    "cue": q.quote.cue,
                    "speaker_text": q.quote.speaker_text,
                    "language": q.article.language,
                }
                for q in quotes
            ],
            total_quotes,
        ),
        "disagreements": [
            {"story": c.story_id, "story_title": c.story_title, **conflict_dict(c.conflict)} for c in conflicts
        ],
        "stories": [story_summary(s) for s in stories],
        "stories_total": total_stories,
        "notes": [],
    }


def side_letters(conflict: Conflict) -> list[str]:
    """A conflict's sides lettered by what they say: outlets giving one value share a letter (A, A, B)."""
    values: dict[str | None, str] = {}
    letters = []
    for n, s in enumerate(conflict.sides):
        key = s.value if s.value is not None else f"#{n}"  # a side without a value stands alone
        letters.append(values.setdefault(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[len(values) % 26]))
    return letters


def conflict_dict(conflict: Conflict) -> dict[str, Any]:
    return {
        "kind": conflict.kind,
        "summary": conflict.summary,
        "entity": conflict.entity,
        "sides": [
            {
                "article": s.article,
                "outlet": outlet_label(s.outlet),
                "text": s.text,
                "speaker": s.speaker,
                "value": s.value,
            }
            for s in conflict.sides
        ],
        "reason": conflict.reason,
    }
