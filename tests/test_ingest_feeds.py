"""RSS and Atom feeds (issue 2): one article per entry, broken feeds refused clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from storydesk.errors import InputError
from storydesk.ingest import iter_inputs
from storydesk.ingest.feeds import parse_feed, read_feed_file, strip_html
from storydesk.records import Article
from storydesk.settings import IngestSettings

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Harbour Weekly</title>
  <link href="https://harbour.example/"/>
  <id>urn:harbour</id>
  <updated>2026-04-15T10:00:00Z</updated>
  <entry>
    <title>Bridge closed to lorries</title>
    <link href="https://harbour.example/bridge"/>
    <id>urn:harbour:bridge</id>
    <updated>2026-04-15T09:00:00Z</updated>
    <author><name>Ines Kalb</name></author>
    <content type="html">&lt;p&gt;The council closed the harbour bridge to lorries on Monday.&lt;/p&gt;&lt;p&gt;Repairs will take six weeks, the mayor said.&lt;/p&gt;</content>
  </entry>
</feed>
"""


def test_example_rss_feed_gives_one_article_per_entry() -> None:
    articles = list(read_feed_file(EXAMPLES / "feed.xml", settings=IngestSettings()))
    assert [type(a) for a in articles] == [Article, Article]
    first, second = articles
    assert isinstance(first, Article) and isinstance(second, Article)
    assert first.outlet == second.outlet == "Radio Ostmark News"
    assert first.title == "Aldmoor flood: inquiry promised as villagers wait to go home"
    assert first.url == "https://news.radio-ostmark.example/2026/04/15/aldmoor-flood-inquiry"
    assert first.source == f"{EXAMPLES / 'feed.xml'}#ostmark-2026-04-15-aldmoor"
    assert first.published is not None and first.published.startswith("2026-04-15")
    assert first.published_source == "feed"
    assert first.authors == ["Radio Ostmark newsroom"]
    # the full text from content:encoded, one paragraph per <p>, no markup
    assert len(first.paragraphs) == 5
    assert "<p>" not in first.text
    # the second entry has only an HTML description
    assert second.paragraphs[1].startswith("Colonel Ruth Hadley said")


def test_atom_feed() -> None:
    (article,) = parse_feed(ATOM, source="https://harbour.example/feed", settings=IngestSettings())
    assert isinstance(article, Article)
    assert (article.title, article.outlet, article.authors) == (
        "Bridge closed to lorries",
        "Harbour Weekly",
        ["Ines Kalb"],
    )
    assert article.published == "2026-04-15T09:00:00+00:00"
    assert article.paragraphs == [
        "The council closed the harbour bridge to lorries on Monday.",
        "Repairs will take six weeks, the mayor said.",
    ]


def test_strip_html_keeps_paragraphs_and_drops_scripts() -> None:
    text = strip_html("<p>One<br>two</p><script>alert(1)</script><div>three &amp; four</div>")
    assert text.split() == ["One", "two", "three", "&", "four"]
    assert "\n\n" in text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>",
            "HTML page, not an RSS/Atom feed",
        ),
        (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut', "malformed feed XML"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>', "no entries"),
        (b"", "empty input"),
    ],
)
def test_broken_feeds_are_one_clear_error(data: bytes, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        list(parse_feed(data, source="f.xml", settings=IngestSettings()))


def test_bad_entry_does_not_lose_the_others() -> None:
    data = ATOM.replace(b"</feed>", b"<entry><title>Empty</title><id>urn:e</id></entry></feed>")
    items = list(parse_feed(data, source="f.xml", settings=IngestSettings()))
    assert [type(i) for i in items] == [Article, InputError]
    assert items[1].input == "f.xml#urn:e"  # type: ignore[union-attr]


def test_feed_that_is_an_html_page_fails_and_the_batch_carries_on(tmp_path: Path) -> None:
    (tmp_path / "a.rss").write_bytes(b"<html><body><h1>Page not found</h1></body></html>")
    (tmp_path / "b.atom").write_bytes(ATOM)
    items = list(iter_inputs([str(tmp_path)], IngestSettings()))
    assert [type(i) for i in items] == [InputError, Article]
