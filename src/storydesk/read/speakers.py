"""Speakers: from the words that point at a speaker ("he", "the Kremlin spokesperson") to a name.

A cue's speaker is the subject of the cue verb (climbing from "stating" to the
verb it hangs on), the agent of a passive, or the object of "according to".
That phrase resolves to the fullest name in the article by, in order:

    1. a name inside the phrase ("Kremlin spokesperson Dmitri Peskov", "experts such
       as Erhard Bühler"); a country speaking is its government ("Pakistan said")
    2. a pronoun, by number and kind: he/she only to a person (the last person
       who spoke or was the subject just before, else the nearest person named);
       it to a singular organisation, country or document that was the subject
       of the sentence before; they to an organisation or group subject there
    3. a description ("the Ukrainian president", "the spokesperson"): the person
       whose role, as the article gave it, shares the head noun and most of the
       modifiers
    4. a bare surname the model did not tag, matched to a person's last name
    5. a document speaks for the body that issued it when the phrase says who
       ("a statement from the foreign ministry", "the ministry's statement", "a
       report released by the USGS"); "the statement" later is that body's again
    6. otherwise a description of an organisation, group or document is itself
       the speaker, unnamed ("officials", "the joint statement", "Pakistan's
       foreign ministry"), with its type; reports nobody is named for ("reports
       said", "according to media reports", "early estimates indicated") are
       hearsay, no source a reader could cite (`via="unsourced"`: not a quote,
       docs/quotes.md)

A description of a role ("the minister") never goes to a person whose own role
differs in a word that tells roles apart ("defence" against "prime"), and the
subject of a cue is on the cue's line, never in a dateline ("ISLAMABAD, May 8 -")
or a heading. Anything else keeps no name: a wrong speaker is worse than none.

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

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Span, Token

from storydesk.read.cues import NOUN_CUES, is_cue, misread_participle
from storydesk.read.lexicon import (
    DOCUMENT_NOUNS,
    GROUP_NOUNS,
    HEARSAY_NOUNS,
    ORG_NOUNS,
    ROLE_MODIFIERS,
    ROLE_NOUNS,
    country_of,
    is_role_word,
    place_names,
)
from storydesk.read.marks import headings
from storydesk.read.nlp import doc_text
from storydesk.records import Mention, SpeakerType

_PERSON_PRONOUNS = {"he", "she", "him", "her", "his"}  # "his claim that ...": the possessor speaks
_SINGULAR_PRONOUNS = {"it", "its"}
_PLURAL_PRONOUNS = {"they", "them", "their"}
_WRITER_PRONOUNS = {"i", "we", "you", "me", "us", "my", "our"}
_SUBJECTS = ("nsubj", "nsubjpass")
# Verbs a participle cue hangs on ("He stressed ..., underscoring: '...'").
_CLIMB = ("advcl", "xcomp", "conj", "pcomp", "prep", "pobj", "advmod", "ccomp")
_RELATIVES = ("who", "which", "that")
# Words linking a group subject to the one person it is illustrated by.
_EXAMPLE_PREPS = ("such", "including", "like")
# Prepositions and participles that name who issued a document ("a statement from/by X",
# "a report released by X").
_ISSUER_PREPS = ("from", "by", "of")
_ISSUING = ("release", "issue", "publish", "put", "post", "send", "circulate", "share")
# Passive verbs whose subject is the one quoted, not the agent ("was quoted by PTI as saying").
_CHANNEL_PREPS = ("in", "through", "via")  # "said in a statement", "wrote in a post"
_QUOTING = ("quote", "cite")
# Verbs whose object did what the verb under them says ("forced Stumpf to admit that ...",
# "got him to confirm ..."): the object spoke, not the one who forced it (round 16).
_MADE_TO = ("force", "compel", "get", "make", "pressure", "coerce", "oblige")
# A dateline opening a paragraph: "ISLAMABAD, May 8 (Alliance News) – ", "KARACHI: ", "BEIJING (AP) — ".
_DATELINE = re.compile(r"^\W*[A-Z][\w.'’ -]{1,40}?(?:,[^–—:\n]{1,30}?)?(?:\s*[(\[][^)\]\n]{1,40}[)\]])?\s*[–—:-]\s")
_MONTHS = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d", re.IGNORECASE)
_MENTION_SPEAKER: dict[str, SpeakerType] = {
    "person": "person",
    "organization": "organization",
    "place": "organization",  # "Pakistan said": a country speaks through its government
    "group": "group",
}


@dataclass(slots=True)
class Speaker:
    name: str | None  # fullest name or description, or None when nothing in the article resolves it
    text: str  # the words here: "he", "the spokesperson", "Dmitri Peskov"
    start: int
    end: int
    type: SpeakerType | None = None
    named: bool = False  # a name, not a description ("officials", "a senior official")
    via: str = "none"  # how it was resolved: name, pronoun, role, surname, description, none


def _norm(word: str) -> str:
    """Spelling-neutral form of a role word: spokesman/spokeswoman -> spokesperson."""
    word = word.lower().strip(".")
    if word.startswith("spokes"):
        return "spokesperson"
    return country_of(word) or word


class SpeakerResolver:
    """Resolves speaker phrases within one document, against its mentions."""

    def __init__(
        self,
        doc: Doc,
        mentions: list[Mention],
        *,
        quoted: Sequence[tuple[int, int]] = (),
        pronoun_window: int = 4,
    ) -> None:
        self.doc = doc
        self.mentions: list[tuple[Span, Mention]] = []
        # Names inside quotation marks are what the speaker talked about, never who "he" is.
        self._quoted = sorted(quoted)
        self._window = pronoun_window
        self._speakers: dict[int, Speaker] = {}
        for m in _surnames_as_persons(mentions):
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                self.mentions.append((span, m))
        self._sent_subject: dict[int, Speaker | None] = {}
        text = doc_text(doc)
        self._text = text
        self._headings = headings(text)
        self._issuers: dict[str, Speaker] = {}  # document noun -> the body that last issued one
        self._person_roles: dict[str, list[str]] = {}
        for _, m in self.mentions:
            if m.type == "person" and m.role:
                self._person_roles.setdefault(m.name, []).append(m.role)

    # -- the phrase -------------------------------------------------------------------------------
    def subject_of(self, cue: Token) -> Token | None:
        """The subject of a cue verb, climbing from a participle to the verb it hangs on.

        While climbing, a reporting verb's subject wins over a nearer verb's:
        in "He stressed the need for allies to apply pressure, underscoring: ..."
        the speaker is the one who stressed, not the allies.
        """
        verb: Token = cue
        first: Token | None = None
        bare = self._bare_subject(cue)
        if bare is not None:
            return bare
        absolute = self._with_subject(cue)
        if absolute is not None and self._usable_subject(absolute, cue):
            return absolute
        misread = misread_participle(cue)
        if misread is not None:
            # ", stating their policy would ...": the participle's clause is what was said; the
            # speaker is the one the sentence is about, the subject of its main verb
            root = cue.sent.root
            if root is misread or root.i > cue.i:
                return None
            verb = root
        made = self._made_to(cue)
        if made is not None:
            return made
        for _ in range(6):
            subject = self._subject_child(verb, cue=verb is cue)
            if subject is not None and not self._usable_subject(subject, cue):
                return None  # a subject on another line or in a dateline: the parser's mistake
            if subject is not None:
                if verb is not cue and is_cue(verb) and self._reported_nobody(verb, subject):
                    verb = verb.head  # "The president said that 75 countries have responded, noting ...":
                    continue  # the participle is the president's, not the unnamed subject of his content
                if verb is cue or is_cue(verb):
                    return subject
                first = first or subject
            if verb.dep_ in ("relcl", "acl") and first is None and verb.head.pos_ in ("NOUN", "PROPN"):
                noun = verb.head
                if noun.lemma_.lower() in DOCUMENT_NOUNS and noun.dep_ == "dobj" and noun.head is not noun:
                    verb = noun.head  # "the President made a post announcing ...": who made the post
                    continue
                return noun  # "officials expressing concern", "a statement saying": the noun described
            if verb.dep_ not in _CLIMB or verb.head is verb or "\n" in self._between(verb, verb.head):
                break  # a clause on another line is not the one this cue hangs on, whatever the parse
            verb = verb.head
        return first

    def _reported_nobody(self, verb: Token, subject: Token) -> bool:
        """A reporting verb inside what a higher cue reports ("said that countries have responded")
        whose subject names nobody: a participle climbing past it belongs to the higher speaker."""
        if verb.dep_ != "ccomp" or verb.head is verb or not is_cue(verb.head):
            return False
        return self._resolve(subject, self.phrase(subject)).name is None

    def _made_to(self, cue: Token) -> Token | None:
        """The object of "forced"/"compelled"/"got" a cue completes: in "the senator forced Stumpf
        to admit that ...", Stumpf admits; the one forcing said nothing of it."""
        if cue.dep_ != "xcomp" or cue.head.lemma_.lower() not in _MADE_TO:
            return None
        obj = next((c for c in cue.head.children if c.dep_ == "dobj" and c.i < cue.i), None)
        if obj is None or self.is_quoted(obj.idx) or not self._usable_subject(obj, cue):
            return None
        return obj

    def _bare_subject(self, cue: Token) -> Token | None:
        """The name opening a short clause the parser gave no subject: "Pakistan Wednesday said
        ..." (parsed as "Wednesday" modifying "said"). Only when nothing but a name and time
        words stand before the cue in its sentence."""
        if cue.pos_ != "VERB" or any(c.dep_ in _SUBJECTS or c.dep_ == "agent" for c in cue.children):
            return None
        before = list(cue.doc[cue.sent.start : cue.i])
        if not before or len(before) > 6 or any(t.pos_ in ("VERB", "AUX", "PUNCT", "ADP", "SCONJ") for t in before):
            return None
        names = [t for t in before if t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") and t.pos_ == "PROPN"]
        if not names or not all(t.ent_type_ in ("DATE", "TIME") or t in names for t in before):
            return None
        return names[-1] if self._usable_subject(names[-1], cue) else None

    def _between(self, a: Token, b: Token) -> str:
        lo, hi = sorted((a.idx, b.idx))
        return self._text[lo:hi]

    def _subject_child(self, verb: Token, *, cue: bool) -> Token | None:
        """Who does what a verb says: its active subject, else the agent of a passive ("was
        shared by Trump"), else, above the cue, a passive subject. Words between quotation marks
        are what was said, never who said it ('"Congratulations ...," Trump posted')."""
        kids = [c for c in verb.children if not self.is_quoted(c.idx) and not c.is_punct]
        actives = [c for c in kids if c.dep_ == "nsubj"]
        if len(actives) > 1:
            # "ISPR Director-General Lt Gen Ahmed Sharif Chaudhry told": the parser split one
            # phrase into two subjects; the one holding a person's name is the speaker
            persons = [c for c in actives if self._holds_person(c)]
            actives = persons[-1:] or actives
        if actives:
            return actives[0]
        passive = next((c for c in kids if c.dep_ == "nsubjpass"), None)
        if passive is not None and not cue and verb.lemma_.lower() in _QUOTING:
            return passive  # "a survivor was quoted by PTI as saying": the survivor spoke
        agent = next((c for c in kids if c.dep_ == "agent"), None)
        by = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        if by is not None:
            return by
        return None if cue else passive  # "X was told ...": the one addressed, not the speaker

    def _holds_person(self, token: Token) -> bool:
        return any(m.type == "person" and s.start <= token.i < s.end for s, m in self.mentions)

    @staticmethod
    def _with_subject(cue: Token) -> Token | None:
        """The subject of an absolute "with" phrase: "..., with Lt Gen Chaudhry, the army's
        spokesman, stating that ...": Chaudhry states, not the subject of the main clause."""
        if cue.tag_ != "VBG" or cue.dep_ not in ("advcl", "acl", "conj"):
            return None
        for prep in (c for c in cue.head.children if c.dep_ == "prep" and c.lower_ == "with" and c.i < cue.i):
            if prep.i > cue.sent.start and not cue.doc[prep.i - 1].is_punct:
                continue  # "filing a complaint with the board, claiming ...": a complement, not absolute
            between = cue.doc[prep.right_edge.i + 1 : cue.i]
            obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            if obj is not None and all(t.is_punct for t in between):
                return obj
        with_ = cue.head.head
        if (
            cue.dep_ == "acl"
            and cue.head.dep_ == "pobj"
            and with_.lower_ == "with"
            and with_.i > 0
            and with_.nbor(-1).is_punct
        ):
            return cue.head  # the parser hung the participle on the noun: "with X stating ..."
        return None

    def _usable_subject(self, subject: Token, cue: Token) -> bool:
        """A subject on the cue's own line, outside a dateline and a heading."""
        if "\n" in self._between(subject, cue):
            return False
        return not self._in_heading(subject.idx) and not self._in_dateline(subject)

    def _in_heading(self, offset: int) -> bool:
        return any(a <= offset < b for a, b in self._headings)

    def _in_dateline(self, token: Token) -> bool:
        """Whether a token lies in the dateline opening its paragraph ("Islamabad, May 8 - ")."""
        start = self._text.rfind("\n", 0, token.idx) + 1
        match = _DATELINE.match(self._text, start, min(len(self._text), start + 90))
        if match is None or token.idx >= match.end():
            return False
        head = match.group(0)
        first = head.strip().split()[0].strip(",:")
        return (first.isupper() and len(first) >= 3) or bool(_MONTHS.search(head)) or "(" in head or "[" in head

    def spoke(self, sent: Span, speaker: Speaker) -> None:
        """Record that a speaker was attributed speech in this sentence (the likeliest "he" after it)."""
        if speaker.name is not None:
            self._speakers[sent.start] = speaker

    def last_speaker(self, sent: Span, *, back: int = 1) -> Speaker | None:
        """The speaker recorded for one of the `back` sentences before `sent`."""
        previous = self.previous_sentence(sent)
        for _ in range(back):
            if previous is None:
                return None
            if previous.start in self._speakers:
                return self._speakers[previous.start]
            previous = self.previous_sentence(previous)
        return None

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
        # A relative clause or apposition after the head says more about the speaker, not who.
        for child in head.rights:
            if child.dep_ == "appos" and child.pos_ == "PROPN":
                continue  # "Jammu and Kashmir chief minister Omar Abdullah": the name is the speaker
            if child.dep_ in ("relcl", "appos", "acl") and child.i < end:
                end = min(end, child.left_edge.i)
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
        if head.lower_ in _PERSON_PRONOUNS | _SINGULAR_PRONOUNS | _PLURAL_PRONOUNS | _WRITER_PRONOUNS:
            text_span = self.doc[head.i : head.i + 1]
        speaker = self._resolve(head, span)
        speaker.text, speaker.start, speaker.end = text_span.text, text_span.start_char, text_span.end_char
        return speaker

    def _resolve(self, head: Token, span: Span) -> Speaker:
        lower = head.lower_
        none = Speaker(None, "", 0, 0)
        if lower in _RELATIVES and head.head.dep_ == "relcl" and head.head.head is not head.head:
            antecedent = head.head.head  # "Sanders, who said ...": "who" is Sanders
            return self._resolve(antecedent, self.phrase(antecedent, stop=head.head))
        if lower in _WRITER_PRONOUNS:
            return none  # outside quotation marks, "I" and "we" are the writer
        if lower in _PERSON_PRONOUNS:
            return self._pronoun(head, kinds=("person",))
        if lower in _SINGULAR_PRONOUNS:
            return self._pronoun(head, kinds=("organization", "document"))
        if lower in _PLURAL_PRONOUNS:
            return self._pronoun(head, kinds=("organization", "group"))
        inside = self._named_in(head, span)
        if inside is not None:
            return inside
        if head.pos_ == "NOUN" and head.lemma_.lower() in DOCUMENT_NOUNS | ORG_NOUNS:
            issued = self._issuer(head)
            if issued is not None:
                return issued
        if head.pos_ in ("NOUN", "PROPN") and is_role_word(head.lower_, proper=head.pos_ == "PROPN"):
            role_holder = self._described(head, span)
            if role_holder is not None:
                return Speaker(role_holder, "", 0, 0, "person", True, "role")
        acronym = self._role_acronym(head, span)
        if acronym is not None:
            return Speaker(acronym, "", 0, 0, "person", True, "role")
        if head.pos_ == "PROPN":
            surname = self._surname(head)
            if surname is not None:
                return Speaker(surname, "", 0, 0, "person", True, "surname")
        described = self._description(head, span)
        if described is not None and described.via == "anaphor-unresolved":
            return self._only_person_before(head, span) or self._distinct(described, head, span) or described
        if described is None and head.pos_ == "PROPN" and head.ent_type_ not in ("GPE", "LOC", "DATE", "TIME"):
            # A name the model did not tag ("according to E-Redes", "Renfe said"): the name itself.
            words = [t for t in span if t.pos_ == "PROPN" or t.text in ("-", "&")]
            name = self.doc[words[0].i : head.i + 1].text if words else ""
            # A name is written with a capital in a cased script: "according to aa, channelnewsasia"
            # lists web sources by their handles, and the tagger's PROPN there names nobody (issue 10).
            if words and words[-1].i == head.i and (name.lower() == name.upper() or not name.islower()):
                # "Shauna-Rose, an Irish backpacker": an apposition with a role makes it a person
                person = any(
                    c.dep_ == "appos" and (c.lemma_.lower() in GROUP_NOUNS or is_role_word(c.lower_))
                    for c in head.children
                )
                return Speaker(name, "", 0, 0, "person" if person else "organization", True, "untagged")
        return described or none

    def _named_in(self, head: Token, span: Span) -> Speaker | None:
        """The actor named inside the phrase: the one holding its head, or the single example given."""
        holding = [m for s, m in self.mentions if s.start <= head.i < s.end]
        # A person named after a title inside the phrase is the speaker even when the parser
        # made something else its head ("Jammu and Kashmir chief minister Omar Abdullah").
        titled = [
            (s, m)
            for s, m in self.mentions
            if m.type == "person" and span.start < s.start and s.end <= span.end and self._after_title(s)
        ]
        if titled and not any(s.start <= head.i < s.end for s, _ in titled):
            holding = [titled[-1][1]]
        # "the Deputy Prime Minister of Pakistan, Ishaq Dar, said": the person in apposition to a role
        named_after = [
            m
            for s, m in self.mentions
            if m.type == "person" and s.root.dep_ == "appos" and s.root.head.i == head.i and s.start > head.i
        ]
        if not holding and len(named_after) == 1 and is_role_word(head.lower_, proper=head.pos_ == "PROPN"):
            holding = named_after
        if holding:
            m = holding[0]
            kind = _MENTION_SPEAKER.get(m.type)
            if kind is None:
                return None
            name = m.text if m.type == "group" else m.name
            if m.type == "organization":
                if not name[:1].isupper():  # "foreign ministry" tagged as a name: the phrase says whose
                    return self._description(head, span)
                name = self._expanded(name)
            return Speaker(name, "", 0, 0, kind, m.type != "group", "name")
        # "Experts, such as former NATO General Erhard Bühler" / "officials including X"
        examples = [
            m
            for s, m in self.mentions
            if span.start <= s.start and s.end <= span.end and m.type == "person" and self._is_example(s, head)
        ]
        names = {m.name for m in examples}
        if len(names) == 1:
            return Speaker(names.pop(), "", 0, 0, "person", True, "name")
        return None

    def _description(self, head: Token, span: Span) -> Speaker | None:
        """A common-noun speaker that is its own description: "officials", "the joint statement",
        "Pakistan's foreign ministry", "a senior official"."""
        if head.pos_ not in ("NOUN", "PROPN"):
            return None
        lemma = head.lemma_.lower()
        words = [t for t in span if not t.is_space]
        while words and (words[0].dep_ == "det" and words[0].tag_ != "PRP$" or words[0].is_punct):
            words.pop(0)  # "the joint statement" is named "joint statement"; "its statement" keeps "its"
        if not words:
            return None
        text = self.doc[words[0].i : words[-1].i + 1].text
        named = any(t.pos_ == "PROPN" for t in words)
        if lemma in DOCUMENT_NOUNS:
            definite = any(t.lower_ in ("the", "this", "that") for t in span if t.dep_ == "det")
            if lemma in self._issuers and definite:
                return _copy(self._issuers[lemma], "issuer")  # "the statement added": the body that issued it
            if lemma in HEARSAY_NOUNS and not named and not definite and not self._owned(head):
                return Speaker(
                    None, text, 0, 0, "document", False, "unsourced"
                )  # "reports said", "according to reports"
            return Speaker(text, "", 0, 0, "document", named, "description")
        if lemma in ORG_NOUNS:
            return Speaker(text, "", 0, 0, "organization", named, "description")
        if lemma in GROUP_NOUNS or is_role_word(lemma):
            plural = head.tag_ in ("NNS", "NNPS")
            if not plural and any(t.lower_ in ("the", "this", "that") for t in span if t.dep_ == "det"):
                # "the minister" points at someone the article named: a name or nothing, never "minister"
                return Speaker(None, text, 0, 0, "person", False, "anaphor-unresolved")
            return Speaker(text, "", 0, 0, "group" if plural else "person", False, "description")
        return None

    def _issuer(self, head: Token) -> Speaker | None:
        """The body a document (or an office) speaks for, when its phrase names it: a possessor
        ("the ministry's statement", "his office"), "from"/"by"/"of" ("a statement from the foreign
        ministry"), or a participle ("a report released by the USGS"). Remembered per noun, so
        that "the statement" later is the same body's."""
        who: Token | None = next((c for c in head.children if c.dep_ == "poss"), None)
        if who is None:
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ in _ISSUER_PREPS and child.i > head.i:
                    who = next((c for c in child.children if c.dep_ == "pobj"), None)
                elif child.dep_ == "acl" and child.lemma_.lower() in _ISSUING:
                    agent = next((c for c in child.children if c.dep_ == "agent"), None)
                    if agent is not None:
                        who = next((c for c in agent.children if c.dep_ == "pobj"), None)
                if who is not None:
                    break
        if who is None or self.is_quoted(who.idx):
            return None
        if who.tag_ == "PRP$" and head.lemma_.lower() in DOCUMENT_NOUNS and head.lemma_.lower() not in NOUN_CUES:
            return None  # "his chart indicated ...": an artefact speaks as itself; "his statement" is his
        found = self._resolve(who, self.phrase(who))
        if found.name is None or found.type == "document" or found.via == "unsourced":
            return None
        lemma = head.lemma_.lower()
        if lemma in ORG_NOUNS:
            if who.dep_ != "poss" or found.type != "person":
                return None  # "the ministry of defence" is named by its own words, not by an issuer
            # "his office said": the office of the person, a body of its own
            found = Speaker(f"{head.text} of {found.name}", "", 0, 0, "organization", True, "issuer")
        else:
            found = _copy(found, "issuer")
            self._issuers[lemma] = found
        return found

    def issued_in(self, cue: Token, speaker: Speaker) -> None:
        """Remember who spoke through a document: after "the commission said in a statement",
        "the statement" is the commission's, as after "a statement from the commission"."""
        if not speaker.named or speaker.name is None or speaker.type == "document":
            return
        for child in cue.children:
            if child.dep_ != "prep" or child.lower_ not in _CHANNEL_PREPS:
                continue
            for doc_noun in (c for c in child.children if c.dep_ == "pobj"):
                if doc_noun.lemma_.lower() in DOCUMENT_NOUNS and not self._owned_by_other(doc_noun):
                    self._issuers[doc_noun.lemma_.lower()] = _copy(speaker, "issuer")

    @staticmethod
    def _owned_by_other(noun: Token) -> bool:
        """Whether the phrase names the document's issuer ("in a statement from the ministry")."""
        return any(c.dep_ == "prep" and c.lower_ in ("from", "by") for c in noun.children)

    def _owned(self, head: Token) -> bool:
        """Whether a noun phrase says whose it is (a possessor or an "of/from/by" phrase)."""
        return any(
            c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ in _ISSUER_PREPS and c.i > head.i) for c in head.children
        )

    def _expanded(self, name: str) -> str:
        """An acronym's full name when the article spells it out ("USGS": "U.S. Geological Survey")."""
        letters = name.replace(".", "")
        if not (2 <= len(letters) <= 6 and letters.isupper() and letters.isalpha()):
            return name
        for _, m in self.mentions:
            words = [w for w in m.name.replace(".", ". ").split() if w[:1].isupper()]
            if m.type == "organization" and len(words) > 1 and "".join(w[0] for w in words) == letters:
                return m.name
            # "India's Press Information Bureau" spells out "PIB" after its owner
            tail = words[-len(letters) :]
            if m.type == "organization" and len(tail) == len(letters) > 1 and "".join(w[0] for w in tail) == letters:
                return " ".join(tail)
        return name

    @staticmethod
    def _after_title(name: Span) -> bool:
        before = name.doc[name.start - 1]
        return before.pos_ in ("NOUN", "PROPN") and is_role_word(before.lower_, proper=before.pos_ == "PROPN")

    @staticmethod
    def _is_example(name: Span, head: Token) -> bool:
        """Whether "such as", "including" or "like" stands between the phrase's head and the name."""
        between = head.doc[min(head.i, name.start) : name.start]
        return any(t.lower_ in _EXAMPLE_PREPS or (t.lower_ == "as" and t.dep_ == "prep") for t in between)

    def _pronoun(self, pronoun: Token, *, kinds: tuple[str, ...]) -> Speaker:
        """A pronoun to the last speaker or subject of a matching kind in the sentences before;
        he/she, when none, to the nearest person named."""
        none = Speaker(None, "", 0, 0, via="pronoun-unresolved")
        person = "person" in kinds
        named_here = self._named_by_pronoun(pronoun) if person else None
        if named_here is not None:
            return named_here
        sent = pronoun.sent
        subject = self.sentence_subject(sent)
        if subject is not None and subject.type in kinds and self._subject_token(sent) is not pronoun:
            return _copy(subject, "pronoun")  # "Pakistan's army said it ...": the subject of this sentence
        introducer = self._colon_introducer(pronoun) if person else None
        if introducer is not None:
            return introducer
        if not person and subject is None:
            # "India's strike on what it claimed was ...": the one body named before it in its sentence
            bodies = {
                (m.text if m.type == "group" else m.name): m
                for s, m in self.mentions
                if sent.start <= s.start
                and s.end <= pronoun.i
                and _MENTION_SPEAKER.get(m.type) in kinds
                and not self.is_quoted(s.start_char)
            }
            if len(bodies) == 1:
                ((name, m),) = bodies.items()
                return Speaker(name, "", 0, 0, _MENTION_SPEAKER[m.type], m.type != "group", "pronoun")
        previous = self.previous_sentence(sent)
        for _ in range(self._window if person else 1):
            if previous is None:
                break
            spoke = self._speakers.get(previous.start)
            if spoke is not None and spoke.type in kinds:
                return _copy(spoke, "pronoun")
            subject = self.sentence_subject(previous)
            if subject is not None and subject.type in kinds:
                return _copy(subject, "pronoun")
            if not person or subject is not None or self._names_person(previous):
                break  # a sentence about someone else ends the search: the nearest name decides
            previous = self.previous_sentence(previous)
        if not person:
            return none  # "they"/"it" only follow a subject; the nearest group is too often wrong
        earliest = self._sentence_start(sent, back=self._window)
        before = [
            m
            for s, m in self.mentions
            if m.type == "person" and earliest <= s.start and s.end <= pronoun.i and not self.is_quoted(s.start_char)
        ]
        return Speaker(before[-1].name, "", 0, 0, "person", True, "pronoun") if before else none

    def _colon_introducer(self, pronoun: Token) -> Speaker | None:
        """The person who introduced, with a colon, the quote a he/she closes in the same sentence:
        in 'Sen. Claire McCaskill scolded him: "...," she said' she is McCaskill, not whoever spoke
        in the paragraph before (PolNeAR dev, round 16)."""
        sent = pronoun.sent
        colon = next((t for t in self.doc[sent.start : pronoun.i] if t.text == ":" and not self.is_quoted(t.idx)), None)
        if colon is None or colon.i + 1 >= len(self.doc):
            return None
        after = self.doc[colon.i + 1]
        if not (after.is_quote or self.is_quoted(after.idx)):
            return None  # only a colon that opens the quotation
        # the verb of the clause the colon ends (the parser may hang the colon on the later "said")
        verb = next((t for t in reversed(self.doc[sent.start : colon.i]) if t.pos_ == "VERB"), None)
        subject = self._subject_child(verb, cue=False) if verb is not None else None
        if subject is None or subject.lower_ in _PERSON_PRONOUNS:
            return None
        found = self._resolve(subject, self.phrase(subject))
        return _copy(found, "pronoun") if found.name is not None and found.type == "person" else None

    def _named_by_pronoun(self, pronoun: Token) -> Speaker | None:
        """The person a he/she names in its own clause: in apposition ("he, the Foreign Secretary Vikram
        Misri, said") or as what the pronoun is ("there he was, the Foreign Secretary Vikram Misri,
        confirming ..."). The person named there is who the pronoun is, whoever the sentences before
        were about (news_stories_2025 dev, round 14: "Marco Rubio" was read for Misri's words)."""
        doc, verb = pronoun.doc, pronoun.head
        named: list[Token] = []
        if pronoun.dep_ == "nsubj" and verb.lemma_ == "be":
            named += [c for c in verb.children if c.dep_ == "attr"]
        after = pronoun.i + 1
        if after < len(doc) and doc[after].text == "," and pronoun.i < verb.i:
            # set off by commas between the pronoun and its verb (the parser often misses the appos)
            close = next((t.i for t in doc[after + 1 : verb.i] if t.text == ","), None)
            if close is not None:
                named += [t for t in doc[after + 1 : close] if not after < t.head.i < close]  # its head
        # the phrase itself or its apposition ("the negotiator Tom Lee"), not a name inside it ("a friend of Tom Lee")
        named += [c for token in named for c in token.children if c.dep_ == "appos"]
        people = {
            m.name
            for s, m in self.mentions
            if m.type == "person"
            and any(s.start <= token.i < s.end for token in named)
            and not self.is_quoted(s.start_char)
        }
        if len(people) != 1:
            return None
        return Speaker(people.pop(), "", 0, 0, "person", True, "name")

    def _only_person_before(self, head: Token, span: Span) -> Speaker | None:
        """For "the president" with no role to match: the one person named (outside quotes) in
        this sentence and the few before, when there is exactly one and nothing the article says
        about them contradicts the description ("the Treasury Secretary" is not the president);
        a description with words of its own ("the foreign minister") needs a role that has them."""
        if not is_role_word(head.lower_, proper=head.pos_ == "PROPN"):
            return None  # "the source": not a role a named person could be matched by
        earliest = self._sentence_start(head.sent, back=self._window)
        names = {
            m.name
            for s, m in self.mentions
            if m.type == "person" and earliest <= s.start and s.end <= head.i and not self.is_quoted(s.start_char)
        }
        if len(names) != 1:
            return None
        name = names.pop()
        roles = self._person_roles.get(name, [])
        wanted = _role_words(span, head)
        if roles:
            if not any(_role_fits(wanted, _norm(head.text), role) for role in roles):
                return None
        elif wanted - {_norm(head.text)}:
            return None
        return Speaker(name, "", 0, 0, "person", True, "role")

    @staticmethod
    def _distinct(described: Speaker, head: Token, span: Span) -> Speaker | None:
        """A definite role no named person fits that still says which office it is ("the Foreign
        Minister of Pakistan", "the Treasury Secretary"): kept as an unnamed description, as
        "officials" is. A bare "the minister" says nothing of its own and stays unresolved."""
        if head.lemma_.lower() not in ROLE_NOUNS | GROUP_NOUNS:
            return None  # a role read off a word's ending ("the midday temblor") is no one
        qualified = any(t.ent_type_ in ("GPE", "NORP", "ORG") for t in span if t.i != head.i)
        if not (_role_words(span, head) - {_norm(head.text)}) and not qualified:
            return None
        return Speaker(described.text, "", 0, 0, "person", False, "description")

    def _names_person(self, sent: Span) -> bool:
        return any(
            m.type == "person" and sent.start <= s.start < sent.end and not self.is_quoted(s.start_char)
            for s, m in self.mentions
        )

    def is_quoted(self, offset: int) -> bool:
        return any(a <= offset < b for a, b in self._quoted)

    @staticmethod
    def _subject_token(sent: Span) -> Token | None:
        return next((c for c in sent.root.children if c.dep_ in _SUBJECTS), None)

    def sentence_subject(self, sent: Span) -> Speaker | None:
        """The actor that is the subject of a sentence's main verb (pronouns resolved), cached."""
        if sent.start in self._sent_subject:
            return self._sent_subject[sent.start]
        self._sent_subject[sent.start] = None  # guards against a cycle through pronouns
        result: Speaker | None = None
        subject = self._subject_token(sent)
        if subject is not None and (self._in_heading(subject.idx) or self._in_dateline(subject)):
            subject = None
        if subject is not None and not self.is_quoted(subject.idx):
            phrase = self.phrase(subject)
            found = self._resolve(subject, phrase)
            if found.name is not None:
                found.text, found.start, found.end = phrase.text, phrase.start_char, phrase.end_char
                result = found
        self._sent_subject[sent.start] = result
        return result

    def _described(self, head: Token, span: Span) -> str | None:
        """The person whose role shares the head noun and most of the description's words."""
        if any(t.lower_ in ("a", "an") for t in span if t.dep_ == "det") or head.tag_ in ("NNS", "NNPS"):
            return None  # "a spokesman" is someone not yet identified; "officials" are several
        wanted = {_norm(t.text) for t in span if not t.is_punct and t.dep_ != "det" and not t.is_stop}
        key = _norm(head.text)
        scores: dict[str, int] = {}
        for s, m in self.mentions:
            if m.type != "person" or not m.role or span.start <= s.start < span.end:
                continue
            role_words = {_norm(w) for w in m.role.replace("-", " ").split()}
            if _role_fits(_role_words(span, head), key, m.role):
                scores[m.name] = max(scores.get(m.name, 0), len(wanted & role_words))
        if not scores:
            return None
        top = max(scores.values())
        best = [name for name, score in scores.items() if score == top]
        # Two people fitting equally well make the description ambiguous: no guess.
        return best[0] if len(best) == 1 else None

    def _role_acronym(self, head: Token, span: Span) -> str | None:
        """The one person whose role an abbreviated title spells: "the ISPR DG" after
        "ISPR Director General Lt Gen Ahmed Sharif Chaudhry". Two people fitting: no guess."""
        letters = head.text.replace(".", "")
        if not (2 <= len(letters) <= 4 and letters.isupper() and letters.isalpha()) or head.tag_ in ("NNS", "NNPS"):
            return None
        if not any(t.lower_ in ("the", "this") for t in span if t.dep_ == "det") and head.i != span.start:
            return None  # "ISPR DG said" or "the DG said"; never a bare name in a longer phrase
        names = set()
        for _, m in self.mentions:
            # "Thai Prime Minister" is spelled "PM": countries and rank modifiers are not in the letters
            words = [
                w for w in (m.role or "").replace("-", " ").split() if w[:1].isupper() and _distinguishing(w.lower())
            ]
            if m.type == "person" and len(words) == len(letters) and "".join(w[0] for w in words) == letters:
                names.add(m.name)
        return names.pop() if len(names) == 1 else None

    def _surname(self, head: Token) -> str | None:
        names = {m.name for _, m in self.mentions if m.type == "person" and m.name.split()[-1] == head.text}
        return names.pop() if len(names) == 1 else None

    # -- sentences --------------------------------------------------------------------------------
    def previous_sentence(self, sent: Span) -> Span | None:
        if sent.start == 0:
            return None
        return self.doc[sent.start - 1].sent

    def _sentence_start(self, sent: Span, *, back: int) -> int:
        for _ in range(back):
            previous = self.previous_sentence(sent)
            if previous is None:
                break
            sent = previous
        return sent.start


