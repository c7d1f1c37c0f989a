"""The web app's pages and JSON twins over a store built from records (tests/fixtures/web/sample.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from storydesk.records import Story
from storydesk.settings import Settings
from storydesk.store import open_store
from storydesk.web.app import create_app
from tests.conftest import BACKENDS, store_location
from tests.fixtures.web.sample import COUNCIL, MAYOR, STORY_ID, WEBER, build_sample
from tests.fixtures.web.server import serve

HTML = {"accept": "text/html"}


@pytest.fixture(scope="module", params=BACKENDS)
def sample(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[httpx.Client, Story]]:
    """A store with the sample story, served on loopback; yields a client and the story.

    Every page test runs over a SQLite file and over PostgreSQL (issue 12).
    """
    db = store_location(request.param, request, Path(tmp_path_factory.mktemp("web")))
    with open_store(db) as store:
        story = build_sample(store, hostile=False)
    app = create_app(Settings(db=db))
    with serve(app) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield client, story


@pytest.fixture
def client(sample: tuple[httpx.Client, Story]) -> httpx.Client:
    return sample[0]


@pytest.fixture
def story(sample: tuple[httpx.Client, Story]) -> Story:
    return sample[1]


def test_stories_list_shows_the_story_with_its_counts(client: httpx.Client) -> None:
    page = client.get("/stories", headers=HTML)
    assert page.status_code == 200
    assert "Harbour flood wall approved" in page.text
    data = client.get("/stories.json").json()
    assert data["total"] == 1 and data["limit"] == 50 and data["offset"] == 0
    [item] = data["items"]
    assert item["id"] == STORY_ID
    assert (item["articles"], item["conflicts"], item["corroborated"], item["single_source"]) == (3, 2, 1, 1)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("outlet=Coastal+Courier", True),
        ("outlet=Nowhere+News", False),
        ("language=en", True),
        ("language=de", False),
        (f"actor={WEBER}", True),
        ("actor=Mayor+Ortiz", True),  # a spelling, not the id
        ("actor=Nobody+Known", False),
        ("q=flood+wall", True),
        ("q=volcano", False),
        ("since=2025-03-11", True),
        ("since=2025-04-01", False),
        ("until=2025-03-01", False),
    ],
)
def test_stories_filters(client: httpx.Client, query: str, found: bool) -> None:
    data = client.get(f"/stories.json?{query}").json()
    assert [i["id"] for i in data["items"]] == ([STORY_ID] if found else [])
    assert data["total"] == (1 if found else 0)


def test_story_page_shows_brief_conflict_sides_in_context_matrix_timeline_and_actors(
    client: httpx.Client, story: Story
) -> None:
    page = client.get(f"/stories/{STORY_ID}", headers=HTML).text
    # the brief cites its articles
    assert "The city will build a flood wall along the old harbour." in page
    assert f'href="/articles/{story.articles[0]}"' in page
    # both sides of the attribution conflict, marked inside their sentences
    assert '<mark class="side">The money is on the table.</mark>' in page
    assert '<mark class="side">The money is on the table, but the timetable is not.</mark>' in page
    assert "Speaking at the town hall" in page  # context around the words
    # the matrix has a column per outlet, the timeline an inline SVG, the actors link to their pages
    for outlet in ("Harbour Herald", "Coastal Courier", "District Gazette"):
        assert f'<th class="outlet">{outlet}</th>' in page
    assert "<svg" in page and "The council approves the plan." in page
    assert f'href="/actors/{MAYOR}"' in page and f'href="/actors/{COUNCIL}"' in page
    # each side's speaker links to their actor page
    assert f'<a class="speaker-name" href="/actors/{WEBER}">Jonas Weber</a>' in page


def test_story_json_is_the_stored_record_plus_articles_actors_and_matrix(client: httpx.Client, story: Story) -> None:
    data = client.get(f"/stories/{STORY_ID}.json").json()
    assert data["story"]["id"] == STORY_ID
    assert [c["kind"] for c in data["story"]["conflicts"]] == ["quote_attribution", "number"]
    assert [a["id"] for a in data["articles"]] == story.articles
    assert data["actors"][0] == {"id": MAYOR, "name": "Lena Ortiz", "type": "person", "articles": 3}
    rows = {r["statement"]: r["cells"] for r in data["matrix"]["rows"]}
    assert rows["Cost of the flood wall"] == {"Harbour Herald": "side A", "Coastal Courier": "side B"}
    assert rows["The wall will protect about 3,000 homes."] == {"Harbour Herald": "reports"}


def test_story_id_prefix_works_like_the_cli(client: httpx.Client) -> None:
    assert client.get("/stories/st-harbour.json").json()["story"]["id"] == STORY_ID


def test_article_page_marks_quotes_speakers_actors_and_claims(client: httpx.Client, story: Story) -> None:
    page = client.get(f"/articles/{story.articles[0]}", headers=HTML).text
    assert '<mark class="quote direct" title="direct quote, Lena Ortiz">The money is on the table.</mark>' in page
    assert f'<a class="speaker" href="/actors/{MAYOR}" title="speaker: Lena Ortiz">Ortiz</a>' in page
    assert f'<a class="actor person" href="/actors/{WEBER}"' in page
    assert '<mark class="quantity" title="40 million euros">40 million euros</mark>' in page
    assert f'href="/stories/{STORY_ID}"' in page
    data = client.get(f"/articles/{story.articles[0]}.json").json()
    assert data["article"]["quotes"][0]["speaker_entity"] == MAYOR
    assert data["story"] == STORY_ID
    assert data["sources"] == ["fixture:herald"]


def test_actor_page_lists_spellings_roles_quotes_and_disagreements(client: httpx.Client) -> None:
    data = client.get(f"/actors/{WEBER}.json").json()
    assert data["actor"]["name"] == "Jonas Weber"
    assert "Councillor Jonas Weber" in data["spellings"]
    assert data["roles"] == {"Coastal Courier": ["Councillor"], "Harbour Herald": ["chair of the budget committee"]}
    assert data["quotes"]["total"] == 1
    assert data["quotes"]["items"][0]["text"] == "The money is on the table, but the timetable is not."
    mayor = client.get(f"/actors/{MAYOR}.json").json()
    assert [d["kind"] for d in mayor["disagreements"]] == ["quote_attribution"]
    page = client.get(f"/actors/{MAYOR}", headers=HTML).text
    assert "Where outlets disagree about Lena Ortiz" in page and "Harbour flood wall approved" in page


def test_actor_quotes_are_paginated(client: httpx.Client) -> None:
    data = client.get(f"/actors/{WEBER}.json?limit=1&offset=1").json()
    assert data["quotes"] == {"total": 1, "limit": 1, "offset": 1, "items": []}


def test_search_finds_words_and_marks_them(client: httpx.Client) -> None:
    data = client.get("/search.json", params={"q": "timetable"}).json()
    assert data["total"] == 2
    assert {i["outlet"] for i in data["items"]} == {"Harbour Herald", "Coastal Courier"}
    page = client.get("/search", params={"q": "timetable"}, headers=HTML).text
    assert "<mark>timetable</mark>" in page


def test_search_pages_do_not_repeat_hits(client: httpx.Client) -> None:
    first = client.get("/search.json", params={"q": "flood", "limit": 1}).json()
    second = client.get("/search.json", params={"q": "flood", "limit": 1, "offset": 1}).json()
    assert first["total"] == second["total"] == 3
    assert first["items"][0]["id"] != second["items"][0]["id"]


@pytest.mark.parametrize("path", ["/stories/no-such-story", "/articles/ffffffffffff", "/actors/nobody", "/nowhere"])
def test_unknown_ids_are_404_with_a_json_error(client: httpx.Client, path: str) -> None:
    response = client.get(path + (".json" if path != "/nowhere" else ""))
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert set(response.json()) == {"error"}


def test_unknown_id_in_a_browser_is_an_error_page(client: httpx.Client) -> None:
    response = client.get("/stories/no-such-story", headers=HTML)
    assert response.status_code == 404
    assert "no story" in response.text and "<html" in response.text


@pytest.mark.parametrize("query", ["limit=0", "limit=100000", "offset=-1", "since=yesterday"])
def test_bad_paging_or_dates_are_422_with_a_message(client: httpx.Client, query: str) -> None:
    response = client.get(f"/stories.json?{query}")
    assert response.status_code == 422
    assert response.json()["error"]


def test_docs_work_offline_and_list_every_path(client: httpx.Client) -> None:
    page = client.get("/docs", headers=HTML).text
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/stories", "/stories/{story_id}.json", "/actors/{actor_id}", "/search.json", "/ingest"):
        assert path in paths
        assert f"<code>{path}</code>" in page
    assert "http://" not in page and "https://" not in page  # nothing loaded from elsewhere


def test_static_css_is_served_from_the_package(client: httpx.Client) -> None:
    response = client.get("/static/style.css")
    assert response.status_code == 200 and "text/css" in response.headers["content-type"]


def test_home_redirects_to_the_stories(client: httpx.Client) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 307 and response.headers["location"] == "/stories"


def test_a_page_seen_before_answers_304_to_its_etag(client: httpx.Client) -> None:
    first = client.get(f"/stories/{STORY_ID}.json")
    etag = first.headers["etag"]
    again = client.get(f"/stories/{STORY_ID}.json", headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get(f"/stories/{STORY_ID}.json").json() == first.json()


def test_actor_page_reads_the_store_indexes_not_the_articles(tmp_path: Path) -> None:
    """Issue 11: an actor page loaded every article the actor is in (13 s for a big one); now it reads indexes."""
    from storydesk.web.deps import Page
    from storydesk.web.views import actor_detail

    with open_store(tmp_path / "s.db") as store:
        build_sample(store, hostile=False)
        entity = store.entities.get(MAYOR, articles=False)
        assert entity.articles == []  # not loaded
        data = actor_detail(store, entity, Page(limit=50, offset=0), Settings().web)
    assert data["articles"] == 3
    assert data["stories"][0]["id"] == STORY_ID and data["stories_total"] == 1
    assert data["quotes"]["total"] >= 1 and all(q["outlet"] for q in data["quotes"]["items"])
    assert any(d["kind"] == "quote_attribution" for d in data["disagreements"])


@pytest.mark.parametrize(
    ("fmt", "media", "start"),
    [
        ("json", "application/json", "{"),
        ("md", "text/markdown", "# storydesk report"),
        ("html", "text/html", "<!doctype html>"),
    ],
)
def test_story_page_offers_its_report_in_three_formats(client: httpx.Client, fmt: str, media: str, start: str) -> None:
    """Issue 11: export buttons (JSON, Markdown, HTML) on story pages."""
    page = client.get(f"/stories/{STORY_ID}", headers=HTML).text
    assert f'href="/stories/{STORY_ID}/report.{fmt}"' in page
    assert page.count(">JSON") == 1  # issue 10: one JSON link, the report export, labelled
    response = client.get(f"/stories/{STORY_ID}/report.{fmt}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.headers["content-disposition"] == f'attachment; filename="story-{STORY_ID[:12]}.{fmt}"'
    assert response.text.startswith(start) and "Harbour flood wall approved" in response.text


def test_articles_index_pages_and_filters(client: httpx.Client, story: Story) -> None:
    """Issue 11: /articles gave 404; now an index with paging and the stories list's filters."""
    data = client.get("/articles.json").json()
    assert data["total"] == 3 and {a["id"] for a in data["items"]} == set(story.articles)
    first = client.get("/articles.json?limit=2").json()
    second = client.get("/articles.json?limit=2&offset=2").json()
    assert len(first["items"]) == 2 and len(second["items"]) == 1 and second["total"] == 3
    assert {a["id"] for a in first["items"] + second["items"]} == set(story.articles)
    assert [a["outlet"] for a in client.get("/articles.json?outlet=Coastal+Courier").json()["items"]] == [
        "Coastal Courier"
    ]
    assert client.get("/articles.json?q=volcano").json()["total"] == 0
    assert client.get("/articles.json?actor=Mayor+Ortiz").json()["total"] == 3
    assert client.get("/articles.json?actor=Nobody+Known").json()["notes"] == ["no actor 'Nobody Known'"]
    page = client.get("/articles?limit=2", headers=HTML).text
    assert 'class="pager"' in page and f'href="/articles/{first["items"][0]["id"]}"' in page


