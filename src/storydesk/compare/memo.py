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

The state is a small JSON document in the store (`compare_state`); it names its code version and the
settings it was made with, and is ignored when either differs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import zlib
from typing import Any

from storydesk.compare.statements import Statement
from storydesk.settings import CompareSettings

# Raise when a change to compare/align.py can change a pair's outcome: every stored state is then ignored.
VERSION = 1
# A pair's outcome: (loosely the same, relation or None, score, each article gives the other's number).
Outcome = tuple[bool, str | None, float, bool]
_FIELDS = tuple(f.name for f in dataclasses.fields(Statement) if f.name != "id")


def _plain(value: Any) -> Any:
    # A frozenset of strings iterates in an order that changes between processes (hash seeds).
    return sorted(value) if isinstance(value, frozenset) else value


def fingerprint(statement: Statement, has_vector: bool) -> str:
    """A digest of everything of `statement` that scoring a pair reads (all but its id, which depends
    on the other members), and whether it has a vector."""
    parts = [_plain(getattr(statement, name)) for name in _FIELDS]
    parts.append(has_vector)
    return hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=12).hexdigest()


def settings_key(settings: CompareSettings) -> str:
    return hashlib.blake2b(repr(settings).encode("utf-8"), digest_size=12).hexdigest()


class PairMemo:
    """The pair outcomes of an event's last compare (`known`, `outcomes`), read by `align`, and those of
    the alignment running now (`fresh`), to be saved. `full`: align every pair afresh (no earlier state
    is read, only written)."""

    def __init__(
        self,
        *,
        known: set[str] | None = None,
        outcomes: dict[tuple[str, str], Outcome] | None = None,
        full_size: int = 0,
        growth: float = 0.0,
    ) -> None:
        self.known = known or set()
        self.outcomes = outcomes or {}
        self.full_size = full_size  # statements at the last full compare
        self.growth = growth
        self.fresh: dict[tuple[str, str], Outcome] = {}
        self.seen: set[str] = set()
        self.scored = 0  # pairs scored afresh by the last alignment (tests, bench)

    @property
    def full(self) -> bool:
        return not self.known

    def begin(self, prints: list[str]) -> None:
        """A new alignment of statements with these fingerprints starts: forget the last one's outcomes
        (and the stored ones, making this a full compare, when the event has grown by `growth`)."""
        if len(prints) >= self.full_size * (1 + self.growth):
            self.known, self.outcomes = set(), {}
        self.fresh = {}
        self.seen = set(prints)
        self.scored = 0

    def recall(self, a: str, b: str) -> Outcome | None:
        """The stored outcome of the pair (a, b), or None when it must be scored."""
        if a not in self.known or b not in self.known:
            return None
        outcome = self.outcomes.get((a, b))
        if outcome is None and (b, a) in self.outcomes:
            return None  # scored the other way round (members reordered): score it again
        return outcome or (False, None, 0.0, False)

    def recalled_pairs(self, prints: list[str]) -> set[tuple[int, int]]:
        """Index pairs (i < j) into `prints` of the stored pairs that mattered, both sides still there."""
        if not self.outcomes:
            return set()
        index: dict[str, int] = {}
        for i, p in enumerate(prints):
            index.setdefault(p, i)
        out = set()
        for a, b in self.outcomes:
            x, y = index.get(a), index.get(b)
            if x is not None and y is not None:
                out.add((min(x, y), max(x, y)))
        return out

    def keep(self, a: str, b: str, outcome: Outcome) -> None:
        if outcome[0] or outcome[1] is not None:
            self.fresh[a, b] = outcome

    def dump(self, settings: CompareSettings) -> bytes:
        """The state to store after this compare."""
        state = {
            "version": VERSION,
            "settings": settings_key(settings),
            "full_size": len(self.seen) if self.full else self.full_size,
            "known": sorted(self.seen),
            "pairs": [[a, b, int(loose), relation, score, int(mentioned)] for (a, b), (loose, relation, score, mentioned)
                      in sorted(self.fresh.items())],
        }  # fmt: skip
        return zlib.compress(json.dumps(state, separators=(",", ":")).encode("utf-8"))


def load(data: bytes | None, settings: CompareSettings, *, full: bool = False) -> PairMemo:
    """The memo for comparing an event again from its stored state `data`: a full one (nothing
    recalled) when there is none, it is of another version or settings, or `full` is asked (or, found
    by `PairMemo.begin`, when the event has grown by `settings.full_recompare_growth` since its last
    full compare)."""
    if data is None or full:
        return PairMemo()
    try:
        state = json.loads(zlib.decompress(data))
    except (zlib.error, ValueError):
        return PairMemo()  # an unreadable state only costs a full compare
    if state.get("version") != VERSION or state.get("settings") != settings_key(settings):
        return PairMemo()
    outcomes = {(a, b): (bool(loose), relation, float(score), bool(mentioned)) for a, b, loose, relation, score,
                mentioned in state["pairs"]}  # fmt: skip
    return PairMemo(
        known=set(state["known"]),
        outcomes=outcomes,
        full_size=int(state["full_size"]),
        growth=settings.full_recompare_growth,
    )
