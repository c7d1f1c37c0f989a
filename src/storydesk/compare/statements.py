"""Comparable statements from read articles: who, what, value, when, and the exact span.

Four kinds come out of an article:

- ``quote``: one sentence of a quote, with its speaker;
- ``claim``: a numeric claim (value, unit, qualifier, subject);
- ``role``: an actor with the title this article gives them;
- ``event``: a narrative sentence, the writer's own report (with the actors it names).

Every statement keeps the article id, outlet and the character span of its
words, so findings can show each side's exact text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Literal

import snowballstemmer
from anyascii import anyascii

from storydesk import records
from storydesk.compare.actors import ActorIndex
from storydesk.read.numbers import clock_times
from storydesk.records import Article
from storydesk.settings import CompareSettings
from storydesk.stopwords import spacy_stop_words

StatementKind = Literal["quote", "claim", "role", "event"]

# Sentence ends: . ! ? (optionally followed by a closing quote) before an
# upper-case letter or an opening quote, or a line break. A regex rather than
# spaCy because compare runs on stored records, without the parse, and must
# stay fast for 50-article stories.
# The quotation marks of other languages count as well (French «...», German „...“), else a French
# quote after a full stop stayed in the sentence before it (issue 10: «Nous demandons au Pakistan ...»).
# The closing marks after the stop stay with the sentence they close (round 13): written on the stop
# (English ”, French », German “ ‘ «, CJK 」) or, French style, after a no-break or plain space (". » Le
# ministre"); a sentence cut after the stop left the » at the start of the next one, or lost it.
CLOSING_MARK = r"[\"'”’»“‘«」』]|[ \u00a0\u202f][»”](?=[\s\"'”’»“‘«]|$)"
_OPENING_MARK = r"[\"“‘(«„‚»「『]"
_SENTENCE_END = re.compile(rf"(?<=[.!?])(?P<close>(?:{CLOSING_MARK})*)\s+(?={_OPENING_MARK}?\s?[A-Z0-9])|\n+")
# A full stop after these ends an abbreviation, not a sentence ("U.S. President"; "will affect approx. 60
# countries", round 16: cut there, "60 countries." was a claim of its own). Not "est." (estimated): French
# and Italian end sentences with "l'est." and "a est." (the east).
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Z]\.)+|\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov|Lt|Col|Sgt|St|Jr|Sr|No|Inc|Corp|Co|vs|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|bzw|ca|vgl|approx)\.)$"
)
# "am 22. April": German writes a day of the month with a full stop, which ends no sentence before the
# month's name (round 12: a brief line began "April im indischen Teil Kaschmirs ..."). Languages that
# write months in lower case (Nordic, Slavic) never looked like a sentence end here.
_ORDINAL_DAY = re.compile(r"(?<![\d.])\d{1,2}\.$")
_MONTH_NAME = re.compile(
    r"(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\b"
)
# "1:30 p.m. local time (2:30 a.m. ET)": a clock time's "a.m." before a time zone ends no sentence.
_CLOCK_BEFORE_ZONE = re.compile(r"\b[ap]\.m\.$", re.IGNORECASE)
_ZONE = re.compile(r"[A-Z]{2,5}\b")
_WORD = re.compile(r"[A-Za-z0-9]+(?:[.'][A-Za-z0-9]+)*")
_STEMMER = snowballstemmer.stemmer("english")
_STOP = spacy_stop_words("en") | {"said", "says", "say", "told", "according", "stated", "noted", "added"}


@dataclass(slots=True)
class Statement:
    id: int
    article: str
    outlet: str
    kind: StatementKind
    text: str  # the words, exactly as the article has them
    start: int | None
    end: int | None
    actor: str | None = None  # actor key of the speaker / subject (compare/actors.py)
    actor_name: str | None = None
    actors: frozenset[str] = frozenset()  # every actor named in the span
    sentence: str = ""  # the whole sentence around the span, for the brief
    quote_kind: str | None = None
    role: str | None = None
    value: float | None = None
    unit: str | None = None
    qualifier: str | None = None
    subject: str | None = None
    quantity: str = ""  # a claim's number as written: "More than 1,100 residents"
    terms: frozenset[str] = field(default_factory=frozenset)  # content stems
    subject_terms: frozenset[str] = field(default_factory=frozenset)
    # A claim's named persons (actor keys): the parties that tell one call or one round of talks from
    # another of the same day ("Trump and Putin held a 90-minute call" / "Trump and Zelensky ...").
    persons: frozenset[str] = frozenset()
    order: int = 0  # position in its article, for reading order
    past: bool = False  # a title the article gives for an earlier time ("then-Gov.", "under President X")
    speaker_is_person: bool = False  # the quote's speaker is a person mention of its article
    speaker_text: str | None = None  # the words that point at the speaker ("he", "the minister", "Peskov")
    speaker_start: int | None = None  # where those words are in the article
    speaker_confidence: float | None = None  # reading's certainty of the speaker (records.Quote)
    language: str = "en"
    # Language-independent anchors of the words: numbers as written in any language and name keys
    # (link/features.py), so that two languages' reports of one statement can be held to agree.
    numbers: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    voice: str = ""  # the independent voice (compare/findings.py voices), filled by compare_story
    # A line of its own without a sentence's end (a headline, a section heading): it aligns with the
    # sentences that say the same, but is never shown or counted as a finding's words (findings.py).
    heading: bool = False
    # Its words run to where the stored text stops mid-sentence (a page cut at a byte limit, round 15): what it
    # goes on to say is lost ("India also said its early-morning strike"), so it is never a finding's words.
    cut: bool = False
    # The bodies (compare/roles.py `mark_bodies`) a quote's speaker speaks for by title ("ISPR Director General"),
    # or that a narrative sentence credits with saying something ("Pakistan's military announced ..."), and the
    # countries named with them: a spokesman's words may be carried by another outlet crediting his body.
    speaks_for: frozenset[str] = frozenset()
    speaks_for_countries: frozenset[str] = frozenset()


# Every field of a statement but its id and article: what it says, alike in each copy of it (compare/align.py
# `_Twins`, compare/embed.py `needing_vectors` take an answer once per distinct statement).
SAID_FIELDS = tuple(f.name for f in fields(Statement) if f.name not in ("id", "article"))


def said(s: Statement) -> tuple[object, ...]:
    """All a statement says: every field but its id and article (`SAID_FIELDS`)."""
    return tuple(map(s.__getattribute__, SAID_FIELDS))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball stem of a lower-case word."""
    return _STEMMER.stemWord(word)


