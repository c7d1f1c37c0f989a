"""Issue 10 on the web: storylines list their events as a timeline; a story page names its storyline and
shows every finding in each outlet's own words (never one wording cited to several outlets)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from storydesk.records import Conflict, Finding, Side, Story, Storyline, StorylineEvent
from storydesk.settings import Settings
from storydesk.store import open_store
from storydesk.web.app import create_app
from tests.fixtures.web.sample import STORY_ID, build_sample
from tests.fixtures.web.server import serve

HTML = {"accept": "text/html"}
LINE = "l-harbour"
LATER = "st-harbour-vote"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    db = Path(tmp_path_factory.mktemp("web-storylines")) / "store.db"
    with open_store(db) as store:
        story = build_sample(store, hostile=False)
        a, b = story.articles[:2]
        story.storyline, story.first_day, story.last_day, story.day_source = LINE, "2025-03-11", "2025-03-12", "dated"
        story.corroborated = [
            Finding(
                summary="Mayor Ortiz: “The wall will hold.”",
                articles=[a, b],
                outlets=["Harbour Herald", "Coastal Courier"],
                kind="quote",
                sides=[
                    Side(
                        article=a,
                        outlet="Harbour Herald",
                        text="The wall will hold.",
                        speaker="Mayor Ortiz",
                        quote_kind="direct",
                    ),
                    Side(
                        article=b,
                        outlet="Coastal Courier",
                        text="the wall would not give way",
                        speaker="Mayor Ortiz",
                        quote_kind="indirect",
                    ),
                ],
                independent_outlets=2,
                voices=2,
            )
        ]
        story.conflicts = [
            Conflict(
                kind="number",
                summary=f"Sources disagree on the wall's height ({label}).",
                sides=[
                    Side(article=a, text="The wall is 4 m high.", outlet="Harbour Herald"),
                    Side(article=b, text="The 6 m wall.", outlet="Coastal Courier"),
                ],
                confidence=confidence,
                reason=f"why {label}",
            )
            for label, confidence in (("sure", 0.9), ("unsure", 0.4))
        ]
        store.stories.save(story)
        later = Story(
            id=LATER,
            title="Council votes on the <i>harbour</i> wall",
            articles=[story.articles[2]],
            storyline=LINE,
            first_day="2025-03-20",
            last_day="2025-03-20",
            day_source="mentioned",
            independent_outlets=1,
        )
        store.stories.save(later)
        store.storylines.save(
            Storyline(
                id=LINE,
                title="The harbour wall",
                events=[STORY_ID, LATER],
                timeline=[
                    StorylineEvent(
                        event=STORY_ID,
                        title=story.title,
                        day="2025-03-11",
                        day_source="dated",
                        articles=2,
                        independent_outlets=2,
                        languages=["en"],
                    ),
                    StorylineEvent(
                        event=LATER,
                        title=later.title,
                        day="2025-03-20",
                        day_source="mentioned",
                        articles=1,
                        independent_outlets=1,
                        languages=["en"],
                    ),
                ],
                article_count=3,
                outlets=["Harbour Herald", "Coastal Courier", "District Gazette"],
                languages=["en"],
                first_day="2025-03-11",
                last_day="2025-03-20",
            )
        )
    settings = Settings(db=db)
    settings.web.cache_bytes = 0
    with serve(create_app(settings)) as base, httpx.Client(base_url=base, timeout=30) as client:
        yield client


def test_storylines_page_lists_events_in_time_order_with_links(client: httpx.Client) -> None:
    page = client.get("/storylines", headers=HTML).text
    assert "The harbour wall" in page and f'href="/storylines/{LINE}"' in page
    first, later = page.index(f'href="/stories/{STORY_ID}"'), page.index(f'href="/stories/{LATER}"')
    assert first < later  # the timeline runs forward
    assert "2025-03-20" in page and "(mentioned)" in page  # an undated event's day says where it comes from
    assert "&lt;i&gt;harbour&lt;/i&gt;" in page and "<i>harbour</i>" not in page


def test_storyline_json_has_its_events_with_their_counts(client: httpx.Client) -> None:
    data = client.get(f"/storylines/{LINE}.json").json()["storyline"]
    assert [e["event"] for e in data["events"]] == [STORY_ID, LATER]
    assert data["events"][0]["corroborated"] == 1 and data["events"][0]["independent_outlets"] == 2
    listing = client.get("/storylines.json").json()
    assert listing["total"] == 1 and listing["items"][0]["id"] == LINE


def test_unknown_storyline_is_404(client: httpx.Client) -> None:
    assert client.get("/storylines/l-nothing", headers=HTML).status_code == 404


def test_story_page_names_its_storyline_and_shows_each_outlets_own_words(client: httpx.Client) -> None:
    page = client.get(f"/stories/{STORY_ID}", headers=HTML).text
    assert f'href="/storylines/{LINE}"' in page and f'href="/stories/{LATER}"' in page
    # Each outlet's own words, with its own citation; reported speech is not put in quotation marks.
    assert "Mayor Ortiz: “The wall will hold.”" in page
    assert "Mayor Ortiz said that the wall would not give way" in page
    assert "“the wall would not give way”" not in page
    assert "2 independent outlets (2 articles)" in page


def test_stories_list_shows_an_undated_events_mentioned_day(client: httpx.Client) -> None:
    page = client.get("/stories", headers=HTML).text
    assert "2025-03-20" in page and "(mentioned)" in page
    item = next(i for i in client.get("/stories.json").json()["items"] if i["id"] == LATER)
    assert item["storyline"] == LINE and item["day_source"] == "mentioned"


def test_the_page_shows_confident_conflicts_and_the_rest_on_request(client: httpx.Client) -> None:
    page = client.get(f"/stories/{STORY_ID}", headers=HTML).text
    assert "height (sure)" in page and "height (unsure)" not in page
    assert "Show 1 less confident conflict" in page and "confidence 0.90" in page
    everything = client.get(f"/stories/{STORY_ID}?conflicts=all", headers=HTML).text
    assert "height (sure)" in everything and "height (unsure)" in everything and "why unsure" in everything
    assert len(client.get(f"/stories/{STORY_ID}.json").json()["story"]["conflicts"]) == 2  # the JSON has all
