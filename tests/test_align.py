"""Alignment of statements across articles (compare/align.py)."""

from __future__ import annotations

import pytest

from storydesk.compare.actors import ActorIndex
from storydesk.compare.align import align, values_agree
from storydesk.compare.statements import Statement, story_statements
from storydesk.settings import CompareSettings
from tests.fixtures.compare.build import article

FILLER = (
    "The talks continue in the capital this week. Negotiators met for hours in the old palace. "
    "Observers expect more meetings before the summer recess. "
)


def _aligned(*articles):  # type: ignore[no-untyped-def]
    statements = [
        s for s in story_statements(list(articles), ActorIndex(articles), CompareSettings()) if s.kind != "role"
    ]
    return align(statements, CompareSettings())


def _cluster_of(alignment, text: str) -> list[Statement]:  # type: ignore[no-untyped-def]
    return next(c.statements for c in alignment.clusters if any(s.text == text for s in c.statements))


def test_a_reworded_quote_of_one_speaker_is_one_statement() -> None:
    a = article(
        "a",
        FILLER + 'Jane Roe said at the palace, "Hopefully, the rebels will accept the truce."',
        quotes=[("Jane Roe", "Hopefully, the rebels will accept the truce.", "direct")],
    )
    b = article(
        "b",
        FILLER.replace("hours", "days") + 'Roe told reporters: "I hope the rebels will accept this truce offer."',
        quotes=[("Roe", "I hope the rebels will accept this truce offer.", "direct")],
    )
    cluster = _cluster_of(_aligned(a, b), "Hopefully, the rebels will accept the truce.")
    assert {s.article for s in cluster} == {"a", "b"}


def test_different_statements_of_one_speaker_stay_apart() -> None:
    a = article(
        "a",
        FILLER + '"The harvest was the best in a decade," Jane Roe said.',
        quotes=[("Jane Roe", "The harvest was the best in a decade,", "direct")],
    )
    b = article(
        "b",
        FILLER + '"Our railways need new money for repairs," Jane Roe said.',
        quotes=[("Jane Roe", "Our railways need new money for repairs,", "direct")],
    )
    cluster = _cluster_of(_aligned(a, b), "The harvest was the best in a decade,")
    assert {s.article for s in cluster} == {"a"}


def test_same_words_two_named_speakers_are_an_attribution_pair_not_one_statement() -> None:
    a = article(
        "a",
        FILLER + 'Jane Roe said: "The door to peace is open."',
        quotes=[("Jane Roe", "The door to peace is open.", "direct")],
    )
    b = article(
        "b",
        FILLER + 'Max Poe said: "The door to peace is now wide open."',
        quotes=[("Max Poe", "The door to peace is now wide open.", "direct")],
    )
    alignment = _aligned(a, b)
    assert len(alignment.attribution) == 1
    assert {s.article for s in _cluster_of(alignment, "The door to peace is open.")} == {"a"}


@pytest.mark.parametrize(
    ("a", "qa", "b", "qb", "agree"),
    [
        (1100, "over", 1200, None, True),  # "over 1,100" allows 1,200
        (1100, None, 1500, None, False),
        (30, "about", 32, None, True),
        (100, None, 105, None, True),  # rounding
        (500, "up to", 450, None, True),
        (500, "up to", 700, None, False),
        (900, "about", 1200, None, False),  # issue 5 follow-up: the dam story's evacuees
        (900, "about", 1100, "more than", False),  # the ranges do not meet
        (1000, "around", 900, "about", True),
        (5, "between", 8, None, True),  # a range keeps only its lower bound
    ],
)
def test_numbers_agree_with_rounding_and_qualifiers(
    a: float, qa: str | None, b: float, qb: str | None, agree: bool
) -> None:
    x = Statement(
        id=0, article="a", outlet="A", kind="claim", text="", start=0, end=0, value=a, unit="km2", qualifier=qa
    )
    y = Statement(
        id=1, article="b", outlet="B", kind="claim", text="", start=0, end=0, value=b, unit="km2", qualifier=qb
    )
    assert values_agree(x, y, CompareSettings().number_tolerance) is agree
