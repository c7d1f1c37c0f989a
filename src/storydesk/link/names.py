"""Name keys: one spelling-independent key per name, across scripts and romanisations.

"Selenskyj" (German), "Zelensky", "Zelenskyy" and "Zelenskiy" are one man;
"Peskow" and "Peskov" one spokesman. `name_key` folds a name to ASCII with
anyascii (Cyrillic, Greek, diacritics), then applies the handful of rules
that separate the German and English romanisations of Slavic names (w/v,
j/y, sch/sh, tsch/ch, s/z, -ij/-yj/-iy/-y endings, doubled letters). The
rules are deliberately few: each one is a known correspondence between
romanisation systems, never a fuzzy match, so "Peskov"/"Pesko" and
"Gruder"/"Gruber" keep different keys (eval/eval_entities.py measures each
signal on eval/name_pairs.tsv; see docs/evaluation.md "Name keys").

`clean_name` strips what is not part of a name: a leading article, titles
and role words ("Spokesperson Dmitri Peskow", "NATO General Erhard Bühler"),
a possessive "'s".
"""

from __future__ import annotations

import functools
import re
import unicodedata

import jellyfish
from anyascii import anyascii
from rapidfuzz.distance import Indel, JaroWinkler

# Titles and role words that reading sometimes leaves at the front of a name.
# Hand-written because no installed library lists them; compared with the
# lower-cased token.
_TITLE_WORDS = frozenset(
    """
    the a an mr mrs ms miss dr prof professor sir dame lord lady herr frau president vice prime
    minister chancellor spokesperson spokesman spokeswoman secretary senator sen rep representative
    governor gov mayor general gen admiral colonel col major commander chief ceo chairman chairwoman
    chair foreign defence defense interior finance deputy former acting state king queen prince
    princess pope judge justice ambassador envoy leader minister-president bundeskanzler kanzler
    präsident sprecher sprecherin außenminister aussenminister verteidigungsminister nato un eu us
    u.s. uk
    """.split()  # noqa: SIM905 (a word list reads best as words)
)

_ARTICLES = frozenset({"the", "a", "an", "der", "die", "das", "le", "la", "les", "el"})
_LEGAL_SUFFIXES = frozenset(
    {"inc", "corp", "corporation", "co", "company", "ltd", "llc", "plc", "ag", "gmbh", "sa", "nv", "se", "group"}
)

# Ordered rewrites on the ASCII-folded, lower-cased token. Longest first so
# "tsch" is not read as "t" + "sch".
_REWRITES: tuple[tuple[str, str], ...] = (
    ("shch", "shch"),  # English for Щ: keep before "sh"/"ch" rules touch it
    ("schtsch", "shch"),  # German for Щ
    ("tsch", "ch"),  # German Ч: Tschernobyl -> chernobyl
    ("dsch", "j"),  # German for the sound English writes "j": Dschaischankar ~ Jaishankar, Dschochar ~ Dzhokhar
    ("dzh", "j"),  # English/Russian romanisation of Дж, the same sound
    ("sch", "sh"),  # German Ш: Schoigu -> shoigu
    ("kh", "ch"),  # English Х -> German "ch": Khodorkovsky ~ Chodorkowski
    ("ph", "f"),
    ("ue", "u"),  # German umlaut transcriptions: Mueller ~ Müller (anyascii gives "u")
    ("oe", "o"),  # Schroeder ~ Schröder; "ae" is left alone: Michael is not Michal
    ("x", "ks"),  # Alexei ~ Aleksei
    ("w", "v"),  # German В: Peskow -> peskov
    ("j", "y"),  # German Й/Я/Ю/Е: Jelzin, Juri, Selenskyj
    ("tz", "ts"),
    ("z", "s"),  # German "s" is Russian З, English writes "z": Selenskyj ~ Zelensky
)
# Endings of Slavic adjectival surnames and first names: -ий/-ый and their
# romanisations all fold to "i" (Zelenskyy, Zelenskiy, Selenskyj, Zelensky).
_ENDING = re.compile(r"(?:iy|yy|iyi|yi|ii|ey|ei|y)$")
_DOUBLE = re.compile(r"(.)\1+")
_NON_LETTER = re.compile(r"[^a-z\s-]")
_SPLIT = re.compile(r"[\s\-]+")


# Linking keys every mention's name several times per article and the same names recur across articles
# (issue 13: `name_key` was called ~550 times per article): the pure functions below remember their answers.
_CACHE = 1 << 16


@functools.lru_cache(maxsize=_CACHE)
def fold(text: str) -> str:
    """ASCII, lower-case, letters only: the spelling-level form of a name."""
    ascii_text = anyascii(unicodedata.normalize("NFC", text)).lower()
    return _SPLIT.sub(" ", _NON_LETTER.sub("", ascii_text.replace("'", ""))).strip()


# Lower-case words that belong to names ("Ursula von der Leyen"), not to roles.
_PARTICLES = frozenset(
    {"von", "van", "der", "den", "de", "da", "di", "del", "della", "du", "la", "le", "bin", "al", "ibn", "ten", "zu"}
)


# German writes a role as one compound noun before the name ("Kremlsprecher Dmitri Peskow",
# "Außenministerin Annalena Baerbock", "US-Präsident Donald Trump"): these are its heads.
_GERMAN_ROLE_HEADS = (
    "sprecher", "sprecherin", "minister", "ministerin", "präsident", "präsidentin", "kanzler", "kanzlerin",
    "chef", "chefin", "sekretär", "sekretärin", "botschafter", "botschafterin", "berater", "beraterin",
    "vorsitzende", "vorsitzender", "general", "premier", "bürgermeister", "bürgermeisterin",
)  # fmt: skip


