"""Mentions: the people, organisations, places and groups an article names, with their roles.

Starts from spaCy's entities and corrects the small model's systematic slips:
a title swallowed into the name ("NATO General Erhard Bühler" tagged ORG), a
place tagged PRODUCT or PERSON ("near Kursk"), a person tagged ORG right after
a title, demonyms ("Ukrainian", NORP) that stand for their country. Roles come
from the dependency parse, in the three forms news uses:

    pre-name title   Kremlin spokesperson Dmitri Peskov; former NATO General Erhard Bühler
    apposition       Peskov, a spokesman for the Russian president
    "X of Y"         the president of France, Emmanuel Macron

Each mention's `name` is the fullest name the article uses for the actor, so a
later "Trump" reads "Donald Trump" and "Lt Gen Chaudhry" reads "Ahmed Sharif
Chaudhry": a person's name is compared without titles and ranks, by the name
keys of link/names.py (one surname key, given names equal or initials of one
another). For a demonym the name is its country, so linking groups "Ukrainian
forces" with Ukraine.

Headings, subheadings, labels and list items (read/marks.py `is_heading`) name
no person: the small model tags headline words as people ("Frattesi Writes His
Own Fairytale" gives "Frattesi Writes"), and a headline is not where an article
introduces its actors.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from spacy.tokens import Doc, Span, Token

from storydesk.link.names import clean_name, initials_compatible, name_key
from storydesk.read.lexicon import ROLE_ABBREVIATIONS, ROLE_MODIFIERS, country_of, is_role_word, place_names
from storydesk.read.marks import headings, quoted_spans
from storydesk.read.nlp import doc_text
from storydesk.records import Mention, MentionType

_TYPES: dict[str, MentionType] = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}
# Labels the small model gives to places it does not know ("Kursk" as PRODUCT).
_MISLABELLED_PLACE = {"PRODUCT", "PERSON", "ORG", "WORK_OF_ART", "FAC"}
_LOCATIVE = {"in", "near", "at", "from", "to", "into", "over", "around", "outside", "across", "towards", "toward"}
_ORG_WORDS = {"inc", "corp", "corporation", "company", "group", "motors", "electric", "bank", "party", "university"}
# A title longer than this is a clause the parser attached to the name, not a title.
_MAX_ROLE_TOKENS = 10
_POSSESSIVE = ("'s", "’s")


def find_mentions(doc: Doc) -> list[Mention]:
    """Every named actor and place in `doc`, in text order, with roles and fullest names."""
    mentions: list[Mention] = []
    labels: list[str] = []
    title_regions: list[tuple[int, int]] = []
    covered = 0  # where the last name extended over its particles ends
    for ent in _entities(doc):
        if ent.start_char < covered:
            continue  # "Leyen" of "von der Leyen", which the model tagged apart
        kind = _type_of(ent)
        if kind is None:
            continue
        if kind == "person":
            ent = _with_nickname(_with_particles(ent))
            covered = ent.end_char
        name_span, role = ent, None
        if ent[0].lower_ == "the" and len(ent) > 1:  # "The Russian Foreign Ministry" is named without its article
            name_span = ent[1:]
        if kind in ("person", "organization"):
            split = _split_title(name_span, kind)
            if split is not None:
                name_span, kind = split, "person"
            elif kind == "organization" and _after_title(name_span):
                kind = "person"
        if kind == "person":
            role, region = _role(name_span)
            if region is not None:
                title_regions.append(region)
        if "\n" in name_span.text:  # a name never runs over a line: keep the part on the last one
            cut = name_span.text.rindex("\n") + 1
            on_line = ent.doc.char_span(name_span.start_char + cut, name_span.end_char, alignment_mode="expand")
            if on_line is None:
                continue
            name_span = on_line
        # nor over a colon ("Luciana Lopez: Saying" in a transcript) or a bullet ("Karachi • Indian" in a summary)
        separator = next((c for c in ":•" if c in name_span.text[1:]), None)
        if separator is not None:
            cut = name_span.text.index(separator, 1)
            before_colon = ent.doc.char_span(
                name_span.start_char, name_span.start_char + cut, alignment_mode="contract"
            )
            if before_colon is None:
                continue
            name_span = before_colon
        if kind == "person":
            unlabelled = _without_label(name_span)
            if unlabelled is None:
                continue
            name_span = unlabelled
        raw = _strip_possessive(name_span.text)
        text = raw.strip()  # the model sometimes tags a whitespace token into an entity
        if not text:
            continue
        start = name_span.start_char + len(raw) - len(raw.lstrip())
        end = start + len(text)
        name = (country_of(text) or text) if kind == "group" else text
        mentions.append(Mention(text=text, start=start, end=end, type=kind, name=name, role=role))
        labels.append(ent.label_)
    _places_in_lists(mentions, doc_text(doc))
    _acronyms_of_organisations(mentions)
    _persons_by_name(mentions, labels)
    mentions = [m for m in mentions if not _part_of_title(m, doc, title_regions)]
    mentions = _without_emphasis(mentions, doc)
    mentions = sorted(mentions + _missed_surnames(doc, mentions), key=lambda m: m.start)
    heads = headings(doc_text(doc))
    mentions = [m for m in mentions if m.type != "person" or not any(a <= m.start < b for a, b in heads)]
    _fullest_names(mentions)
    return mentions


# Issue 10, round 9: the actor lists of event pages showed the small model's span errors, grouped by cause.
_PLACE_LABEL = "GPE"
# What follows a dateline's place: "KARACHI: ...", "NEW DELHI — ...", "SRINAGAR, May 10 (Reuters) - ...".
_DATELINE_END = re.compile(r"\s*[:,—–-]")
# What separates the items of a list of names: ", ", " and ", ", and ", " or ".
_LIST_SEPARATOR = re.compile(r",?\s+(?:and|or)\s+|,\s*", re.IGNORECASE)
# What may stand between two items of one list: separators, and the capitalised items the model did not tag
# ("Karachi, Chor, Miano, and Attock" with "Chor" and "Miano" untagged).
_LIST_GAP = re.compile(r"(?:,?\s+(?:and|or)\s+|,\s*)(?:[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*)?(?:,?\s+(?:and|or)\s+|,\s*))*")


def _entities(doc: Doc) -> list[Span]:
    """The model's entities with three span errors undone (the rest of `find_mentions` types and names them):

    - a list read as one name ("Lahore, Rawalpindi" tagged ORG) is split at its commas when one of its
      items is a gazetteer place; each item is then a place (`_split_list`);
    - a dateline ("KARACHI: The military said ...", tagged ORG) is the place the story was filed from;
    - a modifier the model cut off a longer name ("Indian Illegally Occupied" + "Jammu", tagged ORG) is
      no name of its own: a span ending in an adjective or participle that is no noun (WordNet's index in
      the pinned model, `_dictionary_pos`), written right before the next entity (`_clipped_modifier`);
    - a clause's gerund tagged as a person ("Sharing the update with the media, the ISPR said") is no name,
      nor is a span without a capital letter ("announcement25").
    """
    text = doc_text(doc)
    ents = list(doc.ents)
    found: list[Span] = []
    for i, ent in enumerate(ents):
        following = ents[i + 1] if i + 1 < len(ents) else None
        if ent.label_ != "PERSON" and "," in ent.text:
            pieces = _split_list(ent)
            if pieces:
                found += pieces
                continue
        if _clipped_modifier(ent, following, text) or _gerund(ent) or _uncapitalised(ent):
            continue
        if ent.label_ != _PLACE_LABEL and _dateline(ent, text):
            ent = Span(doc, ent.start, ent.end, label=_PLACE_LABEL)
        found.append(ent)
    return found


def _split_list(ent: Span) -> list[Span]:
    """The items of an entity span that is a list of places ("Lahore, Rawalpindi"), each a place span; [] when
    no item is a gazetteer place (a name with a comma is left alone)."""
    doc, items, begin = ent.doc, [], ent.start_char
    for match in [*_LIST_SEPARATOR.finditer(ent.text), None]:
        end = ent.start_char + match.start() if match is not None else ent.end_char
        if end > begin:
            items.append((begin, end))
        if match is not None:
            begin = ent.start_char + match.end()
    if len(items) < 2 or not any(doc.text[a:b].lower() in place_names() for a, b in items):
        return []
    spans = [doc.char_span(a, b, label=_PLACE_LABEL, alignment_mode="contract") for a, b in items]
    return [s for s in spans if s is not None and len(s) > 0 and s.text[:1].isupper()]


def _dateline(ent: Span, text: str) -> bool:
    """Whether an entity is a dateline: the first words of a line, written in capitals, a gazetteer place,
    followed by a colon, dash or comma ("KARACHI:", "NEW DELHI —")."""
    line_start = text.rfind("\n", 0, ent.start_char) + 1
    return (
        not text[line_start : ent.start_char].strip()
        and ent.text.isupper()
        and _DATELINE_END.match(text, ent.end_char) is not None
        and ent.text.lower() in place_names()
    )


def _clipped_modifier(ent: Span, following: Span | None, text: str) -> bool:
    """Whether an entity is the front of a longer name the model cut in two: its last word an adjective or a
    participle ("Occupied") that the dictionary knows as no noun, and the next entity right after it."""
    if following is None or ent.label_ not in ("ORG", "PERSON", "NORP") or len(ent) < 2:
        return False
    if text[ent.end_char : following.start_char] != " ":
        return False
    last = ent[-1]
    nouns, adjectives = _dictionary_pos().get("noun", frozenset()), _dictionary_pos().get("adj", frozenset())
    word = last.lower_
    return last.text[:1].isupper() and word not in nouns and (word in adjectives or last.tag_ in ("VBN", "VBD"))


def _uncapitalised(ent: Span) -> bool:
    """Whether a span is no name by its writing: no capital letter ("announcement25" tagged GPE: a word and a
    footnote number; the particles that open a surname, "von der" before "Leyen", are left to
    `_with_particles`), or a person or place with a digit in it ("Su-30" tagged GPE is an aircraft: people and
    places are not named with digits, organisations sometimes are, "G20")."""
    if not any(c.isupper() for c in ent.text) and ent[0].text not in _PARTICLES:
        return True
    return ent.label_ in ("PERSON", "GPE", "LOC", "FAC") and any(c.isdigit() for c in ent.text)


def _gerund(ent: Span) -> bool:
    """Whether a one-word person is a gerund the tagger reads as a verb with an object or complement."""
    token = ent[0]
    return (
        ent.label_ == "PERSON"
        and len(ent) == 1
        and token.tag_ == "VBG"
        and any(c.dep_ in ("dobj", "prep", "prt", "advmod") for c in token.children)
    )


def _places_in_lists(mentions: list[Mention], text: str) -> None:
    """An organisation or person named in a list of places that the gazetteer knows as a place is that place
    ("Gujranwala, Chakwal, Bahawalpur, Attock" with "Chakwal" tagged ORG and "Attock" PERSON). A list is a
    run of mentions separated only by commas, "and" or "or" (and capitalised items the model left untagged,
    `_LIST_GAP`); it counts as a list of places when one item or
    more is read as a place and most of its items are places or gazetteer names."""
    run: list[Mention] = []
    for mention in [*mentions, None]:
        if mention is not None and run and _LIST_GAP.fullmatch(text[run[-1].end : mention.start]):
            run.append(mention)
            continue
        if len(run) > 1:
            known = [m.type == "place" or m.text.lower() in place_names() for m in run]
            if any(m.type == "place" for m in run) and 2 * sum(known) > len(run):
                for m in run:
                    if m.type in ("organization", "person") and m.text.lower() in place_names():
                        m.type, m.role = "place", None
        run = [mention] if mention is not None else []


_ACRONYM = re.compile(r"[A-Z]{2,6}")


def _acronyms_of_organisations(mentions: list[Mention]) -> None:
    """An acronym the model tagged as a person that spells the initials of an organisation the article names
    is that organisation ("ISPR" in "(DG ISPR)" beside "Inter-Services Public Relations"): an acronym is
    no person's name, and a page would list the organisation twice, once as a person."""
    initials = {_initials_of(m.text) for m in mentions if m.type == "organization"}
    for mention in mentions:
        if mention.type == "person" and _ACRONYM.fullmatch(mention.text) and mention.text in initials:
            mention.type, mention.role, mention.name = "organization", None, mention.text


