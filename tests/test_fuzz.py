"""Fuzzing every ingester and the reader with Hypothesis (issue 11).

Random bytes, random Unicode, and random-but-plausible HTML, RSS/Atom XML,
JSON lines and WARC archives go through the same entry point as the CLI
(`iter_inputs` on a file of the right suffix), then through the pipeline into a
store. What must hold whatever the input:

- no crash: every input gives Articles or InputErrors naming it, never an exception;
- no hang: each example finishes within HANG_S seconds (an alarm fails it otherwise);
- no partial article: every stored article is whole (its body, paragraphs,
  hash, source and full-text row agree), and a failed input stores nothing.

`make test` runs the "ci" profile (a few dozen examples per test, seconds);
`make fuzz` runs the "fuzz" profile (thousands each; HYPOTHESIS_PROFILE=fuzz).
"""

from __future__ import annotations

import io
import json
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storydesk import pipeline
from storydesk.errors import InputError
from storydesk.ingest import iter_inputs
from storydesk.ingest.common import content_hash
from storydesk.ingest.decode import decode_bytes
from storydesk.records import Article
from storydesk.settings import IngestSettings, Settings
from storydesk.store import open_store

pytestmark = pytest.mark.fuzz

HANG_S = 20  # far above any input's real cost (the slowest, a 4 kB HTML page, takes ~0.1 s)
settings.register_profile(
    "ci",
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples on every CI run: a failure there is reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@contextmanager
def no_hang(seconds: int = HANG_S) -> Iterator[None]:
    """Fail the example if it runs longer than `seconds` (SIGALRM: tests run in the main thread)."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"input took more than {seconds} s: a hang")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# -- strategies ----------------------------------------------------------------

WORDS = st.sampled_from(
    [
        "the",
        "minister",
        "said",
        "on",
        "Monday",
        "that",
        "dam",
        "flood",
        "village",
        "Zelensky",
        "“quote”",
        "'x'",
        "1,100",
        "km²",
        "—",
        "–",
        "&",
        "<",
        ">",
        "\u200d",
        "\u202e",
        "ça",
        "déjà",
        "北京",
        "Москва",
        "القاهرة",
        "😀",
        "\t",
        "\n",
        "\r\n",
        "\x00",
        "\ufeff",
    ]
)
PROSE = st.lists(WORDS, max_size=80).map(" ".join)
UNICODE = st.text(max_size=1500)
TAGS = st.sampled_from(
    [
        "p",
        "div",
        "article",
        "h1",
        "title",
        "script",
        "style",
        "a",
        "br",
        "nav",
        "footer",
        "meta",
        "b",
        "table",
        "tr",
        "td",
        "!--",
        "html",
        "body",
        "head",
    ]
)
ATTRS = st.dictionaries(
    st.sampled_from(["class", "href", "onclick", "content", "property", "name", "lang", "charset"]), PROSE, max_size=3
)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def build(tag: str, attrs: dict[str, str], inner: list[str], closed: bool) -> str:
        attributes = "".join(f' {k}="{v}"' for k, v in attrs.items())
        return f"<{tag}{attributes}>{''.join(inner)}" + (f"</{tag}>" if closed else "")

    return st.builds(build, TAGS, ATTRS, st.lists(children, max_size=4), st.booleans())


HTML_PAGES = st.recursive(PROSE, _element, max_leaves=30).map(lambda body: f"<!doctype html><html>{body}</html>")
DATES = st.one_of(
    PROSE,
    st.sampled_from(["Wed, 15 Apr 2026 07:30:00 +0200", "2026-04-15T05:30:00Z", "yesterday", "", "Mon, 99 Foo 2026"]),
)


def _rss(title: str, items: list[tuple[str, str, str, str]], garbage: str) -> str:
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>{d}</pubDate><description>{body}</description></item>"
        for t, link, d, body in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>{entries}{garbage}</channel></rss>'


def _atom(title: str, items: list[tuple[str, str, str, str]], garbage: str) -> str:
    entries = "".join(
        f'<entry><title>{t}</title><link href="{link}"/><updated>{d}</updated><content type="html">{body}</content></entry>'
        for t, link, d, body in items
    )
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{title}</title>{entries}{garbage}</feed>'


ITEMS = st.lists(
    st.tuples(PROSE, st.sampled_from(["https://news.example/a", "", "javascript:x", "not a url"]), DATES, PROSE),
    max_size=4,
)
FEEDS = st.builds(_rss, PROSE, ITEMS, PROSE) | st.builds(_atom, PROSE, ITEMS, PROSE)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | UNICODE,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=10,
)
RECORDS = st.fixed_dictionaries(
    {"text": st.one_of(PROSE, UNICODE, JSON_VALUES)},
    optional={
        "title": st.one_of(PROSE, JSON_VALUES),
        "outlet": st.one_of(PROSE, JSON_VALUES),
        "url": st.one_of(st.just("https://news.example/x"), JSON_VALUES),
        "published": st.one_of(DATES, JSON_VALUES),
        "id": st.one_of(PROSE, JSON_VALUES),
        "language": st.one_of(st.just("en"), JSON_VALUES),
    },
)
JSONL = st.lists(st.one_of(RECORDS.map(json.dumps), JSON_VALUES.map(json.dumps), UNICODE), max_size=5).map("\n".join)


# -- checks ----------------------------------------------------------------------


def check_items(path: Path, items: list[Article | InputError]) -> None:
    for item in items:
        assert isinstance(item, Article | InputError), type(item)
        if isinstance(item, InputError):
            assert item.input.startswith(path.name) or path.name in item.input, item.input  # names the input
            assert item.reason and "\n" not in item.reason.strip()  # one line
        else:
            assert item.text and item.text == "\n\n".join(item.paragraphs)
            assert item.content_hash == content_hash(item.text)
            assert len(item.text) >= IngestSettings().min_text_chars


def ingest_file(tmp_path: Path, name: str, data: bytes) -> list[Article | InputError]:
    path = tmp_path / name
    path.write_bytes(data)
    with no_hang():
        items = list(iter_inputs([str(path)], IngestSettings()))
    check_items(path, items)
    path.unlink()
    return items


def check_store_whole(store) -> None:  # type: ignore[no-untyped-def]
    """Every stored article is whole: record, text, hash, source and full-text row agree."""
    rows = store.execute("SELECT id, data, content_hash FROM articles").fetchall()
    for article_id, data, digest in rows:
        article = store.articles.get(article_id)
        assert article.text and article.text == "\n\n".join(article.paragraphs)
        assert content_hash(article.text) == digest
        assert store.articles.sources(article_id)
        assert json.loads(data)
    fts = store.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
    assert fts == len(rows)


SUFFIXES = [".txt", ".html", ".xml", ".jsonl", ".warc", ".warc.gz", ".jsonl.gz", ".md"]


# -- the ingesters -------------------------------------------------------------------


@given(data=st.binary(max_size=4000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_in_any_ingester(tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str) -> None:
    ingest_file(tmp_path_factory.mktemp("bytes"), "input" + suffix, data)


@given(
    text=UNICODE,
    suffix=st.sampled_from(SUFFIXES),
    encoding=st.sampled_from(["utf-8", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1"]),
)
def test_random_unicode_in_any_ingester(
    tmp_path_factory: pytest.TempPathFactory, text: str, suffix: str, encoding: str
) -> None:
    ingest_file(tmp_path_factory.mktemp("text"), "input" + suffix, text.encode(encoding, errors="replace"))


@given(text=UNICODE)
def test_decoding_never_raises_anything_but_an_input_error(text: str) -> None:
    for data in (text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-8")[:-1]):
        try:
            decoded = decode_bytes(data, input="x")
        except InputError:
            continue
        assert isinstance(decoded, str)


@given(page=HTML_PAGES)
def test_random_html(tmp_path_factory: pytest.TempPathFactory, page: str) -> None:
    ingest_file(tmp_path_factory.mktemp("html"), "page.html", page.encode("utf-8"))


@given(feed=FEEDS)
def test_random_feeds(tmp_path_factory: pytest.TempPathFactory, feed: str) -> None:
    ingest_file(tmp_path_factory.mktemp("feed"), "feed.xml", feed.encode("utf-8", errors="replace"))


@given(lines=JSONL)
def test_random_json_lines(tmp_path_factory: pytest.TempPathFactory, lines: str) -> None:
    items = ingest_file(tmp_path_factory.mktemp("jsonl"), "lines.jsonl", lines.encode("utf-8", errors="replace"))
    assert len(items) <= max(1, lines.count("\n") + 1)  # one item per line at most


def _warc(pages: list[str], gzip: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    for n, page in enumerate(pages):
        body = page.encode("utf-8", errors="replace")
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://news.example/{n}", "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
        )
        writer.write_record(record)
    return out.getvalue()


@given(
    pages=st.lists(HTML_PAGES, min_size=1, max_size=3),
    gzip=st.booleans(),
    cut=st.floats(min_value=0.0, max_value=1.0),
    flips=st.lists(st.tuples(st.floats(min_value=0, max_value=1), st.integers(0, 255)), max_size=3),
)
def test_random_and_damaged_warc_archives(
    tmp_path_factory: pytest.TempPathFactory, pages: list[str], gzip: bool, cut: float, flips: list[tuple[float, int]]
) -> None:
    data = bytearray(_warc(pages, gzip))
    for where, value in flips:
        data[int(where * (len(data) - 1))] = value
    data = data[: max(1, int(len(data) * cut))] if cut < 1 else data
    ingest_file(tmp_path_factory.mktemp("warc"), "crawl.warc.gz" if gzip else "crawl.warc", bytes(data))


# -- through the pipeline into a store -------------------------------------------


@settings(max_examples=int(os.environ.get("FUZZ_STORE_EXAMPLES", "10")))
@given(
    inputs=st.lists(
        st.tuples(
            st.sampled_from(SUFFIXES),
            st.one_of(
                st.binary(max_size=2000), HTML_PAGES.map(str.encode), JSONL.map(lambda s: s.encode("utf-8", "replace"))
            ),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_nothing_partial_reaches_the_store(
    tmp_path_factory: pytest.TempPathFactory, inputs: list[tuple[str, bytes]]
) -> None:
    folder = tmp_path_factory.mktemp("store")
    paths = []
    for n, (suffix, data) in enumerate(inputs):
        path = folder / f"in{n}{suffix}"
        path.write_bytes(data)
        paths.append(str(path))
    settings_ = Settings(db=folder / "s.db")
    with open_store(":memory:") as store, no_hang(60):
        summary = pipeline.ingest(paths, store, settings_, link_and_compare=False)
        check_store_whole(store)
        stored = store.articles.count()
    assert stored == len(summary.new) + len(summary.near_duplicate)


# -- the reader ---------------------------------------------------------------------


@settings(max_examples=int(os.environ.get("FUZZ_READER_EXAMPLES", "15")))
@given(
    text=st.one_of(PROSE, UNICODE),
    published=st.one_of(st.none(), st.sampled_from(["2026-04-15", "2026-04-15T07:30:00+02:00", "bad"])),
)
def test_the_reader_takes_any_text(text: str, published: str | None) -> None:
    from storydesk.read import read_articles
    from storydesk.settings import ReadSettings

    article = Article(id="f", source="fuzz", text=text, paragraphs=[text], language="en", published=published)
    with no_hang():
        (read,) = read_articles([article], ReadSettings())
    for span in (*read.mentions, *read.quotes, *read.claims, *read.dates):
        assert 0 <= span.start <= span.end <= len(text)
    for mention in read.mentions:
        assert text[mention.start : mention.end] == mention.text  # offsets point into the body as stored
