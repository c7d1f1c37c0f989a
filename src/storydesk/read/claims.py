"""PLACEHOLDER (issue 3 replaces this)."""

from __future__ import annotations

from storydesk.records import Claim


def find_claims(doc) -> list[Claim]:  # type: ignore[no-untyped-def]
    return []