def content_terms(text: str) -> frozenset[str]:
    """Content stems of `text`: ASCII-folded, lower case, no stop words or 1-letter tokens."""
    return _sentence_terms(text) if len(text) <= _CACHED_CHARS else _terms(text)


def _terms(text: str) -> frozenset[str]:
    words = (w.lower().replace("'", "").replace(".", "") for w in _WORD.findall(anyascii(text)))
    return frozenset(stem(w) for w in words if len(w) > 1 and w not in _STOP)


# Comparing an event reads every member's sentences again (issue 13), and copies and wire reports repeat
# them: a sentence's stems and anchors are kept per text, in the process (a whole article's text is not).
_CACHED_CHARS = 1000
_sentence_terms = lru_cache(maxsize=32768)(_terms)


# Words for people in general, as news counts them: the unit "person" itself,
# saying nothing about which people ("residents evacuated" and "people
# evacuated" are one count; "children killed" and "people killed" are not).
_GENERIC_COUNT = content_terms("people persons residents inhabitants individuals")


# Units that measure one thing in different sizes or words, folded to one: "seven-hour talks" and
# "a 90-minute call" are durations in minutes; a jet, a plane and a warplane are aircraft.
_UNIT_CLASS: dict[str, tuple[str, float]] = {
    "second": ("duration", 1 / 60), "minute": ("duration", 1.0), "hour": ("duration", 60.0),
    "day": ("duration", 1440.0), "week": ("duration", 10080.0),
    "jet": ("aircraft", 1.0), "plane": ("aircraft", 1.0), "warplane": ("aircraft", 1.0),
    "aircraft": ("aircraft", 1.0), "fighter": ("aircraft", 1.0), "airplane": ("aircraft", 1.0),
}  # fmt: skip
# Verbs that only say a duration is one ("the talks lasted nearly 10 hours", "went on for", "dragged on").
_DURATION_VERBS = frozenset(
    {
        "last",
        "took",
        "take",
        "run",
        "ran",
        "spent",
        "long",
        "lengthi",
        "went",
        "go",
        "goe",
        "continu",
        "stretch",
        "drag",
    }
)


