"""JSONL: one article per line. `text` is required; `url`, `title`, `published`,
`outlet`, `language` and `id` are taken when present."""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from storydesk.errors import InputError
from storydesk.ingest.common import make_article, split_paragraphs
from storydesk.ingest.outlets import outlet_from_url
from storydesk.records import Article
from storydesk.settings import IngestSettings


def article_from_record(record: object, *, source: str, settings: IngestSettings) -> Article:
    if not isinstance(record, dict):
        raise InputError(source, "line is JSON but not an object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise InputError(source, "record has no 'text'")
    url = record.get("url") if isinstance(record.get("url"), str) else None
    published = record.get("published") if isinstance(record.get("published"), str) else None
    rid = record.get("id")
    try:
        return _article(record, text, url, published, rid, source=source, settings=settings)
    except InputError as exc:
        # Name the line, where the user can find it; the record's URL is not what they gave.
        raise InputError(source, exc.reason + (f" (url {url})" if url else "")) from None


def _article(
    record: dict,
    text: str,
    url: str | None,
    published: str | None,
    rid: object,
    *,
    source: str,
    settings: IngestSettings,
) -> Article:
    return make_article(
        source=url or source,
        id=str(rid) if rid not in (None, "") else None,
        paragraphs=split_paragraphs(text),
        title=record.get("title") if isinstance(record.get("title"), str) else None,
        outlet=(record.get("outlet") if isinstance(record.get("outlet"), str) else None) or outlet_from_url(url),
        url=url,
        published=published,
        published_source="metadata" if published else "none",
        language=record.get("language") if isinstance(record.get("language"), str) else None,
        min_chars=settings.min_text_chars,
    )


def read_jsonl_stream(
    stream: IO[str], *, source: str, settings: IngestSettings, first_line: int = 1
) -> Iterator[Article | InputError]:
    """Articles from JSONL lines; `first_line` numbers the stream's first line (a part of a split file)."""
    for number, line in enumerate(stream, start=first_line):
        if not line.strip():
            continue
        label = f"{source}:{number}"
        if len(line) > settings.max_bytes:
            yield InputError(label, f"line is over the {settings.max_bytes:,}-byte cap")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(label, f"not JSON ({exc.msg})")
            continue
        try:
            yield article_from_record(record, source=label, settings=settings)
        except InputError as exc:
            yield exc


def read_jsonl_file(path: Path, *, settings: IngestSettings) -> Iterator[Article | InputError]:
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rb") as raw:  # type: ignore[operator]
            # JSONL lines end with \n only: a stray \r is not a line break (line numbers match the file's).
            stream = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="\n")
            yield from read_jsonl_stream(stream, source=str(path), settings=settings)
    except (EOFError, zlib.error) as exc:
        yield InputError(str(path), f"truncated or corrupt gzip; the lines before the damage were read ({exc})")
    except OSError as exc:
        yield InputError(str(path), f"cannot read file ({exc})")
