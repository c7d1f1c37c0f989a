"""HTML pages through trafilatura (issue 2): metadata, boilerplate removal, broken pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from storydesk.errors import InputError
from storydesk.ingest import iter_inputs
from storydesk.ingest.html import clean_title, parse_html, read_html_file
from storydesk.ingest.sources import source_label
from storydesk.records import Article
from storydesk.settings import IngestSettings

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BODY = (
    "<p>The council voted on Monday to close the old harbour bridge to lorries after engineers found cracks "
    "in two of its supports, the mayor said.</p>"
    "<p>“We cannot take the risk,” said Mayor Ines Varga, adding that repairs would take at least six weeks.</p>"
)


def test_saved_page_gives_title_outlet_date_author_and_body_without_boilerplate() -> None:
    article = read_html_file(EXAMPLES / "page.html", settings=IngestSettings())
    assert article.title == "Aldmoor Dam: warnings about corroded gates went unheeded, engineers say"
    assert article.outlet == "The Daily Ledger"
    assert (article.published, article.published_source) == ("2026-04-15", "metadata")
    assert article.authors == ["Sofia Marek"]
    assert article.url == "https://www.dailyledger.example/news/2026/04/15/aldmoor-dam-warnings"
    assert article.paragraphs[0].startswith("Two engineers who worked on the Aldmoor Dam")
    assert len(article.paragraphs) == 6
    for boilerplate in ("Subscribe", "All rights reserved", "Most read", "Ferry fares"):
        assert boilerplate not in article.text


def test_outlet_falls_back_to_the_url_host_and_no_date_means_none() -> None:
    html = f"<html><head><title>Bridge closed to lorries</title></head><body><article>{BODY}</article></body></html>"
    article = parse_html(html, source="x", url="https://www.harbour-news.example/a/1", settings=IngestSettings())
    assert article.outlet == "harbour-news.example"
    assert article.title == "Bridge closed to lorries"
    assert (article.published, article.published_source) == (None, "none")


def test_malformed_html_still_gives_the_text() -> None:
    # unclosed tags, a stray </div>, an unterminated comment at the end
    html = "<html><body><div><article><p>" + BODY.replace("</p>", "") + "</div></span><!-- never closed"
    article = parse_html(html, source="broken.html", settings=IngestSettings())
    assert "cracks in two of its supports" in article.text
    assert "Mayor Ines Varga" in article.text


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("", "empty input"),
        ("<html><body><nav><a href='/'>Home</a></nav></body></html>", "no article text"),
        ("<<<>>><<<", "no article text"),
    ],
)
def test_pages_without_an_article_are_errors(html: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        parse_html(html, source="p.html", settings=IngestSettings())


def test_a_bad_page_does_not_stop_the_batch(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    (tmp_path / "b.html").write_bytes(b"\x00\x01\x02binary\xff\xfe" * 50)
    (tmp_path / "c.html").write_text(f"<html><body><article>{BODY}</article></body></html>", encoding="utf-8")
    items = list(iter_inputs([str(tmp_path)], IngestSettings()))
    assert [type(i) for i in items] == [InputError, InputError, Article]
    assert [i.input for i in items[:2]] == [source_label(tmp_path / "a.html"), source_label(tmp_path / "b.html")]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("title", "sitename", "url", "expected"),
    [
        ("Bridge closed to lorries | Harbour Weekly", "Harbour Weekly", None, "Bridge closed to lorries"),
        ("Harbour Weekly: Bridge closed to lorries", "Harbour Weekly", None, "Bridge closed to lorries"),
        ("Bridge closed - Harbour News", None, "https://www.harbour-news.example/a", "Bridge closed"),
        ("Bridge closed | Local | Harbour Weekly", "Harbour Weekly", None, "Bridge closed - Local"),
        # a separator inside the title itself is not a site name
        ("Spider-Man - The Review", "Film Site", "https://film.example/x", "Spider-Man - The Review"),
        ("Bridge closed to lorries", "Harbour Weekly", None, "Bridge closed to lorries"),
    ],
)
def test_site_name_is_cut_from_the_title(title: str, sitename: str | None, url: str | None, expected: str) -> None:
    assert clean_title(title, sitename=sitename, url=url) == expected


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>The requested URL /news/x was not found on this server.</p></body></html>",
        "<html><head><title>Page not found | Harbour Daily</title></head><body><nav>Home News Sport</nav><main><h1>Sorry, we can't find that page</h1><p>The page you were looking for may have moved. Try our search or go back to the home page.</p></main></body></html>",
        "<html><head><title>Seite nicht gefunden</title></head><body><h1>Fehler 404</h1><p>Die angeforderte Seite existiert leider nicht mehr auf unserem Server.</p></body></html>",
        "<html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>The server is temporarily unable to service your request. Please try again later.</p></body></html>",
    ],
)
def test_an_error_page_is_refused_with_a_clear_line(tmp_path: Path, page: str) -> None:
    """Issue 11: an HTML 404 page was stored as an article and got its own story."""
    path = tmp_path / "saved.html"
    path.write_text(page, encoding="utf-8")
    (item,) = iter_inputs([str(path)], IngestSettings())
    assert isinstance(item, InputError)
    assert "an error page" in item.reason and "not an article" in item.reason


def test_an_article_about_an_outage_is_not_an_error_page(tmp_path: Path) -> None:
    body = " ".join(
        f"<p>Paragraph {n}: the city's website showed a 503 Service Unavailable error for most of Tuesday, "
        "officials said, after a storm cut power to the data centre that hosts it.</p>"
        for n in range(6)
    )
    path = tmp_path / "outage.html"
    path.write_text(
        f"<html><head><title>Service unavailable: city website down for a day</title></head><body><article>{body}</article></body></html>",
        encoding="utf-8",
    )
    (item,) = iter_inputs([str(path)], IngestSettings())
    assert isinstance(item, Article)
