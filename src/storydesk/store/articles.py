"""Articles, their full-text index and the near-duplicate bands, in SQLite."""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson

from storydesk.errors import NotFound
from storydesk.ingest.common import strip_invisible
from storydesk.records import Article, Quote, record_from_dict
from storydesk.store.base import ActorQuote, AddOutcome, ArticleFilter, ArticleSummary, SearchHit

if TYPE_CHECKING:
    from storydesk.store.sqlite import SQLiteStore


# The record fields reading fills; `summaries` leaves them out.
_READING_FIELDS = ("mentions", "quotes", "claims", "dates")


def _row_article(row: Any) -> Article:
    data = json.loads(row["data"])
    if "text" not in data:  # see _record_json
        data["text"] = "\n\n".join(data["paragraphs"])
    article = Article.from_dict(data)
    # Columns that change after insertion win over the JSON copy.
    article.duplicate_of = row["duplicate_of"]
    return article


def _record_json(article: Article) -> str:
    """The record as JSON, without `text` when it is just the paragraphs joined.

    The body would otherwise be written three times per article (text,
    paragraphs and the full-text index); writing it twice is a third less
    to store and commit.
    """
    data = article.to_dict()
    if data["text"] == "\n\n".join(data["paragraphs"]):
        del data["text"]
    return json.dumps(data, ensure_ascii=False)


# The columns an ArticleSummary is read from, in its field order.
SUMMARY_COLUMNS = "a.id, a.title, a.outlet, a.url, a.published, a.language, a.duplicate_of"


def _summary(row: Any) -> ArticleSummary:
    return ArticleSummary(row[0], row[1], row[2], row[3], row[4], row[5], row[6])


def fts_query(text: str) -> str:
    """Turn what a user typed into an FTS5 query: each word quoted, all required.

    Quoting keeps punctuation ("U.S.", "km²", a stray quote mark) from being
    read as FTS5 syntax and failing the search.
    """
    words = [w.replace('"', "") for w in strip_invisible(text).split()]
    return " ".join(f'"{w}"' for w in words if w)


