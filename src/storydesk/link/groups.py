"""A group of articles (an event or a storyline) as the linker keeps it, and how well an article fits one.

A group is compared with a new article through a summary it keeps (the sum
of its members' vectors, term, name, number and date counts, entities, the
days it covers, its languages), never through its articles, so the cost of
one article depends on how many groups are candidates, not on how many
articles are stored.

`signals` are the similarities of one article to one group, each in 0..1;
`score` weighs them with weights fitted on development data (a logistic
regression: `python -m eval.fit_link`) and stored in settings.py. Two
signals make the score depend on the language pair, because the encoder's
cosines are lower between languages than within one (measured on dev,
docs/evaluation.md): `embedding_cross` carries the embedding when the group
has no article in the article's language, with its own weight, and `cross`
shifts the score for such a pair. Word overlap (TF-IDF over stems) only
counts within one language: between languages it is missing, not zero.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from storydesk.link.features import Features
from storydesk.settings import SignalWeights

SIGNALS = (
    "embedding",
    "embedding_cross",
    "cross",
    "tfidf",
    "entities",
    "names",
    "numbers",
    "dates",
    "date_far",
    "date_later",
    "atypical",
    "time",
    "undated",
)
# e5 cosines of unrelated news sit around 0.75 and of one event's reports around 0.9:
# the embedding signal maps [0.7, 1] to [0, 1] so that all signals share a scale.
_EMBEDDING_FLOOR = 0.7
# A group keeps its most frequent terms, names and numbers only, so its state stays bounded.
_KEEP_TERMS = 400
_KEEP_NAMES = 200
_KEEP_NUMBERS = 200
_KEEP_DAYS = 60


def _top(counts: dict[str, int], keep: int) -> dict[str, int]:
    if len(counts) <= keep:
        return counts
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:keep])


@dataclass(slots=True)
class GroupState:
    """What an event or storyline keeps to be compared with new articles."""

    id: str
    first_day: str | None = None  # known days of its articles (link/days.py); None when none is dated
    last_day: str | None = None
    last_seq: int = 0  # arrival number of its latest article
    size: int = 0
    vector: np.ndarray | None = None  # sum of member vectors
    terms: dict[str, int] = field(default_factory=dict)
    entities: dict[str, int] = field(default_factory=dict)
    names: dict[str, int] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)
    dates: dict[str, int] = field(default_factory=dict)
    languages: dict[str, int] = field(default_factory=dict)
    days: dict[str, int] = field(default_factory=dict)  # articles per known day
    lead_days: dict[str, int] = field(default_factory=dict)  # articles per lead day ("MM-DD", features.lead_day)
    plan_days: dict[str, int] = field(default_factory=dict)  # articles naming a day only as a plan or deadline
    actors: set[str] = field(default_factory=set)
    outlets: dict[str, int] = field(default_factory=dict)  # articles per outlet (events only)
    voices: dict[str, int] = field(default_factory=dict)  # the same, copies and unknown outlets left out
    title_rank: tuple[Any, ...] | None = None  # how good the current title is (lower is better)
    title_article: str | None = None  # the article the title comes from
    # The TF-IDF vector norms of its terms, entities, names, numbers and dates (see `signals`),
    # kept until the group changes: recomputing them for every candidate of every article was most
    # of linking's time. Not stored; the document frequencies drift little between two changes.
    norms: dict[str, float] | None = None
    norms_epoch: int = -1  # the document-frequency epoch they were computed in (link/stories.py _idf)
    # `vector`'s norm and `vector` divided by it (`unit`), with the array they were computed from: every
    # change of the group replaces `vector` by a new array (never in place), so they hold while it is the
    # same object. Computing them for every candidate of every article grew with the groups a window holds
    # (issue 13, round 14: 310,000 norms for a batch of 500 at 10,000 stored).
    _unit: tuple[np.ndarray, Any, np.ndarray] | None = field(default=None, repr=False, compare=False)

    def vector_norm(self) -> Any:
        """`np.linalg.norm(self.vector)` (a numpy float), computed once per vector; the vector must be set."""
        return self._unit_cache()[1]

    def unit(self) -> np.ndarray:
        """`vector / (norm or 1.0)`, computed once per vector; the vector must be set."""
        return self._unit_cache()[2]

    def _unit_cache(self) -> tuple[np.ndarray, Any, np.ndarray]:
        vector = self.vector
        assert vector is not None
        cached = self._unit
        if cached is None or cached[0] is not vector:
            norm = np.linalg.norm(vector)
            cached = self._unit = (vector, norm, vector / (norm or 1.0))
        return cached

    def absorb(self, feats: Features, actors: set[str], seq: int) -> None:
        """Add one article's features."""
        self.norms = None
        if feats.day:
            self.first_day = min(self.first_day or feats.day, feats.day)
            self.last_day = max(self.last_day or feats.day, feats.day)
            self.days[feats.day] = self.days.get(feats.day, 0) + 1
            if len(self.days) > _KEEP_DAYS:
                self.days = _top(self.days, _KEEP_DAYS)
        self.last_seq = max(self.last_seq, seq)
        self.size += 1
        if feats.vector is not None:
            self.vector = feats.vector.copy() if self.vector is None else self.vector + feats.vector
        for target, source, keep in (
            (self.terms, feats.terms, _KEEP_TERMS),
            (self.names, feats.names, _KEEP_NAMES),
        ):
            for key, count in source.items():
                target[key] = target.get(key, 0) + count
            if len(target) > keep:
                trimmed = _top(target, keep)
                target.clear()
                target.update(trimmed)
        for target, keys in ((self.entities, feats.entities), (self.numbers, feats.numbers), (self.dates, feats.dates)):
            for key in keys:
                target[key] = target.get(key, 0) + 1
        if len(self.numbers) > _KEEP_NUMBERS:
            self.numbers = _top(self.numbers, _KEEP_NUMBERS)
        self.languages[feats.language] = self.languages.get(feats.language, 0) + 1
        if feats.lead_day:
            self.lead_days[feats.lead_day] = self.lead_days.get(feats.lead_day, 0) + 1
            if len(self.lead_days) > _KEEP_DAYS:
                self.lead_days = _top(self.lead_days, _KEEP_DAYS)
        for day in feats.plan_days:
            self.plan_days[day] = self.plan_days.get(day, 0) + 1
        if len(self.plan_days) > _KEEP_DAYS:
            self.plan_days = _top(self.plan_days, _KEEP_DAYS)
        self.actors |= actors

    def remove(self, feats: Features) -> None:
        """Take one article's features out again (the batch is reconsidered: link/stories.py refine).

        Counts a group trimmed are left at zero; the known days stay as they were (a day range
        cannot be narrowed without the members).
        """
        self.norms = None
        self.size -= 1
        if feats.day and feats.day in self.days:
            self.days[feats.day] -= 1
            if self.days[feats.day] <= 0:
                del self.days[feats.day]
        if feats.vector is not None and self.vector is not None:
            self.vector = self.vector - feats.vector
        for target, source in ((self.terms, feats.terms), (self.names, feats.names)):
            for key, count in source.items():
                if key in target:
                    target[key] -= count
                    if target[key] <= 0:
                        del target[key]
        for target, keys in ((self.entities, feats.entities), (self.numbers, feats.numbers), (self.dates, feats.dates)):
            for key in keys:
                if key in target:
                    target[key] -= 1
                    if target[key] <= 0:
                        del target[key]
        self.languages[feats.language] = self.languages.get(feats.language, 1) - 1
        if self.languages[feats.language] <= 0:
            del self.languages[feats.language]
        if feats.lead_day in self.lead_days:
            self.lead_days[feats.lead_day] -= 1
            if self.lead_days[feats.lead_day] <= 0:
                del self.lead_days[feats.lead_day]
        for day in feats.plan_days:
            if day in self.plan_days:
                self.plan_days[day] -= 1
                if self.plan_days[day] <= 0:
                    del self.plan_days[day]

    def subtract(self, other: GroupState) -> None:
        """Take out a part's summary (an event leaving its storyline); days stay as they were."""
        self.norms = None
        self.size -= other.size
        if other.vector is not None and self.vector is not None:
            self.vector = self.vector - other.vector
        for name in ("terms", "names", "numbers", "entities", "dates", "languages", "days", "lead_days", "plan_days"):
            target = getattr(self, name)
            for key, count in getattr(other, name).items():
                if key in target:
                    target[key] -= count
                    if target[key] <= 0:
                        del target[key]

    def merge(self, other: GroupState) -> None:
        """Take in another group's summary (two events found to be one)."""
        self.norms = None
        days = [d for d in (self.first_day, other.first_day) if d]
        self.first_day = min(days, default=None)
        days = [d for d in (self.last_day, other.last_day) if d]
        self.last_day = max(days, default=None)
        self.last_seq = max(self.last_seq, other.last_seq)
        self.size += other.size
        if other.vector is not None:
            self.vector = other.vector.copy() if self.vector is None else self.vector + other.vector
        for name, keep in (("terms", _KEEP_TERMS), ("names", _KEEP_NAMES), ("numbers", _KEEP_NUMBERS)):
            target = getattr(self, name)
            for key, count in getattr(other, name).items():
                target[key] = target.get(key, 0) + count
            setattr(self, name, _top(target, keep))
        for name in ("entities", "dates", "languages", "outlets", "voices", "days", "lead_days", "plan_days"):
            target = getattr(self, name)
            for key, count in getattr(other, name).items():
                target[key] = target.get(key, 0) + count
        self.actors |= other.actors
        if other.title_rank is not None and (self.title_rank is None or other.title_rank < self.title_rank):
            self.title_rank = other.title_rank

    def as_features(self) -> Features:
        """The group seen as one article (centroid, counts), to compare two groups with `signals`."""
        vector = None
        if self.vector is not None:
            norm = float(np.linalg.norm(self.vector))
            vector = self.vector / norm if norm else None
        return Features(
            day=self.first_day,
            vector=vector,
            terms=self.terms,
            numbers=sorted(self.numbers),
            entities=sorted(self.entities),
            names=self.names,
            dates=sorted(self.dates),
            language=max(self.languages.items(), key=lambda kv: (kv[1], kv[0]))[0] if self.languages else "und",
            lead_day=max(self.lead_days.items(), key=lambda kv: (kv[1], kv[0]))[0] if self.lead_days else None,
        )

    def to_json(self) -> str:
        return json.dumps(
            {
                "size": self.size,
                "terms": self.terms,
                "entities": self.entities,
                "names": self.names,
                "numbers": self.numbers,
                "dates": self.dates,
                "languages": self.languages,
                "days": self.days,
                "lead_days": self.lead_days,
                "plan_days": self.plan_days,
                "actors": sorted(self.actors),
                "outlets": self.outlets,
                "voices": self.voices,
                "title_rank": list(self.title_rank) if self.title_rank is not None else None,
                "title_article": self.title_article,
            }
        )

    @classmethod
    def from_row(cls, group_id: str, first_day: str, last_day: str, vector: bytes | None, data: str) -> GroupState:
        d = json.loads(data)
        return cls(
            id=group_id,
            first_day=first_day or None,
            last_day=last_day or None,
            size=d.get("size", 0),
            vector=np.frombuffer(vector, dtype=np.float32).copy() if vector else None,
            terms=d.get("terms", {}),
            entities=d.get("entities", {}),
            names=d.get("names", {}),
            numbers=d.get("numbers", {}),
            dates=d.get("dates", {}),
            languages=d.get("languages", {}),
            days=d.get("days", {}),
            lead_days=d.get("lead_days", {}),
            plan_days=d.get("plan_days", {}),
            actors=set(d.get("actors", [])),
            outlets=d.get("outlets", {}),
            voices=d.get("voices", {}),
            title_rank=tuple(d["title_rank"]) if d.get("title_rank") is not None else None,
            title_article=d.get("title_article"),
        )

    def row(self) -> tuple[str, str, bytes | None, str]:
        """(first_day, last_day, vector, data) as the store keeps them ('' for an unknown day)."""
        vector = self.vector.astype(np.float32).tobytes() if self.vector is not None else None
        return self.first_day or "", self.last_day or "", vector, self.to_json()


