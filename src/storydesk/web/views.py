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
from storydesk.errors import NotFound
from storydesk.records import Article, Conflict, Entity, Finding, Story
from storydesk.settings import WebSettings
from storydesk.store.base import ArticleFilter, Store
from storydesk.web.deps import Page
from storydesk.web.highlight import article_spans, highlight, in_context
from storydesk.web.storyload import StoryArticles, load_story_articles
from storydesk.web.timeline import timeline_chart

NO_OUTLET = "(no outlet)"
STORY_ACTORS = 40  # actors listed on a story page, most-mentioned first


def article_summary(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "outlet": article.outlet,
        "voice": outlet_of(article),  # the outlet, else the source's name: how findings and conflicts label it
        "url": article.url,
        "published": article.published,
        "language": article.language,
        "duplicate_of": article.duplicate_of,
    }


def story_summary(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "first_published": story.first_published,
        "last_published": story.last_published,
        "outlets": story.outlets,
        "languages": story.languages,
        "articles": len(story.articles),
        "corroborated": len(story.corroborated),
        "single_source": len(story.single_source),
        "conflicts": len(story.conflicts),
    }


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
    """An actor by id, or else by any of its spellings (case-insensitive)."""
    try:
        return store.entities.get(actor)
    except NotFound:
        folded = actor.casefold().strip()
        for entity in store.entities.list():
            if folded in {entity.name.casefold(), *(a.casefold() for a in entity.aliases)}:
                return entity
    return None


def list_stories(store: Store, query: StoryQuery, page: Page, web: WebSettings) -> dict[str, Any]:
    """Stories, newest first, narrowed by dates and by what their articles are (outlet, language, actor, words)."""
    notes: list[str] = []
    if not query.by_article:
        stories = store.stories.list(since=query.since, until=query.until, limit=page.limit, offset=page.offset)
        if query.since or query.until:
            total = len(store.stories.list(since=query.since, until=query.until))
        else:
            total = store.stories.count()
        return {**page.envelope([story_summary(s) for s in stories], total), "notes": notes}
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
    articles = store.articles.list(filters, limit=web.filter_scan_limit)
    if len(articles) == web.filter_scan_limit and store.articles.count(filters) > web.filter_scan_limit:
        notes.append(f"only the stories of the newest {web.filter_scan_limit:,} matching articles are listed")
    story_ids: dict[str, None] = {}
    for article in articles:
        story_id = store.stories.story_of(article.id)
        if story_id is not None:
            story_ids.setdefault(story_id)
    chosen = list(story_ids)[page.offset : page.offset + page.limit]
    stories = [store.stories.get(i) for i in chosen]
    return {**page.envelope([story_summary(s) for s in stories], len(story_ids)), "notes": notes}


def _finding_outlets(finding: Finding | Conflict, by_id: dict[str, Article]) -> dict[str, str]:
    """Outlet -> what the outlet does in this statement ("reports", or "side A", "side B" in a conflict)."""
    cells: dict[str, str] = {}
    if isinstance(finding, Conflict):
        for i, side in enumerate(finding.sides):
            article = by_id.get(side.article)
            outlet = side.outlet or (outlet_of(article) if article else NO_OUTLET)
            label = f"side {chr(ord('A') + i)}" if i < 26 else "side"
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
    actors: list[dict[str, Any]] = [
        # the most used spelling; the first one seen on a tie, as Counter.most_common
        {"id": eid, "name": max(names[eid], key=names[eid].__getitem__), "type": kinds[eid], "articles": len(ids)}
        for eid, ids in in_articles.items()
    ]
    actors.sort(key=lambda a: (-a["articles"], a["name"].casefold()))
    return actors[:STORY_ACTORS]