def _in_base_unit(value: float | None, unit: str | None) -> float | None:
    if value is None or unit not in _UNIT_CLASS:
        return value
    return value * _UNIT_CLASS[unit][1]


def subject_terms(subject: str | None, unit: str | None) -> frozenset[str]:
    """The stems that say which quantity a claim counts: the subject's words (counted noun,
    predicate, agent), without the unit, generic words for people, or numbers."""
    terms = content_terms(subject or "") - content_terms(unit or "") - _GENERIC_COUNT
    return frozenset(t for t in terms if not any(c.isdigit() for c in t))


def named_kind(subject: str | None, unit: str | None) -> str:
    """The named kind a count is of, as written, or "": the capitalised words reading writes right
    before the counted noun ("downing *Rafale* aircraft", "*Rafale* jets downed"; read/claims.py
    `_named_kind`). Three Rafales among five jets are a part of the count, not another value of it."""
    unit_words = content_terms(" ".join([unit or "", *(w for w, (c, _) in _UNIT_CLASS.items() if c == unit)]))
    words = (subject or "").split()
    for i, word in enumerate(words):
        if i and content_terms(word) & unit_words:
            kind: list[str] = []
            for before in reversed(words[:i]):
                if not before[:1].isupper():
                    break
                kind.insert(0, before)
            return " ".join(kind)
    return ""


def split_sentences(text: str, offset: int = 0, *, titles: tuple[str, ...] = ()) -> list[tuple[int, int, str]]:
    """(start, end, text) of each sentence in `text`, offsets shifted by `offset`, stripped.

    Page furniture is cut off the sentences (round 12b): a list's item numbers ("... within 48 hours 4.
    Integrated ...") and a headline run into the paragraph after it without a break: a paragraph that opens
    with the words of a heading line before it, or with one of `titles` (the article's own title), followed
    by more words, loses those words.
    """
    spans: list[tuple[int, int, str]] = []
    headings = {t.strip() for t in titles if len(t.split()) >= _HEADING_MIN_WORDS}
    pos = 0
    for match in [*_SENTENCE_END.finditer(text), None]:
        if match and "\n" not in match.group() and _ABBREVIATION.search(text, pos, match.start()):
            continue
        ordinal_day = match and _ORDINAL_DAY.search(text, pos, match.start()) and _MONTH_NAME.match(text, match.end())
        if ordinal_day and "\n" not in match.group():  # type: ignore[union-attr]
            continue
        zone_after_clock = (
            match and _ZONE.match(text, match.end()) and _CLOCK_BEFORE_ZONE.search(text, pos, match.start())
        )
        if zone_after_clock and "\n" not in match.group():  # type: ignore[union-attr]
            continue
        end = (match.end("close") if match.group("close") is not None else match.start()) if match else len(text)
        start, end = _cut_furniture(text, pos, end, headings)
        if start < end:
            spans.append((offset + start, offset + end, text[start:end]))
            words = len(text[start:end].split())
            if match and "\n" in match.group() and words >= _HEADING_MIN_WORDS and not ends_sentence(text[start:end]):
                headings.add(text[start:end])  # a heading line (statements.py `_is_heading`)
        pos = match.end() if match else len(text)
    return spans


# A list's item number: "1." to "99." between spaces (or at a line's start) that opens an item. A number
# with a full stop ends many a sentence too ("the toll rose to 26."): it is taken for an item number only
# when the list's next or previous number is near it, as an item number too.
_ITEM_AT_END = re.compile(r"(?:(?<=\s)|^)(\d{1,2})\.$")
_ITEM_AT_START = re.compile(r"(\d{1,2})\.\s+")  # used with .match at a sentence's start
# A list's bullet at a line's start ("- US President Donald Trump announced ...", "• May 10, 2025 ..."): page
# furniture, not the sentence's words (round 16b: findings on news_stories_2025 dev showed it). Not a dash
# (– or —), which opens a quoted speaker's words in many languages' dialogue.
_BULLET = re.compile(r"[-•*·▪◦‣►]\s+")  # used with .match at a sentence's start
_ITEM_NEAR = 400  # characters around an item number in which its neighbour is looked for
# A headline is more than a word or two ("Advertisement", "Live").
_HEADING_MIN_WORDS = 3


