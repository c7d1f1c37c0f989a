"""Align statements across the articles of a story: which ones report the same thing.

Structure first, words second. Two statements can only align when their
structure agrees (a quote with a quote of the same speaker or of an unknown
one, or with a sentence naming that speaker; a claim with a claim of the same
unit about a similar subject; an event with an event sharing an actor), and
then only when their content stems overlap enough. The overlap is weighted by
how rare each stem is among the story's statements, so "ball" and "court"
count for more than "ceasefire" in a story about a ceasefire.

The result is a set of clusters (the same statement in several articles) plus
the pairs that look alike but disagree: the same words given to two speakers,
and different numbers for one quantity.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from storydesk.compare.actors import name_key
from storydesk.compare.statements import Statement
from storydesk.read import numbers
from storydesk.settings import CompareSettings

# Candidate pairs come from the inverted index of rare stems only: a stem in
# more than this share of the statements (and more than a handful) is too
# common to suggest a match on its own, and skipping it keeps a 50-article
# story fast. It still counts in the similarity once a pair is a candidate.
_CANDIDATE_MAX_SHARE = 0.1
_CANDIDATE_MIN_DF = 8
# When one statement merges two clusters, the representative kind of a
# cluster: quotes carry the speaker's own words, so they win over a sentence.
KIND_RANK = {"quote": 0, "claim": 1, "event": 2, "role": 3}


@dataclass(slots=True)
class Pair:
    a: Statement
    b: Statement
    score: float


@dataclass(slots=True)
class Cluster:
    statements: list[Statement]  # best kind first (quote, claim, event)
    score: float = 1.0  # the weakest similarity that joined it: how sure the grouping is


@dataclass(slots=True)
class Alignment:
    clusters: list[Cluster] = field(default_factory=list)
    attribution: list[Pair] = field(default_factory=list)  # same words, different named speakers
    numbers: list[Pair] = field(default_factory=list)  # same quantity, incompatible values
    weights: Weights | None = None


class Weights:
    """IDF weights of content stems over the statements of one story."""

    def __init__(self, statements: list[Statement]) -> None:
        self.df: Counter[str] = Counter()
        for s in statements:
            self.df.update(s.terms)
        self.n = max(1, len(statements))

    def __call__(self, term: str) -> float:
        return math.log(1 + self.n / self.df.get(term, 1))

    def similarity(self, a: frozenset[str], b: frozenset[str]) -> tuple[float, int]:
        """(score, shared stem count): the mean of the covered share of the shorter side and Dice."""
        shared = a & b
        if not shared:
            return 0.0, 0
        # fsum: exact whatever the order, and a set of strings iterates in an order that
        # changes from process to process (hash seeds), so a plain sum made scores, and
        # near-tied findings, differ between an ingest and a batch job's workers.
        w_shared = math.fsum(self(t) for t in shared)
        w_a, w_b = math.fsum(self(t) for t in a), math.fsum(self(t) for t in b)
        cover = w_shared / min(w_a, w_b)
        dice = 2 * w_shared / (w_a + w_b)
        return (cover + dice) / 2, len(shared)

    def covered(self, part: frozenset[str], whole: frozenset[str]) -> tuple[float, int]:
        """How much of `part` (weighted) occurs in `whole`: a short quote inside a longer sentence."""
        shared = part & whole
        if not shared:
            return 0.0, 0
        return math.fsum(self(t) for t in shared) / math.fsum(self(t) for t in part), len(shared)


# What a qualifier says about the true value, relative to the number written.
# What a qualifier says about the true value, relative to the number written.
# "between 5 and 10" keeps only its lower bound in a claim (read/claims.py), so it bounds from below.
_QUALIFIER_UP: tuple[str, ...] = (
    "over", "more than", "at least", "above", "upwards of", "in excess of", "well over", "just over",
    "no fewer than", "no less than", "between",
)  # fmt: skip
_QUALIFIER_DOWN: tuple[str, ...] = (
    "under", "less than", "up to", "at most", "below", "fewer than", "as many as", "as much as", "no more than",
    "just under",
)  # fmt: skip
_QUALIFIER_ROUGH: tuple[str, ...] = (
    "about", "around", "nearly", "almost", "roughly", "approximately", "some", "close to", "an estimated", "estimated",
)  # fmt: skip


def value_range(s: Statement, tolerance: float) -> tuple[float, float]:
    """The values a claim allows: a plain number give or take half the rounding
    tolerance, "about" the whole tolerance, "over" anything above, "between" its ends."""
    assert s.value is not None
    v = s.value
    q = (s.qualifier or "").lower()
    if q.startswith(_QUALIFIER_UP):
        return v, math.inf
    if q.startswith(_QUALIFIER_DOWN):
        return -math.inf if v < 0 else 0.0, v
    spread = abs(v) * (tolerance if q.startswith(_QUALIFIER_ROUGH) else tolerance / 2)
    spread = max(spread, _rounding(s.quantity))
    return v - spread, v + spread


# A number with a scale word, as written: "$1 trillion", "1.2bn", "9 million".
_SCALED = re.compile(r"(\d+)(?:\.(\d+))?\s*(thousand|million|billion|trillion|mn|bn|tn|m|k)\b", re.IGNORECASE)


def _rounding(quantity: str) -> float:
    """Half the last written digit of a scaled number: "$1 trillion" stands for 0.5-1.5
    trillion, "$1.2 trillion" for 1.15-1.25 trillion. Plain numbers are taken as
    exact: "20 injured" may well be a count."""
    match = _SCALED.search(quantity)
    if match is None:
        return 0.0
    scale = numbers.SCALES[match.group(3).lower()]
    return 0.5 * scale / 10 ** len(match.group(2) or "")


def values_agree(a: Statement, b: Statement, tolerance: float) -> bool:
    """Whether two numbers can describe one quantity, given rounding and qualifiers.

    Each side allows a range (see value_range); they agree when the ranges
    meet: "more than 1,100" and "1,200" agree, "about 900" and "1,200" do not.
    """
    if a.value is None or b.value is None:
        return True
    low_a, high_a = value_range(a, tolerance)
    low_b, high_b = value_range(b, tolerance)
    return low_a <= high_b and low_b <= high_a


def _candidates(statements: list[Statement]) -> set[tuple[int, int]]:
    """Pairs of statements from different articles sharing a rare stem, or two claims of one unit."""
    postings: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(statements):
        for term in s.terms:
            postings[term].append(i)
    limit = max(_CANDIDATE_MIN_DF, int(_CANDIDATE_MAX_SHARE * len(statements)))
    pairs: set[tuple[int, int]] = set()
    for ids in postings.values():
        if len(ids) > limit:
            continue
        for x, i in enumerate(ids):
            for j in ids[x + 1 :]:
                if statements[i].article != statements[j].article:
                    pairs.add((i, j))
    by_unit: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(statements):
        if s.kind == "claim" and s.unit:
            by_unit[s.unit].append(i)
    for ids in by_unit.values():
        for x, i in enumerate(ids):
            for j in ids[x + 1 :]:
                if statements[i].article != statements[j].article:
                    pairs.add((i, j))
    return pairs


def _relate(a: Statement, b: Statement, w: Weights, settings: CompareSettings) -> tuple[str, float] | None:
    """How two statements of different articles relate: ("same" | "attribution" | "number", score) or None."""
    kinds = {a.kind, b.kind}
    if kinds == {"quote"}:
        score, shared = w.similarity(a.terms, b.terms)
        if shared < settings.min_shared_terms or score < settings.quote_similarity:
            return None
        if a.actor and b.actor and a.actor != b.actor:
            attributable = _attributable(a) and _attributable(b) and not _overlapping_names(a, b)
            if attributable and score >= settings.attribution_similarity:
                return "attribution", score
            return None
        return "same", score
    if kinds == {"quote", "event"}:
        quote, event = (a, b) if a.kind == "quote" else (b, a)
        if quote.actor is None or quote.actor not in event.actors:
            return None
        score, shared = w.covered(quote.terms, event.terms)
        if shared < settings.min_shared_terms or score < settings.quote_similarity:
            return None
        return "same", score
    if kinds == {"event"}:
        score, shared = w.similarity(a.terms, b.terms)
        needed = settings.event_similarity if a.actors & b.actors else settings.event_similarity_no_actor
        if shared < settings.min_shared_terms or score < needed:
            return None
        return "same", score
    if kinds == {"claim"}:
        if not a.unit or a.unit != b.unit:
            return None
        # The sentences must tell the same thing; the subjects, when reading
        # gives them, must share a word beyond the unit itself ("doses" of what).
        sentence, shared = w.similarity(a.terms, b.terms)
        quantity = same_quantity(a, b)
        needed = settings.same_quantity_similarity if quantity else settings.claim_similarity
        if shared < settings.min_shared_terms or sentence < needed:
            return None
        score = sentence
        if a.subject_terms and b.subject_terms:
            subject, _ = w.similarity(a.subject_terms, b.subject_terms)
            if subject < settings.claim_similarity:
                return None
            score = (sentence + subject) / 2
        if values_agree(a, b, settings.number_tolerance):
            return "same", score
        # Disagreeing numbers need one quantity on both sides: one sentence
        # often carries several of one unit ("19 Republicans joined all 50
        # Democrats", "5 killed and 20 injured"). One quantity: the same
        # subject words (counted noun, predicate, agent: read/claims.py), so
        # "people evacuated" meets "residents evacuated" but not "people
        # rescued", "civilians killed" not "soldiers killed".
        if not quantity:
            return None
        return "number", score
    return None


def same_quantity(a: Statement, b: Statement) -> bool:
    """Whether two claims of one unit count the same thing: the same subject words (see _relate).

    Equal, not merely overlapping: "Walgreens wasted 2.6 million doses" is a
    part of "15.1 million doses wasted", "children killed" a part of "people killed".
    """
    return bool(a.subject_terms) and a.subject_terms == b.subject_terms


def _attributable(quote: Statement) -> bool:
    """A quote whose speaker can be held against another's: a full direct quote of a named person.

    Partial quotes and reported speech are where speakers are most often
    misread, and "Twitter" or "the White House" may relay a person's words.
    """
    return quote.quote_kind == "direct" and quote.speaker_is_person


def _overlapping_names(a: Statement, b: Statement) -> bool:
    """Speaker names that may be one body at two granularities ("U.S. Capitol Police" and
    "Capitol Police Office of ..."): one inside the other, or two words in common."""
    x, y = set(name_key(a.actor_name or "").split()), set(name_key(b.actor_name or "").split())
    return bool(x and y) and (x <= y or y <= x or len(x & y) >= 2)


def _mentioned_by_both(a: Statement, b: Statement, statements: list[Statement], settings: CompareSettings) -> bool:
    """Whether each article also gives the other's value (same unit): then they tell two quantities apart."""

    def gives(article: str, other: Statement) -> bool:
        return any(
            s.kind == "claim"
            and s.article == article
            and s.unit == other.unit
            and values_agree(s, other, settings.number_tolerance)
            for s in statements
        )

    return gives(a.article, b) or gives(b.article, a)


