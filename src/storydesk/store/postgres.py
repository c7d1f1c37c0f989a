"""The PostgreSQL store: a second implementation of `store/base.py` for teams.

- Connections are pooled (psycopg_pool). A read outside a transaction takes a
  connection for one statement, so many readers (web requests, threads) run
  side by side; `transaction()` holds one connection and the store's advisory
  lock, so there is one writer at a time, as with SQLite's `BEGIN IMMEDIATE`,
  and a writer in another process waits instead of racing the dedup and
  linking reads it depends on.
- Migrations are the same named files as SQLite's, in PostgreSQL dialect, in
  `store/migrations_pg/` (tests/test_store_postgres.py fails when one lacks its twin).
- The repositories are the SQLite ones: their SQL is written once and runs
  here after `adapt` (placeholders, SQLite's `INSERT OR IGNORE/REPLACE`,
  SQLite's NULL-first ordering, `LIMIT -1`, planner hints). Full-text search
  (a generated tsvector with a GIN index) and the few JSON functions the SQL
  uses (class attributes of the SQLite repositories: ALIAS_LIKE, SET_ERROR)
  differ, so only they are overridden below. A repository method added for SQLite runs here unchanged
  when its SQL keeps to that subset; the store tests run against both.
"""

from __future__ import annotations

import builtins
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from storydesk.errors import StoreUnavailable
from storydesk.ingest.common import strip_invisible
from storydesk.settings import shown_db as _safe
from storydesk.store.articles import SUMMARY_COLUMNS, SQLiteArticles, SQLiteNearDuplicates, _row_article, _summary
from storydesk.store.base import ArticleSummary, SearchHit
from storydesk.store.entities import SQLiteEntities
from storydesk.store.jobs import SQLiteJobs
from storydesk.store.stories import SQLiteStories
from storydesk.store.storylines import SQLiteStorylines

# pg_advisory_xact_lock key for "the store's one writer" (any constant; "sdsk" in ASCII).
_WRITER_LOCK = 0x7364736B
_MIGRATION_LOCK = _WRITER_LOCK + 1


def _migrations() -> list[tuple[str, str]]:
    folder = resources.files("storydesk.store") / "migrations_pg"
    return sorted((p.name, p.read_text(encoding="utf-8")) for p in folder.iterdir() if p.name.endswith(".sql"))


# -- rows and results that behave like sqlite3's -------------------------------


class _Row(tuple):
    """A row readable by position and by column name, as `sqlite3.Row`."""

    __slots__ = ()
    _names: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> builtins.list[str]:
        return list(self._names)


@lru_cache(maxsize=256)
def _row_class(names: tuple[str, ...]) -> type[_Row]:
    return type("Row", (_Row,), {"__slots__": (), "_names": {n: i for i, n in enumerate(names)}})


def _row_factory(cursor: Any) -> Any:
    if cursor.description is None:
        return tuple
    cls = _row_class(tuple(c.name for c in cursor.description))
    return cls


class Result:
    """A statement's rows, fetched at once (the connection goes back to the pool right after)."""

    __slots__ = ("rows", "rowcount", "_next")

    def __init__(self, rows: builtins.list[Any], rowcount: int) -> None:
        self.rows = rows
        self.rowcount = rowcount
        self._next = 0

    def fetchone(self) -> Any:
        if self._next >= len(self.rows):
            return None
        self._next += 1
        return self.rows[self._next - 1]

    def fetchall(self) -> builtins.list[Any]:
        rest, self._next = self.rows[self._next :], len(self.rows)
        return rest

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


# -- SQLite's SQL, adapted -------------------------------------------------------

_INSERT_OR = re.compile(r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+(\w+)\s*(?:\(([^)]*)\))?", re.I)
_ORDER_BY = re.compile(r"\bORDER\s+BY\s+(.+?)(?=\s+LIMIT\b|\s+OFFSET\b|\)|;|$)", re.I | re.S)
_INDEXED_BY = re.compile(r"\s+INDEXED\s+BY\s+\w+", re.I)


