"""Speech, thought and writing events tagged by a model trained on SpkAtt-2023 (Bundestag debates).

The tagger (read/de/train_attribution.py, shipped in read/de/attribution_model/)
marks cue words and the spans of their roles (SOURCE, MESSAGE, ADDR, TOPIC,
MEDIUM, EVIDENCE, PTC) in `doc.spans["attribution"]`; here they become events,
each role joined to the nearest cue of its sentence.

SpkAtt's events are broader than a quote: thoughts ("glaube"), nouns ("Frage",
"Antrag") and speech without content. The quote reader (quotes.py) takes from
them only what is a quote by issue 9's definition: a verb of saying with a
reported clause its rules did not find; eval/eval_spkatt.py scores the events
as they are, which is what the shared task asks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

SPANS_KEY = "attribution"
ROLES = ("SOURCE", "MESSAGE", "ADDR", "TOPIC", "MEDIUM", "EVIDENCE", "PTC")


@dataclass(slots=True)
class Event:
    cue: Span
    roles: dict[str, list[Span]] = field(default_factory=dict)

    def role(self, name: str) -> Span | None:
        spans = self.roles.get(name)
        return spans[0] if spans else None


def find_events(doc: Doc) -> list[Event]:
    """The tagged events of `doc`, in text order (empty when the tagger is not in the pipeline)."""
    spans = list(doc.spans.get(SPANS_KEY, []))
    if not spans:
        return []
    events: list[Event] = []
    by_sentence: dict[int, list[Span]] = {}
    for span in spans:
        by_sentence.setdefault(span[0].sent.start, []).append(span)
    for group in by_sentence.values():
        cues = [s for s in group if s.label_ == "CUE"]
        if not cues:
            continue
        sentence_events = [Event(cue=c) for c in cues]
        for span in group:
            if span.label_ == "CUE":
                continue
            if span.label_ == "PTC":  # a verb particle belongs to the cue before it
                owners = [e for e in sentence_events if e.cue.start < span.start] or sentence_events
                owner = owners[-1]
            else:
                owner = min(sentence_events, key=lambda e: _distance(e.cue, span))
            owner.roles.setdefault(span.label_, []).append(span)
        events.extend(sentence_events)
    return sorted(events, key=lambda e: e.cue.start)


def _distance(a: Span, b: Span) -> int:
    if a.end <= b.start:
        return b.start - a.end
    if b.end <= a.start:
        return a.start - b.end
    return 0
