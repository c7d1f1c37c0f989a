"""Issue 13 (round 15): the month and weekday names of link/days.py matched as a tree of shared beginnings."""

from __future__ import annotations

import re

import pytest

from storydesk.link import days


def _flat(words: list[str]) -> str:
    """Round 14's alternation: every name, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _matches(alternation: str, text: str) -> list[tuple[tuple[int, int], str]]:
    pattern = re.compile(rf"(?<!\w)(?P<name>{alternation})\.?\s+(?P<day>[0-3]?\d)(?!\d)", re.IGNORECASE)
    return [(m.span(), m.group("name")) for m in pattern.finditer(text)]


@pytest.mark.parametrize(
    "words",
    [
        ["mai", "maio", "mayo", "may", "march", "mars", "marzo", "m"],  # names that begin other names
        ["juli", "julio", "juillet", "july", "jul"],
    ],
)
def test_issue13_the_tree_of_names_matches_as_the_longest_first_list(words: list[str]) -> None:
    text = "On Maio 3, mai 4 and MAY 5; marzo 6, Mars 7, mar 8 (m 9); juli 10, Julio 11, juillet 12, JUL 13, julX 14."
    tree = days._alternation(words)
    assert tree != _flat(words)
    assert _matches(tree, text) == _matches(_flat(words), text)


def test_issue13_a_fork_of_one_letter_in_two_cases_keeps_the_flat_list() -> None:
    """ "Ma" and "mA" fork at two letters that are one letter in another case: the flat list is kept."""
    assert days._alternation(["Mai", "mAi"]) == _flat(["Mai", "mAi"])


def test_issue13_every_month_and_weekday_pattern_finds_what_the_flat_list_found() -> None:
    months, weekdays = days._names()
    text = " ".join(f"{name} {i % 28 + 1}, 2024; {i % 28 + 1} {name.upper()}. {name.title()}" for i, name in
                    enumerate([*months, *weekdays]))  # fmt: skip
    flat_patterns = [
        p.pattern.replace(days._alternation(list(months)), _flat(list(months))) for p in days._patterns()[:2]
    ]
    flat_patterns.append(days._patterns()[2].pattern.replace(days._alternation(list(weekdays)), _flat(list(weekdays))))
    for pattern, flat in zip(days._patterns(), flat_patterns, strict=True):
        assert pattern.pattern != flat
        expected = [(m.span(), m.groupdict()) for m in re.compile(flat, re.IGNORECASE).finditer(text)]
        assert len(expected) > len(weekdays)
        assert [(m.span(), m.groupdict()) for m in pattern.finditer(text)] == expected
