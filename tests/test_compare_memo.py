"""Issue 13 (compare's cost per new article): an event compared again scores only the pairs its new
statements make (compare/memo.py); a full compare is the compare without any memo."""

from __future__ import annotations

import importlib
import json
import zlib
from pathlib import Path

import numpy as np
import pytest

from storydesk import compare
from storydesk.compare import compare_story
from storydesk.compare.actors import ActorIndex
from storydesk.compare.align import Vectors, align
from storydesk.compare.memo import PairMemo, fingerprint, load
from storydesk.compare.statements import story_statements
from storydesk.records import Article, Story
from storydesk.settings import CompareSettings
from storydesk.store import open_store
from tests.fixtures.compare.build import article

FILLER = "The talks continue in the capital this week. Negotiators met for hours in the old palace. "
TEXTS = [
    FILLER + 'Jane Roe said at the palace, "Hopefully, the rebels will accept the truce."',
    FILLER.replace("hours", "days") + 'Jane Roe told reporters: "I hope the rebels will accept this truce offer."',
    "Rebels in the north said they would study the truce. The palace talks lasted for hours. "
    "About 200 people were evacuated from the old town, officials said.",
    "Officials said 250 people were evacuated from the old town after the talks. Negotiators left the palace.",
    "The summer recess starts next week. Observers in the capital expect the rebels to answer the offer.",
    'John Doe, the rebel envoy, said: "We will answer the truce offer within days." The talks went on.',
    "Rebel envoy John Doe said the rebels would answer the truce offer within days. Officials waited.",
]
CLAIMS = {
    "About 200 people were evacuated from the old town": (200.0, "people", "About", "people evacuated"),
    "250 people were evacuated from the old town": (250.0, "people", None, "people evacuated"),
}


def _articles(n: int) -> list[Article]:
    out = []
    for i in range(n):
        text = TEXTS[i % len(TEXTS)] + f" Report number {i} of the day."
        quotes = []
        if '"' in text:
            speaker = "Jane Roe" if "Roe" in text else "John Doe"
            quotes = [(speaker, text.split('"')[1], "direct")]
        claims = [(sentence, *claim) for sentence, claim in CLAIMS.items() if sentence in text]
        out.append(
            article(
                f"a{i:02d}", text, outlet=f"outlet{i}.example", quotes=quotes, claims=claims,  # type: ignore[arg-type]
                published=f"2025-03-{10 + i % 6:02d}",
            )
        )  # fmt: skip
    return out


def _report(story: Story) -> dict:  # type: ignore[type-arg]
    return story.to_dict()


def _compare(articles: list[Article], memo: PairMemo | None = None, settings: CompareSettings | None = None) -> Story:
    settings = settings or CompareSettings(statement_embeddings=False)
    return compare_story(Story(id="s", title="t"), articles, settings=settings, memo=memo)


@pytest.mark.parametrize("n", [3, 7, 14])
def test_a_full_compare_with_a_memo_is_the_compare_without_one_issue13(n: int) -> None:
    articles = _articles(n)
    memo = PairMemo()
    assert _report(_compare(articles, memo)) == _report(_compare(articles))
    assert memo.scored > 0


def test_a_story_compared_again_with_nothing_new_scores_no_pair_issue13() -> None:
    settings = CompareSettings(statement_embeddings=False)
    articles = _articles(10)
    first = PairMemo()
    before = _report(_compare(articles, first, settings))
    again = load(first.dump(settings), settings)
    assert not again.full
    assert _report(_compare(articles, again, settings)) == before
    assert again.scored == 0


def test_a_story_growing_over_batches_scores_only_its_new_pairs_issue13() -> None:
    """Batches of two articles: each compare scores only pairs with a new statement (fewer than a full
    compare's), keeps the full compare's groupings and conflicts on this story, and once the story has
    grown by `full_recompare_growth` it is aligned afresh, exactly as without a memo."""
    settings = CompareSettings(statement_embeddings=False, full_recompare_growth=0.5)
    articles = _articles(20)
    state = None
    kinds = []
    for size in range(6, 21, 2):
        memo = load(state, settings)
        story = _compare(articles[:size], memo, settings)
        full = PairMemo()
        expected = _compare(articles[:size], full, settings)
        if memo.full:
            kinds.append("full")
            assert _report(story) == _report(expected)
        else:
            kinds.append("incremental")
            assert 0 < memo.scored < full.scored
            for got, want in ((story.corroborated, expected.corroborated), (story.conflicts, expected.conflicts)):
                assert sorted(sorted(s.article for s in f.sides) for f in got) == sorted(
                    sorted(s.article for s in f.sides) for f in want
                )
        state = memo.dump(settings)
    # 6 articles, then +2 a batch: afresh at 10 and 16 articles (about half as many statements again)
    assert kinds == ["full", "incremental", "full", "incremental", "incremental", "full", "incremental", "incremental"]


