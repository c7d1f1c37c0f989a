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
from dataclasses import dataclass, field
from itertools import islice

from storydesk import compare, link
from storydesk.errors import InputError
from storydesk.ingest import dedup, iter_inputs
from storydesk.ingest.language import with_language
from storydesk.read import read_articles
from storydesk.records import Article
from storydesk.settings import Settings
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
    items = iter_inputs(inputs, settings.ingest)  # 1. ingest
    for batch in _batches(items, _articles_per_call(settings)):
        fresh: dict[str, Article] = {}  # by content hash: a copy inside the batch is read once
        copies: list[Article] = []
        for item in batch:
            if isinstance(item, InputError):
                summary.failed.append(item)
                if on_item:
                    on_item("failed", item)
                continue
            article = with_language(item)  # 2. language
            # 3. dedup (exact): a known hash only adds the new source, after the batch is stored
            if article.content_hash in fresh or store.articles.id_for_hash(article.content_hash) is not None:
                copies.append(article)
                continue
            fresh[article.content_hash] = article
        read_articles(list(fresh.values()), settings.read)  # 4. read
        for article in fresh.values():
            kind = store_article(article, store, settings)  # 5. store
            (summary.near_duplicate if article.duplicate_of else summary.new).append(article.id)
            if on_item:
                on_item(kind, article)
        for copy in copies:
            store.articles.add(copy)  # records the extra source; the id becomes the stored one
            summary.duplicate.append(copy.id)
            if on_item:
                on_item("duplicate", copy)
    if link_and_compare:
        summary.stories = update_links(store, settings)
    return summary


def store_article(article: Article, store: Store, settings: Settings, *, packed: bytes | None = None) -> str:
    """Steps 3 (near-duplicates) and 5 for one read article, in one transaction: it and its
    index entries, or nothing. `packed`: its MinHash sketch when made ahead (a batch job).
    Returns "new" or "near_duplicate"."""
    with store.transaction():
        dedup.mark_near_duplicate(article, store, settings.ingest, packed=packed)
        store.articles.add(article)
        dedup.index_article(article, store, settings.ingest, packed=packed)
    return "near_duplicate" if article.duplicate_of else "new"


def update_links(store: Store, settings: Settings) -> list[str]:
    """Link every article not yet linked (also after a killed run), then compare changed stories."""
    story_ids = link.link_new(store, settings.link)  # 6. link
    compare.compare_stories(store, story_ids, settings.compare)  # 7. compare
    return story_ids


def reread(store: Store, settings: Settings) -> int:
    """Re-run reading on every stored article (after an upgrade), then relink."""
    count = 0
    for batch in _batches(store.articles.iter_all(), _articles_per_call(settings)):
        read_articles(batch, settings.read)
        for article in batch:
            store.articles.update(article)
        count += len(batch)
    relink(store, settings)
    return count


def relink(store: Store, settings: Settings) -> list[str]:
    """Rebuild entities and stories from the stored articles."""
    story_ids = link.relink(store, settings.link)
    compare.compare_stories(store, story_ids, settings.compare)
    return story_ids