class SQLiteArticles:
    # The text filter of `list` and `count`, and how a user's words become its
    # parameter: the one place the PostgreSQL store (store/postgres.py) differs.
    FTS_FILTER = "a.id IN (SELECT id FROM articles_fts WHERE articles_fts MATCH ?)"
    fts_param = staticmethod(fts_query)

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store

    def add(self, article: Article) -> AddOutcome:
        """Store an article once per content hash; a known hash only records the new source.

        Afterwards `article.id` is the id of the stored row, so later steps
        (indexing, linking) refer to it: the existing copy's id for a
        duplicate, and a suffixed id when a source reused an id for other content.
        """
        if not article.content_hash:
            raise ValueError(f"{article.source}: article has no content hash")
        with self.store.transaction():
            existing = self.id_for_hash(article.content_hash)
            if existing is not None:
                self.store.execute(
                    "INSERT OR IGNORE INTO article_sources (source, article_id) VALUES (?, ?)",
                    (article.source, existing),
                )
                article.id = existing
                return "duplicate"
            if self.store.execute("SELECT 1 FROM articles WHERE id = ?", (article.id,)).fetchone():
                # JSONL ids are free text: two records may share one for different content. Keep both.
                article.id = f"{article.id}-{article.content_hash[:8]}"
            if article.ingested_at is None:
                article.ingested_at = datetime.now(UTC).isoformat(timespec="seconds")
            self.store.execute(
                """INSERT INTO articles (id, source, url, outlet, title, published, published_source,
                       language, content_hash, duplicate_of, ingested_at, data)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    article.id,
                    article.source,
                    article.url,
                    article.outlet,
                    article.title,
                    article.published,
                    article.published_source,
                    article.language,
                    article.content_hash,
                    article.duplicate_of,
                    article.ingested_at,
                    _record_json(article),
                ),
            )
            self.store.execute(
                "INSERT OR IGNORE INTO article_sources (source, article_id) VALUES (?, ?)",
                (article.source, article.id),
            )
            # Indexed without zero-width and bidi characters, so "Zel\u200densky" is found
            # as "Zelensky" (the record keeps the text as it was; offsets point into it).
            self.store.execute(
                "INSERT INTO articles_fts (id, title, text) VALUES (?, ?, ?)",
                (article.id, strip_invisible(article.title or ""), strip_invisible(article.text)),
            )
            self._index_quotes(article, fresh=True)
        return "new"

    def _index_quotes(self, article: Article, *, fresh: bool = False) -> None:
        """Keep article_quotes (quotes with a linked speaker) in step with the record."""
        if not fresh:
            self.store.execute("DELETE FROM article_quotes WHERE article_id = ?", (article.id,))
        rows = [
            (article.id, seq, quote.speaker_entity, article.published, orjson.dumps(quote).decode("utf-8"))
            for seq, quote in enumerate(article.quotes)
            if quote.speaker_entity
        ]
        if rows:
            self.store.conn.executemany(
                "INSERT INTO article_quotes (article_id, seq, speaker_entity, published, data) VALUES (?, ?, ?, ?, ?)",
                rows,
            )

    def update(self, article: Article) -> None:
        """Write back an article after re-reading; its identity and hash stay."""
        with self.store.transaction():
            cur = self.store.execute(
                """UPDATE articles SET outlet = ?, title = ?, published = ?, published_source = ?,
                       language = ?, duplicate_of = ?, data = ? WHERE id = ?""",
                (
                    article.outlet,
                    article.title,
                    article.published,
                    article.published_source,
                    article.language,
                    article.duplicate_of,
                    _record_json(article),
                    article.id,
                ),
            )
            if cur.rowcount == 0:
                raise NotFound(f"no article {article.id!r}")
            self._index_quotes(article)

    def get(self, article_id: str) -> Article:
        row = self.store.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            # Allow unambiguous id prefixes, as git does, so users can type less.
            rows = self.store.execute(
                "SELECT * FROM articles WHERE id LIKE ? LIMIT 2", (article_id.replace("%", "") + "%",)
            ).fetchall()
            if len(rows) != 1 or not article_id:
                raise NotFound(f"no article {article_id!r}")
            row = rows[0]
        return _row_article(row)

    def get_many(self, article_ids: Iterable[str]) -> list[Article]:
        ids = list(article_ids)
        out: dict[str, Article] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.store.execute(f"SELECT * FROM articles WHERE id IN ({marks})", tuple(chunk)):
                out[row["id"]] = _row_article(row)
        return [out[i] for i in ids if i in out]

    def summaries(
        self, article_ids: Iterable[str]
    ) -> tuple[builtins.list[Article], dict[str, builtins.list[tuple[str, str, str]]]]:
        """Articles without their reading records, plus their linked mentions as (entity, name, type).

        What a story page shows of its articles: rebuilding every mention,
        quote, claim and date as a record was a third of a first view's CPU.
        Articles come back in the order asked; unknown ids are skipped.
        """
        ids = builtins.list(article_ids)
        found: dict[str, Article] = {}
        linked: dict[str, builtins.list[tuple[str, str, str]]] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self.store.execute(f"SELECT id, duplicate_of, data FROM articles WHERE id IN ({marks})", chunk)
            for article_id, duplicate_of, raw in rows:
                data = orjson.loads(raw)
                if "text" not in data:  # see _record_json
                    data["text"] = "\n\n".join(data.get("paragraphs", []))
                mentions = data.get("mentions") or []
                for key in _READING_FIELDS:
                    data.pop(key, None)
                article = Article.from_dict(data)
                article.duplicate_of = duplicate_of
                found[article_id] = article
                linked[article_id] = [(m["entity"], m["name"], m["type"]) for m in mentions if m.get("entity")]
        ordered = [found[i] for i in ids if i in found]
        return ordered, {a.id: linked[a.id] for a in ordered}

    def id_for_hash(self, content_hash: str) -> str | None:
        row = self.store.execute("SELECT id FROM articles WHERE content_hash = ?", (content_hash,)).fetchone()
        return row[0] if row else None

    def _where(self, filters: ArticleFilter | None) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if filters:
            if filters.outlet:
                clauses.append("a.outlet = ?")
                params.append(filters.outlet)
            if filters.language:
                clauses.append("a.language = ?")
                params.append(filters.language)
            if filters.since:
                clauses.append("a.published >= ?")
                params.append(filters.since)
            if filters.until:
                # Dates may carry a time: compare against the end of the day.
                clauses.append("a.published <= ?")
                params.append(filters.until + "\uffff")
            if filters.entity:
                clauses.append("a.id IN (SELECT article_id FROM entity_articles WHERE entity_id = ?)")
                params.append(filters.entity)
            if filters.query:
                clauses.append(self.FTS_FILTER)
                params.append(self.fts_param(filters.query))
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return where, params

    def list(self, filters: ArticleFilter | None = None, *, limit: int = 50, offset: int = 0) -> list[Article]:
        where, params = self._where(filters)
        rows = self.store.execute(
            f"SELECT a.* FROM articles a{where} ORDER BY a.published DESC, a.ingested_at DESC, a.id LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_row_article(r) for r in rows]

    def count(self, filters: ArticleFilter | None = None) -> int:
        where, params = self._where(filters)
        return int(self.store.execute(f"SELECT count(*) FROM articles a{where}", tuple(params)).fetchone()[0])

    def search(self, query: str, *, limit: int = 20) -> builtins.list[SearchHit]:
        q = fts_query(query)
        if not q:
            return []
        rows = self.store.execute(
            """SELECT a.*, snippet(articles_fts, 2, '[', ']', ' … ', 12) AS snip
               FROM articles_fts JOIN articles a ON a.id = articles_fts.id
               WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?""",
            (q, limit),
        )
        return [SearchHit(_row_article(r), r["snip"]) for r in rows]

    def iter_all(self, *, batch: int = 500) -> Iterator[Article]:
        last = ""
        while True:
            rows = self.store.execute(
                "SELECT * FROM articles WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
            ).fetchall()
            if not rows:
                return
            for row in rows:
                yield _row_article(row)
            last = rows[-1]["id"]

    def ids(self) -> builtins.list[str]:
        """Every stored article's id, in id order."""
        return [r[0] for r in self.store.execute("SELECT id FROM articles ORDER BY id")]

    def stored_ids(self) -> builtins.list[str]:
        """Every stored article's id, in the order stored (what linking goes by, after the date)."""
        return [r[0] for r in self.store.execute("SELECT id FROM articles ORDER BY rowid")]

    def unlinked_ids(self) -> builtins.list[str]:
        # Arrival order: publication date, then the order the articles were stored in (rowid). Not the id:
        # `ingested_at` has whole seconds, so ties within a second were broken by the opaque id, and the
        # linking order (and so the events) depended on how many articles one second stored.
        rows = self.store.execute("SELECT id FROM articles WHERE linked = 0 ORDER BY published, ingested_at, rowid")
        return [r[0] for r in rows]

    def mark_linked(self, article_ids: Iterable[str], linked: bool = True) -> None:
        with self.store.transaction():
            self.store.conn.executemany(
                "UPDATE articles SET linked = ? WHERE id = ?", [(int(linked), i) for i in article_ids]
            )

    def mark_all_unlinked(self) -> None:
        with self.store.transaction():
            self.store.execute("UPDATE articles SET linked = 0")

    def outlets(self) -> builtins.list[str]:
        return self._distinct("outlet")

    def languages(self) -> builtins.list[str]:
        return self._distinct("language")

    def _distinct(self, column: str) -> builtins.list[str]:
        """The distinct values of an indexed column, one index seek each: SQLite's DISTINCT reads every
        entry of the index (1 ms on 10,000 articles, on every list page's filter form)."""
        rows = self.store.execute(
            f"""WITH RECURSIVE v(x) AS (
                    SELECT min({column}) FROM articles
                    UNION ALL SELECT (SELECT min({column}) FROM articles WHERE {column} > v.x) FROM v WHERE v.x IS NOT NULL)
                SELECT x FROM v WHERE x IS NOT NULL"""
        )
        return [r[0] for r in rows]

    def summary_page(
        self, filters: ArticleFilter | None = None, *, limit: int = 50, offset: int = 0
    ) -> tuple[builtins.list[ArticleSummary], int]:
        where, params = self._where(filters)
        rows = self.store.execute(
            f"""SELECT {SUMMARY_COLUMNS} FROM articles a{where}
                ORDER BY a.published DESC, a.ingested_at DESC, a.id LIMIT ? OFFSET ?""",
            (*params, limit, offset),
        ).fetchall()
        total = len(rows) + offset if len(rows) < limit and (rows or not offset) else self.count(filters)
        return [_summary(r) for r in rows], total

    def search_page(
        self, query: str, *, limit: int = 50, offset: int = 0, rank_within: int | None = None
    ) -> tuple[builtins.list[tuple[ArticleSummary, str]], int]:
        """Ranked matches with a snippet each ([match] marked), and how many match in all.

        With `rank_within`, a word found in more articles than that is ranked among
        the most recently added `rank_within` of them only: bm25 costs about 1 ms
        per thousand matches, and a first page of "Trump" needs no score for the rest.
        """
        q = fts_query(query)
        if not q:
            return [], 0
        total = int(
            self.store.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (q,)).fetchone()[0]
        )
        floor = 0
        if rank_within is not None and total > rank_within:
            row = self.store.execute(
                "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
                (q, rank_within - 1),
            ).fetchone()
            floor = int(row[0]) if row else 0
        # Rank first, then snippets for the page's rows only: in one query SQLite
        # would build a snippet (reading the whole text) for every match before sorting.
        ranked = self.store.execute(
            # bm25 with titles weighing ten times the body: spelled out, it is also twice as
            # fast as FTS5's `rank` column here (measured on the 10,000-article bench store).
            "SELECT rowid, id FROM articles_fts WHERE articles_fts MATCH ? AND rowid >= ? "
            "ORDER BY bm25(articles_fts, 0, 10, 1) LIMIT ? OFFSET ?",
            (q, floor, limit, offset),
        ).fetchall()
        if not ranked:
            return [], total
        marks = ",".join("?" * len(ranked))
        snippets = dict(
            self.store.execute(
                f"""SELECT rowid, snippet(articles_fts, 2, '[', ']', ' … ', 12) FROM articles_fts
                    WHERE articles_fts MATCH ? AND rowid IN ({marks})""",
                (q, *(r[0] for r in ranked)),
            ).fetchall()
        )
        summaries = {
            r[0]: _summary(r)
            for r in self.store.execute(
                f"SELECT {SUMMARY_COLUMNS} FROM articles a WHERE a.id IN ({marks})", tuple(r[1] for r in ranked)
            )
        }
        return [(summaries[i], snippets.get(rowid, "")) for rowid, i in ranked if i in summaries], total

    def quotes_by(self, entity_id: str, *, limit: int = 50, offset: int = 0) -> tuple[builtins.list[ActorQuote], int]:
        """Quotes whose speaker is linked to `entity_id`, newest article first."""
        rows = self.store.execute(
            f"""SELECT {SUMMARY_COLUMNS}, q.data FROM article_quotes q JOIN articles a ON a.id = q.article_id
                WHERE q.speaker_entity = ? ORDER BY q.published DESC, q.article_id, q.seq LIMIT ? OFFSET ?""",
            (entity_id, limit, offset),
        ).fetchall()
        total = int(
            self.store.execute("SELECT count(*) FROM article_quotes WHERE speaker_entity = ?", (entity_id,)).fetchone()[
                0
            ]
        )
        return [ActorQuote(_summary(r), record_from_dict(Quote, orjson.loads(r[7]))) for r in rows], total

    def sources(self, article_id: str) -> builtins.list[str]:
        rows = self.store.execute("SELECT source FROM article_sources WHERE article_id = ?", (article_id,))
        return [r[0] for r in rows]