# Pseudo-terms, so names, numbers, dates and entities get document frequencies like words:
# a name every article has ("Trump") weighs less than one few have ("Harop").
def _prefixed(prefix: str, items: dict[str, int] | list[str]) -> dict[str, int]:
    if isinstance(items, dict):
        return {prefix + k: c for k, c in items.items()}
    return {prefix + k: 1 for k in items}


def pseudo_terms(feats: Features) -> dict[str, int]:
    """Every term the article adds to the document frequencies."""
    return {
        **feats.terms,
        **_prefixed("@", feats.entities),
        **_prefixed("n:", feats.names),
        **_prefixed("#", feats.numbers),
        **_prefixed("", feats.dates),  # date tokens carry their own prefix ("md:", "wd:", "y:")
    }


def idf_terms(feats: Features, states: list[GroupState], epoch: int = -1) -> set[str]:
    """Every term (and pseudo-term) comparing `feats` with `states` needs: the article's, and those of
    the groups whose norms are not kept for this document-frequency epoch (-1: none are). A set: the
    document frequencies are looked up by term, in no order (sorting thousands of terms for every
    candidate list was a tenth of linking's TF-IDF; issue 13, round 16)."""
    terms = set(pseudo_terms(feats))
    for state in states:
        if state.norms is None or state.norms_epoch != epoch or epoch < 0:
            terms.update(state.terms)
            terms.update(["@" + k for k in state.entities])
            terms.update(["n:" + k for k in state.names])
            terms.update(["#" + k for k in state.numbers])
            terms.update(state.dates)
    return terms


