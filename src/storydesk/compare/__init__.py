"""Compare: findings, brief and timeline per story.

The recipe for one story is written once, in `compare_story`:

    1. statements  quotes, claims, roles and event sentences of every article
    2. align       the same statement across articles; look-alikes that disagree
    3. findings    corroborated (two or more independent outlets) and single-source
    4. conflicts   quote attribution, role, number, date
    5. brief       the story in the articles' own sentences, each cited
    6. timeline    dated events and publications, with who reported first
"""

from __future__ import annotations

from dataclasses import replace

from storydesk.compare.actors import ActorIndex
from storydesk.compare.align import align
from storydesk.compare.brief import build_brief
from storydesk.compare.conflicts import find_conflicts
from storydesk.compare.findings import role_findings, statement_findings, voices
from storydesk.compare.statements import outlet_of, story_statements
from storydesk.compare.timeline import build_timeline
from storydesk.records import Article, Entity, Story
from storydesk.settings import CompareSettings
from storydesk.store.base import Store


def compare_story(
    story: Story, articles: list[Article], *, entities: list[Entity] | None = None, settings: CompareSettings
) -> Story:
    """The story with its findings, conflicts, brief and timeline filled from `articles`."""
    articles = sorted(articles, key=lambda a: (a.published or "", a.id))
    voice_of = voices(articles)
    actors = ActorIndex(articles, entities)
    statements = story_statements(articles, actors, settings)  # 1
    roles = [s for s in statements if s.kind == "role"]
    alignment = align([s for s in statements if s.kind != "role"], settings)  # 2
    corroborated, single_source = statement_findings(alignment.clusters, articles, voice_of)  # 3
    role_corroborated, role_single = role_findings(roles, articles, voice_of)
    conflicts = find_conflicts(alignment, roles, articles, voice_of, settings)  # 4
    brief = build_brief(corroborated, conflicts, single_source, statements, size=settings.brief_sentences)  # 5
    assert alignment.weights is not None
    timeline = build_timeline(articles, alignment.weights, settings)  # 6
    published = sorted(a.published for a in articles if a.published)
    return replace(
        story,
        articles=story.articles or [a.id for a in articles],
        outlets=story.outlets or list(dict.fromkeys(outlet_of(a) for a in articles)),
        languages=story.languages or sorted({a.language for a in articles if a.language}),
        first_published=story.first_published or (published[0] if published else None),
        last_published=story.last_published or (published[-1] if published else None),
        corroborated=corroborated + role_corroborated,
        single_source=single_source + role_single,
        conflicts=conflicts,
        brief=brief,
        timeline=timeline,
    )


def compare_stories(store: Store, story_ids: list[str], settings: CompareSettings) -> None:
    """Recompute the report of every story in `story_ids` and save it."""
    for story_id in story_ids:
        story = store.stories.get(story_id)
        articles = store.articles.get_many(story.articles)
        entities = store.entities.list(article_ids=story.articles)
        store.stories.save(compare_story(story, articles, entities=entities, settings=settings))