def _initials_of(name: str) -> str:
    """The initials of a name's capitalised words, hyphenated parts apart ("Inter-Services Public Relations"
    -> "ISPR"; "Ministry of External Affairs" -> "MEA")."""
    return "".join(w[0] for w in re.split(r"[\s-]+", name) if w[:1].isupper())


# Lower-case particles inside surnames: the model often ends "Ursula von der Leyen" at "von".
_PARTICLES = frozenset("von van der den de del della di da dos das du la le ter ten bin ibn al el".split())  # noqa: SIM905


def _with_particles(ent: Span) -> Span:
    """A person's name with the particles and surname the model cut off ("Ursula von" + "der
    Leyen" -> "Ursula von der Leyen"); unchanged when no capitalised word follows the particles."""
    doc = ent.doc
    end = ent.end
    while end < len(doc) and doc[end].text in _PARTICLES:
        end += 1
    tail = end
    while tail < len(doc) and doc[tail].pos_ == "PROPN" and doc[tail].text[:1].isupper():
        tail += 1
    ends_in_particle = ent[-1].text in _PARTICLES
    if tail > end and (end > ent.end or ends_in_particle):
        return doc[ent.start : tail]
    return ent


# A given name, a nickname in quotation marks and a surname: 'Marcia "Cia" Price'.
_NICKNAMED = re.compile(r"[A-Z][\w.'’-]*\s+[\"“]([A-Z][\w.'’-]*)[\"”]\s+[A-Z][\w'’-]+")


