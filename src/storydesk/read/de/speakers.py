"""German speakers: from "er", "der Kremlsprecher" or "Peskow" to the fullest name in the article.

The words that point at a speaker (found by read/de/quotes.py next to the cue)
resolve, in order, through

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

from spacy.tokens import Doc

from storydesk.read.de.lexicon import ARTICLES, PRONOUNS, is_feminine_role, is_role_noun
from storydesk.records import Mention

PRONOUN_WINDOW = 1500  # characters a pronoun looks back for its person


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
