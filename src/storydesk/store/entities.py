"""Cross-article entities in SQLite.

An entity's articles (and the articles giving it each role) are kept in
`entity_articles` and `entity_roles` only and added to, never rewritten, so
the cost of linking one article does not grow with how many articles already
mention "Russia". `get` and `list` fill `Entity.articles` and each role's
articles back in; `by_keys(..., articles=False)` skips that for the linker.
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from storydesk.errors import NotFound
from storydesk.records import Entity
from storydesk.store.base import EntitySummary

if TYPE_CHECKING:
    from storydesk.store.sqlite import SQLiteStore


class SQLiteEntities:
    # "Any of the entity's spellings is LIKE ?": the JSON function differs in PostgreSQL (store/postgres.py).
    ALIAS_LIKE = "EXISTS (SELECT 1 FROM json_each(entities.data, '$.aliases') WHERE value LIKE ? ESCAPE '\\')"

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store

    def _row_entity(self, row: Any, *, articles: bool) -> Entity:
        entity = Entity.from_dict(json.loads(row["data"]))
        if articles:
            entity.articles = self.articles_of(entity.id)
            by_role: dict[str, builtins.list[str]] = {}
            for r in self.store.execute(
                "SELECT role, article_id FROM entity_roles WHERE entity_id = ? ORDER BY rowid", (entity.id,)
            ):
                by_role.setdefault(r[0], []).append(r[1])
            for role in entity.roles:
                role.articles = by_role.get(role.role, [])
        return entity

    def articles_of(self, entity_id: str) -> builtins.list[str]:
        rows = self.store.execute(
            "SELECT article_id FROM entity_articles WHERE entity_id = ? ORDER BY rowid", (entity_id,)
        )
        return [r[0] for r in rows]

    def _insert(self, entity: Entity) -> None:
        data = entity.to_dict()
        data["articles"] = []  # kept in entity_articles
        for role in data["roles"]:
            role["articles"] = []  # kept in entity_roles
        self.store.execute(
            # An upsert, not INSERT OR REPLACE: a replace deletes the row first, and the foreign-key
            # check then scans every row of the entity's articles, roles and keys (grew with the store).
            """INSERT INTO entities (id, name, type, key, data) VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET name = excluded.name, type = excluded.type,
                   key = excluded.key, data = excluded.data""",
            (entity.id, entity.name, entity.type, entity.key, json.dumps(data, ensure_ascii=False)),
        )
        self.store.conn.executemany(
            "INSERT OR IGNORE INTO entity_articles (entity_id, article_id) VALUES (?, ?)",
            [(entity.id, a) for a in entity.articles],
        )
        self.store.conn.executemany(
            "INSERT OR IGNORE INTO entity_roles (entity_id, role, article_id) VALUES (?, ?, ?)",
            [(entity.id, r.role, a) for r in entity.roles for a in r.articles],
        )

    def replace_all(self, entities: Iterable[Entity]) -> None:
        with self.store.transaction():
            self.delete_all()
            for entity in entities:
                self._insert(entity)

    def delete_all(self) -> None:
        with self.store.transaction():
            self.store.execute("DELETE FROM entity_keys")
            self.store.execute("DELETE FROM story_entities")
            self.store.execute("DELETE FROM entity_roles")
            self.store.execute("DELETE FROM entity_articles")
            self.store.execute("DELETE FROM entities")

    def upsert(self, entities: Iterable[Entity]) -> None:
        """Write entities; their `articles` are added to the stored ones, never removed."""
        with self.store.transaction():
            for entity in entities:
                self._insert(entity)

    def add_keys(self, entity_id: str, keys: Iterable[str]) -> None:
        with self.store.transaction():
            self.store.conn.executemany(
                "INSERT OR IGNORE INTO entity_keys (key, entity_id) VALUES (?, ?)", [(k, entity_id) for k in keys]
            )

    def delete(self, entity_ids: Iterable[str]) -> None:
        with self.store.transaction():
            for entity_id in entity_ids:
                self.store.execute("DELETE FROM entity_keys WHERE entity_id = ?", (entity_id,))
                self.store.execute("DELETE FROM story_entities WHERE entity_id = ?", (entity_id,))
                self.store.execute("DELETE FROM entity_roles WHERE entity_id = ?", (entity_id,))
                self.store.execute("DELETE FROM entity_articles WHERE entity_id = ?", (entity_id,))
                self.store.execute("DELETE FROM entities WHERE id = ?", (entity_id,))

    def get(self, entity_id: str, *, articles: bool = True) -> Entity:
        """An entity; with `articles=False` its article lists stay empty (an actor page counts them instead)."""
        row = self.store.execute("SELECT data FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if row is None:
            raise NotFound(f"no entity {entity_id!r}")
        return self._row_entity(row, articles=articles)

    def article_count(self, entity_id: str) -> int:
        row = self.store.execute("SELECT n_articles FROM entities WHERE id = ?", (entity_id,)).fetchone()
        return int(row[0]) if row else 0

    def summary_page(
        self, *, type: str | None = None, query: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[builtins.list[EntitySummary], int]:
        """Entities with the most articles first; `query` matches any part of the name or of a spelling
        (case-insensitive for ASCII letters)."""
        clauses: builtins.list[str] = []
        params: builtins.list[Any] = []
        if type:
            clauses.append("type = ?")
            params.append(type)
        if query:
            clauses.append(f"(name LIKE ? ESCAPE '\\' OR {self.ALIAS_LIKE})")
            pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            params += [pattern, pattern]
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self.store.execute(
            f"SELECT id, name, type, n_articles FROM entities{where} ORDER BY n_articles DESC, name, id LIMIT ? OFFSET ?",
            (*params, limit, offset),
        ).fetchall()
        if len(rows) < limit and (rows or not offset):
            total = offset + len(rows)
        else:
            total = int(self.store.execute(f"SELECT count(*) FROM entities{where}", params).fetchone()[0])
        return [EntitySummary(r[0], r[1], r[2], r[3]) for r in rows], total

    def roles_by_outlet(self, entity_id: str) -> dict[str | None, builtins.list[str]]:
        """The roles articles give the entity, by the articles' outlet (None: no outlet known)."""
        out: dict[str | None, builtins.list[str]] = {}
        for outlet, role in self.store.execute(
            """SELECT DISTINCT a.outlet, r.role FROM entity_roles r JOIN articles a ON a.id = r.article_id
               WHERE r.entity_id = ? ORDER BY a.outlet, r.role""",
            (entity_id,),
        ):
            out.setdefault(outlet, []).append(role)
        return out

    def list(
        self,
        *,
        article_ids: Iterable[str] | None = None,
        limit: int | None = None,
        offset: int = 0,
        articles: bool = True,
    ) -> builtins.list[Entity]:
        """Entities (of these articles), by name. `articles=False`: without their article and role lists,
        which grow with the store (a frequent name is in a share of every article)."""
        sql = "SELECT e.data FROM entities e"
        params: builtins.list[Any] = []
        if article_ids is not None:
            ids = list(article_ids)
            if not ids:
                return []
            marks = ",".join("?" * len(ids))
            sql += f" WHERE e.id IN (SELECT entity_id FROM entity_articles WHERE article_id IN ({marks}))"
            params += ids
        sql += " ORDER BY e.name LIMIT ? OFFSET ?"
        params += [limit if limit is not None else -1, offset]
        return [self._row_entity(r, articles=articles) for r in self.store.execute(sql, params).fetchall()]

    def by_keys(self, keys: Iterable[str], *, articles: bool = True) -> builtins.list[Entity]:
        """Entities known under any of `keys` (see `add_keys`)."""
        ks = list(set(keys))
        out: dict[str, Entity] = {}
        for i in range(0, len(ks), 500):
            chunk = ks[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.store.execute(
                f"""SELECT data FROM entities WHERE id IN
                    (SELECT entity_id FROM entity_keys WHERE key IN ({marks}))""",
                chunk,
            ).fetchall()
            for row in rows:
                entity = self._row_entity(row, articles=articles)
                out[entity.id] = entity
        return sorted(out.values(), key=lambda e: e.id)

    def ids_by_keys(self, keys: Iterable[str]) -> builtins.list[str]:
        """The ids of the entities `by_keys` returns, sorted, without reading the entities."""
        ks = list(set(keys))
        out: set[str] = set()
        for i in range(0, len(ks), 500):
            chunk = ks[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.store.execute(
                f"SELECT id FROM entities WHERE id IN (SELECT entity_id FROM entity_keys WHERE key IN ({marks}))",
                chunk,
            )
            out.update(r[0] for r in rows)
        return sorted(out)

    def get_many(self, entity_ids: Iterable[str], *, articles: bool = True) -> builtins.list[Entity]:
        """These entities (the stored ones among them), by id."""
        ids = list(entity_ids)
        out: builtins.list[Entity] = []
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.store.execute(f"SELECT data FROM entities WHERE id IN ({marks})", chunk).fetchall()
            out += [self._row_entity(row, articles=articles) for row in rows]
        return sorted(out, key=lambda e: e.id)

    def keys_of(self, entity_ids: Iterable[str]) -> dict[str, builtins.list[str]]:
        ids = list(entity_ids)
        out: dict[str, builtins.list[str]] = {i: [] for i in ids}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.store.execute(
                f"SELECT key, entity_id FROM entity_keys WHERE entity_id IN ({marks})", chunk
            ):
                out[row[1]].append(row[0])
        return out

    def shared_articles(self, entity_id: str, others: Iterable[str], *, limit: int = 200) -> int:
        """How many recent articles mention `entity_id` together with any of `others` (co-occurring context)."""
        ids = list(others)
        if not ids:
            return 0
        marks = ",".join("?" * len(ids))
        row = self.store.execute(
            f"""SELECT count(DISTINCT a.article_id) FROM
                  (SELECT article_id FROM entity_articles INDEXED BY entity_articles_recent
                   WHERE entity_id = ? ORDER BY rowid DESC LIMIT ?) a
                JOIN entity_articles b ON b.article_id = a.article_id
                WHERE b.entity_id IN ({marks})""",
            (entity_id, limit, *ids),
        ).fetchone()
        return int(row[0])

    def exists(self, entity_id: str) -> bool:
        return self.store.execute("SELECT 1 FROM entities WHERE id = ?", (entity_id,)).fetchone() is not None

    def count(self) -> int:
        return int(self.store.execute("SELECT count(*) FROM entities").fetchone()[0])
