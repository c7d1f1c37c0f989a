"""RSS and Atom feeds through feedparser: one article per entry.

An entry gives the title, link (the article's URL), published date
(`published_source="feed"`), author, and its full content or summary with the
HTML stripped. The feed's title is the outlet. With `settings.follow_feeds`,
each entry's page is fetched and read as HTML instead; when that fails the
entry itself is kept and the failure logged.

A "feed" that is really an HTML page (a login wall, an error page) is refused
with a clear reason rather than yielding nothing.
"""

from __future__ import annotations

import email.utils
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import lxml.html

from storydesk.errors import InputError
from storydesk.ingest.common import make_article, read_file, split_paragraphs
from storydesk.ingest.outlets import outlet_from_url
from storydesk.records import Article
from storydesk.settings import IngestSettings

log = logging.getLogger(__name__)

# Elements after which a line break belongs when HTML is flattened to text.
_BLOCKS = {"p", "div", "li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr", "section", "article"}


def strip_html(markup: str) -> str:
    """Plain text of an HTML fragment, one paragraph per block element."""
    if "<" not in markup:
        return markup
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except Exception:  # lxml raises a handful of types on odd fragments; the text is all we want
        return markup
    for bad in root.xpath(".//script|.//style"):
        bad.drop_tree()
    for el in root.iter():
        if el.tag == "br":
            el.tail = "\n" + (el.tail or "")
        elif el.tag in _BLOCKS:
            el.tail = "\n\n" + (el.tail or "")
    return root.text_content()


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _entry_date(entry: Any) -> datetime | None:
    """The entry's date in the zone the feed wrote it in (issue 11: shown in UTC without saying so).

    feedparser's `*_parsed` fields are normalised to UTC and drop the offset, so
    the raw RFC 822 (RSS) or ISO 8601 (Atom) string is read first; the parsed
    UTC time, marked as UTC, is the fallback for forms only feedparser reads.
    """
    for key in ("published", "updated"):
        raw = entry.get(key)
        if not isinstance(raw, str) or not raw.strip():
            continue
        try:
            return email.utils.parsedate_to_datetime(raw.strip())
        except (TypeError, ValueError, IndexError):
            pass
        try:
            return datetime.fromisoformat(raw.strip())
        except ValueError:
            pass
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime(*parsed[:6]).replace(tzinfo=UTC) if parsed else None


def _entry_body(entry: Any) -> str:
    # Full content (content:encoded, atom:content) beats the summary; take the longest.
    candidates = [c.get("value", "") for c in entry.get("content", [])] + [entry.get("summary", "")]
    return max(candidates, key=len)


def article_from_entry(
    entry: Any, *, feed_source: str, outlet: str | None, settings: IngestSettings, number: int = 1
) -> Article:
    entry_id = entry.get("id") or entry.get("link") or f"entry-{number}"
    source = f"{feed_source}#{entry_id}"
    link = entry.get("link")
    published = _entry_date(entry)
    return make_article(
        source=source,
        paragraphs=split_paragraphs(strip_html(_entry_body(entry))),
        title=strip_html(entry.get("title", "")).strip() or None,
        outlet=outlet or outlet_from_url(link),
        url=link,
        authors=[a.get("name", "") for a in entry.get("authors", []) if a.get("name")] or [entry.get("author", "")],
        published=published,
        published_source="feed" if published else "none",
        min_chars=settings.min_text_chars,
    )


def _followed(entry: Any, fallback: Article | InputError, settings: IngestSettings) -> Article | InputError:
    """The entry's page, fetched and read; the entry itself when that fails."""
    from storydesk.ingest import fetch

    link = entry.get("link")
    if not link:
        return fallback
    try:
        page = fetch.fetch_article(link, settings=settings)
    except InputError as exc:
        log.warning("%s; keeping the feed entry's own text", exc)
        return fallback
    if isinstance(fallback, Article):
        # The feed knows the outlet and date better than many pages do.
        page.outlet = fallback.outlet or page.outlet
        page.title = page.title or fallback.title
        if page.published is None:
            page.published, page.published_source = fallback.published, fallback.published_source
    return page


def parse_feed(data: bytes, *, source: str, settings: IngestSettings) -> Iterator[Article | InputError]:
    """Every entry of one RSS/Atom document, as an Article or an InputError naming the entry."""
    if not data.strip():
        raise InputError(source, "empty input")
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.entries:
        if _looks_like_html(data):
            raise InputError(source, "this is an HTML page, not an RSS/Atom feed")
        if parsed.bozo:
            raise InputError(source, f"malformed feed XML ({parsed.bozo_exception})")
        raise InputError(source, "feed has no entries")
    outlet = parsed.feed.get("title") or outlet_from_url(parsed.feed.get("link"))
    for number, entry in enumerate(parsed.entries, start=1):
        item: Article | InputError
        try:
            item = article_from_entry(entry, feed_source=source, outlet=outlet, settings=settings, number=number)
        except InputError as exc:
            # feedparser recovers what it can from broken XML; say why an entry came out empty
            item = (
                InputError(exc.input, f"{exc.reason}; malformed feed XML ({parsed.bozo_exception})")
                if parsed.bozo
                else exc
            )
        yield _followed(entry, item, settings) if settings.follow_feeds else item


def read_feed_file(path: Path, *, settings: IngestSettings) -> Iterator[Article | InputError]:
    label = str(path)
    data = read_file(path, label=label, max_bytes=settings.max_bytes)
    yield from parse_feed(data, source=label, settings=settings)
