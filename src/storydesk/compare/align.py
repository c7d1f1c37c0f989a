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
from functools import lru_cache

import numpy as np

from storydesk.compare.actors import name_key
from storydesk.compare.memo import Outcome, PairMemo, article_fingerprint, fingerprint
from storydesk.compare.roles import bodies_agree
from storydesk.compare.statements import Statement, named_kind, said
from storydesk.read import numbers
from storydesk.settings import CompareSettings

# Candidate pairs come from the inverted index of rare stems only: a stem in
# more than this share of the statements (and more than a handful) is too
# common to suggest a match on its own, and skipping it keeps a 50-article
# story fast. It still counts in the similarity once a pair is a candidate.
_CANDIDATE_MAX_SHARE = 0.1
_CANDIDATE_MIN_DF = 8
# Float error between a cosine summed in a matrix product and one pair's dot product is
# ~1e-6 for unit vectors; this margin keeps skipping a pair exact.
_SLACK = 1e-4
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
    same_pairs: set[tuple[int, int]] = field(default_factory=set)  # statement ids found to say the same
    # Ids of statements another voice carries in other words, even if not closely enough to corroborate.
    carried: set[int] = field(default_factory=set)
    carriers: dict[int, list[Statement]] = field(default_factory=dict)  # carried id -> the statements carrying it
    attribution: list[Pair] = field(default_factory=list)  # same words, different named speakers
    numbers: list[Pair] = field(default_factory=list)  # same quantity, incompatible values
    weights: Weights | None = None


class Weights:
    """IDF weights of content stems over the statements of one story.

    Aligning a story scores every candidate pair, twice (single-source veto and relation):
    the weight of each stem, the total of each statement's stems and each pair's score are
    therefore computed once and kept (the sums run in the same order, so scores are the same
    to the last bit as summing afresh). That made alignment ~3x cheaper on 200-article
    stories (docs/benchmarks.md, issue 13)."""

    def __init__(self, statements: list[Statement], common_voices: int = 4) -> None:
        self.df: Counter[str] = Counter()
        for s in statements:
            self.df.update(s.terms)
        self.n = max(1, len(statements))
        self._unseen = math.log(1 + self.n)
        self._weight = {t: math.log(1 + self.n / df) for t, df in self.df.items()}
        self._totals: dict[frozenset[str], float] = {}
        self._pairs: dict[tuple[frozenset[str], frozenset[str]], tuple[float, int]] = {}
        # How many voices give each number: a number most outlets give is the story's subject ("30%
        # tariffs"), not an anchor telling one of its facts from another.
        voices: dict[str, set[str]] = defaultdict(set)
        for s in statements:
            for number in s.numbers:
                voices[number].add(s.voice or s.article)
        self.number_voices = {number: len(v) for number, v in voices.items()}
        self.voices = max(1, len({s.voice or s.article for s in statements}))
        self.common_voices = common_voices

    def rare_number(self, numbers: frozenset[str]) -> bool:
        """Whether one of `numbers` is not the story's common number: a number is common when more than
        half the story's voices give it, and at least `common_voices` of them (settings
        `common_number_voices`). "Most outlets" means something only among enough outlets: in an event of
        three, all three giving "three airbases" is one fact corroborated, not the event's subject (issue
        10, round 6: such a quote was listed as single-source); among seven, five giving "30%" is."""
        return any(
            not (count >= self.common_voices and count * 2 > self.voices)
            for count in (self.number_voices.get(n, 0) for n in numbers)
        )

    def __call__(self, term: str) -> float:
        return self._weight.get(term, self._unseen)

    def _sum(self, terms: frozenset[str]) -> float:
        # fsum: exact whatever the order, and a set of strings iterates in an order that
        # changes from process to process (hash seeds), so a plain sum made scores, and
        # near-tied findings, differ between an ingest and a batch job's workers.
        weight, unseen = self._weight, self._unseen
        return math.fsum(weight.get(t, unseen) for t in terms)

    def _total(self, terms: frozenset[str]) -> float:
        total = self._totals.get(terms)
        if total is None:
            total = self._totals[terms] = self._sum(terms)
        return total

    def similarity(self, a: frozenset[str], b: frozenset[str]) -> tuple[float, int]:
        """(score, shared stem count): the mean of the covered share of the shorter side and Dice."""
        key = (a, b)
        known = self._pairs.get(key)
        if known is not None:
            return known
        shared = a & b
        if not shared:
            result = 0.0, 0
        else:
            w_shared = self._sum(shared)
            w_a, w_b = self._total(a), self._total(b)
            cover = w_shared / min(w_a, w_b)
            dice = 2 * w_shared / (w_a + w_b)
            result = (cover + dice) / 2, len(shared)
        self._pairs[key] = result
        return result

    def covered(self, part: frozenset[str], whole: frozenset[str]) -> tuple[float, int]:
        """How much of `part` (weighted) occurs in `whole`: a short quote inside a longer sentence."""
        shared = part & whole
        if not shared:
            return 0.0, 0
        return self._sum(shared) / self._total(part), len(shared)


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
    "about", "around", "roughly", "approximately", "some", "an estimated", "estimated",
)  # fmt: skip
# Just under the number: "almost eight hours" is 7.2-8 hours, not 8.5.
_QUALIFIER_NEAR: tuple[str, ...] = ("nearly", "almost", "close to", "just shy of")
# How far "around" reaches for a clock time, in minutes: "around 3 pm" is 2:50-3:10,
# so "around 2:30 PM" and "around 3 pm" tell two times (a relative tolerance of a
# time of day means nothing: 10 % of 3 pm is 90 minutes).
_CLOCK_ROUGH_MINUTES = 10.0


def value_range(s: Statement, tolerance: float) -> tuple[float, float]:
    """The values a claim allows: "about" the whole tolerance either way, "almost" up to the
    whole tolerance below, "over" anything above,
    "between" its ends; a plain number what its written precision allows (half its last non-zero
    place: "26" is 25.5-26.5, a count; "1,100" 1,050-1,150), at most half the tolerance,
    and a scaled number its last digit ("$1 trillion")."""
    assert s.value is not None
    v = s.value
    q = (s.qualifier or "").lower()
    if q.startswith(_QUALIFIER_UP):
        return v, math.inf
    if q.startswith(_QUALIFIER_DOWN):
        return -math.inf if v < 0 else 0.0, v
    if (s.unit or "").startswith("clock"):  # a time of day: "5 PM" is 17:00 sharp
        spread = _CLOCK_ROUGH_MINUTES if q.startswith(_QUALIFIER_ROUGH + _QUALIFIER_NEAR) else 0.0
        return v - spread, v + (0.0 if q.startswith(_QUALIFIER_NEAR) else spread)
    if q.startswith(_QUALIFIER_NEAR):
        return v - abs(v) * tolerance, v
    rough = q.startswith(_QUALIFIER_ROUGH)
    spread = abs(v) * tolerance if rough else min(_precision(v), abs(v) * tolerance / 2)
    spread = max(spread, _rounding(s.quantity))
    return v - spread, v + spread


