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
from storydesk.compare.memo import PairMemo, article_fingerprint, fingerprint, load, settings_key
from storydesk.compare.statements import story_statements
from storydesk.records import Article, Entity, Story
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


def _read(id: str, text: str, *, outlet: str, published: str) -> Article:
    """An article of `text`, its quote and numbers read."""
    quotes = []
    if '"' in text:
        speaker = "Jane Roe" if "Roe" in text else "John Doe"
        quotes = [(speaker, text.split('"')[1], "direct")]
    claims = [(sentence, *claim) for sentence, claim in CLAIMS.items() if sentence in text]
    return article(id, text, outlet=outlet, quotes=quotes, claims=claims, published=published)  # type: ignore[arg-type]


def _articles(n: int) -> list[Article]:
    return [
        _read(f"a{i:02d}", TEXTS[i % len(TEXTS)] + f" Report number {i} of the day.", outlet=f"outlet{i}.example",
              published=f"2025-03-{10 + i % 6:02d}")
        for i in range(n)
    ]  # fmt: skip


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
    vector = np.ones(4, dtype=np.float32).tobytes()
    assert fingerprint(statement, vector) != fingerprint(statement, None)
    assert fingerprint(statement, vector) != fingerprint(statement, np.zeros(4, dtype=np.float32).tobytes())
    statement.voice = "another"
    assert fingerprint(statement, None) != fingerprint(story_statements(_articles(1), ActorIndex(_articles(1)),
                                                                        settings)[0], None)  # fmt: skip


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


