"""PLACEHOLDER: entity mentions straight from spaCy NER (issue 3 replaces this)."""

from __future__ import annotations

from storydesk.records import Mention

_TYPES = {"PERSON": "person", "ORG": "organization", "GPE": "place", "LOC": "place", "NORP": "group", "FAC": "place"}


def find_mentions(doc) -> list[Mention]:  # type: ignore[no-untyped-def]
    return [
        Mention(text=e.text, start=e.start_char, end=e.end_char, type=_TYPES[e.label_], name=e.text)  # type: ignore[arg-type]
        for e in doc.ents
        if e.label_ in _TYPES
    ]
