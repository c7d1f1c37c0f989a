"""When an article's news happened, in any language: its day and the dates it mentions.

Grouping must work on articles without a publication date, in many
languages, read or not. This module looks at the raw text only:

- `known_day`: the publication date, else a page date line the stored text
  begins with (" date 2025-05-07 ...", unless it is a year's 1st of January), else None. A batch's ingestion day
  is never taken for the news day: files ingested today were rarely
  written today.
- `date_tokens`: the calendar days and weekdays the text mentions, as
  language-independent tokens ("md:05-07", and "y:2025" for a year written with a day): "May 7", "7 May",
  "7. Mai", "7 de mayo", "7 мая", "2025-05-07", "07.05.2025", "Wednesday",
  "mercredi", "в среду". A weekday is also resolved to a day when the
  article's day is known (the most recent such weekday on or before it), so
  "on Wednesday" in a dated article meets "May 7" in an undated one.

Month and weekday names come from dateparser's locale data (the library
storydesk already uses to parse dates), full forms only: abbreviations such
as "mar" or "sa" are words in other languages.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from storydesk.records import Article

# Languages whose month and weekday names are recognised: the languages of
# the news storydesk is measured on, and their neighbours.
LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "uk", "tr", "hi", "ur", "ar")
_MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# A page's own date line at the start of a stored text (" date 2025-05-07 The ..."): metadata, not news.
PAGE_DATE_LINE = re.compile(r"^\s*(?:date|published|updated)?[:\s]*(\d{4})-(\d{2})-(\d{2})\b", re.IGNORECASE)
# A page's date line that gives only a year and month (" date 2025-05 ..."): metadata as well, but no day.
PAGE_MONTH_LINE = re.compile(r"^\s*(?:date|published|updated)[:\s]*(?:19|20)\d\d-\d\d(?!-)\s*", re.IGNORECASE)


def page_line_end(head: str) -> int:
    """Where the page's date line (a whole date or a year and month) that a text begins with ends; 0 for none."""
    match = PAGE_DATE_LINE.match(head[:40]) or PAGE_MONTH_LINE.match(head[:40])
    return match.end() if match else 0


@lru_cache(maxsize=1)
def _names() -> tuple[dict[str, int], dict[str, int]]:
    """(month name -> 1..12, weekday name -> 0..6), lower case, from dateparser's locales."""
    from dateparser.languages.loader import default_loader

    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    for code in LANGUAGES:
        info = default_loader.get_locale(code).info
        for number, key in enumerate(_MONTH_KEYS, start=1):
            for name in info.get(key, []):
                # Full forms only (English "may" is kept: a month needs a day number beside it).
                if len(name) >= 3 and not name.endswith("."):
                    months.setdefault(name.lower(), number)
        for number, key in enumerate(_WEEKDAY_KEYS):
            for name in info.get(key, []):
                # A weekday stands alone, so only long forms: "sa", "mi", "mer" are words.
                if len(name) >= 5:
                    weekdays.setdefault(name.lower(), number)
    return months, weekdays