def test_a_memo_of_other_settings_or_version_is_not_read_issue13() -> None:
    settings = CompareSettings(statement_embeddings=False)
    memo = PairMemo()
    _compare(_articles(6), memo, settings)
    data = memo.dump(settings)
    assert not load(data, settings).full
    assert load(data, CompareSettings(statement_embeddings=False, quote_similarity=0.7)).full
    assert load(data, settings, full=True).full
    assert load(b"not a state", settings).full
    state = json.loads(zlib.decompress(data))
    state["version"] = -1
    assert load(zlib.compress(json.dumps(state).encode()), settings).full


def test_vector_only_pairs_of_known_statements_are_kept_issue13() -> None:
    """Two old statements that align by their vectors alone (no rare stem in common) keep their
    alignment when a batch adds others: the pairs that mattered are candidates again."""
    settings = CompareSettings()
    articles = _articles(6)
    statements = [s for s in story_statements(articles, ActorIndex(articles), settings) if s.kind != "role"]
    for s in statements:
        s.voice = s.article
    rng = np.random.default_rng(0)
    raw = {s.id: rng.standard_normal(16).astype(np.float32) for s in statements}
    first, second = statements[0], next(s for s in statements if s.article != statements[0].article)
    raw[second.id] = raw[first.id]  # the same meaning, few words in common
    vectors = Vectors({k: v / np.linalg.norm(v) for k, v in raw.items()}, settings)
    memo = PairMemo()
    full = align(statements, settings, vectors, memo)
    again = load(memo.dump(settings), settings)
    incremental = align(statements, settings, vectors, again)
    assert again.scored == 0
    assert incremental.same_pairs == full.same_pairs
    assert incremental.carried == full.carried


def test_a_statement_whose_vector_appears_is_scored_again_issue13() -> None:
    settings = CompareSettings()
    statement = story_statements(_articles(1), ActorIndex(_articles(1)), settings)[0]
    assert fingerprint(statement, True) != fingerprint(statement, False)
    statement.voice = "another"
    assert fingerprint(statement, False) != fingerprint(story_statements(_articles(1), ActorIndex(_articles(1)),
                                                                         settings)[0], False)  # fmt: skip


def _state(store, story_id: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return json.loads(zlib.decompress(store.stories.compare_state(story_id)))


def test_compare_stories_keeps_state_in_the_store_and_full_recompares_issue13(tmp_path: Path) -> None:
    """The driver stores each story's state; a batch adding members compares incrementally (the
    state's full size stays), `full=True` (relink) compares in full, and the state goes with its story."""
    settings = CompareSettings(statement_embeddings=False)
    articles = _articles(12)
    with open_store(tmp_path / "s.db") as store:
        for a in articles:
            store.articles.add(a)
        store.stories.save(Story(id="s", title="t", articles=[a.id for a in articles[:8]]))
        compare.compare_stories(store, ["s"], settings)
        first = _state(store, "s")
        store.stories.save(Story(id="s", title="t", articles=[a.id for a in articles[:10]]))
        compare.compare_stories(store, ["s"], settings)
        second = _state(store, "s")
        assert second["full_size"] == first["full_size"] < len(second["known"])
        incremental = store.stories.get("s")
        compare.compare_stories(store, ["s"], settings, full=True)
        assert _state(store, "s")["full_size"] == len(second["known"])
        assert {a for f in incremental.corroborated for a in f.articles} == {
            a for f in store.stories.get("s").corroborated for a in f.articles
        }
        store.stories.delete("s")
        assert store.stories.compare_state("s") is None
        store.stories.save(Story(id="s", title="t", articles=[a.id for a in articles[:8]]))
        compare.compare_stories(store, ["s"], settings)
        store.stories.delete_all()
        assert store.stories.compare_state("s") is None


def _copies(n: int) -> list[Article]:
    """`n` articles of seven outlets, each outlet repeating its text (and the report's own last line differs)."""
    out = _articles(n)
    for i, a in enumerate(out):
        a.outlet = f"outlet{i % len(TEXTS)}.example"
    return out


@pytest.mark.parametrize("n", [21, 35])
def test_a_pair_of_copies_statements_is_scored_once_issue13(n: int, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # Round 10: a pair of the same two statements in other articles (copies of one outlet's text) takes the
    # outcome scored for the first, and the report is the one scoring every pair gives.
    align_mod = importlib.import_module("storydesk.compare.align")  # the package's `align` is the function
    calls = []
    real = align_mod._outcome

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(align_mod, "_outcome", counted)
    twice = _compare(_copies(n))
    once = len(calls)
    calls.clear()

    def every_pair(self, i, j, near, weights, vectors, settings):  # type: ignore[no-untyped-def]
        return counted(self.statements[i], self.statements[j], near, self.claims, weights, vectors, settings)

    monkeypatch.setattr(align_mod._Twins, "outcome", every_pair)
    assert _report(_compare(_copies(n))) == _report(twice)
    assert once * 2 < len(calls)
    assert twice.corroborated and twice.conflicts  # the numbers 200 and 250 of two outlets
