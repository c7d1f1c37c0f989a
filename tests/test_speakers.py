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
    """Two ministers fit "the minister": no guess, and no "minister" either (issue 9)."""
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


@pytest.mark.parametrize(
    ("text", "fragment", "speaker", "kind", "named"),
    [
        (
            "Pakistan said its air force had shot down five jets.",
            "shot down five jets",
            "Pakistan",
            "organization",
            True,
        ),
        ("Officials said the toll was still being ascertained.", "toll was still", "Officials", "group", False),
        (
            "The joint statement said both sides would respect the ceasefire.",
            "respect the ceasefire",
            "joint statement",
            "document",
            False,
        ),
        (
            "Pakistan's foreign ministry said the strikes were unprovoked.",
            "unprovoked",
            "Pakistan's foreign ministry",
            "organization",
            True,
        ),
    ],
)
def test_organisations_groups_and_documents_are_speakers_with_a_type(nlp, text, fragment, speaker, kind, named):
    """Issue 9: "the Kremlin", "experts", "the joint statement" speak too, with a type."""
    quote = _find(_quotes(nlp, text), fragment)
    assert (quote.speaker, quote.speaker_type, quote.speaker_named) == (speaker, kind, named)


def test_he_never_resolves_to_an_organisation(nlp):
    """Issue 9: a pronoun resolves only to a person of matching number."""
    text = (
        "Northfield Academy said on Monday that classes would resume. "
        'He said, "Nobody was hurt in the fire at the gym."'
    )
    quote = _find(_quotes(nlp, text), "Nobody was hurt")
    assert quote.speaker != "Northfield Academy"


def test_it_resolves_to_the_organisation_that_spoke_before(nlp):
    text = "The Interior Ministry issued a warning on Friday. It said the roads would stay closed until Monday."
    quote = _find(_quotes(nlp, text), "roads would stay closed")
    assert (quote.speaker, quote.speaker_type) == ("Interior Ministry", "organization")


def test_i_outside_quotation_marks_is_the_writer(nlp):
    quotes = _quotes(nlp, "I said the plan would fail, and it did.")
    assert all(q.speaker is None for q in quotes)
