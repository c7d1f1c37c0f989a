"""Quotes: what a person, organisation, group or document said or wrote, with its cue and speaker.

What counts is written down in docs/quotes.md. The recipe for one document:

    1. candidates (read/candidates.py): text between quotation marks, a speech
       verb's content clause, "according to X", a directive's infinitive, a
       speech verb's object, a speech noun's clause, "Name: claim" lines
    2. speaker options for each, in text order: the cue's subject (or the object
       of "according to", or the name before a colon), and for quotes without a
       cue of their own the speaker of the quote before, of the sentence before,
       the subject of an introducing sentence ending in ":", the nearest person
       named before; each resolved to a name (read/speakers.py)
    3. the quote model (read/quote_model.py) ranks the options, accepts or
       rejects the candidate and, for quoted text, picks direct or partial
    4. no quote twice and no two nested, except a quoted fragment inside the
       reported clause that carries it ('He said it was "on the table"': both the
       clause and "on the table")

A quote that runs over paragraphs, or is split by its cue ('"A," he said, "B."'),
is one record per piece; the later pieces have `continues=True` and the speaker
of the first. Speakers nobody can be found for stay null.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from storydesk.read.candidates import Candidate, find_candidates, sentences_of
from storydesk.read.cues import is_according, is_speech_event
from storydesk.read.marks import quoted_spans
from storydesk.read.nlp import doc_text
from storydesk.read.quote_model import (
    Features,
    QuoteModel,
    candidate_features,
    load_model,
    sentence_distance,
    speaker_features,
)
from storydesk.read.speakers import Speaker, SpeakerResolver, speaker_confidence
from storydesk.records import Mention, Quote
from storydesk.settings import QuoteSettings


@dataclass(slots=True)
class Option:
    """One possible speaker of a candidate, and where it came from."""

    # subject, according, possessor, colon, previous_quote, sentence_before, intro, previous_subject, nearest
    source: str
    speaker: Speaker
    distance: int  # sentences between the speaker phrase and the candidate
    features: Features = field(default_factory=dict)
    prob: float = 0.0


@dataclass(slots=True)
class Scored:
    """A candidate with its options and the model's (or a teacher's) decisions."""

    cand: Candidate
    options: list[Option]
    features: Features
    accept: float = 0.0
    direct: float = 0.0
    speaker: Option | None = None
    accepted: bool = False
    cand_text: str = ""  # the candidate's words, for finding the same quote twice


_WORDS = re.compile(r"\w+")
_COPY_WORDS = 6  # a quote at least this long found twice is one quote copied (headline, pull quote)
# A decision: (is it a quote, its speaker option). Reading asks the model; training a teacher.
Decide = Callable[[Doc, Scored], tuple[bool, Option | None]]


def find_quotes(doc: Doc, mentions: list[Mention], settings: QuoteSettings | None = None) -> list[Quote]:
    """Every quote in `doc` with its cue and speaker, in text order."""
    settings = settings or QuoteSettings()
    model = load_model(settings.model_path)
    scored = analyse(doc, mentions, settings, model_decider(model, settings))
    return _records(doc, _select(scored), mentions)


def model_decider(model: QuoteModel, settings: QuoteSettings) -> Decide:
    def decide(doc: Doc, item: Scored) -> tuple[bool, Option | None]:
        for option in item.options:
            option.prob = model.speaker.prob(option.features) if option.speaker.name is not None else 0.0
        best = max(item.options, key=lambda o: o.prob, default=None)
        chosen = best if best is not None and best.prob >= settings.speaker_accept else None
        item.features = candidate_features(doc, item.cand, chosen.speaker if chosen else None)
        item.accept = model.accept.prob(item.features)
        if item.cand.construction == "quoted":
            item.direct = model.kind.prob(item.features)
        return item.accept >= settings.accept, chosen

    return decide


def analyse(doc: Doc, mentions: list[Mention], settings: QuoteSettings, decide: Decide) -> list[Scored]:
    """Candidates with their speaker options, decided in text order so that "he" and a
    quote without a cue can look back at the speakers already found."""
    text = doc_text(doc)
    quoted = quoted_spans(text)
    resolver = SpeakerResolver(
        doc, mentions, quoted=[p for q in quoted for p in q.pieces], pronoun_window=settings.pronoun_window
    )
    out: list[Scored] = []
    last: Scored | None = None  # the last accepted quote with a speaker
    for cand in find_candidates(doc, mentions, quoted, settings):
        options = _options(doc, cand, resolver, last, mentions)
        for option in options:
            option.features = speaker_features(doc, cand, option.source, option.speaker, option.distance)
        item = Scored(cand=cand, options=options, features={}, cand_text=text[cand.start : cand.end])
        if _sourceless(cand, options):
            out.append(item)  # "This suggests ...", "The resumption of strikes indicates ...": no one spoke
            continue
        item.accepted, item.speaker = decide(doc, item)
        out.append(item)
        if item.accepted and item.speaker is not None:
            speaker = item.speaker.speaker
            span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
            for sent in sentences_of(span) if span is not None and len(span) else []:
                resolver.spoke(sent, speaker)
            if cand.cue is not None:
                resolver.spoke(cand.cue.sent, speaker)
                resolver.issued_in(cand.cue, speaker)
            last = item
    return out


def _options(
    doc: Doc, cand: Candidate, resolver: SpeakerResolver, last: Scored | None, mentions: list[Mention]
) -> list[Option]:
    text = doc_text(doc)
    options: list[Option] = []

    def add(source: str, speaker: Speaker | None, at: int) -> None:
        if speaker is not None:
            options.append(Option(source, speaker, sentence_distance(doc, at, cand.start)))

    if cand.source is not None:
        labelled = resolver.resolve(cand.source.root)
        source = cand.source  # the label itself is the words pointing at the speaker
        labelled.text, labelled.start, labelled.end = source.text, source.start_char, source.end_char
        add("colon", labelled, cand.source.start_char)
    cue = cand.cue
    if cue is not None:
        if is_according(cue):
            to = cue.nbor(1)
            pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
            pobj = pobj or next((c for c in cue.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                add("according", resolver.resolve(pobj), pobj.idx)
        elif cue.pos_ == "NOUN":
            owner = next((c for c in cue.children if c.dep_ == "poss"), None)
            if owner is None:  # "a claim by military sources that ...", "a statement from the ministry that ..."
                prep = next((c for c in cue.children if c.dep_ == "prep" and c.lower_ in ("by", "from")), None)
                owner = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
            if owner is None:  # "the Kremlin statement that ...", and the misparses of "Trump claims that ..."
                owner = next((c for c in cue.children if c.i < cue.i and _owner_name(c)), None)
            if owner is not None:
                add("possessor", resolver.resolve(owner), owner.idx)
        else:
            subject = resolver.subject_of(cue)
            if subject is not None and not (cand.start <= subject.idx < cand.end):
                add("subject", resolver.resolve(subject, stop=cue), subject.idx)
    if cand.construction != "quoted":
        # A cue of the writer's sentence names its speaker in that sentence; when the parse does
        # not show who, no one is guessed from the sentences around it (a null, not a wrong name)
        return options
    own = next((o for o in options if o.source in _OWN), None)
    if own is not None and own.speaker.via != "pronoun-unresolved":
        return options  # the cue names its speaker (or an ambiguous description: no guessing past it)
    kinds = _PRONOUN_KINDS.get(own.speaker.text.lower()) if own is not None and own.speaker.text else None
    found = len(options)
    # A quote without a cue of its own (or whose cue names no one) continues someone's words.
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is None or not len(span):
        return options
    sent = span[0].sent
    # The news convention: a paragraph that opens with a quote and has no cue of its own
    # continues the quote before it, when no one else was named in between; it is not the
    # words of whoever the sentence before was about.
    opens = cand.construction == "quoted" and text[: cand.start].rstrip(" \"“„«‘'")[-1:] in ("", "\n")
    if last is not None and last.speaker is not None and last.cand.end <= cand.start:
        between = text[last.cand.end : cand.start]
        # Nor does it carry over a paragraph break past someone else named in between: a new
        # paragraph about another actor is where "officials" stop speaking (round 16).
        if between.count("\n") <= 2 and not (
            (opens or "\n" in between)
            and _other_actor(resolver, mentions, last.speaker.speaker, last.cand.end, cand.start)
        ):
            add("previous_quote", last.speaker.speaker, last.cand.start)
    lead = text[: cand.start].rstrip(" \"“„«‘'\n")
    colon = lead[-1:] == ":"
    before = resolver.last_speaker(sent)
    if before is not None and not opens:
        add("sentence_before", before, cand.start)
    previous = resolver.previous_sentence(sent)
    if colon:
        # "Sanders made the following comment:" then the quote, which the parser may have run
        # into the same sentence: the sentence holding the colon introduces it
        at = doc.char_span(len(lead) - 1, len(lead), alignment_mode="expand")
        previous = at[0].sent if at is not None and len(at) else previous
    intro = previous is not None and (colon or is_speech_event(previous))
    if previous is not None and (intro or not opens):
        introducer = resolver.sentence_subject(previous)
        if introducer is not None:
            # "X remarked:" or "X gave an example ..." then the quote; or a sentence about X, then
            # X's words without a cue (inside its paragraph only)
            add("intro" if intro else "previous_subject", introducer, previous.start_char)
    nearest = _nearest_person(doc, cand, mentions, quoted_at=resolver) if not opens else None
    if nearest is not None:
        add("nearest", nearest[0], nearest[1])
    subjects = {o.speaker.name for o in options if o.source in ("intro", "previous_subject")}
    if subjects:
        # The sentence before is about its subject: a person named later in it, as an object or
        # in a relative clause ("Sanders, who lost to Clinton, identified ..."), is not the
        # quote's speaker only for being the last name read (round 16)
        options = [o for o in options if o.source != "nearest" or o.speaker.name in subjects]
    if kinds is not None:
        options[found:] = [o for o in options[found:] if o.speaker.type in kinds]
    return options


def _owner_name(token: Token) -> bool:
    """A name before a speech noun that says whose it is: a compound, or the subject the parser
    gave a verb it took for a noun."""
    return token.dep_ in ("compound", "nsubj") and token.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")


# Verbs saying that the speech act under them did not happen.
_UNSAID = ("fail", "refuse", "decline", "neglect", "omit")
_OWN = ("subject", "according", "possessor", "colon")  # options the construction itself gives
_ANAPHORS = ("pronoun-unresolved", "anaphor-unresolved")
# What a pronoun subject can point at: "he" said it, so the quote before by a company is not his.
_PRONOUN_KINDS = {
    "he": ("person",),
    "she": ("person",),
    "it": ("organization", "document"),
    "they": ("organization", "group"),
}


def _sourceless(cand: Candidate, options: list[Option]) -> bool:
    """A cue whose subject is a noun phrase that names no person, organisation, group or
    document: what "said" or "showed" it is a thing, and a quote needs a speaker (docs/quotes.md).
    Reports nobody is named for ("reports said", "according to reports") are hearsay, not a
    source, nor is an agentless passive ("were asked to ..."). An unresolved pronoun is not
    sourceless: someone spoke, we only cannot tell who."""
    own = [o for o in options if o.source in _OWN]
    if own and all(o.speaker.via == "unsourced" for o in own):
        return True
    if cand.cue is None or cand.construction == "quoted":
        return False
    if cand.construction == "noun" and not own:
        return True  # "amid warnings that the toll would rise": a speech noun nobody is named for
    if cand.cue.dep_ == "xcomp" and cand.cue.head.lemma_.lower() in _UNSAID:
        return True  # "critics failed to note that ...", "he refused to say whether ...": nothing was said
    kids = {c.dep_ for c in cand.cue.children}
    if not own and "auxpass" in kids and "agent" not in kids:
        return True  # "Residents were asked to stay indoors": an agentless passive names no source
    return bool(own) and all(o.speaker.name is None and o.speaker.via not in _ANAPHORS for o in own)


def _other_actor(resolver: SpeakerResolver, mentions: list[Mention], speaker: Speaker, start: int, end: int) -> bool:
    """Whether someone other than `speaker` is named between two offsets, outside quotation
    marks: a person or organisation mentioned, or the subject of a sentence in between."""
    for m in mentions:
        named = start <= m.start < end and m.type in ("person", "organization")
        if named and not resolver.is_quoted(m.start) and m.name != speaker.name:
            return True
    span = resolver.doc.char_span(start, max(start + 1, end), alignment_mode="contract")
    for sent in sentences_of(span) if span is not None and len(span) else []:
        subject = resolver.sentence_subject(sent)
        if subject is not None and subject.name != speaker.name and start <= subject.start < end:
            return True
    return False


def _nearest_person(
    doc: Doc, cand: Candidate, mentions: list[Mention], *, quoted_at: SpeakerResolver
) -> tuple[Speaker, int] | None:
    """The last person named before the candidate in its paragraph or the one before, outside quotes."""
    text = doc_text(doc)
    floor = text.rfind("\n", 0, max(0, text.rfind("\n", 0, cand.start)))
    for m in reversed(mentions):
        if m.end > cand.start or m.start < floor:
            continue
        if m.type == "person" and not quoted_at.is_quoted(m.start):
            return Speaker(m.name, m.text, m.start, m.end, "person", True, "name"), m.start
    return None


# -- selection --------------------------------------------------------------------------------------
def _select(scored: list[Scored]) -> list[Scored]:
    """Accepted candidates, most probable first, without duplicates or nesting (but for a
    quoted fragment inside the clause that carries it)."""
    kept: list[Scored] = []
    for item in sorted((s for s in scored if s.accepted), key=lambda s: -s.accept):
        c = item.cand
        clash = False
        for other in kept:
            o = other.cand
            if c.end <= o.start or o.end <= c.start:
                continue
            fragment = (c.construction == "quoted") != (o.construction == "quoted")
            quoted, clause = (c, o) if c.construction == "quoted" else (o, c)
            if fragment and clause.start <= quoted.start and quoted.end <= clause.end + 1:
                continue
            clash = True
            break
        if not clash:
            kept.append(item)
    return sorted(_once(kept), key=lambda s: (s.cand.start, -s.cand.end))


def _once(kept: list[Scored]) -> list[Scored]:
    """No quote twice: the same words found in two places without a cue of their own (a pull
    quote's or standfirst's copy of a sentence in the body) are kept once, where a cue and
    speaker say who spoke them, else at their last place (the body follows the headline). A
    quote that a live blog reports twice, each time with its cue, is two reports and stays."""
    groups: dict[str, list[Scored]] = {}
    for item in kept:
        found = _WORDS.findall(item.cand_text.lower())
        if len(found) >= _COPY_WORDS:  # a short phrase quoted twice ("a blatant act of war") is quoted twice
            groups.setdefault(" ".join(found), []).append(item)
    drop: set[int] = set()
    for items in groups.values():
        cued = {id(item) for item in items if item.cand.cue is not None and item.speaker is not None}
        if cued:
            drop.update(id(item) for item in items if id(item) not in cued)
        else:
            best = max(items, key=lambda item: (item.speaker is not None, item.cand.start))
            drop.update(id(item) for item in items if item is not best)
    return [item for item in kept if id(item) not in drop]


def _records(doc: Doc, kept: list[Scored], mentions: list[Mention]) -> list[Quote]:
    text = doc_text(doc)
    quotes: list[Quote] = []
    previous_cue = -1
    for item in kept:
        c = item.cand
        # '"A," he said, "B."': the second piece has the cue of the first.
        interrupted = c.construction == "quoted" and c.cue is not None and c.cue.i == previous_cue
        if c.construction == "quoted":
            previous_cue = c.cue.i if c.cue is not None else -1
        kind = c.kind
        if c.construction == "quoted":
            kind = "direct" if c.continued or item.direct >= 0.5 else "partial"
        body = text[c.start : c.end].strip()
        speaker = item.speaker.speaker if item.speaker is not None else None
        cue = None
        if c.cue is not None:
            cue = "according to" if is_according(c.cue) else c.cue.text
        elif c.construction == "colon":
            cue = ":"
        quotes.append(
            Quote(
                text=body,
                start=c.start,
                end=c.end,
                kind=kind,
                cue=cue,
                speaker=speaker.name if speaker else None,
                speaker_text=speaker.text if speaker and speaker.text else None,
                speaker_start=speaker.start if speaker and speaker.text else None,
                speaker_end=speaker.end if speaker and speaker.text else None,
                speaker_type=speaker.type if speaker else None,
                speaker_named=speaker.named if speaker else None,
                continues=c.continued or interrupted,
                confidence=round(item.accept, 3),
                speaker_confidence=speaker_confidence(speaker, mentions, c.start),
            )
        )
    return quotes
