"""German speakers: from "er", "der Kremlsprecher" or "Peskow" to the fullest name in the article.

The words next to a cue of read/de/quotes.py that point at its speaker (the
subject of "sagte", the phrase after "laut" or "zufolge": `speaker_of_verb`,
`phrase_speaker`) resolve, in order, through

    1. a name: the mention there, named by its fullest form ("Peskow" -> "Dmitri Peskow");
    2. a pronoun: "er"/"sie" with a singular verb to the nearest person named
       before it whose role does not say the other gender ("Außenministerin" is
       a woman); "sie" with a plural verb is "they" and stays unnamed;
    3. a title: "der Kremlsprecher", "der US-Präsident", "die Ministerin": the
       person whose role in this article ends in the same head noun, the nearest
       one before, else the first after.

Anything else keeps no name (a wrong speaker is worse than none), but keeps
the words in `speaker_text`.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from storydesk.read.de.lexicon import (
    ARTICLES,
    AUXILIARIES,
    CLAUSE_END,
    FIRST_PERSON,
    IMPERSONAL,
    PRONOUNS,
    QUOTE_MARKS,
    is_feminine_role,
    is_nonfinite,
    is_plural_verb,
    is_role_noun,
)
from storydesk.records import Mention

PRONOUN_WINDOW = 1500  # characters a pronoun looks back for its person
SPEAKER_REACH = 6  # tokens between a cue and its speaker


@dataclass(slots=True)
class Speaker:
    name: str | None
    text: str
    start: int
    end: int


class Resolver:
    """Speaker lookups over one article's mentions."""

    def __init__(self, doc: Doc, mentions: list[Mention]) -> None:
        self.doc = doc
        self.mentions = mentions
        self.actors = [m for m in mentions if m.type in ("person", "organization", "place")]

    def mention_at(self, start: int, end: int) -> Mention | None:
        """The actor mention overlapping the characters [start, end)."""
        for m in self.actors:
            if m.start < end and start < m.end:
                return m
        return None

    def named(self, mention: Mention) -> Speaker:
        return Speaker(name=mention.name, text=mention.text, start=mention.start, end=mention.end)

    def pronoun(self, word: str, start: int, *, plural: bool) -> Speaker:
        gender = PRONOUNS.get(word.lower())
        text = word
        if gender is None or (gender == "f" and plural):
            return Speaker(name=None, text=text, start=start, end=start + len(word))
        for m in reversed(self.actors):
            if m.start >= start or start - m.start > PRONOUN_WINDOW:
                continue
            if m.type != "person":
                continue
            if m.role and _gender_of_role(m.role) not in (None, gender):
                continue
            return Speaker(name=m.name, text=text, start=start, end=start + len(word))
        return Speaker(name=None, text=text, start=start, end=start + len(word))

    def title(self, words: list[str], start: int, end: int, text: str) -> Speaker:
        """ "der Kremlsprecher" -> the person this article gave that role."""
        nouns = [w for w in words if w[:1].isupper() and w.lower() not in ARTICLES]
        if not nouns or not is_role_noun(nouns[-1]):
            return Speaker(name=None, text=text, start=start, end=end)
        head = _head(nouns[-1])
        candidates = [m for m in self.actors if m.type == "person" and m.role and _head(m.role.split()[-1]) == head]
        if not candidates:
            return Speaker(name=None, text=text, start=start, end=end)
        before = [m for m in candidates if m.start < start]
        chosen = before[-1] if before else candidates[0]
        return Speaker(name=chosen.name, text=text, start=start, end=end)


def _head(word: str) -> str:
    """The role noun without inflection and without what comes before a hyphen: "US-Präsidenten" -> "präsident"."""
    lower = word.lower().rsplit("-", 1)[-1]
    for ending in ("innen", "in", "en", "n", "s"):
        if lower.endswith(ending) and is_role_noun(lower[: -len(ending)]):
            return lower[: -len(ending)] + ("in" if ending in ("in", "innen") else "")
    return lower


def _gender_of_role(role: str) -> str | None:
    last = role.split()[-1]
    if is_feminine_role(last):
        return "f"
    if is_role_noun(last):
        return "m"
    return None


