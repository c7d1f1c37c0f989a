"""German mentions: people, organisations and places with their roles and fullest names.

Entities come from the trained NER and the gazetteer (read/de/nlp.py). German
news writes roles in three ways, read here from the tokens (there is no German
parser to lean on):

    title before the name   Kremlsprecher Dmitri Peskow; der ukrainische Präsident Wolodymyr Selenskyj;
                            US-Präsident Donald Trump; die frühere Außenministerin Annalena Baerbock
    apposition              Peskow, der Sprecher des Kremls, ...; Ishaq Dar, Außenminister Pakistans, ...
    title inside the entity the NER sometimes tags "Kremlsprecher Dmitri Peskow" as one person: split

A genitive "-s" on a known name is not part of it ("Selenskyjs Büro" is
Selenskyj). A German country name keeps its text but is named in English
("Russland" -> name "Russia"), as the English reader names a demonym by its
country, so that linking joins it with English reports.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from storydesk.read.de.lexicon import (
    ARTICLES,
    ROLE_ADJECTIVE_ENDINGS,
    TIME_ADJECTIVES,
    countries,
    country_of_adjective,
    gazetteer,
    is_role_noun,
)
from storydesk.read.mentions import _fullest_names as fullest_names
from storydesk.records import Mention, MentionType

_TYPES: dict[str, MentionType] = {"PER": "person", "ORG": "organization", "LOC": "place", "GPE": "place"}
MAX_ROLE_TOKENS = 6  # a title longer than this is a clause, not a title
MAX_APPOSITION_TOKENS = 8


def find_mentions(doc: Doc) -> list[Mention]:
    """Every named actor and place in `doc`, in text order, with roles and fullest names."""
    known = _known_names(doc)
    mentions: list[Mention] = []
    for ent in doc.ents:
        kind = _TYPES.get(ent.label_)
        if kind is None:
            continue
        if _is_title_only(ent) or not any(c.isalpha() for c in ent.text) or ent.text[0] in "@#":
            continue  # "UN-Generalsekretär" alone is a role, "@WarNewsPL1" a handle
        span: Span | None = ent
        role = None
        if kind == "person":
            span, inner_role = _split_title(ent)
            if span is not None:
                role = inner_role or _title_before(span) or _apposition(span)
        if span is None:
            continue
        text, start = _without_genitive(span, known)
        if not text.strip() or "\n" in text:
            continue
        name = text
        if kind == "place":
            name = countries().get(text.lower(), text)
        mentions.append(Mention(text=text, start=start, end=start + len(text), type=kind, name=name, role=role))
    mentions = sorted(mentions + _missed_surnames(doc, mentions, known), key=lambda m: m.start)
    fullest_names(mentions)
    return mentions


def _known_names(doc: Doc) -> set[str]:
    """Names the article or the gazetteer knows, to tell "Selenskyjs" (genitive) from "Cyrus"."""
    names = {ent.text for ent in doc.ents}
    names |= {name for name, _ in gazetteer()}
    names |= {w[:1].upper() + w[1:] for w in countries()}
    return names


def _without_genitive(span: Span, known: set[str]) -> tuple[str, int]:
    text = span.text
    if len(text) > 3 and text.endswith("s") and text[:-1] in known:
        return text[:-1], span.start_char
    if text.endswith(("'", "’")) and text[:-1] in known:  # "Peskows'" is rare but seen
        return text[:-1], span.start_char
    return text, span.start_char


def _is_role_token(tok: Token) -> bool:
    return tok.text[:1].isupper() and is_role_noun(tok.text)


def _is_title_only(ent: Span) -> bool:
    return all(_is_role_token(t) for t in ent)


def _split_title(ent: Span) -> tuple[Span | None, str | None]:
    """ "Kremlsprecher Dmitri Peskow" tagged as one person: the name part and the title part."""
    last_role = max((t.i for t in ent if _is_role_token(t)), default=None)
    if last_role is None:
        return ent, None
    if last_role == ent.end - 1:
        return None, None  # the entity is a title without a name
    return ent.doc[last_role + 1 : ent.end], ent.doc[ent.start : last_role + 1].text


def _title_before(name: Span) -> str | None:
    """Role nouns and their adjectives right before the name: "der ukrainische Präsident Selenskyj"."""
    doc = name.doc
    start = name.start
    i = name.start - 1
    seen_role = False
    while i >= 0 and name.start - i <= MAX_ROLE_TOKENS:
        tok = doc[i]
        if _is_role_token(tok):
            seen_role = True
        elif _is_role_adjective(tok):
            pass
        else:
            break
        start = i
        i -= 1
    if not seen_role:
        return None
    while start < name.start and not _is_role_token(doc[start]) and not _is_role_adjective(doc[start]):
        start += 1
    return doc[start : name.start].text or None


def _is_role_adjective(tok: Token) -> bool:
    """ "ukrainische", "frühere", "pakistanischen": lower-case adjectives that belong to a title."""
    lower = tok.text
    if not lower.islower() or lower in ARTICLES:
        return False
    return lower in TIME_ADJECTIVES or (
        country_of_adjective(lower) is not None and lower.endswith(ROLE_ADJECTIVE_ENDINGS)
    )


def _apposition(name: Span) -> str | None:
    """ ", der Sprecher des Kremls," or ", Außenminister Pakistans," right after the name."""
    doc = name.doc
    i = name.end
    if i >= len(doc) or doc[i].text != ",":
        return None
    j = i + 1
    if j < len(doc) and doc[j].lower_ in ARTICLES:
        j += 1
    first = j
    while j < len(doc) and _is_role_adjective(doc[j]):
        j += 1
    if j >= len(doc) or not _is_role_token(doc[j]):
        return None
    end = j + 1
    # a genitive or "von" phrase completes the role: "Sprecher des Kremls", "Chef von Rosneft"
    while (
        end < len(doc) and end - first < MAX_APPOSITION_TOKENS and doc[end].text not in (",", ".", ";", ":", "–", "-")
    ):
        if doc[end].is_space or doc[end].text in ("„", "“", '"'):
            break
        end += 1
    if end < len(doc) and doc[end].text not in (",", ".", "–", "-"):
        end = j + 1  # no closing comma: keep the role noun alone
    return doc[first:end].text


def _missed_surnames(doc: Doc, mentions: list[Mention], known: set[str]) -> list[Mention]:
    """A person's surname standing alone that the NER left untagged (it often misses repeats)."""
    surnames = {m.text.split()[-1] for m in mentions if m.type == "person" and len(m.text.split()) > 1}
    taken = {i for m in mentions for i in range(m.start, m.end)}
    found = []
    for tok in doc:
        if tok.idx in taken:
            continue
        text = tok.text
        base = text[:-1] if text.endswith("s") and text[:-1] in surnames else text
        if base in surnames:
            found.append(Mention(text=base, start=tok.idx, end=tok.idx + len(base), type="person", name=base))
    return found
