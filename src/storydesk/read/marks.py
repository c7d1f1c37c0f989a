"""Quotation marks: the spans of text between them, paragraph by paragraph.

Handles straight and typographic double quotes ("…", “…”), German „…“, French
«…», single quotes ‘…’ / '…' (not apostrophes: an opening single mark follows
a space and a closing one is followed by a non-letter), mixed pairs a writer
typed by hand ("…”), and quotes running over paragraphs: an opening mark
without its closing one continues when the next paragraph opens with a mark,
the news convention for multi-paragraph quotes. A mark left open at the end of
a paragraph that does not continue closes with the paragraph, so an unbalanced
mark costs one paragraph at most.

Written by hand because the quote extractors available (textacy's
`direct_quotations`) need balanced marks within a sentence and give up on
multi-paragraph quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DOUBLE = re.compile(r"[\"“”„«»]")
_SINGLE = re.compile(r"['‘’‚]")
_OPENERS = "“„«"
_CLOSERS = "”»"
# Characters after which a straight mark opens rather than closes.
_OPEN_CONTEXT = " \t\n([{—–-/:"
# A single-quoted span longer than this is an apostrophe run, not a quote.
_MAX_SINGLE_CHARS = 400


@dataclass(slots=True)
class Quoted:
    """Text between marks: content offsets (without the marks) per paragraph piece."""

    pieces: list[tuple[int, int]] = field(default_factory=list)
    closed: bool = True

    @property
    def start(self) -> int:
        return self.pieces[0][0]

    @property
    def end(self) -> int:
        return self.pieces[-1][1]


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: blocks separated by blank lines (single newlines also split)."""
    spans = []
    for match in re.finditer(r"[^\n]+", text):
        if match.group(0).strip():
            spans.append((match.start(), match.end()))
    return spans


# A list or summary bullet opening a line.
_BULLET = re.compile(r"^\s*[•·*▪‣◦-]\s+")
# A line at least this long is a sentence of the article, whatever its punctuation.
_HEADING_MAX_WORDS = 30
# A bulleted line at least this long is a summary sentence ("- Trump posted letters ..."), not a list item.
_BULLET_SENTENCE_WORDS = 6
_CLOSING = "\"”’'»"


def is_heading(line: str) -> bool:
    """Whether a paragraph is a heading, subheading, label or list item rather than a sentence
    of the article: short and without a final stop ("Frattesi Writes His Own Fairytale",
    "Blackout in Srinagar; locals asked to switch off lights", "• Jammu"), a short Title Case line
    even with one ("Trump Slaps Tariffs on 'Liberation Day'."), or a Title Case label ("Unpacked:")."""
    bullet = _BULLET.match(line)
    body = line[bullet.end() :] if bullet else line
    words = body.split()
    if not words or len(words) >= _HEADING_MAX_WORDS or (bullet and len(words) >= _BULLET_SENTENCE_WORDS):
        return False
    alpha = [w for w in words if w[:1].isalpha()]
    title = bool(alpha) and sum(w[:1].isupper() for w in alpha) >= 0.8 * len(alpha)
    stripped = body.rstrip()
    last = stripped[-1:]
    if last == ":":
        # "Rubio noted:" and "The New York Times reports:" hand over to a quote (a name, then its verb
        # in lower case; round 16); "Unpacked:" and "What We Know:" label a section
        return title and not alpha[-1][:1].islower()
    # A sentence ends with a stop, inside or before its closing mark: '... "on the table."'
    if stripped.rstrip(_CLOSING)[-1:] in ".!?" or (last in _CLOSING and stripped.rstrip(_CLOSING)[-1:] in ",;"):
        return title and len(alpha) >= 3
    return True


def headings(text: str) -> list[tuple[int, int]]:
    """The paragraphs of `text` that are headings (`is_heading`). The last paragraph never is:
    a text cut short ends mid-sentence, without its stop."""
    spans = paragraphs(text)
    return [(a, b) for a, b in spans[:-1] if is_heading(text[a:b])]


def quoted_spans(text: str) -> list[Quoted]:
    """Every quoted span in `text`, in order; multi-paragraph quotes come back as one span."""
    found: list[Quoted] = []
    pending: Quoted | None = None  # a quote left open at the end of the previous paragraph
    for para_start, para_end in paragraphs(text):
        opens_with_mark = text[para_start] in "\"“„«‘'"
        if pending is not None and not opens_with_mark:
            found.append(pending)
            pending = None
        spans, left_open = _double_in(text, para_start, para_end)
        if pending is not None and spans and spans[0][0] == para_start + 1:
            # The paragraph's first quote continues the open one.
            first = spans.pop(0)
            pending.pieces.append(first)
            found.append(pending)
            pending = None
        elif pending is not None and left_open is not None and left_open[0] == para_start + 1:
            pending.pieces.append(left_open)
            left_open = None
            continue
        found.extend(Quoted(pieces=[s]) for s in spans)
        found.extend(_single_in(text, para_start, para_end, outside=spans))
        if left_open is not None:
            if pending is not None:
                found.append(pending)
            pending = Quoted(pieces=[left_open], closed=False)
    if pending is not None:
        found.append(pending)
    return sorted((q for q in found if q.end > q.start), key=lambda q: q.start)


def _double_in(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], tuple[int, int] | None]:
    """Closed double-quoted spans in one paragraph, and the one left open at its end."""
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for match in _DOUBLE.finditer(text, start, end):
        p, ch = match.start(), match.group(0)
        prev = text[p - 1] if p > start else " "
        nxt = text[p + 1] if p + 1 < end else " "
        can_open = ch in _OPENERS or (ch == '"' and prev in _OPEN_CONTEXT and not nxt.isspace())
        can_close = (
            ch in _CLOSERS
            or (ch == '"' and not prev.isspace())
            or (ch == "“" and open_at is not None and text[open_at] == "„")  # German „…“
            or (ch == "“" and not prev.isspace() and (nxt.isspace() or not nxt.isalnum()))
        )
        if open_at is None:
            if can_open:
                open_at = p
        elif can_close:
            spans.append((open_at + 1, p))
            open_at = None
        elif can_open:
            open_at = p  # the earlier mark never closed: restart from this one
    left_open = (open_at + 1, end) if open_at is not None else None
    return spans, left_open


def _single_in(text: str, start: int, end: int, *, outside: list[tuple[int, int]]) -> list[Quoted]:
    """Single-quoted spans in one paragraph that lie outside its double-quoted spans."""
    found: list[Quoted] = []
    open_at: int | None = None
    for match in _SINGLE.finditer(text, start, end):
        p = match.start()
        if any(a - 1 <= p <= b for a, b in outside):
            continue
        prev = text[p - 1] if p > start else " "
        nxt = text[p + 1] if p + 1 < end else " "
        if open_at is None:
            if prev in _OPEN_CONTEXT and nxt.isalnum() and match.group(0) != "’":
                open_at = p
        elif not prev.isspace() and not nxt.isalnum() and match.group(0) != "‘":
            if p - open_at <= _MAX_SINGLE_CHARS:
                found.append(Quoted(pieces=[(open_at + 1, p)]))
            open_at = None
    return found
