"""Numeric claims: every number a sentence states, with its unit, qualifier and subject.

Works on the spaCy parse the reader already has, in one pass over the tokens:

1. find a run of number tokens ("1,100", "1.5 million", "thirty", "two thirds");
2. drop numbers that are not quantities: dates and years, ordinals, labels ("Section 427", "page 12", "COVID-19"), phone numbers;
3. read the currency sign and the qualifier before it ("over", "at least $");
4. read the unit after it ("square kilometers", "%", "-day"), else the noun it counts;
5. find what it is about: the noun the quantity modifies ("thirty-day *ceasefire*"),
   the "of" phrase after it ("75% of *the work*"), or the clause's subject.

Clock times are values too ("5 PM" and "17:00" are one time): unit "clock"
(with the time zone when named), value in minutes after midnight.

Spoken fractions are stored as percent ("two thirds" -> 66.7 percent) so that
compare/ can set them against "67%" in another outlet. A range ("5-10 percent",
"between 5 and 10") keeps its lower bound as `value`, its qualifier says
"between" and `quantity` shows both ends.

Written here rather than taken from quantulum3 (lower F1 on NewsQuant, about
18 ms a sentence, twice the whole spaCy parse, with its own tokenizer and
warnings) or CQE (pins spaCy 3.0.9 and torch and downloads models at run time);
eval/eval_newsquant.py measures this module on NewsQuant.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from storydesk.read import numbers, units
from storydesk.read.dates import MONTHS
from storydesk.records import Claim

# Words that soften or bound a number, longest first; kept as written in `qualifier`.
QUALIFIERS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        (
            tuple(q.split())
            for q in (
                "more than", "less than", "fewer than", "at least", "at most", "up to", "as many as",
                "as much as", "as few as", "as little as", "close to", "nearly", "almost", "about", "around",
                "approximately", "roughly", "some", "over", "under", "below", "above", "just over",
                "just under", "an estimated", "estimated", "upwards of", "in excess of", "no more than",
                "no fewer than", "no less than", "well over", "only", "just", "exactly",
            )
        ),
        key=len,
        reverse=True,
    )
)  # fmt: skip
# Words after which a number names a thing rather than counts it.
LABEL_WORDS = frozenset({
    "page", "pages", "p.", "pp.", "no.", "no", "number", "#", "chapter", "section", "article", "paragraph",
    "row", "room", "seat", "flight", "route", "line", "platform", "gate", "apartment", "item", "exhibit",
    "figure", "fig.", "table", "vol.", "volume", "episode", "season", "level", "phase", "round", "stage",
    "grade", "division", "district", "ward", "zone", "resolution", "amendment", "bus", "highway", "interstate",
    "channel", "version", "ver.", "v.", "model", "squad", "category", "tier", "formula", "exit",
})  # fmt: skip
# Entity types whose numbers are names ("Windows 10", "G7 summit", "Section 427"), not quantities.
NAME_ENTITIES = frozenset({"PERSON", "ORG", "PRODUCT", "LAW", "WORK_OF_ART", "FAC", "EVENT", "GPE", "LOC", "NORP"})
GLUED_SCALES = frozenset({"m", "mn", "bn", "b", "k", "tn"})
# A counted noun may sit a few words after its number ("12 Ukrainian civilians").
MAX_COUNT_GAP = 3
# A number glued to its unit in one token ("200lbs", "75ml", "10kph").
GLUED_UNIT = re.compile(r"^(\d[\d,]*(?:\.\d+)?)([a-zµμ°²³/]+)$", re.IGNORECASE)
# Phone numbers: digit groups a quantity never has ("555-123-4567", "+44 20 7946 0958").
PHONE = re.compile(r"(?:\+\d{1,3}[ .-]?)?\(?\d{2,4}\)?[ .-]\d{3,4}[ .-]\d{3,4}\b")
PHONE_REACH = 8  # tokens looked at around a number; keeps the check cheap on huge tables
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
# Words after "1.8m" that make it a length, not a million.
DIMENSIONS = frozenset({"tall", "high", "long", "wide", "deep", "thick", "away", "below", "above", "across", "in"})
# How far (in tokens) the subject search looks: a clause's subject, a noun's modifiers.
SUBJECT_REACH = 40
PHRASE_REACH = 6
MAX_CLIMB = 8  # heads climbed from a number to its verb
# Words that place a part inside the counted whole before it ("five jets, including three Rafales").
_PART_OF = frozenset({"including", "among"})
MODIFIER_DEPS = frozenset({"compound", "amod", "nummod", "nmod", "npadvmod", "quantmod"})


@dataclass(slots=True)
class Quantity:
    """One number found in a sentence, before it becomes a Claim."""

    value: float
    start: int  # token indices of the quantity as written
    end: int
    unit: str | None = None
    qualifier: str | None = None
    subject: str | None = None
    upper: float | None = None  # for ranges
    unit_noun: int | None = None  # token index of a counted noun, when the unit is one


def find_claims(doc: Doc) -> list[Claim]:
    """Every numeric claim in `doc`, in order, each with the sentence that states it."""
    claims = []
    for sent in doc.sents:
        quantities = find_quantities(sent)
        sentence = sent.text if quantities else ""  # built once: a table can be one huge "sentence"
        for q in quantities:
            span = doc[q.start : q.end]
            claims.append(
                Claim(
                    text=sentence,
                    start=sent.start_char,
                    end=sent.end_char,
                    value=q.value,
                    unit=q.unit,
                    quantity=span.text,
                    quantity_start=span.start_char,
                    quantity_end=span.end_char,
                    qualifier=q.qualifier,
                    subject=q.subject,
                )
            )
    return claims


def find_quantities(sent: Span) -> list[Quantity]:
    """The quantities in one sentence (see the module docstring for the steps)."""
    doc = sent.doc
    found: list[Quantity] = []
    clocks = _clock_times(sent)
    i = sent.start
    floor = sent.start  # nothing before the end of the previous quantity is read again
    while i < sent.end:
        if i in clocks:  # "5 PM", "17:00 IST": a time of day, in minutes after midnight
            q = clocks[i]
            _read_before(doc, q, floor)
            q.subject = _subject(doc, q)
            found.append(q)
            i = floor = q.end
            continue
        glued = _glued(doc[i])
        if glued is None and not _starts_number(doc[i]):
            i += 1
            continue
        end = i + 1 if glued else _number_end(doc, i, sent.end)
        value = glued[0] if glued else numbers.parse_number([t.text for t in doc[i:end]])
        if value is None or _is_excluded(doc, i, end, sent):
            i = end
            continue
        q = Quantity(value=value, start=i, end=end)
        if glued:
            q.unit = glued[1]
            _read_before(doc, q, floor)
        else:
            _read_range(doc, q, sent.end)
            _read_before(doc, q, floor)
            _metres_not_millions(doc, q, sent.end)
            _read_unit(doc, q, sent.end)
        _read_age_or_rate(doc, q, sent.end)
        if _is_date(doc, i, end, q):
            i = max(end, q.end)
            continue
        q.subject = _subject(doc, q)
        found.append(q)
        i = floor = q.end
    return found


def _clock_times(sent: Span) -> dict[int, Quantity]:
    """The sentence's clock times (English forms: "5 PM", "2.30 pm", "17:00"), by first token.

    A time is a value like a count: two outlets giving one happening "5 PM" and
    "17:00" agree, "around 2:30 PM" and "around 4 PM" do not. The unit names the
    time zone when the text does ("clock IST"): times in two zones, or in a zone
    and in none, are not set against each other.
    """
    out: dict[int, Quantity] = {}
    for start, end, minutes, zone in numbers.clock_times(sent.text):
        if "h" in sent.text[start:end].lower().replace("hour", "") and ":" not in sent.text[start:end]:
            continue  # "17h", "17 Uhr": not English; the reader parses English
        span = sent.doc.char_span(sent.start_char + start, sent.start_char + end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        unit = f"clock {zone}" if zone else "clock"
        out[span.start] = Quantity(value=float(minutes), start=span.start, end=span.end, unit=unit)
    return out


def _metres_not_millions(doc: Doc, q: Quantity, limit: int) -> None:
    """A glued "m" is a million in news ("£3m", "5m people") unless a dimension follows ("1.8m tall", "100m-long")."""
    last = doc[q.end - 1]
    glued_m = last.lower_ in {"m", "m."} and q.end - 1 > q.start and not doc[q.end - 2].whitespace_
    if not (glued_m or (last.lower_.endswith("m") and last.text[0].isdigit())) or q.unit is not None:
        return
    if q.end < limit and (doc[q.end].lower_ in DIMENSIONS or doc[q.end].text == "-"):
        q.value, q.unit = numbers.clean(q.value / 1e6), "m"


def _glued(tok: Token) -> tuple[float, str] | None:
    """'200lbs' -> (200.0, 'lb'): a number and a known unit written as one token."""
    match = GLUED_UNIT.match(tok.text)
    if match is None or numbers.parse_digits(tok.lower_) is not None:
        return None
    unit = units.match_unit([match.group(2).lower()])
    value = numbers.parse_digits(match.group(1))
    return (value, unit[0]) if unit and value is not None else None


def _starts_number(tok: Token) -> bool:
    text = tok.lower_
    if text[0].isdigit() or (text[0] in "-−" and text[1:2].isdigit()):  # "-5 degrees"
        return numbers.parse_digits(text) is not None
    if text in numbers.SMALL:
        return tok.pos_ == "NUM"  # "one" as a pronoun ("the one who") is not a count
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if text in {"a", "an"} and nxt is not None:
        # "a million", "a dozen"; "a quarter of", "a third of"
        return nxt.lower_ in numbers.SCALE_WORDS or (nxt.lower_ in numbers.FRACTIONS and _counts_something(nxt))
    # "half of", "half a million"; not "the second half"
    return text == "half" and _counts_something(tok) and not (tok.i > 0 and tok.nbor(-1).like_num)


def _counts_something(tok: Token) -> bool:
    """A fraction word used as a number: "a third of", "a quarter million"."""
    first, second, *_ = [t.lower_ for t in tok.doc[tok.i + 1 : tok.i + 3]] + ["", ""]
    return first == "of" or first in numbers.SCALE_WORDS or (first in {"a", "an"} and second in numbers.SCALE_WORDS)


def _number_end(doc: Doc, i: int, limit: int) -> int:
    """The end of the run of tokens that spell one number, starting at `i`."""
    first_digit = not doc[i].is_alpha
    j = i + 1
    while j < limit:
        tok, prev = doc[j], doc[j - 1]
        low = tok.lower_
        glued = low.removesuffix(".") in GLUED_SCALES and not prev.whitespace_ and prev.text[0].isdigit()  # "3m", "3m."
        if low in numbers.SCALE_WORDS or glued:
            j += 1
        elif first_digit and j == i + 1 and numbers.SLASH_FRACTION.match(low) and prev.text.isdigit():
            j += 1  # "10 1/2"
        elif (
            low == "and"
            and j + 2 < limit
            and doc[j + 1].lower_ in {"a", "an"}
            and doc[j + 2].lower_ in {"half", "quarter", "third"}
        ):
            j += 3  # "one and a half", "2 and a half"
        elif (
            low in {"a", "an"} and prev.lower_ == "half" and j + 1 < limit and doc[j + 1].lower_ in numbers.SCALE_WORDS
        ):
            j += 1  # "half a million"
        elif first_digit:
            break
        elif low in numbers.SMALL or (
            low in numbers.FRACTIONS and (prev.lower_ in numbers.SMALL or prev.lower_ in {"a", "an"})
        ):
            j += 1
        elif (
            low in {"-", "and"}
            and j + 1 < limit
            and doc[j + 1].lower_ in numbers.SMALL
            and (prev.lower_ in numbers.SMALL or prev.lower_ in numbers.SCALE_WORDS)
        ):
            if low == "and" and prev.lower_ not in {"hundred", "thousand", "million", "billion"}:
                break
            j += 1
        else:
            break
    return j


def _is_excluded(doc: Doc, i: int, end: int, sent: Span) -> bool:
    """Numbers that name or locate something instead of counting it."""
    tok = doc[i]
    if numbers.ORDINAL.match(tok.text) or tok.ent_type_ == "ORDINAL":
        return True
    prev_sign = doc[i - 1] if i > sent.start else None
    after_sign = (
        prev_sign is not None
        and prev_sign.lower_ in units.CURRENCY_SIGNS
        and (len(prev_sign.text) > 1 or not prev_sign.is_alpha)  # not "R 350"
    )
    if tok.ent_type_ in NAME_ENTITIES and not after_sign:  # "GBP 350", "$75 million of ... bonds" tagged as names
        return True
    if tok.text[0].isdigit() and _in_phone_number(tok, sent):
        return True
    if end + 1 < sent.end and doc[end].text == "-" and not doc[end - 1].whitespace_:
        after = doc[end + 1]
        if after.is_title and units.match_unit([after.lower_]) is None:
            return True  # "7-Eleven", "3-D": a name that starts with a number
    if i > sent.start:
        prev = doc[i - 1]
        if prev.lower_ in LABEL_WORDS:
            return True
        # "COVID-19", "F-16", "MH-17": a number glued by a hyphen to a word is part of a name
        if prev.text == "-" and i - 2 >= sent.start and not doc[i - 2].whitespace_ and doc[i - 2].is_alpha:
            return True
        if (
            prev.pos_ == "PROPN"
            and prev.is_title
            and prev.lower_ not in units.CURRENCY_SIGNS
            and prev.lower_ not in MONTHS
        ):
            return True  # "Boeing 737", "Row 21": a number after a name labels it
    return False


def _in_phone_number(tok: Token, sent: Span) -> bool:
    window = tok.doc[max(sent.start, tok.i - PHONE_REACH) : min(sent.end, tok.i + PHONE_REACH + 1)]
    offset = tok.idx - window.start_char
    return any(m.start() <= offset < m.end() for m in PHONE.finditer(window.text))


def _read_range(doc: Doc, q: Quantity, limit: int) -> None:
    """'5-10', '5 to 10', 'between 5 and 10': keep the upper bound too."""
    j = q.end
    if j + 1 >= limit:
        return
    joiner = doc[j].lower_
    if joiner not in {"-", "to", "–"} and not (
        joiner == "and" and q.start > 0 and doc[q.start - 1].lower_ == "between"
    ):
        return
    if not _starts_number(doc[j + 1]):
        return
    end = _number_end(doc, j + 1, limit)
    upper = numbers.parse_number([t.text for t in doc[j + 1 : end]])
    if upper is not None and upper > q.value:
        q.upper, q.end = upper, end


def _read_before(doc: Doc, q: Quantity, limit: int) -> None:
    """Currency sign and qualifier before the number: 'at least $', 'over'."""
    i = q.start
    if i > limit:
        sign = doc[i - 1]
        # single letters and short codes ("R", "RM") only count when glued to the digits
        if sign.lower_ in units.CURRENCY_SIGNS and (
            len(sign.text) > 2 or not sign.is_alpha or not sign.whitespace_ or sign.lower_ == "rs"
        ):
            q.unit = units.CURRENCY_SIGNS[sign.lower_]
            i -= 1
            if (
                sign.text == "$"
                and i > limit
                and doc[i - 1].lower_ in units.DOLLAR_PREFIXES
                and doc[i - 1].pos_ != "DET"  # "a $5 million deal" is no Australian dollar
            ):
                q.unit = units.DOLLAR_PREFIXES[doc[i - 1].lower_]  # "C $ 16.4 million"
                i -= 1
    if q.upper is not None:
        q.qualifier = "between"
        if i > limit and doc[i - 1].lower_ in {"between", "from"}:
            i -= 1
        q.start = i
        return
    words = [t.lower_ for t in doc[max(limit, i - 3) : i]]
    for qualifier in QUALIFIERS:
        if tuple(words[len(words) - len(qualifier) :]) == qualifier and len(words) >= len(qualifier):
            q.qualifier = " ".join(qualifier)
            i -= len(qualifier)
            break
    q.start = i


def _read_unit(doc: Doc, q: Quantity, limit: int) -> None:
    """The unit written after the number, else the noun it counts."""
    j = q.end
    if j < limit and doc[j].text in {"-", "–"}:
        j += 1  # "thirty-day", "40-yard"; a unit must follow, or nothing is taken
    words = [t.lower_ for t in doc[j : min(limit, j + units.MAX_UNIT_TOKENS)]]
    match = units.match_unit(words)
    if match is not None and q.unit is None:
        q.unit = match[0]
        if (
            q.unit == "lb"
            and words[0].startswith("pound")
            and any(t.lower_ in numbers.SCALE_WORDS for t in doc[q.start : q.end])
        ):
            q.unit = "GBP"  # "5 million pounds" is money (see units.py)
        q.end = j + match[1]
        return
    if q.unit is not None:  # "$5 dollars" never happens; a currency sign ends the quantity
        return
    if j < limit and not doc[j].is_alpha and doc[j].lower_ in units.CURRENCY_SIGNS:
        q.unit, q.end = units.CURRENCY_SIGNS[doc[j].lower_], j + 1  # "15 €", "10 $"
        return
    fraction = doc[q.end - 1].lower_ in numbers.FRACTIONS or numbers.SLASH_FRACTION.match(doc[q.end - 1].text)
    if q.value < 1 and fraction:  # "two thirds", "3/4" (see module docstring)
        q.value, q.unit = round(q.value * 100, 1), "percent"
        return
    last = doc[q.end - 1]
    if q.end + 1 < limit and doc[q.end].lower_ == "of":  # "one of the computers", "five of the satellites"
        for child in doc[q.end + 1 : min(limit, q.end + 1 + PHRASE_REACH)]:
            if child.head.i == q.end and child.dep_ == "pobj" and child.tag_ in {"NNS", "NNPS"}:
                q.unit = units.noun_unit(child.lemma_)
                q.unit_noun = child.i
                return
    head = last.head
    if (
        last.dep_ in {"nummod", "compound", "amod"}
        and head.pos_ in {"NOUN", "PROPN"}
        and head.is_alpha
        and 0 < head.i - last.i <= MAX_COUNT_GAP
        and head.i < limit
        and all(t.is_alpha or t.text == "-" for t in doc[last.i + 1 : head.i])  # never across a table cell
    ):
        q.unit = "person" if head.ent_type_ == "NORP" else units.noun_unit(head.lemma_)  # "10 Americans"
        q.unit_noun = head.i
        q.end = head.i + 1


def _read_age_or_rate(doc: Doc, q: Quantity, limit: int) -> None:
    """'five years old' -> year of age; '500,000 barrels a day' -> barrel/day."""
    if q.unit is None:
        return
    words = [t.lower_ for t in doc[q.end : min(limit, q.end + 3)]]
    if q.unit in units.AGE_UNITS and (words[:1] == ["old"] or words[:2] == ["-", "old"] or words[:2] == ["of", "age"]):
        q.unit = units.AGE_UNITS[q.unit]
        q.end += 1 if words[0] == "old" else 2
        return
    taken = 2  # tokens the rate adds to the quantity as written
    texts = [t.text for t in doc[q.end : min(limit, q.end + 4)]]
    if words[:1] == ["of"] and q.unit in units.KNOWN:
        # "2.4 billion gallons of jet fuel a year": the rate follows what is measured;
        # the quantity as written stays "2.4 billion gallons"
        for tok in doc[q.end + 1 : min(limit, q.end + 1 + PHRASE_REACH)]:
            if tok.lower_ in {"a", "an", "per"}:
                words, taken = [t.lower_ for t in doc[tok.i : min(limit, tok.i + 3)]], 0
                break
            if not tok.is_alpha or tok.pos_ not in {"NOUN", "PROPN", "ADJ"}:
                break
    elif len(texts) == 4 and texts[0] == texts[2] == "-":
        # "$70-a-share", "a 12-cent-a-share dividend": the rate hyphenated into one word
        words, taken = [texts[1].lower(), texts[3].lower()], 4
    if (
        words[:1] in (["per"], ["a"], ["an"])
        and len(words) > 1
        and words[2:3] not in (["earlier"], ["ago"], ["later"], ["before"], ["after"])
    ):
        per = units.match_unit(words[1:2]) or ((words[1], 1) if words[1] in units.RATE_DENOMINATORS else None)
        if per is not None and per[0] in units.RATE_DENOMINATORS and per[0] != q.unit:
            q.unit = f"{q.unit}/{per[0]}"
            q.end += taken


def _is_date(doc: Doc, i: int, end: int, q: Quantity) -> bool:
    """Years, days of the month and clock times; durations ("thirty-day") stay claims."""
    if q.unit is not None and (q.unit in units.KNOWN or "/" in q.unit):
        return False  # a measured quantity, even inside a DATE entity ("thirty-day", "5 years old")
    tok = doc[i]
    if tok.ent_type_ in {"DATE", "TIME"}:
        return True
    neighbours = [doc[k].lower_ for k in (i - 1, end) if 0 <= k < len(doc)]
    if any(w in MONTHS for w in neighbours):
        return True
    text = tok.text
    return q.unit is None and len(text) == 4 and text.isdigit() and 1800 <= int(text) <= 2100


def _phrase(tok: Token, floor: int = 0) -> str:
    """A noun with the modifiers written before it, from `floor` on: 'the work' -> 'work', 'peace talks'."""
    left = tok.i
    for child in tok.doc[max(floor, tok.i - PHRASE_REACH) : tok.i]:
        if child.head.i == tok.i and child.dep_ in {"compound", "amod", "poss"}:
            left = min(left, child.i)
    return tok.doc[left : tok.i + 1].text


def _named_kind(noun: Token, q: Quantity) -> str:
    """The name of a kind written between a number and its noun ("three *Rafale* jets", "300 *Shahed*
    drones"), with a space after it, or "": a part of a count is not the whole ("three Rafale jets" among
    "five jets", issue 10). Nationalities and places ("five Indian jets") say whose, not which kind."""
    names = [t.text for t in noun.doc[q.start : noun.i] if t.head.i == noun.i and _kind_name(t)]
    return " ".join(names) + " " if names else ""


def _kind_name(tok: Token) -> bool:
    """A word that names a kind of thing: a proper noun, or a product the tagger calls an adjective
    ("one *Rafale* fighter jet"), but not whose or where ("Indian", "Pakistan")."""
    return (tok.pos_ == "PROPN" or tok.ent_type_ == "PRODUCT") and tok.ent_type_ not in ("NORP", "GPE", "LOC", "DATE")


def _predicate_kind(doc: Doc, q: Quantity) -> str:
    """The kind a copula gives the counted things, with a space after it, or "": "two of the jets
    downed ... are *Rafale* planes" counts Rafales, as "two Rafale jets" does (issue 10)."""
    root = doc[q.start : q.end].root
    if root.dep_ not in SUBJECT_DEPS or root.head.lemma_ != "be":
        return ""
    for attr in root.head.rights:
        if attr.dep_ == "attr" and attr.pos_ in {"NOUN", "PROPN"}:
            names = [t.text for t in attr.lefts if t.dep_ == "compound" and _kind_name(t)]
            return " ".join(names) + " " if names else ""
    return ""


