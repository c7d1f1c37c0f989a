"""Near-duplicates: the same wire story under two URLs, lightly edited or cut short.

Exact copies share a content hash and are stored once (the store sees to
that). Near-copies are found with MinHash over word shingles (datasketch) and
LSH banding; the bands live in the store, so lookups need no in-memory index
and survive restarts. A candidate counts as a copy when the shorter text's
shingles are mostly contained in the other's (estimated from the MinHash
Jaccard and the two shingle counts), since syndicated copies are often
trimmed. A near-copy is stored and marked `duplicate_of`, never dropped: it is
still evidence of who published what.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from storydesk.records import Article
from storydesk.settings import IngestSettings
from storydesk.store.base import Store

_WORD = re.compile(r"\w+", re.UNICODE)
# Stored signatures carry no trace of their permutation scheme, so it is named
# once here and used both to make and to reload them (datasketch >= 2 insists).
# Shingles are hashed with CRC32 rather than datasketch's default SHA-1: the
# random affine permutations on top supply the randomness MinHash needs, the
# hash only has to spread distinct shingles over 32 bits, and CRC32 is C-fast
# where SHA-1 was the largest cost of ingesting a JSONL record.
_SCHEME = "affine32"


def shingles(text: str, size: int) -> set[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def minhash(text: str, settings: IngestSettings) -> tuple[MinHash, int]:
    """The MinHash of `text`'s shingles and how many distinct shingles it has."""
    return _sketch(text, settings.shingle_size, settings.minhash_perm)


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> np.ndarray:
    # Drawing the permutations takes longer than hashing a short article; they
    # depend only on the seed, so they are drawn once.
    return MinHash(num_perm=num_perm, seed=1, scheme=_SCHEME, hashfunc=zlib.crc32).permutations


@lru_cache(maxsize=64)
def _sketch(text: str, shingle_size: int, num_perm: int) -> tuple[MinHash, int]:
    # Cached: the pipeline sketches each article twice (to look up, then to index).
    grams = shingles(text, shingle_size)
    m = MinHash(num_perm=num_perm, seed=1, scheme=_SCHEME, hashfunc=zlib.crc32, permutations=_permutations(num_perm))
    m.update_batch(list(grams))
    return m, len(grams)


def containment(jaccard: float, size_a: int, size_b: int) -> float:
    """|A ∩ B| / min(|A|, |B|), from the Jaccard index and the two set sizes."""
    if not size_a or not size_b:
        return 0.0
    shared = jaccard * (size_a + size_b) / (1 + jaccard)
    return min(1.0, shared / min(size_a, size_b))


@lru_cache(maxsize=8)
def _band_shape(threshold: float, num_perm: int) -> tuple[int, int]:
    # datasketch's own choice of bands/rows for this threshold (equal weight on
    # false +/-); it integrates numerically (~50 ms), so it is worked out once.
    return _optimal_param(threshold, num_perm, 0.5, 0.5)


def _bands(m: MinHash, settings: IngestSettings) -> list[str]:
    b, r = _band_shape(settings.near_dup_candidate_jaccard, settings.minhash_perm)
    hv = m.hashvalues
    return [hv[i * r : (i + 1) * r].tobytes().hex()[:32] for i in range(b)]


def _pack(m: MinHash, size: int) -> bytes:
    # The signature and, as one more value, the shingle count containment needs.
    return np.append(m.hashvalues.astype(np.uint64), np.uint64(size)).tobytes()


def _unpack(blob: bytes, settings: IngestSettings) -> tuple[MinHash, int]:
    values = np.frombuffer(blob, dtype=np.uint64)
    m = MinHash(
        num_perm=settings.minhash_perm,
        seed=1,
        hashvalues=values[:-1],
        scheme=_SCHEME,
        permutations=_permutations(settings.minhash_perm),
    )
    return m, int(values[-1])


def mark_near_duplicate(article: Article, store: Store, settings: IngestSettings) -> Article:
    """Set `duplicate_of` to the stored article this one most nearly copies."""
    m, size = minhash(article.text, settings)
    best: tuple[float, str] | None = None
    for candidate in store.near_duplicates.candidates(_bands(m, settings)):
        blob = store.near_duplicates.signature(candidate)
        if blob is None or len(blob) != 8 * (settings.minhash_perm + 1):
            continue  # indexed with other settings: not comparable
        other, other_size = _unpack(blob, settings)
        score = containment(m.jaccard(other), size, other_size)
        if score >= settings.near_dup_threshold and (best is None or score > best[0]):
            best = (score, candidate)
    if best is not None:
        # Point at the original, not at another copy, so copies form one group.
        original = store.articles.get(best[1])
        article.duplicate_of = original.duplicate_of or original.id
    return article


def index_article(article: Article, store: Store, settings: IngestSettings) -> None:
    m, size = minhash(article.text, settings)
    store.near_duplicates.add(article.id, _bands(m, settings), _pack(m, size))
