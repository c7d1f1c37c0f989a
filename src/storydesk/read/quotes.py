"""PLACEHOLDER (issue 3 replaces this)."""

from __future__ import annotations

from storydesk.records import Mention, Quote


def find_quotes(doc, mentions: list[Mention]) -> list[Quote]:  # type: ignore[no-untyped-def]
    return []
