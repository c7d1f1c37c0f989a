"""PLACEHOLDER: issue 2's ingest helper writes this module."""

from __future__ import annotations

from storydesk.errors import InputError


def _unsupported(label: str) -> InputError:
    return InputError(label, "warc input is not supported yet")


def read_warc(path, *, settings):  # type: ignore[no-untyped-def]
    raise _unsupported(str(path))