# The TF-IDF signals: (signal, prefix of its pseudo-terms, the group's and the article's field).
_TFIDF = (("tfidf", ""), ("entities", "@"), ("names", "n:"), ("numbers", "#"), ("dates", ""))
_FIELD = {"tfidf": "terms", "entities": "entities", "names": "names", "numbers": "numbers", "dates": "dates"}


def _counts(feats: Features, signal: str) -> dict[str, int]:
    value = getattr(feats, _FIELD[signal])
    return value if isinstance(value, dict) else {k: 1 for k in value}


# 1 + log(count) of the small counts groups and articles hold, computed once (the same floats `math.log`
# gives at every call): the TF-IDF loops below took a log per term per candidate (issue 13).
_LOG_TF = [0.0] + [1 + math.log(c) for c in range(1, 4096)]


def _tf(count: int) -> float:
    try:
        return _LOG_TF[count]
    except (IndexError, TypeError):  # a large or non-integer count
        return 1 + math.log(count)


def _norm(counts: dict[str, int], prefix: str, idf: dict[str, float]) -> float:
    # The same products, squared with `** 2` (libm's pow, which differs from x * x in the last bit for
    # about 1 in 1,000 values) and summed in the same order as `sum` of a list, so the same floats; only
    # the table read inline and no "" + term for the unprefixed signals (a call and a new string per
    # term of every group, for every candidate list: issue 13, round 16). numpy would square as x * x
    # and needs the idf values gathered by a Python loop anyway.
    get, log_tf = idf.get, _LOG_TF
    try:
        if prefix:
            return math.sqrt(sum([(log_tf[c] * get(prefix + t, 0.0)) ** 2 for t, c in counts.items() if c > 0]))
        return math.sqrt(sum([(log_tf[c] * get(t, 0.0)) ** 2 for t, c in counts.items() if c > 0]))
    except (IndexError, TypeError):  # a large or non-integer count
        return math.sqrt(sum([(_tf(c) * get(prefix + t, 0.0)) ** 2 for t, c in counts.items() if c > 0]))