def _subject(doc: Doc, q: Quantity) -> str | None:
    """What the number is about (see step 5 in the module docstring)."""
    if q.unit_noun is not None:
        noun = doc[q.unit_noun]
        if noun.dep_ in {"compound", "amod", "nmod"} and noun.head.i > noun.i and noun.head.pos_ == "NOUN":
            return _phrase(noun.head, noun.i + 1)  # "a 12-story *building*", "a ten-point *lead*"
        kind = _named_kind(noun, q) or _predicate_kind(doc, q)
        return _with_predicate(noun, kind + _phrase(noun, q.unit_noun), named=bool(kind))
    span = doc[q.start : q.end]
    root = span.root
    head = root.head
    if root.dep_ in MODIFIER_DEPS and head.pos_ in {"NOUN", "PROPN"} and head.i >= q.end:
        return _phrase(head, q.end)
    if root.dep_ in MODIFIER_DEPS and head.pos_ == "ADJ" and head.dep_ == "amod" and head.head.i >= q.end:
        return _phrase(head.head, q.end)  # "seven-hour-long *talks*": the length of the talks (issue 10)
    if q.end < len(doc) and doc[q.end].lower_ == "of":
        for child in doc[q.end + 1 : q.end + 1 + PHRASE_REACH]:
            if child.head.i == q.end and child.dep_ == "pobj":
                return _phrase(child)
    if head.lower_ == "of" and head.head.pos_ in {"NOUN", "PROPN"}:
        return _phrase(head.head)
    verb = root
    for _ in range(MAX_CLIMB):
        if verb.pos_ in {"VERB", "AUX"} or verb.head.i == verb.i:
            break
        verb = verb.head
    on_noun = verb.pos_ == "VERB" and verb.head.pos_ in {"NOUN", "PROPN"}
    relative = on_noun and verb.dep_ == "relcl" and any(t.dep_ in SUBJECT_DEPS and t.pos_ == "PRON" for t in verb.lefts)
    if relative or (on_noun and verb.dep_ == "acl" and verb.i > verb.head.i):
        # "the call, which lasted more than two hours", "talks lasting seven hours": the clause is
        # about the noun it hangs on (its own subject is the relative pronoun, or none is written)
        return f"{_phrase(verb.head)} {_verb(verb)}"
    # a subject precedes its verb within a clause; scanning a window instead of
    # verb.children keeps this linear when a table parses as one huge sentence
    for tok in doc[max(0, verb.i - SUBJECT_REACH) : verb.i]:
        if tok.head.i == verb.i and tok.dep_ in SUBJECT_DEPS and tok.pos_ != "PRON":
            return f"{_phrase(tok)} {_verb(verb)}" if verb.pos_ == "VERB" else _phrase(tok)  # "Inflation rose"
    return None


