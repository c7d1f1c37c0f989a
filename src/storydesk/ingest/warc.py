"""WARC and ARC archives (plain or gzipped) through warcio, streamed.

Each HTML response with status 200 becomes an article through `html.py`,
named `<archive path>#<target URI>`; an HTML response with a 4xx or 5xx status
is an error page and is reported as such; other records (requests, metadata,
images, redirects) are skipped. Records are read one at a time, so an archive
of any size needs the memory of one page. A record whose body the archive cuts
short is an error naming the record, never a shorter article; a truncated or
corrupt archive keeps what was read and reports one error for the rest.
"""

from __future__ import annotations

import gzip
import re
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
_DAMAGED_RECORD = ("record truncated", "record corrupt")  # how a record's own error starts


def _record_article(record, *, archive: str, settings: IngestSettings) -> Article | InputError | None:  # type: ignore[no-untyped-def]
    """The article in one record, an error naming it, or None when the record is not an HTML page."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    media, charset = media_type(record.http_headers.get_header("Content-Type") or "")
    if media not in _HTML_TYPES:
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    source = f"{archive}#{uri}"
    status = record.http_headers.get_statuscode() or ""
    if status[:1] in ("4", "5"):
        return InputError(source, f"HTTP {record.http_headers.get_statuscode()} error page, not an article")
    if status != "200":
        return None  # redirects and other answers carry no article
    try:
        body = _read_body(record, settings.max_bytes)
    except EOFError as exc:
        return InputError(source, f"record truncated: {exc}")
    except (OSError, zlib.error) as exc:  # a gzip member or chunked body cut or damaged inside this record
        return InputError(source, f"record truncated or corrupt ({type(exc).__name__}: {exc})")
    if len(body) > settings.max_bytes:
        return InputError(source, f"page is over the {settings.max_bytes:,}-byte cap")
    if record.digest_checker.passed is False:
        # The record's declared length was filled, but not with what was archived: bytes from
        # elsewhere (a cut archive with other data appended, a damaged disk block).
        return InputError(source, "record corrupt: its content does not match the archive's digest of it")
    try:
        html = _decode(body, charset, source)
        return parse_html(html, source=source, url=uri or None, settings=settings)
    except InputError as exc:
        return exc


def _read_body(record, cap: int) -> bytes:  # type: ignore[no-untyped-def]
    """The record's payload, up to `cap` + 1 bytes; EOFError when the archive ends inside it.

    warcio hands out what is there and stops quietly at the end of the file:
    the record's own Content-Length says how much should have come.
    """
    stream = record.content_stream()
    chunks: list[bytes] = []
    size = 0
    while size <= cap and (chunk := stream.read(min(65536, cap + 1 - size))):
        chunks.append(chunk)
        size += len(chunk)
    missing = getattr(record.raw_stream, "limit", 0)
    if size <= cap and missing > 0:
        declared = record.rec_headers.get_header("Content-Length") or "?"
        raise EOFError(f"the archive ends {missing:,} bytes before the end of this {declared}-byte record")
    return b"".join(chunks)


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


def _damaged(item: Article | InputError | None) -> bool:
    """Whether `item` reports its record cut short or corrupt (not, say, an error page)."""
    return isinstance(item, InputError) and item.reason.startswith(_DAMAGED_RECORD)


# Control characters never occur in a WARC header: a header holding them was read from compressed
# or foreign bytes (warcio, resynchronising after a damaged gzip member, can parse those as a record).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _garbled(record) -> bool:  # type: ignore[no-untyped-def]
    return any(_CONTROL.search(value) for _, value in record.rec_headers.headers)


def _member_end(stream: BinaryIO, offset: int) -> int:
    """Where the gzip member starting at `offset` ends; EOFError when the file ends inside it.

    warcio reads a member as far as it decompresses and does not check that the
    member ends (or its CRC): an archive cut inside its last member's final
    block or trailer, or cut with other bytes appended, looked like a clean end.
    Only this one member is decompressed again, in bounded steps.
    """
    stream.seek(offset)
    inflate = zlib.decompressobj(31)  # gzip framing: the trailer's CRC-32 and length are checked
    fed = 0
    while not inflate.eof:
        data = inflate.unconsumed_tail
        if not data:
            data = stream.read(1 << 16)
            fed += len(data)
            if not data:
                raise EOFError("the file ends inside its last gzip member")
        inflate.decompress(data, 1 << 20)
    return offset + fed - len(inflate.unused_data)


def _cut_reason(exc: BaseException) -> str:
    if isinstance(exc, TypeError):  # warcio kept no member offsets: none was whole
        return "no whole gzip member at the end"
    return f"{type(exc).__name__}: {exc}" if not isinstance(exc, EOFError) else str(exc)


def _leftover(stream: BinaryIO, end: int) -> bool:
    stream.seek(end)
    return bool(stream.read(64).strip())  # records are followed by blank lines, nothing else


_TARGET_URI = re.compile(rb"\r?\nWARC-Target-URI:[ \t]*(\S+)", re.I)


def _cut_record_uri(stream: BinaryIO, offset: int) -> str | None:
    """The target URI of the incomplete record at `offset`, read from what is left of its header."""
    stream.seek(offset)
    rest = stream.read(1 << 20)
    if rest[:2] == b"\x1f\x8b":
        try:
            rest = zlib.decompressobj(31).decompress(rest, 1 << 20)  # a cut member decompresses up to the cut
        except zlib.error:
            return None
    head = rest.split(b"\r\n\r\n", 1)[0]
    match = _TARGET_URI.search(head)
    return match.group(1).decode("utf-8", "replace") if match and head.startswith(b"WARC/") else None


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
        # check_digests: a record whose WARC-Block/Payload-Digest does not match what was read is
        # flagged (records without digests are read as they are).
        archive = ArchiveIterator(stream, arc2warc=True, check_digests=True)
        records = iter(archive)
        read = 0
        item: Article | InputError | None = None
        while True:
            try:
                record = next(records)
                if _garbled(record):  # the archive is damaged from here on: one error for the rest
                    yield InputError(label, f"archive corrupt after {read} records (a record header is not text)")
                    return
                item = _record_article(record, archive=label, settings=settings)
            except StopIteration:
                break
            except Exception as exc:  # warcio, gzip and zlib each raise their own type on a broken archive
                if not _damaged(item):  # else the damage that stops the archive here was just reported
                    yield InputError(
                        label, f"archive truncated or corrupt after {read} records ({type(exc).__name__}: {exc})"
                    )
                return
            read += 1
            if item is not None:
                yield item
        if not read:
            yield InputError(label, "archive truncated or corrupt: no whole record in it")
            return
        if _damaged(item):
            return  # the last record was reported cut or damaged: that is where the archive ends
        # warcio stops quietly at a gzip member or record cut short: bytes left
        # after the last whole record mean the archive was truncated.
        try:
            offset = archive.get_record_offset()
            end = offset + archive.get_record_length()
            stream.seek(offset)
            if stream.read(2) == b"\x1f\x8b":  # gzipped: the last member must end, with its checksum
                end = _member_end(stream, offset)
        except (OSError, EOFError, zlib.error, TypeError) as exc:
            uri = _cut_record_uri(stream, offset) if not isinstance(exc, TypeError) else None
            if uri is not None:  # its header was read: name it, as a record cut elsewhere is named
                yield InputError(f"{label}#{uri}", f"record truncated or corrupt at the end ({_cut_reason(exc)})")
            else:
                yield InputError(label, f"archive truncated or corrupt after {read} records ({_cut_reason(exc)})")
            return
        if _leftover(stream, end):
            uri = _cut_record_uri(stream, end)
            if uri is not None:
                yield InputError(
                    f"{label}#{uri}", f"record truncated: the archive ends inside it (after {read} records)"
                )
            else:
                yield InputError(label, f"archive truncated after {read} records (an incomplete record at the end)")