def group_norms(state: GroupState, idf: dict[str, float], epoch: int = -1) -> dict[str, float]:
    """The group's TF-IDF norms, computed once per change of the group and document-frequency
    epoch (see GroupState.norms); -1 computes them anew."""
    if state.norms is None or state.norms_epoch != epoch or epoch < 0:
        state.norms = {signal: _norm(getattr(state, _FIELD[signal]), prefix, idf) for signal, prefix in _TFIDF}
        state.norms_epoch = epoch
    return state.norms


# One TF-IDF signal of an article, for one document-frequency table: (term, weight, idf) of each term
# with a count, and the root of the sum of the squared weights.
ArticleTerms = tuple[list[tuple[str, float, float]], float]


def article_terms(feats: Features, idf: dict[str, float]) -> dict[str, ArticleTerms]:
    """The article's side of every TF-IDF signal (`_tfidf_against`), computed once for all its candidate
    groups: it depends on the article and the frequencies only (issue 13: it was computed per candidate)."""
    out: dict[str, ArticleTerms] = {}
    get = idf.get
    for signal, prefix in _TFIDF:
        items = []
        square = 0.0
        for t, c in _counts(feats, signal).items():
            if c <= 0:
                continue
            weight = get(prefix + t, 0.0)
            w = _tf(c) * weight
            square += w * w
            items.append((t, w, weight))
        out[signal] = (items, math.sqrt(square) if square else 0.0)
    return out


def _tfidf_against(mine: ArticleTerms, theirs: dict[str, int], norm: float) -> float:
    """The cosine of the article's TF-IDF vector (`article_terms`) with the group's, whose norm is given:
    only the article's terms are looked at."""
    items, root = mine
    if not items or not norm or not root:
        return 0.0
    dot = 0.0
    get, log_tf = theirs.get, _LOG_TF
    for t, w, weight in items:
        other = get(t, 0)
        if other > 0:
            try:  # `_tf` inline: a call per shared term of every candidate (issue 13, round 16)
                tf = log_tf[other]
            except (IndexError, TypeError):
                tf = _tf(other)
            dot += w * tf * weight
    return dot / (root * norm)


