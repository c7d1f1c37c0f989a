"""Near-duplicates: the same wire story under two URLs, lightly edited.

Exact copies share a content hash and are stored once (the store sees to
that). Near-copies are found with MinHash over word shingles (datasketch) and
LSH banding; the bands live in the store, so lookups need no in-memory index
and survive restarts. A near-copy is stored and marked `duplicate_of`, never
dropped: it is still evidence of who published what.
"""

from __future__ import annotations

import re

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from storydesk.records import Article
from storydesk.settings import IngestSettings
from storydesk.store.base import Store

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int) -> set[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def minhash(text: str, settings: IngestSettings) -> MinHash:
    m = MinHash(num_perm=settings.minhash_perm, seed=1)
    m.update_batch(list(shingles(text, settings.shingle_size)))
    return m


def _bands(m: MinHash, settings: IngestSettings) -> list[str]:
    # datasketch's own choice of bands/rows for this threshold (equal weight on false +/-).
    b, r = _optimal_param(settings.near_dup_threshold, settings.minhash_perm, 0.5, 0.5)
    hv = m.hashvalues
    return [hv[i * r : (i + 1) * r].tobytes().hex()[:32] for i in range(b)]


def mark_near_duplicate(article: Article, store: Store, settings: IngestSettings) -> Article:
    """Set `duplicate_of` to the earliest stored article this one near-duplicates."""
    m = minhash(article.text, settings)
    best: tuple[float, str] | None = None
    for candidate in store.near_duplicates.candidates(_bands(m, settings)):
        sig = store.near_duplicates.signature(candidate)
        if sig is None:
            continue
        other = MinHash(num_perm=settings.minhash_perm, seed=1, hashvalues=np.frombuffer(sig, dtype=np.uint64))
        score = m.jaccard(other)
        if score >= settings.near_dup_threshold and (best is None or score > best[0]):
            best = (score, candidate)
    if best is not None:
        # Point at the original, not at another copy, so copies form one group.
        original = store.articles.get(best[1])
        article.duplicate_of = original.duplicate_of or original.id
    return article


def index_article(article: Article, store: Store, settings: IngestSettings) -> None:
    m = minhash(article.text, settings)
    store.near_duplicates.add(article.id, _bands(m, settings), m.hashvalues.astype(np.uint64).tobytes())
