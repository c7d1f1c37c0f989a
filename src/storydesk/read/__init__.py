"""Read: fill each Article's mentions, quotes, claims and dates from one spaCy parse.

The recipe per document is written once, in `read_doc`.
"""

from __future__ import annotations

from storydesk.read.nlp import load_nlp, parse
from storydesk.records import Article
from storydesk.settings import ReadSettings


def read_articles(articles: list[Article], settings: ReadSettings) -> list[Article]:
    """Read every article whose language has a reader; note why others were skipped."""
    readable = []
    for article in articles:
        if article.language is not None and article.language not in settings.languages:
            article.read_note = f"not read: no reader for language {article.language!r} yet"
        else:
            readable.append(article)
    if not readable:
        return articles
    nlp = load_nlp(settings.model)
    for article, doc in zip(readable, parse(nlp, readable, settings), strict=True):
        read_doc(article, doc)
    return articles


def read_doc(article: Article, doc) -> Article:  # type: ignore[no-untyped-def]
    from storydesk.read import claims, dates, mentions, places, quotes

    article.mentions = mentions.find_mentions(doc)  # 1. actors and places with roles
    places.resolve_places(article.mentions)  # 2. places to gazetteer entries
    article.quotes = quotes.find_quotes(doc, article.mentions)  # 3. quotes with resolved speakers
    article.claims = claims.find_claims(doc)  # 4. numeric claims
    article.dates = dates.find_dates(doc, article.published)  # 5. dates against the publication date
    return article
