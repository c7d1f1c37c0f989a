"""A batch job's output: Parquet tables written from the job's store, read back by `storydesk load`.

    articles.parquet   one row per stored article: metadata, text, its story, its sources, and
                       mentions, quotes, claims and dates as typed nested columns (for Spark SQL,
                       DuckDB, pandas); `record` is the exact record `load` stores
    entities.parquet   actors and places with aliases, roles, articles and lookup keys
    stories.parquet    stories with members, outlets, storyline, counts and the full report (`record`)
    storylines.parquet storylines: their events in timeline order, days and the full record
    findings.parquet   one row per corroborated, single-source or conflicting statement
    state/*.parquet    what lets a store that loaded the output go on linking new articles
                       exactly as if it had ingested these: per-article, per-story and
                       per-storyline features with arrival numbers, document frequencies, MinHash
                       signatures, compare's statement vectors; each vector table names the
                       encoder engine that made its vectors in its Parquet metadata
                       (`ENGINE_KEY`; round 16), so `load` stores them as that engine's
    errors.jsonl       one line per input that failed: {"input", "reason"}
    batch.json         the job's counts, engine and timings

Each file is written to a temporary name and renamed, so a killed job leaves
whole tables or none.
"""

from __future__ import annotations

import dataclasses
import json
import os
import types
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import pyarrow as pa
import pyarrow.parquet as pq

from storydesk import encoder
from storydesk.records import Article, Claim, DateRef, Entity, Mention, Quote, Side, Story, Storyline
from storydesk.store.base import Store

ROWS_PER_GROUP = 5_000  # Parquet row groups: a reader streams one group at a time
# The Parquet metadata key naming the encoder engine (storydesk/encoder.py) that made a table's vectors.
ENGINE_KEY = b"storydesk.engine"


def arrow_type(tp: Any) -> pa.DataType:
    """The Arrow type of a record field's annotation (records hold str/int/float/bool, lists, records)."""
    origin = get_origin(tp)
    if origin is Literal or tp is str:
        return pa.string()
    if tp is bool:
        return pa.bool_()
    if tp is int:
        return pa.int64()
    if tp is float:
        return pa.float64()
    if origin in (Union, types.UnionType):
        (inner,) = [a for a in get_args(tp) if a is not type(None)]
        return arrow_type(inner)
    if origin is list:
        return pa.list_(arrow_type(get_args(tp)[0]))
    if dataclasses.is_dataclass(tp):
        hints = get_type_hints(tp)
        return pa.struct([(f.name, arrow_type(hints[f.name])) for f in dataclasses.fields(tp)])
    raise TypeError(f"no Arrow type for {tp!r}")


def _fields(record: type, names: Iterable[str]) -> list[pa.Field]:
    hints = get_type_hints(record)
    return [pa.field(n, arrow_type(hints[n])) for n in names]


_ARTICLE_META = [f.name for f in dataclasses.fields(Article) if f.name not in ("mentions", "quotes", "claims", "dates")]
ARTICLES = pa.schema(
    [
        *_fields(Article, _ARTICLE_META),
        pa.field("mentions", pa.list_(arrow_type(Mention))),
        pa.field("quotes", pa.list_(arrow_type(Quote))),
        pa.field("claims", pa.list_(arrow_type(Claim))),
        pa.field("dates", pa.list_(arrow_type(DateRef))),
        pa.field("story", pa.string()),
        pa.field("sources", pa.list_(pa.string())),
        pa.field("record", pa.string()),
    ]
)
ENTITIES = pa.schema(
    [
        *_fields(Entity, [f.name for f in dataclasses.fields(Entity)]),
        pa.field("keys", pa.list_(pa.string())),
        pa.field("record", pa.string()),
    ]
)
STORIES = pa.schema(
    [
        *_fields(Story, ["id", "title", "storyline", "first_published", "last_published"]),
        *_fields(Story, ["articles", "outlets", "languages"]),
        pa.field("corroborated", pa.int64()),
        pa.field("single_source", pa.int64()),
        pa.field("conflicts", pa.int64()),
        pa.field("record", pa.string()),
    ]
)
FINDINGS = pa.schema(
    [
        pa.field("story", pa.string()),
        pa.field("status", pa.string()),  # corroborated, single_source, conflict
        pa.field("kind", pa.string()),  # quote, claim, role, event; for conflicts: quote_attribution, number, ...
        pa.field("summary", pa.string()),
        pa.field("outlets", pa.list_(pa.string())),
        pa.field("articles", pa.list_(pa.string())),
        pa.field("sides", pa.list_(arrow_type(Side))),
        pa.field("entity", pa.string()),
        pa.field("confidence", pa.float64()),
        pa.field("reason", pa.string()),
    ]
)
STORYLINES = pa.schema(
    [
        *_fields(Storyline, ["id", "title", "events", "first_day", "last_day", "outlets", "languages"]),
        pa.field("record", pa.string()),
    ]
)
ARTICLE_FEATURES = pa.schema([("article", pa.string()), ("vector", pa.binary()), ("data", pa.string())])