def _with_nickname(ent: Span) -> Span:
    """A person's name with the quoted nickname and the surname the model cut off after it ('Marcia "'
    + 'Cia" Price' -> 'Marcia "Cia" Price'; round 16: the speaker was shown as 'Marcia "')."""
    text = doc_text(ent.doc)
    match = _NICKNAMED.match(text, ent.start_char)
    if match is None or match.end() <= ent.end_char:
        return ent
    whole = ent.doc.char_span(ent.start_char, match.end(), alignment_mode="expand")
    return whole if whole is not None else ent


# A page label or section name glued to a name (issue 10, round 7): the separator of a label line
# ("Quick Looks - Trump", "Politics | Vikram Misri") and a kicker in capitals ("WATCH Trump").
_LABEL_SEPARATOR = re.compile(r"\s[-–—|]\s|\|")


def _without_label(name: Span) -> Span | None:
    """A person's name without the page label or section word the model glued to its front: the part after
    the last label separator, then without leading all-capital words of four letters or more ("LIVE",
    "WATCH", "WORLD"; an acronym in a person's name is shorter: "BY Raghavendra"). None when nothing is left."""
    text = name.text
    cut = 0
    for match in _LABEL_SEPARATOR.finditer(text):
        cut = match.end()
    words = text[cut:].split()
    # A name written all in capitals ("DONALD TRUMP" in a caps headline) keeps its words.
    while (
        len(words) > 1 and len(words[0]) >= 4 and words[0].isalpha() and words[0].isupper() and not words[1].isupper()
    ):
        cut = text.index(words[1], cut + len(words[0]))
        words = words[1:]
    if cut == 0:
        return name
    return name.doc.char_span(name.start_char + cut, name.end_char, alignment_mode="contract")


