"""PLACEHOLDER (issue 3 replaces this)."""

from __future__ import annotations

from storydesk.records import Mention


def resolve_places(mentions: list[Mention]) -> None:
    return None
