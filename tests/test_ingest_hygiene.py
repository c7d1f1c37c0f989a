"""Input hygiene and honest metadata (issue 11): encodings, invisible characters, outlets, paths, times, --db."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from storydesk.cli import main
from storydesk.display import when
from storydesk.ingest import iter_inputs
from storydesk.ingest.common import clean_label, make_article, strip_invisible
from storydesk.ingest.sources import public_source, source_label
from storydesk.records import Article
from storydesk.settings import IngestSettings
from storydesk.store import open_store

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
BODY = (
    "The harbour authority said on Monday that the ferry service would resume next week. "
    "Officials told reporters that repairs to the pier had cost about 2 million euros."
)


def _one(path: Path, **options: object) -> Article:
    (item,) = iter_inputs([str(path)], IngestSettings(**options))  # type: ignore[arg-type]
    assert isinstance(item, Article), item
    return item


# -- encodings ---------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text",
    [
        f"Ferry service to resume\n\n{BODY}",
        "Паромное сообщение возобновится\n\nВласти порта заявили в понедельник, что паром снова пойдёт на следующей неделе.",
    ],
)
def test_utf16_without_a_byte_order_mark_is_read(tmp_path: Path, encoding: str, text: str) -> None:
    """Issue 11: UTF-16 without a BOM was refused as binary."""
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode(encoding))
    article = _one(path)
    assert article.title == text.split("\n")[0]
    assert article.text == text.split("\n\n", 1)[1]


# -- zero-width and bidi characters -------------------------------------------

RLO_OUTLET = "\u202eteirceS\u202c Herald"  # an RLO override: shows as "Secriet Herald"


def test_invisible_characters_leave_titles_and_outlets_but_not_the_body(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    body = f"President Zel\u200densky said on Monday that the talks would go on. {BODY}"
    path.write_text(f"Source: {RLO_OUTLET}\n\nZel\u200bensky\u200f visits the front\n\n{body}", encoding="utf-8")
    article = _one(path)
    assert article.outlet == "teirceS Herald"
    assert article.title == "Zelensky visits the front"
    assert "Zel\u200densky" in article.text  # the body keeps its text, so stored offsets stay valid


def test_jsonl_outlet_and_title_are_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    record = {"text": BODY, "title": "\u2066Ferry\u2069 back", "outlet": f"\ufeff{RLO_OUTLET}"}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    article = _one(path)
    assert (article.title, article.outlet) == ("Ferry back", "teirceS Herald")


def test_search_finds_a_name_written_with_a_zero_width_joiner() -> None:
    """Issue 11: "Zel\u200densky" was not found by searching "Zelensky"."""
    from storydesk.ingest.common import make_article

    with open_store(":memory:") as store:
        article = make_article(source="a", paragraphs=[f"President Zel\u200densky spoke on Monday. {BODY}"])
        store.articles.add(article)
        assert [h.article.id for h in store.articles.search("Zelensky")] == [article.id]
        assert store.articles.search_page("Zel\u200densky")[1] == 1  # a pasted query is folded too
        assert store.articles.get(article.id).text.startswith("President Zel\u200densky")


def test_names_lose_invisible_characters_when_read() -> None:
    from storydesk.read import _visible_names
    from storydesk.records import Mention, Quote

    article = Article(id="x", source="x", text="Zel\u200densky said it.")
    article.mentions = [Mention(text="Zel\u200densky", start=0, end=9, type="person", name="Zel\u200densky")]
    article.quotes = [Quote(text="it", start=15, end=17, kind="indirect", speaker="Zel\u200densky")]
    _visible_names(article)
    assert article.mentions[0].name == "Zelensky" and article.quotes[0].speaker == "Zelensky"
    assert article.mentions[0].text == "Zel\u200densky"  # the span's text is the body's


@pytest.mark.parametrize(("value", "cleaned"), [("\u200b", None), ("  A\u00adB  C ", "AB C"), (None, None)])
def test_clean_label(value: str | None, cleaned: str | None) -> None:
    assert clean_label(value) == cleaned
    assert strip_invisible("plain ascii") == "plain ascii"


# -- outlets -----------------------------------------------------------------


def test_a_file_name_is_never_an_outlet(tmp_path: Path) -> None:
    """Issue 11: a text file's outlet was its file name ("002_f1b568f2bf6138ef.txt")."""
    path = tmp_path / "002_f1b568f2bf6138ef.txt"
    path.write_text(f"Ferry service to resume\n\n{BODY}", encoding="utf-8")
    assert _one(path).outlet is None  # unknown: shown as "unknown outlet", never counted as a name


