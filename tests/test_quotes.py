"""read/quotes.py and read/marks.py: direct, partial, multi-paragraph and indirect quotes with cues (issue 3)."""

from __future__ import annotations

import pytest

from storydesk.read.marks import quoted_spans
from storydesk.read.mentions import find_mentions
from storydesk.read.nlp import load_nlp
from storydesk.read.quotes import find_quotes
from storydesk.settings import ReadSettings


@pytest.fixture(scope="module")
def nlp():
    return load_nlp(ReadSettings().model)


def _quotes(nlp, text):
    doc = nlp(text)
    return find_quotes(doc, find_mentions(doc))


@pytest.mark.parametrize(
    "text",
    [
        'Mayor Tom Reyes said, "The bridge will reopen in May."',
        "Mayor Tom Reyes said, “The bridge will reopen in May.”",
        "Mayor Tom Reyes said: „The bridge will reopen in May.“",
        "Mayor Tom Reyes said: «The bridge will reopen in May.»",
        "Mayor Tom Reyes said: ‘The bridge will reopen in May.’",
        'Mayor Tom Reyes said, "The bridge will reopen in May.”',  # mixed marks typed by hand
    ],
)
def test_direct_quotes_in_every_kind_of_mark(nlp, text):
    quotes = _quotes(nlp, text)
    assert [(q.kind, q.text, q.speaker, q.cue) for q in quotes] == [
        ("direct", "The bridge will reopen in May.", "Tom Reyes", "said")
    ]


def test_apostrophes_are_not_quotation_marks():
    text = "The mayor’s plan isn’t popular, and the workers' union won't say why it's late."
    assert quoted_spans(text) == []


def test_quote_after_the_speaker_is_attributed(nlp):
    quotes = _quotes(nlp, '"We will not give up the town," Governor Ana Silva told reporters.')
    assert quotes[0].speaker == "Ana Silva"
    assert quotes[0].cue == "told"


def test_a_quoted_fragment_in_the_writers_sentence_is_partial(nlp):
    text = 'Governor Ana Silva called the agreement "a fragile first step" and left the room.'
    quote = next(q for q in _quotes(nlp, text) if "fragile" in q.text)
    assert (quote.kind, quote.text, quote.speaker, quote.cue) == (
        "partial",
        "a fragile first step",
        "Ana Silva",
        "called",
    )


def test_a_clause_carrying_a_fragment_is_one_partial_quote(nlp):
    text = 'Governor Ana Silva said the talks would be "long and hard" for both sides.'
    quotes = _quotes(nlp, text)
    assert len(quotes) == 1
    assert quotes[0].kind == "partial"
    assert "long and hard" in quotes[0].text and "talks" in quotes[0].text


def test_a_quote_running_over_paragraphs_is_one_quote(nlp):
    text = (
        'Governor Ana Silva said: "The first phase starts in June.\n\n'
        '"The second phase depends on the budget vote in the autumn."\n\n'
        "The opposition did not comment."
    )
    quotes = [q for q in _quotes(nlp, text) if q.kind == "direct"]
    assert len(quotes) == 1
    assert "first phase" in quotes[0].text and "second phase" in quotes[0].text
    assert "opposition" not in quotes[0].text
    assert quotes[0].speaker == "Ana Silva"


def test_an_unbalanced_mark_costs_one_paragraph_at_most(nlp):
    text = 'Governor Ana Silva said: "The first phase starts in June.\n\nThe opposition did not comment on the plan.'
    quotes = _quotes(nlp, text)
    assert quotes and all("opposition" not in q.text for q in quotes if q.kind == "direct")


@pytest.mark.parametrize(
    ("text", "content", "speaker", "cue"),
    [
        (
            "Governor Ana Silva said the town would be rebuilt by spring.",
            "the town would be rebuilt by spring",
            "Ana Silva",
            "said",
        ),
        (
            "Governor Ana Silva stated that the town would be rebuilt.",
            "that the town would be rebuilt",
            "Ana Silva",
            "stated",
        ),
        (
            "According to Governor Ana Silva, the town will be rebuilt by spring.",
            "the town will be rebuilt by spring",
            "Ana Silva",
            "according to",
        ),
        (
            "The town will be rebuilt by spring, Governor Ana Silva said.",
            "The town will be rebuilt by spring",
            "Ana Silva",
            "said",
        ),
    ],
)
def test_indirect_speech(nlp, text, content, speaker, cue):
    quotes = _quotes(nlp, text)
    assert [(q.kind, q.text, q.speaker, q.cue) for q in quotes] == [("indirect", content, speaker, cue)]


