"""The web app: HTML pages and their JSON twins over the store.

`create_app(settings)` builds the FastAPI app; `storydesk serve` runs it
with uvicorn. One router per resource (stories, articles, actors, ingest);
the store, paging and rendering are declared once in `deps.py`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from storydesk import __version__
from storydesk.settings import Settings
from storydesk.store import Store
from storydesk.web import errors
from storydesk.web.cache import PageCache, cacheable, serve_cached
from storydesk.web.deps import StorePool, make_templates
from storydesk.web.jobs import IngestJobs
from storydesk.web.routers import access, articles, entities, exports, ingest, stories, storylines
from storydesk.web.security import Access, Guard

# Article text is untrusted: besides escaping everything, the pages forbid
# inline scripts and any script, style or image from elsewhere, so markup that
# slipped through would still not run, and nothing is fetched from a CDN.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    # same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on form posts,
    # which the same-origin check (web/security.py) must refuse. Other sites still get no referrer.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response (plain ASGI: cheaper than an @app.middleware function)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(settings: Settings, *, store: Store | None = None) -> FastAPI:
    """The app over `settings.db`, or over `store` when one is given (an in-memory store in tests).

    `settings.web` says who may use it (web/security.py): the host names it
    answers to, the access token or users file, and whether it is read-only.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not settings.web.read_only:
            pool: StorePool = app.state.pool
            held = pool.acquire()
            try:
                held.jobs.interrupt_unfinished()  # a job a stopped server left running will never finish
            finally:
                pool.release(held)
        yield
        if not settings.web.read_only:
            app.state.ingests.close()
        app.state.pool.close()

    app = FastAPI(
        title="storydesk",
        version=__version__,
        description="Stories, sources and actors: who said what, where outlets agree and where they conflict.",
        # FastAPI's own /docs loads Swagger UI from a CDN; /docs below is served from here instead.
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.access = Access(settings.web)
    app.state.pool = StorePool(settings, store)
    app.state.templates = make_templates()
    if not settings.web.read_only:
        app.state.ingests = IngestJobs(app.state.pool.acquire, app.state.pool.release)
    errors.install(app)

    if store is None and settings.web.cache_bytes > 0:
        shared = app.state.pool.shared  # a PostgreSQL store: its version comes from the server
        cache = (
            PageCache(None, max_bytes=settings.web.cache_bytes, version=shared.version)
            if shared is not None
            else PageCache(Path(settings.db), max_bytes=settings.web.cache_bytes)
        )

        @app.middleware("http")
        async def cached(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
            if not cacheable(request):
                return await call_next(request)
            return await serve_cached(request, call_next, cache)

    # Outside the cache: a page is only served (from the cache or not) to whom may see it.
    app.add_middleware(Guard, access=app.state.access)
    app.add_middleware(SecurityHeaders)

    static = resources.files("storydesk.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    for module in (exports, storylines, stories, articles, entities, access):
        app.include_router(module.router)
    if not settings.web.read_only:  # read-only: no write route exists at all
        app.include_router(ingest.router)

    @app.get("/", include_in_schema=False)
    def home() -> RedirectResponse:
        return RedirectResponse("/stories")

    @app.get("/docs", response_class=HTMLResponse, summary="This API's paths, read from /openapi.json")
    def docs(request: Request) -> HTMLResponse:
        operations: list[dict[str, Any]] = []
        for path, methods in app.openapi().get("paths", {}).items():
            for method, op in methods.items():
                operations.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": op.get("summary", ""),
                        "description": op.get("description", ""),
                        "parameters": op.get("parameters", []),
                    }
                )
        html = app.state.templates.get_template("docs.html").render(request=request, operations=operations)
        return HTMLResponse(html)

    return app


def app_from_env() -> FastAPI:
    """The app over `$STORYDESK_DB`: the factory each uvicorn worker process calls (`serve --workers`).

    The access settings come from the environment too (settings.py); the bound
    address from `$STORYDESK_HOST`, so the host allowlist matches the parent's.
    """
    import os

    settings = Settings()
    settings.web.host = os.environ.get("STORYDESK_HOST", settings.web.host)
    return create_app(settings)