def _item_number(text: str, at: int, number: str) -> bool:
    """Whether `number` (written at `at` in `text`) is a list's item number: number - 1 or + 1 stands near it
    as an item number too."""
    n = int(number)
    window = text[max(0, at - _ITEM_NEAR) : at + _ITEM_NEAR]
    return any(re.search(rf"(?:(?<=\s)|^){k}\.\s", window) for k in (n - 1, n + 1) if k > 0)


def _cut_furniture(text: str, start: int, end: int, headings: set[str]) -> tuple[int, int]:
    """The span `start`:`end` of `text` stripped of spaces, of a list's bullet at its start and item numbers
    at its ends, and of a heading's words run into its start."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    last = _ITEM_AT_END.search(text, start, end)
    if last and _item_number(text, last.start(), last.group(1)):
        if last.start() == start:  # the number alone, between the sentence before and its item
            return end, end
        end = last.start()
        while end > start and text[end - 1].isspace():
            end -= 1
    bullet = _BULLET.match(text, start, end)
    if bullet and bullet.end() < end:
        start = bullet.end()
    first = _ITEM_AT_START.match(text, start, end)
    if first and first.end() < end and _item_number(text, start, first.group(1)):
        start = first.end()
    for heading in headings:
        after = start + len(heading)
        if text.startswith(heading, start) and after < end and text[after].isspace():
            rest = after + len(text[after:end]) - len(text[after:end].lstrip())
            if rest < end and (text[rest].isupper() or text[rest].isdigit() or text[rest] in '"“„«‘'):
                return rest, end
    return start, end


def outlet_of(article: Article) -> str:
    """The outlet label an article speaks with: its outlet, else its URL's host, else "unknown outlet".

    A file name is never an outlet (issue 11): two untitled files may well
    come from one publisher.
    """
    return records.outlet_of(article)


@lru_cache(maxsize=32768)
def anchors(text: str, language: str = "en") -> tuple[frozenset[str], frozenset[str]]:
    """(numbers, name keys) of a statement's words, the same in every language (link/features.py), with
    the small numbers written out in the statement's own language ("neun Ziele", "nueve los lugares"):
    a count in words must meet the same count in an English sentence's digits or words (issue 10)."""
    from storydesk.link.features import statement_anchors

    numbers, names = statement_anchors(text)
    words = _NUMBER_WORDS.get(language)
    if words is not None:
        numbers |= {words[w.lower()] for w in _LETTERS.findall(text) if w.lower() in words}
    return numbers, names


# A year as written: `anchors` leaves years out (a sentence's year tells no fact apart), `figures` keeps them.
_YEAR = re.compile(r"(?<![\d.,:])(?:1[89]\d\d|20\d\d)(?![\d.,:]?\d)")


def figures(text: str, language: str = "en") -> frozenset[str]:
    """Every figure a sentence gives, as one form however written: its numbers as `anchors` normalises them
    ("1,100", "1100" and "1.100" in German are one; "five", "fünf" and "5" are one; "5 PM" and "17:00" are one),
    its years and its numbers under two, which `anchors` leaves out. Two sentences agree on a figure when both
    give it in some form (round 16: the brief's corroborated lines were held to the digits as written, so
    "1,100" disagreed with "1100" and "five" was no number at all)."""
    from storydesk.link.features import numbers_in  # deferred as in `anchors`

    numbers, _ = anchors(text, language)
    for start, end, _minutes, _zone in reversed(clock_times(text)):
        text = text[:start] + " " + text[end:]
    return numbers | frozenset(_YEAR.findall(text)) | frozenset(numbers_in(text, minimum=0))


_LETTERS = re.compile(r"[^\W\d_]+")
# Two to twelve written out, per language (English is read by link/features.py). Words that are also
# common words of their language are left out: French "neuf" (new), Italian "sei" (you are), German
# "acht" (heed) and "elf" stay in (rare otherwise). A dict rather than a library: num2words goes the other way.
_NUMBER_WORDS: dict[str, dict[str, str]] = {
    language: {word: str(n) for n, group in enumerate(table.split("|"), start=2) for word in group.split()}
    for language, table in {
        "de": "zwei|drei|vier|fünf funf|sechs|sieben|acht|neun|zehn|elf|zwölf zwolf",
        "es": "dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|once|doce",
        "fr": "deux|trois|quatre|cinq|six|sept|huit||dix|onze|douze",
        "it": "due|tre|quattro|cinque||sette|otto|nove|dieci|undici|dodici",
        "pt": "dois duas|três tres|quatro|cinco|seis|sete|oito|nove|dez|onze|doze",
        "nl": "twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf",
    }.items()
}


