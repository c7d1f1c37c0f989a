"""Highlighted text for the pages: article text with spans marked, conflict sides in context.

Article text is untrusted. Every piece of it is escaped on its own and only
the tags written here are added, so a `<script>` in an article stays text.
Spans may overlap (a mention inside a quote inside a claim sentence): the
text is cut at every span boundary and each piece is wrapped in the spans
covering it, which keeps the HTML well nested whatever the overlaps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markupsafe import Markup, escape

from storydesk.compare.statements import CLOSING_MARK
from storydesk.records import Article

# A sentence ends at . ! or ? (maybe followed by closing quotation marks, those of compare's sentences:
# French ". »" too, else the next sentence opened on the "»", round 13) and a space, or at a paragraph
# break. Hand-written because a spaCy parse per page view would cost more than the whole page; a near-miss
# only widens the context.
_SENTENCE_END = re.compile(rf"[.!?](?:{CLOSING_MARK}|\))*\s+|\n\s*\n")


@dataclass(slots=True)
class Span:
    start: int
    end: int
    css: str  # class of the <mark> (or <a>) wrapping the span
    title: str | None = None  # tooltip: speaker, role, quantity
    href: str | None = None  # a link (an actor page) instead of a plain mark


def _open(span: Span) -> str:
    title = f' title="{escape(span.title)}"' if span.title else ""
    if span.href:
        return f'<a class="{escape(span.css)}" href="{escape(span.href)}"{title}>'
    return f'<mark class="{escape(span.css)}"{title}>'


def _close(span: Span) -> str:
    return "</a>" if span.href else "</mark>"


def highlight(text: str, spans: list[Span], *, start: int = 0, end: int | None = None) -> Markup:
    """`text[start:end]` as HTML with every span (clipped to the window) marked."""
    end = len(text) if end is None else end
    valid = [s for s in spans if s.start < s.end and s.start < end and s.end > start and s.start >= 0]
    cuts = sorted({start, end, *(max(s.start, start) for s in valid), *(min(s.end, end) for s in valid)})
    rank = {id(s): i for i, s in enumerate(valid)}
    # Outer spans first, so a long span opens before the short ones inside it.
    valid.sort(key=lambda s: (s.start, -s.end))
    out: list[str] = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in valid if s.start <= left and s.end >= right]
        # Links cannot nest: only the shortest covering link stays (on a tie, the one given first).
        links = [s for s in covering if s.href]
        keep = min(links, key=lambda s: (s.end - s.start, rank[id(s)])) if links else None
        covering = [s for s in covering if not s.href or s is keep]
        piece = str(escape(text[left:right]))
        out.append("".join(_open(s) for s in covering) + piece + "".join(_close(s) for s in reversed(covering)))
    return Markup("".join(out))


def article_spans(article: Article, *, actor_href: str = "/actors/{}") -> list[Span]:
    """The spans the article page marks: claims, quotes, speakers and actors."""
    spans: list[Span] = []
    for claim in article.claims:
        spans.append(
            Span(claim.start, claim.end, "claim", title=f"claim: {claim.quantity or claim.value} {claim.unit or ''}")
        )
        if claim.quantity_start is not None and claim.quantity_end is not None:
            spans.append(Span(claim.quantity_start, claim.quantity_end, "quantity", title=claim.quantity or None))
    for quote in article.quotes:
        who = quote.speaker or "unknown speaker"
        spans.append(Span(quote.start, quote.end, f"quote {quote.kind}", title=f"{quote.kind} quote, {who}"))
        if quote.speaker_start is not None and quote.speaker_end is not None:
            href = actor_href.format(quote.speaker_entity) if quote.speaker_entity else None
            spans.append(Span(quote.speaker_start, quote.speaker_end, "speaker", title=f"speaker: {who}", href=href))
    for mention in article.mentions:
        href = actor_href.format(mention.entity) if mention.entity else None
        title = mention.name + (f", {mention.role}" if mention.role else "")
        spans.append(Span(mention.start, mention.end, f"actor {mention.type}", title=title, href=href))
    return spans


def locate(text: str, words: str, start: int | None, end: int | None) -> tuple[int, int] | None:
    """Where a side's words are in the article: its offsets when they hold, else a search."""
    if start is not None and end is not None and 0 <= start < end <= len(text):
        return start, end
    at = text.find(words) if words else -1
    return (at, at + len(words)) if at >= 0 else None


def sentence_window(text: str, start: int, end: int, *, sentences: int) -> tuple[int, int]:
    """Widen [start, end) by `sentences` whole sentences on each side, within its paragraph."""
    para_left = text.rfind("\n\n", 0, start)
    para_right = text.find("\n\n", end)
    para_start = para_left + 2 if para_left >= 0 else 0
    para_end = para_right if para_right >= 0 else len(text)
    # Only the paragraph is searched for sentence ends: the window never leaves it,
    # and a long article's other paragraphs would be most of the work.
    bounds = [m.end() for m in _SENTENCE_END.finditer(text, max(para_left, 0), para_end)]
    before = [b for b in bounds if b <= start]
    after = [b for b in bounds if b >= end]
    left = before[-1 - sentences] if len(before) > sentences else 0
    right = after[sentences] if len(after) > sentences else len(text)
    return max(left, para_start), min(right, para_end)


def in_context(text: str, words: str, start: int | None, end: int | None, *, sentences: int) -> Markup:
    """A side's words marked inside the sentences around them, or the words alone when not found."""
    where = locate(text, words, start, end)
    if where is None:
        return Markup('<mark class="side">{}</mark>').format(words)
    left, right = sentence_window(text, *where, sentences=sentences)
    body = highlight(text, [Span(where[0], where[1], "side")], start=left, end=right)
    return Markup("{}{}{}").format("… " if left > 0 else "", body, " …" if right < len(text) else "")
