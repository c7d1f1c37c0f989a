"""A story's report as a file: the JSON contract, Markdown or a self-contained HTML page (the CLI's `export`)."""

from __future__ import annotations

from typing import Literal

import jsonschema
from fastapi import APIRouter
from fastapi.responses import Response

from storydesk.export.html import report_html
from storydesk.export.markdown import report_markdown
from storydesk.export.report import build_report, validate_report
from storydesk.web.deps import RecordJSONResponse, StoreDep

router = APIRouter(tags=["stories"])

MEDIA = {"md": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}


@router.get(
    "/stories/{story_id}/report.{fmt}",
    summary="One story's report to download: json (the report contract), md or html",
    response_model=None,
)
def story_report(story_id: str, fmt: Literal["json", "md", "html"], store: StoreDep) -> Response:
    story = store.stories.get(story_id)
    report = build_report(store, story_ids=[story.id])
    disposition = {"Content-Disposition": f'attachment; filename="story-{story.id[:12]}.{fmt}"'}
    if fmt == "json":
        try:
            validate_report(report)  # the file promises the report contract, as `storydesk export` does
        except jsonschema.ValidationError as exc:
            return RecordJSONResponse({"error": f"this story does not fit the report contract: {exc.message}"}, 500)
        return RecordJSONResponse(report, headers=disposition)
    text = report_markdown(report) if fmt == "md" else report_html(report)
    return Response(text, media_type=MEDIA[fmt], headers=disposition)
