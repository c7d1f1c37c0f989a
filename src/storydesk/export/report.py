"""The JSON report (the contract in `schema/report.schema.json`).

Every field the contract requires is present; extra fields (offsets, cues,
confidence, reasons) ride along, as the contract allows.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from functools import lru_cache
from importlib import resources
from typing import Any

from storydesk.ingest.sources import public_source
from storydesk.records import Article, Entity, Story, Storyline
from storydesk.store.base import Store

# 1.1 (issue 10): storylines, the event fields of a story, each side's own words in findings.
SCHEMA_VERSION = "1.1"


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads((resources.files("storydesk.schema") / "report.schema.json").read_text(encoding="utf-8"))


def validate_report(report: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when `report` breaks the contract."""
    import jsonschema

    jsonschema.validate(report, schema())


def article_json(article: Article) -> dict[str, Any]:
    data = {
        k: v for k, v in article.to_dict().items() if k not in {"mentions", "quotes", "claims", "dates", "paragraphs"}
    }
    data["quotes"] = [
        {
            "text": q.text,
            "kind": q.kind,
            "speaker": {"name": q.speaker, "entity": q.speaker_entity} if q.speaker else None,
            "start": q.start,
            "end": q.end,
            "cue": q.cue,
            "speaker_text": q.speaker_text,
        }
        for q in article.quotes
    ]
    # The contract links every mention to an entity: mentions appear once linking has run.
    data["mentions"] = [
        {
            "entity": m.entity,
            "text": m.text,
            "role": m.role,
            "type": m.type,
            "name": m.name,
            "start": m.start,
            "end": m.end,
        }
        for m in article.mentions
        if m.entity
    ]
    data["claims"] = [asdict(c) for c in article.claims]
    data["dates"] = [asdict(d) for d in article.dates]
    data["source"] = public_source(article.source)  # never a machine's absolute path (issue 11)
    return data


def entity_json(entity: Entity) -> dict[str, Any]:
    return entity.to_dict()


def story_json(story: Story) -> dict[str, Any]:
    return story.to_dict()


def storyline_json(storyline: Storyline) -> dict[str, Any]:
    return storyline.to_dict()


def build_report(store: Store, *, story_ids: list[str] | None = None) -> dict[str, Any]:
    """The whole store, or the given stories with their articles, entities and storylines."""
    if story_ids is None:
        stories = store.stories.list()
        articles = list(store.articles.iter_all())
        entities = store.entities.list()
        storylines = store.storylines.list()
    else:
        stories = [store.stories.get(s) for s in story_ids]
        ids = [a for s in stories for a in s.articles]
        articles = store.articles.get_many(ids)
        entities = store.entities.list(article_ids=ids)
        storylines = store.storylines.get_many(list(dict.fromkeys(s.storyline for s in stories if s.storyline)))
    return {
        "schema_version": SCHEMA_VERSION,
        "articles": [article_json(a) for a in articles],
        "entities": [entity_json(e) for e in entities],
        "stories": [story_json(s) for s in stories],
        "storylines": [storyline_json(line) for line in storylines],
    }
