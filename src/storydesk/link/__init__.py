"""Link: entities across articles, articles into events, events into storylines, incrementally.

    1. entities     each article's mentions resolved to entities (link/entities.py); the
                    storyline score reads the names the mentions use (`name_keys_of`), not
                    these entities, so a type or merge made for display cannot move it
    2. events       the article joins the best candidate event or starts one, in the best
                    candidate storyline or a new one (link/stories.py)
    3. refine       the batch's articles reconsidered once its events have grown
    4. repair       events of one storyline that turned out to be one happening are merged

Articles are taken in publication order (undated ones in arrival order), in
batches, each batch in one transaction: a killed run leaves whole batches
linked and the rest marked unlinked, and the next run picks them up. The
embeddings are computed once (by the reading workers at ingest) and kept in the store.
"""

from __future__ import annotations

from storydesk.link.entities import EntityLinker, name_keys_of
from storydesk.link.stories import StoryGrouper
from storydesk.settings import LinkSettings
from storydesk.store.base import Store

BATCH = 200  # articles per transaction: large enough to amortise commits, small enough to resume


def link_new(store: Store, settings: LinkSettings) -> list[str]:
    """Link the articles not yet linked; return the ids of events (stories) that changed."""
    ids = store.articles.unlinked_ids()
    if not ids:
        return []
    linker = EntityLinker(store, settings)
    grouper = StoryGrouper(store, settings)
    changed: set[str] = set()
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        with store.transaction():
            articles = store.articles.get_many(batch)
            features = grouper.features_many([a for a in articles if not a.duplicate_of])
            for article in articles:
                resolved = linker.link(article)  # 1. entities
                store.articles.update(article)
                actors = {eid for eid, cls in resolved.items() if cls == "actor"}
                keys = name_keys_of(article, linker.aliases)  # what the storyline score's entity signal reads
                grouper.assign(article, keys, actors, features.get(article.id))  # 2. events
            linker.flush()
            grouper.refine()  # 3. the batch reconsidered, once its events have grown
            grouper.refine_storylines()
            grouper.merge_events()  # 4. events found to be one happening
            changed.update(grouper.flush())
            store.articles.mark_linked(batch)
        grouper.evict()
    return sorted(changed - grouper.deleted)


def relink(store: Store, settings: LinkSettings) -> list[str]:
    """Rebuild every entity, event and storyline from the stored articles (after a change of settings)."""
    with store.transaction():
        store.stories.delete_all()
        store.storylines.delete_all()
        store.entities.delete_all()
        store.articles.mark_all_unlinked()
    return link_new(store, settings)
