"""PLACEHOLDER: issue 2's ingest helper writes this module."""

from __future__ import annotations

from storydesk.errors import InputError


def _unsupported(label: str) -> InputError:
    return InputError(label, "fetch input is not supported yet")


def ingest_url(url, *, settings):  # type: ignore[no-untyped-def]
    raise _unsupported(url)
