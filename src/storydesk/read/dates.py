"""Dates in an article, resolved against its publication date.

spaCy's DATE (and day-part TIME) entities give the spans; each is resolved to
an ISO 8601 date and kept with the sentence it dates:

- relative days: "today", "yesterday", "last night", "two days ago";
- weekdays: "on Tuesday" is the most recent Tuesday on or before publication
  (news reports past events by weekday), "last Tuesday" the one strictly
  before, "next Tuesday" the one after; a weekday the sentence points forward
  to is the next one on or after publication: after "by", "before", "until"
  (unless the verb is in the past), or with a verb in the future ("will meet on
  Thursday", "is expected to vote Thursday") (`points_forward`);
- weeks: "last week", "this week", "earlier this week" resolve to the Monday
  of that week (ISO weeks start on Monday);
- months and years keep their precision as reduced ISO dates: "last month",
  "earlier this month", "in March" -> "2025-03"; "last year", "in 2024" -> "2024";
- calendar days in the forms news writes them ("March 12", "12 March 2025",
  "Mar. 12th", "2025-03-12") by the regular expressions below; only the rest
  ("between Oct. 30 and Nov. 9", "March 23 of this year") goes to dateparser,
  with the publication date as RELATIVE_BASE, cached per text (issue 13: on
  PolNeAR about one date expression in ten articles needs it).

Vague or unanchored expressions ("recent years", "the past few days", "decades")
and durations ("thirty-day", "three years") are skipped. Without a publication
date only expressions that carry their own year are resolved.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

import dateparser

from storydesk.records import DateRef

if TYPE_CHECKING:  # annotations only: linking imports this module's tables in a process that never parses
    from spacy.tokens import Doc, Span, Token

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
            ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
            ("november", "nov"), ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}  # fmt: skip

# A date written without a year is taken from the publication year, unless it
# would then lie more than half a year after publication: news looks back more
# often than it announces, and half a year splits the calendar evenly.
HALF_YEAR = 183
# Leading words that frame a date without changing it ("on Tuesday", "since March").
LEAD = re.compile(r"^(?:on|in|since|by|until|till|from|during|as of|before|after|at|the|of|through|throughout)\s+")
VAGUE = re.compile(r"\b(?:recent|past|coming|few|several|decades?|centur(?:y|ies)|years|months|weeks|days|era|times)\b")
DAYS_AGO = re.compile(r"^(\w+) (day|week|month|year)s? (ago|earlier|before)$")
DAY_WORDS = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0,
             "yesterday": -1, "last night": -1, "yesterday morning": -1, "yesterday afternoon": -1,
             "yesterday evening": -1, "tomorrow": 1, "tomorrow morning": 1}  # fmt: skip
WEEKDAY = re.compile(
    r"^(?:(last|this|next|this past|this coming|early|late) )?("
    + "|".join(WEEKDAYS)
    + r")(?: (?:morning|afternoon|evening|night))?$"
)
PERIOD = re.compile(
    r"^(?:(last|this|next|earlier this|later this|early this|late last|earlier last|the previous|the last|the same) )(week|month|year)$"
)
MONTH_ONLY = re.compile(
    r"^(?:(early|mid|late|earlier|later|end of|beginning of|start of|middle of)[ -])?("
    + "|".join(MONTHS)
    + r")\.?(?:,? (\d{4}))?$"
)
YEAR_ONLY = re.compile(r"^(?:the year )?(\d{4})$")
_MONTH = r"(" + "|".join(MONTHS) + r")\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:(?:" + "|".join(WEEKDAYS) + r"),? )?"
# The two ways news writes a calendar day, read here without dateparser (the hot path).
MONTH_DAY = re.compile(r"^" + _WEEKDAY + _MONTH + " " + _DAY + r"(?:,? (\d{4}))?$")
ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DAY_MONTH = re.compile(r"^" + _WEEKDAY + r"(?:the )?" + _DAY + r" (?:of )?" + _MONTH + r"(?:,? (\d{4}))?$")
# What a phrase needs before dateparser sees it: a month name or a numeric date.
# Without one ("60 hours", "ages 65") dateparser reads durations as dates.
WEEKDAY_WORD = re.compile(r"\b(?:" + "|".join(WEEKDAYS) + r")\b", re.I)
DATELIKE = re.compile(r"\b(?:" + "|".join(MONTHS) + r")\b|\b\d{1,4}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")


# Prepositions that put a weekday ahead of what the sentence reports: "not before Thursday", "by Friday".
FORWARD_PREPOSITIONS = frozenset({"by", "before", "until", "till", "til"})
# Verbs whose infinitive is about what lies ahead: "is expected to vote", "plans to meet", "is due to land".
FORWARD_VERBS = frozenset(
    {"expect", "plan", "schedule", "set", "due", "intend", "aim", "hope", "likely", "unlikely", "go", "prepare",
     "vow", "promise", "threaten", "seek", "want", "agree", "pledge", "poised", "slate", "await"}
)  # fmt: skip
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo", "ll"})


def _governing_verb(token: Token) -> Token | None:
    """The verb a date hangs on: up the tree from the date, through a preposition, at most four steps."""
    for _ in range(4):
        if token.head is token:
            return token if token.pos_ in ("VERB", "AUX") else None
        token = token.head
        if token.pos_ in ("VERB", "AUX") or (token.pos_ == "ADJ" and token.dep_ == "ROOT"):
            return token
    return None


def _future(verb: Token) -> bool:
    """Whether `verb` speaks of what is still to come: a future auxiliary, "going to", or an infinitive under
    a verb of planning or expecting ("is expected to vote")."""
    children = list(verb.children)
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in FUTURE_AUX for c in children):
        return True
    if verb.lemma_.lower() in FORWARD_VERBS and verb.tag_ in ("VBN", "JJ", "VBZ", "VBP", "VBG"):
        return True  # "is expected on Thursday", "is due Thursday"
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in children):
        head = verb.head
        return head is not verb and (head.lemma_.lower() in FORWARD_VERBS or head.lower_ in FORWARD_VERBS)
    return False


def _past(verb: Token) -> bool:
    if verb.tag_ == "VBD":
        return True
    return verb.tag_ == "VBN" and any(c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children)


def points_forward(ent: Span) -> bool:
    """Whether the sentence looks ahead to this date: a forward preposition ("by", "before", "until")
    unless its verb is in the past, or a verb in the future tense."""
    first = ent[0]
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    preposition = first.lower_ if first.lower_ in FORWARD_PREPOSITIONS else None
    if preposition is None and before is not None and before.lower_ in FORWARD_PREPOSITIONS:
        preposition = before.lower_
    verb = _governing_verb(before if preposition and before is not None and before.lower_ == preposition else ent.root)
    if verb is None:
        return preposition is not None
    if _future(verb):
        return True
    return preposition is not None and not _past(verb)


def find_dates(doc: Doc, published: str | None) -> list[DateRef]:
    """Every resolvable date expression in `doc`, in order, with its sentence."""
    base = _publication_date(published)
    found: list[DateRef] = []
    # Each date finds its sentence by bisection: `ent.sent` rescans a huge sentence for every
    # date, and `sent.ents` rebuilds all of the document's entities for every sentence.
    from storydesk.link.days import page_line_end  # the page format linking reads days from

    # The page's own date line is when it was published, not a day its news names (a publication is
    # on the timeline as one): no date from it.
    line_end = page_line_end(doc[:12].text)
    candidates = [ent for ent in doc.ents if ent.label_ in {"DATE", "TIME"} and ent.start_char >= line_end]
    if not candidates:
        return found
    sents = list(doc.sents)
    starts = [sent.start for sent in sents]
    texts: dict[int, str] = {}
    for ent in candidates:
        resolved = resolve(ent.text, base, forward=WEEKDAY_WORD.search(ent.text) is not None and points_forward(ent))
        if resolved is None:
            continue
        index = bisect_right(starts, ent.start) - 1
        if ent.end > sents[index].end:
            continue  # a span over a sentence break is no date expression
        if index not in texts:
            texts[index] = sents[index].text.strip()  # without the paragraph break a sentence may end in
        iso, relative = resolved
        found.append(
            DateRef(text=ent.text, start=ent.start_char, end=ent.end_char, date=iso, sentence=texts[index],
                    relative=relative)
        )  # fmt: skip
    return found


def resolve(text: str, base: date | None, *, forward: bool = False) -> tuple[str, bool] | None:
    """(ISO date, is it relative) for one date expression, or None when it names no datable time.

    `forward`: the sentence points ahead to it (`points_forward`), so a bare weekday is the next one.
    """
    phrase = " ".join(text.lower().replace("’", "'").split())
    while (stripped := LEAD.sub("", phrase)) != phrase:
        phrase = stripped
    if base is not None:
        relative = _relative(phrase, base, forward=forward)
        if relative is not None:
            return relative, True
    if VAGUE.search(phrase):
        return None
    match = MONTH_ONLY.match(phrase)
    if match:
        year = int(match.group(3)) if match.group(3) else _year_for_month(MONTHS[match.group(2)], base)
        return (f"{year:04d}-{MONTHS[match.group(2)]:02d}", match.group(3) is None) if year else None
    match = YEAR_ONLY.match(phrase)
    if match:
        return match.group(1), False
    match = MONTH_DAY.match(phrase)
    if match:
        return _calendar_day(int(match.group(2)), MONTHS[match.group(1)], match.group(3), base)
    match = DAY_MONTH.match(phrase)
    if match:
        return _calendar_day(int(match.group(1)), MONTHS[match.group(2)], match.group(3), base)
    match = ISO_DAY.match(phrase)
    if match:
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat(), False
        except ValueError:
            return None
    if not DATELIKE.search(phrase):
        return None
    parsed = _dateparser(phrase, base.isoformat() if base else None)
    if parsed is None:
        return None
    has_year = bool(re.search(r"\b\d{4}\b", phrase))
    day = date.fromisoformat(parsed)
    if not has_year and base is not None and (day - base).days > HALF_YEAR:
        day = _clip(day.year - 1, day.month, day.day)  # "December 28" written in March is last December
    return day.isoformat(), not has_year


def _calendar_day(day: int, month: int, year: str | None, base: date | None) -> tuple[str, bool] | None:
    """A day and month, with the year written or (HALF_YEAR rule) taken from publication."""
    if year is None:
        if base is None:
            return None
        guess = _year_for_month(month, base)
        try:
            resolved = date(guess or base.year, month, day)
        except ValueError:
            return None
        if (resolved - base).days > HALF_YEAR:
            resolved = _clip(resolved.year - 1, month, day)
        return resolved.isoformat(), True
    try:
        return date(int(year), month, day).isoformat(), False
    except ValueError:
        return None


def _relative(phrase: str, base: date, *, forward: bool = False) -> str | None:
    if phrase in DAY_WORDS:
        return (base + timedelta(days=DAY_WORDS[phrase])).isoformat()
    match = WEEKDAY.match(phrase)
    if match:
        modifier, weekday = match.group(1), WEEKDAYS.index(match.group(2))
        back = (base.weekday() - weekday) % 7
        if forward and modifier in {None, "this", "early", "late"}:
            return (base + timedelta(days=(weekday - base.weekday()) % 7)).isoformat()  # on or after publication
        if modifier in {"next", "this coming"}:
            return (base + timedelta(days=(weekday - base.weekday()) % 7 or 7)).isoformat()
        if modifier in {"last", "this past"} and back == 0:
            back = 7  # "last Tuesday", said on a Tuesday, is a week ago
        return (base - timedelta(days=back)).isoformat()
    match = PERIOD.match(phrase)
    if match:
        modifier, period = match.group(1), match.group(2)
        step = (
            -1
            if modifier in {"last", "late last", "earlier last", "the previous", "the last"}
            else 1
            if modifier == "next"
            else 0
        )
        return _shift(base, period, step)
    match = DAYS_AGO.match(phrase)
    if match and match.group(1) in NUMBER_WORDS | {str(n): n for n in range(1, 100)}:
        count = NUMBER_WORDS.get(match.group(1)) or int(match.group(1))
        return _shift(base, match.group(2), -count, keep_day=True)
    return None


def _shift(base: date, period: str, step: int, *, keep_day: bool = False) -> str:
    """The day, week (its Monday), month or year `step` periods from `base`."""
    if period == "day":
        return (base + timedelta(days=step)).isoformat()
    if period == "week":
        day = base + timedelta(weeks=step)
        return (day if keep_day else day - timedelta(days=day.weekday())).isoformat()
    if period == "month":
        month_index = base.year * 12 + base.month - 1 + step
        year, month = divmod(month_index, 12)
        if keep_day:  # "two months ago": same day of the month, clipped to its length
            return _clip(year, month + 1, base.day).isoformat()
        return f"{year:04d}-{month + 1:02d}"
    if keep_day:
        return _clip(base.year + step, base.month, base.day).isoformat()
    return f"{base.year + step:04d}"


def _clip(year: int, month: int, day: int) -> date:
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


def _year_for_month(month: int, base: date | None) -> int | None:
    """A month named without a year is this year's, unless that lies more than half a year ahead."""
    if base is None:
        return None
    return base.year - 1 if (month - base.month) * 30 > HALF_YEAR else base.year


@lru_cache(maxsize=4096)
def _dateparser(phrase: str, base_iso: str | None) -> str | None:
    settings: dict[str, object] = {"REQUIRE_PARTS": ["day", "month"], "PREFER_DAY_OF_MONTH": "first"}
    if base_iso is None:
        if not re.search(r"\b\d{4}\b", phrase):
            return None
        settings["REQUIRE_PARTS"] = ["day", "month", "year"]
    else:
        settings["RELATIVE_BASE"] = datetime.fromisoformat(base_iso)
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)  # type: ignore[arg-type]
    return parsed.date().isoformat() if parsed else None


def _publication_date(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None