def _type_of(ent: Span) -> MentionType | None:
    label = ent.label_
    if label in _MISLABELLED_PLACE and _is_place(ent):
        return "place"
    if label == "NORP" and country_of(ent.text) is None and _named_place(ent.text):
        return "place"  # a town tagged as a nationality ("Pahalgam"); demonyms stay groups of their country
    return _TYPES.get(label)


def _named_place(text: str) -> bool:
    """Whether the gazetteer has a country, state or city of exactly this name (not by an alternate name)."""
    from storydesk.read.places import lookup

    place = lookup(text) if text.lower() in place_names() else None
    return place is not None and place.name.casefold() == text.casefold()


def _is_place(ent: Span) -> bool:
    """A gazetteer name that the model tagged otherwise: trusted for PRODUCT, else only after a locative preposition."""
    if ent.text.lower() not in place_names():
        return False
    if ent.label_ == "PRODUCT":
        return True
    root = ent.root
    while root.dep_ == "conj" and root.head is not root:
        root = root.head
    return root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE


def _split_title(ent: Span, kind: MentionType) -> Span | None:
    """The name part of an entity that swallowed a title ("NATO General Erhard Bühler" -> "Erhard Bühler")."""
    last = max((t.i for t in ent if t.text[:1].isupper() and is_role_word(t.lower_, proper=True)), default=None)
    if last is None or last == ent.end - 1:
        return None
    rest = ent.doc[last + 1 : ent.end]
    if not all(t.pos_ == "PROPN" for t in rest):
        return None
    if kind == "organization" and (len(rest) < 2 or any(t.lower_ in _ORG_WORDS for t in rest)):
        return None  # "General Motors", "General Electric Co" stay organisations
    return rest


