"""Statement vectors are embedded once (issue 13): a near-duplicate's sentences reuse its original's."""

from __future__ import annotations

import json
import logging
import random
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from storydesk import compare, encoder, pipeline
from storydesk.compare import embed as embed_mod
from storydesk.compare.align import _SLACK, Vectors, Weights, _outcome, align, candidate_limit, cosine_matters
from storydesk.compare.statements import Statement, anchors, content_terms
from storydesk.settings import CompareSettings, Settings
from storydesk.store import open_store
from storydesk.store.sqlite import SQLiteStore

SAID = "The minister said the bridge would reopen on Friday."


class _Stories:
    def __init__(self, stored: dict[tuple[str, int, int], bytes]) -> None:
        self.stored = stored

    def statement_vectors(self, articles: list[str], engine: str) -> dict[tuple[str, int, int], bytes]:
        return {k: v for k, v in self.stored.items() if k[0] in articles}

    def save_statement_vectors(self, rows: list[tuple[str, int, int, bytes]], engine: str) -> None:
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

    monkeypatch.setattr("storydesk.link.features.embed_statements", fake_embed)
    original = np.array([1, 0, 0, 0], dtype=np.float32)
    store = _Store({("orig", 0, len(SAID)): original.tobytes()})
    statements = [
        _statement(1, "orig", SAID),
        _statement(2, "copy", SAID),
        _statement(3, "copy", "Other words on the bridge."),
        _statement(4, "third", "Other words on the bridge."),  # the speaker's words in other words: a cosine may tell
    ]
    # Two voices quoting one speaker: each pair may be aligned by meaning (align.py `cosine_matters`).
    statements = [replace(s, voice=s.article, actor="berg") for s in statements]
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
        rows = dict(
            store.stories.statement_vectors(sorted(a.id for a in store.articles.iter_all()), encoder.statement_engine())
        )
        assert rows  # some story has two voices
        store.execute("DELETE FROM statement_vectors")

        def no_embedding_here(texts: list[str]) -> np.ndarray:
            raise AssertionError(f"embedded in the main process: {texts[:1]}")

        monkeypatch.setattr("storydesk.link.features.embed_statements", no_embedding_here)  # the workers are spawned
        compare.compare_stories(store, ids, settings.compare, processes=2)
        again = store.stories.statement_vectors(
            sorted(a.id for a in store.articles.iter_all()), encoder.statement_engine()
        )
        assert again.keys() == rows.keys()
        for key, blob in rows.items():
            assert np.allclose(
                np.frombuffer(again[key], dtype=np.float32), np.frombuffer(blob, dtype=np.float32), atol=1e-6
            )
        assert [store.stories.get(s).to_dict() for s in ids] == reports


