"""Stories, their member articles and their compare reports, in SQLite.

Also the linker's working state: per-story and per-article features and the
term document frequencies (see link/stories.py); stored as JSON and float32
blobs the store does not interpret.
"""

from __future__ import annotations

import builtins
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
            # An upsert, not INSERT OR REPLACE: a replace deletes the row first, which makes
            # SQLite's foreign-key check scan the story's children on every save.
            self.store.execute(
                """INSERT INTO stories (id, title, storyline, first_published, last_published, data)
                   VALUES (?, ?, ?, ?, ?, ?)
                   ON CONFLICT (id) DO UPDATE SET title = excluded.title, storyline = excluded.storyline,
                       first_published = excluded.first_published, last_published = excluded.last_published,
                       data = excluded.data""",
                (
                    story.id,
                    story.title,
                    story.storyline,
                    story.first_published,
                    story.last_published,
                    json.dumps(story.to_dict(), ensure_ascii=False),
                ),
            )
            # Only membership changes are written, not the whole member list again on every save.
            held = {
                r[0]
                for r in self.store.execute("SELECT article_id FROM story_articles WHERE story_id = ?", (story.id,))
            }
            members = set(story.articles)
            self.store.conn.executemany(
                "DELETE FROM story_articles WHERE story_id = ? AND article_id = ?",
                [(story.id, a) for a in sorted(held - members)],
            )
            self.store.conn.executemany(
                "INSERT OR REPLACE INTO story_articles (story_id, article_id) VALUES (?, ?)",
                [(story.id, a) for a in story.articles if a not in held],
            )

    def delete(self, story_id: str) -> None:
        with self.store.transaction():
            self.store.execute("DELETE FROM story_features WHERE story_id = ?", (story_id,))
            self.store.execute("DELETE FROM story_articles WHERE story_id = ?", (story_id,))
            self.store.execute("DELETE FROM stories WHERE id = ?", (story_id,))

    def delete_all(self) -> None:
        """Forget every story and the linker's story state (article features stay: they are costly)."""
        with self.store.transaction():
            self.store.execute("DELETE FROM story_features")
            self.store.execute("DELETE FROM term_df")
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
    ) -> builtins.list[Story]:
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

    def get_many(self, story_ids: builtins.list[str]) -> builtins.list[Story]:
        out: dict[str, Story] = {}
        for i in range(0, len(story_ids), 500):
            chunk = story_ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.store.execute(f"SELECT id, data FROM stories WHERE id IN ({marks})", chunk):
                out[row["id"]] = _row_story(row)
        return [out[i] for i in story_ids if i in out]

    def in_storyline(self, storyline: str) -> builtins.list[Story]:
        rows = self.store.execute(
            "SELECT data FROM stories WHERE storyline = ? ORDER BY first_published, id", (storyline,)
        )
        return [_row_story(r) for r in rows]

    # The linker's state -------------------------------------------------

    def ids_in_window(self, first_day: str, last_day: str) -> builtins.list[str]:
        """Stories whose days overlap [first_day, last_day] (ISO dates)."""
        rows = self.store.execute(
            # INDEXED BY: without it SQLite walks the primary key to skip the sort, reading
            # every story ever stored (the per-article cost then grew with the store).
            """SELECT story_id FROM story_features INDEXED BY story_features_days
               WHERE last_day >= ? AND first_day <= ? ORDER BY story_id""",
            (first_day, last_day),
        )
        return [r[0] for r in rows]

    def features(self, story_ids: builtins.list[str]) -> dict[str, tuple[str, str, bytes | None, str]]:
        """The linker's state per story: (first_day, last_day, vector, data)."""
        out: dict[str, tuple[str, str, bytes | None, str]] = {}
        for i in range(0, len(story_ids), 500):
            chunk = story_ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.store.execute(
                f"SELECT story_id, first_day, last_day, vector, data FROM story_features WHERE story_id IN ({marks})",
                chunk,
            ):
                out[row[0]] = (row[1], row[2], row[3], row[4])
        return out

    def save_features(self, story_id: str, first_day: str, last_day: str, vector: bytes | None, data: str) -> None:
        self.store.execute(
            "INSERT OR REPLACE INTO story_features (story_id, first_day, last_day, vector, data) VALUES (?, ?, ?, ?, ?)",
            (story_id, first_day, last_day, vector, data),
        )

    def article_features(self, article_ids: builtins.list[str]) -> dict[str, tuple[bytes | None, str]]:
        out: dict[str, tuple[bytes | None, str]] = {}
        for i in range(0, len(article_ids), 500):
            chunk = article_ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.store.execute(
                f"SELECT article_id, vector, data FROM article_features WHERE article_id IN ({marks})", chunk
            ):
                out[row[0]] = (row[1], row[2])
        return out

    def save_article_features(self, article_id: str, vector: bytes | None, data: str) -> None:
        self.store.execute(
            "INSERT OR REPLACE INTO article_features (article_id, vector, data) VALUES (?, ?, ?)",
            (article_id, vector, data),
        )

    def term_df(self, terms: builtins.list[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for i in range(0, len(terms), 500):
            chunk = terms[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.store.execute(f"SELECT term, df FROM term_df WHERE term IN ({marks})", chunk):
                out[row[0]] = int(row[1])
        return out

    def add_term_df(self, terms: builtins.list[str]) -> None:
        self.store.conn.executemany(
            "INSERT INTO term_df (term, df) VALUES (?, 1) ON CONFLICT (term) DO UPDATE SET df = term_df.df + 1",
            [(t,) for t in terms],
        )

    def all_term_df(self) -> dict[str, int]:
        """Every term's document frequency (a batch job's output carries them to `storydesk load`)."""
        return {r[0]: int(r[1]) for r in self.store.execute("SELECT term, df FROM term_df ORDER BY term")}

    def set_term_df(self, counts: dict[str, int]) -> None:
        """Set document frequencies as given, replacing stored ones (loading a batch job's output)."""
        self.store.conn.executemany("INSERT OR REPLACE INTO term_df (term, df) VALUES (?, ?)", sorted(counts.items()))

    def linked_count(self) -> int:
        """Articles that belong to a story: the N of the TF-IDF document frequencies."""
        return int(self.store.execute("SELECT count(*) FROM story_articles").fetchone()[0])
