"""A short, faithful brief of a story, built from the articles' own sentences.

Extractive on purpose: every sentence is one an article wrote (or, for a
conflict, a sentence composed only of cited facts: who attributes what to
whom), and each cites every article that supports it. Corroborated points
come first, then the conflicts, then single-source points, marked as such.
"""

from __future__ import annotations

import re
from collections.abc import Container

from storydesk.compare.statements import Statement
from storydesk.records import BriefSentence, Conflict, Finding

_PRONOUNS = ("he ", "she ", "they ", "it ", "his ", "her ", "their ", "this ", "these ")
# A list bullet a page's sentence may open with ("• May 10, 2025 Donald Trump announced ...").
_BULLET = re.compile(r"^[•·▪◦‣►▶*–—-]+\s+")


def _sentence(finding: Finding, sentences: dict[tuple[str, int | None], str]) -> str:
    """The finding's best full sentence: one that names its speaker and does not open on a pronoun, then the shortest."""
    speaker = next((s.speaker for s in finding.sides if s.speaker), None)
    surname = speaker.split()[-1] if speaker else ""

    def rank(text: str) -> tuple[bool, bool, int]:
        return (bool(surname) and surname not in text, text.lower().startswith(_PRONOUNS), len(text))

    texts = (_BULLET.sub("", sentences.get((s.article, s.start)) or s.text) for s in finding.sides)
    return min(texts, key=rank)


Span = tuple[str, int | None]  # a statement's (article, start)


def build_brief(
    corroborated: list[Finding],
    conflicts: list[Conflict],
    single_source: list[Finding],
    statements: list[Statement],
    *,
    size: int,
    same: Container[frozenset[Span]] | None = None,
) -> list[BriefSentence]:
    """At most `size` sentences: corroborated, conflicts, then single-source (leads first, one outlet at a time).

    `same`: pairs of statements alignment found to say the same thing. A corroborated finding with such a
    pair to one already in the brief is the same news again: alignment keeps one statement per article in a
    finding, so an outlet's quote of Trump and its own "Trump announced ..." are two findings (issue 10: the
    ceasefire event's brief opened with the announcement three times, in two languages)."""
    sentences = {(s.article, s.start): s.sentence for s in statements if s.sentence}
    out: list[BriefSentence] = []
    seen: set[str] = set()

    def add(text: str, articles: list[str], status: str) -> bool:
        if len(out) < size and text not in seen and articles:
            seen.add(text)
            out.append(BriefSentence(text=text, articles=list(dict.fromkeys(articles)), status=status))  # type: ignore[arg-type]
            return True
        return False

    # Half the brief at most for corroborated points, so conflicts always fit.
    shown: set[Span] = set()
    for finding in [f for f in corroborated if f.kind != "role"]:
        if len(out) >= max(1, size // 2):
            break
        spans = {(s.article, s.start) for s in finding.sides}
        if same and any(frozenset((x, y)) in same for x in spans for y in shown):
            continue
        if add(_sentence(finding, sentences), finding.articles, "corroborated"):
            shown |= spans
    for conflict in conflicts:
        add(conflict.summary, [s.article for s in conflict.sides], "conflict")
    # Single-source points: each outlet's earliest ones in turn, so no one voice fills the brief.
    by_outlet: dict[str, list[Finding]] = {}
    for finding in single_source:
        if finding.kind != "role":
            by_outlet.setdefault(finding.outlets[0], []).append(finding)
    queues = [sorted(fs, key=lambda f: f.sides[0].start or 0) for fs in by_outlet.values()]
    while len(out) < size and any(queues):
        for queue in queues:
            if queue:
                finding = queue.pop(0)
                add(_sentence(finding, sentences), finding.articles, "single_source")
    return out