# -- the words next to a cue: which of them name its speaker --------------------------------------
def speaker_of_verb(cue: Token, resolver: Resolver) -> Speaker | None:
    """The subject of a verb of saying: after it when it was fronted ("sagte Peskow"), else before it.

    A participle or infinitive ("hat ... gesagt", "will ... sagen") takes the
    subject of its finite auxiliary instead.
    """
    if cue.lower_ in IMPERSONAL:
        return _source_phrase(cue, resolver)
    aux = _auxiliary(cue)
    if aux is not None:
        cue = aux  # "Pakistan hat angekündigt, ...": the subject goes with "hat"
    elif is_nonfinite(cue.text) and not cue.text.endswith("t"):
        return None  # an infinitive without its modal: no subject to find
    doc = cue.doc
    sent = cue.sent
    if cue.i > sent.start and doc[cue.i - 1].lower_ == "und":
        # "Indien machte ... verantwortlich und beschuldigte Pakistan, ...": the subject opens the sentence
        first = sent.start
        while first < cue.i and (doc[first].text in QUOTE_MARKS or doc[first].is_space):
            first += 1
        opening, _ = phrase_speaker(doc, first, cue.i, resolver)
        if opening is not None:
            return opening
    before = _speaker_before(cue, resolver)
    if before is not None and _opens_clause(doc, before.start, sent):
        return before  # "Sie warnte die US-Regierung": the subject stands first, what follows is the object
    return speaker_after(cue, resolver) or before


def _auxiliary(cue: Token) -> Token | None:
    """The finite auxiliary or modal a participle or infinitive cue goes with, earlier in its clause."""
    doc = cue.doc
    for i in range(cue.i - 1, cue.sent.start - 1, -1):
        tok = doc[i]
        if tok.text in (",", ":", ";") or tok.text in CLAUSE_END:
            return None
        if tok.lower_ in AUXILIARIES:
            return tok
    return None


def _opens_clause(doc: Doc, offset: int, sent: Span) -> bool:
    """Whether the words at `offset` open their clause (a German subject before its verb does)."""
    tok = token_at(doc, offset)
    if tok is None:
        return False
    i = tok.i
    while i > sent.start and (
        doc[i - 1].lower_ in ARTICLES
        or doc[i - 1].text.islower()
        and doc[i - 1].is_alpha
        and doc[i - 1].lower_ not in ("und", "aber", "doch", "denn")
    ):
        if doc[i - 1].lower_ in ARTICLES:
            i -= 1
            break
        i -= 1
    return (
        i == sent.start
        or doc[i - 1].text in (",", ":", ";", "„", "“", '"', "–", "-")
        or doc[i - 1].lower_ in ("und", "aber", "doch", "denn")
    )


def _source_phrase(cue: Token, resolver: Resolver) -> Speaker | None:
    """The source of "hieß es": "aus indischen Regierungskreisen", "In einer Erklärung der Regierung"."""
    doc = cue.doc
    sent = cue.sent
    for tok in sent:
        if tok.lower_ in ("aus", "von", "in") and tok.i + 1 < sent.end:
            speaker, _ = phrase_speaker(
                doc, tok.i + 1, min(sent.end, tok.i + 1 + SPEAKER_REACH), resolver, generic=True
            )
            if speaker is not None:
                return speaker
    return None


def speaker_after(cue: Token, resolver: Resolver) -> Speaker | None:
    doc = cue.doc
    sent_end = cue.sent.end
    i = cue.i + 1
    if i >= sent_end:
        return None
    speaker, _ = phrase_speaker(doc, i, min(sent_end, i + SPEAKER_REACH), resolver, plural=is_plural_verb(cue.text))
    return speaker


def _speaker_before(cue: Token, resolver: Resolver) -> Speaker | None:
    """The name, pronoun or title ending right before the verb ("Peskow sagte", "Der Kremlsprecher sagte")."""
    doc = cue.doc
    sent_start = cue.sent.start
    end = cue.i
    # skip an apposition closed by a comma: "Peskow, der Sprecher des Kremls, sagte"
    if end - 1 > sent_start and doc[end - 1].text == ",":
        j = end - 2
        while j > sent_start and doc[j].text != "," and end - j <= 10:
            j -= 1
        if doc[j].text == ",":
            end = j
    if end - 2 > sent_start and doc[end - 1].lower_ in ("der", "die") and doc[end - 2].text == ",":
        # "von US-Präsident Donald Trump verkündet, der erklärte": the relative pronoun stands for the nearest name
        for j in range(end - 3, max(sent_start, end - 7) - 1, -1):
            named = resolver.mention_at(doc[j].idx, doc[j].idx + len(doc[j].text))
            if named is not None and named.type in ("person", "organization"):
                return resolver.named(named)
        return None
    m = resolver.mention_at(doc[end - 1].idx, doc[end - 1].idx + len(doc[end - 1].text)) if end - 1 >= 0 else None
    if m is not None and end - 1 >= sent_start:
        return resolver.named(m)
    tok = doc[end - 1] if end - 1 >= sent_start else None
    if tok is None:
        return None
    if tok.lower_ in PRONOUNS:
        return resolver.pronoun(tok.text, tok.idx, plural=is_plural_verb(cue.text))
    if tok.lower_ in FIRST_PERSON:
        return Speaker(name=None, text=tok.text, start=tok.idx, end=tok.idx + len(tok.text))
    if tok.text[:1].isupper() and is_role_noun(tok.text):
        start = end - 1
        while start > sent_start and (doc[start - 1].lower_ in ARTICLES or doc[start - 1].text.islower()):
            if doc[start - 1].lower_ in ARTICLES:
                start -= 1
                break
            start -= 1
        words = [t.text for t in doc[start:end]]
        return resolver.title(words, doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text), doc[start:end].text)
    return None


