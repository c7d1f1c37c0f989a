"""How values are shown to a person, the same in the CLI, the web pages and the exports."""

from __future__ import annotations

import re
import textwrap
from datetime import datetime
from typing import TYPE_CHECKING

from storydesk.read.dates import MONTHS

if TYPE_CHECKING:
    from storydesk.records import Article


def when(value: str | None) -> str:
    """A publication time as the source gave it, with its UTC offset; a date stays a date.

    "2025-03-12T16:05:00+02:00" -> "2025-03-12 16:05 UTC+02:00". A time without
    an offset says so rather than passing for local or UTC time.
    """
    if not value or len(value) <= 10:
        return value or ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    shown = f"{moment:%Y-%m-%d %H:%M}"
    offset = moment.utcoffset()
    if offset is None:
        return f"{shown} (time zone not given)"
    if not offset:
        return f"{shown} UTC"
    sign = "-" if offset.total_seconds() < 0 else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{shown} UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


# Lines that open a stored page without naming its news: bylines, stamps, share buttons, the time since
# publication ("il y a 48 minutes", "hace 2 horas", "vor 3 Stunden", "5 hours ago").
_NOT_A_HEADLINE = re.compile(
    r"^(?:(?:by|von|par|por|updated|published|share|photo|image|file)\b|il y a \d|hace \d|vor \d|\d+ \w+ ago\b)",
    re.IGNORECASE,
)
# A byline without "By": a few capitalised words holding a newsroom role ("OAN Staff Taylor Tinsley",
# "Special Correspondent", "News Desk"). A headline of so few words rarely names a role.
_ROLE_BYLINE = re.compile(
    r"^(?:[A-Z][\w.'’-]*\s+){0,4}(?:Staff|Reporter|Correspondent|Writer|Desk|Bureau|Contributor)"
    r"(?:\s+[A-Z][\w.'’-]*){0,3}$"
)


def first_line(text: str) -> str:
    """A title for an untitled article: its first headline-like line (short, a few words, not a byline
    or stamp), else its first sentence."""
    from storydesk.link.days import page_line_end  # a page-format pattern linking owns

    body = text[page_line_end(text) :]
    lines = [_LABEL.sub("", _BULLET.sub("", line)).strip() for line in body.strip().split("\n")]
    for line in lines[:4]:
        if 0 < len(line) <= 150 and _wordy(line) and not _NOT_A_HEADLINE.match(line) and not _ROLE_BYLINE.match(line):
            return line
    # No headline: the first sentence of the first line of prose (not a byline such as
    # "F.P. Report"), without a label or dateline before it ("WEBDESK:", "RAWALPINDI :").
    prose = next((line for line in lines if _wordy(line) and not _ROLE_BYLINE.match(line)), body.strip())
    sentence = re.split(r"(?<=[.!?])\s", prose, maxsplit=1)[0].strip()
    return _shorten(sentence, _TITLE_CHARS) or "(untitled)"


_TITLE_CHARS = 120


def _shorten(text: str, width: int) -> str:
    """`text` cut at a word boundary with an ellipsis when longer than `width` ("... Harop drones", never
    "... Harop dr"); a first word longer than `width` is cut where it must be."""
    if len(text) <= width:
        return text
    short = textwrap.shorten(text, width, placeholder="…")
    return short if short != "…" else text[: width - 1] + "…"


# Bullets and dashes that open a line of a stored page.
_BULLET = re.compile(r"^[\s•·*▶►‣–—-]+")
# An all-capitals label or dateline before the first sentence: "WEBDESK:", "RAWALPIND :",
# "SRINAGAR, May 10 (PTI) -".
_LABEL = re.compile(r"^[A-Z][A-Z .'&]{2,30}(?:,[^:–—\n]{0,25}?)?\s*(?:\([A-Za-z]+\))?\s*[:–—-]\s+")


def _wordy(line: str) -> bool:
    """A line of words, not a date or a stamp: four words or more, three of them words of letters
    that are not month names ("May 10, 2025" is no headline)."""
    words = line.split()
    letters = [w for w in words if w.strip(".,:;").isalpha() and w.strip(".,:;").lower() not in MONTHS]
    return len(words) >= 4 and len(letters) >= 3


def title_of(article: Article) -> str:
    """What an article is called where a title is shown: its title, else its first headline-like line."""
    return article.title or first_line(article.text)
