from __future__ import annotations

import pytest

from storydesk.errors import NotFound
from storydesk.ingest.common import make_article
from storydesk.records import Article
from storydesk.store.base import ArticleFilter


def _article(text: str, **kw):
    return make_article(source=kw.pop("source", "mem.txt"), paragraphs=[text], **kw)


def test_same_content_is_stored_once_and_both_sources_are_kept(store):
    a = _article("Peskov said Russia would evaluate the proposal carefully.", source="a.txt")
    b = _article("Peskov  said Russia would evaluate the proposal carefully.", source="b.txt")
    assert store.articles.add(a) == "new"
    assert store.articles.add(b) == "duplicate"
    assert store.articles.count() == 1
    assert sorted(store.articles.sources(a.id)) == ["a.txt", "b.txt"]


def test_failed_transaction_leaves_nothing_behind(store):
    a = _article("A complete article body that is long enough.")
    with pytest.raises(RuntimeError), store.transaction():
        store.articles.add(a)
        raise RuntimeError("killed mid-write")
    assert store.articles.count() == 0
    assert store.articles.search("complete") == []


def test_filters_and_full_text_search(store):
    store.articles.add(
        _article("Kremlin spokesperson Dmitri Peskov spoke.", outlet="a.example", published="2025-03-12")
    )
    store.articles.add(
        _article("Rubio said European sanctions are on the table.", outlet="b.example", published="2025-03-13T10:00:00")
    )
    assert store.articles.count(ArticleFilter(outlet="a.example")) == 1
    assert store.articles.count(ArticleFilter(since="2025-03-13")) == 1
    assert store.articles.count(ArticleFilter(until="2025-03-13")) == 2
    assert store.articles.count(ArticleFilter(query="sanctions")) == 1
    (hit,) = store.articles.search("Peskov")
    assert "[Peskov]" in hit.snippet
    # punctuation a user types must not break the FTS5 query
    assert store.articles.search('U.S. "km²') == []


def test_get_by_prefix_and_missing(store):
    a = _article("Some article text that is long enough to keep.")
    store.articles.add(a)
    assert store.articles.get(a.id[:6]).id == a.id
    with pytest.raises(NotFound):
        store.articles.get("zzzz")


def test_migrations_are_applied_once(tmp_path):
    from storydesk.store import open_store

    path = tmp_path / "s.db"
    with open_store(path) as s:
        s.articles.add(_article("Persisted article text, long enough."))
    with open_store(path) as s:
        assert s.articles.count() == 1
        names = [r[0] for r in s.execute("SELECT name FROM migrations ORDER BY name")]
    assert names == sorted(set(names)) and names[0].startswith("0001")


@pytest.mark.parametrize(
    "paragraphs, text",
    [
        (["The dam held overnight.", "Crews left at dawn."], "The dam held overnight.\n\nCrews left at dawn."),
        # a body that is not its paragraphs joined (a source may set both) comes back as it was stored
        (["The dam held overnight."], "The dam held overnight.\nCrews left at dawn."),
    ],
)
def test_stored_article_comes_back_with_its_body_and_paragraphs(store, paragraphs, text):
    article = Article(id="a1", source="mem.txt", text=text, paragraphs=paragraphs, content_hash="h1", title="Dam")
    store.articles.add(article)
    again = store.articles.get("a1")
    assert (again.text, again.paragraphs, again.title) == (text, paragraphs, "Dam")
    assert [a.text for a in store.articles.iter_all()] == [text]


def test_unlinked_articles_come_in_the_order_they_were_stored(store):
    """Issue 10: ids are opaque hashes and `ingested_at` has whole seconds, so ties were broken by id and
    the linking order (and so the events) depended on how many articles one second stored."""
    stored = []
    for n in range(6):
        article = _article(f"Undated report number {n} about the flood in the valley.")
        article.ingested_at = "2026-01-01T00:00:00+00:00"  # one ingest second
        store.articles.add(article)
        stored.append(article.id)
    assert sorted(stored) != stored  # the ids alone would give another order
    assert store.articles.unlinked_ids() == stored


def test_issue13_a_read_articles_record_is_what_dataclasses_gives(store):
    """Round 15: `plain` answers strings, numbers and None before its dataclass check; a read article's
    record is the same JSON as `dataclasses.asdict` gives, and reads back equal."""
    import dataclasses
    import json

    from storydesk.read import read_articles
    from storydesk.records import plain
    from storydesk.settings import ReadSettings

    article = _article('"We will rebuild 3 bridges," President Zelensky said in Kyiv on May 7, 2025.')
    read_articles([article], ReadSettings())
    assert article.mentions and article.quotes and article.dates
    assert any(m.place is not None for m in article.mentions)
    assert json.dumps(plain(article)) == json.dumps(dataclasses.asdict(article))
    store.articles.add(article)
    assert store.articles.get(article.id) == article
