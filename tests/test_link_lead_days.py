"""Issue 10: undated articles and groups measured in time by the first day their texts name (lead days)."""

from __future__ import annotations

import hashlib

import pytest

from storydesk.link.days import lead_day
from storydesk.link.features import Features, compute
from storydesk.link.groups import GroupState, lead_gap, signals
from storydesk.records import Article


def _article(text: str, published: str | None = None) -> Article:
    return Article(
        id=hashlib.sha1(text.encode()).hexdigest()[:8],
        source="/data/a.txt",
        text=text,
        published=published,
        language="en",
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
    )


def _feats(day: str | None = None, lead: str | None = None) -> Features:
    return Features(day=day, vector=None, terms={}, numbers=[], lead_day=lead)


def _group(*feats: Features) -> GroupState:
    state = GroupState(id="g")
    for f in feats:
        state.absorb(f, set(), 1)
    return state


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the news day first, the background it recaps after
        ("The two sides agreed a ceasefire on 10 May, weeks after the attack of 22 April.", "05-10"),
        ("Am 7. Mai griff Indien an.", "05-07"),
        (" date 2025-05-08 The drones were shot down on the night of May 7.", "05-07"),  # not the page line
        ("The ministers met on Tuesday and agreed to talk again.", None),  # a weekday alone dates nothing
    ],
)
def test_lead_day_is_the_first_calendar_day_the_text_names(text: str, expected: str | None) -> None:
    assert lead_day(_article(text)) == expected
    assert compute(_article(text), None).lead_day == expected


def test_lead_gap_measures_undated_sides_by_their_lead_days() -> None:
    april = _group(_feats(lead="04-09"), _feats(lead="04-09"), _feats(lead="04-09"), _feats(lead="07-09"))
    assert lead_gap(_feats(lead="05-10"), april) == 31  # from the usual lead days, not the odd one
    assert lead_gap(_feats(lead="07-09"), april) == 91
    assert lead_gap(_feats(lead="04-10"), april) == 1
    assert lead_gap(_feats(), april) is None  # an article naming no day stays undated
    assert lead_gap(_feats(lead="01-02"), _group(_feats(lead="12-30"))) == 3  # across the new year
    # a known day wins over lead days on either side
    assert lead_gap(_feats(day="2025-04-12", lead="05-10"), april) == 3
    assert lead_gap(_feats(lead="05-10"), _group(_feats(day="2025-05-11", lead="04-09"))) == 1


def test_lead_days_replace_undated_only_when_asked() -> None:
    """The storyline level uses lead days (settings.storyline_lead_days); events do not by default."""
    april = _group(_feats(lead="04-09"), _feats(lead="04-09"))
    article = _feats(lead="05-10")
    plain = signals(article, april, {}, time_scale=7.0)
    assert (plain["time"], plain["undated"]) == (0.0, 1.0)
    led = signals(article, april, {}, time_scale=7.0, lead_days=True)
    assert led["undated"] == 0.0
    assert led["time"] == pytest.approx(1 / (1 + 31 / 7))
    near = signals(_feats(lead="04-10"), april, {}, time_scale=7.0, lead_days=True)
    assert near["time"] > led["time"]


def test_lead_days_survive_the_round_trips_of_a_group() -> None:
    """Kept in the store, taken out and merged like the other counts."""
    a, b = _feats(lead="04-09"), _feats(lead="05-10")
    state = _group(a, b)
    again = GroupState.from_row("g", "", "", None, state.to_json())
    assert again.lead_days == {"04-09": 1, "05-10": 1}
    again.remove(b)
    assert again.lead_days == {"04-09": 1}
    again.merge(_group(b))
    assert again.lead_days == {"04-09": 1, "05-10": 1}
    again.subtract(_group(a))
    assert again.lead_days == {"05-10": 1}
    assert _group(a, a, b).as_features().lead_day == "04-09"


def test_groups_lead_gap_needs_a_lead_day_several_reports_share() -> None:
    from storydesk.link.groups import groups_lead_gap

    april_2 = _group(_feats(lead="04-02"), _feats(lead="04-02"), _feats(lead="04-02"), _feats(lead="04-09"))
    april_9 = _group(_feats(lead="04-09"), _feats(lead="04-09"), _feats(lead="04-09"), _feats(lead="04-02"), _feats())
    assert groups_lead_gap(april_2, april_9) == 7  # each side's usual lead day, not its odd one
    assert groups_lead_gap(april_2, _group(_feats(lead="04-09"))) is None  # one report's lead day is a guess
    assert groups_lead_gap(april_2, _group(_feats(lead="04-09")), support=1) == 7
    assert groups_lead_gap(_group(_feats(), _feats()), april_9) is None  # no day named at all
