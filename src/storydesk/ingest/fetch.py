"""Fetching URLs with httpx, carefully.

Every request: a clear User-Agent, timeouts, a size cap (the body is streamed
and dropped once it passes `settings.max_bytes`), an accepted content type
(HTML, RSS/Atom/XML, plain text), and redirects followed here one hop at a time
so that each hop goes through the address guard. The guard resolves the host
and refuses loopback, private, link-local, reserved, multicast and
unspecified addresses, and every other range that is not globally routable
(`_refused`), unless `settings.allow_private`: a URL from a feed or a user must
not make storydesk probe the local network or a cloud host's metadata service.

Known limit: httpx resolves the host again when it connects, so a DNS server
that answers differently the second time (DNS rebinding) is not caught.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx

from storydesk.errors import FetchError, InputError, PrivateAddressError
from storydesk.ingest.decode import decode_bytes
from storydesk.records import Article
from storydesk.settings import IngestSettings

_HTML_TYPES = {"text/html", "application/xhtml+xml"}
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml"}
_TEXT_TYPES = {"text/plain"}
_REDIRECTS = {301, 302, 303, 307, 308}


@dataclass(slots=True)
class Page:
    url: str  # after redirects
    content_type: str  # media type without parameters, lower case
    charset: str | None
    body: bytes


def _resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (one name may have several)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


# Ranges refused by name on top of `ipaddress`'s `is_global`: some are "global"
# to Python but reach the local network or a cloud host's services (100.64.0.0/10
# holds Alibaba's metadata address 100.100.100.200; 6to4, Teredo and NAT64
# addresses wrap an IPv4 address that a relay or gateway will reach for us), and
# naming them makes the refusal say why. Checked in order; the first match names it.
BLOCKED_NETWORKS: tuple[tuple[str, str], ...] = (
    ("0.0.0.0/8", "unspecified"),
    ("10.0.0.0/8", "private"),
    ("100.64.0.0/10", "carrier-grade NAT"),
    ("127.0.0.0/8", "loopback"),
    ("169.254.0.0/16", "link-local"),
    ("172.16.0.0/12", "private"),
    ("192.0.0.0/24", "IETF protocol"),
    ("192.0.2.0/24", "documentation"),
    ("192.88.99.0/24", "6to4 relay"),
    ("192.168.0.0/16", "private"),
    ("198.18.0.0/15", "benchmarking"),
    ("198.51.100.0/24", "documentation"),
    ("203.0.113.0/24", "documentation"),
    ("224.0.0.0/4", "multicast"),
    ("240.0.0.0/4", "reserved"),
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("64:ff9b::/96", "NAT64"),
    ("64:ff9b:1::/48", "NAT64"),
    ("100::/64", "discard"),
    ("2001::/32", "Teredo"),
    ("2001:db8::/32", "documentation"),
    ("2002::/16", "6to4"),
    ("3fff::/20", "documentation"),
    ("5f00::/16", "segment routing"),
    ("fc00::/7", "private"),
    ("fe80::/10", "link-local"),
    ("fec0::/10", "site-local"),
    ("ff00::/8", "multicast"),
)
_BLOCKED = [(ipaddress.ip_network(net), kind) for net, kind in BLOCKED_NETWORKS]


def _refused(address: str) -> str | None:
    """Why `address` is off limits, or None when it is a public address.

    Refused: every address `ipaddress` does not call global, multicast, and the
    ranges in BLOCKED_NETWORKS. An IPv4-mapped IPv6 address is judged by its IPv4 address.
    """
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    for network, kind in _BLOCKED:
        if ip.version == network.version and ip in network:
            return kind
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    if not ip.is_global:
        return "non-global"
    return None


def check_url(url: str, *, settings: IngestSettings) -> None:
    """Raise FetchError unless `url` is http(s) on a host storydesk may contact."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise FetchError(url, f"unsupported URL scheme {parts.scheme!r} (http and https only)")
    if not parts.hostname:
        raise FetchError(url, "URL has no host")
    if settings.allow_private:
        return
    try:
        addresses = _resolve(parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(url, f"cannot resolve host {parts.hostname!r} ({exc})") from None
    for address in addresses:
        if reason := _refused(address):
            raise PrivateAddressError(url, f"refused: {parts.hostname} resolves to {reason} address {address}")


def media_type(header: str) -> tuple[str, str | None]:
    media, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"').lower()
    return media.strip().lower(), charset


def _read_capped(response: httpx.Response, url: str, cap: int) -> bytes:
    declared = response.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise FetchError(url, f"response is {int(declared):,} bytes, over the {cap:,}-byte cap")
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > cap:
            raise FetchError(url, f"response is over the {cap:,}-byte cap")
        chunks.append(chunk)
    return b"".join(chunks)


def fetch(url: str, *, settings: IngestSettings) -> Page:
    """GET `url` within the limits in `settings`, following redirects one checked hop at a time."""
    headers = {
        "User-Agent": settings.user_agent,
        "Accept": "text/html, application/rss+xml, application/atom+xml, */*;q=0.5",
    }
    current = url
    try:
        with httpx.Client(
            timeout=settings.timeout_s, follow_redirects=False, headers=headers, trust_env=False
        ) as client:
            for _hop in range(settings.max_redirects + 1):
                check_url(current, settings=settings)
                with client.stream("GET", current) as response:
                    if response.status_code in _REDIRECTS and "location" in response.headers:
                        current = urljoin(current, response.headers["location"])
                        continue
                    if response.status_code >= 400:
                        raise FetchError(url, f"HTTP {response.status_code} {response.reason_phrase}".strip())
                    media, charset = media_type(response.headers.get("content-type", ""))
                    if media and media not in _HTML_TYPES | _FEED_TYPES | _TEXT_TYPES:
                        raise FetchError(url, f"unsupported content type {media!r} (HTML, RSS/Atom or plain text only)")
                    body = _read_capped(response, url, settings.max_bytes)
                    return Page(url=str(response.url), content_type=media, charset=charset, body=body)
    except FetchError as exc:
        # A refusal on a redirect hop names the original URL, which is what the user typed.
        if exc.input != url:
            if isinstance(exc, PrivateAddressError):
                raise PrivateAddressError(url, f"redirect to {exc.input}: {exc.refusal}") from None
            raise FetchError(url, f"redirect to {exc.input}: {exc.reason}") from None
        raise
    except httpx.TimeoutException:
        raise FetchError(url, f"timed out after {settings.timeout_s:g} s") from None
    except httpx.HTTPError as exc:
        raise FetchError(url, f"cannot fetch ({type(exc).__name__}: {exc})") from None
    raise FetchError(url, f"more than {settings.max_redirects} redirects")


def _decode(page: Page, source: str) -> str:
    if page.charset:
        try:
            return page.body.decode(page.charset)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall back to detection
    return decode_bytes(page.body, input=source)


def _is_feed(page: Page) -> bool:
    if page.content_type in _FEED_TYPES:
        return True
    head = page.body[:512].lstrip().lower()
    return page.content_type not in _HTML_TYPES and (b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head)


def articles_from_page(page: Page, *, source: str, settings: IngestSettings) -> Iterator[Article | InputError]:
    """The article(s) in a fetched page: feed entries, an HTML article or a plain-text one."""
    from storydesk.ingest import feeds, html, text

    if _is_feed(page):
        yield from feeds.parse_feed(page.body, source=source, settings=settings)
    elif page.content_type in _TEXT_TYPES:
        article = text.parse_text(_decode(page, source), source=source, min_chars=settings.min_text_chars)
        article.url = page.url
        yield article
    else:
        yield html.parse_html(_decode(page, source), source=source, url=page.url, settings=settings)


def fetch_article(url: str, *, settings: IngestSettings) -> Article:
    """One page as one article (used to follow feed entries)."""
    page = fetch(url, settings=settings)
    for item in articles_from_page(page, source=url, settings=settings):
        if isinstance(item, InputError):
            raise item
        return item
    raise FetchError(url, "no article in the page")


def ingest_url(url: str, *, settings: IngestSettings) -> Iterator[Article | InputError]:
    """Every article at `url`: one for a page, one per entry for a feed."""
    page = fetch(url, settings=settings)
    yield from articles_from_page(page, source=url, settings=settings)
