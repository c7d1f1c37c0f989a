"""Actors (cross-article entities): the actor page, as HTML and `.json`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from storydesk.web.deps import PageDep, SettingsDep, StoreDep, render
from storydesk.web.views import actor_detail

router = APIRouter(tags=["actors"])


@router.get(
    "/actors/{actor_id}", summary="One actor: spellings, roles per outlet, quotes, disagreements", response_model=None
)
@router.get("/actors/{actor_id}.json", summary="One actor as JSON (quotes paginated)", response_model=None)
def actor(request: Request, actor_id: str, store: StoreDep, settings: SettingsDep, page: PageDep) -> Response:
    data = actor_detail(store, store.entities.get(actor_id), page, settings.web)
    return render(request, "actor.html", data)
