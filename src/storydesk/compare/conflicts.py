"""Where the sources of a story disagree: who said it, which title, which number, which date.

Precision comes first: a wrong conflict costs a user's trust, so each kind
needs structure from reading on both sides (two named speakers, one actor,
one unit, one event) before words are compared, and each conflict says how
sure it is and why it was made.
"""

from __future__ import annotations

from collections import defaultdict

from storydesk.compare.align import Alignment, Pair, Weights
from storydesk.compare.findings import side
from storydesk.compare.roles import role_conflict
from storydesk.compare.statements import Statement, content_terms, outlet_of
from storydesk.records import Article, Conflict, DateRef, Side
from storydesk.settings import CompareSettings


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def attribution_conflicts(pairs: list[Pair], voice_of: dict[str, str]) -> list[Conflict]:
    """The same or near-same words given to two named speakers."""
    out: list[Conflict] = []
    seen: set[frozenset[tuple[str, int]]] = set()
    for pair in pairs:
        key = frozenset({(pair.a.article, pair.a.start or 0), (pair.b.article, pair.b.start or 0)})
        if key in seen:
            continue
        seen.add(key)
        first, second = sorted((pair.a, pair.b), key=lambda s: (s.article, s.start or 0))
        out.append(
            Conflict(
                kind="quote_attribution",
                summary=(
                    f"Sources disagree on who said “{_short(first.text)}”: "
                    f"{voice_of[first.article]} attributes it to {first.actor_name}, "
                    f"{voice_of[second.article]} to {second.actor_name}."
                ),
                sides=[side(first), side(second)],
                confidence=round(pair.score, 2),
                reason=f"near-same words (similarity {pair.score:.2f}) with two different named speakers",
            )
        )
    return out


def role_conflicts(role_statements: list[Statement], voice_of: dict[str, str]) -> list[Conflict]:
    """Titles for one actor that cannot both hold, from different articles."""
    by_actor: dict[str, list[Statement]] = defaultdict(list)
    for s in role_statements:
        if s.actor and not s.past:  # a title for an earlier time contradicts no current one
            by_actor[s.actor].append(s)
    out: list[Conflict] = []
    for actor in sorted(by_actor):
        statements = by_actor[actor]
        reported: set[frozenset[str]] = set()
        for i, a in enumerate(statements):
            for b in statements[i + 1 :]:
                if a.article == b.article or (a.role or "").lower() == (b.role or "").lower():
                    continue
                verdict = role_conflict(a.role or "", b.role or "")
                pair_key = frozenset({(a.role or "").lower(), (b.role or "").lower()})
                if verdict is None or pair_key in reported:
                    continue
                reported.add(pair_key)
                confidence, reason = verdict
                out.append(
                    Conflict(
                        kind="role",
                        summary=(
                            f"Sources disagree on {a.actor_name}'s title: {voice_of[a.article]} says “{a.role}”, "
                            f"{voice_of[b.article]} says “{b.role}”."
                        ),
                        sides=[_role_side(a), _role_side(b)],
                        entity=actor,
                        confidence=confidence,
                        reason=reason,
                    )
                )
    return out


def _role_side(s: Statement) -> Side:
    result = side(s)
    result.speaker = None
    return result


def number_conflicts(pairs: list[Pair], voice_of: dict[str, str]) -> list[Conflict]:
    """Different values for one quantity (same unit, similar subject), beyond rounding and qualifiers."""
    out: list[Conflict] = []
    for pair in pairs:
        a, b = sorted((pair.a, pair.b), key=lambda s: (s.article, s.start or 0))
        about = a.subject or b.subject or a.unit or "one quantity"
        out.append(
            Conflict(
                kind="number",
                summary=(
                    f"Sources disagree on {about}: {voice_of[a.article]} reports {_amount(a)}, "
                    f"{voice_of[b.article]} {_amount(b)}."
                ),
                sides=[side(a), side(b)],
                confidence=round(min(0.9, pair.score), 2),
                reason=(
                    f"one quantity ({about}, {a.unit}) in similar sentences (similarity {pair.score:.2f}); "
                    "values differ beyond rounding and qualifiers"
                ),
            )
        )
    return out


def _amount(s: Statement) -> str:
    """The number as the article writes it ("More than 1,100 residents"), else value and unit."""
    return f"“{s.quantity}”" if s.quantity else f"{s.value:g} {s.unit}"


def date_conflicts(articles: list[Article], weights: Weights, settings: CompareSettings) -> list[Conflict]:
    """Different resolved dates given to one event: the dated sentences must match closely."""
    refs = []
    for article in articles:
        for ref in article.dates:
            if ref.relative:
                continue  # "on Friday" resolved against a publication date is too loose to contradict anything
            # The date's own words are left out: they are what differs.
            terms = content_terms(ref.sentence) - content_terms(ref.text)
            refs.append((article, ref, terms))
    out: list[Conflict] = []
    seen: set[tuple[str, str]] = set()
    for i, (art_a, ref_a, terms_a) in enumerate(refs):
        for art_b, ref_b, terms_b in refs[i + 1 :]:
            if art_a.id == art_b.id or ref_a.date[:10] == ref_b.date[:10]:
                continue
            score, shared = weights.similarity(terms_a, terms_b)
            if shared < settings.min_shared_terms or score < settings.date_event_similarity:
                continue
            key = (ref_a.sentence, ref_b.sentence)
            if key in seen:
                continue
            seen.add(key)
            outlet_a, outlet_b = outlet_of(art_a), outlet_of(art_b)
            out.append(
                Conflict(
                    kind="date",
                    summary=(
                        f"Sources disagree on when this happened: {outlet_a} gives {ref_a.date[:10]}, "
                        f"{outlet_b} {ref_b.date[:10]}."
                    ),
                    sides=[_date_side(art_a, ref_a), _date_side(art_b, ref_b)],
                    confidence=round(min(0.8, score), 2),
                    reason=f"closely matching sentences (similarity {score:.2f}) with different resolved dates",
                )
            )
    return out


def _date_side(article: Article, ref: DateRef) -> Side:
    """The dated sentence, with its offsets when it can be found around the date."""
    start = article.text.rfind(ref.sentence, 0, ref.end + len(ref.sentence))
    return Side(
        article=article.id,
        outlet=outlet_of(article),
        text=ref.sentence,
        start=start if start >= 0 else None,
        end=start + len(ref.sentence) if start >= 0 else None,
    )


def find_conflicts(
    alignment: Alignment,
    role_statements: list[Statement],
    articles: list[Article],
    voice_of: dict[str, str],
    settings: CompareSettings,
) -> list[Conflict]:
    """Every conflict of a story, most confident first."""
    assert alignment.weights is not None
    conflicts = [
        *attribution_conflicts(alignment.attribution, voice_of),
        *role_conflicts(role_statements, voice_of),
        *number_conflicts(alignment.numbers, voice_of),
        *date_conflicts(articles, alignment.weights, settings),
    ]
    return sorted(conflicts, key=lambda c: -c.confidence)
