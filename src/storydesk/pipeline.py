"""The order of storydesk's stages, written once.

    1. ingest   inputs -> Article (or an error naming the input)
    2. language fill article.language
    3. dedup    skip exact copies; mark near-duplicates (syndication) with duplicate_of
    4. read     mentions, quotes, claims, dates (batched through spaCy)
    5. store    one transaction per article
    6. link     entities across articles, articles into stories (incremental)
    7. compare  findings, brief and timeline for every story that changed

Each stage is a function of records and settings; this module only sequences
them and counts what happened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import chain, islice

from storydesk import compare, encoder, link
from storydesk.errors import InputError
from storydesk.ingest import dedup, iter_inputs
from storydesk.ingest.language import with_language
from storydesk.link.stories import linked_before_original
from storydesk.read import read_articles
from storydesk.read.pool import Features, ReadPool, VectorRows, cpu_count, map_chunks
from storydesk.records import Article
from storydesk.settings import ReadSettings, Settings
from storydesk.store.base import Store


@dataclass(slots=True)
class IngestSummary:
    new: list[str] = field(default_factory=list)
    duplicate: list[str] = field(default_factory=list)
    near_duplicate: list[str] = field(default_factory=list)
    failed: list[InputError] = field(default_factory=list)
    stories: list[str] = field(default_factory=list)

    @property
    def line(self) -> str:
        return (
            f"{len(self.new)} new, {len(self.duplicate)} duplicate, "
            f"{len(self.near_duplicate)} near-duplicate, {len(self.failed)} failed"
        )


Event = Callable[[str, Article | InputError], None]


def _articles_per_call(settings: Settings) -> int:
    read = settings.read
    return read.articles_per_call_multiprocess if read.n_process > 1 else read.articles_per_call


def _batches(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def reading_processes(settings: ReadSettings, inputs: int) -> int:
    """Worker processes for reading `inputs` items: `settings.processes`, or with 0 one per core
    once the input is large enough to repay starting them."""
    if settings.processes:
        return settings.processes
    return cpu_count() if inputs >= settings.pool_min_articles else 1


@dataclass(slots=True)
class _Batch:
    fresh: dict[str, Article] = field(default_factory=dict)  # by content hash: a copy inside the batch is read once
    copies: list[Article] = field(default_factory=list)
    embed_copies: set[str] = field(default_factory=set)  # near-duplicates linked before their originals


class _Ingest:
    """One ingest run's bookkeeping: the steps around reading, shared by the in-process and pool paths."""

    def __init__(self, store: Store, settings: Settings, summary: IngestSummary, on_item: Event | None) -> None:
        self.store, self.settings, self.summary, self.on_item = store, settings, summary, on_item
        self.in_flight: set[str] = set()  # content hashes sent to reading and not stored yet

    def prepare(self, items: list[Article | InputError], *, near_duplicates: bool = False) -> _Batch:
        """Sort a batch into fresh articles and exact copies; with `near_duplicates`, also mark the
        near-copies of stored articles before reading, so that a reading worker does not embed them
        unless linking will need their vector (`save` marks again, against what is stored by then)."""
        batch = _Batch()
        for item in items:
            if isinstance(item, InputError):
                self.summary.failed.append(item)
                if self.on_item:
                    self.on_item("failed", item)
                continue
            article = with_language(item)  # 2. language
            # 3. dedup (exact): a known hash only adds the new source, after its original is stored
            key = article.content_hash
            if key in batch.fresh or key in self.in_flight or self.store.articles.id_for_hash(key) is not None:
                batch.copies.append(article)
                continue
            if near_duplicates:
                dedup.mark_near_duplicate(article, self.store, self.settings.ingest)
                if article.duplicate_of and self._linked_alone(article, article.duplicate_of):
                    batch.embed_copies.add(article.id)
            batch.fresh[key] = article
        self.in_flight.update(batch.fresh)
        return batch

    def _linked_alone(self, copy: Article, original_id: str) -> bool:
        """Whether linking will find no event of the near-duplicate's original to join, and so
        compare it with its own vector: its original is not linked yet and comes after it. Its
        reading worker then embeds it (issue 13: linking's process embedded such copies itself)."""
        if self.store.stories.story_of(original_id) is not None:
            return False
        return linked_before_original(copy, self.store.articles.get(original_id))

    def save(
        self, batch: _Batch, features: list[Features | None] | None = None, vectors: list[VectorRows] | None = None
    ) -> None:
        store, summary, on_item = self.store, self.summary, self.on_item
        n = len(batch.fresh)
        for article, feats, rows in zip(batch.fresh.values(), features or [None] * n, vectors or [[]] * n, strict=True):
            kind = store_article(article, store, self.settings, features=feats, vectors=rows)  # 5. store
            (summary.near_duplicate if article.duplicate_of else summary.new).append(article.id)
            if on_item:
                on_item(kind, article)
        self.in_flight.difference_update(batch.fresh)
        for copy in batch.copies:
            store.articles.add(copy)  # records the extra source; the id becomes the stored one
            summary.duplicate.append(copy.id)
            if on_item:
                on_item("duplicate", copy)