def _role_words(span: Span, head: Token) -> set[str]:
    """The words of a role description that tell roles apart: the head and its modifiers, without
    articles, countries ("the Ukrainian president") and time words ("former", "acting")."""
    words = set()
    for t in span:
        if t.is_punct or t.dep_ == "det" or t.is_stop or t.tag_ == "PRP$":
            continue
        word = _norm(t.text)
        if t.i != head.i and (t.ent_type_ in ("GPE", "NORP") or not _distinguishing(word)):
            continue
        words.add(word)
    return words


def _distinguishing(word: str) -> bool:
    """Whether a word of a role tells offices apart: not a country ("U.S.", "Ukrainian"), a time
    or rank modifier ("former", "acting") or a number ("47th")."""
    return not (
        country_of(word)
        or word.replace(".", "") in ("us", "usa", "uk", "eu", "un")
        or word.lower() in place_names()
        or word in ROLE_MODIFIERS
        or any(ch.isdigit() for ch in word)
    )


def _role_fits(wanted: set[str], key: str, role: str) -> bool:
    """Whether a person's role can be what a description names: the same head noun, and no
    word telling roles apart on both sides ("defence minister" against "prime minister")."""
    role_words = {w for w in (_norm(w) for w in role.replace("-", " ").split()) if w == key or _distinguishing(w)}
    if key not in role_words:
        return False
    return not (wanted - role_words) or not (role_words - wanted - {key})


