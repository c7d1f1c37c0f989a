"""Stories, their member articles and their compare reports, in SQLite.

Also the linker's working state: per-story and per-article features and the
term document frequencies (see link/stories.py); stored as JSON and float32
blobs the store does not interpret.
"""

from __future__ import annotations

import builtins
import json
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import orjson

from storydesk.errors import NotFound
from storydesk.records import Conflict, Story, record_from_dict
from storydesk.store.base import ArticleFilter, StoryConflict, StorySummary

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from storydesk.store.sqlite import SQLiteStore


def _row_story(row: Any) -> Story:
    return Story.from_dict(json.loads(row["data"]))


class GroupState:
    """The linker's per-group rows (story_features, storyline_features): days, arrival number, vector, JSON."""

    def __init__(self, store: SQLiteStore, table: str, key: str, days_index: str, seq_index: str) -> None:
        self.store, self.table, self.key, self.days_index = store, table, key, days_index
        self.seq_index = seq_index

    def ids_in_window(self, first_day: str, last_day: str) -> builtins.list[str]:
        rows = self.store.execute(
            # INDEXED BY: without it SQLite walks the primary key to skip the sort, reading
            # every group ever stored (the per-article cost then grew with the store).
            f"""SELECT {self.key} FROM {self.table} INDEXED BY {self.days_index}
                WHERE last_day >= ? AND first_day <= ? AND first_day != '' ORDER BY {self.key}""",
            (first_day, last_day),
        )
        return [r[0] for r in rows]

    def ids_recent(self, min_seq: int, *, undated_only: bool) -> builtins.list[str]:
        extra = " AND first_day = ''" if undated_only else ""
        rows = self.store.execute(
            # INDEXED BY, as above: SQLite walked the primary key to skip the sort and read every group's
            # row (its last_seq stored after the vector and JSON), about 0.6 ms a call at 716 events, called
            # once or twice per linked article (issue 13, round 14).
            f"""SELECT {self.key} FROM {self.table} INDEXED BY {self.seq_index}
                WHERE last_seq >= ?{extra} ORDER BY {self.key}""",
            (min_seq,),
        )
        return [r[0] for r in rows]

    def features(self, ids: builtins.list[str]) -> dict[str, tuple[str, str, bytes | None, str]]:
        out: dict[str, tuple[str, str, bytes | None, str]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.store.execute(
                f"SELECT {self.key}, first_day, last_day, vector, data FROM {self.table} WHERE {self.key} IN ({marks})",
                chunk,
            ):
                out[row[0]] = (row[1], row[2], row[3], row[4])
        return out

    def last_seqs(self) -> dict[str, int]:
        """Every group's arrival number of its latest article (what a batch output carries)."""
        return {r[0]: int(r[1]) for r in self.store.execute(f"SELECT {self.key}, last_seq FROM {self.table}")}

    def save(self, group_id: str, first_day: str, last_day: str, vector: bytes | None, data: str, seq: int) -> None:
        self.store.execute(
            f"""INSERT OR REPLACE INTO {self.table} ({self.key}, first_day, last_day, last_seq, vector, data)
                VALUES (?, ?, ?, ?, ?, ?)""",
            (group_id, first_day, last_day, seq, vector, data),
        )


# The columns a StorySummary is read from (table story_summaries, migration 0006), in its field order.
SUMMARY_COLUMNS = (
    "s.id, s.title, s.first_published, s.last_published, s.outlets, s.languages, "
    "s.n_articles, s.n_corroborated, s.n_single_source, s.n_conflicts, "
    "s.storyline, s.first_day, s.last_day, s.day_source, s.n_independent"  # migration 0010
)


def _summary(row: Any) -> StorySummary:
    return StorySummary(
        row[0],
        row[1],
        row[2],
        row[3],
        orjson.loads(row[4]),
        orjson.loads(row[5]),
        row[6],
        row[7],
        row[8],
        row[9],
        row[10],
        row[11],
        row[12],
        row[13],
        row[14],
    )


def _date_clauses(since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if since:
        clauses.append("s.last_published >= ?")
        params.append(since)
    if until:
        clauses.append("s.first_published <= ?")
        params.append(until + "\uffff")
    return clauses, params


class SQLiteStories:
    def __init__(self, store: SQLiteStore) -> None:
        self.store = store
        self._state = GroupState(store, "story_features", "story_id", "story_features_days", "story_features_seq")
        self._vectors_engine: str | None = None  # the statement engine checked against the store's (`_own_vectors`)

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
            summary = StorySummary.of(story)
            self.store.execute(
                """INSERT OR REPLACE INTO story_summaries (id, title, first_published, last_published, outlets,
                       languages, n_articles, n_corroborated, n_single_source, n_conflicts,
                       storyline, first_day, last_day, day_source, n_independent)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    summary.id,
                    summary.title,
                    summary.first_published,
                    summary.last_published,
                    json.dumps(summary.outlets, ensure_ascii=False),
                    json.dumps(summary.languages, ensure_ascii=False),
                    summary.articles,
                    summary.corroborated,
                    summary.single_source,
                    summary.conflicts,
                    summary.storyline,
                    summary.first_day,
                    summary.last_day,
                    summary.day_source,
                    summary.independent_outlets,
                ),
            )
            self._index_entities(story)
            self.store.execute("DELETE FROM story_conflicts WHERE story_id = ?", (story.id,))
            self.store.conn.executemany(
                "INSERT INTO story_conflicts (story_id, seq, entity, speakers, data) VALUES (?, ?, ?, ?, ?)",
                [
                    (
                        story.id,
                        seq,
                        conflict.entity,
                        "\n".join(s.speaker.lower() for s in conflict.sides if s.speaker),
                        orjson.dumps(conflict).decode("utf-8"),
                    )
                    for seq, conflict in enumerate(story.conflicts)
                ],
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

    def _index_entities(self, story: Story) -> None:
        """story_entities and story_outlets: the entities and outlets of the story's articles,
        with the story's last day (migration 0006)."""
        self.store.execute("DELETE FROM story_entities WHERE story_id = ?", (story.id,))
        self.store.execute("DELETE FROM story_outlets WHERE story_id = ?", (story.id,))
        for i in range(0, len(story.articles), 500):
            chunk = story.articles[i : i + 500]
            marks = ",".join("?" * len(chunk))
            self.store.execute(
                f"""INSERT OR IGNORE INTO story_entities (entity_id, story_id, last_published)
                    SELECT DISTINCT entity_id, ?, ? FROM entity_articles WHERE article_id IN ({marks})""",
                (story.id, story.last_published, *chunk),
            )
            self.store.execute(
                f"""INSERT OR IGNORE INTO story_outlets (outlet, story_id, last_published)
                    SELECT DISTINCT outlet, ?, ? FROM articles WHERE id IN ({marks}) AND outlet IS NOT NULL""",
                (story.id, story.last_published, *chunk),
            )

    def delete(self, story_id: str) -> None:
        with self.store.transaction():
            self.store.execute("DELETE FROM story_features WHERE story_id = ?", (story_id,))
            self.store.execute("DELETE FROM compare_state WHERE story_id = ?", (story_id,))
            self.store.execute("DELETE FROM story_conflicts WHERE story_id = ?", (story_id,))
            self.store.execute("DELETE FROM story_entities WHERE story_id = ?", (story_id,))
            self.store.execute("DELETE FROM story_outlets WHERE story_id = ?", (story_id,))
            self.store.execute("DELETE FROM story_summaries WHERE id = ?", (story_id,))
            self.store.execute("DELETE FROM story_articles WHERE story_id = ?", (story_id,))
            self.store.execute("DELETE FROM stories WHERE id = ?", (story_id,))

    def delete_all(self) -> None:
        """Forget every story and the linker's story state (article features stay: they are costly)."""
        with self.store.transaction():
            self.store.execute("DELETE FROM story_features")
            self.store.execute("DELETE FROM compare_state")
            self.store.execute("DELETE FROM term_df")
            self.store.execute("DELETE FROM story_conflicts")
            self.store.execute("DELETE FROM story_entities")
            self.store.execute("DELETE FROM story_outlets")
            self.store.execute("DELETE FROM story_summaries")
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

    # Web pages ----------------------------------------------------------

    def summaries(
        self, *, since: str | None = None, until: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[builtins.list[StorySummary], int]:
        """Stories newest first, as summaries, and how many there are in all."""
        clauses, params = _date_clauses(since, until)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        rows = self.store.execute(
            f"SELECT {SUMMARY_COLUMNS} FROM story_summaries s{where} ORDER BY s.last_published DESC, s.id LIMIT ? OFFSET ?",
            (*params, limit, offset),
        ).fetchall()
        if len(rows) < limit and (rows or not offset):
            total = offset + len(rows)
        else:
            total = int(self.store.execute(f"SELECT count(*) FROM story_summaries s{where}", params).fetchone()[0])
        return [_summary(r) for r in rows], total

    def summaries_for_articles(
        self, filters: ArticleFilter, *, limit: int = 50, offset: int = 0
    ) -> tuple[builtins.list[StorySummary], int]:
        """The stories of the articles that match `filters` (dates narrow the articles), newest first."""
        only = {k for k in ("outlet", "language", "since", "until", "entity", "query") if getattr(filters, k)}
        if only == {"entity"}:
            return self._summaries_in("story_entities", "entity_id", filters.entity or "", limit=limit, offset=offset)
        if only == {"outlet"}:
            return self._summaries_in("story_outlets", "outlet", filters.outlet or "", limit=limit, offset=offset)
        where, params = self.store.articles._where(filters)
        members = f"SELECT sa.story_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id{where}"
        rows = self.store.execute(
            f"""SELECT {SUMMARY_COLUMNS} FROM story_summaries s WHERE s.id IN ({members})
                ORDER BY s.last_published DESC, s.id LIMIT ? OFFSET ?""",
            (*params, limit, offset),
        ).fetchall()
        if len(rows) < limit and (rows or not offset):
            total = offset + len(rows)
        else:
            total = int(
                self.store.execute(f"SELECT count(DISTINCT sa.story_id) FROM ({members}) sa", params).fetchone()[0]
            )
        return [_summary(r) for r in rows], total

    def _summaries_in(
        self, table: str, column: str, value: str, *, limit: int, offset: int
    ) -> tuple[builtins.list[StorySummary], int]:
        """The stories of one entity or outlet, newest first: an index range of story_entities or story_outlets."""
        rows = self.store.execute(
            f"""SELECT {SUMMARY_COLUMNS} FROM {table} e JOIN story_summaries s ON s.id = e.story_id
                WHERE e.{column} = ? ORDER BY e.last_published DESC, e.story_id LIMIT ? OFFSET ?""",
            (value, limit, offset),
        ).fetchall()
        if len(rows) < limit and (rows or not offset):
            total = offset + len(rows)
        else:
            total = int(self.store.execute(f"SELECT count(*) FROM {table} WHERE {column} = ?", (value,)).fetchone()[0])
        return [_summary(r) for r in rows], total

    def conflicts_about(
        self, entity_id: str, names: Iterable[str], *, limit: int = 100
    ) -> builtins.list[StoryConflict]:
        """Conflicts about an actor: about the entity, or a side spoken by one of `names`, in the actor's stories.

        Newest stories first, at most `limit`: read story by story down story_entities until enough are found.
        """
        folded = {n.lower() for n in names if n}
        rows = self.store.execute(
            """SELECT c.story_id, s.title, c.entity, c.speakers, c.data
               FROM story_entities e JOIN story_conflicts c ON c.story_id = e.story_id
               JOIN story_summaries s ON s.id = e.story_id
               WHERE e.entity_id = ? ORDER BY e.last_published DESC, e.story_id, c.seq""",
            (entity_id,),
        )
        found: builtins.list[StoryConflict] = []
        for story_id, title, entity, speakers, data in rows:
            if entity == entity_id or (speakers and folded & set(speakers.split("\n"))):
                found.append(StoryConflict(story_id, title, record_from_dict(Conflict, orjson.loads(data))))
                if len(found) >= limit:
                    break
        return found

    def summaries_of(self, story_ids: builtins.list[str]) -> builtins.list[StorySummary]:
        """The summaries of the given stories (a storyline's events), in the order given."""
        out: dict[str, StorySummary] = {}
        for i in range(0, len(story_ids), 500):
            chunk = story_ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.store.execute(
                f"SELECT {SUMMARY_COLUMNS} FROM story_summaries s WHERE s.id IN ({marks})", chunk
            ):
                out[row[0]] = _summary(row)
        return [out[i] for i in story_ids if i in out]

    # The linker's state -------------------------------------------------

    def ids_in_window(self, first_day: str, last_day: str) -> builtins.list[str]:
        """Stories whose days overlap [first_day, last_day] (ISO dates)."""
        return self._state.ids_in_window(first_day, last_day)

    def ids_recent(self, min_seq: int, *, undated_only: bool = False) -> builtins.list[str]:
        """Stories that took an article numbered `min_seq` or later (undated ones only, if asked)."""
        return self._state.ids_recent(min_seq, undated_only=undated_only)

    def features(self, story_ids: builtins.list[str]) -> dict[str, tuple[str, str, bytes | None, str]]:
        """The linker's state per story: (first_day, last_day, vector, data)."""
        return self._state.features(story_ids)

    def save_features(
        self, story_id: str, first_day: str, last_day: str, vector: bytes | None, data: str, *, last_seq: int = 0
    ) -> None:
        self._state.save(story_id, first_day, last_day, vector, data, last_seq)

    def last_seqs(self) -> dict[str, int]:
        return self._state.last_seqs()

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

    def statement_vectors(self, article_ids: builtins.list[str], engine: str) -> dict[tuple[str, int, int], bytes]:
        """The stored statement vectors of `article_ids`, made by statement engine `engine` (`_own_vectors`)."""
        self._own_vectors(engine)
        out: dict[tuple[str, int, int], bytes] = {}
        for i in range(0, len(article_ids), 500):
            chunk = article_ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.store.execute(
                f"SELECT article_id, span_start, span_end, vector FROM statement_vectors WHERE article_id IN ({marks})",
                chunk,
            ):
                out[(row[0], int(row[1]), int(row[2]))] = row[3]
        return out

    def save_statement_vectors(self, rows: builtins.list[tuple[str, int, int, bytes]], engine: str) -> None:
        """Store statement vectors made by statement engine `engine` (`_own_vectors`)."""
        self._own_vectors(engine)
        with self.store.transaction():
            self.store.conn.executemany(
                "INSERT OR REPLACE INTO statement_vectors (article_id, span_start, span_end, vector) VALUES (?, ?, ?, ?)",
                rows,
            )

    def _own_vectors(self, engine: str) -> None:
        """Make the store's statement vectors `engine`'s, once per store object and engine: a store whose vectors
        another engine made (or an engine not recorded, before round 15) has them dropped, and compare embeds
        them again as it needs them. Cosines between two engines' vectors would mean nothing sound (issue 13,
        round 15). The caller names the engine (storydesk/encoder.py `statement_engine`): the store does not
        know the encoder (round 16)."""
        if self._vectors_engine == engine:
            return
        with self.store.transaction():
            row = self.store.execute("SELECT value FROM store_meta WHERE key = 'statement_engine'").fetchone()
            if row is None or row[0] != engine:
                dropped = self.store.execute("DELETE FROM statement_vectors").rowcount
                if dropped > 0:
                    log.warning(
                        "store: %d statement vectors made by %s dropped; compare embeds them again with %s",
                        dropped, "an unrecorded engine" if row is None else row[0], engine,
                    )  # fmt: skip
                self.store.execute(
                    "INSERT OR REPLACE INTO store_meta (key, value) VALUES ('statement_engine', ?)", (engine,)
                )
        self._vectors_engine = engine

    def compare_state(self, story_id: str) -> bytes | None:
        """What compare kept of the story's last compare (compare/memo.py), if anything."""
        row = self.store.execute("SELECT data FROM compare_state WHERE story_id = ?", (story_id,)).fetchone()
        return None if row is None else bytes(row[0])

    def save_compare_state(self, story_id: str, data: bytes) -> None:
        with self.store.transaction():
            self.store.execute("INSERT OR REPLACE INTO compare_state (story_id, data) VALUES (?, ?)", (story_id, data))

    def linked_count(self) -> int:
        """Articles that belong to a story: the N of the TF-IDF document frequencies."""
        return int(self.store.execute("SELECT count(*) FROM story_articles").fetchone()[0])