def _alternation(words: list[str]) -> str:
    """A regular expression of `words` (matched case-insensitively) that prefers the longest word that fits.

    Written as a tree of shared beginnings ("ma(?:r(?:ch|s|zo)|y)"): a flat list of 322 month names,
    longest first, made `re` try each name at every word of the text, 2.4 ms an article (issue 13, round 15:
    0.4 ms). It matches what the flat list, longest first, does: the names that fit at a place of the text
    are all beginnings of one branch (no two letters of one fork are the same letter in another case), and
    a branch tries its longer names first. Where two letters of a fork are, the flat list is kept."""
    tree: dict[str, Any] = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # a word ends here

    def branch(node: dict[str, Any]) -> str | None:
        letters = sorted(c for c in node if c)
        if any(re.fullmatch(re.escape(a), b, re.IGNORECASE) for i, a in enumerate(letters) for b in letters[i + 1 :]):
            return None
        tails = [branch(node[c]) for c in letters]
        if any(tail is None for tail in tails):
            return None
        options = [re.escape(c) + str(tail) for c, tail in zip(letters, tails, strict=True)]
        if not options:
            return ""
        body = options[0] if len(options) == 1 else f"(?:{'|'.join(options)})"
        if "" not in node:
            return body
        return f"(?:{body})?" if len(options) == 1 else f"{body}?"  # greedy: the longer words first

    shared = branch(tree)
    return shared if shared is not None else "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    months, weekdays = _names()
    month = f"(?P<month>{_alternation(list(months))})"
    # "7 May", "7. Mai", "7 de mayo", "7th of May", "7 мая 2025"; "May 7", "May 7th, 2025".
    day_month = re.compile(
        rf"(?<![\w.])(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|º|\.)?\s+(?:de\s+|of\s+)?{month}(?!\w)"
        r"(?:,?\s+(?:de\s+)?(?P<year>(?:19|20)\d\d)(?!\d))?",
        re.IGNORECASE,
    )
    month_day = re.compile(
        rf"(?<!\w){month}\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:])(?:,?\s+(?P<year>(?:19|20)\d\d)(?!\d))?",
        re.IGNORECASE,
    )
    weekday = re.compile(rf"(?<!\w)(?P<weekday>{_alternation(list(weekdays))})(?!\w)", re.IGNORECASE)
    return day_month, month_day, weekday


_ISO = re.compile(r"(?<!\d)((?:19|20)\d\d)-(\d\d)-(\d\d)(?!\d)")
_DOTTED = re.compile(r"(?<![\d.])([0-3]?\d)\.([01]?\d)\.((?:19|20)\d\d)(?!\d)")


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def page_date(text: str) -> str | None:
    """The ISO day of a page date line the text begins with, if any."""
    match = PAGE_DATE_LINE.match(text[:40])
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat()
    except ValueError:
        return None


def known_day(article: Article) -> str | None:
    """The article's day: its publication date, else its page date line, else None.

    A page date line on the 1st of January is not taken for a day: it is what
    page templates and extractors print when they know only the year (a page
    reporting on 7 and 8 May begins "date 2025-01-01"), and a wrong day pulls
    the article into the wrong event and dates its event wrongly.
    """
    if article.published and len(article.published) >= 10:
        try:
            return date.fromisoformat(article.published[:10]).isoformat()
        except ValueError:
            pass
    day = page_date(article.text)
    return None if day is not None and day[5:] == "01-01" else day


def mentioned(text: str) -> list[tuple[int | None, int, int]]:
    """(year or None, month, day) of every calendar day the text names, in order."""
    return [value for _start, _end, value in _mentioned_at(text)]


@lru_cache(maxsize=4)
def _mentioned_at(text: str) -> tuple[tuple[int, int, tuple[int | None, int, int]], ...]:
    """`mentioned`, each day with where it is written (start, end). An article's features ask three times
    for the same body (`plan_days`, `lead_day`, `date_tokens`): the last answers are kept (issue 13)."""
    day_month, month_day, _weekday = _patterns()
    months, _ = _names()
    found: list[tuple[int, int, tuple[int | None, int, int]]] = []

    def add(start: int, end: int, value: tuple[int | None, int, int]) -> None:
        if any(s < end and start < e for s, e, _ in found):
            return
        found.append((start, end, value))

    for m in _ISO.finditer(text):
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _valid(month, day):
            add(m.start(), m.end(), (year, month, day))
    for m in _DOTTED.finditer(text):
        day, month, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _valid(month, day):
            add(m.start(), m.end(), (year, month, day))
    for pattern in (day_month, month_day):
        for m in pattern.finditer(text):
            month = months[m.group("month").lower()]
            day = int(m.group("day"))
            if _valid(month, day):
                add(m.start(), m.end(), (int(m.group("year")) if m.group("year") else None, month, day))
    return tuple(sorted(found))


