"""Near-duplicates: the same wire story under two URLs, lightly edited or cut short.

Exact copies share a content hash and are stored once (the store sees to
that). Near-copies are found with MinHash over word shingles (datasketch) and
LSH banding; the bands live in the store, so lookups need no in-memory index
and survive restarts. A candidate counts as a copy when the shorter text's
shingles are mostly contained in the other's (estimated from the MinHash
Jaccard and the two shingle counts), since syndicated copies are often
trimmed. A near-copy is stored and marked `duplicate_of`, never dropped: it is
still evidence of who published what.

Versions of one article (an outlet's update with new figures, or a
republisher's copy of an earlier version) share less text than a trimmed
copy: the quake story whose toll went from 144 to 1,700 kept half its
sentences word for word. They are found by version keys stored beside the
bands (the headline, the URL's slug, the first long sentences with their
digits folded) and count as copies at a lower containment: two independent
reports rarely open with the same 12-word sentence or headline, and never then
share a third of their text.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from functools import lru_cache
from urllib.parse import urlsplit

import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param
from datasketch.minhash import _fmix

from storydesk.records import Article
from storydesk.settings import IngestSettings
from storydesk.store.base import Store

_WORD = re.compile(r"\w+", re.UNICODE)
# Stored signatures carry no trace of their permutation scheme, so it is named
# once here. affine32 keeps 32-bit hash values: a signature is num_perm uint32s.
_SCHEME = "affine32"
# Odd multipliers (from the golden ratio and MurmurHash) for the polynomial
# hashes below; arithmetic wraps modulo 2^32 / 2^64 on purpose.
_SHINGLE_MUL = np.uint32(0x9E3779B1)
_BAND_MUL = np.uint64(0xC6A4A7935BD1E995)


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """The distinct 32-bit hashes of `text`'s word `size`-shingles (lower-cased).

    Each word is hashed once (CRC32, in C) and a shingle's hash is a
    polynomial of its words' hashes computed for all shingles at once with
    numpy: hashing every shingle's string separately was most of the cost of
    deduplicating an article. The hash only has to tell shingles apart;
    datasketch mixes it (MurmurHash3 finaliser) before its permutations.
    """
    words = _WORD.findall(text.lower())
    if not words:
        return np.empty(0, dtype=np.uint32)
    codes = np.fromiter(map(zlib.crc32, map(str.encode, words)), dtype=np.uint32, count=len(words))
    n = max(1, len(codes) - size + 1)  # a text shorter than one shingle is one shingle
    grams = codes[:n].copy()
    for j in range(1, min(size, len(codes))):
        grams = grams * _SHINGLE_MUL + codes[j : j + n]
    return np.unique(grams)


def minhash(text: str, settings: IngestSettings) -> tuple[np.ndarray, int]:
    """The MinHash signature of `text`'s shingles and how many distinct shingles it has."""
    return _sketch(text, settings.shingle_size, settings.minhash_perm)


@lru_cache(maxsize=4)
def _permutations(num_perm: int) -> np.ndarray:
    # Drawing the permutations takes longer than hashing a short article; they
    # depend only on the seed, so they are drawn once.
    return MinHash(num_perm=num_perm, seed=1, scheme=_SCHEME).permutations


def signature(hashes: np.ndarray, num_perm: int) -> np.ndarray:
    """What datasketch's `MinHash.update_batch` computes for the affine32 scheme, over an array.

    Written out because update_batch calls the hash function once per value
    in Python and MinHash's constructor re-validates the permutations each
    time: together most of the cost of a sketch. The arithmetic (its
    MurmurHash3 pre-mix, its permutations, a min per permutation) is
    datasketch's, and tests/test_dedup.py checks the two agree.
    """
    a, b = _permutations(num_perm)
    if not len(hashes):
        return np.full(num_perm, np.iinfo(np.uint32).max, dtype=np.uint32)
    mixed = _fmix(hashes.astype(np.uint32).reshape(-1, 1), 32)
    return (mixed * a + b).min(axis=0)


@lru_cache(maxsize=64)
def _sketch(text: str, shingle_size: int, num_perm: int) -> tuple[np.ndarray, int]:
    # Cached: the pipeline sketches each article twice (to look up, then to index).
    grams = shingle_hashes(text, shingle_size)
    return signature(grams, num_perm), len(grams)


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """The Jaccard index two signatures estimate (MinHash.jaccard): the share of equal values."""
    return float(np.count_nonzero(a == b)) / len(a)


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


def _bands(sig: np.ndarray, settings: IngestSettings) -> list[str]:
    """One key per LSH band: a 64-bit hash of the band's rows, as 16 hex digits."""
    b, r = _band_shape(settings.near_dup_candidate_jaccard, settings.minhash_perm)
    rows = sig[: b * r].astype(np.uint64).reshape(b, r)
    keys = rows[:, 0].copy()
    for j in range(1, r):
        keys = keys * _BAND_MUL + rows[:, j]
    return [f"{k:016x}" for k in keys.tolist()]


