"""The English pipeline's cached attribute rules and lemmas (read/nlp.py) tag exactly as spaCy's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from storydesk.read.nlp import _LemmaCache, _SingleTokenRules, load_nlp
from storydesk.settings import ReadSettings

# The ruler's longer rules ("ai n't", "gon na"), contractions, spaces and a headline line.
ODD = (
    "Senate Passes Bill\nI ain't gonna sign it, she said. Y'all wanna go? He's gotta be kidding, "
    "isn't he?  \n\n  The U.S. Dept. of State's 3 officials didn't comment on Mr. Smith's remarks."
)


def _annotations(docs: list[Doc]) -> list[tuple[str, str, str, str, str]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_) for doc in docs for t in doc]


@pytest.fixture
def texts(shared: Path) -> list[str]:
    paths = sorted((shared / "data" / "polnear" / "data" / "dev" / "text").glob("*"))[:12]
    assert paths, "PolNeAR dev texts missing"
    return [p.read_text(encoding="utf-8", errors="replace") for p in paths] + [ODD]


def test_cached_rules_and_lemmas_equal_spacy(texts: list[str]) -> None:
    nlp = load_nlp(ReadSettings().model)
    ruler: Any = nlp.get_pipe("attribute_ruler")
    lemmatizer: Any = nlp.get_pipe("lemmatizer")
    assert isinstance(ruler.match, _SingleTokenRules)  # the fast path is in place on the shipped model
    assert isinstance(lemmatizer.lemmatize, _LemmaCache)
    assert ruler.match.longer is not None  # and the model's multi-token rules go to their own matcher
    blobs = [d.to_bytes() for d in nlp.pipe(texts, disable=["attribute_ruler", "lemmatizer"])]

    def annotate() -> list[Doc]:
        return [lemmatizer(ruler(Doc(nlp.vocab).from_bytes(b))) for b in blobs]

    fast = annotate()
    fast_again = annotate()  # now from the memo and the lemma cache
    fast_match, fast_lemmatize = ruler.match, lemmatizer.lemmatize
    try:
        ruler.match = lambda doc: AttributeRuler.match(ruler, doc)
        lemmatizer.lemmatize = fast_lemmatize.lemmatize
        spacy_own = annotate()
    finally:
        ruler.match, lemmatizer.lemmatize = fast_match, fast_lemmatize
    expected = _annotations(spacy_own)
    assert len(expected) > 5000
    assert _annotations(fast) == expected
    assert _annotations(fast_again) == expected
    lemmas = {t.text.lower(): t.lemma_ for doc in fast for t in doc}
    assert lemmas["said"] == "say" and lemmas["gon"] == "go" and lemmas["ai"] == "be"  # a longer rule applied


def test_unknown_rule_shapes_keep_spacys_matching() -> None:
    nlp = load_nlp(ReadSettings().model)
    ruler = AttributeRuler(nlp.vocab)
    ruler.add([[{"LOWER": "x"}]], {"POS": "X"})
    assert _SingleTokenRules.build(ruler) is not None
    ruler.add([[{"SHAPE": "dd"}]], {"POS": "NUM"})  # an attribute the fast path does not read
    assert _SingleTokenRules.build(ruler) is None


@pytest.mark.parametrize("line", [" date 2025-05-08 ", " date 2025-05 "])
def test_the_page_date_line_is_no_part_of_the_first_sentence_round14(line: str) -> None:
    """Round 14: " date 2025-05-08 Pakistan's military announced ..." gave the speaker
    "date 2025-05-08 Pakistan's military", and a timeline line began with the date line."""
    from storydesk.read.dates import find_dates
    from storydesk.read.mentions import find_mentions
    from storydesk.read.quotes import find_quotes

    nlp = load_nlp(ReadSettings().model)
    doc = nlp(line + "The army announced it has shot down 25 drones on Thursday in the north.")
    first = next(s for s in doc.sents if s.text.strip())
    assert not first.text.strip().startswith("The army")  # the date line stands alone
    (quote,) = find_quotes(doc, find_mentions(doc))
    assert quote.speaker_text == "The army"
    dates = find_dates(doc, "2025-05-08")
    assert [d.text for d in dates] == ["Thursday"] and dates[0].sentence.startswith("The army")


def test_issue13_pipe_lemmas_and_sentence_starts_equal_spacys_own_loops(texts: list[str]) -> None:
    """Round 15: `nlp.pipe` lemmatizes each document through arrays (`_ArrayLemmas`), and line breaks start
    sentences found by the document's distinct words; tags, lemmas and sentences come out as spaCy's loops give."""
    from storydesk.read import nlp as nlp_module

    nlp = load_nlp(ReadSettings().model)
    lemmatizer: Any = nlp.get_pipe("lemmatizer")
    assert isinstance(lemmatizer.pipe, nlp_module._ArrayLemmas)
    texts = [*texts, "\nA line first\n\nthen  two\r\nbreaks", "one", ""]

    def annotations(docs: list[Doc]) -> list[tuple[str, ...]]:
        return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, str(t.is_sent_start)) for doc in docs for t in doc]

    fast = annotations(list(nlp.pipe(texts)))
    assert fast == annotations(list(nlp.pipe(texts)))  # again, from the caches
    fast_pipe = lemmatizer.pipe

    def spacy_starts(doc: Doc) -> Doc:  # round 14's loop: every token's text read
        for token in doc[1:]:
            if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
                token.is_sent_start = True
        return doc

    try:
        del lemmatizer.pipe  # spaCy's own loop
        own = [nlp(text) for text in texts]  # the single-document path, the lemmatizer's own loop
    finally:
        lemmatizer.pipe = fast_pipe
    assert fast == annotations(own)
    nlp_starts = [spacy_starts(nlp.make_doc(t)) for t in texts]
    ours = [nlp_module.paragraph_starts(nlp.make_doc(t)) for t in texts]
    assert [[t.is_sent_start for t in d] for d in ours] == [[t.is_sent_start for t in d] for d in nlp_starts]
