"""Rendered pages kept until the store changes: repeat views cost a dictionary lookup.

A story page reads a dozen records and renders a few hundred statements; the
result only changes when something is written to the store. The store's
files tell when that happens without a query: in WAL mode every commit grows
or rewrites `store.db-wal` and every checkpoint rewrites `store.db`, so
their sizes and modification times together are a version. Any change (this
server's ingest, or a `storydesk ingest` in another process) empties the
cache. Responses also carry that version as an ETag, so a browser's reload
gets a 304 without a body.
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from fastapi.responses import Response

# Paths whose answers depend only on the URL and the store (not /ingest, not /static).
CACHED_PREFIXES = ("/stories", "/articles", "/actors", "/search")


@dataclass(slots=True)
class Page:
    body: bytes
    status: int
    headers: dict[str, str]


class PageCache:
    """`version`, when given, tells the store's version instead of its files (a PostgreSQL store has none)."""

    def __init__(
        self, db: Path | None, *, max_bytes: int, version: Callable[[], tuple[int, ...]] | None = None
    ) -> None:
        self.files = [str(db), f"{db}-wal"] if db is not None else []
        self.max_bytes = max_bytes
        self.pages: OrderedDict[str, Page] = OrderedDict()
        self.size = 0
        self.version: tuple[int, ...] | None = None
        self.read_version = version

    def current_version(self) -> tuple[int, ...]:
        if self.read_version is not None:
            return self.read_version()
        stamp: list[int] = []
        for name in self.files:
            try:
                st = os.stat(name)
                stamp += [st.st_size, st.st_mtime_ns]
            except FileNotFoundError:
                stamp += [-1, -1]
        return tuple(stamp)

    def _sync(self) -> tuple[int, ...]:
        version = self.current_version()
        if version != self.version:
            self.pages.clear()
            self.size = 0
            self.version = version
        return version

    def get(self, key: str) -> Page | None:
        self._sync()
        page = self.pages.get(key)
        if page is not None:
            self.pages.move_to_end(key)
        return page

    def put(self, key: str, page: Page) -> None:
        if len(page.body) > self.max_bytes // 4:
            return  # one huge page must not push out everything else
        self.pages[key] = page
        self.size += len(page.body)
        while self.size > self.max_bytes:
            _, dropped = self.pages.popitem(last=False)
            self.size -= len(dropped.body)

    def etag(self, key: str) -> str:
        digest = hashlib.blake2s(repr((key, self._sync())).encode(), digest_size=12).hexdigest()
        return f'"{digest}"'


def cacheable(request: Request) -> bool:
    return request.method == "GET" and request.url.path.startswith(CACHED_PREFIXES)


async def serve_cached(
    request: Request, call_next: Callable[[Request], Awaitable[Response]], cache: PageCache
) -> Response:
    """Answer from the cache when the store has not changed since the page was rendered."""
    # HTML and JSON errors differ by Accept, so it is part of the key.
    key = f"{request.url.path}?{request.url.query}|{'html' if 'text/html' in request.headers.get('accept', '') else ''}"
    etag = cache.etag(key)
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    page = cache.get(key)
    if page is None:
        response = await call_next(request)
        body = b"".join([chunk async for chunk in response.body_iterator])  # type: ignore[attr-defined]
        headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
        page = Page(body, response.status_code, headers)
        # The version read before rendering: a write during rendering leaves this page stale, so keep it only if none happened.
        if response.status_code == 200 and cache.etag(key) == etag:
            cache.put(key, page)
    return Response(page.body, status_code=page.status, headers={**page.headers, "ETag": etag})
