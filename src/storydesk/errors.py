"""Errors a user can act on: each names the input it is about."""

from __future__ import annotations


class StorydeskError(Exception):
    """Base class for errors storydesk reports to the user."""


class InputError(StorydeskError):
    """One input (file, URL, feed entry, JSONL line) could not be ingested."""

    def __init__(self, input: str, reason: str) -> None:
        super().__init__(f"{input}: {reason}")
        self.input = input
        self.reason = reason


class FetchError(InputError):
    """A URL could not be fetched (refused, unreachable, too big, wrong type)."""


class PrivateAddressError(FetchError):
    """A URL whose host resolves to a loopback, private or otherwise non-public address.

    `refusal` is the reason without the hint: the hint names a CLI flag, which
    means nothing to a web user (the web app never fetches such addresses).
    """

    HINT = "use --allow-private to allow"

    def __init__(self, input: str, refusal: str) -> None:
        super().__init__(input, f"{refusal} ({self.HINT})")
        self.refusal = refusal


class NotFound(StorydeskError):
    """A requested article, entity or story is not in the store."""


class StoreUnavailable(StorydeskError):
    """The database cannot be reached, or the connection to it was lost.

    What was committed before stays; running the same command again finishes the job.
    """
