"""The cited, extractive brief (compare/brief.py)."""

from __future__ import annotations

import pytest

from storydesk.compare import compare_story
from storydesk.compare.brief import source_words
from storydesk.compare.statements import Statement
from storydesk.records import Finding, Side, Story
from storydesk.settings import CompareSettings
from tests.fixtures.compare.build import article

LEAD_A = "Rebel leaders and the government signed a truce in the northern city of Arlen on Monday. "
LEAD_B = "A truce between the government and rebel leaders was signed in Arlen, a northern city, on Monday. "


def _story(size: int = 8) -> tuple[Story, dict[str, str]]:
    a = article(
        "a",
        LEAD_A + 'Governor Jane Roe said: "Hopefully, the rebels will keep the truce." '
        "Jane Roe also promised new schools for the valley towns next spring.",
        outlet="Daily One",
        people=[("Governor Jane Roe", "Governor")],
        quotes=[("Jane Roe", "Hopefully, the rebels will keep the truce.", "direct")],
    )
    b = article(
        "b",
        LEAD_B + 'Roe told reporters: "I hope the rebels will keep this truce." '
        "Max Poe warned of new fighting in the hills above the city.",
        outlet="Evening Two",
        people=[("Max Poe", "rebel commander"), ("Roe", None)],
        quotes=[("Roe", "I hope the rebels will keep this truce.", "direct")],
    )
    c = article(
        "c",
        'Max Poe said: "The door to peace is open." Nobody else spoke at the hall in the city centre.',
        outlet="Third Voice",
        quotes=[("Max Poe", "The door to peace is open.", "direct")],
    )
    d = article(
        "d",
        'Jane Roe said: "The door to peace is now wide open." Guards closed the hall at the end of the day.',
        outlet="Fourth Voice",
        quotes=[("Jane Roe", "The door to peace is now wide open.", "direct")],
    )
    settings = CompareSettings(brief_sentences=size)
    story = compare_story(Story(id="s", title="t"), [a, b, c, d], settings=settings)
    return story, {x.id: x.text for x in (a, b, c, d)}


def test_brief_cites_its_articles_and_invents_nothing() -> None:
    story, texts = _story()
    assert story.brief
    for sentence in story.brief:
        assert sentence.articles
        if sentence.status != "conflict":
            # an article's own sentence, found in every article it cites when single-source
            assert any(source_words(sentence.text).search(texts[a]) for a in sentence.articles)


def test_brief_puts_corroborated_first_then_conflicts_then_single_source() -> None:
    story, _texts = _story()
    order = {"corroborated": 0, "conflict": 1, "single_source": 2}
    statuses = [b.status for b in story.brief]
    assert statuses == sorted(statuses, key=order.__getitem__)
    assert statuses[0] == "corroborated" and "conflict" in statuses and "single_source" in statuses
    first = story.brief[0]
    assert set(first.articles) == {"a", "b"} and "Roe" in first.text  # names the speaker
    conflict = next(b for b in story.brief if b.status == "conflict")
    assert "Jane Roe" in conflict.text and "Max Poe" in conflict.text


def test_brief_keeps_to_its_size() -> None:
    story, _texts = _story(size=2)
    assert len(story.brief) == 2


def test_a_brief_sentence_drops_the_list_bullet_it_was_written_with_issue10() -> None:
    from storydesk.compare.brief import _sentence
    from storydesk.records import Finding, Side

    bullet = "• May 10, 2025 Donald Trump announced that the two sides agreed to a ceasefire."
    finding = Finding(summary="s", articles=["a"], sides=[Side(article="a", text=bullet, start=0)])
    assert _sentence(finding, {("a", 0): bullet}) == bullet.removeprefix("• ")
    dash = "- 26 people were killed"
    assert _sentence(Finding(summary="s", articles=["a"], sides=[Side(article="a", text=dash)]), {}) == dash[2:]
    plain = "-5 degrees were measured at dawn."  # a minus sign, not a bullet
    assert _sentence(Finding(summary="s", articles=["a"], sides=[Side(article="a", text=plain)]), {}) == plain