def _containing(sentences: list[tuple[int, int, str]], start: int) -> str:
    """The sentence in which the span at `start` begins."""
    for s_start, s_end, text in sentences:
        if s_start <= start < s_end:
            return text
    return ""


def article_statements(
    article: Article, actors: ActorIndex, settings: CompareSettings, *, first_id: int = 0
) -> list[Statement]:
    """Every comparable statement in one article, in reading order."""
    from storydesk.link.days import page_line_end

    outlet = outlet_of(article)
    # The page's own date line (" date 2025-05-08 ...", " date 2025-05 ...") is metadata: no statement starts with it.
    line_end = page_line_end(article.text)
    titles = (article.title,) if article.title else ()
    sentences = split_sentences(article.text[line_end:], line_end, titles=titles)
    sentences, furniture = _cross_links(article.text, sentences)
    out: list[Statement] = []

    language = article.language or "en"
    # Where the text stops mid-sentence (None: it ends as a sentence does): a statement reaching it is cut.
    body = article.text.rstrip()
    cut_at = None if not body or ends_sentence(body) else len(body)

    def add(**kwargs) -> None:  # type: ignore[no-untyped-def]
        if any(f_start <= kwargs["start"] < f_end for f_start, f_end in furniture):
            return  # words of a link to another story, a reading time (`_cross_links`)
        numbers, names = anchors(kwargs["text"], language)
        out.append(
            Statement(
                id=first_id + len(out),
                article=article.id,
                outlet=outlet,
                language=language,
                numbers=numbers,
                names=names,
                cut=cut_at is not None and (kwargs["end"] or 0) >= cut_at,
                **kwargs,
            )
        )

    # 1. quotes, one statement per quoted sentence: a two-sentence quote may be
    #    echoed by another outlet in one sentence only.
    # Spans that already are statements of their own: direct quotes. (A claim
    # sentence stays an event too, so it can align with a sentence without the
    # number; findings show it once, see findings._drop_subsumed.)
    covered_spans: list[tuple[int, int]] = []
    person_keys = {actors.key(m.name, m.entity) for m in article.mentions if m.type == "person"}
    for quote in article.quotes:
        # An unnamed source ("officials", "recent reports": reading's speaker_named false) is no
        # actor: its words cannot be held to a speaker, nor told apart from another's by one.
        key = actors.key(quote.speaker, quote.speaker_entity) if quote.speaker_named is not False else None
        if key is None and quote.kind == "indirect":
            continue  # reported speech of nobody named is the writer's narrative, kept as an event
        name = actors.display(key, quote.speaker)
        if quote.kind == "direct":
            covered_spans.append((quote.start, quote.end))
        for start, end, text in split_sentences(quote.text, quote.start):
            terms = content_terms(text)
            if not terms:
                continue
            add(
                kind="quote",
                text=text,
                start=start,
                end=end,
                actor=key,
                actor_name=name,
                actors=frozenset({key}) if key else frozenset(),
                sentence=_containing(sentences, start) or text,
                quote_kind=quote.kind,
                speaker_is_person=key is not None and key in person_keys,
                speaker_text=quote.speaker_text,
                speaker_start=quote.speaker_start,
                speaker_confidence=quote.speaker_confidence,
                terms=terms,
                order=start,
            )
    # 2. numeric claims
    for claim in article.claims:
        cut = max(0, line_end - claim.start)  # the page's date line is no part of the claim's sentence
        text = claim.text[cut:].strip()
        start = claim.start + cut + (len(claim.text[cut:]) - len(claim.text[cut:].lstrip()))
        span = _within_sentences(sentences, start, start + len(text), claim.quantity_start)
        if span is None:
            continue  # its number is page furniture: a list's item number, a cross-link's, a run-in headline's
        if span != (start, start + len(text)) and article.text[start : start + len(text)] == text:
            start, text = span[0], article.text[span[0] : span[1]]
        add(
            kind="claim",
            # A number in a headline, a summary bullet or a byline ("10 May,2025 09:00 AM IST | Lahore | mid-day
            # online correspondent") is a heading's, as a narrative heading line is (round 16): it may align with
            # the sentences that state it, but is never listed as a finding of its own.
            heading=_is_heading(article.text, start + len(text)),
            text=text,
            start=start,
            end=start + len(text),
            sentence=text,
            value=_in_base_unit(claim.value, claim.unit),
            unit=_UNIT_CLASS.get(claim.unit or "", (claim.unit, 1.0))[0] if claim.unit else None,
            qualifier=claim.qualifier,
            subject=claim.subject,
            quantity=claim.quantity,
            terms=content_terms(claim.text),
            subject_terms=subject_terms(claim.subject, claim.unit) - _DURATION_VERBS,
            persons=frozenset(
                k
                for m in article.mentions
                if m.type == "person" and start <= m.start < start + len(text)
                for k in [actors.key(m.name, m.entity)]
                if k
            ),
            order=claim.start,
        )
    # 3. roles: one per actor and title in this article
    seen_roles: set[tuple[str, str]] = set()
    for mention in article.mentions:
        if not mention.role or mention.type not in ("person", "organization", "group"):
            continue
        key = actors.key(mention.name, mention.entity)
        if key is None or (key, mention.role.lower()) in seen_roles:
            continue
        seen_roles.add((key, mention.role.lower()))
        r_start, r_end = _role_span(article.text, mention.start, mention.end, mention.role)
        add(
            kind="role",
            text=article.text[r_start:r_end],
            start=r_start,
            end=r_end,
            actor=key,
            actor_name=actors.display(key, mention.name),
            actors=frozenset({key}),
            sentence=_containing(sentences, mention.start),
            role=mention.role,
            order=mention.start,
            past=_past_title(article.text, r_start, mention.role),
        )
    # 4. events: narrative sentences, unless mostly a direct quote. A sentence
    #    naming no actor is the writer's own framing: it may corroborate
    #    another outlet's sentence, but alone it is no finding (findings.py).
    for start, end, text in sentences:
        if len(text.split()) < settings.event_min_words:
            continue
        covered = sum(max(0, min(end, c_end) - max(start, c_start)) for c_start, c_end in covered_spans)
        if covered * 2 >= end - start:
            continue
        inside = [
            m for m in article.mentions if start <= m.start < end and m.type in ("person", "organization", "group")
        ]
        keys = {actors.key(m.name, m.entity) for m in inside}
        keys |= {
            actors.key(q.speaker, q.speaker_entity)
            for q in article.quotes
            if start <= q.start < end and q.speaker_named is not False
        }
        keys.discard(None)
        add(
            kind="event",
            text=text,
            start=start,
            end=end,
            actors=frozenset(k for k in keys if k),
            sentence=text,
            terms=content_terms(text),
            order=start,
            heading=_is_heading(article.text, end),
        )
    out.sort(key=lambda s: (s.order, s.kind))
    for i, statement in enumerate(out):
        statement.id = first_id + i
    return out


