"""Web ingests: the inputs of one request, run now or as a background job whose progress the store keeps.

`IngestRun` is what one POST /ingest asked for: URLs, saved uploads (with the
names the user gave them) and an optional outlet. `run` goes through the
pipeline, the same stages as the CLI, and records one result per article or
failed input. `IngestJobs` runs them one at a time on a worker thread (reading
is CPU-bound and the store has one writer), saving the job's progress so a
page in any server process can show it.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from storydesk import pipeline
from storydesk.errors import InputError, PrivateAddressError
from storydesk.ingest import is_url
from storydesk.ingest.sources import source_label
from storydesk.records import Article
from storydesk.settings import Settings
from storydesk.store import is_url as is_db_url
from storydesk.store.base import IngestJob, Store

log = logging.getLogger(__name__)

STATUSES = ("new", "duplicate", "near_duplicate", "failed")
SAVE_EVERY_S = 0.5  # a job's progress is written at most this often (each save is a store write)


def summary_of(results: list[dict[str, Any]]) -> dict[str, int]:
    counts = Counter(r["status"] for r in results)
    return {status: counts[status] for status in STATUSES}


class IngestRun:
    def __init__(self, settings: Settings, folder: Path) -> None:
        self.settings = settings
        self.folder = folder
        self.inputs: list[str] = []
        self.uploads: dict[str, str] = {}  # the upload's source in the store -> the name the user gave
        self.saved: set[str] = set()  # where the uploads were saved
        self.outlet: str | None = None

    @property
    def base(self) -> Path:
        """Uploads are named in the store relative to the store's folder; with a database server
        (PostgreSQL), which has none here, relative to the folder holding the uploads folder."""
        if is_db_url(self.settings.db):
            return self.folder.parent
        return Path(self.settings.db).parent

    def add_upload(self, path: Path, name: str) -> None:
        self.uploads[source_label(path, self.base)] = name
        self.saved.add(str(path))
        self.inputs.append(str(path))

    def label(self, source: str) -> str:
        """What the user called the input: the uploaded file's name, not where it was kept."""
        relative = (
            source_label(Path(source), self.base) if not is_url(source) and Path(source).is_absolute() else source
        )
        for stored, name in self.uploads.items():
            if relative.startswith(stored):
                return name + relative[len(stored) :]
        return source

    def run(
        self,
        store: Store,
        *,
        on_result: Callable[[dict[str, Any]], None] | None = None,
        on_stage: Callable[[str], None] | None = None,
    ) -> tuple[list[dict[str, Any]], list[str]]:
        """Ingest, recording one result per article or failed input; returns them and the stories that changed."""
        results: list[dict[str, Any]] = []

        def add(result: dict[str, Any]) -> None:
            results.append(result)
            if on_result:
                on_result(result)

        # Only http(s) URLs and the files saved for this request reach the pipeline:
        # a pasted line that is neither must not be read as a path on the server.
        accepted = []
        for value in self.inputs:
            if value in self.saved or is_url(value):
                accepted.append(value)
            else:
                add({"input": value, "status": "failed", "article": None, "reason": "not an http(s) URL"})
        # The server never fetches loopback or private addresses, whatever the CLI allows.
        ingest = dataclasses.replace(
            self.settings.ingest, allow_private=False, outlet=self.outlet, source_base=self.base
        )
        settings = dataclasses.replace(self.settings, ingest=ingest)

        def on_item(kind: str, item: Article | InputError) -> None:
            if isinstance(item, InputError):
                # The CLI's hint (--allow-private) means nothing to a web user.
                reason = (
                    f"{item.refusal} (this server never fetches private or local addresses)"
                    if isinstance(item, PrivateAddressError)
                    else item.reason
                )
                add({"input": self.label(item.input), "status": "failed", "article": None, "reason": reason})
                return
            article_id = item.id
            if kind == "duplicate":
                article_id = store.articles.id_for_hash(item.content_hash) or item.id
            note = f"near-duplicate of {item.duplicate_of}" if kind == "near_duplicate" else None
            add(
                {
                    "input": self.label(item.source),
                    "status": kind,
                    "article": article_id,
                    "title": item.title,
                    "reason": note,
                }
            )

        if not accepted:
            return results, []
        pipeline.ingest(accepted, store, settings, on_item=on_item, link_and_compare=False)
        if on_stage:
            on_stage("linking")
        return results, pipeline.update_links(store, settings)


class IngestJobs:
    """Background ingests, one at a time, each with its own store connection."""

    def __init__(self, acquire: Callable[[], Store], release: Callable[[Store], None]) -> None:
        self.acquire = acquire
        self.release = release
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="storydesk-ingest")

    def start(self, job: IngestJob, run: IngestRun) -> None:
        self.executor.submit(self._run, job, run)

    def _run(self, job: IngestJob, run: IngestRun) -> None:
        store = self.acquire()
        last_save = 0.0

        def save(force: bool = False) -> None:
            nonlocal last_save
            if force or time.monotonic() - last_save >= SAVE_EVERY_S:
                store.jobs.save(job)
                last_save = time.monotonic()

        def on_result(result: dict[str, Any]) -> None:
            job.results.append(result)
            save()

        def on_stage(stage: str) -> None:
            job.status = stage  # type: ignore[assignment]
            save(force=True)

        try:
            job.status = "running"
            save(force=True)
            _results, job.stories = run.run(store, on_result=on_result, on_stage=on_stage)
            job.status = "done"
        except Exception as exc:  # the job must end with a status whatever broke; the log has the traceback
            log.exception("ingest job %s failed", job.id)
            job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"
        finally:
            try:
                save(force=True)
            finally:
                self.release(store)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