@pytest.mark.parametrize(
    ("name", "content", "outlet"),
    [
        ("a.txt", f"Source: Harbour Daily\n\nFerry back\n\n{BODY}", "Harbour Daily"),  # a header line
        ("a.jsonl", json.dumps({"text": BODY, "outlet": "Wire Service"}), "Wire Service"),  # a JSONL field
        ("b.jsonl", json.dumps({"text": BODY, "url": "https://www.harbour-news.example/a"}), "harbour-news.example"),
        ("feed.xml", (EXAMPLES / "feed.xml").read_text(encoding="utf-8"), "Radio Ostmark News"),  # metadata
    ],
)
def test_where_an_outlet_comes_from(tmp_path: Path, name: str, content: str, outlet: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    items = list(iter_inputs([str(path)], IngestSettings()))
    assert items and all(isinstance(i, Article) and i.outlet == outlet for i in items)


def test_outlet_option_names_every_article(tmp_path: Path) -> None:
    settings = IngestSettings(outlet=" Harbour\u200b Radio ")
    items = list(iter_inputs([str(EXAMPLES)], settings))
    assert items and {i.outlet for i in items if isinstance(i, Article)} == {"Harbour Radio"}


# -- paths -------------------------------------------------------------------


def test_sources_are_stored_relative_to_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 11: the JSON API and exports showed machine paths (sources: ['/home/…/examples/…'])."""
    monkeypatch.chdir(EXAMPLES.parent)
    article = _one(EXAMPLES / "northern_wire.txt")  # given as an absolute path
    assert article.source == "examples/northern_wire.txt"
    assert _one(Path("examples/northern_wire.txt")).source == "examples/northern_wire.txt"
    (entry, _) = iter_inputs([str(EXAMPLES / "feed.xml")], IngestSettings())
    assert isinstance(entry, Article) and entry.source.startswith("examples/feed.xml#")
    outside = tmp_path / "x.txt"
    outside.write_text(BODY, encoding="utf-8")
    assert not os.path.isabs(_one(outside).source)


@pytest.mark.parametrize(
    ("source", "shown"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("examples/a.txt", "examples/a.txt"),
        ("/home/ana/news/examples/a.txt", "…/examples/a.txt"),
        ("/home/ana/feeds/feed.xml#urn:e:1", "…/feeds/feed.xml#urn:e:1"),
    ],
)
def test_public_source_hides_the_folders_of_old_absolute_paths(source: str, shown: str) -> None:
    assert public_source(source) == shown


def test_source_label_of_a_relative_path_is_unchanged() -> None:
    assert source_label(Path("examples/./a.txt")) == "examples/a.txt"


# -- times -------------------------------------------------------------------


def test_feed_times_keep_the_feeds_zone(tmp_path: Path) -> None:
    """Issue 11: feed times were shown in UTC without saying so (the feed says +0200)."""
    first = next(i for i in iter_inputs([str(EXAMPLES / "feed.xml")], IngestSettings()) if isinstance(i, Article))
    assert first.published == "2026-04-15T07:30:00+02:00"
    assert when(first.published) == "2026-04-15 07:30 UTC+02:00"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("2026-04-15", "2026-04-15"),
        ("2026-04-15T07:30:00+02:00", "2026-04-15 07:30 UTC+02:00"),
        ("2026-04-15T05:30:00+00:00", "2026-04-15 05:30 UTC"),
        ("2026-04-15T05:30:00-05:30", "2026-04-15 05:30 UTC-05:30"),
        ("2026-04-15T05:30:00", "2026-04-15 05:30 (time zone not given)"),
        (None, ""),
    ],
)
def test_times_are_shown_with_their_offset(value: str | None, shown: str) -> None:
    assert when(value) == shown


# -- the store's location ----------------------------------------------------


def test_a_db_in_a_folder_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    """Issue 11: a mistyped --db path silently created a new empty store."""
    db = tmp_path / "no-such-folder" / "store.db"
    for command in (["ingest", str(EXAMPLES / "northern_wire.txt")], ["articles"], ["stories"]):
        result = CliRunner().invoke(main, [*command, "--db", str(db)])
        assert result.exit_code == 1, command
        assert "no folder" in result.output and "storydesk init" in result.output
    assert not db.parent.exists()


def test_init_and_create_make_the_folder(tmp_path: Path) -> None:
    db = tmp_path / "new" / "store.db"
    result = CliRunner().invoke(main, ["init", "--db", str(db)])
    assert result.exit_code == 0 and db.exists() and "created an empty store" in result.output
    assert "already exists (0 articles)" in CliRunner().invoke(main, ["init", "--db", str(db)]).output
    other = tmp_path / "other" / "store.db"
    result = CliRunner().invoke(
        main, ["ingest", "--quiet", "--create", "--db", str(other), str(EXAMPLES / "valdoria_herald.txt")]
    )
    assert result.exit_code == 0, result.output
    assert other.exists()


@pytest.mark.parametrize(
    ("paragraph", "kept"),
    [
        ("President Trump speaks in the Rose Garden on Wednesday. (Brendan Smialowski - AFP / Getty Images)", ""),
        ("Trump announced additional tariffs. (Photo by Chip Somodevilla/Getty Images)", ""),
        ("India said the sites were used to organise attacks against it. (Photo: Reuters)", ""),
        ("Pope Leo XIV appears at the balcony of St. Peter's Basilica. (AP Photo/Andrew Medichini)", ""),
        ("Launch pads were destroyed by the Indian Army. (PIC/PTI)", ""),
        # an agency credit closes reported text, and brackets inside a sentence are words
        ("My husband was shot in the head, a woman survivor said. (PTI)", None),
        ("The toll (about 20 people) rose on Tuesday, officials said.", None),
        (" ".join(["word"] * 70) + " (Photo: Reuters)", " ".join(["word"] * 70)),
    ],
)
def test_photo_captions_are_not_body_text_issue10(paragraph: str, kept: str | None) -> None:
    """A caption and its credit would become a statement, and the photographer an actor."""
    article = make_article(source="x.txt", paragraphs=[BODY, paragraph])
    expected = [BODY] if kept == "" else [BODY, paragraph if kept is None else kept]
    assert article.paragraphs == expected
