"""What a story page reads of its articles: the summary fields and the linked mentions, not whole records.

`store.articles.get_many` rebuilds every article as a full record, with a
dataclass for each of its mentions, quotes, claims and dates: about a third
of the CPU of a first view of a story page, for fields the page never shows.
This reads the same rows and builds an `Article` with only the top-level
fields (the text included, for the conflicts' context), and the mentions the
actors list needs as `(entity, name, type)` tuples.

Hand-written here because the store has no call for part of an article; the
SQL is the one `store/articles.py` runs for `get_many` (the `data` column is
the record's JSON, without `text` when it is the paragraphs joined). A store
method returning these summaries would replace this module (docs/web.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import orjson

from storydesk.records import Article
from storydesk.store import SQLiteStore

# Parts of the record's JSON the story page does not show; dropped before the record is built.
_UNSHOWN = ("mentions", "quotes", "claims", "dates", "places", "numbers")
_CHUNK = 500  # ids per query, under SQLite's bound-parameter limit


@dataclass(slots=True)
class StoryArticles:
    """A story's articles in the story's order, and their linked mentions as (entity id, name, type)."""

    articles: list[Article] = field(default_factory=list)
    linked: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)


def load_story_articles(store: SQLiteStore, article_ids: Iterable[str]) -> StoryArticles:
    ids = list(article_ids)
    found: dict[str, Article] = {}
    linked: dict[str, list[tuple[str, str, str]]] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        marks = ",".join("?" * len(chunk))
        rows = store.execute(f"SELECT id, duplicate_of, data FROM articles WHERE id IN ({marks})", tuple(chunk))
        for article_id, duplicate_of, raw in rows:
            data = orjson.loads(raw)
            if "text" not in data:
                data["text"] = "\n\n".join(data.get("paragraphs", []))
            mentions = data.get("mentions") or []
            for key in _UNSHOWN:
                data.pop(key, None)
            article = Article.from_dict(data)
            article.duplicate_of = duplicate_of  # the column wins over the JSON copy, as in the store
            found[article_id] = article
            linked[article_id] = [(m["entity"], m["name"], m["type"]) for m in mentions if m.get("entity")]
    ordered = [found[i] for i in ids if i in found]
    return StoryArticles(articles=ordered, linked={a.id: linked[a.id] for a in ordered})
