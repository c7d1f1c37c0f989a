"""Ingest from the browser or the API: pasted URLs, uploaded files, JSONL.

Every input goes through the pipeline, the same recipe as the CLI, and the
answer lists each input as new, duplicate, near-duplicate or failed with the
reason. A browser's form starts a background job and goes to its page, whose
status line follows the job (`/ingest/jobs/{id}`, web/jobs.py); an API client
gets the results when all inputs are done, or a job with `?background=1`.
Uploads are kept under the upload folder (beside the store) and named in the
store by their path relative to the store's folder.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from pathlib import Path
from typing import Annotated, Any

import platformdirs
from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from storydesk.ingest.common import clean_label
from storydesk.settings import Settings
from storydesk.store import is_url as is_db_url
from storydesk.store.base import IngestJob
from storydesk.web.deps import FORM_TYPES, CSRFDep, StoreDep, content_type, prefers_html, read_form, render
from storydesk.web.errors import BadInput, TooLarge
from storydesk.web.jobs import IngestRun, summary_of

router = APIRouter(tags=["ingest"])

JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/jsonlines")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def upload_dir(settings: Settings) -> Path:
    if settings.web.upload_dir:
        return settings.web.upload_dir
    if is_db_url(settings.db):  # a database server has no folder of its own here
        return Path(platformdirs.user_data_dir("storydesk")) / "uploads"
    return Path(settings.db).parent / "uploads"


def _keep(folder: Path, name: str, data: bytes) -> Path:
    """Save an upload under a name built from its content hash and a sanitised file name."""
    safe = _UNSAFE_NAME.sub("_", Path(name).name)[-100:].lstrip(".") or "upload.txt"
    path = folder / f"{hashlib.sha256(data).hexdigest()[:12]}-{safe}"
    folder.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


@router.get("/ingest", response_class=HTMLResponse, summary="The ingest form")
def ingest_form(request: Request) -> Response:
    return render(request, "ingest.html", {"results": None, "summary": None})


@router.post(
    "/ingest",
    summary="Ingest URLs, files and JSONL; reports each input as new, duplicate, near_duplicate or failed",
    description=(
        "multipart/form-data with `urls` (one per line), `jsonl` (pasted lines), `files` (any number) and "
        "`outlet` (optional, every article's outlet), or a JSONL body (application/x-ndjson). Needs a CSRF "
        "token (`csrf_token` field or X-CSRF-Token header, from GET /csrf.json) unless sent with a Bearer token. "
        "A browser's form (or `?background=1`) runs in the background: 303 to, or 202 with, the job's page. "
        "Over settings.web.max_upload_bytes: 413. Nothing to ingest: 422."
    ),
    response_model=None,
    dependencies=[CSRFDep],
)
async def ingest(
    request: Request,
    store: StoreDep,
    background: Annotated[bool, Query(description="Answer at once with a job to follow (202)")] = False,
) -> Response:
    settings: Settings = request.app.state.settings
    run = IngestRun(settings, upload_dir(settings))
    kind = content_type(request)
    if kind in JSONL_TYPES:
        body = await _read_capped(request, settings.web.max_upload_bytes)
        if body.strip():
            run.add_upload(_keep(run.folder, "posted.jsonl", body), "posted.jsonl")
    elif kind in FORM_TYPES:
        _form_inputs(await read_form(request), run, settings.web.max_upload_bytes)
    else:
        raise BadInput("send multipart/form-data (urls, jsonl, files) or a JSONL body (application/x-ndjson)")
    if not run.inputs:
        raise BadInput("nothing to ingest: give URLs, JSONL or files")
    browser = prefers_html(request)
    if browser or background:
        job = IngestJob(id=secrets.token_hex(8), inputs=[run.label(i) for i in run.inputs])
        store.jobs.save(job)
        request.app.state.ingests.start(job, run)
        if browser:
            return RedirectResponse(f"/ingest/jobs/{job.id}", status_code=303)
        return JSONResponse({"job": job.id, "status": job.status, "url": f"/ingest/jobs/{job.id}.json"}, 202)
    results, stories = await run_in_threadpool(run.run, store)
    return render(
        request, "ingest.html", {"results": results, "summary": summary_of(results), "stories": stories}, as_json=True
    )


@router.get("/ingest/jobs/{job_id}", summary="A background ingest: its status line and results", response_model=None)
@router.get("/ingest/jobs/{job_id}.json", summary="A background ingest as JSON", response_model=None)
def ingest_job(request: Request, job_id: str, store: StoreDep) -> Response:
    job = store.jobs.get(job_id)
    data: dict[str, Any] = {
        "job": job.id,
        "status": job.status,
        "created_at": job.created_at,
        "updated_at": job.updated_at,
        "inputs": job.inputs,
        "done": len(job.results),
        "summary": summary_of(job.results),
        "results": job.results,
        "stories": job.stories,
        "error": job.error,
        "line": status_line(job),
    }
    return render(request, "ingest_job.html", data)


def status_line(job: IngestJob) -> str:
    """One line saying where the job is: what a person watching the page wants to know."""
    counts = summary_of(job.results)
    done = ", ".join(f"{n} {k.replace('_', '-')}" for k, n in counts.items() if n) or "nothing yet"
    inputs = f"{len(job.inputs)} input{'' if len(job.inputs) == 1 else 's'}"
    if job.status == "queued":
        return f"Waiting to start ({inputs}; another ingest is running)."
    if job.status == "running":
        return f"Reading {inputs}: {done} so far."
    if job.status == "linking":
        return f"Read {inputs} ({done}); linking actors and stories and comparing outlets…"
    if job.status == "failed":
        return f"Stopped: {job.error or 'unknown error'} ({done} before that)."
    stories = f", {len(job.stories)} stor{'y' if len(job.stories) == 1 else 'ies'} updated" if job.stories else ""
    return f"Done: {done}{stories}."


async def _read_capped(request: Request, limit: int) -> bytes:
    """The body, refused as soon as it passes `limit` (Content-Length may be absent: chunked)."""
    chunks: list[bytes] = []
    size = 0
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"upload is {int(declared):,} bytes; the limit is {limit:,}")
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"upload is over the {limit:,}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _form_inputs(form: FormData, run: IngestRun, limit: int) -> None:
    total = 0
    for value in form.getlist("files"):
        if not isinstance(value, UploadFile) or not value.filename:
            continue  # an empty file input sends a nameless part
        value.file.seek(0)
        data = value.file.read()
        total += len(data)
        # Content-Length was checked, but count what actually arrived.
        if total > limit:
            raise TooLarge(f"uploads are over the {limit:,}-byte limit")
        run.add_upload(_keep(run.folder, value.filename, data), value.filename)
    jsonl = form.get("jsonl")
    if isinstance(jsonl, str) and jsonl.strip():
        run.add_upload(_keep(run.folder, "pasted.jsonl", jsonl.encode("utf-8")), "pasted JSONL")
    urls = form.get("urls")
    for line in urls.splitlines() if isinstance(urls, str) else []:
        if line.strip():
            run.inputs.append(line.strip())
    outlet = form.get("outlet")
    if isinstance(outlet, str):
        run.outlet = clean_label(outlet)