class SQLiteNearDuplicates:
    """MinHash LSH bands in a table: candidates are articles sharing any band."""

    def __init__(self, store: SQLiteStore) -> None:
        self.store = store

    def candidates(self, bands: list[str], keys: Sequence[tuple[int, str]] = ()) -> list[str]:
        """Articles sharing a band hash (band i = bands[i]) or one of `keys` (a band number of its own, < 0)."""
        pairs = [*enumerate(bands), *keys]
        if not pairs:
            return []
        clauses = " OR ".join("(band = ? AND hash = ?)" for _ in pairs)
        params: list[Any] = []
        for i, h in pairs:
            params += [i, h]
        rows = self.store.execute(f"SELECT DISTINCT article_id FROM minhash_bands WHERE {clauses}", tuple(params))
        return [r[0] for r in rows]

    def signature(self, article_id: str) -> bytes | None:
        row = self.store.execute(
            "SELECT signature FROM minhash_signatures WHERE article_id = ?", (article_id,)
        ).fetchone()
        return bytes(row[0]) if row else None

    def add(self, article_id: str, bands: list[str], signature: bytes, keys: Sequence[tuple[int, str]] = ()) -> None:
        with self.store.transaction():
            # An article is indexed once: its bands follow from its text, which never changes.
            if self.signature(article_id) is not None:
                return
            self.store.conn.executemany(
                "INSERT OR IGNORE INTO minhash_bands (band, hash, article_id) VALUES (?, ?, ?)",
                [(i, h, article_id) for i, h in [*enumerate(bands), *keys]],
            )
            self.store.execute(
                "INSERT INTO minhash_signatures (article_id, signature) VALUES (?, ?)",
                (article_id, signature),
            )
