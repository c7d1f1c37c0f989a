"""Sentence vectors of statements, so rewordings and translations of one statement can meet.

The multilingual encoder linking uses (e5, link/features.py `embed_statements`, on its
statement engine: storydesk/encoder.py `statement_engine`) embeds each
quote, claim and narrative sentence once; the vectors are kept in the store
(`statement_vectors`, one engine's), so comparing a story again, after a new article joins
it, embeds only the new article's sentences. The encoder is the costly part
of comparing (docs/benchmarks.md): sentences are cut at
`statement_embed_chars`, at most `statement_embed_max` per article are
embedded (in reading order: leads carry the news), each distinct text once,
and an event with one voice (nothing to align) embeds nothing. When reading runs in
worker processes, the workers embed each article's statements ahead (`reading_vectors`)
and compare finds them stored.
"""

from __future__ import annotations

import multiprocessing
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain
from typing import TypeVar

import numpy as np

from storydesk import encoder
from storydesk.compare.actors import ActorIndex
from storydesk.compare.align import (
    Weights,
    candidate_limit,
    cosine_matters,
    one_body,
    one_speaker,
    quoted_spans,
    reports_speech,
)
from storydesk.compare.roles import body_keys
from storydesk.compare.statements import Statement, article_statements, said
from storydesk.records import Article
from storydesk.settings import CompareSettings
from storydesk.store.base import Store

R = TypeVar("R")
EMBEDDED_KINDS = ("quote", "claim", "event")
VectorRow = tuple[int, int, bytes]  # (span start, span end, float32 vector) of one article's statement


def embedded(statements: list[Statement], settings: CompareSettings) -> list[Statement]:
    """The statements worth a vector: quotes, claims and event sentences, at most
    `statement_embed_max` per article in reading order."""
    per_article: dict[str, int] = {}
    wanted: list[Statement] = []
    spans: set[tuple[str, int, int]] = set()
    for s in sorted(statements, key=lambda s: (s.article, s.order)):
        if s.kind not in EMBEDDED_KINDS or s.start is None or s.end is None:
            continue
        if per_article.get(s.article, 0) >= settings.statement_embed_max:
            continue
        per_article[s.article] = per_article.get(s.article, 0) + 1
        wanted.append(s)
        spans.add((s.article, s.start, s.end))
    # A sentence's claims and its event statement share one span, so one text and one vector: one past the
    # cap gets it too, at no cost (issue 10: a sentence's second claim went without the vector its first
    # one had, and the single-source veto could not see that another outlet carried it).
    chosen = {id(s) for s in wanted}
    wanted += [
        s
        for s in statements
        if id(s) not in chosen and s.kind in EMBEDDED_KINDS and (s.article, s.start, s.end) in spans
    ]
    return wanted


def partnered(statements: list[Statement]) -> list[Statement]:
    """The statements whose vector some rule of compare/align.py could use: those with a possible
    partner in another article among `statements` (issue 13: the encoder is compare's main cost,
    and most sentences of a story have no such partner). Every rule that reads a cosine also needs,
    in one language, a shared content stem (or, for the numbers veto, a shared name; for the speaker
    veto, one named speaker), and across
    two languages a shared number or name or one quoted speaker (`_anchored`); a statement without
    such a partner gets no vector and nothing compare decides changes (a pair lacking one vector
    has no cosine, and a pair with no shared stem is not scored)."""
    # Keys a partner must share: (language, stem), (language, name) and (language, speaker) within one
    # language (one speaker's words may share no stem: settings `single_veto_speaker_embedding`);
    # numbers, names and quoted speakers across languages.
    same: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    cross: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    keys: dict[int, tuple[list[tuple[str, str, str]], list[tuple[str, str]]]] = {}
    for st in statements:
        own = [(st.language, "t", t) for t in st.terms] + [(st.language, "n", n) for n in st.names]
        other = [("#", n) for n in st.numbers] + [("n", n) for n in st.names]
        if st.kind == "quote" and st.actor is not None:
            other.append(("q", st.actor))
            own.append((st.language, "q", st.actor))
        elif st.kind == "event" and reports_speech(st):
            # A sentence reporting what a named actor said may carry that speaker's quote in other words
            # (align.py `one_speaker`), with no stem in common.
            own += [(st.language, "q", actor) for actor in st.actors]
        # A spokesman's quote and a sentence crediting the body he speaks for (align.py `one_body`): a service
        # and the joint forces meet under the joint forces' key (roles.bodies_agree).
        own += [(st.language, "b", body) for body in body_keys(st.speaks_for)]
        keys[st.id] = own, other
        for key in own:
            same[key].add(st.article)
        for ckey in other:
            cross[ckey][st.language].add(st.article)
    out = []
    for st in statements:
        own, other = keys[st.id]
        if any(same[key] - {st.article} for key in own) or any(
            language != st.language for ckey in other for language in cross[ckey]
        ):
            out.append(st)
    return out


