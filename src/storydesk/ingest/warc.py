"""WARC and ARC archives (plain or gzipped) through warcio, streamed.

Each HTML response with status 200 becomes an article through `html.py`,
named `<archive path>#<target URI>`; other records (requests, metadata, images,
redirects) are skipped. Records are read one at a time, so an archive of any
size needs the memory of one page. A truncated or corrupt archive keeps what
was read and reports one error for the rest.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator

from storydesk.errors import InputError
from storydesk.ingest.decode import decode_bytes
from storydesk.ingest.fetch import media_type
from storydesk.ingest.html import parse_html
from storydesk.records import Article
from storydesk.settings import IngestSettings

_HTML_TYPES = {"text/html", "application/xhtml+xml"}


def _record_article(record, *, archive: str, settings: IngestSettings) -> Article | InputError | None:  # type: ignore[no-untyped-def]
    """The article in one record, an error naming it, or None when the record is not an HTML page."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    media, charset = media_type(record.http_headers.get_header("Content-Type") or "")
    if media not in _HTML_TYPES:
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    source = f"{archive}#{uri}"
    body = record.content_stream().read(settings.max_bytes + 1)
    if len(body) > settings.max_bytes:
        return InputError(source, f"page is over the {settings.max_bytes:,}-byte cap")
    try:
        html = _decode(body, charset, source)
        return parse_html(html, source=source, url=uri or None, settings=settings)
    except InputError as exc:
        return exc


def _decode(body: bytes, charset: str | None, source: str) -> str:
    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass  # servers often declare the wrong charset; detect instead
    return decode_bytes(body, input=source)


def _looks_like_archive(stream: BinaryIO) -> bool:
    """Whether the file starts like a WARC or ARC record (warcio would read any text as ARC lines)."""
    head = stream.read(2)
    stream.seek(0)
    try:
        if head == b"\x1f\x8b":  # gzip: look at the first member's first bytes
            with gzip.GzipFile(fileobj=stream) as unzipped:
                head = unzipped.read(16)
        else:
            head = stream.read(16)
    except (OSError, EOFError, zlib.error):
        return False
    finally:
        stream.seek(0)
    return head.startswith((b"WARC/", b"filedesc://"))


def _leftover(stream: BinaryIO, end: int) -> bool:
    stream.seek(end)
    return bool(stream.read(64).strip())  # records are followed by blank lines, nothing else


def read_warc(path: Path, *, settings: IngestSettings) -> Iterator[Article | InputError]:
    label = str(path)
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise InputError(label, f"cannot read file ({exc.strerror or exc})") from None
    with stream:
        if not _looks_like_archive(stream):
            yield InputError(label, "not a WARC or ARC archive (no WARC/ARC header at the start)")
            return
        archive = ArchiveIterator(stream, arc2warc=True)
        records = iter(archive)
        read = 0
        while True:
            try:
                record = next(records)
                item = _record_article(record, archive=label, settings=settings)
            except StopIteration:
                break
            except Exception as exc:  # warcio, gzip and zlib each raise their own type on a broken archive
                yield InputError(
                    label, f"archive truncated or corrupt after {read} records ({type(exc).__name__}: {exc})"
                )
                return
            read += 1
            if item is not None:
                yield item
        # warcio stops quietly at a gzip member or record cut short: bytes left
        # after the last whole record mean the archive was truncated.
        if read and _leftover(stream, archive.get_record_offset() + archive.get_record_length()):
            yield InputError(label, f"archive truncated after {read} records (an incomplete record at the end)")
