"""Plain-text articles (issue 2): the seeds' shape, header lines, encodings and bad files."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from storydesk.errors import InputError
from storydesk.ingest import iter_inputs
from storydesk.ingest.sources import source_label
from storydesk.ingest.text import parse_text, read_text_file
from storydesk.records import Article
from storydesk.settings import IngestSettings

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (
    "Source: Harbor Daily\n"
    "World News\n"
    "14 April 2026\n"
    "By Ana Petrov and Li Wei\n"
    "\n"
    "Café owners in Zürich count losses after the flood\n"
    "\n"
    "The river rose by “two metres” overnight, the mayor’s office said.\n"
    "\n"
    "The river rose by two metres overnight and flooded 40 cafés along the old town quay, the mayor’s office said.\n"
    "\n"
    "“We lost everything,” said Élodie Brun, who runs a café near the bridge.\n"
)


def _items(paths: list[Path], **options: object) -> list[Article | InputError]:
    return list(iter_inputs([str(p) for p in paths], IngestSettings(**options)))  # type: ignore[arg-type]


def test_seed_with_header_has_title_subtitle_section_and_header_date(seeds: Path) -> None:
    article = read_text_file(next(seeds.glob("002_*.txt")))
    assert article.title == "US Negotiators Head To Russia Amid Ceasefire Discussions"
    assert article.subtitle == "Trump's push for peace talks offers Ukraine hope as military tensions continue to rise."
    assert article.section == "World News"
    assert (article.published, article.published_source) == ("2025-03-12", "header")
    assert article.paragraphs[0].startswith("On March 12, 2025, news around the Ukraine war")


def test_seed_without_header_has_no_title_and_date_inferred_from_lead(seeds: Path) -> None:
    article = read_text_file(next(seeds.glob("000_*.txt")))
    assert article.title is None
    assert (article.published, article.published_source) == ("2025-03-12", "text")
    assert article.paragraphs[0].startswith("On March 12, 2025, significant developments")


def test_source_and_byline_header_lines_name_outlet_and_authors() -> None:
    article = parse_text(ARTICLE, source="mem")
    assert article.outlet == "Harbor Daily"
    assert article.authors == ["Ana Petrov", "Li Wei"]
    assert article.section == "World News"
    assert article.title == "Café owners in Zürich count losses after the flood"
    assert (article.published, article.published_source) == ("2026-04-14", "header")
    assert len(article.paragraphs) == 2


def test_outlet_header_spelled_outlet() -> None:
    article = parse_text(ARTICLE.replace("Source: Harbor Daily", "Outlet: Harbor Daily"), source="mem")
    assert article.outlet == "Harbor Daily"


@pytest.mark.parametrize(
    "encoding",
    ["cp1252", "utf-16", "utf-8-sig"],
)
def test_legacy_and_bom_encodings_decode_to_the_same_article(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"article-{encoding}.txt"
    path.write_bytes(ARTICLE.encode(encoding))
    article = read_text_file(path)
    assert article.title == "Café owners in Zürich count losses after the flood"
    assert "“We lost everything,” said Élodie Brun" in article.text


def test_latin1_text_decodes_accents(tmp_path: Path) -> None:
    # latin-1 has no curly quotes: use a text it can hold.
    text = ARTICLE.replace("“", '"').replace("”", '"').replace("’", "'")
    path = tmp_path / "latin1.txt"
    path.write_bytes(text.encode("latin-1"))
    article = read_text_file(path)
    assert article.title == "Café owners in Zürich count losses after the flood"
    assert "Élodie Brun" in article.text


def test_utf8_cut_inside_last_character_keeps_the_text(tmp_path: Path) -> None:
    data = ARTICLE.encode("utf-8") + "é".encode()[:1]
    path = tmp_path / "truncated.txt"
    path.write_bytes(data)
    article = read_text_file(path)
    assert article.text.endswith("who runs a café near the bridge.")


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty input"),
        ("blank.txt", b"  \n\n \t\n", "empty input"),
        ("binary.txt", bytes(range(256)) * 8, "binary"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\xff" * 200, "binary"),
        (
            "utf16-odd.txt",
            codecs.BOM_UTF16_LE + "abc def ghi jkl mno pqr".encode("utf-16-le")[:-1],
            "truncated or invalid",
        ),
    ],
)
def test_bad_files_give_one_error_naming_the_file(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(data)
    good = tmp_path / "zz-good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    items = _items([bad, good])
    assert len(items) == 2
    error, article = items
    assert isinstance(error, InputError)
    assert error.input == source_label(bad)
    assert reason in error.reason
    assert isinstance(article, Article) and article.outlet == "Harbor Daily"


def test_file_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(ARTICLE * 100, encoding="utf-8")
    (error,) = _items([big], max_bytes=1000)
    assert isinstance(error, InputError)
    assert "over the 1,000-byte cap" in error.reason


def test_missing_input_is_an_error_not_a_crash(tmp_path: Path) -> None:
    (error,) = _items([tmp_path / "nope.txt"])
    assert isinstance(error, InputError)
    assert "no such file" in error.reason


def test_folder_is_read_recursively(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "one.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "a" / "b" / "two.txt").write_text(ARTICLE.replace("40 cafés", "41 cafés"), encoding="utf-8")
    items = _items([tmp_path])
    assert [type(i) for i in items] == [Article, Article]


GERMAN_PAGE = """Quelle: tagesschau.de
Stand: 12.03.2025 14:30 Uhr
Ausland

Waffenruhe in der Ukraine?

Kremlsprecher Dmitri Peskow sagte am Mittwoch, Russland werde den Vorschlag prüfen. Die Gespräche gehen weiter.
"""


def test_german_header_lines_give_outlet_and_date_not_a_section() -> None:
    """Issue 14: "Quelle:" is the outlet (it became the section), "Stand:" the date, read day first."""
    article = parse_text(GERMAN_PAGE, source="de.txt")
    assert article.outlet == "tagesschau.de"
    assert article.published == "2025-03-12" and article.published_source == "header"
    assert article.section == "Ausland"
    assert article.title == "Waffenruhe in der Ukraine?"


@pytest.mark.parametrize(
    ("header", "authors"),
    [
        ("Berlin (dpa) –", ["dpa"]),
        ("Von Anna Schmidt und Max Muster", ["Anna Schmidt", "Max Muster"]),
        ("Berlin (dpa) –\nVon Anna Schmidt", ["Anna Schmidt"]),
    ],
)
def test_german_dateline_and_byline_name_the_authors(header: str, authors: list[str]) -> None:
    body = "Titel\n\nDer Text ist lang genug, um ein Artikel zu sein, und hat mehrere Sätze. Noch einer."
    article = parse_text(f"{header}\n\n{body}", source="de.txt")
    assert article.authors == authors
    assert article.title == "Titel" and article.section is None