def needing_vectors(
    wanted: list[Statement],
    statements: list[Statement],
    settings: CompareSettings,
    stored: set[tuple[str, int, int]],
    weights: Weights | None = None,
) -> list[Statement]:
    """Those of `wanted` (see `partnered`) whose vector is stored, or some pair of which may need it: a statement
    of another article, among all of `statements` that may hold a vector (the second look, compare/__init__.py,
    embeds some past `statement_embed_max`), with which its cosine could change the pair's outcome
    (compare/align.py `cosine_matters`).

    Issue 13, round 11: `partnered` keeps a statement sharing one content stem with another article, and
    most such pairs reach no rule reading a cosine (on the news_stories_2025 dev events a third of the
    statements embedded changed no pair's outcome). Exact: a statement left without a vector is in no pair
    whose outcome its cosine could change, whatever the other side's vector and whichever other statements
    are embedded, so the alignment, findings and conflicts are those of embedding all of `wanted`. The second
    look (compare/__init__.py `_second_look`) filters what it would embed the same way. A stored vector costs
    nothing, so it is kept (a story compared again filters only its new statements).

    `weights`: the story's `Weights` over its non-role statements, when the caller has built them already
    (compare_story builds them once for this and for `align`; round 12)."""
    missing = [s for s in wanted if (s.article, s.start or 0, s.end or 0) not in stored]
    if not missing:
        return wanted
    aligned = [s for s in statements if s.kind != "role"]
    if weights is None:
        weights = Weights(aligned, settings.common_number_voices)
    limit = candidate_limit(len(aligned))
    others = [s for s in aligned if s.kind in EMBEDDED_KINDS and s.start is not None and s.end is not None]
    # Every clause of `cosine_matters` needs the two statements to share a stem, number, name, actor or body,
    # or one to quote the other (`quoted_in`): pairs sharing none are skipped without scoring.
    # Hand-written inverted index (anchor -> statements holding it), as `partnered` keeps: a scan of every
    # statement of the event for each new one was quadratic in a large event (round 11 review).
    postings: dict[object, list[int]] = defaultdict(list)
    for k, y in enumerate(others):
        for key in _anchors(y):
            postings[key].append(k)
    quoting = [k for k, y in enumerate(others) if quoted_spans(y.text, y.kind == "quote")]
    needed = set()
    contents: dict[int, tuple[object, ...]] = {}
    for x in missing:
        if quoted_spans(x.text, x.kind == "quote"):
            partners: Iterable[int] = range(len(others))  # a quote may be found in any sentence
        else:
            partners = sorted(set(chain(quoting, *(postings.get(key, ()) for key in _anchors(x)))))
        # Copies of one statement answer alike (`cosine_matters` reads what they say, not their id or article):
        # each is asked once per statement (issue 13, round 12: 255,000 pairs for a batch at 10k stored).
        answers: dict[tuple[object, ...], bool] = {}
        for k in partners:
            y = others[k]
            if y.article == x.article:
                continue
            content = contents[k] if k in contents else contents.setdefault(k, said(y))
            answer = answers.get(content)
            if answer is None:
                answer = answers[content] = cosine_matters(x, y, weights, settings, limit)
            if answer:
                needed.add(x.id)
                break
    dropped = {s.id for s in missing} - needed
    return [s for s in wanted if s.id not in dropped]


def _anchors(s: Statement) -> frozenset[object]:
    return frozenset(
        chain(
            s.terms,
            (("#", n) for n in s.numbers),
            (("n", n) for n in s.names),
            (("a", a) for a in chain(s.actors, [s.actor] if s.actor else [])),
            (("b", b) for b in body_keys(s.speaks_for)),
        )
    )


