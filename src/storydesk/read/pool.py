"""Reading in worker processes: one per core, each with its own pipeline, fed in order.

spaCy's own `nlp.pipe(n_process=...)` sends every parsed `Doc` back to the
parent (pickled with its arrays) and then reads it there, in one process;
here each worker runs the whole reading recipe (`read_articles`) and sends
back the much smaller `Article` records, so the rules run in parallel too.
A worker may also compute the article's linking features (the encoder's
vector of title and lead, the cost that used to be serial in the main
process); the main process stores them with the article, and linking finds
them in the store. With compare settings, it also embeds the article's statements
(compare/embed.py `reading_vectors`), so comparing after the ingest finds them stored.

The store, linking and comparing stay in the main process (one writer).
At most `processes * 2` chunks are in flight, and each worker is replaced
after `pool_chunks_per_worker` chunks, so memory stays bounded whatever the
size of the input stream.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Generic, TypeVar

from storydesk.records import Article
from storydesk.settings import CompareSettings, LinkSettings, ReadSettings

T = TypeVar("T")
Features = tuple[bytes | None, str]  # (vector, JSON of terms and numbers), as store.stories keeps them
VectorRows = list[tuple[int, int, bytes]]  # one article's statement vectors (compare/embed.py)
Read = tuple[T, list[Article], list[Features | None], list[VectorRows]]

_read: ReadSettings | None = None
_link: LinkSettings | None = None
_compare: CompareSettings | None = None


def _start(read: ReadSettings, link: LinkSettings | None, compare: CompareSettings | None, parent: int) -> None:
    global _read, _link, _compare
    _read, _link, _compare = read, link, compare
    # A killed ingest (SIGKILL, SIGTERM) cannot shut its pool down: a worker then ends
    # itself within a second instead of finishing its queue for nobody.
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    from storydesk.read.nlp import load_nlp

    load_nlp(read.model)  # once per worker, before the first chunk arrives


def start_worker(read: ReadSettings, parent: int) -> None:
    """A worker process's set-up for another pool of reading work (a batch job's local engine)."""
    _start(read, None, None, parent)


def _exit_with(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def _work(
    articles: list[Article], embed_copies: frozenset[str]
) -> tuple[list[Article], list[Features | None], list[VectorRows]]:
    from storydesk.read import read_articles

    assert _read is not None
    read_articles(articles, _read)
    rows: list[VectorRows] = [[] for _ in articles]
    if _compare is not None:
        from storydesk.compare.embed import reading_vectors

        rows = reading_vectors(articles, _compare)
    if _link is None:
        return articles, [None] * len(articles), rows
    from storydesk.link.stories import articles_features

    return articles, list(articles_features(articles, _link, embed_copies=embed_copies)), rows


def cpu_count() -> int:
    """Cores this process may use (the affinity mask, not the machine's total)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class ReadPool(Generic[T]):
    """Read chunks of articles in worker processes; results come back in submission order.

    `tag` rides along with each chunk (the caller's bookkeeping for it) and
    comes back with its result.
    """

    def __init__(
        self, read: ReadSettings, link: LinkSettings | None, processes: int, compare: CompareSettings | None = None
    ) -> None:
        # spawn: workers start from a clean interpreter, not a fork of a process that
        # may hold an open store, encoder threads or a web server's event loop; and
        # they are this process's children, so their CPU time is counted with it.
        context = multiprocessing.get_context("spawn")
        self.processes = processes
        # Recycling (max_tasks_per_child) bounds a worker's growth: the pool starts a fresh
        # process, with the same initializer, after that many chunks.
        recycle = read.pool_chunks_per_worker or None
        self._executor = ProcessPoolExecutor(
            processes,
            mp_context=context,
            initializer=_start,
            initargs=(read, link, compare, os.getpid()),
            max_tasks_per_child=recycle,
        )
        self._pending: deque[tuple[T, Future]] = deque()

    def submit(
        self, articles: list[Article], tag: T, *, embed_copies: frozenset[str] = frozenset()
    ) -> Iterator[Read[T]]:
        """Queue a chunk; yield the finished chunks that must be taken to keep the queue bounded.
        `embed_copies`: near-duplicates among `articles` whose linking vector is computed all the same."""
        self._pending.append((tag, self._executor.submit(_work, articles, embed_copies)))
        while len(self._pending) > 2 * self.processes:
            yield self._take()

    def drain(self) -> Iterator[Read[T]]:
        while self._pending:
            yield self._take()

    def _take(self) -> Read[T]:
        tag, future = self._pending.popleft()
        articles, features, rows = future.result()
        return tag, articles, features, rows

    def close(self) -> None:
        for _, future in self._pending:
            future.cancel()
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ReadPool[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def map_chunks(chunks: Iterable[list[Article]], read: ReadSettings, processes: int) -> Iterator[list[Article]]:
    """Read `chunks` in `processes` workers, yielding each read chunk in order (no features)."""
    with ReadPool[None](read, None, processes) as pool:
        for chunk in chunks:
            for _, articles, _, _ in pool.submit(chunk, None):
                yield articles
        for _, articles, _, _ in pool.drain():
            yield articles