def ingest(
    inputs: list[str],
    store: Store,
    settings: Settings,
    *,
    on_item: Event | None = None,
    link_and_compare: bool = True,
) -> IngestSummary:
    """Run every stage over `inputs`; bad inputs are counted and reported, never fatal."""
    summary = IngestSummary()
    run = _Ingest(store, settings, summary, on_item)
    items = iter_inputs(inputs, settings.ingest)  # 1. ingest
    head = list(islice(items, settings.read.pool_min_articles))  # enough to decide on workers
    items = chain(head, items)
    processes = reading_processes(settings.read, len(head))
    if processes > 1:
        # 4. read in worker processes, in order, with the linking features; store here
        link_settings, compare_settings = (settings.link, settings.compare) if link_and_compare else (None, None)
        with ReadPool[_Batch](settings.read, link_settings, processes, compare_settings) as pool:
            finished = chain.from_iterable(
                pool.submit(list(batch.fresh.values()), batch, embed_copies=frozenset(batch.embed_copies))
                for batch in (
                    run.prepare(chunk, near_duplicates=link_and_compare)
                    for chunk in _batches(items, settings.read.pool_chunk)
                )
            )
            for done, read, features, vectors in chain(finished, pool.drain()):
                # the workers' copies carry what was read
                run.save(_Batch(dict(zip(done.fresh, read, strict=True)), done.copies), features, vectors)
    else:
        for items_batch in _batches(items, _articles_per_call(settings)):
            batch = run.prepare(items_batch)
            read_articles(list(batch.fresh.values()), settings.read)  # 4. read
            run.save(batch)
    if link_and_compare:
        summary.stories = update_links(store, settings, warm=processes > 1)
    return summary


def store_article(
    article: Article,
    store: Store,
    settings: Settings,
    *,
    packed: bytes | None = None,
    features: Features | None = None,
    vectors: VectorRows | None = None,
) -> str:
    """Steps 3 (near-duplicates) and 5 for one read article, in one transaction: it and its
    index entries, or nothing. `packed`: its MinHash sketch when made ahead (a batch job);
    `features`: its linking features when computed ahead (a reading worker, a batch job), which
    linking then finds stored; `vectors`: its statements' vectors when a reading worker embedded
    them for compare. Returns "new" or "near_duplicate"."""
    # The sketch and the version keys are made once: both the lookup and the index use them.
    if packed is None:
        packed = dedup.sketch(article.text, settings.ingest)
    keys = dedup.version_keys(article)
    with store.transaction():
        dedup.mark_near_duplicate(article, store, settings.ingest, packed=packed, keys=keys)
        store.articles.add(article)
        dedup.index_article(article, store, settings.ingest, packed=packed, keys=keys)
        if features is not None:
            store.stories.save_article_features(article.id, *features)  # type: ignore[attr-defined]
        if vectors:
            store.stories.save_statement_vectors([(article.id, *row) for row in vectors], encoder.statement_engine())
    return "near_duplicate" if article.duplicate_of else "new"


def update_links(store: Store, settings: Settings, *, warm: bool = False) -> list[str]:
    """Link every article not yet linked (also after a killed run), then compare changed stories.

    `warm` (an ingest that read in worker processes): compare's embedding workers are started
    before linking, so they load the encoder while linking runs on one core, and compare embeds
    on every core from its start (issue 13, round 13: the idle core of the serial tail)."""
    processes = _processes(settings)
    with ExitStack() as stack:
        pool = None
        if warm and processes > 1 and settings.compare.statement_embeddings:
            pool = stack.enter_context(compare.EmbedPool(processes))
        story_ids = link.link_new(store, settings.link)  # 6. link
        compare.compare_stories(store, story_ids, settings.compare, processes, pool=pool)  # 7. compare
    return story_ids


def _processes(settings: Settings) -> int:
    """Processes compare may embed statements in: as reading's (`--processes 1` keeps all in one)."""
    return settings.read.processes or cpu_count()


def reread(store: Store, settings: Settings) -> int:
    """Re-run reading on every stored article (after an upgrade), then relink."""
    count = 0
    processes = reading_processes(settings.read, store.articles.count())
    batches = _batches(store.articles.iter_all(), _articles_per_call(settings))
    if processes > 1:
        batches = map_chunks(_batches(store.articles.iter_all(), settings.read.pool_chunk), settings.read, processes)
    for batch in batches:
        if processes <= 1:
            read_articles(batch, settings.read)
        for article in batch:
            store.articles.update(article)
        count += len(batch)
    relink(store, settings)
    return count


def relink(store: Store, settings: Settings) -> list[str]:
    """Rebuild entities and stories from the stored articles."""
    story_ids = link.relink(store, settings.link)
    compare.compare_stories(store, story_ids, settings.compare, _processes(settings), full=True)
    return story_ids
