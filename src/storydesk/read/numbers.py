"""Numbers as written in news text, turned into floats.

Handles digits with thousands separators and decimals ("1,100", "1.5"),
scale words and suffixes ("1.5 million", "2bn", "3.5m", "10k"), number words
and their compounds ("thirty", "twenty-five", "one hundred and twenty"),
and fractions ("two thirds", "three quarters", "a half").

Hand-written rather than taken from a library: quantulum3 parses number words
only as part of its own (slow, regex-heavy) extraction and text2num is not
pinned here; this table is small, and the tokens come from spaCy already.
"""

from __future__ import annotations

import re

SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
SCALES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "mln": 1e6, "billion": 1e9,
    "bn": 1e9, "b": 1e9, "bln": 1e9, "trillion": 1e12, "tn": 1e12, "k": 1e3, "dozen": 12,
    "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7,  # South Asian news
}  # fmt: skip
# Scale words that may follow a number as their own token; single letters
# ("m", "b", "k") only count when glued to the digits ("3.5m"), or they would
# swallow metres and the like.
SCALE_WORDS = frozenset(
    {"hundred", "thousand", "million", "mn", "mln", "billion", "bn", "bln", "trillion", "tn", "dozen"}
    | {"lakh", "lakhs", "crore", "crores"}
)
# Denominators of spoken fractions, singular and plural ("one third", "two thirds").
FRACTIONS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4, "fourths": 4,
    "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10,
}  # fmt: skip

# Digits with optional thousands separators, decimals and a glued scale ("2bn", "3.5m", "10k").
DIGITS = re.compile(
    r"^([-−]?(?:\d{1,3}(?:,\d{3})+|\d+))(\.\d+)?(k|m|mn|bn|b|tn|million|billion|trillion)?$", re.IGNORECASE
)
SLASH_FRACTION = re.compile(r"^(\d+)/(\d+)$")
MAX_DENOMINATOR = 10
ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$", re.IGNORECASE)


def parse_digits(text: str) -> float | None:
    """'1,100' -> 1100.0, '2bn' -> 2e9, '3/4' -> 0.75; None when `text` is not a numeral."""
    match = DIGITS.match(text)
    if match:
        value = float(match.group(1).replace(",", "").replace("−", "-") + (match.group(2) or ""))
        scale = match.group(3)
        return clean(value * SCALES[scale.lower()]) if scale else value
    match = SLASH_FRACTION.match(text)
    # only proper fractions with small denominators ("3/4", "2/3"): "24/7" and "9/11" are not numbers
    if match and int(match.group(1)) < int(match.group(2)) <= MAX_DENOMINATOR:
        return int(match.group(1)) / int(match.group(2))
    return None


def parse_number(words: list[str]) -> float | None:
    """The value of a run of number tokens, e.g. ['1.5', 'million'] or ['twenty', '-', 'five'].

    Returns None when the run does not form a number. A fraction word divides
    what came before it ("two thirds" -> 0.667, "a half" -> 0.5) and may itself
    be scaled ("a quarter million" -> 250000); "and a half" adds ("one and a half").
    """
    total = 0.0  # completed groups (e.g. the "two million" in "two million three hundred")
    current = 0.0  # the group being built
    seen = False
    lows = [w.lower().removesuffix(".") if len(w) > 1 else w.lower() for w in words]  # "3m." at a sentence end
    for k, low in enumerate(lows):
        if low in {"-", "and", "a", "an"}:
            if low == "and" and lows[k + 1 : k + 2] in (["a"], ["an"]):
                total, current = total + current, 0.0  # "one and a half"
            elif low in {"a", "an"}:
                current = current or 1.0
            continue
        digits = parse_digits(low)
        if digits is not None:
            current += digits
            seen = True
        elif low in SMALL:
            current += SMALL[low]
            seen = True
        elif low in FRACTIONS:
            current = (current or 1.0) / FRACTIONS[low]
            seen = True
        elif low in SCALES:
            scale = SCALES[low]
            current = (current or 1.0) * scale
            if scale >= 1e3:
                total += current
                current = 0.0
            seen = True
        else:
            return None
    return clean(total + current) if seen else None


def clean(value: float) -> float:
    """Undo binary rounding noise from scaling ("16.4 million" is 16400000, not 16399999.999999998)."""
    return round(value, 6)


# Clock times, the same moment however written: "5 PM", "5:00 p.m.", "17:00", "17h30", "17 Uhr",
# each with its time zone when one is named ("17:00 IST"). A regex: spaCy tags times but does
# not read their value, and the 24-hour forms of German and French news are not English.
_ZONES = "IST|PKT|GMT|UTC|BST|CET|CEST|EET|EEST|MSK|EST|EDT|CST|CDT|MST|MDT|PST|PDT|ET|PT|JST|KST|AEST|AEDT"
CLOCK = re.compile(
    r"(?<![\w:.,/])(?:"
    r"(?P<h12>1[0-2]|0?[1-9])(?:[:.](?P<m12>[0-5]\d))?\s*(?P<ampm>[ap])\.?\s?m\b\.?"
    r"|(?P<h24>[01]?\d|2[0-3])(?::|\s?h\s?)(?P<m24>[0-5]\d)(?![\d:]|\.\d)(?:\s*Uhr\b)?"
    r"|(?P<hde>[01]?\d|2[0-3])\s*(?:Uhr|h)\b(?!\s?\d)"
    r")(?:\s+(?-i:(?P<zone>" + _ZONES + r"))\b)?",
    re.IGNORECASE,
)


def clock_times(text: str) -> list[tuple[int, int, int, str | None]]:
    """(start, end, minutes after midnight, zone) of each clock time in `text`."""
    out = []
    for m in CLOCK.finditer(text):
        if m.group("h12"):
            hour = int(m.group("h12")) % 12 + (12 if m.group("ampm").lower() == "p" else 0)
            minute = int(m.group("m12") or 0)
        elif m.group("h24"):
            hour, minute = int(m.group("h24")), int(m.group("m24"))
        else:
            hour, minute = int(m.group("hde")), 0
        out.append((m.start(), m.end(), hour * 60 + minute, m.group("zone")))
    return out