def test_offsets_point_into_the_text(nlp):
    text = 'Governor Ana Silva said, "The bridge will reopen in May." She said the cost would rise.'
    for q in _quotes(nlp, text):
        assert text[q.start : q.end].strip().startswith(q.text.split()[0])
        assert text[q.speaker_start : q.speaker_end] == q.speaker_text


def test_scare_quotes_without_a_cue_are_not_quotes(nlp):
    assert _quotes(nlp, 'The so-called "deal" was signed on a Friday in Geneva.') == []


def test_a_quote_interrupted_by_its_cue_is_one_quote(nlp):
    text = '"The bridge will reopen in May," Mayor Tom Reyes said, "and the tunnel will follow in June."'
    quotes = _quotes(nlp, text)
    assert len(quotes) == 1
    assert quotes[0].speaker == "Tom Reyes"
    assert "bridge" in quotes[0].text and "tunnel" in quotes[0].text


@pytest.mark.parametrize(
    ("text", "content", "cue"),
    [
        ("Senator Maria Lopez supports the new highway plan.", "the new highway plan", "supports"),
        ("Governor Alan Price praised the volunteers on Sunday.", "the volunteers", "praised"),
        ("Senator Maria Lopez wants to cut the sales tax.", "to cut the sales tax", "wants"),
        ("Senator Maria Lopez called for an inquiry into the contract.", "an inquiry into the contract", "called"),
        ("Senator Maria Lopez called for the city to audit the contract.", "the city to audit the contract", "called"),
    ],
)
def test_stance_and_call_for_are_attributions(nlp, text, content, cue):
    quotes = _quotes(nlp, text)
    assert [(q.kind, q.text, q.cue) for q in quotes] == [("indirect", content, cue)]
    assert quotes[0].speaker in ("Maria Lopez", "Alan Price")


def test_calling_a_thing_by_a_name_is_not_a_call_for(nlp):
    assert _quotes(nlp, "The residents called the old bridge a landmark for decades.") == []


def test_a_closed_quote_continued_in_the_next_paragraph_is_one_quote(nlp):
    text = 'Mayor Tom Reyes said: "We will rebuild the bridge."\n\n"The work starts in May and ends in June."'
    quotes = _quotes(nlp, text)
    assert len(quotes) == 1
    assert quotes[0].speaker == "Tom Reyes"
    assert quotes[0].text.endswith("ends in June.")


def test_a_stance_keeps_what_completes_its_object(nlp):
    quotes = _quotes(nlp, "Senator Maria Lopez thanked the nurses for their work.")
    assert [(q.text, q.speaker) for q in quotes] == [("the nurses for their work", "Maria Lopez")]


@pytest.mark.parametrize(
    ("text", "content"),
    [
        ("Senator Maria Lopez spoke about the housing crisis.", "the housing crisis"),
        ("Maria Lopez's criticism of the housing plan grew louder.", "the housing plan"),
    ],
)
def test_talk_about_and_stance_nouns_are_attributions(nlp, text, content):
    quotes = _quotes(nlp, text)
    assert [(q.text, q.speaker) for q in quotes] == [(content, "Maria Lopez")]


@pytest.mark.parametrize(
    ("text", "content", "speaker"),
    [
        ("In Donald Trump's view, the deal is a disaster.", "the deal is a disaster", "Donald Trump"),
        (
            "Senator John McCain says the Republican populist movement appeals to the anger of voters.",
            "the Republican populist movement appeals to the anger of voters",
            "John McCain",
        ),
    ],
)
def test_in_someones_view_and_a_misparsed_say_are_attributions(nlp, text, content, speaker):
    quotes = _quotes(nlp, text)
    assert [(q.text, q.speaker) for q in quotes] == [(content, speaker)]
