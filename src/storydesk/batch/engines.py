"""Where a batch job's independent work runs: in this process (`local`) or on Spark.

Both engines do the same two things with the same functions (batch/read.py,
compare.compare_story); only where they run differs, so their results are the same.

- `read(tasks, ...)`: one read task per input file or JSONL split; each result
  goes to `on_result` as it arrives, so the driver persists it at once (a
  killed job keeps every finished file) and holds only the tasks in flight.
  On Spark every task is its own job, submitted from a pool of driver threads
  as wide as the cluster: a file that fails fails its job only.
- `compare(payloads, ...)`: the compare step for stories, in chunks.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from functools import partial
from typing import Any, cast

from storydesk.batch.read import read_partition, read_task
from storydesk.batch.tasks import Task
from storydesk.records import Article, Entity, Story
from storydesk.settings import Settings
from storydesk.store.base import Store

OnResult = Callable[[int, list[dict[str, Any]] | None, str | None], None]  # (task index, rows, failure)
Payload = tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]  # story, its articles, their entities


VectorRow = tuple[str, int, int, bytes]  # compare's statement vector: (article id, start, end, float32 bytes)
Compared = tuple[dict[str, Any], list[VectorRow]]  # a story record, filled, and the statement vectors it embedded


class _VectorCache:
    """Stands in for a store's statement-vector cache where no store is (an engine's worker):
    nothing is cached yet, and what compare embeds is kept to be stored by the driver, as
    `storydesk ingest` stores it."""

    def __init__(self) -> None:
        self.stories = self
        self.rows: list[VectorRow] = []

    def statement_vectors(self, article_ids: list[str], engine: str) -> dict[tuple[str, int, int], bytes]:
        return {}

    def save_statement_vectors(self, rows: list[VectorRow], engine: str) -> None:
        self.rows.extend(rows)  # made with the worker's statement engine, the driver's (the same settings)


def compare_payloads(payloads: list[Payload], settings: Settings) -> list[Compared]:
    """Compare each story over its articles and entities: the story records, filled, with the
    statement vectors embedded for each."""
    from storydesk.compare import compare_story

    out: list[Compared] = []
    for story, articles, entities in payloads:
        cache = _VectorCache()
        compared = compare_story(
            Story.from_dict(story),
            [Article.from_dict(a) for a in articles],
            entities=[Entity.from_dict(e) for e in entities],
            settings=settings.compare,
            store=cast(Store, cache),
        )
        out.append((compared.to_dict(), cache.rows))
    return out


class LocalEngine:
    """This machine: read tasks in this process, or in `processes` worker processes (one per core,
    as `storydesk ingest` reads), each loading the models once."""

    name = "local"

    def __init__(self, processes: int = 1) -> None:
        self.parallelism = max(1, processes)

    def list_uri(self, uri: str) -> list[str] | None:
        return None

    def read(self, tasks: list[tuple[int, Task]], settings: Settings, on_result: OnResult) -> None:
        if self.parallelism == 1 or len(tasks) < 2:
            for index, task in tasks:
                on_result(index, read_task(task, settings), None)
            return
        from storydesk.read.pool import start_worker

        # spawn, as ingest's reading pool (read/pool.py): clean workers that end themselves when
        # this process is killed; results come back as tasks finish and are kept at once.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            self.parallelism, mp_context=context, initializer=start_worker, initargs=(settings.read, os.getpid())
        ) as pool:
            futures = {pool.submit(read_task, task, settings): index for index, task in tasks}
            for future in as_completed(futures):
                try:
                    rows, failure = future.result(), None
                except Exception as exc:  # a worker died (killed, out of memory): that task fails, as on Spark
                    rows, failure = None, f"task failed: {type(exc).__name__}: {exc}"[:300]
                on_result(futures[future], rows, failure)

    def compare(self, payloads: list[Payload], settings: Settings) -> list[Compared]:
        return compare_payloads(payloads, settings)

    def close(self) -> None:
        pass


class SparkUnavailable(RuntimeError):
    pass


def spark_session(master: str, settings: Settings) -> Any:
    """A Spark session for `master` (the active one if there is one: spark-submit, tests)."""
    # The driver's environment reaches local Python workers through the JVM it starts.
    for key, value in settings.batch.spark_conf.items():
        if key.startswith("spark.executorEnv."):
            os.environ.setdefault(key.removeprefix("spark.executorEnv."), value)
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable("--engine spark needs PySpark: pip install 'storydesk[spark]'") from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    builder = SparkSession.builder.appName("storydesk batch")
    # Under spark-submit the gateway is already there, with spark-submit's master and settings.
    submitted = "PYSPARK_GATEWAY_PORT" in os.environ
    if not submitted:
        builder = builder.master(master)
    for key, value in settings.batch.spark_conf.items():
        if not submitted:  # spark-submit's --conf is the user's word (docs/scale.md lists these)
            builder = builder.config(key, value)
    if master.startswith("local") and not submitted:
        # Python workers on this machine use this interpreter (its venv has storydesk and the
        # models); PySpark takes it from the environment when not started by spark-submit.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = builder.config("spark.ui.enabled", "false")
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: no Java, wrong version
        raise SparkUnavailable(
            f"Spark did not start ({str(exc).strip().splitlines()[-1] if str(exc).strip() else type(exc).__name__}); "
            "it needs a Java 17+ runtime (Debian: apt-get install default-jre-headless)"
        ) from None
    session.sparkContext.setLogLevel("ERROR")
    return session


class SparkEngine:
    name = "spark"

    def __init__(self, master: str, settings: Settings, *, session: Any = None) -> None:
        self.session = session or spark_session(master, settings)
        self.sc = self.session.sparkContext
        self.parallelism = max(1, int(self.sc.defaultParallelism))

    def list_uri(self, uri: str) -> list[str] | None:
        """The files a URI names (a file, a folder, or a glob), through Hadoop's file system, sorted."""
        jvm = self.sc._jvm
        path = jvm.org.apache.hadoop.fs.Path(uri)
        fs = path.getFileSystem(self.sc._jsc.hadoopConfiguration())
        statuses = fs.globStatus(path) or []
        files: list[str] = []
        for status in statuses:
            if status.isDirectory():
                listing = fs.listFiles(status.getPath(), True)
                while listing.hasNext():
                    files.append(listing.next().getPath().toString())
            else:
                files.append(status.getPath().toString())
        return sorted(f for f in files if not f.rsplit("/", 1)[-1].startswith((".", "_")))

    def _read_one(self, task: Task, settings: Settings) -> list[dict[str, Any]]:
        self.sc.setJobDescription(f"storydesk read {task.label}")
        if task.uri:
            rdd = self.sc.binaryFiles(task.path, 1).map(lambda kv, t=task: (t, kv[1]))
        else:
            rdd = self.sc.parallelize([task], 1)
        (rows,) = rdd.mapPartitions(partial(read_partition, settings=settings)).collect()
        return rows

    def read(self, tasks: list[tuple[int, Task]], settings: Settings, on_result: OnResult) -> None:
        lock = threading.Lock()  # the driver persists one result at a time
        with ThreadPoolExecutor(max_workers=self.parallelism) as pool:
            futures = {pool.submit(self._read_one, task, settings): index for index, task in tasks}
            for future in as_completed(futures):
                index = futures[future]
                try:
                    rows, failure = future.result(), None
                except Exception as exc:  # the task's job failed: a worker died, the file broke a parser
                    rows, failure = None, _spark_failure(exc)
                with lock:
                    on_result(index, rows, failure)

    def compare(self, payloads: list[Payload], settings: Settings) -> list[Compared]:
        if not payloads:
            return []
        self.sc.setJobDescription(f"storydesk compare {len(payloads)} stories")
        slices = min(len(payloads), self.parallelism * 4)
        # Largest stories first, so one big story does not end up last on a busy core.
        order = sorted(range(len(payloads)), key=lambda i: -len(payloads[i][1]))
        indexed = self.sc.parallelize([(i, payloads[i]) for i in order], slices)
        done = indexed.mapPartitions(partial(_compare_indexed, settings=settings)).collect()
        return [story for _, story in sorted(done, key=lambda pair: pair[0])]

    def close(self) -> None:
        pass  # the session belongs to whoever made it: spark-submit, the CLI's exit, a test run


def _compare_indexed(items: Any, settings: Settings) -> Any:
    items = list(items)
    stories = compare_payloads([payload for _, payload in items], settings)
    return list(zip([i for i, _ in items], stories, strict=True))


def _spark_failure(exc: BaseException) -> str:
    """The useful line of a failed Spark job: the Python error, not the Java stack."""
    text = str(exc)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in reversed(lines):
        if ("Error" in line or "Exception" in line) and not line.startswith(("at ", "py4j", "org.apache")):
            return f"task failed: {line[:300]}"
    return f"task failed: {(lines[0] if lines else type(exc).__name__)[:300]}"
