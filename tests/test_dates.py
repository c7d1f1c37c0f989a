"""Dates resolved against the publication date (read/dates.py), issue 3."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from storydesk.read import dates, read_articles
from storydesk.read.dates import find_dates, resolve
from storydesk.read.nlp import load_nlp
from storydesk.records import Article
from storydesk.settings import ReadSettings

PUBLISHED = date(2025, 3, 13)  # a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on Tuesday", "2025-03-11"),  # the most recent Tuesday on or before publication
        ("Thursday", "2025-03-13"),
        ("last Thursday", "2025-03-06"),
        ("next Monday", "2025-03-17"),
        ("yesterday", "2025-03-12"),
        ("last night", "2025-03-12"),
        ("two days ago", "2025-03-11"),
        ("last week", "2025-03-03"),  # the Monday of that week
        ("earlier this week", "2025-03-10"),
        ("earlier this month", "2025-03"),
        ("last month", "2025-02"),
        ("last year", "2024"),
        ("in March", "2025-03"),
        ("December", "2024-12"),  # a month ahead by more than half a year is last year's
        ("March 12", "2025-03-12"),
        ("12 March 2025", "2025-03-12"),
        ("March 12, 2025", "2025-03-12"),
        ("2025-03-12", "2025-03-12"),
        ("December 28", "2024-12-28"),
        ("in 2024", "2024"),
        ("mid-October", "2024-10"),
        ("Tuesday, March 11", "2025-03-11"),
        ("the 11th of March", "2025-03-11"),
    ],
)
def test_resolve_against_publication(text: str, expected: str) -> None:
    resolved = resolve(text, PUBLISHED)
    assert resolved is not None and resolved[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "recent years",
        "the past few days",
        "thirty-day",
        "three years",
        "the day",
        "decades",
        "60 hours",
        "ages 65",
        "Feb. 30",
    ],
)
def test_vague_expressions_and_durations_are_skipped(text: str) -> None:
    assert resolve(text, PUBLISHED) is None


def test_without_publication_date_only_full_dates_resolve() -> None:
    assert resolve("March 12, 2025", None) == ("2025-03-12", False)
    assert resolve("yesterday", None) is None
    assert resolve("March 12", None) is None


def test_find_dates_keeps_sentence_and_offsets() -> None:
    nlp = load_nlp(ReadSettings().model)
    text = "The talks opened. Officials met on Tuesday in Jeddah. They had spoken in recent years."
    refs = find_dates(nlp(text), "2025-03-13T09:00:00+00:00")
    assert [(r.text, r.date, r.relative) for r in refs] == [("Tuesday", "2025-03-11", True)]
    assert refs[0].sentence == "Officials met on Tuesday in Jeddah."
    assert text[refs[0].start : refs[0].end] == "Tuesday"


def test_seed_dates(seeds: Path) -> None:
    text = (seeds / "000_2381959b99040590.txt").read_text(encoding="utf-8")
    (article,) = read_articles(
        [Article(id="s", source="seed", text=text, language="en", published="2025-03-12")], ReadSettings()
    )
    assert ("March 12, 2025", "2025-03-12") in {(d.text, d.date) for d in article.dates}


FORWARD_CASES = [
    # issue 11: "unlikely to return home before Thursday" was dated five days before the event
    ("Villagers are unlikely to return home before Thursday, officials said.", "2025-03-20"),
    ("The ministers will meet on Thursday in Geneva.", "2025-03-20"),
    ("Parliament is expected to vote on Thursday.", "2025-03-20"),
    ("The report must be filed by Thursday.", "2025-03-20"),
    ("Talks continue until Thursday.", "2025-03-20"),
    ("The council plans to meet Thursday.", "2025-03-20"),
    ("Engineers are going to inspect the dam on Thursday.", "2025-03-20"),
    # otherwise the previous one: news reports what happened
    ("The ministers met on Thursday in Geneva.", "2025-03-13"),
    ("The dam had been inspected before Thursday.", "2025-03-13"),
    ("Officials said on Thursday that the gates failed.", "2025-03-13"),
    ("On Thursday, the gates failed.", "2025-03-13"),
    ("The gates opened Thursday morning.", "2025-03-13"),
]


@pytest.mark.parametrize(("text", "expected"), FORWARD_CASES)
def test_a_weekday_the_sentence_points_forward_to_is_the_next_one(text: str, expected: str) -> None:
    nlp = load_nlp(ReadSettings().model)
    (ref,) = find_dates(nlp(text), "2025-03-15")  # a Saturday
    assert ref.text.endswith(("Thursday", "Thursday morning")) and ref.date == expected


def test_forward_resolution_keeps_publication_day() -> None:
    assert resolve("Thursday", PUBLISHED, forward=True) == ("2025-03-13", True)  # published on a Thursday
    assert resolve("Friday", PUBLISHED, forward=True) == ("2025-03-14", True)
    assert resolve("last Friday", PUBLISHED, forward=True) == ("2025-03-07", True)  # "last" wins


# -- issue 13: the common forms never reach dateparser; the rest still does ----------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tuesday", "2025-03-11"),
        ("on March 12", "2025-03-12"),
        ("last week", "2025-03-03"),
        ("2025-03-12", "2025-03-12"),
        ("12 March 2025", "2025-03-12"),
        ("Mar. 12th", "2025-03-12"),
        ("two days ago", "2025-03-11"),
    ],
)
def test_common_forms_are_resolved_without_dateparser(monkeypatch, text: str, expected: str) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError(f"dateparser called for {text!r}")

    monkeypatch.setattr(dates, "_dateparser", refuse)
    assert resolve(text, date(2025, 3, 13))[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("sept, 26, 2014", "2014-09-26"), ("3/12/2025", "2025-03-12"), ("March the 12th", "2025-03-12")],
)
def test_other_forms_go_to_dateparser(monkeypatch, text: str, expected: str) -> None:
    calls = []
    original = dates._dateparser

    def counting(phrase: str, base: str | None) -> str | None:
        calls.append(phrase)
        return original(phrase, base)

    monkeypatch.setattr(dates, "_dateparser", counting)
    assert resolve(text, date(2025, 3, 13))[0] == expected
    assert calls


def test_a_dates_sentence_ends_with_its_words_not_the_paragraph_break() -> None:
    """The demo's timeline showed two blank lines under each entry that closed a paragraph."""
    nlp = load_nlp(ReadSettings().model)
    doc = nlp("The gate failed on Tuesday, the agency said.\n\nThe river fell on Wednesday.")
    refs = find_dates(doc, "2026-04-15")
    assert [r.sentence for r in refs] == [
        "The gate failed on Tuesday, the agency said.",
        "The river fell on Wednesday.",
    ]