def _group_features(key: str) -> pa.Schema:
    """The linker's state of a story or storyline (store.stories.features, .last_seqs)."""
    return pa.schema(
        [
            (key, pa.string()),
            ("first_day", pa.string()),
            ("last_day", pa.string()),
            ("vector", pa.binary()),
            ("data", pa.string()),
            ("last_seq", pa.int64()),
        ]
    )


STATEMENT_VECTORS = pa.schema(
    [("article", pa.string()), ("start", pa.int64()), ("end", pa.int64()), ("vector", pa.binary())]
)
TERM_DF = pa.schema([("term", pa.string()), ("df", pa.int64())])
MINHASH = pa.schema([("article", pa.string()), ("signature", pa.binary())])


class TableWriter:
    """Rows to one Parquet file in row groups, renamed into place when complete."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path = path
        self.tmp = path.with_name(path.name + ".tmp")
        self.tmp.parent.mkdir(parents=True, exist_ok=True)
        self.schema = schema
        self.writer = pq.ParquetWriter(self.tmp, schema, compression="zstd")
        self.rows: list[dict[str, Any]] = []
        self.count = 0

    def add(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        if len(self.rows) >= ROWS_PER_GROUP:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            self.writer.write_table(pa.Table.from_pylist(self.rows, schema=self.schema))
            self.count += len(self.rows)
            self.rows = []

    def close(self) -> int:
        self._flush()
        self.writer.close()
        os.replace(self.tmp, self.path)
        return self.count


def made_by(schema: pa.Schema, engine: str) -> pa.Schema:
    """`schema` naming the engine that made its table's vectors."""
    return schema.with_metadata({ENGINE_KEY: engine.encode()})


def vectors_engine(path: Path) -> str | None:
    """The engine that made the vectors of a table `export` wrote; None in an output from before round 16."""
    engine = (pq.read_schema(path).metadata or {}).get(ENGINE_KEY)
    return None if engine is None else engine.decode()


def write_rows(path: Path, schema: pa.Schema, rows: Iterable[dict[str, Any]]) -> int:
    writer = TableWriter(path, schema)
    for row in rows:
        writer.add(row)
    return writer.close()


def read_rows(path: Path, columns: list[str] | None = None) -> Iterator[dict[str, Any]]:
    """A table's rows, one row group in memory at a time."""
    reader = pq.ParquetFile(path)
    for group in range(reader.num_row_groups):
        yield from reader.read_row_group(group, columns=columns).to_pylist()