def _after_title(ent: Span) -> bool:
    """An ORG that is a bare name right after a title word is a person ("spokesperson Dmitri Peskov")."""
    if ent.start == 0 or not all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in ent):
        return False
    before = ent.doc[ent.start - 1]
    return (
        before.pos_ in ("NOUN", "PROPN")
        and is_role_word(before.lower_, proper=before.pos_ == "PROPN")
        and before.lower_ not in ROLE_MODIFIERS
    )


def _role(name: Span) -> tuple[str | None, tuple[int, int] | None]:
    """The role the sentence gives a person, and the token range of a pre-name title."""
    region = _title_before(name)
    if region is not None:
        return name.doc[region[0] : region[1]].text, region
    return _apposition(name), None


def _title_before(name: Span) -> tuple[int, int] | None:
    """Tokens left of the name inside its own noun phrase that contain a role word."""
    root = name.root
    start = root.left_edge.i if root.left_edge.i < name.start else name.start
    if start == name.start:
        # The parser sometimes hangs the title elsewhere ("... and Vice President Joe Biden"):
        # fall back to the capitalised words right before the name.
        while start > max(0, name.start - _MAX_ROLE_TOKENS) and name.doc[start - 1].pos_ == "PROPN":
            start -= 1
    # A comma or clause boundary inside the phrase ends the title.
    for i in range(name.start - 1, start - 1, -1):
        tok = name.doc[i]
        if tok.is_punct and tok.text not in ("-", ".") or tok.pos_ in ("VERB", "AUX", "PRON", "SCONJ", "CCONJ"):
            start = i + 1
            break
    while start < name.start and (_is_determiner(name.doc[start]) or name.doc[start].is_punct):
        start += 1
    tokens = name.doc[start : name.start]
    if not tokens or len(tokens) > _MAX_ROLE_TOKENS:
        return None
    if not any(t.pos_ in ("NOUN", "PROPN") and is_role_word(t.lower_, proper=t.pos_ == "PROPN") for t in tokens):
        return None
    return start, name.start


def _is_determiner(token: Token) -> bool:
    """An article or possessive ("the", "its", "his") that opens a phrase but is no part of a title."""
    return token.pos_ == "DET" or token.tag_ in ("PRP$", "WP$")


def _apposition(name: Span) -> str | None:
    root = name.root
    # "Peskov, a spokesman for the Russian president"
    for child in root.children:
        if child.dep_ == "appos" and child.pos_ in ("NOUN", "PROPN") and child.i >= name.end:
            return _phrase(child, stop=None)
    # "the president of France, Emmanuel Macron"
    if root.dep_ == "appos" and root.head.pos_ in ("NOUN", "PROPN") and root.head.i < name.start:
        return _phrase(root.head, stop=root.left_edge.i)
    return None


def _phrase(head: Token, *, stop: int | None) -> str | None:
    """The noun phrase around a role noun, without its article, up to `stop`, if it names a role."""
    if not is_role_word(head.lower_, proper=head.pos_ == "PROPN"):
        return None
    start, end = head.left_edge.i, head.right_edge.i + 1
    if stop is not None:
        end = min(end, stop)
    tokens = list(head.doc[start:end])
    while tokens and (_is_determiner(tokens[0]) or tokens[0].is_punct):
        tokens.pop(0)
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if not tokens or len(tokens) > _MAX_ROLE_TOKENS:
        return None
    return head.doc[tokens[0].i : tokens[-1].i + 1].text