def test_the_same_news_in_other_words_opens_the_brief_once_issue10() -> None:
    """An outlet's quote of a speaker and its own "X announced ..." are two findings (one statement per article
    and finding), and the ceasefire brief opened with one announcement three times. A corroborated finding that
    alignment linked to one already shown (`same`) gives its place to the next news."""
    from storydesk.compare.brief import build_brief
    from storydesk.records import Finding, Side

    def finding(text: str, *spans: tuple[str, int]) -> Finding:
        sides = [Side(article=a, text=text, start=start, outlet=a) for a, start in spans]
        return Finding(summary=text, articles=[a for a, _ in spans], sides=sides, outlets=[a for a, _ in spans])

    quote = finding("Trump said: “India and Pakistan agreed to a full ceasefire.”", ("a", 0), ("b", 0))
    report = finding("Trump announced that India and Pakistan agreed to a ceasefire.", ("a", 90), ("c", 0))
    other = finding("Dar said Pakistan always strived for peace.", ("b", 50), ("c", 60))
    same = {frozenset((("b", 0), ("c", 0)))}
    brief = build_brief([quote, report, other], [], [], [], size=4, same=same)
    assert [b.text for b in brief] == [quote.summary, other.summary]
    assert [b.text for b in build_brief([quote, report, other], [], [], [], size=4)][:2] == [
        quote.summary,
        report.summary,
    ]


def _quote_statement(article: str, text: str, sentence: str, **speaker: object) -> Statement:
    return Statement(
        id=0,
        article=article,
        outlet=article,
        kind="quote",
        text=text,
        start=0,
        end=len(text),
        sentence=sentence,
        **speaker,  # type: ignore[arg-type]
    )


def _single(statement: Statement) -> list[str]:
    """The brief lines of one single-source finding made of `statement`."""
    from storydesk.compare.brief import build_brief

    side = Side(article=statement.article, text=statement.text, start=statement.start, outlet=statement.outlet)
    finding = Finding(summary=statement.text, articles=[statement.article], sides=[side], outlets=[statement.outlet])
    return [b.text for b in build_brief([], [], [finding], [statement], size=4)]


def test_a_pronoun_speaker_is_named_when_reading_is_sure_and_left_out_when_not_round12() -> None:
    """Round 12: "“We’re bringing industry roaring back,” he said, ..." and "He said the response targeted only
    those jets ...": a reader cannot tell who "he" is. The name reading resolved the pronoun to stands in its
    place, in square brackets as an editor's insertion does; an unsure or unresolved pronoun leaves the line out."""
    words = "We are bringing industry roaring back,"
    sentence = f"“{words}” he said, flanked by steelworkers."
    sure = _quote_statement("a", words, sentence, actor_name="Jane Roe", speaker_text="he", speaker_confidence=1.0)
    assert _single(sure) == ["“We are bringing industry roaring back,” [Jane Roe] said, flanked by steelworkers."]
    unsure = _quote_statement("a", words, sentence, actor_name="Jane Roe", speaker_text="he", speaker_confidence=0.6)
    assert _single(unsure) == []
    report = "He said the response targeted only the depots."
    nobody = Statement(id=0, article="a", outlet="a", kind="event", text=report, start=0, end=len(report))
    assert _single(nobody) == []
    us = "US markets plunged overnight."  # no pronoun
    assert _single(Statement(id=0, article="a", outlet="a", kind="event", text=us, start=0, end=len(us))) == [us]
    named = "Jane Roe said the response targeted only the depots."
    assert _single(Statement(id=0, article="a", outlet="a", kind="event", text=named, start=0, end=len(named))) == [
        named
    ]


def test_a_sentence_cut_out_of_a_longer_quote_is_shown_as_a_partial_quote_round12() -> None:
    """Round 12: "Congratulations to both countries ...,” Trump posted." (a quote's second sentence) and
    "Trump stated, “After a long night ... CEASEFIRE." (its first) were shown with one quotation mark. A part
    that names its speaker is shown with an ellipsis inside balanced marks; a part or a whole quote that names
    nobody ("Instructions have been given ... understanding.”") is left out."""
    tail = "Congratulations to both countries on using common sense,” Trump posted."
    trump = {"actor_name": "Donald Trump", "speaker_text": "Trump", "speaker_confidence": 1.0}
    assert _single(_quote_statement("a", tail, tail, **trump)) == [f"“… {tail}"]
    assert source_words(f"“… {tail}").search(f"“Great news. {tail}")
    head = "Trump stated, “After a long night of talks, I am pleased to announce a full ceasefire."
    assert _single(_quote_statement("a", head, head, **trump)) == [f"{head} …”"]
    straight = 'Trump wrote, "Mexico has not stopped the cartels.'
    assert _single(_quote_statement("a", straight, straight, **trump)) == [f'{straight} …"']
    nobody = "Instructions have been given on both sides to give effect to this understanding.”"
    assert _single(_quote_statement("a", nobody, nobody)) == []
    whole = "“To be part of a night like this is something I will never forget.”"
    assert _single(_quote_statement("a", whole, whole)) == []
    middle = "Pakistan will respond to this aggression."  # "This is a sinister act. Pakistan will ...," he warned.
    inside = _quote_statement("a", middle, middle, quote_kind="direct", speaker_text="he", speaker_confidence=0.6)
    assert _single(inside) == []
    said = "“It still feels like a bad dream,” she said, thanking the villagers."
    she = {"actor_name": "Asha Rao", "speaker_text": "she", "speaker_confidence": 1.0}
    [line] = _single(_quote_statement("a", said, said, **she))
    assert line == said.replace("she", "[Asha Rao]") and source_words(line).search(f"Asha Rao wept. {said}")
    german = "„Wir prüfen das“, sagte Misri."  # balanced low-9 marks stay as they are
    assert _single(_quote_statement("a", german, german, actor_name="Vikram Misri", speaker_text="Misri")) == [german]


