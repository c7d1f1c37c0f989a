"""Cross-article entities in SQLite."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from storydesk.errors import NotFound
from storydesk.records import Entity

if TYPE_CHECKING:
    from storydesk.store.sqlite import SQLiteStore


def _row_entity(row: Any) -> Entity:
    return Entity.from_dict(json.loads(row["data"]))


class SQLiteEntities:
    def __init__(self, store: SQLiteStore) -> None:
        self.store = store

    def _insert(self, entity: Entity) -> None:
        self.store.execute(
            "INSERT OR REPLACE INTO entities (id, name, type, key, data) VALUES (?, ?, ?, ?, ?)",
            (entity.id, entity.name, entity.type, entity.key, json.dumps(entity.to_dict(), ensure_ascii=False)),
        )
        self.store.execute("DELETE FROM entity_articles WHERE entity_id = ?", (entity.id,))
        self.store.conn.executemany(
            "INSERT OR IGNORE INTO entity_articles (entity_id, article_id) VALUES (?, ?)",
            [(entity.id, a) for a in entity.articles],
        )

    def replace_all(self, entities: Iterable[Entity]) -> None:
        with self.store.transaction():
            self.store.execute("DELETE FROM entity_articles")
            self.store.execute("DELETE FROM entities")
            for entity in entities:
                self._insert(entity)

    def upsert(self, entities: Iterable[Entity]) -> None:
        with self.store.transaction():
            for entity in entities:
                self._insert(entity)

    def delete(self, entity_ids: Iterable[str]) -> None:
        with self.store.transaction():
            for entity_id in entity_ids:
                self.store.execute("DELETE FROM entity_articles WHERE entity_id = ?", (entity_id,))
                self.store.execute("DELETE FROM entities WHERE id = ?", (entity_id,))

    def get(self, entity_id: str) -> Entity:
        row = self.store.execute("SELECT data FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if row is None:
            raise NotFound(f"no entity {entity_id!r}")
        return _row_entity(row)

    def list(
        self, *, article_ids: Iterable[str] | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Entity]:
        sql = "SELECT e.data FROM entities e"
        params: list[Any] = []
        if article_ids is not None:
            ids = list(article_ids)
            if not ids:
                return []
            marks = ",".join("?" * len(ids))
            sql += f" WHERE e.id IN (SELECT entity_id FROM entity_articles WHERE article_id IN ({marks}))"
            params += ids
        sql += " ORDER BY e.name LIMIT ? OFFSET ?"
        params += [limit if limit is not None else -1, offset]
        return [_row_entity(r) for r in self.store.execute(sql, params)]

    def by_keys(self, keys: Iterable[str]) -> list[Entity]:
        ks = list(set(keys))
        out: list[Entity] = []
        for i in range(0, len(ks), 500):
            chunk = ks[i : i + 500]
            marks = ",".join("?" * len(chunk))
            out += [_row_entity(r) for r in self.store.execute(f"SELECT data FROM entities WHERE key IN ({marks})", chunk)]
        return out

    def count(self) -> int:
        return int(self.store.execute("SELECT count(*) FROM entities").fetchone()[0])
