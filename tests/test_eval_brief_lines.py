"""The brief-line flags of eval/eval_brief_lines.py (round 12): what a fact-checker trips over, line by line."""

from __future__ import annotations

import pytest
from eval.eval_brief_lines import flags, furniture_findings

from storydesk.records import Finding, Side, Story


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("He said the response targeted only those jets.", ["pronoun"]),
        ("“We’re bringing industry roaring back,” he said, flanked by steelworkers.", ["pronoun"]),
        ("US markets plunged overnight.", []),
        ("Congratulations to both countries,” Trump posted.", ["quote"]),
        ("Trump stated, “After a long night of talks, I am pleased.", ["quote"]),
        ("“To be part of a night like this is something I’ll never forget.”", ["quote"]),
        ("“… Congratulations to both countries,” Trump posted.", []),
        ("„Wir prüfen das“, sagte Misri.", []),
        ("Barcelona took two saves from goalkeeper Yann Somm", ["fragment"]),
        ("after the white smoke wafted into the sky.", ["fragment"]),
        ("पाकिस्तान ने ऑपरेशन शुरू कर दिया है।", []),
    ],
)
def test_brief_line_flags(line: str, expected: list[str]) -> None:
    assert flags(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("The talks went on for a week, officials said, and he left the city.", ["pronoun"]),
        ("In a separate post, he urged calm.", ["pronoun"]),
        ("In a separate post, [Omar Abdullah] urged calm.", []),
        ("Marco Rubio confirmed that the talks went on, he had engaged both sides.", []),
        ("“Our forces could have taken down 10 aircraft, but we held back,” Dar said.", []),
        ("Selon le ministère, il a quitté la ville.", ["pronoun"]),
    ],
)
def test_a_pronoun_anywhere_without_a_name_before_it_is_flagged_round13(line: str, expected: list[str]) -> None:
    """Round 13: a pronoun inside a line ("..., and he left") was flagged only right after a comma or a
    closing quotation mark; one after a name is no flag (round 12's false alarm on "Marco Rubio ..., he")."""
    assert flags(line) == expected


_LIST = (
    "Measures: 2. Visas suspended, 3. Any national to leave within next 48 hours 4. Border post closed. 5. Envoys out."
)
_HEADED = (
    "Markets rose. Roe's Surprise Truce Lifts Markets\n\nRoe's Surprise Truce Lifts Markets Stocks surged on Monday."
)


@pytest.mark.parametrize(
    ("line", "texts", "expected"),
    [
        ("Also read: Border war: What is the Home Guard?", (), ["furniture"]),
        ("Lesen Sie auch: Was ist die Grenzwache?", (), ["furniture"]),
        ("Any national to leave within next 48 hours 4.", (_LIST,), ["furniture"]),
        ("The toll rose to 26.", ("The toll rose to 26. Officials left.",), []),
        ("Roe's Surprise Truce Lifts Markets Stocks surged on Monday.", (_HEADED,), ["furniture"]),
        ("Stocks surged on Monday.", (_HEADED,), []),
    ],
)
def test_page_furniture_is_flagged_round12b(line: str, texts: tuple[str, ...], expected: list[str]) -> None:
    """Round 12b: a cross-link, a list's next item number, a headline run into its lead."""
    assert flags(line, texts) == expected


def test_findings_built_on_furniture_are_counted_round12b() -> None:
    link = "Also read: Border war: What is the Home Guard? Arlen calls up 14 battalions"
    text = f"The truce held.\n{link}\nThe talks went on."
    words = "Arlen calls up 14 battalions"
    side = Side(article="a1", text=words, start=text.index(words), end=text.index(words) + len(words))
    story = Story(id="s1", title="Truce", single_source=[Finding(summary=words, articles=["a1"], sides=[side])])
    story.corroborated = [
        Finding(summary="The talks went on.", articles=["a1"], sides=[Side("a1", "The talks went on.")])
    ]
    assert furniture_findings([story], {"a1": text}) == [("s1", "single_source", words)]