def reading_vectors(articles: list[Article], settings: CompareSettings) -> list[list[VectorRow]]:
    """Per article, the vectors `statement_vectors` would embed for it, computed ahead (issue 13):
    a reading worker calls this so the encoder runs in parallel while reading, not serially when
    the main process compares. Which statements are embedded and their spans depend on the article
    alone (the story only renames actors), so these rows are the ones compare looks up. A
    near-duplicate gets none: compare finds its sentences under its original's text."""
    if not (settings.statement_embeddings and settings.statement_embed_in_reading):
        return [[] for _ in articles]
    from storydesk.link.features import embed_statements

    cut = settings.statement_embed_chars
    wanted = [
        [] if a.duplicate_of else embedded(article_statements(a, ActorIndex([a]), settings), settings) for a in articles
    ]
    texts = list(dict.fromkeys(s.text[:cut] for statements in wanted for s in statements))
    by_text = dict(zip(texts, embed_statements(texts), strict=True))
    return [
        [(s.start or 0, s.end or 0, by_text[s.text[:cut]].astype(np.float32).tobytes()) for s in statements]
        for statements in wanted
    ]


def _missing(statements: list[Statement], settings: CompareSettings, store: Store) -> dict[tuple[str, int, int], str]:
    """(article, start, end) -> cut text of the vectors `statement_vectors` would embed for a story now."""
    if not settings.statement_embeddings or len({s.voice or s.article for s in statements}) < 2:
        return {}
    wanted = partnered(embedded(statements, settings))
    cached = (
        store.stories.statement_vectors(sorted({s.article for s in wanted}), encoder.statement_engine())
        if wanted
        else {}
    )
    wanted = needing_vectors(wanted, statements, settings, set(cached))
    keys = {(s.article, s.start or 0, s.end or 0): s.text[: settings.statement_embed_chars] for s in wanted}
    stored = {text for key, text in keys.items() if key in cached}  # compare reuses these for a copy
    return {key: text for key, text in keys.items() if key not in cached and text not in stored}


def _embed_texts(texts: list[str]) -> list[bytes]:
    from storydesk.link.features import embed_statements

    return [vector.astype(np.float32).tobytes() for vector in embed_statements(texts)]


def embed_missing(statements: list[Statement], settings: CompareSettings, store: Store) -> int:
    """What `embed_ahead` does for one story (its `statements`), in this process: embed and store the vectors
    comparing it will look up and the store lacks; the number of texts embedded. A story compared in a worker
    (compare/__init__.py `_compare_in_pool`) starts with these, as after `embed_ahead`: compare's first pass
    keeps every stored vector, so the memo's fingerprints are those of main's ahead path (round 13)."""
    missing = _missing(statements, settings, store)
    texts = list(dict.fromkeys(missing.values()))
    if texts:
        by_text = dict(zip(texts, _embed_texts(texts), strict=True))
        store.stories.save_statement_vectors(
            [(*key, by_text[text]) for key, text in missing.items()], encoder.statement_engine()
        )
    return len(texts)


def _load_encoder() -> None:
    encoder.load_statements()  # once per worker, before its first texts


class EmbedPool:
    """Worker processes that embed statement texts, or compare whole stories, each loading the encoder once.

    Issue 13 (round 13): started by an ingest before linking, so that the workers load the encoder
    while linking runs serially on one core (the other idle); compare then runs its stories in
    them (compare/__init__.py `compare_stories`), on every core from its start, whatever the
    number of texts (`statement_embed_pool_min` weighs a start that is then already paid)."""

    def __init__(self, processes: int) -> None:
        context = multiprocessing.get_context("spawn")  # as read/pool.py: a clean interpreter per worker
        self.processes = processes
        self._executor = ProcessPoolExecutor(processes, mp_context=context, initializer=_load_encoder)
        # ProcessPoolExecutor starts a worker when a task finds none idle: one empty task each starts them all now.
        for _ in range(processes):
            self._executor.submit(_embed_texts, [])

    def submit(self, texts: list[str]) -> Future[list[bytes]]:
        return self._executor.submit(_embed_texts, texts)

    def run(self, fn: Callable[..., R], *args: object) -> Future[R]:
        return self._executor.submit(fn, *args)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> EmbedPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