@lru_cache(maxsize=4096)
def adapt(sql: str, schema: Schema) -> str:
    """SQLite's SQL as PostgreSQL runs it with the same meaning.

    - `?` becomes `%s` (and a literal `%` is doubled);
    - `INSERT OR IGNORE` becomes `ON CONFLICT DO NOTHING`, `INSERT OR REPLACE`
      an upsert on the table's primary key (read from the catalog); without a
      column list, the table's columns are named (the twin keeps SQLite's order);
    - SQLite sorts NULL before any value: an ORDER BY term on a nullable
      column gets NULLS FIRST (ascending) or NULLS LAST (descending), and the
      PostgreSQL indexes such terms use are declared NULLS FIRST;
    - `LIMIT -1` (SQLite's "no limit") becomes `LIMIT NULL`;
    - `INDEXED BY` (a SQLite planner hint) is dropped; `LIKE` is `ILIKE`
      (SQLite's LIKE ignores ASCII case).
    """
    match = _INSERT_OR.match(sql)
    if match:
        verb, table, cols = match.group(1).upper(), match.group(2), match.group(3)
        if cols is None:  # `INSERT OR REPLACE INTO t VALUES (...)`: every column, in the table's order
            cols = ", ".join(schema.columns[table.lower()])
        sql = f"INSERT INTO {table} ({cols})" + sql[match.end() :]
        if verb == "IGNORE":
            sql += " ON CONFLICT DO NOTHING"
        else:
            key = schema.primary_keys[table.lower()]
            updates = [c.strip() for c in cols.split(",") if c.strip() and c.strip() not in key]
            sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in updates)
            sql += f" ON CONFLICT ({', '.join(key)}) " + (f"DO UPDATE SET {sets}" if sets else "DO NOTHING")
    sql = _INDEXED_BY.sub("", sql)
    sql = _ORDER_BY.sub(lambda m: "ORDER BY " + _null_order(m.group(1), schema.nullable), sql)
    sql = re.sub(r"\bLIKE\b", "ILIKE", sql)
    sql = sql.replace("%", "%%").replace("?", "%s")
    return re.sub(r"\bLIMIT\s+%s", "LIMIT NULLIF(%s, -1)", sql, flags=re.I)


def _null_order(terms: str, nullable: frozenset[str]) -> str:
    out = []
    for term in terms.split(","):
        words = term.split()
        if not words or "NULLS" in (w.upper() for w in words):
            out.append(term.strip())
            continue
        column = words[0].split(".")[-1].lower()
        if column in nullable:
            desc = len(words) > 1 and words[-1].upper() == "DESC"
            out.append(f"{term.strip()} {'NULLS LAST' if desc else 'NULLS FIRST'}")
        else:
            out.append(term.strip())
    return ", ".join(out)


class Schema:
    """What `adapt` needs from the catalog: primary keys, nullable columns and each table's
    columns (in order, without generated ones). Hashable for the cache."""

    def __init__(
        self,
        primary_keys: dict[str, tuple[str, ...]],
        nullable: frozenset[str],
        columns: dict[str, tuple[str, ...]] | None = None,
    ) -> None:
        self.primary_keys = primary_keys
        self.nullable = nullable
        self.columns = columns or {}
        self._key = (tuple(sorted(primary_keys.items())), nullable, tuple(sorted(self.columns.items())))

    def __hash__(self) -> int:
        return hash(self._key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Schema) and self._key == other._key


def _clean(params: Sequence[Any] | dict[str, Any]) -> Sequence[Any] | dict[str, Any]:
    # PostgreSQL text cannot hold NUL; SQLite stores it. The record's JSON keeps it escaped.
    if isinstance(params, dict):
        return params
    return [p.replace("\x00", "") if isinstance(p, str) and "\x00" in p else p for p in params]


# -- the store -------------------------------------------------------------------


class _Connection:
    """`store.conn` as the repositories use it (execute, executemany), over the store."""

    def __init__(self, store: PostgresStore) -> None:
        self.store = store

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Result:
        return self.store.execute(sql, params)

    def executemany(self, sql: str, seq: Any) -> None:
        self.store.executemany(sql, seq)