@pytest.mark.parametrize(
    "fragment",
    [
        "Barcelona threw everything forward, and it took two acrobatic saves from goalkeeper Yann Somm",
        "after the white smoke wafted into the late afternoon sky at 6:07 p.m. local time.",
    ],
)
def test_a_sentence_fragment_is_no_brief_line_round12(fragment: str) -> None:
    """Round 12: a text cut mid-word ("goalkeeper Yann Somm") or the rest of a sentence cut before it (lower case)
    is no line a reader can trust; a sentence in a script with its own full stop (danda) is one."""
    event = Statement(id=0, article="a", outlet="a", kind="event", text=fragment, start=0, end=len(fragment))
    assert _single(event) == []
    hindi = "पाकिस्तान ने ऑपरेशन शुरू कर दिया है।"
    assert _single(Statement(id=0, article="a", outlet="a", kind="event", text=hindi, start=0, end=len(hindi))) == [
        hindi
    ]


def test_same_spans_answer_as_the_set_of_every_same_pairs_spans_issue13() -> None:
    """Issue 13, round 12: the brief asks whether two spans said the same of `SameSpans`, which looks the pairs
    up when asked, instead of a set of every same pair's two spans (hundreds of thousands in an event of
    copies): on random statements (some sharing a span, as a claim and its sentence do) the answers agree."""
    import random

    from storydesk.compare import SameSpans
    from storydesk.compare.statements import Statement

    rng = random.Random(12)
    for _ in range(200):
        statements = [
            Statement(
                id=k,
                article=f"a{rng.randrange(5)}",
                outlet="o",
                kind="event",
                text="",
                start=rng.choice([0, 10, 20, None]),
                end=30,
            )  # fmt: skip
            for k in range(rng.randrange(1, 14))
        ]
        span = {s.id: (s.article, s.start) for s in statements}
        pairs = {(a.id, b.id) for a in statements for b in statements if a.article != b.article and rng.random() < 0.15}
        expected = {frozenset((span[a], span[b])) for a, b in pairs}
        got = SameSpans(statements, pairs)
        assert bool(got) == bool(expected)
        spans = [*span.values(), ("z", 0)]
        for x in spans:
            for y in spans:
                assert (frozenset((x, y)) in got) == (frozenset((x, y)) in expected)


def _lines(shown: Statement, *others: Statement) -> list[str]:
    """The brief lines of one single-source finding made of `shown`, its article's other statements beside it."""
    from storydesk.compare.brief import build_brief

    side = Side(article=shown.article, text=shown.text, start=shown.start, outlet=shown.outlet)
    finding = Finding(summary=shown.text, articles=[shown.article], sides=[side], outlets=[shown.outlet])
    return [b.text for b in build_brief([], [], [finding], [shown, *others], size=4)]