def phrase_speaker(
    doc: Doc, first: int, limit: int, resolver: Resolver, *, plural: bool = False, generic: bool = False
) -> tuple[Speaker | None, int]:
    """The speaker phrase starting at token `first` (a name, a pronoun, or an article + title) and where it ends.

    With `generic` (after "laut", "zufolge", "nach Angaben", "wie", "aus") any noun
    phrase is a source ("Berichten zufolge", "laut pakistanischen Staatsmedien"):
    named when it holds a name ("Journalisten der Nachrichtenagentur AFP"), else kept as words.
    """
    if first >= len(doc) or first >= limit:
        return None, first
    tok = doc[first]
    if tok.lower_ in PRONOUNS and tok.text.islower():
        return resolver.pronoun(tok.text, tok.idx, plural=plural), first + 1
    if tok.lower_ in FIRST_PERSON:
        return Speaker(name=None, text=tok.text, start=tok.idx, end=tok.idx + len(tok.text)), first + 1
    i = first
    while i < limit and (doc[i].lower_ in ARTICLES or doc[i].text.islower() and not doc[i].is_punct):
        if doc[i].lower_ not in ARTICLES and not doc[i].text.endswith(("e", "en", "er", "es", "em")):
            return None, first  # a preposition or adverb: not a subject phrase ("am Mittwoch")
        i += 1
    if i >= limit:
        return None, first
    m = resolver.mention_at(doc[i].idx, doc[i].idx + len(doc[i].text))
    if m is not None:
        end = i
        while end < limit and doc[end].idx < m.end:
            end += 1
        return resolver.named(m), end
    if doc[i].text[:1].isupper() and is_role_noun(doc[i].text):
        end = i + 1
        named = resolver.mention_at(doc[end].idx, doc[end].idx + 1) if end < limit else None
        if named is not None and named.type == "person":  # "der ukrainische Präsident Wolodymyr Selenskyj"
            while end < limit and doc[end].idx < named.end:
                end += 1
            return resolver.named(named), end
        # "der Sprecher des Kremls": the genitive phrase belongs to the title
        if end + 1 < limit and doc[end].lower_ in ("des", "der") and doc[end + 1].text[:1].isupper():
            end += 2
        words = [t.text for t in doc[first:end]]
        speaker = resolver.title(words, doc[first].idx, doc[end - 1].idx + len(doc[end - 1].text), doc[first:end].text)
        return speaker, end
    if generic and i < limit and doc[i].text[:1].isupper() and doc[i].is_alpha:
        end = i + 1
        # a genitive may follow: "Journalisten der Nachrichtenagentur AFP"
        while end + 1 < limit and doc[end].lower_ in ("des", "der") and doc[end + 1].text[:1].isupper():
            end += 2
            while end < limit and doc[end].text[:1].isupper() and not doc[end].is_punct:
                end += 1
        inner = next(
            (
                resolver.mention_at(t.idx, t.idx + len(t.text))
                for t in doc[i:end]
                if resolver.mention_at(t.idx, t.idx + len(t.text))
            ),
            None,
        )
        if inner is not None and inner.type != "place":
            return resolver.named(inner), end
        span = doc[first:end]
        return Speaker(name=None, text=span.text, start=span.start_char, end=span.end_char), end
    return None, first


def token_at(doc: Doc, offset: int) -> Token | None:
    span = doc.char_span(offset, min(offset + 1, len(doc.text)), alignment_mode="expand")
    return span[0] if span is not None and len(span) else None