def _chunks(items: list[str], size: int = 500) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def export(store: Store, out: Path) -> dict[str, int]:
    """Write every table of the output from `store`; the number of rows of each."""
    counts: dict[str, int] = {}
    article_ids: list[str] = []
    lead_engine, statement_engine = encoder.engine(), encoder.statement_engine()

    def articles() -> Iterator[dict[str, Any]]:
        # In the order stored, so a store that loads the output stores them in ingest's order.
        stored = store.articles.stored_ids()
        for article in (a for chunk in _chunks(stored) for a in store.articles.get_many(chunk)):
            article_ids.append(article.id)
            record = article.to_dict()
            row = {name: record[name] for name in _ARTICLE_META}
            for name in ("mentions", "quotes", "claims", "dates"):
                row[name] = record[name]
            row["story"] = store.stories.story_of(article.id)
            row["sources"] = sorted(store.articles.sources(article.id))
            row["record"] = json.dumps(record, ensure_ascii=False)
            yield row

    counts["articles"] = write_rows(out / "articles.parquet", ARTICLES, articles())

    def entities() -> Iterator[dict[str, Any]]:
        every = store.entities.list()  # in one query: pages by offset over tied names could skip one
        keys = store.entities.keys_of([e.id for e in every])
        for entity in every:
            record = entity.to_dict()
            yield {**record, "keys": sorted(keys.get(entity.id, [])), "record": json.dumps(record, ensure_ascii=False)}

    counts["entities"] = write_rows(out / "entities.parquet", ENTITIES, entities())
    stories = store.stories.list()
    counts["stories"] = write_rows(out / "stories.parquet", STORIES, (_story_row(s) for s in stories))
    counts["findings"] = write_rows(out / "findings.parquet", FINDINGS, (f for s in stories for f in _finding_rows(s)))

    state = out / "state"
    counts["article_features"] = write_rows(
        state / "article_features.parquet",
        made_by(ARTICLE_FEATURES, lead_engine),
        (
            {"article": a, "vector": v, "data": d}
            for chunk in _chunks(article_ids)
            for a, (v, d) in sorted(store.stories.article_features(chunk).items())
        ),
    )
    lines = store.storylines.list()
    counts["storylines"] = write_rows(
        out / "storylines.parquet",
        STORYLINES,
        ({**(r := line.to_dict()), "record": json.dumps(r, ensure_ascii=False)} for line in lines),
    )
    for key, repo, ids in (
        ("story", store.stories, [s.id for s in stories]),
        ("storyline", store.storylines, [line.id for line in lines]),
    ):
        seqs = repo.last_seqs()
        counts[f"{key}_features"] = write_rows(
            state / f"{key}_features.parquet",
            made_by(_group_features(key), lead_engine),
            (
                {key: g, "first_day": first, "last_day": last, "vector": v, "data": d, "last_seq": seqs.get(g, 0)}
                for chunk in _chunks(ids)
                for g, (first, last, v, d) in sorted(repo.features(chunk).items())
            ),
        )
    counts["statement_vectors"] = write_rows(
        state / "statement_vectors.parquet",
        made_by(STATEMENT_VECTORS, statement_engine),
        (
            {"article": a, "start": start, "end": end, "vector": v}
            for chunk in _chunks(article_ids)
            for (a, start, end), v in sorted(store.stories.statement_vectors(chunk, statement_engine).items())
        ),
    )
    counts["term_df"] = write_rows(
        state / "term_df.parquet", TERM_DF, ({"term": t, "df": n} for t, n in store.stories.all_term_df().items())
    )
    counts["minhash"] = write_rows(
        state / "minhash.parquet",
        MINHASH,
        (
            {"article": a, "signature": sig}
            for a in article_ids
            if (sig := store.near_duplicates.signature(a)) is not None
        ),
    )
    return counts


def _story_row(story: Story) -> dict[str, Any]:
    record = story.to_dict()
    return {
        **{k: record[k] for k in ("id", "title", "storyline", "first_published", "last_published")},
        **{k: record[k] for k in ("articles", "outlets", "languages")},
        "corroborated": len(story.corroborated),
        "single_source": len(story.single_source),
        "conflicts": len(story.conflicts),
        "record": json.dumps(record, ensure_ascii=False),
    }


def _finding_rows(story: Story) -> Iterator[dict[str, Any]]:
    for status, findings in (("corroborated", story.corroborated), ("single_source", story.single_source)):
        for f in findings:
            yield {
                "story": story.id,
                "status": status,
                "kind": f.kind,
                "summary": f.summary,
                "outlets": f.outlets,
                "articles": f.articles,
                "sides": [dataclasses.asdict(s) for s in f.sides],
                "entity": None,
                "confidence": f.confidence,
                "reason": f.reason,
            }
    for c in story.conflicts:
        yield {
            "story": story.id,
            "status": "conflict",
            "kind": c.kind,
            "summary": c.summary,
            "outlets": sorted({s.outlet for s in c.sides if s.outlet}),
            "articles": list(dict.fromkeys(s.article for s in c.sides)),
            "sides": [dataclasses.asdict(s) for s in c.sides],
            "entity": c.entity,
            "confidence": c.confidence,
            "reason": c.reason,
        }
