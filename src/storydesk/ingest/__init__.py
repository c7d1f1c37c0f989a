"""Ingest: turn inputs (files, folders, globs, URLs, feeds, JSONL, WARC, stdin) into Articles.

`iter_inputs` yields an Article or an InputError per item, never raises for a
bad input, so one broken file does not stop a batch.
"""

from __future__ import annotations

import glob
import sys
from collections.abc import Iterator
from pathlib import Path

from storydesk.errors import InputError
from storydesk.ingest.common import clean_label
from storydesk.ingest.sources import source_label
from storydesk.records import Article
from storydesk.settings import IngestSettings

Item = Article | InputError

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".rss", ".atom", ".xml", ".feed"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"}
WARC_SUFFIXES = {".warc", ".warc.gz", ".arc", ".arc.gz"}


def suffix_of(path: Path) -> str:
    name = path.name.lower()
    for double in (".warc.gz", ".arc.gz", ".jsonl.gz", ".ndjson.gz"):
        if name.endswith(double):
            return double
    return path.suffix.lower()


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


def expand(value: str) -> Iterator[Path] | None:
    """The files a folder, file or glob names, in the order ingest reads them; None when it names nothing."""
    path = Path(value)
    if path.is_dir():
        return (p for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith("."))
    if path.exists():
        return iter([path])
    matches = sorted(glob.glob(value, recursive=True))
    if matches:
        return (Path(m) for m in matches if Path(m).is_file())
    return None


def iter_file(path: Path, settings: IngestSettings) -> Iterator[Item]:
    """One file's articles (or errors), named by the path relative to the working directory (sources.py)."""
    label = source_label(path, settings.source_base)
    given = str(path)
    for item in _read_file(path, settings):
        # The readers name what they read after the path they opened; store it as the label.
        if isinstance(item, InputError):
            if item.input.startswith(given) and label != given:
                item = type(item)(label + item.input[len(given) :], item.reason)
        elif item.source.startswith(given):
            item.source = label + item.source[len(given) :]
        yield item


def _read_file(path: Path, settings: IngestSettings) -> Iterator[Item]:
    """Dispatch one file on its suffix (text for anything unknown)."""
    from storydesk.ingest import feeds, html, jsonl, text, warc

    suffix = suffix_of(path)
    label = str(path)
    try:
        if suffix in JSONL_SUFFIXES:
            yield from jsonl.read_jsonl_file(path, settings=settings)
        elif suffix in WARC_SUFFIXES:
            yield from warc.read_warc(path, settings=settings)
        elif suffix in FEED_SUFFIXES:
            yield from feeds.read_feed_file(path, settings=settings)
        elif suffix in HTML_SUFFIXES:
            yield html.read_html_file(path, settings=settings)
        else:
            yield text.read_text_file(path, min_chars=settings.min_text_chars, max_bytes=settings.max_bytes)
    except InputError as exc:
        yield exc
    except Exception as exc:  # a parser library failing on odd input must not stop the batch
        yield InputError(label, f"unexpected {type(exc).__name__}: {exc}")


def iter_inputs(inputs: list[str], settings: IngestSettings) -> Iterator[Item]:
    """Every article (or error) from every input, in order; `settings.outlet` names every article's outlet."""
    outlet = clean_label(settings.outlet)
    for item in _iter_inputs(inputs, settings):
        if outlet and isinstance(item, Article):
            item.outlet = outlet
        yield item


def _iter_inputs(inputs: list[str], settings: IngestSettings) -> Iterator[Item]:
    for value in inputs:
        if value == "-":
            from storydesk.ingest import jsonl

            yield from jsonl.read_jsonl_stream(sys.stdin, source="<stdin>", settings=settings)
        elif is_url(value):
            from storydesk.ingest import fetch

            try:
                yield from fetch.ingest_url(value, settings=settings)
            except InputError as exc:
                yield exc
        else:
            paths = expand(value)
            if paths is None:
                yield InputError(value, "no such file, folder or glob match")
                continue
            for path in paths:
                yield from iter_file(path, settings)