Key = tuple[str, int, int]  # (article, span start, span end) of a statement vector


class Ahead:
    """The statement vectors comparing some stories will look up and the store lacks, embedded in worker
    processes while the stories are compared (issue 13, round 13).

    `add` each story's statements first (before any story is compared): their missing texts go to the
    workers in chunks of `chunk` as they are found, so the encoder starts while the main process still
    reads the later stories. Then `wait_for` a story's articles before comparing it: it stores every
    chunk up to the last one holding a text of those articles. A story is thus compared with all the
    vectors the whole batch embeds for its articles already stored, as when every vector was stored
    before the first compare (the vectors are the same: one text per encoder call, compare/embed.py
    `embed`), while the main process's own compare work overlaps the workers' encoder.

    Without a `pool` the texts are only collected; `start` then embeds them in a pool of `processes`
    started for them, if at least `statement_embed_pool_min` (else nothing is embedded ahead)."""

    def __init__(self, settings: CompareSettings, store: Store, pool: EmbedPool | None, chunk: int = 32) -> None:
        self.settings, self.store, self.pool, self.chunk = settings, store, pool, chunk
        self.missing: dict[Key, str] = {}
        self.texts: dict[str, int] = {}  # text -> index of its chunk (-1: not sent yet)
        self.unsent: list[str] = []
        self.chunks: list[tuple[list[str], Future[list[bytes]]]] = []
        self.stored = 0  # chunks stored so far
        self._own: EmbedPool | None = None
        self._keys: defaultdict[str, list[Key]] = defaultdict(list)  # text -> the keys it is stored under
        self._last: dict[str, int] = {}  # article -> the last chunk holding one of its texts

    def add(self, statements: list[Statement]) -> None:
        for key, text in _missing(statements, self.settings, self.store).items():
            self.missing[key] = text  # the last story's wins, as one dict over every story kept it
            if text not in self.texts:
                self.texts[text] = -1
                self.unsent.append(text)
        if self.pool is not None:
            self._send(whole=False)

    def _send(self, *, whole: bool) -> None:
        assert self.pool is not None
        while len(self.unsent) >= self.chunk or (whole and self.unsent):
            texts, self.unsent = self.unsent[: self.chunk], self.unsent[self.chunk :]
            for text in texts:
                self.texts[text] = len(self.chunks)
            self.chunks.append((texts, self.pool.submit(texts)))

    def start(self, processes: int) -> int:
        """After the last `add`: send what is left (starting a pool if there is none and the texts
        repay it); the number of texts embedded ahead."""
        if self.pool is None:
            if len(self.texts) < self.settings.statement_embed_pool_min or processes < 2:
                self.texts.clear()
                return 0
            self.pool = self._own = EmbedPool(processes)
        self._send(whole=True)
        for key, text in self.missing.items():
            self._keys[text].append(key)
            self._last[key[0]] = max(self._last.get(key[0], -1), self.texts[text])
        return len(self.texts)

    def wait_for(self, article_ids: Iterable[str]) -> None:
        """Store every chunk up to the last one holding a vector of `article_ids`."""
        if not self.chunks:
            return
        need = max((self._last.get(a, -1) for a in article_ids), default=-1)
        while self.stored <= need:
            texts, future = self.chunks[self.stored]
            rows = [(*key, blob) for text, blob in zip(texts, future.result(), strict=True) for key in self._keys[text]]
            self.store.stories.save_statement_vectors(rows, encoder.statement_engine())
            self.stored += 1

    def close(self) -> None:
        """Store what is left, and stop a pool started here."""
        try:
            self.wait_for(self._last)
        finally:
            if self._own is not None:
                self._own.close()


