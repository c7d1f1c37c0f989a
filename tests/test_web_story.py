"""The story page: single-source statements a page at a time (all in the JSON), and its slim article read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from storydesk.records import Finding
from storydesk.settings import Settings
from storydesk.store import open_store
from storydesk.web.app import create_app
from storydesk.web.storyload import load_story_articles
from tests.conftest import BACKENDS, store_location
from tests.fixtures.web.sample import STORY_ID, build_sample
from tests.fixtures.web.server import serve

HTML = {"accept": "text/html"}
PER_PAGE = 4
SINGLE = 11


@pytest.fixture(scope="module", params=BACKENDS)
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """The sample story with SINGLE single-source statements, PER_PAGE to a page, cache off; on both stores."""
    db = store_location(request.param, request, Path(tmp_path_factory.mktemp("web-story")))
    with open_store(db) as store:
        story = build_sample(store, hostile=False)
        story.single_source = [
            Finding(
                summary=f"Statement number {n} <b>only here</b>.",
                articles=[story.articles[0]],
                outlets=["Harbour Herald"],
                kind="claim",
            )
            for n in range(1, SINGLE + 1)
        ]
        store.stories.save(story)
    settings = Settings(db=db)
    settings.web.story_single_source = PER_PAGE
    settings.web.cache_bytes = 0
    with serve(create_app(settings)) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield client


def _shown(page: str) -> list[int]:
    return [n for n in range(1, SINGLE + 1) if f"Statement number {n} " in page]


def test_first_page_shows_the_first_statements_and_a_link_to_the_next(client: httpx.Client) -> None:
    page = client.get(f"/stories/{STORY_ID}", headers=HTML).text
    assert _shown(page) == [1, 2, 3, 4]
    assert f"{SINGLE} statements from a single source" in page
    assert f"1–4 of {SINGLE}" in page
    assert f'href="/stories/{STORY_ID}?single=4#single-source">next →' in page
    assert "← previous" not in page
    # escaped, as everywhere
    assert "&lt;b&gt;only here&lt;/b&gt;" in page and "<b>only here</b>" not in page


def test_later_pages_follow_on_and_the_last_has_no_next(client: httpx.Client) -> None:
    middle = client.get(f"/stories/{STORY_ID}?single=4", headers=HTML).text
    assert _shown(middle) == [5, 6, 7, 8]
    assert f'href="/stories/{STORY_ID}?single=0#single-source">← previous' in middle
    last = client.get(f"/stories/{STORY_ID}?single=8", headers=HTML).text
    assert _shown(last) == [9, 10, 11]
    assert f"9–11 of {SINGLE}" in last and "next →" not in last


def test_json_has_every_statement(client: httpx.Client) -> None:
    data = client.get(f"/stories/{STORY_ID}.json").json()
    assert len(data["story"]["single_source"]) == SINGLE
    assert sum(r["status"] == "single_source" for r in data["matrix"]["rows"]) == SINGLE


def test_a_negative_offset_is_refused(client: httpx.Client) -> None:
    assert client.get(f"/stories/{STORY_ID}?single=-1", headers=HTML).status_code == 422


def test_story_articles_are_read_in_story_order_with_their_linked_mentions(tmp_path: Path) -> None:
    with open_store(tmp_path / "store.db") as store:
        story = build_sample(store, hostile=False)
        whole = store.articles.get_many(story.articles)
        loaded = load_story_articles(store, [*reversed(story.articles), "no-such-id"])
    assert [a.id for a in loaded.articles] == list(reversed(story.articles))
    by_id = {a.id: a for a in loaded.articles}
    for article in whole:
        slim = by_id[article.id]
        assert (slim.title, slim.outlet, slim.published, slim.text, slim.duplicate_of) == (
            article.title,
            article.outlet,
            article.published,
            article.text,
            article.duplicate_of,
        )
        assert slim.mentions == [] and slim.quotes == []  # not rebuilt: the page does not show them
        assert loaded.linked[article.id] == [(m.entity, m.name, m.type) for m in article.mentions if m.entity]
    assert any(loaded.linked.values())


def test_one_name_is_one_actor_on_the_event_page_round15() -> None:
    """'India' the place and 'India' the people ('Indian officials') were two rows "India (place)" and "India
    (people)": a reader could not tell which to open. One row now, linking to the entity in most articles and
    counting the articles naming either, the other entity a small link after it; a lone name has no label."""
    from types import SimpleNamespace

    from storydesk.web.deps import actor_items
    from storydesk.web.views import story_actors

    linked = {
        "a1": [("e-1", "India", "place"), ("e-3", "Narendra Modi", "person")],
        "a2": [("e-1", "India", "place"), ("e-2", "India", "group")],
        "a3": [("e-2", "India", "group")],
        "a4": [("e-1", "India", "place")],
    }
    actors = story_actors(SimpleNamespace(linked=linked))  # type: ignore[arg-type]
    assert [(a["name"], a["id"], a["articles"]) for a in actors] == [("India", "e-1", 4), ("Narendra Modi", "e-3", 1)]
    assert actors[0]["also"] == [{"id": "e-2", "type": "group"}] and "also" not in actors[1]
    html = str(actor_items(actors))
    assert html.count(">India</a>") == 1
    assert '(also as <a href="/actors/e-2">people</a>)' in html
    assert ">Narendra Modi</a> <span" in html and "also as" not in html.split("Narendra Modi")[1]


def test_conflict_sides_giving_one_value_share_a_letter_issue10() -> None:
    """A conflict merged from pairs with one side in common (compare/conflicts.py merge_shared_sides) shows
    the outlets that give one value under one letter, on the cards and in the source matrix."""
    from storydesk.records import Article, Conflict, Side, Story
    from storydesk.web.views import side_letters, source_matrix

    sides = [
        Side(article="a", text="on April 22", outlet="One", value="2025-04-22"),
        Side(article="b", text="on May 2", outlet="Two", value="2025-05-02"),
        Side(article="c", text="on May 2", outlet="Three", value="2025-05-02"),
    ]
    conflict = Conflict(kind="date", summary="Sources disagree on when this happened.", sides=sides)
    assert side_letters(conflict) == ["A", "B", "B"]
    assert side_letters(Conflict(kind="date", summary="", sides=[Side(article="a", text="x")] * 2)) == ["A", "B"]
    story = Story(id="s", title="t", conflicts=[conflict])
    articles = [
        Article(id=n, source=n, text="x", outlet=o) for n, o in zip("abc", ("One", "Two", "Three"), strict=True)
    ]
    (row,) = source_matrix(story, articles)["rows"]
    assert row["cells"] == {"One": "side A", "Two": "side B", "Three": "side B"}


def test_an_untitled_article_is_listed_by_its_first_line_issue10() -> None:
    """news_stories_2025 and most JSONL inputs have no titles: the story page's article list and the
    article page name them by their first headline-like line, never 36 times "(no title)"."""
    from storydesk.records import Article
    from storydesk.web.views import article_summary

    text = "Ceasefire holds in Arlen after a night of talks\nThe truce was signed at dawn on Monday."
    untitled = article_summary(Article(id="a", source="a", text=text))
    assert untitled["title"] is None
    assert untitled["shown_title"] == "Ceasefire holds in Arlen after a night of talks"
    assert article_summary(Article(id="b", source="b", text=text, title="Truce"))["shown_title"] == "Truce"


def test_an_event_of_one_outlet_badges_nothing_single_source_round16(tmp_path: Path) -> None:
    """Round 16 (trust): an event of one outlet (one article linking kept apart) badged each of its statements
    "single source", which a reader takes for "the other outlets did not report it"; other outlets of the
    same happening did. Its statements are shown as its one outlet's, compared with none."""
    from storydesk.records import BriefSentence, Story

    db = tmp_path / "store.db"
    with open_store(db) as store:
        sample = build_sample(store, hostile=False)
        herald = sample.articles[0]
        statement = Finding(summary="The wall will protect about 3,000 homes.", articles=[herald], kind="claim")
        store.stories.save(
            Story(
                id="s-alone",
                title="Harbour wall: one outlet",
                articles=[herald],
                outlets=["Harbour Herald"],
                independent_outlets=1,
                single_source=[statement],
                brief=[BriefSentence(text=statement.summary, articles=[herald], status="single_source")],
            )
        )
    settings = Settings(db=db)
    settings.web.cache_bytes = 0
    with serve(create_app(settings)) as base, httpx.Client(base_url=base, timeout=30) as client:
        alone = client.get("/stories/s-alone", headers=HTML).text
        several = client.get(f"/stories/{STORY_ID}", headers=HTML).text
    assert "The wall will protect about 3,000 homes." in alone
    assert "single source" not in alone and "only this outlet reports it" not in alone
    assert "one outlet: nothing to compare" in alone
    assert "single source" in several and "only this outlet reports it" in several
