"""Compare: findings, brief and timeline per story.

The recipe for one story is written once, in `compare_story`:

    1. statements  quotes, claims, roles and event sentences of every article
    2. align       the same statement across articles, by words and by meaning (sentence vectors,
                   compare/embed.py); look-alikes that disagree
    3. findings    corroborated (two or more independent outlets) and single-source
    4. conflicts   quote attribution, role, number, date
    5. brief       the story in the articles' own sentences, each cited
    6. timeline    dated events and publications, with who reported first
"""

from __future__ import annotations

import re
from collections import deque
from concurrent.futures import Future
from dataclasses import replace

from storydesk import encoder
from storydesk.compare.actors import ActorIndex
from storydesk.compare.align import Alignment, Vectors, Weights, align
from storydesk.compare.brief import build_brief
from storydesk.compare.conflicts import find_conflicts
from storydesk.compare.embed import (
    EMBEDDED_KINDS,
    Ahead,
    EmbedPool,
    embed_missing,
    lone_and_partners,
    needing_vectors,
    statement_vectors,
    vectors_of,
)
from storydesk.compare.findings import (
    count_line,
    framing,
    importance,
    is_known,
    role_findings,
    statement_findings,
    voice_label,
    voices,
)
from storydesk.compare.memo import PairMemo
from storydesk.compare.memo import load as load_memo
from storydesk.compare.roles import mark_bodies
from storydesk.compare.statements import Statement, outlet_of, story_statements
from storydesk.compare.timeline import build_timeline
from storydesk.records import Article, Conflict, Entity, Finding, Story
from storydesk.settings import CompareSettings
from storydesk.store.base import Store


def compare_story(
    story: Story,
    articles: list[Article],
    *,
    entities: list[Entity] | None = None,
    settings: CompareSettings,
    store: Store | None = None,
    memo: PairMemo | None = None,
) -> Story:
    """The story with its findings, conflicts, brief and timeline filled from `articles`.

    `memo`: the pair outcomes of the story's last compare, to align only the pairs with new
    statements (compare/memo.py); it collects this compare's outcomes for the next."""
    articles = sorted(articles, key=lambda a: (a.published or "", a.id))
    voice_of = voices(articles)
    statements = _statements(articles, entities, voice_of, settings)  # 1
    # The stems' weights over the aligned statements, built once: choosing which statements to embed reads them
    # as aligning does (they were built twice per event, and again by the second look; issue 13, round 12).
    weights = Weights([s for s in statements if s.kind != "role"], settings.common_number_voices)
    vectors = Vectors(statement_vectors(statements, settings, store, weights), settings)
    roles = [s for s in statements if s.kind == "role"]
    alignment = align([s for s in statements if s.kind != "role"], settings, vectors, memo, weights)  # 2
    alignment = _second_look(statements, alignment, vectors, settings, store, memo)
    corroborated, single_source = statement_findings(  # 3
        alignment.clusters,
        articles,
        voice_of,
        alignment.carried,
        min_importance=settings.single_source_min_importance,
        lead_chars=settings.single_source_lead_chars,
        min_words=settings.event_min_words,
    )
    role_corroborated = role_findings(roles, articles, voice_of)
    conflicts = find_conflicts(alignment, roles, articles, voice_of, settings)  # 4
    corroborated = without_conflicts(corroborated + role_corroborated, conflicts, voice_of)
    # The brief is what a reader sees first: only the conflicts the default view shows (a less confident
    # one stays in story.conflicts, shown on request).
    confident = [c for c in conflicts if c.confidence >= settings.confident_conflict]
    same = SameSpans(statements, alignment.same_pairs)
    brief = build_brief(
        corroborated, confident, single_source, statements, size=settings.brief_sentences, same=same
    )  # 5
    assert alignment.weights is not None
    timeline = build_timeline(articles, alignment.weights, settings)  # 6
    published = sorted(a.published for a in articles if a.published)
    return replace(
        story,
        articles=story.articles or [a.id for a in articles],
        outlets=list(dict.fromkeys(outlet_of(a) for a in articles)),
        languages=sorted({a.language for a in articles if a.language}),
        first_published=published[0] if published else None,
        last_published=published[-1] if published else None,
        independent_outlets=len({v for v in voice_of.values() if is_known(v)}),
        corroborated=corroborated,
        single_source=single_source,
        conflicts=conflicts,
        brief=brief,
        timeline=timeline,
    )


