"""Ingest from the browser or the API: pasted URLs, uploaded files, JSONL.

Every input goes through `pipeline.ingest`, the same recipe as the CLI, and
the answer lists each input as new, duplicate, near-duplicate or failed
with the reason. Uploads are kept under the upload folder (beside the store)
so an article's `source` names a file that exists, as for the CLI.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter
from pathlib import Path
from typing import Any

import platformdirs
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from storydesk import pipeline
from storydesk.errors import InputError
from storydesk.ingest import is_url
from storydesk.records import Article
from storydesk.settings import Settings
from storydesk.store import Store
from storydesk.store import is_url as is_db_url
from storydesk.web.deps import StoreDep, prefers_html, render
from storydesk.web.errors import BadInput, LengthRequired, TooLarge

router = APIRouter(tags=["ingest"])

JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/jsonlines")
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")
MAX_FILES = 200  # per request; more is a batch job for the CLI
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
        "multipart/form-data with `urls` (one per line), `jsonl` (pasted lines) and `files` (any number), "
        "or a JSONL body (application/x-ndjson). Over settings.web.max_upload_bytes: 413. Nothing to ingest: 422."
    ),
    response_model=None,
)
async def ingest(request: Request, store: StoreDep) -> Response:
    settings: Settings = request.app.state.settings
    limit = settings.web.max_upload_bytes
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"upload is {int(declared):,} bytes; the limit is {limit:,}")
    folder = upload_dir(settings)
    saved: dict[str, str] = {}  # saved path -> the name the user gave
    inputs: list[str] = []
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in JSONL_TYPES:
        body = await _read_capped(request, limit)
        if body.strip():
            path = _keep(folder, "posted.jsonl", body)
            saved[str(path)], inputs = "posted.jsonl", [str(path)]
    elif kind in FORM_TYPES:
        if not declared:
            # The form parser spools files before we could count them: insist on a declared size.
            raise LengthRequired("a form upload needs a Content-Length header")
        inputs = await _form_inputs(request, folder, saved, limit)
    else:
        raise BadInput("send multipart/form-data (urls, jsonl, files) or a JSONL body (application/x-ndjson)")
    if not inputs:
        raise BadInput("nothing to ingest: give URLs, JSONL or files")
    results, stories = await run_in_threadpool(_run, inputs, store, settings, saved)
    counts = Counter(r["status"] for r in results)
    data = {
        "results": results,
        "summary": {status: counts[status] for status in ("new", "duplicate", "near_duplicate", "failed")},
        "stories": stories,
    }
    # POST /ingest has no `.json` twin: a browser's form gets the page, any other client JSON.
    return render(request, "ingest.html", data, as_json=not prefers_html(request))


async def _read_capped(request: Request, limit: int) -> bytes:
    """The body, refused as soon as it passes `limit` (Content-Length may be absent: chunked)."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"upload is over the {limit:,}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


async def _form_inputs(request: Request, folder: Path, saved: dict[str, str], limit: int) -> list[str]:
    inputs: list[str] = []
    async with request.form(max_files=MAX_FILES, max_part_size=limit) as form:
        total = 0
        for value in form.getlist("files"):
            if not isinstance(value, UploadFile) or not value.filename:
                continue  # an empty file input sends a nameless part
            data = await value.read()
            total += len(data)
            # Content-Length may be absent (chunked): count what actually arrived.
            if total > limit:
                raise TooLarge(f"uploads are over the {limit:,}-byte limit")
            path = _keep(folder, value.filename, data)
            saved[str(path)] = value.filename
            inputs.append(str(path))
        jsonl = form.get("jsonl")
        if isinstance(jsonl, str) and jsonl.strip():
            path = _keep(folder, "pasted.jsonl", jsonl.encode("utf-8"))
            saved[str(path)] = "pasted JSONL"
            inputs.append(str(path))
        urls = form.get("urls")
        for line in urls.splitlines() if isinstance(urls, str) else []:
            if line.strip():
                inputs.append(line.strip())
    return inputs


def _label(source: str, saved: dict[str, str]) -> str:
    """What the user called the input: the uploaded file's name, not where it was kept."""
    for path, name in saved.items():
        if source.startswith(path):
            return name + source[len(path) :]
    return source


def _run(
    inputs: list[str], store: Store, settings: Settings, saved: dict[str, str]
) -> tuple[list[dict[str, Any]], list[str]]:
    """Ingest, recording one result per article or failed input; returns them and the stories that changed."""
    results: list[dict[str, Any]] = []
    # Only http(s) URLs and the files saved above reach the pipeline: a pasted
    # line that is neither must not be read as a path on the server.
    accepted = []
    for value in inputs:
        if value in saved or is_url(value):
            accepted.append(value)
        else:
            results.append({"input": value, "status": "failed", "article": None, "reason": "not an http(s) URL"})
    # The server never fetches loopback or private addresses, whatever the CLI allows.
    web_settings = dataclasses.replace(settings, ingest=dataclasses.replace(settings.ingest, allow_private=False))

    def on_item(kind: str, item: Article | InputError) -> None:
        if isinstance(item, InputError):
            results.append(
                {"input": _label(item.input, saved), "status": "failed", "article": None, "reason": item.reason}
            )
            return
        article_id = item.id
        if kind == "duplicate":
            article_id = store.articles.id_for_hash(item.content_hash) or item.id
        reason = f"near-duplicate of {item.duplicate_of}" if kind == "near_duplicate" else None
        results.append(
            {
                "input": _label(item.source, saved),
                "status": kind,
                "article": article_id,
                "title": item.title,
                "reason": reason,
            }
        )

    if not accepted:
        return results, []
    return results, pipeline.ingest(accepted, store, web_settings, on_item=on_item).stories
