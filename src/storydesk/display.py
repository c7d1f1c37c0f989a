"""How values are shown to a person, the same in the CLI, the web pages and the exports."""

from __future__ import annotations

from datetime import datetime


def when(value: str | None) -> str:
    """A publication time as the source gave it, with its UTC offset; a date stays a date.

    "2025-03-12T16:05:00+02:00" -> "2025-03-12 16:05 UTC+02:00". A time without
    an offset says so rather than passing for local or UTC time.
    """
    if not value or len(value) <= 10:
        return value or ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    shown = f"{moment:%Y-%m-%d %H:%M}"
    offset = moment.utcoffset()
    if offset is None:
        return f"{shown} (time zone not given)"
    if not offset:
        return f"{shown} UTC"
    sign = "-" if offset.total_seconds() < 0 else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{shown} UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"
