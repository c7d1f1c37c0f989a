"""Statement vectors are embedded once (issue 13): a near-duplicate's sentences reuse its original's."""

from __future__ import annotations

import numpy as np
import pytest

from storydesk.compare import embed as embed_mod
from storydesk.compare.statements import Statement, anchors, content_terms
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


def _statement(sid: int, article: str, text: str, language: str = "en", kind: str = "quote") -> Statement:
    numbers, names = anchors(text)
    return Statement(
        id=sid, article=article, outlet=article, kind=kind, text=text, start=0, end=len(text), language=language,
        terms=content_terms(text), numbers=numbers, names=names,
    )  # fmt: skip


def test_a_stored_sentence_is_not_embedded_again_for_a_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    embedded: list[str] = []

    def fake_embed(texts: list[str]) -> np.ndarray:
        embedded.extend(texts)
        return np.ones((len(texts), 4), dtype=np.float32) / 2

    monkeypatch.setattr("storydesk.link.features.embed", fake_embed)
    original = np.array([1, 0, 0, 0], dtype=np.float32)
    store = _Store({("orig", 0, len(SAID)): original.tobytes()})
    statements = [
        _statement(1, "orig", SAID),
        _statement(2, "copy", SAID),
        _statement(3, "copy", "Other words on the bridge."),
    ]
    vectors = embed_mod.statement_vectors(statements, CompareSettings(), store)  # type: ignore[arg-type]
    assert embedded == ["Other words on the bridge."]  # the copy's repeated sentence took the stored vector
    assert np.array_equal(vectors[2], original)
    assert ("copy", 0, len(SAID)) in store.stories.stored  # and is stored under the copy too


@pytest.mark.parametrize(
    ("other", "language", "kept"),
    [
        ("The minister said the bridge would reopen on Friday.", "en", True),  # shared stems
        ("Storms closed three ports in the north.", "en", False),  # nothing in common: no rule can use a cosine
        ("Drei Häfen im Norden wurden geschlossen.", "de", False),  # another language, no number or name
        ("Die Brücke über die Oskel wird am Freitag geöffnet.", "de", False),  # no anchor in common
        ("Minister Berg sagte, die Brücke werde am Freitag öffnen.", "de", True),  # a name across languages
    ],
)
def test_only_statements_with_a_possible_partner_are_embedded(other: str, language: str, kept: bool) -> None:
    """Issue 13: compare embeds a statement only when another article holds a statement some rule
    of align.py could pair it with by meaning (a shared stem or name; across languages a number,
    name or quoted speaker)."""
    lead = _statement(0, "a", "Minister Berg said the bridge would reopen on Friday.", kind="event")
    partner = _statement(1, "b", other, language, kind="event")
    own = _statement(2, "a", "The bridge was built in 1932.", kind="event")  # a partner in its own article only
    expected = ({0, 1, 2} if "bridge" in other else {0, 1}) if kept else set()
    assert {s.id for s in embed_mod.partnered([lead, partner, own])} == expected
