"""What compare remembers of an event between batches, so a new member costs only its own pairs (issue 13).

Aligning an event scores its candidate statement pairs (compare/align.py), and the pairs grow with the
square of the event's statements: an event of 50 articles compared again for each batch that adds two
cost ~50 ms per new article at 10k stored (docs/benchmarks.md). It cannot be incremental and exact,
because alignment weighs stems by their rarity within the event (`align.Weights`): each new member
changes, a little, every pair's score.

So compare keeps, per event, the outcome of every pair that mattered (the same, loosely the same,
another speaker's words, another number) under a fingerprint of each side, and the fingerprints of all
statements it scored. On the next batch a pair of two known statements takes its stored outcome (a known
pair not stored mattered not), and only pairs with a new or changed statement are scored, with the
event's current weights. How that differs from a full compare of the grown event:
- an old pair keeps the outcome (and score) it had with the weights of its time: stems that have
  become rarer or commoner since may have moved its score across a threshold;
- the event's common numbers (`Weights.rare_number`) are those of its time for old pairs;
- two old statements that were no candidate pair then stay unscored (a candidate shares a stem held
  by at most a tenth of the event's statements, so a stem can become rare enough only in an event
  of more than 80 statements). The other way round is followed: an old pair whose stems have all
  become too common is dropped, as a full compare would (`align._still_candidate`).
All of it drifts only as the event grows, so the whole event is aligned afresh once it holds
`full_recompare_growth` more statements than at its last full compare, and on `storydesk relink`;
a full compare is exactly the compare without a memo (tests/test_compare_memo.py).

Round 11: the state is kept by what a statement says, not by article (its fingerprint leaves out the id
and the article, and holds the vector's bytes): copies and wire reports repeat an article's sentences,
and an event of 900 copies of a few dozen texts stored every pair of copies that mattered (28 MB of
state for 114 events at 10k stored; docs/benchmarks.md). Now a pair of the same two statements in any
two articles is stored once (with the outcome scored last), so the state grows with the event's
distinct statements, and a pair of two old articles' statements is recalled whichever copies hold it
(only whether each article gives the other's number is found again for each pair of articles).
A new article's pairs are still scored with the event's weights of now, as before, but once for each
pair of distinct statements (align._Twins): recalling them too was measured 16 % cheaper at 10k and
changed 2 of 114 events' reports (a pair first scored with older weights), which round 10 did not.

Which pairs are known: a pair of statements (i before j) of two known fingerprints is known when the
last alignment held a copy of i's statement in an article before one holding j's (every candidate pair
of that alignment that mattered is stored; one not stored mattered not). So the state keeps, for each
fingerprint, the first and last article holding it, and a statement outside that span (or whose
articles have left the event), or of a new article, is fresh: its pairs are enumerated and, unless
known, scored.

The state is a small JSON document in the store (`compare_state`); it names its code version and the
settings it was made with, and is ignored when the settings differ. A state of round 9-10's form
(version 1, by article) is read once, in its own terms: each old pair keeps its stored outcome exactly as
before, and the content-keyed state is built from it (`PairMemo.begin`), so an upgrade costs no full
compare and changes no old pair.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zlib
from collections.abc import Callable
from typing import Any

from storydesk.compare.statements import Statement
from storydesk.settings import CompareSettings

# Raise when a change to compare/align.py can change a pair's outcome: every stored state is then ignored.
VERSION = 2
# Round 9-10's state: keyed by each statement of each article (`article_fingerprint`); still read.
_BY_ARTICLE = 1
# A pair's outcome: (loosely the same, relation or None, score, each article gives the other's number).
Outcome = tuple[bool, str | None, float, bool]
_NOTHING: Outcome = (False, None, 0.0, False)
_FIELDS = tuple(f.name for f in dataclasses.fields(Statement) if f.name != "id")
_CONTENT_FIELDS = tuple(name for name in _FIELDS if name != "article")


def _plain(value: Any) -> Any:
    # A frozenset of strings iterates in an order that changes between processes (hash seeds).
    return sorted(value) if isinstance(value, frozenset) else value


def fingerprint(statement: Statement, vector: bytes | None) -> str:
    """A digest of everything of `statement` that scoring a pair reads but its id and article (which
    tell copies apart, not what they say), and the bytes of its vector (None: it has none)."""
    parts = [_plain(getattr(statement, name)) for name in _CONTENT_FIELDS]
    digest = hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=12)
    digest.update(b"\0" if vector is None else b"\1" + vector)
    return digest.hexdigest()


def article_fingerprint(statement: Statement, has_vector: bool) -> str:
    """Round 9-10's fingerprint (all fields but the id, and whether it has a vector): the key of a
    version-1 state, read once after an upgrade."""
    parts = [_plain(getattr(statement, name)) for name in _FIELDS]
    parts.append(has_vector)
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=12).hexdigest()


def settings_key(settings: CompareSettings) -> str:
    return hashlib.blake2b(repr(settings).encode("utf-8"), digest_size=12).hexdigest()


class PairMemo:
    """The pair outcomes of an event's last compare (`known`, `outcomes`), read by `align`, and those of
    the alignment running now (`fresh`), to be saved. `full`: align every pair afresh (no earlier state
    is read, only written).

    `known`: fingerprint -> ids of the first and last article holding it at the last compare;
    `outcomes`: (fingerprint, fingerprint) -> (loosely the same, relation, score) of the pairs that
    mattered; `by_article`: a version-1 state (its statements' fingerprints, its pairs' outcomes)."""

    def __init__(
        self,
        *,
        known: dict[str, tuple[str, str]] | None = None,
        outcomes: dict[tuple[str, str], Outcome] | None = None,
        full_size: int = 0,
        growth: float = 0.0,
        by_article: tuple[set[str], dict[tuple[str, str], Outcome]] | None = None,
        articles: set[str] | None = None,
    ) -> None:
        self.known = known or {}
        self.before = articles or set()  # the articles of the last compare
        self.outcomes = outcomes or {}
        self.full_size = full_size  # statements at the last full compare
        self.growth = growth
        self.by_article = by_article
        self.fresh: dict[tuple[str, str], Outcome] = {}
        self.scored = 0  # pairs scored afresh by the last alignment (tests, bench)
        # The alignment running now: each statement's fingerprint, article and article rank; the known
        # span of each fingerprint in ranks of now; a version-1 state's pairs by index, and its statements.
        self.prints: list[str] = []
        self.articles: list[str] = []
        self.ranks: list[int] = []
        self.span: dict[str, tuple[int, int]] = {}
        self.exact: dict[tuple[int, int], Outcome] = {}
        self.old: set[int] = set()
        self.new: list[bool] = []  # each statement: of an article the last compare did not hold

    @property
    def full(self) -> bool:
        return not self.known and self.by_article is None

    def begin(self, prints: list[str], articles: list[str], old_prints: list[str] | None = None) -> None:
        """A new alignment of statements with these fingerprints, in these articles (in the event's order,
        grouped by article), starts: forget the last one's outcomes (and the stored ones, making this a
        full compare, when the event has grown by `growth`). `old_prints`: the statements' version-1
        fingerprints, when the stored state is of that form (`by_article`)."""
        self.prints, self.articles, self.fresh, self.scored = prints, articles, {}, 0
        rank: dict[str, int] = {}
        self.ranks = [rank.setdefault(a, len(rank)) for a in articles]
        self.span, self.exact, self.old = {}, {}, set()
        if len(prints) >= self.full_size * (1 + self.growth):
            self.known, self.outcomes, self.by_article = {}, {}, None
        if self.by_article is not None and old_prints is not None:
            self._from_articles(old_prints)
            self.before = {articles[i] for i in self.old}
        self.new = [a not in self.before for a in articles]
        if self.by_article is not None:
            return
        for p, (first, last) in self.known.items():
            if first in rank and last in rank:  # else some of its copies left the event: its pairs are scored
                self.span[p] = rank[first], rank[last]

    def _from_articles(self, old_prints: list[str]) -> None:
        """Read a version-1 state: its statements still here are known, each of its pairs keeps its own stored
        outcome (`exact`, as that version recalled it), and the content-keyed outcomes are built from them."""
        assert self.by_article is not None
        known, pairs = self.by_article
        index: dict[str, int] = {}
        for i, p in enumerate(old_prints):
            index.setdefault(p, i)
            if p in known:
                self.old.add(i)
                first, last = self.span.get(self.prints[i], (self.ranks[i], self.ranks[i]))
                self.span[self.prints[i]] = min(first, self.ranks[i]), max(last, self.ranks[i])
        for (a, b), outcome in sorted(pairs.items()):
            x, y = index.get(a), index.get(b)
            if x is not None and y is not None:
                self.exact[x, y] = outcome
                self.outcomes.setdefault((self.prints[x], self.prints[y]), outcome)

    def is_fresh(self, i: int) -> bool:
        """Whether statement i may make a pair the last compare did not see: its fingerprint is unknown, or
        it lies outside the span of articles that held it (two statements inside their spans, i before j,
        had copies in that order: first(i) <= i < j <= last(j))."""
        if self.new[i]:
            return True
        span = self.span.get(self.prints[i])
        return span is None or not span[0] <= self.ranks[i] <= span[1]

    def recall(self, i: int, j: int) -> Outcome | None:
        """The stored outcome of the pair of statements i < j, or None when it must be scored."""
        if i in self.old and j in self.old:  # two statements of a version-1 state: as it recalled them
            outcome = self.exact.get((i, j))
            return None if outcome is None and (j, i) in self.exact else outcome or _NOTHING
        if self.new[i] or self.new[j]:
            return None  # a new article's pair: scored with the event's weights of now, as before round 11
        a, b = self.prints[i], self.prints[j]
        span_a, span_b = self.span.get(a), self.span.get(b)
        if span_a is None or span_b is None or span_a[0] >= span_b[1]:
            return None  # never a pair in this order: score it
        outcome = self.outcomes.get((a, b))
        if outcome is None and (b, a) in self.outcomes:
            return None  # scored the other way round only: score it again
        return outcome or _NOTHING

    def recalled_pairs(self, still: Callable[[int, int], bool]) -> set[tuple[int, int]]:
        """Index pairs (i < j, two articles) of the statements of the stored pairs that mattered, for each
        stored pair that is `still` (a candidate): which reads only what the two statements say, so it is
        asked once, of one copy of each."""
        if not self.outcomes:
            return set()
        where: dict[str, list[int]] = {}
        for i, p in enumerate(self.prints):
            where.setdefault(p, []).append(i)
        out: set[tuple[int, int]] = set()
        ranks = self.ranks
        for a, b in self.outcomes:
            xs, ys = where.get(a), where.get(b)
            if xs is not None and ys is not None and still(xs[0], ys[0]):
                for x in xs:
                    rank = ranks[x]
                    out.update([(x, y) if x < y else (y, x) for y in ys if ranks[y] != rank])
        return out

    def keep(self, i: int, j: int, outcome: Outcome, *, scored: bool) -> None:
        """Keep the pair's outcome for the next compare, if it mattered: one scored now (with the event's
        weights of now) over one recalled for another pair of the same two statements."""
        if outcome[0] or outcome[1] is not None:
            key = self.prints[i], self.prints[j]
            if scored:
                self.fresh[key] = outcome
            else:
                self.fresh.setdefault(key, outcome)

    def dump(self, settings: CompareSettings) -> bytes:
        """The state to store after this compare."""
        order = list(dict.fromkeys(self.articles))
        spans: dict[str, list[int]] = {}
        for p, r in zip(self.prints, self.ranks, strict=True):
            span = spans.setdefault(p, [r, r])
            span[0], span[1] = min(span[0], r), max(span[1], r)
        state = {
            "version": VERSION,
            "settings": settings_key(settings),
            "full_size": len(self.prints) if self.full else self.full_size,
            "articles": order,
            "known": sorted([p, first, last] for p, (first, last) in spans.items()),
            "pairs": [[a, b, int(loose), relation, score] for (a, b), (loose, relation, score, _) in
                      sorted(self.fresh.items())],
        }  # fmt: skip
        return zlib.compress(json.dumps(state, separators=(",", ":")).encode("utf-8"))


def load(data: bytes | None, settings: CompareSettings, *, full: bool = False) -> PairMemo:
    """The memo for comparing an event again from its stored state `data`: a full one (nothing
    recalled) when there is none, it is of another version or settings, or `full` is asked (or, found
    by `PairMemo.begin`, when the event has grown by `settings.full_recompare_growth` since its last
    full compare). A version-1 state (by article) is read in its own terms (`PairMemo.begin`)."""
    if data is None or full:
        return PairMemo()
    try:
        state = json.loads(zlib.decompress(data))
    except (zlib.error, ValueError):
        return PairMemo()  # an unreadable state only costs a full compare
    if state.get("settings") != settings_key(settings):
        return PairMemo()
    try:
        if state.get("version") == _BY_ARTICLE:
            pairs = {(a, b): (bool(loose), relation, float(score), bool(mentioned)) for a, b, loose, relation,
                     score, mentioned in state["pairs"]}  # fmt: skip
            return PairMemo(
                by_article=(set(state["known"]), pairs),
                full_size=int(state["full_size"]),
                growth=settings.full_recompare_growth,
            )
        if state.get("version") != VERSION:
            return PairMemo()
        articles = state["articles"]
        return PairMemo(
            articles=set(articles),
            known={p: (articles[first], articles[last]) for p, first, last in state["known"]},
            outcomes={
                (a, b): (bool(loose), relation, float(score), False) for a, b, loose, relation, score in state["pairs"]
            },  # fmt: skip
            full_size=int(state["full_size"]),
            growth=settings.full_recompare_growth,
        )
    except (KeyError, IndexError, TypeError, ValueError):
        return PairMemo()  # a state of an unknown shape: a full compare
