"""Stories: the filtered list and the story page, each as HTML and as `.json`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from storydesk.web.deps import PageDep, SettingsDep, StoreDep, render, wants_json
from storydesk.web.views import StoryQuery, list_stories, story_detail

router = APIRouter(tags=["stories"])

Text = Annotated[str | None, Query(max_length=200)]
Day = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]


# The `.json` route is registered first (decorators apply bottom-up), so
# `/stories/x.json` never reaches the HTML route as the id "x.json".
@router.get("/stories", summary="Stories, newest first, with filters", response_model=None)
@router.get("/stories.json", summary="Stories as JSON (paginated: total, limit, offset, items)", response_model=None)
async def stories(
    request: Request,
    store: StoreDep,
    page: PageDep,
    since: Day = None,
    until: Day = None,
    outlet: Text = None,
    language: Text = None,
    actor: Annotated[str | None, Query(max_length=200, description="Actor id or any of its spellings")] = None,
    q: Annotated[
        str | None, Query(max_length=500, description="Words the stories' articles contain (full-text)")
    ] = None,
) -> Response:
    query = StoryQuery(
        since=since, until=until, outlet=outlet or None, language=language or None, actor=actor or None, q=q or None
    )
    data = list_stories(store, query, page)
    data["filters"] = {k: getattr(query, k) for k in ("since", "until", "outlet", "language", "actor", "q")}
    extra = {"outlets": store.articles.outlets(), "languages": store.articles.languages()}
    return render(request, "stories.html", data, extra=extra)


@router.get(
    "/stories/{story_id}",
    summary="One story: brief, conflicts, findings, matrix, timeline, actors",
    response_model=None,
)
@router.get("/stories/{story_id}.json", summary="One story as JSON", response_model=None)
async def story(
    request: Request,
    story_id: str,
    store: StoreDep,
    settings: SettingsDep,
    single: Annotated[
        int, Query(ge=0, description="Page only: first single-source statement shown (the JSON has all)")
    ] = 0,
    conflicts: Annotated[
        str | None,
        Query(
            pattern="^all$", description="Page only: 'all' shows the less confident conflicts too (the JSON has all)"
        ),
    ] = None,
) -> Response:
    # Run on the event loop, not in the thread pool: a story page is a few ms of CPU
    # that no thread could overlap anyway (the GIL), and the hop there and back cost
    # a fifth of it. The slow pages (filtered lists, actors) stay in the pool.
    data, extra = story_detail(
        store,
        store.stories.get(story_id),
        settings.web,
        html=not wants_json(request),
        single_offset=single,
        confident=settings.compare.confident_conflict,
        all_conflicts=conflicts == "all",
    )
    return render(request, "story.html", data, extra=extra)
