"""What a story page reads of its articles: the summary fields and the linked mentions, not whole records."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from storydesk.records import Article
from storydesk.store.base import Store


@dataclass(slots=True)
class StoryArticles:
    """A story's articles in the story's order, and their linked mentions as (entity id, name, type)."""

    articles: list[Article] = field(default_factory=list)
    linked: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)


def load_story_articles(store: Store, article_ids: Iterable[str]) -> StoryArticles:
    articles, linked = store.articles.summaries(article_ids)
    return StoryArticles(articles=articles, linked=linked)
