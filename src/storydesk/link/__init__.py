"""Link: entities across articles and articles into stories, incrementally.

    1. entities     each article's mentions resolved to entities (link/entities.py)
    2. stories      the article joins the best recent story or starts one (link/stories.py)
    3. storylines   new stories continuing earlier ones share a storyline (link/storylines.py)

Articles are taken in publication order, in batches, each batch in one
transaction: a killed run leaves whole batches linked and the rest marked
unlinked, and the next run picks them up.
"""

from __future__ import annotations

from storydesk.link.entities import EntityLinker
from storydesk.link.stories import StoryGrouper, _shift
from storydesk.link.storylines import link_storylines
from storydesk.settings import LinkSettings
from storydesk.store.base import Store

BATCH = 200  # articles per transaction: large enough to amortise commits, small enough to resume


def link_new(store: Store, settings: LinkSettings) -> list[str]:
    """Link the articles not yet linked; return the ids of stories that changed."""
    ids = store.articles.unlinked_ids()
    if not ids:
        return []
    linker = EntityLinker(store, settings)
    grouper = StoryGrouper(store, settings)
    changed: set[str] = set()
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        with store.transaction():
            for article in store.articles.get_many(batch):
                resolved = linker.link(article)  # 1. entities
                store.articles.update(article)
                actors = {eid for eid, cls in resolved.items() if cls == "actor"}
                grouper.assign(article, sorted(resolved), actors)  # 2. stories
            linker.flush()
            link_storylines(grouper, sorted(grouper.created), settings)  # 3. storylines
            grouper.created.clear()
            changed.update(grouper.flush())
            store.articles.mark_linked(batch)
        if grouper.cache:
            newest = max(state.last_day for state in grouper.cache.values())
            grouper.evict(_shift(newest, -2 * max(settings.story_window_days, settings.storyline_window_days)))
    return sorted(changed)


def relink(store: Store, settings: LinkSettings) -> list[str]:
    """Rebuild every entity and story from the stored articles (after a change of settings)."""
    with store.transaction():
        store.stories.delete_all()
        store.entities.delete_all()  # type: ignore[attr-defined]
        store.articles.mark_all_unlinked()  # type: ignore[attr-defined]
    return link_new(store, settings)