def test_a_pronoun_speaker_anywhere_in_the_line_is_named_or_the_line_left_out_round13() -> None:
    """Round 13: a pronoun was checked only at a line's start and in its own statement's speaker words; the
    sentence of a claim or event can hold another quote's "he told Sky News", which nobody named."""
    prefix = "Talks failed. "
    sentence = "“We shot down two Indian planes,” he told Sky News on Wednesday."
    text = prefix + sentence
    start = len(prefix)
    claim = Statement(id=0, article="a", outlet="a", kind="claim", text=sentence, start=start, end=len(text))
    claim.sentence = sentence

    def quote(**speaker: object) -> Statement:
        words = "We shot down two Indian planes,"
        at = text.index(words)
        return Statement(
            id=1,
            article="a",
            outlet="a",
            kind="quote",
            text=words,
            start=at,
            end=at + len(words),
            sentence=sentence,
            speaker_text="he",
            speaker_start=text.index(" he ") + 1,
            **speaker,  # type: ignore[arg-type]
        )

    sure = quote(actor_name="Khawaja Asif", speaker_confidence=1.0)
    assert _lines(claim, sure) == [sentence.replace(" he ", " [Khawaja Asif] ")]
    assert _lines(claim, quote(actor_name="Khawaja Asif", speaker_confidence=0.6)) == []
    assert _lines(claim, quote(actor_name=None, speaker_confidence=None)) == []
    other = quote(actor_name="Shehbaz Sharif", speaker_confidence=1.0)
    assert _lines(claim, sure, other) == []  # two quotes disagreeing on who "he" is
    # Another statement's reported speech names no pronoun: "there he was, the Foreign Secretary ...,
    # confirming that ..." (reading named the person before the sentence, sure of it).
    told = "And soon, there he was, the Foreign Secretary Jane Roe, confirming that peace had been sealed."
    event = Statement(id=0, article="a", outlet="a", kind="event", text=told, start=0, end=len(told), sentence=told)
    words = "peace had been sealed."
    reported = _he_said(told, words, "Marco Rubio", id=1)
    assert _lines(event, reported) == []
    # A quote of another sentence of the article names no pronoun of this one.
    elsewhere = quote(actor_name="Khawaja Asif", speaker_confidence=1.0)
    elsewhere.speaker_start = 3
    assert _lines(claim, elsewhere) == [sentence]


def test_a_pronoun_speaker_the_line_names_before_gets_no_insertion_round13() -> None:
    """Round 13: "President Donald Trump ... a moment [Donald Trump] characterized as ..." named him twice."""
    sentence = "President Donald Trump paused the tariffs on Wednesday, a moment he characterized as a victory."
    words = "a moment he characterized as a victory."  # stands for the quote's words here
    statement = _he_said(sentence, words, "Donald Trump")
    assert _lines(statement) == [sentence]
    # Named by the surname alone, or not at all before it.
    trump = sentence.replace("President Donald Trump", "Trump")
    statement.sentence, statement.start = trump, trump.index(words)
    statement.speaker_start = trump.index(" he ") + 1
    assert _lines(statement) == [trump]
    rubio = sentence.replace("President Donald Trump", "Marco Rubio")
    statement.sentence, statement.start = rubio, rubio.index(words)
    statement.speaker_start = rubio.index(" he ") + 1
    assert _lines(statement) == [rubio.replace(" he ", " [Donald Trump] ")]


def _he_said(sentence: str, words: str, name: str, *, id: int = 0) -> Statement:
    """An indirect quote of `words` (the end of `sentence`) whose speaker is its "he", surely `name`."""
    return Statement(
        id=id,
        article="a",
        outlet="a",
        kind="quote",
        quote_kind="indirect",
        text=words,
        start=sentence.index(words),
        end=len(sentence),
        sentence=sentence,
        actor_name=name,
        speaker_text="he",
        speaker_start=sentence.index(" he ") + 1,
        speaker_confidence=1.0,
    )


def test_an_it_speaker_is_named_when_reading_is_sure_and_left_out_when_not_round14() -> None:
    """Round 14: "It warned that further airspace violations would be treated as acts of war." (reading's
    speaker: "It", the army's media wing) was a brief line: a reader cannot tell what "it" is."""
    words = "further violations would be treated as acts of war"
    sentence = f"It warned that {words}."
    body = {"actor_name": "Army media wing", "speaker_text": "It", "quote_kind": "indirect", "speaker_start": 0}
    unsure = _quote_statement("a", sentence, sentence, speaker_confidence=0.6, **body)
    assert _single(unsure) == []
    sure = _quote_statement("a", sentence, sentence, speaker_confidence=1.0, **body)
    assert _single(sure) == [f"[Army media wing] warned that {words}."]


