"""The German pipeline: spaCy's German tokenizer, a sentence splitter, the trained NER and the gazetteer.

No German spaCy pipeline exists on the registry (the `de-core-news-*` names
there are placeholder stubs), so the pipeline is built here:

    tokenizer        spacy.blank("de") (knows "z.B.", "Dr.", "12.", "1.100")
    de_sentences     sentence starts after . ! ? (and a closing quote mark after
                     them), never after an ordinal or abbreviation, always at a line break
    tok2vec, ner     trained by `make train-de-ner` (read/de/train_ner.py), shipped in read/de/model/
    entity_ruler     the gazetteer (data/gazetteer.tsv, data/countries.tsv) over the NER's entities
    attribution      the SpkAtt tagger (read/de/train_attribution.py, read/de/attribution_model/),
                     its spans kept in doc.spans["attribution"] while doc.ents keep the entities

Without the model directory (a checkout where it was deleted) the pipeline
still runs with the gazetteer alone, and says so once in the log.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from storydesk.read.de.attribution import SPANS_KEY
from storydesk.read.de.lexicon import country_rows, gazetteer

MODEL_DIR = Path(__file__).parent / "model"
ATTRIBUTION_DIR = Path(__file__).parent / "attribution_model"
_ENTITIES = "storydesk_de_entities"
_ENDERS = frozenset({".", "!", "?", "…", "?!", "!?", "..."})
_CLOSERS = frozenset({"“", "”", '"', "«", "»", "’", "‘", ")"})
_OPENERS = frozenset({"„", "»", "«", '"', "“", "‚", "("})

log = logging.getLogger(__name__)


@Language.component("storydesk_de_sentences")
def split_sentences(doc: Doc) -> Doc:
    """Sentence starts for German news text (see the module docstring)."""
    if len(doc) == 0:
        return doc
    starts = [False] * len(doc)
    starts[0] = True
    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        if "\n" in tok.text and tok.is_space or "\n" in tok.whitespace_:
            if i + 1 < n:
                starts[i + 1] = True
            i += 1
            continue
        if tok.text in _ENDERS or _year_at_end(doc, i):
            j = i + 1
            # a closing mark glued to the full stop belongs to this sentence: „Wir kommen.“ Dann ...
            while j < n and doc[j].text in _CLOSERS and not doc[j - 1].whitespace_:
                j += 1
            if j < n and _opens_sentence(doc, j):
                starts[j] = True
            i = j
            continue
        i += 1
    for tok, start in zip(doc, starts, strict=True):
        tok.is_sent_start = start
    return doc


def _year_at_end(doc: Doc, i: int) -> bool:
    """ "2025." with its full stop in one token ends a sentence when a capitalised word follows ("im Jahr 2025. Dann")."""
    text = doc[i].text
    return (
        len(text) == 5 and text[:4].isdigit() and text.endswith(".") and i + 1 < len(doc) and doc[i].whitespace_ != ""
    )


def _opens_sentence(doc: Doc, j: int) -> bool:
    tok = doc[j]
    if tok.is_space:
        return j + 1 < len(doc)
    first = tok.text[:1]
    return first.isupper() or first.isdigit() or tok.text in _OPENERS or first in "„»\"'‚"


@Language.component("storydesk_de_hold_entities")
def hold_entities(doc: Doc) -> Doc:
    """Park the entities while the attribution tagger (an NER itself) writes doc.ents."""
    doc.user_data[_ENTITIES] = [(e.start, e.end, e.label_) for e in doc.ents]
    doc.ents = []
    return doc


@Language.component("storydesk_de_attribution_spans")
def attribution_spans(doc: Doc) -> Doc:
    """Move the tagger's spans to doc.spans["attribution"] and give the entities back."""
    doc.spans[SPANS_KEY] = list(doc.ents)
    doc.ents = [Span(doc, a, b, label=label) for a, b, label in doc.user_data.pop(_ENTITIES, [])]
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The German pipeline, built once per process."""
    if (MODEL_DIR / "config.cfg").exists():
        nlp = spacy.load(MODEL_DIR)
    else:
        log.warning("German NER model missing at %s: run `make train-de-ner`; using the gazetteer only", MODEL_DIR)
        nlp = spacy.blank("de")
    nlp.add_pipe("storydesk_de_sentences", first=True)
    ruler = nlp.add_pipe("entity_ruler", config={"overwrite_ents": True, "phrase_matcher_attr": "ORTH"})
    patterns = [{"label": label, "pattern": name} for name, label in gazetteer()]
    patterns += [{"label": "LOC", "pattern": german} for german, _, _ in country_rows()]
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    if (ATTRIBUTION_DIR / "config.cfg").exists():
        nlp.add_pipe("storydesk_de_hold_entities")
        nlp.add_pipe("ner", name="attribution", source=spacy.load(ATTRIBUTION_DIR))
        nlp.add_pipe("storydesk_de_attribution_spans")
    else:
        log.warning("German attribution model missing at %s: run `make train-de-attribution`", ATTRIBUTION_DIR)
    return nlp