# Page furniture: a page's link to another of its stories, kept in the text by the extractor ("Also read:
# <that story's headline>"). Its words are no statement of this story. A short hand-written list of the
# labels, in the languages read: no library marks them in plain text (trafilatura drops such links only
# while it still sees the page's HTML, and stored and JSONL texts are plain).
_LINK_LABELS = (
    r"(?:(?:also|further|more)\s+read|read\s+(?:also|more|next)|read|see\s+also|related(?:\s+stories)?|watch"
    r"|lesen\s+sie\s+(?:auch|mehr)|mehr\s+zum\s+thema|à\s+lire\s+(?:aussi|également)|lire\s+aussi"
    r"|lee\s+también|lea\s+también|leia\s+también|leggi\s+anche|lees\s+ook)"
)
_CROSS_LINK = re.compile(_LINK_LABELS + r"\s*:\s*", re.IGNORECASE)
# Page furniture too: a line giving the reading time ("2 min read", "Lesezeit: 3 Min.", round 15), in the
# languages read; its number is no claim of the story.
_MINUTES = r"\d{1,3}\s*(?:min(?:ute)?s?|minuten|minutos|minuti)\.?"
_READING_TIME = re.compile(
    rf"(?:{_MINUTES}\s*(?:read|de\s+lecture|de\s+lectura|lesezeit|lesedauer|di\s+lettura)"
    r"|(?:(?:estimated\s+)?read(?:ing)?\s+time|lesezeit|lesedauer|temps\s+de\s+lecture|tiempo\s+de\s+lectura"
    rf"|tempo\s+di\s+lettura)\s*:?\s*{_MINUTES})\W*",
    re.IGNORECASE,
)
# A label alone on its line, with or without its colon ("ALSO READ" above a list of headlines, round 13).
_LINK_LABEL_LINE = re.compile(_LINK_LABELS + r"\s*:?\s*$", re.IGNORECASE)
_LINKED_HEADLINES = 8  # at most this many headline lines under a label alone on its line


