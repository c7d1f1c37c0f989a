"""German numeric claims: numbers in German formats with unit, qualifier and subject.

    1.100 Quadratkilometer   -> 1100 km2        ("." groups thousands, "," is the decimal mark)
    75 Prozent, 75 %         -> 75 percent
    2,5 Milliarden Euro      -> 2.5e9 EUR
    30-tägige Waffenruhe     -> 30 day, subject "Waffenruhe"
    mehr als 26 Menschen     -> 26 person, qualifier "mehr als" (also "rund", "knapp", "über", ...)

Units are the ones the English reader writes (read/units.py), so compare/ can
set a German number against an English one. Dates, years, clock times and
ordinals ("am 12. März", "2025", "15:47 Uhr", "3. Liga") are not quantities.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span

from storydesk.read.de.dates import MONTHS
from storydesk.read.de.lexicon import NUMBER_WORDS, QUALIFIERS, SCALES
from storydesk.records import Claim

_NUMBER = re.compile(r"^(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?$")
_GLUED_PERCENT = re.compile(r"^(\d+(?:,\d+)?)%$")
_ADJECTIVE = re.compile(r"^(\d+(?:,\d+)?)-(tägig|stündig|wöchig|monatig|jährig|prozentig|köpfig)(?:e|en|er|es|em)?$")
_ADJECTIVE_UNITS = {"tägig": "day", "stündig": "hour", "wöchig": "week", "monatig": "month", "jährig": "year", "prozentig": "percent", "köpfig": "person"}  # fmt: skip
# Unit words after the number (lower case) -> the unit read/units.py uses.
UNITS = {
    "prozent": "percent", "%": "percent", "prozentpunkte": "percentage point", "prozentpunkten": "percentage point",
    "quadratkilometer": "km2", "quadratkilometern": "km2", "km²": "km2", "km2": "km2", "qkm": "km2",
    "kilometer": "km", "kilometern": "km", "km": "km", "meter": "m", "metern": "m", "hektar": "ha",
    "tag": "day", "tage": "day", "tagen": "day", "stunde": "hour", "stunden": "hour", "woche": "week",
    "wochen": "week", "monat": "month", "monate": "month", "monaten": "month", "jahr": "year", "jahre": "year",
    "jahren": "year", "euro": "EUR", "€": "EUR", "dollar": "USD", "us-dollar": "USD", "$": "USD",
    "rubel": "RUB", "pfund": "GBP", "franken": "CHF", "rupien": "INR", "yuan": "CNY", "tonnen": "t",
    "tonne": "t", "kilogramm": "kg", "kg": "kg", "liter": "l", "barrel": "barrel", "grad": "C",
    "menschen": "person", "personen": "person", "tote": "person", "toten": "person", "todesopfer": "person",
    "verletzte": "person", "verletzten": "person", "opfer": "person", "soldaten": "person",
    "zivilisten": "person", "einwohner": "person", "bewohner": "person", "kinder": "person",
    "pilger": "person", "touristen": "person", "mitarbeiter": "person", "beschäftigte": "person",
    "flüchtlinge": "person", "geflüchtete": "person", "gefangene": "person", "menschenleben": "person",
}  # fmt: skip
# Words after which a number names a thing ("Artikel 5", "Nummer 3"), not a quantity.
LABEL_WORDS = frozenset({"artikel", "nummer", "nr.", "seite", "kapitel", "paragraf", "paragraph", "absatz", "platz", "linie", "gleis", "runde", "stufe", "phase", "resolution", "kanal", "version", "flug", "bus"})  # fmt: skip


def find_claims(doc: Doc) -> list[Claim]:
    """Every numeric claim in `doc`, in order, with the sentence that states it."""
    claims = []
    for sent in doc.sents:
        for claim in _sentence_claims(sent):
            claims.append(claim)
    return claims


def _sentence_claims(sent: Span) -> list[Claim]:
    doc = sent.doc
    found = []
    i = sent.start
    while i < sent.end:
        value, end, unit = _number(doc, i, sent.end)
        if value is None:
            i += 1
            continue
        subject = None
        if unit is None and end < sent.end:
            unit, end, subject = _unit_after(doc, end, sent.end)
        elif unit is not None and end < sent.end and doc[end].text[:1].isupper():
            subject = doc[end].text  # "30-tägige Waffenruhe"
        if _is_excluded(doc, i, end, sent, unit):
            i = max(end, i + 1)
            continue
        start, qualifier = _qualifier(doc, i, sent.start)
        if (
            subject is None
            and end + 1 < sent.end
            and doc[end].lower_ in ("der", "des")
            and doc[end + 1].text[:1].isupper()
        ):
            subject = doc[end + 1].text  # "75 Prozent der Arbeit"
        span = doc[start:end]
        found.append(
            Claim(
                text=sent.text,
                start=sent.start_char,
                end=sent.end_char,
                value=value,
                unit=unit,
                quantity=span.text,
                quantity_start=span.start_char,
                quantity_end=span.end_char,
                qualifier=qualifier,
                subject=subject,
            )
        )
        i = max(end, i + 1)
    return found


def parse_german_number(text: str) -> float | None:
    """ "1.100" -> 1100, "2,5" -> 2.5, "1.234,5" -> 1234.5."""
    if not _NUMBER.match(text):
        return None
    return float(text.replace(".", "").replace(",", "."))


def _number(doc: Doc, i: int, limit: int) -> tuple[float | None, int, str | None]:
    """The value at token i (with a scale word after it), where it ends, and a unit glued to it."""
    text = doc[i].text
    if m := _ADJECTIVE.match(text):
        return float(m.group(1).replace(",", ".")), i + 1, _ADJECTIVE_UNITS[m.group(2)]
    if m := _GLUED_PERCENT.match(text):
        return float(m.group(1).replace(",", ".")), i + 1, "percent"
    value = parse_german_number(text)
    if value is None:
        word = text.lower()
        if word not in NUMBER_WORDS or word in ("ein", "eine", "einen") or i + 1 >= limit:
            return None, i, None
        nxt = doc[i + 1].lower_
        if nxt not in UNITS and nxt not in SCALES:
            return None, i, None  # "zwei" alone is too often not a claim ("die zwei Länder")
        value = float(NUMBER_WORDS[word])
    end = i + 1
    if end < limit and doc[end].lower_ in SCALES:
        value *= SCALES[doc[end].lower_]
        end += 1
    return value, end, None


def _unit_after(doc: Doc, end: int, limit: int) -> tuple[str | None, int, str | None]:
    tok = doc[end]
    unit = UNITS.get(tok.lower_)
    if unit is not None:
        subject = tok.text if unit == "person" else None
        return unit, end + 1, subject
    if tok.text[:1].isupper() and tok.is_alpha:
        return tok.lower_, end + 1, tok.text  # a counted noun: "12 Drohnen"
    if tok.text.islower() and end + 1 < limit and doc[end + 1].text[:1].isupper() and doc[end + 1].is_alpha:
        # "31 indische Soldaten": an adjective between the number and its noun
        noun = doc[end + 1]
        return UNITS.get(noun.lower_, noun.lower_), end + 2, noun.text
    return None, end, None


def _qualifier(doc: Doc, i: int, floor: int) -> tuple[int, str | None]:
    for words in QUALIFIERS:
        n = len(words)
        if i - n < floor:
            continue
        if tuple(t.lower_ for t in doc[i - n : i]) == words:
            return i - n, doc[i - n : i].text
    return i, None


def _is_excluded(doc: Doc, i: int, end: int, sent: Span, unit: str | None) -> bool:
    text = doc[i].text
    before = doc[i - 1].lower_ if i > sent.start else ""
    after = doc[end].lower_ if end < sent.end else ""
    if before in LABEL_WORDS:
        return True
    if after in MONTHS or after == "uhr" or text.endswith(".") or ":" in text:
        return True  # dates and clock times
    if unit is None and len(text) == 4 and text.isdigit() and 1800 <= int(text) <= 2100:
        return True  # a year
    if unit is not None and unit.isalpha() and unit.islower() and unit in MONTHS:
        return True
    return i > sent.start and doc[i - 1].text in ("-", "/") and not doc[i - 1].whitespace_
