"""The English pipeline's cached attribute rules and lemmas (read/nlp.py) tag exactly as spaCy's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from storydesk.read.nlp import _LemmaCache, _SingleTokenRules, can_select, load_nlp, parse_selected, pipe_texts
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


# -- selective parsing (issue 13) --------------------------------------------------------------------
PLAIN_AND_QUOTE = (
    "The river rose slowly through the night. Farmers watched the water from the bank.\n\n"
    '"We will rebuild the bridge," Mayor Anna Weber said on Tuesday. The talks lasted 3 hours.'
)


def test_selective_parse_leaves_plain_sentences_unparsed() -> None:
    """Issue 13: only sentences that can hold a quote, a role or a claim get tags, lemmas and arcs;
    the others keep their rule sentence starts and no fake annotation; NER reads everything."""
    nlp = load_nlp(ReadSettings().model)
    assert can_select(nlp)
    (doc,) = parse_selected(nlp, [PLAIN_AND_QUOTE], batch_size=8, context=0)
    (full,) = nlp.pipe([PLAIN_AND_QUOTE])
    sents = [s.text.strip() for s in doc.sents if s.text.strip()]
    assert sents[:2] == ["The river rose slowly through the night.", "Farmers watched the water from the bank."]
    plain = [t for s in list(doc.sents)[:2] for t in s]
    assert all(t.dep_ == "" and t.tag_ == "" and t.pos_ == "" and t.lemma_ == "" and t.head is t for t in plain)
    said = next(t for t in doc if t.text == "said")
    assert said.lemma_ == "say" and said.dep_ == full[said.i].dep_ and said.head.i == full[said.i].head.i
    hours = next(t for t in doc if t.text == "hours")  # a number's sentence is parsed
    assert hours.head.text == full[hours.i].head.text and hours.dep_
    assert [(e.text, e.label_) for e in doc.ents] == [(e.text, e.label_) for e in full.ents]
    assert doc.text == PLAIN_AND_QUOTE


def test_selective_parse_context_parses_the_sentence_before() -> None:
    nlp = load_nlp(ReadSettings().model)
    (doc,) = parse_selected(nlp, [PLAIN_AND_QUOTE], batch_size=8, context=1)
    sents = [s for s in doc.sents if s.text.strip()]
    assert all(t.dep_ == "" for t in sents[0])
    assert all(t.dep_ for t in sents[1])  # "Farmers watched ..." comes before the quote's sentence


def test_selective_parse_reads_the_same_quote(shared: Path) -> None:
    from storydesk.read import read_articles
    from storydesk.records import Article

    texts = sorted((shared / "data" / "polnear" / "data" / "dev" / "text").glob("*"))[:3]
    articles = {
        mode: [Article(id=p.name, source="t", text=p.read_text(encoding="utf-8"), language="en") for p in texts]
        for mode in (False, True)
    }
    for mode, group in articles.items():
        read_articles(group, ReadSettings(selective_parse=mode))
    full = [(q.text, q.speaker) for a in articles[False] for q in a.quotes]
    selective = [(q.text, q.speaker) for a in articles[True] for q in a.quotes]
    assert len(full) > 5
    assert len(set(full) & set(selective)) >= 0.8 * len(full)  # measured: docs/benchmarks.md "Round 9"


def test_selective_parse_is_a_setting_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from storydesk.settings import SELECTIVE_PARSE_ENV

    monkeypatch.delenv(SELECTIVE_PARSE_ENV, raising=False)
    assert ReadSettings().selective_parse is False
    monkeypatch.setenv(SELECTIVE_PARSE_ENV, "1")
    assert ReadSettings().selective_parse is True


def test_german_is_never_parsed_selectively() -> None:
    from storydesk.read.de.nlp import load_nlp as load_german

    german = load_german()
    assert not can_select(german)
    text = "Der Kanzler sagte am Montag, die Gespräche seien gut verlaufen. Das Wetter war schön."
    (doc,) = pipe_texts(german, [text], ReadSettings(selective_parse=True))
    (before,) = german.pipe([text])
    assert doc.to_bytes() == before.to_bytes()  # the German pipeline runs as it did
