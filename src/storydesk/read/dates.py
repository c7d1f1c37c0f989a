"""PLACEHOLDER (issue 3 replaces this)."""

from __future__ import annotations

from storydesk.records import DateRef


def find_dates(doc, published: str | None) -> list[DateRef]:  # type: ignore[no-untyped-def]
    return []