def _cross_links(
    text: str, sentences: list[tuple[int, int, str]]
) -> tuple[list[tuple[int, int, str]], list[tuple[int, int]]]:
    """The sentences without cross-links, and the spans of the cross-links' words. A label that opens a line
    makes the whole line a link (the headline it points to may hold several sentences); one inside a
    paragraph ("... talks. READ MORE: Trump wrote ...", the link's words already gone) is cut off the
    sentence it opens. A sentence that is only a reading time ("2 min read") is furniture as well."""
    kept: list[tuple[int, int, str]] = []
    furniture: list[tuple[int, int]] = []
    for start, end, sentence in sentences:
        if any(f_start <= start < f_end for f_start, f_end in furniture):
            continue
        label = _CROSS_LINK.match(text, start, end)
        while label and _CROSS_LINK.match(text, label.end(), end):  # "READ MORE: READ MORE:"
            label = _CROSS_LINK.match(text, label.end(), end)
        opens_line = not text[text.rfind("\n", 0, start) + 1 : start].strip()
        line_end = text.find("\n", start)
        line_end = len(text) if line_end < 0 else line_end
        if opens_line and _LINK_LABEL_LINE.match(text[start:line_end]):
            furniture.append((start, _headlines_after(text, line_end)))
        elif _READING_TIME.fullmatch(sentence):
            furniture.append((start, end))
        elif label is None:
            kept.append((start, end, sentence))
        elif opens_line:
            furniture.append((start, line_end))
        else:
            furniture.append((start, label.end()))
            if label.end() < end:
                kept.append((label.end(), end, text[label.end() : end]))
    return kept, furniture


def _headlines_after(text: str, at: int) -> int:
    """Where the headlines listed under a link label alone on its line end: the lines after `at` that do not
    end as a sentence does (a headline has no full stop), up to the first that does, or a blank run's end."""
    end = at
    for _ in range(_LINKED_HEADLINES):
        line = re.compile(r"\n+[^\n]*").match(text, end)
        if line is None or ends_sentence(line.group().strip()) or not line.group().strip():
            break
        end = line.end()
    return end


def _within_sentences(
    sentences: list[tuple[int, int, str]], start: int, end: int, number_at: int | None
) -> tuple[int, int] | None:
    """The part of a claim's sentence (`start`:`end`, as reading cut it) that this module's sentences hold,
    or None when they do not hold its number (at `number_at`): reading's sentences keep the page furniture
    that `split_sentences` and `_cross_links` cut off ("... 48 hours 4.", a list's "1." read as a count)."""
    inside = [(s_start, s_end) for s_start, s_end, _ in sentences if s_start < end and s_end > start]
    if not inside or (number_at is not None and not any(s <= number_at < e for s, e in inside)):
        return None
    return max(start, inside[0][0]), min(end, inside[-1][1])


# How a sentence ends: punctuation, maybe inside closing quotes or brackets.
_SENTENCE_CLOSE = re.compile(rf"[.!?…:;](?:{CLOSING_MARK}|[)\]])*$|[\"'”’][.!?]?$")


def ends_sentence(text: str) -> bool:
    """Whether `text` ends as a sentence does (a full stop, maybe inside closing quotes or brackets)."""
    return bool(_SENTENCE_CLOSE.search(text[-6:]))


