"""`storydesk load`: a batch job's output into a store (SQLite or PostgreSQL).

Two cases:

- The store is empty, or holds only articles of this output (an earlier load
  that was killed): everything is copied as the job computed it, articles,
  entities, stories, findings and the linker's state. The store is then the
  one `storydesk ingest` would have built from the same inputs, and goes on
  linking new articles the same way.
- The store already holds other articles: the output's articles join them as
  an ingest would add them (exact copies record a source, near-duplicates are
  looked up against the store, with the job's sketches), then are linked and
  compared in the store (with the job's features, so nothing is embedded again).

Vectors are stored as the engine's that made them, as the output names it
(output.py `ENGINE_KEY`; round 16): compare's statement vectors of another
engine than this process's are dropped by the store when compare next asks
for them, and embedded again; an output that names none (written before
round 16) has its statement vectors left out. Linking's lead vectors carry
their engine in each article's features (link/stories.py `embed_key`).

Every write is an upsert or skips what is there, in transactions of
`CHUNK` articles, so a load run again after a kill (or twice) finishes
without duplicates.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from storydesk import encoder, pipeline
from storydesk.batch.output import read_rows, vectors_engine
from storydesk.ingest import dedup
from storydesk.records import Article, Entity, Story, Storyline
from storydesk.settings import Settings
from storydesk.store.base import Store, StorylineRepo, StoryRepo

log = logging.getLogger(__name__)

CHUNK = 500


@dataclass(slots=True)
class LoadSummary:
    mode: str  # "copy" or "merge"
    articles: int = 0  # added by this run
    present: int = 0  # already in the store (an earlier run, or a copy of a stored article)
    entities: int = 0
    stories: int = 0

    @property
    def line(self) -> str:
        return (
            f"{self.mode}: {self.articles} articles added, {self.present} already there; "
            f"{self.entities} entities, {self.stories} stories"
        )


def _chunks(rows: Iterator[dict[str, Any]], size: int = CHUNK) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def check_output(folder: Path) -> None:
    if not (folder / "batch.json").exists() or not (folder / "articles.parquet").exists():
        raise FileNotFoundError(f"{folder}: not a finished batch output (no batch.json / articles.parquet)")


def load(
    folder: Path, store: Store, settings: Settings, *, progress: Callable[[str], None] | None = None
) -> LoadSummary:
    say = progress or (lambda _: None)
    check_output(folder)
    ids = {row["id"] for row in read_rows(folder / "articles.parquet", ["id"])}
    stored = store.articles.ids()
    mode = "copy" if set(stored) <= ids else "merge"
    summary = LoadSummary(mode)
    say(f"{mode}: {len(ids)} articles in {folder}, {len(stored)} in the store")
    if mode == "copy":
        _copy(folder, store, settings, summary, say)
    else:
        _merge(folder, store, settings, summary, say)
    return summary


def _add_sources(store: Store, article: Article, sources: list[str]) -> None:
    for source in sources:
        if source != article.source:
            copy = Article.from_dict({**article.to_dict(), "source": source})
            store.articles.add(copy)  # a known hash: records the source only


def _copy(folder: Path, store: Store, settings: Settings, summary: LoadSummary, say: Callable[[str], None]) -> None:
    state = folder / "state"
    versions: dict[str, list[tuple[int, str]]] = {}  # the version keys of each fresh article, indexed below
    for chunk in _chunks(read_rows(folder / "articles.parquet", ["id", "sources", "record"])):
        with store.transaction():
            fresh = []
            for row in chunk:
                article = Article.from_dict(json.loads(row["record"]))
                if store.articles.id_for_hash(article.content_hash) is not None:
                    summary.present += 1
                    continue
                store.articles.add(article)
                _add_sources(store, article, row["sources"])
                fresh.append(article.id)
                versions[article.id] = dedup.version_keys(article)
            # Loaded articles are linked already: an ingest running meanwhile must not relink them.
            store.articles.mark_linked(fresh)
            summary.articles += len(fresh)
        say(f"articles: {summary.articles + summary.present}")
    for chunk in _chunks(read_rows(state / "minhash.parquet")):
        with store.transaction():
            for row in chunk:
                bands = dedup.bands_of(row["signature"], settings.ingest)
                store.near_duplicates.add(row["article"], bands, row["signature"], versions.get(row["article"], ()))
    for chunk in _chunks(read_rows(state / "article_features.parquet")):
        with store.transaction():
            for row in chunk:
                store.stories.save_article_features(row["article"], row["vector"], row["data"])
    for chunk in _chunks(read_rows(folder / "entities.parquet", ["id", "keys", "record"])):
        with store.transaction():
            store.entities.upsert(Entity.from_dict(json.loads(row["record"])) for row in chunk)
            for row in chunk:
                store.entities.add_keys(row["id"], row["keys"])
        summary.entities += len(chunk)
    say(f"entities: {summary.entities}")
    # Storylines before their events: a story's summary row names its storyline.
    for chunk in _chunks(read_rows(folder / "storylines.parquet", ["record"])):
        with store.transaction():
            for row in chunk:
                store.storylines.save(Storyline.from_dict(json.loads(row["record"])))
    lead = vectors_engine(state / "storyline_features.parquet")
    if lead is not None and lead != encoder.engine():
        # No store rule for these yet: the same e5 model's vectors by another engine, close but not equal.
        log.warning(
            "load: %s's story and storyline vectors are %s's, kept; this process embeds leads with %s", folder, lead,
            encoder.engine(),
        )  # fmt: skip
    _load_features(store, state / "storyline_features.parquet", "storyline", store.storylines)
    for chunk in _chunks(read_rows(folder / "stories.parquet", ["id", "record"])):
        with store.transaction():
            for row in chunk:
                store.stories.save(Story.from_dict(json.loads(row["record"])))
        summary.stories += len(chunk)
    _load_features(store, state / "story_features.parquet", "story", store.stories)
    say(f"stories: {summary.stories}")
    _load_statement_vectors(folder, store)
    with store.transaction():
        store.stories.set_term_df({row["term"]: row["df"] for row in read_rows(state / "term_df.parquet")})


def _load_statement_vectors(folder: Path, store: Store) -> None:
    """Compare's statement vectors, stored as the engine's that made them: the store keeps one engine's
    (store/stories.py `_own_vectors`), so this process's compare drops another engine's and embeds them again."""
    path, engine = folder / "state" / "statement_vectors.parquet", encoder.statement_engine()
    made_by = vectors_engine(path)
    if made_by is None:  # an unknown engine's vectors are not trusted
        log.warning(
            "load: %s names no engine for its statement vectors (written before round 16): "
            "they are not loaded; compare embeds them again with %s", folder, engine,
        )  # fmt: skip
        return
    if made_by != engine:
        log.info("load: %s's statement vectors are %s's; compare embeds them again with %s", folder, made_by, engine)
    for chunk in _chunks(read_rows(path)):
        store.stories.save_statement_vectors(
            [(r["article"], r["start"], r["end"], r["vector"]) for r in chunk], made_by
        )


def _load_features(store: Store, path: Path, key: str, repo: StoryRepo | StorylineRepo) -> None:
    """The linker's state of each story or storyline, with its arrival number."""
    for chunk in _chunks(read_rows(path)):
        with store.transaction():
            for f in chunk:
                repo.save_features(
                    f[key], f["first_day"], f["last_day"], f["vector"], f["data"], last_seq=f["last_seq"]
                )


