"""Who is who inside one story, for comparing: an actor key per name.

The link stage gives mentions and quote speakers an entity id; compare uses it
whenever it is set. Until linking has run (or for names it left unlinked),
`ActorIndex` falls back to a key made from the name itself, merging the forms
one story uses for one person ("Trump" and "Donald Trump", "Dmitri Peskov" and
"Dmitri Peskow"). The fallback lives only here, so a better linker replaces
it by setting `entity` on the records, with no change to the rest of compare.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from anyascii import anyascii
from rapidfuzz import fuzz

from storydesk.records import Article, Entity

# Titles written before a name are not part of it ("President Putin").
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "sir",
        "dame",
        "lord",
        "lady",
        "president",
        "prime",
        "minister",
        "secretary",
        "general",
        "gen",
        "sen",
        "senator",
        "rep",
        "gov",
        "governor",
        "chancellor",
        "king",
        "queen",
        "prince",
        "pope",
        "judge",
        "justice",
        "the",
        "former",
    ]
)
# Surnames are spelled differently across outlets and transliterations
# (Peskov/Peskow, Zelensky/Zelenskyy); 80 keeps those (83, 94) and rejects
# Trump/Truss (60) and Biden/Bidet-like one-letter changes of short names.
_SURNAME_SIMILARITY = 80
_SURNAME_MIN_FUZZY = 5  # shorter surnames must match exactly


def name_key(name: str) -> str:
    """The normalised form of a name: ASCII, lower case, no titles or punctuation."""
    words = re.findall(r"[a-z0-9]+", anyascii(name).lower())
    while len(words) > 1 and words[0] in _TITLES:
        words.pop(0)
    return " ".join(words)


def _same_person(short: list[str], long: list[str]) -> bool:
    """`short` can name the same actor as `long`: same surname, compatible given names."""
    a, b = short[-1], long[-1]
    if a != b and (min(len(a), len(b)) < _SURNAME_MIN_FUZZY or fuzz.ratio(a, b) < _SURNAME_SIMILARITY):
        return False
    given_short, given_long = short[:-1], long[:-1]
    if not given_short or not given_long:
        return True
    return all(any(g == h or (len(g) == 1 and h.startswith(g)) for h in given_long) for g in given_short)


class ActorIndex:
    """Actor keys and display names for the mentions and speakers of one story."""

    def __init__(self, articles: list[Article], entities: Iterable[Entity] | None = None) -> None:
        self._entity_names = {e.id: e.name for e in entities or ()}
        names: set[str] = set()
        for article in articles:
            names.update(m.name for m in article.mentions if m.type in ("person", "organization", "group") and m.name)
            names.update(q.speaker for q in article.quotes if q.speaker)
        self._key_of: dict[str, str] = {}
        self._display: dict[str, str] = {}
        # Longest names first, so "Trump" folds into "Donald Trump", not the reverse.
        canon: list[tuple[list[str], str]] = []
        for name in sorted(names, key=lambda n: (-len(name_key(n)), n)):
            words = name_key(name).split()
            if not words:
                continue
            match = next((key for long, key in canon if _same_person(words, long)), None)
            if match is None:
                match = " ".join(words)
                canon.append((words, match))
                self._display[match] = name
            self._key_of[name] = match
        # A name linked in one place stands for that entity where it was left unlinked.
        self._linked: dict[str, str] = {}
        for article in articles:
            for m in article.mentions:
                if m.entity and m.name in self._key_of:
                    self._linked.setdefault(self._key_of[m.name], m.entity)

    def key(self, name: str | None, entity: str | None = None) -> str | None:
        """The actor key: the entity id when linked, else the story-level name key."""
        if entity:
            return entity
        if not name:
            return None
        key = self._key_of.get(name) or name_key(name)
        return self._linked.get(key, key) or None

    def display(self, key: str | None, fallback: str | None = None) -> str | None:
        if key is None:
            return fallback
        return self._entity_names.get(key) or self._display.get(key) or fallback or key
