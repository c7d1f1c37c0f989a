"""URL fetching (issue 2) against a local HTTP server: limits, content types and the address guard."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from storydesk.errors import FetchError, InputError
from storydesk.ingest import fetch, iter_inputs
from storydesk.records import Article
from storydesk.settings import IngestSettings

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PAGE = (EXAMPLES / "page.html").read_bytes()
FEED = (EXAMPLES / "feed.xml").read_bytes()
TEXT = (EXAMPLES / "northern_wire.txt").read_bytes()


class Handler(BaseHTTPRequestHandler):
    # path -> (status, headers, body)
    routes: dict[str, tuple[int, dict[str, str], bytes]] = {}
    seen_agents: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.seen_agents.append(self.headers.get("User-Agent", ""))
        status, headers, body = self.routes.get(self.path, (404, {"Content-Type": "text/html"}, b"<h1>not found</h1>"))
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass  # keep test output clean


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    Handler.routes = {
        "/page": (200, {"Content-Type": "text/html; charset=utf-8"}, PAGE),
        "/feed": (200, {"Content-Type": "application/rss+xml"}, FEED),
        "/feed-as-text-xml": (200, {"Content-Type": "text/xml"}, FEED),
        "/wire.txt": (200, {"Content-Type": "text/plain; charset=utf-8"}, TEXT),
        "/image": (200, {"Content-Type": "image/png"}, b"\x89PNG" + b"\x00" * 100),
        "/big": (200, {"Content-Type": "text/html"}, b"<p>" + b"x" * 50_000 + b"</p>"),
        "/error-page-feed": (
            200,
            {"Content-Type": "application/rss+xml"},
            b"<html><body><h1>Service unavailable</h1></body></html>",
        ),
        "/moved": (301, {"Location": "/page"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/to-localhost": (302, {"Location": f"http://localhost:{httpd.server_address[1]}/page"}, b""),
        "/gone": (410, {"Content-Type": "text/html"}, b"gone"),
    }
    Handler.seen_agents = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield base
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def _local() -> IngestSettings:
    return IngestSettings(allow_private=True, timeout_s=5)


def test_html_page_is_fetched_and_read(server: str) -> None:
    (article,) = fetch.ingest_url(f"{server}/page", settings=_local())
    assert isinstance(article, Article)
    assert article.outlet == "The Daily Ledger"
    assert article.source == f"{server}/page"
    assert article.published == "2026-04-15"
    assert Handler.seen_agents == [_local().user_agent]


def test_redirect_is_followed_and_final_url_kept(server: str) -> None:
    (article,) = fetch.ingest_url(f"{server}/moved", settings=_local())
    assert isinstance(article, Article)
    assert article.url == f"{server}/page"


@pytest.mark.parametrize("path", ["/feed", "/feed-as-text-xml"])
def test_feed_url_gives_one_article_per_entry(server: str, path: str) -> None:
    items = list(fetch.ingest_url(f"{server}{path}", settings=_local()))
    assert [type(i) for i in items] == [Article, Article]
    assert items[0].source == f"{server}{path}#ostmark-2026-04-15-aldmoor"  # type: ignore[union-attr]


def test_plain_text_url(server: str) -> None:
    (article,) = fetch.ingest_url(f"{server}/wire.txt", settings=_local())
    assert isinstance(article, Article)
    assert (article.outlet, article.published) == ("Northern Wire", "2026-04-14")


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/image", "unsupported content type 'image/png'"),
        ("/big", "over the 10,000-byte cap"),
        ("/loop", "more than 5 redirects"),
        ("/gone", "HTTP 410"),
        ("/error-page-feed", "HTML page, not an RSS/Atom feed"),
    ],
)
def test_fetch_limits_give_a_clear_error(server: str, path: str, reason: str) -> None:
    settings = _local()
    settings.max_bytes = 10_000
    with pytest.raises(InputError, match=reason) as info:
        list(fetch.ingest_url(f"{server}{path}", settings=settings))
    assert info.value.input == f"{server}{path}"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_refused_connection_is_an_error_and_the_batch_goes_on(server: str) -> None:
    dead = f"http://127.0.0.1:{_closed_port()}/x"
    items = list(iter_inputs([dead, f"{server}/page"], _local()))
    assert [type(i) for i in items] == [FetchError, Article]
    assert items[0].input == dead  # type: ignore[union-attr]
    assert "cannot fetch" in items[0].reason  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://127.0.0.1:9/", "loopback"),
        ("http://10.1.2.3/", "private"),
        ("http://192.168.0.10/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]:8080/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://0.0.0.0/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://localhost:9/", "loopback"),
    ],
)
def test_guard_refuses_local_addresses(url: str, kind: str) -> None:
    with pytest.raises(FetchError, match=f"resolves to {kind} address") as info:
        fetch.fetch(url, settings=IngestSettings())
    assert info.value.input == url
    assert "--allow-private" in info.value.reason


# Issue 11: the guard refused loopback/private/link-local only; carrier-grade NAT
# (with a cloud metadata address in it), 6to4 and other non-global ranges got through.
@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("100.64.0.1", "carrier-grade NAT"),
        ("100.100.100.200", "carrier-grade NAT"),  # Alibaba Cloud's metadata service
        ("100.127.255.254", "carrier-grade NAT"),
        ("2002:7f00:1::1", "6to4"),  # 6to4 wrapping 127.0.0.1
        ("2002:a9fe:a9fe::1", "6to4"),  # 6to4 wrapping 169.254.169.254
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"),
        ("64:ff9b::a9fe:a9fe", "NAT64"),  # NAT64 of 169.254.169.254
        ("64:ff9b:1::1", "NAT64"),
        ("192.0.2.10", "documentation"),
        ("198.51.100.7", "documentation"),
        ("203.0.113.99", "documentation"),
        ("2001:db8::1", "documentation"),
        ("3fff::1", "documentation"),
        ("198.18.0.1", "benchmarking"),
        ("192.0.0.8", "IETF protocol"),
        ("192.88.99.1", "6to4 relay"),
        ("240.0.0.1", "reserved"),
        ("255.255.255.255", "reserved"),
        ("fd00::1", "private"),
        ("fec0::1", "site-local"),
        ("fe80::1%eth0", "link-local"),
        ("ff02::1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("100::1", "discard"),
        ("::ffff:100.100.100.200", "carrier-grade NAT"),
        ("::ffff:10.0.0.1", "private"),
        ("::8.8.8.8", "reserved"),  # IPv4-compatible, deprecated
    ],
)
def test_guard_refuses_every_non_global_address(address: str, kind: str) -> None:
    assert fetch._refused(address) == kind


@pytest.mark.parametrize(
    "address",
    ["93.184.215.14", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e", "::ffff:8.8.8.8"],
)
def test_guard_lets_public_addresses_through(address: str) -> None:
    assert fetch._refused(address) is None


@pytest.mark.parametrize(
    "url",
    [
        "http://100.100.100.200/latest/meta-data/",
        "http://[2002:7f00:1::1]/",
        "http://[64:ff9b::a9fe:a9fe]/",
        "http://[2001:db8::1]/",
    ],
)
def test_fetch_refuses_non_global_literals_before_connecting(url: str) -> None:
    with pytest.raises(FetchError, match="refused: .* resolves to .* address") as info:
        fetch.fetch(url, settings=IngestSettings())
    assert info.value.input == url


def test_guard_refuses_a_host_resolving_to_a_metadata_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "_resolve", lambda host, port: ["93.184.215.14", "100.100.100.200"])
    with pytest.raises(FetchError, match="carrier-grade NAT address 100.100.100.200"):
        fetch.fetch("https://metadata.example/latest", settings=IngestSettings())


def test_guard_checks_every_redirect_hop(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # Pretend 127.0.0.1 is a public address so the first hop passes the guard;
    # the redirect to "localhost" must still be refused.
    real = fetch._resolve
    monkeypatch.setattr(
        fetch, "_resolve", lambda host, port: ["93.184.215.14"] if host == "127.0.0.1" else real(host, port)
    )
    (article,) = fetch.ingest_url(f"{server}/page", settings=IngestSettings())
    assert isinstance(article, Article)
    with pytest.raises(FetchError, match="redirect to http://localhost:.*loopback") as info:
        fetch.fetch(f"{server}/to-localhost", settings=IngestSettings())
    assert info.value.input == f"{server}/to-localhost"


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "http:///nohost"])
def test_only_http_urls(url: str) -> None:
    with pytest.raises(FetchError):
        fetch.fetch(url, settings=IngestSettings(allow_private=True))


def test_follow_fetches_each_entry_page_and_falls_back_to_the_entry(server: str, tmp_path: Path) -> None:
    feed = FEED.replace(
        b"https://news.radio-ostmark.example/2026/04/15/aldmoor-flood-inquiry", f"{server}/page".encode()
    )
    feed = feed.replace(b"https://news.radio-ostmark.example/2026/04/15/selna-level-falls", f"{server}/gone".encode())
    path = tmp_path / "feed.xml"
    path.write_bytes(feed)
    settings = _local()
    settings.follow_feeds = True
    followed, fallback = iter_inputs([str(path)], settings)
    assert isinstance(followed, Article) and isinstance(fallback, Article)
    assert followed.paragraphs[0].startswith("Two engineers who worked on the Aldmoor Dam")  # the page's text
    assert followed.outlet == "Radio Ostmark News"  # the feed names the outlet
    assert fallback.title == "Selna river level falls as Aldmoor reservoir is lowered"  # the entry's own text


def test_unresolvable_host_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(host: str, port: int) -> list[str]:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(fetch, "_resolve", no_such_host)
    (error,) = iter_inputs(["https://no-such-outlet.invalid/story"], IngestSettings())
    assert isinstance(error, FetchError)
    assert error.input == "https://no-such-outlet.invalid/story"
    assert "cannot resolve host 'no-such-outlet.invalid'" in error.reason
