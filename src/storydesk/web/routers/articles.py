"""Articles: the article page with its highlights, and full-text search, each as HTML and `.json`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from storydesk.store.base import ArticleFilter
from storydesk.web.deps import PageDep, StoreDep, render
from storydesk.web.views import article_detail, article_summary

router = APIRouter(tags=["articles"])


@router.get(
    "/articles/{article_id}", summary="One article with quotes, speakers, actors and claims marked", response_model=None
)
@router.get("/articles/{article_id}.json", summary="One article as JSON (the stored record)", response_model=None)
def article(request: Request, article_id: str, store: StoreDep) -> Response:
    data, extra = article_detail(store, store.articles.get(article_id))
    return render(request, "article.html", data, extra=extra)


@router.get("/search", summary="Full-text search over titles and bodies", response_model=None)
@router.get("/search.json", summary="Full-text search as JSON (paginated)", response_model=None)
def search(
    request: Request,
    store: StoreDep,
    page: PageDep,
    q: Annotated[str, Query(max_length=500, description="Words to find (all required)")] = "",
) -> Response:
    items = []
    total = 0
    if q.strip():
        # The store's search ranks but does not skip: fetch up to the page's end and cut.
        hits = store.articles.search(q, limit=page.offset + page.limit)[page.offset :]
        total = store.articles.count(ArticleFilter(query=q))
        items = [{**article_summary(h.article), "snippet": h.snippet} for h in hits]
    return render(request, "search.html", {"q": q, **page.envelope(items, total)})
