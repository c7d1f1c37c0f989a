"""Numeric claims (read/claims.py, read/numbers.py, read/units.py), issue 3."""

from __future__ import annotations

from pathlib import Path

import pytest

from storydesk.read import numbers, read_articles
from storydesk.read.claims import find_claims
from storydesk.read.nlp import load_nlp
from storydesk.records import Article
from storydesk.settings import ReadSettings


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    return load_nlp(ReadSettings().model)


def claims_of(nlp, text: str) -> list[tuple[float | None, str | None, str | None]]:  # type: ignore[no-untyped-def]
    return [(c.value, c.unit, c.qualifier) for c in find_claims(nlp(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Negotiators discussed a proposed thirty-day ceasefire.", (30.0, "day", None)),
        ("The army announced the recapture of over 1,100 square kilometers.", (1100.0, "km2", "over")),
        ('"We have done 75% of the work," he said.', (75.0, "percent", None)),
        ("At least 12 civilians were killed in the strike.", (12.0, "person", "at least")),
        ("Some 300 troops crossed the border.", (300.0, "person", "some")),
        ("The fund holds $2 billion in cash.", (2e9, "USD", None)),
        ("Prices rose 3 per cent last year.", (3.0, "percent", None)),
        ("The city of 1.5 million residents was without power.", (1.5e6, "person", None)),
        ("The aid package is worth €3.5bn.", (3.5e9, "EUR", None)),
        ("Nearly 40 tanks were destroyed.", (40.0, "tank", "nearly")),
        ("The front line is about 1,000 km long.", (1000.0, "km", "about")),
        ("The talks lasted almost three weeks.", (3.0, "week", "almost")),
        ("A 28-year-old man was arrested.", (28.0, "year of age", None)),
        ("The field pumps 500,000 barrels a day.", (500000.0, "barrel/day", None)),
        ("The budget is £3m.", (3e6, "GBP", None)),
        ("A 1.8m tall fence was built.", (1.8, "m", None)),
        ("She won a quarter of the vote.", (25.0, "percent", None)),
        ("Nine in 10 Americans support the bill.", (10.0, "person", None)),
        ("Temperatures reached 104 degrees Fahrenheit.", (104.0, "F", None)),
        ("A 200lbs load.", (200.0, "lb", None)),
        ("It costs half a million euros.", (5e5, "EUR", None)),
        ("The wait was one and a half hours.", (1.5, "hour", None)),
        ("A ticket is 15 € here.", (15.0, "EUR", None)),
        ("It is part of a $700 million contract.", (7e8, "USD", None)),  # the article is no "A$"
        ("The firm raised A$40 million.", (4e7, "AUD", None)),
        ("The airline buys 2.4 billion gallons of jet fuel a year.", (2.4e9, "gal/year", None)),
        ("Imports fell to 1,458,000 tons.", (1458000.0, "ton", None)),  # a ton is no tonne
        ("Exports reached 20,000 tonnes.", (20000.0, "t", None)),
        ("The item sells for GBP 350.", (350.0, "GBP", None)),  # tagged as a product name by spaCy
        ("The bid offers $70-a-share to holders.", (70.0, "USD/share", None)),
        ("It will pay a 12-cent-a-share dividend.", (12.0, "cent/share", None)),
        # issue 10: clock times are values, in minutes after midnight, with the zone when named
        ("The ceasefire took effect at 5 PM on Saturday.", (1020.0, "clock", None)),
        ("The truce began at 17:00 IST.", (1020.0, "clock IST", None)),
        ("The attack took place around 2.30 pm.", (870.0, "clock", "around")),
    ],
)
def test_claim_value_unit_and_qualifier(nlp, text: str, expected: tuple) -> None:  # type: ignore[no-untyped-def]
    assert expected in claims_of(nlp, text)


@pytest.mark.parametrize(
    ("words", "value"),
    [
        (["thirty"], 30.0),
        (["twenty", "-", "five"], 25.0),
        (["one", "hundred", "and", "twenty"], 120.0),
        (["1.5", "million"], 1.5e6),
        (["2bn"], 2e9),
        (["two", "thirds"], 2 / 3),
        (["a", "dozen"], 12.0),
        (["16.4", "million"], 16.4e6),
        (["1,100"], 1100.0),
        (["banana"], None),
    ],
)
def test_number_words(words: list[str], value: float | None) -> None:
    assert numbers.parse_number(words) == (pytest.approx(value) if value is not None else None)


def test_fraction_is_stored_as_percent(nlp) -> None:  # type: ignore[no-untyped-def]
    (claim,) = find_claims(nlp("About two thirds of the residents have fled."))
    assert (claim.value, claim.unit, claim.qualifier) == (66.7, "percent", "about")
    assert claim.subject == "residents"


def test_claim_keeps_sentence_quantity_and_subject(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Talks went on. Negotiators discussed a proposed thirty-day ceasefire. Nothing was agreed."
    (claim,) = find_claims(nlp(text))
    assert claim.text == "Negotiators discussed a proposed thirty-day ceasefire."
    assert text[claim.start : claim.end] == claim.text
    assert text[claim.quantity_start : claim.quantity_end] == claim.quantity == "thirty-day"
    assert claim.subject == "ceasefire"


@pytest.mark.parametrize(
    ("text", "subject"),
    [
        ("Negotiators discussed a proposed thirty-day ceasefire.", "ceasefire"),
        ('"We have done 75% of the work," he said.', "work"),
        ("They built a 12-story building.", "building"),
        ("Inflation rose 3 percent in May.", "Inflation rose"),
        ("At least 12 civilians were killed.", "civilians killed"),
        # the predicate tells one count of people from another (issue 5 follow-up)
        ("About 900 people were evacuated from the valley.", "people evacuated"),
        ("The flood forced 1,200 people from their homes.", "flood forced people"),
        ("Police arrested 14 people after the match.", "Police arrested people"),
        ("The evacuation of 2,000 people began at dawn.", "evacuation of people"),
        ("The 300 people who were rescued spent the night in a school.", "people rescued"),
        ("The army announced the recapture of over 1,100 square kilometers.", "recapture"),
        # issue 10: a kind's name tells a part from the whole ("three Rafale jets" among "five jets");
        # a nationality says whose they are, not which
        ("Pakistan said it shot down three Rafale jets on Wednesday.", "Pakistan shot down Rafale jets"),
        ("Pakistan said it shot down five Indian fighter jets on Wednesday.", "Pakistan shot down jets"),
        ("The seven-hour talks ended on Friday.", "talks"),
    ],
)
def test_claim_subject(nlp, text: str, subject: str) -> None:  # type: ignore[no-untyped-def]
    assert [c.subject for c in find_claims(nlp(text))] == [subject]


def test_range_keeps_lower_bound_and_says_between(nlp) -> None:  # type: ignore[no-untyped-def]
    (claim,) = find_claims(nlp("Between 5 and 10 percent of voters stayed home."))
    assert (claim.value, claim.unit, claim.qualifier, claim.quantity) == (
        5.0,
        "percent",
        "between",
        "Between 5 and 10 percent",
    )


@pytest.mark.parametrize(
    "text",
    [
        "On March 12, 2025, the talks began.",
        "The war began in 2022.",
        "It was the 22nd round of talks.",
        "See page 12 of the report.",
        "Call 555-123-4567 for details.",
        "Cases of COVID-19 fell.",
        "The Boeing 737 landed safely.",
        "A 7-Eleven store was robbed.",
        "He played in the second half of the match.",
    ],
)
def test_dates_years_times_and_labels_are_not_claims(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert find_claims(nlp(text)) == []


def test_text_full_of_numbers_does_not_crash(nlp) -> None:  # type: ignore[no-untyped-def]
    rows = ["Region\tTroops\tTanks\tShare"] + [f"R{i}\t{i * 1000:,}\t{i * 7}\t{i}.5%" for i in range(1, 200)]
    table = "\n".join(rows) + "\n2024 2025 1 2 3 4 5 - - 6/7 $ % , 1,2,3,,,4 1e5 0.0.0"
    claims = find_claims(nlp(table))
    assert claims  # the numbers are read, not dropped
    assert all(c.value is None or c.value == c.value for c in claims)  # no NaN
    assert any(c.unit == "percent" and c.value == 1.5 for c in claims)
    assert all(table[c.quantity_start : c.quantity_end] == c.quantity for c in claims)


def test_empty_text_has_no_claims(nlp) -> None:  # type: ignore[no-untyped-def]
    assert find_claims(nlp("")) == []


def test_seed_claims(seeds: Path) -> None:
    """Issue 3's done-when: seed 000 states a thirty-day ceasefire, over 1,100 km² and 75 %."""
    text = (seeds / "000_2381959b99040590.txt").read_text(encoding="utf-8")
    (article,) = read_articles([Article(id="seed000", source="seed", text=text, language="en")], ReadSettings())
    found = {(c.value, c.unit, c.qualifier) for c in article.claims}
    assert {(30.0, "day", None), (1100.0, "km2", "over"), (75.0, "percent", None)} <= found
    for claim in article.claims:
        assert text[claim.start : claim.end] == claim.text


@pytest.mark.parametrize(
    ("text", "times"),
    [
        ("at 5 PM on Saturday", [(1020, None)]),
        ("with effect from 17:00 IST", [(1020, "IST")]),
        ("around 2.30 pm", [(870, None)]),
        ("um 17 Uhr", [(1020, None)]),
        ("à 17h30", [(1050, None)]),
        ("5 p.m. ET", [(1020, "ET")]),
        ("à 17h et demie", [(1020, None)]),  # "et" is French, no time zone
        ("a 4-3 win, 3:1 on penalties", []),
        ("a 1:36.6 lap", []),  # a lap time, not a time of day
        ("5.5 million people", []),
    ],
)
def test_clock_times_in_any_writing(text: str, times: list) -> None:  # type: ignore[type-arg]
    """Issue 10: one moment however written, for claims and for statements' anchors."""
    assert [(minutes, zone) for _s, _e, minutes, zone in numbers.clock_times(text)] == times