def _is_role_word(token: str) -> bool:
    word = token.lower().strip(".,")
    if word in _TITLE_WORDS or (token.islower() and word not in _PARTICLES):
        return True
    return word.rsplit("-", 1)[-1].endswith(_GERMAN_ROLE_HEADS)


@functools.lru_cache(maxsize=_CACHE)
def clean_name(name: str, *, person: bool = True) -> str:
    """The name without a possessive, leading articles and, for a person, titles and role words.

    Organisations keep their words ("State Department") but lose a legal
    suffix ("Apple Inc." is "Apple").
    """
    text = re.sub(r"[’']s$", "", name.strip())
    tokens = text.split()
    if person:
        # The name follows the last title or role word: "Apple CEO Steve Jobs",
        # "Secretary of State Marco Rubio", "NATO General Erhard Bühler".
        cut = max((i + 1 for i, t in enumerate(tokens[:-1]) if _is_role_word(t)), default=0)
        tokens = tokens[cut:]
    else:
        while len(tokens) > 1 and tokens[0].lower() in _ARTICLES:
            tokens = tokens[1:]
        while len(tokens) > 1 and tokens[-1].lower().strip(".,") in _LEGAL_SUFFIXES:
            tokens = tokens[:-1]
    return " ".join(tokens).strip(" ,")


@functools.lru_cache(maxsize=_CACHE)
def token_key(token: str) -> str:
    """The romanisation-independent key of one folded token."""
    key = token
    for old, new in _REWRITES:
        key = key.replace(old, new)
    key = _DOUBLE.sub(r"\1", key)
    if len(key) > 4:
        key = _ENDING.sub("i", key)
    return key


@functools.lru_cache(maxsize=_CACHE)
def name_key(name: str, *, person: bool = True) -> str:
    """The key of a whole name: its tokens' keys joined by spaces ("" when nothing is left).

    Names in a script anyascii cannot read fold to "" and therefore never
    share a key with anything; `entities` then keys them by their own text.
    """
    return " ".join(token_key(t) for t in fold(clean_name(name, person=person)).split())


def surname_key(name: str) -> str:
    """The key of the last token (the surname of a person's name)."""
    key = name_key(name)
    return key.rsplit(" ", 1)[-1] if key else ""


def similarity(a: str, b: str) -> float:
    """Jaro-Winkler similarity (0..1) of two folded names; a measured signal, not a merge rule."""
    return JaroWinkler.similarity(fold(a), fold(b))


def phonetic_key(name: str) -> str:
    """Metaphone of the name key: an English sound key, measured against `name_key`."""
    return " ".join(jellyfish.metaphone(t) for t in name_key(name).split())


def initials_compatible(first_a: str, first_b: str) -> bool:
    """Whether two first-name keys may be one person: equal, or one is the other's initial."""
    if not first_a or not first_b:
        return True
    if len(first_a) == 1 or len(first_b) == 1:
        return first_a[0] == first_b[0]
    return first_a == first_b


_VOWELS = frozenset("aeiouy")


def transliteration_variant(first_a: str, first_b: str, *, min_similarity: float = 0.8, min_length: int = 4) -> bool:
    """Whether two given-name keys are two romanisations of one name ("ahmad"/"ahmed", "mohammad"/"muhammad",
    "yusuf"/"yousuf", "husain"/"hussein"), issue 10.

    Arabic, Urdu and Persian names are written without short vowels, so their
    romanisations differ in the vowels between the same consonants. Two keys
    are variants when their consonants are the same in the same order, they
    end in the same letter (a differing last vowel marks another name in many
    languages: "Mario"/"Maria", "Daniel"/"Daniele"), both are at least
    `min_length` letters, and rapidfuzz's normalised Indel similarity reaches
    `min_similarity` (settings.py `LinkSettings.given_name_variant_similarity`).
    Hand-written because no installed library compares romanisations of
    Arabic-script names; rapidfuzz gives the distance, the consonant skeleton
    keeps it from joining different names that are merely close ("Karin"/"Karen"
    have the same skeleton, but a short name is left alone by `min_length`, and
    such pairs still need the rest of the name to agree at the caller).
    """
    if first_a == first_b:
        return True
    if min(len(first_a), len(first_b)) < min_length or first_a[-1] != first_b[-1]:
        return False
    skeleton_a = _DOUBLE.sub(r"\1", "".join(c for c in first_a if c not in _VOWELS))
    skeleton_b = _DOUBLE.sub(r"\1", "".join(c for c in first_b if c not in _VOWELS))
    if not skeleton_a or skeleton_a != skeleton_b:
        return False
    return Indel.normalized_similarity(first_a, first_b) >= min_similarity


def same_name_variants(tokens_a: list[str], tokens_b: list[str], *, min_similarity: float = 0.8) -> bool:
    """Whether two multi-word person name keys are one name up to transliteration: the same number of
    words, the same surname key, and each given name equal or a `transliteration_variant` of the other's."""
    if len(tokens_a) < 2 or len(tokens_a) != len(tokens_b) or tokens_a[-1] != tokens_b[-1]:
        return False
    return all(
        transliteration_variant(a, b, min_similarity=min_similarity)
        for a, b in zip(tokens_a[:-1], tokens_b[:-1], strict=True)
    )
