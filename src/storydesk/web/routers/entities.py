"""Actors (cross-article entities): the index and the actor page, as HTML and `.json`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from storydesk.web.deps import PageDep, SettingsDep, StoreDep, render
from storydesk.web.views import actor_detail, actor_index

# The handlers are async, so they run on the event loop: each reads a few indexed
# rows (~1-2 ms of CPU that no thread could overlap, the GIL) and the hop to the
# thread pool and back cost a fifth of a page (measured with bench/bench_web.py).
router = APIRouter(tags=["actors"])


@router.get("/actors", summary="Actors, most articles first, with filters", response_model=None)
@router.get("/actors.json", summary="Actors as JSON (paginated: total, limit, offset, items)", response_model=None)
async def actors(
    request: Request,
    store: StoreDep,
    page: PageDep,
    type: Annotated[
        str | None,
        Query(pattern="^(person|organization|place|other)?$", description="person, organization, place or other"),
    ] = None,
    q: Annotated[str | None, Query(max_length=200, description="Part of the name (case-insensitive)")] = None,
) -> Response:
    data = {**actor_index(store, page, type=type or None, query=q or None), "filters": {"type": type, "q": q}}
    return render(request, "actors.html", data)


@router.get(
    "/actors/{actor_id}", summary="One actor: spellings, roles per outlet, quotes, disagreements", response_model=None
)
@router.get("/actors/{actor_id}.json", summary="One actor as JSON (quotes paginated)", response_model=None)
async def actor(request: Request, actor_id: str, store: StoreDep, settings: SettingsDep, page: PageDep) -> Response:
    data = actor_detail(store, store.entities.get(actor_id, articles=False), page, settings.web)
    return render(request, "actor.html", data)
