"""Storylines (developing stories made of events) and the linker's state for each, in SQLite."""

from __future__ import annotations

import builtins
import json
from typing import TYPE_CHECKING

from storydesk.errors import NotFound
from storydesk.records import Storyline
from storydesk.store.stories import GroupState

if TYPE_CHECKING:
    from storydesk.store.sqlite import SQLiteStore


class SQLiteStorylines:
    def __init__(self, store: SQLiteStore) -> None:
        self.store = store
        self._state = GroupState(
            store, "storyline_features", "storyline_id", "storyline_features_days", "storyline_features_seq"
        )

    def save(self, storyline: Storyline) -> None:
        with self.store.transaction():
            self._save(storyline)

    def _save(self, storyline: Storyline) -> None:
        self.store.execute(
            """INSERT INTO storylines (id, title, first_day, last_day, article_count, data) VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET title = excluded.title, first_day = excluded.first_day,
                   last_day = excluded.last_day, article_count = excluded.article_count, data = excluded.data""",
            (
                storyline.id,
                storyline.title,
                storyline.first_day,
                storyline.last_day,
                storyline.article_count,
                json.dumps(storyline.to_dict(), ensure_ascii=False),
            ),
        )

    def get(self, storyline_id: str) -> Storyline:
        row = self.store.execute("SELECT data FROM storylines WHERE id = ?", (storyline_id,)).fetchone()
        if row is None:
            rows = self.store.execute(
                "SELECT data FROM storylines WHERE id LIKE ? LIMIT 2", (storyline_id.replace("%", "") + "%",)
            ).fetchall()
            if len(rows) != 1 or not storyline_id:
                raise NotFound(f"no storyline {storyline_id!r}")
            row = rows[0]
        return Storyline.from_dict(json.loads(row["data"]))

    def get_many(self, storyline_ids: builtins.list[str]) -> builtins.list[Storyline]:
        out: dict[str, Storyline] = {}
        for i in range(0, len(storyline_ids), 500):
            chunk = storyline_ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.store.execute(f"SELECT id, data FROM storylines WHERE id IN ({marks})", chunk):
                out[row["id"]] = Storyline.from_dict(json.loads(row["data"]))
        return [out[i] for i in storyline_ids if i in out]

    def list(self, *, limit: int | None = None, offset: int = 0) -> builtins.list[Storyline]:
        """Most recent first; undated storylines, whose days are unknown, after the dated ones, largest first."""
        rows = self.store.execute(
            "SELECT data FROM storylines ORDER BY last_day IS NULL, last_day DESC, article_count DESC, id"
            " LIMIT ? OFFSET ?",
            (limit if limit is not None else -1, offset),
        )
        return [Storyline.from_dict(json.loads(r["data"])) for r in rows]

    def count(self) -> int:
        return int(self.store.execute("SELECT count(*) FROM storylines").fetchone()[0])

    def delete(self, storyline_id: str) -> None:
        with self.store.transaction():
            self.store.execute("DELETE FROM storyline_features WHERE storyline_id = ?", (storyline_id,))
            self.store.execute("DELETE FROM storylines WHERE id = ?", (storyline_id,))

    def delete_all(self) -> None:
        with self.store.transaction():
            self.store.execute("DELETE FROM storyline_features")
            self.store.execute("DELETE FROM storylines")

    # The linker's state -------------------------------------------------

    def ids_in_window(self, first_day: str, last_day: str) -> builtins.list[str]:
        return self._state.ids_in_window(first_day, last_day)

    def ids_recent(self, min_seq: int, *, undated_only: bool = False) -> builtins.list[str]:
        return self._state.ids_recent(min_seq, undated_only=undated_only)

    def features(self, storyline_ids: builtins.list[str]) -> dict[str, tuple[str, str, bytes | None, str]]:
        return self._state.features(storyline_ids)

    def save_features(
        self, storyline_id: str, first_day: str, last_day: str, vector: bytes | None, data: str, *, last_seq: int = 0
    ) -> None:
        self._state.save(storyline_id, first_day, last_day, vector, data, last_seq)

    def last_seqs(self) -> dict[str, int]:
        return self._state.last_seqs()
