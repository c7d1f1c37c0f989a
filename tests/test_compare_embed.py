"""Statement vectors are embedded once (issue 13): a near-duplicate's sentences reuse its original's."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from storydesk import compare, pipeline
from storydesk.compare import embed as embed_mod
from storydesk.compare.statements import Statement, anchors, content_terms
from storydesk.settings import CompareSettings, Settings
from storydesk.store import open_store

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


def _story(folder: Path) -> Path:
    """One event told by three outlets."""
    lead = (
        "Kremlin spokesman Dmitry Peskov said on Tuesday that Russia would study the US proposal for a 30-day ceasefire"
    )
    texts = [
        f'{lead}. "We will study it carefully," Peskov told reporters in Moscow. Ukraine accepted the plan on Monday.',
        f"{lead} in Ukraine. Peskov told reporters that Moscow had not yet received the text of the proposal.",
        f'{lead}, after talks in Jeddah. "We will study it carefully," Peskov said. Kyiv had agreed to the truce.',
    ]
    path = folder / "story.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": f"a{i}", "title": "Russia to study ceasefire plan", "published": "2025-03-11",
                        "outlet": f"outlet{i}.example", "text": text}) + "\n"
            for i, text in enumerate(texts)
        ),
        encoding="utf-8",
    )  # fmt: skip
    return path


def test_compare_embeds_what_stories_lack_in_worker_processes_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13 (the serial tail after an ingest): with two processes, the vectors compare needs are
    embedded in workers before comparing; the same vectors and the same reports as in one process."""
    settings = Settings(db=tmp_path / "s.db")
    settings.read.processes = 1
    settings.compare.statement_embed_pool_min = 1
    with open_store(settings.db) as store:
        summary = pipeline.ingest([str(_story(tmp_path))], store, settings)
        ids = sorted(set(summary.stories))
        reports = [store.stories.get(s).to_dict() for s in ids]
        rows = dict(store.stories.statement_vectors(sorted(a.id for a in store.articles.iter_all())))
        assert rows  # some story has two voices
        store.execute("DELETE FROM statement_vectors")

        def no_embedding_here(texts: list[str]) -> np.ndarray:
            raise AssertionError(f"embedded in the main process: {texts[:1]}")

        monkeypatch.setattr("storydesk.link.features.embed", no_embedding_here)  # the workers are spawned
        compare.compare_stories(store, ids, settings.compare, processes=2)
        again = store.stories.statement_vectors(sorted(a.id for a in store.articles.iter_all()))
        assert again.keys() == rows.keys()
        for key, blob in rows.items():
            assert np.allclose(
                np.frombuffer(again[key], dtype=np.float32), np.frombuffer(blob, dtype=np.float32), atol=1e-6
            )
        assert [store.stories.get(s).to_dict() for s in ids] == reports


def test_a_sentences_statements_past_the_cap_share_its_vector_issue10() -> None:
    """Issue 10: a sentence's first claim had a vector and its second claim (same span) none, so the
    single-source veto could not use it; statements sharing an embedded span now all have it, at no cost."""
    text = "Six locations were hit and 24 impacts were recorded."
    first = _statement(1, "a", text, kind="claim")
    second = _statement(2, "a", text, kind="claim")
    event = _statement(3, "a", text, kind="event")
    settings = CompareSettings(statement_embed_max=1)
    assert {s.id for s in embed_mod.embedded([first, second, event], settings)} == {1, 2, 3}
    later = Statement(**{**{f: getattr(first, f) for f in Statement.__slots__}, "id": 4, "start": 60, "end": 90})
    assert 4 not in {s.id for s in embed_mod.embedded([first, later], settings)}  # another span: past the cap


def test_statements_about_to_be_single_source_get_vectors_with_their_possible_partners_issue10() -> None:
    """Issue 10: "only one outlet reports this" rested on vectors never computed (an article embeds its first
    statements only); the second look embeds the lone statement and what another voice could match it with."""
    settings = CompareSettings()
    lone = _statement(1, "a", "Islamabad said six locations were hit and 24 impacts were recorded.", kind="event")
    partner = _statement(2, "b", "Officials said 24 impacts from missiles were counted overnight.", kind="event")
    unrelated = _statement(3, "b", "The football season ends in May.", kind="event")
    own = _statement(4, "a", "Islamabad counted 24 impacts.", kind="event")  # the same voice: no partner
    for s in (lone, partner, unrelated, own):
        s.voice = s.article
    weights = __import__("storydesk.compare.align", fromlist=["Weights"]).Weights([lone, partner, unrelated, own])
    picked = embed_mod.lone_and_partners([lone], [lone, partner, unrelated, own], set(), weights.similarity, settings)
    assert {s.id for s in picked} == {1, 2}
    # A lone statement that has its vector already is not embedded again; its partners still are.
    picked = embed_mod.lone_and_partners([lone], [lone, partner, unrelated, own], {1}, weights.similarity, settings)
    assert {s.id for s in picked} == {2}


@pytest.mark.parametrize(
    ("text", "language", "number"),
    [
        ("In einer Erklärung hieß es, dass neun Ziele ins Visier genommen wurden.", "de", "9"),
        ("Según el comunicado, fueron nueve los lugares atacados.", "es", "9"),
        ("Les frappes ont visé cinq sites.", "fr", "5"),
    ],
)
def test_small_numbers_written_out_in_other_languages_are_anchors_issue10(
    text: str, language: str, number: str
) -> None:
    """Issue 10: "neun Ziele" and "nueve los lugares" had no number to meet the English "nine sites"."""
    assert number in anchors(text, language)[0]
    assert number not in anchors(text, "en")[0]  # read in the statement's own language only


def test_french_neuf_is_new_not_nine() -> None:
    assert "9" not in anchors("Un neuf accord a été signé.", "fr")[0]


def test_a_summary_line_crediting_the_spokesmans_body_is_embedded_as_his_partner_issue10() -> None:
    """Issue 10 (round 8): a heading or summary line ("NDPR says the bases are safe") was never embedded for the
    second look, so it could not carry the words of the spokesman whose body it credits; a heading crediting no
    one is still left out."""
    from storydesk.compare.align import Weights
    from storydesk.compare.roles import reporting_body

    settings = CompareSettings()
    lone = _statement(1, "a", "All our air bases are safe and every aircraft has returned.")
    lone.speaks_for = frozenset({"ndpr", "armed forces"})
    line = _statement(2, "b", "NDPR says every plane is back", kind="event")
    line.speaks_for, line.speaks_for_countries = reporting_body(line.text)
    other = _statement(3, "b", "Every plane is back at its base", kind="event")
    for s in (line, other):
        s.heading = True
    for s in (lone, line, other):
        s.voice = s.article
    weights = Weights([lone, line, other])
    picked = embed_mod.lone_and_partners([lone], [lone, line, other], {1}, weights.similarity, settings)
    assert {s.id for s in picked} == {2}
