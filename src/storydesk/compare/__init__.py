"""Compare: findings, brief and timeline per story.

PLACEHOLDER until issue 5's compare stage lands.
"""

from __future__ import annotations

from storydesk.settings import CompareSettings
from storydesk.store.base import Store


def compare_stories(store: Store, story_ids: list[str], settings: CompareSettings) -> None:
    """Recompute the report of every story in `story_ids` and save it."""
    return None
