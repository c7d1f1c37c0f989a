"""HTML pages (saved files, fetched pages, WARC records) through trafilatura.

trafilatura removes boilerplate (navigation, footers, comments) and reads the
page's metadata: title, author, date, site name, language. The site name
becomes the outlet, falling back to the URL's host. A date found in the page
is marked `published_source="metadata"`.
"""

from __future__ import annotations

import re
from pathlib import Path

import trafilatura
from trafilatura.settings import Document

from storydesk.errors import InputError
from storydesk.ingest.common import make_article, read_file
from storydesk.ingest.decode import decode_bytes
from storydesk.ingest.outlets import outlet_from_url
from storydesk.records import Article
from storydesk.settings import IngestSettings

# Title parts are joined with these in <title> ("Story | Site", "Site - Story").
_TITLE_PARTS = re.compile(r"\s+[|»·–—-]\s+")


def clean_title(title: str | None, *, sitename: str | None, url: str | None) -> str | None:
    """The title without the site's name, which many pages add to it before or after a separator."""
    if not title:
        return title
    names = {n.casefold() for n in (sitename, outlet_from_url(url)) if n}
    names |= {n.split(".")[0] for n in names if "." in n}  # "cnn.com" -> "cnn"
    if not names:
        return title

    squashed = {re.sub(r"\W+", "", n) for n in names}

    def is_site(part: str) -> bool:
        # compared without spaces and punctuation: "Harbour News" is harbour-news.example
        part = re.sub(r"\W+", "", part.casefold())
        return len(part) >= 3 and any(n in part or part in n for n in squashed if len(n) >= 3)

    for name in sorted(names, key=len, reverse=True):  # "Site: Story" / "Site | Story"
        if title.casefold().startswith(name) and (rest := title[len(name) :].lstrip()) and rest[0] in ":|-–—»":
            title = rest[1:].strip()
            break
    parts = _TITLE_PARTS.split(title)
    while len(parts) > 1 and is_site(parts[-1]):
        parts.pop()
    while len(parts) > 1 and is_site(parts[0]):
        parts.pop(0)
    return " - ".join(parts) if len(parts) > 1 else parts[0]


def _fold(text: str) -> str:
    return " ".join(text.lower().split())


def _authors(value: str | None) -> list[str]:
    # trafilatura joins several authors with "; ".
    return [a.strip() for a in (value or "").split(";") if a.strip()]


def parse_html(html: str | bytes, *, source: str, url: str | None = None, settings: IngestSettings) -> Article:
    """One article from one HTML page, or InputError when the page has no article text."""
    if isinstance(html, bytes):
        html = decode_bytes(html, input=source)
    if not html.strip():
        raise InputError(source, "empty input")
    # Comments are readers' words, not the outlet's: leave them out.
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False, include_tables=False)
    if not isinstance(doc, Document) or not doc.text or not doc.text.strip():
        raise InputError(source, "no article text found in the HTML page")
    page_url = url or doc.url
    title = clean_title(
        doc.title, sitename=doc.sitename, url=page_url or (f"http://{doc.hostname}" if doc.hostname else None)
    )
    paragraphs = doc.text.split("\n")
    if doc.title and _fold(paragraphs[0]) in (_fold(doc.title), _fold(title or "")):
        paragraphs = paragraphs[1:]  # the page's <h1> repeats the title; it is not body text
    return make_article(
        source=source,
        paragraphs=paragraphs,
        title=title,
        outlet=doc.sitename or outlet_from_url(page_url) or doc.hostname,
        url=page_url,
        authors=_authors(doc.author),
        published=doc.date,
        published_source="metadata" if doc.date else "none",
        language=doc.language,
        min_chars=settings.min_text_chars,
    )


def read_html_file(path: Path, *, settings: IngestSettings) -> Article:
    label = str(path)
    data = read_file(path, label=label, max_bytes=settings.max_bytes)
    return parse_html(data, source=label, settings=settings)