def _each_its_own_class(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Every statement its own class (round 12): `align` then takes each pair's outcome on its own."""
    align_mod = importlib.import_module("storydesk.compare.align")
    monkeypatch.setattr(align_mod._Twins, "classes", lambda self, memo: list(range(len(self.statements))))


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
    _each_its_own_class(monkeypatch)
    assert _report(_compare(_copies(n))) == _report(twice)
    assert once * 2 < len(calls)
    assert twice.corroborated and twice.conflicts  # the numbers 200 and 250 of two outlets


# Round 11: the state is kept by what a statement says, not by article.
# Copy rounds 0-4, then one among their days (the 12th) and one after them (the 20th). From five rounds on, a
# stem is rare enough for a candidate pair (align._candidates) only within one text, whatever the rounds.
ROUND_DAYS = [10, 13, 11, 14, 15, 12, 20]


def _exact_copies(rounds: int) -> list[Article]:
    """`rounds` copies of each of the seven outlets' texts, word for word (each text as often as the others, so
    the event's stem weights are the same whatever the number of rounds), a round's copies on one day."""
    return [
        _read(f"r{r}k{k}", text, outlet=f"outlet{k}.example", published=f"2025-03-{ROUND_DAYS[r]:02d}")
        for r in range(rounds)
        for k, text in enumerate(TEXTS)
    ]


_GROWING = CompareSettings(statement_embeddings=False, full_recompare_growth=1.0)


def _sizes(state: bytes) -> tuple[int, int]:
    """(statements, pairs) a stored state keeps."""
    plain = json.loads(zlib.decompress(state))
    return len(plain["known"]), len(plain["pairs"])


def test_a_state_of_many_copies_grows_with_distinct_statements_issue13() -> None:
    """Five, six and seven rounds of copies of seven texts: the state's statements and pairs are those of the
    seven texts (round 10 stored each copy's statements and every pair of copies that mattered)."""
    sizes = {}
    for rounds in (5, 6, 7):
        memo = PairMemo()
        _compare(_exact_copies(rounds), memo, _GROWING)
        sizes[rounds] = _sizes(memo.dump(_GROWING))
    assert sizes[5] == sizes[6] == sizes[7]
    assert sizes[5][1] > 0


@pytest.mark.parametrize("rounds", [6, 7])
def test_new_copies_leave_the_state_as_it_was_issue13(rounds: int, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Batches of new copies of known statements (published among the old ones, and after them) leave the
    state as large as it was, and the report is the one scoring every pair gives (the copies leave the stem
    weights as they were). A new article's pairs are scored, once for each pair of distinct statements."""
    first = PairMemo()
    _compare(_exact_copies(5), first, _GROWING)
    state = first.dump(_GROWING)
    size = _sizes(state)
    if rounds == 7:  # one batch more: round 5, then round 6
        memo = load(state, _GROWING)
        _compare(_exact_copies(6), memo, _GROWING)
        state = memo.dump(_GROWING)
        assert _sizes(state) == size
    align_mod = importlib.import_module("storydesk.compare.align")
    real = align_mod._outcome
    calls = []

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(align_mod, "_outcome", counted)
    memo = load(state, _GROWING)
    story = _compare(_exact_copies(rounds), memo, _GROWING)
    assert not memo.full and _sizes(memo.dump(_GROWING)) == size
    assert 0 < len(calls) * 3 < memo.scored  # the copies' pairs took the outcome of their first

    def every_pair(self, i, j, near, weights, vectors, settings):  # type: ignore[no-untyped-def]
        return real(self.statements[i], self.statements[j], near, self.claims, weights, vectors, settings)

    monkeypatch.setattr(align_mod._Twins, "outcome", every_pair)
    _each_its_own_class(monkeypatch)
    assert _report(story) == _report(_compare(_exact_copies(rounds), settings=_GROWING))
    assert story.conflicts


def _by_article_state(articles: list[Article], settings: CompareSettings) -> bytes:
    """The state round 9-10's code stored after a full compare of `articles` (version 1: every statement of
    every article, and every pair of them that mattered, with whether each article gives the other's number)."""
    kept: dict[tuple[int, int], tuple] = {}  # type: ignore[type-arg]

    class Recorder(PairMemo):
        def begin(self, prints, articles, old_prints=None):  # type: ignore[no-untyped-def]
            kept.clear()
            super().begin(prints, articles, old_prints)

        def keep(self, i, j, outcome, *, scored):  # type: ignore[no-untyped-def]
            super().keep(i, j, outcome, scored=scored)
            if outcome[0] or outcome[1] is not None:
                kept[i, j] = outcome

    _compare(articles, Recorder(), settings)
    ordered = sorted(articles, key=lambda a: (a.published or "", a.id))
    statements = [s for s in compare._statements(ordered, None, compare.voices(ordered), settings) if s.kind != "role"]
    prints = [article_fingerprint(s, False) for s in statements]
    state = {
        "version": 1,
        "settings": settings_key(settings),
        "full_size": len(prints),
        "known": sorted(set(prints)),
        "pairs": [[prints[i], prints[j], int(loose), relation, score, int(mentioned)]
                  for (i, j), (loose, relation, score, mentioned) in sorted(kept.items())],
    }  # fmt: skip
    return zlib.compress(json.dumps(state).encode("utf-8"))


def test_a_state_of_round_10_is_read_issue13() -> None:
    """A state stored by round 9-10's code (by article) is read, not thrown away: the same event compared again
    scores nothing and gives the full compare's report, so does one with new copies; the state stored then is
    of the new form. Another settings' state, or one of another shape, is not read."""
    old = _by_article_state(_exact_copies(5), _GROWING)
    assert json.loads(zlib.decompress(old))["pairs"]
    memo = load(old, _GROWING)
    assert not memo.full
    assert _report(_compare(_exact_copies(5), memo, _GROWING)) == _report(_compare(_exact_copies(5), settings=_GROWING))
    assert memo.scored == 0
    memo = load(old, _GROWING)
    story = _compare(_exact_copies(7), memo, _GROWING)
    assert not memo.full
    assert _report(story) == _report(_compare(_exact_copies(7), settings=_GROWING))
    new = memo.dump(_GROWING)
    assert json.loads(zlib.decompress(new))["version"] == 2 and len(new) < len(old)
    assert load(old, CompareSettings(statement_embeddings=False)).full
    broken = json.loads(zlib.decompress(old))
    broken["pairs"] = [["a", "b"]]
    assert load(zlib.compress(json.dumps(broken).encode()), _GROWING).full


# Round 12: outcomes taken once per pair of statement classes (what the two say, with their vectors, and whether
# each is of a new article), and the state and reports as taking each pair's own outcome gives them.


def _alignment_facts(result, memo: PairMemo, settings: CompareSettings) -> tuple:  # type: ignore[no-untyped-def,type-arg]
    return (
        [([s.id for s in c.statements], c.score) for c in result.clusters],
        sorted(result.same_pairs),
        sorted(result.carried),
        {k: sorted(s.id for s in v) for k, v in result.carriers.items()},
        [(p.a.id, p.b.id, p.score) for p in result.attribution],
        [(p.a.id, p.b.id, p.score) for p in result.numbers],
        memo.dump(settings),
        memo.scored,
    )


def _random_event(rng: np.random.Generator, settings: CompareSettings) -> tuple[list, list, Vectors]:  # type: ignore[type-arg]
    """Statements of a random event of copies (texts repeated by several outlets, on tied days), and random
    vectors shared by the copies of a text, some of them close to another text's."""
    n = int(rng.integers(8, 48))
    articles = [
        _read(f"a{x:02d}", TEXTS[int(rng.integers(len(TEXTS)))], outlet=f"outlet{int(rng.integers(2))}.example",
              published=f"2025-03-{10 + int(rng.integers(3)):02d}")
        for x in range(n)
    ]  # fmt: skip
    articles.sort(key=lambda a: (a.published or "", a.id))
    statements = [s for s in story_statements(articles, ActorIndex(articles), settings) if s.kind != "role"]
    voice = {a.id: a.outlet for a in articles}
    for s in statements:
        s.voice = voice[s.article]
    by_text: dict[str, np.ndarray] = {}
    for s in statements:
        if s.text not in by_text and rng.random() < 0.8:
            base = rng.standard_normal(8) if not by_text or rng.random() < 0.6 else list(by_text.values())[-1]
            by_text[s.text] = (base + 0.05 * rng.standard_normal(8)).astype(np.float32)
    raw = {s.id: by_text[s.text] for s in statements if s.text in by_text}
    return articles, statements, Vectors({k: v / np.linalg.norm(v) for k, v in raw.items()}, settings)


def test_outcomes_taken_once_per_pair_of_classes_are_each_pairs_own_issue13(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Random events of copies with ties, aligned in full and then again with the state of an earlier batch:
    the clusters, pairs, carriers, conflicting pairs, the state stored and the count of pairs scored are those
    of taking every pair's outcome on its own (each statement its own class), and far fewer outcomes are
    recalled or scored than there are pairs."""
    align_mod = importlib.import_module("storydesk.compare.align")
    settings = CompareSettings(full_recompare_growth=10.0)
    rng = np.random.default_rng(12)
    recalls = []
    real_recall = PairMemo.recall

    def counted(self, i, j):  # type: ignore[no-untyped-def]
        recalls.append(1)
        return real_recall(self, i, j)

    monkeypatch.setattr(PairMemo, "recall", counted)
    real_classes = align_mod._Twins.classes
    shared = pairs = 0
    for _ in range(60):
        articles, statements, vectors = _random_event(rng, settings)
        cut = len({s.article for s in statements}) * 2 // 3
        earlier = [s for s in statements if s.article in {a.id for a in articles[:cut]}]
        facts = []
        for own in (False, True):
            if own:
                _each_its_own_class(monkeypatch)
            else:
                monkeypatch.setattr(align_mod._Twins, "classes", real_classes)
            first = PairMemo()
            full = align(earlier, settings, vectors, first)
            facts.append(_alignment_facts(full, first, settings))
            memo = load(first.dump(settings), settings)
            recalls.clear()
            again = align(statements, settings, vectors, memo)
            assert not memo.full
            facts.append(_alignment_facts(again, memo, settings))
            if own:
                pairs += len(recalls)
            else:
                shared += len(recalls)
        assert facts[0] == facts[2] and facts[1] == facts[3]
    assert shared * 2 < pairs


def test_compare_reads_the_entities_names_not_their_article_lists_issue13(tmp_path: Path) -> None:
    """Compare shows an entity by its name and reads nothing else of it: not its lists of articles and roles,
    which grow with the store (round 13: a frequent name's list, tens of thousands of rows at 100,000 stored,
    was read again for every event naming it). The report is the one compared with the entities in full."""
    settings = CompareSettings(statement_embeddings=False)
    articles = _articles(8)
    for a in articles:
        for m in a.mentions:
            if m.name == "Jane Roe":
                m.entity = "ent-roe"
    ids = [a.id for a in articles]
    with open_store(tmp_path / "s.db") as store:
        for a in articles:
            store.articles.add(a)
        store.entities.upsert([Entity(id="ent-roe", name="Dr. Jane Roe", type="person", articles=ids)])
        store.stories.save(Story(id="s", title="t", articles=ids))
        in_full = store.entities.list(article_ids=ids)
        assert in_full[0].articles == ids
        assert store.entities.list(article_ids=ids, articles=False)[0].articles == []
        expected = compare_story(store.stories.get("s"), articles, entities=in_full, settings=settings)
        sent: list[str] = []
        store.conn.set_trace_callback(sent.append)
        compare.compare_stories(store, ["s"], settings)
        store.conn.set_trace_callback(None)
        compared = store.stories.get("s")
    assert not [q for q in sent if "entity_roles" in q or "FROM entity_articles WHERE entity_id" in q]
    assert "Dr. Jane Roe" in json.dumps(_report(compared))
    assert _report(compared) == _report(expected)