def _surnames_as_persons(mentions: list[Mention]) -> list[Mention]:
    """The mentions as speakers are resolved against: a word the model tagged a place that is the surname
    of one person named in the article, and no place the gazetteer knows, is that person ('"...," said
    Misri' after "Foreign Secretary Vikram Misri": round 16, "He said" in the next paragraph had no person
    to point at). Only here: the article's mentions, which linking reads, keep the model's type."""
    people: dict[str, set[str]] = {}
    for m in mentions:
        if m.type == "person":
            people.setdefault(m.text.split()[-1], set()).add(m.name)
    out = []
    for m in mentions:
        names = people.get(m.text, set()) if m.type == "place" else set()
        if len(names) == 1 and m.text.lower() not in place_names():
            # `next(iter(...))`, not `pop`: the set is `people`'s, and the surname may be tagged a place again
            m = replace(m, type="person", name=next(iter(names)))
        out.append(m)
    return out


def _copy(speaker: Speaker, via: str) -> Speaker:
    """The speaker a pronoun points at, keeping where it was named."""
    return Speaker(speaker.name, speaker.text, speaker.start, speaker.end, speaker.type, speaker.named, via)


# A pronoun's speaker is as sure as a name when the one person named in the words before it is that
# speaker; "Witkoff met Putin. He said ..." is where "he" is most often resolved wrongly (issue 10).
PRONOUN_WINDOW_CHARS = 250
UNSURE_PRONOUN = 0.6


def speaker_confidence(speaker: Speaker | None, mentions: Sequence[Mention], quote_start: int) -> float | None:
    """How sure a quote's speaker is: 1.0 unless a pronoun points at them and the text just before the
    pronoun (or the quote, when it comes first) names some other person too, or nobody: then
    `UNSURE_PRONOUN`. None for no speaker."""
    if speaker is None or speaker.name is None:
        return None
    if speaker.via != "pronoun":
        return 1.0
    surname = (speaker.name.split()[-1:] or [""])[0].lower()
    end = min(speaker.start, quote_start)
    named = {
        (m.name.split()[-1:] or [""])[0].lower()
        for m in mentions
        if m.type == "person" and end - PRONOUN_WINDOW_CHARS <= m.start < end
    }
    return 1.0 if len(surname) >= 3 and named == {surname} else UNSURE_PRONOUN