def _merge(folder: Path, store: Store, settings: Settings, summary: LoadSummary, say: Callable[[str], None]) -> None:
    signatures = {row["article"]: row["signature"] for row in read_rows(folder / "state" / "minhash.parquet")}
    features = {
        row["article"]: (row["vector"], row["data"]) for row in read_rows(folder / "state" / "article_features.parquet")
    }
    for chunk in _chunks(read_rows(folder / "articles.parquet", ["id", "sources", "record"])):
        with store.transaction():
            for row in chunk:
                article = Article.from_dict(json.loads(row["record"]))
                if store.articles.id_for_hash(article.content_hash) is not None:
                    store.articles.add(article)
                    summary.present += 1
                    continue
                # Stored as ingest stores it: near-duplicates against this store, reading kept,
                # linked below like any new article.
                article.duplicate_of = None
                for m in article.mentions:
                    m.entity = None
                for q in article.quotes:
                    q.speaker_entity = None
                pipeline.store_article(
                    article, store, settings, packed=signatures.get(row["id"]), features=features.get(row["id"])
                )
                _add_sources(store, article, row["sources"])
                summary.articles += 1
        say(f"articles: {summary.articles + summary.present}")
    say("linking and comparing in the store")
    changed = pipeline.update_links(store, settings)
    summary.stories = len(changed)
    summary.entities = store.entities.count()
