"""Read: fill each Article's mentions, quotes, claims and dates from one spaCy parse.

The recipe per document is written once, in `read_doc`. Articles in a language
without a reader are left as they are, with a `read_note` saying why; a body
longer than `ReadSettings.max_chunk_chars` is read in part (read/nlp.py), also
with a note. The modules, one per concern:

    nlp.py       the pipeline, loaded once per process, run in batches
    mentions.py  actors and places with roles and fullest names (lexicon.py: word lists)
    marks.py     text between quotation marks, over paragraphs
    cues.py      speech-act verbs and phrases
    speakers.py  from "he" or "the spokesperson" to a name
    candidates.py  spans that may be quotes, with their cues (the rules)
    quote_model.py which candidates are quotes, their kind and speaker (the trained model)
    quotes.py    direct, partial and reported speech with cue and speaker
    claims.py, dates.py, places.py
    de/          the German reader, same interface (chosen by the article's language)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from storydesk.records import Article
from storydesk.settings import ReadSettings

if TYPE_CHECKING:  # spaCy is imported where a text is parsed: a process that never reads (an ingest's main
    # process when workers read, compare's statement workers) saves its ~56 MB (docs/benchmarks.md "Round 8")
    from spacy.language import Language
    from spacy.tokens import Doc


def read_articles(articles: list[Article], settings: ReadSettings) -> list[Article]:
    """Read every article whose language has a reader; note why others were skipped."""
    by_language: dict[str, list[Article]] = {}
    for article in articles:
        if article.language is not None and article.language not in settings.languages:
            article.read_note = f"not read: no reader for language {article.language!r} yet"
        else:
            # no language detected: read as English, as before there were other readers
            by_language.setdefault(article.language or "en", []).append(article)
    from storydesk.read.nlp import parse

    for language, group in by_language.items():
        nlp, read = _reader(language, settings)
        for article, doc in zip(group, parse(nlp, group, settings), strict=True):
            read(article, doc)
            _visible_names(article)  # every language: names without zero-width or bidi control characters
    return articles


def _reader(language: str, settings: ReadSettings) -> tuple[Language, Callable[[Article, Doc], Article]]:
    """The pipeline and recipe for one language: German has its own sub-package, everything else is English."""
    if language == "de":
        from storydesk.read import de
        from storydesk.read.de.nlp import load_nlp as load_german

        return load_german(), de.read_doc
    from storydesk.read.nlp import load_nlp

    return load_nlp(settings.model), lambda article, doc: read_doc(article, doc, settings)


def read_doc(article: Article, doc: Doc, settings: ReadSettings | None = None) -> Article:
    from storydesk.read import claims, dates, mentions, places, quotes

    settings = settings or ReadSettings()
    article.mentions = mentions.find_mentions(doc)  # 1. actors and places with roles
    places.resolve_places(article.mentions)  # 2. places to gazetteer entries
    article.quotes = quotes.find_quotes(doc, article.mentions, settings.quotes)  # 3. quotes with resolved speakers
    article.claims = claims.find_claims(doc)  # 4. numeric claims
    article.dates = dates.find_dates(doc, article.published)  # 5. dates against the publication date
    return article


def _visible_names(article: Article) -> None:
    """Names as they are linked and shown: "Zel\u200densky" is Zelensky. The spans' text stays as in the body."""
    from storydesk.ingest.common import strip_invisible

    for mention in article.mentions:
        mention.name = strip_invisible(mention.name)
        if mention.role:
            mention.role = strip_invisible(mention.role)
    for quote in article.quotes:
        if quote.speaker:
            quote.speaker = strip_invisible(quote.speaker)