def embed_ahead(
    stories: Iterable[list[Statement]], settings: CompareSettings, store: Store, processes: int, chunk: int = 32
) -> int:
    """Embed, in `processes` worker processes, the statement vectors comparing `stories` (each its
    statements) will look up and the store lacks, and store them; the number embedded.

    Issue 13: after a large ingest, compare's encoder ran serially in the main process (~0.3 s of
    one core per article on a 10,000-article stream, the other core idle). Here the encoder runs
    on every core before comparing, and only for the sentences compare will embed (a one-voice
    event needs none). Fewer than `statement_embed_pool_min` texts are left to compare: starting
    workers (each loads the encoder) would cost more. (`compare_stories` uses `Ahead` itself, to
    compare while the workers embed.)"""
    ahead = Ahead(settings, store, None, chunk)
    for statements in stories:
        ahead.add(statements)
    try:
        return ahead.start(processes)
    finally:
        ahead.close()


def statement_vectors(
    statements: list[Statement], settings: CompareSettings, store: Store | None = None, weights: Weights | None = None
) -> dict[int, np.ndarray]:
    """Statement id -> unit vector, for the statements worth embedding (see the module doc). `weights`: as
    `needing_vectors` takes them."""
    if not settings.statement_embeddings or len({s.voice or s.article for s in statements}) < 2:
        return {}  # one voice: nothing to align by meaning, nothing to veto
    wanted = partnered(embedded(statements, settings))
    cached = (
        store.stories.statement_vectors(sorted({s.article for s in wanted}), encoder.statement_engine())
        if store is not None and wanted
        else {}
    )
    return vectors_of(needing_vectors(wanted, statements, settings, set(cached), weights), settings, store, cached)


def vectors_of(
    wanted: list[Statement],
    settings: CompareSettings,
    store: Store | None,
    cached: dict[tuple[str, int, int], bytes] | None = None,
) -> dict[int, np.ndarray]:
    """Statement id -> unit vector for `wanted`, from the store's cache (`cached`: as read already) or the
    encoder (then stored)."""
    if not wanted:
        return {}
    if cached is None:
        cached = (
            store.stories.statement_vectors(sorted({s.article for s in wanted}), encoder.statement_engine())
            if store is not None
            else {}
        )
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
        from storydesk.link.features import embed_statements

        keys = list(missing)
        # Each distinct text once, and none already stored under another article.
        texts = [t for t in dict.fromkeys(missing.values()) if t not in by_text]
        by_text.update(zip(texts, embed_statements(texts), strict=True))
        for key in keys:
            vectors[key] = by_text[missing[key]]
        if store is not None:
            store.stories.save_statement_vectors(
                [(k[0], k[1], k[2], vectors[k].astype(np.float32).tobytes()) for k in keys], encoder.statement_engine()
            )
    return {s.id: vectors[(s.article, s.start or 0, s.end or 0)] for s in wanted}


def lone_and_partners(
    lone: list[Statement],
    statements: list[Statement],
    have: set[int],
    similarity: Callable[..., tuple[float, int]],
    settings: CompareSettings,
) -> list[Statement]:
    """The statements a second pass embeds (issue 10): `lone` ones (no other voice found to carry them, so
    about to be listed as single-source) that have no vector, since they lay past an article's first
    `statement_embed_max` statements, and those statements of other voices lacking a vector that a
    single-source veto could match with one of them (compare/align.py `_loosely_same`: every rule reading
    a cosine needs a shared number, name or quoted speaker, or, in one language, words covering
    `single_veto_embedding_similarity`). "Only one outlet reports this" must not rest on a vector never
    computed: one outlet's late paragraph was listed as single-source while three others carried it."""
    wanted = {s.id: s for s in lone if s.id not in have}
    if not lone:
        return []
    for y in statements:
        if y.id in have or y.id in wanted or y.kind not in EMBEDDED_KINDS or y.start is None:
            continue
        for x in lone:
            if x.voice == y.voice:
                continue
            if y.heading:
                # A heading or summary line ("ISPR says India continues its belligerence ...") may carry the words
                # of the speaker or body it credits (align.py `one_speaker`, `one_body`), whatever else it shares.
                if one_speaker(x, y) or one_body(x, y):
                    wanted[y.id] = y
                    break
                continue
            if (
                x.numbers & y.numbers
                or x.names & y.names
                or one_speaker(x, y)
                or one_body(x, y)
                or (
                    x.language == y.language
                    and x.terms & y.terms
                    and similarity(x.terms, y.terms)[0] >= settings.single_veto_embedding_similarity
                )
            ):
                wanted[y.id] = y
                break
    return list(wanted.values())
