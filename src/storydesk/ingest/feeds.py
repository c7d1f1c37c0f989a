"""PLACEHOLDER: issue 2's ingest helper writes this module."""

from __future__ import annotations

from storydesk.errors import InputError


def _unsupported(label: str) -> InputError:
    return InputError(label, "feeds input is not supported yet")


def read_feed_file(path, *, settings):  # type: ignore[no-untyped-def]
    raise _unsupported(str(path))