@pytest.mark.parametrize(
    "line",
    [
        "Information Minister Attaullah Tarar confirmed this to the media but did not share any operational details.",
        "This comes after the rebels shelled the northern city of Arlen on Monday.",
        "This event follows talks initiated by Governor Jane Roe in Arlen.",
        "Regarding all the tariffs being imposed, Trump said.",
        "Pakistan rejected this, calling the report baseless.",
        "India denied that.",
        "Cela n'affectera pas le Mexique et le Canada, déjà exemptés.",
    ],
)
def test_a_brief_line_does_not_lean_on_the_sentence_before_it_round15(line: str) -> None:
    """Round 15, second pass: "Information Minister Attaullah Tarar confirmed this ..." stood alone in the
    brief: a reader cannot tell what "this" is. A sentence whose meaning is in its neighbour is no brief line;
    a determiner ("this week") or a speaker's own "this" inside a quote is no pointer of the writer's."""
    event = Statement(id=0, article="a", outlet="a", kind="event", text=line, start=0, end=len(line))
    assert _single(event) == []
    for fine in (
        "This week the rebels shelled the northern city of Arlen twice.",
        "The strikes on these towns killed 31 people in Arlen, the governor said.",
        "Jane Roe said: “This is a dark day for Arlen.”",
    ):
        assert _single(Statement(id=0, article="a", outlet="a", kind="event", text=fine, start=0, end=len(fine))) == [
            fine
        ]


def test_a_corroborated_brief_line_gives_no_number_its_cited_articles_do_not_round15() -> None:
    """Round 15, second pass: "At least 24 Hindu tourists were killed and 13 injured ..." was badged
    corroborated and cited to articles saying 26 and 28 dead. A corroborated line is a side's sentence whose
    numbers every side gives; the finding has another, or it is left out of the brief."""
    from storydesk.compare.brief import build_brief

    texts = {
        "a": "At least 24 tourists were killed and 13 injured in the attack on the meadow near Arlen.",
        "b": "Gunmen killed 26 people in the attack on the meadow near Arlen on Tuesday.",
        "c": "The attack on the meadow near Arlen shocked the valley.",
    }
    statements = [
        Statement(id=i, article=a, outlet=a, kind="event", text=t, start=0, end=len(t), sentence=t)
        for i, (a, t) in enumerate(texts.items())
    ]
    sides = [Side(article=s.article, text=s.text, start=0, outlet=s.outlet) for s in statements]

    def lines(*articles: str) -> list[str]:
        chosen = [s for s in sides if s.article in articles]
        finding = Finding(summary=chosen[0].text, articles=list(articles), sides=chosen, outlets=list(articles))
        return [b.text for b in build_brief([finding], [], [], statements, size=4)]

    assert lines("a", "b") == []  # no sentence whose figures both give
    assert lines("a", "b", "c") == [texts["c"]]  # the side without figures says what all three say


def test_a_corroborated_brief_lines_figures_are_read_however_written_round16() -> None:
    """Round 16 (trust): the brief held a corroborated line's figures to its own digits as written, so "1,100"
    was not "1100" (a true line left out) and "five" was no figure at all ("Pakistan said five jets were
    shot down", cited to an article saying three). Figures are read as compare normalises them, in each
    article's language."""
    from storydesk.compare.brief import build_brief

    def lines(texts: dict[str, tuple[str, str]]) -> list[str]:
        statements = [
            Statement(id=i, article=a, outlet=a, kind="event", text=t, start=0, end=len(t), sentence=t, language=lang)
            for i, (a, (t, lang)) in enumerate(texts.items())
        ]
        sides = [Side(article=s.article, text=s.text, start=0, outlet=s.outlet) for s in statements]
        finding = Finding(summary=sides[0].text, articles=list(texts), sides=sides, outlets=list(texts))
        return [b.text for b in build_brief([finding], [], [], statements, size=4)]

    same = {
        "a": ("More than 1,100 residents of Arlen fled the floods on Monday.", "en"),
        "b": ("Over 1100 residents of Arlen fled the floods on Monday, officials said.", "en"),
        "c": ("Mehr als 1.100 Einwohner von Arlen flohen am Montag vor dem Hochwasser.", "de"),
    }
    assert lines(same) == [same["a"][0]]
    other = {
        "a": ("Pakistan said five Indian jets were shot down over Arlen on Wednesday.", "en"),
        "b": ("Pakistan said it shot down three Indian jets over Arlen on Wednesday.", "en"),
    }
    assert lines(other) == []
    words = {
        "a": ("Pakistan said five Indian jets were shot down over Arlen on Wednesday.", "en"),
        "b": ("Pakistan sagte, fünf indische Kampfjets seien über Arlen abgeschossen worden.", "de"),
    }
    assert lines(words) == [words["a"][0]]