def _precision(value: float) -> float:
    """Half the place of the last non-zero digit of a whole number (0.05 for a decimal)."""
    if value != int(value):
        return 0.05
    n, place = abs(int(value)), 1
    while n and n % 10 == 0:
        n //= 10
        place *= 10
    return place / 2


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


def _candidates(
    statements: list[Statement], close: set[tuple[int, int]] | None = None, fresh: set[int] | None = None
) -> set[tuple[int, int]]:
    """Pairs of statements from different articles sharing a rare stem, two claims of one unit,
    or two statements whose vectors are close enough for any embedding rule (`close`).
    `fresh`: only pairs holding one of these statements (and `close`), for an event compared again."""
    postings: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(statements):
        for term in s.terms:
            postings[term].append(i)
    limit = candidate_limit(len(statements))
    pairs: set[tuple[int, int]] = set()
    for ids in postings.values():
        if len(ids) <= limit:
            _pairs_of(statements, ids, fresh, pairs)
    pairs |= close or set()
    by_unit: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(statements):
        if s.kind == "claim" and s.unit:
            by_unit[s.unit].append(i)
    for ids in by_unit.values():
        _pairs_of(statements, ids, fresh, pairs)
    return pairs


def candidate_limit(count: int) -> int:
    """How many of `count` statements a stem may be in and still suggest candidate pairs (`_candidates`)."""
    return max(_CANDIDATE_MIN_DF, int(_CANDIDATE_MAX_SHARE * count))


def _pairs_of(statements: list[Statement], ids: list[int], fresh: set[int] | None, pairs: set[tuple[int, int]]) -> None:
    """Add to `pairs` the pairs (i < j) of `ids` (increasing) of two articles; with `fresh`, only those holding
    one of its statements, found from them (testing every pair of a large event cost as much as a full
    compare's enumeration; issue 13, round 10)."""
    if fresh is None:
        for x, i in enumerate(ids):
            for j in ids[x + 1 :]:
                if statements[i].article != statements[j].article:
                    pairs.add((i, j))
        return
    for i in ids:
        if i in fresh:
            for j in ids:
                if statements[i].article != statements[j].article:
                    pairs.add((i, j) if i < j else (j, i))


def _still_candidate(
    statements: list[Statement], i: int, j: int, weights: Weights, vectors: Vectors | None, low: float
) -> bool:
    """Whether `_candidates` pairs statements i and j (an event compared again recalls its old pairs: a
    stem they share may have become too common for a candidate as the event grew)."""
    a, b = statements[i], statements[j]
    limit = candidate_limit(len(statements))
    if any(weights.df[t] <= limit for t in a.terms & b.terms):
        return True
    if a.kind == b.kind == "claim" and a.unit and a.unit == b.unit:
        return True
    cosine = vectors.cosine(a, b) if vectors is not None else None
    return cosine is not None and cosine >= low


class Vectors:
    """Statement vectors (compare/embed.py) and the cosines between them."""

    def __init__(self, vectors: dict[int, np.ndarray], settings: CompareSettings) -> None:
        self.vectors = vectors
        self.settings = settings

    def cosine(self, a: Statement, b: Statement) -> float | None:
        va, vb = self.vectors.get(a.id), self.vectors.get(b.id)
        if va is None or vb is None:
            return None
        # `ndarray.dot`, not `@`: both end in BLAS's one dot product routine (the same floats; checked on
        # 300,000 pairs of statement vectors), but `@` goes through the ufunc machinery, 1.9 against 1.1 us a
        # call, and a dense event asks for hundreds of thousands of pairs' cosines (issue 13, round 16).
        return float(va.dot(vb))

    def close_pairs(self, statements: list[Statement]) -> set[tuple[int, int]]:
        """Index pairs (i < j) of statements of different articles within reach of an embedding rule."""
        low = min(self.settings.cross_embedding, self.settings.single_veto_cross_embedding)
        return {pair for pair, cosine in self.pair_cosines(statements, low).items() if cosine >= low}

    def pair_cosines(
        self, statements: list[Statement], low: float, rows: set[int] | None = None
    ) -> dict[tuple[int, int], np.float32]:
        """Index pairs (i < j) of statements of different articles with a cosine of at least `low`
        (kept as numpy scalars, so comparing them with a threshold rounds as the matrix does).
        `rows`: only pairs holding one of these statements (an event compared again, compare/memo.py)."""
        index = [i for i, s in enumerate(statements) if s.id in self.vectors]
        if len(index) < 2:
            return {}
        matrix = np.stack([self.vectors[statements[i].id] for i in index])
        if rows is not None:
            return self._pair_cosines_of(statements, index, matrix, low, rows)
        cosines = matrix @ matrix.T
        out = {}
        for x, y in zip(*np.nonzero(np.triu(cosines >= low, k=1)), strict=True):
            i, j = index[int(x)], index[int(y)]
            if statements[i].article != statements[j].article:
                out[i, j] = cosines[x, y]
        return out

    @staticmethod
    def _pair_cosines_of(
        statements: list[Statement], index: list[int], matrix: np.ndarray, low: float, rows: set[int]
    ) -> dict[tuple[int, int], np.float32]:
        # Only the rows of `rows`: the cost grows with the new statements, not with the event's square.
        picked = [x for x, i in enumerate(index) if i in rows]
        if not picked:
            return {}
        cosines = matrix[picked] @ matrix.T
        out = {}
        for r, y in zip(*np.nonzero(cosines >= low), strict=True):
            i, j = index[picked[int(r)]], index[int(y)]
            if statements[i].article != statements[j].article:
                out[min(i, j), max(i, j)] = cosines[r, y]
        return out


def numbers_agree(a: Statement, b: Statement) -> bool:
    """Two statements that both give numbers must give a common one: "26 killed" is not "28 killed"."""
    return not (a.numbers and b.numbers) or bool(a.numbers & b.numbers)


