"""The store's reads for web pages (issue 11): summaries, paged indexes, an actor's quotes, stories and conflicts.

They come from small tables the store keeps beside the records (migration
0006); these tests check the tables follow every write, and that migrating a
store written before them fills them the same way. Each runs on SQLite and
on PostgreSQL (the `db` fixture, tests/conftest.py).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storydesk.records import Conflict, Entity, Quote, Side
from storydesk.store import open_store
from storydesk.store.base import ArticleFilter
from tests.fixtures.web.sample import MAYOR, STORY_ID, build_sample


def _views(store) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Everything the web reads from the tables, as plain values."""
    mayor = store.entities.get(MAYOR, articles=False)
    return {
        "stories": store.stories.summaries(limit=10),
        "by_outlet": store.stories.summaries_for_articles(ArticleFilter(outlet="Coastal Courier")),
        "by_entity": store.stories.summaries_for_articles(ArticleFilter(entity=MAYOR)),
        "by_words": store.stories.summaries_for_articles(ArticleFilter(query="flood wall")),
        "quotes": store.articles.quotes_by(MAYOR),
        "conflicts": store.stories.conflicts_about(MAYOR, [mayor.name, *mayor.aliases]),
        "actors": store.entities.summary_page(limit=100),
        "count": store.entities.article_count(MAYOR),
        "roles": store.entities.roles_by_outlet(MAYOR),
    }


def test_the_indexes_follow_saves_and_deletes(db: Path | str) -> None:
    with open_store(db) as store:
        story = build_sample(store, hostile=False)
        views = _views(store)
        [summary] = views["stories"][0]  # type: ignore[index]
        assert (summary.id, summary.articles, summary.conflicts) == (STORY_ID, 3, 2)
        assert views["by_outlet"][1] == views["by_entity"][1] == views["by_words"][1] == 1  # type: ignore[index]
        assert views["quotes"][1] >= 1 and views["count"] == 3  # type: ignore[index]
        assert views["conflicts"] and all(c.story_id == STORY_ID for c in views["conflicts"])  # type: ignore[union-attr]
        # a story saved again with fewer articles and no conflicts: every index follows
        story.articles = story.articles[:1]
        story.conflicts = []
        store.stories.save(story)
        assert store.stories.summaries()[0][0].articles == 1
        assert store.stories.conflicts_about(MAYOR, ["Lena Ortiz"]) == []
        assert store.stories.summaries_for_articles(ArticleFilter(outlet="Coastal Courier"))[1] == 0
        store.stories.delete(STORY_ID)
        assert store.stories.summaries() == ([], 0)
        assert store.stories.summaries_for_articles(ArticleFilter(entity=MAYOR)) == ([], 0)


def test_quotes_follow_the_article_record(db: Path | str) -> None:
    with open_store(db) as store:
        story = build_sample(store, hostile=False)
        article = store.articles.get(story.articles[0])
        before = store.articles.quotes_by(MAYOR)[1]
        article.quotes = [q for q in article.quotes if q.speaker_entity != MAYOR] + [
            Quote(text="We build.", start=0, end=9, kind="direct", speaker="Lena Ortiz", speaker_entity="ent-new")
        ]
        store.articles.update(article)
        assert store.articles.quotes_by(MAYOR)[1] < before
        [quote] = store.articles.quotes_by("ent-new")[0]
        assert quote.quote.text == "We build." and quote.article.id == article.id


def test_article_counts_follow_entity_articles(db: Path | str) -> None:
    with open_store(db) as store:
        build_sample(store, hostile=False)
        ids = [a.id for a in store.articles.list()]
        store.entities.upsert([Entity(id="ent-x", name="X Corp", type="organization", articles=ids[:2])])
        assert store.entities.article_count("ent-x") == 2
        store.entities.upsert([Entity(id="ent-x", name="X Corp", type="organization", articles=ids)])
        assert store.entities.article_count("ent-x") == len(ids)
        store.entities.delete(["ent-x"])
        assert store.entities.article_count("ent-x") == 0