def embedding_cosine(feats: Features, state: GroupState) -> float:
    if feats.vector is None or state.vector is None:
        return 0.0
    norm = float(state.vector_norm())
    # `ndarray.dot` rather than `@`: the same BLAS dot product, without the ufunc machinery's cost (a call
    # per candidate; compare/align.py `Vectors.cosine`).
    return float(feats.vector.dot(state.vector)) / norm if norm else 0.0


def usual_days(state: GroupState) -> list[str]:
    """The group's usual known days: those with at least half as many articles as its busiest day.

    Not its whole range: a group that wrongly took in an article of another
    day would otherwise stretch its range and welcome every day in between.
    """
    if not state.days:
        return [d for d in (state.first_day, state.last_day) if d]
    top = max(state.days.values())
    return [d for d, c in state.days.items() if c * 2 >= top]


def _day_of_year(month_day: str) -> int:
    """ "MM-DD" (or an ISO day's tail) as a day number of a year without 29 February."""
    return _DAYS_BEFORE[int(month_day[-5:-3]) - 1] + int(month_day[-2:])


def lead_gap(feats: Features, state: GroupState) -> int | None:
    """Days (year-agnostic) between the article's day, else its lead day, and the group's usual days,
    else its usual lead days: None when either side has neither.

    Most real articles carry no publication date, and without one every
    candidate looked equally near in time; the lead day (link/days.py) is a
    guess, so it feeds the time signal only and never chooses candidates.
    """
    mine = feats.day or feats.lead_day
    theirs = usual_days(state) or usual_lead_days(state)
    if not mine or not theirs:
        return None
    a = _day_of_year(mine)
    return min(min(abs(a - b), 365 - abs(a - b)) for b in (_day_of_year(d) for d in theirs))


def usual_lead_days(state: GroupState, support: int = 1) -> list[str]:
    """The group's usual lead days (named first by at least half as many articles as its commonest
    one), none when fewer than `support` articles share its commonest: one article's is a guess."""
    if not state.lead_days:
        return []
    top = max(state.lead_days.values())
    if top < support:
        return []
    return [d for d, c in state.lead_days.items() if c * 2 >= top]


def groups_lead_gap(one: GroupState, other: GroupState, support: int = 2) -> int | None:
    """Days (year-agnostic) between two groups' usual lead days, None when either has no lead day
    that `support` of its articles share.

    One article's first named day is a week or more off its event for a fifth
    of the dev articles (recaps and deadlines named first), but the lead day
    several reports of one event share is consistent: 8 of 13 dated "Liberation
    Day" reports lead with 2 April, 5 of 6 "90-day pause" reports with 9 April.
    """
    mine, theirs = usual_lead_days(one, support), usual_lead_days(other, support)
    if not mine or not theirs:
        return None
    days = [_day_of_year(d) for d in theirs]
    return min(min(abs(a - b), 365 - abs(a - b)) for a in (_day_of_year(d) for d in mine) for b in days)


def gap_days(day: str, state: GroupState) -> int | None:
    """Days between `day` and the nearest of the group's usual days, None when it has none."""
    days = usual_days(state)
    if not days:
        return None
    target = date.fromisoformat(day)
    return min(abs((target - date.fromisoformat(d)).days) for d in days)


def _calendar_days(tokens: list[str] | dict[str, int], days: tuple[str | None, ...]) -> set[int]:
    """Day-of-year numbers of "md:" tokens and ISO days (year-agnostic: mentioned days rarely give one)."""
    out = set()
    for token in tokens:
        if token.startswith("md:"):
            month, day = int(token[3:5]), int(token[6:8])
            out.add(_DAYS_BEFORE[month - 1] + day)
    for iso in days:
        if iso:
            out.add(_DAYS_BEFORE[int(iso[5:7]) - 1] + int(iso[8:10]))
    return out


_DAYS_BEFORE = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)
_FAR_DAYS = 3  # an event spans a day or two; its reports name days within a few days of it


