"""The TF-IDF signals of link/groups.py and the idf values of link/stories.py, made cheaper in issue 13
(round 10) with the same floats: checked against the formulas as they were written before."""

from __future__ import annotations

import math
import random

from storydesk.link.features import Features
from storydesk.link.groups import GroupState, _norm, article_terms, group_norms, signals
from storydesk.link.stories import StoryGrouper
from storydesk.settings import LinkSettings
from storydesk.store import SQLiteStore

_PREFIX = {"tfidf": "", "entities": "@", "names": "n:", "numbers": "#", "dates": ""}
_FIELD = {"tfidf": "terms", "entities": "entities", "names": "names", "numbers": "numbers", "dates": "dates"}


def _old_norm(counts: dict[str, int], prefix: str, idf: dict[str, float]) -> float:
    return math.sqrt(sum(((1 + math.log(c)) * idf.get(prefix + t, 0.0)) ** 2 for t, c in counts.items() if c > 0))


def _old_tfidf_against(
    mine: dict[str, int], theirs: dict[str, int], prefix: str, idf: dict[str, float], norm: float
) -> float:
    if not mine or not norm:
        return 0.0
    dot = 0.0
    square = 0.0
    for t, c in mine.items():
        if c <= 0:
            continue
        w = (1 + math.log(c)) * idf.get(prefix + t, 0.0)
        square += w * w
        other = theirs.get(t, 0)
        if other > 0:
            dot += w * (1 + math.log(other)) * idf.get(prefix + t, 0.0)
    return dot / (math.sqrt(square) * norm) if square else 0.0


def _counts(rng: random.Random, words: list[str], n: int) -> dict[str, int]:
    return {w: rng.choice([1, 1, 2, 3, 7, 40, 5000]) for w in rng.sample(words, n)}


def _random_case(rng: random.Random) -> tuple[Features, GroupState, dict[str, float]]:
    words = [f"w{i}" for i in range(60)]
    feats = Features(
        day=None,
        vector=None,
        terms=_counts(rng, words, rng.randint(0, 30)),
        numbers=rng.sample(words, rng.randint(0, 5)),
        entities=rng.sample(words, rng.randint(0, 5)),
        names=_counts(rng, words, rng.randint(0, 10)),
        dates=rng.sample(words, rng.randint(0, 3)),
        language="en",
    )
    state = GroupState(id="g", size=3, languages={"en": 3})
    state.terms = _counts(rng, words, rng.randint(0, 40))
    state.names = _counts(rng, words, rng.randint(0, 20))
    state.entities = _counts(rng, words, rng.randint(0, 8))
    state.numbers = _counts(rng, words, rng.randint(0, 8))
    state.dates = _counts(rng, words, rng.randint(0, 4))
    prefixed = [p + w for w in words for p in ("", "@", "n:", "#")]
    idf = {t: rng.uniform(1.0, 6.0) for t in rng.sample(prefixed, 150)}  # some terms have none
    return feats, state, idf


def test_issue13_tfidf_signals_are_the_floats_of_the_old_formula() -> None:
    rng = random.Random(13)
    for _ in range(300):
        feats, state, idf = _random_case(rng)
        terms = article_terms(feats, idf)
        norms = group_norms(state, idf)
        given = signals(feats, state, idf, time_scale=7.0, terms=terms)
        computed = signals(feats, state, idf, time_scale=7.0)
        assert given == computed
        for signal, prefix in _PREFIX.items():
            theirs = getattr(state, _FIELD[signal])
            assert norms[signal] == _old_norm(theirs, prefix, idf) == _norm(theirs, prefix, idf)
            value = getattr(feats, _FIELD[signal])
            mine = value if isinstance(value, dict) else {k: 1 for k in value}
            assert given[signal] == _old_tfidf_against(mine, theirs, prefix, idf, norms[signal])  # bit for bit


def test_issue13_idf_values_follow_every_counted_article(store: SQLiteStore) -> None:
    """`_idf` keeps its values while no article is counted; each counted article changes them."""
    grouper = StoryGrouper(store, LinkSettings())
    feats = Features(day=None, vector=None, terms={"ceasefire": 2, "talks": 1}, numbers=["12"], language="en")
    other = Features(day=None, vector=None, terms={"talks": 1, "tariffs": 3}, numbers=[], language="en")
    terms = ["#12", "ceasefire", "talks", "tariffs", "unseen"]
    for article in (feats, other, feats, other):
        first = grouper._idf(terms)
        assert grouper._idf(list(reversed(terms))) == first  # kept, in the order asked for
        n = grouper.seq + 1
        assert first == {t: math.log((n + 1) / (grouper.df[t] + 1)) + 1 for t in terms}
        grouper.count(article)
    assert grouper.df["talks"] == 4 and grouper.df["ceasefire"] == 2 and grouper.df["unseen"] == 0
