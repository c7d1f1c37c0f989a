"""Articles: the index, the article page with its highlights, and full-text search, each as HTML and `.json`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from storydesk.store.base import ArticleFilter
from storydesk.web.deps import Page, PageDep, StoreDep, render
from storydesk.web.views import article_detail, article_index, article_list_item

# The handlers are async, so they run on the event loop: each reads a few indexed
# rows (~1-2 ms of CPU that no thread could overlap, the GIL) and the hop to the
# thread pool and back cost a fifth of a page (measured with bench/bench_web.py).
router = APIRouter(tags=["articles"])

Text = Annotated[str | None, Query(max_length=200)]
Day = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]


# The `.json` routes are registered first (decorators apply bottom-up), so
# `/articles/x.json` never reaches the HTML route as the id "x.json".
@router.get("/articles", summary="Articles, newest first, with filters", response_model=None)
@router.get("/articles.json", summary="Articles as JSON (paginated: total, limit, offset, items)", response_model=None)
async def articles(
    request: Request,
    store: StoreDep,
    page: PageDep,
    since: Day = None,
    until: Day = None,
    outlet: Text = None,
    language: Text = None,
    actor: Annotated[str | None, Query(max_length=200, description="Actor id or any of its spellings")] = None,
    q: Annotated[str | None, Query(max_length=500, description="Words the articles contain (full-text)")] = None,
) -> Response:
    filters = {"since": since, "until": until, "outlet": outlet, "language": language, "actor": actor, "q": q}
    query = ArticleFilter(outlet=outlet or None, language=language or None, since=since, until=until, query=q or None)
    data = {**article_index(store, query, page, actor=actor or None), "filters": filters}
    extra = {"outlets": store.articles.outlets(), "languages": store.articles.languages()}
    return render(request, "articles.html", data, extra=extra)


@router.get(
    "/articles/{article_id}", summary="One article with quotes, speakers, actors and claims marked", response_model=None
)
@router.get("/articles/{article_id}.json", summary="One article as JSON (the stored record)", response_model=None)
async def article(request: Request, article_id: str, store: StoreDep) -> Response:
    data, extra = article_detail(store, store.articles.get(article_id))
    return render(request, "article.html", data, extra=extra)


@router.get("/search", summary="Full-text search over titles and bodies", response_model=None)
@router.get("/search.json", summary="Full-text search as JSON (paginated)", response_model=None)
async def search(
    request: Request,
    store: StoreDep,
    page: PageDep,
    q: Annotated[str, Query(max_length=500, description="Words to find (all required)")] = "",
) -> Response:
    web = request.app.state.settings.web
    items = []
    total = 0
    notes = []
    if "limit" not in request.query_params:
        page = Page(limit=web.search_page_size, offset=page.offset)
    if q.strip():
        hits, total = store.articles.search_page(
            q, limit=page.limit, offset=page.offset, rank_within=web.search_rank_within
        )
        items = [{**article_list_item(summary), "snippet": snippet} for summary, snippet in hits]
        if total > web.search_rank_within:
            notes.append(f"ranked among the {web.search_rank_within:,} most recently added of the {total:,} matches")
    return render(request, "search.html", {"q": q, **page.envelope(items, total), "notes": notes})