def test_actors_index_pages_and_filters(client: httpx.Client) -> None:
    """Issue 11: /actors gave 404; now an index, most articles first, by type and part of a name."""
    data = client.get("/actors.json").json()
    assert data["total"] >= 3 and data["items"][0]["articles"] >= data["items"][-1]["articles"]
    assert data["items"][0] == {"id": MAYOR, "name": "Lena Ortiz", "type": "person", "articles": 3}
    people = client.get("/actors.json?type=person").json()["items"]
    assert people and all(a["type"] == "person" for a in people)
    assert [a["id"] for a in client.get("/actors.json?q=ortiz").json()["items"]] == [MAYOR]
    assert [a["id"] for a in client.get("/actors.json?q=Mayor+Ortiz").json()["items"]] == [MAYOR]  # a spelling
    assert client.get("/actors.json?type=robot").status_code == 422
    page = client.get("/actors?type=", headers=HTML)
    assert page.status_code == 200 and f'href="/actors/{MAYOR}"' in page.text


def test_reported_speech_is_not_shown_in_quotation_marks(tmp_path: Path) -> None:
    """Issue 11: indirect speech was printed inside quotation marks on the actor and article pages."""
    from storydesk.records import Quote
    from storydesk.web.deps import actor_quote_items

    items = [
        {
            "article": "a1",
            "outlet": "Herald",
            "published": None,
            "text": "the wall would be built",
            "kind": "indirect",
            "cue": "said",
            "speaker_text": None,
        },
        {
            "article": "a1",
            "outlet": "Herald",
            "published": None,
            "text": "We build.",
            "kind": "direct",
            "cue": "said",
            "speaker_text": None,
        },
    ]
    html = str(actor_quote_items(items, "Lena Ortiz"))
    assert "Lena Ortiz said that the wall would be built" in html and "<q>the wall" not in html
    assert "<q>We build.</q>" in html
    with open_store(tmp_path / "s.db") as store:
        story = build_sample(store, hostile=False)
        article = store.articles.get(story.articles[0])
        article.quotes.append(
            Quote(text="the council agreed", start=0, end=5, kind="indirect", cue="said", speaker="Lena Ortiz")
        )
        store.articles.update(article)
        with serve(create_app(Settings(db=tmp_path / "s.db"))) as base:
            page = httpx.get(f"{base}/articles/{article.id}", headers=HTML).text
    assert '<span class="reported">that the council agreed</span>' in page
    assert "<q>the council agreed</q>" not in page