def test_a_pool_started_ahead_embeds_every_missing_text_in_its_workers_issue13(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13, round 13: with workers started ahead (an ingest starts them before linking), the stories
    are compared in them, embedding there however few texts are missing (without, fewer than
    `statement_embed_pool_min` were embedded serially in the main process); the same vectors and reports
    as in one process."""
    settings = Settings(db=tmp_path / "s.db")
    settings.read.processes = 1
    assert settings.compare.statement_embed_pool_min > 10  # the default: far more than this story's texts
    with open_store(settings.db) as store:
        summary = pipeline.ingest([str(_story(tmp_path))], store, settings)
        ids = sorted(set(summary.stories))
        reports = [store.stories.get(s).to_dict() for s in ids]
        rows = dict(
            store.stories.statement_vectors(sorted(a.id for a in store.articles.iter_all()), encoder.statement_engine())
        )
        assert 0 < len(rows) < settings.compare.statement_embed_pool_min
        store.execute("DELETE FROM statement_vectors")

        def no_embedding_here(texts: list[str]) -> np.ndarray:
            raise AssertionError(f"embedded in the main process: {texts[:1]}")

        monkeypatch.setattr("storydesk.link.features.embed_statements", no_embedding_here)  # the workers are spawned
        with compare.EmbedPool(2) as pool:
            compare.compare_stories(store, ids, settings.compare, processes=2, pool=pool)
        again = store.stories.statement_vectors(
            sorted(a.id for a in store.articles.iter_all()), encoder.statement_engine()
        )
        assert again.keys() == rows.keys()
        for key, blob in rows.items():
            assert np.allclose(
                np.frombuffer(again[key], dtype=np.float32), np.frombuffer(blob, dtype=np.float32), atol=1e-6
            )
        assert [store.stories.get(s).to_dict() for s in ids] == reports


class _Done:
    """A finished future, and a pool whose tasks run when submitted (the texts each task got are kept)."""

    def __init__(self, value: list[bytes]) -> None:
        self.value = value

    def result(self) -> list[bytes]:
        return self.value


class _InlinePool:
    def __init__(self) -> None:
        self.sent: list[list[str]] = []

    def submit(self, texts: list[str]) -> _Done:
        self.sent.append(texts)
        return _Done([t.encode() for t in texts])


def test_a_story_is_compared_once_every_vector_of_its_articles_is_stored_issue13(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 13, round 13: texts go to the workers in chunks as each story's are found, and a story waits
    only for the chunks holding its articles' texts, so compare overlaps the encoder; every vector the
    batch embeds for a story's articles is stored before it is compared (as when all were stored first),
    a text is embedded once for all the keys it has, and a key found again keeps the last story's text."""
    found = {
        "A": {("a", 0, 5): "t1", ("a", 6, 9): "t2", ("x", 0, 4): "t3"},
        "B": {("b", 0, 5): "t4", ("b", 6, 9): "t1"},  # t1 again: embedded once, stored under both keys
        "C": {("c", 0, 5): "t5", ("x", 0, 4): "t6", ("x", 5, 8): "t7"},  # x's first key now says t6
    }
    monkeypatch.setattr(embed_mod, "_missing", lambda statements, settings, store: found[statements[0].article])
    store = _Store({})
    pool = _InlinePool()
    ahead = embed_mod.Ahead(CompareSettings(), store, pool, chunk=2)  # type: ignore[arg-type]
    sent = []
    for story in "ABC":
        ahead.add([_statement(0, story, "")])
        sent.append(len(pool.sent))
    assert sent == [1, 2, 3]  # sent as found, a story's texts before the next story's are found
    assert ahead.start(2) == 7
    assert pool.sent == [["t1", "t2"], ["t3", "t4"], ["t5", "t6"], ["t7"]]
    assert store.stories.stored == {}
    ahead.wait_for(["b"])  # b's texts: t4 (chunk 1) and t1 (chunk 0)
    assert set(store.stories.stored) == {("a", 0, 5), ("a", 6, 9), ("b", 6, 9), ("b", 0, 5)}
    ahead.wait_for(["a", "b"])  # a's t1, t2 stored; x (in story A too) has t6 in chunk 2: not a's
    assert ahead.stored == 2
    ahead.wait_for(["x"])  # x's last text, t7, is in the last chunk
    assert ahead.stored == 4
    assert store.stories.stored[("x", 0, 4)] == b"t6"  # the last story's text, t3 stored under no key
    assert store.stories.stored[("b", 6, 9)] == store.stories.stored[("a", 0, 5)] == b"t1"
    ahead.close()
    assert len(store.stories.stored) == 7


def test_a_story_sharing_an_article_with_one_in_a_worker_waits_for_it_to_be_saved_issue13(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 13, round 13: stories compared in workers are saved in order, and a story whose articles one
    still in a worker holds reads its stored vectors only after that one is saved (what comparing in order
    would read); others go to the workers at once."""
    events: list[str] = []
    stories = {"s1": ["a"], "s2": ["b"], "s3": ["c", "a"], "s4": ["d"]}

    class Story:
        def __init__(self, sid: str) -> None:
            self.id, self.articles = sid, stories[sid]

    class Stories:
        def statement_vectors(self, ids: list[str], engine: str) -> dict[tuple[str, int, int], bytes]:
            events.append("read " + "".join(ids))
            return {}

        def compare_state(self, sid: str) -> None:
            return None

    class Store:
        stories = Stories()

    class Later:
        def __init__(self, story: Story) -> None:
            self.story = story

        def result(self) -> tuple[Story, bytes, list[tuple[str, int, int, bytes]]]:
            return self.story, b"", []

    class Pool:
        processes = 2

        def run(self, fn: object, story: Story, *args: object) -> Later:
            return Later(story)

    monkeypatch.setattr(compare, "_stored", lambda store, sid: (Story(sid), [], []))
    monkeypatch.setattr(compare, "_save", lambda store, story, state, rows: events.append("save " + story.id))
    compare.compare_stories(Store(), list(stories), CompareSettings(), 2, pool=Pool())  # type: ignore[arg-type]
    assert events == ["read a", "read b", "save s1", "read ac", "read d", "save s2", "save s3", "save s4"]


def test_a_few_texts_without_a_pool_are_left_to_compare_issue13(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without workers started ahead, fewer than `statement_embed_pool_min` texts start no pool (as before)."""
    monkeypatch.setattr(embed_mod, "_missing", lambda statements, settings, store: {("a", 0, 1): "t"})
    monkeypatch.setattr(embed_mod, "EmbedPool", None)  # starting one would fail
    ahead = embed_mod.Ahead(CompareSettings(statement_embed_pool_min=2), _Store({}), None)  # type: ignore[arg-type]
    ahead.add([_statement(0, "a", "")])
    assert ahead.start(2) == 0
    ahead.wait_for(["a"])
    ahead.close()


def test_an_ingest_read_in_workers_starts_comparings_workers_before_linking_issue13(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 13, round 13: linking runs on one core while the other idled, and compare's workers then
    started and loaded the encoder; `update_links(warm=True)` starts them before linking and hands them
    to compare, and stops them after; without `warm` (a small ingest, read in one process) none start."""
    calls: list[str] = []

    class Pool:
        def __init__(self, processes: int) -> None:
            calls.append(f"pool {processes}")

        def __enter__(self) -> Pool:
            return self

        def __exit__(self, *exc: object) -> None:
            calls.append("pool closed")

    monkeypatch.setattr(compare, "EmbedPool", Pool)
    monkeypatch.setattr("storydesk.link.link_new", lambda store, settings: calls.append("link") or ["s"])
    monkeypatch.setattr(
        compare,
        "compare_stories",
        lambda store, ids, settings, processes, pool=None: calls.append(f"compare {type(pool).__name__}"),
    )
    settings = Settings(db=tmp_path / "s.db")
    settings.read.processes = 2
    assert pipeline.update_links(None, settings, warm=True) == ["s"]  # type: ignore[arg-type]
    assert calls == ["pool 2", "link", "compare Pool", "pool closed"]
    calls.clear()
    pipeline.update_links(None, settings)  # type: ignore[arg-type]
    assert calls == ["link", "compare NoneType"]


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


def _pair_outcome(
    a: Statement, b: Statement, cosine: float | None, w: Weights, limit: int, settings: CompareSettings
) -> tuple[object, ...]:
    """The outcome `align` gives the pair (a, b) at this cosine: candidacy, the scoring gate, then `_outcome`."""
    rare = any(w.df[t] <= limit for t in a.terms & b.terms) or (a.kind == b.kind == "claim" and a.unit == b.unit)
    low = min(settings.cross_embedding, settings.single_veto_cross_embedding)
    if not (rare or (cosine is not None and cosine >= low)):
        return (False, None, 0.0, False)
    vectors = Vectors({}, settings)
    vectors.cosine = lambda x, y: cosine  # type: ignore[method-assign]
    near = cosine is not None and cosine >= 0.86 - _SLACK
    return _outcome(a, b, near, defaultdict(list), w, vectors, settings)


_WORDS = [
    "Minister",
    "Berg",
    "said",
    "the",
    "bridge",
    "would",
    "reopen",
    "on",
    "Friday",
    "after",
    "12",
    "days",
    "of",
    "repairs",
    ".",
    "Peskov",
    "told",
    "reporters",
    "in",
    "Moscow",
    "that",
    "30",
    "%",
    "tariffs",
    "on",
    "Chinese",
    "goods",
    "will",
    "start",
    "at",
    "17:00",
    ";",
    "the",
    "army",
    "reported",
    "three",
    "jets",
    "were",
    "downed",
]


def test_no_pair_of_a_statement_left_without_a_vector_changes_with_its_cosine_issue13() -> None:
    """Issue 13, round 11: `cosine_matters` is False only when a pair's outcome is the same at any cosine and
    without one. Random statements (kinds, speakers, bodies, languages, voices, shared words, numbers and
    names), every pair checked at each threshold, just below it, and at -1 and 1."""
    settings = CompareSettings()
    rng = random.Random(13)
    statements = []
    for i in range(160):
        text = " ".join(rng.sample(_WORDS, rng.randint(3, 14)))
        if rng.random() < 0.2:
            text = f'"{" ".join(rng.sample(_WORDS, 4))}" {text}'
        kind = rng.choice(["quote", "event", "claim"])
        s = _statement(i, f"a{i % 9}", text, rng.choice(["en", "en", "de"]), kind)
        statements.append(
            replace(
                s,
                voice=f"v{i % 5}",
                actor=rng.choice([None, "berg", "peskov"]) if kind != "claim" else None,
                actors=frozenset(rng.sample(["berg", "peskov", "army"], rng.randint(0, 2)))
                if kind == "event"
                else frozenset(),
                speaks_for=frozenset(rng.sample(["army", "air force"], rng.randint(0, 1))),
                unit=rng.choice([None, "percent", "days"]) if kind == "claim" else None,
                quote_kind="direct",
                speaker_is_person=True,
            )
        )
    w = Weights(statements, settings.common_number_voices)
    limit = candidate_limit(len(statements))
    thresholds = {
        settings.quote_embedding, settings.event_embedding, settings.paraphrase_embedding, settings.cross_embedding,
        settings.single_veto_embedding, settings.single_veto_cross_embedding, settings.single_veto_speaker_embedding,
        settings.single_veto_body_embedding,
    }  # fmt: skip
    cosines = [-1.0, 1.0, *thresholds, *(t - 1e-3 for t in thresholds)]
    skipped = 0
    for a in statements:
        for b in statements:
            if a.article == b.article or cosine_matters(a, b, w, settings, limit):
                continue
            skipped += 1
            without = _pair_outcome(a, b, None, w, limit, settings)
            for cosine in cosines:
                assert _pair_outcome(a, b, cosine, w, limit, settings) == without, (a.text, b.text, cosine)
    assert skipped > 1000  # the check is not vacuous


def test_a_statement_no_rule_could_pair_by_meaning_gets_no_vector_issue13(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13, round 11: a sentence sharing one word with another outlet's (so `partnered`, which embedded it
    on main) but reaching no rule that reads a cosine is not embedded; the alignment is the one all vectors give."""
    embedded: list[str] = []

    def fake_embed(texts: list[str]) -> np.ndarray:
        embedded.extend(texts)
        return np.ones((len(texts), 4), dtype=np.float32) / 2  # every cosine 1: the closest vectors can be

    monkeypatch.setattr("storydesk.link.features.embed_statements", fake_embed)
    settings = CompareSettings()
    statements = [
        _statement(0, "a", "Storms closed the ports in the north on Monday after heavy rain.", kind="event"),
        _statement(1, "b", "The north celebrated a national holiday with parades and fireworks.", kind="event"),
        _statement(2, "a", "Minister Berg said the bridge would reopen on Friday.", kind="event"),
        _statement(3, "b", "Repairs to the old bridge should be finished by Friday, officials hope.", kind="event"),
    ]
    statements = [replace(s, voice=s.article) for s in statements]
    assert len(embed_mod.partnered(statements)) == 4
    vectors = embed_mod.statement_vectors(statements, settings)
    assert sorted(vectors) == [2, 3]
    assert len(embedded) == 2
    everything = {s.id: np.ones(4, dtype=np.float32) / 2 for s in statements}
    mine = align(statements, settings, Vectors(vectors, settings))
    full = align(statements, settings, Vectors(everything, settings))
    assert [[s.id for s in c.statements] for c in mine.clusters] == [
        [s.id for s in c.statements] for c in full.clusters
    ]
    assert (mine.same_pairs, mine.carried) == (full.same_pairs, full.carried)


def test_a_story_weighs_its_stems_once_issue13(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13, round 12: choosing which statements to embed, aligning and the second look read one `Weights`
    of the story (it was built by `needing_vectors` and again by `align`), and the report is the same."""
    from storydesk.records import Story
    from tests.fixtures.compare.build import article

    rng = np.random.default_rng(0)

    def fake_embed(texts: list[str]) -> np.ndarray:
        rows = rng.standard_normal((len(texts), 8)).astype(np.float32)
        rows[:, 0] += 5  # all close: every rule reading a cosine is reached
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    monkeypatch.setattr("storydesk.link.features.embed_statements", fake_embed)
    texts = [
        'Jane Roe said at the palace, "Hopefully, the rebels will accept the truce offer."',
        'Jane Roe told reporters: "I hope the rebels will accept this truce offer."',
        "Rebels in the north said they would study the truce offer. About 200 people were evacuated.",
        "Officials said 250 people were evacuated from the old town. The rebels will study the offer.",
    ]
    articles = [article(f"a{k}", text, outlet=f"o{k}.example") for k, text in enumerate(texts)]
    built = []
    real = Weights.__init__

    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        built.append(1)
        real(self, *args, **kwargs)

    monkeypatch.setattr(Weights, "__init__", counted)
    story = compare.compare_story(Story(id="s", title="t"), articles, settings=CompareSettings())
    assert len(built) == 1
    assert story.single_source or story.corroborated


def test_copies_of_a_partner_are_asked_once_whether_a_cosine_matters_issue13(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 13, round 12: a statement without a stored vector whose possible partners are 50 copies of one
    statement asks `cosine_matters` once, with the answer asking each copy gives."""
    calls = []

    def counted(*args):  # type: ignore[no-untyped-def]
        calls.append(1)
        return cosine_matters(*args)

    monkeypatch.setattr(embed_mod, "cosine_matters", counted)
    x = replace(_statement(1, "new", "Storms closed three ports in the north."), voice="new")
    for text, kept in (("Storms closed ports in the north on Friday.", True), ("Ports reopen soon.", False)):
        copies = [replace(_statement(10 + k, f"c{k}", text), voice="wire", outlet="wire") for k in range(50)]
        calls.clear()
        got = embed_mod.needing_vectors([x], [x, *copies], CompareSettings(), set())
        assert (got == [x]) is kept
        assert len(calls) == 1


def test_issue13_a_store_keeps_one_engines_statement_vectors(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 13, round 15: compare's statement vectors have an engine of their own (onnx-int8 by default). A store
    asked for another engine's vectors than the one that made its vectors drops them (one log line), so compare
    embeds them again: a cosine between two engines' vectors is never taken. Round 16: the caller names the
    engine (the store does not import the encoder); compare names this process's statement engine."""
    from storydesk.ingest.common import make_article
    from storydesk.store.stories import SQLiteStories

    article = make_article(source="mem.txt", paragraphs=["The minister said the bridge would reopen."])
    store.articles.add(article)
    blob = np.ones(4, dtype=np.float32).tobytes()
    store.stories.save_statement_vectors([(article.id, 0, 10, blob)], "onnx-int8")
    again = SQLiteStories(store)  # another process opening the store, with the same engine: the vectors stay
    assert again.statement_vectors([article.id], "onnx-int8") == {(article.id, 0, 10): blob}

    with caplog.at_level(logging.WARNING, logger="storydesk.store.stories"):
        other = SQLiteStories(store)
        assert other.statement_vectors([article.id], "onnx-q4") == {}
        other.save_statement_vectors([(article.id, 0, 10, blob)], "onnx-q4")
    assert [r.getMessage() for r in caplog.records] == [
        "store: 1 statement vectors made by onnx-int8 dropped; compare embeds them again with onnx-q4"
    ]
    assert SQLiteStories(store).statement_vectors([article.id], "onnx-q4") == {(article.id, 0, 10): blob}  # kept

    # Compare names this process's statement engine (storydesk/encoder.py): int8's compare does not take q4's vector.
    embedded: list[str] = []

    def fake_embed(texts: list[str]) -> np.ndarray:
        embedded.extend(texts)
        return np.ones((len(texts), 4), dtype=np.float32) / 2

    monkeypatch.setattr("storydesk.link.features.embed_statements", fake_embed)
    monkeypatch.setattr(encoder, "statement_engine", lambda: "onnx-int8")
    monkeypatch.setattr(store, "stories", SQLiteStories(store))  # a process of its own
    embed_mod.vectors_of([replace(_statement(1, article.id, SAID), start=0, end=10)], CompareSettings(), store)
    assert embedded == [SAID]
    assert list(store.stories.statement_vectors([article.id], "onnx-int8")) == [(article.id, 0, 10)]
