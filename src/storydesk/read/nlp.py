"""The spaCy pipeline: loaded once per process, run in batches."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc
from thinc.api import NumpyOps, get_current_ops, set_current_ops

from storydesk.records import Article
from storydesk.settings import ReadSettings


class BlasOps(NumpyOps):
    """thinc's CPU ops with matrix products by numpy's OpenBLAS instead of blis.

    The tok2vec layers are mostly (tokens x 288) @ (288 x 288) products; on this
    project's machines (AVX-512) OpenBLAS runs them 1.7x faster than the blis
    kernel thinc picks, and the parses come out identical (docs/benchmarks.md,
    "Pipeline"). Everything else, the parser's own loop included, is NumpyOps.
    """

    name = "storydesk-blas"

    def gemm(self, x, y, out=None, trans1=False, trans2=False):  # type: ignore[no-untyped-def, override]
        a = x.T if trans1 else x
        b = y.T if trans2 else y
        if out is None:
            return numpy.matmul(a, b)
        numpy.matmul(a, b, out=out)
        return out


@lru_cache(maxsize=2)
def load_nlp(model: str) -> Language:
    """Load the pipeline once per process (the model ships as a pinned registry package).

    A line break starts a sentence before the parser runs: the small model otherwise runs a
    headline, a dateline or a list item into the next paragraph's first sentence and makes
    headline words its subject ("China Retaliates with Tariffs ... / China's finance ministry
    announced ..."), which no rule after the parse can undo.
    """
    previous = get_current_ops()
    set_current_ops(BlasOps())  # the models take the ops current when they are built
    try:
        nlp = spacy.load(model)
    finally:
        set_current_ops(previous)
    if "parser" in nlp.pipe_names and _PARAGRAPHS not in nlp.pipe_names:
        nlp.add_pipe(_PARAGRAPHS, before="parser")
    return nlp


_PARAGRAPHS = "storydesk_paragraph_starts"


@Language.component(_PARAGRAPHS)
def paragraph_starts(doc: Doc) -> Doc:
    """Mark the first token after a line break as a sentence start (the parser keeps preset starts)."""
    for token in doc[1:]:
        if "\n" in doc[token.i - 1].text or "\n" in doc[token.i - 1].whitespace_:
            token.is_sent_start = True
    return doc


def reading_text(article: Article, settings: ReadSettings) -> str:
    """The part of the body that is read: all of it, up to `max_chunk_chars`.

    spaCy's memory grows with document length; a body longer than the cap is
    read up to the last paragraph break before it (or cut hard inside a single
    huge paragraph) and the article says so in `read_note`. Offsets stay valid
    because the read text is a prefix of `article.text`.
    """
    text = article.text
    if len(text) <= settings.max_chunk_chars:
        return text
    cut = text.rfind("\n\n", 0, settings.max_chunk_chars)
    if cut <= 0:
        cut = text.rfind(" ", 0, settings.max_chunk_chars)
    if cut <= 0:
        cut = settings.max_chunk_chars
    return text[:cut]


def parse(nlp: Language, articles: list[Article], settings: ReadSettings) -> Iterator[Doc]:
    texts = [reading_text(a, settings) for a in articles]
    docs = nlp.pipe(texts, batch_size=settings.batch_size, n_process=settings.n_process)
    for article, text, doc in zip(articles, texts, docs, strict=True):
        if len(text) < len(article.text):
            article.read_note = f"read the first {len(text):,} of {len(article.text):,} characters"
        doc.user_data[_TEXT] = text
        yield doc


_TEXT = "storydesk_text"


def doc_text(doc: Doc) -> str:
    """The document's text; kept from parsing because `Doc.text` joins every token on each access."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text
