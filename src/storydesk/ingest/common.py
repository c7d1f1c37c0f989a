"""What every source does to make an Article: clean paragraphs, hash, id."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date, datetime
from pathlib import Path

from storydesk.errors import InputError
from storydesk.records import Article, DateSource

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
# Characters that show nothing but change what a string is: zero-width ones
# split "Zel\u200densky" from "Zelensky" for search and linking; bidi controls
# (LRO/RLO, isolates, marks) can make an outlet's name display as another's.
# Removed from names, titles and outlets; the body keeps them (its offsets must
# stay valid) and search folds them out of what it indexes.
INVISIBLE = (
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
_INVISIBLE_TABLE = dict.fromkeys(map(ord, INVISIBLE))


def strip_invisible(text: str) -> str:
    """`text` without zero-width and bidi control characters."""
    return text.translate(_INVISIBLE_TABLE) if not text.isascii() else text


def clean_label(value: str | None) -> str | None:
    """A title, outlet or name as shown: invisible characters out, spaces collapsed; None when nothing is left."""
    if value is None:
        return None
    text = " ".join(strip_invisible(unicodedata.normalize("NFC", value)).split())
    return text or None


# A photo credit closing a paragraph: "(Photo by Chip Somodevilla/Getty Images)", "(AFP Photo)",
# "(Brendan Smialowski - AFP / Getty Images)", "(AP Photo/Andrew Medichini)", "(PIC/PTI)". Only credits
# naming a picture: a bare agency credit ("... a survivor said. (PTI)") closes reported text.
_PHOTO_CREDIT = re.compile(
    r"\s*\((?=[^()]*\b(?:[Pp]hoto(?:graph)?s?|PHOTO|[Pp]ic|PIC|[Ii]mages?|Getty|Shutterstock|Alamy|[Ff]ile)\b)"
    r"[^()]{2,100}\)\s*$"
)
# A caption is a short paragraph describing a picture; a longer one ending in a credit is body text
# the page glued a caption credit to, and keeps its words.
_CAPTION_WORDS = 60


def drop_caption(paragraph: str) -> str:
    """`paragraph` without a photo caption: "" for a caption with its credit, the text without the credit
    when a long paragraph ends in one. Captions describe a picture, not the news: read as text they became
    statements, and their photographers actors (issue 10)."""
    match = _PHOTO_CREDIT.search(paragraph)
    if match is None:
        return paragraph
    if len(paragraph[: match.start()].split()) <= _CAPTION_WORDS:
        return ""
    return paragraph[: match.start()].rstrip()


def clean_paragraphs(paragraphs: list[str]) -> list[str]:
    """Collapse runs of spaces inside paragraphs and drop empty ones and photo captions."""
    out = []
    for p in paragraphs:
        p = unicodedata.normalize("NFC", p)
        # The regex scan was a third of the cost of parsing a JSONL record; an
        # ASCII paragraph without a tab or a double space has nothing for it to do.
        if not p.isascii() or "  " in p or "\t" in p:
            p = _SPACES.sub(" ", p)
        if p.rstrip().endswith(")"):
            p = drop_caption(p.rstrip())
        p = p.strip()
        if p:
            out.append(p)
    return out


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs are separated by blank lines, or by single newlines when the text has no blank lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = re.split(r"\n\s*\n", text) if re.search(r"\n\s*\n", text) else text.split("\n")
    return clean_paragraphs([re.sub(r"\s*\n\s*", " ", p) for p in parts])


def content_hash(text: str) -> str:
    """Hash of the body with case and whitespace folded, so re-saved copies match."""
    folded = " ".join(text.lower().split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def iso_date(value: date | datetime | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return (
            value.isoformat(timespec="seconds")
            if (value.hour or value.minute or value.second)
            else value.date().isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    return value


def make_article(
    *,
    source: str,
    paragraphs: list[str],
    id: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    section: str | None = None,
    outlet: str | None = None,
    url: str | None = None,
    authors: list[str] | None = None,
    published: date | datetime | str | None = None,
    published_source: DateSource = "none",
    language: str | None = None,
    min_chars: int = 20,
) -> Article:
    """Build an Article from parsed parts; refuse bodies too short to be news."""
    paragraphs = clean_paragraphs(paragraphs)
    text = "\n\n".join(paragraphs)
    if len(text) < min_chars:
        raise InputError(source, "no article text found (empty or too short)")
    digest = content_hash(text)
    published_iso = iso_date(published)
    return Article(
        id=id or digest[:16],
        source=source,
        text=text,
        paragraphs=paragraphs,
        outlet=clean_label(outlet),
        url=url or None,
        title=clean_label(title),
        subtitle=clean_label(subtitle),
        section=clean_label(section),
        authors=[a for a in (clean_label(x) for x in (authors or [])) if a],
        published=published_iso,
        published_source=published_source if published_iso else "none",
        language=language or None,
        content_hash=digest,
    )


def read_file(path: Path, *, label: str, max_bytes: int | None) -> bytes:
    """A file's bytes, refused with a one-line reason when it is over the cap or unreadable."""
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise InputError(label, f"file is {size:,} bytes, over the {max_bytes:,}-byte cap")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(label, f"cannot read file ({exc.strerror or exc})") from None
