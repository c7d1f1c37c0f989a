"""The German reader: mentions, quotes, claims and dates of an article in German.

Chosen by `storydesk.read.read_articles` for articles whose language is "de",
behind the same stage interface as the English reader. The recipe per
document is written once, in `read_doc`. The modules, one per concern:

    nlp.py        tokenizer, sentence splitter, trained NER (model/) and gazetteer (data/)
    lexicon.py    roles, verbs of saying, Konjunktiv I, countries, number words
    mentions.py   actors and places with roles and fullest names
    speakers.py   from "er" or "der Kremlsprecher" to a name
    quotes.py     direct, partial and reported speech with cue and speaker
    claims.py     numbers in German formats; dates.py: German dates
    train_ner.py  `make train-de-ner`: the NER, trained on GermEval 2014 dev and SmartData
"""

from __future__ import annotations

from spacy.tokens import Doc

from storydesk.records import Article


def read_doc(article: Article, doc: Doc) -> Article:
    from storydesk.read import places
    from storydesk.read.de import claims, dates, mentions, quotes

    article.mentions = mentions.find_mentions(doc)  # 1. actors and places with roles
    places.resolve_places(article.mentions)  # 2. places to gazetteer entries
    article.quotes = quotes.find_quotes(doc, article.mentions)  # 3. quotes with resolved speakers
    article.claims = claims.find_claims(doc)  # 4. numeric claims
    article.dates = dates.find_dates(doc, article.published)  # 5. dates against the publication date
    return article