def actors_agree(a: Statement, b: Statement) -> bool:
    """Two statements that both name actors must share one: "Trump said" is not "Putin said"."""
    return not (a.actors and b.actors) or bool(a.actors & b.actors)


def _anchored(a: Statement, b: Statement) -> bool:
    """Whether two statements in two languages share something language-independent: a number, a
    name, or a speaker (two quotes of one linked actor)."""
    same_speaker = a.kind == b.kind == "quote" and a.actor is not None and a.actor == b.actor
    return same_speaker or bool(a.numbers & b.numbers) or bool(a.names & b.names)


def _by_meaning(
    a: Statement,
    b: Statement,
    vectors: Vectors | None,
    w: Weights,
    settings: CompareSettings,
    *,
    paraphrase_only: bool = False,
) -> float | None:
    """The cosine when two statements say the same by meaning: close vectors plus evidence in the words
    (two shared content stems in one language; a shared number or name across two), with numbers
    and named actors agreeing. None otherwise."""
    if vectors is None:
        return None
    cosine = vectors.cosine(a, b)
    if cosine is None or not numbers_agree(a, b) or not actors_agree(a, b):
        return None
    if a.language != b.language:
        return cosine if _anchored(a, b) and cosine >= settings.cross_embedding else None
    score, shared = w.similarity(a.terms, b.terms)
    needed = settings.quote_embedding if "quote" in (a.kind, b.kind) else settings.event_embedding
    if shared >= settings.min_shared_terms and cosine >= needed and not paraphrase_only:
        return cosine
    paraphrase = (
        cosine >= settings.paraphrase_embedding
        and score >= settings.paraphrase_similarity
        and shared >= settings.paraphrase_shared_terms
    )
    return cosine if paraphrase else None


def cosine_matters(a: Statement, b: Statement, w: Weights, settings: CompareSettings, limit: int) -> bool:
    """Whether the cosine of two statements of different articles could change how `align` takes their pair:
    False only when the pair's outcome (`_outcome`, and whether it is scored at all) is the same whatever
    their cosine and without one (issue 13, round 11: compare embeds a statement only when some pair of it
    may need its vector, compare/embed.py `needing_vectors`). `w`: the story's weights; `limit`: the
    candidate limit of `_candidates`. Each clause is the precondition of a rule that reads a cosine, or
    of a pair being scored only because of one:

    - candidacy: a pair sharing no rare stem (nor two claims of one unit) is scored only with a close
      cosine (`close_pairs`), and then the word rules may fire: two shared stems, or `quoted_in`;
    - `_loosely_same` (two voices; not for two named speakers' quotes; decided by `quoted_in` first):
      one speaker or one body with numbers agreeing; across languages, `_anchored`; in one language,
      unless the words alone suffice, the rule for no vector at hand (names, numbers, three stems), the
      rule of close vectors and some words, the rule of the same numbers and a name or word;
    - `_relate` by meaning (`_by_meaning`): a quote and a quote of one speaker, a quote and an event, two
      events, with numbers and actors agreeing, anchored across languages, two shared stems in one.

    A pair below all of these reaches no rule reading its cosine, and is scored (or not) alike with or
    without it: scoring it, when only a cosine makes it a candidate, finds nothing, since every rule left
    needs two shared stems, a shared anchor or `quoted_in` (tests/test_compare_embed.py checks this
    against `_outcome` at every threshold)."""
    shared = a.terms & b.terms
    n = len(shared)
    rare = any(w.df[t] <= limit for t in shared) or (a.kind == b.kind == "claim" and bool(a.unit) and a.unit == b.unit)
    cross = a.language != b.language
    words: list[tuple[str, float] | None] = []  # _relate by words alone, found once when needed

    def by_words() -> tuple[str, float] | None:
        if not words:
            words.append(_relate(a, b, w, settings))
        return words[0]

    if not rare and (
        quoted_in(a, b)
        or (
            n >= settings.min_shared_terms
            and not cross
            and w.similarity(a.terms, b.terms)[0] >= settings.single_veto_similarity
        )
        or (n >= settings.min_shared_terms and by_words() is not None)
    ):
        return True  # a pair only a close cosine makes a candidate, which a rule of words would then take
    # _relate by meaning: only where the words found no relation (it tries them first), and a rule by meaning
    # may apply (`_by_meaning`: numbers and actors agreeing; anchored across languages, stems shared in one).
    kinds = {a.kind, b.kind}
    meaning = (
        kinds == {"quote", "event"}
        or kinds == {"event"}
        or (kinds == {"quote"} and bool(a.actor) and a.actor == b.actor)
    )
    least = min(settings.min_shared_terms, settings.paraphrase_shared_terms)
    if (
        meaning
        and numbers_agree(a, b)
        and actors_agree(a, b)
        and (_anchored(a, b) if cross else n >= least)
        and by_words() is None
    ):
        return True
    # _loosely_same
    if a.voice == b.voice or (rare and quoted_in(a, b)):
        return False
    if a.kind == b.kind == "quote" and a.actor and b.actor and a.actor != b.actor:
        return False
    if numbers_agree(a, b) and (one_speaker(a, b) or one_body(a, b)):
        return True
    if cross:
        return _anchored(a, b)
    if n == 0 and not (a.numbers & b.numbers):
        return False  # every rule left needs a shared stem or a shared number
    score, _ = w.similarity(a.terms, b.terms)
    if n >= settings.min_shared_terms and score >= settings.single_veto_similarity:
        return False  # the words alone decide
    small, large = sorted((a.numbers, b.numbers), key=len)
    if small and (small <= large or any(":" in x for x in small & large)) and (a.names & b.names or n):
        return True  # same numbers (and the no-vector anchor rule, which needs them too)
    return bool(n) and score >= settings.single_veto_embedding_similarity