def _pack(sig: np.ndarray, size: int) -> bytes:
    # The signature and, as one more value, the shingle count containment needs.
    return np.append(sig, np.uint32(min(size, 2**32 - 1))).tobytes()


def _unpack(blob: bytes) -> tuple[np.ndarray, int]:
    values = np.frombuffer(blob, dtype=np.uint32)
    return values[:-1], int(values[-1])


# Band numbers of the version keys: below 0, apart from the LSH bands (0, 1, ...).
_TITLE_BAND, _SLUG_BAND, _LEAD_BAND = -1, -2, -3
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_DIGITS = re.compile(r"\d+")
_LEAD_WORDS = 12  # a lead sentence this long is written, not a menu line or a dateline
_SLUG_WORDS = 6  # the slug words compared: long enough to be a headline, short enough to survive truncation
_LEADS = 2


def _key(words: list[str]) -> str:
    return hashlib.blake2b(" ".join(words).encode(), digest_size=8).hexdigest()


def version_keys(article: Article) -> list[tuple[int, str]]:
    """(band, hash) keys shared by versions of one article: its headline, its URL slug, its first long sentences.

    Digits are folded (an update changes the toll, not the sentence); a key
    is made only from enough words to be specific to one article.
    """
    keys: list[tuple[int, str]] = []
    title = _WORD.findall(_DIGITS.sub("0", (article.title or "").lower()))
    if len(title) >= _SLUG_WORDS:
        keys.append((_TITLE_BAND, _key(title)))
    if article.url:
        parts = [p for p in urlsplit(article.url).path.split("/") if p]
        # The longest path segment is the slug ("/news/2025/04/the-headline-words-123.html").
        slug = max(parts, key=lambda p: p.count("-") + p.count("_"), default="")
        words = [w for w in re.split(r"[-_]+", _DIGITS.sub("0", slug.lower().rsplit(".", 1)[0])) if w]
        if len(words) >= _SLUG_WORDS:
            keys.append((_SLUG_BAND, _key(words[:_SLUG_WORDS])))
    leads = 0
    for sentence in _SENTENCE.split(article.text):
        words = _WORD.findall(_DIGITS.sub("0", sentence.lower()))
        if len(words) >= _LEAD_WORDS:
            keys.append((_LEAD_BAND - leads, _key(words)))
            leads += 1
            if leads == _LEADS:
                break
    return keys


def sketch(text: str, settings: IngestSettings) -> bytes:
    """The article's MinHash signature and shingle count as stored: what a batch job's
    executors compute ahead (batch/read.py) so the driver only looks up and compares."""
    return _pack(*minhash(text, settings))


def bands_of(packed: bytes, settings: IngestSettings) -> list[str]:
    """The LSH band keys of a stored signature."""
    return _bands(_unpack(packed)[0], settings)


def mark_near_duplicate(
    article: Article,
    store: Store,
    settings: IngestSettings,
    *,
    packed: bytes | None = None,
    keys: list[tuple[int, str]] | None = None,
) -> Article:
    """Set `duplicate_of` to the stored article this one most nearly copies, or is a version of
    (`packed`: its sketch, `keys`: its version keys, if made ahead)."""
    sig, size = _unpack(packed) if packed is not None else minhash(article.text, settings)
    versions = set(store.near_duplicates.candidates([], version_keys(article) if keys is None else keys))
    best: tuple[float, str] | None = None
    # In id order, so that of two candidates with the same score the same one wins on any store.
    for candidate in sorted(versions | set(store.near_duplicates.candidates(_bands(sig, settings)))):
        blob = store.near_duplicates.signature(candidate)
        if blob is None or len(blob) != 4 * (settings.minhash_perm + 1):
            continue  # indexed with other settings: not comparable
        other, other_size = _unpack(blob)
        score = containment(jaccard(sig, other), size, other_size)
        needed = settings.version_containment if candidate in versions else settings.near_dup_threshold
        if score >= needed and (best is None or score > best[0]):
            best = (score, candidate)
    if best is not None:
        # Point at the original, not at another copy, so copies form one group.
        original = store.articles.get(best[1])
        article.duplicate_of = original.duplicate_of or original.id
    return article


def index_article(
    article: Article,
    store: Store,
    settings: IngestSettings,
    *,
    packed: bytes | None = None,
    keys: list[tuple[int, str]] | None = None,
) -> None:
    if packed is None:
        packed = sketch(article.text, settings)
    if keys is None:
        keys = version_keys(article)
    store.near_duplicates.add(article.id, bands_of(packed, settings), packed, keys)
