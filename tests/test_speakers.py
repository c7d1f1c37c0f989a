"""read/speakers.py: speakers resolved to the fullest name in the article, never guessed (issue 3)."""

from __future__ import annotations

import pytest

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


def _find(quotes, fragment):
    return next(q for q in quotes if fragment in q.text)


def test_pronoun_resolves_to_the_previous_speaker(nlp):
    text = (
        "Finance Minister Lena Okafor announced new tax rules on Monday. "
        'She said, "The budget must balance within two years."'
    )
    quote = _find(_quotes(nlp, text), "budget must balance")
    assert quote.speaker == "Lena Okafor"
    assert quote.speaker_text == "She"


def test_a_description_resolves_through_the_role_the_article_gave(nlp):
    text = (
        "Kremlin spokesperson Dmitri Peskov spoke to reporters in Moscow on Tuesday. "
        "Officials in Kyiv declined to respond. "
        'The Kremlin spokesperson said: "We will study the proposal carefully."'
    )
    quote = _find(_quotes(nlp, text), "study the proposal")
    assert quote.speaker == "Dmitri Peskov"
    assert quote.speaker_text == "The Kremlin spokesperson"


def test_an_ambiguous_description_stays_unresolved(nlp):
    text = (
        "Defence Minister John Healey met Foreign Minister David Lammy in London. "
        'The minister said: "We agreed on nothing at all today."'
    )
    quote = _find(_quotes(nlp, text), "agreed on nothing")
    assert quote.speaker is None


def test_a_quote_without_cue_takes_the_speaker_of_the_sentence_before(nlp):
    text = 'Mayor Tom Reyes said, "The bridge will reopen in May." "Nobody should expect delays beyond that date."'
    quote = _find(_quotes(nlp, text), "Nobody should expect")
    assert quote.speaker == "Tom Reyes"


def test_the_speaker_of_a_participle_cue_is_the_main_subject(nlp):
    text = (
        "President Lena Okafor stressed the need for partners to keep up pressure, "
        'underscoring: "The next step is theirs."'
    )
    quote = _find(_quotes(nlp, text), "next step")
    assert quote.speaker == "Lena Okafor"


def test_an_example_named_for_a_group_is_the_speaker(nlp):
    text = "Experts, such as former army chief Paul Lind, said the offensive had stalled."
    quote = _find(_quotes(nlp, text), "offensive had stalled")
    assert quote.speaker == "Paul Lind"


def test_no_findable_speaker_gives_none(nlp):
    text = '"The market will recover," was the message on the board.'
    quotes = _quotes(nlp, text)
    assert all(q.speaker is None for q in quotes)
