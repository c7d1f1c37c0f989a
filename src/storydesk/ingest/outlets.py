"""Where an article's outlet comes from, and how an unknown one is shown.

In order: the user's `--outlet` (or the web form's outlet field) for the run;
the input's own metadata (a page's site name, a feed's title, a JSONL
`outlet` field, a text file's `Source:` line); the host of the article's URL.
Otherwise the outlet is unknown and stays None in the store: never the file's
name, which says nothing about who published it, and never a made-up label
that filters and counts would take for one more outlet. Pages show None as
UNKNOWN_OUTLET.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from storydesk.records import UNKNOWN_OUTLET  # one label everywhere; never counted as a voice

__all__ = ["UNKNOWN_OUTLET", "outlet_from_url", "outlet_label"]


def outlet_from_url(url: str | None) -> str | None:
    """The host name without "www.", the outlet of last resort."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    return host.removeprefix("www.") or None


def outlet_label(outlet: str | None) -> str:
    """An outlet as pages and exports show it."""
    return outlet or UNKNOWN_OUTLET
