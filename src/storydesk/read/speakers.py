"""Speakers: from the words that point at a speaker ("he", "the Kremlin spokesperson") to a name.

A cue's speaker is the subject of the cue verb (climbing from "stating" to the
verb it hangs on), or the object of "according to". That phrase resolves to the
fullest name in the article by, in order:

    1. a name inside the phrase ("Kremlin spokesperson Dmitri Peskov", "experts such as Erhard Bühler")
    2. a pronoun: he/she to the subject of the sentence before when that was a
       person, else to the nearest person named before it; it/they to an
       organisation or group that was the subject of the sentence before
    3. a description ("the Ukrainian president", "the spokesperson"): the
       person whose role, as the article gave it, shares the head noun and most
       of the modifiers
    4. a bare surname the model did not tag, matched to a person's last name

Anything else keeps no name: a wrong speaker is worse than none.

Why no coreference package: none we checked runs offline from registry packages
alone with this spaCy. coreferee installs its English model with a separate
`python -m coreferee install en` download and supports only the spaCy and
model versions it was built for (v1.4: spaCy <= 3.5; other models raise
ModelNotSupportedError); fastcoref and crosslingual-coreference download
transformer weights from a model hub; spacy-experimental's coref needs a
separately downloaded pipeline; neuralcoref needs spaCy 2. News attribution
needs only the narrow cases above, which the parse and the article's own
roles answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from storydesk.read.cues import is_cue
from storydesk.read.lexicon import country_of, is_role_word
from storydesk.records import Mention

_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_GROUP_PRONOUNS = {"it", "they", "them"}
_SUBJECTS = ("nsubj", "nsubjpass")
# Verbs a participle cue hangs on ("He stressed ..., underscoring: '...'").
_CLIMB = ("advcl", "xcomp", "conj", "pcomp", "prep", "pobj", "advmod", "ccomp")
_RELATIVES = ("who", "which", "that")
# Words linking a group subject to the one person it is illustrated by.
_EXAMPLE_PREPS = ("such", "including", "like")
# How far back (in sentences) a pronoun may look for its person.
_PRONOUN_WINDOW = 4


@dataclass(slots=True)
class Speaker:
    name: str | None  # fullest name, or None when nothing in the article resolves it
    text: str  # the words here: "he", "the spokesperson", "Dmitri Peskov"
    start: int
    end: int


def _norm(word: str) -> str:
    """Spelling-neutral form of a role word: spokesman/spokeswoman -> spokesperson."""
    word = word.lower().strip(".")
    if word.startswith("spokes"):
        return "spokesperson"
    return country_of(word) or word


class SpeakerResolver:
    """Resolves speaker phrases within one document, against its mentions."""

    def __init__(self, doc: Doc, mentions: list[Mention], *, quoted: Sequence[tuple[int, int]] = ()) -> None:
        self.doc = doc
        self.mentions: list[tuple[Span, Mention]] = []
        # Names inside quotation marks are what the speaker talked about, never who "he" is.
        self._quoted = sorted(quoted)
        self._speakers: dict[int, str] = {}
        for m in mentions:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                self.mentions.append((span, m))
        self._sent_subject: dict[int, Mention | None] = {}

    # -- the phrase -------------------------------------------------------------------------------
    def subject_of(self, cue: Token) -> Token | None:
        """The subject of a cue verb, climbing from a participle to the verb it hangs on.

        While climbing, a reporting verb's subject wins over a nearer verb's:
        in "He stressed the need for allies to apply pressure, underscoring: ..."
        the speaker is the one who stressed, not the allies.
        """
        verb: Token = cue
        first: Token | None = None
        for _ in range(6):
            subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
            if subject is None:
                agent = next((c for c in verb.children if c.dep_ == "agent"), None)  # "was said by X"
                subject = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
            if subject is not None:
                if verb is cue or is_cue(verb):
                    return subject
                first = first or subject
            if verb.dep_ in ("relcl", "acl") and first is None and verb.head.pos_ in ("NOUN", "PROPN"):
                return verb.head  # "officials expressing concern": the noun the participle describes
            if verb.dep_ not in _CLIMB or verb.head is verb:
                break
            verb = verb.head
        return first

    def spoke(self, sent: Span, name: str) -> None:
        """Record that a person was attributed speech in this sentence (the likeliest "he" after it)."""
        self._speakers[sent.start] = name

    def phrase(self, head: Token, *, stop: Token | None = None) -> Span:
        """The noun phrase headed by `head`, ending before the cue when the cue hangs inside it."""
        start, end = head.left_edge.i, head.right_edge.i + 1
        if stop is not None and head.i < stop.i < end:
            end = stop.left_edge.i  # "reports indicating ...": the source is "reports"
        # A phrase never runs over a line break (a headline above is not part of it).
        for i in range(head.i - 1, start - 1, -1):
            if "\n" in self.doc[i].text:
                start = i + 1
                break
        for i in range(head.i + 1, end):
            if "\n" in self.doc[i].text:
                end = i
                break
        while end - 1 > head.i and (self.doc[end - 1].is_punct or self.doc[end - 1].is_space):
            end -= 1
        while start < head.i and (self.doc[start].is_punct or self.doc[start].is_space):
            start += 1
        return self.doc[start:end]

    # -- resolution -------------------------------------------------------------------------------
    def resolve(self, head: Token, *, stop: Token | None = None) -> Speaker:
        span = self.phrase(head, stop=stop)
        text_span = span
        if head.lower_ in _PERSON_PRONOUNS | _GROUP_PRONOUNS:
            text_span = self.doc[head.i : head.i + 1]
        name = self._name(head, span)
        return Speaker(name=name, text=text_span.text, start=text_span.start_char, end=text_span.end_char)

    def _name(self, head: Token, span: Span) -> str | None:
        lower = head.lower_
        if lower in _RELATIVES and head.head.dep_ == "relcl" and head.head.head is not head.head:
            antecedent = head.head.head  # "Sanders, who said ...": "who" is Sanders
            return self._name(antecedent, self.phrase(antecedent, stop=head.head))
        if lower in _PERSON_PRONOUNS:
            return self._pronoun(head, person=True)
        if lower in _GROUP_PRONOUNS:
            return self._pronoun(head, person=False)
        inside = self._named_in(head, span)
        if inside is not None:
            return inside
        if head.pos_ in ("NOUN", "PROPN") and is_role_word(head.lower_, proper=head.pos_ == "PROPN"):
            described = self._described(head, span)
            if described is not None:
                return described
        if head.pos_ == "PROPN":
            return self._surname(head)
        return None

    def _named_in(self, head: Token, span: Span) -> str | None:
        """The actor named inside the phrase: the one holding its head, or the single example given."""
        holding = [m for s, m in self.mentions if s.start <= head.i < s.end and m.type != "place"]
        if holding:
            return holding[0].name
        # "Experts, such as former NATO General Erhard Bühler" / "officials including X"
        examples = [
            m
            for s, m in self.mentions
            if span.start <= s.start and s.end <= span.end and m.type == "person" and self._is_example(s, head)
        ]
        names = {m.name for m in examples}
        return names.pop() if len(names) == 1 else None

    @staticmethod
    def _is_example(name: Span, head: Token) -> bool:
        """Whether "such as", "including" or "like" stands between the phrase's head and the name."""
        between = head.doc[min(head.i, name.start) : name.start]
        return any(t.lower_ in _EXAMPLE_PREPS or (t.lower_ == "as" and t.dep_ == "prep") for t in between)

    def _pronoun(self, pronoun: Token, *, person: bool) -> str | None:
        """he/she: the last speaker or person subject in the sentences before, else the nearest person named."""
        sent = pronoun.sent
        previous = self._previous_sentence(sent)
        for _ in range(_PRONOUN_WINDOW if person else 1):
            if previous is None:
                break
            if person and previous.start in self._speakers:
                return self._speakers[previous.start]
            subject = self.sentence_subject(previous)
            if subject is not None and (subject.type == "person") == person:
                return subject.name
            if not person or subject is not None or self._names_person(previous):
                break  # a sentence about someone else ends the search: the nearest name decides
            previous = self._previous_sentence(previous)
        if not person:
            return None  # "they"/"it" only follow a subject; the nearest group is too often wrong
        earliest = self._sentence_start(sent, back=_PRONOUN_WINDOW)
        before = [
            m
            for s, m in self.mentions
            if m.type == "person" and earliest <= s.start and s.end <= pronoun.i and not self._is_quoted(s.start_char)
        ]
        return before[-1].name if before else None

    def _names_person(self, sent: Span) -> bool:
        return any(
            m.type == "person" and sent.start <= s.start < sent.end and not self._is_quoted(s.start_char)
            for s, m in self.mentions
        )

    def _is_quoted(self, offset: int) -> bool:
        return any(a <= offset < b for a, b in self._quoted)

    def sentence_subject(self, sent: Span) -> Mention | None:
        """The actor that is the subject of a sentence's main verb (pronouns resolved), cached."""
        if sent.start in self._sent_subject:
            return self._sent_subject[sent.start]
        self._sent_subject[sent.start] = None  # guards against a cycle through pronouns
        result: Mention | None = None
        subject = next((c for c in sent.root.children if c.dep_ in _SUBJECTS), None)
        if subject is not None:
            held = [m for s, m in self.mentions if s.start <= subject.i < s.end and m.type != "place"]
            if held:
                result = held[0]
            elif subject.lower_ in _PERSON_PRONOUNS:
                name = self._pronoun(subject, person=True)
                result = next((m for _, m in self.mentions if m.name == name), None) if name else None
        self._sent_subject[sent.start] = result
        return result

    def _described(self, head: Token, span: Span) -> str | None:
        """The person whose role shares the head noun and most of the description's words."""
        if any(t.lower_ in ("a", "an") for t in span if t.dep_ == "det"):
            return None  # "a spokesman" is someone not yet identified
        wanted = {_norm(t.text) for t in span if not t.is_punct and t.dep_ != "det" and not t.is_stop}
        key = _norm(head.text)
        scores: dict[str, int] = {}
        for s, m in self.mentions:
            if m.type != "person" or not m.role or span.start <= s.start < span.end:
                continue
            role_words = {_norm(w) for w in m.role.replace("-", " ").split()}
            if key in role_words:
                scores[m.name] = max(scores.get(m.name, 0), len(wanted & role_words))
        if not scores:
            return None
        top = max(scores.values())
        best = [name for name, score in scores.items() if score == top]
        # Two people fitting equally well make the description ambiguous: no guess.
        return best[0] if len(best) == 1 else None

    def _surname(self, head: Token) -> str | None:
        names = {m.name for _, m in self.mentions if m.type == "person" and m.name.split()[-1] == head.text}
        return names.pop() if len(names) == 1 else None

    # -- sentences --------------------------------------------------------------------------------
    def _previous_sentence(self, sent: Span) -> Span | None:
        if sent.start == 0:
            return None
        return self.doc[sent.start - 1].sent

    def _sentence_start(self, sent: Span, *, back: int) -> int:
        for _ in range(back):
            previous = self._previous_sentence(sent)
            if previous is None:
                break
            sent = previous
        return sent.start