# A day a plan or a deadline starts or ends on, not a day something happened: "tariffs of 34% effective from
# April 10" against "China announced on Friday (April 4)" are two days of one story, not one happening given two
# days. Written by hand: date parsers tell no tense or aspect. English, French, German and Spanish forms.
PLAN_BEFORE = re.compile(
    r"(?:\b(?:effective|starting|beginning|from|until|till|by|before|no later than|deadline(?: of)?|as of|"
    r"(?:take|takes|taking|took|come|comes|came) (?:into )?(?:effect|force)|"
    r"à partir du|dès le|jusqu'au|jusqu’au|ab dem|ab|bis zum|bis|a partir del|desde el|hasta el)"
    r"(?: on| the| le| el)*)\s+$",
    re.IGNORECASE,
)


def is_plan(text: str, start: int) -> bool:
    """Whether the date written at `start` of `text` is a plan's start or a deadline (`PLAN_BEFORE`)."""
    return bool(PLAN_BEFORE.search(text[max(0, start - 40) : start]))


def plan_days(article: Article) -> list[str]:
    """The calendar days ("MM-DD") the text names only as a plan's start or a deadline (`PLAN_BEFORE`: "must
    leave by May 1", "effective from April 10"), never as a day something happened.

    Kept apart from the linking tokens: a plan's day is one the reports of a happening share, so linking
    leans on it (docs/evaluation.md, "Lead, round 7"), but it is not the day of the news.
    """
    text = _body(article.text)
    planned: dict[str, bool] = {}
    for start, _end, (_year, month, day) in _mentioned_at(text):
        key = f"{month:02d}-{day:02d}"
        planned[key] = planned.get(key, True) and is_plan(text, start)
    return sorted(k for k, only_plan in planned.items() if only_plan)


def weekdays(text: str) -> list[int]:
    """The weekdays (0 = Monday) the text names, in order."""
    _names_, weekday_names = _names()
    pattern = _patterns()[2]
    return [weekday_names[m.group("weekday").lower()] for m in pattern.finditer(text)]


def _body(text: str) -> str:
    """The text without the page date line it may begin with (metadata, not news)."""
    line = PAGE_DATE_LINE.match(text[:40]) if page_date(text) else None
    return text[line.end() :] if line else text


def lead_day(article: Article) -> str | None:
    """The first calendar day the text names ("MM-DD", year left out), None when it names none.

    An undated article's best guess of when its news happened: a report names
    the day of its news before the days of the background it recaps (on
    news_stories_2025 dev the first named day lay within a day of the event for
    57 of the 86 articles naming one, against 51 for the latest and 45 for the
    earliest; docs/evaluation.md). Only a guess, so linking uses it where no
    known day exists, as a soft signal, never to choose candidates.
    """
    found = mentioned(_body(article.text))
    if not found:
        return None
    _year, month, day = found[0]
    return f"{month:02d}-{day:02d}"


def date_tokens(article: Article, day: str | None) -> list[str]:
    """Language-independent tokens of the days and weekdays the article mentions (see the module doc).

    The page date line is left out: it dates the page, and would make every
    article of one publication day look like one event.
    """
    text = _body(article.text)
    tokens: set[str] = set()
    for year, month, day_of_month in mentioned(text):
        tokens.add(f"md:{month:02d}-{day_of_month:02d}")
        if year:
            tokens.add(f"y:{year}")
    anchor = date.fromisoformat(day) if day else None
    # A weekday alone is no token: every week has a Friday, and two unrelated
    # events on Fridays would look alike. It counts once resolved against a known day.
    for weekday in weekdays(text):
        if anchor is not None:
            back = (anchor.weekday() - weekday) % 7
            resolved = anchor - timedelta(days=back)
            tokens.add(f"md:{resolved.month:02d}-{resolved.day:02d}")
    return sorted(tokens)