def _loosely_same(a: Statement, b: Statement, w: Weights, vectors: Vectors | None, settings: CompareSettings) -> bool:
    """Whether two statements may well report the same thing, however worded (a veto on single-source).

    Looser than corroboration, but each rule needs two kinds of evidence that agree, since a
    short story's sentences all share its words and lie close by vector: many words in common;
    or close vectors with some words in common; or close vectors, one side's numbers all in the
    other and a name or word in common (one fact told in other words: "a 30% tax on EU and
    Mexican imports"); across two languages, close vectors anchored by a shared number or name.
    """
    if quoted_in(a, b):
        return True
    if a.kind == b.kind == "quote" and a.actor and b.actor and a.actor != b.actor:
        # Two named speakers' words are two statements, however close in meaning ("Putin is now responsible
        # for ending his aggression" / "Hopefully, President Putin will agree"); the same words given to
        # both are an attribution conflict (compare/conflicts.py), not one statement.
        return False
    cosine = vectors.cosine(a, b) if vectors is not None else None
    speaker = cosine is not None and cosine >= settings.single_veto_speaker_embedding and one_speaker(a, b)
    body = cosine is not None and cosine >= settings.single_veto_body_embedding and one_body(a, b)
    if (speaker or body) and numbers_agree(a, b):
        # One speaker's statement told by two outlets in words with nothing rare in common ("This is not
        # fully mutual" / "This is not complete reciprocal"): the speaker agrees, so the vectors alone may
        # say it, at a cosine that different statements of one speaker do not reach (settings). A spokesman's
        # words credited by another outlet to the body he speaks for ("DG ISPR said" / "Pakistan's military
        # announced") are one speaker's words too (`one_body`).
        return True
    if a.language != b.language:
        return cosine is not None and _anchored(a, b) and cosine >= settings.single_veto_cross_embedding
    score, shared = w.similarity(a.terms, b.terms)
    if shared >= settings.min_shared_terms and score >= settings.single_veto_similarity:
        return True
    small, large = sorted((a.numbers, b.numbers), key=len)
    if cosine is None and small and small <= large and any(map(_specific, small)) and a.names & b.names and shared >= 3:
        # One fact in other words, told apart by its anchors where no vector is at hand (long articles
        # embed their first sentences only): a specific number, a name and three more words in common
        # ("Trump said more than 75 countries ..." / "Trump attributed ... 75 countries").
        return True
    if cosine is None:
        return False
    if cosine >= settings.single_veto_embedding and score >= settings.single_veto_embedding_similarity and shared:
        return True
    # One side's numbers all stated by the other ("many more than 75" / "over 75 countries asked"),
    # and something else in common: a name or a content word.
    # A clock time in common counts as much: it is specific to one happening, and a time is often given with
    # its conversions to other zones by one outlet only ("17:00 IST (7:00 a.m. ET)" / "5:00 PM (15:30 GMT+4)").
    same_clock = bool(small) and not small <= large and any(":" in n for n in small & large)
    same_numbers = bool(small) and (small <= large or same_clock) and bool(a.names & b.names or shared)
    if not same_numbers:  # most pairs: the common-number test below is not needed (issue 13, round 16)
        return False
    # A number most of the story's outlets give is its subject ("30% tariffs"): it tells no fact apart, so
    # the vectors must be as close as words-and-vectors ask ("retaliation would be added to the 30%" is not
    # "he is levying tariffs of 30%", cosine 0.87; "a 34 percent tariff on Chinese goods" is "China will
    # face a 34% tariff").
    needed = settings.single_veto_cross_embedding if w.rare_number(small & large) else settings.single_veto_embedding
    return cosine >= needed


