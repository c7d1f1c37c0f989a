"""The story timeline (compare/timeline.py)."""

from __future__ import annotations

from storydesk.compare import compare_story
from storydesk.records import Article, Story, TimelineEntry
from storydesk.settings import CompareSettings
from tests.fixtures.compare.build import article


def _events(*articles: Article) -> list[TimelineEntry]:
    """The timeline's entries other than publications."""
    timeline = compare_story(Story(id="s", title="t"), list(articles), settings=CompareSettings()).timeline
    return [t for t in timeline if "publishes" not in t.text]


def test_dated_events_cite_every_article_and_the_first_reporter() -> None:
    a = article(
        "a",
        "The rebels signed the truce in Arlen on March 3. The army left.",
        outlet="Late Daily",
        dates=[("March 3", "2025-03-03")],
        published="2025-03-05T10:00:00",
    )
    b = article(
        "b",
        "On March 3 the rebels signed a truce in Arlen. Markets rose.",
        outlet="Early Wire",
        dates=[("March 3", "2025-03-03")],
        published="2025-03-04T08:00:00",
    )
    c = article(
        "c",
        "Elections are planned for June 1 in the whole province.",
        outlet="Late Daily",
        dates=[("June 1", "2025-06-01")],
        published="2025-03-06",
    )
    timeline = compare_story(Story(id="s", title="t"), [a, b, c], settings=CompareSettings()).timeline
    dates = [t.date for t in timeline]
    assert dates == sorted(dates)
    signing = next(t for t in timeline if t.date == "2025-03-03")
    assert set(signing.articles) == {"a", "b"} and signing.first_reported_by == "Early Wire"
    election = next(t for t in timeline if t.date == "2025-06-01")
    assert election.articles == ["c"]
    publications = [t for t in timeline if "publishes" in t.text]
    assert [t.date for t in publications] == ["2025-03-04", "2025-03-05", "2025-03-06"]


def test_an_article_without_dates_is_still_on_the_timeline_by_publication() -> None:
    a = article("a", "No dates here, only words about the truce.", outlet="One", published="2025-03-12")
    (entry,) = compare_story(Story(id="s", title="t"), [a], settings=CompareSettings()).timeline
    assert entry.date == "2025-03-12" and entry.articles == ["a"] and entry.first_reported_by == "One"


def test_a_past_month_named_alone_is_background_not_an_event() -> None:
    """Issue 11: "sown in March" became a timeline event."""
    a = article(
        "a",
        "The wheat sown in March was lost to the flood. The dam was built in 1971. The levee will be raised in June.",
        outlet="Farm News",
        dates=[("March", "2025-03"), ("1971", "1971"), ("June", "2025-06")],
        published="2025-04-16",
    )
    events = _events(a)
    assert [t.date for t in events] == ["2025-06"]  # a coming month stays; past months and years do not


def test_a_deadline_day_is_not_when_the_news_happened() -> None:
    """The demo's timeline put "unlikely to return home before Thursday" and "expected the reservoir to
    stabilise by Thursday" under Thursday, a day nothing had happened yet (`link.days.is_plan`)."""
    a = article(
        "a",
        "The gate failed on Tuesday. Residents are unlikely to return home before Thursday. "
        "The agency expects the reservoir to stabilise by April 17.",
        outlet="One",
        dates=[("Tuesday", "2026-04-14"), ("Thursday", "2026-04-16"), ("April 17", "2026-04-17")],
        published="2026-04-15",
    )
    events = _events(a)
    assert [(t.date, t.text) for t in events] == [("2026-04-14", "The gate failed on Tuesday.")]


def test_a_publication_is_named_by_its_headline_not_its_page_date_line_round14() -> None:
    """Round 14: an untitled page beginning with its date line was on the timeline as
    'x publishes “date 2025-05-09 Drones, Blackouts ...”'."""
    a = article("a", " date 2025-03-12 Rail strike halts trains across the north\n\nTrains stood still.", outlet="One")
    (entry,) = compare_story(Story(id="s", title="t"), [a], settings=CompareSettings()).timeline
    assert entry.text == "One publishes “Rail strike halts trains across the north”"
