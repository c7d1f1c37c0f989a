"""Link: entities across articles and articles into stories.

PLACEHOLDER until issue 4's link stage lands: marks articles linked and makes no stories.
"""

from __future__ import annotations

from storydesk.settings import LinkSettings
from storydesk.store.base import Store


def link_new(store: Store, settings: LinkSettings) -> list[str]:
    """Link the articles not yet linked; return the ids of stories that changed."""
    ids = store.articles.unlinked_ids()
    store.articles.mark_linked(ids)
    return []


def relink(store: Store, settings: LinkSettings) -> list[str]:
    """Rebuild every entity and story from the stored articles."""
    store.articles.mark_all_unlinked()
    return link_new(store, settings)