# Undoing migrations 0006 onwards as a store of the previous release would have it.
_UNDO_SHARED = [
    "DROP INDEX entities_n_articles",
    "DROP INDEX entities_type",
    "ALTER TABLE entities DROP COLUMN n_articles",
    "DROP TABLE story_summaries",
    "DROP TABLE article_quotes",
    "DROP TABLE story_conflicts",
    "DROP TABLE story_entities",
    "DROP TABLE story_outlets",
    "DROP TABLE ingest_jobs",
    "DROP INDEX articles_outlet",
    "DROP INDEX articles_language",
    # and issue 10's 0008-0010 (storylines, statement vectors, event columns of the summaries)
    "DROP TABLE storyline_features",
    "DROP TABLE storylines",
    "DROP TABLE statement_vectors",
    "DROP INDEX story_features_seq",
    "ALTER TABLE story_features DROP COLUMN last_seq",
    # and issue 13's 0012 (compare's per-story state)
    "DROP TABLE compare_state",
    # and round 15's 0013 (the store's own records: which engine made its statement vectors)
    "DROP TABLE store_meta",
    "DELETE FROM migrations WHERE name >= '0006'",
]
UNDO = {
    "sqlite": ["DROP TRIGGER entity_articles_added", "DROP TRIGGER entity_articles_removed", *_UNDO_SHARED]
    + ["CREATE INDEX articles_outlet ON articles (outlet)"],
    "postgresql": [
        "DROP TRIGGER entity_articles_added ON entity_articles",
        "DROP TRIGGER entity_articles_removed ON entity_articles",
        "DROP FUNCTION entity_articles_count",
        *_UNDO_SHARED,
        "CREATE INDEX articles_outlet ON articles (outlet NULLS FIRST)",
    ],
}


def _undo_web_migrations(db: Path | str) -> None:
    if isinstance(db, Path):
        conn = sqlite3.connect(db)
        for statement in UNDO["sqlite"]:
            conn.execute(statement)
        conn.commit()
        conn.close()
        return
    import psycopg

    with psycopg.connect(db) as pg:
        for statement in UNDO["postgresql"]:
            pg.execute(statement)  # type: ignore[arg-type]


def test_a_store_written_before_the_indexes_gets_them_when_migrated(db: Path | str) -> None:
    with open_store(db) as store:
        build_sample(store, hostile=False)
        story = store.stories.get(STORY_ID)
        # a conflict whose speaker is the mayor under another spelling, to check the speakers column
        story.conflicts.append(
            Conflict(
                kind="statement",
                summary="s",
                sides=[
                    Side(article=story.articles[0], text="a", speaker="MAYOR ORTIZ"),
                    Side(article=story.articles[1], text="b"),
                ],
            )
        )
        store.stories.save(story)
        expected = _views(store)
    _undo_web_migrations(db)
    with open_store(db) as store:
        assert _views(store) == expected
        assert any(c.conflict.summary == "s" for c in store.stories.conflicts_about(MAYOR, ["Mayor Ortiz"]))


def test_paged_indexes_report_totals_past_the_last_page(db: Path | str) -> None:
    with open_store(db) as store:
        story = build_sample(store, hostile=False)
        assert store.articles.summary_page(limit=2, offset=10) == ([], 3)
        assert store.stories.summaries(limit=1, offset=5) == ([], 1)
        assert store.entities.summary_page(limit=1, offset=100)[1] >= 3
        hits, total = store.articles.search_page("flood", limit=1)
        assert total >= 1 and len(hits) == 1 and "[" in hits[0][1]
        assert store.articles.search_page("flood", limit=1, rank_within=1)[1] == total
        assert {a.id for a in store.articles.summary_page(limit=10)[0]} == set(story.articles)


def test_storylines_are_listed_newest_first_then_undated_ones_largest_first(db: Path | str) -> None:
    """Most storylines of undated news have no known day: a forty-article storyline is not listed after a lone
    report because its id sorts later. Migrating an older store fills the size from the storyline's record."""
    from storydesk.records import Storyline

    lines = [
        Storyline(id="l-a", title="a lone report", article_count=1),
        Storyline(id="l-b", title="older, dated", article_count=2, first_day="2025-03-01", last_day="2025-03-02"),
        Storyline(id="l-c", title="a developing story", article_count=40),
        Storyline(id="l-d", title="newest, dated", article_count=1, first_day="2025-05-01", last_day="2025-05-10"),
        Storyline(id="l-e", title="two reports", article_count=2),
    ]
    with open_store(db) as store:
        for line in lines:
            store.storylines.save(line)
        assert [line.id for line in store.storylines.list()] == ["l-d", "l-b", "l-c", "l-e", "l-a"]
        store.execute("DELETE FROM migrations WHERE name LIKE '0011%'")  # undo 0011 alone
        store.execute("ALTER TABLE storylines DROP COLUMN article_count")
    with open_store(db) as store:
        assert [line.id for line in store.storylines.list(limit=2, offset=2)] == ["l-c", "l-e"]