class PostgresStore:
    def __init__(self, url: str, *, pool_size: int = 8, connect_timeout: int = 10) -> None:
        self.url = url
        self.path = url  # what the CLI prints as "store:"
        self._local = threading.local()
        try:
            # One direct connection first: the pool would retry in the background and only
            # time out, where this gives the reason (refused, no such database, password).
            psycopg.connect(url, connect_timeout=connect_timeout).close()
        except psycopg.Error as exc:
            raise StoreUnavailable(f"cannot connect to {_safe(url)}: {_first_line(exc)}") from None
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max(1, pool_size),
            kwargs={"autocommit": True, "row_factory": _row_factory},
            open=True,
            name="storydesk",
        )
        self.conn = _Connection(self)
        self._migrate()
        self.schema = self._read_schema()
        self.articles = PostgresArticles(self)  # type: ignore[arg-type]
        self.near_duplicates = SQLiteNearDuplicates(self)  # type: ignore[arg-type]
        self.entities = PostgresEntities(self)  # type: ignore[arg-type]
        self.stories = SQLiteStories(self)  # type: ignore[arg-type]
        self.storylines = SQLiteStorylines(self)  # type: ignore[arg-type]
        self.jobs = PostgresJobs(self)  # type: ignore[arg-type]

    # -- connections and transactions --

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction holding the writer lock; nested calls join the outer one."""
        local = self._local
        if getattr(local, "depth", 0):
            local.depth += 1
            try:
                yield
            finally:
                local.depth -= 1
            return
        try:
            with self.pool.connection() as conn, conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_WRITER_LOCK,))
                local.conn, local.depth = conn, 1
                try:
                    yield
                finally:
                    local.conn, local.depth = None, 0
        except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
            raise StoreUnavailable(f"lost the connection to {_safe(self.url)}: {_first_line(exc)}") from exc

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Result:
        statement = adapt(sql, self.schema)
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            return self._run(conn, statement, params)
        # Outside a transaction: one pooled connection per statement (autocommit); a
        # connection broken since its last use is dropped by the pool and the read retried once.
        for attempt in (1, 2):
            try:
                with self.pool.connection() as conn:
                    return self._run(conn, statement, params)
            except (psycopg.OperationalError, psycopg.InterfaceError) as exc:
                if attempt == 2:
                    raise StoreUnavailable(f"lost the connection to {_safe(self.url)}: {_first_line(exc)}") from exc
        raise AssertionError("unreachable")

    @staticmethod
    def _run(conn: psycopg.Connection, statement: str, params: Sequence[Any] | dict[str, Any]) -> Result:
        cur = conn.execute(statement, _clean(params) if params else None)  # type: ignore[arg-type]
        rows = cur.fetchall() if cur.description is not None else []
        return Result(rows, cur.rowcount)

    def executemany(self, sql: str, seq: Any) -> None:
        rows = [_clean(p) for p in seq]
        if not rows:
            return
        statement = adapt(sql, self.schema)
        with self.transaction(), self._local.conn.cursor() as cur:
            cur.executemany(statement, rows)

    # -- schema --

    def _migrate(self) -> None:
        with self.pool.connection() as conn, conn.transaction():
            # Two processes opening a new database at once must not both migrate it.
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            conn.execute(
                "CREATE TABLE IF NOT EXISTS migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL)"
            )
            done = {row[0] for row in conn.execute("SELECT name FROM migrations").fetchall()}
            for name, sql in _migrations():
                if name in done:
                    continue
                # A script of DDL with no parameters: psycopg sends it whole, as one simple query.
                conn.execute(sql)  # type: ignore[arg-type]
                conn.execute("INSERT INTO migrations VALUES (%s, now())", (name,))

    def _read_schema(self) -> Schema:
        with self.pool.connection() as conn:
            keys: dict[str, builtins.list[str]] = {}
            for table, column in conn.execute(
                """SELECT tc.table_name, kcu.column_name
                   FROM information_schema.table_constraints tc
                   JOIN information_schema.key_column_usage kcu
                     ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
                   WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema()
                   ORDER BY tc.table_name, kcu.ordinal_position"""
            ).fetchall():
                keys.setdefault(table, []).append(column)
            nullable = {
                row[0]
                for row in conn.execute(
                    """SELECT DISTINCT column_name FROM information_schema.columns
                       WHERE table_schema = current_schema() AND is_nullable = 'YES'"""
                ).fetchall()
            }
            columns: dict[str, builtins.list[str]] = {}
            for table, column in conn.execute(
                """SELECT table_name, column_name FROM information_schema.columns
                   WHERE table_schema = current_schema() AND is_generated = 'NEVER' AND is_identity = 'NO'
                   ORDER BY table_name, ordinal_position"""
            ).fetchall():
                columns.setdefault(table, []).append(column)
        return Schema(
            {t: tuple(c) for t, c in keys.items()},
            frozenset(nullable),
            {t: tuple(c) for t, c in columns.items()},
        )

    def version(self) -> tuple[int, ...]:
        """Changes whenever anything is committed (the WAL position): what the web's page cache keys on."""
        row = self.execute("SELECT pg_current_wal_insert_lsn()::text").fetchone()
        high, low = row[0].split("/")
        return (int(high, 16), int(low, 16))

    def close(self) -> None:
        self.pool.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class PostgresArticles(SQLiteArticles):
    """Articles in PostgreSQL: the SQLite repository with PostgreSQL's full-text search."""

    # The article filter's text clause (SQLiteArticles._where): the tsvector instead of FTS5 MATCH.
    FTS_FILTER = "a.id IN (SELECT id FROM articles_fts WHERE tsv @@ plainto_tsquery('simple', ?))"

    @staticmethod
    def fts_param(text: str) -> str:
        # plainto_tsquery takes plain words and needs no quoting; invisible characters are
        # folded out as they were out of the index.
        return strip_invisible(text)

    def search(self, query: str, *, limit: int = 20) -> builtins.list[SearchHit]:
        query = strip_invisible(query)
        if not query.split():
            return []
        # Rank and limit first, then build snippets for the hits only (ts_headline re-parses the text).
        rows = self.store.execute(
            """SELECT a.*, ts_headline('simple', f.text, q,
                          'StartSel=[, StopSel=], MaxWords=12, MinWords=5') AS snip
               FROM (SELECT f.id, ts_rank(f.tsv, q) AS rank FROM articles_fts f,
                            plainto_tsquery('simple', ?) q
                     WHERE f.tsv @@ q ORDER BY rank DESC, f.id LIMIT ?) hit
               JOIN articles a ON a.id = hit.id
               JOIN articles_fts f ON f.id = hit.id,
               plainto_tsquery('simple', ?) q
               ORDER BY hit.rank DESC, hit.id""",
            (query, limit, query),
        )
        return [SearchHit(_row_article(r), r["snip"]) for r in rows]

    def search_page(
        self, query: str, *, limit: int = 50, offset: int = 0, rank_within: int | None = None
    ) -> tuple[builtins.list[tuple[ArticleSummary, str]], int]:
        """As SQLite's: ranked matches with a snippet each and how many match; with `rank_within`,
        only the most recently added `rank_within` matches are ranked. ts_rank's default weights
        count a title word (weight A) ten times a body word (D), as SQLite's bm25(0, 10, 1)."""
        query = strip_invisible(query)
        if not query.split():
            return [], 0
        matches = "FROM articles_fts f JOIN articles a ON a.id = f.id WHERE f.tsv @@ plainto_tsquery('simple', ?)"
        total = int(self.store.execute(f"SELECT count(*) {matches}", (query,)).fetchone()[0])
        floor = 0
        if rank_within is not None and total > rank_within:
            row = self.store.execute(
                f"SELECT a.rowid {matches} ORDER BY a.rowid DESC LIMIT 1 OFFSET ?", (query, rank_within - 1)
            ).fetchone()
            floor = int(row[0]) if row else 0
        rows = self.store.execute(
            f"""SELECT {SUMMARY_COLUMNS}, ts_headline('simple', f.text, plainto_tsquery('simple', ?),
                       'StartSel=[, StopSel=], MaxWords=12, MinWords=5') AS snip
                FROM (SELECT f.id, ts_rank(f.tsv, plainto_tsquery('simple', ?)) AS rank
                      {matches} AND a.rowid >= ? ORDER BY rank DESC, f.id LIMIT ? OFFSET ?) hit
                JOIN articles a ON a.id = hit.id JOIN articles_fts f ON f.id = hit.id
                ORDER BY hit.rank DESC, hit.id""",
            (query, query, query, floor, limit, offset),
        ).fetchall()
        return [(_summary(r), r["snip"]) for r in rows], total


class PostgresEntities(SQLiteEntities):
    ALIAS_LIKE = (
        "EXISTS (SELECT 1 FROM json_array_elements_text(entities.data::json -> 'aliases') AS alias (value) "
        "WHERE alias.value LIKE ? ESCAPE '\\')"
    )


class PostgresJobs(SQLiteJobs):
    SET_ERROR = "(jsonb_set(data::jsonb, '{error}', to_jsonb(?::text)))::text"