def date_far(feats: Features, state: GroupState) -> float:
    """1 when the article and the group both name days and none of the article's lies within a few
    days of the group's usual ones: "April 9" is not the week of "July 12", whatever else matches."""
    mine = _calendar_days(feats.dates, (feats.day,))
    # The group's usual days: named by at least a quarter of its articles, and its known days.
    theirs = _calendar_days([t for t, c in state.dates.items() if c * 4 >= state.size], tuple(usual_days(state)))
    if not mine or not theirs:
        return 0.0
    gap = min(min(abs(a - b), 365 - abs(a - b)) for a in mine for b in theirs)
    return 1.0 if gap > _FAR_DAYS else 0.0


def _latest(days: set[int]) -> int | None:
    if not days:
        return None
    ordered = sorted(days)
    if ordered[-1] - ordered[0] > 182:  # December and January: January is later
        return max(d for d in ordered if d <= 182) + 365
    return ordered[-1]


def date_later(feats: Features, state: GroupState) -> float:
    """1 when the latest day the article names lies more than a few days after every day the group
    names: a report of a later happening recaps the earlier one ("after the 22 April attack"),
    never the other way round."""
    mine = _latest(_calendar_days(feats.dates, (feats.day,)))
    theirs = _latest(_calendar_days(list(state.dates), tuple(d for d in (state.first_day, state.last_day) if d)))
    if mine is None or theirs is None:
        return 0.0
    return 1.0 if mine - theirs > _FAR_DAYS else 0.0


def atypical(cosine: float, state: GroupState) -> float:
    """How much further the article lies from the group's centre than its members do on average
    (for unit vectors that average is |sum| / n), rescaled like the embedding signal.

    A group that took in articles of several happenings has a wide spread and
    a blurred centre that looks close to everything; measured against its own
    spread, an article of yet another happening still stands out.
    """
    if state.vector is None or state.size < 2:
        return 0.0
    spread = float(state.vector_norm()) / state.size
    return max(0.0, spread - cosine) / (1 - _EMBEDDING_FLOOR)


def signals(
    feats: Features,
    state: GroupState,
    idf: dict[str, float],
    *,
    time_scale: float,
    epoch: int = -1,
    lead_days: bool = False,
    terms: dict[str, ArticleTerms] | None = None,
) -> dict[str, float]:
    """The similarity signals between an article and a group, each in 0..1 (see the module doc).

    `lead_days`: where the article or the group has no known day, time is measured from lead days
    (`lead_gap`) instead of counting as undated. `terms`: `article_terms(feats, idf)`, when the
    caller compares the article with several groups under one `idf`.
    """
    same_language = state.languages.get(feats.language, 0) > 0
    norms = group_norms(state, idf, epoch)
    if terms is None:
        terms = article_terms(feats, idf)
    cosine = embedding_cosine(feats, state)
    emb = max(0.0, (cosine - _EMBEDDING_FLOOR) / (1 - _EMBEDDING_FLOOR))
    gap = gap_days(feats.day, state) if feats.day else None
    if gap is None and lead_days:
        gap = lead_gap(feats, state)
    return {
        "embedding": emb if same_language else 0.0,
        "embedding_cross": 0.0 if same_language else emb,
        "cross": 0.0 if same_language else 1.0,
        **{
            signal: (
                _tfidf_against(terms[signal], getattr(state, _FIELD[signal]), norms[signal])
                if signal != "tfidf" or same_language
                else 0.0
            )
            for signal, _prefix in _TFIDF
        },
        "date_far": date_far(feats, state),
        "date_later": date_later(feats, state),
        "atypical": atypical(cosine, state) if same_language else 0.0,
        "time": 1.0 / (1 + gap / time_scale) if gap is not None else 0.0,
        "undated": 0.0 if gap is not None else 1.0,
    }


def score(sig: dict[str, float], weights: SignalWeights) -> float:
    """The fitted logit: above 0 the article more likely belongs to the group than not."""
    return weights.bias + sum(getattr(weights, name) * sig[name] for name in SIGNALS)


def shortlist(feats: Features, states: list[GroupState], top: int) -> list[GroupState]:
    """The `top` candidates closest by embedding (all of them when there are few): the costly
    word and name comparisons run on these only, so a crowded day costs no more than a quiet one."""
    if len(states) <= top or feats.vector is None:
        return states
    with_vector = [s for s in states if s.vector is not None]
    if len(with_vector) <= top:
        return states
    matrix = np.stack([s.unit() for s in with_vector])
    order = np.argsort(-(matrix @ feats.vector), kind="stable")[:top]
    return [with_vector[i] for i in sorted(order)]
