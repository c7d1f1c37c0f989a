"""Stories, their member articles and their compare reports, in SQLite."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from storydesk.errors import NotFound
from storydesk.records import Story

if TYPE_CHECKING:
    from storydesk.store.sqlite import SQLiteStore


def _row_story(row: Any) -> Story:
    return Story.from_dict(json.loads(row["data"]))


class SQLiteStories:
    def __init__(self, store: SQLiteStore) -> None:
        self.store = store

    def save(self, story: Story) -> None:
        with self.store.transaction():
            self.store.execute(
                """INSERT OR REPLACE INTO stories (id, title, storyline, first_published, last_published, data)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                (
                    story.id,
                    story.title,
                    story.storyline,
                    story.first_published,
                    story.last_published,
                    json.dumps(story.to_dict(), ensure_ascii=False),
                ),
            )
            self.store.execute("DELETE FROM story_articles WHERE story_id = ?", (story.id,))
            self.store.conn.executemany(
                "INSERT OR REPLACE INTO story_articles (story_id, article_id) VALUES (?, ?)",
                [(story.id, a) for a in story.articles],
            )

    def delete(self, story_id: str) -> None:
        with self.store.transaction():
            self.store.execute("DELETE FROM story_articles WHERE story_id = ?", (story_id,))
            self.store.execute("DELETE FROM stories WHERE id = ?", (story_id,))

    def delete_all(self) -> None:
        with self.store.transaction():
            self.store.execute("DELETE FROM story_articles")
            self.store.execute("DELETE FROM stories")

    def get(self, story_id: str) -> Story:
        row = self.store.execute("SELECT data FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            rows = self.store.execute(
                "SELECT data FROM stories WHERE id LIKE ? LIMIT 2", (story_id.replace("%", "") + "%",)
            ).fetchall()
            if len(rows) != 1 or not story_id:
                raise NotFound(f"no story {story_id!r}")
            row = rows[0]
        return _row_story(row)

    def story_of(self, article_id: str) -> str | None:
        row = self.store.execute("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)).fetchone()
        return row[0] if row else None

    def list(
        self, *, since: str | None = None, until: str | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Story]:
        clauses, params = [], []
        if since:
            clauses.append("last_published >= ?")
            params.append(since)
        if until:
            clauses.append("first_published <= ?")
            params.append(until + "\uffff")
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self.store.execute(
            f"SELECT data FROM stories{where} ORDER BY last_published DESC, id LIMIT ? OFFSET ?",
            (*params, limit if limit is not None else -1, offset),
        )
        return [_row_story(r) for r in rows]

    def count(self) -> int:
        return int(self.store.execute("SELECT count(*) FROM stories").fetchone()[0])
