"""Corroborated and single-source findings (compare/findings.py), through `compare_story`.

The bad-input cases of issue 5 each have a test here: a one-article story,
articles without quotes, copies of one article, and a quote given to no
speaker in one article and to a name in another.
"""

from __future__ import annotations

from storydesk.compare import compare_story
from storydesk.records import Story
from storydesk.settings import CompareSettings
from tests.fixtures.compare.build import article

LEAD_A = "Rebel leaders and the government signed a truce in the northern city of Arlen on Monday. "
LEAD_B = "A truce between the government and rebel leaders was signed in Arlen, a northern city, on Monday. "


def _compare(*articles):  # type: ignore[no-untyped-def]
    return compare_story(Story(id="s", title="t"), list(articles), settings=CompareSettings())


def _a(**kw):  # type: ignore[no-untyped-def]
    return article(
        "a",
        LEAD_A + 'Governor Jane Roe said: "Hopefully, the rebels will keep the truce." The army withdrew two brigades.',
        outlet="Daily One",
        people=[("Governor Jane Roe", "Governor")],
        quotes=[("Jane Roe", "Hopefully, the rebels will keep the truce.", "direct")],
        **kw,
    )


def _b(**kw):  # type: ignore[no-untyped-def]
    return article(
        "b",
        LEAD_B
        + 'Roe told reporters: "I hope the rebels will keep this truce." Max Poe warned of new fighting in the hills.',
        outlet="Evening Two",
        people=[("Max Poe", "rebel commander")],
        quotes=[("Roe", "I hope the rebels will keep this truce.", "direct")],
        **kw,
    )


def test_two_outlets_corroborate_and_the_rest_is_single_source() -> None:
    story = _compare(_a(), _b())
    quotes = [f for f in story.corroborated if f.kind == "quote"]
    assert len(quotes) == 1
    assert set(quotes[0].articles) == {"a", "b"} and set(quotes[0].outlets) == {"Daily One", "Evening Two"}
    assert {s.text for s in quotes[0].sides} == {
        "Hopefully, the rebels will keep the truce.",
        "I hope the rebels will keep this truce.",
    }
    # Poe's warning is only in b
    assert any(f.outlets == ["Evening Two"] and "Max Poe warned" in f.summary for f in story.single_source)
    assert not story.conflicts


def test_every_side_quotes_its_article_exactly() -> None:
    a, b = _a(), _b()
    story = _compare(a, b)
    texts = {"a": a.text, "b": b.text}
    for finding in story.corroborated + story.single_source:
        for side in finding.sides:
            assert texts[side.article][side.start : side.end] == side.text


def test_one_article_story_is_all_single_source_without_conflicts() -> None:
    story = _compare(_a())
    assert story.corroborated == [] and story.conflicts == []
    assert story.single_source and all(f.articles == ["a"] for f in story.single_source)
    assert story.brief and all(b.status == "single_source" for b in story.brief)


def test_articles_without_quotes_still_compare_their_reports() -> None:
    a = article(
        "a", LEAD_A + "Max Poe, the rebel commander, left the city.", outlet="Daily One", people=[("Max Poe", None)]
    )
    b = article("b", LEAD_B + "Officials counted the damage in the old town.", outlet="Evening Two")
    story = _compare(a, b)
    assert story.conflicts == []
    assert all(f.kind != "quote" for f in story.corroborated + story.single_source)
    assert any("Max Poe" in f.summary and f.outlets == ["Daily One"] for f in story.single_source)


def test_a_copy_does_not_corroborate_its_original() -> None:
    original = _a()
    copy = _a()
    copy.id, copy.outlet, copy.duplicate_of = "a-copy", "Syndicate Three", "a"
    story = _compare(original, copy)
    assert story.corroborated == []
    quote = next(f for f in story.single_source if f.kind == "quote")
    assert set(quote.articles) == {"a", "a-copy"} and quote.copies == ["a-copy"]
    assert quote.outlets == ["Daily One"]


def test_a_copy_counts_once_next_to_an_independent_outlet() -> None:
    copy = _a()
    copy.id, copy.outlet, copy.duplicate_of = "a-copy", "Syndicate Three", "a"
    story = _compare(_a(), copy, _b())
    quote = next(f for f in story.corroborated if f.kind == "quote")
    assert set(quote.outlets) == {"Daily One", "Evening Two"} and quote.copies == ["a-copy"]
    assert "counted once" in quote.reason


def test_two_articles_of_one_outlet_are_one_voice() -> None:
    b = _b()
    b.outlet = "Daily One"
    story = _compare(_a(), b)
    assert story.corroborated == []


def test_a_quote_without_speaker_in_one_article_is_no_conflict() -> None:
    a = article(
        "a",
        LEAD_A + '"The door to peace is open," Jane Roe said.',
        outlet="Daily One",
        quotes=[("Jane Roe", "The door to peace is open,", "direct")],
    )
    b = article(
        "b",
        LEAD_B + 'One line went round the hall: "The door to peace is now open."',
        outlet="Evening Two",
        quotes=[(None, "The door to peace is now open.", "direct")],
    )
    story = _compare(a, b)
    assert story.conflicts == []
    words = next(f for f in story.corroborated if f.kind == "quote")
    assert "no speaker" in words.reason  # the words are corroborated, the speaker is not


def test_gold_scores_stay_above_their_floors(shared) -> None:  # type: ignore[no-untyped-def]
    """CI gate (issue 5): eval/eval_compare.py on the gold set, against eval/gold/compare/floors.json."""
    import json

    from eval.eval_compare import GOLD, evaluate

    floors = json.loads((GOLD / "floors.json").read_text(encoding="utf-8"))
    groups, per_story, _elapsed = evaluate(shared)
    assert len(per_story) == 8
    scores = {}
    for prefix, group in (("test", "test (AllSides)"), ("dev", "dev (seeds)")):
        for kind in ("corroborated", "single_source", "conflicts"):
            precision, recall, _counts = groups[group].pr(kind)
            scores[f"{prefix}_{kind}_precision"], scores[f"{prefix}_{kind}_recall"] = precision, recall
    for key, floor in floors.items():
        if not key.startswith("_"):
            assert scores[key] is not None and scores[key] >= floor, f"{key} fell to {scores[key]} (floor {floor})"


def test_headlines_are_never_shown_as_findings() -> None:
    """Issue 10: two outlets' headlines on one line each are no corroborated statement."""
    from storydesk.compare import compare_story
    from storydesk.records import Story
    from storydesk.settings import CompareSettings
    from tests.fixtures.compare.build import article

    head = "Jane Roe Says Truce Talks in Arlen Will Go On Next Week\n"
    one = article(
        "a1", head + "Roe spoke to farmers in the north of Arlen about the harvest and the roads.", outlet="One"
    )
    two = article("a2", head + "The rebels said nothing about the truce on Monday, their envoy told us.", outlet="Two")
    story = compare_story(Story(id="s", title="t"), [one, two], settings=CompareSettings())
    shown = [s.text for f in story.corroborated + story.single_source for s in f.sides]
    assert not any("Will Go On" in t for t in shown)
