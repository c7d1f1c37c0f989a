"""Statement vectors are embedded once (issue 13): a near-duplicate's sentences reuse its original's."""

from __future__ import annotations

import numpy as np
import pytest

from storydesk.compare import embed as embed_mod
from storydesk.compare.statements import Statement
from storydesk.settings import CompareSettings

SAID = "The minister said the bridge would reopen on Friday."


class _Stories:
    def __init__(self, stored: dict[tuple[str, int, int], bytes]) -> None:
        self.stored = stored

    def statement_vectors(self, articles: list[str]) -> dict[tuple[str, int, int], bytes]:
        return {k: v for k, v in self.stored.items() if k[0] in articles}

    def save_statement_vectors(self, rows: list[tuple[str, int, int, bytes]]) -> None:
        self.stored.update({(a, s, e): blob for a, s, e, blob in rows})


class _Store:
    def __init__(self, stored: dict[tuple[str, int, int], bytes]) -> None:
        self.stories = _Stories(stored)


def _statement(sid: int, article: str, text: str) -> Statement:
    return Statement(id=sid, article=article, outlet=article, kind="quote", text=text, start=0, end=len(text))


def test_a_stored_sentence_is_not_embedded_again_for_a_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    embedded: list[str] = []

    def fake_embed(texts: list[str]) -> np.ndarray:
        embedded.extend(texts)
        return np.ones((len(texts), 4), dtype=np.float32) / 2

    monkeypatch.setattr("storydesk.link.features.embed", fake_embed)
    original = np.array([1, 0, 0, 0], dtype=np.float32)
    store = _Store({("orig", 0, len(SAID)): original.tobytes()})
    statements = [_statement(1, "orig", SAID), _statement(2, "copy", SAID), _statement(3, "copy", "Other words.")]
    vectors = embed_mod.statement_vectors(statements, CompareSettings(), store)  # type: ignore[arg-type]
    assert embedded == ["Other words."]  # the copy's repeated sentence took the stored vector
    assert np.array_equal(vectors[2], original)
    assert ("copy", 0, len(SAID)) in store.stories.stored  # and is stored under the copy too