def story_detail(
    store: Store, story: Story, web: WebSettings, *, html: bool, single_offset: int = 0
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
        "articles": [article_summary(a) for a in articles],
        "actors": story_actors(loaded),
        "matrix": source_matrix(story, articles),
    }
    if not html:
        return data, {}
    by_id = {a.id: a for a in articles}
    contexts = []
    for conflict in story.conflicts:
        sides = []
        for side in conflict.sides:
            article = by_id.get(side.article)
            text = article.text if article else ""
            sides.append(in_context(text, side.text, side.start, side.end, sentences=web.context_sentences))
        contexts.append(sides)
    extra = {
        "numbers": {a.id: n for n, a in enumerate(articles, start=1)},
        "actor_ids": {a["name"]: a["id"] for a in data["actors"]},  # a side's speaker links to their page
        "by_id": by_id,
        "contexts": contexts,
        "chart": timeline_chart(story.timeline, articles),
        # The matrix's statements seen by several outlets; the single-source ones a page at a time.
        "shared_rows": [r for r in data["matrix"]["rows"] if r["status"] != "single_source"],
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
    data = {
        "article": article,
        "story": store.stories.story_of(article.id),
        # Every input that brought this text; `sources` is SQLite's, not yet in the store protocol.
        "sources": store.articles.sources(article.id) if hasattr(store.articles, "sources") else [article.source],
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
        "actors": sorted(actors.values(), key=lambda a: (-a["count"], a["name"].casefold())),
    }
    return data, extra


def actor_detail(store: Store, entity: Entity, page: Page, web: WebSettings) -> dict[str, Any]:
    """The actor page: spellings, roles per outlet, quotes attributed to them, where outlets disagree about them.

    Read from the actor's most recently linked `web.actor_scan_limit` articles (the page says so when
    there are more): "Russia" may be in thousands, and each must be loaded whole.
    """
    scanned = entity.articles[-web.actor_scan_limit :]
    notes = []
    if len(scanned) < len(entity.articles):
        notes.append(f"read from the {len(scanned):,} most recently added of {len(entity.articles):,} articles")
    articles = store.articles.get_many(scanned)
    by_id = {a.id: a for a in articles}
    spellings = dict.fromkeys([entity.name, *entity.aliases])
    roles: dict[str, set[str]] = defaultdict(set)
    quotes: list[dict[str, Any]] = []
    for article in sorted(articles, key=lambda a: a.published or "", reverse=True):
        for mention in article.mentions:
            if mention.entity == entity.id:
                spellings.setdefault(mention.text)
                if mention.role:
                    roles[outlet_of(article)].add(mention.role)
        for quote in article.quotes:
            if quote.speaker_entity == entity.id:
                quotes.append(
                    {
                        "article": article.id,
                        "outlet": article.outlet,
                        "published": article.published,
                        "text": quote.text,
                        "kind": quote.kind,
                        "cue": quote.cue,
                        "speaker_text": quote.speaker_text,
                    }
                )
    for role in entity.roles:
        for article_id in role.articles:
            if article_id in by_id:
                roles[outlet_of(by_id[article_id])].add(role.role)
    story_ids = list(dict.fromkeys(s for a in articles if (s := store.stories.story_of(a.id)) is not None))
    stories = [store.stories.get(i) for i in story_ids]
    # About them: the conflict names them, or one side's words are put in their mouth
    # (a quote attribution conflict names its speakers, not one entity).
    names = {name.casefold() for name in spellings}
    disagreements = [
        {"story": story.id, "story_title": story.title, **conflict_dict(conflict)}
        for story in stories
        for conflict in story.conflicts
        if conflict.entity == entity.id or any((side.speaker or "").casefold() in names for side in conflict.sides)
    ]
    return {
        "actor": entity,
        "spellings": list(spellings),
        "roles": {outlet: sorted(r) for outlet, r in sorted(roles.items())},
        "quotes": page.envelope(quotes[page.offset : page.offset + page.limit], len(quotes)),
        "disagreements": disagreements,
        "stories": [story_summary(s) for s in stories],
        "notes": notes,
    }


def conflict_dict(conflict: Conflict) -> dict[str, Any]:
    return {
        "kind": conflict.kind,
        "summary": conflict.summary,
        "entity": conflict.entity,
        "sides": [
            {"article": s.article, "outlet": s.outlet, "text": s.text, "speaker": s.speaker} for s in conflict.sides
        ],
        "reason": conflict.reason,
    }
