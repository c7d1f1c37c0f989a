"""JSONL dumps (issue 2): one article per line; a bad line is one error and the others are kept."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from storydesk.errors import InputError
from storydesk.ingest import iter_inputs
from storydesk.ingest.jsonl import read_jsonl_stream
from storydesk.ingest.sources import source_label
from storydesk.records import Article
from storydesk.settings import IngestSettings

TEXT = "The council closed the harbour bridge to lorries on Monday after engineers found cracks in its supports."
RECORD = {
    "id": "h-1",
    "url": "https://www.harbour.example/bridge",
    "title": "Bridge closed",
    "published": "2026-04-15",
    "text": TEXT + "\n\nRepairs will take six weeks, the mayor said.",
}


def _lines(*records: object) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n"


def test_record_fields_become_article_fields() -> None:
    (article,) = read_jsonl_stream(io.StringIO(_lines(RECORD)), source="dump.jsonl", settings=IngestSettings())
    assert isinstance(article, Article)
    assert (article.id, article.title, article.url) == ("h-1", "Bridge closed", RECORD["url"])
    assert article.outlet == "harbour.example"  # from the URL when the record names none
    assert (article.published, article.published_source) == ("2026-04-15", "metadata")
    assert len(article.paragraphs) == 2


def test_bad_lines_are_errors_naming_the_line_and_the_rest_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text(
        _lines(RECORD, "{not json", {"title": "no text"}, "[1, 2]", "", {**RECORD, "id": "h-2", "text": TEXT}),
        encoding="utf-8",
    )
    items = list(iter_inputs([str(path)], IngestSettings()))
    assert [type(i) for i in items] == [Article, InputError, InputError, InputError, Article]
    errors = [i for i in items if isinstance(i, InputError)]
    assert [e.input for e in errors] == [f"{source_label(path)}:{n}" for n in (2, 3, 4)]
    assert [e.reason.split(" (")[0] for e in errors] == [
        "not JSON",
        "record has no 'text'",
        "line is JSON but not an object",
    ]


def test_gzipped_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl.gz"
    path.write_bytes(gzip.compress(_lines(RECORD).encode()))
    (article,) = iter_inputs([str(path)], IngestSettings())
    assert isinstance(article, Article) and article.id == "h-1"


def test_truncated_gzip_keeps_the_whole_lines_and_reports_the_cut(tmp_path: Path) -> None:
    data = gzip.compress(
        _lines(*({**RECORD, "id": f"h-{n}", "text": f"{TEXT} Number {n}."} for n in range(200))).encode()
    )
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    items = list(iter_inputs([str(path)], IngestSettings()))
    assert isinstance(items[-1], InputError)
    assert items[-1].input == source_label(path)
    assert all(isinstance(i, Article) for i in items[:-2])
    assert len(items) > 20


def test_line_over_the_cap(tmp_path: Path) -> None:
    path = tmp_path / "dump.jsonl"
    path.write_text(_lines({**RECORD, "text": TEXT * 100}, RECORD), encoding="utf-8")
    items = list(iter_inputs([str(path)], IngestSettings(max_bytes=2000)))
    assert [type(i) for i in items] == [InputError, Article]
    assert "over the 2,000-byte cap" in items[0].reason  # type: ignore[union-attr]


def test_a_bad_record_with_a_url_is_named_by_its_line(tmp_path: Path) -> None:
    """Found by tests/test_fuzz.py (issue 11): the error named the record's URL, not the file and line."""
    path = tmp_path / "lines.jsonl"
    path.write_text(json.dumps({"text": "0", "url": "https://news.example/x"}) + "\n", encoding="utf-8")
    (error,) = iter_inputs([str(path)], IngestSettings())
    assert isinstance(error, InputError)
    assert error.input == f"{source_label(path)}:1" and "https://news.example/x" in error.reason
