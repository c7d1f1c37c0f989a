"""Web ingest jobs in SQLite: their status, inputs, results so far and the stories they changed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import orjson

from storydesk.errors import NotFound
from storydesk.store.base import IngestJob

if TYPE_CHECKING:
    from storydesk.store.sqlite import SQLiteStore


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SQLiteJobs:
    # The record's JSON with its "error" set to a parameter: the JSON function differs in PostgreSQL.
    SET_ERROR = "json_set(data, '$.error', ?)"

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store

    def save(self, job: IngestJob) -> None:
        job.updated_at = _now()
        job.created_at = job.created_at or job.updated_at
        data = orjson.dumps(
            {"inputs": job.inputs, "results": job.results, "stories": job.stories, "error": job.error}
        ).decode("utf-8")
        with self.store.transaction():
            self.store.execute(
                """INSERT INTO ingest_jobs (id, created_at, updated_at, status, data) VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, status = excluded.status,
                       data = excluded.data""",
                (job.id, job.created_at, job.updated_at, job.status, data),
            )

    def get(self, job_id: str) -> IngestJob:
        row = self.store.execute(
            "SELECT id, created_at, updated_at, status, data FROM ingest_jobs WHERE id = ?", (job_id,)
        ).fetchone()
        if row is None:
            raise NotFound(f"no ingest job {job_id!r}")
        data = orjson.loads(row[4])
        return IngestJob(
            id=row[0],
            created_at=row[1],
            updated_at=row[2],
            status=row[3],
            inputs=data.get("inputs", []),
            results=data.get("results", []),
            stories=data.get("stories", []),
            error=data.get("error"),
        )

    def interrupt_unfinished(self) -> int:
        """Mark jobs left queued or running by a stopped server as failed; returns how many."""
        with self.store.transaction():
            cur = self.store.execute(
                f"""UPDATE ingest_jobs SET status = 'failed', updated_at = ?,
                       data = {self.SET_ERROR}
                   WHERE status IN ('queued', 'running', 'linking')""",
                (_now(), "the server stopped before this ingest finished"),
            )
        return cur.rowcount