def _second_look(
    statements: list[Statement],
    alignment: Alignment,
    vectors: Vectors,
    settings: CompareSettings,
    store: Store | None,
    memo: PairMemo | None,
) -> Alignment:
    """The alignment again, when statements about to be listed as single-source lacked a vector (past an
    article's first `statement_embed_max` statements) or their possible partners did: those are embedded
    (compare/embed.py lone_and_partners) and the story aligned once more. Most single-source items of a
    long article came from its later paragraphs, where no vector could show another outlet's rewording."""
    if not vectors.vectors or alignment.weights is None:
        return alignment  # no vectors at all (one voice, or embeddings off): nothing to add
    lone = [
        s
        for cluster in alignment.clusters
        if len({s.voice for s in cluster.statements}) == 1
        for s in cluster.statements
        if s.kind in EMBEDDED_KINDS
        and s.start is not None
        and not s.heading
        and s.id not in alignment.carried
        and not framing(s, settings.event_min_words)
        and importance([s]) >= settings.single_source_min_importance
    ]
    extra = lone_and_partners(lone, statements, set(vectors.vectors), alignment.weights.similarity, settings)
    # Only those some pair may need (round 11): the others would change no pair's outcome (embed.py `needing_vectors`).
    extra = needing_vectors(extra, statements, settings, set(), alignment.weights)
    if not extra:
        return alignment
    vectors.vectors.update(vectors_of(extra, settings, store))
    return align([s for s in statements if s.kind != "role"], settings, vectors, memo, alignment.weights)


class SameSpans:
    """The pairs of statement spans (article, start) that alignment found to say the same, as `build_brief`
    asks of them (`frozenset((x, y)) in same`), found from the same pairs when asked. Building every pair's
    spans cost a tenth of compare in an event of many copies, whose same pairs are hundreds of thousands and
    whose brief asks of a few (issue 13, round 12)."""

    def __init__(self, statements: list[Statement], same_pairs: set[tuple[int, int]]) -> None:
        self.same_pairs = same_pairs
        self.at: dict[tuple[str, int | None], list[int]] = {}
        for s in statements:
            self.at.setdefault((s.article, s.start), []).append(s.id)

    def __bool__(self) -> bool:
        return bool(self.same_pairs)

    def __contains__(self, spans: object) -> bool:
        if not isinstance(spans, frozenset) or len(spans) != 2:
            return False  # two statements of one span are of one article: never a pair
        x, y = spans
        pairs, at_x, at_y = self.same_pairs, self.at.get(x), self.at.get(y)
        if at_x is None or at_y is None:
            return False
        for a in at_x:
            for b in at_y:
                if (a, b) in pairs or (b, a) in pairs:
                    return True
        return False


def without_conflicts(
    findings: list[Finding], conflicts: list[Conflict], voice_of: dict[str, str] | None = None
) -> list[Finding]:
    """Corroborated findings, none holding both sides of a conflict (issue 11: a statement cannot be
    both corroborated and in conflict): a side in conflict with another side of the same finding is
    taken out of it, and a finding left with fewer than two voices is dropped. A finding that lost
    sides counts its voices again (issue 10: "5 independent outlets (3 articles)" was shown)."""
    contested: list[tuple[tuple[str, int | None], tuple[str, int | None]]] = [
        ((a.article, a.start), (b.article, b.start)) for c in conflicts for a in c.sides for b in c.sides if a is not b
    ]
    out = []
    for finding in findings:
        spans = {(s.article, s.start) for s in finding.sides}
        drop = {x for x, y in contested if x in spans and y in spans}
        if not drop:
            out.append(finding)
            continue
        sides = [s for s in finding.sides if (s.article, s.start) not in drop]
        if len({s.outlet for s in sides}) >= 2:
            finding.sides = sides
            finding.articles = list(dict.fromkeys(s.article for s in sides))
            if voice_of is not None:
                _recount(finding, voice_of)
            out.append(finding)
    return out


