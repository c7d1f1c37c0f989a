"""WARC archives (issue 2): HTML responses become articles, the rest is skipped, broken archives keep what was read."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from storydesk.errors import InputError
from storydesk.ingest import iter_inputs
from storydesk.ingest.sources import source_label
from storydesk.records import Article
from storydesk.settings import IngestSettings


def _page(n: int) -> bytes:
    return (
        f"<html><head><title>Harbour report {n}</title></head><body><nav>Home | News</nav><article>"
        f"<p>Report number {n}: the council closed the harbour bridge to lorries on Monday after engineers "
        f"found {n} cracks in its supports.</p><p>Repairs will take {n + 5} weeks, the mayor said on Tuesday.</p>"
        "</article><footer>All rights reserved</footer></body></html>"
    ).encode()


def _response(
    writer: WARCWriter, uri: str, body: bytes, *, status: str = "200 OK", ctype: str = "text/html; charset=utf-8"
) -> None:
    headers = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(uri, "response", payload=BytesIO(body), length=len(body), http_headers=headers)
    )


def write_warc(path: Path, *, pages: int, gzip: bool) -> None:
    # lengths are passed so that warcio does not buffer each payload in a temporary file
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzip)
        for n in range(pages):
            uri = f"https://harbour.example/news/{n}"
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "harbour.example")], is_http_request=True)
            writer.write_record(
                writer.create_warc_record(uri, "request", payload=BytesIO(), length=0, http_headers=request)
            )
            _response(writer, uri, _page(n))
            _response(writer, f"https://harbour.example/logo{n}.png", b"\x89PNG" + bytes(50), ctype="image/png")
        _response(writer, "https://harbour.example/missing", b"<h1>Not found</h1>", status="404 Not Found")


@pytest.mark.parametrize("gzip", [True, False])
def test_every_html_response_becomes_an_article(tmp_path: Path, gzip: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    write_warc(path, pages=3, gzip=gzip)
    items = list(iter_inputs([str(path)], IngestSettings()))
    assert [type(i) for i in items] == [Article] * 3 + [InputError]  # the last record is a 404 page
    first = items[0]
    assert isinstance(first, Article)
    assert first.source == f"{source_label(path)}#https://harbour.example/news/0"
    assert first.url == "https://harbour.example/news/0"
    assert first.title == "Harbour report 0"
    assert first.outlet == "harbour.example"
    assert "All rights reserved" not in first.text


@pytest.mark.parametrize("gzip", [True, False])
def test_truncated_archive_keeps_what_was_read_and_reports_the_rest(tmp_path: Path, gzip: bool) -> None:
    whole = tmp_path / ("whole.warc.gz" if gzip else "whole.warc")
    write_warc(whole, pages=20, gzip=gzip)
    cut = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    items = list(iter_inputs([str(cut)], IngestSettings()))
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert 5 <= len(articles) < 20
    assert len(errors) == 1
    assert errors[0].input.startswith(source_label(cut))  # the archive, or the cut record in it
    assert "truncated" in errors[0].reason


@pytest.mark.parametrize("data", [b"", b"this is not a WARC file at all\n" * 10, bytes(range(256))])
def test_not_a_warc_is_one_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "junk.warc"
    path.write_bytes(data)
    (error,) = iter_inputs([str(path)], IngestSettings())
    assert isinstance(error, InputError)
    assert error.input == source_label(path)


def test_page_over_the_cap_is_skipped_with_an_error(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, pages=2, gzip=True)
    items = list(iter_inputs([str(path)], IngestSettings(max_bytes=200)))
    assert [type(i) for i in items] == [InputError, InputError, InputError]
    assert "over the 200-byte cap" in items[0].reason  # type: ignore[union-attr]


@pytest.mark.parametrize("gzip", [True, False])
def test_a_record_cut_mid_body_is_an_error_naming_the_record(tmp_path: Path, gzip: bool) -> None:
    """Issue 11: a WARC record cut mid-body was stored as a complete article, with exit code 0."""
    whole = tmp_path / ("whole.warc.gz" if gzip else "whole.warc")
    write_warc(whole, pages=3, gzip=gzip)
    data = whole.read_bytes()
    if gzip:  # cut inside the second page's gzip member: find it by decompressing member by member
        import zlib

        offset, members = 0, []
        while offset < len(data):
            d = zlib.decompressobj(31)
            d.decompress(data[offset:])
            members.append((offset, len(data) - offset - len(d.unused_data)))
            offset += members[-1][1]
        start, length = next(m for m in members if b"Report number 1" in zlib.decompress(data[m[0] : m[0] + m[1]], 31))
        cut_at = start + length // 2
    else:
        cut_at = data.find(b"Report number 1") + 40
    cut = tmp_path / ("cut.warc.gz" if gzip else "cut.warc")
    cut.write_bytes(data[:cut_at])
    items = list(iter_inputs([str(cut)], IngestSettings()))
    assert [type(i) for i in items] == [Article, InputError]
    error = items[1]
    assert isinstance(error, InputError)
    assert error.input == f"{source_label(cut)}#https://harbour.example/news/1"  # the record, by its URI
    assert "truncated" in error.reason


def _members(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of each gzip member of a .warc.gz."""
    import zlib

    out, offset = [], 0
    while offset < len(data):
        d = zlib.decompressobj(31)
        d.decompress(data[offset:])
        end = len(data) - len(d.unused_data)
        out.append((offset, end))
        offset = end
    return out