def _verb(verb: Token) -> str:
    """A verb as written, with its particle ("evacuated", "moved out")."""
    particle = next((t.text for t in verb.rights if t.dep_ == "prt"), None)
    return f"{verb.text} {particle}" if particle else verb.text


def _with_predicate(noun: Token, phrase: str, *, named: bool = False) -> str:
    """A counted noun with what happened to it, from the parse: "people evacuated",
    "police arrested people", "evacuation of people".

    "1,200 people" alone does not say which quantity a number is: one story
    counts people evacuated, rescued and killed. The governing verb (or the
    noun an "of" phrase hangs on) tells them apart, in any story, without a
    list of event words.
    """
    for child in noun.rights:
        if child.dep_ in {"relcl", "acl"} and child.pos_ == "VERB":
            return f"{phrase} {_verb(child)}"  # "people who were evacuated", "people evacuated from"
    head = noun.head
    if noun.dep_ in {"nsubj", "nsubjpass"} and head.pos_ == "VERB":
        return f"{phrase} {_verb(head)}"
    if noun.dep_ in {"dobj", "obj"} and head.pos_ == "VERB":
        # the agent belongs to the quantity: "Biden won 306 votes" is not "Trump won 232 votes"
        agent = next((t for t in head.lefts if t.dep_ == "nsubj" and t.pos_ != "PRON"), None)
        if agent is None and head.dep_ == "xcomp":  # "Walgreens reported wasting 2.6 million doses"
            agent = next((t for t in head.head.lefts if t.dep_ == "nsubj" and t.pos_ != "PRON"), None)
        if agent is None and head.dep_ == "ccomp" and any(t.dep_ == "nsubj" and t.pos_ == "PRON" for t in head.lefts):
            # "Pakistan said it shot down five jets": the pronoun is the speaker of the verb the clause
            # hangs on (a "he"/"it" pointing further back is left without an agent, as before)
            agent = next((t for t in head.head.lefts if t.dep_ == "nsubj" and t.pos_ != "PRON"), None)
        return f"{_phrase(agent)} {_verb(head)} {phrase}" if agent is not None else f"{_verb(head)} {phrase}"
    if named and noun.dep_ == "pobj" and head.lower_ in _PART_OF and head.head.pos_ in {"NOUN", "VERB"}:
        # "downing five jets, including three Rafale aircraft": a named kind among the counted
        # things shares what happened to them ("downing Rafale aircraft"), so it meets "two of the
        # jets downed are Rafale planes" and not the whole count (issue 10). The parse hangs
        # "including" on the whole or on its verb.
        whole = head.head
        if whole.pos_ == "VERB":
            whole = next((t for t in whole.children if t.dep_ in {"dobj", "obj"} and t.i < head.i), whole)
        return _with_predicate(whole, phrase) if whole.pos_ == "NOUN" else f"{_verb(whole)} {phrase}"
    if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in {"VERB", "NOUN"}:
        return f"{head.head.text} {head.text} {phrase}"  # "evacuation of people", "flooding in homes"
    return phrase
