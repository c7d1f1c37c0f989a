"""`storydesk batch`: the pipeline for corpora that outgrow one process, with ingest's results.

The job's recipe, with where each step runs:

    1. plan     inputs -> read tasks (a file, or a split of a big JSONL)      driver
    2. read     per task: ingest, language, read, MinHash sketch, the         engine (Spark executors)
                linker's per-article features (batch/read.py)
    3. store    in arrival order: exact copies, near-duplicates, the          driver, into the job's store
                article (pipeline.store_article, as ingest)
    4. link     entities and stories (link.link_new, as ingest)               driver
    5. compare  per story (compare.compare_story, as ingest)                  engine
    6. write    Parquet tables (batch/output.py)                              driver

Steps 2 and 5 are the costly ones (parsing, the embedding, comparing) and
depend on no other article or story, so they run on the engine. Steps 3 and 4
decide in arrival order (which copy came first, which story an article
joins, which entity a surname is) and run once, on the driver, with the very
functions `storydesk ingest` uses, over precomputed sketches and features:
that is what makes a batch job's articles, stories and findings equal to an
ingest's (tests/test_batch.py). docs/scale.md says where this stops scaling.

Everything lives under `--out DIR`; its `_work/` folder keeps each finished
task's rows and the job's store, so a killed job run again with the same
`--out` redoes only what was not finished and stores nothing twice.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from storydesk import encoder, link, pipeline
from storydesk.batch import output
from storydesk.batch.engines import LocalEngine, SparkEngine
from storydesk.batch.read import PART
from storydesk.batch.tasks import Task, is_hadoop_uri, plan
from storydesk.read.pool import cpu_count
from storydesk.records import Article, Story
from storydesk.settings import Settings
from storydesk.store import SQLiteStore

WORK = "_work"


@dataclass(slots=True)
class BatchSummary:
    tasks: int = 0
    new: int = 0
    duplicate: int = 0
    near_duplicate: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (input, reason)
    stories: int = 0
    entities: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def line(self) -> str:
        return (
            f"{self.new} new, {self.duplicate} duplicate, {self.near_duplicate} near-duplicate, "
            f"{len(self.failed)} failed; {self.stories} stories, {self.entities} entities"
        )


Progress = Callable[[str], None]


class Work:
    """The `_work/` folder: the task list, each finished task's rows, which are stored, the job's store."""

    def __init__(self, out: Path) -> None:
        self.root = out / WORK
        self.parts = self.root / "read"
        self.parts.mkdir(parents=True, exist_ok=True)

    def part(self, index: int) -> Path:
        return self.parts / f"part-{index:05d}.parquet"

    def done(self, index: int) -> bool:
        return self.part(index).exists()

    def fix_tasks(self, tasks: list[Task]) -> None:
        """Keep the task list of the first run; a re-run over other inputs must use another --out."""
        path = self.root / "tasks.json"
        listed = [t.to_dict() for t in tasks]
        if path.exists():
            if json.loads(path.read_text(encoding="utf-8")) != listed:
                raise ValueError(
                    f"{self.root.parent} holds the work of a job over other inputs (or split into other tasks: "
                    "another --engine or --partitions): run it as before, give a new --out, or remove it"
                )
            return
        _write_atomic(path, json.dumps(listed, indent=1))

    def save_rows(self, index: int, rows: list[dict[str, Any]]) -> None:
        output.write_rows(self.part(index), PART, rows)

    def stored(self) -> set[int]:
        path = self.root / "stored.json"
        return set(json.loads(path.read_text(encoding="utf-8"))) if path.exists() else set()

    def mark_stored(self, done: set[int]) -> None:
        _write_atomic(self.root / "stored.json", json.dumps(sorted(done)))


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def run_batch(
    inputs: list[str],
    out: Path,
    settings: Settings,
    *,
    engine: str = "local",
    master: str = "local[*]",
    spark: Any = None,
    progress: Progress | None = None,
) -> BatchSummary:
    """Run the job over `inputs` into `out` (see the module's recipe); resumes a killed run in `out`."""
    say = progress or (lambda _: None)
    if settings.ingest.source_base is None:
        # Articles are named relative to where the job started, as ingest names them, on
        # workers that run elsewhere too (batch/tasks.py).
        settings = dataclasses.replace(
            settings, ingest=dataclasses.replace(settings.ingest, source_base=Path.cwd().absolute())
        )
    summary = BatchSummary()
    lap = _Laps()
    runner = SparkEngine(master, settings, session=spark) if engine == "spark" else LocalEngine()
    work = Work(out)

    # 1. plan
    uri_files = {v: runner.list_uri(v) for v in inputs if is_hadoop_uri(v)}

    def planned(min_tasks: int) -> list[Task]:
        return plan(
            inputs,
            split_bytes=settings.batch.split_bytes,
            min_tasks=settings.batch.min_tasks or min_tasks,
            uri_files={k: v for k, v in uri_files.items() if v is not None},
        )

    tasks = planned(runner.parallelism)
    if isinstance(runner, LocalEngine):
        runner = LocalEngine(_local_processes(tasks, settings))
        if runner.parallelism > 1:
            tasks = planned(runner.parallelism)  # a big JSONL file is split to keep every worker busy
    work.fix_tasks(tasks)
    summary.tasks = len(tasks)
    summary.seconds["plan"] = lap()

    # 2. read, on the engine; each finished task's rows are kept at once
    todo = [(i, t) for i, t in enumerate(tasks) if not work.done(i)]
    failed_tasks: dict[int, str] = {}
    say(f"reading {len(todo)} of {len(tasks)} tasks on {runner.name}")

    def keep(index: int, rows: list[dict[str, Any]] | None, failure: str | None) -> None:
        if rows is None:
            failed_tasks[index] = failure or "task failed"
            say(f"failed: {tasks[index].label}: {failed_tasks[index]}")
        else:
            work.save_rows(index, rows)

    runner.read(todo, settings, keep)
    summary.seconds["read"] = lap()

    with SQLiteStore(work.root / "store.db") as store:
        # 3. store, in arrival order
        stored = work.stored()
        for index in range(len(tasks)):
            if index in stored or not work.done(index):
                continue
            _store_part(work.part(index), store, settings)
            stored.add(index)
            work.mark_stored(stored)
        summary.seconds["store"] = lap()
        # 4. link (resumes where a killed run stopped: only unlinked articles are taken)
        say("linking")
        link.link_new(store, settings.link)
        summary.seconds["link"] = lap()
        # 5. compare every story on the engine (all of them: a killed run may have left some stale)
        say("comparing")
        _compare_all(store, settings, runner)
        summary.seconds["compare"] = lap()
        # 6. write
        say("writing Parquet")
        counts = output.export(store, out)
        summary.seconds["write"] = lap()
        summary.stories, summary.entities = counts["stories"], counts["entities"]
        summary.near_duplicate = sum(1 for a in store.articles.iter_all() if a.duplicate_of)
        summary.new = counts["articles"] - summary.near_duplicate
    runner.close()

    read_articles = 0
    for index in range(len(tasks)):
        if index in failed_tasks:
            summary.failed.append((tasks[index].label, failed_tasks[index]))
        elif work.done(index):
            for row in output.read_rows(work.part(index), ["input", "error"]):
                if row["error"] is not None:
                    summary.failed.append((row["input"], row["error"]))
                else:
                    read_articles += 1
    summary.duplicate = read_articles - summary.new - summary.near_duplicate
    _write_atomic(
        out / "errors.jsonl",
        "".join(json.dumps({"input": i, "reason": r}, ensure_ascii=False) + "\n" for i, r in summary.failed),
    )
    report = {
        "engine": runner.name,
        "inputs": inputs,
        "tasks": summary.tasks,
        "articles": counts["articles"],
        "new": summary.new,
        "duplicate": summary.duplicate,
        "near_duplicate": summary.near_duplicate,
        "failed": len(summary.failed),
        "tables": counts,
        "seconds": summary.seconds,
    }
    _write_atomic(out / "batch.json", json.dumps(report, indent=1))
    return summary


def _local_processes(tasks: list[Task], settings: Settings) -> int:
    """Reading processes on this machine: `settings.read.processes`, or with 0 one per core once
    the input is big enough to repay loading the models in each (as ingest decides, by bytes here)."""
    if settings.read.processes:
        return settings.read.processes
    size = 0
    for task in tasks:
        if task.end is not None:
            size += task.end - task.start
        elif not task.uri and not task.error:
            with contextlib.suppress(OSError):
                size += Path(task.path).stat().st_size
    return cpu_count() if size >= settings.batch.local_pool_min_bytes else 1


class _Laps:
    """Seconds since the previous lap."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def __call__(self) -> float:
        now = time.perf_counter()
        seconds, self.last = now - self.last, now
        return round(seconds, 3)


def _store_part(path: Path, store: SQLiteStore, settings: Settings) -> None:
    """Step 3 for one task's rows, in their order, as `pipeline.ingest` stores read articles."""
    with store.transaction():  # the whole part or none of it: a re-run stores it again
        for row in output.read_rows(path):
            if row["error"] is not None:
                continue
            article = Article.from_dict(json.loads(row["article"]))
            if store.articles.id_for_hash(article.content_hash) is not None:
                store.articles.add(article)  # an exact copy: records its source, as ingest does
                continue
            # With the linker's features computed on the engine, as ingest's reading workers do.
            pipeline.store_article(
                article, store, settings, packed=row["sketch"], features=(row["vector"], row["features"])
            )


def _compare_all(store: SQLiteStore, settings: Settings, runner: LocalEngine | SparkEngine) -> None:
    ids = [s.id for s in store.stories.list()]
    step = settings.batch.stories_per_job
    for start in range(0, len(ids), step):
        payloads = []
        for story_id in ids[start : start + step]:
            # The same reads as compare.compare_stories.
            story = store.stories.get(story_id)
            articles = store.articles.get_many(story.articles)
            entities = store.entities.list(article_ids=story.articles, articles=False)
            payloads.append((story.to_dict(), [a.to_dict() for a in articles], [e.to_dict() for e in entities]))
        compared = runner.compare(payloads, settings)
        with store.transaction():
            for record, vectors in compared:
                store.stories.save(Story.from_dict(record))
                store.stories.save_statement_vectors(
                    vectors, encoder.statement_engine()
                )  # compare's cache, as ingest leaves it


__all__ = ["BatchSummary", "run_batch"]
