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


# Titles and headings of error pages ("404 Not Found", "Page not found", "Seite
# nicht gefunden", ...). A page saved from a dead link has one of these and a
# line or two of text; a news article about an outage has a body as well.
_ERROR_PAGE = re.compile(
    r"\b(?:40[0134]|41[07]|50[0-4])\b.{0,40}\b(?:error|not found|forbidden|gone|unavailable|denied|fehler)\b"
    r"|\b(?:error|fehler)\s*:?\s*(?:40[0134]|50[0-4])\b"
    r"|\b(?:page|file|article|content|story|resource|url)\s+(?:was\s+|could\s+not\s+be\s+|cannot\s+be\s+)?not\s+found\b"
    r"|^\s*not\s+found\s*$|\bpage\s+(?:does\s+not|doesn't|no\s+longer)\s+exists?\b"
    r"|\b(?:can't|cannot|could\s+not|couldn't)\s+find\s+(?:that|the|this)\s+page\b"
    r"|\baccess\s+denied\b|\bservice\s+(?:temporarily\s+)?unavailable\b|\binternal\s+server\s+error\b"
    r"|\bseite\s+(?:wurde\s+)?nicht\s+gefunden\b|\bpage\s+(?:introuvable|non\s+trouv[ée]e)\b"
    r"|\bp[áa]gina\s+no\s+encontrada\b|\bpagina\s+non\s+trovata\b",
    re.I,
)
ERROR_PAGE_MAX_CHARS = 600  # an error page's text is a line or two; an article about an outage is longer


def error_page(title: str | None, text: str) -> str | None:
    """The error heading when a page is an error page (a heading that says so and no article body), else None."""
    if len(text) > ERROR_PAGE_MAX_CHARS:
        return None
    first_line = text.strip().split("\n", 1)[0][:200]
    for candidate in (title or "", first_line):
        if candidate and _ERROR_PAGE.search(candidate):
            return candidate.strip()
    return None


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
    if heading := error_page(doc.title, doc.text):
        raise InputError(source, f"an error page ({heading[:80]!r}), not an article")
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
