"""Storylines: stories that continue one another share a `Story.storyline` id.

The ceasefire proposal on Tuesday, the Kremlin's answer on Wednesday and
Putin's conditions on Thursday are three stories (three events) but one
storyline. A new story continues an earlier one when, within
`storyline_window_days`, the two share most of their actors (cosine of the
actor sets) and are at least loosely similar by the story signals. The two
stories are never merged: only their storyline ids are set.
"""

from __future__ import annotations

import math

import numpy as np

from storydesk.link.stories import Features, StoryGrouper, StoryState, idf_terms, score, signals
from storydesk.settings import LinkSettings


def _as_features(state: StoryState) -> Features:
    vector = None
    if state.vector is not None:
        norm = float(np.linalg.norm(state.vector))
        vector = state.vector / norm if norm else None
    return Features(state.first_day, vector, state.terms, sorted(state.numbers), sorted(state.entities))


def _actor_overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / math.sqrt(len(a) * len(b)) if a and b else 0.0


def storyline_id(story_id: str) -> str:
    return "l-" + story_id.removeprefix("s-")


def link_storylines(grouper: StoryGrouper, story_ids: list[str], settings: LinkSettings) -> list[str]:
    """Give each new story in `story_ids` the storyline of the earlier story it continues.

    Returns the ids of every story whose storyline changed (the earlier story
    gets a storyline id too when it starts one).
    """
    changed: list[str] = []
    news = sorted((grouper.cache[s] for s in story_ids if s in grouper.cache), key=lambda s: (s.first_day, s.story.id))
    for state in news:
        if state.story.storyline:
            continue
        feats = _as_features(state)
        earlier = [
            c
            for c in grouper.candidates(state.first_day, settings.storyline_window_days)
            if c.story.id != state.story.id and (c.first_day, c.story.id) < (state.first_day, state.story.id)
        ]
        idf = grouper._idf(idf_terms(feats, earlier))
        best, best_key = None, (0.0, 0.0)
        for cand in earlier:
            overlap = _actor_overlap(state.actors, cand.actors)
            if overlap < settings.storyline_entities:
                continue
            s = score(signals(feats, cand, idf, settings), settings)
            if s >= settings.storyline_threshold and (overlap, s) > best_key:
                best, best_key = cand, (overlap, s)
        if best is None:
            continue
        if not best.story.storyline:
            best.story.storyline = storyline_id(best.story.id)
            grouper.dirty.add(best.story.id)
            changed.append(best.story.id)
        state.story.storyline = best.story.storyline
        grouper.dirty.add(state.story.id)
        changed.append(state.story.id)
    return changed