def _statements(
    articles: list[Article], entities: list[Entity] | None, voice_of: dict[str, str], settings: CompareSettings
) -> list[Statement]:
    statements = story_statements(articles, ActorIndex(articles, entities), settings)
    mark_bodies(statements)
    for statement in statements:
        statement.voice = voice_of[statement.article]
    return statements


def _stored(store: Store, story_id: str) -> tuple[Story, list[Article], list[Entity]]:
    """The story, its articles and their entities. Compare reads only the entities' names (ActorIndex): not
    their lists of articles and roles, which grow with the store (a name in a fifth of all articles is 20,000
    rows at 100,000 stored, read again for every event that names it; issue 13, round 13)."""
    story = store.stories.get(story_id)
    entities = store.entities.list(article_ids=story.articles, articles=False)
    return story, store.articles.get_many(story.articles), entities


def compare_stories(
    store: Store,
    story_ids: list[str],
    settings: CompareSettings,
    processes: int = 1,
    *,
    full: bool = False,
    pool: EmbedPool | None = None,
) -> None:
    """Recompute the report of every story in `story_ids` and save it. With a `pool` (workers started
    ahead by an ingest, compare/embed.py `EmbedPool`), the stories are compared in its workers
    (`_compare_in_pool`). Else, with `processes` > 1, the statement vectors the stories lack are embedded
    in that many worker processes while the stories are compared here, each story once the vectors
    of its articles are stored (compare/embed.py `Ahead`).

    A story compared before aligns only the pairs its new statements make and keeps its other pairs'
    outcomes from the state its last compare stored (compare/memo.py), unless `full` (a relink) or it
    has grown by `settings.full_recompare_growth` since its last full compare."""
    if pool is not None:
        _compare_in_pool(store, story_ids, settings, pool, full=full)
        return
    ahead = Ahead(settings, store, None)
    try:
        if processes > 1 and settings.statement_embeddings:
            for story_id in story_ids:
                _, articles, entities = _stored(store, story_id)
                ahead.add(_statements(articles, entities, voices(articles), settings))
            ahead.start(processes)
        for story_id in story_ids:
            story, articles, entities = _stored(store, story_id)
            ahead.wait_for(story.articles)
            memo = load_memo(store.stories.compare_state(story_id), settings, full=full)
            compared = compare_story(story, articles, entities=entities, settings=settings, store=store, memo=memo)
            _save(store, compared, memo.dump(settings))
    finally:
        ahead.close()


def _save(
    store: Store, compared: Story, state: bytes, vectors: list[tuple[str, int, int, bytes]] | None = None
) -> None:
    with store.transaction():
        if vectors:
            store.stories.save_statement_vectors(vectors, encoder.statement_engine())
        store.stories.save(compared)
        store.stories.save_compare_state(compared.id, state)


class _StoryVectors:
    """What `compare_story` reads and writes of a store, for one story compared in a worker process: the
    stored statement vectors of its articles (read by the main process before), and the rows it adds."""

    def __init__(self, cached: dict[tuple[str, int, int], bytes]) -> None:
        self.cached = cached
        self.rows: list[tuple[str, int, int, bytes]] = []

    @property
    def stories(self) -> _StoryVectors:
        return self

    # `engine`: the worker's statement engine, which is the main process's (the same settings), whose vectors
    # `cached` holds and which saves `rows`.
    def statement_vectors(self, article_ids: list[str], engine: str) -> dict[tuple[str, int, int], bytes]:
        wanted = set(article_ids)
        return {key: self.cached[key] for key in sorted(self.cached) if key[0] in wanted}  # as the store's key order

    def save_statement_vectors(self, rows: list[tuple[str, int, int, bytes]], engine: str) -> None:
        self.rows.extend(rows)
        self.cached.update({(a, start, end): blob for a, start, end, blob in rows})