def align(statements: list[Statement], settings: CompareSettings) -> Alignment:
    """Cluster the statements that report the same thing; collect the pairs that disagree."""
    weights = Weights(statements)
    result = Alignment()
    same: list[tuple[float, int, int]] = []
    for i, j in _candidates(statements):
        a, b = statements[i], statements[j]
        related = _relate(a, b, weights, settings)
        if related is None:
            continue
        relation, score = related
        if relation == "same":
            same.append((score, i, j))
        elif relation == "attribution":
            result.attribution.append(Pair(a, b, score))
        elif not _mentioned_by_both(a, b, statements, settings):
            result.numbers.append(Pair(a, b, score))
    # Greedy merging, best pairs first. A cluster holds at most one statement
    # per article, and two clusters merge only when at least half of the
    # pairs across them match: chains of loosely similar sentences (A like B,
    # B like C, C like D) do not swallow a whole story.
    cluster_of = list(range(len(statements)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(statements))}
    weakest: dict[int, float] = {}
    linked = {(i, j) for _score, i, j in same} | {(j, i) for _score, i, j in same}
    for score, i, j in sorted(same, key=lambda t: (-t[0], t[1], t[2])):
        ci, cj = cluster_of[i], cluster_of[j]
        if ci == cj:
            continue
        articles_i = {statements[k].article for k in members[ci]}
        if any(statements[k].article in articles_i for k in members[cj]):
            continue
        matching = sum((x, y) in linked for x in members[ci] for y in members[cj])
        if matching * 2 < len(members[ci]) * len(members[cj]):
            continue
        if len(members[ci]) < len(members[cj]):
            ci, cj = cj, ci
        for k in members[cj]:
            cluster_of[k] = ci
        members[ci].extend(members.pop(cj))
        weakest[ci] = min(score, weakest.get(ci, 1.0), weakest.pop(cj, 1.0))
    result.clusters = [
        Cluster(sorted((statements[k] for k in ids), key=lambda s: (KIND_RANK[s.kind], s.id)), weakest.get(root, 1.0))
        for root, ids in sorted(members.items())
    ]
    result.weights = weights
    result.attribution.sort(key=lambda p: -p.score)
    result.numbers.sort(key=lambda p: -p.score)
    return result
