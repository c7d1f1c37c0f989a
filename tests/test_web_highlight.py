"""Highlighted article text and conflict context (web/highlight.py) and the timeline chart (web/timeline.py)."""

from __future__ import annotations

import pytest

from storydesk.records import Article, TimelineEntry
from storydesk.web.highlight import Span, highlight, in_context, sentence_window
from storydesk.web.timeline import timeline_chart

TEXT = 'First one. The mayor said: "Go now." Then rain fell. Last one.\n\nNext paragraph here.'


def test_overlapping_spans_stay_well_nested() -> None:
    html = highlight("abcdef", [Span(0, 4, "quote"), Span(2, 6, "claim")])
    assert (
        html
        == '<mark class="quote">ab</mark><mark class="quote"><mark class="claim">cd</mark></mark><mark class="claim">ef</mark>'
    )


def test_text_and_titles_are_escaped_piece_by_piece() -> None:
    html = highlight("<b>x</b>", [Span(3, 4, "actor", title='"><script>', href="/actors/<id>")])
    assert html == '&lt;b&gt;<a class="actor" href="/actors/&lt;id&gt;" title="&#34;&gt;&lt;script&gt;">x</a>&lt;/b&gt;'


def test_nested_links_keep_only_the_shortest() -> None:
    html = highlight("Mayor Ortiz", [Span(0, 11, "actor", href="/actors/a"), Span(6, 11, "speaker", href="/actors/b")])
    assert html.count("<a ") == 2 and '<a class="speaker" href="/actors/b">Ortiz</a>' in html
    assert '<a class="actor" href="/actors/a">Mayor </a>' in html


@pytest.mark.parametrize("span", [Span(5, 3, "bad"), Span(-1, 2, "bad"), Span(100, 120, "bad")])
def test_broken_offsets_are_ignored(span: Span) -> None:
    assert highlight("plain text", [span]) == "plain text"


def test_context_is_the_sentence_and_one_either_side_within_the_paragraph() -> None:
    start = TEXT.index("Go now.")
    left, right = sentence_window(TEXT, start, start + 7, sentences=1)
    assert TEXT[left:right].strip() == 'First one. The mayor said: "Go now." Then rain fell.'
    left, right = sentence_window(TEXT, TEXT.index("Last"), TEXT.index("Last") + 4, sentences=1)
    assert TEXT[left:right] == "Then rain fell. Last one."  # stops at the paragraph break


def test_side_found_by_text_when_offsets_are_missing() -> None:
    html = in_context(TEXT, "rain fell", None, None, sentences=0)
    assert '<mark class="side">rain fell</mark>' in html and html.startswith("… ")


def test_side_not_in_the_article_is_shown_alone_and_escaped() -> None:
    assert (
        in_context(TEXT, "<i>elsewhere</i>", None, None, sentences=1)
        == '<mark class="side">&lt;i&gt;elsewhere&lt;/i&gt;</mark>'
    )


def _article(day: str | None) -> Article:
    return Article(id=day or "none", source="s", text="t", published=day)


def test_timeline_counts_articles_per_day_and_numbers_events_as_listed() -> None:
    articles = [_article("2025-03-10"), _article("2025-03-10T08:00:00"), _article("2025-03-12"), _article(None)]
    entries = [
        TimelineEntry("2024", "a year only", []),
        TimelineEntry("2025-03-10", "first", []),
        TimelineEntry("2025-03-12", "later", []),
    ]
    chart = timeline_chart(entries, articles)
    assert chart is not None
    assert [(b.day, b.count) for b in chart.bars] == [("2025-03-10", 2), ("2025-03-12", 1)]
    # the year-only entry keeps its number 1 in the list but has no marker
    assert [(m.label, m.text) for m in chart.markers] == [("2", "first"), ("3", "later")]
    assert [label for _, label in chart.ticks] == ["10 Mar", "11 Mar", "12 Mar"]
    assert chart.bars[0].height > chart.bars[1].height


def test_a_crowded_day_gets_one_marker_for_its_events() -> None:
    entries = [TimelineEntry("2025-03-10", f"event {i}", []) for i in range(5)]
    chart = timeline_chart(entries, [_article("2025-03-10")])
    assert chart is not None
    assert [m.label for m in chart.markers] == ["1–5"]
    assert "event 0" in chart.markers[0].text and "event 4" in chart.markers[0].text


def test_no_dates_no_chart() -> None:
    assert timeline_chart([TimelineEntry("someday", "x", [])], [_article(None)]) is None


def test_context_opens_after_a_closing_guillemet_round13() -> None:
    """Round 13: on a story page a French side's context opened on the "»" of the quote before it."""
    text = (
        "Le Pakistan a réagi. « Nous demandons au Pakistan de cesser. » Le ministère a recensé 26 morts. Il a conclu."
    )
    at = text.index("Le ministère")
    shown = str(in_context(text, "Le ministère a recensé 26 morts.", at, at + 32, sentences=0))
    assert shown.startswith('… <mark class="side">Le ministère')
    left, _right = sentence_window(text, text.index("Il a"), len(text), sentences=1)
    assert text[left:].startswith("Le ministère")
