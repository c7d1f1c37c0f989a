"""What a batch job's executors do per task: everything about an article that does not
depend on any other article, with the same stage functions as `storydesk ingest`.

    1. ingest    the task's file (or JSONL split) -> Articles and errors
    2. language  Article.language
    4. read      mentions, quotes, claims, dates (spaCy, loaded once per worker, nlp.pipe per chunk)
    +  sketch    the MinHash signature near-duplicate lookup needs (ingest/dedup.py)
    +  features  the linker's per-article features, the embedding above all (link/stories.py)

Memory is bounded per chunk of `ReadSettings.articles_per_call` articles: a
chunk is read, then kept only as its JSON rows. The driver does the rest in
arrival order (batch/__init__.py): exact and near duplicates, storing, linking.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pyarrow as pa

from storydesk.batch.tasks import Task, task_items
from storydesk.errors import InputError
from storydesk.ingest import dedup
from storydesk.ingest.language import with_language
from storydesk.link.stories import article_features
from storydesk.read import read_articles
from storydesk.records import Article
from storydesk.settings import Settings

# One row per item of a task: `i` its position, then either `error` (with the input it names)
# or the read article as JSON with its sketch and the linker's features.
PART = pa.schema(
    [
        ("i", pa.int64()),
        ("input", pa.string()),
        ("error", pa.string()),
        ("article", pa.string()),
        ("sketch", pa.binary()),
        ("vector", pa.binary()),
        ("features", pa.string()),
    ]
)
COLUMNS = tuple(PART.names)


def read_task(task: Task, settings: Settings, data: bytes | None = None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    chunk: list[tuple[int, Article]] = []
    for i, item in enumerate(task_items(task, settings.ingest, data)):
        if isinstance(item, InputError):
            rows.append(_row(i, input=item.input, error=item.reason))
            continue
        chunk.append((i, with_language(item)))  # 2. language
        if len(chunk) >= settings.read.articles_per_call:
            rows += _read_chunk(chunk, settings)
            chunk = []
    rows += _read_chunk(chunk, settings)
    rows.sort(key=lambda r: r["i"])
    return rows


def _read_chunk(chunk: list[tuple[int, Article]], settings: Settings) -> list[dict[str, Any]]:
    if not chunk:
        return []
    read_articles([a for _, a in chunk], settings.read)  # 4. read
    rows = []
    for i, article in chunk:
        vector, features = article_features(article, settings.link)
        rows.append(
            _row(
                i,
                input=article.source,
                article=json.dumps(article.to_dict(), ensure_ascii=False),
                sketch=dedup.sketch(article.text, settings.ingest),
                vector=vector,
                features=features,
            )
        )
    return rows


def _row(i: int, **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row["i"] = i
    row.update(values)
    return row


def read_partition(tasks: Iterable[Any], settings: Settings) -> Iterable[list[dict[str, Any]]]:
    """Spark's mapPartitions function: each element is a Task, or (Task, bytes) for a URI."""
    for element in tasks:
        task, data = element if isinstance(element, tuple) else (element, None)
        yield read_task(task, settings, data)