def _compare_one(
    story: Story,
    articles: list[Article],
    entities: list[Entity],
    settings: CompareSettings,
    state: bytes | None,
    full: bool,
    cached: dict[tuple[str, int, int], bytes],
) -> tuple[Story, bytes, list[tuple[str, int, int, bytes]]]:
    """A worker's compare of one story: the story, its compare state and the vectors it embedded."""
    vectors = _StoryVectors(cached)
    if settings.statement_embeddings:  # as `embed_ahead` would have, with the articles in the order it reads them
        embed_missing(_statements(articles, entities, voices(articles), settings), settings, vectors)  # type: ignore[arg-type]
    memo = load_memo(state, settings, full=full)
    compared = compare_story(story, articles, entities=entities, settings=settings, store=vectors, memo=memo)  # type: ignore[arg-type]
    return compared, memo.dump(settings), vectors.rows


# Stories sent ahead per worker. The results are saved in order, so the main process waits for the oldest:
# with 4, one worker idled once the few stories behind a slow one were done (round 13's timeline: stretches
# of compare with one of two workers busy); a story of 1,000 articles sent is a few MB.
_IN_FLIGHT = 32


def _compare_in_pool(
    store: Store, story_ids: list[str], settings: CompareSettings, pool: EmbedPool, *, full: bool
) -> None:
    """Compare `story_ids` in `pool`'s workers, saving each in order here (issue 13, round 13).

    After an ingest, compare ran serially in the main process (its own work and the statements' second
    look, ~105 CPU ms an article on 1,000 PolNeAR articles) while the other core idled. A story's compare
    reads nothing of the store but its own articles' statement vectors and adds vectors only for them,
    so a worker gets those vectors with the story and hands back the rows it embedded. It first embeds what
    `embed_ahead` would have for the story (`embed_missing`), so its compare starts from the same vectors as
    main's after a large ingest (256 texts or more), memo state included. Exact: a story
    whose articles another story still in a worker holds waits for that one to be saved first, so it
    reads what it would have read comparing in order here."""
    pending: deque[tuple[frozenset[str], Future[tuple[Story, bytes, list[tuple[str, int, int, bytes]]]]]] = deque()
    busy: set[str] = set()

    def take() -> None:
        ids, future = pending.popleft()
        compared, state, rows = future.result()
        _save(store, compared, state, rows)
        busy.difference_update(ids)

    for story_id in story_ids:
        story, articles, entities = _stored(store, story_id)
        ids = frozenset(story.articles)
        while pending and (len(pending) >= _IN_FLIGHT * pool.processes or ids & busy):
            take()
        cached = (
            store.stories.statement_vectors(sorted(ids), encoder.statement_engine())
            if settings.statement_embeddings
            else {}
        )
        state = store.stories.compare_state(story_id)
        pending.append((ids, pool.run(_compare_one, story, articles, entities, settings, state, full, cached)))
        busy.update(ids)
    while pending:
        take()


def _recount(finding: Finding, voice_of: dict[str, str]) -> None:
    """A finding's voices, independent outlets and "reported by" line from its articles."""
    voice_ids = [voice_of[a] for a in finding.articles if a in voice_of]
    finding.voices = len(set(voice_ids))
    finding.independent_outlets = len({v for v in voice_ids if is_known(v)})
    finding.outlets = list(dict.fromkeys(voice_label(v) for v in voice_ids))
    if finding.reason.startswith("reported by "):
        rest = re.search(r";| \(weakest", finding.reason)
        tail = finding.reason[rest.start() :] if rest else ""
        finding.reason = "reported by " + count_line(voice_ids, len(finding.articles)) + tail
