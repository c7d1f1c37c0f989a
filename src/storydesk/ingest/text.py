"""Plain-text articles in the shape of saved news pages.

    Today : Mar 13, 2025          <- crawl line (optional)
    Source: Harbor Daily          <- outlet (optional; "Outlet:" works too)
    World News                    <- section (optional)
    12 March 2025                 <- date line (optional)
    By Ana Petrov and Li Wei      <- byline (optional)

    Quelle: tagesschau.de         <- German pages: outlet ("Quelle:"), last update ("Stand:"),
    Stand: 12.03.2025 14:30 Uhr      byline ("Von ..."), a dateline line ("Berlin (dpa) –")

    Title                         <- optional
    Subtitle                      <- optional, only after a title
    Body paragraphs ...

A file with no title starts straight with the body; its date is then inferred
from the lead ("On March 12, 2025, ...") and marked `published_source="text"`.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from storydesk.ingest.common import make_article, read_file, split_paragraphs
from storydesk.ingest.decode import decode_bytes
from storydesk.records import Article

_CRAWL = re.compile(r"^\s*(?:today|crawled|retrieved|abgerufen|heute)\s*:\s*(?P<date>.+)$", re.I)
_OUTLET = re.compile(r"^\s*(?:source|outlet)\s*:\s*(?P<name>\S.*)$", re.I)
# "By" with a capital letter and a short run of names: a byline, not a sentence.
_BYLINE = re.compile(r"^\s*By\s+(?P<names>[A-Z][^.!?:;]{1,100})$")
_AUTHOR_SPLIT = re.compile(r"\s*(?:,|\band\b|\bund\b|&)\s*")
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|januar|februar|märz|mai|juni|juli|oktober|dezember)\.?"
)
# Dates as they are written in news leads and date lines.
_DATE = re.compile(
    rf"\b(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
    rf"|\d{{1,2}}\.?\s+{_MONTHS}\s+\d{{4}}"
    r"|\d{4}-\d{2}-\d{2})\b",
    re.I,
)
# A title is one short line; a line ending in sentence punctuation that is
# long is a body paragraph.
_TITLE_MAX = 200
_SUBTITLE_MAX = 300
_LEAD_CHARS = 400  # where in the lead an inferred date may stand


def parse_date(text: str) -> datetime | None:
    """Parse one date expression (English or German month names), or None."""
    import dateparser  # imported here: it takes a second to load and only dates need it

    return dateparser.parse(
        text.strip(),
        languages=["en", "de"],
        settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]},
    )


def _is_date_line(line: str) -> datetime | None:
    match = _DATE.fullmatch(line.strip().rstrip("."))
    return parse_date(match.group(0)) if match else None


# German header lines (issue 14): the outlet, the last update, the byline and a dateline standing alone.
_DE_OUTLET = re.compile(r"^\s*quelle\s*:\s*(?P<name>\S.*)$", re.I)
_DE_STAND = re.compile(r"^\s*(?:stand|aktualisiert(?: am)?|veröffentlicht(?: am)?)\s*:?\s*(?P<date>\d.*)$", re.I)
_DE_NUMERIC_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}\.\s*[A-Za-zäÄ]+\s+\d{4}")
_DE_BYLINE = re.compile(r"^\s*Von\s+(?P<names>[A-ZÄÖÜ][^.!?:;]{1,100})$")
_DATELINE = re.compile(r"^\s*[A-ZÄÖÜ][\w./ -]{1,40}\s*\((?P<agency>[A-Za-z/-]{2,12})\)\s*[-–—]?\s*$")


def german_header(line: str) -> tuple[str, str | datetime] | None:
    """What a German header line says: ("outlet", name), ("date", when), ("authors", names) or ("agency", name)."""
    if m := _DE_OUTLET.match(line):
        return "outlet", m.group("name").strip()
    if (m := _DE_STAND.match(line)) and (d := _DE_NUMERIC_DATE.search(m.group("date"))):
        day = d.group(0)
        if (n := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", day)) is not None:
            try:  # day first, as German writes it (dateparser would read 12.03. as 3 December)
                return "date", datetime(int(n.group(3)), int(n.group(2)), int(n.group(1)))
            except ValueError:
                return None
        when = parse_date(day)
        return ("date", when) if when is not None else None
    if m := _DE_BYLINE.match(line):
        return "authors", m.group("names").strip()
    if m := _DATELINE.match(line):
        return "agency", m.group("agency")
    return None


def _is_section_line(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 3 and len(line) <= 30 and not line.rstrip().endswith((".", "!", "?", ":", '"'))


def parse_text(text: str, *, source: str, min_chars: int = 20) -> Article:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # 1. header lines: crawl line, outlet, byline, section, date line (in any order, before the first blank block)
    crawled: datetime | None = None
    dated: datetime | None = None
    section: str | None = None
    outlet: str | None = None
    authors: list[str] = []
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    header_seen = False
    agency_only = False  # authors came from a dateline; a byline replaces them
    while i < len(lines) and lines[i].strip():
        line = lines[i].strip()
        german = german_header(line)
        if german is not None:
            kind, value = german
            if kind == "outlet" and outlet is None:
                outlet = str(value)
            elif kind == "date" and dated is None and isinstance(value, datetime):
                dated = value
            elif kind == "authors" and (not authors or agency_only):
                authors = [a for a in _AUTHOR_SPLIT.split(str(value)) if a]
                agency_only = False
            elif kind == "agency" and not authors:
                authors, agency_only = [str(value)], True  # "Berlin (dpa) –": the agency wrote it
        elif (m := _CRAWL.match(line)) and crawled is None:
            crawled = parse_date(m.group("date"))
        elif (m := _OUTLET.match(line)) and outlet is None:
            outlet = m.group("name").strip()
        elif (m := _BYLINE.match(line)) and not authors:
            authors = [a for a in _AUTHOR_SPLIT.split(m.group("names").strip()) if a]
        elif dated is None and (d := _is_date_line(line)) is not None:
            dated = d
        elif (
            section is None
            and _is_section_line(line)
            # first line of the file: a section only when a date line follows it
            and (header_seen or (i + 1 < len(lines) and _is_date_line(lines[i + 1]) is not None))
        ):
            section = line
        else:
            break
        header_seen = True
        i += 1
    body = "\n".join(lines[i:])
    # 2. title and subtitle: single short lines standing alone before the body
    blocks = [b for b in re.split(r"\n\s*\n", body.strip()) if b.strip()]
    title = subtitle = None
    if (
        len(blocks) >= 2
        and "\n" not in blocks[0].strip()
        and len(blocks[0]) <= _TITLE_MAX
        and not _is_sentence(blocks[0])
    ):
        title = blocks.pop(0).strip()
        if (
            len(blocks) >= 2
            and "\n" not in blocks[0].strip()
            and len(blocks[0]) <= _SUBTITLE_MAX
            and len(blocks[1]) > len(blocks[0])
        ):
            subtitle = blocks.pop(0).strip()
    paragraphs = split_paragraphs("\n\n".join(blocks)) if title else split_paragraphs(body)
    # 3. the date: the header's date line, else the lead's, else the crawl line
    published, published_source = None, "none"
    if dated is not None:
        published, published_source = dated, "header"
    elif paragraphs and (m := _DATE.search(paragraphs[0][:_LEAD_CHARS])) and (d := parse_date(m.group(0))):
        published, published_source = d, "text"
    elif crawled is not None:
        published, published_source = crawled, "header"
    return make_article(
        source=source,
        paragraphs=paragraphs,
        title=title,
        subtitle=subtitle,
        section=section,
        outlet=outlet,
        authors=authors,
        published=published.date() if published else None,
        published_source=published_source,  # type: ignore[arg-type]
        min_chars=min_chars,
    )


def _is_sentence(block: str) -> bool:
    """A long block ending like a sentence is body text, not a title."""
    block = block.strip()
    return len(block) > 120 and block.endswith((".", "!", "?", '"', "”"))


def read_text_file(
    path: Path, *, source: str | None = None, min_chars: int = 20, max_bytes: int | None = None
) -> Article:
    label = source or str(path)
    data = read_file(path, label=label, max_bytes=max_bytes)
    return parse_text(decode_bytes(data, input=label), source=label, min_chars=min_chars)