# The words that tell an outlet's own sentence reports what someone said ("Trump said China must stop ...",
# "the ministry confirmed ..."), as written. Hand-written: compare runs on stored records without a parse, so
# read/cues.py's lemmas cannot be matched, and its lexicon holds verbs that are mostly nouns or other verbs
# outside a parse ("charges", "post", "order", "point"); these inflected forms are speech in any news sentence.
_SPEECH_WORDS = frozenset(
    """
    said says told tells stated added adds claimed claims insisted insists warned warns announced announces
    confirmed confirms assured assures stressed stresses declared declares wrote writes tweeted asserted
    asserts reiterated reiterates denied denies explained explains argued argues acknowledged admitted
    vowed vows urged urges accused accuses according
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_WORDS = re.compile(r"[a-z]+")


def reports_speech(s: Statement) -> bool:
    """Whether a sentence reports what someone said (a speech verb as written, see `_SPEECH_WORDS`)."""
    return not _SPEECH_WORDS.isdisjoint(_WORDS.findall(s.text.lower()))


def one_speaker(a: Statement, b: Statement) -> bool:
    """Whether two statements give words of one named speaker: two quotes of one actor, or a quote and another
    outlet's sentence that names its speaker and reports speech ("Trump says China must stop ...")."""
    if a.kind == b.kind == "quote":
        return a.actor is not None and a.actor == b.actor
    quote, other = (a, b) if a.kind == "quote" else (b, a)
    return (
        quote.kind == "quote"
        and other.kind == "event"
        and quote.actor is not None
        and quote.actor in other.actors
        and reports_speech(other)
    )


def one_body(a: Statement, b: Statement) -> bool:
    """Whether a quote's speaker speaks for the body another voice's sentence credits with saying something
    (issue 10): "DG ISPR Ahmed Sharif Chaudhry" and "Pakistan's military announced ...". The countries the
    sentence names with the body must be among those the speaker's titles name: "the Indian Army said" is not
    a Pakistani spokesman, and a speaker whose titles name no country is carried only by a body named without
    one (compare/roles.py `mark_bodies`, `bodies_agree`)."""
    quote, other = (a, b) if a.kind == "quote" else (b, a)
    return (
        quote.kind == "quote"
        and other.kind == "event"
        and bool(quote.speaks_for and other.speaks_for)
        and bodies_agree(quote.speaks_for, other.speaks_for)
        and other.speaks_for_countries <= quote.speaks_for_countries
    )


_NON_WORD = re.compile(r"\W+")


@lru_cache(maxsize=65536)
def _folded(text: str) -> str:
    lowered = _NEGATION.sub(_not, text.lower())
    return " " + _NON_WORD.sub(" ", lowered).strip() + " "


# An English negative contraction written out ("shouldn’t" / "should not"): one outlet quotes "But one
# shouldn’t be too proud", another "but one should not be too proud" (round 14: one remark, listed as
# single-source). "won't" and "can't" change their stem.
_NEGATION = re.compile(r"\b(\w+?)n['’]t\b|\bcannot\b")
_NEGATED_STEM = {"wo": "will", "ca": "can", "sha": "shall"}


def _not(match: re.Match[str]) -> str:
    stem = match.group(1)
    return "can not" if stem is None else f"{_NEGATED_STEM.get(stem, stem)} not"


# Words in quotation marks inside a statement: “many more than 75”, "nothing is over yet".
_QUOTED_SPAN = re.compile(r"[“\"]([^“”\"]{6,300})[”\"]")


def quoted_in(a: Statement, b: Statement) -> bool:
    """Whether one statement is a quote of three words or more, or holds words of that length in quotation
    marks, that the other carries word for word: two outlets quoting "many more than 75" report one remark,
    whatever else their sentences say."""
    return _carries_quote_of(a, b) or _carries_quote_of(b, a)


def _carries_quote_of(quoting: Statement, other: Statement) -> bool:
    """Whether `other` carries word for word one of `quoting`'s quoted spans (`quoted_in`, one direction)."""
    # A loop, not `any` over a generator, and `other` folded only when there are spans: a dense event asks this
    # of a few hundred thousand pairs, most of them holding no quoted words (issue 13, round 16).
    spans = quoted_spans(quoting.text, quoting.kind == "quote")
    if spans:
        folded = _folded(other.text)
        for span in spans:
            if span in folded:
                return True
    return False


@lru_cache(maxsize=65536)
def quoted_spans(text: str, is_quote: bool) -> tuple[str, ...]:
    """The folded spans of three words or more `quoted_in` looks for: the quote itself, and words in
    quotation marks. Kept per text (with `_folded`'s): a statement meets hundreds of others in a large
    event, and folding its words again for each pair was a tenth of compare (issue 13, round 10)."""
    spans = [text] if is_quote else []
    spans += _QUOTED_SPAN.findall(text)
    return tuple(_folded(span) for span in spans if len(span.split()) >= 3)


def carried_parts(
    statements: list[Statement],
    carriers: dict[int, list[Statement]],
    weights: Weights,
    classes: dict[int, int] | None = None,
) -> set[int]:
    """Ids of statements lying inside a carried statement of their article (a quote or claim in a sentence
    another voice carries) that the carrier carries for their own content: they are carried too.

    A report is one hierarchy: when another outlet carries "Pakistan said that three of its airbases were
    targeted", the reported words inside it are not "only one outlet reports this" either (issue 10: the
    sentence was carried, its quote listed as single-source). A part is held to its own content, though,
    since a sentence may carry two statements and the other voice only one of them ("Trump said X, from the
    Rose Garden" / "Trump said Y, from the Rose Garden"): see `_part_agrees`.

    `classes`: statement id -> a number shared only by statements saying the same (`_Twins.classes`), to try
    each carrier's copies once; without it, carriers are told apart by what `_part_agrees` reads."""
    by_article: dict[str, list[Statement]] = defaultdict(list)
    for s in statements:
        if s.start is not None and s.end is not None:
            by_article[s.article].append(s)
    by_id = {s.id: s for s in statements}
    out: set[int] = set()
    for whole_id, partners in carriers.items():
        whole = by_id.get(whole_id)
        if whole is None or whole.start is None or whole.end is None:
            continue
        parts = [
            s
            for s in by_article[whole.article]
            if s.id != whole.id and whole.start <= (s.start or 0) and (s.end or 0) <= whole.end
        ]
        if not parts:
            continue
        speakers = {s.actor for s in parts if s.kind == "quote" and s.actor}
        # Copies carrying a sentence repeat one another: each distinct carrier (as `_part_agrees` reads it) once.
        if classes is not None:
            distinct = list({classes[p.id]: p for p in partners}.values())
        else:
            distinct = list({_carrier_key(p): p for p in partners}.values())
        for part in parts:
            if part.id not in carriers and any(_part_agrees(part, whole, p, speakers, weights) for p in distinct):
                out.add(part.id)
    return out


def _carrier_key(carrier: Statement) -> tuple[object, ...]:
    """All of a carrier `_part_agrees` reads."""
    return carrier.kind, carrier.actor, carrier.terms, carrier.numbers, carrier.names, carrier.actors


def _part_agrees(part: Statement, whole: Statement, carrier: Statement, speakers: set[str], w: Weights) -> bool:
    """Whether `carrier` (another voice's statement carrying `whole`, the sentence holding `part`) carries
    `part` too: what the carrier shares with the sentence lies in the part at least as much as in the rest
    of it (two content stems or rare numbers at least: "the 30%" the whole story gives tells nothing, see
    Weights.rare_number); it gives every number the part gives (a sentence carried for its other words does
    not carry "two aircraft" when it says "one jet"); and a part's speaker is the carrier's (when it names
    one) or among the actors it names (when it names any)."""

    def shared(terms: frozenset[str], numbers: frozenset[str]) -> int:
        words = {t for t in terms & carrier.terms if not any(c.isdigit() for c in t)}  # numbers count below
        return len(words) + sum(w.rare_number(frozenset({n})) for n in numbers & carrier.numbers)

    own = shared(part.terms, part.numbers)
    if own < 2 or own < shared(whole.terms - part.terms, whole.numbers - part.numbers):
        return False
    if not part.numbers <= carrier.numbers or (part.names and carrier.names and not part.names & carrier.names):
        return False
    if part.kind == "quote" and part.actor:
        if carrier.kind == "quote" and carrier.actor and carrier.actor != part.actor:
            return False  # the other outlet gives these words (or words like them) to someone else
        if carrier.kind == "claim":
            return False  # a claim names no actors (statements.py): its sentence's event statement speaks for it
        if carrier.actors and part.actor not in carrier.actors:
            # The carrier names who acts or speaks, and not this speaker: "India said three of its aircraft
            # crashed" is not carried by "Pakistan's military claimed five jets, including three Rafales"
            # (nor one speaker of a sentence quoting two by a sentence naming the other one).
            return False
    return True


def _specific(number: str) -> bool:
    """A number that tells one fact from another: not a small count ("two", "9"), which any sentence has."""
    return not number.isdigit() or int(number) >= 10


def _relate(
    a: Statement, b: Statement, w: Weights, settings: CompareSettings, vectors: Vectors | None = None
) -> tuple[str, float] | None:
    """How two statements of different articles relate: ("same" | "attribution" | "number", score) or None."""
    kinds = {a.kind, b.kind}
    if kinds == {"quote"}:
        score, shared = w.similarity(a.terms, b.terms)
        if a.actor and b.actor and a.actor != b.actor:
            attributable = _attributable(a) and _attributable(b) and not _overlapping_names(a, b)
            if attributable and shared >= settings.min_shared_terms and score >= settings.attribution_similarity:
                return "attribution", score
            return None
        if shared >= settings.min_shared_terms and score >= settings.quote_similarity and numbers_agree(a, b):
            return "same", score
        # By meaning only with the speaker named on both sides: unnamed words could be anyone's.
        meaning = _by_meaning(a, b, vectors, w, settings) if a.actor and a.actor == b.actor else None
        return ("same", meaning) if meaning is not None else None
    if kinds == {"quote", "event"}:
        quote, event = (a, b) if a.kind == "quote" else (b, a)
        if quote.actor is not None and not event.actors:
            # The other outlet tells the quote's content as a fact, naming no one ("negotiators are
            # on their way"): the same statement by meaning only, and only when vectors and words both
            # say so (close vectors alone join a quote to any sentence on its subject).
            meaning = _by_meaning(a, b, vectors, w, settings, paraphrase_only=True)
            return ("same", meaning) if meaning is not None else None
        if quote.actor is None or quote.actor not in event.actors:
            return None
        score, shared = w.covered(quote.terms, event.terms)
        if shared >= settings.min_shared_terms and score >= settings.quote_similarity and numbers_agree(a, b):
            return "same", score
        meaning = _by_meaning(a, b, vectors, w, settings)
        return ("same", meaning) if meaning is not None else None
    if kinds == {"event"}:
        score, shared = w.similarity(a.terms, b.terms)
        needed = settings.event_similarity if a.actors & b.actors else settings.event_similarity_no_actor
        if shared >= settings.min_shared_terms and score >= needed and numbers_agree(a, b) and actors_agree(a, b):
            return "same", score
        meaning = _by_meaning(a, b, vectors, w, settings)
        return ("same", meaning) if meaning is not None else None
    if kinds == {"claim"}:
        if not a.unit or a.unit != b.unit:
            return None
        # The sentences must tell the same thing; the subjects, when reading
        # gives them, must share a word beyond the unit itself ("doses" of what).
        sentence, shared = w.similarity(a.terms, b.terms)
        quantity = same_quantity(a, b)
        needed = settings.same_quantity_similarity if quantity else settings.claim_similarity
        if quantity and _kind_anchored(a, b, settings):
            needed = 0.0
        if shared < settings.min_shared_terms or sentence < needed:
            return None
        score = sentence
        terms_a, terms_b = quantity_terms(a), quantity_terms(b)
        if terms_a and terms_b:
            subject, _ = w.similarity(terms_a, terms_b)
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
        if not quantity or _other_parties(a, b):
            return None
        return "number", score
    return None


def _kind_anchored(a: Statement, b: Statement, settings: CompareSettings) -> bool:
    """Whether two counts of one named kind and one predicate ("downing Rafale aircraft" / "Rafale jets
    downed") sit in sentences about the same actors: they share a name besides the kind, and words
    besides the quantity's own. Then the quantity itself says that both count one thing, and the
    sentences need not be alike as wholes: one outlet writes the count into a long lede, another into
    a short line of its own (news_stories_2025 c03, sentence similarity 0.15)."""
    kind = named_kind(a.subject, a.unit)
    if not kind:
        return False
    kind_names = {n for n in a.names if n[1:] and kind.lower().startswith(n[1:])}
    others = (a.terms & b.terms) - a.subject_terms
    return len(others) >= settings.min_shared_terms and bool((a.names & b.names) - kind_names)


def _other_parties(a: Statement, b: Statement) -> bool:
    """Whether two lengths of a call or of talks name different parties, each a person the other does
    not ("Trump and Putin held a 90-minute call" / "Trump and Zelensky held a two-hour call"): two
    happenings, not one length given twice. One naming a part of the other's parties may be the same."""
    if a.unit != "duration" or not (a.persons and b.persons):
        return False
    return bool(a.persons - b.persons) and bool(b.persons - a.persons)


def same_quantity(a: Statement, b: Statement) -> bool:
    """Whether two claims of one unit count the same thing: the same subject words (see _relate).

    Equal, not merely overlapping: "Walgreens wasted 2.6 million doses" is a
    part of "15.1 million doses wasted", "children killed" a part of "people killed".
    """
    terms = quantity_terms(a)
    return bool(terms) and terms == quantity_terms(b) and not _relative(a) and not _relative(b)


# What a duration measures, in the words news uses for it: the length of "seven-hour talks", of "nearly
# 10 hours of negotiations" and of "talks that lasted almost eight hours" is one quantity; so is the length
# of "a 90-minute phone call" and of "they spoke for two hours by phone". Hand-written (a parse gives a
# different head noun or verb for each wording, and no library lists them); kept to the two happenings
# whose length outlets report and disagree on, so a meeting, a flight or a siege keeps its own words.
_TALKS = frozenset({"talk", "negoti", "discuss", "dialogu"})
_CALL_WORDS = frozenset({"call", "phone", "telephon", "convers"})
_SPOKE = frozenset({"spoke", "speak", "talk", "convers", "call", "phone", "telephon"})
_CALL = re.compile(r"\b(?:phone |telephone )?calls?\b", re.IGNORECASE)


def quantity_terms(s: Statement) -> frozenset[str]:
    """The words that say which quantity a claim counts (its subject's stems), with a duration's happening
    folded to one word: "call" when the subject is a call or conversation, or a speaking verb in a sentence
    about a phone call; "talks" when it is talks, negotiations or discussions; else the subject as read."""
    terms = s.subject_terms
    if s.unit != "duration":
        return terms
    # "call" is a stop word to the term index (spaCy's list), so it is looked for as written
    # (in the sentence only for a speaking verb: "talks lasted seven hours after Trump's call" are talks)
    said_call = bool(_CALL.search(s.subject or ""))
    spoke_in_call = terms & _SPOKE and (s.terms & _CALL_WORDS or ("talk" not in terms and _CALL.search(s.text)))
    if said_call or terms & _CALL_WORDS - {"talk"} or spoke_in_call:
        return frozenset({"call"})
    if terms & _TALKS:
        return frozenset({"talk"})
    return terms


# Counted nouns that take their meaning from the count before them: "one civilian was killed and
# five others injured" counts a different group in every sentence, so two such counts are never
# one quantity (the same holds in any story, whatever the group).
_RELATIVE_UNITS = frozenset({"other", "others", "more", "another"})


def _relative(s: Statement) -> bool:
    return (s.unit or "").lower() in _RELATIVE_UNITS


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


def _mentioned_by_both(
    a: Statement, b: Statement, claims: dict[str, list[Statement]], settings: CompareSettings
) -> bool:
    """Whether each article also gives the other's value (same unit): then they tell two quantities apart.

    Only a count of the same named kind counts: "five jets, including three Rafales" does not give
    the value of "two of the jets are Rafales" through its "three fighter jets" (issue 10)."""

    def gives(article: str, other: Statement) -> bool:
        kind = named_kind(other.subject, other.unit).lower()
        return any(
            s.unit == other.unit
            and values_agree(s, other, settings.number_tolerance)
            and named_kind(s.subject, s.unit).lower() == kind
            for s in claims.get(article, ())
        )

    return gives(a.article, b) or gives(b.article, a)


def _outcome(
    a: Statement,
    b: Statement,
    near: bool,
    claims: dict[str, list[Statement]],
    weights: Weights,
    vectors: Vectors | None,
    settings: CompareSettings,
) -> Outcome:
    """How the candidate pair (a, b) bears on the alignment: (loosely the same, relation or None, score,
    each article gives the other's number). `near`: their cosine is within reach of an embedding rule.
    `claims`: the story's claims by article."""
    # Every rule below needs two shared stems or a cosine within reach of an embedding
    # threshold: a candidate pair with neither is skipped before any scoring (most pairs of a
    # large story share one rare stem and nothing else; same results, issue 13).
    if len(a.terms & b.terms) < settings.min_shared_terms and not near and not quoted_in(a, b):
        return False, None, 0.0, False
    loose = a.voice != b.voice and _loosely_same(a, b, weights, vectors, settings)
    related = _relate(a, b, weights, settings, vectors)
    if related is None:
        return loose, None, 0.0, False
    relation, score = related
    if relation != "same" and a.voice and a.voice == b.voice:
        # A copy and its original (or one outlet twice) is one voice: it contradicts no one.
        return loose, None, 0.0, False
    mentioned = relation == "number" and _mentioned_by_both(a, b, claims, settings)
    return loose, relation, score, mentioned


class _Twins:
    """The outcome of each pair scored in one alignment, by what its two sides say (every field but the
    id and the article, and the vector), so that a pair of the same two statements in other articles
    takes it again: copies and wire reports repeat an article's sentences, and in an event of many
    copies each new statement met every copy of every other (issue 13, round 10: 390,000 pairs scored
    for a batch of 500). `_outcome` reads the articles only to tell whether each gives the other's
    number, which is found again for every pair."""

    def __init__(self, statements: list[Statement], vectors: Vectors | None) -> None:
        self.statements = statements
        self.vectors = vectors.vectors if vectors is not None else {}
        # Each article's claims, found once (they were a scan of the whole event for every pair of numbers).
        self.claims: dict[str, list[Statement]] = defaultdict(list)
        for s in statements:
            if s.kind == "claim":
                self.claims[s.article].append(s)
        self.keys: dict[int, tuple[str, bytes | None]] = {}
        self.outcomes: dict[tuple[tuple[str, bytes | None], tuple[str, bytes | None], bool], Outcome] = {}

    def key(self, i: int) -> tuple[str, bytes | None]:
        key = self.keys.get(i)
        if key is None:
            s = self.statements[i]
            vector = self.vectors.get(s.id)
            words = repr([sorted(v) if isinstance(v, frozenset) else v for v in said(s)])
            key = self.keys[i] = (words, None if vector is None else vector.tobytes())
        return key

    def classes(self, memo: PairMemo | None) -> list[int]:
        """Each statement's class: one number per distinct `key` (with a memo, its fingerprint, the digest of
        the same) and whether it is of an article the memo's last compare did not hold (`PairMemo.new`)."""
        number: dict[tuple[object, bool], int] = {}
        if memo is None:
            return [number.setdefault((self.key(i), False), len(number)) for i in range(len(self.statements))]
        return [number.setdefault(key, len(number)) for key in zip(memo.prints, memo.new, strict=True)]

    def outcome(
        self, i: int, j: int, near: bool, weights: Weights, vectors: Vectors | None, settings: CompareSettings
    ) -> Outcome:
        key = (self.key(i), self.key(j), near)
        a, b = self.statements[i], self.statements[j]
        known = self.outcomes.get(key)
        if known is None:
            known = self.outcomes[key] = _outcome(a, b, near, self.claims, weights, vectors, settings)
            return known
        loose, relation, score, _ = known
        return loose, relation, score, relation == "number" and _mentioned_by_both(a, b, self.claims, settings)


def _begin(memo: PairMemo, statements: list[Statement], vectors: Vectors | None) -> None:
    """Start `memo` on these statements: each one's fingerprint (what it says, and its vector's bytes), its
    article, and, for a stored state of round 9-10's form, its fingerprint of then."""
    held = vectors.vectors if vectors is not None else {}
    prints = []
    for s in statements:
        vector = held.get(s.id)
        prints.append(fingerprint(s, None if vector is None else vector.tobytes()))
    old = [article_fingerprint(s, s.id in held) for s in statements] if memo.by_article is not None else None
    memo.begin(prints, [s.article for s in statements], old)


def _still_candidates(
    statements: list[Statement], memo: PairMemo, weights: Weights, vectors: Vectors | None, low: float
) -> set[tuple[int, int]]:
    """The pairs of the memo's stored pairs that are still candidates (`_still_candidate`), which is decided
    once for each stored pair of fingerprints: it reads only what the two statements hold (words, kind, unit,
    vector)."""
    return memo.recalled_pairs(lambda i, j: _still_candidate(statements, i, j, weights, vectors, low))


def align(
    statements: list[Statement],
    settings: CompareSettings,
    vectors: Vectors | None = None,
    memo: PairMemo | None = None,
    weights: Weights | None = None,
) -> Alignment:
    """Cluster the statements that report the same thing; collect the pairs that disagree.

    `memo`: the event's pairs as its last compare scored them (compare/memo.py); a pair of two
    statements it knows takes its stored outcome, and the memo collects this alignment's outcomes.
    `weights`: `Weights` of these `statements` (and `settings.common_number_voices`), if built already."""
    if weights is None:
        weights = Weights(statements, settings.common_number_voices)
    result = Alignment()
    same: list[tuple[float, int, int]] = []  # (-score, i, j) of the pairs found to say the same
    # A candidate pair is scored only with two shared stems or a cosine within reach of an
    # embedding threshold (`_outcome`). `near`: pairs whose cosine (as one matrix product) comes within _SLACK of the lowest
    # threshold; a pair outside it has a cosine below every threshold however it is summed.
    reach = min(
        settings.quote_embedding, settings.event_embedding, settings.paraphrase_embedding,
        settings.cross_embedding, settings.single_veto_embedding, settings.single_veto_cross_embedding,
        settings.single_veto_speaker_embedding, settings.single_veto_body_embedding,
    )  # fmt: skip
    fresh: set[int] | None = None  # with a memo of the event's last compare: statements it did not score
    if memo is not None:
        _begin(memo, statements, vectors)
        if not memo.full:
            fresh = {i for i in range(len(statements)) if memo.is_fresh(i)}
    near = vectors.pair_cosines(statements, reach - _SLACK, fresh) if vectors is not None else {}
    low = min(settings.cross_embedding, settings.single_veto_cross_embedding)
    close = {pair for pair, cosine in near.items() if cosine >= low}  # as Vectors.close_pairs
    if memo is not None:  # the known pairs that mattered apply again, if still candidates
        close |= _still_candidates(statements, memo, weights, vectors, low)
    twins = _Twins(statements, vectors)
    # Each pair's outcome is taken once per pair of classes (what the two statements say, with their vectors,
    # and whether each is of a new article): that is all `PairMemo.recall` and `_Twins` read, so the copies of a
    # pair take it again (the cosine's reach is still asked per pair, as `_Twins` keys it). Only whether each
    # article gives the other's number is found per pair. In an event of 900 copies of a few dozen texts the
    # candidate pairs are millions, and recalling each one was a third of this loop (issue 13, round 12).
    classes = twins.classes(memo)
    old = memo.old if memo is not None else set()  # a version-1 state's statements: recalled pair by pair
    # (class, class) -> [recalled, scored far, scored near] (and a fourth item once the recalled one is kept)
    taken: dict[tuple[int, int], list[Outcome | None]] = {}
    ids = [s.id for s in statements]
    carried, carriers, same_pairs = result.carried, result.carriers, result.same_pairs
    claims = twins.claims
    for i, j in _candidates(statements, close, fresh):
        pair = (classes[i], classes[j])
        entry = None if i in old and j in old else taken.get(pair)
        if entry is None:
            entry = [memo.recall(i, j) if memo is not None else None, None, None]
            if not (i in old and j in old):
                taken[pair] = entry
        outcome = entry[0]
        scored = outcome is None
        if outcome is None:
            close_by = (i, j) in near
            outcome = entry[2 if close_by else 1]
            if outcome is None:
                outcome = entry[2 if close_by else 1] = twins.outcome(i, j, close_by, weights, vectors, settings)
            if memo is not None:
                memo.scored += 1
        loose, relation, score, mentioned = outcome
        if relation == "number":  # whether each article gives the other's number: of these two articles
            mentioned = _mentioned_by_both(statements[i], statements[j], claims, settings)
            outcome = (loose, relation, score, mentioned)
        # A recalled outcome is kept once per pair of classes: the memo keeps the first one recalled for a pair
        # of fingerprints (unless one is scored), and every copy pair of a class pair recalls the same.
        if memo is not None and (loose or relation is not None) and (scored or len(entry) == 3):
            memo.keep(i, j, outcome, scored=scored)
            if not scored and not (i in old and j in old):
                entry.append(None)  # kept
        if loose:
            a, b = statements[i], statements[j]
            carried.add(ids[i])
            carried.add(ids[j])
            carriers.setdefault(ids[i], []).append(b)
            carriers.setdefault(ids[j], []).append(a)
        if relation is None:
            continue
        if relation == "same":
            same.append((-score, i, j))
            same_pairs.add((ids[i], ids[j]))
        elif relation == "attribution":
            result.attribution.append(Pair(statements[i], statements[j], score))
        elif not mentioned:
            result.numbers.append(Pair(statements[i], statements[j], score))
    # Greedy merging, best pairs first. A cluster holds at most one statement
    # per article, and two clusters merge only when at least half of the
    # pairs across them match: chains of loosely similar sentences (A like B,
    # B like C, C like D) do not swallow a whole story.
    # Copies of one statement are not merged as one node with a multiplicity (issue 13, round 11): that is
    # exact only if the greedy order always puts every copy of a statement in one cluster, and it need not.
    # Two copies of a statement need not be a candidate pair (when a text's copies are more than a tenth of
    # the event, its stems are too common for one), so copies may join clusters one by one through other
    # statements, in the index order of tied pairs; and with two sentences of one text that say the same (a
    # headline and its lead), a cluster may take one of them from each copy, as one statement per article
    # allows, which no node of identical statements can stand for.
    cluster_of = list(range(len(statements)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(statements))}
    articles: dict[int, set[str]] = {i: {s.article} for i, s in enumerate(statements)}
    weakest: dict[int, float] = {}
    # between[a][b]: how many matching pairs join clusters a and b, kept up to date as clusters merge
    # (counting them member by member at each merge cost 80 % of compare on an 876-article event of
    # copies; docs/benchmarks.md, round 9).
    between: dict[int, dict[int, int]] = defaultdict(dict)
    for _score, i, j in same:  # each candidate pair once, i < j (two articles)
        between[i][j] = between[j][i] = 1
    same.sort()  # (-score, i, j): best first, ties by index
    for negative, i, j in same:
        score = -negative
        ci, cj = cluster_of[i], cluster_of[j]
        if ci == cj or not articles[ci].isdisjoint(articles[cj]):
            continue
        if between[ci].get(cj, 0) * 2 < len(members[ci]) * len(members[cj]):
            continue
        if len(members[ci]) < len(members[cj]):
            ci, cj = cj, ci
        for k in members[cj]:
            cluster_of[k] = ci
        members[ci].extend(members.pop(cj))
        articles[ci] |= articles.pop(cj)
        for k, n in between.pop(cj).items():
            between[k].pop(cj)
            if k != ci:
                between[ci][k] = between[k][ci] = between[ci].get(k, 0) + n
        weakest[ci] = min(score, weakest.get(ci, 1.0), weakest.pop(cj, 1.0))
    result.clusters = [
        Cluster(sorted((statements[k] for k in ids), key=lambda s: (KIND_RANK[s.kind], s.id)), weakest.get(root, 1.0))
        for root, ids in sorted(members.items())
    ]
    result.weights = weights
    result.carried |= carried_parts(statements, result.carriers, weights, dict(zip(ids, classes, strict=True)))
    # Ties in score by statement ids: the candidates are a set, whose order depends on which pairs it holds,
    # and an event compared again holds other pairs (recalled, not enumerated) than a full compare.
    result.attribution.sort(key=lambda p: (-p.score, p.a.id, p.b.id))
    result.numbers.sort(key=lambda p: (-p.score, p.a.id, p.b.id))
    return result