@pytest.mark.parametrize("before_end", [1, 4, 8, 12, 30])
@pytest.mark.parametrize("garbage", [b"", b"\x8f\x00junk that is not a gzip member" * 3])
def test_an_archive_cut_near_a_members_end_is_never_a_clean_end(
    tmp_path: Path, before_end: int, garbage: bytes
) -> None:
    """Issue 12: warcio read a gzip member cut in its last bytes (its final block or its CRC
    trailer) as whole, and stopped there quietly: the rest of the archive was lost without a word,
    with or without other bytes appended after the cut."""
    whole = tmp_path / "whole.warc.gz"
    write_warc(whole, pages=6, gzip=True)
    data = whole.read_bytes()
    members = _members(data)
    for start, end in members[1:-1:3]:  # every third member in the middle of the archive
        cut = tmp_path / "cut.warc.gz"
        cut.write_bytes(data[: end - before_end] + garbage)
        items = list(iter_inputs([str(cut)], IngestSettings()))
        errors = [i for i in items if isinstance(i, InputError)]
        assert len(errors) == 1, (start, end, errors)
        assert "truncated" in errors[0].reason or "corrupt" in errors[0].reason
        assert errors[0].input.startswith(source_label(cut))


def test_a_record_filled_up_with_other_bytes_fails_its_digest(tmp_path: Path) -> None:
    """Issue 12: a plain WARC cut inside a page with other bytes appended reads as a whole record of
    the declared length; its WARC-Block-Digest shows it is not what was archived."""
    whole = tmp_path / "whole.warc"
    write_warc(whole, pages=3, gzip=False)
    data = whole.read_bytes()
    cut_at = data.find(b"Report number 1") + 40
    damaged = tmp_path / "damaged.warc"
    damaged.write_bytes(data[:cut_at] + b"x" * 4000)  # enough to fill the record's declared length
    items = list(iter_inputs([str(damaged)], IngestSettings()))
    assert isinstance(items[0], Article)  # the record before the damage is read
    errors = [i for i in items if isinstance(i, InputError)]
    assert errors and errors[0].input == f"{source_label(damaged)}#https://harbour.example/news/1"
    assert "digest" in errors[0].reason
    assert not any(isinstance(i, Article) and i.url == "https://harbour.example/news/1" for i in items)


def test_an_html_error_page_in_an_archive_is_reported(tmp_path: Path) -> None:
    """Issue 11: error pages were stored as articles (or, in WARC, skipped without a word)."""
    path = tmp_path / "crawl.warc"
    write_warc(path, pages=1, gzip=False)
    items = list(iter_inputs([str(path)], IngestSettings()))
    assert [type(i) for i in items] == [Article, InputError]
    assert items[1].input.endswith("#https://harbour.example/missing")  # type: ignore[union-attr]
    assert items[1].reason == "HTTP 404 error page, not an article"  # type: ignore[union-attr]


def test_a_record_header_of_binary_bytes_is_reported_once_and_ends_the_archive(tmp_path: Path) -> None:
    """After a damaged gzip member warcio can parse compressed or foreign bytes as a record; a WARC
    header never holds control characters, so such a record is the archive's damage, reported once."""
    path = tmp_path / "damaged.warc.gz"
    write_warc(path, pages=2, gzip=True)
    junk = (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: \x1f\x8b\x08\x00junk\r\nContent-Length: 0\r\n\r\n\r\n\r\n"
    )
    path.write_bytes(path.read_bytes() + junk * 2)
    items = list(iter_inputs([str(path)], IngestSettings()))
    assert [type(i) for i in items] == [Article, Article, InputError, InputError]  # the 404 page, the damage
    error = items[-1]
    assert isinstance(error, InputError)
    assert error.input == source_label(path)
    assert "corrupt" in error.reason
