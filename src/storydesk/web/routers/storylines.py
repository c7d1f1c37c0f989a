"""Storylines: developing stories made of events (issue 10), the list and one storyline, as HTML and `.json`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from storydesk.web.deps import PageDep, StoreDep, render
from storydesk.web.views import list_storylines, storyline_detail

router = APIRouter(tags=["storylines"])


# `.json` routes first (decorators apply bottom-up), as in routers/stories.py.
@router.get(
    "/storylines", summary="Storylines, most recent first, each with its events as a timeline", response_model=None
)
@router.get(
    "/storylines.json", summary="Storylines as JSON (paginated: total, limit, offset, items)", response_model=None
)
async def storylines(request: Request, store: StoreDep, page: PageDep) -> Response:
    return render(request, "storylines.html", list_storylines(store, page))


@router.get("/storylines/{storyline_id}", summary="One storyline: its events in time order", response_model=None)
@router.get("/storylines/{storyline_id}.json", summary="One storyline as JSON", response_model=None)
async def storyline(request: Request, storyline_id: str, store: StoreDep) -> Response:
    return render(request, "storyline.html", storyline_detail(store, store.storylines.get(storyline_id)))