def test_reported_speech_in_another_language_gets_no_english_that_round15(tmp_path: Path) -> None:
    """Round 15: the German article's page read "Indien beschuldigte that die Täter unterstützt zu haben", and
    the actor page "India beschuldigte that ...": English "that" joined onto another language's words."""
    from storydesk.records import Quote
    from storydesk.web.deps import actor_quote_items

    item = {
        "article": "a1",
        "outlet": "Blatt",
        "published": None,
        "text": "die Täter unterstützt zu haben",
        "kind": "indirect",
        "cue": "beschuldigte",
        "speaker_text": None,
        "language": "de",
    }
    html = str(actor_quote_items([item], "India"))
    assert "India: die Täter unterstützt zu haben" in html and " that " not in html
    with open_store(tmp_path / "s.db") as store:
        story = build_sample(store, hostile=False)
        article = store.articles.get(story.articles[0])
        article.language = "de"
        article.quotes.append(
            Quote(
                text="die Täter unterstützt zu haben",
                start=0,
                end=5,
                kind="indirect",
                cue="beschuldigte",
                speaker="Indien",
            )
        )
        store.articles.update(article)
        with serve(create_app(Settings(db=tmp_path / "s.db"))) as base:
            page = httpx.get(f"{base}/articles/{article.id}", headers=HTML).text
    assert '<span class="cue">beschuldigte</span>: <span class="reported">die Täter unterstützt zu haben</span>' in page
    assert "that die Täter" not in page


def test_the_stories_list_names_findings_as_the_event_page_does_round15(client: httpx.Client, story: Story) -> None:
    """Round 15: the list's columns said "Agree" and "One source", the event page "corroborated" and "single
    source", for the same counts."""
    listing = client.get("/stories", headers=HTML).text
    page = client.get(f"/stories/{story.id}", headers=HTML).text
    assert '<th class="num">Corroborated</th><th class="num">Single source</th>' in listing
    assert "Agree" not in listing and "One source" not in listing
    assert "corroborated</span>" in page and "single source</span>" in page