def _part_of_title(mention: Mention, doc: Doc, regions: list[tuple[int, int]]) -> bool:
    """An ORG that is the "of State" in "Secretary of State" belongs to the title, not to the actors."""
    if mention.type != "organization":
        return False
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None or span.start < 2:
        return False
    inside = any(a <= span.start and span.end <= b for a, b in regions)
    before = doc[span.start - 1], doc[span.start - 2]
    return inside and before[0].lower_ == "of" and is_role_word(before[1].lower_)


def _persons_by_name(mentions: list[Mention], labels: list[str]) -> None:
    """An ORG/FAC/PRODUCT whose text is a person's name or surname elsewhere in the article is that person."""
    names = {m.text for m in mentions if m.type == "person"}
    names |= {m.text.split()[-1] for m in mentions if m.type == "person"}
    for mention, label in zip(mentions, labels, strict=True):
        if mention.type != "person" and label in ("ORG", "FAC", "PRODUCT") and mention.text in names:
            mention.type = "person"


def _without_emphasis(mentions: list[Mention], doc: Doc) -> list[Mention]:
    """The mentions without the common nouns a speaker capitalised for emphasis that the model tagged as a
    person (issue 10, round 8: "Congratulations to both Countries on using Common Sense and Great
    Intelligence" gives the person "Common Sense", listed as an actor of every story that quotes it).

    A person-tagged name is such a phrase when it has no role, every word of it is an English dictionary
    word (`_dictionary_word`), and it is named only inside quotation marks: a person an article is about is
    named by the reporter too. A real person named only in someone's words with a name of dictionary words
    ("I called Rose Young") is lost; precision first, and the quote keeps its speaker.
    """
    suspects = [m for m in mentions if m.type == "person" and not m.role and _dictionary_phrase(m.text)]
    if not suspects:
        return mentions
    quoted = [piece for q in quoted_spans(doc_text(doc)) for piece in q.pieces]

    def inside(m: Mention) -> bool:
        return any(a <= m.start and m.end <= b for a, b in quoted)

    outside = {m.text.split()[-1] for m in mentions if m.type == "person" and not inside(m)}
    drop = {id(m) for m in suspects if inside(m) and m.text.split()[-1] not in outside}
    return [m for m in mentions if id(m) not in drop]


def _dictionary_phrase(text: str) -> bool:
    """Two words or more written with capitals, each an English dictionary word and the first an adjective
    ("Common Sense", "Great Intelligence"; not "Bill Gates", whose first word is no adjective)."""
    words = [w.lower() for w in text.split()]
    if len(words) < 2 or not all(w.isalpha() for w in words) or not text[:1].isupper():
        return False
    adjectives, words_known = _dictionary()
    return words[0] in adjectives and all(w in words_known or (w[-1] == "s" and w[:-1] in words_known) for w in words)


@functools.lru_cache(maxsize=1)
def _dictionary() -> tuple[frozenset[str], frozenset[str]]:
    """(adjectives, all words) of the English pipeline's lemmatizer index (`_dictionary_pos`)."""
    words = _dictionary_pos()
    return words.get("adj", frozenset()), frozenset().union(*words.values())


@functools.lru_cache(maxsize=1)
def _dictionary_pos() -> dict[str, frozenset[str]]:
    """The words of the English pipeline's lemmatizer index by part of speech (WordNet's adjectives, nouns,
    verbs and adverbs, shipped with the pinned model); empty when the pipeline has none (the rules are then
    off). No installed package lists common words, and WordNet's index is the dictionary the lemmatizer trusts."""
    from storydesk.read.nlp import load_nlp
    from storydesk.settings import ReadSettings

    nlp = load_nlp(ReadSettings().model)
    lookups: Any = getattr(nlp.get_pipe("lemmatizer"), "lookups", None) if "lemmatizer" in nlp.pipe_names else None
    if lookups is None or not lookups.has_table("lemma_index"):
        return {}
    table, strings = lookups.get_table("lemma_index"), nlp.vocab.strings
    return {pos: frozenset(table[strings[pos]]) if strings[pos] in table else frozenset() for pos in _POS}


