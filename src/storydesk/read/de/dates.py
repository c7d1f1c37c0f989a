"""German dates, resolved against the article's publication date.

    am 12. März 2025, 12. März, 12.03.2025   calendar days (a day without a year takes
                                             the publication year, unless that lies over
                                             half a year after publication: then the year before)
    am Mittwoch, Mittwochabend               the most recent such weekday on or before publication
    heute, gestern, vorgestern               relative days
    im März, im März 2025                    the month (reduced ISO date "2025-03")
    vergangene Woche, letzte Woche           the Monday of that week

Written with regular expressions over the sentence text: the English reader
takes its spans from spaCy's DATE entities, which the German pipeline has not.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from spacy.tokens import Doc

from storydesk.read.dates import _publication_date
from storydesk.records import DateRef

MONTHS = {
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
}  # fmt: skip
WEEKDAYS = ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag")
HALF_YEAR = 183
_MONTH = "|".join(m[:1].upper() + m[1:] for m in MONTHS)
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\.\s?({_MONTH})(?:\s(\d{{4}}))?\b")
_NUMERIC = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_WEEKDAY = re.compile(
    r"\b(?:[Aa]m |[Vv]om |[Ss]eit |[Bb]is |[Aa]b )?(" + "|".join(w[:1].upper() + w[1:] for w in WEEKDAYS) + r")"
    r"(?:abend|morgen|nachmittag|vormittag|mittag)?\b"
)
_RELATIVE = re.compile(r"\b([Hh]eute|[Gg]estern|[Vv]orgestern)\b")
_MONTH_ONLY = re.compile(rf"\b(?:im|seit|Anfang|Mitte|Ende) ({_MONTH})(?:\s(\d{{4}}))?\b")
_LAST_WEEK = re.compile(r"\b(?:vergangene|letzte|vorige) Woche\b")
_RELATIVE_DAYS = {"heute": 0, "gestern": -1, "vorgestern": -2}


def find_dates(doc: Doc, published: str | None) -> list[DateRef]:
    """Every resolvable date expression in `doc`, in order, with its sentence."""
    base = _publication_date(published)
    found: list[DateRef] = []
    for sent in doc.sents:
        text = sent.text
        taken: list[tuple[int, int]] = []
        for start, end, iso, relative in _matches(text, base):
            if any(a < end and start < b for a, b in taken):
                continue
            taken.append((start, end))
            found.append(
                DateRef(
                    text=text[start:end],
                    start=sent.start_char + start,
                    end=sent.start_char + end,
                    date=iso,
                    sentence=text.strip(),
                    relative=relative,
                )
            )
    return sorted(found, key=lambda d: d.start)


def _matches(text: str, base: date | None) -> list[tuple[int, int, str, bool]]:
    out: list[tuple[int, int, str, bool]] = []
    for m in _DAY_MONTH.finditer(text):
        iso = _calendar_day(int(m.group(1)), MONTHS[m.group(2).lower()], m.group(3), base)
        if iso:
            out.append((m.start(), m.end(), iso, m.group(3) is None))
    for m in _NUMERIC.finditer(text):
        iso = _calendar_day(int(m.group(1)), int(m.group(2)), m.group(3), base)
        if iso:
            out.append((m.start(), m.end(), iso, False))
    if base is not None:
        for m in _WEEKDAY.finditer(text):
            target = WEEKDAYS.index(m.group(1).lower())
            day = base - timedelta(days=(base.weekday() - target) % 7)
            out.append((m.start(), m.end(), day.isoformat(), True))
        for m in _RELATIVE.finditer(text):
            day = base + timedelta(days=_RELATIVE_DAYS[m.group(1).lower()])
            out.append((m.start(), m.end(), day.isoformat(), True))
        for m in _LAST_WEEK.finditer(text):
            monday = base - timedelta(days=base.weekday() + 7)
            out.append((m.start(), m.end(), monday.isoformat(), True))
    for m in _MONTH_ONLY.finditer(text):
        month = MONTHS[m.group(1).lower()]
        if m.group(2):
            out.append((m.start(), m.end(), f"{m.group(2)}-{month:02d}", False))
        elif base is not None:
            year = base.year if month <= base.month else base.year - 1
            out.append((m.start(), m.end(), f"{year}-{month:02d}", True))
    return sorted(out)


def _calendar_day(day: int, month: int, year: str | None, base: date | None) -> str | None:
    try:
        if year is not None:
            return date(int(year), month, day).isoformat()
        if base is None:
            return None
        guess = date(base.year, month, day)
        if (guess - base).days > HALF_YEAR:
            guess = date(base.year - 1, month, day)
        return guess.isoformat()
    except ValueError:
        return None  # "31. Februar"