# A sentence whose meaning is in the one before or after it (round 15, second pass): a demonstrative standing
# for something said earlier ("Information Minister Attaullah Tarar confirmed this to the media ..."; "This
# comes after ..."), or a speaker's introduction whose words follow it ("Regarding all the tariffs being
# imposed, Trump said." and then the quote; a line ending on a colon). Inside a sentence a determiner ("in
# this attack", "these strikes") names its thing; opening it, it points back as well.
_POINTER_AS_WORD = re.compile(
    r"\b(?:this|these|dies|cela|ceci|esto|eso)\b(?=\s*(?:[,.;:!?)\]]|$|(?:to|in|on|at|for|with|by|from|as|"
    r"after|before|is|was|were|are|has|had|will|would|could|can|means?|meant)\b))",
    re.I,
)
_POINTER_THAT = re.compile(r"\bthat\s*[.!?]\s*[”\"’»]?\s*$", re.I)
# A demonstrative opening a sentence points back ("This comes after ...", "This event follows ...", "These
# strikes killed ..."; "Cela n'affectera pas ..."), unless it dates the sentence ("This week ...", "This Monday ...").
_POINTER_OPENING = re.compile(
    r"^(?:cela|ceci|dies|esto|eso|ello)\b|^(?:this|that|these|those)\b(?!\s+(?:week|weekend|month|year|morning|afternoon|evening|night|day|days|time|"
    r"season|spring|summer|autumn|fall|winter|decade|century|quarter|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday)\b)",
    re.I,
)
_SPEECH_VERB = r"(?:said|says|added|stated|replied|responded|wrote|told\s+[\w.]+(?:\s+[\w.]+)?)"
# "Regarding X, Trump said." / "Asked about X, he replied.": an adverbial phrase and a bare speech verb.
_INTRODUCES_WORDS = re.compile(
    r"^(?:regarding|concerning|about|on|as\s+for|asked\s+(?:about|whether|if)|when\s+asked|speaking\s+(?:about|on|of)|"
    r"in\s+response(?:\s+to)?|responding\s+to|referring\s+to)\b[^.!?“”\"]*,\s*[^,.!?“”\"]{1,60}?\b"
    + _SPEECH_VERB
    + r"\s*[.:]$",
    re.I,
)


def leans_on_neighbour(text: str) -> bool:
    """Whether a sentence needs the one before or after it to be understood (see `_POINTER_AS_WORD` ...):
    alone, as a brief line or a finding's summary, it says nothing a reader can check."""
    text = text.strip()
    return bool(
        text.endswith(":")
        or _POINTER_AS_WORD.search(text)
        or _POINTER_THAT.search(text)
        or _POINTER_OPENING.match(text)
        or _INTRODUCES_WORDS.match(text)
    )


def _is_heading(text: str, end: int) -> bool:
    """Whether the line that ends at `end` is a heading: no sentence end, and a line break after it
    (a text cut mid-sentence at its end is a fragment of a sentence, not a heading)."""
    if ends_sentence(text[max(0, end - 6) : end]):
        return False
    return text[end : end + 1] in ("\n", "\r")


# "under President X" and "then-Governor X" date a title to an earlier time.
_PAST_TITLE = re.compile(r"\b(?:under|then)[\s-]*$", re.IGNORECASE)


def _past_title(text: str, start: int, role: str) -> bool:
    return bool(_PAST_TITLE.search(text[max(0, start - 8) : start])) or role.lower().startswith("then")


# Whose office a title is, written before it: "Jammu and Kashmir’s [former chief minister]", and the
# rest of a possessor the reader cut: "Jammu and [Kashmir’s chief minister]".
_POSSESSOR_BEFORE = re.compile(r"(?:\b[A-Z][\w.&-]*\s+(?:and|&|of)\s+)*\b[A-Z][\w.&-]*['’]s\s+$")
_CHAIN_BEFORE = re.compile(r"(?:\b[A-Z][\w.&-]*\s+(?:and|&|of)\s+)+$")
_POSSESSIVE_START = re.compile(r"[A-Z][\w.&-]*['’]s\s")


def _role_span(text: str, start: int, end: int, role: str) -> tuple[int, int]:
    """Offsets of the words that give the role: name and title as written, when the title is next to it,
    with the possessor that says whose office it is."""
    window_start = max(0, start - len(role) - 40)
    at = text.lower().find(role.lower(), window_start, end + len(role) + 40)
    if at < 0:
        return start, end
    first = min(at, start)
    before = _CHAIN_BEFORE if _POSSESSIVE_START.match(text, first) else _POSSESSOR_BEFORE
    extra = before.search(text, max(0, first - 60), first)
    return (extra.start() if extra else first), max(at + len(role), end)


def story_statements(articles: list[Article], actors: ActorIndex, settings: CompareSettings) -> list[Statement]:
    """The statements of every article of a story, with ids unique across the story."""
    out: list[Statement] = []
    for article in articles:
        out.extend(article_statements(article, actors, settings, first_id=len(out)))
    return out