_POS = ("adj", "noun", "verb", "adv")


def _missed_surnames(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A person's surname standing alone that the model left untagged (it often misses repeats)."""
    surnames = {m.text.split()[-1] for m in mentions if m.type == "person" and len(m.text.split()) > 1}
    if not surnames:
        return []
    taken = {i for m in mentions for i in range(m.start, m.end)}
    text = doc_text(doc)
    found = []
    for surname in surnames:  # find the words in the text first: cheaper than a Token per word
        for match in re.finditer(rf"\b{re.escape(surname)}\b", text):
            if match.start() in taken:
                continue
            span = doc.char_span(match.start(), match.end())
            if span is not None and len(span) == 1 and span[0].pos_ == "PROPN":
                found.append(Mention(text=surname, start=match.start(), end=match.end(), type="person", name=surname))
    return found


def _strip_possessive(text: str) -> str:
    for suffix in _POSSESSIVE:
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text


def _fullest_names(mentions: list[Mention]) -> None:
    """Give each short form the longest name of the same actor in the article.

    Two forms are one actor when the longer holds all the words of the shorter
    ("Trump": "Donald Trump"), or, for people, when their names without titles
    and ranks share the surname key and the shorter's given names are the
    longer's or their initials ("Lt Gen Chaudhry", "A. S. Chaudhry": "Ahmed
    Sharif Chaudhry"). A surname the model tagged as an organisation ("Misri
    said") that is a person's surname here is that person. When several longer
    names fit ("Trump": "Donald Trump", "Ivanka Trump") the nearest one written
    before the short form wins, else the first one after. Candidates are looked
    up by word and by surname key, so long documents stay linear in practice.
    """
    forms = [person_name(m.text) if m.type == "person" else m.text for m in mentions]
    keys = [name_key(f).split() if m.type == "person" else [] for m, f in zip(mentions, forms, strict=True)]
    by_word: dict[tuple[str, str], list[int]] = {}
    by_surname: dict[str, list[int]] = {}
    for j, m in enumerate(mentions):
        for word in set(forms[j].split()):
            by_word.setdefault((m.type, word), []).append(j)
        if keys[j]:
            by_surname.setdefault(keys[j][-1], []).append(j)
    for i, mention in enumerate(mentions):
        if mention.type not in ("person", "organization"):
            continue
        words = set(forms[i].split())
        if not words:
            continue
        pool = by_word.get((mention.type, next(iter(words))), [])
        fits = [j for j in pool if len(forms[j]) > len(forms[i]) and words <= set(forms[j].split())]
        if not fits and (mention.type == "person" or len(words) == 1):
            short = keys[i] or name_key(forms[i]).split()
            fits = [j for j in by_surname.get(short[-1], []) if _extends(short, keys[j])] if short else []
            if fits:
                mention.type = "person"
        if fits:
            before = [j for j in fits if j < i]
            mention.name = forms[before[-1] if before else fits[0]]
        elif mention.type == "person":
            mention.name = forms[i]


def person_name(text: str) -> str:
    """A person's name without the titles and ranks written before it ("Lt Gen Ahmed Sharif
    Chaudhry" -> "Ahmed Sharif Chaudhry"): link/names.py `clean_name`, which also knows
    abbreviated ranks the reader's lexicon lists ("Lt", "Sgt", "Cmdr")."""
    tokens = text.split()
    while len(tokens) > 1 and tokens[0].lower().strip(".") in ROLE_ABBREVIATIONS:
        tokens = tokens[1:]
    return clean_name(" ".join(tokens)) or text


def _extends(short: list[str], long: list[str]) -> bool:
    """Whether a name key (tokens) is a shorter form of another: same surname, more tokens in
    the longer (or as many, with an initial spelt out), each given name of the shorter equal
    to one of the longer's or its initial."""
    if not short or len(long) < len(short) or short[-1] != long[-1]:
        return False
    if len(long) == len(short) and len("".join(long)) <= len("".join(short)):
        return False  # the same length is longer only by spelling out an initial ("S" -> "Subrahmanyam")
    return all(any(initials_compatible(t, u) for u in long[:-1]) for t in short[:-1])
